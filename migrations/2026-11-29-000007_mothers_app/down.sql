DROP INDEX visits_awaiting_review_idx;
ALTER TABLE visits DROP COLUMN reviewed_by, DROP COLUMN reviewed_at, DROP COLUMN entered_by_mother;
DROP TABLE invitations;
ALTER TABLE users DROP CONSTRAINT users_mother_role;
DROP INDEX users_mother_key;
ALTER TABLE users DROP COLUMN mother_id;
DELETE FROM users WHERE role = 'mother';
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check
    CHECK (role IN ('admin', 'manager', 'coordinator', 'trainer'));
