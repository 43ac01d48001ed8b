-- Amounts get an upper bound.

-- Amounts: at most 10^9 major units. The application checks this per
-- currency; the database holds the bound of a currency with four decimals
-- (10^13 minor units), so that no sum of a report's amounts overflows a
-- bigint. Added NOT VALID, then validated where the existing rows allow
-- it: an upgrade never fails on an old oversized amount (it is refused
-- from now on, and the warning names the table to correct).
ALTER TABLE grants ADD CONSTRAINT grants_amount_minor_bound
    CHECK (amount_minor BETWEEN 0 AND 10000000000000) NOT VALID;
ALTER TABLE expenses ADD CONSTRAINT expenses_amount_minor_bound
    CHECK (amount_minor BETWEEN 0 AND 10000000000000) NOT VALID;
ALTER TABLE mothers ADD CONSTRAINT mothers_monthly_allowance_minor_bound
    CHECK (monthly_allowance_minor BETWEEN 0 AND 10000000000000) NOT VALID;
DO $$
DECLARE
    c RECORD;
BEGIN
    FOR c IN SELECT * FROM (VALUES ('grants', 'grants_amount_minor_bound'),
                                   ('expenses', 'expenses_amount_minor_bound'),
                                   ('mothers', 'mothers_monthly_allowance_minor_bound')) AS t (tab, con)
    LOOP
        BEGIN
            EXECUTE format('ALTER TABLE %I VALIDATE CONSTRAINT %I', c.tab, c.con);
        EXCEPTION WHEN check_violation THEN
            RAISE WARNING '% holds amounts above 10^13 minor units; % is not validated', c.tab, c.con;
        END;
    END LOOP;
END;
$$;
