-- Each family's last visit (not voided), kept on the family, so that the
-- follow-up figures ("no visit in 30 days") are an index range instead of
-- a look into the visits of every family: with a national programme's
-- hundreds of thousands of families and ten million visits, the one took
-- a millisecond and the other a tenth of a second per page.
ALTER TABLE families ADD COLUMN last_visit_on DATE;

-- The date is the visits' news, not the family's: it leaves the family's
-- `updated_at` alone (also while it is filled in below),
DROP TRIGGER set_updated_at ON families;
CREATE TRIGGER set_updated_at BEFORE UPDATE ON families FOR EACH ROW
    WHEN (NEW.last_visit_on IS NOT DISTINCT FROM OLD.last_visit_on)
    EXECUTE FUNCTION diesel_set_updated_at();

-- and the report marks: a family's change marks the month of its first
-- contact only when the month or the programme changed (before, every
-- update of a family marked it).
CREATE OR REPLACE FUNCTION report_stale_families() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO report_stale_months
            SELECT DISTINCT programme_id, date_trunc('month', first_contact_on)::date FROM new_rows
            ON CONFLICT DO NOTHING;
    ELSIF TG_OP = 'UPDATE' THEN
        INSERT INTO report_stale_months
            SELECT DISTINCT m.programme_id, m.month FROM new_rows n JOIN old_rows o ON o.id = n.id
            CROSS JOIN LATERAL (VALUES
                (n.programme_id, date_trunc('month', n.first_contact_on)::date),
                (o.programme_id, date_trunc('month', o.first_contact_on)::date)) m (programme_id, month)
            WHERE (n.programme_id, n.first_contact_on) IS DISTINCT FROM (o.programme_id, o.first_contact_on)
              AND EXISTS (SELECT 1 FROM programmes p WHERE p.id = m.programme_id)
            ON CONFLICT DO NOTHING;
    ELSE
        INSERT INTO report_stale_months
            SELECT DISTINCT o.programme_id, date_trunc('month', o.first_contact_on)::date FROM old_rows o
            WHERE EXISTS (SELECT 1 FROM programmes p WHERE p.id = o.programme_id)
            ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

UPDATE families f SET last_visit_on = x.last
FROM (SELECT family_id, max(visited_on) AS last FROM visits
      WHERE family_id IS NOT NULL AND voided_at IS NULL GROUP BY 1) x
WHERE f.id = x.family_id;

CREATE INDEX families_follow_up_idx ON families (programme_id, last_visit_on)
    WHERE status = 'active';

-- Kept by statement triggers with transition tables, as the report marks
-- are: one import of many visits updates each family once. A new visit
-- only moves the date forward; a changed, voided or deleted visit has its
-- families' dates recounted.
CREATE FUNCTION families_last_visit() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE families f SET last_visit_on = n.last
        FROM (SELECT family_id, max(visited_on) AS last FROM new_rows
              WHERE family_id IS NOT NULL AND voided_at IS NULL GROUP BY 1) n
        WHERE f.id = n.family_id AND (f.last_visit_on IS NULL OR f.last_visit_on < n.last);
    ELSIF TG_OP = 'UPDATE' THEN
        UPDATE families f SET last_visit_on = (
            SELECT max(v.visited_on) FROM visits v
            WHERE v.family_id = f.id AND v.voided_at IS NULL)
        WHERE f.id IN (
            SELECT x.family_id FROM new_rows n JOIN old_rows o ON o.id = n.id
            CROSS JOIN LATERAL (VALUES (n.family_id), (o.family_id)) x (family_id)
            WHERE x.family_id IS NOT NULL
              AND (n.family_id IS DISTINCT FROM o.family_id
                   OR n.visited_on <> o.visited_on
                   OR n.voided_at IS DISTINCT FROM o.voided_at));
    ELSE
        UPDATE families f SET last_visit_on = (
            SELECT max(v.visited_on) FROM visits v
            WHERE v.family_id = f.id AND v.voided_at IS NULL)
        WHERE f.id IN (SELECT family_id FROM old_rows WHERE family_id IS NOT NULL);
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER visits_last_visit_insert AFTER INSERT ON visits
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION families_last_visit();
CREATE TRIGGER visits_last_visit_update AFTER UPDATE ON visits
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION families_last_visit();
CREATE TRIGGER visits_last_visit_delete AFTER DELETE ON visits
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION families_last_visit();

-- This month's visits per mother (the coordinator's home) from the index
-- alone: the mother and the void mark ride along in the index on
-- (programme, date), which replaces the one without them.
CREATE INDEX visits_programme_date_with_mother_idx ON visits (programme_id, visited_on)
    INCLUDE (mother_id, voided_at);
DROP INDEX visits_programme_date_idx;

-- A mother's profile (her visits counted, her families with her last
-- visit of each) from the index on (mother, date) alone, likewise.
CREATE INDEX visits_mother_with_family_idx ON visits (mother_id, visited_on)
    INCLUDE (family_id, voided_at);
DROP INDEX visits_mother_idx;

-- The few voided visits, so that the open referrals can be counted as all
-- open referrals less those of voided visits, without looking up the
-- visit of each.
CREATE INDEX visits_voided_idx ON visits (programme_id) WHERE voided_at IS NOT NULL;
