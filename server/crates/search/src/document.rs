//! What the server hands to the index: one value per post or attachment,
//! built from the database rows (the index derives everything else).

use uuid::Uuid;

/// A message as the server stores it. `message` is the raw markdown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostDoc {
    /// Post id.
    pub id: Uuid,
    /// Channel the post belongs to; used for the membership filter.
    pub channel_id: Uuid,
    /// Team of the channel; `None` for direct and group messages.
    pub team_id: Option<Uuid>,
    /// Author.
    pub user_id: Uuid,
    /// Thread root when the post is a reply.
    pub root_id: Option<Uuid>,
    /// Raw markdown text.
    pub message: String,
    /// Raw markdown text of the thread root for replies, so a reply is found
    /// by words of the conversation it answers (ranked lower than own words).
    pub root_message: Option<String>,
    /// Creation time, milliseconds since the Unix epoch (UTC).
    pub created_at: i64,
    /// Names of the attached files.
    pub file_names: Vec<String>,
    /// Text extracted from the attached files (see [`crate::extract_text`]).
    pub file_text: Vec<String>,
    /// Whether other posts reply to this one.
    pub has_replies: bool,
}

impl PostDoc {
    /// A reply is a post with a thread root.
    pub fn is_reply(&self) -> bool {
        self.root_id.is_some()
    }
}

/// An attachment, searchable on its own ("files" search).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileDoc {
    /// File id.
    pub id: Uuid,
    /// Post the file is attached to.
    pub post_id: Uuid,
    /// Channel of that post.
    pub channel_id: Uuid,
    /// Team of the channel; `None` for direct and group messages.
    pub team_id: Option<Uuid>,
    /// Uploader.
    pub user_id: Uuid,
    /// File name as uploaded.
    pub name: String,
    /// MIME type.
    pub mime: String,
    /// Extracted text, if any.
    pub text: Option<String>,
    /// Upload time, milliseconds since the Unix epoch (UTC).
    pub created_at: i64,
}

/// The two kinds of indexed documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DocKind {
    /// A message.
    Post,
    /// An attachment.
    File,
}

impl DocKind {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            DocKind::Post => "post",
            DocKind::File => "file",
        }
    }

    /// Unique index key: post and file ids live in one index.
    pub(crate) fn key(self, id: Uuid) -> [u8; 17] {
        let mut key = [0u8; 17];
        key[0] = match self {
            DocKind::Post => b'p',
            DocKind::File => b'f',
        };
        key[1..].copy_from_slice(id.as_bytes());
        key
    }
}

/// One change to apply, in change-log order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Insert or replace a post (idempotent).
    UpsertPost(PostDoc),
    /// Insert or replace a file (idempotent).
    UpsertFile(FileDoc),
    /// Remove a post and the file documents attached to it.
    DeletePost(Uuid),
    /// Remove one file document.
    DeleteFile(Uuid),
}
