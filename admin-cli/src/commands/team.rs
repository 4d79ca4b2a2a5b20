//! `hearthctl team …`: teams and their members.

use hearth_api::{CreateTeamRequest, Team, UpdateTeamRequest};
use hearth_client::Client;

use super::{Ctx, resolve};
use crate::cli::{TeamCmd, TeamMembersCmd};
use crate::exit::Result;
use crate::output::{fields, opt_time, table, time, yes_no};

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
        TeamCmd::Archive { team } => {
            let t = resolve::team(&c, &team).await?;
            let t = c.archive_team(t.id).await?;
            ctx.out.emit(&t, || show(&t))
        }
        TeamCmd::Restore { team } => {
            let t = resolve::team(&c, &team).await?;
            let t = c.restore_team(t.id).await?;
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
            let rows: Vec<_> = list
                .iter()
                .map(|m| (m.user_id, m.role, m.created_at))
                .collect();
            resolve::emit_members(&ctx.out, c, &list, &rows).await
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

fn show(t: &Team) -> String {
    fields(vec![
        ("id", t.id.to_string()),
        ("name", t.name.clone()),
        ("display name", t.display_name.clone()),
        ("description", t.description.clone()),
        ("open", yes_no(t.open)),
        ("archived", opt_time(t.archived_at)),
        ("created", time(t.created_at)),
        ("updated", time(t.updated_at)),
    ])
}
