DROP TABLE session_sso;
DROP TABLE auth_challenges;
DROP TABLE login_failures;
DROP TABLE mfa_recovery_codes;
DROP TABLE user_auth;
