//! What the directory says about people and groups, independent of how it was read.

use serde::{Deserialize, Serialize};

/// A group a user belongs to (directly or through nesting).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct GroupRef {
    pub dn: String,
    pub name: String,
}

/// A directory account mapped to Hearth's profile fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirectoryUser {
    /// Immutable id (entryUUID, objectGUID...) that links the entry to a Hearth account.
    pub stable_id: String,
    /// Value of the login attribute, as stored in the directory.
    pub login: String,
    pub email: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub display_name: Option<String>,
    pub dn: String,
    /// Effective groups, nested memberships included, sorted by DN.
    pub groups: Vec<GroupRef>,
    /// Matched the configured disabled-user filter.
    pub disabled: bool,
}

/// A group as listed by a full directory read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirectoryGroup {
    pub dn: String,
    pub name: String,
    /// Number of users holding the group, nested memberships included.
    pub member_count: usize,
}

/// An entry that was read but could not be used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnapshotIssue {
    pub dn: String,
    /// Machine code, e.g. `ldap.attribute_missing`.
    pub code: String,
    pub detail: String,
}

/// A complete read of users and groups, input to [`crate::sync::plan_sync`].
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct DirectorySnapshot {
    pub users: Vec<DirectoryUser>,
    pub groups: Vec<DirectoryGroup>,
    pub issues: Vec<SnapshotIssue>,
}
