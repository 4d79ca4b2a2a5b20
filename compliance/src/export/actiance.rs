//! Actiance (Smarsh Vantage) XML, the element layout other chat servers
//! deliver to the same ingestion service:
//!
//! ```text
//! FileDump xmlns:xsi
//!   Conversation Perspective="<channel display name>"   (one per channel in the batch)
//!     RoomID            "<kind> - <channel name> - <channel id>"
//!     StartTimeUTC      first event time of the batch
//!     ParticipantEntered*  (LoginName, UserType, DateTimeUTC, CorporateEmailID)
//!     Message | FileTransferStarted | FileTransferEnded  (in event order)
//!       Message: MessageId, LoginName, UserType, DateTimeUTC,
//!                UpdatedType?, UpdatedDateTimeUTC?, EditedNewMsgId?, Content
//!       FileTransferStarted: LoginName, DateTimeUTC, UserFileName, FileName
//!       FileTransferEnded:   LoginName, DateTimeUTC, UserFileName, FileName, Status
//!     ParticipantLeft*     (LoginName, UserType, DateTimeUTC, CorporateEmailID)
//!     EndTimeUTC        last event time of the batch
//! ```
//!
//! Times are UTC epoch milliseconds. Authors who posted without a join in
//! the batch are entered at the batch start; everyone still present at the
//! end is recorded as leaving at the batch end, as Vantage expects every
//! participant to enter and leave. Edits produce an `EditedOriginalMsg`
//! entry carrying the previous text and an `EditedNewMsg` entry carrying the
//! new one; deletions a `Deleted` entry whose content is `delete <text>`,
//! and a `FileDeleted` entry per attachment.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{Seek, Write};

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event as X};

use super::{BatchContext, xml_safe};
use crate::archive::attachment_paths;
use crate::error::Result;
use crate::model::{Directory, Event, MembershipChange, Millis, Record, User};

const XMLNS: &str = "http://www.w3.org/2001/XMLSchema-instance";

pub(super) fn write_batch<W: Write + Seek>(
    ctx: &mut BatchContext<'_, W>,
    batch: &[Record],
) -> Result<()> {
    if batch.is_empty() {
        return Ok(());
    }
    let (start, end) = ctx.window.bounds(batch);
    let mut by_channel: BTreeMap<&str, Vec<&Record>> = BTreeMap::new();
    for r in batch {
        by_channel.entry(r.event.channel_id()).or_default().push(r);
    }
    let path = match ctx.profile {
        super::Profile::Hearth => format!("actiance/batch-{:06}.xml", ctx.batch_no),
        super::Profile::Mattermost => {
            format!("mattermost/batch-{:06}/actiance_export.xml", ctx.batch_no)
        }
    };
    let directory = ctx.directory;
    ctx.archive.entry(&path, |out| {
        let mut w = Writer::new_with_indent(out, b' ', 2);
        w.write_event(X::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
        w.write_event(X::Start(
            BytesStart::new("FileDump").with_attributes([("xmlns:xsi", XMLNS)]),
        ))?;
        for (channel_id, records) in &by_channel {
            conversation(&mut w, directory, channel_id, records, start, end)?;
        }
        w.write_event(X::End(BytesEnd::new("FileDump")))?;
        w.into_inner().write_all(b"\n")?;
        Ok(())
    })?;
    ctx.counts.export_files += 1;
    Ok(())
}

fn text<W: Write>(w: &mut Writer<W>, name: &str, value: &str) -> Result<()> {
    w.write_event(X::Start(BytesStart::new(name)))?;
    w.write_event(X::Text(BytesText::new(&xml_safe(value))))?;
    w.write_event(X::End(BytesEnd::new(name)))?;
    Ok(())
}

fn login(u: &User) -> &str {
    if u.email.is_empty() {
        &u.username
    } else {
        &u.email
    }
}

fn user_type(u: &User) -> &'static str {
    if u.is_bot { "bot" } else { "user" }
}

fn participant<W: Write>(w: &mut Writer<W>, tag: &str, u: &User, at: Millis) -> Result<()> {
    w.write_event(X::Start(BytesStart::new(tag)))?;
    text(w, "LoginName", login(u))?;
    text(w, "UserType", user_type(u))?;
    text(w, "DateTimeUTC", &at.to_string())?;
    text(w, "CorporateEmailID", &u.email)?;
    w.write_event(X::End(BytesEnd::new(tag)))?;
    Ok(())
}

struct Msg<'a> {
    id: &'a str,
    user: &'a User,
    at: Millis,
    updated: Option<(&'static str, Millis)>,
    edited_new: Option<&'a str>,
    content: &'a str,
}

fn message<W: Write>(w: &mut Writer<W>, m: &Msg<'_>) -> Result<()> {
    w.write_event(X::Start(BytesStart::new("Message")))?;
    text(w, "MessageId", m.id)?;
    text(w, "LoginName", login(m.user))?;
    text(w, "UserType", user_type(m.user))?;
    text(w, "DateTimeUTC", &m.at.to_string())?;
    if let Some((kind, at)) = m.updated {
        text(w, "UpdatedType", kind)?;
        text(w, "UpdatedDateTimeUTC", &at.to_string())?;
    }
    if let Some(id) = m.edited_new {
        text(w, "EditedNewMsgId", id)?;
    }
    text(w, "Content", m.content)?;
    w.write_event(X::End(BytesEnd::new("Message")))?;
    Ok(())
}

fn conversation<W: Write>(
    w: &mut Writer<W>,
    directory: &Directory,
    channel_id: &str,
    records: &[&Record],
    start: Millis,
    end: Millis,
) -> Result<()> {
    let channel = directory.channel(channel_id);
    let mut users: HashMap<&str, User> = HashMap::new();
    for r in records {
        for id in [r.event.user_id(), r.event.actor_id()] {
            users.entry(id).or_insert_with(|| directory.user(id));
        }
    }
    let user = |id: &str| users.get(id).cloned().unwrap_or_else(|| directory.user(id));

    // Entries and exits, Vantage-style: every participant enters and leaves.
    let mut joins: Vec<(Millis, User)> = Vec::new();
    let mut leaves: Vec<(Millis, User)> = Vec::new();
    let mut present: HashMap<&str, Millis> = HashMap::new();
    // Everyone who was a member during the window enters and leaves within
    // it, whether or not they wrote anything.
    let mut seen: HashSet<&str> = HashSet::new();
    for span in directory.present(channel_id, start, end) {
        joins.push((span.joined.max(start), user(&span.user_id)));
        leaves.push((span.left.map_or(end, |l| l.min(end)), user(&span.user_id)));
        seen.insert(&span.user_id);
    }
    let from_spans = seen.clone();
    for r in records {
        let uid = r.event.user_id();
        if from_spans.contains(uid) && matches!(r.event, Event::Membership(_)) {
            continue;
        }
        match &r.event {
            Event::Membership(m) if m.change == MembershipChange::Joined => {
                joins.push((r.at, user(uid)));
                present.insert(uid, r.at);
                seen.insert(uid);
            }
            Event::Membership(_) => {
                if !seen.contains(uid) {
                    // Was there before the batch started.
                    joins.push((start, user(uid)));
                    seen.insert(uid);
                }
                leaves.push((r.at, user(uid)));
                present.remove(uid);
            }
            _ => {
                for uid in [uid, r.event.actor_id()] {
                    if seen.insert(uid) {
                        joins.push((start, user(uid)));
                        present.insert(uid, start);
                    }
                }
            }
        }
    }
    for uid in present.keys() {
        leaves.push((end, user(uid)));
    }
    let order =
        |a: &(Millis, User), b: &(Millis, User)| (a.0, login(&a.1)).cmp(&(b.0, login(&b.1)));
    joins.sort_by(order);
    leaves.sort_by(order);

    w.write_event(X::Start(BytesStart::new("Conversation").with_attributes([
        ("Perspective", xml_safe(&channel.display_name).as_ref()),
    ])))?;
    let room = format!(
        "{} - {} - {}",
        channel.kind.as_str(),
        channel.name,
        channel.id
    );
    text(w, "RoomID", &room)?;
    text(w, "StartTimeUTC", &start.to_string())?;
    for (at, u) in &joins {
        participant(w, "ParticipantEntered", u, *at)?;
    }
    for r in records {
        if let Event::Reaction(x) = &r.event {
            // A reaction is a message of its own, by whoever reacted.
            let content = format!("reacted :{}: to message {}", x.emoji, x.post_id);
            message(
                w,
                &Msg {
                    id: &r.id,
                    user: &user(&x.user_id),
                    at: x.at,
                    updated: None,
                    edited_new: None,
                    content: &content,
                },
            )?;
            continue;
        }
        let Some(post) = r.event.post() else { continue };
        let author = user(&post.author_id);
        match &r.event {
            Event::PostCreated { .. } => {
                message(
                    w,
                    &Msg {
                        id: &post.id,
                        user: &author,
                        at: post.created_at,
                        updated: None,
                        edited_new: None,
                        content: &post.message,
                    },
                )?;
                for (a, path) in post.attachments.iter().zip(attachment_paths(post)) {
                    for tag in ["FileTransferStarted", "FileTransferEnded"] {
                        w.write_event(X::Start(BytesStart::new(tag)))?;
                        text(w, "LoginName", login(&author))?;
                        text(w, "DateTimeUTC", &post.created_at.to_string())?;
                        text(w, "UserFileName", &a.name)?;
                        text(w, "FileName", &path)?;
                        if tag == "FileTransferEnded" {
                            text(w, "Status", "Completed")?;
                        }
                        w.write_event(X::End(BytesEnd::new(tag)))?;
                    }
                }
            }
            Event::PostEdited { previous, .. } => {
                let edited_at = post.edited_at.unwrap_or(r.at);
                // The text before the edit is a message of its own, named by
                // the stored version, pointing at the post that now holds
                // the new text.
                let original_id = r.id.strip_suffix(":e").unwrap_or(&r.id);
                message(
                    w,
                    &Msg {
                        id: original_id,
                        user: &author,
                        at: post.created_at,
                        updated: Some(("EditedOriginalMsg", edited_at)),
                        edited_new: Some(&post.id),
                        content: previous,
                    },
                )?;
                message(
                    w,
                    &Msg {
                        id: &post.id,
                        user: &author,
                        at: post.created_at,
                        updated: Some(("EditedNewMsg", edited_at)),
                        edited_new: None,
                        content: &post.message,
                    },
                )?;
            }
            Event::PostDeleted { .. } => {
                let deleted_at = post.deleted_at.unwrap_or(r.at);
                let author = user(r.event.actor_id());
                let content = format!("delete {}", post.message);
                message(
                    w,
                    &Msg {
                        id: &post.id,
                        user: &author,
                        at: post.created_at,
                        updated: Some(("Deleted", deleted_at)),
                        edited_new: None,
                        content: &content,
                    },
                )?;
                for path in attachment_paths(post) {
                    let content = format!("delete {path}");
                    message(
                        w,
                        &Msg {
                            id: &post.id,
                            user: &author,
                            at: post.created_at,
                            updated: Some(("FileDeleted", deleted_at)),
                            edited_new: None,
                            content: &content,
                        },
                    )?;
                }
            }
            Event::Membership(_) | Event::Reaction(_) => {}
        }
    }
    for (at, u) in &leaves {
        participant(w, "ParticipantLeft", u, *at)?;
    }
    text(w, "EndTimeUTC", &end.to_string())?;
    w.write_event(X::End(BytesEnd::new("Conversation")))?;
    Ok(())
}
