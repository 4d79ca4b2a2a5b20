//! Lets people name things the way they know them: users by username, e-mail
//! or id; teams by name or id; channels by id or `team:channel`.

use std::collections::HashMap;

use hearth_api::{Channel, MemberRole, Team, User};
use hearth_client::{Client, UserQuery};
use uuid::Uuid;

use crate::exit::{CliError, Result};
use crate::output::{Out, table, time};

pub async fn user(c: &Client, who: &str) -> Result<User> {
    if let Ok(id) = Uuid::parse_str(who) {
        return Ok(c.user(id).await?);
    }
    if who.contains('@') {
        let found = c
            .find_users(&UserQuery {
                q: Some(who.to_string()),
                per_page: Some(200),
                ..Default::default()
            })
            .await?;
        return found
            .into_iter()
            .find(|u| {
                u.email
                    .as_deref()
                    .is_some_and(|e| e.eq_ignore_ascii_case(who))
            })
            .ok_or_else(|| CliError::NotFound(format!("no user with e-mail {who}")));
    }
    Ok(c.user_by_username(who.trim_start_matches('@')).await?)
}

pub async fn user_id(c: &Client, who: &str) -> Result<Uuid> {
    match Uuid::parse_str(who) {
        Ok(id) => Ok(id),
        Err(_) => Ok(user(c, who).await?.id),
    }
}

/// A team by id, or by name: among every team for system admins, else
/// among the caller's teams and the open ones.
pub async fn team(c: &Client, which: &str) -> Result<Team> {
    if let Ok(id) = Uuid::parse_str(which) {
        return Ok(c.team(id).await?);
    }
    let all = match c.all_teams().await {
        Ok(all) => all,
        Err(e) if e.code() == Some(hearth_api::ErrorCode::Forbidden) => {
            let mut visible = c.teams().await?;
            visible.extend(c.open_teams().await?);
            visible
        }
        Err(e) => return Err(e.into()),
    };
    all.into_iter()
        .find(|t| t.name == which)
        .ok_or_else(|| CliError::NotFound(format!("no team named '{which}' that you can see")))
}

/// A channel by id, or `team:name` among the team's public channels and
/// the caller's own channels.
pub async fn channel(c: &Client, which: &str) -> Result<Channel> {
    if let Ok(id) = Uuid::parse_str(which) {
        return Ok(c.channel(id).await?);
    }
    let Some((team_name, name)) = which.split_once(':') else {
        return Err(CliError::Usage(format!(
            "name a channel by id or as TEAM:CHANNEL, not '{which}'"
        )));
    };
    let team = team(c, team_name).await?;
    let mut all = c.browse_channels(team.id, true).await?;
    all.extend(c.my_channels().await?);
    all.into_iter()
        .find(|ch| ch.team_id == Some(team.id) && ch.name == name)
        .ok_or_else(|| CliError::NotFound(format!("no channel '{name}' in team '{team_name}'")))
}

/// Prints a member list (team or channel): JSON as given, or a table with
/// usernames looked up, which only tables need.
pub async fn emit_members<T: serde::Serialize>(
    out: &Out,
    c: &Client,
    list: &[T],
    members: &[(Uuid, MemberRole, i64)],
) -> Result<()> {
    let text = if out.json {
        String::new()
    } else {
        members_text(c, members).await
    };
    out.emit(&list, || text)
}

/// A member table with usernames looked up; a user that cannot be looked
/// up shows only its id.
async fn members_text(c: &Client, members: &[(Uuid, MemberRole, i64)]) -> String {
    let mut names = HashMap::new();
    for (id, _, _) in members {
        if let Ok(u) = c.user(*id).await {
            names.insert(*id, u.username);
        }
    }
    table(
        &["username", "role", "since", "user id"],
        members.iter().map(|(id, role, since)| {
            vec![
                names.get(id).cloned().unwrap_or_default(),
                role.as_str().to_string(),
                time(*since),
                id.to_string(),
            ]
        }),
    )
}
