//! The one error body every endpoint returns: `{"error":{"code","message"}}`.

use serde::{Deserialize, Serialize};

/// Stable, machine-readable error codes. Clients match on these, so a code is
/// never renamed once shipped; adding one forces an HTTP status decision in the
/// server's exhaustive match.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The request body or query did not parse or failed validation.
    InvalidInput,
    /// The JSON body was larger than the server accepts.
    PayloadTooLarge,
    /// No valid session or token was presented.
    Unauthenticated,
    /// The credentials were wrong (never says which part).
    InvalidCredentials,
    /// The session or token expired or was revoked.
    SessionExpired,
    /// A cookie-authenticated write lacked a matching CSRF token.
    CsrfMismatch,
    /// Authenticated, but the role does not allow this.
    Forbidden,
    /// The resource does not exist, or the caller may not know that it does.
    NotFound,
    /// A unique name, username or e-mail is already taken.
    Conflict,
    /// The channel is archived and read-only.
    ChannelArchived,
    /// The account is deactivated.
    AccountInactive,
    /// Signup is closed or needs an invitation.
    SignupDisabled,
    /// The one-time setup token is missing or wrong.
    SetupTokenInvalid,
    /// The action needs the caller's password (or a sign-in a few minutes old).
    ReauthenticationRequired,
    /// Too many requests; retry after the time in `Retry-After`.
    RateLimited,
    /// The account already holds the most WebSocket connections the server allows.
    TooManyConnections,
    /// The uploaded file exceeds the configured size limit.
    FileTooLarge,
    /// The server is starting or shutting down.
    Unavailable,
    /// A configuration change or file failed validation; the message names the key.
    InvalidConfig,
    /// The configuration key is fixed by an environment variable or command-line option.
    ConfigLocked,
    /// An import found errors and wrote nothing; the answer's `report` says where.
    ImportRejected,
    /// Personal access tokens are created by their owner only (tokens for
    /// bot and service accounts come with those accounts).
    TokenForOtherAccount,
    /// System admins and compliance officers cannot act on each other's
    /// accounts (and officers on no admin's); the local administration
    /// socket on the server's host can.
    SeparationOfDuties,
    /// The path exists but not with this method; `Allow` lists the methods it takes.
    MethodNotAllowed,
    /// An unexpected fault; details are in the server log under the request id.
    Internal,
}

impl ErrorCode {
    /// The snake_case name used on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InvalidInput => "invalid_input",
            Self::PayloadTooLarge => "payload_too_large",
            Self::Unauthenticated => "unauthenticated",
            Self::InvalidCredentials => "invalid_credentials",
            Self::SessionExpired => "session_expired",
            Self::CsrfMismatch => "csrf_mismatch",
            Self::Forbidden => "forbidden",
            Self::NotFound => "not_found",
            Self::Conflict => "conflict",
            Self::ChannelArchived => "channel_archived",
            Self::AccountInactive => "account_inactive",
            Self::SignupDisabled => "signup_disabled",
            Self::SetupTokenInvalid => "setup_token_invalid",
            Self::ReauthenticationRequired => "reauthentication_required",
            Self::RateLimited => "rate_limited",
            Self::TooManyConnections => "too_many_connections",
            Self::FileTooLarge => "file_too_large",
            Self::Unavailable => "unavailable",
            Self::InvalidConfig => "invalid_config",
            Self::ConfigLocked => "config_locked",
            Self::ImportRejected => "import_rejected",
            Self::TokenForOtherAccount => "token_for_other_account",
            Self::SeparationOfDuties => "separation_of_duties",
            Self::MethodNotAllowed => "method_not_allowed",
            Self::Internal => "internal",
        }
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `{"error": {...}}`
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorDetail {
    pub code: ErrorCode,
    /// A sentence for humans; wording may change, the code does not.
    pub message: String,
}
