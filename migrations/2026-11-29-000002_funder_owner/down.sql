ALTER TABLE mothers DROP CONSTRAINT mothers_monthly_allowance_minor_bound;
ALTER TABLE expenses DROP CONSTRAINT expenses_amount_minor_bound;
ALTER TABLE grants DROP CONSTRAINT grants_amount_minor_bound;
DROP TRIGGER funders_owner_check ON funders;
DROP FUNCTION funders_owner_check();
DROP TRIGGER grants_funder_programme_check ON grants;
DROP FUNCTION grants_funder_programme_check();
DROP INDEX funders_programme_name_key;
DROP INDEX funders_name_key;
-- Fails if two programmes named their funders alike: rename one first.
CREATE UNIQUE INDEX funders_name_key ON funders (lower(name));
DROP INDEX funders_programme_idx;
ALTER TABLE funders DROP COLUMN programme_id;
