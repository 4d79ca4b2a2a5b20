//! Posts, threads, reactions, pins and saved posts.

use actix_web::{HttpResponse, delete, get, patch, post, put, web};
use hearth_api::{
    CreatePostRequest, EditPostRequest, FollowRequest, Post, PostPage, PostVersion, Reaction,
    ReactionRequest, ThreadState,
};
use hearth_core::Id;

use super::{Ctx, IdPath};
use crate::auth::Auth;
use crate::error::ApiResult;
use crate::openapi::{
    BadRequest, Forbidden, NotFound, PayloadTooLarge, TooManyRequests, Unauthorized,
};
use crate::services::{posts, threads};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(create)
        .service(saved)
        .service(my_threads)
        .service(get_post)
        .service(edit)
        .service(delete_post)
        .service(history)
        .service(thread)
        .service(view_thread)
        .service(add_reaction)
        .service(remove_reaction)
        .service(pin)
        .service(unpin)
        .service(save)
        .service(unsave)
        .service(follow);
}

/// POST /api/v1/posts
#[utoipa::path(
    post,
    path = "/api/v1/posts",
    operation_id = "create_post",
    tag = "posts",
    summary = "Post a message or a reply (rate limited per user)",
    request_body = CreatePostRequest,
    responses(
        (status = 201, description = "The new post", body = Post),
        (status = 200, description = "A retry with an idempotency key already used: the original post, nothing written", body = Post),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 413, response = PayloadTooLarge),
        (status = 429, response = TooManyRequests),
    ),
    security(("bearer" = []), ("session_cookie" = [], "csrf_token" = []))
)]
#[post("/posts")]
async fn create(
    ctx: Ctx,
    auth: Auth,
    body: web::Json<CreatePostRequest>,
) -> ApiResult<HttpResponse> {
    ctx.limits.post(auth.user_id())?;
    let metrics = ctx.metrics.clone();
    let (post, created) = ctx
        .into_inner()
        .run(move |c| posts::create(c, &auth, body.into_inner()))
        .await?;
    if created {
        metrics.posts_created.inc();
        Ok(HttpResponse::Created().json(post))
    } else {
        Ok(HttpResponse::Ok().json(post))
    }
}

/// GET /api/v1/users/me/saved
#[utoipa::path(
    get,
    path = "/api/v1/users/me/saved",
    operation_id = "saved_posts",
    tag = "posts",
    summary = "The caller's saved posts in channels they can still read",
    responses(
        (status = 200, description = "Posts", body = [Post]),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
    ),
    security(("bearer" = []), ("session_cookie" = []))
)]
#[get("/users/me/saved")]
async fn saved(ctx: Ctx, auth: Auth) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(
        ctx.into_inner()
            .run(move |c| posts::saved(c, &auth))
            .await?,
    ))
}

/// GET /api/v1/users/me/threads
#[utoipa::path(
    get,
    path = "/api/v1/users/me/threads",
    operation_id = "my_threads",
    tag = "posts",
    summary = "Threads the caller follows, newest activity first",
    responses(
        (status = 200, description = "Thread states", body = [ThreadState]),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
    ),
    security(("bearer" = []), ("session_cookie" = []))
)]
#[get("/users/me/threads")]
async fn my_threads(ctx: Ctx, auth: Auth) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(
        ctx.into_inner()
            .run(move |c| threads::mine(c, &auth))
            .await?,
    ))
}

/// GET /api/v1/posts/{id}
#[utoipa::path(
    get,
    path = "/api/v1/posts/{id}",
    operation_id = "get_post",
    tag = "posts",
    summary = "A post",
    params(
        ("id" = uuid::Uuid, Path, description = "Post id"),
    ),
    responses(
        (status = 200, description = "The post", body = Post),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    ),
    security(("bearer" = []), ("session_cookie" = []))
)]
#[get("/posts/{id}")]
async fn get_post(ctx: Ctx, auth: Auth, path: web::Path<IdPath>) -> ApiResult<HttpResponse> {
    let id = path.id;
    Ok(HttpResponse::Ok().json(
        ctx.into_inner()
            .run(move |c| posts::get(c, &auth, id))
            .await?,
    ))
}

/// PATCH /api/v1/posts/{id}
#[utoipa::path(
    patch,
    path = "/api/v1/posts/{id}",
    operation_id = "edit_post",
    tag = "posts",
    summary = "Edit a post's message (the author; system admins); the old text goes to the history",
    params(
        ("id" = uuid::Uuid, Path, description = "Post id"),
    ),
    request_body = EditPostRequest,
    responses(
        (status = 200, description = "The edited post", body = Post),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 413, response = PayloadTooLarge),
    ),
    security(("bearer" = []), ("session_cookie" = [], "csrf_token" = []))
)]
#[patch("/posts/{id}")]
async fn edit(
    ctx: Ctx,
    auth: Auth,
    path: web::Path<IdPath>,
    body: web::Json<EditPostRequest>,
) -> ApiResult<HttpResponse> {
    let id = path.id;
    Ok(HttpResponse::Ok().json(
        ctx.into_inner()
            .run(move |c| posts::edit(c, &auth, id, &body.message))
            .await?,
    ))
}

/// DELETE /api/v1/posts/{id}
#[utoipa::path(
    delete,
    path = "/api/v1/posts/{id}",
    operation_id = "delete_post",
    tag = "posts",
    summary = "Delete a post (the author; channel, team and system admins)",
    params(
        ("id" = uuid::Uuid, Path, description = "Post id"),
    ),
    responses(
        (status = 204, description = "Deleted"),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    ),
    security(("bearer" = []), ("session_cookie" = [], "csrf_token" = []))
)]
#[delete("/posts/{id}")]
async fn delete_post(ctx: Ctx, auth: Auth, path: web::Path<IdPath>) -> ApiResult<HttpResponse> {
    let id = path.id;
    ctx.into_inner()
        .run(move |c| posts::delete(c, &auth, id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// GET /api/v1/posts/{id}/history
#[utoipa::path(
    get,
    path = "/api/v1/posts/{id}/history",
    operation_id = "post_history",
    tag = "posts",
    summary = "Earlier versions of a post (the author and system admins)",
    params(
        ("id" = uuid::Uuid, Path, description = "Post id"),
    ),
    responses(
        (status = 200, description = "Versions, oldest first", body = [PostVersion]),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    ),
    security(("bearer" = []), ("session_cookie" = []))
)]
#[get("/posts/{id}/history")]
async fn history(ctx: Ctx, auth: Auth, path: web::Path<IdPath>) -> ApiResult<HttpResponse> {
    let id = path.id;
    Ok(HttpResponse::Ok().json(
        ctx.into_inner()
            .run(move |c| posts::history(c, &auth, id))
            .await?,
    ))
}

/// GET /api/v1/posts/{id}/thread
#[utoipa::path(
    get,
    path = "/api/v1/posts/{id}/thread",
    operation_id = "post_thread",
    tag = "posts",
    summary = "The whole thread of a post: root first, then replies",
    params(
        ("id" = uuid::Uuid, Path, description = "Post id: the thread root or any reply in the thread"),
    ),
    responses(
        (status = 200, description = "The thread", body = PostPage),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    ),
    security(("bearer" = []), ("session_cookie" = []))
)]
#[get("/posts/{id}/thread")]
async fn thread(ctx: Ctx, auth: Auth, path: web::Path<IdPath>) -> ApiResult<HttpResponse> {
    let id = path.id;
    Ok(HttpResponse::Ok().json(
        ctx.into_inner()
            .run(move |c| posts::thread(c, &auth, id))
            .await?,
    ))
}

/// POST /api/v1/posts/{id}/thread/view
#[utoipa::path(
    post,
    path = "/api/v1/posts/{id}/thread/view",
    operation_id = "view_thread",
    tag = "posts",
    summary = "Mark a thread read",
    params(
        ("id" = uuid::Uuid, Path, description = "Post id: the thread root or any reply in the thread"),
    ),
    responses(
        (status = 200, description = "The caller's thread state", body = ThreadState),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    ),
    security(("bearer" = []), ("session_cookie" = [], "csrf_token" = []))
)]
#[post("/posts/{id}/thread/view")]
async fn view_thread(ctx: Ctx, auth: Auth, path: web::Path<IdPath>) -> ApiResult<HttpResponse> {
    let id = path.id;
    Ok(HttpResponse::Ok().json(
        ctx.into_inner()
            .run(move |c| threads::view(c, &auth, id))
            .await?,
    ))
}

/// PUT /api/v1/posts/{id}/follow
#[utoipa::path(
    put,
    path = "/api/v1/posts/{id}/follow",
    operation_id = "follow_thread",
    tag = "posts",
    summary = "Follow or unfollow a thread",
    params(
        ("id" = uuid::Uuid, Path, description = "Post id: the thread root or any reply in the thread"),
    ),
    request_body = FollowRequest,
    responses(
        (status = 200, description = "The caller's thread state", body = ThreadState),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 413, response = PayloadTooLarge),
    ),
    security(("bearer" = []), ("session_cookie" = [], "csrf_token" = []))
)]
#[put("/posts/{id}/follow")]
async fn follow(
    ctx: Ctx,
    auth: Auth,
    path: web::Path<IdPath>,
    body: web::Json<FollowRequest>,
) -> ApiResult<HttpResponse> {
    let id = path.id;
    Ok(HttpResponse::Ok().json(
        ctx.into_inner()
            .run(move |c| threads::follow(c, &auth, id, body.following))
            .await?,
    ))
}

/// POST /api/v1/posts/{id}/reactions
#[utoipa::path(
    post,
    path = "/api/v1/posts/{id}/reactions",
    operation_id = "add_reaction",
    tag = "posts",
    summary = "React to a post with an emoji",
    params(
        ("id" = uuid::Uuid, Path, description = "Post id"),
    ),
    request_body = ReactionRequest,
    responses(
        (status = 201, description = "The reaction (also when it already existed)", body = Reaction),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 413, response = PayloadTooLarge),
    ),
    security(("bearer" = []), ("session_cookie" = [], "csrf_token" = []))
)]
#[post("/posts/{id}/reactions")]
async fn add_reaction(
    ctx: Ctx,
    auth: Auth,
    path: web::Path<IdPath>,
    body: web::Json<ReactionRequest>,
) -> ApiResult<HttpResponse> {
    let id = path.id;
    let r = ctx
        .into_inner()
        .run(move |c| posts::react(c, &auth, id, &body.emoji_name, true))
        .await?;
    Ok(HttpResponse::Created().json(r))
}

#[derive(Debug, serde::Deserialize)]
struct ReactionPath {
    id: Id,
    emoji_name: String,
}

/// DELETE /api/v1/posts/{id}/reactions/{emoji_name}
#[utoipa::path(
    delete,
    path = "/api/v1/posts/{id}/reactions/{emoji_name}",
    operation_id = "remove_reaction",
    tag = "posts",
    summary = "Remove the caller's reaction",
    params(
        ("id" = uuid::Uuid, Path, description = "Post id"),
        ("emoji_name" = String, Path, description = "Emoji name, without colons"),
    ),
    responses(
        (status = 204, description = "Removed"),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    ),
    security(("bearer" = []), ("session_cookie" = [], "csrf_token" = []))
)]
#[delete("/posts/{id}/reactions/{emoji_name}")]
async fn remove_reaction(
    ctx: Ctx,
    auth: Auth,
    path: web::Path<ReactionPath>,
) -> ApiResult<HttpResponse> {
    let ReactionPath { id, emoji_name } = path.into_inner();
    ctx.into_inner()
        .run(move |c| posts::react(c, &auth, id, &emoji_name, false))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// POST /api/v1/posts/{id}/pin
#[utoipa::path(
    post,
    path = "/api/v1/posts/{id}/pin",
    operation_id = "pin_post",
    tag = "posts",
    summary = "Pin a post to its channel (members who may post)",
    params(
        ("id" = uuid::Uuid, Path, description = "Post id"),
    ),
    responses(
        (status = 200, description = "The post", body = Post),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    ),
    security(("bearer" = []), ("session_cookie" = [], "csrf_token" = []))
)]
#[post("/posts/{id}/pin")]
async fn pin(ctx: Ctx, auth: Auth, path: web::Path<IdPath>) -> ApiResult<HttpResponse> {
    let id = path.id;
    Ok(HttpResponse::Ok().json(
        ctx.into_inner()
            .run(move |c| posts::pin(c, &auth, id, true))
            .await?,
    ))
}

/// POST /api/v1/posts/{id}/unpin
#[utoipa::path(
    post,
    path = "/api/v1/posts/{id}/unpin",
    operation_id = "unpin_post",
    tag = "posts",
    summary = "Unpin a post (members who may post)",
    params(
        ("id" = uuid::Uuid, Path, description = "Post id"),
    ),
    responses(
        (status = 200, description = "The post", body = Post),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    ),
    security(("bearer" = []), ("session_cookie" = [], "csrf_token" = []))
)]
#[post("/posts/{id}/unpin")]
async fn unpin(ctx: Ctx, auth: Auth, path: web::Path<IdPath>) -> ApiResult<HttpResponse> {
    let id = path.id;
    Ok(HttpResponse::Ok().json(
        ctx.into_inner()
            .run(move |c| posts::pin(c, &auth, id, false))
            .await?,
    ))
}

/// POST /api/v1/posts/{id}/save
#[utoipa::path(
    post,
    path = "/api/v1/posts/{id}/save",
    operation_id = "save_post",
    tag = "posts",
    summary = "Save a post for later",
    params(
        ("id" = uuid::Uuid, Path, description = "Post id"),
    ),
    responses(
        (status = 204, description = "Saved"),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    ),
    security(("bearer" = []), ("session_cookie" = [], "csrf_token" = []))
)]
#[post("/posts/{id}/save")]
async fn save(ctx: Ctx, auth: Auth, path: web::Path<IdPath>) -> ApiResult<HttpResponse> {
    let id = path.id;
    ctx.into_inner()
        .run(move |c| posts::save(c, &auth, id, true))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// DELETE /api/v1/posts/{id}/save
#[utoipa::path(
    delete,
    path = "/api/v1/posts/{id}/save",
    operation_id = "unsave_post",
    tag = "posts",
    summary = "Remove a post from the caller's saved posts",
    params(
        ("id" = uuid::Uuid, Path, description = "Post id"),
    ),
    responses(
        (status = 204, description = "No longer saved"),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    ),
    security(("bearer" = []), ("session_cookie" = [], "csrf_token" = []))
)]
#[delete("/posts/{id}/save")]
async fn unsave(ctx: Ctx, auth: Auth, path: web::Path<IdPath>) -> ApiResult<HttpResponse> {
    let id = path.id;
    ctx.into_inner()
        .run(move |c| posts::save(c, &auth, id, false))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
