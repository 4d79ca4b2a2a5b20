//! Full-text search through the API: new posts become searchable within a
//! second, edits and deletes follow, results stay within the channels the
//! caller may read, operators resolve names, attachments are found by their
//! text, and an online rebuild keeps everything.

use std::time::{Duration, Instant};

use hearth_api::{
    ChannelKind, CreateChannelRequest, CreatePostRequest, ErrorCode, PostSearchResults,
    SearchRequest, SearchSort,
};
use hearth_client::Client;
use uuid::Uuid;

use crate::both_backends;
use crate::harness::TestServer;

/// How long a change may take to become searchable (the goal is one second;
/// the margin absorbs a loaded test machine).
const SEARCHABLE_WITHIN: Duration = Duration::from_secs(5);

/// Polls until `terms` finds exactly the posts with these texts (any order).
async fn wait_for(c: &Client, terms: &str, want: &[&str]) -> PostSearchResults {
    let start = Instant::now();
    loop {
        let r = c.search(terms).await.expect("search answers");
        let mut got: Vec<&str> = r.posts.iter().map(|p| p.message.as_str()).collect();
        got.sort();
        let mut expected = want.to_vec();
        expected.sort();
        if got == expected {
            return r;
        }
        assert!(
            start.elapsed() < SEARCHABLE_WITHIN,
            "search {terms:?}: wanted {expected:?}, got {got:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn pair(s: &TestServer) -> (Client, Client, Uuid, Uuid, Uuid) {
    let (alice, _) = s.admin().await;
    let team = s.team(&alice, "acme", true).await;
    let (bob, bob_user) = s.user("bob").await;
    bob.add_team_member(team.id, bob_user.id).await.unwrap();
    let town = crate::harness::my_channel(&bob, "town-square").await;
    (alice, bob, team.id, town.id, bob_user.id)
}

async fn new_posts_edits_and_deletes_are_searchable(s: TestServer) {
    let (alice, bob, _, town, _) = pair(&s).await;
    let started = Instant::now();
    let p = alice
        .post_message(town, "Deploying the importer to staging tonight")
        .await
        .unwrap();
    let r = wait_for(
        &bob,
        "deployed",
        &["Deploying the importer to staging tonight"],
    )
    .await;
    eprintln!("searchable after {:?}", started.elapsed());
    let snippet = r.matches[0].snippet_html.as_deref().unwrap_or_default();
    assert!(snippet.contains("<mark>"), "highlighted snippet: {snippet}");

    alice
        .edit_post(p.id, "Deploying the exporter to staging tonight")
        .await
        .unwrap();
    wait_for(
        &bob,
        "exporter",
        &["Deploying the exporter to staging tonight"],
    )
    .await;
    wait_for(&bob, "importer", &[]).await;

    alice.delete_post(p.id).await.unwrap();
    wait_for(&bob, "exporter", &[]).await;
}

async fn results_stay_in_readable_channels(s: TestServer) {
    let (alice, bob, team, town, _) = pair(&s).await;
    let secret = alice
        .create_channel(&CreateChannelRequest {
            team_id: team,
            kind: ChannelKind::Private,
            name: "board".into(),
            display_name: "Board".into(),
            purpose: None,
            header: None,
        })
        .await
        .unwrap();
    alice
        .post_message(secret.id, "quarterly numbers are confidential")
        .await
        .unwrap();
    alice
        .post_message(town, "quarterly numbers go out on friday")
        .await
        .unwrap();
    wait_for(
        &alice,
        "quarterly",
        &[
            "quarterly numbers are confidential",
            "quarterly numbers go out on friday",
        ],
    )
    .await;
    // Bob is not in the private channel: he never sees its post, even by naming it.
    wait_for(&bob, "quarterly", &["quarterly numbers go out on friday"]).await;
    let err = bob.search("quarterly in:~board").await.unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::InvalidInput));
    // A public channel of his team he has not joined is searched too, as in Slack.
    let open = alice
        .create_channel(&CreateChannelRequest {
            team_id: team,
            kind: ChannelKind::Public,
            name: "releases".into(),
            display_name: "Releases".into(),
            purpose: None,
            header: None,
        })
        .await
        .unwrap();
    alice
        .post_message(open.id, "release notes draft")
        .await
        .unwrap();
    wait_for(&bob, "notes", &["release notes draft"]).await;
    // Someone outside the team sees none of it.
    let (carol, _) = s.user("carol").await;
    let r = carol.search("quarterly").await.unwrap();
    assert_eq!(r.total, 0);
    assert!(r.posts.is_empty());
}

async fn operators_resolve_names(s: TestServer) {
    let (alice, bob, _, town, bob_id) = pair(&s).await;
    alice.post_message(town, "lunch at noon?").await.unwrap();
    bob.post_message(town, "lunch sounds good").await.unwrap();
    let dm = bob
        .direct_channel(&[bob_id, alice_id(&alice).await])
        .await
        .unwrap();
    bob.post_message(dm.id, "lunch just us two").await.unwrap();
    wait_for(
        &alice,
        "lunch",
        &["lunch at noon?", "lunch sounds good", "lunch just us two"],
    )
    .await;
    wait_for(
        &alice,
        "lunch from:@bob",
        &["lunch sounds good", "lunch just us two"],
    )
    .await;
    wait_for(
        &alice,
        "lunch in:~town-square",
        &["lunch at noon?", "lunch sounds good"],
    )
    .await;
    wait_for(&alice, "lunch in:@bob", &["lunch just us two"]).await;
    wait_for(&alice, "lunch -from:@bob", &["lunch at noon?"]).await;
    wait_for(&alice, "\"sounds good\"", &["lunch sounds good"]).await;
    let r = alice
        .search_posts(&SearchRequest {
            terms: "lunch".into(),
            sort: Some(SearchSort::Newest),
            per_page: Some(2),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(r.total, 3);
    assert_eq!(
        r.posts
            .iter()
            .map(|p| p.message.as_str())
            .collect::<Vec<_>>(),
        ["lunch just us two", "lunch sounds good"]
    );
    assert!(
        r.channel_counts
            .iter()
            .any(|c| c.channel_id == town && c.count == 2)
    );
    for bad in ["", "from:@nobody lunch", "\"unbalanced"] {
        let err = alice.search(bad).await.unwrap_err();
        assert_eq!(err.code(), Some(ErrorCode::InvalidInput), "{bad:?}");
    }
}

async fn alice_id(c: &Client) -> Uuid {
    c.me().await.unwrap().id
}

async fn attachments_are_found_by_their_text(s: TestServer) {
    let (alice, bob, _, town, _) = pair(&s).await;
    let csv = b"name,team\nzanzibar,platform\nquokka,growth\n".to_vec();
    let files = alice
        .upload_files(town, vec![("roster.csv".into(), csv)])
        .await
        .unwrap();
    alice
        .create_post(&CreatePostRequest {
            channel_id: town,
            message: "the new roster".into(),
            file_ids: files.iter().map(|f| f.id).collect(),
            ..Default::default()
        })
        .await
        .unwrap();
    wait_for(&bob, "zanzibar", &["the new roster"]).await;
    let start = Instant::now();
    loop {
        let r = bob
            .search_files(&SearchRequest {
                terms: "quokka".into(),
                ..Default::default()
            })
            .await
            .unwrap();
        if r.files.len() == 1 {
            assert_eq!(r.files[0].name, "roster.csv");
            break;
        }
        assert!(start.elapsed() < SEARCHABLE_WITHIN, "file not found: {r:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn rebuild_keeps_everything_and_is_admin_only(s: TestServer) {
    let (alice, bob, _, town, _) = pair(&s).await;
    for i in 0..30 {
        alice
            .post_message(town, &format!("inventory item {i}"))
            .await
            .unwrap();
    }
    wait_until_total(&bob, "inventory", 30).await;
    assert_eq!(
        bob.search_reindex().await.unwrap_err().code(),
        Some(ErrorCode::Forbidden)
    );
    let status = alice.search_reindex().await.unwrap();
    assert!(status.posts >= 30, "{status:?}");
    assert!(!status.rebuilding);
    let after = wait_until_total(&bob, "inventory", 30).await;
    assert_eq!(after.total, 30);
    // Still live after the swap.
    alice.post_message(town, "inventory item 30").await.unwrap();
    wait_until_total(&bob, "inventory", 31).await;
    let status = alice.search_status().await.unwrap();
    assert!(status.enabled && status.cursor.is_some(), "{status:?}");
}

async fn wait_until_total(c: &Client, terms: &str, total: u64) -> PostSearchResults {
    let start = Instant::now();
    loop {
        let r = c.search(terms).await.unwrap();
        if r.total == total {
            return r;
        }
        assert!(
            start.elapsed() < SEARCHABLE_WITHIN,
            "{terms:?}: total {} != {total}",
            r.total
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

both_backends!(
    new_posts_edits_and_deletes_are_searchable,
    results_stay_in_readable_channels,
    operators_resolve_names,
    attachments_are_found_by_their_text,
    rebuild_keeps_everything_and_is_admin_only,
);
