-- Corrections (issue 14): a visit is voided with a reason, never deleted;
-- a referral has an outcome (done or not taken up) with a date and a note.

ALTER TABLE visits
    ADD COLUMN voided_at TIMESTAMPTZ,
    ADD COLUMN void_reason TEXT CHECK (char_length(void_reason) BETWEEN 1 AND 500),
    ADD COLUMN voided_by BIGINT REFERENCES users (id),
    ADD CONSTRAINT visits_void_check CHECK ((voided_at IS NULL) = (void_reason IS NULL));

-- The rules hold for what a change sets, not for what it leaves alone: a
-- visit of a mother who has since left can still be corrected or voided,
-- and a family closed since keeps its visits.
CREATE OR REPLACE FUNCTION visits_check_rules() RETURNS trigger AS $$
DECLARE
    mother_status TEXT;
    practice BOOLEAN;
    family_status TEXT;
BEGIN
    IF NEW.visited_on > current_date
       AND (TG_OP = 'INSERT' OR NEW.visited_on IS DISTINCT FROM OLD.visited_on) THEN
        RAISE EXCEPTION 'visit date % is in the future', NEW.visited_on
            USING ERRCODE = 'check_violation', CONSTRAINT = 'visits_not_in_future';
    END IF;
    IF TG_OP = 'INSERT' OR NEW.mother_id IS DISTINCT FROM OLD.mother_id THEN
        SELECT m.status, p.practice_visits_allowed INTO mother_status, practice
            FROM mothers m JOIN programmes p ON p.id = m.programme_id WHERE m.id = NEW.mother_id;
        IF mother_status NOT IN ('certified', 'active')
           AND NOT (mother_status = 'in_training' AND practice) THEN
            RAISE EXCEPTION 'mother % may not make visits (status %)', NEW.mother_id, mother_status
                USING ERRCODE = 'check_violation', CONSTRAINT = 'visits_mother_may_visit';
        END IF;
    END IF;
    IF NEW.family_id IS NOT NULL
       AND (TG_OP = 'INSERT' OR NEW.family_id IS DISTINCT FROM OLD.family_id) THEN
        SELECT status INTO family_status FROM families WHERE id = NEW.family_id;
        IF family_status = 'closed' THEN
            RAISE EXCEPTION 'family % is closed', NEW.family_id
                USING ERRCODE = 'check_violation', CONSTRAINT = 'visits_family_open';
        END IF;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

ALTER TABLE referrals DROP CONSTRAINT referrals_status_check;
ALTER TABLE referrals ADD CONSTRAINT referrals_status_check
    CHECK (status IN ('open', 'done', 'not_taken_up'));
ALTER TABLE referrals ADD COLUMN outcome_note TEXT NOT NULL DEFAULT ''
    CHECK (char_length(outcome_note) <= 2000);
-- The worklist by status, newest visit first or oldest.
CREATE INDEX referrals_status_idx ON referrals (programme_id, status);
