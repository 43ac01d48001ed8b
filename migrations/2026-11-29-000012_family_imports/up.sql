-- Families from spreadsheets keep their reference in the file too; a
-- visits file may name a family by it (or by its reference code).
ALTER TABLE families ADD COLUMN external_ref TEXT
    CHECK (external_ref IS NULL OR char_length(btrim(external_ref)) BETWEEN 1 AND 100);
CREATE UNIQUE INDEX families_external_ref_key ON families (programme_id, external_ref)
    WHERE external_ref IS NOT NULL;
