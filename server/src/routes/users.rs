//! Accounts, profiles, sessions, tokens and status.

use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, put, web};
use hearth_api::{
    ChangePasswordRequest, CreateTokenRequest, LoginRequest, SetActiveRequest, SetRoleRequest,
    SetStatusRequest, SignupRequest, UpdateProfileRequest,
};
use hearth_core::{Error, Id};

use super::{Ctx, IdPath};
use crate::auth::{Auth, SESSION_COOKIE, client_ip};
use crate::error::ApiResult;
use crate::services::{accounts, files as file_svc, sessions};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(signup)
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
        .service(status);
}

/// POST /api/v1/users/signup
#[post("/users/signup")]
async fn signup(ctx: Ctx, body: web::Json<SignupRequest>) -> ApiResult<HttpResponse> {
    let user = ctx
        .into_inner()
        .run(move |c| accounts::signup(c, body.into_inner()))
        .await?;
    Ok(HttpResponse::Created().json(user))
}

/// POST /api/v1/users/login
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
    let dummy = ctx.dummy_hash.clone();
    let resp = ctx
        .run(move |c| accounts::login(c, &body, &ua, &dummy))
        .await?;
    let cookie = Cookie::build(SESSION_COOKIE, resp.token.clone())
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(ctx.config.secure_cookies())
        .max_age(CookieDuration::days(i64::from(
            ctx.config.accounts.session_days,
        )))
        .finish();
    Ok(HttpResponse::Ok().cookie(cookie).json(resp))
}

/// POST /api/v1/users/logout
#[post("/users/logout")]
async fn logout(ctx: Ctx, auth: Auth) -> ApiResult<HttpResponse> {
    ctx.into_inner()
        .run(move |c| sessions::logout(c, &auth))
        .await?;
    let mut gone = Cookie::build(SESSION_COOKIE, "")
        .path("/")
        .http_only(true)
        .finish();
    gone.make_removal();
    Ok(HttpResponse::NoContent().cookie(gone).finish())
}

/// GET /api/v1/users/me
#[get("/users/me")]
async fn me(auth: Auth) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(auth.user.to_api(true)))
}

/// PATCH /api/v1/users/me
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
            let Some((_, _, thumb, _)) = file_svc::image_variants(&bytes) else {
                return Err(Error::invalid(
                    "the avatar must be a PNG, JPEG, GIF or WebP image",
                ));
            };
            let sha = c.files.put(&bytes)?;
            c.files.put_variant(&sha, "thumb.jpg", &thumb)?;
            accounts::set_avatar(c, &auth, sha)
        })
        .await?;
    Ok(HttpResponse::Ok().json(u))
}

/// GET /api/v1/users/{id}/avatar
#[get("/users/{id}/avatar")]
async fn avatar(ctx: Ctx, _auth: Auth, path: web::Path<IdPath>) -> ApiResult<HttpResponse> {
    let id = path.id;
    let bytes = ctx
        .into_inner()
        .run(move |c| {
            let sha = accounts::avatar_hash(c, id)?;
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
#[get("/users/me/sessions")]
async fn my_sessions(ctx: Ctx, auth: Auth) -> ApiResult<HttpResponse> {
    let list = ctx
        .into_inner()
        .run(move |c| sessions::list(c, &auth, sessions::KIND_SESSION))
        .await?;
    Ok(HttpResponse::Ok().json(list))
}

/// DELETE /api/v1/users/me/sessions/{id}
#[delete("/users/me/sessions/{id}")]
async fn revoke_session(ctx: Ctx, auth: Auth, path: web::Path<IdPath>) -> ApiResult<HttpResponse> {
    let id = path.id;
    ctx.into_inner()
        .run(move |c| sessions::revoke_own(c, &auth, id, sessions::KIND_SESSION))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// POST /api/v1/users/me/tokens
#[post("/users/me/tokens")]
async fn create_token(
    ctx: Ctx,
    auth: Auth,
    body: web::Json<CreateTokenRequest>,
) -> ApiResult<HttpResponse> {
    let t = ctx
        .into_inner()
        .run(move |c| sessions::create_token(c, &auth, &body.name, body.expires_in_days))
        .await?;
    Ok(HttpResponse::Created().json(t))
}

/// GET /api/v1/users/me/tokens
#[get("/users/me/tokens")]
async fn my_tokens(ctx: Ctx, auth: Auth) -> ApiResult<HttpResponse> {
    let list = ctx
        .into_inner()
        .run(move |c| sessions::list(c, &auth, sessions::KIND_TOKEN))
        .await?;
    Ok(HttpResponse::Ok().json(list))
}

/// DELETE /api/v1/users/me/tokens/{id}
#[delete("/users/me/tokens/{id}")]
async fn revoke_token(ctx: Ctx, auth: Auth, path: web::Path<IdPath>) -> ApiResult<HttpResponse> {
    let id = path.id;
    ctx.into_inner()
        .run(move |c| sessions::revoke_own(c, &auth, id, sessions::KIND_TOKEN))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// PUT /api/v1/users/me/status
#[put("/users/me/status")]
async fn set_my_status(
    ctx: Ctx,
    auth: Auth,
    body: web::Json<SetStatusRequest>,
) -> ApiResult<HttpResponse> {
    let s = ctx
        .hub
        .set_presence(auth.user_id(), body.presence)
        .await
        .ok_or_else(|| Error::internal("hub stopped"))?;
    Ok(HttpResponse::Ok().json(s))
}

/// GET /api/v1/users/{id}/status
#[get("/users/{id}/status")]
async fn status(ctx: Ctx, _auth: Auth, path: web::Path<IdPath>) -> ApiResult<HttpResponse> {
    let mut list = ctx.hub.statuses(vec![path.id]).await;
    let s = list.pop().ok_or_else(|| Error::internal("hub stopped"))?;
    Ok(HttpResponse::Ok().json(s))
}

/// POST /api/v1/users/status/ids
#[post("/users/status/ids")]
async fn statuses(ctx: Ctx, _auth: Auth, body: web::Json<Vec<Id>>) -> ApiResult<HttpResponse> {
    if body.len() > 1000 {
        return Err(Error::invalid("at most 1000 ids per request").into());
    }
    Ok(HttpResponse::Ok().json(ctx.hub.statuses(body.into_inner()).await))
}

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct SearchQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    page: u32,
    per_page: Option<u32>,
}

/// GET /api/v1/users
#[get("/users")]
async fn search(ctx: Ctx, auth: Auth, q: web::Query<SearchQuery>) -> ApiResult<HttpResponse> {
    let q = q.into_inner();
    let list = ctx
        .into_inner()
        .run(move |c| accounts::search(c, &auth, &q.q, q.page, q.per_page.unwrap_or(60)))
        .await?;
    Ok(HttpResponse::Ok().json(list))
}

/// GET /api/v1/users/by-username/{username}
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
#[post("/users/{id}/sessions/revoke")]
async fn revoke_all(ctx: Ctx, auth: Auth, path: web::Path<IdPath>) -> ApiResult<HttpResponse> {
    let id = path.id;
    ctx.into_inner()
        .run(move |c| sessions::revoke_all(c, &auth, id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
