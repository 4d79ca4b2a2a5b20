//! `hearthctl team …`: teams and their members.

use hearth_api::{CreateTeamRequest, Team, TeamMember, UpdateTeamRequest};
use hearth_client::Client;

use super::{Ctx, resolve};
use crate::cli::{TeamCmd, TeamMembersCmd};
use crate::exit::Result;
use crate::output::{fields, table, time, yes_no};

pub async fn run(ctx: &Ctx, cmd: TeamCmd) -> Result<()> {
    let c = ctx.client()?;
    match cmd {
        TeamCmd::Create {
            name,
            display_name,
            description,
            open,
        } => {
            let t = c
                .create_team(&CreateTeamRequest {
                    name,
                    display_name,
                    description,
                    open,
                })
                .await?;
            ctx.out.emit(&t, || show(&t))
        }
        TeamCmd::List { open, all } => {
            let teams = if all {
                c.all_teams().await?
            } else if open {
                c.open_teams().await?
            } else {
                c.teams().await?
            };
            ctx.out.emit(&teams, || {
                table(
                    &["name", "display name", "open", "id"],
                    teams.iter().map(|t| {
                        vec![
                            t.name.clone(),
                            t.display_name.clone(),
                            yes_no(t.open),
                            t.id.to_string(),
                        ]
                    }),
                )
            })
        }
        TeamCmd::Show { team } => {
            let t = resolve::team(&c, &team).await?;
            ctx.out.emit(&t, || show(&t))
        }
        TeamCmd::Update {
            team,
            display_name,
            description,
            open,
            invite_only,
        } => {
            let t = resolve::team(&c, &team).await?;
            let req = UpdateTeamRequest {
                display_name,
                description,
                open: if open {
                    Some(true)
                } else {
                    invite_only.then_some(false)
                },
            };
            let t = c.update_team(t.id, &req).await?;
            ctx.out.emit(&t, || show(&t))
        }
        TeamCmd::Members(m) => members(ctx, &c, m).await,
    }
}

async fn members(ctx: &Ctx, c: &Client, cmd: TeamMembersCmd) -> Result<()> {
    match cmd {
        TeamMembersCmd::List { team } => {
            let t = resolve::team(c, &team).await?;
            let list = c.team_members(t.id).await?;
            let names = resolve::usernames(c, list.iter().map(|m| m.user_id)).await;
            ctx.out.emit(&list, || member_table(&list, &names))
        }
        TeamMembersCmd::Add { team, user } => {
            let t = resolve::team(c, &team).await?;
            let uid = resolve::user_id(c, &user).await?;
            let m = c.add_team_member(t.id, uid).await?;
            ctx.out
                .emit(&m, || format!("{user} is now a member of {}", t.name))
        }
        TeamMembersCmd::Remove { team, user } => {
            let t = resolve::team(c, &team).await?;
            let uid = resolve::user_id(c, &user).await?;
            c.remove_team_member(t.id, uid).await?;
            let body = serde_json::json!({ "team_id": t.id, "user_id": uid, "removed": true });
            ctx.out
                .emit(&body, || format!("{user} removed from {}", t.name))
        }
    }
}

fn member_table(
    list: &[TeamMember],
    names: &std::collections::HashMap<uuid::Uuid, String>,
) -> String {
    table(
        &["username", "role", "since", "user id"],
        list.iter().map(|m| {
            vec![
                names.get(&m.user_id).cloned().unwrap_or_default(),
                serde_json::to_value(m.role)
                    .map(|v| crate::output::cell(&v))
                    .unwrap_or_default(),
                time(m.created_at),
                m.user_id.to_string(),
            ]
        }),
    )
}

fn show(t: &Team) -> String {
    fields(vec![
        ("id", t.id.to_string()),
        ("name", t.name.clone()),
        ("display name", t.display_name.clone()),
        ("description", t.description.clone()),
        ("open", yes_no(t.open)),
        ("created", time(t.created_at)),
        ("updated", time(t.updated_at)),
    ])
}
