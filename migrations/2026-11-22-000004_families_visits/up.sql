-- Families (pseudonymous), visits with topics and referrals, events.

-- Whether mothers still in training may make (practice) visits.
ALTER TABLE programmes ADD COLUMN practice_visits_allowed BOOLEAN NOT NULL DEFAULT false;

CREATE TABLE families (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    programme_id BIGINT NOT NULL REFERENCES programmes (id) ON DELETE RESTRICT,
    -- e.g. NK-0042: unique in the programme, generated.
    reference_number INTEGER NOT NULL CHECK (reference_number > 0),
    reference_code TEXT NOT NULL,
    district_id BIGINT,
    languages TEXT[] NOT NULL DEFAULT '{}',
    children_count SMALLINT NOT NULL DEFAULT 0 CHECK (children_count BETWEEN 0 AND 30),
    children_birth_years SMALLINT[] NOT NULL DEFAULT '{}',
    contact_origin TEXT NOT NULL
        CHECK (contact_origin IN ('own_network', 'authority', 'school_daycare', 'event', 'other')),
    first_contact_on DATE NOT NULL,
    consent_on DATE,
    consent_scope TEXT NOT NULL DEFAULT '' CHECK (char_length(consent_scope) <= 500),
    consent_recorded_by BIGINT REFERENCES users (id),
    primary_mother_id BIGINT,
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'closed')),
    closed_on DATE,
    closed_reason TEXT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT families_reference_key UNIQUE (programme_id, reference_number),
    CONSTRAINT families_code_key UNIQUE (programme_id, reference_code),
    CONSTRAINT families_district_fkey FOREIGN KEY (district_id, programme_id)
        REFERENCES districts (id, programme_id),
    CONSTRAINT families_mother_fkey FOREIGN KEY (primary_mother_id, programme_id)
        REFERENCES mothers (id, programme_id),
    CONSTRAINT families_id_programme_key UNIQUE (id, programme_id),
    CONSTRAINT families_closed_check CHECK (
        (status = 'active' AND closed_on IS NULL) OR (status = 'closed' AND closed_on IS NOT NULL))
);
SELECT diesel_manage_updated_at('families');

-- Personal data, apart: erasing it deletes this row; the family and its
-- visits stay counted. Only coordinators and admins ever read it.
CREATE TABLE family_personal (
    family_id BIGINT PRIMARY KEY REFERENCES families (id) ON DELETE CASCADE,
    name TEXT NOT NULL DEFAULT '' CHECK (char_length(name) <= 200),
    address TEXT NOT NULL DEFAULT '' CHECK (char_length(address) <= 500),
    phone TEXT NOT NULL DEFAULT '' CHECK (char_length(phone) <= 50),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- The visit topics: defaults (programme_id NULL, translated by key) and a
-- programme's own. Retired topics stay in history and reports.
CREATE TABLE topics (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    programme_id BIGINT REFERENCES programmes (id) ON DELETE RESTRICT,
    key TEXT CHECK (key ~ '^[a-z_]+$'),
    label TEXT NOT NULL CHECK (btrim(label) <> '' AND char_length(label) <= 200),
    retired_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK ((programme_id IS NULL) = (key IS NOT NULL))
);
CREATE UNIQUE INDEX topics_key ON topics (key) WHERE programme_id IS NULL;
CREATE UNIQUE INDEX topics_label_key ON topics (programme_id, lower(label)) WHERE programme_id IS NOT NULL;
SELECT diesel_manage_updated_at('topics');
INSERT INTO topics (key, label) VALUES
    ('children_upbringing', 'Children and upbringing'),
    ('health', 'Health'),
    ('schools', 'Schools'),
    ('day_care', 'Day care'),
    ('authorities', 'Contact with authorities'),
    ('economy', 'Economy'),
    ('work', 'Work'),
    ('language', 'Language'),
    ('law_residence', 'Law and residence'),
    ('housing', 'Housing'),
    ('loneliness', 'Loneliness');

CREATE TABLE visits (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    programme_id BIGINT NOT NULL,
    mother_id BIGINT NOT NULL,
    -- NULL for an anonymous or group contact.
    family_id BIGINT,
    visited_on DATE NOT NULL,
    duration_minutes INTEGER NOT NULL CHECK (duration_minutes BETWEEN 1 AND 1440),
    kind TEXT NOT NULL CHECK (kind IN ('home_visit', 'phone', 'accompaniment', 'group_meeting')),
    interpreter_used BOOLEAN NOT NULL DEFAULT false,
    next_step TEXT NOT NULL DEFAULT '' CHECK (char_length(next_step) <= 2000),
    -- Only coordinators and admins see the note.
    note TEXT NOT NULL DEFAULT '' CHECK (char_length(note) <= 10000),
    recorded_by BIGINT REFERENCES users (id),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- The mother and the family belong to the visit's programme.
    CONSTRAINT visits_mother_fkey FOREIGN KEY (mother_id, programme_id)
        REFERENCES mothers (id, programme_id),
    CONSTRAINT visits_family_fkey FOREIGN KEY (family_id, programme_id)
        REFERENCES families (id, programme_id)
);
CREATE INDEX visits_programme_date_idx ON visits (programme_id, visited_on);
CREATE INDEX visits_mother_idx ON visits (mother_id, visited_on);
CREATE INDEX visits_family_idx ON visits (family_id, visited_on);
SELECT diesel_manage_updated_at('visits');

-- The rules the database can hold on its own, as a backstop to the
-- application's checks (which give the friendlier messages).
CREATE FUNCTION visits_check_rules() RETURNS trigger AS $$
DECLARE
    mother_status TEXT;
    practice BOOLEAN;
    family_status TEXT;
BEGIN
    IF NEW.visited_on > current_date THEN
        RAISE EXCEPTION 'visit date % is in the future', NEW.visited_on
            USING ERRCODE = 'check_violation', CONSTRAINT = 'visits_not_in_future';
    END IF;
    SELECT m.status, p.practice_visits_allowed INTO mother_status, practice
        FROM mothers m JOIN programmes p ON p.id = m.programme_id WHERE m.id = NEW.mother_id;
    IF mother_status NOT IN ('certified', 'active')
       AND NOT (mother_status = 'in_training' AND practice) THEN
        RAISE EXCEPTION 'mother % may not make visits (status %)', NEW.mother_id, mother_status
            USING ERRCODE = 'check_violation', CONSTRAINT = 'visits_mother_may_visit';
    END IF;
    IF NEW.family_id IS NOT NULL AND TG_OP = 'INSERT' THEN
        SELECT status INTO family_status FROM families WHERE id = NEW.family_id;
        IF family_status = 'closed' THEN
            RAISE EXCEPTION 'family % is closed', NEW.family_id
                USING ERRCODE = 'check_violation', CONSTRAINT = 'visits_family_open';
        END IF;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER visits_check_rules BEFORE INSERT OR UPDATE ON visits
    FOR EACH ROW EXECUTE FUNCTION visits_check_rules();

CREATE TABLE visit_topics (
    visit_id BIGINT NOT NULL REFERENCES visits (id) ON DELETE CASCADE,
    topic_id BIGINT NOT NULL REFERENCES topics (id),
    PRIMARY KEY (visit_id, topic_id)
);
CREATE INDEX visit_topics_topic_idx ON visit_topics (topic_id);

CREATE TABLE referrals (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    programme_id BIGINT NOT NULL REFERENCES programmes (id) ON DELETE RESTRICT,
    visit_id BIGINT NOT NULL REFERENCES visits (id) ON DELETE CASCADE,
    service TEXT NOT NULL CHECK (service IN ('youth_welfare', 'school', 'day_care', 'health',
        'job_centre', 'housing', 'legal_advice', 'language_course', 'other')),
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done')),
    done_on DATE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT referrals_done_check CHECK ((status = 'open') = (done_on IS NULL))
);
CREATE INDEX referrals_open_idx ON referrals (programme_id) WHERE status = 'open';
CREATE INDEX referrals_visit_idx ON referrals (visit_id);
SELECT diesel_manage_updated_at('referrals');

CREATE TABLE events (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    programme_id BIGINT NOT NULL REFERENCES programmes (id) ON DELETE RESTRICT,
    district_id BIGINT,
    kind TEXT NOT NULL CHECK (kind IN ('event', 'workshop', 'information_session', 'excursion')),
    title TEXT NOT NULL CHECK (btrim(title) <> '' AND char_length(title) <= 200),
    held_on DATE NOT NULL,
    migrant_participants INTEGER NOT NULL DEFAULT 0 CHECK (migrant_participants >= 0),
    local_participants INTEGER NOT NULL DEFAULT 0 CHECK (local_participants >= 0),
    interpreter_languages TEXT[] NOT NULL DEFAULT '{}',
    note TEXT NOT NULL DEFAULT '' CHECK (char_length(note) <= 10000),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT events_district_fkey FOREIGN KEY (district_id, programme_id)
        REFERENCES districts (id, programme_id),
    CONSTRAINT events_id_programme_key UNIQUE (id, programme_id)
);
CREATE INDEX events_programme_date_idx ON events (programme_id, held_on);
SELECT diesel_manage_updated_at('events');

CREATE TABLE event_mothers (
    event_id BIGINT NOT NULL,
    mother_id BIGINT NOT NULL,
    programme_id BIGINT NOT NULL,
    PRIMARY KEY (event_id, mother_id),
    FOREIGN KEY (event_id, programme_id) REFERENCES events (id, programme_id) ON DELETE CASCADE,
    FOREIGN KEY (mother_id, programme_id) REFERENCES mothers (id, programme_id)
);
