-- A programme's own texts for its good-practice profile (the Intercultural
-- Cities / Cities of Migration template): its goal, how it works, who
-- benefits, and how it is evaluated. The figures come from the live data.
CREATE TABLE programme_profiles (
    programme_id BIGINT PRIMARY KEY REFERENCES programmes (id) ON DELETE CASCADE,
    goal TEXT NOT NULL DEFAULT '' CHECK (length(goal) <= 4000),
    approach TEXT NOT NULL DEFAULT '' CHECK (length(approach) <= 4000),
    beneficiaries TEXT NOT NULL DEFAULT '' CHECK (length(beneficiaries) <= 4000),
    evaluation TEXT NOT NULL DEFAULT '' CHECK (length(evaluation) <= 4000),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
