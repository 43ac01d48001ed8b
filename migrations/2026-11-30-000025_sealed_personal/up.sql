-- Personal values encrypted at rest (crypto): families' names, addresses and
-- phones, mothers' phones and emails, and visit notes are stored sealed
-- (XChaCha20-Poly1305 under a key kept outside the database). The columns
-- become bytea; a value written before holds its text's UTF-8 bytes until the
-- server's next start seals it (crypto::reseal). Their length and format rules
-- are the forms' (input.rs); the database keeps a bound on the stored size
-- (four bytes a character, and 46 for the seal).
ALTER TABLE family_personal
    DROP CONSTRAINT IF EXISTS family_personal_name_check,
    DROP CONSTRAINT IF EXISTS family_personal_address_check,
    DROP CONSTRAINT IF EXISTS family_personal_phone_check,
    ALTER COLUMN name DROP DEFAULT,
    ALTER COLUMN address DROP DEFAULT,
    ALTER COLUMN phone DROP DEFAULT;
ALTER TABLE family_personal
    ALTER COLUMN name TYPE bytea USING convert_to(name, 'UTF8'),
    ALTER COLUMN address TYPE bytea USING convert_to(address, 'UTF8'),
    ALTER COLUMN phone TYPE bytea USING convert_to(phone, 'UTF8');
ALTER TABLE family_personal
    ALTER COLUMN name SET DEFAULT '\x'::bytea,
    ALTER COLUMN address SET DEFAULT '\x'::bytea,
    ALTER COLUMN phone SET DEFAULT '\x'::bytea,
    ADD CONSTRAINT family_personal_name_size CHECK (octet_length(name) <= 850),
    ADD CONSTRAINT family_personal_address_size CHECK (octet_length(address) <= 2050),
    ADD CONSTRAINT family_personal_phone_size CHECK (octet_length(phone) <= 250);

ALTER TABLE mothers
    DROP CONSTRAINT IF EXISTS mothers_phone_check,
    DROP CONSTRAINT IF EXISTS mothers_email_check;
ALTER TABLE mothers
    ALTER COLUMN phone TYPE bytea USING convert_to(phone, 'UTF8'),
    ALTER COLUMN email TYPE bytea USING convert_to(email, 'UTF8');
ALTER TABLE mothers
    ADD CONSTRAINT mothers_phone_size CHECK (octet_length(phone) <= 250),
    ADD CONSTRAINT mothers_email_size CHECK (octet_length(email) <= 1070);

ALTER TABLE visits
    DROP CONSTRAINT IF EXISTS visits_note_check,
    ALTER COLUMN note DROP DEFAULT;
ALTER TABLE visits
    ALTER COLUMN note TYPE bytea USING convert_to(note, 'UTF8');
ALTER TABLE visits
    ALTER COLUMN note SET DEFAULT '\x'::bytea,
    ADD CONSTRAINT visits_note_size CHECK (octet_length(note) <= 40050);

-- The answers kept for idempotent API requests may name a family or hold a
-- note: sealed too (web::idempotency).
ALTER TABLE idempotency_keys
    ALTER COLUMN response TYPE bytea USING convert_to(response, 'UTF8');

-- The data keys the database was sealed with: their numbers and a keyed
-- fingerprint of each (crypto::registry), never the keys. A server given
-- another key file refuses to start.
CREATE TABLE data_keys (
    id INTEGER PRIMARY KEY CHECK (id > 0),
    fingerprint BYTEA NOT NULL CHECK (octet_length(fingerprint) = 16),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- When a pass sealed every value under this key (crypto::reseal).
    resealed_at TIMESTAMPTZ,
    -- When a newer key took over.
    retired_at TIMESTAMPTZ
);
