//! The audit log as administrators read and verify it.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// One audit entry. `prev_hash` and `hash` chain the log: each entry's
/// `prev_hash` is the previous entry's `hash` (zeros for the first), and
/// `hash` is the SHA-256 of the entry's canonical form (hearth-compliance,
/// `hearth-audit-v1`), or from the `audit.hmac_enabled` entry on, when the
/// server has an audit key, its HMAC-SHA256 under that key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
    /// Hex hash of the previous entry.
    pub prev_hash: String,
    /// Hex hash of this entry: SHA-256, or HMAC-SHA256 for a keyed entry.
    pub hash: String,
}

/// Filters and paging of `GET /api/v1/admin/audit`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditPage {
    pub entries: Vec<AuditLogEntry>,
    /// Pass as `after` for the next page; absent on the last page.
    pub next_after: Option<u64>,
}

/// The result of recomputing the whole chain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
    /// Why it breaks there, or why the log could not be fully checked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The first entry hashed with the audit key (`[audit] hmac_key`), the
    /// `audit.hmac_enabled` entry; the entries before it are plain SHA-256.
    /// Absent while the log is not keyed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keyed_from_seq: Option<u64>,
    /// Set when the log is keyed but this server was started without the
    /// audit key: the entries from this seq on cannot be checked (only their
    /// order and links), so `ok` is false with no `first_bad_seq`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unchecked_from_seq: Option<u64>,
}
