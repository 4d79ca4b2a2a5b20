//! Posts, threads, reactions, pins and saved posts.

use actix_web::{HttpResponse, delete, get, patch, post, put, web};
use hearth_api::{CreatePostRequest, EditPostRequest, FollowRequest, ReactionRequest};
use hearth_core::Id;

use super::{Ctx, IdPath};
use crate::auth::Auth;
use crate::error::ApiResult;
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
#[get("/users/me/saved")]
async fn saved(ctx: Ctx, auth: Auth) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(
        ctx.into_inner()
            .run(move |c| posts::saved(c, &auth))
            .await?,
    ))
}

/// GET /api/v1/users/me/threads
#[get("/users/me/threads")]
async fn my_threads(ctx: Ctx, auth: Auth) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(
        ctx.into_inner()
            .run(move |c| threads::mine(c, &auth))
            .await?,
    ))
}

/// GET /api/v1/posts/{id}
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
#[delete("/posts/{id}")]
async fn delete_post(ctx: Ctx, auth: Auth, path: web::Path<IdPath>) -> ApiResult<HttpResponse> {
    let id = path.id;
    ctx.into_inner()
        .run(move |c| posts::delete(c, &auth, id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// GET /api/v1/posts/{id}/history
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
#[post("/posts/{id}/save")]
async fn save(ctx: Ctx, auth: Auth, path: web::Path<IdPath>) -> ApiResult<HttpResponse> {
    let id = path.id;
    ctx.into_inner()
        .run(move |c| posts::save(c, &auth, id, true))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// DELETE /api/v1/posts/{id}/save
#[delete("/posts/{id}/save")]
async fn unsave(ctx: Ctx, auth: Auth, path: web::Path<IdPath>) -> ApiResult<HttpResponse> {
    let id = path.id;
    ctx.into_inner()
        .run(move |c| posts::save(c, &auth, id, false))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
