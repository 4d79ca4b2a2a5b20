//! Checking a configured OpenID Connect provider from the server's side
//! (`hearthctl oidc test`), before users meet a broken sign-in button.

use actix_web::{HttpResponse, post, web};
use hearth_api::{OidcCheckStep, OidcDiagnosis};
use hearth_core::Error;
use hearth_core::permissions::{Action, Facts, require};

use super::Ctx;
use crate::auth::Auth;
use crate::error::ApiResult;
use crate::openapi::{Forbidden, NotFound, Unauthorized};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(test_provider);
}

/// POST /api/v1/admin/oidc/{provider}/test
#[utoipa::path(
    post,
    path = "/api/v1/admin/oidc/{provider}/test",
    operation_id = "oidc_test",
    tag = "admin",
    summary = "Fetch a provider's discovery document and key set and report each step (system admin)",
    params(
        ("provider" = String, Path, description = "Provider id from `[[oidc.providers]]`"),
    ),
    responses(
        (status = 200, description = "The steps; `ok` false names the failed one", body = OidcDiagnosis),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    ),
    security(("bearer" = []), ("session_cookie" = [], "csrf_token" = []))
)]
#[post("/admin/oidc/{provider}/test")]
async fn test_provider(ctx: Ctx, auth: Auth, path: web::Path<String>) -> ApiResult<HttpResponse> {
    require(&auth.actor, Action::ManageUsers, &Facts::default())?;
    let provider = path.into_inner();
    if ctx.signin.oidc.config(&provider).is_none() {
        return Err(Error::NotFound("provider").into());
    }
    let checks = ctx
        .signin
        .oidc
        .check_provider(&provider)
        .await
        .map_err(|e| Error::internal(e.to_string()))?;
    let steps: Vec<OidcCheckStep> = checks
        .into_iter()
        .map(|c| OidcCheckStep {
            check: c.check.to_string(),
            status: if c.ok { "ok" } else { "failed" }.to_string(),
            detail: c.detail,
            elapsed_ms: c.elapsed_ms,
        })
        .collect();
    Ok(HttpResponse::Ok().json(OidcDiagnosis {
        ok: steps.iter().all(|s| s.status == "ok"),
        provider,
        steps,
    }))
}
