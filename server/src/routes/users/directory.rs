//! Finding people: the directory search and lookups by id or username.

use actix_web::{HttpResponse, get, web};
use hearth_api::User;

use crate::auth::Auth;
use crate::error::ApiResult;
use crate::openapi::{BadRequest, Forbidden, NotFound, Unauthorized};
use crate::routes::{Ctx, IdPath};
use crate::services::accounts;

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
pub(super) async fn search(
    ctx: Ctx,
    auth: Auth,
    q: web::Query<SearchQuery>,
) -> ApiResult<HttpResponse> {
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
pub(super) async fn by_username(
    ctx: Ctx,
    auth: Auth,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
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
pub(super) async fn get_user(
    ctx: Ctx,
    auth: Auth,
    path: web::Path<IdPath>,
) -> ApiResult<HttpResponse> {
    let id = path.id;
    let u = ctx
        .into_inner()
        .run(move |c| accounts::get(c, &auth, id))
        .await?;
    Ok(HttpResponse::Ok().json(u))
}
