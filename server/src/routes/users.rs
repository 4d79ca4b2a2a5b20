//! Accounts, profiles, sessions, tokens and status.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, put, web};
use hearth_api::{
    AdminSetPasswordRequest, ChangePasswordRequest, CreateTokenRequest, CreatedToken, LoginOutcome,
    LoginRequest, LogoutResponse, Session, SetActiveRequest, SetRoleRequest, SetStatusRequest,
    SignupRequest, UpdateProfileRequest, User, UserStatus,
};
use hearth_core::{Error, Id};

use super::{Ctx, IdPath};
use crate::auth::{Auth, SESSION_COOKIE, client_ip};
use crate::error::ApiResult;
use crate::openapi::{
    BadRequest, Conflict, Forbidden, NotFound, PayloadTooLarge, ServiceUnavailable,
    TooManyRequests, Unauthorized,
};
use crate::services::{accounts, files as file_svc, sessions};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(signup)
        .service(create_user)
        .service(login)
        .service(logout)
        .service(me)
        .service(update_me)
        .service(change_password)
        .service(set_avatar)
        .service(my_sessions)
        .service(revoke_session)
        .service(create_token)
        .service(my_tokens)
        .service(revoke_token)
        .service(set_my_status)
        .service(statuses)
        .service(search)
        .service(by_username)
        .service(get_user)
        .service(avatar)
        .service(set_role)
        .service(set_active)
        .service(revoke_all)
        .service(reset_password)
        .service(status);
}

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
async fn create_user(
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
async fn signup(
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

/// POST /api/v1/users/login
#[utoipa::path(
    post,
    path = "/api/v1/users/login",
    operation_id = "login",
    tag = "users",
    summary = "Log in: opens a session and sets the HEARTH_SESSION cookie",
    description = "Local accounts check the stored password; with `[ldap] enabled`, directory \
        accounts and unknown logins are checked against the directory (search, then bind), and a \
        first directory login creates the account. When the account has MFA (or MFA is enforced \
        for it) the answer is an `MfaChallenge` instead of a session: finish with \
        `POST /users/login/mfa`. After `login.lockout_threshold` failures a login is locked for \
        `login.lockout_secs` (`429`), whether or not the account exists.",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "A session (`LoginResponse`: the user, bearer token and CSRF token; the token is also set as the HttpOnly `HEARTH_SESSION` cookie) or an `MfaChallenge` (`mfa_required: true`, no cookie)", body = LoginOutcome, headers(("Set-Cookie" = String, description = "`HEARTH_SESSION=<token>; Path=/; HttpOnly; SameSite=Lax`; when `server.public_url` is https, `__Host-HEARTH_SESSION=<token>; Path=/; Secure; HttpOnly; SameSite=Lax`"))),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 413, response = PayloadTooLarge),
        (status = 429, response = TooManyRequests),
        (status = 503, response = ServiceUnavailable),
    )
)]
#[post("/users/login")]
async fn login(
    ctx: Ctx,
    req: HttpRequest,
    body: web::Json<LoginRequest>,
) -> ApiResult<HttpResponse> {
    ctx.limits.login(client_ip(&req))?;
    let ua = req
        .headers()
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let ctx = ctx.into_inner();
    let outcome = crate::signin::login::password_login(ctx.clone(), body.into_inner(), ua).await?;
    Ok(match &outcome {
        LoginOutcome::Session(s) => HttpResponse::Ok()
            .cookie(super::signin::session_cookie(&ctx, &s.token))
            .json(&outcome),
        LoginOutcome::Mfa(_) => HttpResponse::Ok().json(&outcome),
    })
}

/// POST /api/v1/users/logout
#[utoipa::path(
    post,
    path = "/api/v1/users/logout",
    operation_id = "logout",
    tag = "users",
    summary = "Log out: revokes the current session and clears the cookie",
    description = "A session opened by single sign-on answers `200` with the provider's \
        end-session URL (RP-initiated logout) for the client to visit.",
    responses(
        (status = 200, description = "Logged out here; visit `logout_url` to end the provider session too", body = LogoutResponse),
        (status = 204, description = "Logged out"),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
    ),
    security(("bearer" = []), ("session_cookie" = [], "csrf_token" = []))
)]
#[post("/users/logout")]
async fn logout(ctx: Ctx, auth: Auth) -> ApiResult<HttpResponse> {
    let ctx = ctx.into_inner();
    let provider_logout =
        crate::signin::oidc::logout_url(ctx.clone(), auth.session_id.clone()).await;
    ctx.run(move |c| sessions::logout(c, &auth)).await?;
    let mut gone = crate::auth::cookie(&ctx.config(), SESSION_COOKIE, String::new(), "/").finish();
    gone.make_removal();
    Ok(match provider_logout {
        Some(url) => HttpResponse::Ok().cookie(gone).json(LogoutResponse {
            logout_url: Some(url),
        }),
        None => HttpResponse::NoContent().cookie(gone).finish(),
    })
}

/// GET /api/v1/users/me
#[utoipa::path(
    get,
    path = "/api/v1/users/me",
    operation_id = "me",
    tag = "users",
    summary = "The caller's account",
    responses(
        (status = 200, description = "The caller", body = User),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
    ),
    security(("bearer" = []), ("session_cookie" = []))
)]
#[get("/users/me")]
async fn me(auth: Auth) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(auth.user.to_api(true)))
}

/// PATCH /api/v1/users/me
#[utoipa::path(
    patch,
    path = "/api/v1/users/me",
    operation_id = "update_me",
    tag = "users",
    summary = "Update the caller's profile",
    request_body = UpdateProfileRequest,
    responses(
        (status = 200, description = "The updated account", body = User),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 409, response = Conflict),
        (status = 413, response = PayloadTooLarge),
    ),
    security(("bearer" = []), ("session_cookie" = [], "csrf_token" = []))
)]
#[patch("/users/me")]
async fn update_me(
    ctx: Ctx,
    auth: Auth,
    body: web::Json<UpdateProfileRequest>,
) -> ApiResult<HttpResponse> {
    let u = ctx
        .into_inner()
        .run(move |c| accounts::update_profile(c, &auth, body.into_inner()))
        .await?;
    Ok(HttpResponse::Ok().json(u))
}

/// PUT /api/v1/users/me/password
#[utoipa::path(
    put,
    path = "/api/v1/users/me/password",
    operation_id = "change_password",
    tag = "users",
    summary = "Change the caller's password; ends their other sessions",
    request_body = ChangePasswordRequest,
    responses(
        (status = 204, description = "Password changed"),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 413, response = PayloadTooLarge),
    ),
    security(("bearer" = []), ("session_cookie" = [], "csrf_token" = []))
)]
#[put("/users/me/password")]
async fn change_password(
    ctx: Ctx,
    auth: Auth,
    body: web::Json<ChangePasswordRequest>,
) -> ApiResult<HttpResponse> {
    ctx.into_inner()
        .run(move |c| accounts::change_password(c, &auth, &body))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

const MAX_AVATAR_BYTES: usize = 5 * 1024 * 1024;

/// PUT /api/v1/users/me/avatar
#[utoipa::path(
    put,
    path = "/api/v1/users/me/avatar",
    operation_id = "set_avatar",
    tag = "users",
    summary = "Set the caller's avatar from a raw image body (at most 5 MiB)",
    request_body(description = "The image file itself, not JSON", content(("image/png"), ("image/jpeg"), ("image/gif"), ("image/webp"))),
    responses(
        (status = 200, description = "The updated account", body = User),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 413, response = PayloadTooLarge),
    ),
    security(("bearer" = []), ("session_cookie" = [], "csrf_token" = []))
)]
#[put("/users/me/avatar")]
async fn set_avatar(ctx: Ctx, auth: Auth, body: web::Payload) -> ApiResult<HttpResponse> {
    let bytes = body
        .to_bytes_limited(MAX_AVATAR_BYTES)
        .await
        .map_err(|_| Error::FileTooLarge(MAX_AVATAR_BYTES as u64))?
        .map_err(|e| Error::invalid(format!("cannot read body: {e}")))?;
    let u = ctx
        .into_inner()
        .run(move |c| {
            let thumb = match file_svc::image_variants(c, std::io::Cursor::new(&bytes[..])) {
                Ok((_, _, thumb, _)) => thumb,
                Err(file_svc::NoVariants::TooLarge) => {
                    return Err(Error::invalid(format!(
                        "the avatar image has more than {} pixels",
                        c.config().files.max_image_pixels
                    )));
                }
                Err(file_svc::NoVariants::NotAnImage) => {
                    return Err(Error::invalid(
                        "the avatar must be a PNG, JPEG, GIF or WebP image",
                    ));
                }
            };
            let sha = c.files.put(&bytes)?;
            c.files.put_variant(&sha, "thumb.jpg", &thumb)?;
            accounts::set_avatar(c, &auth, sha)
        })
        .await?;
    Ok(HttpResponse::Ok().json(u))
}

/// GET /api/v1/users/{id}/avatar
#[utoipa::path(
    get,
    path = "/api/v1/users/{id}/avatar",
    operation_id = "avatar",
    tag = "users",
    summary = "A user's avatar image",
    params(
        ("id" = uuid::Uuid, Path, description = "User id"),
    ),
    responses(
        (status = 200, description = "The image as uploaded", content(("image/png"), ("image/jpeg"), ("image/gif"), ("image/webp"))),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    ),
    security(("bearer" = []), ("session_cookie" = []))
)]
#[get("/users/{id}/avatar")]
async fn avatar(ctx: Ctx, auth: Auth, path: web::Path<IdPath>) -> ApiResult<HttpResponse> {
    let id = path.id;
    let bytes = ctx
        .into_inner()
        .run(move |c| {
            let sha = accounts::avatar_hash(c, &auth, id)?;
            c.files.read(&sha, None)
        })
        .await?;
    let mime = image::guess_format(&bytes)
        .map(|f| f.to_mime_type())
        .unwrap_or("application/octet-stream");
    Ok(HttpResponse::Ok()
        .content_type(mime)
        .insert_header((header::CACHE_CONTROL, "private, max-age=300"))
        .body(bytes))
}

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
async fn my_sessions(ctx: Ctx, auth: Auth) -> ApiResult<HttpResponse> {
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
async fn revoke_session(ctx: Ctx, auth: Auth, path: web::Path<IdPath>) -> ApiResult<HttpResponse> {
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
async fn create_token(
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
async fn my_tokens(ctx: Ctx, auth: Auth) -> ApiResult<HttpResponse> {
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
async fn revoke_token(ctx: Ctx, auth: Auth, path: web::Path<IdPath>) -> ApiResult<HttpResponse> {
    let id = path.id;
    ctx.into_inner()
        .run(move |c| sessions::revoke_own(c, &auth, id, hearth_api::SessionKind::AccessToken))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// PUT /api/v1/users/me/status
#[utoipa::path(
    put,
    path = "/api/v1/users/me/status",
    operation_id = "set_my_status",
    tag = "users",
    summary = "Set the caller's presence",
    request_body = SetStatusRequest,
    responses(
        (status = 200, description = "The caller's status", body = UserStatus),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 413, response = PayloadTooLarge),
    ),
    security(("bearer" = []), ("session_cookie" = [], "csrf_token" = []))
)]
#[put("/users/me/status")]
async fn set_my_status(
    ctx: Ctx,
    auth: Auth,
    body: web::Json<SetStatusRequest>,
) -> ApiResult<HttpResponse> {
    let presence = body.presence;
    let user_id = auth.user_id();
    ctx.clone()
        .into_inner()
        .run(move |c| accounts::set_presence(c, &auth, presence))
        .await?;
    let s = ctx
        .hub
        .set_presence(user_id, presence)
        .await
        .ok_or_else(|| Error::internal("hub stopped"))?;
    Ok(HttpResponse::Ok().json(s))
}

/// GET /api/v1/users/{id}/status
#[utoipa::path(
    get,
    path = "/api/v1/users/{id}/status",
    operation_id = "user_status",
    tag = "users",
    summary = "A user's presence",
    params(
        ("id" = uuid::Uuid, Path, description = "User id"),
    ),
    responses(
        (status = 200, description = "The status (offline for unknown ids)", body = UserStatus),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
    ),
    security(("bearer" = []), ("session_cookie" = []))
)]
#[get("/users/{id}/status")]
async fn status(ctx: Ctx, auth: Auth, path: web::Path<IdPath>) -> ApiResult<HttpResponse> {
    let id = path.id;
    // Unknown (or, for guests, invisible) users answer not_found.
    ctx.clone()
        .into_inner()
        .run(move |c| accounts::get(c, &auth, id))
        .await?;
    let mut list = ctx.hub.statuses(vec![id]).await;
    let s = list.pop().ok_or_else(|| Error::internal("hub stopped"))?;
    Ok(HttpResponse::Ok().json(s))
}

/// POST /api/v1/users/status/ids
#[utoipa::path(
    post,
    path = "/api/v1/users/status/ids",
    operation_id = "user_statuses",
    tag = "users",
    summary = "Presence of many users (at most 1000 ids)",
    request_body(description = "User ids", content = Vec<uuid::Uuid>),
    responses(
        (status = 200, description = "One status per id; a guest gets none for people they share no channel with", body = [UserStatus]),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 413, response = PayloadTooLarge),
    ),
    security(("bearer" = []), ("session_cookie" = [], "csrf_token" = []))
)]
#[post("/users/status/ids")]
async fn statuses(ctx: Ctx, auth: Auth, body: web::Json<Vec<Id>>) -> ApiResult<HttpResponse> {
    if body.len() > 1000 {
        return Err(Error::invalid("at most 1000 ids per request").into());
    }
    let ids = body.into_inner();
    // Guests get statuses only of the people they may see.
    let ids = ctx
        .clone()
        .into_inner()
        .run(move |c| c.store.read(|conn| accounts::visible_ids(conn, &auth, ids)))
        .await?;
    Ok(HttpResponse::Ok().json(ctx.hub.statuses(ids).await))
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct SearchQuery {
    /// Text to look for in usernames, display names and e-mails; empty lists everyone.
    #[serde(default)]
    q: String,
    /// Zero-based page number.
    #[serde(default)]
    page: u32,
    /// Users per page, 1 to 200 (default 60).
    per_page: Option<u32>,
    /// Only users with this role.
    role: Option<hearth_api::Role>,
    /// Only active (`true`) or deactivated (`false`) accounts.
    active: Option<bool>,
}

/// GET /api/v1/users
#[utoipa::path(
    get,
    path = "/api/v1/users",
    operation_id = "search_users",
    tag = "users",
    summary = "Search the user directory (guests see only people they share a channel with)",
    params(
        SearchQuery,
    ),
    responses(
        (status = 200, description = "One page of users", body = [User]),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
    ),
    security(("bearer" = []), ("session_cookie" = []))
)]
#[get("/users")]
async fn search(ctx: Ctx, auth: Auth, q: web::Query<SearchQuery>) -> ApiResult<HttpResponse> {
    let q = q.into_inner();
    let list = ctx
        .into_inner()
        .run(move |c| {
            let filter = accounts::UserFilter {
                role: q.role,
                active: q.active,
            };
            accounts::search(c, &auth, &q.q, filter, q.page, q.per_page.unwrap_or(60))
        })
        .await?;
    Ok(HttpResponse::Ok().json(list))
}

/// GET /api/v1/users/by-username/{username}
#[utoipa::path(
    get,
    path = "/api/v1/users/by-username/{username}",
    operation_id = "user_by_username",
    tag = "users",
    summary = "A user by username",
    params(
        ("username" = String, Path, description = "Username"),
    ),
    responses(
        (status = 200, description = "The user", body = User),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    ),
    security(("bearer" = []), ("session_cookie" = []))
)]
#[get("/users/by-username/{username}")]
async fn by_username(ctx: Ctx, auth: Auth, path: web::Path<String>) -> ApiResult<HttpResponse> {
    let name = path.into_inner();
    let u = ctx
        .into_inner()
        .run(move |c| accounts::by_username(c, &auth, &name))
        .await?;
    Ok(HttpResponse::Ok().json(u))
}

/// GET /api/v1/users/{id}
#[utoipa::path(
    get,
    path = "/api/v1/users/{id}",
    operation_id = "get_user",
    tag = "users",
    summary = "A user by id",
    params(
        ("id" = uuid::Uuid, Path, description = "User id"),
    ),
    responses(
        (status = 200, description = "The user (e-mail only for self and system admins)", body = User),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    ),
    security(("bearer" = []), ("session_cookie" = []))
)]
#[get("/users/{id}")]
async fn get_user(ctx: Ctx, auth: Auth, path: web::Path<IdPath>) -> ApiResult<HttpResponse> {
    let id = path.id;
    let u = ctx
        .into_inner()
        .run(move |c| accounts::get(c, &auth, id))
        .await?;
    Ok(HttpResponse::Ok().json(u))
}

/// PUT /api/v1/users/{id}/role
#[utoipa::path(
    put,
    path = "/api/v1/users/{id}/role",
    operation_id = "set_role",
    tag = "users",
    summary = "Set a user's system role (system admins)",
    description = "Granting or removing the compliance officer role, and any change of an officer's role, is refused with 403 separation_of_duties except over the local administration socket (the operator on the server's host).",
    params(
        ("id" = uuid::Uuid, Path, description = "User id"),
    ),
    request_body = SetRoleRequest,
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
#[put("/users/{id}/role")]
async fn set_role(
    ctx: Ctx,
    auth: Auth,
    path: web::Path<IdPath>,
    body: web::Json<SetRoleRequest>,
) -> ApiResult<HttpResponse> {
    let id = path.id;
    let u = ctx
        .into_inner()
        .run(move |c| accounts::set_role(c, &auth, id, body.role))
        .await?;
    Ok(HttpResponse::Ok().json(u))
}

/// PUT /api/v1/users/{id}/active
#[utoipa::path(
    put,
    path = "/api/v1/users/{id}/active",
    operation_id = "set_active",
    tag = "users",
    summary = "Deactivate or reactivate an account (system admins; anyone may deactivate themself)",
    params(
        ("id" = uuid::Uuid, Path, description = "User id"),
    ),
    request_body = SetActiveRequest,
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
#[put("/users/{id}/active")]
async fn set_active(
    ctx: Ctx,
    auth: Auth,
    path: web::Path<IdPath>,
    body: web::Json<SetActiveRequest>,
) -> ApiResult<HttpResponse> {
    let id = path.id;
    let u = ctx
        .into_inner()
        .run(move |c| accounts::set_active(c, &auth, id, body.active))
        .await?;
    Ok(HttpResponse::Ok().json(u))
}

/// POST /api/v1/users/{id}/sessions/revoke
#[utoipa::path(
    post,
    path = "/api/v1/users/{id}/sessions/revoke",
    operation_id = "revoke_all_sessions",
    tag = "users",
    summary = "Revoke every session and token of a user (system admins, or self)",
    params(
        ("id" = uuid::Uuid, Path, description = "User id"),
    ),
    responses(
        (status = 204, description = "Revoked"),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
    ),
    security(("bearer" = []), ("session_cookie" = [], "csrf_token" = []))
)]
#[post("/users/{id}/sessions/revoke")]
async fn revoke_all(ctx: Ctx, auth: Auth, path: web::Path<IdPath>) -> ApiResult<HttpResponse> {
    let id = path.id;
    ctx.into_inner()
        .run(move |c| sessions::revoke_all(c, &auth, id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// PUT /api/v1/users/{id}/password
#[utoipa::path(
    put,
    path = "/api/v1/users/{id}/password",
    operation_id = "reset_password",
    tag = "users",
    summary = "Set a new password for a local account and end its sessions (system admins)",
    params(
        ("id" = uuid::Uuid, Path, description = "User id"),
    ),
    request_body = AdminSetPasswordRequest,
    responses(
        (status = 204, description = "Password set, sessions and tokens revoked"),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 413, response = PayloadTooLarge),
    ),
    security(("bearer" = []), ("session_cookie" = [], "csrf_token" = []))
)]
#[put("/users/{id}/password")]
async fn reset_password(
    ctx: Ctx,
    auth: Auth,
    path: web::Path<IdPath>,
    body: web::Json<AdminSetPasswordRequest>,
) -> ApiResult<HttpResponse> {
    let id = path.id;
    ctx.into_inner()
        .run(move |c| accounts::reset_password(c, &auth, id, &body.new_password))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
