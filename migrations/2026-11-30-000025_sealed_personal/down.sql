-- Only for a database whose values were never sealed: a sealed value starts
-- with a zero byte, which convert_from refuses, so this fails rather than
-- keep ciphertext as text.
DROP TABLE data_keys;
ALTER TABLE idempotency_keys
    ALTER COLUMN response TYPE text USING convert_from(response, 'UTF8');
ALTER TABLE visits DROP CONSTRAINT visits_note_size, ALTER COLUMN note DROP DEFAULT;
ALTER TABLE visits ALTER COLUMN note TYPE text USING convert_from(note, 'UTF8');
ALTER TABLE visits ALTER COLUMN note SET DEFAULT '',
    ADD CONSTRAINT visits_note_check CHECK (char_length(note) <= 10000);
ALTER TABLE mothers DROP CONSTRAINT mothers_phone_size, DROP CONSTRAINT mothers_email_size;
ALTER TABLE mothers
    ALTER COLUMN phone TYPE text USING convert_from(phone, 'UTF8'),
    ALTER COLUMN email TYPE text USING convert_from(email, 'UTF8');
ALTER TABLE mothers
    ADD CONSTRAINT mothers_phone_check CHECK (char_length(phone) <= 50),
    ADD CONSTRAINT mothers_email_check CHECK (email IS NULL OR email ~ '^[^@[:space:]]+@[^@[:space:]]+$');
ALTER TABLE family_personal
    DROP CONSTRAINT family_personal_name_size,
    DROP CONSTRAINT family_personal_address_size,
    DROP CONSTRAINT family_personal_phone_size,
    ALTER COLUMN name DROP DEFAULT,
    ALTER COLUMN address DROP DEFAULT,
    ALTER COLUMN phone DROP DEFAULT;
ALTER TABLE family_personal
    ALTER COLUMN name TYPE text USING convert_from(name, 'UTF8'),
    ALTER COLUMN address TYPE text USING convert_from(address, 'UTF8'),
    ALTER COLUMN phone TYPE text USING convert_from(phone, 'UTF8');
ALTER TABLE family_personal
    ALTER COLUMN name SET DEFAULT '',
    ALTER COLUMN address SET DEFAULT '',
    ALTER COLUMN phone SET DEFAULT '',
    ADD CONSTRAINT family_personal_name_check CHECK (char_length(name) <= 200),
    ADD CONSTRAINT family_personal_address_check CHECK (char_length(address) <= 500),
    ADD CONSTRAINT family_personal_phone_check CHECK (char_length(phone) <= 50);
