//! Structural changes to a channel that administrators make: turning a
//! public channel private and moving a channel to another team. Kept apart
//! from everyday channel work because they change who can see the channel.

use hearth_api::{Channel, ChannelKind, EventPayload};
use hearth_core::permissions::{Action, Facts, require};
use hearth_core::{Error, Id, Result, now_millis};
use hearth_store::{Audience, Change, Tx, channels as store, parse_id, teams as team_store};

use crate::auth::Auth;
use crate::services::{audit, channels, teams};
use crate::state::Ctx;

/// Tells a whole team about a channel's new shape: members of the team who
/// could browse it before must learn it is gone from their view.
fn tell_team(tx: &mut Tx, team_id: &str, ch: &Channel) -> Result<()> {
    tx.log(Change::new(
        EventPayload::ChannelUpdated(ch.clone()),
        Audience::Team {
            team_id: parse_id(team_id),
            also: None,
        },
    ))?;
    Ok(())
}

/// Public → private (the reverse is not offered: it would expose history
/// to people it was never meant for). Channel managers may do it; the
/// default channel stays public.
pub fn make_private(ctx: &Ctx, auth: &Auth, id: Id) -> Result<Channel> {
    let row = ctx.store.write(|tx| {
        let (mut ch, f) = channels::readable(tx.conn, auth, id)?;
        require(&auth.actor, Action::ManageChannel, &f)?;
        if f.channel_archived {
            return Err(Error::ChannelArchived);
        }
        match f.channel_kind {
            Some(ChannelKind::Public) => {}
            Some(ChannelKind::Private) => {
                return Err(Error::conflict("the channel is already private"));
            }
            _ => {
                return Err(Error::invalid(
                    "only public team channels can be made private",
                ));
            }
        }
        if ch.name == teams::DEFAULT_CHANNELS[0].0 {
            return Err(Error::invalid("town-square stays public"));
        }
        ch.kind = ChannelKind::Private;
        ch.updated_at = now_millis();
        store::save(tx.conn, &ch)?;
        if let Some(team) = &ch.team_id {
            tell_team(tx, team, &ch.to_api())?;
        }
        audit::record(
            tx,
            Some(auth.user_id()),
            "channel.make_private",
            "channel",
            Some(ch.id.clone()),
            serde_json::json!({ "name": ch.name }),
        )?;
        Ok(ch)
    })?;
    Ok(row.to_api())
}

/// Moves a channel, with its posts and members, to another team (system
/// admins). Every member must already belong to the target team, so nobody
/// ends up in a channel of a team they are not in; the answer names those
/// who do not.
pub fn move_to_team(ctx: &Ctx, auth: &Auth, id: Id, team_id: Id) -> Result<Channel> {
    require(&auth.actor, Action::MoveChannel, &Facts::default())?;
    let row = ctx.store.write(|tx| {
        let mut ch = channels::load(tx.conn, id)?;
        let Some(from) = ch.team_id.clone() else {
            return Err(Error::invalid(
                "direct and group messages belong to no team",
            ));
        };
        let to = team_id.to_string();
        if from == to {
            return Err(Error::invalid("the channel is already in that team"));
        }
        if teams::DEFAULT_CHANNELS.iter().any(|(n, _)| *n == ch.name) {
            return Err(Error::invalid(format!(
                "{} belongs to its team and cannot move",
                ch.name
            )));
        }
        team_store::by_id(tx.conn, &to)?.ok_or(Error::NotFound("team"))?;
        let mut outside = Vec::new();
        for m in store::members(tx.conn, &ch.id)? {
            if team_store::member(tx.conn, &to, &m.user_id)?.is_none() {
                let name = hearth_store::users::by_id(tx.conn, &m.user_id)?
                    .map(|u| u.username)
                    .unwrap_or(m.user_id);
                outside.push(name);
            }
        }
        if !outside.is_empty() {
            outside.sort();
            return Err(Error::conflict(format!(
                "these members are not in the target team; add them to it first: {}",
                outside.join(", ")
            )));
        }
        ch.team_id = Some(to.clone());
        ch.updated_at = now_millis();
        store::save(tx.conn, &ch).map_err(|e| {
            if e.is_unique_violation() {
                Error::conflict("the target team already has a channel with that name")
            } else {
                e.into()
            }
        })?;
        let api = ch.to_api();
        tell_team(tx, &from, &api)?;
        tell_team(tx, &to, &api)?;
        audit::record(
            tx,
            Some(auth.user_id()),
            "channel.move",
            "channel",
            Some(ch.id.clone()),
            serde_json::json!({ "name": ch.name, "from_team": from, "to_team": to }),
        )?;
        Ok(ch)
    })?;
    Ok(row.to_api())
}
