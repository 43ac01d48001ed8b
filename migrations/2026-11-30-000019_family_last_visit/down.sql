DROP INDEX visits_voided_idx;
CREATE INDEX visits_programme_date_idx ON visits (programme_id, visited_on);
DROP INDEX visits_programme_date_with_mother_idx;
CREATE INDEX visits_mother_idx ON visits (mother_id, visited_on);
DROP INDEX visits_mother_with_family_idx;
DROP TRIGGER set_updated_at ON families;
CREATE TRIGGER set_updated_at BEFORE UPDATE ON families FOR EACH ROW
    EXECUTE FUNCTION diesel_set_updated_at();
DROP TRIGGER visits_last_visit_insert ON visits;
DROP TRIGGER visits_last_visit_update ON visits;
DROP TRIGGER visits_last_visit_delete ON visits;
DROP FUNCTION families_last_visit();
DROP INDEX families_follow_up_idx;
ALTER TABLE families DROP COLUMN last_visit_on;
CREATE OR REPLACE FUNCTION report_stale_families() RETURNS trigger AS $$
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
