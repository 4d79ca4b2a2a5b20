//! System administration: the server's state at a glance and its
//! configuration, as the web console and `hearthctl` read and change them.

use serde::{Deserialize, Serialize};

use crate::{LdapStatus, Millis, SearchStatus};

/// `GET /api/v1/admin/system/status`: everything the console dashboard shows.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SystemStatus {
    /// The server's version, e.g. `0.1.0`.
    pub version: String,
    /// When this process started (UTC milliseconds).
    pub started_at: Millis,
    pub uptime_secs: u64,
    pub database: DatabaseStatus,
    pub users: UserCounts,
    pub sessions: SessionCounts,
    /// Teams, archived or not.
    pub teams: u64,
    /// Channels of every kind, direct and group messages included.
    pub channels: u64,
    pub posts: PostStats,
    /// The index's state; absent when search is switched off.
    pub search: Option<SearchStatus>,
    /// Directory sync state; absent when no LDAP directory is configured.
    pub ldap: Option<LdapStatus>,
    /// Background jobs (compliance exports and the like); empty for now.
    pub jobs: Vec<serde_json::Value>,
}

/// The database as the server sees it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DatabaseStatus {
    /// `sqlite` or `postgres`.
    pub backend: String,
    /// The database answered a trivial query.
    pub ok: bool,
    /// Bytes on disk, when the backend can tell.
    pub size_bytes: Option<u64>,
}

/// Accounts by state. Bots count in `total`, `active` and `deactivated` too.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserCounts {
    pub total: u64,
    pub active: u64,
    pub deactivated: u64,
    pub bots: u64,
}

/// Live browser sessions (not revoked, not expired); access tokens excluded.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionCounts {
    pub active: u64,
}

/// Posts that exist (deleted ones excluded).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PostStats {
    pub total: u64,
    /// The last 30 UTC days, oldest first, today last; days without posts count 0.
    pub per_day: Vec<DayCount>,
}

/// Posts created on one UTC day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DayCount {
    /// `YYYY-MM-DD`.
    pub day: String,
    pub count: u64,
}

/// `GET /api/v1/admin/config` and the answer of a change or reload.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConfigView {
    /// The configuration the server will run with, in the shape of the TOML
    /// file; every secret reads `"********"`.
    pub config: serde_json::Value,
    /// The configuration file, when there is one.
    pub source: Option<String>,
    /// Changes can be saved (the file, or its directory when it does not exist yet, is writable).
    pub writable: bool,
    /// Dotted keys fixed by `HEARTH_*` environment variables: shown, never changed through the API.
    pub env_overrides: Vec<String>,
    /// Dotted keys fixed by command-line options (`--listen`, `--data-dir`).
    #[serde(default)]
    pub cli_overrides: Vec<String>,
    /// Dotted keys (or sections, for LDAP and OpenID settings) that take
    /// effect only after a restart; a change to any other key applies at once.
    #[serde(default)]
    pub restart_keys: Vec<String>,
    /// Keys whose saved value differs from what the running server uses,
    /// until it restarts (always sent by the server).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restart_required: Option<Vec<String>>,
}

/// `POST /api/v1/admin/config/validate`
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ValidateConfigRequest {
    /// A configuration in the shape of the TOML file, full or partial
    /// (missing keys keep their current values).
    pub config: serde_json::Value,
}

/// The answer of a successful validation.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConfigValidation {
    pub valid: bool,
    /// Keys whose value in this configuration differs from what the running
    /// server uses and that take effect only after a restart (changes saved
    /// earlier and still waiting for one included).
    pub restart_required: Vec<String>,
}

/// `PATCH /api/v1/admin/config`
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PatchConfigRequest {
    /// Dotted key (`ldap.directory.urls`) → new value. A secret sent as
    /// `"********"` keeps its value; `null` removes the key from the file
    /// (back to the default).
    pub set: serde_json::Map<String, serde_json::Value>,
}

/// `PUT /api/v1/users/{id}/password`: an administrator sets a new password.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AdminSetPasswordRequest {
    pub new_password: String,
}
