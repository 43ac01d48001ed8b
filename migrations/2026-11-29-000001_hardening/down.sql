UPDATE login_attempts SET outcome = 'failure' WHERE outcome = 'pending';
ALTER TABLE login_attempts DROP CONSTRAINT login_attempts_outcome_check;
ALTER TABLE login_attempts ADD CONSTRAINT login_attempts_outcome_check
    CHECK (outcome IN ('success', 'failure', 'locked'));
ALTER TABLE api_tokens DROP COLUMN expires_at;
DROP TABLE server_keys;
