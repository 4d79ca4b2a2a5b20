//! Legal holds: custodian-based preservation that overrides retention and
//! user or account deletion.
//!
//! # What a hold covers
//!
//! A hold is a *custodian* hold, as in eDiscovery tools: it preserves what
//! the named people wrote. A post is covered by a hold exactly when all of
//! these are true:
//!
//! 1. the hold is [`HoldStatus::Active`] (a released hold protects nothing);
//! 2. the post's author is one of the hold's custodians — or, when
//!    [`LegalHold::include_channel_context`] is set and channels are listed,
//!    the post is in one of those channels whoever wrote it (so the other
//!    side of the custodian's conversations is kept too);
//! 3. if the hold lists channels, the post is in one of them (an empty list
//!    means every channel, including direct and group messages);
//! 4. if the hold has a date range, the post was created inside it
//!    (`start <= created_at <= end`, both ends inclusive, either end open).
//!
//! The files attached to a covered post are covered with it. Later edits and
//! the deletion of a covered post are covered too: coverage depends on the
//! post's creation, not on what happened to it afterwards.

use serde::{Deserialize, Serialize};

use crate::model::{Millis, Post};

/// Whether a hold still protects content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HoldStatus {
    Active,
    /// Released holds stay on record for audit but protect nothing.
    Released,
}

/// A legal hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LegalHold {
    pub id: String,
    pub name: String,
    pub description: String,
    /// User ids whose content is preserved.
    pub custodians: Vec<String>,
    /// When non-empty, only these channels are held.
    #[serde(default)]
    pub channels: Vec<String>,
    /// With channels listed, hold everything in them, not only the custodians' posts.
    #[serde(default)]
    pub include_channel_context: bool,
    /// Earliest creation time held (inclusive).
    pub start: Option<Millis>,
    /// Latest creation time held (inclusive).
    pub end: Option<Millis>,
    pub status: HoldStatus,
}

impl LegalHold {
    /// True while the hold protects content.
    pub fn is_active(&self) -> bool {
        self.status == HoldStatus::Active
    }

    fn in_range(&self, at: Millis) -> bool {
        self.start.is_none_or(|s| at >= s) && self.end.is_none_or(|e| at <= e)
    }

    fn in_channels(&self, channel_id: &str) -> bool {
        self.channels.is_empty() || self.channels.iter().any(|c| c == channel_id)
    }

    fn is_custodian(&self, user_id: &str) -> bool {
        self.custodians.iter().any(|c| c == user_id)
    }
}

/// Whether `hold` covers `post` (see the module documentation for the rule).
pub fn covers(hold: &LegalHold, post: &Post) -> bool {
    if !hold.is_active() || !hold.in_range(post.created_at) || !hold.in_channels(&post.channel_id) {
        return false;
    }
    hold.is_custodian(&post.author_id)
        || (hold.include_channel_context && !hold.channels.is_empty())
}

/// Whether any hold covers the post.
pub fn is_held(holds: &[LegalHold], post: &Post) -> bool {
    holds.iter().any(|h| covers(h, post))
}

/// The ids of the active holds covering a post, for audit entries.
pub fn holding(holds: &[LegalHold], post: &Post) -> Vec<String> {
    holds
        .iter()
        .filter(|h| covers(h, post))
        .map(|h| h.id.clone())
        .collect()
}

/// What the server must do when a user deletes a post.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "action")]
pub enum DeleteDisposition {
    /// No hold: delete as usual.
    Delete,
    /// Held: hide it from users (set `deleted_at`) but keep text, history and files.
    HideAndPreserve { holds: Vec<String> },
}

/// Decides how a user's deletion of `post` is carried out.
pub fn on_post_delete(holds: &[LegalHold], post: &Post) -> DeleteDisposition {
    let ids = holding(holds, post);
    if ids.is_empty() {
        DeleteDisposition::Delete
    } else {
        DeleteDisposition::HideAndPreserve { holds: ids }
    }
}

/// The active holds that name `user_id` as a custodian. While this is
/// non-empty, deleting the account must keep the user's content and a copy
/// of the profile (see [`crate::dsr::anonymise`]).
pub fn holds_on_user(holds: &[LegalHold], user_id: &str) -> Vec<String> {
    holds
        .iter()
        .filter(|h| h.is_active() && h.is_custodian(user_id))
        .map(|h| h.id.clone())
        .collect()
}
