//! The audit log for system administrators: paging through entries and
//! verifying the hash chain.

use actix_web::{HttpResponse, get, web};
use hearth_api::{AuditLogEntry, AuditPage, AuditQuery, AuditVerification};
use hearth_core::Error;
use hearth_core::permissions::{Action, Facts, require};
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
    cfg.service(list).service(verify).service(export);
}

/// System admins and compliance officers read the audit log.
fn admin_only(auth: &Auth) -> hearth_core::Result<()> {
    require(&auth.actor, Action::ReadAuditLog, &Facts::default())
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
    params(AuditVerifyQuery),
    responses(
        (status = 200, description = "The verification; `ok` false names the first bad seq, or with `unchecked_from_seq` says that keyed entries could not be checked without the audit key", body = AuditVerification),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
    ),
    security(("bearer" = []), ("session_cookie" = []))
)]
#[get("/admin/audit/verify")]
async fn verify(ctx: Ctx, auth: Auth, q: web::Query<AuditVerifyQuery>) -> ApiResult<HttpResponse> {
    let expected = q.into_inner().expected_head;
    let answer = ctx
        .into_inner()
        .run(move |c| {
            admin_only(&auth)?;
            let expected = match expected.as_deref() {
                Some(h) => {
                    let mut out = [0u8; 32];
                    hex::decode_to_slice(h, &mut out).map_err(|_| {
                        Error::invalid("expected_head must be 64 hexadecimal digits")
                    })?;
                    Some(out)
                }
                None => None,
            };
            let keying = c.store.audit_keying();
            let v = c.store.read(|conn| {
                Ok(hearth_store::audit::verify(
                    conn,
                    VERIFY_BATCH,
                    expected,
                    keying,
                )?)
            })?;
            if let Some(t) = &v.tamper {
                tracing::warn!(seq = t.seq, reason = %t.reason, "audit chain broken");
            }
            let reason = match (&v.tamper, v.unchecked_from) {
                (Some(t), _) => Some(t.reason.clone()),
                (None, Some(from)) => Some(format!(
                    "cannot check keyed entries: the entries from seq {from} on are keyed with the audit key ([audit] hmac_key), which this server was started without; only their order and links were checked"
                )),
                (None, None) => None,
            };
            Ok(AuditVerification {
                ok: v.tamper.is_none() && v.unchecked_from.is_none(),
                entries: v.entries,
                head_hash: v.head_hash,
                first_bad_seq: v.tamper.as_ref().map(|t| t.seq),
                reason,
                keyed_from_seq: v.keyed_from,
                unchecked_from_seq: v.unchecked_from,
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(answer))
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AuditVerifyQuery {
    /// A head hash kept outside the database (from an earlier verification
    /// or an export manifest's `audit_head`): the chain must contain an
    /// entry with this hash, which catches a log cut back or rewritten.
    pub expected_head: Option<String>,
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AuditExportQuery {
    /// `jsonl` (default: one entry per line, with its hashes) or `csv`.
    pub format: Option<String>,
    /// Only entries at or after this time (ms).
    pub since: Option<i64>,
    /// Only entries before this time (ms).
    pub until: Option<i64>,
}

const CSV_HEADER: &str =
    "seq,id,at,actor_id,action,target_kind,target_id,ip,details,prev_hash,hash\n";

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// GET /api/v1/admin/audit/export
#[utoipa::path(
    get,
    path = "/api/v1/admin/audit/export",
    operation_id = "audit_export",
    tag = "admin",
    summary = "The audit log as JSON lines or CSV, with each entry's chain hashes (system admin or compliance officer; audited)",
    params(AuditExportQuery),
    responses(
        (status = 200, description = "The entries, oldest first", content(("application/x-ndjson"), ("text/csv"))),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
    ),
    security(("bearer" = []), ("session_cookie" = []))
)]
#[get("/admin/audit/export")]
async fn export(ctx: Ctx, auth: Auth, q: web::Query<AuditExportQuery>) -> ApiResult<HttpResponse> {
    let q = q.into_inner();
    let csv = match q.format.as_deref() {
        None | Some("jsonl") => false,
        Some("csv") => true,
        Some(other) => {
            return Err(
                Error::invalid(format!("format must be jsonl or csv, not {other:?}")).into(),
            );
        }
    };
    let body = ctx
        .into_inner()
        .run(move |c| {
            admin_only(&auth)?;
            c.store.write(|tx| {
                crate::services::audit::record(
                    tx,
                    Some(auth.user_id()),
                    "audit.export",
                    "audit_log",
                    None,
                    serde_json::json!({ "format": if csv { "csv" } else { "jsonl" }, "since": q.since, "until": q.until }),
                )
            })?;
            let mut out = String::new();
            if csv {
                out.push_str(CSV_HEADER);
            }
            let mut after = 0i64;
            loop {
                let rows = c.store.read(|conn| {
                    Ok(hearth_store::audit::page(
                        conn,
                        after,
                        VERIFY_BATCH,
                        None,
                        None,
                        (q.since, q.until),
                    )?)
                })?;
                let Some(last) = rows.last() else { break };
                after = last.seq;
                let n = rows.len();
                for row in rows {
                    let e = to_api(row);
                    if csv {
                        let fields = [
                            e.seq.to_string(),
                            e.id.to_string(),
                            e.at.to_string(),
                            e.actor_id.map(|a| a.to_string()).unwrap_or_default(),
                            e.action.clone(),
                            e.target_kind.clone(),
                            e.target_id.clone().unwrap_or_default(),
                            e.ip.clone().unwrap_or_default(),
                            e.details.to_string(),
                            e.prev_hash.clone(),
                            e.hash.clone(),
                        ];
                        let line: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
                        out.push_str(&line.join(","));
                        out.push('\n');
                    } else {
                        out.push_str(&serde_json::to_string(&e).unwrap_or_default());
                        out.push('\n');
                    }
                }
                if (n as i64) < VERIFY_BATCH {
                    break;
                }
            }
            Ok(out)
        })
        .await?;
    Ok(HttpResponse::Ok()
        .content_type(if csv {
            "text/csv; charset=utf-8"
        } else {
            "application/x-ndjson"
        })
        .body(body))
}
