//! Edits, deletes, purges, visibility, persistence, file search, snippets,
//! channel counts and online rebuild.

#![expect(
    clippy::unwrap_used,
    reason = "helpers outside `#[test]` functions fail the test by panicking"
)]

mod common;

use std::collections::HashMap;

use common::{Corpus, Oracle, small_index};
use hearth_search::query::{SearchQuery, parse_and_resolve};
use hearth_search::{
    Change, DocKind, FileDoc, IndexHandle, IndexOptions, PostDoc, Scope, SearchIndex,
    SearchOptions, SnippetSource, SortOrder,
};
use uuid::Uuid;

struct NoNames;
impl hearth_search::query::Resolver for NoNames {
    fn user_id(&self, _: &str) -> Option<Uuid> {
        None
    }
    fn channel_id(&self, _: &str) -> Option<Uuid> {
        None
    }
    fn direct_channel_id(&self, _: &str) -> Option<Uuid> {
        None
    }
}

fn q(text: &str) -> SearchQuery {
    parse_and_resolve(text, &NoNames, "UTC").unwrap()
}

const CHANNEL: Uuid = Uuid::from_u128(0xc0);
const OTHER_CHANNEL: Uuid = Uuid::from_u128(0xc1);

fn post(n: u128, message: &str) -> PostDoc {
    PostDoc {
        id: Uuid::from_u128(n),
        channel_id: CHANNEL,
        team_id: Some(Uuid::from_u128(0x7ea)),
        user_id: Uuid::from_u128(0xa),
        root_id: None,
        message: message.to_owned(),
        root_message: None,
        created_at: 1_700_000_000_000 + n as i64,
        file_names: vec![],
        file_text: vec![],
        has_replies: false,
    }
}

fn file(n: u128, post_id: u128, name: &str, text: &str) -> FileDoc {
    FileDoc {
        id: Uuid::from_u128(n),
        post_id: Uuid::from_u128(post_id),
        channel_id: CHANNEL,
        team_id: None,
        user_id: Uuid::from_u128(0xa),
        name: name.to_owned(),
        mime: "text/plain".to_owned(),
        text: Some(text.to_owned()),
        created_at: 1_700_000_000_000 + n as i64,
    }
}

fn ids(index: &SearchIndex, text: &str) -> Vec<Uuid> {
    ids_of(index, text, DocKind::Post)
}

fn ids_of(index: &SearchIndex, text: &str, kind: DocKind) -> Vec<Uuid> {
    let mut options = SearchOptions::posts(Scope::All);
    options.kind = kind;
    options.sort = SortOrder::Newest;
    let mut v: Vec<Uuid> = index
        .search(&q(text), &options)
        .unwrap()
        .hits
        .into_iter()
        .map(|h| h.id)
        .collect();
    v.sort();
    v
}

#[test]
fn upsert_replaces_and_replay_does_not_duplicate() {
    let (_dir, index) = small_index();
    index
        .apply([Change::UpsertPost(post(1, "alpha launch"))])
        .unwrap();
    assert!(ids(&index, "alpha").is_empty(), "invisible before commit");
    index.commit(1).unwrap();
    assert_eq!(
        ids(&index, "alpha"),
        [Uuid::from_u128(1)],
        "visible right after commit"
    );

    index
        .apply([Change::UpsertPost(post(1, "beta launch"))])
        .unwrap();
    index.commit(2).unwrap();
    assert!(ids(&index, "alpha").is_empty());
    assert_eq!(ids(&index, "beta"), [Uuid::from_u128(1)]);

    // Replaying the same batch (as after a crash) leaves one document.
    for _ in 0..3 {
        index
            .apply([
                Change::UpsertPost(post(1, "beta launch")),
                Change::UpsertPost(post(2, "beta")),
            ])
            .unwrap();
    }
    index.commit(3).unwrap();
    assert_eq!(
        ids(&index, "beta"),
        [Uuid::from_u128(1), Uuid::from_u128(2)]
    );
    assert_eq!(index.stats().unwrap().posts, 2);
}

#[test]
fn deletes_and_purges_propagate() {
    let (_dir, index) = small_index();
    let mut changes: Vec<Change> = (1..=6)
        .map(|n| Change::UpsertPost(post(n, "gamma")))
        .collect();
    changes.push(Change::UpsertFile(file(101, 1, "a.txt", "gamma")));
    changes.push(Change::UpsertFile(file(102, 2, "b.txt", "gamma")));
    changes.push(Change::UpsertFile(file(103, 3, "c.txt", "gamma")));
    index.apply(changes).unwrap();
    index.commit(1).unwrap();
    assert_eq!(ids(&index, "gamma").len(), 6);
    assert_eq!(ids_of(&index, "gamma", DocKind::File).len(), 3);

    // Deleting a post removes its files too; a file can go on its own.
    index
        .apply([
            Change::DeletePost(Uuid::from_u128(1)),
            Change::DeleteFile(Uuid::from_u128(102)),
        ])
        .unwrap();
    index.commit(2).unwrap();
    assert_eq!(ids(&index, "gamma").len(), 5);
    assert_eq!(
        ids_of(&index, "gamma", DocKind::File),
        [Uuid::from_u128(103)]
    );

    index
        .purge_posts(&[Uuid::from_u128(2), Uuid::from_u128(3), Uuid::from_u128(999)])
        .unwrap();
    index.commit(3).unwrap();
    assert_eq!(ids(&index, "gamma"), [4, 5, 6].map(Uuid::from_u128));
    assert!(ids_of(&index, "gamma", DocKind::File).is_empty());

    index.purge_before(1_700_000_000_000 + 6).unwrap();
    index.commit(4).unwrap();
    assert_eq!(ids(&index, "gamma"), [Uuid::from_u128(6)]);

    // An upsert after a delete in the same batch wins, as in the change log.
    index
        .apply([
            Change::DeletePost(Uuid::from_u128(6)),
            Change::UpsertPost(post(6, "gamma again")),
        ])
        .unwrap();
    index.commit(5).unwrap();
    assert_eq!(ids(&index, "again"), [Uuid::from_u128(6)]);
    let stats = index.stats().unwrap();
    assert_eq!((stats.posts, stats.files, stats.cursor), (1, 0, Some(5)));
}

#[test]
fn cursor_survives_reopen_and_uncommitted_work_is_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("idx");
    {
        let index = SearchIndex::open_or_create(&path, &IndexOptions::default()).unwrap();
        assert_eq!(index.cursor(), None);
        index.apply([Change::UpsertPost(post(1, "kept"))]).unwrap();
        index.commit(42).unwrap();
        index.apply([Change::UpsertPost(post(2, "lost"))]).unwrap();
    }
    let index = SearchIndex::open_or_create(&path, &IndexOptions::default()).unwrap();
    assert_eq!(index.cursor(), Some(42));
    assert_eq!(ids(&index, "kept"), [Uuid::from_u128(1)]);
    assert!(ids(&index, "lost").is_empty());
    index.apply([Change::UpsertPost(post(3, "kept"))]).unwrap();
    index.rollback().unwrap();
    index.commit(43).unwrap();
    assert_eq!(ids(&index, "kept"), [Uuid::from_u128(1)]);
}

#[test]
fn files_search_and_snippets() {
    let (_dir, index) = small_index();
    let mut with_file = post(
        1,
        "Quarterly numbers (5 < 7 & 8) are in, see **budget** sheet",
    );
    with_file.file_names = vec!["budget_2026.xlsx".into()];
    with_file.file_text = vec!["Region\tRevenue\nNordics\t1200".into()];
    index
        .apply([
            Change::UpsertPost(with_file),
            Change::UpsertFile(FileDoc {
                mime: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".into(),
                ..file(10, 1, "budget_2026.xlsx", "Region\tRevenue\nNordics\t1200")
            }),
        ])
        .unwrap();
    index.commit(1).unwrap();

    let mut options = SearchOptions::posts(Scope::Channels(vec![CHANNEL]));
    let res = index.search(&q("budget"), &options).unwrap();
    let snippet = res.hits[0].snippet.clone().unwrap();
    assert_eq!(snippet.source, SnippetSource::Message);
    assert_eq!(&snippet.text[snippet.highlights[0].clone()], "budget");
    assert!(
        snippet.html.contains("5 &lt; 7 &amp; 8"),
        "{}",
        snippet.html
    );
    assert!(
        snippet.html.contains("<mark>budget</mark>"),
        "{}",
        snippet.html
    );
    assert!(!snippet.text.contains("**"));

    // Matched in an attachment's text: the post is found, snippet from the file.
    let res = index.search(&q("nordics"), &options).unwrap();
    assert_eq!(res.total, 1);
    assert_eq!(
        res.hits[0].snippet.as_ref().unwrap().source,
        SnippetSource::FileText
    );

    options.kind = DocKind::File;
    let res = index.search(&q("nordics 2026"), &options).unwrap();
    assert_eq!(res.total, 1);
    let hit = &res.hits[0];
    assert_eq!(
        (hit.id, hit.kind, hit.parent_id),
        (Uuid::from_u128(10), DocKind::File, Some(Uuid::from_u128(1)))
    );
    let res = index.search(&q("has:file budget"), &options).unwrap();
    assert_eq!(res.total, 1);

    // Out of scope: nothing.
    options.scope = Scope::Channels(vec![OTHER_CHANNEL]);
    assert_eq!(index.search(&q("budget"), &options).unwrap().total, 0);
    options.scope = Scope::Channels(vec![]);
    assert_eq!(index.search(&q("budget"), &options).unwrap().total, 0);
}

#[test]
fn relevance_ranks_own_words_above_thread_context() {
    let (_dir, index) = small_index();
    let root = post(1, "kubernetes upgrade plan");
    let mut reply = post(2, "sounds good to me");
    reply.root_id = Some(root.id);
    reply.root_message = Some(root.message.clone());
    let mut other = post(3, "the kubernetes dashboard is slow");
    other.created_at = 0;
    index
        .apply([root, reply, other].map(Change::UpsertPost))
        .unwrap();
    index.commit(1).unwrap();
    let res = index
        .search(&q("kubernetes"), &SearchOptions::posts(Scope::All))
        .unwrap();
    assert_eq!(res.total, 3, "the reply is found through its thread root");
    let order: Vec<Uuid> = res.hits.iter().map(|h| h.id).collect();
    assert_eq!(order.last(), Some(&Uuid::from_u128(2)));
    assert!(res.hits.windows(2).all(|w| w[0].score >= w[1].score));
    let reply_hit = res
        .hits
        .iter()
        .find(|h| h.id == Uuid::from_u128(2))
        .unwrap();
    assert_eq!(reply_hit.parent_id, Some(Uuid::from_u128(1)));
    // Matched through its thread root only: the snippet shows its own text.
    let snippet = reply_hit.snippet.as_ref().unwrap();
    assert_eq!(
        (snippet.text.as_str(), snippet.highlights.len()),
        ("sounds good to me", 0)
    );

    // Paging by date.
    let mut options = SearchOptions::posts(Scope::All);
    options.sort = SortOrder::Newest;
    options.limit = 2;
    options.offset = 1;
    let page: Vec<Uuid> = index
        .search(&q("kubernetes"), &options)
        .unwrap()
        .hits
        .iter()
        .map(|h| h.id)
        .collect();
    assert_eq!(page, [Uuid::from_u128(1), Uuid::from_u128(3)]);
    options.limit = 0;
    let counts_only = index.search(&q("kubernetes"), &options).unwrap();
    assert_eq!((counts_only.total, counts_only.hits.len()), (3, 0));
}

#[test]
fn channel_counts_match_brute_force() {
    let corpus = Corpus::generate(3, 1500);
    let (_dir, index) = small_index();
    corpus.index_into(&index);
    let oracle = Oracle::new(&corpus.posts);
    let query = parse_and_resolve("deploy", &corpus, "UTC").unwrap();
    let scope = Scope::Channels(corpus.channels.iter().take(6).map(|c| c.1).collect());
    let mut options = SearchOptions::posts(scope.clone());
    options.channel_counts = Some(3);
    let res = index.search(&query, &options).unwrap();
    let mut expected: HashMap<Uuid, u64> = HashMap::new();
    for p in &corpus.posts {
        if oracle.ids(&query, &scope).contains(&p.id) {
            *expected.entry(p.channel_id).or_default() += 1;
        }
    }
    let mut expected: Vec<(Uuid, u64)> = expected.into_iter().collect();
    expected.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    assert_eq!(res.channel_counts.len(), 3);
    for (channel, count) in &res.channel_counts {
        assert_eq!(expected.iter().find(|e| e.0 == *channel).unwrap().1, *count);
    }
    assert_eq!(res.channel_counts[0].1, expected[0].1);
    assert_eq!(res.total as u64, expected.iter().map(|e| e.1).sum::<u64>());
}

#[test]
fn online_rebuild_swaps_atomically() {
    let root = tempfile::tempdir().unwrap();
    let handle = IndexHandle::open(root.path(), IndexOptions::default()).unwrap();
    let old = handle.current();
    old.apply([Change::UpsertPost(post(1, "legacy"))]).unwrap();
    old.commit(10).unwrap();
    let old_dir = old.dir().to_path_buf();

    // A stray generation from an interrupted rebuild is cleaned at next open.
    std::fs::create_dir_all(root.path().join("gen-0123abcd")).unwrap();

    let report = handle
        .rebuild((1..=50).map(|n| Change::UpsertPost(post(n, "rebuilt"))), 7)
        .unwrap();
    assert_eq!(report.documents, 50);
    assert_eq!(report.stats.posts, 50);
    assert_eq!(report.stats.cursor, Some(7));
    assert!(report.stats.size_bytes > 0);

    // A request that started before the swap still sees the old generation.
    assert_eq!(ids(&old, "legacy"), [Uuid::from_u128(1)]);
    assert!(old_dir.exists());
    let new = handle.current();
    assert_ne!(new.dir(), old_dir);
    assert_eq!(
        new.cursor(),
        Some(7),
        "the indexing loop replays from the scan's cursor"
    );
    assert!(ids(&new, "legacy").is_empty());
    assert_eq!(
        new.search(&q("rebuilt"), &SearchOptions::posts(Scope::All))
            .unwrap()
            .total,
        50
    );
    drop(old);
    assert!(!old_dir.exists(), "old generation removed once unused");

    // The swap is durable.
    drop(new);
    drop(handle);
    let handle = IndexHandle::open(root.path(), IndexOptions::default()).unwrap();
    assert_eq!(handle.stats().unwrap().posts, 50);
    assert_eq!(handle.stats().unwrap().cursor, Some(7));
    assert!(!root.path().join("gen-0123abcd").exists());
}

#[test]
fn incompatible_index_starts_an_empty_generation() {
    let root = tempfile::tempdir().unwrap();
    let stale = root.path().join("gen-00ff");
    std::fs::create_dir_all(&stale).unwrap();
    {
        let mut schema = tantivy::schema::Schema::builder();
        schema.add_text_field("title", tantivy::schema::TEXT);
        let index = tantivy::Index::create_in_dir(&stale, schema.build()).unwrap();
        let mut writer: tantivy::IndexWriter = index.writer(15_000_000).unwrap();
        writer.commit().unwrap();
    }
    std::fs::write(root.path().join("CURRENT"), "gen-00ff").unwrap();
    let handle = IndexHandle::open(root.path(), IndexOptions::default()).unwrap();
    let stats = handle.stats().unwrap();
    assert_eq!(
        (stats.posts, stats.cursor),
        (0, None),
        "empty: the server rebuilds"
    );
    assert!(!stale.exists());
}

#[test]
fn handles_are_shareable_across_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<IndexHandle>();
    assert_send_sync::<SearchIndex>();
    assert_send_sync::<hearth_search::Error>();
}

#[test]
fn extreme_paging_is_bounded() {
    let (_dir, index) = small_index();
    index
        .apply((1..=5).map(|n| Change::UpsertPost(post(n, "page"))))
        .unwrap();
    index.commit(1).unwrap();
    let mut options = SearchOptions::posts(Scope::All);
    options.offset = usize::MAX;
    options.limit = usize::MAX;
    let res = index.search(&q("page"), &options).unwrap();
    assert_eq!((res.total, res.hits.len()), (5, 0));
    options.offset = 3;
    let res = index.search(&q("page"), &options).unwrap();
    assert_eq!((res.total, res.hits.len()), (5, 2));
}
