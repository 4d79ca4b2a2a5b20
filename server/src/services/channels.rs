//! Channels: public, private, direct and group; membership, admins, archive
//! and per-member preferences and read state.

use hearth_api::{
    Channel, ChannelKind, ChannelMember, ChannelMembership, ChannelUnread, ChannelViewed,
    CreateChannelRequest, EventPayload, MemberRole, NotifyLevel, UpdateChannelRequest,
    UpdateMembershipRequest,
};
use hearth_core::permissions::{Action, Facts, allowed, require};
use hearth_core::{Error, Id, Result, new_id, now_millis, validate};
use hearth_store::models::{ChannelMemberRow, ChannelRow};
use hearth_store::{Audience, Change, DbConn, Tx, channels, parse_id};

use crate::auth::Auth;
use crate::services::{audit, teams};
use crate::state::Ctx;

pub fn load(c: &mut DbConn, id: Id) -> Result<ChannelRow> {
    channels::by_id(c, &id.to_string())?.ok_or(Error::NotFound("channel"))
}

/// Everything the permission module needs about the caller and a channel.
pub fn facts(c: &mut DbConn, auth: &Auth, ch: &ChannelRow) -> Result<Facts> {
    let team_role = match &ch.team_id {
        Some(t) => teams::role_in(c, t, &auth.user.id)?,
        None => None,
    };
    let channel_role = channels::member(c, &ch.id, &auth.user.id)?.map(|m| m.role);
    Ok(Facts {
        team_role,
        channel_kind: Some(ch.kind),
        channel_archived: ch.archived_at.is_some(),
        channel_role,
        ..Facts::default()
    })
}

/// A channel the caller may read; any other answers `not_found`.
pub fn readable(c: &mut DbConn, auth: &Auth, id: Id) -> Result<(ChannelRow, Facts)> {
    let ch = load(c, id)?;
    let f = facts(c, auth, &ch)?;
    require(&auth.actor, Action::ReadChannel, &f)?;
    Ok((ch, f))
}

fn audience(ch: &ChannelRow, also: Option<Id>) -> Audience {
    Audience::Channel {
        channel_id: parse_id(&ch.id),
        team_id: ch.team_id.as_deref().map(parse_id),
        also,
    }
}

#[expect(clippy::too_many_arguments, reason = "one flat record of a channel")]
pub fn create_in(
    tx: &mut Tx,
    team_id: Option<Id>,
    kind: ChannelKind,
    name: &str,
    display_name: &str,
    purpose: &str,
    header: &str,
    creator: Option<Id>,
) -> Result<ChannelRow> {
    let now = now_millis();
    let row = ChannelRow {
        id: new_id().to_string(),
        team_id: team_id.map(|t| t.to_string()),
        kind,
        name: name.into(),
        display_name: display_name.into(),
        purpose: purpose.into(),
        header: header.into(),
        creator_id: creator.map(|c| c.to_string()),
        created_at: now,
        updated_at: now,
        archived_at: None,
        last_post_at: now,
        total_msg_count: 0,
    };
    channels::insert(tx.conn, &row).map_err(|e| {
        if e.is_unique_violation() {
            Error::conflict(format!(
                "a channel named '{name}' already exists in this team"
            ))
        } else {
            e.into()
        }
    })?;
    Ok(row)
}

/// Announces a new channel: public ones to the whole team, others to their members.
fn announce(tx: &mut Tx, ch: &ChannelRow) -> Result<()> {
    let aud = match (ch.kind, ch.team_id.as_deref()) {
        (ChannelKind::Public, Some(t)) => Audience::Team {
            team_id: parse_id(t),
            also: None,
        },
        _ => audience(ch, None),
    };
    tx.log(Change::new(EventPayload::ChannelCreated(ch.to_api()), aud))?;
    Ok(())
}

/// Adds a member whose history starts read; no-op if already a member.
/// `by` is who added them (`None`: the directory sync); exports report it.
pub fn add_member_in(
    tx: &mut Tx,
    ch: &ChannelRow,
    user_id: Id,
    role: MemberRole,
    by: Option<Id>,
) -> Result<ChannelMemberRow> {
    let uid = user_id.to_string();
    if let Some(m) = channels::member(tx.conn, &ch.id, &uid)? {
        return Ok(m);
    }
    let current = channels::by_id(tx.conn, &ch.id)?
        .map(|c| c.total_msg_count)
        .unwrap_or(0);
    let now = now_millis();
    let row = ChannelMemberRow {
        channel_id: ch.id.clone(),
        user_id: uid,
        role,
        notify_level: NotifyLevel::Default,
        muted: false,
        favorite: false,
        last_viewed_at: now,
        msg_count: current,
        mention_count: 0,
        created_at: now,
    };
    channels::insert_member(tx.conn, &row)?;
    hearth_store::compliance::record_membership(tx.conn, &ch.id, &row.user_id, by, true, now)?;
    tx.log(Change::new(
        EventPayload::ChannelMemberAdded(row.to_api()),
        audience(ch, None),
    ))?;
    Ok(row)
}

/// Removes a member; `by` as for [`add_member_in`].
pub fn remove_member_in(tx: &mut Tx, ch: &ChannelRow, user_id: Id, by: Option<Id>) -> Result<()> {
    let uid = user_id.to_string();
    if channels::delete_member(tx.conn, &ch.id, &uid)? {
        hearth_store::compliance::record_membership(
            tx.conn,
            &ch.id,
            &uid,
            by,
            false,
            now_millis(),
        )?;
        tx.log(Change::new(
            EventPayload::ChannelMemberRemoved(ChannelMembership {
                channel_id: parse_id(&ch.id),
                user_id,
            }),
            audience(ch, Some(user_id)),
        ))?;
    }
    Ok(())
}

pub fn create(ctx: &Ctx, auth: &Auth, req: CreateChannelRequest) -> Result<Channel> {
    auth.require_account()?;
    if req.kind.is_dm() {
        return Err(Error::invalid(
            "use /channels/direct for direct and group messages",
        ));
    }
    let name = validate::slug("channel", &req.name)?;
    let display = validate::display_name(&req.display_name)?;
    let purpose = validate::text(
        "purpose",
        req.purpose.as_deref().unwrap_or(""),
        validate::MAX_PURPOSE,
        true,
    )?;
    let header = validate::text(
        "header",
        req.header.as_deref().unwrap_or(""),
        validate::MAX_HEADER,
        true,
    )?;
    let row = ctx.store.write(|tx| {
        let team = hearth_store::teams::by_id(tx.conn, &req.team_id.to_string())?
            .ok_or(Error::NotFound("team"))?;
        let f = Facts {
            team_role: teams::role_in(tx.conn, &team.id, &auth.user.id)?,
            ..Facts::default()
        };
        if !allowed(&auth.actor, Action::ViewTeam, &f) {
            return Err(Error::NotFound("team"));
        }
        let action = if req.kind == ChannelKind::Public {
            Action::CreatePublicChannel
        } else {
            Action::CreatePrivateChannel
        };
        require(&auth.actor, action, &f)?;
        if team.archived_at.is_some() {
            return Err(Error::invalid(format!(
                "team '{}' is archived; restore it first",
                team.name
            )));
        }
        let ch = create_in(
            tx,
            Some(req.team_id),
            req.kind,
            &name,
            &display,
            &purpose,
            &header,
            Some(auth.user_id()),
        )?;
        add_member_in(
            tx,
            &ch,
            auth.user_id(),
            MemberRole::Admin,
            Some(auth.user_id()),
        )?;
        announce(tx, &ch)?;
        Ok(ch)
    })?;
    Ok(row.to_api())
}

/// The name a direct or group channel is stored under: its members' ids,
/// sorted, so the same people always find the same channel.
pub fn direct_name(members: &[Id]) -> String {
    let mut ids = members.to_vec();
    ids.sort();
    ids.iter()
        .map(|i| i.simple().to_string())
        .collect::<Vec<_>>()
        .join("__")
}

/// Finds or creates the direct (2 people) or group (3–8 people) channel of
/// the caller and `others`.
pub fn direct(ctx: &Ctx, auth: &Auth, others: &[Id]) -> Result<Channel> {
    let mut ids: Vec<Id> = others
        .iter()
        .copied()
        .filter(|u| *u != auth.user_id())
        .collect();
    ids.sort();
    ids.dedup();
    if ids.is_empty() || ids.len() > 7 {
        return Err(Error::invalid(
            "a direct message needs 1 other person, a group 2 to 7 others",
        ));
    }
    ids.push(auth.user_id());
    ids.sort();
    let kind = if ids.len() == 2 {
        ChannelKind::Direct
    } else {
        ChannelKind::Group
    };
    let key = direct_name(&ids);
    let row = ctx.store.write(|tx| {
        if let Some(ch) = channels::by_name(tx.conn, None, &key)? {
            return Ok(ch);
        }
        let keys: Vec<String> = ids.iter().map(|i| i.to_string()).collect();
        let found = hearth_store::users::by_ids(tx.conn, &keys)?;
        if found.len() != ids.len() || found.iter().any(|u| !u.is_active) {
            return Err(Error::NotFound("user"));
        }
        // Guests message only people they may see; others look unknown.
        let visible = crate::services::accounts::visible_ids(tx.conn, auth, ids.clone())?;
        if !hearth_core::permissions::may_message_directly(&auth.actor, visible.len(), ids.len()) {
            return Err(Error::NotFound("user"));
        }
        let ch = create_in(tx, None, kind, &key, "", "", "", Some(auth.user_id()))?;
        for u in &ids {
            add_member_in(tx, &ch, *u, MemberRole::Member, Some(auth.user_id()))?;
        }
        announce(tx, &ch)?;
        Ok(ch)
    })?;
    Ok(row.to_api())
}

pub fn mine(ctx: &Ctx, auth: &Auth) -> Result<Vec<Channel>> {
    let rows = ctx
        .store
        .read(|c| Ok(channels::for_user(c, &auth.user.id)?))?;
    Ok(rows.iter().map(ChannelRow::to_api).collect())
}

/// The caller's own membership of every channel: favourite, mute and notification level.
pub fn memberships(ctx: &Ctx, auth: &Auth) -> Result<Vec<ChannelMember>> {
    let rows = ctx
        .store
        .read(|c| Ok(channels::memberships_of(c, &auth.user.id)?))?;
    Ok(rows.iter().map(|m| m.to_api()).collect())
}

pub fn unreads(ctx: &Ctx, auth: &Auth) -> Result<Vec<ChannelUnread>> {
    ctx.store.read(|c| {
        let members = channels::memberships_of(c, &auth.user.id)?;
        let ids: Vec<String> = members.iter().map(|m| m.channel_id.clone()).collect();
        let chans: std::collections::HashMap<String, ChannelRow> = channels::by_ids(c, &ids)?
            .into_iter()
            .map(|ch| (ch.id.clone(), ch))
            .collect();
        Ok(members
            .iter()
            .filter_map(|m| {
                let ch = chans.get(&m.channel_id)?;
                Some(ChannelUnread {
                    channel_id: parse_id(&ch.id),
                    team_id: ch.team_id.as_deref().map(parse_id),
                    unread_count: (ch.total_msg_count - m.msg_count).max(0),
                    mention_count: m.mention_count,
                    last_viewed_at: m.last_viewed_at,
                    last_post_at: ch.last_post_at,
                })
            })
            .collect())
    })
}

pub fn get(ctx: &Ctx, auth: &Auth, id: Id) -> Result<Channel> {
    ctx.store.read(|c| Ok(readable(c, auth, id)?.0.to_api()))
}

pub fn browse(ctx: &Ctx, auth: &Auth, team_id: Id, include_archived: bool) -> Result<Vec<Channel>> {
    ctx.store.read(|c| {
        let tid = team_id.to_string();
        let f = Facts {
            team_role: teams::role_in(c, &tid, &auth.user.id)?,
            ..Facts::default()
        };
        if !allowed(&auth.actor, Action::ViewTeam, &f) {
            return Err(Error::NotFound("team"));
        }
        if !allowed(&auth.actor, Action::BrowsePublicChannels, &f) {
            return Ok(vec![]);
        }
        Ok(channels::public_in_team(c, &tid, include_archived)?
            .iter()
            .map(ChannelRow::to_api)
            .collect())
    })
}

pub(crate) fn changed(tx: &mut Tx, ch: &ChannelRow) -> Result<()> {
    tx.log(Change::new(
        EventPayload::ChannelUpdated(ch.to_api()),
        audience(ch, None),
    ))?;
    Ok(())
}

pub fn update(ctx: &Ctx, auth: &Auth, id: Id, req: UpdateChannelRequest) -> Result<Channel> {
    let name = req
        .name
        .as_deref()
        .map(|n| validate::slug("channel", n))
        .transpose()?;
    let display = req
        .display_name
        .as_deref()
        .map(validate::display_name)
        .transpose()?;
    let purpose = req
        .purpose
        .as_deref()
        .map(|p| validate::text("purpose", p, validate::MAX_PURPOSE, true))
        .transpose()?;
    let header = req
        .header
        .as_deref()
        .map(|h| validate::text("header", h, validate::MAX_HEADER, true))
        .transpose()?;
    let row = ctx.store.write(|tx| {
        let (mut ch, f) = readable(tx.conn, auth, id)?;
        // Before the role checks: EditChannelInfo is never allowed on an
        // archived channel, which would otherwise answer a misleading
        // "forbidden" instead of "channel_archived".
        if f.channel_archived {
            return Err(Error::ChannelArchived);
        }
        if name.is_some() || display.is_some() {
            require(&auth.actor, Action::ManageChannel, &f)?;
        }
        if purpose.is_some() || header.is_some() {
            require(&auth.actor, Action::EditChannelInfo, &f)?;
        }
        if let Some(n) = name {
            if teams::DEFAULT_CHANNELS[0].0 == ch.name && n != ch.name {
                return Err(Error::invalid("town-square cannot be renamed"));
            }
            ch.name = n;
        }
        if let Some(d) = display {
            ch.display_name = d;
        }
        if let Some(p) = purpose {
            ch.purpose = p;
        }
        if let Some(h) = header {
            ch.header = h;
        }
        ch.updated_at = now_millis();
        channels::save(tx.conn, &ch).map_err(|e| {
            if e.is_unique_violation() {
                Error::conflict("a channel with that name already exists in this team")
            } else {
                e.into()
            }
        })?;
        changed(tx, &ch)?;
        Ok(ch)
    })?;
    Ok(row.to_api())
}

pub fn set_archived(ctx: &Ctx, auth: &Auth, id: Id, archived: bool) -> Result<Channel> {
    let row = ctx.store.write(|tx| {
        let (mut ch, f) = readable(tx.conn, auth, id)?;
        require(&auth.actor, Action::ManageChannel, &f)?;
        if archived && ch.name == teams::DEFAULT_CHANNELS[0].0 {
            return Err(Error::invalid("town-square cannot be archived"));
        }
        ch.archived_at = if archived { Some(now_millis()) } else { None };
        ch.updated_at = now_millis();
        channels::save(tx.conn, &ch)?;
        changed(tx, &ch)?;
        let action = if archived {
            "channel.archive"
        } else {
            "channel.unarchive"
        };
        audit::record(
            tx,
            Some(auth.user_id()),
            action,
            "channel",
            Some(ch.id.clone()),
            serde_json::json!({}),
        )?;
        Ok(ch)
    })?;
    Ok(row.to_api())
}

pub fn members(ctx: &Ctx, auth: &Auth, id: Id) -> Result<Vec<ChannelMember>> {
    ctx.store.read(|c| {
        let (ch, _) = readable(c, auth, id)?;
        // The caller's own entry in full; others' without their read state.
        Ok(channels::members(c, &ch.id)?
            .iter()
            .map(|m| {
                if m.user_id == auth.user.id {
                    m.to_api()
                } else {
                    m.to_api_public()
                }
            })
            .collect())
    })
}

/// Joining (self) or adding someone; team channels only admit team members.
/// The flag is false when they already were a member and nothing changed.
pub fn add_member(ctx: &Ctx, auth: &Auth, id: Id, user_id: Id) -> Result<(ChannelMember, bool)> {
    let row = ctx.store.write(|tx| {
        let ch = load(tx.conn, id)?;
        let f = facts(tx.conn, auth, &ch)?;
        let can_read = allowed(&auth.actor, Action::ReadChannel, &f);
        if user_id == auth.user_id() {
            if f.channel_role.is_some() {
                let m = channels::member(tx.conn, &ch.id, &auth.user.id)?
                    .ok_or(Error::NotFound("channel member"))?;
                return Ok((m, false));
            }
            // Only a public channel of a team the caller can see may answer
            // "forbidden" (e.g. to a guest); private channels, DMs and other
            // teams' channels must look as if they did not exist.
            let knowable =
                ch.kind == ChannelKind::Public && allowed(&auth.actor, Action::ViewTeam, &f);
            if !can_read && !knowable {
                return Err(Error::NotFound("channel"));
            }
            require(&auth.actor, Action::JoinChannel, &f)?;
        } else {
            // Adding people to a channel one cannot read (a system admin or
            // team admin outside a private channel) would reveal it.
            if !can_read {
                return Err(Error::NotFound("channel"));
            }
            require(&auth.actor, Action::AddChannelMembers, &f)?;
        }
        let target = hearth_store::users::by_id(tx.conn, &user_id.to_string())?
            .ok_or(Error::NotFound("user"))?;
        if !target.is_active {
            return Err(Error::invalid("the user is deactivated"));
        }
        if let Some(t) = &ch.team_id
            && teams::role_in(tx.conn, t, &target.id)?.is_none()
        {
            return Err(Error::invalid(format!(
                "{} is not a member of this channel's team",
                target.username
            )));
        }
        if let Some(m) = channels::member(tx.conn, &ch.id, &target.id)? {
            return Ok((m, false));
        }
        let m = add_member_in(tx, &ch, user_id, MemberRole::Member, Some(auth.user_id()))?;
        Ok((m, true))
    })?;
    Ok((row.0.to_api(), row.1))
}

pub fn remove_member(ctx: &Ctx, auth: &Auth, id: Id, user_id: Id) -> Result<()> {
    ctx.store.write(|tx| {
        let (ch, f) = readable(tx.conn, auth, id)?;
        if ch.kind == ChannelKind::Direct {
            return Err(Error::invalid("nobody can leave a direct message"));
        }
        if user_id == auth.user_id() {
            if ch.name == teams::DEFAULT_CHANNELS[0].0 && ch.team_id.is_some() {
                return Err(Error::invalid(
                    "town-square cannot be left; leave the team instead",
                ));
            }
        } else {
            require(&auth.actor, Action::RemoveOtherChannelMember, &f)?;
        }
        if channels::member(tx.conn, &ch.id, &user_id.to_string())?.is_none() {
            return Err(Error::NotFound("channel member"));
        }
        remove_member_in(tx, &ch, user_id, Some(auth.user_id()))?;
        if user_id != auth.user_id() {
            audit::record(
                tx,
                Some(auth.user_id()),
                "channel.member_remove",
                "channel",
                Some(ch.id.clone()),
                serde_json::json!({ "user_id": user_id }),
            )?;
        }
        Ok(())
    })
}

pub fn set_member_role(
    ctx: &Ctx,
    auth: &Auth,
    id: Id,
    user_id: Id,
    role: MemberRole,
) -> Result<ChannelMember> {
    let row = ctx.store.write(|tx| {
        let (ch, f) = readable(tx.conn, auth, id)?;
        require(&auth.actor, Action::ManageChannel, &f)?;
        let mut m = channels::member(tx.conn, &ch.id, &user_id.to_string())?
            .ok_or(Error::NotFound("channel member"))?;
        m.role = role;
        channels::save_member(tx.conn, &m)?;
        // The channel learns the new role; only the member their own state.
        tx.log(Change::new(
            EventPayload::ChannelMemberUpdated(m.to_api_public()),
            audience(&ch, None),
        ))?;
        tx.log(Change::new(
            EventPayload::ChannelMemberUpdated(m.to_api()),
            Audience::User(user_id),
        ))?;
        Ok(m)
    })?;
    Ok(if user_id == auth.user_id() {
        row.to_api()
    } else {
        row.to_api_public()
    })
}

pub fn update_membership(
    ctx: &Ctx,
    auth: &Auth,
    id: Id,
    req: UpdateMembershipRequest,
) -> Result<ChannelMember> {
    let row = ctx.store.write(|tx| {
        let (ch, _) = readable(tx.conn, auth, id)?;
        let mut m =
            channels::member(tx.conn, &ch.id, &auth.user.id)?.ok_or(Error::NotFound("channel"))?;
        if let Some(n) = req.notify_level {
            m.notify_level = n;
        }
        if let Some(v) = req.muted {
            m.muted = v;
        }
        if let Some(v) = req.favorite {
            m.favorite = v;
        }
        channels::save_member(tx.conn, &m)?;
        tx.log(Change::new(
            EventPayload::ChannelMemberUpdated(m.to_api()),
            Audience::User(auth.user_id()),
        ))?;
        Ok(m)
    })?;
    Ok(row.to_api())
}

/// Marks a channel read. In direct and group channels the others see it as a read receipt.
pub fn view(ctx: &Ctx, auth: &Auth, id: Id) -> Result<ChannelMember> {
    let row = ctx.store.write(|tx| {
        let (ch, f) = readable(tx.conn, auth, id)?;
        if f.channel_role.is_none() {
            return Err(Error::invalid("join the channel first"));
        }
        let now = now_millis();
        channels::mark_read(tx.conn, &ch.id, &auth.user.id, ch.total_msg_count, now)?;
        let m =
            channels::member(tx.conn, &ch.id, &auth.user.id)?.ok_or(Error::NotFound("channel"))?;
        let receipt = ChannelViewed {
            channel_id: id,
            user_id: auth.user_id(),
            last_viewed_at: now,
        };
        let aud = if ch.kind.is_dm() {
            audience(&ch, None)
        } else {
            Audience::User(auth.user_id())
        };
        tx.log(Change::new(EventPayload::ChannelViewed(receipt), aud))?;
        tx.log(Change::new(
            EventPayload::ChannelMemberUpdated(m.to_api()),
            Audience::User(auth.user_id()),
        ))?;
        Ok(m)
    })?;
    Ok(row.to_api())
}

/// Whether the caller may read the channel (for file downloads and typing).
pub fn can_read(c: &mut DbConn, auth: &Auth, id: Id) -> Result<bool> {
    let Some(ch) = channels::by_id(c, &id.to_string())? else {
        return Ok(false);
    };
    let f = facts(c, auth, &ch)?;
    Ok(allowed(&auth.actor, Action::ReadChannel, &f))
}

/// Whether the account `user_id` may read the channel now: the check for
/// events sent to people other than the caller (thread followers).
pub fn user_can_read(c: &mut DbConn, ch: &ChannelRow, user_id: &str) -> Result<bool> {
    let Some(user) = hearth_store::users::by_id(c, user_id)? else {
        return Ok(false);
    };
    let team_role = match &ch.team_id {
        Some(t) => teams::role_in(c, t, user_id)?,
        None => None,
    };
    let channel_role = channels::member(c, &ch.id, user_id)?.map(|m| m.role);
    let f = Facts {
        team_role,
        channel_kind: Some(ch.kind),
        channel_archived: ch.archived_at.is_some(),
        channel_role,
        ..Facts::default()
    };
    let actor = hearth_core::permissions::Actor {
        user_id: parse_id(user_id),
        role: user.role,
    };
    Ok(user.is_active && allowed(&actor, Action::ReadChannel, &f))
}
