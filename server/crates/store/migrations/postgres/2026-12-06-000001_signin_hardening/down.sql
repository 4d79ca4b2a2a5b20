ALTER TABLE sessions DROP COLUMN integration;
ALTER TABLE users DROP COLUMN email_verified_at;
