ALTER TABLE visits DROP COLUMN contact_origin;
ALTER TABLE programmes DROP COLUMN anonymous_by_default, DROP COLUMN contact_origins;
