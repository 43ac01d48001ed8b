-- What a programme calls its workers (Stadtteilmütter, Bydelsmødre,
-- Integrationslotsinnen ...), per interface language: the singular and the
-- plural as written in the middle of a sentence. Without a row the
-- language's own word applies (`worker-one`, `worker-other` in locales/).
CREATE TABLE programme_worker_words (
    programme_id BIGINT NOT NULL REFERENCES programmes (id) ON DELETE CASCADE,
    language TEXT NOT NULL CHECK (language ~ '^[a-z]{2,3}$'),
    one TEXT NOT NULL CHECK (length(btrim(one)) BETWEEN 1 AND 60),
    other TEXT NOT NULL CHECK (length(btrim(other)) BETWEEN 1 AND 60),
    PRIMARY KEY (programme_id, language)
);
