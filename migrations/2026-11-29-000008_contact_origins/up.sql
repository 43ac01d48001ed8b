-- The conversation form asks how a contact arose, from the programme's own
-- list (the Danish form's "hvordan opstod kontakten"); and a programme may
-- make an anonymous contact the form's default.
ALTER TABLE programmes ADD COLUMN contact_origins TEXT[] NOT NULL DEFAULT '{}';
ALTER TABLE programmes ADD COLUMN anonymous_by_default BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE visits ADD COLUMN contact_origin TEXT
    CHECK (contact_origin IS NULL OR char_length(btrim(contact_origin)) BETWEEN 1 AND 100);
