-- Only possible while no referral or event uses a programme's own entry.
ALTER TABLE events ADD CONSTRAINT events_kind_check
    CHECK (kind IN ('event', 'workshop', 'information_session', 'excursion'));
ALTER TABLE referrals ADD CONSTRAINT referrals_service_check
    CHECK (service IN ('youth_welfare', 'school', 'day_care', 'health', 'job_centre', 'housing',
                       'legal_advice', 'language_course', 'other'));
DELETE FROM topics WHERE list <> 'topic';
DROP INDEX topics_label_key;
CREATE UNIQUE INDEX topics_label_key ON topics (programme_id, lower(label)) WHERE programme_id IS NOT NULL;
DROP INDEX topics_key;
CREATE UNIQUE INDEX topics_key ON topics (key) WHERE programme_id IS NULL;
ALTER TABLE topics DROP COLUMN list;
