//! LDAP: provisioning on login, directory sync and diagnostics.
//!
//! Login and sync share one path: the identity library plans the changes for
//! the users read from the directory (`plan_sync`), and `apply::apply_plan` carries
//! them out in one transaction with audit entries and change-log events.

mod accounts;
mod apply;
mod diagnose;
mod memberships;
mod sync;

pub use accounts::{provision_login, to_existing};
pub use diagnose::{test_connection, test_user};
pub use memberships::{apply_channel, apply_role, apply_team};
pub use sync::{run_sync, spawn_scheduler};
