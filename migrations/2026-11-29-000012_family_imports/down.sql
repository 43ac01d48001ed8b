DROP INDEX families_external_ref_key;
ALTER TABLE families DROP COLUMN external_ref;
