-- A programme's visit plan: numbered visits that build on each other
-- (Berlin: ten), each with the topics planned for it. A family's progress
-- is its count of visits against the plan.
CREATE TABLE visit_plan_steps (
    programme_id BIGINT NOT NULL REFERENCES programmes (id) ON DELETE CASCADE,
    number INT NOT NULL CHECK (number BETWEEN 1 AND 50),
    topic_ids BIGINT[] NOT NULL DEFAULT '{}',
    note TEXT NOT NULL DEFAULT '' CHECK (length(note) <= 500),
    PRIMARY KEY (programme_id, number)
);
