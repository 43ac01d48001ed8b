DROP INDEX audit_events_actor_idx;
ALTER TABLE audit_events DROP CONSTRAINT audit_events_actor_fkey;
DROP TABLE login_attempts;
DROP TABLE sessions;
DROP TABLE api_tokens;
DROP TABLE user_programmes;
DROP TABLE users;
