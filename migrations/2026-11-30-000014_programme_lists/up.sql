-- Programmes name their own referral services and event kinds, as they
-- name their own visit topics: one table of programme lists. A list's
-- defaults have a key (translated in the pages); a programme's own
-- entries have a label. Referrals and events keep storing a text code:
-- a default's key (so every existing row stays valid) or, for an own
-- entry, its id in decimal (keys are lower-case letters, so they never
-- clash). Renaming or retiring an entry never touches the rows using it.
ALTER TABLE topics ADD COLUMN list TEXT NOT NULL DEFAULT 'topic'
    CONSTRAINT topics_list_check CHECK (list IN ('topic', 'service', 'event_kind'));

DROP INDEX topics_key;
CREATE UNIQUE INDEX topics_key ON topics (list, key) WHERE programme_id IS NULL;
DROP INDEX topics_label_key;
CREATE UNIQUE INDEX topics_label_key ON topics (list, programme_id, lower(label))
    WHERE programme_id IS NOT NULL;

INSERT INTO topics (list, key, label) VALUES
    ('service', 'youth_welfare', 'Youth welfare office'),
    ('service', 'school', 'School'),
    ('service', 'day_care', 'Day care'),
    ('service', 'health', 'Health service'),
    ('service', 'job_centre', 'Job centre'),
    ('service', 'housing', 'Housing'),
    ('service', 'legal_advice', 'Legal advice'),
    ('service', 'language_course', 'Language course'),
    ('service', 'other', 'Other'),
    ('event_kind', 'event', 'Event'),
    ('event_kind', 'workshop', 'Workshop'),
    ('event_kind', 'information_session', 'Information session'),
    ('event_kind', 'excursion', 'Excursion');

-- The codes are checked by the use cases against the programme's list.
ALTER TABLE referrals DROP CONSTRAINT referrals_service_check;
ALTER TABLE events DROP CONSTRAINT events_kind_check;
