//! LDAP and Active Directory: login, full reads for sync, and diagnostics.

mod config;
mod connect;
mod diagnose;
mod directory;
mod filter;
mod groups;
mod pool;
mod search;

pub use config::{
    AttributeMap, GroupConfig, IdEncoding, LdapConfig, MemberAttribute, NestedGroups,
};
pub use diagnose::{Check, Diagnosis, Status, Step, test_connection, test_user};
pub use directory::LdapDirectory;
pub use filter::escape as escape_filter_value;
pub use search::normalise_dn;
