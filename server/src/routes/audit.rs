//! The audit log for system administrators: paging through entries and
//! verifying the hash chain.

use actix_web::{HttpResponse, get, web};
use hearth_api::{AuditLogEntry, AuditPage, AuditQuery, AuditVerification};
use hearth_core::Error;
use hearth_store::models::AuditRow;
use hearth_store::parse_id;

use super::Ctx;
use crate::auth::Auth;
use crate::error::ApiResult;
use crate::openapi::{BadRequest, Forbidden, Unauthorized};

/// Entries per page unless `limit` says otherwise.
const DEFAULT_LIMIT: u32 = 100;
const MAX_LIMIT: u32 = 1000;
/// Rows read per query while verifying, bounding memory on large logs.
const VERIFY_BATCH: i64 = 1000;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(list).service(verify);
}

fn admin_only(auth: &Auth) -> hearth_core::Result<()> {
    if auth.actor.is_admin() {
        Ok(())
    } else {
        Err(Error::forbidden(
            "only system administrators read the audit log",
        ))
    }
}

fn to_api(row: AuditRow) -> AuditLogEntry {
    AuditLogEntry {
        seq: u64::try_from(row.seq).unwrap_or(0),
        id: parse_id(&row.id),
        at: row.created_at,
        actor_id: row.actor_id.as_deref().map(parse_id),
        action: row.action,
        target_kind: row.target_kind,
        target_id: row.target_id,
        details: serde_json::from_str(&row.details)
            .unwrap_or(serde_json::Value::String(row.details)),
        ip: row.ip,
        prev_hash: row.prev_hash,
        hash: row.hash,
    }
}

/// GET /api/v1/admin/audit
#[utoipa::path(
    get,
    path = "/api/v1/admin/audit",
    operation_id = "audit_list",
    tag = "admin",
    summary = "Audit entries, oldest first, paged by seq (system admin)",
    params(
        ("after" = Option<u64>, Query, description = "Only entries with a larger seq (the previous page's next_after)"),
        ("limit" = Option<u32>, Query, description = "Entries per page, 1 to 1000 (default 100)"),
        ("action" = Option<String>, Query, description = "Only this action"),
        ("actor_id" = Option<uuid::Uuid>, Query, description = "Only this actor"),
        ("since" = Option<i64>, Query, description = "Only entries at or after this time (UTC milliseconds)"),
        ("until" = Option<i64>, Query, description = "Only entries before this time (UTC milliseconds)"),
    ),
    responses(
        (status = 200, description = "A page of entries", body = AuditPage),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
    ),
    security(("bearer" = []), ("session_cookie" = []))
)]
#[get("/admin/audit")]
async fn list(ctx: Ctx, auth: Auth, query: web::Query<AuditQuery>) -> ApiResult<HttpResponse> {
    let q = query.into_inner();
    let limit = q.limit.unwrap_or(DEFAULT_LIMIT);
    let page = ctx
        .into_inner()
        .run(move |c| {
            admin_only(&auth)?;
            if !(1..=MAX_LIMIT).contains(&limit) {
                return Err(Error::invalid(format!(
                    "limit must be between 1 and {MAX_LIMIT}"
                )));
            }
            let after = i64::try_from(q.after.unwrap_or(0))
                .map_err(|_| Error::invalid("after is too large"))?;
            let actor = q.actor_id.map(|a| a.to_string());
            let rows = c.store.read(|conn| {
                Ok(hearth_store::audit::page(
                    conn,
                    after,
                    i64::from(limit),
                    q.action.as_deref(),
                    actor.as_deref(),
                    (q.since, q.until),
                )?)
            })?;
            let full = rows.len() == limit as usize;
            let entries: Vec<AuditLogEntry> = rows.into_iter().map(to_api).collect();
            let next_after = if full {
                entries.last().map(|e| e.seq)
            } else {
                None
            };
            Ok(AuditPage {
                entries,
                next_after,
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(page))
}

/// GET /api/v1/admin/audit/verify
#[utoipa::path(
    get,
    path = "/api/v1/admin/audit/verify",
    operation_id = "audit_verify",
    tag = "admin",
    summary = "Recompute the audit chain and report the first entry that was changed, removed or reordered (system admin)",
    responses(
        (status = 200, description = "The verification; `ok` false names the first bad seq", body = AuditVerification),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
    ),
    security(("bearer" = []), ("session_cookie" = []))
)]
#[get("/admin/audit/verify")]
async fn verify(ctx: Ctx, auth: Auth) -> ApiResult<HttpResponse> {
    let answer = ctx
        .into_inner()
        .run(move |c| {
            admin_only(&auth)?;
            let v = c
                .store
                .read(|conn| Ok(hearth_store::audit::verify(conn, VERIFY_BATCH)?))?;
            if let Some(t) = &v.tamper {
                tracing::warn!(seq = t.seq, reason = %t.reason, "audit chain broken");
            }
            Ok(AuditVerification {
                ok: v.tamper.is_none(),
                entries: v.entries,
                head_hash: v.head_hash,
                first_bad_seq: v.tamper.as_ref().map(|t| t.seq),
                reason: v.tamper.map(|t| t.reason),
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(answer))
}
