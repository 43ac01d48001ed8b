DROP INDEX family_personal_name_index_idx;
ALTER TABLE family_personal DROP COLUMN name_index, DROP COLUMN name_index_key;
