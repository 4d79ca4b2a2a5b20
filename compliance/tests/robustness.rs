//! Hostile input: exports stay well-formed, archives catch tampering.

#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "helpers outside `#[test]` functions fail the test by panicking"
)]

mod common;

use std::io::{Cursor as IoCursor, Read, Write};

use common::*;
use hearth_compliance::ComplianceError;
use hearth_compliance::archive::verify_archive;
use hearth_compliance::export::{ExportOptions, Format, export};
use hearth_compliance::model::*;
use proptest::prelude::*;
use quick_xml::Reader;
use quick_xml::events::Event as X;

fn hostile_directory(name: &str, channel_name: &str) -> Directory {
    let mut d = directory();
    d.users.insert("u-x".into(), user("u-x", name, name, name));
    d.channels.insert(
        "c-x".into(),
        Channel {
            id: "c-x".into(),
            team_id: None,
            name: channel_name.into(),
            display_name: channel_name.into(),
            kind: ChannelKind::Group,
        },
    );
    d
}

fn records_for(message: &str, file_name: &str) -> (Vec<Record>, MemFiles) {
    let mut files = MemFiles::default();
    files
        .files
        .insert("f-x".into(), message.as_bytes().to_vec());
    let mut p = post("p-x", "c-x", "u-x", T0, message);
    p.attachments = vec![attachment("f-x", file_name, file_name, message.as_bytes())];
    p.history = vec![PostVersion {
        message: format!("{message}{message}"),
        at: T0,
    }];
    p.edited_at = Some(T0 + 1);
    p.deleted_at = Some(T0 + 2);
    let mut records = p.events();
    records.push(membership(
        "m-x",
        "c-x",
        "u-x",
        "u-x",
        MembershipChange::Left,
        T0 + 3,
    ));
    (records, files)
}

fn run(format: Format, dir: &Directory, records: Vec<Record>, files: &MemFiles) -> Vec<u8> {
    let opts = ExportOptions::new(format, T0, "job");
    export(
        &opts,
        dir,
        files,
        ok_stream(records),
        IoCursor::new(Vec::new()),
        &mut no_progress(),
    )
    .expect("export")
    .writer
    .into_inner()
}

fn well_formed(xml: &[u8]) {
    let mut reader = Reader::from_reader(xml);
    reader.config_mut().check_end_names = true;
    let mut buf = Vec::new();
    let mut depth = 0i32;
    loop {
        match reader.read_event_into(&mut buf).expect("well-formed") {
            X::Start(_) => depth += 1,
            X::End(_) => depth -= 1,
            X::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    assert_eq!(depth, 0);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn any_text_gives_valid_exports(message in any::<String>(), name in any::<String>(), channel in any::<String>()) {
        let dir = hostile_directory(&name, &channel);
        let (records, files) = records_for(&message, &name);
        let zip = run(Format::Actiance, &dir, records.clone(), &files);
        well_formed(&zip_entry(&zip, "actiance/batch-000001.xml"));
        verify_archive(IoCursor::new(&zip)).unwrap();

        let zip = run(Format::Csv, &dir, records.clone(), &files);
        let data = zip_entry(&zip, "csv/batch-000001.csv");
        let mut rdr = csv::Reader::from_reader(data.as_slice());
        let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
        prop_assert_eq!(rows.len(), 4);
        let twice = message.repeat(2);
        prop_assert_eq!(&rows[0][16], twice.as_str());
        prop_assert_eq!(&rows[1][16], message.as_str());
        prop_assert_eq!(&rows[1][17], twice.as_str());
        prop_assert_eq!(&rows[0][10], name.as_str());

        let zip = run(Format::GlobalRelay, &dir, records, &files);
        let names = zip_names(&zip);
        let eml = names.iter().find(|n| n.ends_with(".eml")).unwrap();
        let raw = zip_entry(&zip, eml);
        let head_end = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
        for line in raw[..head_end].split(|b| *b == b'\n') {
            prop_assert!(line.is_ascii(), "headers are 7-bit");
            prop_assert!(line.len() <= 998);
        }
    }
}

#[test]
fn header_injection_is_neutralised() {
    let evil = "Eve\r\nBcc: victim@example.com";
    let dir = hostile_directory(evil, "room\r\nX-Evil: 1");
    let (records, files) = records_for("hello\r\n.\r\nQUIT", "a\r\nb\".txt");
    let zip = run(Format::GlobalRelay, &dir, records, &files);
    let name = zip_names(&zip)
        .into_iter()
        .find(|n| n.ends_with(".eml"))
        .unwrap();
    let tmp = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(tmp.path(), zip_entry(&zip, &name)).unwrap();
    let out = python(
        r#"
import sys, email
from email import policy
msg = email.message_from_bytes(open(sys.argv[1], 'rb').read(), policy=policy.default)
assert msg['Bcc'] is None and msg['X-Evil'] is None, msg.keys()
print(msg['Subject'])
print([p.get_filename() for p in msg.iter_attachments()])
print(msg.get_body(preferencelist=('plain',)).get_content().count('hello'))
"#,
        &[tmp.path().to_str().unwrap()],
    );
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "Hearth: room  X-Evil: 1 (3 messages)");
    assert_eq!(lines[1], "['a\\r\\nb\".txt']");
    assert!(lines[2].parse::<u32>().unwrap() >= 3);
}

/// Copies a zip, replacing one entry's bytes.
fn rewrite(
    zip: &[u8],
    target: &str,
    replacement: Option<&[u8]>,
    extra: Option<(&str, &[u8])>,
) -> Vec<u8> {
    let mut src = zip::ZipArchive::new(IoCursor::new(zip)).unwrap();
    let mut out = zip::ZipWriter::new(IoCursor::new(Vec::new()));
    for i in 0..src.len() {
        let mut f = src.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let mut data = Vec::new();
        f.read_to_end(&mut data).unwrap();
        if name == target {
            match replacement {
                Some(r) => data = r.to_vec(),
                None => continue,
            }
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&data).unwrap();
    }
    if let Some((name, data)) = extra {
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(data).unwrap();
    }
    out.finish().unwrap().into_inner()
}

#[test]
fn archive_tampering_is_detected() {
    let (records, files) = scenario();
    let zip = run(Format::Csv, &directory(), records, &files);
    verify_archive(IoCursor::new(&zip)).unwrap();
    verify_archive(IoCursor::new(rewrite(&zip, "none", None, None))).unwrap();

    let changed = rewrite(&zip, "files/p-1/chart.png", Some(b"forged"), None);
    let err = verify_archive(IoCursor::new(changed)).unwrap_err();
    assert!(
        matches!(err, ComplianceError::Verification { ref path, .. } if path == "files/p-1/chart.png"),
        "{err}"
    );

    let mut csv = zip_entry(&zip, "csv/batch-000001.csv");
    csv[200] ^= 1;
    assert!(
        verify_archive(IoCursor::new(rewrite(
            &zip,
            "csv/batch-000001.csv",
            Some(&csv),
            None
        )))
        .is_err()
    );

    let removed = rewrite(&zip, "files/p-3/notes.txt", None, None);
    assert!(verify_archive(IoCursor::new(removed)).is_err());

    let added = rewrite(&zip, "none", None, Some(("files/p-9/new.txt", b"planted")));
    assert!(verify_archive(IoCursor::new(added)).is_err());
}

#[test]
fn very_long_names_keep_lines_short() {
    let long = "Ünïcödé file name ".repeat(120);
    let dir = hostile_directory(&long, &long);
    let (records, files) = records_for("body", &format!("{long}.pdf"));
    let zip = run(Format::GlobalRelay, &dir, records, &files);
    let name = zip_names(&zip)
        .into_iter()
        .find(|n| n.ends_with(".eml"))
        .unwrap();
    let raw = zip_entry(&zip, &name);
    assert!(raw.split(|b| *b == b'\n').all(|l| l.len() <= 998));
    let tmp = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(tmp.path(), &raw).unwrap();
    let out = python(
        r#"
import sys, email
from email import policy
msg = email.message_from_bytes(open(sys.argv[1], 'rb').read(), policy=policy.default)
assert not msg.defects, msg.defects
print([p.get_filename() for p in msg.iter_attachments()][0])
print(str(msg['X-Hearth-Channel-Name']))
"#,
        &[tmp.path().to_str().unwrap()],
    );
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], format!("{long}.pdf").trim_end());
    assert_eq!(lines[1].trim_end(), long.trim_end());
}
