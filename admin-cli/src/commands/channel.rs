//! `hearthctl channel …`: channels and their members.

use hearth_api::{Channel, ChannelKind, CreateChannelRequest, UpdateChannelRequest};
use hearth_client::Client;

use super::{Ctx, resolve};
use crate::cli::{ChannelCmd, ChannelMembersCmd};
use crate::exit::{CliError, Result};
use crate::output::{fields, opt_time, table, time};

pub async fn run(ctx: &Ctx, cmd: ChannelCmd) -> Result<()> {
    let c = ctx.client()?;
    match cmd {
        ChannelCmd::Create {
            team,
            name,
            display_name,
            private,
            purpose,
        } => {
            let t = resolve::team(&c, &team).await?;
            let ch = c
                .create_channel(&CreateChannelRequest {
                    team_id: t.id,
                    kind: if private {
                        ChannelKind::Private
                    } else {
                        ChannelKind::Public
                    },
                    name,
                    display_name,
                    purpose,
                    header: None,
                })
                .await?;
            ctx.out.emit(&ch, || show(&ch))
        }
        ChannelCmd::List {
            team,
            include_archived,
        } => {
            let t = resolve::team(&c, &team).await?;
            let list = c.browse_channels(t.id, include_archived).await?;
            ctx.out.emit(&list, || {
                table(
                    &["name", "display name", "kind", "archived", "id"],
                    list.iter().map(|ch| {
                        vec![
                            ch.name.clone(),
                            ch.display_name.clone(),
                            ch.kind.as_str().to_string(),
                            opt_time(ch.archived_at),
                            ch.id.to_string(),
                        ]
                    }),
                )
            })
        }
        ChannelCmd::Show { channel } => {
            let ch = resolve::channel(&c, &channel).await?;
            ctx.out.emit(&ch, || show(&ch))
        }
        ChannelCmd::Archive { channel } => {
            let ch = resolve::channel(&c, &channel).await?;
            let ch = c.archive_channel(ch.id).await?;
            ctx.out.emit(&ch, || show(&ch))
        }
        ChannelCmd::Restore { channel } => {
            let ch = resolve::channel(&c, &channel).await?;
            let ch = c.unarchive_channel(ch.id).await?;
            ctx.out.emit(&ch, || show(&ch))
        }
        ChannelCmd::Rename {
            channel,
            name,
            display_name,
        } => {
            if name.is_none() && display_name.is_none() {
                return Err(CliError::Usage(
                    "give --name, --display-name or both".into(),
                ));
            }
            let ch = resolve::channel(&c, &channel).await?;
            let req = UpdateChannelRequest {
                name,
                display_name,
                ..Default::default()
            };
            let ch = c.update_channel(ch.id, &req).await?;
            ctx.out.emit(&ch, || show(&ch))
        }
        ChannelCmd::MakePrivate { channel } => {
            let ch = resolve::channel(&c, &channel).await?;
            let ch = c.make_channel_private(ch.id).await?;
            ctx.out.emit(&ch, || show(&ch))
        }
        ChannelCmd::Move { channel, team } => {
            let ch = resolve::channel(&c, &channel).await?;
            let t = resolve::team(&c, &team).await?;
            let ch = c.move_channel(ch.id, t.id).await?;
            ctx.out.emit(&ch, || show(&ch))
        }
        ChannelCmd::Members(m) => members(ctx, &c, m).await,
    }
}

async fn members(ctx: &Ctx, c: &Client, cmd: ChannelMembersCmd) -> Result<()> {
    match cmd {
        ChannelMembersCmd::List { channel } => {
            let ch = resolve::channel(c, &channel).await?;
            let list = c.channel_members(ch.id).await?;
            let rows: Vec<_> = list
                .iter()
                .map(|m| (m.user_id, m.role, m.created_at))
                .collect();
            resolve::emit_members(&ctx.out, c, &list, &rows).await
        }
        ChannelMembersCmd::Add { channel, user } => {
            let ch = resolve::channel(c, &channel).await?;
            let uid = resolve::user_id(c, &user).await?;
            let m = c.add_channel_member(ch.id, uid).await?;
            ctx.out
                .emit(&m, || format!("{user} is now a member of {}", ch.name))
        }
        ChannelMembersCmd::Remove { channel, user } => {
            let ch = resolve::channel(c, &channel).await?;
            let uid = resolve::user_id(c, &user).await?;
            c.remove_channel_member(ch.id, uid).await?;
            let body = serde_json::json!({ "channel_id": ch.id, "user_id": uid, "removed": true });
            ctx.out
                .emit(&body, || format!("{user} removed from {}", ch.name))
        }
    }
}

fn show(ch: &Channel) -> String {
    fields(vec![
        ("id", ch.id.to_string()),
        (
            "team id",
            ch.team_id.map(|t| t.to_string()).unwrap_or_default(),
        ),
        ("name", ch.name.clone()),
        ("display name", ch.display_name.clone()),
        ("kind", ch.kind.as_str().to_string()),
        ("purpose", ch.purpose.clone()),
        ("archived", opt_time(ch.archived_at)),
        ("created", time(ch.created_at)),
        ("messages", ch.total_msg_count.to_string()),
    ])
}
