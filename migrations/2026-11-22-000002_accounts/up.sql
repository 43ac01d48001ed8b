-- Accounts: users and their programmes, API tokens, sessions, sign-in
-- attempts (for throttling across instances).

CREATE TABLE users (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email TEXT NOT NULL CHECK (email ~ '^[^@[:space:]]+@[^@[:space:]]+$' AND char_length(email) <= 254),
    display_name TEXT NOT NULL CHECK (btrim(display_name) <> '' AND char_length(display_name) <= 200),
    role TEXT NOT NULL CHECK (role IN ('admin', 'manager', 'coordinator', 'trainer')),
    -- Argon2id, PHC string format. Never logged, shown or audited.
    password_hash TEXT NOT NULL,
    -- A one-time password (first admin, reset) must be changed at the next sign-in.
    must_change_password BOOLEAN NOT NULL DEFAULT false,
    active BOOLEAN NOT NULL DEFAULT true,
    -- Preferred language (ISO 639-1); NULL: the browser's.
    language TEXT CHECK (language ~ '^[a-z]{2,3}$'),
    -- Bumped when a password changes or the user is deactivated: sessions
    -- carry the value they were made with and end when it differs.
    session_epoch INTEGER NOT NULL DEFAULT 0,
    last_login_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
SELECT diesel_manage_updated_at('users');

-- The programmes a user belongs to (admins see all without rows here).
CREATE TABLE user_programmes (
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    programme_id BIGINT NOT NULL REFERENCES programmes (id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, programme_id)
);
CREATE INDEX user_programmes_programme_idx ON user_programmes (programme_id);

-- API tokens: only the SHA-256 of the token is stored; the token is shown once.
CREATE TABLE api_tokens (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    label TEXT NOT NULL CHECK (btrim(label) <> '' AND char_length(label) <= 200),
    token_hash TEXT NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
    created_by BIGINT REFERENCES users (id),
    last_used_at TIMESTAMPTZ,
    revoked_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX api_tokens_user_idx ON api_tokens (user_id);

-- tower-sessions records, shared by every app instance.
CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    data JSONB NOT NULL,
    expiry_date TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_expiry_idx ON sessions (expiry_date);

-- Sign-in attempts, for throttling per account and per client address.
CREATE TABLE login_attempts (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email TEXT NOT NULL,
    client_ip TEXT NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('success', 'failure', 'locked')),
    occurred_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX login_attempts_email_idx ON login_attempts (lower(email), occurred_at);
CREATE INDEX login_attempts_ip_idx ON login_attempts (client_ip, occurred_at);

-- Users are deactivated, never deleted; the log keeps its actor.
ALTER TABLE audit_events
    ADD CONSTRAINT audit_events_actor_fkey FOREIGN KEY (actor_id) REFERENCES users (id);
CREATE INDEX audit_events_actor_idx ON audit_events (actor_id, occurred_at);
