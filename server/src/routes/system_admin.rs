//! System administration: the server's state and its configuration (system
//! admins only). The work is in `services::system` and `crate::settings`.

use actix_web::{HttpResponse, get, patch, post, web};
use hearth_api::{
    ConfigValidation, ConfigView, PatchConfigRequest, SystemStatus, ValidateConfigRequest,
};
use hearth_core::permissions::{Action, Facts, require};

use super::Ctx;
use crate::auth::Auth;
use crate::error::ApiResult;
use crate::openapi::{BadRequest, Conflict, Forbidden, PayloadTooLarge, Unauthorized};
use crate::services::system;
use crate::settings;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(status)
        .service(get_config)
        .service(validate_config)
        .service(patch_config)
        .service(reload_config);
}

fn admin_only(auth: &Auth) -> hearth_core::Result<()> {
    require(&auth.actor, Action::ManageServer, &Facts::default())
}

/// GET /api/v1/admin/system/status
#[utoipa::path(
    get,
    path = "/api/v1/admin/system/status",
    operation_id = "system_status",
    tag = "admin",
    summary = "Version, uptime, database, accounts, sessions, posts per day, search and LDAP state (system admin)",
    responses(
        (status = 200, description = "The server's state", body = SystemStatus),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
    ),
    security(("bearer" = []), ("session_cookie" = []))
)]
#[get("/admin/system/status")]
async fn status(ctx: Ctx, auth: Auth) -> ApiResult<HttpResponse> {
    admin_only(&auth)?;
    let s = ctx.into_inner().run(system::status).await?;
    Ok(HttpResponse::Ok().json(s))
}

/// GET /api/v1/admin/config
#[utoipa::path(
    get,
    path = "/api/v1/admin/config",
    operation_id = "config_get",
    tag = "admin",
    summary = "The configuration a restart would run with, secrets as \"********\", and which keys are fixed elsewhere (system admin)",
    responses(
        (status = 200, description = "The configuration", body = ConfigView),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
    ),
    security(("bearer" = []), ("session_cookie" = []))
)]
#[get("/admin/config")]
async fn get_config(ctx: Ctx, auth: Auth) -> ApiResult<HttpResponse> {
    admin_only(&auth)?;
    Ok(HttpResponse::Ok().json(ctx.settings.view()))
}

/// POST /api/v1/admin/config/validate
#[utoipa::path(
    post,
    path = "/api/v1/admin/config/validate",
    operation_id = "config_validate",
    tag = "admin",
    summary = "Check a full or partial configuration merged over the current one, without saving it (system admin)",
    request_body = ValidateConfigRequest,
    responses(
        (status = 200, description = "Valid; the keys it changes that need a restart", body = ConfigValidation),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 413, response = PayloadTooLarge),
    ),
    security(("bearer" = []), ("session_cookie" = [], "csrf_token" = []))
)]
#[post("/admin/config/validate")]
async fn validate_config(
    ctx: Ctx,
    auth: Auth,
    body: web::Json<ValidateConfigRequest>,
) -> ApiResult<HttpResponse> {
    admin_only(&auth)?;
    let v = settings::validate(&ctx, &body.config)?;
    Ok(HttpResponse::Ok().json(v))
}

/// PATCH /api/v1/admin/config
#[utoipa::path(
    patch,
    path = "/api/v1/admin/config",
    operation_id = "config_patch",
    tag = "admin",
    summary = "Change keys: validated, written into the configuration file keeping its comments, applied live where possible (system admin)",
    description = "Without a configuration file the server creates `<data_dir>/hearth.toml`, \
        which it reads on later starts when no `--config` is given. A secret sent as \
        `\"********\"` is left unchanged. Keys that need a restart are listed in `restart_required`.",
    request_body = PatchConfigRequest,
    responses(
        (status = 200, description = "The new configuration", body = ConfigView),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 409, response = Conflict),
        (status = 413, response = PayloadTooLarge),
    ),
    security(("bearer" = []), ("session_cookie" = [], "csrf_token" = []))
)]
#[patch("/admin/config")]
async fn patch_config(
    ctx: Ctx,
    auth: Auth,
    body: web::Json<PatchConfigRequest>,
) -> ApiResult<HttpResponse> {
    admin_only(&auth)?;
    let v = settings::patch(ctx.into_inner(), auth.user_id(), body.into_inner().set).await?;
    Ok(HttpResponse::Ok().json(v))
}

/// POST /api/v1/admin/config/reload
#[utoipa::path(
    post,
    path = "/api/v1/admin/config/reload",
    operation_id = "config_reload",
    tag = "admin",
    summary = "Read the configuration file and environment again and apply what can change live (system admin)",
    responses(
        (status = 200, description = "The new configuration", body = ConfigView),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
    ),
    security(("bearer" = []), ("session_cookie" = [], "csrf_token" = []))
)]
#[post("/admin/config/reload")]
async fn reload_config(ctx: Ctx, auth: Auth) -> ApiResult<HttpResponse> {
    admin_only(&auth)?;
    let v = settings::reload(ctx.into_inner(), auth.user_id()).await?;
    Ok(HttpResponse::Ok().json(v))
}
