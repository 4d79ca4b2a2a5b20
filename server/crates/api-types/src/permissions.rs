//! The permission matrix as administrators read it.

use serde::{Deserialize, Serialize};

/// What each system role may do, derived from the server's one permission
/// module (so it cannot disagree with what the server enforces).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PermissionMatrix {
    /// The contexts rows are evaluated in, with what each means.
    pub contexts: Vec<PermissionContext>,
    pub rows: Vec<PermissionRow>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PermissionContext {
    /// `member` or `outsider`.
    pub name: String,
    pub description: String,
}

/// One action in one context, allowed or not per system role.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PermissionRow {
    /// E.g. `create team`, `manage channel`.
    pub action: String,
    pub context: String,
    pub system_admin: bool,
    pub user: bool,
    pub guest: bool,
}
