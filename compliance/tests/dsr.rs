//! A user's own data export and anonymisation plans.

#![expect(
    clippy::expect_used,
    reason = "helpers outside `#[test]` functions fail the test by panicking"
)]

mod common;

use std::io::{BufRead, Cursor as IoCursor};

use common::*;
use hearth_compliance::archive::verify_archive;
use hearth_compliance::dsr::*;
use hearth_compliance::holds::{HoldStatus, LegalHold};
use hearth_compliance::model::*;

#[test]
fn user_export_contains_everything_the_user_wrote() {
    let (records, files) = scenario();
    let dir = directory();
    // The server passes the user's stored posts; one by someone else slips in.
    let posts: Vec<Post> = records
        .iter()
        .filter_map(|r| match &r.event {
            Event::PostCreated { post } => Some(post.clone()),
            _ => None,
        })
        .collect();
    let alice = dir.users["u-alice"].clone();
    let out = user_export(
        &alice,
        &dir,
        &files,
        posts.into_iter().map(Ok::<_, std::convert::Infallible>),
        T0,
        1,
        IoCursor::new(Vec::new()),
    )
    .unwrap();
    assert_eq!(out.posts, 1);
    assert_eq!(out.attachments, 2);
    let zip = out.writer.into_inner();
    let profile: User = serde_json::from_slice(&zip_entry(&zip, "profile.json")).unwrap();
    assert_eq!(profile, alice);
    let lines: Vec<serde_json::Value> = zip_entry(&zip, "posts/part-000001.jsonl")
        .lines()
        .map(|l| serde_json::from_str(&l.unwrap()).unwrap())
        .collect();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["id"], "p-1");
    assert_eq!(lines[0]["channel_name"], "town-square");
    assert_eq!(
        lines[0]["attachments"][0]["path"],
        "files/p-1/résumé Q3.pdf"
    );
    assert_eq!(
        zip_entry(&zip, "files/p-1/résumé Q3.pdf"),
        b"%PDF-1.4 quarterly numbers"
    );
    let manifest = verify_archive(IoCursor::new(&zip)).unwrap();
    assert_eq!(manifest.metadata["kind"], "user_export");
    assert_eq!(manifest.files.len(), 4);
}

#[test]
fn user_export_keeps_history_of_edited_posts() {
    let (records, files) = scenario();
    let dir = directory();
    let mut p4 = post("p-4", "c-dm", "u-bob", T0, "v2");
    p4.history = vec![PostVersion {
        message: "v1".into(),
        at: T0,
    }];
    p4.edited_at = Some(T0 + 1);
    let bob = dir.users["u-bob"].clone();
    let stream = vec![Ok::<_, String>(p4)];
    let out = user_export(
        &bob,
        &dir,
        &files,
        stream,
        T0,
        100,
        IoCursor::new(Vec::new()),
    )
    .unwrap();
    let zip = out.writer.into_inner();
    let line: serde_json::Value =
        serde_json::from_slice(&zip_entry(&zip, "posts/part-000001.jsonl")).unwrap();
    assert_eq!(line["history"][0]["message"], "v1");
    assert_eq!(line["message"], "v2");
    drop(records);
}

#[test]
fn anonymisation_keeps_the_id_and_respects_holds() {
    let dir = directory();
    let bob = dir.users["u-bob"].clone();
    let plan = anonymise(&bob, &[], true);
    assert_eq!(plan.user_id, "u-bob");
    assert_eq!(plan.content, ContentAction::DeleteUnheld);
    assert!(!plan.preserve_profile_copy);
    let after = plan.apply(&bob);
    assert_eq!(after.id, "u-bob");
    assert!(after.username.starts_with("deleted-"));
    assert_eq!(after.display_name, "Deleted user");
    assert!(after.email.ends_with("@deleted.hearth.invalid"));
    assert!(!after.email.contains("bjorn"));
    assert_eq!(
        anonymise(&bob, &[], false).apply(&bob),
        after,
        "stable pseudonym"
    );
    assert!(
        plan.fields
            .iter()
            .any(|f| matches!(f, FieldAction::Blank { field } if field == "nickname"))
    );

    let hold = LegalHold {
        id: "h-9".into(),
        name: "Matter".into(),
        description: String::new(),
        custodians: vec!["u-bob".into()],
        channels: vec![],
        include_channel_context: false,
        start: None,
        end: None,
        status: HoldStatus::Active,
    };
    let plan = anonymise(&bob, std::slice::from_ref(&hold), true);
    assert_eq!(plan.holds, ["h-9"]);
    assert!(plan.preserve_profile_copy);
}
