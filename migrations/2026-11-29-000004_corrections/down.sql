DROP INDEX referrals_status_idx;
ALTER TABLE referrals DROP COLUMN outcome_note;
UPDATE referrals SET status = 'done' WHERE status = 'not_taken_up';
ALTER TABLE referrals DROP CONSTRAINT referrals_status_check;
ALTER TABLE referrals ADD CONSTRAINT referrals_status_check CHECK (status IN ('open', 'done'));
ALTER TABLE visits DROP CONSTRAINT visits_void_check,
    DROP COLUMN voided_by, DROP COLUMN void_reason, DROP COLUMN voided_at;
