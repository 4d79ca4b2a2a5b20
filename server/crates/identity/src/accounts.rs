//! The server's view of accounts and memberships, as far as this crate needs it.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Where an account's credentials live.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AuthSource {
    /// Password stored by Hearth.
    Local,
    /// The configured LDAP / Active Directory.
    Ldap,
    /// An OpenID provider, by configured provider id.
    Oidc { provider_id: String },
}

/// Profile names; any may be unknown.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Names {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub display_name: Option<String>,
}

/// Server-wide role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SystemRole {
    Guest,
    User,
    Admin,
}

/// Role inside a team.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum TeamRole {
    #[default]
    Member,
    Admin,
}

/// Team and channel memberships and the system role. Team and channel keys are the
/// server's own identifiers (names or ids, whichever the mappings use).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Memberships {
    #[serde(default)]
    pub teams: BTreeMap<String, TeamRole>,
    #[serde(default)]
    pub channels: BTreeSet<String>,
    #[serde(default)]
    pub system_role: Option<SystemRole>,
}

/// An account as stored by the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExistingAccount {
    pub user_id: Uuid,
    /// Directory stable id (LDAP) or provider subject (OpenID) the account is linked to.
    pub stable_id: Option<String>,
    pub login: String,
    pub email: Option<String>,
    /// Whether the server knows `email` is the account owner's (an admin
    /// said so, a provider verified it, or the directory supplied it). Only
    /// such accounts are linked by e-mail: anyone could sign up with
    /// someone else's address and wait for them to sign in.
    #[serde(default)]
    pub email_verified: bool,
    #[serde(default)]
    pub names: Names,
    pub active: bool,
    pub auth_source: AuthSource,
    /// Memberships that directory sync granted earlier. Only these are ever revoked
    /// by sync, so memberships an admin added by hand survive.
    #[serde(default)]
    pub synced: Memberships,
}
