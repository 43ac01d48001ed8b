ALTER TABLE mothers DROP CONSTRAINT mothers_monthly_allowance_minor_bound;
ALTER TABLE expenses DROP CONSTRAINT expenses_amount_minor_bound;
ALTER TABLE grants DROP CONSTRAINT grants_amount_minor_bound;
