//! Rows → the compliance library's records, and back for the API.

use std::collections::HashMap;

use hearth_api as api;
use hearth_compliance::holds::{HoldStatus, LegalHold};
use hearth_compliance::model::{
    Attachment, Channel, ChannelKind, Directory, MemberSpan, MembershipChange, Post, PostVersion,
    User,
};
use hearth_compliance::retention::{Keep, Periods, RetentionPolicies};
use hearth_store::compliance::{HoldRow, JobRow, MembershipRow, RetentionRow};
use hearth_store::kinds::{self, PostChange};
use hearth_store::models::{ChannelRow, FileRow, PostHistoryRow, PostRow, UserRow};
use hearth_store::{parse_id, parse_ids_json};

const DAY_MS: i64 = 86_400_000;

pub fn user(u: &UserRow) -> User {
    User {
        id: u.id.clone(),
        username: u.username.clone(),
        display_name: u.display_name.clone(),
        email: u.email.clone(),
        is_bot: u.is_bot,
    }
}

pub fn channel(c: &ChannelRow) -> Channel {
    Channel {
        id: c.id.clone(),
        team_id: c.team_id.clone(),
        name: c.name.clone(),
        display_name: c.display_name.clone(),
        kind: match c.kind {
            api::ChannelKind::Public => ChannelKind::Public,
            api::ChannelKind::Private => ChannelKind::Private,
            api::ChannelKind::Direct => ChannelKind::Direct,
            api::ChannelKind::Group => ChannelKind::Group,
        },
    }
}

pub fn directory(users: &[UserRow], channels: &[ChannelRow]) -> Directory {
    Directory::new(users.iter().map(user), channels.iter().map(channel))
}

/// A stored join or leave as the library names it.
pub fn membership_change(c: kinds::MembershipChange) -> MembershipChange {
    match c {
        kinds::MembershipChange::Joined => MembershipChange::Joined,
        kinds::MembershipChange::Left => MembershipChange::Left,
    }
}

/// Membership spans by channel from the join/leave history (oldest first):
/// each join opens a span, the next leave of the same user closes it. A
/// leave with no recorded join closes a span open since the beginning.
pub fn member_spans(history: &[MembershipRow]) -> HashMap<String, Vec<MemberSpan>> {
    let mut out: HashMap<String, Vec<MemberSpan>> = HashMap::new();
    let mut open: HashMap<(&str, &str), usize> = HashMap::new();
    for h in history {
        let spans = out.entry(h.channel_id.clone()).or_default();
        let key = (h.channel_id.as_str(), h.user_id.as_str());
        if h.change == kinds::MembershipChange::Left {
            match open.remove(&key) {
                Some(i) => {
                    if let Some(s) = spans.get_mut(i) {
                        s.left = Some(h.at);
                    }
                }
                None => spans.push(MemberSpan {
                    user_id: h.user_id.clone(),
                    joined: i64::MIN,
                    left: Some(h.at),
                }),
            }
        } else if let std::collections::hash_map::Entry::Vacant(e) = open.entry(key) {
            e.insert(spans.len());
            spans.push(MemberSpan {
                user_id: h.user_id.clone(),
                joined: h.at,
                left: None,
            });
        }
    }
    out
}

pub fn attachment(f: &FileRow) -> Attachment {
    Attachment {
        file_id: f.id.clone(),
        name: f.name.clone(),
        mime: f.mime_type.clone(),
        size: u64::try_from(f.size).unwrap_or(0),
        sha256: f.sha256.clone(),
    }
}

/// A stored post with no history; `team_of` maps channel → team.
pub fn post(p: &PostRow, team_of: &HashMap<String, Option<String>>, files: &[&FileRow]) -> Post {
    Post {
        id: p.id.clone(),
        channel_id: p.channel_id.clone(),
        team_id: team_of.get(&p.channel_id).cloned().flatten(),
        author_id: p.user_id.clone(),
        root_id: p.root_id.clone(),
        message: p.message.clone(),
        created_at: p.created_at,
        edited_at: p.edited_at,
        deleted_at: p.deleted_at,
        deleted_by: None,
        attachments: files.iter().map(|f| attachment(f)).collect(),
        history: Vec::new(),
    }
}

/// A page of stored posts with their attachments, found among `files`.
pub fn posts(
    rows: &[PostRow],
    team_of: &HashMap<String, Option<String>>,
    files: &[FileRow],
) -> Vec<Post> {
    let mut by_post: HashMap<&str, Vec<&FileRow>> = HashMap::new();
    for f in files {
        if let Some(p) = &f.post_id {
            by_post.entry(p.as_str()).or_default().push(f);
        }
    }
    rows.iter()
        .map(|p| {
            post(
                p,
                team_of,
                by_post.get(p.id.as_str()).map_or(&[], Vec::as_slice),
            )
        })
        .collect()
}

/// The post's earlier texts as the library wants them, each with when it
/// was written; `hist` is stored versions oldest first (other posts' rows
/// and deletion snapshots are skipped).
pub fn versions(p: &PostRow, hist: &[PostHistoryRow]) -> Vec<PostVersion> {
    let mut written = p.created_at;
    hist.iter()
        .filter(|h| h.post_id == p.id && h.change == PostChange::Edit)
        .map(|h| {
            let v = PostVersion {
                message: h.message.clone(),
                at: written,
            };
            written = h.replaced_at;
            v
        })
        .collect()
}

fn keep(ms: Option<i64>) -> Option<Keep> {
    ms.map(|v| {
        if v <= 0 {
            Keep::Forever
        } else {
            Keep::Millis(u64::try_from(v).unwrap_or(u64::MAX))
        }
    })
}

pub fn policies(rows: &[RetentionRow]) -> RetentionPolicies {
    let mut out = RetentionPolicies::default();
    for r in rows {
        let p = Periods {
            messages: keep(r.messages_ms),
            files: keep(r.files_ms),
        };
        match r.scope_kind {
            api::RetentionScope::Global => out.global = p,
            api::RetentionScope::Team => {
                out.teams.insert(r.scope_id.clone(), p);
            }
            api::RetentionScope::Channel => {
                out.channels.insert(r.scope_id.clone(), p);
            }
        }
    }
    out
}

/// Days → stored milliseconds (`0` stays `0`: keep forever).
pub fn days_to_ms(days: Option<u32>) -> Option<i64> {
    days.map(|d| i64::from(d) * DAY_MS)
}

fn ms_to_days(ms: Option<i64>) -> Option<u32> {
    ms.map(|v| u32::try_from(v.max(0) / DAY_MS).unwrap_or(u32::MAX))
}

pub fn policy_to_api(r: &RetentionRow) -> api::RetentionPolicy {
    api::RetentionPolicy {
        scope: r.scope_kind,
        scope_id: (!r.scope_id.is_empty()).then(|| parse_id(&r.scope_id)),
        messages_days: ms_to_days(r.messages_ms),
        files_days: ms_to_days(r.files_ms),
        updated_at: Some(r.updated_at),
    }
}

fn strings(json: &str) -> Vec<String> {
    serde_json::from_str(json).unwrap_or_default()
}

pub fn hold(h: &HoldRow) -> LegalHold {
    LegalHold {
        id: h.id.clone(),
        name: h.name.clone(),
        description: h.description.clone(),
        custodians: strings(&h.custodians),
        channels: strings(&h.channels),
        include_channel_context: h.include_channel_context,
        start: h.start_at,
        end: h.end_at,
        status: match h.status {
            api::HoldStatus::Active => HoldStatus::Active,
            api::HoldStatus::Released => HoldStatus::Released,
        },
    }
}

pub fn hold_to_api(h: &HoldRow, covered_posts: Option<u64>) -> api::LegalHold {
    api::LegalHold {
        id: parse_id(&h.id),
        name: h.name.clone(),
        description: h.description.clone(),
        custodians: parse_ids_json(&h.custodians),
        channels: parse_ids_json(&h.channels),
        include_channel_context: h.include_channel_context,
        start_at: h.start_at,
        end_at: h.end_at,
        status: h.status,
        created_by: h.created_by.as_deref().map(parse_id),
        created_at: h.created_at,
        released_by: h.released_by.as_deref().map(parse_id),
        released_at: h.released_at,
        covered_posts,
    }
}

pub fn job_to_api(j: &JobRow) -> api::ComplianceJob {
    api::ComplianceJob {
        id: parse_id(&j.id),
        kind: j.kind,
        status: j.status,
        scheduled: j.scheduled,
        params: serde_json::from_str(&j.params).unwrap_or(serde_json::Value::Null),
        progress: serde_json::from_str(&j.progress).unwrap_or_default(),
        result: j
            .result
            .as_deref()
            .and_then(|r| serde_json::from_str(r).ok()),
        error: j.error.clone(),
        attempts: u32::try_from(j.attempts).unwrap_or(0),
        created_by: j.created_by.as_deref().map(parse_id),
        created_at: j.created_at,
        started_at: j.started_at,
        finished_at: j.finished_at,
        file_name: j.file_name.clone(),
        file_size: j.file_size.and_then(|s| u64::try_from(s).ok()),
        file_sha256: j.file_sha256.clone(),
    }
}
