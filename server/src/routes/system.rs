//! Health, readiness, metrics and server facts.

use actix_web::{FromRequest, HttpRequest, HttpResponse, get, web};
use hearth_api::{ErrorCode, ServerInfo};
use hearth_core::permissions::{Action, Facts, require};

use super::Ctx;
use crate::error::{ApiResult, error_response};
use crate::services::accounts;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(info).service(openapi);
}

/// Routes outside `/api/v1`, for load balancers and Prometheus.
pub fn configure_root(cfg: &mut web::ServiceConfig) {
    cfg.service(healthz).service(readyz).service(metrics);
}

/// GET /api/v1/system/info
#[utoipa::path(
    get,
    path = "/api/v1/system/info",
    operation_id = "server_info",
    tag = "system",
    summary = "Server facts a client needs before login (no authentication)",
    responses((status = 200, description = "Version, signup mode and limits", body = ServerInfo))
)]
#[get("/system/info")]
async fn info(ctx: Ctx) -> ApiResult<HttpResponse> {
    let ctx = ctx.into_inner();
    let needs_setup = ctx.run(accounts::needs_setup).await?;
    Ok(HttpResponse::Ok().json(ServerInfo {
        version: env!("CARGO_PKG_VERSION").to_string(),
        signup_mode: ctx.config().accounts.signup.as_str().to_string(),
        needs_setup,
        max_file_size: ctx.config().files.max_file_size,
        max_post_chars: hearth_api::MAX_POST_CHARS,
    }))
}

/// GET /api/v1/openapi.json
#[utoipa::path(
    get,
    path = "/api/v1/openapi.json",
    operation_id = "openapi",
    tag = "system",
    summary = "This OpenAPI 3.1 document (no authentication)",
    responses((status = 200, description = "The OpenAPI document", body = serde_json::Value))
)]
#[get("/openapi.json")]
async fn openapi() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(crate::openapi::json())
}

/// GET /healthz
#[utoipa::path(
    get,
    path = "/healthz",
    operation_id = "healthz",
    tag = "system",
    summary = "Liveness: answers while the process runs (no prefix, no authentication)",
    responses((status = 200, description = "`ok`", body = String, content_type = "text/plain"))
)]
#[get("/healthz")]
async fn healthz() -> HttpResponse {
    HttpResponse::Ok().content_type("text/plain").body("ok")
}

/// GET /readyz
#[utoipa::path(
    get,
    path = "/readyz",
    operation_id = "readyz",
    tag = "system",
    summary = "Readiness: answers 200 while the database answers (no prefix, no authentication)",
    responses(
        (status = 200, description = "`ready`", body = String, content_type = "text/plain"),
        (status = 503, response = crate::openapi::ServiceUnavailable),
    )
)]
#[get("/readyz")]
async fn readyz(ctx: Ctx) -> HttpResponse {
    let store = ctx.store.clone();
    match tokio::task::spawn_blocking(move || store.ping()).await {
        Ok(true) => HttpResponse::Ok().content_type("text/plain").body("ready"),
        _ => error_response(
            ErrorCode::Unavailable,
            "the database does not answer".into(),
        ),
    }
}

/// Whether the request carries the configured `metrics.bearer_token`.
/// Hashes are compared, so the time taken says nothing about the token.
fn scraper(ctx: &crate::state::Ctx, req: &HttpRequest) -> bool {
    let token = ctx.config().metrics.bearer_token.clone();
    !token.is_empty()
        && crate::routes::extract::bearer(req).is_some_and(|t| {
            crate::tokens::token_hash(&t) == crate::tokens::token_hash(token.expose())
        })
}

/// GET /metrics
#[utoipa::path(
    get,
    path = "/metrics",
    operation_id = "metrics",
    tag = "system",
    summary = "Prometheus metrics (no prefix): `Authorization: Bearer` with `metrics.bearer_token`, or a system administrator",
    responses(
        (
            status = 200,
            description = "Prometheus text exposition format 0.0.4",
            body = String,
            content_type = "text/plain; version=0.0.4"
        ),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 403, response = crate::openapi::Forbidden),
    ),
    security(("bearer" = []), ("session_cookie" = []))
)]
#[get("/metrics")]
async fn metrics(ctx: Ctx, req: HttpRequest) -> ApiResult<HttpResponse> {
    if !scraper(&ctx, &req) {
        let auth = crate::auth::Auth::extract(&req).await?;
        require(&auth.actor, Action::ReadMetrics, &Facts::default())?;
    }
    let stats = ctx.hub.stats().await;
    ctx.metrics.ws_connections.set(stats.connections as i64);
    ctx.metrics.users_online.set(stats.users_online as i64);
    ctx.metrics
        .presence_watched
        .set(stats.presence_watched as i64);
    ctx.metrics
        .presence_subscriptions
        .set(stats.presence_subscriptions as i64);
    let (conns, idle) = ctx.store.pool_state();
    ctx.metrics.db_connections.set(i64::from(conns));
    ctx.metrics.db_idle.set(i64::from(idle));
    Ok(HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4")
        .body(ctx.metrics.render()))
}
