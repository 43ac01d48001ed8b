DROP INDEX mothers_district_idx;
DROP INDEX families_district_idx;
