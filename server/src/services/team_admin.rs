//! Archiving and restoring a team. Archiving closes the team to new members
//! and channels and archives its open channels with the same timestamp, so
//! the existing read-only rules of archived channels apply; a restore reopens
//! exactly the channels the archive closed, not those archived before it.

use hearth_api::{EventPayload, Team};
use hearth_core::permissions::{Action, require};
use hearth_core::{Error, Id, Result, now_millis};
use hearth_store::{Audience, Change, channels as channel_store, teams as store};

use crate::auth::Auth;
use crate::services::{audit, channels, teams};
use crate::state::Ctx;

/// Archives (`true`) or restores (`false`) a team (system admins and the
/// team's admins).
pub fn set_archived(ctx: &Ctx, auth: &Auth, id: Id, archived: bool) -> Result<Team> {
    let row = ctx.store.write(|tx| {
        let (mut team, f) = teams::visible(tx.conn, auth, id)?;
        require(&auth.actor, Action::ManageTeam, &f)?;
        let now = now_millis();
        let (closes, reopens) = match (archived, team.archived_at) {
            (true, None) => (true, None),
            (false, Some(at)) => (false, Some(at)),
            (true, Some(_)) => return Err(Error::conflict("the team is already archived")),
            (false, None) => return Err(Error::conflict("the team is not archived")),
        };
        let mut count = 0u32;
        for mut ch in store::channels(tx.conn, &team.id)? {
            let change = if closes {
                ch.archived_at.is_none().then_some(Some(now))
            } else {
                (ch.archived_at == reopens).then_some(None)
            };
            if let Some(at) = change {
                ch.archived_at = at;
                ch.updated_at = now;
                channel_store::save(tx.conn, &ch)?;
                channels::changed(tx, &ch)?;
                count += 1;
            }
        }
        team.archived_at = closes.then_some(now);
        team.updated_at = now;
        store::save(tx.conn, &team)?;
        tx.log(Change::new(
            EventPayload::TeamUpdated(team.to_api()),
            Audience::Team {
                team_id: id,
                also: None,
            },
        ))?;
        audit::record(
            tx,
            Some(auth.user_id()),
            if closes {
                "team.archive"
            } else {
                "team.restore"
            },
            "team",
            Some(team.id.clone()),
            serde_json::json!({ "name": team.name, "channels": count }),
        )?;
        Ok(team)
    })?;
    Ok(row.to_api())
}
