//! Exports name who deleted a post, list every member present during the
//! window, give an edit's earlier text an id of its own and bound each
//! Actiance conversation by the export window. Read back with Python's
//! standard library.

#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "helpers outside `#[test]` functions fail the test by panicking"
)]

mod common;

use std::collections::HashMap;
use std::io::Cursor as IoCursor;

use common::*;
use hearth_compliance::export::{ExportOptions, Format, Scope, export};
use hearth_compliance::model::*;

const DAY: i64 = 86_400_000;

/// Alice and Bjørn share a direct channel since the day before; only Alice
/// writes, edits and has her post deleted by Bjørn.
fn records() -> Vec<Record> {
    let p = post("p-1", "c-dm", "u-alice", T0 + 10, "first");
    let mut edited = p.clone();
    edited.message = "second".into();
    edited.edited_at = Some(T0 + 20);
    let mut deleted = edited.clone();
    deleted.deleted_at = Some(T0 + 30);
    deleted.deleted_by = Some("u-bob".into());
    vec![
        Record {
            at: T0 + 10,
            id: "p-1:c".into(),
            event: Event::PostCreated { post: p },
        },
        Record {
            at: T0 + 20,
            id: "v-1:e".into(),
            event: Event::PostEdited {
                post: edited,
                previous: "first".into(),
            },
        },
        Record {
            at: T0 + 30,
            id: "p-1:d".into(),
            event: Event::PostDeleted { post: deleted },
        },
    ]
}

fn members() -> Directory {
    let span = |u: &str| MemberSpan {
        user_id: u.into(),
        joined: T0 - DAY,
        left: None,
    };
    directory().with_members(HashMap::from([(
        "c-dm".to_string(),
        vec![span("u-alice"), span("u-bob")],
    )]))
}

fn run(format: Format, dir: &Directory) -> tempfile::TempPath {
    let mut opts = ExportOptions::new(format, T0 + 100_000, "job-1");
    opts.scope = Scope {
        from: Some(T0),
        until: Some(T0 + 1_000),
        ..Scope::default()
    };
    let out = export(
        &opts,
        dir,
        &NoAttachments,
        ok_stream(records()),
        IoCursor::new(Vec::new()),
        &mut no_progress(),
    )
    .expect("export");
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), out.writer.into_inner()).unwrap();
    file.into_temp_path()
}

const ACTIANCE: &str = r#"
import json, sys, zipfile, xml.etree.ElementTree as ET
z = zipfile.ZipFile(sys.argv[1])
root = ET.fromstring(z.read("actiance/batch-000001.xml"))
conv = root.find("Conversation")
print(json.dumps({
    "start": conv.findtext("StartTimeUTC"),
    "end": conv.findtext("EndTimeUTC"),
    "entered": [p.findtext("LoginName") for p in conv.findall("ParticipantEntered")],
    "left": [p.findtext("LoginName") for p in conv.findall("ParticipantLeft")],
    "messages": [{c.tag: c.text for c in m} for m in conv.findall("Message")],
}))
"#;

fn actiance(dir: &Directory) -> serde_json::Value {
    let path = run(Format::Actiance, dir);
    serde_json::from_str(&python(ACTIANCE, &[path.to_str().unwrap()])).unwrap()
}

#[test]
fn actiance_edits_have_their_own_id_pointing_at_the_post() {
    let x = actiance(&directory());
    let msgs = x["messages"].as_array().unwrap();
    let original = msgs
        .iter()
        .find(|m| m["UpdatedType"] == "EditedOriginalMsg")
        .unwrap();
    let new = msgs
        .iter()
        .find(|m| m["UpdatedType"] == "EditedNewMsg")
        .unwrap();
    assert_eq!(
        original["MessageId"], "v-1",
        "the earlier text is its own message"
    );
    assert_eq!(original["EditedNewMsgId"], "p-1", "pointing at the post");
    assert_eq!(original["Content"], "first");
    assert_eq!(new["MessageId"], "p-1");
    assert_eq!(new["Content"], "second");
    assert!(new.get("EditedNewMsgId").is_none());
}

#[test]
fn actiance_conversations_span_the_export_window() {
    let x = actiance(&directory());
    assert_eq!(x["start"], T0.to_string());
    assert_eq!(x["end"], (T0 + 1_000).to_string());
}

#[test]
fn deletions_name_the_deleter() {
    let x = actiance(&directory());
    let deleted = x["messages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["UpdatedType"] == "Deleted")
        .unwrap()
        .clone();
    assert_eq!(deleted["LoginName"], "bjorn@example.com");
    assert_eq!(deleted["MessageId"], "p-1");

    let path = run(Format::Csv, &directory());
    let rows = python(
        r#"
import csv, io, json, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
rows = list(csv.DictReader(io.StringIO(z.read("csv/batch-000001.csv").decode())))
print(json.dumps([[r["event_type"], r["user_id"], r["actor_id"]] for r in rows]))
"#,
        &[path.to_str().unwrap()],
    );
    let rows: Vec<Vec<String>> = serde_json::from_str(&rows).unwrap();
    assert!(
        rows.contains(&vec![
            "post_deleted".to_string(),
            "u-alice".to_string(),
            "u-bob".to_string()
        ]),
        "{rows:?}"
    );
}

#[test]
fn silent_members_are_participants_of_every_window() {
    // Bjørn never writes here, and Carol joined then left before the window.
    let mut dir = members();
    dir.members.get_mut("c-dm").unwrap().push(MemberSpan {
        user_id: "u-carol".into(),
        joined: T0 - DAY,
        left: Some(T0 - 1),
    });
    let mut recs = records();
    recs.truncate(1);
    let mut opts = ExportOptions::new(Format::Actiance, T0 + 100_000, "job-1");
    opts.scope.from = Some(T0);
    opts.scope.until = Some(T0 + 1_000);
    for format in [Format::Actiance, Format::GlobalRelay] {
        opts.format = format;
        let out = export(
            &opts,
            &dir,
            &NoAttachments,
            ok_stream(recs.clone()),
            IoCursor::new(Vec::new()),
            &mut no_progress(),
        )
        .expect("export");
        let file = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(file.path(), out.writer.into_inner()).unwrap();
        let who = python(
            r#"
import email, email.policy, json, sys, zipfile, xml.etree.ElementTree as ET
z = zipfile.ZipFile(sys.argv[1])
out = []
for name in z.namelist():
    if name.endswith(".xml"):
        conv = ET.fromstring(z.read(name)).find("Conversation")
        out += ["entered " + p.findtext("LoginName") for p in conv.findall("ParticipantEntered")]
        out += ["left " + p.findtext("LoginName") for p in conv.findall("ParticipantLeft")]
    if name.endswith(".eml"):
        msg = email.message_from_bytes(z.read(name), policy=email.policy.default)
        out += ["to " + a.addr_spec for a in msg["To"].addresses]
print(json.dumps(sorted(out)))
"#,
            &[file.path().to_str().unwrap()],
        );
        let who: Vec<String> = serde_json::from_str(&who).unwrap();
        let expected: Vec<String> = match format {
            Format::Actiance => vec![
                "entered alice@example.com",
                "entered bjorn@example.com",
                "left alice@example.com",
                "left bjorn@example.com",
            ],
            _ => vec!["to alice@example.com", "to bjorn@example.com"],
        }
        .into_iter()
        .map(String::from)
        .collect();
        assert_eq!(who, expected, "{format:?}");
    }
}

const EML: &str = r#"
import email, email.policy, json, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
out = []
for name in sorted(z.namelist()):
    if name.endswith(".eml"):
        msg = email.message_from_bytes(z.read(name), policy=email.policy.default)
        body = ""
        for part in msg.walk():
            if part.get_content_type() == "text/plain" and not part.get_filename():
                body += part.get_content()
        out.append({
            "path": name,
            "message_id": str(msg["Message-ID"]),
            "msg_type": str(msg["X-GlobalRelay-MsgType"]),
            "auto": str(msg["Auto-Submitted"]),
            "precedence": str(msg["Precedence"]),
            "attachments": [p.get_filename() for p in msg.walk() if p.get_filename()],
            "body": body,
            "defects": [type(d).__name__ for d in msg.defects],
        })
print(json.dumps(out))
"#;

fn eml_of(
    recs: Vec<Record>,
    files: &MemFiles,
    limit: u64,
) -> (Vec<serde_json::Value>, Vec<String>) {
    let mut opts = ExportOptions::new(Format::GlobalRelay, T0 + 100_000, "job-1");
    opts.max_message_bytes = limit;
    let out = export(
        &opts,
        &directory(),
        files,
        ok_stream(recs),
        IoCursor::new(Vec::new()),
        &mut no_progress(),
    )
    .expect("export");
    let warnings = out.warnings.clone();
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), out.writer.into_inner()).unwrap();
    let parsed = python(EML, &[file.path().to_str().unwrap()]);
    (serde_json::from_str(&parsed).unwrap(), warnings)
}

fn created(id: &str, at: i64, msg: &str) -> Record {
    Record {
        at,
        id: format!("{id}:c"),
        event: Event::PostCreated {
            post: post(id, "c-town", "u-alice", at, msg),
        },
    }
}

#[test]
fn globalrelay_messages_carry_its_headers_and_ids_unique_per_content() {
    let files = MemFiles::default();
    let (one, _) = eml_of(vec![created("p-1", T0, "hello")], &files, 1 << 20);
    let (two, _) = eml_of(
        vec![created("p-1", T0, "hello"), created("p-2", T0 + 1, "more")],
        &files,
        1 << 20,
    );
    assert_eq!(one.len(), 1);
    assert_eq!(one[0]["msg_type"], "Hearth");
    assert_eq!(one[0]["auto"], "auto-generated");
    assert_eq!(one[0]["precedence"], "bulk");
    assert_ne!(
        one[0]["message_id"], two[0]["message_id"],
        "same first record, different content"
    );
    let (again, _) = eml_of(vec![created("p-1", T0, "hello")], &files, 1 << 20);
    assert_eq!(
        one[0]["message_id"], again[0]["message_id"],
        "stable per content"
    );
}

#[test]
fn globalrelay_splits_messages_at_the_size_limit() {
    let mut files = MemFiles::default();
    files.files.insert("f-big".into(), vec![b'x'; 500]);
    let text = "y".repeat(60);
    let mut big = created("p-3", T0 + 2, "see attached");
    if let Event::PostCreated { post } = &mut big.event {
        post.attachments = vec![attachment(
            "f-big",
            "big.bin",
            "application/octet-stream",
            &[b'x'; 500],
        )];
    }
    let recs = vec![
        created("p-1", T0, &text),
        created("p-2", T0 + 1, &text),
        big,
    ];
    let (msgs, warnings) = eml_of(recs, &files, 100);
    assert_eq!(msgs.len(), 2, "{msgs:?}");
    for m in &msgs {
        assert!(m["defects"].as_array().unwrap().is_empty(), "{m}");
    }
    // p-1 alone; p-2 with p-3, whose file alone is over the limit.
    let with = |needle: &str| {
        msgs.iter()
            .filter(|m| m["body"].as_str().unwrap().contains(needle))
            .count()
    };
    assert_eq!(with(&text), 2, "{msgs:?}");
    assert_eq!(with("see attached"), 1);
    let last = msgs
        .iter()
        .find(|m| m["body"].as_str().unwrap().contains("see attached"))
        .unwrap();
    assert!(last["attachments"].as_array().unwrap().is_empty(), "{last}");
    assert!(
        last["body"]
            .as_str()
            .unwrap()
            .contains("not attached: too large"),
        "{last}"
    );
    assert!(warnings.iter().any(|w| w.contains("p-3")), "{warnings:?}");
    let ids: std::collections::HashSet<_> = msgs.iter().map(|m| m["message_id"].clone()).collect();
    assert_eq!(ids.len(), 2);
}

#[test]
fn the_mattermost_profile_uses_mattermost_names_and_headers() {
    let dir = members();
    let mut names = Vec::new();
    for format in [Format::Actiance, Format::GlobalRelay] {
        let mut opts = ExportOptions::new(format, T0 + 100_000, "job-1");
        opts.profile = hearth_compliance::export::Profile::Mattermost;
        let out = export(
            &opts,
            &dir,
            &NoAttachments,
            ok_stream(records()),
            IoCursor::new(Vec::new()),
            &mut no_progress(),
        )
        .expect("export");
        let file = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(file.path(), out.writer.into_inner()).unwrap();
        let got = python(
            r#"
import email, email.policy, json, sys, zipfile, xml.etree.ElementTree as ET
z = zipfile.ZipFile(sys.argv[1])
out = []
for name in sorted(z.namelist()):
    if name == "manifest.json":
        continue
    out.append(name)
    if name.endswith(".xml"):
        ET.fromstring(z.read(name))
    if name.endswith(".eml"):
        msg = email.message_from_bytes(z.read(name), policy=email.policy.default)
        for h in ["X-GlobalRelay-MsgType", "X-Mattermost-ChannelName", "X-Mattermost-ChannelID", "X-Mattermost-ChannelType"]:
            out.append(h + ": " + str(msg[h]))
print(json.dumps(out))
"#,
            &[file.path().to_str().unwrap()],
        );
        let got: Vec<String> = serde_json::from_str(&got).unwrap();
        names.extend(got);
    }
    assert_eq!(
        names,
        vec![
            "mattermost/batch-000001/actiance_export.xml",
            "mattermost/batch-000001/Alice, Bjørn - (c-dm) - 1.eml",
            "X-GlobalRelay-MsgType: Mattermost",
            "X-Mattermost-ChannelName: Alice, Bjørn",
            "X-Mattermost-ChannelID: c-dm",
            "X-Mattermost-ChannelType: direct",
        ]
    );
}
