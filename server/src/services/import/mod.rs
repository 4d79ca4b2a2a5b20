//! Data import (system admins only): users from spreadsheets, and whole
//! workspaces from Slack exports and Mattermost bulk-import files. Parsing
//! lives in `hearth-import`; these services check the parsed data against
//! the database and write it through the same store functions and rules as
//! the rest of the server, with change-log and audit entries.

pub mod users;

use hearth_core::permissions::{Action, Facts, require};

use crate::auth::Auth;

/// Imports are for system administrators; checked before a body is read.
pub fn admin_only(auth: &Auth) -> hearth_core::Result<()> {
    require(&auth.actor, Action::ManageUsers, &Facts::default())
}
