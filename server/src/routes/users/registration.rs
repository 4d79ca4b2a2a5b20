//! New accounts: self-service signup and accounts made by administrators.

use actix_web::{HttpRequest, HttpResponse, post, web};
use hearth_api::{SignupRequest, User};

use crate::auth::Auth;
use crate::error::ApiResult;
use crate::openapi::{
    BadRequest, Conflict, Forbidden, PayloadTooLarge, TooManyRequests, Unauthorized,
};
use crate::routes::Ctx;
use crate::routes::extract::client_ip;
use crate::services::accounts;

/// POST /api/v1/users
#[utoipa::path(
    post,
    path = "/api/v1/users",
    operation_id = "create_user",
    tag = "users",
    summary = "Create an account as system admin, whatever the signup mode",
    request_body = SignupRequest,
    responses(
        (status = 201, description = "The new account", body = User),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 409, response = Conflict),
        (status = 413, response = PayloadTooLarge),
    ),
    security(("bearer" = []), ("session_cookie" = [], "csrf_token" = []))
)]
#[post("/users")]
pub(super) async fn create_user(
    ctx: Ctx,
    auth: Auth,
    body: web::Json<SignupRequest>,
) -> ApiResult<HttpResponse> {
    let user = ctx
        .into_inner()
        .run(move |c| accounts::create_by_admin(c, &auth, body.into_inner()))
        .await?;
    Ok(HttpResponse::Created().json(user))
}

/// POST /api/v1/users/signup
#[utoipa::path(
    post,
    path = "/api/v1/users/signup",
    operation_id = "signup",
    tag = "users",
    summary = "Create an account (no authentication)",
    description = "Attempts are limited per client address (`limits.signups_per_hour`); the \
        signup mode, setup token, invitation and free username and e-mail are checked before \
        the password is hashed. `429` also answers while too many signups are being hashed.",
    request_body = SignupRequest,
    responses(
        (status = 201, description = "The new account", body = User),
        (status = 400, response = BadRequest),
        (status = 403, response = Forbidden),
        (status = 409, response = Conflict),
        (status = 413, response = PayloadTooLarge),
        (status = 429, response = TooManyRequests),
    )
)]
#[post("/users/signup")]
pub(super) async fn signup(
    ctx: Ctx,
    req: HttpRequest,
    body: web::Json<SignupRequest>,
) -> ApiResult<HttpResponse> {
    ctx.limits.signup(client_ip(&req))?;
    let user = ctx
        .into_inner()
        .run(move |c| accounts::signup(c, body.into_inner()))
        .await?;
    Ok(HttpResponse::Created().json(user))
}
