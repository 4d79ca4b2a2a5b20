//! Retention policies and the purge plan.
//!
//! A global default (keep forever unless set) is overridden per team and per
//! channel; the most specific level that sets a period wins, and messages
//! and files are resolved separately, so a channel can shorten message
//! retention while files follow the team's rule.
//!
//! A post is expired when it is strictly older than its period:
//! `created_at < now - period`. An expired post is purged with all its
//! files; a post whose files are expired but whose text is not loses only
//! the files. Nothing covered by an active legal hold is ever listed.
//! Posts already deleted by users are purged like any other (they are only
//! hidden until then).

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use crate::holds::{LegalHold, is_held};
use crate::model::{Millis, Post};

/// How long to keep something.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Keep {
    Forever,
    /// Keep for this many milliseconds after creation.
    Millis(u64),
}

impl Keep {
    /// Keep for a number of whole days.
    pub fn days(days: u32) -> Keep {
        Keep::Millis(u64::from(days) * 86_400_000)
    }

    /// The creation time before which content is expired, if any.
    fn cutoff(self, now: Millis) -> Option<Millis> {
        match self {
            Keep::Forever => None,
            Keep::Millis(ms) => {
                let ms = i64::try_from(ms).unwrap_or(i64::MAX);
                Some(now.saturating_sub(ms))
            }
        }
    }
}

/// Periods set at one level; `None` defers to the less specific level.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Periods {
    pub messages: Option<Keep>,
    pub files: Option<Keep>,
}

/// The retention configuration.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetentionPolicies {
    pub global: Periods,
    #[serde(default)]
    pub teams: HashMap<String, Periods>,
    #[serde(default)]
    pub channels: HashMap<String, Periods>,
}

impl RetentionPolicies {
    /// The effective (messages, files) periods for a channel in a team.
    pub fn resolve(&self, team_id: Option<&str>, channel_id: &str) -> (Keep, Keep) {
        let channel = self.channels.get(channel_id);
        let team = team_id.and_then(|t| self.teams.get(t));
        let pick = |f: fn(&Periods) -> Option<Keep>| {
            channel
                .and_then(f)
                .or_else(|| team.and_then(f))
                .or(f(&self.global))
                .unwrap_or(Keep::Forever)
        };
        (pick(|p| p.messages), pick(|p| p.files))
    }
}

/// A file to delete.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct FileRef {
    pub post_id: String,
    pub file_id: String,
}

/// One unit of deletion work, small enough for one database transaction.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PurgeBatch {
    /// Posts to delete permanently (with their edit history).
    pub posts: Vec<String>,
    /// Files to delete, including those of the posts above.
    pub files: Vec<FileRef>,
}

/// Per-channel figures for a dry run.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChannelPurgeStats {
    pub posts: u64,
    pub files: u64,
    pub file_bytes: u64,
    /// Creation time of the oldest purged item.
    pub oldest: Option<Millis>,
    /// Creation time of the newest purged item.
    pub newest: Option<Millis>,
    /// Items that would have expired but are under a legal hold.
    pub held_posts: u64,
}

/// What a purge would do, for administrators to review before running it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DryRunReport {
    pub channels: BTreeMap<String, ChannelPurgeStats>,
    pub total_posts: u64,
    pub total_files: u64,
    pub total_file_bytes: u64,
    pub held_posts: u64,
}

/// The deletions a retention run must perform.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PurgePlan {
    pub batches: Vec<PurgeBatch>,
    pub report: DryRunReport,
}

impl PurgePlan {
    /// All posts to delete, in plan order.
    pub fn posts(&self) -> impl Iterator<Item = &str> {
        self.batches
            .iter()
            .flat_map(|b| b.posts.iter().map(String::as_str))
    }

    /// All files to delete, in plan order.
    pub fn files(&self) -> impl Iterator<Item = &FileRef> {
        self.batches.iter().flat_map(|b| b.files.iter())
    }
}

/// Decides what to delete. Pure and deterministic: candidates are ordered by
/// `(created_at, id)` whatever their input order, and batches hold at most
/// `batch_size` items (posts plus files), never splitting a post from its files.
pub fn evaluate<'a>(
    policies: &RetentionPolicies,
    holds: &[LegalHold],
    now: Millis,
    candidates: impl IntoIterator<Item = &'a Post>,
    batch_size: usize,
) -> PurgePlan {
    let batch_size = batch_size.max(1);
    let mut chosen: Vec<(&Post, bool, Vec<FileRef>)> = Vec::new();
    let mut report = DryRunReport::default();
    for post in candidates {
        let (msg_keep, file_keep) = policies.resolve(post.team_id.as_deref(), &post.channel_id);
        let expired = |k: Keep| k.cutoff(now).is_some_and(|c| post.created_at < c);
        let post_expired = expired(msg_keep);
        let files_expired = post_expired || (expired(file_keep) && !post.attachments.is_empty());
        if !post_expired && !files_expired {
            continue;
        }
        if is_held(holds, post) {
            report.held_posts += 1;
            report
                .channels
                .entry(post.channel_id.clone())
                .or_default()
                .held_posts += 1;
            continue;
        }
        let files: Vec<FileRef> = post
            .attachments
            .iter()
            .map(|a| FileRef {
                post_id: post.id.clone(),
                file_id: a.file_id.clone(),
            })
            .collect();
        let stats = report.channels.entry(post.channel_id.clone()).or_default();
        if post_expired {
            stats.posts += 1;
            report.total_posts += 1;
        }
        let bytes: u64 = post
            .attachments
            .iter()
            .fold(0u64, |s, a| s.saturating_add(a.size));
        stats.files += files.len() as u64;
        stats.file_bytes = stats.file_bytes.saturating_add(bytes);
        report.total_files += files.len() as u64;
        report.total_file_bytes = report.total_file_bytes.saturating_add(bytes);
        stats.oldest = Some(
            stats
                .oldest
                .map_or(post.created_at, |o| o.min(post.created_at)),
        );
        stats.newest = Some(
            stats
                .newest
                .map_or(post.created_at, |o| o.max(post.created_at)),
        );
        chosen.push((post, post_expired, files));
    }
    chosen.sort_by(|a, b| (a.0.created_at, &a.0.id).cmp(&(b.0.created_at, &b.0.id)));
    let mut batches = Vec::new();
    let mut current = PurgeBatch::default();
    for (post, delete_post, files) in chosen {
        let size = usize::from(delete_post) + files.len();
        let current_size = current.posts.len() + current.files.len();
        if current_size > 0 && current_size + size > batch_size {
            batches.push(std::mem::take(&mut current));
        }
        if delete_post {
            current.posts.push(post.id.clone());
        }
        current.files.extend(files);
    }
    if !current.posts.is_empty() || !current.files.is_empty() {
        batches.push(current);
    }
    PurgePlan { batches, report }
}
