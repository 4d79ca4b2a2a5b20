//! Compliance: retention policies, legal holds, export and purge jobs, data
//! subject requests. Managed by system admins and compliance officers;
//! downloads and content searches are for compliance officers only.

use serde::{Deserialize, Serialize};

use crate::Millis;
use uuid::Uuid;

/// Which level a retention policy applies to; the most specific wins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "diesel",
    derive(diesel::AsExpression, diesel::FromSqlRow),
    diesel(sql_type = diesel::sql_types::Text)
)]
pub enum RetentionScope {
    Global,
    Team,
    Channel,
}

impl RetentionScope {
    pub fn as_str(self) -> &'static str {
        match self {
            RetentionScope::Global => "global",
            RetentionScope::Team => "team",
            RetentionScope::Channel => "channel",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "global" => Some(RetentionScope::Global),
            "team" => Some(RetentionScope::Team),
            "channel" => Some(RetentionScope::Channel),
            _ => None,
        }
    }
}

/// The periods one level sets. For each: `null` defers to the less specific
/// level, `0` keeps forever, `n` deletes content more than `n` days old.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RetentionPolicy {
    pub scope: RetentionScope,
    /// The team or channel; absent for the global default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope_id: Option<Uuid>,
    #[serde(default)]
    pub messages_days: Option<u32>,
    #[serde(default)]
    pub files_days: Option<u32>,
    /// Set by the server.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<Millis>,
}

/// All policies and when the purge runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RetentionPolicies {
    pub policies: Vec<RetentionPolicy>,
    /// Daily purge time, `HH:MM` UTC, or absent when the scheduled purge is off.
    pub purge_time: Option<String>,
}

/// What a purge would delete in one channel.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChannelPurgeReport {
    pub channel_id: Uuid,
    pub posts: u64,
    pub files: u64,
    pub file_bytes: u64,
    pub oldest: Option<Millis>,
    pub newest: Option<Millis>,
    /// Expired items kept because a legal hold covers them.
    pub held_posts: u64,
}

/// What a purge deleted, or would delete in a dry run.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PurgeReport {
    pub dry_run: bool,
    pub posts: u64,
    pub files: u64,
    pub file_bytes: u64,
    pub held_posts: u64,
    pub batches: u64,
    pub channels: Vec<ChannelPurgeReport>,
}

/// A legal hold as created or edited. Content covered: posts written by a
/// custodian (or, with `include_channel_context`, by anyone in the listed
/// channels), in the listed channels if any, created inside the date range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LegalHoldRequest {
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub custodians: Vec<Uuid>,
    #[serde(default)]
    pub channels: Vec<Uuid>,
    #[serde(default)]
    pub include_channel_context: bool,
    /// Earliest creation time held (inclusive).
    #[serde(default)]
    pub start_at: Option<Millis>,
    /// Latest creation time held (inclusive).
    #[serde(default)]
    pub end_at: Option<Millis>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "diesel",
    derive(diesel::AsExpression, diesel::FromSqlRow),
    diesel(sql_type = diesel::sql_types::Text)
)]
pub enum HoldStatus {
    Active,
    Released,
}

impl HoldStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            HoldStatus::Active => "active",
            HoldStatus::Released => "released",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "active" => Some(HoldStatus::Active),
            "released" => Some(HoldStatus::Released),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LegalHold {
    pub id: Uuid,
    pub name: String,
    pub description: String,
    pub custodians: Vec<Uuid>,
    pub channels: Vec<Uuid>,
    pub include_channel_context: bool,
    pub start_at: Option<Millis>,
    pub end_at: Option<Millis>,
    pub status: HoldStatus,
    pub created_by: Option<Uuid>,
    pub created_at: Millis,
    pub released_by: Option<Uuid>,
    pub released_at: Option<Millis>,
    /// Posts the hold covers now (filled on single-hold reads).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub covered_posts: Option<u64>,
}

/// Export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    /// Smarsh/Actiance Vantage XML.
    Actiance,
    /// RFC 5322 messages, one per conversation per day.
    GlobalRelay,
    Csv,
}

impl ExportFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            ExportFormat::Actiance => "actiance",
            ExportFormat::GlobalRelay => "global_relay",
            ExportFormat::Csv => "csv",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "actiance" => Some(ExportFormat::Actiance),
            "global_relay" | "globalrelay" => Some(ExportFormat::GlobalRelay),
            "csv" => Some(ExportFormat::Csv),
            _ => None,
        }
    }
}

/// An on-demand export. Every filter given must match.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ExportRequest {
    pub format: ExportFormat,
    /// Earliest event time included.
    #[serde(default)]
    pub from: Option<Millis>,
    /// Events at or after this time are left out (default: when the job is created).
    #[serde(default)]
    pub until: Option<Millis>,
    #[serde(default)]
    pub channels: Option<Vec<Uuid>>,
    #[serde(default)]
    pub users: Option<Vec<Uuid>>,
    /// Only what this legal hold covers.
    #[serde(default)]
    pub hold_id: Option<Uuid>,
    /// Hearth's own layout (default), or `mattermost` for archives that
    /// already ingest Mattermost's exports.
    #[serde(default)]
    pub profile: ExportProfile,
}

/// The layout of an export archive.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ExportProfile {
    /// Hearth's layout: every event, with its own record id, in the richer
    /// columns documented in the API guide.
    #[default]
    Hearth,
    /// Mattermost's layout, for archives already ingesting Mattermost's
    /// exports: CSV batches are `posts.csv` files with Mattermost's columns
    /// and post types (`message`, `enter`, `leave`, `previously-joined`,
    /// `attachment`, edits and `delete ...` rows), Actiance batches
    /// `actiance_export.xml`, GlobalRelay messages carry Mattermost's
    /// message type and channel headers.
    Mattermost,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "diesel",
    derive(diesel::AsExpression, diesel::FromSqlRow),
    diesel(sql_type = diesel::sql_types::Text)
)]
pub enum JobKind {
    Export,
    Purge,
    UserExport,
}

impl JobKind {
    pub fn as_str(self) -> &'static str {
        match self {
            JobKind::Export => "export",
            JobKind::Purge => "purge",
            JobKind::UserExport => "user_export",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "export" => Some(JobKind::Export),
            "purge" => Some(JobKind::Purge),
            "user_export" => Some(JobKind::UserExport),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "diesel",
    derive(diesel::AsExpression, diesel::FromSqlRow),
    diesel(sql_type = diesel::sql_types::Text)
)]
pub enum JobStatus {
    Queued,
    Running,
    /// Asked to stop; becomes `cancelled` at the next checkpoint.
    Cancelling,
    Succeeded,
    Failed,
    Cancelled,
}

impl JobStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            JobStatus::Queued => "queued",
            JobStatus::Running => "running",
            JobStatus::Cancelling => "cancelling",
            JobStatus::Succeeded => "succeeded",
            JobStatus::Failed => "failed",
            JobStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "queued" => Some(JobStatus::Queued),
            "running" => Some(JobStatus::Running),
            "cancelling" => Some(JobStatus::Cancelling),
            "succeeded" => Some(JobStatus::Succeeded),
            "failed" => Some(JobStatus::Failed),
            "cancelled" => Some(JobStatus::Cancelled),
            _ => None,
        }
    }

    /// No further change will happen.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            JobStatus::Succeeded | JobStatus::Failed | JobStatus::Cancelled
        )
    }
}

/// How far a job has got.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JobProgress {
    /// Records (exports) or posts (purges) looked at so far.
    pub done: u64,
    /// Records written (exports) or items deleted (purges).
    pub written: u64,
    /// The total, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<u64>,
}

/// A compliance job: export, purge or a user's data export.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ComplianceJob {
    pub id: Uuid,
    pub kind: JobKind,
    pub status: JobStatus,
    /// Started by the daily schedule rather than a person.
    pub scheduled: bool,
    /// What was asked for (format, scope, cursor name…).
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub params: serde_json::Value,
    pub progress: JobProgress,
    /// Counts, warnings, the manifest hash, the purge report…
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub result: Option<serde_json::Value>,
    pub error: Option<String>,
    /// Runs started, including ones a restart interrupted.
    pub attempts: u32,
    pub created_by: Option<Uuid>,
    pub created_at: Millis,
    pub started_at: Option<Millis>,
    pub finished_at: Option<Millis>,
    /// The archive to download, once the job succeeded.
    pub file_name: Option<String>,
    pub file_size: Option<u64>,
    pub file_sha256: Option<String>,
}

/// Where a daily incremental export stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExportCursorState {
    pub name: String,
    /// Time of the last record exported (or skipped as out of scope).
    pub at: Millis,
    pub record_id: String,
    pub job_id: Uuid,
    pub updated_at: Millis,
}

/// Audited search across all content, for compliance officers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ComplianceSearchRequest {
    /// The same query language as user search (`from:`, `in:`, dates, phrases).
    pub terms: String,
    /// Why the search is run; recorded in the audit log.
    pub reason: String,
    #[serde(default)]
    pub page: Option<u32>,
    #[serde(default)]
    pub per_page: Option<u32>,
}

/// Removing a departed user's personal data.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AnonymiseRequest {
    /// Also delete their posts, except those a legal hold covers.
    #[serde(default)]
    pub erase_content: bool,
}

/// What an anonymisation did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AnonymiseOutcome {
    pub user_id: Uuid,
    pub username: String,
    /// Posts deleted (only with `erase_content`).
    pub posts_deleted: u64,
    /// Posts kept because a legal hold covers them.
    pub posts_held: u64,
    /// Holds naming the user as custodian; their original profile is kept
    /// sealed with the held content.
    pub holds: Vec<Uuid>,
}
