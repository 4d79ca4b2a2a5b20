//! Each export format checked against an independent parser.

#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "helpers outside `#[test]` functions fail the test by panicking"
)]

mod common;

use std::io::Cursor as IoCursor;

use common::*;
use hearth_compliance::archive::verify_archive;
use hearth_compliance::export::{ExportOptions, Format, export};
use quick_xml::Reader;
use quick_xml::events::Event as X;

fn run(
    format: Format,
    batch_size: usize,
) -> (
    Vec<u8>,
    hearth_compliance::export::ExportCounts,
    Vec<String>,
) {
    let (records, files) = scenario();
    let mut opts = ExportOptions::new(format, T0 + 100_000, "job-1");
    opts.batch_size = batch_size;
    let out = export(
        &opts,
        &directory(),
        &files,
        ok_stream(records),
        IoCursor::new(Vec::new()),
        &mut no_progress(),
    )
    .expect("export");
    (out.writer.into_inner(), out.counts, out.warnings)
}

/// Flattens XML into (depth, element, text) triples with a strict reader.
fn xml_elements(xml: &[u8]) -> Vec<(usize, String, String)> {
    let mut reader = Reader::from_reader(xml);
    reader.config_mut().trim_text(false);
    reader.config_mut().check_end_names = true;
    let mut buf = Vec::new();
    let mut stack: Vec<String> = Vec::new();
    let mut out: Vec<(usize, String, String)> = Vec::new();
    loop {
        match reader.read_event_into(&mut buf).expect("well-formed xml") {
            X::Start(e) => {
                let name = e.name().as_ref().to_string();
                out.push((stack.len(), name.clone(), String::new()));
                stack.push(name);
            }
            X::Text(t) => {
                let text = t
                    .xml_content(quick_xml::XmlVersion::Implicit1_0)
                    .into_owned();
                if let Some(last) = out.last_mut() {
                    last.2.push_str(&text);
                }
            }
            X::GeneralRef(r) => {
                let ch = match r.as_ref() {
                    "lt" => '<',
                    "gt" => '>',
                    "amp" => '&',
                    "quot" => '"',
                    "apos" => '\'',
                    other => r
                        .resolve_char_ref()
                        .unwrap()
                        .unwrap_or_else(|| panic!("unexpected entity {other}")),
                };
                out.last_mut().unwrap().2.push(ch);
            }
            X::End(_) => {
                stack.pop();
            }
            X::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    assert!(stack.is_empty());
    for e in &mut out {
        e.2 = e.2.trim().to_string();
    }
    out
}

#[test]
fn actiance_structure_matches_vantage_layout() {
    let (zip, counts, warnings) = run(Format::Actiance, 1000);
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(counts.export_files, 1);
    let xml = zip_entry(&zip, "actiance/batch-000001.xml");
    let els = xml_elements(&xml);
    assert_eq!(els[0].1, "FileDump");
    let conversations: Vec<_> = els.iter().filter(|e| e.1 == "Conversation").collect();
    assert_eq!(conversations.len(), 3);
    assert!(conversations.iter().all(|c| c.0 == 1));

    // Children of each conversation, in order.
    let mut convs: Vec<Vec<&(usize, String, String)>> = Vec::new();
    for e in &els {
        match (e.0, e.1.as_str()) {
            (1, "Conversation") => convs.push(Vec::new()),
            (2, _) => convs.last_mut().unwrap().push(e),
            _ => {}
        }
    }
    let rank = |n: &str| match n {
        "RoomID" => 0,
        "StartTimeUTC" => 1,
        "ParticipantEntered" => 2,
        "Message" | "FileTransferStarted" | "FileTransferEnded" => 3,
        "ParticipantLeft" => 4,
        "EndTimeUTC" => 5,
        other => panic!("unexpected element {other}"),
    };
    for c in &convs {
        let ranks: Vec<_> = c.iter().map(|e| rank(&e.1)).collect();
        assert!(ranks.windows(2).all(|w| w[0] <= w[1]), "order {ranks:?}");
        assert_eq!(ranks.first(), Some(&0));
        assert_eq!(ranks.last(), Some(&5));
    }
    // Channels are sorted by id: c-dev, c-dm, c-town.
    assert_eq!(convs[0][0].2, "private - developpement - c-dev");
    assert_eq!(convs[2][0].2, "public - town-square - c-town");
    assert_eq!(convs[2][1].2, T0.to_string());

    // Message children in Vantage order with exact values.
    let town_msgs: Vec<Vec<(String, String)>> = {
        let mut v = Vec::new();
        let mut in_town = false;
        let mut current: Option<Vec<(String, String)>> = None;
        for e in &els {
            if e.0 == 1 {
                in_town = false;
            }
            if e.0 == 2 && e.1 == "RoomID" {
                in_town = e.2.ends_with("c-town");
            }
            if !in_town {
                continue;
            }
            if e.0 == 2 {
                if let Some(m) = current.take() {
                    v.push(m);
                }
                if e.1 == "Message" {
                    current = Some(Vec::new());
                }
            } else if e.0 == 3
                && let Some(m) = current.as_mut()
            {
                m.push((e.1.clone(), e.2.clone()));
            }
        }
        v
    };
    fn names(m: &[(String, String)]) -> Vec<&str> {
        m.iter().map(|(n, _)| n.as_str()).collect()
    }
    assert_eq!(
        names(&town_msgs[0]),
        [
            "MessageId",
            "LoginName",
            "UserType",
            "DateTimeUTC",
            "Content"
        ]
    );
    assert_eq!(town_msgs[0][4].1, "Hello <team> & \"friends\"");
    assert_eq!(town_msgs[0][1].1, "alice@example.com");
    assert_eq!(town_msgs[1][4].1, "Grüße, ça va? 日本語");
    let deleted = town_msgs
        .iter()
        .find(|m| m.iter().any(|(n, v)| n == "UpdatedType" && v == "Deleted"))
        .unwrap();
    assert_eq!(
        names(deleted),
        [
            "MessageId",
            "LoginName",
            "UserType",
            "DateTimeUTC",
            "UpdatedType",
            "UpdatedDateTimeUTC",
            "Content"
        ]
    );
    assert_eq!(deleted[6].1, "delete oops wrong channel");
    assert_eq!(
        deleted[1].1, "carol",
        "no e-mail falls back to the username"
    );

    // Edits carry both texts; files are announced; bots are typed.
    let text = String::from_utf8(xml.clone()).unwrap();
    assert!(text.contains("<UpdatedType>EditedOriginalMsg</UpdatedType>"));
    assert!(text.contains("<EditedNewMsgId>p-4</EditedNewMsgId>"));
    assert!(text.contains("<Content>secret plan v0</Content>"));
    assert!(text.contains("<UserType>bot</UserType>"));
    assert!(text.contains("<FileName>files/p-1/résumé Q3.pdf</FileName>"));
    assert!(text.contains("<FileName>files/p-3/f-3-notes.txt</FileName>"));
    assert!(text.contains("<Status>Completed</Status>"));
    assert!(text.contains("Perspective=\"Développement &amp; &lt;Ops&gt;\""));

    // Bob joined, was present, then left; Alice is still there at the end.
    let town: Vec<_> = convs[2].iter().map(|e| e.1.as_str()).collect();
    assert_eq!(
        town.iter().filter(|n| **n == "ParticipantEntered").count(),
        3
    );
    assert_eq!(town.iter().filter(|n| **n == "ParticipantLeft").count(), 3);

    // An independent parser agrees.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.xml");
    std::fs::write(&path, &xml).unwrap();
    let py = python(
        r#"
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
assert root.tag == 'FileDump'
for conv in root.findall('Conversation'):
    kids = [c.tag for c in conv]
    print(conv.get('Perspective'), kids[0], kids[-1], len(conv.findall('Message')), len(conv.findall('FileTransferStarted')))
"#,
        &[path.to_str().unwrap()],
    );
    let lines: Vec<_> = py.lines().collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0], "Développement & <Ops> RoomID EndTimeUTC 1 2");
    assert_eq!(lines[1], "Alice, Bjørn RoomID EndTimeUTC 3 0");
    assert_eq!(lines[2], "Town Square RoomID EndTimeUTC 4 2");

    verify_archive(IoCursor::new(&zip)).expect("manifest verifies");
}

#[test]
fn actiance_writes_one_file_per_batch() {
    let (zip, counts, _) = run(Format::Actiance, 3);
    assert_eq!(counts.batches, 4);
    let names = zip_names(&zip);
    for i in 1..=4 {
        let name = format!("actiance/batch-{i:06}.xml");
        assert!(names.contains(&name));
        xml_elements(&zip_entry(&zip, &name));
    }
}

#[test]
fn eml_parses_with_python_email() {
    let (zip, counts, warnings) = run(Format::GlobalRelay, 1000);
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(counts.export_files, 3);
    let dir = tempfile::tempdir().unwrap();
    let mut paths = Vec::new();
    for name in zip_names(&zip).into_iter().filter(|n| n.ends_with(".eml")) {
        let p = dir.path().join(name.replace('/', "_"));
        std::fs::write(&p, zip_entry(&zip, &name)).unwrap();
        paths.push(p);
    }
    paths.sort();
    let args: Vec<&str> = paths.iter().map(|p| p.to_str().unwrap()).collect();
    let py = python(
        r#"
import sys, json, hashlib, email
from email import policy
from email.utils import getaddresses, parsedate_to_datetime
out = []
for path in sys.argv[1:]:
    raw = open(path, 'rb').read()
    for line in raw.split(b'\r\n'):
        assert len(line) <= 998, 'line too long'
    msg = email.message_from_bytes(raw, policy=policy.default)
    assert not msg.defects, msg.defects
    plain = msg.get_body(preferencelist=('plain',)).get_content()
    html = msg.get_body(preferencelist=('html',)).get_content()
    atts = []
    for part in msg.iter_attachments():
        data = part.get_payload(decode=True)
        atts.append([part.get_filename(), part.get_content_type(), hashlib.sha256(data).hexdigest(), len(data)])
    out.append({
        'subject': str(msg['Subject']),
        'from': getaddresses([str(msg['From'])]),
        'to': getaddresses([str(msg['To'])]),
        'date': parsedate_to_datetime(msg['Date']).timestamp(),
        'mid': msg['Message-ID'],
        'mime': msg['MIME-Version'],
        'channel': msg['X-Hearth-Channel-Id'],
        'count': msg['X-Hearth-Message-Count'],
        'plain': plain, 'html': html, 'atts': atts,
    })
print(json.dumps(out))
"#,
        &args,
    );
    let v: serde_json::Value = serde_json::from_str(&py).unwrap();
    let msgs = v.as_array().unwrap();
    assert_eq!(msgs.len(), 3);
    let by_channel = |c: &str| msgs.iter().find(|m| m["channel"] == c).unwrap();

    let town = by_channel("c-town");
    assert_eq!(town["subject"], "Hearth: Town Square (4 messages)");
    assert_eq!(town["mime"], "1.0");
    assert_eq!(town["count"], "4");
    assert_eq!(
        town["from"][0],
        serde_json::json!(["Alice Example", "alice@example.com"])
    );
    let to: Vec<_> = town["to"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a[1].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        to,
        [
            "alice@example.com",
            "bjorn@example.com",
            "u-carol@users.hearth.invalid"
        ]
    );
    assert_eq!(town["to"][1][0], "Bjørn Ünïcode \"the\" Tester");
    assert_eq!(town["date"].as_f64().unwrap() as i64, T0 / 1000);
    let plain = town["plain"].as_str().unwrap();
    assert!(plain.contains("Alice Example (@alice) posted: Hello <team> & \"friends\""));
    assert!(plain.contains("Grüße, ça va? 日本語"));
    assert!(plain.contains("replied in thread p-1"));
    assert!(plain.contains("joined the channel (by Alice Example (@alice))"));
    assert!(plain.contains("deleted post p-5: oops wrong channel"));
    assert!(plain.contains("2026-11-25"));
    let html = town["html"].as_str().unwrap();
    assert!(html.contains("Hello &lt;team&gt; &amp; &quot;friends&quot;"));
    let atts = town["atts"].as_array().unwrap();
    assert_eq!(atts.len(), 2);
    assert_eq!(atts[0][0], "résumé Q3.pdf");
    assert_eq!(atts[0][1], "application/pdf");
    assert_eq!(atts[0][2], hex_sha(b"%PDF-1.4 quarterly numbers"));
    assert_eq!(atts[1][3], 5000);

    let dev = by_channel("c-dev");
    assert_eq!(dev["subject"], "Hearth: Développement & <Ops> (1 messages)");
    assert_eq!(dev["atts"].as_array().unwrap().len(), 2);

    let dm = by_channel("c-dm");
    assert_eq!(dm["from"][0][1], "bjorn@example.com");
    assert!(
        dm["plain"]
            .as_str()
            .unwrap()
            .contains("(previously: secret plan v0)")
    );
    assert!(
        msgs.iter()
            .all(|m| m["mid"].as_str().unwrap().starts_with('<'))
    );
    verify_archive(IoCursor::new(&zip)).expect("manifest verifies");
}

fn hex_sha(b: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(b))
}

#[test]
fn eml_splits_conversations_by_day() {
    let (mut records, files) = scenario();
    let late = post("p-late", "c-town", "u-alice", T0 + 86_400_000, "next day");
    records.extend(late.events());
    let opts = ExportOptions::new(Format::GlobalRelay, T0, "job");
    let out = export(
        &opts,
        &directory(),
        &files,
        ok_stream(records),
        IoCursor::new(Vec::new()),
        &mut no_progress(),
    )
    .unwrap();
    let names = zip_names(out.writer.get_ref());
    assert!(names.contains(&"globalrelay/batch-000001/c-town-2026-11-25.eml".to_string()));
    assert!(names.contains(&"globalrelay/batch-000001/c-town-2026-11-26.eml".to_string()));
}

#[test]
fn csv_round_trips_with_rust_and_python_readers() {
    let (zip, _, _) = run(Format::Csv, 1000);
    let data = zip_entry(&zip, "csv/batch-000001.csv");
    let mut rdr = csv::Reader::from_reader(data.as_slice());
    let headers: Vec<String> = rdr.headers().unwrap().iter().map(str::to_string).collect();
    assert_eq!(headers, hearth_compliance::csv_columns());
    let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    let (records, _) = scenario();
    assert_eq!(rows.len(), records.len());
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    for (row, rec) in rows.iter().zip(&records) {
        assert_eq!(&row[col("event_id")], rec.id.as_str());
        assert_eq!(&row[col("timestamp_ms")], rec.at.to_string().as_str());
        assert_eq!(&row[col("event_type")], rec.event.kind_name());
    }
    let created = rows.iter().find(|r| &r[col("post_id")] == "p-1").unwrap();
    assert_eq!(&created[col("message")], "Hello <team> & \"friends\"");
    assert_eq!(&created[col("channel_kind")], "public");
    assert_eq!(&created[col("team_id")], "t-1");
    assert_eq!(&created[col("timestamp_utc")], "2026-11-25T09:46:42.000Z");
    let names: Vec<String> = serde_json::from_str(&created[col("attachment_names")]).unwrap();
    assert_eq!(names, ["résumé Q3.pdf", "chart.png"]);
    let edit = rows
        .iter()
        .find(|r| &r[col("event_type")] == "post_edited")
        .unwrap();
    assert_eq!(&edit[col("previous_message")], "secret plan v0");
    assert_eq!(&edit[col("message")], "secret plan v1");
    let reply = rows.iter().find(|r| &r[col("post_id")] == "p-2").unwrap();
    assert_eq!(&reply[col("root_id")], "p-1");
    let join = rows.iter().find(|r| &r[col("event_id")] == "m-2").unwrap();
    assert_eq!(&join[col("actor_id")], "u-alice");
    assert_eq!(&join[col("user_email")], "bjorn@example.com");

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.csv");
    std::fs::write(&path, &data).unwrap();
    let py = python(
        r#"
import sys, csv, json
with open(sys.argv[1], newline='', encoding='utf-8') as f:
    rows = list(csv.DictReader(f))
print(json.dumps([[r['event_id'], r['event_type'], r['message'], r['previous_message']] for r in rows]))
"#,
        &[path.to_str().unwrap()],
    );
    let v: Vec<Vec<String>> = serde_json::from_str(&py).unwrap();
    assert_eq!(v.len(), rows.len());
    for (p, r) in v.iter().zip(&rows) {
        assert_eq!(p[0], &r[col("event_id")]);
        assert_eq!(p[2], &r[col("message")]);
        assert_eq!(p[3], &r[col("previous_message")]);
    }
}

#[test]
fn attachments_land_under_files_and_verify() {
    for format in [Format::Actiance, Format::GlobalRelay, Format::Csv] {
        let (zip, counts, _) = run(format, 2);
        assert_eq!(counts.attachments, 4);
        assert_eq!(
            zip_entry(&zip, "files/p-1/résumé Q3.pdf"),
            b"%PDF-1.4 quarterly numbers"
        );
        assert_eq!(zip_entry(&zip, "files/p-3/notes.txt"), b"first notes");
        assert_eq!(zip_entry(&zip, "files/p-3/f-3-notes.txt"), b"second notes");
        let manifest = verify_archive(IoCursor::new(&zip)).unwrap();
        assert!(
            manifest
                .files
                .iter()
                .any(|f| f.path == "files/p-1/chart.png" && f.size == 5000)
        );
        assert_eq!(manifest.metadata["counts"]["records_exported"], 10);
    }
}
