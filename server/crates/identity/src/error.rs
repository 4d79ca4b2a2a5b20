//! The crate's single error type.
//!
//! Every variant maps to a stable machine code ([`IdentityError::code`]) that the server
//! logs, audits and sends to the admin console. Login failures additionally map to a
//! coarse user-facing code ([`IdentityError::public_code`]) so that, for example, an
//! unknown login and a wrong password look the same to the person signing in.

use thiserror::Error;

/// Result alias used throughout the crate.
pub type Result<T, E = IdentityError> = std::result::Result<T, E>;

/// Everything that can go wrong in external identity handling.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum IdentityError {
    /// A configuration value is unusable.
    #[error("invalid configuration `{field}`: {detail}")]
    Config { field: String, detail: String },

    /// A TOTP secret could not be decoded or has the wrong length.
    #[error("invalid TOTP secret: {0}")]
    TotpSecret(String),

    /// The LDAP host name did not resolve.
    #[error("cannot resolve LDAP host `{host}`: {detail}")]
    LdapDns { host: String, detail: String },

    /// TCP connection to the LDAP server was refused or failed.
    #[error("cannot connect to LDAP server {url}: {detail}")]
    LdapConnect { url: String, detail: String },

    /// An LDAP step took longer than the configured timeout.
    #[error("LDAP {operation} timed out after {after_ms} ms")]
    LdapTimeout { operation: String, after_ms: u64 },

    /// TLS (LDAPS or StartTLS) could not be established, e.g. untrusted certificate.
    #[error("TLS with LDAP server {url} failed: {detail}")]
    LdapTls { url: String, detail: String },

    /// The service account could not bind.
    #[error("service account bind as `{dn}` failed: {detail}")]
    LdapServiceBind { dn: String, detail: String },

    /// A configured search filter is not valid RFC 4515 syntax.
    #[error("invalid LDAP filter `{filter}`")]
    LdapFilterSyntax { filter: String },

    /// The base DN (or group base DN) does not exist on the server.
    #[error("base DN `{dn}` does not exist on the LDAP server")]
    LdapBaseDnMissing { dn: String },

    /// No directory entry matched the login.
    #[error("no directory user matches login `{login}`")]
    LdapUserNotFound { login: String },

    /// More than one directory entry matched the login.
    #[error("{count} directory users match login `{login}`; the login attribute must be unique")]
    LdapAmbiguousUser { login: String, count: usize },

    /// A required attribute is absent on a directory entry.
    #[error("attribute `{attribute}` is missing on `{dn}`")]
    LdapAttributeMissing { dn: String, attribute: String },

    /// The user entry exists but the password was rejected.
    #[error("wrong password for `{dn}`")]
    LdapWrongPassword { dn: String },

    /// The password was right but the account is disabled in the directory.
    #[error("directory account `{dn}` is disabled")]
    LdapUserDisabled { dn: String },

    /// The server answered an operation with an error result.
    #[error("LDAP {operation} failed: {detail}")]
    LdapOperation { operation: String, detail: String },

    /// The OpenID provider id is not configured.
    #[error("unknown OpenID provider `{0}`")]
    OidcUnknownProvider(String),

    /// Discovery document or JWKS could not be fetched or parsed.
    #[error("OpenID discovery for `{issuer}` failed: {detail}")]
    OidcDiscovery { issuer: String, detail: String },

    /// The pending login has expired.
    #[error("the sign-in attempt expired; start again")]
    OidcLoginExpired,

    /// The callback's `state` does not match the pending login (possible CSRF).
    #[error("callback state does not match the pending sign-in")]
    OidcStateMismatch,

    /// The provider redirected back with an error.
    #[error("the provider returned `{error}`: {description}")]
    OidcProviderError { error: String, description: String },

    /// Exchanging the authorization code failed (e.g. code reused or expired).
    #[error("code exchange failed: {0}")]
    OidcTokenExchange(String),

    /// The token response carried no ID token.
    #[error("the provider returned no ID token")]
    OidcIdTokenMissing,

    /// The ID token signature is invalid or signed by an unknown key.
    #[error("ID token signature invalid: {0}")]
    OidcSignature(String),

    /// The ID token's issuer is not the configured issuer.
    #[error("ID token issuer invalid: {0}")]
    OidcIssuer(String),

    /// The ID token is not meant for this client.
    #[error("ID token audience invalid: {0}")]
    OidcAudience(String),

    /// The ID token is expired or issued in the future (beyond the allowed skew).
    #[error("ID token expired or not yet valid: {0}")]
    OidcExpired(String),

    /// The ID token nonce does not match the pending login (possible replay).
    #[error("ID token nonce invalid: {0}")]
    OidcNonce(String),

    /// Any other ID token validation failure.
    #[error("ID token invalid: {0}")]
    OidcIdToken(String),

    /// The userinfo endpoint failed or returned another subject.
    #[error("userinfo request failed: {0}")]
    OidcUserInfo(String),

    /// A claim required by the claim mapping is absent.
    #[error("claim `{0}` is missing")]
    OidcClaimMissing(String),

    /// An HTTP request to the provider failed.
    #[error("HTTP request to the provider failed: {0}")]
    Http(String),
}

impl IdentityError {
    /// Stable machine code for logs, audit records and the admin console.
    pub fn code(&self) -> &'static str {
        use IdentityError::*;
        match self {
            Config { .. } => "config.invalid",
            TotpSecret(_) => "totp.invalid_secret",
            LdapDns { .. } => "ldap.dns",
            LdapConnect { .. } => "ldap.connect",
            LdapTimeout { .. } => "ldap.timeout",
            LdapTls { .. } => "ldap.tls",
            LdapServiceBind { .. } => "ldap.service_bind",
            LdapFilterSyntax { .. } => "ldap.filter_syntax",
            LdapBaseDnMissing { .. } => "ldap.base_dn_missing",
            LdapUserNotFound { .. } => "ldap.user_not_found",
            LdapAmbiguousUser { .. } => "ldap.ambiguous_user",
            LdapAttributeMissing { .. } => "ldap.attribute_missing",
            LdapWrongPassword { .. } => "ldap.wrong_password",
            LdapUserDisabled { .. } => "ldap.user_disabled",
            LdapOperation { .. } => "ldap.operation",
            OidcUnknownProvider(_) => "oidc.unknown_provider",
            OidcDiscovery { .. } => "oidc.discovery",
            OidcLoginExpired => "oidc.login_expired",
            OidcStateMismatch => "oidc.state_mismatch",
            OidcProviderError { .. } => "oidc.provider_error",
            OidcTokenExchange(_) => "oidc.token_exchange",
            OidcIdTokenMissing => "oidc.id_token_missing",
            OidcSignature(_) => "oidc.id_token_signature",
            OidcIssuer(_) => "oidc.id_token_issuer",
            OidcAudience(_) => "oidc.id_token_audience",
            OidcExpired(_) => "oidc.id_token_expired",
            OidcNonce(_) => "oidc.id_token_nonce",
            OidcIdToken(_) => "oidc.id_token_invalid",
            OidcUserInfo(_) => "oidc.userinfo",
            OidcClaimMissing(_) => "oidc.claim_missing",
            Http(_) => "http.request",
        }
    }

    /// Coarse code that is safe to show to the person signing in.
    ///
    /// Unknown login, ambiguous login and wrong password all become
    /// `auth.invalid_credentials`, so the login form cannot be used to probe which
    /// accounts exist. Infrastructure failures become `auth.unavailable`.
    pub fn public_code(&self) -> &'static str {
        use IdentityError::*;
        match self {
            LdapUserNotFound { .. } | LdapAmbiguousUser { .. } | LdapWrongPassword { .. } => {
                "auth.invalid_credentials"
            }
            LdapUserDisabled { .. } => "auth.account_disabled",
            OidcLoginExpired | OidcStateMismatch => "auth.login_expired",
            OidcProviderError { .. } => "auth.provider_refused",
            OidcTokenExchange(_) | OidcIdTokenMissing | OidcSignature(_) | OidcIssuer(_)
            | OidcAudience(_) | OidcExpired(_) | OidcNonce(_) | OidcIdToken(_)
            | OidcClaimMissing(_) => "auth.invalid_response",
            OidcUnknownProvider(_) => "auth.unknown_provider",
            _ => "auth.unavailable",
        }
    }
}
