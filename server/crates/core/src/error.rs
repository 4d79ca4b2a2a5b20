//! The error every domain operation returns. Each variant maps to exactly one
//! wire [`ErrorCode`]; the HTTP layer only has to pick the status.

use hearth_api::ErrorCode;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    InvalidInput(String),
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    Conflict(String),
    /// Personal access tokens are minted by their owner only.
    #[error(
        "a personal access token can only be created by its owner; tokens for bot and service accounts come with those accounts"
    )]
    TokenForOtherAccount,
    /// A privileged account protected from the actor's role.
    #[error("{0}")]
    SeparationOfDuties(String),
    #[error("authentication required")]
    Unauthenticated,
    #[error("invalid login or password")]
    InvalidCredentials,
    #[error("the session has expired or was revoked")]
    SessionExpired,
    #[error("missing or wrong CSRF token")]
    CsrfMismatch,
    #[error("the channel is archived")]
    ChannelArchived,
    #[error("the account is deactivated")]
    AccountInactive,
    #[error("{0}")]
    SignupDisabled(String),
    #[error("the setup token is missing or wrong")]
    SetupTokenInvalid,
    /// A sensitive action (such as minting an access token) without the
    /// caller's password or a fresh sign-in.
    #[error("{0}")]
    ReauthenticationRequired(String),
    #[error("file is larger than the limit of {0} bytes")]
    FileTooLarge(u64),
    #[error("too many requests")]
    RateLimited { retry_after_secs: u64 },
    /// The user already holds the most WebSocket connections allowed.
    #[error(
        "too many open WebSocket connections for this account (the limit is {0}); close another tab or client"
    )]
    TooManyConnections(usize),
    /// A feature switched off or not ready (e.g. search disabled).
    #[error("{0}")]
    Unavailable(String),
    /// A configuration that does not load or validate; the message names the key.
    #[error("{0}")]
    InvalidConfig(String),
    /// A configuration key fixed outside the file (environment, command line).
    #[error("{0}")]
    ConfigLocked(String),
    /// A fault the user cannot fix; the cause is logged, never sent.
    #[error("internal error: {0}")]
    Internal(String),
}

impl Error {
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::InvalidInput(_) => ErrorCode::InvalidInput,
            Error::InvalidConfig(_) => ErrorCode::InvalidConfig,
            Error::ConfigLocked(_) => ErrorCode::ConfigLocked,
            Error::NotFound(_) => ErrorCode::NotFound,
            Error::Forbidden(_) => ErrorCode::Forbidden,
            Error::Conflict(_) => ErrorCode::Conflict,
            Error::TokenForOtherAccount => ErrorCode::TokenForOtherAccount,
            Error::SeparationOfDuties(_) => ErrorCode::SeparationOfDuties,
            Error::Unauthenticated => ErrorCode::Unauthenticated,
            Error::InvalidCredentials => ErrorCode::InvalidCredentials,
            Error::SessionExpired => ErrorCode::SessionExpired,
            Error::CsrfMismatch => ErrorCode::CsrfMismatch,
            Error::ChannelArchived => ErrorCode::ChannelArchived,
            Error::AccountInactive => ErrorCode::AccountInactive,
            Error::SignupDisabled(_) => ErrorCode::SignupDisabled,
            Error::SetupTokenInvalid => ErrorCode::SetupTokenInvalid,
            Error::ReauthenticationRequired(_) => ErrorCode::ReauthenticationRequired,
            Error::FileTooLarge(_) => ErrorCode::FileTooLarge,
            Error::RateLimited { .. } => ErrorCode::RateLimited,
            Error::TooManyConnections(_) => ErrorCode::TooManyConnections,
            Error::Unavailable(_) => ErrorCode::Unavailable,
            Error::Internal(_) => ErrorCode::Internal,
        }
    }

    pub fn invalid(msg: impl Into<String>) -> Self {
        Error::InvalidInput(msg.into())
    }

    pub fn forbidden(msg: impl Into<String>) -> Self {
        Error::Forbidden(msg.into())
    }

    pub fn conflict(msg: impl Into<String>) -> Self {
        Error::Conflict(msg.into())
    }

    pub fn internal(msg: impl std::fmt::Display) -> Self {
        Error::Internal(msg.to_string())
    }
}
