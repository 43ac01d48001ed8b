-- The mothers' own app: a `mother` role, linked to one mother record; the
-- invitations with which she chooses her password on her phone; visits
-- she enters herself, which her coordinator reviews.

ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check
    CHECK (role IN ('admin', 'manager', 'coordinator', 'trainer', 'mother'));
ALTER TABLE users ADD COLUMN mother_id BIGINT REFERENCES mothers (id) ON DELETE CASCADE;
-- A mother has one account, and only a mother's account has a mother.
CREATE UNIQUE INDEX users_mother_key ON users (mother_id) WHERE mother_id IS NOT NULL;
ALTER TABLE users ADD CONSTRAINT users_mother_role CHECK ((role = 'mother') = (mother_id IS NOT NULL));

-- A one-time code (only its SHA-256 is stored) with which an invited user
-- chooses a password; it works once, until it expires.
CREATE TABLE invitations (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL UNIQUE CHECK (code_hash ~ '^[0-9a-f]{64}$'),
    expires_at TIMESTAMPTZ NOT NULL,
    used_at TIMESTAMPTZ,
    created_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX invitations_user_idx ON invitations (user_id);

-- Visits a mother entered herself wait for her coordinator's review.
ALTER TABLE visits ADD COLUMN entered_by_mother BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE visits ADD COLUMN reviewed_at TIMESTAMPTZ;
ALTER TABLE visits ADD COLUMN reviewed_by BIGINT REFERENCES users (id) ON DELETE SET NULL;
CREATE INDEX visits_awaiting_review_idx ON visits (programme_id, visited_on)
    WHERE entered_by_mother AND reviewed_at IS NULL AND voided_at IS NULL;
