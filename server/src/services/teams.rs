//! Teams: creation with default channels, invitations, membership and team admins.

use hearth_api::{
    ChannelKind, CreateTeamRequest, EventPayload, MemberRole, Team, TeamInvite, TeamMember,
    TeamMembership, UpdateTeamRequest,
};
use hearth_core::permissions::{Action, Facts, allowed, require};
use hearth_core::{Error, Id, Result, new_id, now_millis, validate};
use hearth_store::models::{TeamMemberRow, TeamRow};
use hearth_store::{Audience, Change, DbConn, Tx, parse_id, teams};

use crate::auth::Auth;
use crate::services::{audit, channels};
use crate::state::Ctx;
use crate::tokens::new_secret;

/// Channels every team starts with and every new member joins.
pub const DEFAULT_CHANNELS: [(&str, &str); 2] =
    [("town-square", "Town Square"), ("off-topic", "Off-Topic")];

fn load(c: &mut DbConn, id: Id) -> Result<TeamRow> {
    teams::by_id(c, &id.to_string())?.ok_or(Error::NotFound("team"))
}

fn facts(c: &mut DbConn, auth: &Auth, team: &TeamRow) -> Result<Facts> {
    let role = teams::member(c, &team.id, &auth.user.id)?.map(|m| m.role);
    Ok(Facts {
        team_role: role,
        team_open: team.open,
        ..Facts::default()
    })
}

/// Loads a team the caller may see; others get `not_found`.
pub(crate) fn visible(c: &mut DbConn, auth: &Auth, id: Id) -> Result<(TeamRow, Facts)> {
    let team = load(c, id)?;
    let f = facts(c, auth, &team)?;
    if !hearth_core::permissions::allowed(&auth.actor, Action::ViewTeam, &f) && !team.open {
        return Err(Error::NotFound("team"));
    }
    Ok((team, f))
}

pub fn create(ctx: &Ctx, auth: &Auth, req: CreateTeamRequest) -> Result<Team> {
    auth.require_account()?;
    require(&auth.actor, Action::CreateTeam, &Facts::default())?;
    let name = validate::slug("team", &req.name)?;
    let display = validate::display_name(&req.display_name)?;
    let description = validate::text(
        "description",
        req.description.as_deref().unwrap_or(""),
        validate::MAX_PURPOSE,
        true,
    )?;
    let row = ctx.store.write(|tx| {
        let now = now_millis();
        let team = TeamRow {
            id: new_id().to_string(),
            name: name.clone(),
            display_name: display,
            description,
            open: req.open,
            invite_id: new_secret(),
            created_at: now,
            updated_at: now,
            archived_at: None,
        };
        teams::insert(tx.conn, &team).map_err(|e| {
            if e.is_unique_violation() {
                Error::conflict(format!("team name '{name}' is taken"))
            } else {
                e.into()
            }
        })?;
        let tid = parse_id(&team.id);
        for (n, d) in DEFAULT_CHANNELS {
            channels::create_in(tx, Some(tid), ChannelKind::Public, n, d, "", "", None)?;
        }
        add_member_in(tx, &team, auth.user_id(), MemberRole::Admin)?;
        audit::record(
            tx,
            Some(auth.user_id()),
            "team.create",
            "team",
            Some(team.id.clone()),
            serde_json::json!({ "name": name }),
        )?;
        Ok(team)
    })?;
    Ok(row.to_api())
}

/// Adds a user to a team and to its default channels, in the caller's transaction.
pub fn add_member_in(
    tx: &mut Tx,
    team: &TeamRow,
    user_id: Id,
    role: MemberRole,
) -> Result<TeamMemberRow> {
    let uid = user_id.to_string();
    if let Some(existing) = teams::member(tx.conn, &team.id, &uid)? {
        return Ok(existing);
    }
    if team.archived_at.is_some() {
        return Err(Error::invalid(format!(
            "team '{}' is archived; restore it first",
            team.name
        )));
    }
    let row = TeamMemberRow {
        team_id: team.id.clone(),
        user_id: uid,
        role,
        created_at: now_millis(),
    };
    teams::insert_member(tx.conn, &row)?;
    let tid = parse_id(&team.id);
    tx.log(Change::new(
        EventPayload::TeamMemberAdded(row.to_api()),
        Audience::Team {
            team_id: tid,
            also: Some(user_id),
        },
    ))?;
    for (n, _) in DEFAULT_CHANNELS {
        if let Some(ch) = hearth_store::channels::by_name(tx.conn, Some(&team.id), n)?
            && ch.archived_at.is_none()
        {
            channels::add_member_in(tx, &ch, user_id, MemberRole::Member, Some(user_id))?;
        }
    }
    Ok(row)
}

pub fn mine(ctx: &Ctx, auth: &Auth) -> Result<Vec<Team>> {
    let rows = ctx.store.read(|c| Ok(teams::for_user(c, &auth.user.id)?))?;
    Ok(rows.iter().map(TeamRow::to_api).collect())
}

/// Every team, whether or not the caller belongs to it (system admins).
pub fn all(ctx: &Ctx, auth: &Auth) -> Result<Vec<Team>> {
    require(&auth.actor, Action::ManageUsers, &Facts::default())?;
    let rows = ctx.store.read(|c| Ok(teams::all(c)?))?;
    Ok(rows.iter().map(TeamRow::to_api).collect())
}

pub fn open(ctx: &Ctx, auth: &Auth) -> Result<Vec<Team>> {
    // Open teams are listed to those who may join them.
    let open = Facts {
        team_open: true,
        ..Facts::default()
    };
    if !allowed(&auth.actor, Action::JoinOpenTeam, &open) {
        return Ok(vec![]);
    }
    let rows = ctx
        .store
        .read(|c| Ok(teams::open_not_joined(c, &auth.user.id)?))?;
    Ok(rows.iter().map(TeamRow::to_api).collect())
}

pub fn get(ctx: &Ctx, auth: &Auth, id: Id) -> Result<Team> {
    ctx.store.read(|c| Ok(visible(c, auth, id)?.0.to_api()))
}

pub fn update(ctx: &Ctx, auth: &Auth, id: Id, req: UpdateTeamRequest) -> Result<Team> {
    let display = req
        .display_name
        .as_deref()
        .map(validate::display_name)
        .transpose()?;
    let description = req
        .description
        .as_deref()
        .map(|d| validate::text("description", d, validate::MAX_PURPOSE, true))
        .transpose()?;
    let row = ctx.store.write(|tx| {
        let (mut team, f) = visible(tx.conn, auth, id)?;
        require(&auth.actor, Action::ManageTeam, &f)?;
        if let Some(d) = display {
            team.display_name = d;
        }
        if let Some(d) = description {
            team.description = d;
        }
        if let Some(o) = req.open {
            team.open = o;
        }
        team.updated_at = now_millis();
        teams::save(tx.conn, &team)?;
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
            "team.update",
            "team",
            Some(team.id.clone()),
            serde_json::json!({}),
        )?;
        Ok(team)
    })?;
    Ok(row.to_api())
}

pub fn invite(ctx: &Ctx, auth: &Auth, id: Id, regenerate: bool) -> Result<TeamInvite> {
    ctx.store.write(|tx| {
        let (mut team, f) = visible(tx.conn, auth, id)?;
        if regenerate || !allowed(&auth.actor, Action::ViewTeamInvite, &f) {
            require(&auth.actor, Action::ManageTeam, &f)?;
        }
        if regenerate {
            team.invite_id = new_secret();
            team.updated_at = now_millis();
            teams::save(tx.conn, &team)?;
            audit::record(
                tx,
                Some(auth.user_id()),
                "team.invite_regenerate",
                "team",
                Some(team.id.clone()),
                serde_json::json!({}),
            )?;
        }
        Ok(TeamInvite {
            invite_id: team.invite_id,
        })
    })
}

pub fn join_by_invite(ctx: &Ctx, auth: &Auth, invite_id: &str) -> Result<Team> {
    let row = ctx.store.write(|tx| {
        let team = teams::by_invite(tx.conn, invite_id)?.ok_or_else(|| {
            Error::invalid("the invitation is not valid (it may have been replaced)")
        })?;
        add_member_in(tx, &team, auth.user_id(), MemberRole::Member)?;
        Ok(team)
    })?;
    Ok(row.to_api())
}

/// Self-join of an open team, or adding someone as team admin (or as any
/// member of an open team). The flag is false when they already were a
/// member and nothing changed.
pub fn add_member(ctx: &Ctx, auth: &Auth, id: Id, user_id: Id) -> Result<(TeamMember, bool)> {
    let row = ctx.store.write(|tx| {
        let (team, mut f) = visible(tx.conn, auth, id)?;
        let target = hearth_store::users::by_id(tx.conn, &user_id.to_string())?;
        if user_id == auth.user_id() {
            if f.team_role.is_none() {
                require(&auth.actor, Action::JoinOpenTeam, &f)?;
            }
        } else {
            f.target_guest = target
                .as_ref()
                .is_some_and(|t| hearth_core::permissions::is_guest(t.role));
            require(&auth.actor, Action::AddTeamMember, &f)?;
        }
        let target = target.ok_or(Error::NotFound("user"))?;
        if !target.is_active {
            return Err(Error::invalid("the user is deactivated"));
        }
        if teams::member(tx.conn, &team.id, &target.id)?.is_some() {
            let m = add_member_in(tx, &team, user_id, MemberRole::Member)?;
            return Ok((m, false));
        }
        let m = add_member_in(tx, &team, user_id, MemberRole::Member)?;
        if user_id != auth.user_id() {
            audit::record(
                tx,
                Some(auth.user_id()),
                "team.member_add",
                "team",
                Some(team.id.clone()),
                serde_json::json!({ "user_id": user_id }),
            )?;
        }
        Ok((m, true))
    })?;
    Ok((row.0.to_api(), row.1))
}

/// Leaving a team, or removing someone as team admin, also leaves its channels.
pub fn remove_member(ctx: &Ctx, auth: &Auth, id: Id, user_id: Id) -> Result<()> {
    ctx.store.write(|tx| {
        let (team, f) = visible(tx.conn, auth, id)?;
        if user_id != auth.user_id() {
            require(&auth.actor, Action::ManageTeam, &f)?;
        }
        let uid = user_id.to_string();
        if teams::member(tx.conn, &team.id, &uid)?.is_none() {
            return Err(Error::NotFound("team member"));
        }
        for ch in hearth_store::channels::for_user_in_team(tx.conn, &uid, &team.id)? {
            channels::remove_member_in(tx, &ch, user_id, Some(auth.user_id()))?;
        }
        teams::delete_member(tx.conn, &team.id, &uid)?;
        tx.log(Change::new(
            EventPayload::TeamMemberRemoved(TeamMembership {
                team_id: id,
                user_id,
            }),
            Audience::Team {
                team_id: id,
                also: Some(user_id),
            },
        ))?;
        audit::record(
            tx,
            Some(auth.user_id()),
            "team.member_remove",
            "team",
            Some(team.id.clone()),
            serde_json::json!({ "user_id": user_id }),
        )
    })
}

pub fn members(ctx: &Ctx, auth: &Auth, id: Id) -> Result<Vec<TeamMember>> {
    ctx.store.read(|c| {
        let (team, f) = visible(c, auth, id)?;
        require(&auth.actor, Action::ViewTeam, &f)?;
        Ok(teams::members(c, &team.id)?
            .iter()
            .map(TeamMemberRow::to_api)
            .collect())
    })
}

pub fn set_member_role(
    ctx: &Ctx,
    auth: &Auth,
    id: Id,
    user_id: Id,
    role: MemberRole,
) -> Result<TeamMember> {
    let row = ctx.store.write(|tx| {
        let (team, f) = visible(tx.conn, auth, id)?;
        require(&auth.actor, Action::ManageTeam, &f)?;
        let uid = user_id.to_string();
        teams::member(tx.conn, &team.id, &uid)?.ok_or(Error::NotFound("team member"))?;
        teams::set_member_role(tx.conn, &team.id, &uid, role)?;
        let m = teams::member(tx.conn, &team.id, &uid)?.ok_or(Error::NotFound("team member"))?;
        tx.log(Change::new(
            EventPayload::TeamMemberUpdated(m.to_api()),
            Audience::Team {
                team_id: id,
                also: None,
            },
        ))?;
        audit::record(
            tx,
            Some(auth.user_id()),
            "team.member_role",
            "team",
            Some(team.id.clone()),
            serde_json::json!({ "user_id": user_id, "role": m.role }),
        )?;
        Ok(m)
    })?;
    Ok(row.to_api())
}

/// The caller's role in a team, for permission facts elsewhere.
pub fn role_in(c: &mut DbConn, team_id: &str, user_id: &str) -> Result<Option<MemberRole>> {
    Ok(teams::member(c, team_id, user_id)?.map(|m| m.role))
}
