-- Imports from spreadsheets: each imported row keeps the reference it had
-- in its file, so importing the same file again changes nothing and a
-- corrected file updates the rows it names.
ALTER TABLE visits ADD COLUMN external_ref TEXT
    CHECK (external_ref IS NULL OR char_length(btrim(external_ref)) BETWEEN 1 AND 100);
CREATE UNIQUE INDEX visits_external_ref_key ON visits (programme_id, external_ref)
    WHERE external_ref IS NOT NULL;
ALTER TABLE mothers ADD COLUMN external_ref TEXT
    CHECK (external_ref IS NULL OR char_length(btrim(external_ref)) BETWEEN 1 AND 100);
CREATE UNIQUE INDEX mothers_external_ref_key ON mothers (programme_id, external_ref)
    WHERE external_ref IS NOT NULL;
