-- Finding families by name although names are sealed (crypto::name_index):
-- keyed hashes of the beginnings of each word of the name, salted with the
-- programme, and the number of the data key they were made with. The next
-- start's pass builds them for the names already stored (crypto::reseal).
ALTER TABLE family_personal
    ADD COLUMN name_index BIGINT[] NOT NULL DEFAULT '{}',
    ADD COLUMN name_index_key INTEGER;
CREATE INDEX family_personal_name_index_idx ON family_personal USING gin (name_index);
UPDATE data_keys SET resealed_at = NULL;
