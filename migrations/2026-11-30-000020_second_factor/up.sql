-- A second factor: time-based one-time passwords (RFC 6238).
--   totp_secret    the shared secret, from the start of the setup on
--   totp_on_at     when the setup was confirmed with a first code (NULL: off;
--                  a secret without it is a setup not yet confirmed)
--   totp_last_step the time step of the last code accepted: a code works once
ALTER TABLE users
    ADD COLUMN totp_secret BYTEA,
    ADD COLUMN totp_on_at TIMESTAMPTZ,
    ADD COLUMN totp_last_step BIGINT,
    ADD CONSTRAINT users_totp_check CHECK (totp_on_at IS NULL OR totp_secret IS NOT NULL);

-- Ten single-use recovery codes per user, shown once, kept as hashes.
CREATE TABLE recovery_codes (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    used_at TIMESTAMPTZ,
    UNIQUE (user_id, code_hash)
);

-- The roles that must have a second factor, as an administrator set them.
-- A role without a row follows the default: required for administrators
-- and managers unless the server listens on a loopback address.
CREATE TABLE second_factor_roles (
    role TEXT PRIMARY KEY CHECK (role IN ('admin', 'manager', 'coordinator', 'trainer', 'mother')),
    required BOOLEAN NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
