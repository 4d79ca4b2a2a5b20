//! Mattermost bulk-import files: teams, channels, people with their team and
//! channel memberships, direct and group channels, posts with replies and
//! reactions. Every line is checked first (shape by `hearth-import`,
//! references here against the file and the database); a file with any
//! problem is refused whole. Teams, channels and people are written in one
//! transaction, then posts in batches, each item recorded in the import map
//! so a rerun skips it.

use std::collections::{HashMap, HashSet};

use hearth_api::{ChannelKind, ChatImportReport, MemberRole, Role};
use hearth_core::{Error, Id, Result};
use hearth_import::mattermost::{self, Attachment, Item, Reaction, Reply};
use hearth_store::models::{ChannelRow, PostRow};
use hearth_store::{Tx, channels, parse_id, teams, users};

use super::chat::{self, NewPost};
use super::mattermost_references as references;
use crate::auth::Auth;
use crate::services::{audit, channels as channel_service, teams as team_service};
use crate::state::Ctx;
use hearth_store::kinds::{ImportSource, ImportedKind};

const SOURCE: ImportSource = ImportSource::Mattermost;
/// Post lines written per transaction.
const POSTS_PER_BATCH: usize = 500;

struct Run {
    items: Vec<(u32, Item)>,
    /// Indices of post lines, in file order.
    post_lines: Vec<usize>,
    report: ChatImportReport,
    dry_run: bool,
    /// Channels that received posts, to mark their history read at the end.
    touched: HashSet<String>,
}

/// Checks and (unless a dry run) imports a file. A report with issues means
/// nothing was written; the caller answers 422 unless it was a dry run.
pub fn import(ctx: &Ctx, auth: &Auth, bytes: &[u8], dry_run: bool) -> Result<ChatImportReport> {
    super::admin_only(auth)?;
    let text = std::str::from_utf8(bytes)
        .map_err(|_| Error::invalid("the import file is not UTF-8 text"))?;
    let parsed = mattermost::parse(text);
    let mut report = ChatImportReport {
        dry_run,
        source: SOURCE.as_str().into(),
        ignored: parsed.ignored,
        issues: parsed.issues,
        ..Default::default()
    };
    let refs = ctx.store.read(|c| references::check(c, &parsed.items))?;
    report.issues.extend(refs);
    report.issues.sort_by_key(|i| i.line);
    if !report.issues.is_empty() {
        return Ok(report);
    }
    let post_lines: Vec<usize> = parsed
        .items
        .iter()
        .enumerate()
        .filter(|(_, (_, it))| matches!(it, Item::Post(_) | Item::DirectPost(_)))
        .map(|(i, _)| i)
        .collect();
    let mut run = Run {
        items: parsed.items,
        post_lines,
        report,
        dry_run,
        touched: HashSet::new(),
    };
    let post_batches = run.post_lines.len().div_ceil(POSTS_PER_BATCH);
    chat::run_batches(ctx, dry_run, &mut run, post_batches + 2, |tx, run, i| {
        if i == 0 {
            structure(tx, run)
        } else if i <= post_batches {
            let lines: Vec<usize> = run
                .post_lines
                .iter()
                .skip((i - 1) * POSTS_PER_BATCH)
                .take(POSTS_PER_BATCH)
                .copied()
                .collect();
            for l in lines {
                post_line(ctx, tx, run, l)?;
            }
            Ok(())
        } else if !run.dry_run {
            let ids: Vec<String> = run.touched.iter().cloned().collect();
            chat::mark_history_read(tx, &ids)?;
            let r = &run.report;
            audit::record(
                tx,
                Some(auth.user_id()),
                "import.mattermost",
                "import",
                None,
                serde_json::json!({
                    "teams_created": r.teams_created,
                    "users_created": r.users_created,
                    "users_matched": r.users_matched,
                    "channels_created": r.channels_created,
                    "direct_channels_created": r.direct_channels_created,
                    "posts": r.posts,
                    "replies": r.replies,
                    "reactions": r.reactions,
                    "files_missing": r.files_missing,
                    "skipped": r.skipped,
                }),
            )
        } else {
            Ok(())
        }
    })?;
    Ok(run.report)
}

/// A person's Hearth id: the account an earlier line or run imported, else
/// the existing account of that username.
fn user_id(tx: &mut Tx, username: &str) -> Result<Option<Id>> {
    let u = username.to_lowercase();
    if let Some(id) = chat::mapped(tx, SOURCE, ImportedKind::User, &u)? {
        return Ok(Some(parse_id(&id)));
    }
    Ok(users::by_username(tx.conn, &u)?.map(|r| parse_id(&r.id)))
}

fn team_channel(tx: &mut Tx, team: &str, name: &str) -> Result<ChannelRow> {
    let t = teams::by_name(tx.conn, team)?.ok_or(Error::NotFound("team"))?;
    channels::by_name(tx.conn, Some(&t.id), &chat::channel_name(name))?
        .ok_or(Error::NotFound("channel"))
}

fn structure(tx: &mut Tx, run: &mut Run) -> Result<()> {
    for i in 0..run.items.len() {
        let item = run.items[i].1.clone();
        let r = &mut run.report;
        match item {
            Item::Team(t) => {
                let key = t.name.to_lowercase();
                if chat::mapped(tx, SOURCE, ImportedKind::Team, &key)?.is_some() {
                    r.skipped += 1;
                    continue;
                }
                let display = t.display_name.clone().unwrap_or_else(|| t.name.clone());
                let (row, created) = chat::team(
                    tx,
                    &key,
                    &display,
                    t.description.as_deref().unwrap_or(""),
                    t.kind.as_deref() == Some("O"),
                )?;
                r.teams_created += u32::from(created);
                chat::remember(tx, SOURCE, ImportedKind::Team, &key, &row.id)?;
            }
            Item::Channel(ch) => {
                let name = chat::channel_name(&ch.name);
                let key = format!("{}/{name}", ch.team.to_lowercase());
                if chat::mapped(tx, SOURCE, ImportedKind::Channel, &key)?.is_some() {
                    r.skipped += 1;
                    continue;
                }
                let team = teams::by_name(tx.conn, &ch.team)?.ok_or(Error::NotFound("team"))?;
                let kind = if ch.kind.as_deref() == Some("P") {
                    ChannelKind::Private
                } else {
                    ChannelKind::Public
                };
                let (row, created) = chat::team_channel(
                    tx,
                    &team,
                    kind,
                    &name,
                    ch.purpose.as_deref().unwrap_or(""),
                    ch.header.as_deref().unwrap_or(""),
                    None,
                )?;
                if created
                    && ch
                        .display_name
                        .as_deref()
                        .is_some_and(|d| !d.trim().is_empty())
                {
                    let mut row = row.clone();
                    row.display_name = hearth_core::validate::display_name(
                        ch.display_name.as_deref().unwrap_or(""),
                    )
                    .unwrap_or(row.name.clone());
                    channels::save(tx.conn, &row)?;
                }
                r.channels_created += u32::from(created);
                chat::remember(tx, SOURCE, ImportedKind::Channel, &key, &row.id)?;
            }
            Item::User(u) => {
                let key = u.username.to_lowercase();
                let uid = match chat::mapped(tx, SOURCE, ImportedKind::User, &key)? {
                    Some(id) => {
                        r.skipped += 1;
                        parse_id(&id)
                    }
                    None => {
                        let role = if u.is_system_admin() {
                            Role::SystemAdmin
                        } else {
                            Role::User
                        };
                        let (row, created) = chat::account(
                            tx,
                            None,
                            &u.username,
                            &u.email,
                            &u.display(),
                            true,
                            role,
                        )?;
                        if created {
                            r.users_created += 1;
                        } else {
                            r.users_matched += 1;
                        }
                        chat::remember(tx, SOURCE, ImportedKind::User, &key, &row.id)?;
                        parse_id(&row.id)
                    }
                };
                for t in &u.teams {
                    let team = teams::by_name(tx.conn, &t.name)?.ok_or(Error::NotFound("team"))?;
                    team_service::add_member_in(tx, &team, uid, MemberRole::Member)?;
                    for ch in &t.channels {
                        let row = team_channel(tx, &t.name, &ch.name)?;
                        channel_service::add_member_in(tx, &row, uid, MemberRole::Member, None)?;
                    }
                }
            }
            Item::DirectChannel(d) => {
                direct(tx, r, &d.members)?;
            }
            Item::Post(_) | Item::DirectPost(_) => {}
        }
    }
    Ok(())
}

/// The direct or group channel of these usernames, created if missing.
fn direct(tx: &mut Tx, r: &mut ChatImportReport, members: &[String]) -> Result<ChannelRow> {
    let mut ids = Vec::new();
    for m in members {
        ids.push(user_id(tx, m)?.ok_or(Error::NotFound("user"))?);
    }
    let (ch, created) = chat::direct_channel(tx, &ids)?;
    if created {
        r.direct_channels_created += 1;
        let mut names: Vec<String> = members.iter().map(|m| m.to_lowercase()).collect();
        names.sort();
        chat::remember(
            tx,
            SOURCE,
            ImportedKind::DirectChannel,
            &names.join(","),
            &ch.id,
        )?;
    }
    Ok(ch)
}

fn post_line(ctx: &Ctx, tx: &mut Tx, run: &mut Run, idx: usize) -> Result<()> {
    let item = run.items[idx].1.clone();
    let (channel, key_base, user, message, at, edit_at, reactions, attachments, replies) =
        match item {
            Item::Post(p) => (
                team_channel(tx, &p.team, &p.channel)?,
                format!(
                    "{}/{}",
                    p.team.to_lowercase(),
                    chat::channel_name(&p.channel)
                ),
                p.user,
                p.message,
                p.create_at,
                p.edit_at,
                p.reactions,
                p.attachments,
                p.replies,
            ),
            Item::DirectPost(d) => {
                let mut names: Vec<String> =
                    d.channel_members.iter().map(|m| m.to_lowercase()).collect();
                names.sort();
                (
                    direct(tx, &mut run.report, &d.channel_members)?,
                    format!("@{}", names.join(",")),
                    d.user,
                    d.message,
                    d.create_at,
                    d.edit_at,
                    d.reactions,
                    d.attachments,
                    d.replies,
                )
            }
            _ => return Ok(()),
        };
    let key = format!("{key_base}/{}/{at}", user.to_lowercase());
    let root = one_post(
        ctx,
        tx,
        run,
        &channel,
        &key,
        None,
        &user,
        message,
        at,
        edit_at,
        &reactions,
        &attachments,
    )?;
    for reply in replies {
        let Reply {
            user,
            message,
            create_at,
            edit_at,
            reactions,
            attachments,
        } = reply;
        let rkey = format!("{key}/reply/{}/{create_at}", user.to_lowercase());
        one_post(
            ctx,
            tx,
            run,
            &channel,
            &rkey,
            Some(root.id.clone()),
            &user,
            message,
            create_at,
            edit_at,
            &reactions,
            &attachments,
        )?;
    }
    Ok(())
}

/// Writes one post or reply unless an earlier run did; returns its row.
#[expect(clippy::too_many_arguments, reason = "one flat record of a post")]
fn one_post(
    ctx: &Ctx,
    tx: &mut Tx,
    run: &mut Run,
    channel: &ChannelRow,
    key: &str,
    root_id: Option<String>,
    user: &str,
    message: String,
    at: i64,
    edit_at: Option<i64>,
    reactions: &[Reaction],
    attachments: &[Attachment],
) -> Result<PostRow> {
    if let Some(id) = chat::mapped(tx, SOURCE, ImportedKind::Post, key)? {
        run.report.skipped += 1;
        return hearth_store::posts::by_id(tx.conn, &id)?.ok_or(Error::NotFound("post"));
    }
    let author = user_id(tx, user)?.ok_or(Error::NotFound("user"))?;
    channel_service::add_member_in(tx, channel, author, MemberRole::Member, None)?;
    run.touched.insert(channel.id.clone());
    let is_reply = root_id.is_some();
    let mut row = chat::post(
        tx,
        NewPost {
            channel,
            author,
            root_id,
            message,
            created_at: at,
            edited_at: edit_at.filter(|e| *e > at),
        },
    )?;
    if is_reply {
        run.report.replies += 1;
    } else {
        run.report.posts += 1;
    }
    chat::remember(tx, SOURCE, ImportedKind::Post, key, &row.id)?;
    let mut who: HashMap<String, Option<Id>> = HashMap::new();
    for r in reactions {
        let uid = match who.get(&r.user) {
            Some(u) => *u,
            None => {
                let u = user_id(tx, &r.user)?;
                who.insert(r.user.clone(), u);
                u
            }
        };
        if let Some(uid) = uid
            && chat::reaction(
                tx,
                &row,
                channel,
                uid,
                &r.emoji_name,
                r.create_at.unwrap_or(at),
            )?
        {
            run.report.reactions += 1;
        }
    }
    // Attachments name files on the exporting machine; the upload carries
    // only the JSONL, so their records are kept without content.
    let mut file_ids = Vec::new();
    for a in attachments {
        file_ids.push(chat::file(
            ctx,
            tx,
            &row,
            author,
            &a.file_name(),
            None,
            None,
            None,
            run.dry_run,
            &mut run.report,
        )?);
    }
    chat::attach(tx, &mut row, &file_ids)?;
    Ok(row)
}
