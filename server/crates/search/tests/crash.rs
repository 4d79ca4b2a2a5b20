//! A writer killed with SIGKILL loses only uncommitted work; reopening and
//! replaying from the stored cursor restores the exact expected state.

#![expect(
    clippy::unwrap_used,
    reason = "helpers outside `#[test]` functions fail the test by panicking"
)]

mod common;

use std::collections::HashMap;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use hearth_search::query::{Filter, FilterKind, SearchQuery, TextMatch};
use hearth_search::{Change, IndexOptions, PostDoc, Scope, SearchIndex, SearchOptions, SortOrder};
use uuid::Uuid;

const CHILD_ENV: &str = "HEARTH_SEARCH_CRASH_CHILD_DIR";
const TOTAL: u64 = 4000;
const COMMIT_EVERY: u64 = 100;

/// The change with sequence number `seq` of a deterministic change log:
/// new posts, edits of earlier posts and deletions.
fn change(seq: u64) -> Change {
    let post = |id: u64, message: String| {
        Change::UpsertPost(PostDoc {
            id: Uuid::from_u128(id as u128),
            channel_id: Uuid::from_u128(1 + (id % 5) as u128),
            team_id: None,
            user_id: Uuid::from_u128(100),
            root_id: None,
            message,
            root_message: None,
            created_at: 1_700_000_000_000 + id as i64,
            file_names: vec![],
            file_text: vec![],
            has_replies: false,
        })
    };
    if seq > 10 && seq.is_multiple_of(7) {
        post(seq - 5, format!("crashtest edited at {seq}"))
    } else if seq > 10 && seq.is_multiple_of(11) {
        Change::DeletePost(Uuid::from_u128((seq - 3) as u128))
    } else {
        post(seq, format!("crashtest original word{}", seq % 13))
    }
}

/// The state after applying changes `1..=upto`: id → edited?
fn expected(upto: u64) -> HashMap<Uuid, bool> {
    let mut state = HashMap::new();
    for seq in 1..=upto {
        match change(seq) {
            Change::UpsertPost(p) => {
                state.insert(p.id, p.message.contains("edited"));
            }
            Change::DeletePost(id) => {
                state.remove(&id);
            }
            _ => unreachable!(),
        }
    }
    state
}

/// Applies the change log from the index's cursor, committing every
/// `COMMIT_EVERY` changes, as the server's indexing loop does.
fn catch_up(index: &SearchIndex, upto: u64, progress: Option<&Path>) {
    let mut seq = index.cursor().unwrap_or(0);
    while seq < upto {
        let end = (seq + COMMIT_EVERY).min(upto);
        index.apply((seq + 1..=end).map(change)).unwrap();
        index.commit(end).unwrap();
        if let Some(p) = progress {
            std::fs::write(p, end.to_string()).unwrap();
        }
        seq = end;
    }
}

/// Entry point of the child process (runs only when spawned by
/// `killed_writer_recovers_from_cursor`): indexes until killed.
#[test]
fn crash_child_process() {
    let Ok(dir) = std::env::var(CHILD_ENV) else {
        return;
    };
    let dir = Path::new(&dir);
    let index = SearchIndex::open_or_create(dir.join("index"), &IndexOptions::default()).unwrap();
    catch_up(&index, TOTAL, Some(&dir.join("progress")));
    // Keep adding uncommitted work until the parent kills us.
    loop {
        index.apply((TOTAL + 1..TOTAL + 50).map(change)).unwrap();
    }
}

fn all_ids(index: &SearchIndex, word: &str) -> Vec<Uuid> {
    let query = SearchQuery {
        clauses: vec![Filter {
            negated: false,
            kind: FilterKind::Text(TextMatch::Term(word.into())),
        }],
    };
    let mut options = SearchOptions::posts(Scope::All);
    options.sort = SortOrder::Newest;
    options.limit = 1000;
    options.snippets = false;
    let mut ids = Vec::new();
    loop {
        let page = index.search(&query, &options).unwrap();
        ids.extend(page.hits.iter().map(|h| h.id));
        if page.hits.len() < options.limit {
            assert_eq!(page.total, ids.len());
            return ids;
        }
        options.offset += options.limit;
    }
}

#[test]
fn killed_writer_recovers_from_cursor() {
    let dir = tempfile::tempdir().unwrap();
    let progress = dir.path().join("progress");
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["crash_child_process", "--exact", "--nocapture"])
        .env(CHILD_ENV, dir.path())
        .spawn()
        .unwrap();
    // Kill mid-way through the log, while a batch is being applied.
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let done: u64 = std::fs::read_to_string(&progress)
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        if done >= TOTAL / 3 {
            break;
        }
        assert!(Instant::now() < deadline, "child made no progress");
        assert!(child.try_wait().unwrap().is_none(), "child exited early");
        std::thread::sleep(Duration::from_millis(5));
    }
    std::thread::sleep(Duration::from_millis(7));
    child.kill().unwrap(); // SIGKILL on Unix
    child.wait().unwrap();

    let index =
        SearchIndex::open_or_create(dir.path().join("index"), &IndexOptions::default()).unwrap();
    let cursor = index.cursor().expect("at least one commit happened");
    assert!((TOTAL / 3..TOTAL).contains(&cursor), "cursor {cursor}");
    // Exactly the committed prefix is there.
    let mut ids = all_ids(&index, "crashtest");
    ids.sort();
    let mut want: Vec<Uuid> = expected(cursor).into_keys().collect();
    want.sort();
    assert_eq!(ids, want);

    catch_up(&index, TOTAL, None);
    let state = expected(TOTAL);
    let mut ids = all_ids(&index, "crashtest");
    let unique: std::collections::HashSet<Uuid> = ids.iter().copied().collect();
    assert_eq!(unique.len(), ids.len(), "duplicates after replay");
    ids.sort();
    let mut want: Vec<Uuid> = state.keys().copied().collect();
    want.sort();
    assert_eq!(ids, want, "missing or extra posts after catch-up");
    let mut edited = all_ids(&index, "edit");
    edited.sort();
    let mut want_edited: Vec<Uuid> = state
        .iter()
        .filter(|(_, e)| **e)
        .map(|(id, _)| *id)
        .collect();
    want_edited.sort();
    assert_eq!(edited, want_edited, "edits applied exactly");
    assert_eq!(index.stats().unwrap().posts as usize, state.len());
}
