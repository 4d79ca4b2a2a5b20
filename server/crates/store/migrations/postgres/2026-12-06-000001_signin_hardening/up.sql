-- Verified e-mail addresses and integration tokens (postgres). Keep in step with ../sqlite.
-- When Hearth last learnt that the account's e-mail address is its owner's
-- (an administrator said so, or a sign-in provider reported it verified);
-- NULL while unverified. Single sign-on links only to verified addresses.
ALTER TABLE users ADD COLUMN email_verified_at BIGINT;
-- Access tokens marked as integration tokens survive password and MFA changes.
ALTER TABLE sessions ADD COLUMN integration BOOLEAN NOT NULL DEFAULT FALSE;
