-- Monthly roll-ups for the reports, so that a yearly report reads a few
-- hundred pre-counted rows instead of a year of visits.
--
-- Changes do not update the counts themselves (that would make every visit
-- insert wait on the same counter rows); they only mark the month "stale"
-- (INSERT … ON CONFLICT DO NOTHING, which takes no lock on an existing
-- mark). A report first recounts its stale months from the visits
-- (reports::rollup::refresh) and then sums the roll-ups.

-- Counts of a programme's visits in a month, by dimension:
--   kind      key = the visit kind
--   district  key = the district id of the visit's family, or else of its mother ('' for none)
--   topic     key = topic id
--   referral  key = service (referrals made at the month's visits)
--   referral_done  key = service (of those, done)
--   new_family     key = '' (families whose first contact falls in the month)
CREATE TABLE report_month_counts (
    programme_id BIGINT NOT NULL REFERENCES programmes (id) ON DELETE CASCADE,
    month DATE NOT NULL CHECK (EXTRACT(DAY FROM month) = 1),
    dimension TEXT NOT NULL CHECK (dimension IN ('kind', 'district', 'topic', 'referral', 'referral_done', 'new_family')),
    key TEXT NOT NULL,
    count BIGINT NOT NULL,
    PRIMARY KEY (programme_id, month, dimension, key)
);

-- Families with at least one visit in a year (a distinct count, so not a
-- sum of months).
CREATE TABLE report_year_families (
    programme_id BIGINT NOT NULL REFERENCES programmes (id) ON DELETE CASCADE,
    year INTEGER NOT NULL,
    reached BIGINT NOT NULL,
    PRIMARY KEY (programme_id, year)
);

-- Months whose counts must be recounted before they are read.
CREATE TABLE report_stale_months (
    programme_id BIGINT NOT NULL REFERENCES programmes (id) ON DELETE CASCADE,
    month DATE NOT NULL,
    PRIMARY KEY (programme_id, month)
);

-- Every month that has visits or new families starts stale.
INSERT INTO report_stale_months
    SELECT DISTINCT programme_id, date_trunc('month', visited_on)::date FROM visits
    UNION SELECT DISTINCT programme_id, date_trunc('month', first_contact_on)::date FROM families;

-- Statement-level triggers with transition tables: one INSERT of a million
-- visits marks each month once.
CREATE FUNCTION report_stale_visits() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO report_stale_months
            SELECT DISTINCT programme_id, date_trunc('month', visited_on)::date FROM new_rows
            ON CONFLICT DO NOTHING;
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        INSERT INTO report_stale_months
            SELECT DISTINCT o.programme_id, date_trunc('month', o.visited_on)::date FROM old_rows o
            WHERE EXISTS (SELECT 1 FROM programmes p WHERE p.id = o.programme_id)
            ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER visits_stale_insert AFTER INSERT ON visits
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_stale_visits();
CREATE TRIGGER visits_stale_update AFTER UPDATE ON visits
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_stale_visits();
CREATE TRIGGER visits_stale_delete AFTER DELETE ON visits
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION report_stale_visits();

-- Topics and referrals: the month of their visit.
CREATE FUNCTION report_stale_by_visit() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO report_stale_months
            SELECT DISTINCT v.programme_id, date_trunc('month', v.visited_on)::date
            FROM new_rows n JOIN visits v ON v.id = n.visit_id
            ON CONFLICT DO NOTHING;
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        INSERT INTO report_stale_months
            SELECT DISTINCT v.programme_id, date_trunc('month', v.visited_on)::date
            FROM old_rows o JOIN visits v ON v.id = o.visit_id
            ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER visit_topics_stale_insert AFTER INSERT ON visit_topics
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_stale_by_visit();
CREATE TRIGGER visit_topics_stale_delete AFTER DELETE ON visit_topics
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION report_stale_by_visit();
CREATE TRIGGER referrals_stale_insert AFTER INSERT ON referrals
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_stale_by_visit();
CREATE TRIGGER referrals_stale_update AFTER UPDATE ON referrals
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_stale_by_visit();
CREATE TRIGGER referrals_stale_delete AFTER DELETE ON referrals
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION report_stale_by_visit();

-- New families: the month of their first contact.
CREATE FUNCTION report_stale_families() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO report_stale_months
            SELECT DISTINCT programme_id, date_trunc('month', first_contact_on)::date FROM new_rows
            ON CONFLICT DO NOTHING;
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        INSERT INTO report_stale_months
            SELECT DISTINCT o.programme_id, date_trunc('month', o.first_contact_on)::date FROM old_rows o
            WHERE EXISTS (SELECT 1 FROM programmes p WHERE p.id = o.programme_id)
            ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER families_stale_insert AFTER INSERT ON families
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_stale_families();
CREATE TRIGGER families_stale_update AFTER UPDATE ON families
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_stale_families();
CREATE TRIGGER families_stale_delete AFTER DELETE ON families
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION report_stale_families();

-- A family or a mother moving to another district moves their visits.
CREATE FUNCTION report_stale_family_district() RETURNS trigger AS $$
BEGIN
    IF NEW.district_id IS DISTINCT FROM OLD.district_id THEN
        INSERT INTO report_stale_months
            SELECT DISTINCT programme_id, date_trunc('month', visited_on)::date
            FROM visits WHERE family_id = NEW.id
            ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER families_stale_district AFTER UPDATE OF district_id ON families
    FOR EACH ROW EXECUTE FUNCTION report_stale_family_district();

CREATE FUNCTION report_stale_mother_district() RETURNS trigger AS $$
BEGIN
    IF NEW.district_id IS DISTINCT FROM OLD.district_id THEN
        INSERT INTO report_stale_months
            SELECT DISTINCT programme_id, date_trunc('month', visited_on)::date
            FROM visits WHERE mother_id = NEW.id AND family_id IS NULL
            ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER mothers_stale_district AFTER UPDATE OF district_id ON mothers
    FOR EACH ROW EXECUTE FUNCTION report_stale_mother_district();

-- The grant report counts new families in a period.
CREATE INDEX families_first_contact_idx ON families (programme_id, first_contact_on);

-- The visit list, newest first, across programmes.
CREATE INDEX visits_date_idx ON visits (visited_on DESC, id DESC);
-- A mother's families (her profile).
CREATE INDEX families_primary_mother_idx ON families (primary_mother_id) WHERE primary_mother_id IS NOT NULL;
