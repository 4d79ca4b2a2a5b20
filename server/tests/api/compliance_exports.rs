//! Compliance exports read back with independent parsers (Python's `csv`,
//! `email` and `xml.etree`), incremental runs that never skip or repeat a
//! record, hold-scoped exports and a user's own data export.

use crate::both_backends;
use std::collections::HashSet;
use std::io::Read;

use hearth_api::{ExportFormat, ExportRequest, JobStatus, LegalHoldRequest};
use hearth_client::Client;
use hearth_server::Config;
use serde_json::Value;

use crate::compliance::{officer, wait_job};
use crate::harness::{TestServer, my_channel};

pub fn quiet_schedule(c: &mut Config) {
    c.compliance.late_commit_margin_secs = 0;
    c.compliance.purge_enabled = false;
    c.compliance.export_batch_size = 4;
}

both_backends!(with quiet_schedule;
    three_incremental_exports_hold_every_record_once,
    exports_read_back_with_standard_parsers,
    hold_and_user_exports_hold_only_their_subject,
);

/// Runs the Python checker over an archive.
pub fn parse_archive(bytes: &[u8]) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("export.zip");
    std::fs::write(&path, bytes).unwrap();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/tools/export_check.py");
    let out = std::process::Command::new("python3")
        .arg(script)
        .arg(&path)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("checker prints JSON")
}

pub async fn export(officer: &Client, req: ExportRequest) -> Vec<u8> {
    let job = officer.start_export(&req).await.expect("start export");
    finished(officer, job.id).await
}

pub async fn finished(officer: &Client, id: uuid::Uuid) -> Vec<u8> {
    let job = wait_job(officer, id).await;
    assert_eq!(job.status, JobStatus::Succeeded, "{:?}", job.error);
    let zip = officer.download_compliance_job(id).await.expect("download");
    assert_eq!(
        job.file_sha256.as_deref(),
        Some(hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&zip.bytes)).as_str()),
        "the job records the archive's hash"
    );
    hearth_compliance::archive::verify_archive(std::io::Cursor::new(zip.bytes.clone()))
        .expect("every file matches the manifest");
    zip.bytes
}

pub fn all(format: ExportFormat) -> ExportRequest {
    ExportRequest {
        format,
        from: None,
        until: None,
        channels: None,
        users: None,
        hold_id: None,
        profile: Default::default(),
    }
}

pub fn event_ids(parsed: &Value) -> Vec<String> {
    parsed["csv"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["event_id"].as_str().unwrap().to_string())
        .collect()
}

async fn three_incremental_exports_hold_every_record_once(s: TestServer) {
    let (admin, _) = s.admin().await;
    let (off, _) = officer(&s, &admin, "olivia").await;
    let (alice, _) = s.user("alice").await;
    let (bob, bob_u) = s.user("bob").await;
    let team = s.team(&alice, "acme", true).await;
    alice.add_team_member(team.id, bob_u.id).await.unwrap();
    let town = my_channel(&alice, "town-square").await;
    let mut seen: Vec<String> = Vec::new();
    for round in 0..3 {
        for i in 0..5 {
            let who = if i % 2 == 0 { &alice } else { &bob };
            who.post_message(town.id, &format!("round {round} message {i}"))
                .await
                .unwrap();
        }
        let p = alice
            .post_message(town.id, &format!("round {round} draft"))
            .await
            .unwrap();
        alice
            .edit_post(p.id, &format!("round {round} final"))
            .await
            .unwrap();
        let d = bob
            .post_message(town.id, &format!("round {round} oops"))
            .await
            .unwrap();
        bob.delete_post(d.id).await.unwrap();
        let job = off
            .start_incremental_export(ExportFormat::Csv)
            .await
            .expect("incremental");
        let ids = event_ids(&parse_archive(&finished(&off, job.id).await));
        assert!(
            ids.len() >= 9,
            "round {round} exports at least its own 9 records, got {}",
            ids.len()
        );
        seen.extend(ids);
    }
    let unique: HashSet<&String> = seen.iter().collect();
    assert_eq!(
        unique.len(),
        seen.len(),
        "no record in two incremental exports"
    );
    // A full export afterwards has exactly the same records.
    let full = event_ids(&parse_archive(&export(&off, all(ExportFormat::Csv)).await));
    let full: HashSet<&String> = full.iter().collect();
    assert_eq!(
        full, unique,
        "the incremental exports together hold every record"
    );
    let cursors = off.export_cursors().await.unwrap();
    assert_eq!(cursors.len(), 1);
    assert_eq!(cursors[0].name, "daily-csv");
    // A run with nothing new succeeds, exports nothing and keeps the cursor.
    let job = off
        .start_incremental_export(ExportFormat::Csv)
        .await
        .unwrap();
    assert!(event_ids(&parse_archive(&finished(&off, job.id).await)).is_empty());
    assert_eq!(off.export_cursors().await.unwrap()[0].at, cursors[0].at);
}

async fn exports_read_back_with_standard_parsers(s: TestServer) {
    let (admin, _) = s.admin().await;
    let (off, _) = officer(&s, &admin, "olivia").await;
    let (alice, _) = s.user("alice").await;
    let (bob, bob_u) = s.user("bob").await;
    let team = s.team(&alice, "acme", true).await;
    alice.add_team_member(team.id, bob_u.id).await.unwrap();
    let town = my_channel(&alice, "town-square").await;
    let root = alice
        .post_message(town.id, "Grüße aus Zürich — 你好 <b>&")
        .await
        .unwrap();
    bob.create_post(&hearth_api::CreatePostRequest {
        channel_id: town.id,
        root_id: Some(root.id),
        message: "a reply in the thread".into(),
        ..Default::default()
    })
    .await
    .unwrap();
    let e = alice.post_message(town.id, "first wording").await.unwrap();
    alice.edit_post(e.id, "second wording").await.unwrap();
    let d = bob.post_message(town.id, "regrettable").await.unwrap();
    bob.delete_post(d.id).await.unwrap();
    let files = alice
        .upload_files(
            town.id,
            vec![("report.txt".into(), b"quarterly report".to_vec())],
        )
        .await
        .expect("upload");
    alice
        .create_post(&hearth_api::CreatePostRequest {
            channel_id: town.id,
            message: "see attached".into(),
            file_ids: files.iter().map(|f| f.id).collect(),
            ..Default::default()
        })
        .await
        .unwrap();
    alice.remove_team_member(team.id, bob_u.id).await.unwrap();

    // CSV through Python's csv module.
    let csv = parse_archive(&export(&off, all(ExportFormat::Csv)).await);
    let rows = csv["csv"].as_array().unwrap();
    let kinds: HashSet<&str> = rows
        .iter()
        .map(|r| r["event_type"].as_str().unwrap())
        .collect();
    for k in [
        "post_created",
        "post_edited",
        "post_deleted",
        "channel_joined",
        "channel_left",
    ] {
        assert!(kinds.contains(k), "CSV lacks {k}: {kinds:?}");
    }
    let edit = rows
        .iter()
        .find(|r| r["event_type"] == "post_edited")
        .unwrap();
    assert_eq!(edit["message"], "second wording");
    assert_eq!(edit["previous_message"], "first wording");
    assert!(
        rows.iter()
            .any(|r| r["message"] == "Grüße aus Zürich — 你好 <b>&")
    );
    let reply = rows
        .iter()
        .find(|r| r["message"] == "a reply in the thread")
        .unwrap();
    assert_eq!(reply["root_id"], root.id.to_string());
    assert!(rows.iter().any(|r| {
        r["attachment_names"]
            .as_str()
            .unwrap()
            .contains("report.txt")
    }));
    let left = rows
        .iter()
        .find(|r| r["event_type"] == "channel_left")
        .unwrap();
    assert_eq!(left["username"], "bob");

    // EML through Python's email package.
    let eml = parse_archive(&export(&off, all(ExportFormat::GlobalRelay)).await);
    let msgs = eml["eml"].as_array().unwrap();
    assert!(!msgs.is_empty());
    for m in msgs {
        assert_eq!(m["defects"].as_array().unwrap().len(), 0, "{m}");
        assert!(m["message_id"].as_str().unwrap().starts_with('<'));
        assert!(!m["date"].as_str().unwrap().is_empty());
    }
    let body: String = msgs.iter().map(|m| m["body"].as_str().unwrap()).collect();
    assert!(body.contains("Grüße aus Zürich — 你好 <b>&"), "{body}");
    assert!(body.contains("second wording"));
    let to: Vec<&str> = msgs
        .iter()
        .flat_map(|m| {
            m["to"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a.as_str().unwrap())
        })
        .collect();
    assert!(to.iter().any(|a| a.contains("alice@example.com")), "{to:?}");
    assert!(to.iter().any(|a| a.contains("bob@example.com")), "{to:?}");
    assert!(
        msgs.iter().any(|m| m["attachments"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a == "report.txt")),
        "the file travels as a MIME attachment"
    );

    // Actiance XML through xml.etree.
    let xml = parse_archive(&export(&off, all(ExportFormat::Actiance)).await);
    let dumps = xml["actiance"].as_array().unwrap();
    assert!(!dumps.is_empty());
    let mut updated = HashSet::new();
    for d in dumps {
        assert_eq!(d["root"], "FileDump");
        for c in d["conversations"].as_array().unwrap() {
            assert_eq!(c["tag"], "Conversation");
            let children: Vec<&str> = c["children"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_str().unwrap())
                .collect();
            assert_eq!(&children[..2], ["RoomID", "StartTimeUTC"], "{children:?}");
            assert_eq!(children.last(), Some(&"EndTimeUTC"));
            assert!(children.contains(&"ParticipantEntered"));
            for m in c["messages"].as_array().unwrap() {
                assert!(!m["login"].as_str().unwrap_or("").is_empty());
                if let Some(u) = m["updated"].as_str() {
                    updated.insert(u.to_string());
                }
            }
        }
    }
    assert!(
        updated.contains("EditedNewMsg") && updated.contains("Deleted"),
        "{updated:?}"
    );
    // The attachment bytes are in the archive.
    let bytes = export(&off, all(ExportFormat::Actiance)).await;
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let name = (0..z.len())
        .map(|i| z.by_index(i).unwrap().name().unwrap().to_string())
        .find(|n| n.ends_with("report.txt"))
        .expect("attachment in the archive");
    let mut content = String::new();
    z.by_name(&name)
        .unwrap()
        .read_to_string(&mut content)
        .unwrap();
    assert_eq!(content, "quarterly report");
}

async fn hold_and_user_exports_hold_only_their_subject(s: TestServer) {
    let (admin, _) = s.admin().await;
    let (off, _) = officer(&s, &admin, "olivia").await;
    let (alice, alice_u) = s.user("alice").await;
    let (bob, bob_u) = s.user("bob").await;
    let team = s.team(&alice, "acme", true).await;
    alice.add_team_member(team.id, bob_u.id).await.unwrap();
    let town = my_channel(&alice, "town-square").await;
    alice.post_message(town.id, "alice one").await.unwrap();
    bob.post_message(town.id, "bob one").await.unwrap();
    alice.post_message(town.id, "alice two").await.unwrap();
    let hold = off
        .create_legal_hold(&LegalHoldRequest {
            name: "alice".into(),
            description: String::new(),
            custodians: vec![alice_u.id],
            channels: vec![],
            include_channel_context: false,
            start_at: None,
            end_at: None,
        })
        .await
        .unwrap();
    let job = off
        .export_legal_hold(hold.id, ExportFormat::Csv)
        .await
        .unwrap();
    let rows = parse_archive(&finished(&off, job.id).await);
    let messages: Vec<&str> = rows["csv"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["event_type"] == "post_created")
        .map(|r| r["message"].as_str().unwrap())
        .collect();
    assert_eq!(messages, ["alice one", "alice two"]);

    let job = off.start_user_export(bob_u.id).await.unwrap();
    let bytes = finished(&off, job.id).await;
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut profile = String::new();
    z.by_name("profile.json")
        .unwrap()
        .read_to_string(&mut profile)
        .unwrap();
    assert!(profile.contains("bob@example.com"));
    let mut lines = String::new();
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        if f.name().unwrap().starts_with("posts/") {
            f.read_to_string(&mut lines).unwrap();
        }
    }
    assert!(lines.contains("bob one"));
    assert!(!lines.contains("alice"), "only bob's own posts: {lines}");
    // An export can be cancelled while queued or running, never afterwards.
    let e = off.cancel_compliance_job(job.id).await.unwrap_err();
    assert_eq!(e.code(), Some(hearth_api::ErrorCode::Conflict));
}
