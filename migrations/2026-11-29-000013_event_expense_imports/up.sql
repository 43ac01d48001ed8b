-- Events and expenses from spreadsheets keep their reference in the file.
ALTER TABLE events ADD COLUMN external_ref TEXT
    CHECK (external_ref IS NULL OR char_length(btrim(external_ref)) BETWEEN 1 AND 100);
CREATE UNIQUE INDEX events_external_ref_key ON events (programme_id, external_ref)
    WHERE external_ref IS NOT NULL;
ALTER TABLE expenses ADD COLUMN external_ref TEXT
    CHECK (external_ref IS NULL OR char_length(btrim(external_ref)) BETWEEN 1 AND 100);
CREATE UNIQUE INDEX expenses_external_ref_key ON expenses (programme_id, external_ref)
    WHERE external_ref IS NOT NULL;
