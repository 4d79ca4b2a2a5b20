//! The caller's own account: profile, password and avatar, and others' avatars.

use actix_web::http::header;
use actix_web::{HttpResponse, get, patch, put, web};
use hearth_api::{ChangePasswordRequest, UpdateProfileRequest, User};
use hearth_core::Error;

use crate::auth::Auth;
use crate::error::ApiResult;
use crate::openapi::{BadRequest, Conflict, Forbidden, NotFound, PayloadTooLarge, Unauthorized};
use crate::routes::{Ctx, IdPath};
use crate::services::{accounts, files as file_svc};

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
pub(super) async fn me(auth: Auth) -> ApiResult<HttpResponse> {
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
pub(super) async fn update_me(
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
pub(super) async fn change_password(
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
pub(super) async fn set_avatar(
    ctx: Ctx,
    auth: Auth,
    body: web::Payload,
) -> ApiResult<HttpResponse> {
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
pub(super) async fn avatar(
    ctx: Ctx,
    auth: Auth,
    path: web::Path<IdPath>,
) -> ApiResult<HttpResponse> {
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
