#![allow(dead_code, reason = "shared by test binaries that each use a part")]

use std::collections::HashMap;
use std::io::{self, Cursor as IoCursor, Read};
use std::process::Command;

use hearth_compliance::model::*;
use sha2::{Digest, Sha256};

pub const T0: i64 = 1_795_600_000_000; // 2026-11-25T09:46:40Z

pub fn user(id: &str, username: &str, display: &str, email: &str) -> User {
    User {
        id: id.into(),
        username: username.into(),
        display_name: display.into(),
        email: email.into(),
        is_bot: false,
    }
}

pub fn directory() -> Directory {
    let mut bot = user("u-bot", "deploybot", "Deploy Bot", "bot@example.com");
    bot.is_bot = true;
    Directory::new(
        [
            user("u-alice", "alice", "Alice Example", "alice@example.com"),
            user(
                "u-bob",
                "bjorn",
                "Bjørn Ünïcode \"the\" Tester",
                "bjorn@example.com",
            ),
            user("u-carol", "carol", "", ""),
            bot,
        ],
        [
            Channel {
                id: "c-town".into(),
                team_id: Some("t-1".into()),
                name: "town-square".into(),
                display_name: "Town Square".into(),
                kind: ChannelKind::Public,
            },
            Channel {
                id: "c-dev".into(),
                team_id: Some("t-1".into()),
                name: "developpement".into(),
                display_name: "Développement & <Ops>".into(),
                kind: ChannelKind::Private,
            },
            Channel {
                id: "c-dm".into(),
                team_id: None,
                name: "u-alice__u-bob".into(),
                display_name: "Alice, Bjørn".into(),
                kind: ChannelKind::Direct,
            },
        ],
    )
}

pub fn attachment(file_id: &str, name: &str, mime: &str, bytes: &[u8]) -> Attachment {
    Attachment {
        file_id: file_id.into(),
        name: name.into(),
        mime: mime.into(),
        size: bytes.len() as u64,
        sha256: hex::encode(Sha256::digest(bytes)),
    }
}

pub fn post(id: &str, channel: &str, author: &str, at: i64, msg: &str) -> Post {
    Post {
        id: id.into(),
        channel_id: channel.into(),
        team_id: if channel == "c-dm" {
            None
        } else {
            Some("t-1".into())
        },
        author_id: author.into(),
        root_id: None,
        message: msg.into(),
        created_at: at,
        edited_at: None,
        deleted_at: None,
        deleted_by: None,
        attachments: vec![],
        history: vec![],
    }
}

pub fn membership(
    id: &str,
    channel: &str,
    user: &str,
    actor: &str,
    change: MembershipChange,
    at: i64,
) -> Record {
    Record {
        at,
        id: id.into(),
        event: Event::Membership(MembershipEvent {
            channel_id: channel.into(),
            user_id: user.into(),
            actor_id: actor.into(),
            change,
            at,
        }),
    }
}

/// Attachment bytes keyed by file id.
#[derive(Default)]
pub struct MemFiles {
    pub files: HashMap<String, Vec<u8>>,
    /// File ids whose read fails half way with a non-NotFound error.
    pub failing: Vec<String>,
}

struct FailingReader {
    left: usize,
}

impl Read for FailingReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.left == 0 {
            return Err(io::Error::other("storage backend went away"));
        }
        let n = buf.len().min(self.left);
        buf[..n].fill(b'x');
        self.left -= n;
        Ok(n)
    }
}

impl AttachmentSource for MemFiles {
    fn open(&self, _post_id: &str, a: &Attachment) -> io::Result<Box<dyn Read + '_>> {
        if self.failing.contains(&a.file_id) {
            return Ok(Box::new(FailingReader { left: 10 }));
        }
        match self.files.get(&a.file_id) {
            Some(b) => Ok(Box::new(IoCursor::new(b.as_slice()))),
            None => Err(io::Error::new(io::ErrorKind::NotFound, "missing")),
        }
    }
}

/// A small conversation touching every feature: joins and leaves, replies,
/// edits, deletion, attachments (one with a non-ASCII name, two sharing a
/// name), three channels and a bot.
pub fn scenario() -> (Vec<Record>, MemFiles) {
    let mut files = MemFiles::default();
    let report = b"%PDF-1.4 quarterly numbers".to_vec();
    let image: Vec<u8> = (0..5000u32).map(|i| (i * 7 % 256) as u8).collect();
    files.files.insert("f-1".into(), report.clone());
    files.files.insert("f-2".into(), image.clone());
    files.files.insert("f-3".into(), b"second notes".to_vec());
    files.files.insert("f-4".into(), b"first notes".to_vec());

    let mut records = vec![
        membership(
            "m-1",
            "c-town",
            "u-alice",
            "u-alice",
            MembershipChange::Joined,
            T0,
        ),
        membership(
            "m-2",
            "c-town",
            "u-bob",
            "u-alice",
            MembershipChange::Joined,
            T0 + 1000,
        ),
    ];
    let mut p1 = post(
        "p-1",
        "c-town",
        "u-alice",
        T0 + 2000,
        "Hello <team> & \"friends\"",
    );
    p1.attachments = vec![
        attachment("f-1", "résumé Q3.pdf", "application/pdf", &report),
        attachment("f-2", "chart.png", "image/png", &image),
    ];
    let mut p2 = post("p-2", "c-town", "u-bob", T0 + 3000, "Grüße, ça va? 日本語");
    p2.root_id = Some("p-1".into());
    let mut p3 = post("p-3", "c-dev", "u-bot", T0 + 4000, "deploy finished");
    p3.attachments = vec![
        attachment("f-4", "notes.txt", "text/plain", b"first notes"),
        attachment("f-3", "notes.txt", "text/plain", b"second notes"),
    ];
    let mut p4 = post("p-4", "c-dm", "u-bob", T0 + 5000, "secret plan v1");
    p4.history = vec![PostVersion {
        message: "secret plan v0".into(),
        at: T0 + 5000,
    }];
    p4.message = "secret plan v1".into();
    p4.edited_at = Some(T0 + 6000);
    let p5 = post("p-5", "c-town", "u-carol", T0 + 7000, "oops wrong channel");
    let mut all_posts = vec![p1, p2, p3, p4, p5];
    all_posts[4].deleted_at = Some(T0 + 8000);
    for p in &all_posts {
        records.extend(p.events());
    }
    records.push(membership(
        "m-3",
        "c-town",
        "u-bob",
        "u-bob",
        MembershipChange::Left,
        T0 + 9000,
    ));
    records.sort_by(|a, b| (a.at, &a.id).cmp(&(b.at, &b.id)));
    (records, files)
}

pub fn ok_stream(
    records: Vec<Record>,
) -> impl Iterator<Item = Result<Record, std::convert::Infallible>> {
    records.into_iter().map(Ok)
}

pub fn no_progress() -> impl FnMut(hearth_compliance::export::Progress) -> std::ops::ControlFlow<()>
{
    |_| std::ops::ControlFlow::Continue(())
}

/// Runs a Python snippet (standard library only) with arguments; returns stdout.
pub fn python(script: &str, args: &[&str]) -> String {
    let out = Command::new("python3")
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "python failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 output")
}

/// Reads one entry of a zip held in memory.
pub fn zip_entry(zip: &[u8], name: &str) -> Vec<u8> {
    let mut archive = zip::ZipArchive::new(IoCursor::new(zip)).expect("zip");
    let mut f = archive.by_name(name).expect("entry");
    let mut v = Vec::new();
    f.read_to_end(&mut v).expect("read");
    v
}

pub fn zip_names(zip: &[u8]) -> Vec<String> {
    let archive = zip::ZipArchive::new(IoCursor::new(zip)).expect("zip");
    archive
        .file_names()
        .map(|n| n.expect("name").to_string())
        .collect()
}
