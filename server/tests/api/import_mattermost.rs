//! A Mattermost bulk-import file in the documented JSONL format: a file with
//! bad lines is refused whole with their line numbers, a good one lands with
//! its teams, channels, people, threads, reactions and direct messages, and a
//! second import adds nothing.

use hearth_api::{ChannelKind, ChatImportQuery, ChatImportReport, ErrorCode, PostsQuery, Role};
use hearth_client::{Client, Method, StatusCode};

use crate::both_backends;
use crate::harness::{TestServer, audit_actions};

both_backends!(
    a_mattermost_file_is_imported_once,
    bad_lines_are_reported_with_their_numbers_and_nothing_is_written,
);

const GOOD: &str = r#"{"type":"version","version":1}
{"type":"team","team":{"name":"eng","display_name":"Engineering","type":"O","description":"Builders"}}
{"type":"channel","channel":{"team":"eng","name":"dev","display_name":"Development","type":"O","header":"Build things","purpose":"Dev talk"}}
{"type":"channel","channel":{"team":"eng","name":"leads","display_name":"Leads","type":"P"}}
{"type":"user","user":{"username":"ann","email":"ann@example.com","first_name":"Ann","last_name":"Archer","roles":"system_user","teams":[{"name":"eng","roles":"team_user","channels":[{"name":"dev","roles":"channel_user"},{"name":"leads","roles":"channel_user"}]}]}}
{"type":"user","user":{"username":"dan","email":"dan@example.com","nickname":"Dan","roles":"system_admin system_user","teams":[{"name":"eng","channels":[{"name":"dev"}]}]}}
{"type":"user","user":{"username":"eve","email":"eve@example.com","teams":[{"name":"eng","channels":[{"name":"dev"},{"name":"leads"}]}]}}
{"type":"emoji","emoji":{"name":"partyparrot","image":"emoji/partyparrot.gif"}}
{"type":"post","post":{"team":"eng","channel":"dev","user":"dan","message":"Hello @ann, see ~dev","create_at":1704153600000,"reactions":[{"user":"ann","emoji_name":"tada","create_at":1704153601000}],"replies":[{"user":"ann","message":"hi dan","create_at":1704153660000},{"user":"eve","message":"hey (edited)","create_at":1704153720000,"edit_at":1704153750000}]}}
{"type":"post","post":{"team":"eng","channel":"leads","user":"eve","message":"leads only","create_at":1704240000000,"attachments":[{"path":"/data/export/plan.pdf"}]}}
{"type":"direct_channel","direct_channel":{"members":["ann","dan"]}}
{"type":"direct_post","direct_post":{"channel_members":["ann","dan"],"user":"ann","message":"psst","create_at":1704326400000}}
{"type":"direct_post","direct_post":{"channel_members":["ann","dan","eve"],"user":"eve","message":"all three","create_at":1704412800000}}
"#;

fn query(dry_run: bool) -> ChatImportQuery {
    ChatImportQuery {
        team: None,
        dry_run: Some(dry_run),
    }
}

fn first_import_counts(r: &ChatImportReport) {
    assert!(r.issues.is_empty(), "{:?}", r.issues);
    assert_eq!((r.teams_created, r.channels_created), (1, 2), "{r:?}");
    assert_eq!((r.users_created, r.users_matched), (2, 1), "{r:?}");
    assert_eq!(r.direct_channels_created, 2, "{r:?}");
    assert_eq!((r.posts, r.replies, r.reactions), (4, 2, 1), "{r:?}");
    assert_eq!((r.files_imported, r.files_missing), (0, 1), "{r:?}");
    assert_eq!(r.missing_files, vec!["plan.pdf".to_string()]);
    assert_eq!((r.skipped, r.ignored), (0, 1), "{r:?}");
}

async fn channel(c: &Client, pred: impl Fn(&hearth_api::Channel) -> bool) -> hearth_api::Channel {
    c.my_channels()
        .await
        .expect("channels")
        .into_iter()
        .find(|ch| pred(ch))
        .expect("channel")
}

async fn a_mattermost_file_is_imported_once(s: TestServer) {
    let (admin, _) = s.admin().await;
    let (ann, ann_user) = s.user("ann").await;

    let dry = admin
        .import_mattermost(GOOD.as_bytes().to_vec(), &query(true))
        .await
        .expect("dry run");
    assert!(dry.dry_run);
    first_import_counts(&dry);
    assert!(
        admin.user_by_username("dan").await.is_err(),
        "a dry run writes nothing"
    );

    let r = admin
        .import_mattermost(GOOD.as_bytes().to_vec(), &query(false))
        .await
        .expect("import");
    first_import_counts(&r);

    let dan = admin.user_by_username("dan").await.expect("dan");
    let eve = admin.user_by_username("eve").await.expect("eve");
    assert_eq!(dan.role, Role::SystemAdmin);
    assert_eq!(dan.display_name, "Dan");
    assert_eq!(eve.role, Role::User);

    let dev = channel(&ann, |c| c.name == "dev").await;
    assert_eq!(
        (dev.kind, dev.header.as_str()),
        (ChannelKind::Public, "Build things")
    );
    assert_eq!(dev.display_name, "Development");
    let leads = channel(&ann, |c| c.name == "leads").await;
    assert_eq!(leads.kind, ChannelKind::Private);
    let mut leads_members: Vec<uuid::Uuid> = ann
        .channel_members(leads.id)
        .await
        .expect("members")
        .into_iter()
        .map(|m| m.user_id)
        .collect();
    leads_members.sort();
    let mut expected = vec![ann_user.id, eve.id];
    expected.sort();
    assert_eq!(leads_members, expected);

    let page = ann
        .posts(dev.id, &PostsQuery::default())
        .await
        .expect("posts");
    let texts: Vec<&str> = page.posts.iter().map(|p| p.message.as_str()).collect();
    assert_eq!(
        texts,
        vec!["Hello @ann, see ~dev", "hi dan", "hey (edited)"]
    );
    let root = &page.posts[0];
    assert_eq!((root.user_id, root.created_at), (dan.id, 1_704_153_600_000));
    assert_eq!(root.mentions, vec![ann_user.id]);
    assert_eq!(root.channel_links, vec![dev.id]);
    assert_eq!(root.reply_count, 2);
    assert_eq!(root.reactions.len(), 1);
    assert_eq!(
        (
            root.reactions[0].emoji_name.as_str(),
            root.reactions[0].user_id
        ),
        ("tada", ann_user.id)
    );
    let thread = ann.thread(root.id).await.expect("thread");
    let replies: Vec<&hearth_api::Post> = thread
        .posts
        .iter()
        .filter(|p| p.root_id == Some(root.id))
        .collect();
    assert_eq!(replies.len(), 2);
    assert_eq!(replies[1].user_id, eve.id);
    assert_eq!(replies[1].edited_at, Some(1_704_153_750_000));

    let leads_posts = ann
        .posts(leads.id, &PostsQuery::default())
        .await
        .expect("posts");
    let attached = leads_posts.posts[0].file_ids.clone();
    assert_eq!(attached.len(), 1);
    assert_eq!(
        ann.file_info(attached[0]).await.expect("info").name,
        "plan.pdf"
    );

    let dm = channel(&ann, |c| c.kind == ChannelKind::Direct).await;
    let group = channel(&ann, |c| c.kind == ChannelKind::Group).await;
    for (ch, text, at) in [
        (dm.id, "psst", 1_704_326_400_000),
        (group.id, "all three", 1_704_412_800_000),
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
        .find(|(a, _)| a == "import.mattermost")
        .expect("audit entry");
    assert_eq!(details["users_created"], 2);

    let again = admin
        .import_mattermost(GOOD.as_bytes().to_vec(), &query(false))
        .await
        .expect("again");
    assert_eq!(
        (
            again.teams_created,
            again.channels_created,
            again.users_created,
            again.users_matched
        ),
        (0, 0, 0, 0),
        "{again:?}"
    );
    assert_eq!(
        (
            again.direct_channels_created,
            again.posts,
            again.replies,
            again.reactions,
            again.files_missing
        ),
        (0, 0, 0, 0, 0),
        "{again:?}"
    );
    // 1 team, 2 channels, 3 people, 4 posts and 2 replies.
    assert_eq!(again.skipped, 12, "{again:?}");
    let page2 = ann
        .posts(dev.id, &PostsQuery::default())
        .await
        .expect("posts");
    assert_eq!(page2.posts.len(), 3);
}

async fn bad_lines_are_reported_with_their_numbers_and_nothing_is_written(s: TestServer) {
    let (admin, _) = s.admin().await;
    let mut lines: Vec<&str> = GOOD.lines().collect();
    // Line 4 becomes broken JSON; a new line 14 names a user nobody defines.
    lines[3] = r#"{"type":"channel","channel":{"team":"eng","name":"leads""#;
    lines.push(r#"{"type":"post","post":{"team":"eng","channel":"dev","user":"zed","message":"who?","create_at":1704500000000}}"#);
    let bad = lines.join("\n").into_bytes();

    let r = admin
        .import_mattermost(bad.clone(), &query(false))
        .await
        .expect("report");
    let issues: Vec<(Option<u32>, hearth_api::ImportIssueCode)> =
        r.issues.iter().map(|i| (i.line, i.code)).collect();
    use hearth_api::ImportIssueCode::{InvalidLine, UnknownReference};
    // Line 4's channel is missing, so the users naming it (5 and 7) and the
    // post in it (10) are reported too.
    assert_eq!(
        issues,
        vec![
            (Some(4), InvalidLine),
            (Some(5), UnknownReference),
            (Some(7), UnknownReference),
            (Some(10), UnknownReference),
            (Some(14), UnknownReference),
        ],
        "{:?}",
        r.issues
    );
    assert_eq!((r.posts, r.users_created), (0, 0));
    assert!(
        admin.user_by_username("dan").await.is_err(),
        "nothing was written"
    );
    assert!(
        admin
            .teams()
            .await
            .expect("teams")
            .iter()
            .all(|t| t.name != "eng")
    );

    let (status, body) = admin
        .raw_body(
            Method::POST,
            "/api/v1/admin/import/mattermost",
            "application/x-ndjson",
            bad,
        )
        .await
        .expect("raw");
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body.error_code(), Some(ErrorCode::ImportRejected));
    assert_eq!(body.json().expect("json")["report"]["issues"][0]["line"], 4);

    let e = admin
        .import_mattermost(
            b"{\"type\":\"version\",\"version\":1}\n".to_vec(),
            &ChatImportQuery {
                team: Some("eng".into()),
                dry_run: None,
            },
        )
        .await
        .expect_err("team is not an option here");
    assert_eq!(e.code(), Some(ErrorCode::InvalidInput));
    let (bob, _) = s.user("bob").await;
    let e = bob
        .import_mattermost(GOOD.as_bytes().to_vec(), &query(true))
        .await
        .expect_err("forbidden");
    assert_eq!(e.code(), Some(ErrorCode::Forbidden));
}
