//! The caller's sessions and personal access tokens.

use actix_web::{HttpResponse, delete, get, post, web};
use hearth_api::{CreateTokenRequest, CreatedToken, Session};

use crate::auth::Auth;
use crate::error::ApiResult;
use crate::openapi::{
    BadRequest, Forbidden, NotFound, PayloadTooLarge, TooManyRequests, Unauthorized,
};
use crate::routes::{Ctx, IdPath};
use crate::services::sessions;

/// GET /api/v1/users/me/sessions
#[utoipa::path(
    get,
    path = "/api/v1/users/me/sessions",
    operation_id = "my_sessions",
    tag = "users",
    summary = "The caller's live login sessions",
    responses(
        (status = 200, description = "Sessions, `current` marks this one", body = [Session]),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
    ),
    security(("bearer" = []), ("session_cookie" = []))
)]
#[get("/users/me/sessions")]
pub(super) async fn my_sessions(ctx: Ctx, auth: Auth) -> ApiResult<HttpResponse> {
    let list = ctx
        .into_inner()
        .run(move |c| sessions::list(c, &auth, hearth_api::SessionKind::Session))
        .await?;
    Ok(HttpResponse::Ok().json(list))
}

/// DELETE /api/v1/users/me/sessions/{id}
#[utoipa::path(
    delete,
    path = "/api/v1/users/me/sessions/{id}",
    operation_id = "revoke_session",
    tag = "users",
    summary = "Revoke one of the caller's sessions",
    params(
        ("id" = uuid::Uuid, Path, description = "Session id"),
    ),
    responses(
        (status = 204, description = "Revoked"),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    ),
    security(("bearer" = []), ("session_cookie" = [], "csrf_token" = []))
)]
#[delete("/users/me/sessions/{id}")]
pub(super) async fn revoke_session(
    ctx: Ctx,
    auth: Auth,
    path: web::Path<IdPath>,
) -> ApiResult<HttpResponse> {
    let id = path.id;
    ctx.into_inner()
        .run(move |c| sessions::revoke_own(c, &auth, id, hearth_api::SessionKind::Session))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// POST /api/v1/users/me/tokens
#[utoipa::path(
    post,
    path = "/api/v1/users/me/tokens",
    operation_id = "create_token",
    tag = "users",
    summary = "Create a personal access token (the secret is shown once)",
    description = "Needs `password` unless the caller's session was opened by a sign-in less \
        than `sessions.token_reauth_mins` ago (`403 reauthentication_required`; a wrong \
        password answers `400`). Without `expires_in_days` the token lasts \
        `sessions.token_default_days`. Tokens end when their owner's password or second \
        factor changes, unless created with `integration: true`.",
    request_body = CreateTokenRequest,
    responses(
        (status = 201, description = "The token secret and its record", body = CreatedToken),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 413, response = PayloadTooLarge),
        (status = 429, response = TooManyRequests),
    ),
    security(("bearer" = []), ("session_cookie" = [], "csrf_token" = []))
)]
#[post("/users/me/tokens")]
pub(super) async fn create_token(
    ctx: Ctx,
    auth: Auth,
    body: web::Json<CreateTokenRequest>,
) -> ApiResult<HttpResponse> {
    let t = ctx
        .into_inner()
        .run(move |c| sessions::create_token(c, &auth, &body))
        .await?;
    Ok(HttpResponse::Created().json(t))
}

/// GET /api/v1/users/me/tokens
#[utoipa::path(
    get,
    path = "/api/v1/users/me/tokens",
    operation_id = "my_tokens",
    tag = "users",
    summary = "The caller's live personal access tokens",
    responses(
        (status = 200, description = "Tokens (never the secrets)", body = [Session]),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
    ),
    security(("bearer" = []), ("session_cookie" = []))
)]
#[get("/users/me/tokens")]
pub(super) async fn my_tokens(ctx: Ctx, auth: Auth) -> ApiResult<HttpResponse> {
    let list = ctx
        .into_inner()
        .run(move |c| sessions::list(c, &auth, hearth_api::SessionKind::AccessToken))
        .await?;
    Ok(HttpResponse::Ok().json(list))
}

/// DELETE /api/v1/users/me/tokens/{id}
#[utoipa::path(
    delete,
    path = "/api/v1/users/me/tokens/{id}",
    operation_id = "revoke_token",
    tag = "users",
    summary = "Revoke one of the caller's personal access tokens",
    params(
        ("id" = uuid::Uuid, Path, description = "Token id (its `Session` id)"),
    ),
    responses(
        (status = 204, description = "Revoked"),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    ),
    security(("bearer" = []), ("session_cookie" = [], "csrf_token" = []))
)]
#[delete("/users/me/tokens/{id}")]
pub(super) async fn revoke_token(
    ctx: Ctx,
    auth: Auth,
    path: web::Path<IdPath>,
) -> ApiResult<HttpResponse> {
    let id = path.id;
    ctx.into_inner()
        .run(move |c| sessions::revoke_own(c, &auth, id, hearth_api::SessionKind::AccessToken))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
