//! HTTP routes under `/api/v1`. Handlers only orchestrate: extract, call a
//! service on the blocking pool, map the answer.

pub mod audit;
pub mod channel_admin;
pub mod channels;
pub mod compliance;
pub mod compliance_jobs;
pub mod extract;
pub mod fallback;
pub mod files;
pub mod import;
pub mod oidc_admin;
pub mod permissions;
pub mod posts;
pub mod search;
pub mod signin;
pub mod system;
pub mod system_admin;
pub mod team_admin;
pub mod teams;
pub mod user_admin;
pub mod users;
pub mod ws;

use actix_web::web;
use hearth_api::ErrorCode;
use hearth_core::Id;

use crate::error::error_response;

pub type Ctx = web::Data<crate::state::Ctx>;

/// Registers every API route.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/api/v1")
            .configure(system::configure)
            .configure(signin::configure)
            .configure(users::configure)
            .configure(user_admin::configure)
            .configure(teams::configure)
            .configure(team_admin::configure)
            .configure(channels::configure)
            .configure(channel_admin::configure)
            .configure(search::configure)
            .configure(audit::configure)
            .configure(compliance::configure)
            .configure(compliance_jobs::configure)
            .configure(permissions::configure)
            .configure(oidc_admin::configure)
            .configure(system_admin::configure)
            .configure(import::configure)
            .configure(posts::configure)
            .configure(files::configure)
            .configure(ws::configure)
            .default_service(web::to(fallback::no_route)),
    );
}

/// Path parameters that must be ids; a malformed one answers `invalid_input`.
#[derive(Debug, serde::Deserialize)]
pub struct IdPath {
    pub id: Id,
}

#[derive(Debug, serde::Deserialize)]
pub struct IdUserPath {
    pub id: Id,
    pub user_id: Id,
}

/// Maps extractor failures (bad JSON, unknown fields, oversized bodies, bad
/// ids) to the one error shape.
pub fn json_config(limit: usize) -> web::JsonConfig {
    web::JsonConfig::default()
        .limit(limit)
        .error_handler(move |err, _| {
            use actix_web::error::JsonPayloadError as J;
            let (code, msg) = match &err {
                J::OverflowKnownLength { .. } | J::Overflow { .. } => (
                    ErrorCode::PayloadTooLarge,
                    format!("request body is larger than {limit} bytes"),
                ),
                J::ContentType => (
                    ErrorCode::InvalidInput,
                    "expected Content-Type: application/json".to_string(),
                ),
                J::Deserialize(e) => (ErrorCode::InvalidInput, format!("invalid JSON body: {e}")),
                other => (
                    ErrorCode::InvalidInput,
                    format!("invalid request body: {other}"),
                ),
            };
            actix_web::error::InternalError::from_response(err, error_response(code, msg)).into()
        })
}

pub fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|err, _| {
        let msg = format!("invalid path parameter: {err}");
        actix_web::error::InternalError::from_response(
            err,
            error_response(ErrorCode::InvalidInput, msg),
        )
        .into()
    })
}

pub fn query_config() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(|err, _| {
        let msg = format!("invalid query string: {err}");
        actix_web::error::InternalError::from_response(
            err,
            error_response(ErrorCode::InvalidInput, msg),
        )
        .into()
    })
}
