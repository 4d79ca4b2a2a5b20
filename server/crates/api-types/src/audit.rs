//! The audit log as administrators read and verify it.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// One audit entry. `prev_hash` and `hash` chain the log: each entry's
/// `prev_hash` is the previous entry's `hash` (zeros for the first), and
/// `hash` is the SHA-256 of the entry's canonical form (hearth-compliance,
/// `hearth-audit-v1`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct AuditLogEntry {
    /// Position in the log, gap-free from 1.
    pub seq: u64,
    pub id: Uuid,
    /// When the action happened (UTC milliseconds).
    pub at: i64,
    /// Who acted; absent for the server itself.
    pub actor_id: Option<Uuid>,
    /// What happened, e.g. `user.role_changed`.
    pub action: String,
    /// The kind of thing acted on, e.g. `user`, `team`.
    pub target_kind: String,
    pub target_id: Option<String>,
    /// Action-specific facts.
    pub details: serde_json::Value,
    pub ip: Option<String>,
    /// Hex SHA-256 of the previous entry.
    pub prev_hash: String,
    /// Hex SHA-256 of this entry.
    pub hash: String,
}

/// Filters and paging of `GET /api/v1/admin/audit`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    /// Only entries with a larger `seq` (the previous page's `next_after`); 0 or absent for the start.
    pub after: Option<u64>,
    /// 1–1000, default 100.
    pub limit: Option<u32>,
    /// Only this action.
    pub action: Option<String>,
    /// Only this actor.
    pub actor_id: Option<Uuid>,
    /// Only entries at or after this time (UTC milliseconds).
    pub since: Option<i64>,
    /// Only entries before this time (UTC milliseconds).
    pub until: Option<i64>,
}

/// A page of audit entries, oldest first.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AuditPage {
    pub entries: Vec<AuditLogEntry>,
    /// Pass as `after` for the next page; absent on the last page.
    pub next_after: Option<u64>,
}

/// The result of recomputing the whole chain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct AuditVerification {
    /// Every entry is in place, linked and unchanged.
    pub ok: bool,
    /// Entries checked (up to and including the first bad one).
    pub entries: u64,
    /// Hash of the last entry when `ok`; keep it elsewhere to detect later
    /// truncation, which a chain alone cannot show.
    pub head_hash: Option<String>,
    /// The first entry where the chain breaks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_bad_seq: Option<u64>,
    /// Why it breaks there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}
