//! A Slack export built to Slack's documented layout (users, channels,
//! groups, dms and mpims lists, one folder of day files per conversation,
//! attachment bytes under `__uploads/`): everything lands where it belongs,
//! keeps its original times, and a second import adds nothing.

use std::io::Write;

use hearth_api::{ChannelKind, ChatImportQuery, ChatImportReport, ErrorCode, PostsQuery};
use hearth_client::Client;
use serde_json::json;

use crate::both_backends;
use crate::harness::{TestServer, audit_actions};

both_backends!(
    a_slack_export_is_imported_once,
    a_dry_run_writes_nothing_and_bad_archives_are_refused,
);

const ROOT_TS: &str = "1704153660.000200";

fn export() -> Vec<u8> {
    let users = json!([
        {"id": "U1", "name": "ann", "real_name": "Ann Archer",
         "profile": {"email": "ann@example.com", "display_name": "Ann"}},
        {"id": "U2", "name": "bob", "real_name": "Bob Baker",
         "profile": {"email": "bob.slack@example.com", "real_name": "Bob Baker"}},
        {"id": "U3", "name": "cy", "profile": {"email": "cy@example.com"}},
        {"id": "B1", "name": "deploybot", "is_bot": true, "profile": {}},
    ]);
    let channels = json!([{"id": "C1", "name": "general", "created": 1704067200,
        "members": ["U1", "U2", "U3"], "purpose": {"value": "Company-wide"},
        "topic": {"value": "Say hi"}}]);
    let groups = json!([{"id": "G1", "name": "secret", "created": 1704067200,
        "members": ["U1", "U2"]}]);
    let dms = json!([{"id": "D1", "created": 1704067200, "members": ["U1", "U2"]}]);
    let mpims = json!([{"id": "G2", "name": "mpdm-ann--bob--cy-1", "created": 1704067200,
        "members": ["U1", "U2", "U3"]}]);
    let general = json!([
        {"type": "message", "subtype": "channel_join", "user": "U3",
         "text": "<@U3> has joined the channel", "ts": "1704153600.000100"},
        {"type": "message", "user": "U1", "ts": ROOT_TS, "thread_ts": ROOT_TS,
         "text": "Hello <@U2>, see <#C1|general> &amp; <https://example.com/a?b=1&amp;c=2|the docs>",
         "reply_count": 2,
         "replies": [{"user": "U2", "ts": "1704153720.000300"}, {"user": "U3", "ts": "1704153780.000400"}],
         "reactions": [{"name": "thumbsup", "users": ["U2", "U3"], "count": 2}]},
        {"type": "message", "user": "U2", "text": "reply one", "ts": "1704153720.000300",
         "thread_ts": ROOT_TS, "parent_user_id": "U1"},
        {"type": "message", "user": "U3", "text": "reply two (fixed)", "ts": "1704153780.000400",
         "thread_ts": ROOT_TS, "parent_user_id": "U1",
         "edited": {"user": "U3", "ts": "1704153800.000000"}},
        {"type": "message", "subtype": "channel_leave", "user": "U3",
         "text": "<@U3> has left the channel", "ts": "1704153850.000450"},
        {"type": "message", "subtype": "bot_message", "bot_id": "B1", "username": "deploybot",
         "text": "deployed", "ts": "1704153860.000460"},
        {"type": "message", "subtype": "file_share", "user": "U2", "text": "two files",
         "ts": "1704153900.000500",
         "files": [
            {"id": "F1", "name": "notes.txt", "title": "notes", "mimetype": "text/plain",
             "size": 11, "url_private": "https://files.slack.com/files-pri/T1-F1/notes.txt"},
            {"id": "F2", "name": "plan.pdf", "mimetype": "application/pdf", "size": 1234,
             "url_private": "https://files.slack.com/files-pri/T1-F2/plan.pdf"}
         ]},
    ]);
    let secret = json!([{"type": "message", "user": "U2", "text": "private hello",
        "ts": "1704240000.000100"}]);
    let dm =
        json!([{"type": "message", "user": "U1", "text": "just us", "ts": "1704326400.000100"}]);
    let group = json!([{"type": "message", "user": "U3", "text": "the three of us",
        "ts": "1704412800.000100"}]);

    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let entries: Vec<(&str, Vec<u8>)> = vec![
        ("users.json", users.to_string().into_bytes()),
        ("channels.json", channels.to_string().into_bytes()),
        ("groups.json", groups.to_string().into_bytes()),
        ("dms.json", dms.to_string().into_bytes()),
        ("mpims.json", mpims.to_string().into_bytes()),
        ("general/2024-01-02.json", general.to_string().into_bytes()),
        ("secret/2024-01-03.json", secret.to_string().into_bytes()),
        ("D1/2024-01-04.json", dm.to_string().into_bytes()),
        (
            "mpdm-ann--bob--cy-1/2024-01-05.json",
            group.to_string().into_bytes(),
        ),
        ("__uploads/F1/notes.txt", b"hello notes".to_vec()),
    ];
    for (name, bytes) in entries {
        zip.start_file(name, opts).expect("zip entry");
        zip.write_all(&bytes).expect("zip write");
    }
    zip.finish().expect("zip finish").into_inner()
}

fn query(dry_run: bool) -> ChatImportQuery {
    ChatImportQuery {
        team: Some("acme".into()),
        dry_run: Some(dry_run),
    }
}

async fn channel(c: &Client, pred: impl Fn(&hearth_api::Channel) -> bool) -> hearth_api::Channel {
    c.my_channels()
        .await
        .expect("channels")
        .into_iter()
        .find(|ch| pred(ch))
        .expect("channel")
}

fn first_import_counts(r: &ChatImportReport) {
    assert_eq!((r.users_created, r.users_matched), (2, 1), "{r:?}");
    assert_eq!(
        (r.channels_created, r.direct_channels_created),
        (2, 2),
        "{r:?}"
    );
    assert_eq!((r.posts, r.replies, r.reactions), (5, 2, 2), "{r:?}");
    assert_eq!((r.files_imported, r.files_missing), (1, 1), "{r:?}");
    assert_eq!(r.missing_files, vec!["plan.pdf".to_string()]);
    assert_eq!(r.skipped, 0);
}

async fn a_slack_export_is_imported_once(s: TestServer) {
    let (admin, _) = s.admin().await;
    s.team(&admin, "acme", false).await;
    // Ann already has an account: she is matched by e-mail, not duplicated.
    let (ann, ann_user) = s.user("ann").await;

    let r = admin
        .import_slack(export(), &query(false))
        .await
        .expect("import");
    assert!(!r.dry_run);
    first_import_counts(&r);

    let bob = admin.user_by_username("bob").await.expect("bob created");
    // Too short for a Hearth username (3 or more): padded.
    let cy = admin.user_by_username("cy_").await.expect("cy created");
    assert_eq!(bob.display_name, "Bob Baker");
    assert_eq!(bob.email.as_deref(), Some("bob.slack@example.com"));
    assert!(
        admin.user_by_username("deploybot").await.is_err(),
        "bots are not people"
    );

    // Channels and memberships.
    let general = channel(&ann, |c| c.name == "general").await;
    assert_eq!(general.kind, ChannelKind::Public);
    assert_eq!(general.purpose, "Company-wide");
    let secret = channel(&ann, |c| c.name == "secret").await;
    assert_eq!(secret.kind, ChannelKind::Private);
    let dm = channel(&ann, |c| c.kind == ChannelKind::Direct).await;
    let group = channel(&ann, |c| c.kind == ChannelKind::Group).await;
    let members = |v: Vec<hearth_api::ChannelMember>| -> Vec<uuid::Uuid> {
        let mut ids: Vec<uuid::Uuid> = v.into_iter().map(|m| m.user_id).collect();
        ids.sort();
        ids
    };
    let mut three = vec![ann_user.id, bob.id, cy.id];
    three.sort();
    assert_eq!(
        members(ann.channel_members(general.id).await.expect("m")),
        three
    );
    assert_eq!(
        members(ann.channel_members(group.id).await.expect("m")),
        three
    );
    let secret_members = members(ann.channel_members(secret.id).await.expect("m"));
    assert!(secret_members.contains(&bob.id) && !secret_members.contains(&cy.id));
    assert_eq!(
        members(ann.channel_members(dm.id).await.expect("m")).len(),
        2
    );

    // Posts, in their original order and times; joins, leaves and bots are not posts.
    let page = ann
        .posts(general.id, &PostsQuery::default())
        .await
        .expect("posts");
    let texts: Vec<&str> = page.posts.iter().map(|p| p.message.as_str()).collect();
    assert_eq!(
        texts,
        vec![
            "Hello @bob, see ~general & [the docs](https://example.com/a?b=1&c=2)",
            "reply one",
            "reply two (fixed)",
            "two files"
        ]
    );
    let root = &page.posts[0];
    assert_eq!(root.created_at, 1_704_153_660_000);
    assert_eq!(root.user_id, ann_user.id);
    assert_eq!(root.mentions, vec![bob.id], "the mention is resolved");
    assert_eq!(root.channel_links, vec![general.id]);
    assert_eq!(root.reply_count, 2);
    let mut reactors: Vec<(String, uuid::Uuid)> = root
        .reactions
        .iter()
        .map(|r| (r.emoji_name.clone(), r.user_id))
        .collect();
    reactors.sort();
    let mut expected = vec![
        ("thumbsup".to_string(), bob.id),
        ("thumbsup".to_string(), cy.id),
    ];
    expected.sort();
    assert_eq!(reactors, expected);

    let thread = ann.thread(root.id).await.expect("thread");
    let replies: Vec<&hearth_api::Post> = thread
        .posts
        .iter()
        .filter(|p| p.root_id == Some(root.id))
        .collect();
    assert_eq!(replies.len(), 2);
    assert_eq!(replies[0].user_id, bob.id);
    assert_eq!(replies[1].created_at, 1_704_153_780_000);
    assert_eq!(
        replies[1].edited_at,
        Some(1_704_153_800_000),
        "edits keep their time"
    );
    assert_eq!(replies[0].edited_at, None);

    // Files: bytes from the archive, or only the record when the export lacks them.
    let files_post = &page.posts[3];
    assert_eq!(files_post.file_ids.len(), 2);
    let notes = ann.file_info(files_post.file_ids[0]).await.expect("info");
    assert_eq!(notes.name, "notes.txt");
    let got = ann.download_file(notes.id).await.expect("download");
    assert_eq!(got.bytes, b"hello notes");
    let plan = ann.file_info(files_post.file_ids[1]).await.expect("info");
    assert_eq!((plan.name.as_str(), plan.size), ("plan.pdf", 1234));
    let e = ann.download_file(plan.id).await.expect_err("no bytes");
    assert_eq!(e.code(), Some(ErrorCode::NotFound));

    for (ch, text, at) in [
        (secret.id, "private hello", 1_704_240_000_000),
        (dm.id, "just us", 1_704_326_400_000),
        (group.id, "the three of us", 1_704_412_800_000),
    ] {
        let p = ann.posts(ch, &PostsQuery::default()).await.expect("posts");
        assert_eq!(p.posts.len(), 1);
        assert_eq!(
            (p.posts[0].message.as_str(), p.posts[0].created_at),
            (text, at)
        );
    }
    // Imported history arrives read.
    let unreads = ann.unreads().await.expect("unreads");
    assert!(
        unreads
            .iter()
            .all(|u| u.unread_count == 0 && u.mention_count == 0),
        "{unreads:?}"
    );
    let audit = audit_actions(&s);
    let (_, details) = audit
        .iter()
        .find(|(a, _)| a == "import.slack")
        .expect("audit entry");
    assert_eq!(details["posts"], 5);

    // A second import finds everything in the import map.
    let again = admin
        .import_slack(export(), &query(false))
        .await
        .expect("again");
    assert_eq!(
        (
            again.users_created,
            again.users_matched,
            again.channels_created
        ),
        (0, 0, 0),
        "{again:?}"
    );
    assert_eq!(
        (
            again.posts,
            again.replies,
            again.reactions,
            again.files_imported,
            again.files_missing
        ),
        (0, 0, 0, 0, 0),
        "{again:?}"
    );
    // 3 people, 4 conversations, 7 messages.
    assert_eq!(again.skipped, 14, "{again:?}");
    let page2 = ann
        .posts(general.id, &PostsQuery::default())
        .await
        .expect("posts");
    assert_eq!(page2.posts.len(), 4);
}

async fn a_dry_run_writes_nothing_and_bad_archives_are_refused(s: TestServer) {
    let (admin, _) = s.admin().await;
    s.team(&admin, "acme", false).await;
    let (_ann, _) = s.user("ann").await;
    let r = admin
        .import_slack(export(), &query(true))
        .await
        .expect("dry run");
    assert!(r.dry_run);
    first_import_counts(&r);
    assert!(
        admin.user_by_username("bob").await.is_err(),
        "nothing was written"
    );
    let again = admin
        .import_slack(export(), &query(true))
        .await
        .expect("dry run");
    assert_eq!(again.skipped, 0, "a dry run leaves no import map behind");

    let code = |r: hearth_client::Result<ChatImportReport>| r.expect_err("refused").code();
    assert_eq!(
        code(
            admin
                .import_slack(b"not a zip".to_vec(), &query(true))
                .await
        ),
        Some(ErrorCode::InvalidInput)
    );
    let no_team = ChatImportQuery {
        team: None,
        dry_run: Some(true),
    };
    assert_eq!(
        code(admin.import_slack(export(), &no_team).await),
        Some(ErrorCode::InvalidInput)
    );
    let unknown = ChatImportQuery {
        team: Some("nope".into()),
        dry_run: Some(true),
    };
    assert_eq!(
        code(admin.import_slack(export(), &unknown).await),
        Some(ErrorCode::NotFound)
    );
    let (bob, _) = s.user("bob").await;
    assert_eq!(
        code(bob.import_slack(export(), &query(true)).await),
        Some(ErrorCode::Forbidden)
    );
}
