//! The CSRF token of a cookie session, for clients that lost it.

use actix_web::http::header;
use actix_web::{HttpResponse, get};
use hearth_api::CsrfTokenResponse;
use hearth_core::Error;

use crate::auth::Auth;
use crate::error::ApiResult;
use crate::openapi::{Forbidden, Unauthorized};
use crate::routes::Ctx;

/// GET /api/v1/users/me/csrf
#[utoipa::path(
    get,
    path = "/api/v1/users/me/csrf",
    operation_id = "csrf_token",
    tag = "users",
    summary = "The session's CSRF token",
    description = "For clients signed in by a redirect (single sign-on), which never saw a login \
        response. Pages of other origins cannot read it.",
    responses(
        (status = 200, description = "Send it as `X-CSRF-Token` on cookie-authenticated writes", body = CsrfTokenResponse),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
    ),
    security(("bearer" = []), ("session_cookie" = []))
)]
#[get("/users/me/csrf")]
pub(super) async fn csrf(ctx: Ctx, auth: Auth) -> ApiResult<HttpResponse> {
    let sid = auth.session_id.clone();
    let token = ctx
        .into_inner()
        .run(move |c| {
            c.store.read(|conn| {
                hearth_store::sessions::by_id(conn, &sid)?
                    .map(|s| s.csrf_token)
                    .ok_or(Error::SessionExpired)
            })
        })
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(CsrfTokenResponse { csrf_token: token }))
}
