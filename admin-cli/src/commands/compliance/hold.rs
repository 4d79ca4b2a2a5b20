//! `hearthctl hold …`: legal holds and their exports.

use hearth_api::{LegalHold, LegalHoldRequest};
use hearth_client::Client;
use uuid::Uuid;

use super::ids;
use super::jobs::finish;
use crate::cli::{HoldCmd, HoldDefinition};
use crate::commands::Ctx;
use crate::commands::audit::parse_time;
use crate::exit::{CliError, Result};
use crate::output::{fields, opt_time, table, time, yes_no};

fn hold_request(
    d: HoldDefinition,
    custodians: Vec<Uuid>,
    channels: Vec<Uuid>,
) -> Result<LegalHoldRequest> {
    Ok(LegalHoldRequest {
        name: d.name,
        description: d.description.unwrap_or_default(),
        custodians,
        channels,
        include_channel_context: d.channel_context,
        start_at: d.from.as_deref().map(parse_time).transpose()?,
        end_at: d.to.as_deref().map(parse_time).transpose()?,
    })
}

async fn hold_by(c: &Client, which: &str) -> Result<LegalHold> {
    if let Ok(id) = Uuid::parse_str(which) {
        return Ok(c.legal_hold(id).await?);
    }
    let found = c
        .legal_holds(false)
        .await?
        .into_iter()
        .find(|h| h.name == which)
        .ok_or_else(|| CliError::NotFound(format!("no legal hold named '{which}'")))?;
    Ok(c.legal_hold(found.id).await?)
}

pub async fn hold(ctx: &Ctx, cmd: HoldCmd) -> Result<()> {
    let c = ctx.client()?;
    match cmd {
        HoldCmd::List { active } => {
            let hs = c.legal_holds(active).await?;
            ctx.out.emit(&hs, || {
                table(
                    &[
                        "name",
                        "status",
                        "custodians",
                        "channels",
                        "from",
                        "to",
                        "created",
                    ],
                    hs.iter().map(|h| {
                        vec![
                            h.name.clone(),
                            h.status.as_str().to_string(),
                            h.custodians.len().to_string(),
                            if h.channels.is_empty() {
                                "all".into()
                            } else {
                                h.channels.len().to_string()
                            },
                            opt_time(h.start_at),
                            opt_time(h.end_at),
                            time(h.created_at),
                        ]
                    }),
                )
            })
        }
        HoldCmd::Show { hold } => {
            let h = hold_by(&c, &hold).await?;
            ctx.out.emit(&h, || hold_text(&h))
        }
        HoldCmd::Create { def } => {
            let (u, ch) = ids(&c, &def.custodian, &def.channel).await?;
            let h = c.create_legal_hold(&hold_request(def, u, ch)?).await?;
            ctx.out
                .emit(&h, || format!("Legal hold placed.\n{}", hold_text(&h)))
        }
        HoldCmd::Update { hold, def } => {
            let current = hold_by(&c, &hold).await?;
            let (u, ch) = ids(&c, &def.custodian, &def.channel).await?;
            let h = c
                .update_legal_hold(current.id, &hold_request(def, u, ch)?)
                .await?;
            ctx.out
                .emit(&h, || format!("Legal hold changed.\n{}", hold_text(&h)))
        }
        HoldCmd::Release { hold } => {
            let current = hold_by(&c, &hold).await?;
            let h = c.release_legal_hold(current.id).await?;
            ctx.out.emit(&h, || {
                format!(
                    "Released '{}'; its content follows retention again.",
                    h.name
                )
            })
        }
        HoldCmd::Export {
            hold,
            format,
            wait,
            output,
        } => {
            let h = hold_by(&c, &hold).await?;
            let job = c.export_legal_hold(h.id, format.into()).await?;
            finish(ctx, &c, job, wait || output.is_some(), output).await
        }
    }
}

fn hold_text(h: &LegalHold) -> String {
    fields(vec![
        ("id", h.id.to_string()),
        ("name", h.name.clone()),
        ("status", h.status.as_str().to_string()),
        ("description", h.description.clone()),
        (
            "custodians",
            h.custodians
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", "),
        ),
        (
            "channels",
            if h.channels.is_empty() {
                "all".into()
            } else {
                h.channels
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            },
        ),
        ("channel context", yes_no(h.include_channel_context)),
        ("from", opt_time(h.start_at)),
        ("to", opt_time(h.end_at)),
        (
            "covered posts",
            h.covered_posts
                .map(|n| n.to_string())
                .unwrap_or_else(|| "-".into()),
        ),
        ("created", time(h.created_at)),
        ("released", opt_time(h.released_at)),
    ])
}
