//! GlobalRelay EML: one RFC 5322 message per channel per UTC day (per
//! batch), `multipart/mixed` holding a `multipart/alternative` plain-text and
//! HTML transcript, then each attachment as its own part.
//!
//! Headers use RFC 2047 encoded words for any non-ASCII text and RFC 2231
//! parameters for non-ASCII file names. All bodies are base64 so no line
//! limit or character can break the message; attachments are streamed from
//! the file store through a base64 encoder, never held whole in memory.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{self, Seek, Write};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use sha2::{Digest, Sha256};

use super::BatchContext;
use crate::archive::{attachment_paths, safe_component};
use crate::error::Result;
use crate::model::{Channel, Directory, Event, MembershipChange, Millis, Record, User};

const DAY: Millis = 86_400_000;
use crate::time;

pub(super) fn write_batch<W: Write + Seek>(
    ctx: &mut BatchContext<'_, W>,
    batch: &[Record],
) -> Result<()> {
    let mut groups: BTreeMap<(&str, String), Vec<&Record>> = BTreeMap::new();
    for r in batch {
        groups
            .entry((r.event.channel_id(), time::day(r.at)))
            .or_default()
            .push(r);
    }
    let limit = ctx.max_message_bytes;
    let mut mm_parts: BTreeMap<&str, usize> = BTreeMap::new();
    for ((channel_id, day), all) in groups {
        for (part, records) in split_by_size(&all, limit).into_iter().enumerate() {
            let channel = ctx.directory.channel(channel_id);
            let mm_part = {
                let n = mm_parts.entry(channel_id).or_insert(0);
                *n += 1;
                *n
            };
            let path = if ctx.profile == super::Profile::Mattermost {
                format!(
                    "mattermost/batch-{:06}/{} - ({}) - {}.eml",
                    ctx.batch_no,
                    safe_component(channel_label(&channel)),
                    safe_component(&channel.id),
                    mm_part
                )
            } else if part == 0 {
                format!(
                    "globalrelay/batch-{:06}/{}-{}.eml",
                    ctx.batch_no,
                    safe_component(&channel.id),
                    day
                )
            } else {
                format!(
                    "globalrelay/batch-{:06}/{}-{}-{}.eml",
                    ctx.batch_no,
                    safe_component(&channel.id),
                    day,
                    part + 1
                )
            };
            let directory = ctx.directory;
            let files = ctx.files;
            // Members present during this day of the export window are
            // recipients, whether or not they wrote anything.
            let (start, end) = ctx.window.bounds(batch);
            let day_start = records
                .first()
                .map_or(start, |r| r.at.div_euclid(DAY) * DAY);
            let present = (start.max(day_start), end.min(day_start + DAY - 1));
            let too_large = oversized_posts(&records, limit);
            let how = How {
                present,
                too_large: &too_large,
                mattermost: ctx.profile == super::Profile::Mattermost,
            };
            let missing = ctx.archive.entry(&path, |out| {
                write_message(out, directory, files, &channel, &records, &how)
            })?;
            for m in missing {
                ctx.archive.warn(format!(
                    "{path}: attachment {m} missing from the file store, not embedded"
                ));
            }
            for post in &too_large {
                ctx.archive.warn(format!(
                "{path}: the attachments of post {post} are larger than a GlobalRelay message may be ({limit} bytes), not embedded"
            ));
            }
            ctx.counts.export_files += 1;
        }
    }
    Ok(())
}

/// What a record adds to a message: its text and its attachments.
fn record_size(r: &Record) -> u64 {
    let text = r.event.post().map_or(0, |p| p.message.len() as u64);
    let files = match &r.event {
        Event::PostCreated { post } => post.attachments.iter().map(|a| a.size).sum(),
        _ => 0,
    };
    text.saturating_add(files)
}

/// Splits a conversation-day into messages of at most `limit` bytes of
/// text and attachments (GlobalRelay refuses larger ones). A post that is
/// too large by itself goes out without its files (see [`oversized_posts`]).
fn split_by_size<'a>(records: &[&'a Record], limit: u64) -> Vec<Vec<&'a Record>> {
    let mut out: Vec<Vec<&Record>> = vec![Vec::new()];
    let mut size = 0u64;
    for r in records {
        let mut n = record_size(r);
        if n > limit {
            n = r.event.post().map_or(0, |p| p.message.len() as u64);
        }
        if size.saturating_add(n) > limit && out.last().is_some_and(|m| !m.is_empty()) {
            out.push(Vec::new());
            size = 0;
        }
        size = size.saturating_add(n);
        if let Some(m) = out.last_mut() {
            m.push(r);
        }
    }
    out
}

/// Posts whose attachments alone exceed the limit: their files are named
/// in the transcript but not embedded.
fn oversized_posts(records: &[&Record], limit: u64) -> Vec<String> {
    records
        .iter()
        .filter(|r| matches!(r.event, Event::PostCreated { .. }) && record_size(r) > limit)
        .filter_map(|r| r.event.post().map(|p| p.id.clone()))
        .collect()
}

/// How one message is written.
struct How<'a> {
    /// The span whose members are recipients.
    present: (Millis, Millis),
    /// Posts sent without their files (too large).
    too_large: &'a [String],
    /// Mattermost's message type and channel headers.
    mattermost: bool,
}

/// Writes one conversation-day; returns ids of attachments the store lacked.
fn write_message(
    out: &mut dyn Write,
    directory: &Directory,
    files: &dyn crate::model::AttachmentSource,
    channel: &Channel,
    records: &[&Record],
    how: &How<'_>,
) -> Result<Vec<String>> {
    let (present, too_large) = (how.present, how.too_large);
    // Participants in order of first appearance; the first poster sends.
    let mut participants: Vec<User> = Vec::new();
    let mut from: Option<User> = None;
    for r in records {
        let uid = r.event.user_id();
        for id in [uid, r.event.actor_id()] {
            if !participants.iter().any(|u| u.id == id) {
                participants.push(directory.user(id));
            }
        }
        if from.is_none() && r.event.post().is_some() {
            from = Some(directory.user(uid));
        }
    }
    let mut members: Vec<&str> = directory
        .present(&channel.id, present.0, present.1)
        .into_iter()
        .map(|s| s.user_id.as_str())
        .collect();
    members.sort_unstable();
    members.dedup();
    for id in members {
        if !participants.iter().any(|u| u.id == id) {
            participants.push(directory.user(id));
        }
    }
    let from = from
        .or_else(|| participants.first().cloned())
        .unwrap_or_else(|| directory.user(""));
    let messages = records.iter().filter(|r| r.event.post().is_some()).count();
    let first = records
        .first()
        .map(|r| (r.at, r.id.as_str()))
        .unwrap_or((0, ""));
    // Unique per content: GlobalRelay drops a message whose id it has seen,
    // so two messages with different records or texts never share one.
    let mut hasher = Sha256::new();
    hasher.update(channel.id.as_bytes());
    for r in records {
        hasher.update(b"\n");
        hasher.update(r.id.as_bytes());
        hasher.update(b"\0");
        hasher.update(r.event.kind_name().as_bytes());
        if let Some(p) = r.event.post() {
            hasher.update(b"\0");
            hasher.update(p.message.as_bytes());
            for a in &p.attachments {
                hasher.update(b"\0");
                hasher.update(a.sha256.as_bytes());
            }
        }
    }
    let digest = hex::encode(hasher.finalize());
    let tag = digest.get(..24).unwrap_or(&digest);
    let mixed = format!("=_hearth-mixed-{tag}");
    let alt = format!("=_hearth-alt-{tag}");

    let mut h = String::new();
    header(&mut h, "From", &format_mailbox(&from));
    let to: Vec<String> = participants.iter().map(format_mailbox).collect();
    let _ = write!(h, "To: {}\r\n", to.join(",\r\n "));
    let subject = format!("Hearth: {} ({} messages)", channel_label(channel), messages);
    header(&mut h, "Subject", &encode_header_text(&subject));
    header(&mut h, "Date", &time::rfc5322(first.0));
    let _ = write!(
        h,
        "Message-ID: <{tag}.{}@compliance.hearth.invalid>\r\n",
        safe_id(&channel.id)
    );
    header(&mut h, "MIME-Version", "1.0");
    // The headers GlobalRelay's ingestion reads: the message type, and that
    // this is machine-generated bulk mail no one should auto-reply to.
    if how.mattermost {
        // Archives route Mattermost's messages by these.
        header(&mut h, "X-GlobalRelay-MsgType", "Mattermost");
        header(
            &mut h,
            "X-Mattermost-ChannelName",
            &encode_header_text(channel_label(channel)),
        );
        header(&mut h, "X-Mattermost-ChannelID", &safe_id(&channel.id));
        header(&mut h, "X-Mattermost-ChannelType", channel.kind.as_str());
    } else {
        header(&mut h, "X-GlobalRelay-MsgType", "Hearth");
    }
    header(&mut h, "Auto-Submitted", "auto-generated");
    header(&mut h, "Precedence", "bulk");
    header(&mut h, "X-Hearth-Channel-Id", &safe_id(&channel.id));
    header(
        &mut h,
        "X-Hearth-Channel-Name",
        &encode_header_text(&channel.name),
    );
    header(&mut h, "X-Hearth-Channel-Kind", channel.kind.as_str());
    if let Some(team) = &channel.team_id {
        header(&mut h, "X-Hearth-Team-Id", &safe_id(team));
    }
    header(&mut h, "X-Hearth-Message-Count", &messages.to_string());
    let _ = write!(
        h,
        "Content-Type: multipart/mixed; boundary=\"{mixed}\"\r\n\r\n"
    );
    let _ = write!(
        h,
        "This is a multi-part message in MIME format.\r\n--{mixed}\r\n"
    );
    let _ = write!(
        h,
        "Content-Type: multipart/alternative; boundary=\"{alt}\"\r\n\r\n--{alt}\r\n"
    );
    out.write_all(h.as_bytes())?;

    let (plain, html) = transcripts(directory, channel, records, too_large);
    out.write_all(
        b"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n",
    )?;
    base64_lines(out, &mut plain.as_bytes())?;
    write!(out, "--{alt}\r\n")?;
    out.write_all(
        b"Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n",
    )?;
    base64_lines(out, &mut html.as_bytes())?;
    write!(out, "--{alt}--\r\n")?;

    let mut missing = Vec::new();
    for r in records {
        let Event::PostCreated { post } = &r.event else {
            continue;
        };
        if too_large.contains(&post.id) {
            continue;
        }
        for (a, path) in post.attachments.iter().zip(attachment_paths(post)) {
            let mut reader = match files.open(&post.id, a) {
                Ok(r) => r,
                Err(e) if e.kind() == io::ErrorKind::NotFound => {
                    missing.push(a.file_id.clone());
                    continue;
                }
                Err(e) => return Err(e.into()),
            };
            let mime = if valid_mime(&a.mime) {
                a.mime.as_str()
            } else {
                "application/octet-stream"
            };
            write!(out, "--{mixed}\r\n")?;
            write!(out, "Content-Type: {mime};{}\r\n", param("name", &a.name))?;
            write!(
                out,
                "Content-Disposition: attachment;{}\r\n",
                param("filename", &a.name)
            )?;
            write!(out, "Content-Transfer-Encoding: base64\r\n")?;
            write!(
                out,
                "Content-ID: <{}.{}@compliance.hearth.invalid>\r\n",
                safe_id(&a.file_id),
                safe_id(&post.id)
            )?;
            write!(
                out,
                "X-Hearth-Post-Id: {}\r\nX-Hearth-Archive-Path: {}\r\n\r\n",
                safe_id(&post.id),
                encode_header_text(&path)
            )?;
            base64_lines(out, &mut reader)?;
        }
    }
    write!(out, "--{mixed}--\r\n")?;
    Ok(missing)
}

fn channel_label(c: &Channel) -> &str {
    if c.display_name.is_empty() {
        &c.name
    } else {
        &c.display_name
    }
}

fn header(h: &mut String, name: &str, value: &str) {
    let _ = write!(h, "{name}: {value}\r\n");
}

/// Ids go into headers raw, so only header-safe characters are kept.
fn safe_id(id: &str) -> String {
    let s: String = id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || "-_.".contains(*c))
        .collect();
    if s.is_empty() {
        "unknown".to_string()
    } else {
        s
    }
}

fn valid_mime(m: &str) -> bool {
    let token = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "!#$&-^_.+".contains(c))
    };
    match m.split_once('/') {
        Some((t, s)) => token(t) && token(s),
        None => false,
    }
}

/// A MIME parameter: quoted ASCII, or RFC 2231 `name*0*=utf-8''…` pieces,
/// one per folded line, so any file name fits the line limit.
fn param(name: &str, value: &str) -> String {
    let plain = value
        .chars()
        .all(|c| (' '..='~').contains(&c) && c != '"' && c != '\\');
    if plain && value.len() < 60 {
        return format!(" {name}=\"{value}\"");
    }
    let mut pieces: Vec<String> = vec![String::new()];
    for b in value.as_bytes() {
        let mut enc = String::new();
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(b) {
            enc.push(*b as char);
        } else {
            let _ = write!(enc, "%{b:02X}");
        }
        if pieces.last().is_some_and(|p| p.len() + enc.len() > 60) {
            pieces.push(String::new());
        }
        if let Some(p) = pieces.last_mut() {
            p.push_str(&enc);
        }
    }
    let mut out = String::new();
    for (i, piece) in pieces.iter().enumerate() {
        let sep = if i == 0 { "" } else { ";" };
        let charset = if i == 0 { "utf-8''" } else { "" };
        let _ = write!(out, "{sep}\r\n {name}*{i}*={charset}{piece}");
    }
    out
}

/// Header text as-is when it is plain printable ASCII, otherwise as RFC 2047
/// `B` encoded words of at most 75 characters, folded onto new lines.
pub fn encode_header_text(s: &str) -> String {
    let plain = s.chars().all(|c| (' '..='~').contains(&c)) && !s.contains("=?") && s.len() <= 900;
    if plain {
        return s.to_string();
    }
    let mut words = Vec::new();
    let mut chunk = String::new();
    for c in s.chars() {
        let c = if c.is_control() { ' ' } else { c };
        if chunk.len() + c.len_utf8() > 45 {
            words.push(format!("=?UTF-8?B?{}?=", STANDARD.encode(chunk.as_bytes())));
            chunk.clear();
        }
        chunk.push(c);
    }
    if !chunk.is_empty() || words.is_empty() {
        words.push(format!("=?UTF-8?B?{}?=", STANDARD.encode(chunk.as_bytes())));
    }
    words.join("\r\n ")
}

/// `"Display Name" <address>` with the name quoted or encoded as needed.
/// Users without a usable address get `<id>@users.hearth.invalid`, which can
/// never be delivered and says where it came from.
pub fn format_mailbox(u: &User) -> String {
    let addr = if valid_address(&u.email) {
        u.email.clone()
    } else {
        format!("{}@users.hearth.invalid", safe_id(&u.id))
    };
    let name = if u.display_name.trim().is_empty() {
        u.username.as_str()
    } else {
        u.display_name.as_str()
    };
    if name.is_empty() {
        return format!("<{addr}>");
    }
    let ascii = name.chars().all(|c| (' '..='~').contains(&c)) && !name.contains("=?");
    if ascii && name.len() <= 60 {
        let quoted = name.replace('\\', "\\\\").replace('"', "\\\"");
        format!("\"{quoted}\" <{addr}>")
    } else {
        format!("{} <{addr}>", encode_header_text_always(name))
    }
}

fn encode_header_text_always(s: &str) -> String {
    let e = encode_header_text(s);
    if e == s {
        format!("=?UTF-8?B?{}?=", STANDARD.encode(s.as_bytes()))
    } else {
        e
    }
}

fn valid_address(a: &str) -> bool {
    let Some((local, domain)) = a.split_once('@') else {
        return false;
    };
    let ok = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_graphic() && !"<>()[]\\,;:\"@".contains(c))
    };
    ok(local) && ok(domain) && a.len() <= 254
}

/// Streams `input` as base64 in 76-character CRLF lines.
fn base64_lines(out: &mut dyn Write, input: &mut dyn io::Read) -> io::Result<()> {
    let mut buf = [0u8; 57 * 64];
    let mut filled = 0usize;
    loop {
        let n = match input.read(&mut buf[filled..]) {
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        filled += n;
        let eof = n == 0;
        let whole = if eof { filled } else { filled - filled % 57 };
        if whole > 0 && (eof || filled == buf.len()) {
            for line in buf[..whole].chunks(57) {
                out.write_all(STANDARD.encode(line).as_bytes())?;
                out.write_all(b"\r\n")?;
            }
            buf.copy_within(whole..filled, 0);
            filled -= whole;
        }
        if eof {
            return Ok(());
        }
    }
}

fn author_label(u: &User) -> String {
    if u.display_name.is_empty() {
        format!("@{}", u.username)
    } else {
        format!("{} (@{})", u.display_name, u.username)
    }
}

fn html_escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '&' => o.push_str("&amp;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            _ => o.push(c),
        }
    }
    o
}

/// The plain-text and HTML transcripts of one conversation-day.
fn transcripts(
    directory: &Directory,
    channel: &Channel,
    records: &[&Record],
    too_large: &[String],
) -> (String, String) {
    let mut plain = format!(
        "Channel: {} ({}, {})\r\n\r\n",
        channel_label(channel),
        channel.kind.as_str(),
        channel.id
    );
    let mut html = format!(
        "<!DOCTYPE html>\r\n<html><head><meta charset=\"utf-8\"><title>{}</title></head><body>\r\n<h1>{}</h1>\r\n<table>\r\n<tr><th>Time (UTC)</th><th>Author</th><th>Event</th><th>Message</th></tr>\r\n",
        html_escape(channel_label(channel)),
        html_escape(channel_label(channel))
    );
    for r in records {
        // A deletion is told as its deleter's act; a membership change as the member's.
        let user = match &r.event {
            Event::PostDeleted { .. } => directory.user(r.event.actor_id()),
            _ => directory.user(r.event.user_id()),
        };
        let who = author_label(&user);
        let when = time::human(r.happened_at());
        let (what, text) = match &r.event {
            Event::PostCreated { post } => {
                let mut t = post.message.clone();
                let removed = too_large.contains(&post.id);
                for a in &post.attachments {
                    let _ = write!(
                        t,
                        "\n[attachment: {} ({}, {} bytes)]",
                        a.name, a.mime, a.size
                    );
                    if removed {
                        let _ = write!(t, " not attached: too large to send (id {})", a.file_id);
                    }
                }
                let what = match &post.root_id {
                    Some(root) => format!("replied in thread {root}"),
                    None => "posted".to_string(),
                };
                (what, t)
            }
            Event::PostEdited { post, previous } => (
                format!("edited post {}", post.id),
                format!("{}\n(previously: {previous})", post.message),
            ),
            Event::PostDeleted { post } => {
                let what = if r.event.actor_id() == post.author_id {
                    format!("deleted post {}", post.id)
                } else {
                    format!(
                        "deleted post {} (written by {})",
                        post.id,
                        author_label(&directory.user(&post.author_id))
                    )
                };
                (what, post.message.clone())
            }
            Event::Reaction(x) => (
                format!("reacted :{}: to post {}", x.emoji, x.post_id),
                String::new(),
            ),
            Event::Membership(m) => {
                let verb = if m.change == MembershipChange::Joined {
                    "joined the channel"
                } else {
                    "left the channel"
                };
                let what = if m.actor_id != m.user_id {
                    format!("{verb} (by {})", author_label(&directory.user(&m.actor_id)))
                } else {
                    verb.to_string()
                };
                (what, String::new())
            }
        };
        let _ = write!(plain, "[{when}] {who} {what}");
        if !text.is_empty() {
            let _ = write!(plain, ": {}", text.replace('\n', "\r\n    "));
        }
        plain.push_str("\r\n");
        let _ = write!(
            html,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\r\n",
            html_escape(&when),
            html_escape(&who),
            html_escape(&what),
            html_escape(&text).replace('\n', "<br>")
        );
    }
    html.push_str("</table>\r\n</body></html>\r\n");
    (plain, html)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_streams_in_lines() {
        let data: Vec<u8> = (0..10_000u32).map(|i| (i % 251) as u8).collect();
        let mut out = Vec::new();
        base64_lines(&mut out, &mut data.as_slice()).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.split("\r\n").all(|l| l.len() <= 76));
        let joined: String = text.split("\r\n").collect();
        assert_eq!(STANDARD.decode(joined).unwrap(), data);
    }

    #[test]
    fn encoded_words_stay_short() {
        let e = encode_header_text(&"Ünïcödé ".repeat(20));
        assert!(
            e.split("\r\n ")
                .all(|w| w.len() <= 75 && w.starts_with("=?UTF-8?B?"))
        );
        assert_eq!(encode_header_text("plain"), "plain");
    }
}
