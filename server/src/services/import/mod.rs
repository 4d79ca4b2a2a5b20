//! Data import (system admins only): users from spreadsheets, and whole
//! workspaces from Slack exports and Mattermost bulk-import files. Parsing
//! lives in `hearth-import`; these services check the parsed data against
//! the database and write it through the same store functions and rules as
//! the rest of the server, with change-log and audit entries.

pub mod chat;
pub mod mattermost;
mod mattermost_references;
pub mod slack;
pub mod users;

use hearth_core::permissions::{Action, Facts, require};

use crate::auth::Auth;

/// Imports are for system administrators; checked before a body is read.
pub fn admin_only(auth: &Auth) -> hearth_core::Result<()> {
    require(&auth.actor, Action::ManageUsers, &Facts::default())
}

/// The target team, by id or by name.
fn team(
    ctx: &crate::state::Ctx,
    id_or_name: &str,
) -> hearth_core::Result<hearth_store::models::TeamRow> {
    let key = id_or_name.trim();
    ctx.store.read(|c| {
        let by_id = match key.parse::<hearth_core::Id>() {
            Ok(id) => hearth_store::teams::by_id(c, &id.to_string())?,
            Err(_) => None,
        };
        let found = match by_id {
            Some(t) => Some(t),
            None => hearth_store::teams::by_name(c, key)?,
        };
        found.ok_or(hearth_core::Error::NotFound("team"))
    })
}
