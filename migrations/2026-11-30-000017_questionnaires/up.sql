-- Outcomes: questionnaires a programme defines (items on a 1-5 scale or
-- multiple choice, their texts in every language), given at a point of
-- the work: to a mother at the intake (the introduction module) and the
-- evaluation (the last module), to a family at the first and the tenth
-- visit. One response per person, questionnaire and point; answering
-- again replaces it.
CREATE TABLE questionnaires (
    id BIGSERIAL PRIMARY KEY,
    programme_id BIGINT NOT NULL REFERENCES programmes (id) ON DELETE CASCADE,
    -- {"en": "...", "de": "...", ...}
    title JSONB NOT NULL,
    subject TEXT NOT NULL CHECK (subject IN ('mother', 'family')),
    -- [{"key", "goal", "kind": "scale"|"choice", "text": {lang: text},
    --   "options": [{"key", "text": {lang: text}}]}]
    items JSONB NOT NULL,
    -- The ready-made questionnaire it was made from, if any.
    template TEXT,
    retired_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT questionnaires_id_programme_key UNIQUE (id, programme_id)
);
CREATE INDEX questionnaires_programme ON questionnaires (programme_id);

CREATE TABLE questionnaire_responses (
    id BIGSERIAL PRIMARY KEY,
    questionnaire_id BIGINT NOT NULL,
    programme_id BIGINT NOT NULL,
    point TEXT NOT NULL CHECK (point IN ('intake', 'evaluation', 'first_visit', 'tenth_visit')),
    mother_id BIGINT,
    family_id BIGINT,
    answered_on DATE NOT NULL,
    -- {item key: 1..5 or an option's key}
    answers JSONB NOT NULL,
    entered_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    FOREIGN KEY (questionnaire_id, programme_id)
        REFERENCES questionnaires (id, programme_id) ON DELETE CASCADE,
    FOREIGN KEY (mother_id, programme_id) REFERENCES mothers (id, programme_id) ON DELETE CASCADE,
    FOREIGN KEY (family_id, programme_id) REFERENCES families (id, programme_id) ON DELETE CASCADE,
    CHECK ((mother_id IS NULL) <> (family_id IS NULL)),
    CHECK ((point IN ('intake', 'evaluation')) = (mother_id IS NOT NULL))
);
CREATE UNIQUE INDEX questionnaire_responses_mother
    ON questionnaire_responses (questionnaire_id, point, mother_id) WHERE mother_id IS NOT NULL;
CREATE UNIQUE INDEX questionnaire_responses_family
    ON questionnaire_responses (questionnaire_id, point, family_id) WHERE family_id IS NOT NULL;
