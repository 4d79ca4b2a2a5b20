//! Full-text search of posts and files, and the index's administration.

use actix_web::{HttpResponse, get, post, web};
use hearth_api::{FileSearchResults, PostSearchResults, SearchRequest, SearchStatus};

use super::Ctx;
use crate::auth::Auth;
use crate::error::ApiResult;
use crate::openapi::{BadRequest, Conflict, Forbidden, ServiceUnavailable, Unauthorized};
use crate::search;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(search_posts)
        .service(search_files)
        .service(status)
        .service(reindex);
}

/// POST /api/v1/posts/search
#[utoipa::path(
    post,
    path = "/api/v1/posts/search",
    operation_id = "search_posts",
    tag = "search",
    summary = "Search posts in the channels the caller may read",
    request_body = SearchRequest,
    responses(
        (status = 200, description = "A page of matching posts", body = PostSearchResults),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 503, response = ServiceUnavailable),
    ),
    security(("bearer" = []), ("session_cookie" = [], "csrf_token" = []))
)]
#[post("/posts/search")]
async fn search_posts(
    ctx: Ctx,
    auth: Auth,
    body: web::Json<SearchRequest>,
) -> ApiResult<HttpResponse> {
    let found = ctx
        .into_inner()
        .run(move |c| search::search_posts(c, &auth, body.into_inner()))
        .await?;
    Ok(HttpResponse::Ok().json(found))
}

/// POST /api/v1/files/search
#[utoipa::path(
    post,
    path = "/api/v1/files/search",
    operation_id = "search_files",
    tag = "search",
    summary = "Search attachments (names and text) in the channels the caller may read",
    request_body = SearchRequest,
    responses(
        (status = 200, description = "A page of matching files", body = FileSearchResults),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 503, response = ServiceUnavailable),
    ),
    security(("bearer" = []), ("session_cookie" = [], "csrf_token" = []))
)]
#[post("/files/search")]
async fn search_files(
    ctx: Ctx,
    auth: Auth,
    body: web::Json<SearchRequest>,
) -> ApiResult<HttpResponse> {
    let found = ctx
        .into_inner()
        .run(move |c| search::search_files(c, &auth, body.into_inner()))
        .await?;
    Ok(HttpResponse::Ok().json(found))
}

/// GET /api/v1/admin/search/status
#[utoipa::path(
    get,
    path = "/api/v1/admin/search/status",
    operation_id = "search_status",
    tag = "search",
    summary = "Index size, documents and how far it lags behind (system admin)",
    responses(
        (status = 200, description = "Status", body = SearchStatus),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
    ),
    security(("bearer" = []), ("session_cookie" = []))
)]
#[get("/admin/search/status")]
async fn status(ctx: Ctx, auth: Auth) -> ApiResult<HttpResponse> {
    let answer = ctx
        .into_inner()
        .run(move |c| search::admin::status(c, &auth))
        .await?;
    Ok(HttpResponse::Ok().json(answer))
}

/// POST /api/v1/admin/search/reindex
#[utoipa::path(
    post,
    path = "/api/v1/admin/search/reindex",
    operation_id = "search_reindex",
    tag = "search",
    summary = "Rebuild the index from the database beside the live one, then swap (system admin); answers when done",
    responses(
        (status = 200, description = "The rebuilt index", body = SearchStatus),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 409, response = Conflict),
        (status = 503, response = ServiceUnavailable),
    ),
    security(("bearer" = []), ("session_cookie" = [], "csrf_token" = []))
)]
#[post("/admin/search/reindex")]
async fn reindex(ctx: Ctx, auth: Auth) -> ApiResult<HttpResponse> {
    let answer = ctx
        .into_inner()
        .run(move |c| search::admin::reindex(c, &auth))
        .await?;
    Ok(HttpResponse::Ok().json(answer))
}
