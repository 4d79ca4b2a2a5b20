//! The records the server streams into compliance jobs.
//!
//! All times are milliseconds since the Unix epoch, UTC, as stored by the
//! server. Ids are the server's opaque string ids.

use std::collections::HashMap;
use std::io::Read;

use serde::{Deserialize, Serialize};

/// Milliseconds since the Unix epoch (UTC).
pub type Millis = i64;

/// A person (or bot) account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub email: String,
    /// Bots are reported with user type `bot` in Actiance exports.
    #[serde(default)]
    pub is_bot: bool,
}

/// What kind of conversation a channel is; exports name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChannelKind {
    Public,
    Private,
    Direct,
    Group,
}

impl ChannelKind {
    /// Stable lower-case name used in CSV, JSON and Actiance room ids.
    pub fn as_str(self) -> &'static str {
        match self {
            ChannelKind::Public => "public",
            ChannelKind::Private => "private",
            ChannelKind::Direct => "direct",
            ChannelKind::Group => "group",
        }
    }
}

/// A channel. Direct and group channels have no team.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Channel {
    pub id: String,
    pub team_id: Option<String>,
    pub name: String,
    pub display_name: String,
    pub kind: ChannelKind,
}

/// A file attached to a post. The bytes are read through [`AttachmentSource`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    pub file_id: String,
    pub name: String,
    pub mime: String,
    pub size: u64,
    /// Lower-case hex SHA-256 recorded at upload; exports compare it with the
    /// bytes they copy.
    pub sha256: String,
}

/// An earlier text of an edited post.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostVersion {
    pub message: String,
    /// When this text was written (the post's creation for the first version).
    pub at: Millis,
}

/// A post as currently stored, with its history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Post {
    pub id: String,
    pub channel_id: String,
    pub team_id: Option<String>,
    pub author_id: String,
    /// The thread's root post, `None` for a root post.
    pub root_id: Option<String>,
    /// Current text.
    pub message: String,
    pub created_at: Millis,
    pub edited_at: Option<Millis>,
    /// Set when a user deleted the post; held posts stay stored after that.
    pub deleted_at: Option<Millis>,
    /// Who deleted it, when known (a moderator may delete another's post);
    /// deletions are attributed to them, falling back to the author.
    #[serde(default)]
    pub deleted_by: Option<String>,
    pub attachments: Vec<Attachment>,
    /// Earlier texts, oldest first; empty when never edited.
    pub history: Vec<PostVersion>,
}

/// Joining or leaving a channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MembershipChange {
    Joined,
    Left,
}

/// A channel membership change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MembershipEvent {
    pub channel_id: String,
    pub user_id: String,
    /// Who made the change (the user themselves, or whoever added/removed them).
    pub actor_id: String,
    pub change: MembershipChange,
    pub at: Millis,
}

/// A reaction added to a post.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReactionEvent {
    pub post_id: String,
    pub channel_id: String,
    /// Who reacted.
    pub user_id: String,
    /// The emoji's name, without colons.
    pub emoji: String,
    pub at: Millis,
}

/// What happened, as exports report it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    /// A post was written. `post.message` is the text as first written.
    PostCreated { post: Post },
    /// A post's text changed from `previous` to `post.message`.
    PostEdited { post: Post, previous: String },
    /// A user deleted a post; `post.message` is its last text.
    PostDeleted { post: Post },
    /// Someone joined or left a channel.
    Membership(MembershipEvent),
    /// Someone reacted to a post.
    Reaction(ReactionEvent),
}

impl Event {
    /// The channel the event belongs to.
    pub fn channel_id(&self) -> &str {
        match self {
            Event::PostCreated { post }
            | Event::PostEdited { post, .. }
            | Event::PostDeleted { post } => &post.channel_id,
            Event::Membership(m) => &m.channel_id,
            Event::Reaction(x) => &x.channel_id,
        }
    }

    /// The user the event is about (the author, or the member).
    pub fn user_id(&self) -> &str {
        match self {
            Event::PostCreated { post }
            | Event::PostEdited { post, .. }
            | Event::PostDeleted { post } => &post.author_id,
            Event::Membership(m) => &m.user_id,
            Event::Reaction(x) => &x.user_id,
        }
    }

    /// Who did it: the member or whoever added or removed them, the deleter
    /// of a deleted post (the author when unknown), else the author.
    pub fn actor_id(&self) -> &str {
        match self {
            Event::Membership(m) => &m.actor_id,
            Event::Reaction(x) => &x.user_id,
            Event::PostDeleted { post } => post.deleted_by.as_deref().unwrap_or(&post.author_id),
            Event::PostCreated { post } | Event::PostEdited { post, .. } => &post.author_id,
        }
    }

    /// The post involved, if any.
    pub fn post(&self) -> Option<&Post> {
        match self {
            Event::PostCreated { post }
            | Event::PostEdited { post, .. }
            | Event::PostDeleted { post } => Some(post),
            Event::Membership(_) | Event::Reaction(_) => None,
        }
    }

    /// Stable snake_case name used in CSV rows and JSON.
    pub fn kind_name(&self) -> &'static str {
        match self {
            Event::PostCreated { .. } => "post_created",
            Event::PostEdited { .. } => "post_edited",
            Event::PostDeleted { .. } => "post_deleted",
            Event::Reaction(_) => "reaction_added",
            Event::Membership(m) => match m.change {
                MembershipChange::Joined => "channel_joined",
                MembershipChange::Left => "channel_left",
            },
        }
    }
}

/// One streamed record: an event with its ordering key.
///
/// Streams must be sorted by `(at, id)`; `id` is unique per event and breaks
/// ties between events with the same time, which is what makes the
/// incremental [`Cursor`](crate::export::Cursor) exact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    pub at: Millis,
    pub id: String,
    pub event: Event,
}

impl Record {
    /// When the event happened as the post tells it: a post's creation time
    /// for its creation (which `at` may not be: a server can order records
    /// by when they reached it, so imported history is not skipped), and
    /// `at` for everything else.
    pub fn happened_at(&self) -> Millis {
        match &self.event {
            Event::PostCreated { post } => post.created_at,
            _ => self.at,
        }
    }
}

impl Post {
    /// Expands a stored post into its events, for servers that keep posts
    /// rather than an event log. Ids are `<post id>:c`, `<post id>:e<n>` and
    /// `<post id>:d`, so they are stable across runs.
    pub fn events(&self) -> Vec<Record> {
        let mut out = Vec::with_capacity(self.history.len() + 2);
        // Texts in order: history (oldest first) then the current text.
        let mut texts: Vec<(&str, Millis)> = self
            .history
            .iter()
            .map(|v| (v.message.as_str(), v.at))
            .collect();
        let current_at = self.edited_at.unwrap_or(self.created_at);
        texts.push((self.message.as_str(), current_at));
        let mut first = self.clone();
        first.message = texts.first().map_or_else(String::new, |t| t.0.to_string());
        first.edited_at = None;
        first.deleted_at = None;
        out.push(Record {
            at: self.created_at,
            id: format!("{}:c", self.id),
            event: Event::PostCreated { post: first },
        });
        for (n, pair) in texts.windows(2).enumerate() {
            let mut p = self.clone();
            p.message = pair[1].0.to_string();
            p.edited_at = Some(pair[1].1);
            p.deleted_at = None;
            p.history = self.history.iter().take(n + 1).cloned().collect();
            out.push(Record {
                at: pair[1].1,
                id: format!("{}:e{}", self.id, n + 1),
                event: Event::PostEdited {
                    post: p,
                    previous: pair[0].0.to_string(),
                },
            });
        }
        if let Some(d) = self.deleted_at {
            out.push(Record {
                at: d,
                id: format!("{}:d", self.id),
                event: Event::PostDeleted { post: self.clone() },
            });
        }
        out
    }
}

/// One stay of a user in a channel: from joining to leaving (`None` while
/// still a member).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberSpan {
    pub user_id: String,
    pub joined: Millis,
    pub left: Option<Millis>,
}

/// Users and channels that records refer to, resolved by id, and who was
/// in each channel when.
///
/// All are small next to the record stream, so they are held in memory.
#[derive(Debug, Clone, Default)]
pub struct Directory {
    pub users: HashMap<String, User>,
    pub channels: HashMap<String, Channel>,
    /// Membership spans by channel id. Exports list everyone present during
    /// a window as a participant of that window's conversation, including
    /// members who never posted (a direct message's recipient).
    pub members: HashMap<String, Vec<MemberSpan>>,
}

impl Directory {
    /// Builds a directory from lists.
    pub fn new(
        users: impl IntoIterator<Item = User>,
        channels: impl IntoIterator<Item = Channel>,
    ) -> Self {
        Directory {
            users: users.into_iter().map(|u| (u.id.clone(), u)).collect(),
            channels: channels.into_iter().map(|c| (c.id.clone(), c)).collect(),
            members: HashMap::new(),
        }
    }

    /// Adds membership spans, by channel id.
    pub fn with_members(mut self, members: HashMap<String, Vec<MemberSpan>>) -> Self {
        self.members = members;
        self
    }

    /// The spans of `channel` that overlap `[start, end]`: members at
    /// `start` plus those who joined before `end`.
    pub fn present(&self, channel: &str, start: Millis, end: Millis) -> Vec<&MemberSpan> {
        self.members.get(channel).map_or_else(Vec::new, |spans| {
            spans
                .iter()
                .filter(|s| s.joined <= end && s.left.is_none_or(|l| l >= start))
                .collect()
        })
    }

    /// The user, or a placeholder so exports never fail on a dangling id.
    pub fn user(&self, id: &str) -> User {
        self.users.get(id).cloned().unwrap_or_else(|| User {
            id: id.to_string(),
            username: id.to_string(),
            display_name: String::new(),
            email: String::new(),
            is_bot: false,
        })
    }

    /// The channel, or a placeholder so exports never fail on a dangling id.
    pub fn channel(&self, id: &str) -> Channel {
        self.channels.get(id).cloned().unwrap_or_else(|| Channel {
            id: id.to_string(),
            team_id: None,
            name: id.to_string(),
            display_name: id.to_string(),
            kind: ChannelKind::Public,
        })
    }
}

/// Reads attachment bytes from wherever the server stores them.
///
/// Returning an error of kind [`std::io::ErrorKind::NotFound`] records the
/// file as missing in the export's warnings; any other error aborts the
/// export so that it can be rerun.
pub trait AttachmentSource {
    /// Opens the stored bytes of `attachment` (belonging to `post_id`).
    fn open(&self, post_id: &str, attachment: &Attachment) -> std::io::Result<Box<dyn Read + '_>>;
}

/// A source with no files: every attachment is reported missing.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoAttachments;

impl AttachmentSource for NoAttachments {
    fn open(
        &self,
        _post_id: &str,
        _attachment: &Attachment,
    ) -> std::io::Result<Box<dyn Read + '_>> {
        Err(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            "no attachment store",
        ))
    }
}
