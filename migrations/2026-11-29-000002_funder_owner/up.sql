-- Funders get an owner programme, so that one programme's manager cannot
-- change what another programme's reports show; amounts get an upper bound.

-- NULL: a shared funder, which only administrators create or edit.
ALTER TABLE funders ADD COLUMN programme_id BIGINT REFERENCES programmes (id);
CREATE INDEX funders_programme_idx ON funders (programme_id);

-- A funder used by the grants of exactly one programme belongs to it; the
-- others (unused, or used by several programmes) stay shared.
UPDATE funders f SET programme_id = u.programme_id
FROM (SELECT funder_id, min(programme_id) AS programme_id FROM grants
      GROUP BY funder_id HAVING count(DISTINCT programme_id) = 1) u
WHERE u.funder_id = f.id;

-- Names are unique among the shared funders and within a programme; a
-- programme may name its own funder like a shared one.
DROP INDEX funders_name_key;
CREATE UNIQUE INDEX funders_name_key ON funders (lower(name)) WHERE programme_id IS NULL;
CREATE UNIQUE INDEX funders_programme_name_key ON funders (programme_id, lower(name))
    WHERE programme_id IS NOT NULL;

-- A grant uses a shared funder or one of its own programme. Checked on both
-- sides: a grant's funder, and a funder's owner while grants use it. The
-- grant side locks the funder row (FOR SHARE), so a concurrent change of
-- the owner waits for it.
CREATE FUNCTION grants_funder_programme_check() RETURNS trigger AS $$
DECLARE
    owner BIGINT;
BEGIN
    SELECT programme_id INTO owner FROM funders WHERE id = NEW.funder_id FOR SHARE;
    IF owner IS NOT NULL AND owner <> NEW.programme_id THEN
        RAISE EXCEPTION 'funder % belongs to another programme than grant %', NEW.funder_id, NEW.id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'grants_funder_programme_check',
                  TABLE = 'grants';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER grants_funder_programme_check BEFORE INSERT OR UPDATE OF funder_id, programme_id
    ON grants FOR EACH ROW EXECUTE FUNCTION grants_funder_programme_check();

CREATE FUNCTION funders_owner_check() RETURNS trigger AS $$
BEGIN
    IF NEW.programme_id IS NOT NULL AND EXISTS (
        SELECT 1 FROM grants WHERE funder_id = NEW.id AND programme_id <> NEW.programme_id
    ) THEN
        RAISE EXCEPTION 'funder % is used by grants of another programme', NEW.id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'funders_owner_check',
                  TABLE = 'funders';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER funders_owner_check BEFORE UPDATE OF programme_id ON funders
    FOR EACH ROW EXECUTE FUNCTION funders_owner_check();

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
