-- Funding: funders, grants, expenses and the monthly allowance run.

-- Amounts carry the programme's currency; a foreign key to (id, currency)
-- makes an amount in another currency impossible, and keeps a programme
-- from changing its currency under existing amounts.
ALTER TABLE programmes ADD CONSTRAINT programmes_id_currency_key UNIQUE (id, currency);

CREATE TABLE funders (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name TEXT NOT NULL CHECK (btrim(name) <> '' AND char_length(name) <= 200),
    kind TEXT NOT NULL CHECK (kind IN ('government', 'municipality', 'foundation', 'eu_fund',
        'private_donor', 'own_capital')),
    country TEXT CHECK (country ~ '^[A-Z]{2}$'),
    contact TEXT NOT NULL DEFAULT '' CHECK (char_length(contact) <= 500),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX funders_name_key ON funders (lower(name));
SELECT diesel_manage_updated_at('funders');

CREATE TABLE grants (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    programme_id BIGINT NOT NULL,
    funder_id BIGINT NOT NULL REFERENCES funders (id),
    reference TEXT NOT NULL DEFAULT '' CHECK (char_length(reference) <= 200),
    amount_minor BIGINT NOT NULL CHECK (amount_minor >= 0),
    currency TEXT NOT NULL,
    starts_on DATE NOT NULL,
    ends_on DATE NOT NULL,
    purpose TEXT NOT NULL DEFAULT '' CHECK (char_length(purpose) <= 2000),
    status TEXT NOT NULL DEFAULT 'applied' CHECK (status IN ('applied', 'granted', 'rejected', 'closed')),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT grants_programme_currency_fkey FOREIGN KEY (programme_id, currency)
        REFERENCES programmes (id, currency),
    CONSTRAINT grants_dates_check CHECK (ends_on >= starts_on),
    CONSTRAINT grants_id_programme_key UNIQUE (id, programme_id)
);
CREATE INDEX grants_programme_idx ON grants (programme_id, starts_on);
SELECT diesel_manage_updated_at('grants');

-- A grant restricted to some districts (none: the whole programme).
CREATE TABLE grant_districts (
    grant_id BIGINT NOT NULL,
    district_id BIGINT NOT NULL,
    programme_id BIGINT NOT NULL,
    PRIMARY KEY (grant_id, district_id),
    FOREIGN KEY (grant_id, programme_id) REFERENCES grants (id, programme_id) ON DELETE CASCADE,
    FOREIGN KEY (district_id, programme_id) REFERENCES districts (id, programme_id)
);

CREATE TABLE expenses (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    programme_id BIGINT NOT NULL,
    spent_on DATE NOT NULL,
    category TEXT NOT NULL CHECK (category IN ('allowances', 'training', 'coordination',
        'interpreters', 'events', 'materials', 'other')),
    amount_minor BIGINT NOT NULL CHECK (amount_minor >= 0),
    currency TEXT NOT NULL,
    grant_id BIGINT,
    -- An allowance payment: the mother and the month (its first day).
    mother_id BIGINT,
    allowance_month DATE CHECK (allowance_month IS NULL OR EXTRACT(DAY FROM allowance_month) = 1),
    -- Drafts (from an allowance run) can be edited until confirmed.
    status TEXT NOT NULL DEFAULT 'confirmed' CHECK (status IN ('draft', 'confirmed')),
    note TEXT NOT NULL DEFAULT '' CHECK (char_length(note) <= 2000),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT expenses_programme_currency_fkey FOREIGN KEY (programme_id, currency)
        REFERENCES programmes (id, currency),
    CONSTRAINT expenses_grant_fkey FOREIGN KEY (grant_id, programme_id)
        REFERENCES grants (id, programme_id),
    CONSTRAINT expenses_mother_fkey FOREIGN KEY (mother_id, programme_id)
        REFERENCES mothers (id, programme_id),
    CONSTRAINT expenses_allowance_check CHECK ((mother_id IS NULL) = (allowance_month IS NULL))
);
CREATE INDEX expenses_programme_idx ON expenses (programme_id, spent_on);
CREATE INDEX expenses_grant_idx ON expenses (grant_id, spent_on);
CREATE UNIQUE INDEX expenses_allowance_key ON expenses (mother_id, allowance_month)
    WHERE mother_id IS NOT NULL;
SELECT diesel_manage_updated_at('expenses');

-- One allowance run per programme and month.
CREATE TABLE allowance_runs (
    programme_id BIGINT NOT NULL REFERENCES programmes (id),
    month DATE NOT NULL CHECK (EXTRACT(DAY FROM month) = 1),
    created_by BIGINT REFERENCES users (id),
    confirmed_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (programme_id, month)
);
