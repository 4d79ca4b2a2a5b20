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
