//! Team and channel memberships and the system role a directory or identity
//! provider grants; shared by LDAP sync and OpenID Connect sign-in.

use hearth_api::{EventPayload, LdapSyncIssue, MemberRole, Role, TeamMembership};
use hearth_core::{Result, now_millis};
use hearth_identity::TeamRole;
use hearth_store::kinds::SignInSource;
use hearth_store::{Audience, Change, Tx, parse_id, users};

use super::accounts::user_changed;
use super::apply::{issue, update_synced};
use crate::services::{audit, channels, teams};
use crate::signin::role_of;

pub(super) fn member_role(r: TeamRole) -> MemberRole {
    match r {
        TeamRole::Admin => MemberRole::Admin,
        TeamRole::Member => MemberRole::Member,
    }
}

/// Joins, leaves or changes the role in a team (`to: None` leaves).
pub fn apply_team(
    tx: &mut Tx,
    uid: &str,
    team_name: &str,
    to: Option<TeamRole>,
) -> Result<Option<LdapSyncIssue>> {
    let Some(team) = hearth_store::teams::by_name(tx.conn, team_name)? else {
        return Ok(Some(issue(
            "sync.unknown_team",
            team_name,
            format!("team `{team_name}` does not exist; mapping skipped"),
        )));
    };
    let user_id = parse_id(uid);
    let current = hearth_store::teams::member(tx.conn, &team.id, uid)?;
    if team.archived_at.is_some() && current.is_none() && to.is_some() {
        return Ok(Some(issue(
            "sync.archived_team",
            team_name,
            format!("team `{team_name}` is archived; membership skipped"),
        )));
    }
    match (current, to) {
        (None, Some(r)) => {
            teams::add_member_in(tx, &team, user_id, member_role(r))?;
        }
        (Some(m), Some(r)) => {
            let role = member_role(r);
            if m.role != role {
                hearth_store::teams::set_member_role(tx.conn, &team.id, uid, role)?;
                if let Some(m) = hearth_store::teams::member(tx.conn, &team.id, uid)? {
                    tx.log(Change::new(
                        EventPayload::TeamMemberUpdated(m.to_api()),
                        Audience::Team {
                            team_id: parse_id(&team.id),
                            also: None,
                        },
                    ))?;
                }
            }
        }
        (Some(_), None) => {
            for ch in hearth_store::channels::for_user_in_team(tx.conn, uid, &team.id)? {
                channels::remove_member_in(tx, &ch, user_id, None)?;
            }
            hearth_store::teams::delete_member(tx.conn, &team.id, uid)?;
            tx.log(Change::new(
                EventPayload::TeamMemberRemoved(TeamMembership {
                    team_id: parse_id(&team.id),
                    user_id,
                }),
                Audience::Team {
                    team_id: parse_id(&team.id),
                    also: Some(user_id),
                },
            ))?;
        }
        (None, None) => {}
    }
    let name = team_name.to_string();
    update_synced(tx, uid, |s| match to {
        Some(r) => {
            s.memberships.teams.insert(name, r);
        }
        None => {
            s.memberships.teams.remove(&name);
        }
    })?;
    audit::record(
        tx,
        None,
        if to.is_some() {
            "team.member_sync"
        } else {
            "team.member_sync_remove"
        },
        "team",
        Some(team.id.clone()),
        serde_json::json!({ "user_id": uid, "role": to }),
    )?;
    Ok(None)
}

/// Joins or leaves a channel named `team/channel`.
pub fn apply_channel(
    tx: &mut Tx,
    uid: &str,
    key: &str,
    join: bool,
) -> Result<Option<LdapSyncIssue>> {
    let unknown = || {
        Some(issue(
            "sync.unknown_channel",
            key,
            format!("channel `{key}` does not exist (write it team/channel); mapping skipped"),
        ))
    };
    let Some((team_name, ch_name)) = key.split_once('/') else {
        return Ok(unknown());
    };
    let Some(team) = hearth_store::teams::by_name(tx.conn, team_name)? else {
        return Ok(unknown());
    };
    let Some(ch) = hearth_store::channels::by_name(tx.conn, Some(&team.id), ch_name)? else {
        return Ok(unknown());
    };
    let user_id = parse_id(uid);
    if join {
        if hearth_store::teams::member(tx.conn, &team.id, uid)?.is_none() {
            return Ok(Some(issue(
                "sync.not_in_team",
                key,
                format!("the account is not in team `{team_name}`; map the team too"),
            )));
        }
        channels::add_member_in(tx, &ch, user_id, MemberRole::Member, None)?;
    } else {
        channels::remove_member_in(tx, &ch, user_id, None)?;
    }
    let k = key.to_string();
    update_synced(tx, uid, |s| {
        if join {
            s.memberships.channels.insert(k);
        } else {
            s.memberships.channels.remove(&k);
        }
    })?;
    audit::record(
        tx,
        None,
        if join {
            "channel.member_sync"
        } else {
            "channel.member_sync_remove"
        },
        "channel",
        Some(ch.id.clone()),
        serde_json::json!({ "user_id": uid }),
    )?;
    Ok(None)
}

/// Sets the system role a mapping grants; `None` returns to a plain user.
/// Mappings cannot name the compliance officer role, and they never change
/// an officer's role either (only the local operator grants or removes it):
/// that change is skipped, audited as `user.role_sync_skipped` and returned
/// as an issue.
pub fn apply_role(
    tx: &mut Tx,
    uid: &str,
    to: Option<hearth_identity::SystemRole>,
    source: SignInSource,
) -> Result<Option<LdapSyncIssue>> {
    let Some(mut row) = users::by_id(tx.conn, uid)? else {
        return Ok(None);
    };
    let role = to.map(role_of).unwrap_or(Role::User);
    if hearth_core::permissions::require_role_change(false, row.role, role).is_err() {
        audit::record(
            tx,
            None,
            "user.role_sync_skipped",
            "user",
            Some(row.id.clone()),
            serde_json::json!({
                "from": row.role.as_str(),
                "to": role.as_str(),
                "source": source.as_str(),
            }),
        )?;
        // Remembered as applied, so that every later sync or sign-in does
        // not try (and audit) the same change again.
        update_synced(tx, uid, |s| s.memberships.system_role = to)?;
        return Ok(Some(issue(
            "sync.officer_role",
            &row.username,
            format!(
                "`{}` is a compliance officer; the mapped role `{}` was not applied ({})",
                row.username,
                role.as_str(),
                hearth_core::permissions::OFFICER_ROLE_ON_HOST
            ),
        )));
    }
    if row.role != role {
        let old = row.role;
        row.role = role;
        row.updated_at = now_millis();
        users::save(tx.conn, &row)?;
        tx.log(user_changed(&row))?;
        audit::record(
            tx,
            None,
            "user.role",
            "user",
            Some(row.id.clone()),
            serde_json::json!({
                "from": old.as_str(),
                "to": role.as_str(),
                "source": source.as_str(),
            }),
        )?;
    }
    update_synced(tx, uid, |s| s.memberships.system_role = to)?;
    Ok(None)
}
