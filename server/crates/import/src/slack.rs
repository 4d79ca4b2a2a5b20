//! Slack export archives (Slack's documented "export your workspace" zip):
//! `users.json`, `channels.json` (public), `groups.json` (private),
//! `dms.json`, `mpims.json`, and one folder per conversation holding
//! `YYYY-MM-DD.json` day files of messages.
//!
//! The archive is read entry by entry from a seekable file, so a large
//! export never sits in memory whole: the caller asks for one day file (or
//! one attachment) at a time. File attachments are only URLs in a Slack
//! export; their bytes are used when the archive carries them in some folder
//! as `<file id>/<file name>` (as `__uploads/` in exports made by tools that
//! download them), and are never fetched.

use std::collections::HashMap;
use std::io::{Read, Seek};

use serde::Deserialize;

use crate::error::{ImportError, Result};

/// Largest single entry read into memory (a day file or an attachment).
pub const MAX_ENTRY_BYTES: u64 = 512 * 1024 * 1024;

#[derive(Debug, Clone, Deserialize)]
pub struct User {
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub real_name: Option<String>,
    #[serde(default)]
    pub deleted: bool,
    #[serde(default)]
    pub is_bot: bool,
    #[serde(default)]
    pub profile: Profile,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Profile {
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub display_name: Option<String>,
    #[serde(default)]
    pub real_name: Option<String>,
}

impl User {
    /// The best name to show: display name, real name, then the handle.
    pub fn display(&self) -> String {
        [
            self.profile.display_name.as_deref(),
            self.profile.real_name.as_deref(),
            self.real_name.as_deref(),
        ]
        .into_iter()
        .flatten()
        .map(str::trim)
        .find(|s| !s.is_empty())
        .unwrap_or(&self.name)
        .to_string()
    }
}

/// Which list a conversation came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConversationKind {
    Public,
    Private,
    Direct,
    Group,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Conversation {
    pub id: String,
    /// Channel name; absent for DMs, whose folder is their id.
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub created: Option<i64>,
    #[serde(default)]
    pub members: Vec<String>,
    #[serde(default)]
    pub is_archived: bool,
    #[serde(default)]
    pub purpose: Option<Text>,
    #[serde(default)]
    pub topic: Option<Text>,
    #[serde(skip, default = "public")]
    pub kind: ConversationKind,
}

fn public() -> ConversationKind {
    ConversationKind::Public
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Text {
    #[serde(default)]
    pub value: String,
}

impl Conversation {
    /// The folder holding this conversation's day files.
    pub fn folder(&self) -> &str {
        match self.kind {
            ConversationKind::Public | ConversationKind::Private => {
                self.name.as_deref().unwrap_or(&self.id)
            }
            // DMs are filed under their id, group DMs under their name.
            ConversationKind::Direct => &self.id,
            ConversationKind::Group => self.name.as_deref().unwrap_or(&self.id),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct Message {
    pub ts: String,
    #[serde(default)]
    pub user: Option<String>,
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub subtype: Option<String>,
    #[serde(default)]
    pub thread_ts: Option<String>,
    #[serde(default)]
    pub reactions: Vec<Reaction>,
    #[serde(default)]
    pub edited: Option<Edited>,
    #[serde(default)]
    pub files: Vec<File>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Reaction {
    pub name: String,
    #[serde(default)]
    pub users: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Edited {
    #[serde(default)]
    pub user: Option<String>,
    pub ts: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct File {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub mimetype: Option<String>,
    #[serde(default)]
    pub size: Option<i64>,
}

impl File {
    pub fn file_name(&self) -> String {
        self.name
            .clone()
            .or_else(|| self.title.clone())
            .filter(|n| !n.trim().is_empty())
            .unwrap_or_else(|| self.id.clone())
    }
}

impl Message {
    /// The message time in milliseconds (`ts` is seconds with a
    /// microsecond fraction, and is the message's id within its channel).
    pub fn millis(&self) -> Option<i64> {
        ts_millis(&self.ts)
    }

    /// A reply: in a thread whose root is another message.
    pub fn is_reply(&self) -> bool {
        self.thread_ts.as_deref().is_some_and(|t| t != self.ts)
    }
}

/// Slack's `1700000000.123456` as milliseconds.
pub fn ts_millis(ts: &str) -> Option<i64> {
    let (secs, frac) = ts.split_once('.').unwrap_or((ts, "0"));
    let secs: i64 = secs.parse().ok()?;
    let frac3: String = frac.chars().chain(std::iter::repeat('0')).take(3).collect();
    let ms: i64 = frac3.parse().ok()?;
    secs.checked_mul(1000)?.checked_add(ms)
}

/// An open export archive.
pub struct Export<R: Read + Seek> {
    zip: zip::ZipArchive<R>,
    /// Entry names, for finding day files and attachments.
    names: Vec<String>,
    /// `<file id>/<file name>` → entry name.
    uploads: HashMap<String, String>,
}

impl<R: Read + Seek> Export<R> {
    pub fn open(reader: R) -> Result<Self> {
        let zip = zip::ZipArchive::new(reader)
            .map_err(|e| ImportError::Unreadable(format!("not a readable zip archive: {e}")))?;
        let names: Vec<String> = zip
            .file_names()
            .map(|n| n.map(|n| n.into_owned()))
            .collect::<std::result::Result<_, _>>()
            .map_err(|e| ImportError::Unreadable(format!("unreadable entry name: {e}")))?;
        let mut uploads = HashMap::new();
        for n in &names {
            let parts: Vec<&str> = n.rsplitn(3, '/').collect();
            if let [file, id, _folder] = parts.as_slice()
                && !file.is_empty()
                && !file.ends_with(".json")
            {
                uploads.insert(format!("{id}/{file}"), n.clone());
            }
        }
        let export = Export {
            zip,
            names,
            uploads,
        };
        if export.find("users.json").is_none() {
            return Err(ImportError::Invalid(
                "the archive has no users.json: not a Slack export".into(),
            ));
        }
        Ok(export)
    }

    /// The entry named `name` at the root or under one top folder (exports
    /// zipped from a folder put everything under it).
    fn find(&self, name: &str) -> Option<String> {
        self.names
            .iter()
            .find(|n| *n == name || n.split_once('/').is_some_and(|(_, rest)| rest == name))
            .cloned()
    }

    fn read(&mut self, entry: &str) -> Result<Vec<u8>> {
        let mut f = self
            .zip
            .by_name(entry)
            .map_err(|e| ImportError::Unreadable(format!("cannot read {entry}: {e}")))?;
        if f.size() > MAX_ENTRY_BYTES {
            return Err(ImportError::Invalid(format!(
                "{entry} is larger than {MAX_ENTRY_BYTES} bytes"
            )));
        }
        let mut buf = Vec::with_capacity(usize::try_from(f.size()).unwrap_or(0));
        f.read_to_end(&mut buf)
            .map_err(|e| ImportError::Unreadable(format!("cannot read {entry}: {e}")))?;
        Ok(buf)
    }

    fn json<T: serde::de::DeserializeOwned>(&mut self, entry: &str) -> Result<T> {
        let bytes = self.read(entry)?;
        serde_json::from_slice(&bytes)
            .map_err(|e| ImportError::Invalid(format!("{entry} is not valid: {e}")))
    }

    pub fn users(&mut self) -> Result<Vec<User>> {
        let entry = self
            .find("users.json")
            .ok_or_else(|| ImportError::Invalid("users.json is missing".into()))?;
        self.json(&entry)
    }

    /// Every conversation of the four lists (each list is optional).
    pub fn conversations(&mut self) -> Result<Vec<Conversation>> {
        let mut out = Vec::new();
        for (file, kind) in [
            ("channels.json", ConversationKind::Public),
            ("groups.json", ConversationKind::Private),
            ("dms.json", ConversationKind::Direct),
            ("mpims.json", ConversationKind::Group),
        ] {
            if let Some(entry) = self.find(file) {
                let list: Vec<Conversation> = self.json(&entry)?;
                out.extend(list.into_iter().map(|mut c| {
                    c.kind = kind;
                    c
                }));
            }
        }
        Ok(out)
    }

    /// A conversation's day files, oldest first.
    pub fn day_files(&self, conversation: &Conversation) -> Vec<String> {
        let folder = conversation.folder();
        let mut days: Vec<String> = self
            .names
            .iter()
            .filter(|n| {
                let mut parts: Vec<&str> = n.split('/').collect();
                let Some(file) = parts.pop() else {
                    return false;
                };
                parts.last() == Some(&folder)
                    && parts.len() <= 2
                    && file.len() == "YYYY-MM-DD.json".len()
                    && file.ends_with(".json")
            })
            .cloned()
            .collect();
        days.sort();
        days
    }

    /// The messages of one day file, in file order.
    pub fn messages(&mut self, entry: &str) -> Result<Vec<Message>> {
        self.json(entry)
    }

    /// An attachment's bytes when the archive carries them.
    pub fn file_bytes(&mut self, file: &File) -> Result<Option<Vec<u8>>> {
        let key = format!("{}/{}", file.id, file.file_name());
        match self.uploads.get(&key).cloned() {
            Some(entry) => Ok(Some(self.read(&entry)?)),
            None => Ok(None),
        }
    }
}
