//! Another user's personal access tokens: a system admin lists and revokes
//! them (not a compliance officer's); only the owner creates one. And the
//! admin's word on an account's e-mail address.

use actix_web::{HttpResponse, delete, get, post, put, web};
use hearth_api::{CreateTokenRequest, CreatedToken, Session, SetEmailVerifiedRequest, User};
use hearth_core::Id;

use super::{Ctx, IdPath};
use crate::auth::Auth;
use crate::error::ApiResult;
use crate::openapi::{BadRequest, Forbidden, NotFound, PayloadTooLarge, Unauthorized};
use crate::services::{accounts, sessions};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(create_token)
        .service(tokens)
        .service(revoke_token)
        .service(set_email_verified);
}

/// PUT /api/v1/users/{id}/email_verified
#[utoipa::path(
    put,
    path = "/api/v1/users/{id}/email_verified",
    operation_id = "set_email_verified",
    tag = "users",
    summary = "Mark an account's e-mail address verified or not (system admins)",
    description = "Single sign-on with `link_by_verified_email` links a provider identity only \
        to an account whose address is verified: by a system admin here, by the admin who \
        created the account, or by a sign-in provider's `email_verified` claim.",
    params(
        ("id" = uuid::Uuid, Path, description = "User id"),
    ),
    request_body = SetEmailVerifiedRequest,
    responses(
        (status = 200, description = "The updated user", body = User),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 413, response = PayloadTooLarge),
    ),
    security(("bearer" = []), ("session_cookie" = [], "csrf_token" = []))
)]
#[put("/users/{id}/email_verified")]
async fn set_email_verified(
    ctx: Ctx,
    auth: Auth,
    path: web::Path<IdPath>,
    body: web::Json<SetEmailVerifiedRequest>,
) -> ApiResult<HttpResponse> {
    let id = path.id;
    let u = ctx
        .into_inner()
        .run(move |c| accounts::set_email_verified(c, &auth, id, body.verified))
        .await?;
    Ok(HttpResponse::Ok().json(u))
}

#[derive(Debug, serde::Deserialize)]
struct TokenPath {
    id: Id,
    token_id: Id,
}

/// POST /api/v1/users/{id}/tokens
#[utoipa::path(
    post,
    path = "/api/v1/users/{id}/tokens",
    operation_id = "create_user_token",
    tag = "users",
    summary = "Create a personal access token (the owner only; another account answers token_for_other_account); the secret is shown once",
    description = "The caller re-authenticates as for `POST /users/me/tokens` (`password`, or a \
        fresh sign-in).",
    params(
        ("id" = uuid::Uuid, Path, description = "User id"),
    ),
    request_body = CreateTokenRequest,
    responses(
        (status = 201, description = "The token and its secret", body = CreatedToken),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 413, response = PayloadTooLarge),
    ),
    security(("bearer" = []), ("session_cookie" = [], "csrf_token" = []))
)]
#[post("/users/{id}/tokens")]
async fn create_token(
    ctx: Ctx,
    auth: Auth,
    path: web::Path<IdPath>,
    body: web::Json<CreateTokenRequest>,
) -> ApiResult<HttpResponse> {
    let id = path.id;
    let t = ctx
        .into_inner()
        .run(move |c| sessions::create_token_for(c, &auth, id, &body))
        .await?;
    Ok(HttpResponse::Created().json(t))
}

/// GET /api/v1/users/{id}/tokens
#[utoipa::path(
    get,
    path = "/api/v1/users/{id}/tokens",
    operation_id = "user_tokens",
    tag = "users",
    summary = "A user's live personal access tokens (system admin, or self)",
    params(
        ("id" = uuid::Uuid, Path, description = "User id"),
    ),
    responses(
        (status = 200, description = "Tokens", body = [Session]),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
    ),
    security(("bearer" = []), ("session_cookie" = []))
)]
#[get("/users/{id}/tokens")]
async fn tokens(ctx: Ctx, auth: Auth, path: web::Path<IdPath>) -> ApiResult<HttpResponse> {
    let id = path.id;
    let list = ctx
        .into_inner()
        .run(move |c| sessions::tokens_of(c, &auth, id))
        .await?;
    Ok(HttpResponse::Ok().json(list))
}

/// DELETE /api/v1/users/{id}/tokens/{token_id}
#[utoipa::path(
    delete,
    path = "/api/v1/users/{id}/tokens/{token_id}",
    operation_id = "revoke_user_token",
    tag = "users",
    summary = "Revoke one of a user's personal access tokens (system admin, or self)",
    params(
        ("id" = uuid::Uuid, Path, description = "User id"),
        ("token_id" = uuid::Uuid, Path, description = "Token id"),
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
#[delete("/users/{id}/tokens/{token_id}")]
async fn revoke_token(ctx: Ctx, auth: Auth, path: web::Path<TokenPath>) -> ApiResult<HttpResponse> {
    let TokenPath { id, token_id } = path.into_inner();
    ctx.into_inner()
        .run(move |c| sessions::revoke_token_of(c, &auth, id, token_id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
