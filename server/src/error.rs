//! Maps domain errors to HTTP: one body shape, an exhaustive status match,
//! and internal causes logged but never sent.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use hearth_api::{ErrorBody, ErrorCode, ErrorDetail};
use hearth_core::Error;

/// The error type of every handler.
#[derive(Debug)]
pub struct ApiError(pub Error);

pub type ApiResult<T> = Result<T, ApiError>;

impl<E: Into<Error>> From<E> for ApiError {
    fn from(e: E) -> Self {
        ApiError(e.into())
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// Every code has exactly one status; adding a code fails to compile here until decided.
pub fn status_of(code: ErrorCode) -> StatusCode {
    match code {
        ErrorCode::InvalidInput | ErrorCode::InvalidConfig => StatusCode::BAD_REQUEST,
        ErrorCode::PayloadTooLarge | ErrorCode::FileTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        ErrorCode::Unauthenticated | ErrorCode::InvalidCredentials | ErrorCode::SessionExpired => {
            StatusCode::UNAUTHORIZED
        }
        ErrorCode::CsrfMismatch
        | ErrorCode::Forbidden
        | ErrorCode::AccountInactive
        | ErrorCode::SignupDisabled
        | ErrorCode::SetupTokenInvalid
        | ErrorCode::ReauthenticationRequired
        | ErrorCode::ChannelArchived
        | ErrorCode::TokenForOtherAccount
        | ErrorCode::SeparationOfDuties => StatusCode::FORBIDDEN,
        ErrorCode::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
        ErrorCode::NotFound => StatusCode::NOT_FOUND,
        ErrorCode::Conflict | ErrorCode::ConfigLocked => StatusCode::CONFLICT,
        ErrorCode::ImportRejected => StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::RateLimited | ErrorCode::TooManyConnections => StatusCode::TOO_MANY_REQUESTS,
        ErrorCode::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        ErrorCode::Internal => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

pub fn error_response(code: ErrorCode, message: String) -> HttpResponse {
    HttpResponse::build(status_of(code)).json(ErrorBody {
        error: ErrorDetail { code, message },
    })
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        status_of(self.0.code())
    }

    fn error_response(&self) -> HttpResponse {
        let code = self.0.code();
        let message = match &self.0 {
            Error::Internal(cause) => {
                tracing::error!(error = %cause, "internal error");
                "an internal error occurred; the server log has the details".to_string()
            }
            other => other.to_string(),
        };
        let mut resp = error_response(code, message);
        if let Error::RateLimited { retry_after_secs } = &self.0
            && let Ok(v) = HeaderValue::from_str(&retry_after_secs.to_string())
        {
            resp.headers_mut().insert(header::RETRY_AFTER, v);
        }
        resp
    }
}
