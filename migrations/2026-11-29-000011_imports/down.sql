DROP INDEX mothers_external_ref_key;
ALTER TABLE mothers DROP COLUMN external_ref;
DROP INDEX visits_external_ref_key;
ALTER TABLE visits DROP COLUMN external_ref;
