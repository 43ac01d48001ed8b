-- Keys the server instances share (they all read them from here), made
-- from PostgreSQL's strong random source (gen_random_uuid uses it).
CREATE TABLE server_keys (
    name TEXT PRIMARY KEY,
    key BYTEA NOT NULL CHECK (length(key) >= 32),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Signs the sign-in form's CSRF cookie (no session is stored before a
-- successful sign-in).
INSERT INTO server_keys (name, key)
VALUES ('csrf', decode(replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''), 'hex'));

-- An API token may end on a date; it also ends with its owner's password.
ALTER TABLE api_tokens ADD COLUMN expires_at TIMESTAMPTZ;

-- A sign-in attempt is written before its password is checked ('pending'),
-- so that parallel guesses count against the lockout.
ALTER TABLE login_attempts DROP CONSTRAINT login_attempts_outcome_check;
ALTER TABLE login_attempts ADD CONSTRAINT login_attempts_outcome_check
    CHECK (outcome IN ('success', 'failure', 'locked', 'pending'));
