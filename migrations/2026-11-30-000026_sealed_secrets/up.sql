-- The one-time password secrets (users.totp_secret) are sealed too
-- (crypto::SealedBytes). A database that finished a pass before they were
-- counted in it is passed over once more at the next start (crypto::reseal).
UPDATE data_keys SET resealed_at = NULL;
