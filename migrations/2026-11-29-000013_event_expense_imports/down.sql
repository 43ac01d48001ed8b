DROP INDEX expenses_external_ref_key;
ALTER TABLE expenses DROP COLUMN external_ref;
DROP INDEX events_external_ref_key;
ALTER TABLE events DROP COLUMN external_ref;
