-- Idempotency keys: a client (the mothers' offline app, an integrator)
-- sends `Idempotency-Key` with a write; the first answer is kept, so a
-- repeat of the same request answers the same records instead of making
-- new ones. In PostgreSQL, so that every instance sees every key. Kept
-- at least 7 days (older ones are removed as new ones come).
CREATE TABLE idempotency_keys (
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    key TEXT NOT NULL CHECK (char_length(key) BETWEEN 1 AND 255),
    -- SHA-256 of the request's method, path and body: the same key with
    -- another request is refused.
    request_sha256 BYTEA NOT NULL,
    status SMALLINT NOT NULL,
    response TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (user_id, key)
);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);
