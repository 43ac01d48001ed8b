-- Mothers (outreach workers) and their training: curriculum topics and the
-- programme's curriculum template, courses with modules, enrolments,
-- attendance, completion and certification.

-- The share of a course's modules a mother must attend to complete it.
ALTER TABLE programmes
    ADD COLUMN completion_threshold_percent SMALLINT NOT NULL DEFAULT 80
        CHECK (completion_threshold_percent BETWEEN 1 AND 100);

-- For composite foreign keys that keep records within one programme.
ALTER TABLE districts ADD CONSTRAINT districts_id_programme_key UNIQUE (id, programme_id);

CREATE TABLE mothers (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    programme_id BIGINT NOT NULL REFERENCES programmes (id) ON DELETE RESTRICT,
    district_id BIGINT,
    full_name TEXT NOT NULL CHECK (btrim(full_name) <> '' AND char_length(full_name) <= 200),
    phone TEXT NOT NULL CHECK (char_length(phone) <= 50),
    email TEXT CHECK (email IS NULL OR email ~ '^[^@[:space:]]+@[^@[:space:]]+$'),
    -- ISO 639 codes, lower case
    languages TEXT[] NOT NULL DEFAULT '{}',
    -- ISO 3166-1 alpha-2
    country_of_origin TEXT CHECK (country_of_origin ~ '^[A-Z]{2}$'),
    gender TEXT NOT NULL CHECK (gender IN ('female', 'male', 'diverse', 'undisclosed')),
    engagement TEXT NOT NULL CHECK (engagement IN ('volunteer', 'allowance', 'employed')),
    -- In the programme's currency, minor units; required for an allowance.
    monthly_allowance_minor BIGINT CHECK (monthly_allowance_minor >= 0),
    joined_on DATE NOT NULL,
    status TEXT NOT NULL DEFAULT 'applicant'
        CHECK (status IN ('applicant', 'in_training', 'certified', 'active', 'paused', 'left')),
    note TEXT NOT NULL DEFAULT '' CHECK (char_length(note) <= 10000),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT mothers_district_fkey FOREIGN KEY (district_id, programme_id)
        REFERENCES districts (id, programme_id),
    CONSTRAINT mothers_allowance_check CHECK (
        (engagement = 'allowance' AND monthly_allowance_minor IS NOT NULL)
        OR (engagement = 'volunteer' AND monthly_allowance_minor IS NULL)
        OR engagement = 'employed'),
    CONSTRAINT mothers_id_programme_key UNIQUE (id, programme_id)
);
CREATE INDEX mothers_programme_idx ON mothers (programme_id, status);
CREATE INDEX mothers_name_idx ON mothers (programme_id, lower(full_name));
CREATE INDEX mothers_languages_idx ON mothers USING gin (languages);
SELECT diesel_manage_updated_at('mothers');

-- Every status change: when, by whom, why.
CREATE TABLE mother_status_changes (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    mother_id BIGINT NOT NULL REFERENCES mothers (id) ON DELETE CASCADE,
    from_status TEXT,
    to_status TEXT NOT NULL
        CHECK (to_status IN ('applicant', 'in_training', 'certified', 'active', 'paused', 'left')),
    changed_on DATE NOT NULL,
    changed_by BIGINT REFERENCES users (id),
    reason TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX mother_status_changes_mother_idx ON mother_status_changes (mother_id, changed_on);

-- Curriculum topics: the defaults (programme_id NULL) and a programme's own.
CREATE TABLE curriculum_topics (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    programme_id BIGINT REFERENCES programmes (id) ON DELETE RESTRICT,
    -- Defaults carry a key (their label is translated); a programme's own
    -- topics carry their label.
    key TEXT CHECK (key ~ '^[a-z_]+$'),
    label TEXT NOT NULL CHECK (btrim(label) <> '' AND char_length(label) <= 200),
    retired_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK ((programme_id IS NULL) = (key IS NOT NULL))
);
CREATE UNIQUE INDEX curriculum_topics_key ON curriculum_topics (key) WHERE programme_id IS NULL;
CREATE UNIQUE INDEX curriculum_topics_label_key ON curriculum_topics (programme_id, lower(label))
    WHERE programme_id IS NOT NULL;
SELECT diesel_manage_updated_at('curriculum_topics');
INSERT INTO curriculum_topics (key, label) VALUES
    ('immigration_residence', 'Immigration and residence'),
    ('language', 'Language'),
    ('work', 'Work'),
    ('health', 'Health'),
    ('law', 'Law'),
    ('childcare', 'Childcare'),
    ('child_development', 'Child development'),
    ('schools', 'Schools');

-- A programme's curriculum template: the modules a new course starts with.
CREATE TABLE curriculum_template_modules (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    programme_id BIGINT NOT NULL REFERENCES programmes (id) ON DELETE CASCADE,
    position INTEGER NOT NULL CHECK (position > 0),
    title TEXT NOT NULL CHECK (btrim(title) <> '' AND char_length(title) <= 200),
    topic_id BIGINT NOT NULL REFERENCES curriculum_topics (id),
    minutes INTEGER NOT NULL CHECK (minutes BETWEEN 1 AND 1440),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX curriculum_template_modules_programme_idx ON curriculum_template_modules (programme_id, position);
SELECT diesel_manage_updated_at('curriculum_template_modules');

CREATE TABLE courses (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    programme_id BIGINT NOT NULL REFERENCES programmes (id) ON DELETE RESTRICT,
    name TEXT NOT NULL CHECK (btrim(name) <> '' AND char_length(name) <= 200),
    trainer_id BIGINT NOT NULL REFERENCES users (id),
    location TEXT NOT NULL DEFAULT '' CHECK (char_length(location) <= 200),
    starts_on DATE NOT NULL,
    ends_on DATE NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT courses_dates_check CHECK (ends_on >= starts_on),
    CONSTRAINT courses_id_programme_key UNIQUE (id, programme_id)
);
CREATE UNIQUE INDEX courses_name_key ON courses (programme_id, lower(name));
CREATE INDEX courses_programme_idx ON courses (programme_id, starts_on);
SELECT diesel_manage_updated_at('courses');

CREATE TABLE course_modules (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    course_id BIGINT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    position INTEGER NOT NULL CHECK (position > 0),
    title TEXT NOT NULL CHECK (btrim(title) <> '' AND char_length(title) <= 200),
    topic_id BIGINT NOT NULL REFERENCES curriculum_topics (id),
    -- NULL: not scheduled yet (a module copied from the template).
    held_on DATE,
    minutes INTEGER NOT NULL CHECK (minutes BETWEEN 1 AND 1440),
    interpreter_languages TEXT[] NOT NULL DEFAULT '{}',
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX course_modules_course_idx ON course_modules (course_id, position);
SELECT diesel_manage_updated_at('course_modules');

CREATE TABLE enrolments (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    programme_id BIGINT NOT NULL,
    course_id BIGINT NOT NULL,
    mother_id BIGINT NOT NULL,
    enrolled_on DATE NOT NULL,
    status TEXT NOT NULL DEFAULT 'enrolled' CHECK (status IN ('enrolled', 'completed', 'dropped_out')),
    completed_on DATE,
    certified_on DATE,
    dropped_out_on DATE,
    drop_out_reason TEXT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- The mother and the course belong to the same programme.
    CONSTRAINT enrolments_course_fkey FOREIGN KEY (course_id, programme_id)
        REFERENCES courses (id, programme_id) ON DELETE CASCADE,
    CONSTRAINT enrolments_mother_fkey FOREIGN KEY (mother_id, programme_id)
        REFERENCES mothers (id, programme_id),
    CONSTRAINT enrolments_course_mother_key UNIQUE (course_id, mother_id),
    CONSTRAINT enrolments_state_check CHECK (
        (status = 'enrolled' AND completed_on IS NULL AND dropped_out_on IS NULL)
        OR (status = 'completed' AND completed_on IS NOT NULL AND dropped_out_on IS NULL)
        OR (status = 'dropped_out' AND dropped_out_on IS NOT NULL AND drop_out_reason IS NOT NULL
            AND completed_on IS NULL)),
    CONSTRAINT enrolments_certified_check CHECK (certified_on IS NULL OR certified_on >= completed_on)
);
CREATE INDEX enrolments_mother_idx ON enrolments (mother_id);
CREATE INDEX enrolments_completed_idx ON enrolments (programme_id, completed_on) WHERE status = 'completed';
SELECT diesel_manage_updated_at('enrolments');

CREATE TABLE attendance (
    enrolment_id BIGINT NOT NULL REFERENCES enrolments (id) ON DELETE CASCADE,
    module_id BIGINT NOT NULL REFERENCES course_modules (id) ON DELETE CASCADE,
    status TEXT NOT NULL CHECK (status IN ('present', 'absent', 'excused')),
    recorded_by BIGINT REFERENCES users (id),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (enrolment_id, module_id)
);
CREATE INDEX attendance_module_idx ON attendance (module_id);
