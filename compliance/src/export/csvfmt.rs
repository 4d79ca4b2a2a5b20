//! CSV: one row per event, RFC 4180 quoting, a header row in every file.
//! Lists (attachment names and paths) are JSON arrays so any file name
//! survives a round trip.

use std::io::{Seek, Write};

use super::BatchContext;
use crate::archive::attachment_paths;
use crate::error::Result;
use crate::model::{Event, Record};
use crate::time;

/// The columns, in order. Stable: new columns are only ever appended.
pub const CSV_COLUMNS: [&str; 20] = [
    "timestamp_utc",
    "timestamp_ms",
    "event_id",
    "event_type",
    "team_id",
    "channel_id",
    "channel_name",
    "channel_display_name",
    "channel_kind",
    "user_id",
    "username",
    "user_email",
    "user_display_name",
    "actor_id",
    "post_id",
    "root_id",
    "message",
    "previous_message",
    "attachment_names",
    "attachment_paths",
];

pub(super) fn write_batch<W: Write + Seek>(
    ctx: &mut BatchContext<'_, W>,
    batch: &[Record],
) -> Result<()> {
    let path = format!("csv/batch-{:06}.csv", ctx.batch_no);
    let directory = ctx.directory;
    ctx.archive.entry(&path, |out| {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(out);
        w.write_record(CSV_COLUMNS)?;
        for r in batch {
            let channel = directory.channel(r.event.channel_id());
            let user = directory.user(r.event.user_id());
            let post = r.event.post();
            let actor = r.event.actor_id();
            let previous = match &r.event {
                Event::PostEdited { previous, .. } => previous.as_str(),
                _ => "",
            };
            let reaction = match &r.event {
                Event::Reaction(x) => Some((x.post_id.as_str(), format!(":{}:", x.emoji))),
                _ => None,
            };
            let (names, paths) = match (&r.event, post) {
                (Event::PostCreated { .. }, Some(p)) => {
                    let names: Vec<&str> = p.attachments.iter().map(|a| a.name.as_str()).collect();
                    (
                        serde_json::to_string(&names)?,
                        serde_json::to_string(&attachment_paths(p))?,
                    )
                }
                _ => (String::new(), String::new()),
            };
            let team = post
                .and_then(|p| p.team_id.clone())
                .or_else(|| channel.team_id.clone())
                .unwrap_or_default();
            let row: [&str; 20] = [
                &time::iso8601(r.happened_at()),
                &r.happened_at().to_string(),
                &r.id,
                r.event.kind_name(),
                &team,
                &channel.id,
                &channel.name,
                &channel.display_name,
                channel.kind.as_str(),
                &user.id,
                &user.username,
                &user.email,
                &user.display_name,
                actor,
                post.map(|p| p.id.as_str())
                    .or(reaction.as_ref().map(|x| x.0))
                    .unwrap_or(""),
                post.and_then(|p| p.root_id.as_deref()).unwrap_or(""),
                post.map(|p| p.message.as_str())
                    .or(reaction.as_ref().map(|x| x.1.as_str()))
                    .unwrap_or(""),
                previous,
                &names,
                &paths,
            ];
            w.write_record(row)?;
        }
        w.flush()?;
        Ok(())
    })?;
    ctx.counts.export_files += 1;
    Ok(())
}

/// Mattermost's CSV columns, in its order.
pub const MATTERMOST_COLUMNS: [&str; 18] = [
    "Post Creation Time",
    "Team Id",
    "Team Name",
    "Team Display Name",
    "Channel Id",
    "Channel Name",
    "Channel Display Name",
    "Channel Type",
    "User Id",
    "User Email",
    "Username",
    "Post Id",
    "Edited By Post Id",
    "Replied to Post Id",
    "Post Message",
    "Post Type",
    "User Type",
    "Previews Post Id",
];

/// Mattermost's names of channel kinds.
fn mattermost_channel_type(kind: crate::model::ChannelKind) -> &'static str {
    match kind {
        crate::model::ChannelKind::Public => "public",
        crate::model::ChannelKind::Private => "private",
        crate::model::ChannelKind::Direct => "direct",
        crate::model::ChannelKind::Group => "group",
    }
}

/// What a row of Mattermost's CSV says besides its channel and user.
struct MattermostPost<'a> {
    at: i64,
    post_id: &'a str,
    edited_by: &'a str,
    root: &'a str,
    message: &'a str,
    post_type: &'a str,
}

/// One row of Mattermost's CSV, in [`MATTERMOST_COLUMNS`] order (team names
/// are not known to the export and stay empty).
fn mattermost_row(
    channel: &crate::model::Channel,
    user: &crate::model::User,
    p: &MattermostPost<'_>,
) -> [String; 18] {
    [
        p.at.to_string(),
        channel.team_id.clone().unwrap_or_default(),
        String::new(),
        String::new(),
        channel.id.clone(),
        channel.name.clone(),
        channel.display_name.clone(),
        mattermost_channel_type(channel.kind).to_string(),
        user.id.clone(),
        user.email.clone(),
        user.username.clone(),
        p.post_id.to_string(),
        p.edited_by.to_string(),
        p.root.to_string(),
        p.message.to_string(),
        p.post_type.to_string(),
        if user.is_bot { "bot" } else { "user" }.to_string(),
        String::new(),
    ]
}

/// One batch in Mattermost's layout: `mattermost/batch-NNNNNN/posts.csv`,
/// a row per post (type `message`), per earlier text of an edited post
/// (its own id, `Edited By Post Id` naming the post), per deletion
/// (`delete <text>` at the deletion time), per attachment (`attachment`,
/// `name (files/<post>/<name>)`) and per join or leave (`enter`/`leave`,
/// `User <name> (<email>) joined the channel`), after a `previously-joined`
/// row at the window's start for each member already in a channel the
/// batch touches. Times are epoch milliseconds.
pub(super) fn write_mattermost_batch<W: Write + Seek>(
    ctx: &mut BatchContext<'_, W>,
    batch: &[Record],
) -> Result<()> {
    let path = format!("mattermost/batch-{:06}/posts.csv", ctx.batch_no);
    let directory = ctx.directory;
    let window = ctx.window;
    ctx.archive.entry(&path, |out| {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(out);
        w.write_record(MATTERMOST_COLUMNS)?;
        let (start, _) = window.bounds(batch);
        let channels: std::collections::BTreeSet<&str> =
            batch.iter().map(|r| r.event.channel_id()).collect();
        for channel_id in channels {
            let channel = directory.channel(channel_id);
            let mut already: Vec<&crate::model::MemberSpan> = directory
                .present(channel_id, start, start)
                .into_iter()
                .filter(|s| s.joined < start)
                .collect();
            already.sort_by(|a, b| a.user_id.cmp(&b.user_id));
            for s in already {
                let u = directory.user(&s.user_id);
                let text = format!(
                    "User {} ({}) was already in the channel",
                    u.username, u.email
                );
                w.write_record(mattermost_row(
                    &channel,
                    &u,
                    &MattermostPost {
                        at: start,
                        post_id: "",
                        edited_by: "",
                        root: "",
                        message: &text,
                        post_type: "previously-joined",
                    },
                ))?;
            }
        }
        for r in batch {
            let channel = directory.channel(r.event.channel_id());
            let row = |at: i64,
                       user_id: &str,
                       post_id: &str,
                       edited_by: &str,
                       root: &str,
                       message: &str,
                       post_type: &str| {
                mattermost_row(
                    &channel,
                    &directory.user(user_id),
                    &MattermostPost {
                        at,
                        post_id,
                        edited_by,
                        root,
                        message,
                        post_type,
                    },
                )
            };
            match &r.event {
                Event::PostCreated { post } => {
                    let root = post.root_id.as_deref().unwrap_or("");
                    w.write_record(row(
                        post.created_at,
                        &post.author_id,
                        &post.id,
                        "",
                        root,
                        &post.message,
                        "message",
                    ))?;
                    for (a, p) in post.attachments.iter().zip(attachment_paths(post)) {
                        w.write_record(row(
                            post.created_at,
                            &post.author_id,
                            &post.id,
                            "",
                            root,
                            &format!("{} ({p})", a.name),
                            "attachment",
                        ))?;
                    }
                }
                Event::PostEdited { post, previous } => {
                    let root = post.root_id.as_deref().unwrap_or("");
                    let original_id = r.id.strip_suffix(":e").unwrap_or(&r.id);
                    w.write_record(row(
                        post.created_at,
                        &post.author_id,
                        original_id,
                        &post.id,
                        root,
                        previous,
                        "message",
                    ))?;
                }
                Event::PostDeleted { post } => {
                    w.write_record(row(
                        post.deleted_at.unwrap_or(r.at),
                        r.event.actor_id(),
                        &post.id,
                        "",
                        post.root_id.as_deref().unwrap_or(""),
                        &format!("delete {}", post.message),
                        "message",
                    ))?;
                }
                Event::Membership(m) => {
                    let u = directory.user(&m.user_id);
                    let (verb, kind) = match m.change {
                        crate::model::MembershipChange::Joined => ("joined", "enter"),
                        crate::model::MembershipChange::Left => ("left", "leave"),
                    };
                    let text = format!("User {} ({}) {verb} the channel", u.username, u.email);
                    w.write_record(row(m.at, &m.user_id, "", "", "", &text, kind))?;
                }
                // Mattermost's CSV has no reaction rows.
                Event::Reaction(_) => {}
            }
        }
        w.flush()?;
        Ok(())
    })?;
    ctx.counts.export_files += 1;
    Ok(())
}
