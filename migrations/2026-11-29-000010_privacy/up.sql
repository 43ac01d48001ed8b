-- Privacy: who read a person's details (the access log), erasure that
-- keeps the pseudonymous record, consent by scope, and retention.

-- Every read of a family's or a mother's personal details: who, when,
-- which record, which fields, through which channel. Only ids and field
-- names: the log itself holds no personal values.
CREATE TABLE access_log (
    id BIGSERIAL PRIMARY KEY,
    occurred_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    user_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    programme_id BIGINT NOT NULL REFERENCES programmes(id) ON DELETE CASCADE,
    subject TEXT NOT NULL CHECK (subject IN ('family', 'mother')),
    subject_id BIGINT NOT NULL,
    fields TEXT[] NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('page', 'api', 'export'))
);
CREATE INDEX access_log_subject ON access_log (subject, subject_id, occurred_at DESC);
CREATE INDEX access_log_programme ON access_log (programme_id, occurred_at DESC);

-- An erased person keeps the pseudonymous record (and so every count);
-- the personal details are gone.
ALTER TABLE families ADD COLUMN erased_at TIMESTAMPTZ;
ALTER TABLE mothers ADD COLUMN erased_at TIMESTAMPTZ;

-- A family's consent by scope. Families recorded with a consent date
-- consented to all three.
ALTER TABLE families ADD COLUMN consent_contact BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE families ADD COLUMN consent_visits BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE families ADD COLUMN consent_referrals BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE families ADD COLUMN consent_withdrawn_on DATE;
UPDATE families SET consent_contact = true, consent_visits = true, consent_referrals = true
    WHERE consent_on IS NOT NULL;

-- A mother's consents from the master-data form.
ALTER TABLE mothers ADD COLUMN consent_phone_contact BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE mothers ADD COLUMN consent_photos BOOLEAN NOT NULL DEFAULT false;

-- How long personal details of closed families and of mothers who left
-- are kept, in months; NULL keeps them until erased by hand.
ALTER TABLE programmes ADD COLUMN retention_months INTEGER
    CHECK (retention_months IS NULL OR retention_months BETWEEN 1 AND 240);
