-- Programmes (one local project each) and the districts they work in,
-- plus the audit log that every later change writes to.

CREATE TABLE programmes (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name TEXT NOT NULL CHECK (btrim(name) <> '' AND char_length(name) <= 200),
    city TEXT NOT NULL CHECK (btrim(city) <> '' AND char_length(city) <= 200),
    -- ISO 3166-1 alpha-2, upper case (the application checks the code exists)
    country TEXT NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
    -- ISO 4217, upper case: every amount of this programme is in this currency
    currency TEXT NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    -- ISO 639-1 (or 639-3) language code, lower case
    default_language TEXT NOT NULL CHECK (default_language ~ '^[a-z]{2,3}$'),
    start_date DATE NOT NULL,
    end_date DATE CHECK (end_date IS NULL OR end_date >= start_date),
    description TEXT NOT NULL DEFAULT '' CHECK (char_length(description) <= 10000),
    -- A programme with data is archived, never deleted.
    archived_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX programmes_name_key ON programmes (lower(name));
SELECT diesel_manage_updated_at('programmes');

CREATE TABLE districts (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- RESTRICT: a programme with districts (or any later data) cannot be deleted.
    programme_id BIGINT NOT NULL REFERENCES programmes (id) ON DELETE RESTRICT,
    name TEXT NOT NULL CHECK (btrim(name) <> '' AND char_length(name) <= 200),
    archived_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX districts_programme_name_key ON districts (programme_id, lower(name));
SELECT diesel_manage_updated_at('districts');

-- One row per change, written in the same transaction as the change.
-- programme_id and entity_id carry no foreign key on purpose: the log
-- outlives the rows it describes.
CREATE TABLE audit_events (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    occurred_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- the acting user; NULL for the system (CLI, before accounts exist)
    actor_id BIGINT,
    action TEXT NOT NULL CHECK (action ~ '^[a-z_]+$'),
    entity TEXT NOT NULL CHECK (entity ~ '^[a-z_]+$'),
    entity_id BIGINT,
    programme_id BIGINT,
    -- the changed fields: {"field": {"old": ..., "new": ...}} (never secrets)
    changes JSONB NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX audit_events_entity_idx ON audit_events (entity, entity_id);
CREATE INDEX audit_events_occurred_at_idx ON audit_events (occurred_at);
CREATE INDEX audit_events_programme_idx ON audit_events (programme_id, occurred_at);
