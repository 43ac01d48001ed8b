-- An optional participant register per programme: pseudonymous people
-- (a code, never a name) who take part in events, local or migrant, with
-- their country of origin and age band, so that reports count distinct
-- people rather than a sum of per-event counts; their attendance per
-- event; and integration partnerships (a local and a migrant participant
-- paired for a while).
CREATE TABLE participants (
    id BIGSERIAL PRIMARY KEY,
    programme_id BIGINT NOT NULL REFERENCES programmes (id) ON DELETE CASCADE,
    code TEXT NOT NULL CHECK (length(code) BETWEEN 1 AND 40),
    origin TEXT NOT NULL CHECK (origin IN ('local', 'migrant')),
    country TEXT CHECK (country ~ '^[A-Z]{2}$'),
    age_band TEXT CHECK (age_band IN ('under_18', '18_29', '30_44', '45_64', '65_plus')),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (programme_id, code),
    UNIQUE (id, programme_id)
);

CREATE TABLE event_participants (
    event_id BIGINT NOT NULL,
    participant_id BIGINT NOT NULL,
    programme_id BIGINT NOT NULL,
    PRIMARY KEY (event_id, participant_id),
    FOREIGN KEY (event_id, programme_id) REFERENCES events (id, programme_id) ON DELETE CASCADE,
    FOREIGN KEY (participant_id, programme_id)
        REFERENCES participants (id, programme_id) ON DELETE CASCADE
);
CREATE INDEX event_participants_participant ON event_participants (participant_id);

CREATE TABLE partnerships (
    id BIGSERIAL PRIMARY KEY,
    programme_id BIGINT NOT NULL,
    local_id BIGINT NOT NULL,
    migrant_id BIGINT NOT NULL,
    started_on DATE NOT NULL,
    ended_on DATE CHECK (ended_on >= started_on),
    FOREIGN KEY (local_id, programme_id)
        REFERENCES participants (id, programme_id) ON DELETE CASCADE,
    FOREIGN KEY (migrant_id, programme_id)
        REFERENCES participants (id, programme_id) ON DELETE CASCADE
);
CREATE INDEX partnerships_programme ON partnerships (programme_id, started_on);
