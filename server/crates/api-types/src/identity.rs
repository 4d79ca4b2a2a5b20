//! Enterprise sign-in: MFA, single sign-on providers and LDAP administration.

use serde::{Deserialize, Serialize};

use crate::{LoginResponse, Millis};

/// The answer to a login: a session, or a second-factor challenge.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(untagged)]
pub enum LoginOutcome {
    Session(LoginResponse),
    Mfa(MfaChallenge),
}

/// The password was right; a second factor is needed before a session opens.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MfaChallenge {
    /// Always `true`; lets clients tell this answer from a session.
    pub mfa_required: bool,
    /// Single-use token for `POST /users/login/mfa` (and `/users/login/mfa/enrol`).
    pub mfa_token: String,
    /// MFA is enforced for this account but not set up yet: call
    /// `POST /users/login/mfa/enrol` first, then confirm with a code.
    pub enrolment_required: bool,
    /// When the token stops working.
    pub expires_at: Millis,
}

/// Second step of a login: a TOTP code or one recovery code.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LoginMfaRequest {
    pub mfa_token: String,
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub recovery_code: Option<String>,
}

/// Enrolment during a login that requires MFA.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LoginMfaEnrolRequest {
    pub mfa_token: String,
}

/// A login completed with a second factor; `recovery_codes` is set (shown
/// once) when the login also finished an enforced enrolment.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MfaLoginResponse {
    #[serde(flatten)]
    pub session: LoginResponse,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recovery_codes: Option<Vec<String>>,
}

/// A TOTP secret to add to an authenticator app.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MfaEnrolment {
    /// Base32 secret, for typing into the app by hand.
    pub secret: String,
    /// `otpauth://totp/…` URI, for a QR code.
    pub otpauth_uri: String,
}

/// A current TOTP code.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MfaCodeRequest {
    pub code: String,
}

/// One-time recovery codes, shown once.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecoveryCodes {
    pub recovery_codes: Vec<String>,
}

/// The caller's second-factor state.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MfaStatus {
    pub enabled: bool,
    /// The server requires MFA for this account.
    pub required: bool,
    pub recovery_codes_left: u32,
}

/// A single sign-on provider for the login page.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuthProvider {
    pub id: String,
    pub display_name: String,
    /// `oidc`.
    pub kind: String,
    /// Where the browser goes to start the sign-in.
    pub login_url: String,
}

/// What the login page offers.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuthProviders {
    pub providers: Vec<AuthProvider>,
    /// The password form also accepts directory (LDAP) accounts.
    pub ldap: bool,
}

/// The session's CSRF token (for clients signed in by a redirect).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CsrfTokenResponse {
    pub csrf_token: String,
}

/// Logout of a single sign-on session: visit `logout_url` to end the
/// session at the provider too.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LogoutResponse {
    pub logout_url: Option<String>,
}

/// Checks one directory login: lookup, attributes, groups and, with a
/// password, the bind.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LdapTestUserRequest {
    pub login: String,
    #[serde(default)]
    pub password: Option<String>,
}

/// One diagnostic step.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LdapCheckStep {
    /// `config`, `resolve_host`, `tcp_connect`, `tls_handshake`, `service_bind`,
    /// `base_dn`, `user_filter`, `attributes`, `groups`, `disabled_filter`,
    /// `find_user`, `user_attributes`, `user_groups`, `user_disabled`, `user_bind`.
    pub check: String,
    /// `ok`, `warning`, `failed` or `skipped`.
    pub status: String,
    pub detail: String,
    /// Machine code of the failure, e.g. `ldap.service_bind`.
    pub code: Option<String>,
    pub elapsed_ms: u64,
}

/// The result of a connection or user test; `steps` stop at the first failure.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LdapDiagnosis {
    pub ok: bool,
    pub steps: Vec<LdapCheckStep>,
}

/// Counts of one sync run.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LdapSyncReport {
    pub users_seen: u64,
    pub groups_seen: u64,
    pub created: u64,
    pub updated: u64,
    pub deactivated: u64,
    pub reactivated: u64,
    pub memberships_added: u64,
    pub memberships_removed: u64,
    pub memberships_changed: u64,
    pub role_changes: u64,
    pub issues: u64,
    /// What could not be done (`code`, `subject`, `detail`), including
    /// memberships whose team or channel does not exist.
    pub errors: Vec<LdapSyncIssue>,
    pub started_at: Millis,
    pub finished_at: Millis,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LdapSyncIssue {
    pub code: String,
    pub subject: String,
    pub detail: String,
}

/// Directory sync state.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LdapStatus {
    pub enabled: bool,
    pub running: bool,
    pub last_sync: Option<LdapSyncReport>,
    /// Why the last run failed as a whole (directory unreachable…).
    pub last_error: Option<String>,
    pub next_sync_at: Option<Millis>,
    pub sync_interval_mins: u64,
}

/// One step of an OpenID Connect provider check.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OidcCheckStep {
    /// `discovery`, `issuer`, `jwks` or `metadata`, in that order.
    pub check: String,
    /// `ok` or `failed`.
    pub status: String,
    /// What was found, or why the step failed.
    pub detail: String,
    pub elapsed_ms: u64,
}

/// The result of `POST /api/v1/admin/oidc/{provider}/test`; `steps` stop at
/// the first failure.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OidcDiagnosis {
    pub provider: String,
    pub ok: bool,
    pub steps: Vec<OidcCheckStep>,
}
