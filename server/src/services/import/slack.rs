//! Slack export archives into one team: people (matched by e-mail, else
//! created without a password), public and private channels, direct and
//! group conversations, messages with their original times, threads,
//! reactions, edits and files. The archive is read one day file at a time
//! and each day file is written in its own transaction.

use std::collections::HashMap;
use std::io::{Read, Seek};

use hearth_api::{ChannelKind, ChatImportIssue, ChatImportReport, ImportIssueCode, MemberRole};
use hearth_core::{Error, Id, Result};
use hearth_import::markup::{self, Names};
use hearth_import::slack::{Conversation, ConversationKind, Export, Message};
use hearth_store::models::{ChannelRow, TeamRow};
use hearth_store::{Tx, parse_id};

use super::chat::{self, NewPost};
use crate::auth::Auth;
use crate::services::{audit, channels as channel_service};
use crate::state::Ctx;
use hearth_store::kinds::{ImportSource, ImportedKind};

const SOURCE: ImportSource = ImportSource::Slack;

/// Message subtypes that carry no conversation content (membership comes
/// from the channel lists) or that belong to no person.
const IGNORED_SUBTYPES: [&str; 10] = [
    "channel_join",
    "channel_leave",
    "group_join",
    "group_leave",
    "bot_message",
    "channel_purpose",
    "channel_topic",
    "channel_name",
    "channel_archive",
    "pinned_item",
];

struct Run<R: Read + Seek> {
    export: Export<R>,
    team: TeamRow,
    conversations: Vec<Conversation>,
    /// (conversation index, day file entry), in import order.
    days: Vec<(usize, String)>,
    users: HashMap<String, Id>,
    names: Names,
    channels: HashMap<String, ChannelRow>,
    report: ChatImportReport,
    dry_run: bool,
}

pub fn import<R: Read + Seek>(
    ctx: &Ctx,
    auth: &Auth,
    archive: R,
    team: &str,
    dry_run: bool,
) -> Result<ChatImportReport> {
    super::admin_only(auth)?;
    let team = super::team(ctx, team)?;
    let mut export = Export::open(archive)?;
    let conversations = export.conversations()?;
    let mut days = Vec::new();
    for (i, c) in conversations.iter().enumerate() {
        days.extend(export.day_files(c).into_iter().map(|d| (i, d)));
    }
    let mut run = Run {
        export,
        team,
        conversations,
        days,
        users: HashMap::new(),
        names: Names::default(),
        channels: HashMap::new(),
        report: ChatImportReport {
            dry_run,
            source: SOURCE.as_str().into(),
            ..Default::default()
        },
        dry_run,
    };
    let batches = run.days.len() + 2;
    chat::run_batches(ctx, dry_run, &mut run, batches, |tx, run, i| {
        if i == 0 {
            people_and_channels(tx, run)
        } else if i <= run.days.len() {
            day(ctx, tx, run, i - 1)
        } else if !run.dry_run {
            let ids: Vec<String> = run.channels.values().map(|c| c.id.clone()).collect();
            chat::mark_history_read(tx, &ids)?;
            let r = &run.report;
            audit::record(
                tx,
                Some(auth.user_id()),
                "import.slack",
                "team",
                Some(run.team.id.clone()),
                serde_json::json!({
                    "users_created": r.users_created,
                    "users_matched": r.users_matched,
                    "channels_created": r.channels_created,
                    "direct_channels_created": r.direct_channels_created,
                    "posts": r.posts,
                    "replies": r.replies,
                    "reactions": r.reactions,
                    "files_imported": r.files_imported,
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

fn people_and_channels<R: Read + Seek>(tx: &mut Tx, run: &mut Run<R>) -> Result<()> {
    for u in run.export.users()? {
        let user = match chat::mapped(tx, SOURCE, ImportedKind::User, &u.id)? {
            Some(id) => {
                run.report.skipped += 1;
                hearth_store::users::by_id(tx.conn, &id)?
            }
            None => {
                if u.is_bot {
                    run.report.ignored += 1;
                    continue;
                }
                // People without an address (deleted accounts, some guests)
                // get one under the reserved `.invalid` domain.
                let email = u
                    .profile
                    .email
                    .clone()
                    .filter(|e| hearth_core::validate::email(e).is_ok())
                    .unwrap_or_else(|| format!("{}@slack.invalid", u.id.to_lowercase()));
                let (row, created) = chat::account(
                    tx,
                    Some(&run.team),
                    &u.name,
                    &email,
                    &u.display(),
                    !u.deleted,
                    hearth_api::Role::User,
                )?;
                if created {
                    run.report.users_created += 1;
                } else {
                    run.report.users_matched += 1;
                }
                chat::remember(tx, SOURCE, ImportedKind::User, &u.id, &row.id)?;
                Some(row)
            }
        };
        if let Some(row) = user {
            run.users.insert(u.id.clone(), parse_id(&row.id));
            run.names.users.insert(u.id.clone(), row.username);
        }
    }
    for c in run.conversations.clone() {
        let members: Vec<Id> = c
            .members
            .iter()
            .filter_map(|m| run.users.get(m).copied())
            .collect();
        let channel = match chat::mapped(tx, SOURCE, ImportedKind::Channel, &c.id)? {
            Some(id) => {
                run.report.skipped += 1;
                hearth_store::channels::by_id(tx.conn, &id)?.ok_or(Error::NotFound("channel"))?
            }
            None => {
                let ch = match c.kind {
                    ConversationKind::Public | ConversationKind::Private => {
                        let kind = if c.kind == ConversationKind::Public {
                            ChannelKind::Public
                        } else {
                            ChannelKind::Private
                        };
                        let name = chat::channel_name(c.name.as_deref().unwrap_or(&c.id));
                        let purpose = c.purpose.as_ref().map(|p| p.value.as_str()).unwrap_or("");
                        let topic = c.topic.as_ref().map(|p| p.value.as_str()).unwrap_or("");
                        let created_at = c.created.map(|s| s * 1000);
                        let (ch, created) = chat::team_channel(
                            tx, &run.team, kind, &name, purpose, topic, created_at,
                        )?;
                        if created {
                            run.report.channels_created += 1;
                        }
                        ch
                    }
                    ConversationKind::Direct | ConversationKind::Group => {
                        match chat::direct_channel(tx, &members) {
                            Ok((ch, created)) => {
                                if created {
                                    run.report.direct_channels_created += 1;
                                }
                                ch
                            }
                            Err(e) => {
                                run.report.issues.push(ChatImportIssue {
                                    line: None,
                                    entry: Some(c.folder().to_string()),
                                    code: ImportIssueCode::UnknownReference,
                                    message: format!("conversation not imported: {e}"),
                                });
                                continue;
                            }
                        }
                    }
                };
                chat::remember(tx, SOURCE, ImportedKind::Channel, &c.id, &ch.id)?;
                ch
            }
        };
        for m in &members {
            channel_service::add_member_in(tx, &channel, *m, MemberRole::Member, None)?;
        }
        if channel.team_id.is_some() {
            run.names
                .channels
                .insert(c.id.clone(), channel.name.clone());
        }
        run.channels.insert(c.id.clone(), channel);
    }
    Ok(())
}

fn day<R: Read + Seek>(ctx: &Ctx, tx: &mut Tx, run: &mut Run<R>, i: usize) -> Result<()> {
    let (conv, entry) = run.days[i].clone();
    let conv_id = run.conversations[conv].id.clone();
    let Some(channel) = run.channels.get(&conv_id).cloned() else {
        return Ok(());
    };
    let messages = match run.export.messages(&entry) {
        Ok(m) => m,
        Err(e) => {
            run.report.issues.push(ChatImportIssue {
                line: None,
                entry: Some(entry),
                code: ImportIssueCode::InvalidLine,
                message: e.to_string(),
            });
            return Ok(());
        }
    };
    for m in messages {
        message(ctx, tx, run, &channel, &conv_id, m)?;
    }
    Ok(())
}

fn message<R: Read + Seek>(
    ctx: &Ctx,
    tx: &mut Tx,
    run: &mut Run<R>,
    channel: &ChannelRow,
    conv_id: &str,
    m: Message,
) -> Result<()> {
    let ext = format!("{conv_id}:{}", m.ts);
    if chat::mapped(tx, SOURCE, ImportedKind::Post, &ext)?.is_some() {
        run.report.skipped += 1;
        return Ok(());
    }
    let author = m.user.as_ref().and_then(|u| run.users.get(u)).copied();
    let (Some(author), Some(at)) = (author, m.millis()) else {
        run.report.ignored += 1;
        return Ok(());
    };
    if m.subtype
        .as_deref()
        .is_some_and(|s| IGNORED_SUBTYPES.contains(&s))
    {
        run.report.ignored += 1;
        return Ok(());
    }
    let root_id = match (&m.thread_ts, m.is_reply()) {
        (Some(t), true) => chat::mapped(tx, SOURCE, ImportedKind::Post, &format!("{conv_id}:{t}"))?,
        _ => None,
    };
    let text = markup::convert(&m.text, &run.names);
    if text.trim().is_empty() && m.files.is_empty() {
        run.report.ignored += 1;
        return Ok(());
    }
    let is_reply = root_id.is_some();
    let mut row = chat::post(
        tx,
        NewPost {
            channel,
            author,
            root_id,
            message: text,
            created_at: at,
            edited_at: m
                .edited
                .as_ref()
                .and_then(|e| hearth_import::slack::ts_millis(&e.ts)),
        },
    )?;
    if is_reply {
        run.report.replies += 1;
    } else {
        run.report.posts += 1;
    }
    chat::remember(tx, SOURCE, ImportedKind::Post, &ext, &row.id)?;
    for r in &m.reactions {
        for u in &r.users {
            if let Some(uid) = run.users.get(u).copied()
                && chat::reaction(tx, &row, channel, uid, &r.name, at)?
            {
                run.report.reactions += 1;
            }
        }
    }
    let mut file_ids = Vec::new();
    for f in &m.files {
        let bytes = run.export.file_bytes(f)?;
        let id = chat::file(
            ctx,
            tx,
            &row,
            author,
            &f.file_name(),
            f.mimetype.as_deref(),
            f.size,
            bytes,
            run.dry_run,
            &mut run.report,
        )?;
        file_ids.push(id);
    }
    chat::attach(tx, &mut row, &file_ids)
}
