-- Enterprise sign-in (SQLite). Keep in step with ../postgres.

-- Where an account's credentials live, its link to the directory or an OpenID
-- provider, what directory sync granted, and its second factor. One row per
-- account that is external or has MFA; absent means a local account without MFA.
CREATE TABLE user_auth (
    user_id TEXT PRIMARY KEY NOT NULL REFERENCES users(id),
    -- local | ldap | oidc
    source TEXT NOT NULL,
    -- OpenID provider id; empty for local and LDAP accounts.
    provider TEXT NOT NULL,
    -- LDAP stable id (entryUUID, objectGUID) or OpenID subject.
    external_id TEXT,
    -- JSON memberships that sync granted (only these are revoked by sync).
    synced TEXT NOT NULL,
    -- Base32 TOTP secret; set at enrolment, active once mfa_enabled.
    mfa_secret TEXT,
    mfa_enabled BOOLEAN NOT NULL,
    -- Last accepted TOTP time step (replay protection).
    mfa_last_step BIGINT,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX user_auth_external ON user_auth(source, provider, external_id);

-- SHA-256 of unused recovery codes; a used code's row is deleted.
CREATE TABLE mfa_recovery_codes (
    user_id TEXT NOT NULL REFERENCES users(id),
    code_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, code_hash)
);

-- Failed logins per typed login (hashed), for temporary lockout. Kept for
-- logins that match no account too, so lockout does not reveal existence.
CREATE TABLE login_failures (
    login_hash TEXT PRIMARY KEY NOT NULL,
    failures INTEGER NOT NULL,
    last_failure_at BIGINT NOT NULL,
    locked_until BIGINT
);

-- Short-lived, single-use sign-in steps, stored by the SHA-256 of their secret:
-- `mfa` (password accepted, second factor pending) and `oidc` (the PKCE
-- verifier, state and nonce of a redirect to an OpenID provider).
CREATE TABLE auth_challenges (
    id_hash TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL,
    user_id TEXT,
    data TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);

-- How a session was opened, for RP-initiated logout at the OpenID provider.
CREATE TABLE session_sso (
    session_id TEXT PRIMARY KEY NOT NULL REFERENCES sessions(id),
    provider TEXT NOT NULL,
    id_token TEXT NOT NULL
);
