-- Run once by the postgres image, on an empty volume: the application role the
-- server answers requests as (README, "Database roles"). The tables belong to
-- POSTGRES_USER, which runs the migrations (DATABASE_OWNER_URL). Change the
-- password here and in DATABASE_URL together.
CREATE ROLE nm_app LOGIN PASSWORD 'change-me-too';
