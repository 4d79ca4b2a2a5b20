//! Data import (system admin): users from spreadsheets, Slack exports and
//! Mattermost bulk-import files. Every import can be tried as a dry run that
//! writes nothing and answers the same report an apply would.

use serde::{Deserialize, Serialize};

/// Why a spreadsheet row (or an import line) cannot be imported. Stable
/// codes, so tools can group or translate them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ImportIssueCode {
    /// A required value (e-mail, or a username that cannot be derived) is empty.
    MissingValue,
    /// The e-mail address is malformed.
    InvalidEmail,
    /// The username breaks the username rules.
    InvalidUsername,
    /// The display name is too long or contains control characters.
    InvalidDisplayName,
    /// The role is not one of `user`, `guest`, `system_admin`.
    InvalidRole,
    /// A date cell is neither a date, a serial number nor `YYYY-MM-DD`.
    InvalidDate,
    /// A channel is not written `team/channel` or `team:channel`.
    InvalidChannel,
    /// The same e-mail appears on an earlier row.
    DuplicateEmail,
    /// The same username appears on an earlier row.
    DuplicateUsername,
    /// No team has that name.
    UnknownTeam,
    /// The team has no channel of that name (or it is a direct channel).
    UnknownChannel,
    /// The channel is archived and takes no new members.
    ChannelArchived,
    /// The username belongs to a different account than the e-mail.
    UsernameTaken,
    /// The account matched by e-mail has a different username.
    UsernameMismatch,
    /// The row would change a compliance officer's role, which only the
    /// operator on the server's host may do (separation of duties).
    SeparationOfDuties,
    /// A line of an import file is not valid JSON or not the expected shape.
    InvalidLine,
    /// A line refers to a team, channel, user or post the file does not define.
    UnknownReference,
}

/// One problem with one row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportIssue {
    pub code: ImportIssueCode,
    /// A sentence for humans.
    pub message: String,
    /// The column's header as written in the file, when one column is at fault.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
}

/// What applying a row does (or did).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ImportRowStatus {
    /// A new account.
    Create,
    /// An existing account (matched by e-mail) gets new values or memberships.
    Update,
    /// The account already matches the row.
    Unchanged,
    /// The row has errors; with any such row nothing is written.
    Error,
}

/// The outcome of one spreadsheet row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserImportRow {
    /// The row number as the spreadsheet shows it (1-based, counting title
    /// and header rows).
    pub row: u32,
    pub status: ImportRowStatus,
    /// The username after trimming and lower-casing (or derived from the e-mail).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// Teams the row asks for (named directly or through a channel).
    #[serde(default)]
    pub teams: Vec<String>,
    /// Channels the row asks for, as `team/channel`.
    #[serde(default)]
    pub channels: Vec<String>,
    /// The start-date column as an ISO date (`YYYY-MM-DD`), when present.
    /// Not stored: reported so a dry run shows how dates were read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_date: Option<String>,
    /// What an update changes, e.g. `display_name`, `role`, `team:sales`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ImportIssue>,
}

/// The answer of `POST /api/v1/admin/import/users`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserImportReport {
    pub dry_run: bool,
    /// True once the rows were written (never on a dry run or with errors).
    pub applied: bool,
    /// The format read: `xlsx`, `xls`, `ods` or `csv`.
    pub format: String,
    /// The row holding the column headers, 1-based.
    pub header_row: u32,
    /// Which file column each field was read from.
    pub columns: Vec<ImportColumn>,
    pub rows: Vec<UserImportRow>,
    pub created: u32,
    pub updated: u32,
    pub unchanged: u32,
    /// Rows with errors.
    pub errors: u32,
}

/// A field and the header it was read from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportColumn {
    /// `username`, `email`, `display_name`, `first_name`, `last_name`,
    /// `role`, `teams`, `channels` or `start_date`.
    pub field: String,
    /// The header as written in the file.
    pub header: String,
}

/// The body of a 422 answer: the usual error plus the report that explains it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ImportRejected<R> {
    pub error: crate::ErrorDetail,
    pub report: R,
}

/// Query of `POST /api/v1/admin/import/users`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UserImportQuery {
    /// `xlsx`, `xls`, `ods` or `csv`; detected from the content when absent.
    pub format: Option<String>,
    /// Report only, write nothing (default false).
    pub dry_run: Option<bool>,
    /// Column mapping as JSON, field → header, e.g.
    /// `{"email":"E-mail address","username":"Login"}`; unmapped fields are
    /// matched by their usual header names.
    pub mapping: Option<String>,
}

/// Query of `POST /api/v1/admin/import/slack` and `/mattermost`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ChatImportQuery {
    /// Target team (id or name); required for Slack, whose exports have none.
    pub team: Option<String>,
    /// Report only, write nothing (default false).
    pub dry_run: Option<bool>,
}

/// The answer of the Slack and Mattermost imports. On a rerun everything
/// already imported is counted in `skipped` and nothing is written twice.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChatImportReport {
    pub dry_run: bool,
    /// `slack` or `mattermost`.
    pub source: String,
    /// Teams created (Mattermost files define teams; Slack imports into one).
    #[serde(default)]
    pub teams_created: u32,
    pub users_created: u32,
    /// Users matched to existing accounts by e-mail.
    pub users_matched: u32,
    pub channels_created: u32,
    /// Direct and group channels created.
    pub direct_channels_created: u32,
    /// Root posts created.
    pub posts: u32,
    /// Replies created under their thread's root.
    pub replies: u32,
    pub reactions: u32,
    /// Files whose bytes were in the archive and are now in the file store.
    pub files_imported: u32,
    /// Files the export only names (kept as metadata, no content).
    pub files_missing: u32,
    /// Items found in the import map, i.e. imported by an earlier run.
    pub skipped: u32,
    /// Messages and lines not imported (unknown subtypes, joins and leaves,
    /// messages of unknown users), each counted once.
    pub ignored: u32,
    /// Names of the files listed in `files_missing`.
    #[serde(default)]
    pub missing_files: Vec<String>,
    /// Problems with the input, with their line or entry.
    #[serde(default)]
    pub issues: Vec<ChatImportIssue>,
}

/// A problem with one line (Mattermost) or one archive entry (Slack).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChatImportIssue {
    /// The 1-based line of a JSONL file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// The archive entry, e.g. `general/2024-01-02.json`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry: Option<String>,
    pub code: ImportIssueCode,
    pub message: String,
}
