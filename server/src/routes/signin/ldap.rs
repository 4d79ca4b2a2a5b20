//! LDAP administration: connection and user tests, sync and its status.

use actix_web::{HttpResponse, get, post, web};
use hearth_api::{LdapDiagnosis, LdapStatus, LdapSyncReport, LdapTestUserRequest};

use hearth_core::Error;
use hearth_core::permissions::{Action, Facts, require};

use crate::auth::Auth;
use crate::error::ApiResult;
use crate::openapi::{BadRequest, Forbidden, ServiceUnavailable, Unauthorized};
use crate::routes::Ctx;
use crate::signin::directory;

/// Directory administration is for system administrators.
fn require_admin(auth: &Auth) -> Result<(), Error> {
    require(&auth.actor, Action::ManageUsers, &Facts::default())
}

/// POST /api/v1/admin/ldap/test
#[utoipa::path(
    post,
    path = "/api/v1/admin/ldap/test",
    operation_id = "ldap_test",
    tag = "admin",
    summary = "Test the LDAP configuration step by step (system admin)",
    description = "Config, DNS, TCP, TLS, service bind, base DN, user filter, attributes, groups and \
        the disabled filter; stops at the first failure and names it.",
    responses(
        (status = 200, description = "The steps and whether all passed", body = LdapDiagnosis),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 503, response = ServiceUnavailable),
    ),
    security(("bearer" = []), ("session_cookie" = [], "csrf_token" = []))
)]
#[post("/admin/ldap/test")]
pub(super) async fn ldap_test(ctx: Ctx, auth: Auth) -> ApiResult<HttpResponse> {
    require_admin(&auth)?;
    let d = directory::test_connection(ctx.into_inner(), auth.user_id()).await?;
    Ok(HttpResponse::Ok().json(d))
}

/// POST /api/v1/admin/ldap/test-user
#[utoipa::path(
    post,
    path = "/api/v1/admin/ldap/test-user",
    operation_id = "ldap_test_user",
    tag = "admin",
    summary = "Explain what happens when a directory user logs in (system admin)",
    request_body = LdapTestUserRequest,
    responses(
        (status = 200, description = "The steps, through the user's bind when a password is given", body = LdapDiagnosis),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 503, response = ServiceUnavailable),
    ),
    security(("bearer" = []), ("session_cookie" = [], "csrf_token" = []))
)]
#[post("/admin/ldap/test-user")]
pub(super) async fn ldap_test_user(
    ctx: Ctx,
    auth: Auth,
    body: web::Json<LdapTestUserRequest>,
) -> ApiResult<HttpResponse> {
    require_admin(&auth)?;
    let b = body.into_inner();
    let d = directory::test_user(ctx.into_inner(), auth.user_id(), b.login, b.password).await?;
    Ok(HttpResponse::Ok().json(d))
}

/// POST /api/v1/admin/ldap/sync
#[utoipa::path(
    post,
    path = "/api/v1/admin/ldap/sync",
    operation_id = "ldap_sync",
    tag = "admin",
    summary = "Sync with the directory now (system admin)",
    description = "Creates, updates, deactivates (ending their sessions at once) and reactivates \
        accounts and applies group mappings; waits for a run already in progress.",
    responses(
        (status = 200, description = "What the run did", body = LdapSyncReport),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 503, response = ServiceUnavailable),
    ),
    security(("bearer" = []), ("session_cookie" = [], "csrf_token" = []))
)]
#[post("/admin/ldap/sync")]
pub(super) async fn ldap_sync(ctx: Ctx, auth: Auth) -> ApiResult<HttpResponse> {
    require_admin(&auth)?;
    let r = directory::run_sync(ctx.into_inner(), Some(auth.user_id())).await?;
    Ok(HttpResponse::Ok().json(r))
}

/// GET /api/v1/admin/ldap/status
#[utoipa::path(
    get,
    path = "/api/v1/admin/ldap/status",
    operation_id = "ldap_status",
    tag = "admin",
    summary = "Directory sync state: last run, its report, the next run (system admin)",
    responses(
        (status = 200, description = "Sync state", body = LdapStatus),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
    ),
    security(("bearer" = []), ("session_cookie" = []))
)]
#[get("/admin/ldap/status")]
pub(super) async fn ldap_status(ctx: Ctx, auth: Auth) -> ApiResult<HttpResponse> {
    require_admin(&auth)?;
    Ok(HttpResponse::Ok().json(crate::signin::ldap_status(&ctx)))
}
