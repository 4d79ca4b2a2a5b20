//! Writing imported conversations: accounts, channels, posts with their
//! original times, replies, reactions and files, each recorded in the
//! import map so a rerun of the same export skips what is already there.
//! Shared by the Slack and Mattermost imports.

use hearth_api::{ChannelKind, ChatImportReport, EventPayload, MemberRole, Role};
use hearth_core::{Error, Id, Result, new_id, now_millis, validate};
use hearth_store::kinds::{ImportSource, ImportedKind};
use hearth_store::models::{
    ChannelRow, FileRow, PostRow, ReactionRow, TeamRow, ThreadMemberRow, UserRow,
};
use hearth_store::{Audience, Change, Tx, channels, ids_json, import_map, parse_id, posts, users};

use crate::services::{channels as channel_service, teams as team_service};
use crate::state::Ctx;

/// The Hearth id an earlier run recorded, if any.
pub fn mapped(
    tx: &mut Tx,
    source: ImportSource,
    kind: ImportedKind,
    ext: &str,
) -> Result<Option<String>> {
    Ok(import_map::get(tx.conn, source, kind, ext)?)
}

pub fn remember(
    tx: &mut Tx,
    source: ImportSource,
    kind: ImportedKind,
    ext: &str,
    id: &str,
) -> Result<()> {
    import_map::put(tx.conn, source, kind, ext, id, now_millis())?;
    Ok(())
}

/// An account for an imported person: the existing one with that e-mail,
/// or a new one without a password (see `docs/api.md`, Import). Returns the
/// account and whether it was created. The username is made unique by a
/// numeric suffix when taken.
pub fn account(
    tx: &mut Tx,
    team: Option<&TeamRow>,
    username: &str,
    email: &str,
    display_name: &str,
    active: bool,
    role: Role,
) -> Result<(UserRow, bool)> {
    let email = validate::email(email)?;
    if let Some(u) = users::by_email(tx.conn, &email)? {
        if let Some(team) = team {
            team_service::add_member_in(tx, team, parse_id(&u.id), MemberRole::Member)?;
        }
        return Ok((u, false));
    }
    // The external handle if Hearth accepts it, else the e-mail's local
    // part, else the handle padded to the minimum length (`cy` → `cy_`).
    let padded = format!("{:_<3}", username.trim().to_lowercase());
    let base = validate::username(username)
        .or_else(|_| validate::username(&hearth_import::users::username_from_email(&email)))
        .or_else(|_| validate::username(&padded))
        .unwrap_or_else(|_| "imported".to_string());
    let mut name = base.clone();
    let mut n = 1;
    while users::by_username(tx.conn, &name)?.is_some() {
        n += 1;
        let suffix = n.to_string();
        let keep = 22usize.saturating_sub(suffix.len());
        name = format!("{}{suffix}", base.chars().take(keep).collect::<String>());
    }
    let display = validate::display_name(display_name).unwrap_or_else(|_| name.clone());
    let mut row = UserRow::new_account(name, email, display, None, role, now_millis());
    row.is_active = active;
    // An admin imported the workspace: its addresses are the admin's word.
    row.email_verified_at = Some(row.created_at);
    users::insert(tx.conn, &row)?;
    tx.log(Change::new(
        EventPayload::UserUpdated(row.to_api(false)),
        Audience::All,
    ))?;
    if let Some(team) = team {
        team_service::add_member_in(tx, team, parse_id(&row.id), MemberRole::Member)?;
    }
    Ok((row, true))
}

/// The team named `name`, created (with its default channels) if missing.
/// Returns it and whether it was created.
pub fn team(
    tx: &mut Tx,
    name: &str,
    display_name: &str,
    description: &str,
    open: bool,
) -> Result<(TeamRow, bool)> {
    let name = validate::slug("team", name)?;
    if let Some(t) = hearth_store::teams::by_name(tx.conn, &name)? {
        return Ok((t, false));
    }
    let now = now_millis();
    let row = TeamRow {
        id: new_id().to_string(),
        name: name.clone(),
        display_name: validate::display_name(display_name).unwrap_or_else(|_| name.clone()),
        description: description.chars().take(validate::MAX_PURPOSE).collect(),
        open,
        invite_id: crate::tokens::new_secret(),
        created_at: now,
        updated_at: now,
        archived_at: None,
    };
    hearth_store::teams::insert(tx.conn, &row)?;
    let tid = parse_id(&row.id);
    for (n, d) in team_service::DEFAULT_CHANNELS {
        channel_service::create_in(tx, Some(tid), ChannelKind::Public, n, d, "", "", None)?;
    }
    Ok((row, true))
}

/// A channel name Hearth accepts, from an external one.
pub fn channel_name(raw: &str) -> String {
    let s: String = raw
        .trim()
        .to_lowercase()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let s = s.trim_matches('-').to_string();
    match validate::slug("channel", &s) {
        Ok(v) => v,
        Err(_) => format!("imported-{}", s.chars().take(40).collect::<String>()),
    }
}

/// The team channel named `name`, created if missing. Returns it and
/// whether it was created.
pub fn team_channel(
    tx: &mut Tx,
    team: &TeamRow,
    kind: ChannelKind,
    name: &str,
    purpose: &str,
    header: &str,
    created_at: Option<i64>,
) -> Result<(ChannelRow, bool)> {
    if let Some(ch) = channels::by_name(tx.conn, Some(&team.id), name)? {
        return Ok((ch, false));
    }
    let purpose: String = purpose.chars().take(validate::MAX_PURPOSE).collect();
    let header: String = header.chars().take(validate::MAX_HEADER).collect();
    let mut ch = channel_service::create_in(
        tx,
        Some(parse_id(&team.id)),
        kind,
        name,
        name,
        &purpose,
        &header,
        None,
    )?;
    if let Some(at) = created_at {
        ch.created_at = at;
        channels::save(tx.conn, &ch)?;
    }
    let aud = if kind == ChannelKind::Public {
        Audience::Team {
            team_id: parse_id(&team.id),
            also: None,
        }
    } else {
        channel_audience(&ch)
    };
    tx.log(Change::new(EventPayload::ChannelCreated(ch.to_api()), aud))?;
    Ok((ch, true))
}

/// The direct (2 people) or group (3–8) channel of `members`, created if missing.
pub fn direct_channel(tx: &mut Tx, members: &[Id]) -> Result<(ChannelRow, bool)> {
    let mut ids = members.to_vec();
    ids.sort();
    ids.dedup();
    if !(2..=8).contains(&ids.len()) {
        return Err(Error::invalid("a direct conversation needs 2 to 8 people"));
    }
    let name = channel_service::direct_name(&ids);
    if let Some(ch) = channels::by_name(tx.conn, None, &name)? {
        return Ok((ch, false));
    }
    let kind = if ids.len() == 2 {
        ChannelKind::Direct
    } else {
        ChannelKind::Group
    };
    let ch = channel_service::create_in(tx, None, kind, &name, "", "", "", None)?;
    for u in &ids {
        channel_service::add_member_in(tx, &ch, *u, MemberRole::Member, None)?;
    }
    tx.log(Change::new(
        EventPayload::ChannelCreated(ch.to_api()),
        channel_audience(&ch),
    ))?;
    Ok((ch, true))
}

fn channel_audience(ch: &ChannelRow) -> Audience {
    Audience::Channel {
        channel_id: parse_id(&ch.id),
        team_id: ch.team_id.as_deref().map(parse_id),
        also: None,
    }
}

/// A UUIDv7 for the original time, not the import's: channel pages are
/// ordered by id, so imported history must sort where it happened.
fn id_at(millis: i64) -> Id {
    let ms = u64::try_from(millis).unwrap_or(0);
    let ts = uuid::Timestamp::from_unix(
        uuid::NoContext,
        ms / 1000,
        u32::try_from(ms % 1000).unwrap_or(0) * 1_000_000,
    );
    Id::new_v7(ts)
}

/// An imported message, ready to write.
pub struct NewPost<'a> {
    pub channel: &'a ChannelRow,
    pub author: Id,
    /// The thread root, already imported; None for a root post.
    pub root_id: Option<String>,
    pub message: String,
    pub created_at: i64,
    pub edited_at: Option<i64>,
}

/// Writes a post with its original times (mentions resolved as for a new
/// post) and, for a reply, the thread bookkeeping on its root.
pub fn post(tx: &mut Tx, p: NewPost) -> Result<PostRow> {
    let message: String = p.message.chars().take(hearth_api::MAX_POST_CHARS).collect();
    let (mentioned, channel_wide, links) =
        crate::services::posts::resolve_mentions(tx.conn, p.channel, &message)?;
    let root = match &p.root_id {
        Some(r) => posts::by_id(tx.conn, r)?,
        None => None,
    };
    let row = PostRow {
        id: id_at(p.created_at).to_string(),
        channel_id: p.channel.id.clone(),
        user_id: p.author.to_string(),
        root_id: root.as_ref().map(|r| r.id.clone()),
        message,
        file_ids: "[]".into(),
        mentions: ids_json(&mentioned),
        mentions_channel: channel_wide,
        channel_links: ids_json(&links),
        is_pinned: false,
        created_at: p.created_at,
        updated_at: p.edited_at.unwrap_or(p.created_at),
        edited_at: p.edited_at,
        deleted_at: None,
        reply_count: 0,
        last_reply_at: None,
        idempotency_key: None,
    };
    posts::insert(tx.conn, &row)?;
    channels::count_post(tx.conn, &p.channel.id, p.created_at, root.is_none())?;
    tx.log(Change::new(
        EventPayload::Posted(row.to_api()),
        channel_audience(p.channel),
    ))?;
    if let Some(mut root) = root {
        root.reply_count += 1;
        root.last_reply_at = Some(root.last_reply_at.unwrap_or(0).max(p.created_at));
        posts::save(tx.conn, &root)?;
        let uid = p.author.to_string();
        let member = match hearth_store::threads::get(tx.conn, &root.id, &uid)? {
            Some(mut m) => {
                m.participated_at.get_or_insert(p.created_at);
                m
            }
            None => ThreadMemberRow {
                root_id: root.id.clone(),
                user_id: uid,
                following: true,
                participated_at: Some(p.created_at),
                last_viewed_at: p.created_at,
            },
        };
        hearth_store::threads::upsert(tx.conn, &member)?;
    }
    Ok(row)
}

/// Marks imported history read for every member of the given channels:
/// people join an imported channel with its past, not with a pile of unread
/// messages that were read long ago where they came from.
pub fn mark_history_read(tx: &mut Tx, channel_ids: &[String]) -> Result<()> {
    let now = now_millis();
    for id in channel_ids {
        let Some(ch) = channels::by_id(tx.conn, id)? else {
            continue;
        };
        for m in channels::member_ids(tx.conn, id)? {
            channels::mark_read(tx.conn, id, &m, ch.total_msg_count, now)?;
        }
    }
    Ok(())
}

/// Adds a reaction unless the user already reacted so; true if added.
pub fn reaction(
    tx: &mut Tx,
    post: &PostRow,
    channel: &ChannelRow,
    user: Id,
    emoji: &str,
    at: i64,
) -> Result<bool> {
    let Ok(emoji) = validate::emoji_name(emoji) else {
        return Ok(false);
    };
    let row = ReactionRow {
        post_id: post.id.clone(),
        user_id: user.to_string(),
        emoji_name: emoji,
        created_at: at,
    };
    let added = posts::add_reaction(tx.conn, &row)?;
    if added {
        tx.log(Change::new(
            EventPayload::ReactionAdded(row.to_api()),
            channel_audience(channel),
        ))?;
    }
    Ok(added)
}

/// An attachment: with its bytes it goes to the file store (unless a dry
/// run); without them only its name, type and size are kept, and
/// downloading it answers `not_found`.
#[expect(
    clippy::too_many_arguments,
    reason = "one flat record of an attachment"
)]
pub fn file(
    ctx: &Ctx,
    tx: &mut Tx,
    post: &PostRow,
    uploader: Id,
    name: &str,
    mime: Option<&str>,
    size: Option<i64>,
    bytes: Option<Vec<u8>>,
    dry_run: bool,
    report: &mut ChatImportReport,
) -> Result<String> {
    let name =
        crate::services::files::check_name(name).unwrap_or_else(|_| "attachment".to_string());
    let mime = mime.map(str::to_string).unwrap_or_else(|| {
        mime_guess::from_path(&name)
            .first_or_octet_stream()
            .to_string()
    });
    let (sha, size) = match &bytes {
        Some(b) => {
            let sha = if dry_run {
                crate::files::FileStore::sha256(b)
            } else {
                ctx.files.put(b)?
            };
            report.files_imported += 1;
            (sha, b.len() as i64)
        }
        None => {
            report.files_missing += 1;
            report.missing_files.push(name.clone());
            (String::new(), size.unwrap_or(0))
        }
    };
    let row = FileRow {
        id: new_id().to_string(),
        uploader_id: uploader.to_string(),
        channel_id: post.channel_id.clone(),
        post_id: Some(post.id.clone()),
        name,
        mime_type: mime,
        size,
        sha256: sha,
        width: None,
        height: None,
        has_preview: false,
        created_at: post.created_at,
        deleted_at: None,
    };
    hearth_store::files::insert(tx.conn, &row)?;
    Ok(row.id)
}

/// Sets a post's attachments once they are written.
pub fn attach(tx: &mut Tx, post: &mut PostRow, file_ids: &[String]) -> Result<()> {
    if file_ids.is_empty() {
        return Ok(());
    }
    let ids: Vec<Id> = file_ids.iter().map(|i| parse_id(i)).collect();
    post.file_ids = ids_json(&ids);
    posts::save(tx.conn, post)?;
    Ok(())
}

/// Runs an import either for real (each batch its own transaction, so a
/// failure keeps what earlier batches wrote, and a rerun resumes) or as a dry
/// run: every batch in one transaction that is rolled back at the end, so the
/// report counts exactly what an apply would write.
pub fn run_batches<S>(
    ctx: &Ctx,
    dry_run: bool,
    state: &mut S,
    batches: usize,
    mut batch: impl FnMut(&mut Tx, &mut S, usize) -> Result<()>,
) -> Result<()> {
    if !dry_run {
        for i in 0..batches {
            ctx.store.write(|tx| batch(tx, state, i))?;
        }
        return Ok(());
    }
    let mut finished = false;
    let outcome = ctx.store.write(|tx| {
        for i in 0..batches {
            batch(tx, state, i)?;
        }
        finished = true;
        // Rolls the transaction back; recognised below by `finished`.
        Err::<(), _>(Error::conflict("dry run: rolled back"))
    });
    match outcome {
        Err(_) if finished => Ok(()),
        other => other,
    }
}
