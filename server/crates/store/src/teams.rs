//! Teams and their members.

use diesel::prelude::*;

use crate::conn::DbConn;
use crate::error::StoreResult;
use crate::models::{TeamMemberRow, TeamRow};
use crate::schema::{team_members, teams};

pub fn insert(conn: &mut DbConn, row: &TeamRow) -> StoreResult<()> {
    diesel::insert_into(teams::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

pub fn save(conn: &mut DbConn, row: &TeamRow) -> StoreResult<()> {
    diesel::update(teams::table.find(&row.id))
        .set(row)
        .execute(conn)?;
    Ok(())
}

pub fn by_id(conn: &mut DbConn, id: &str) -> StoreResult<Option<TeamRow>> {
    Ok(teams::table
        .find(id)
        .select(TeamRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn by_invite(conn: &mut DbConn, invite_id: &str) -> StoreResult<Option<TeamRow>> {
    Ok(teams::table
        .filter(teams::invite_id.eq(invite_id))
        .select(TeamRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn for_user(conn: &mut DbConn, user_id: &str) -> StoreResult<Vec<TeamRow>> {
    Ok(teams::table
        .inner_join(team_members::table.on(team_members::team_id.eq(teams::id)))
        .filter(team_members::user_id.eq(user_id))
        .order(teams::name.asc())
        .select(TeamRow::as_select())
        .load(conn)?)
}

/// Open teams the user is not yet in.
pub fn open_not_joined(conn: &mut DbConn, user_id: &str) -> StoreResult<Vec<TeamRow>> {
    let mine = team_members::table
        .filter(team_members::user_id.eq(user_id))
        .select(team_members::team_id);
    Ok(teams::table
        .filter(teams::open.eq(true))
        .filter(teams::archived_at.is_null())
        .filter(teams::id.ne_all(mine))
        .order(teams::name.asc())
        .select(TeamRow::as_select())
        .load(conn)?)
}

/// Every team, by name (for system administrators).
pub fn all(conn: &mut DbConn) -> StoreResult<Vec<TeamRow>> {
    Ok(teams::table
        .select(TeamRow::as_select())
        .order(teams::name.asc())
        .load(conn)?)
}

pub fn insert_member(conn: &mut DbConn, row: &TeamMemberRow) -> StoreResult<()> {
    diesel::insert_into(team_members::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

pub fn member(
    conn: &mut DbConn,
    team_id: &str,
    user_id: &str,
) -> StoreResult<Option<TeamMemberRow>> {
    Ok(team_members::table
        .find((team_id, user_id))
        .select(TeamMemberRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn members(conn: &mut DbConn, team_id: &str) -> StoreResult<Vec<TeamMemberRow>> {
    Ok(team_members::table
        .filter(team_members::team_id.eq(team_id))
        .order(team_members::created_at.asc())
        .select(TeamMemberRow::as_select())
        .load(conn)?)
}

pub fn member_ids(conn: &mut DbConn, team_id: &str) -> StoreResult<Vec<String>> {
    Ok(team_members::table
        .filter(team_members::team_id.eq(team_id))
        .select(team_members::user_id)
        .load(conn)?)
}

pub fn delete_member(conn: &mut DbConn, team_id: &str, user_id: &str) -> StoreResult<bool> {
    Ok(diesel::delete(team_members::table.find((team_id, user_id))).execute(conn)? > 0)
}

pub fn set_member_role(
    conn: &mut DbConn,
    team_id: &str,
    user_id: &str,
    role: hearth_api::MemberRole,
) -> StoreResult<()> {
    diesel::update(team_members::table.find((team_id, user_id)))
        .set(team_members::role.eq(role))
        .execute(conn)?;
    Ok(())
}

/// A team by its unique URL name.
pub fn by_name(conn: &mut DbConn, name: &str) -> StoreResult<Option<TeamRow>> {
    Ok(teams::table
        .filter(teams::name.eq(name.to_lowercase()))
        .select(TeamRow::as_select())
        .first(conn)
        .optional()?)
}

/// Every channel of a team, of any kind, archived or not.
pub fn channels(conn: &mut DbConn, team_id: &str) -> StoreResult<Vec<crate::models::ChannelRow>> {
    use crate::schema::channels;
    Ok(channels::table
        .filter(channels::team_id.eq(team_id))
        .select(crate::models::ChannelRow::as_select())
        .load(conn)?)
}
