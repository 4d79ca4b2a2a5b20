//! Shared test support: a generated corpus, a name resolver and a
//! brute-force oracle that evaluates queries over plain Rust data.

#![allow(dead_code, reason = "shared by test binaries that each use a part")]

use std::collections::{HashMap, HashSet};

use hearth_search::analysis::{AnalyzedToken, analyze, strip};
use hearth_search::query::{FilterKind, Resolver, SearchQuery, TextMatch};
use hearth_search::{
    Change, DocKind, IndexOptions, PostDoc, Scope, SearchIndex, SearchOptions, SortOrder,
};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use uuid::Uuid;

pub const VOCAB: &[&str] = &[
    "deploy",
    "deploying",
    "deployed",
    "server",
    "database",
    "release",
    "cafe",
    "café",
    "meeting",
    "lunch",
    "bug",
    "fix",
    "fixed",
    "review",
    "merge",
    "branch",
    "test",
    "tests",
    "green",
    "red",
    "alpha",
    "beta",
    "gamma",
    "delta",
    "rocket",
    "coffee",
    "tomorrow",
    "today",
    "ticket",
    "error",
    "timeout",
    "cache",
    "index",
    "search",
    "query",
    "user",
    "channel",
    "thread",
    "reply",
    "ship",
];

pub const CODE: &[&str] = &[
    "`foo_bar`",
    "`std::io::Read`",
    "`HTTP_404`",
    "`ReadTimeout`",
];
pub const TAGS: &[&str] = &["#release-2", "#oncall", "#Design"];

/// Midnight UTC, 2026-01-01.
pub const EPOCH_MS: i64 = 1_767_225_600_000;
pub const DAY_MS: i64 = 86_400_000;

pub struct Corpus {
    pub users: Vec<(String, Uuid)>,
    pub channels: Vec<(String, Uuid)>,
    /// Direct-message channel of the caller with each user, by user name.
    pub dms: HashMap<String, Uuid>,
    pub posts: Vec<PostDoc>,
}

pub fn id(rng: &mut StdRng) -> Uuid {
    Uuid::from_u128(rng.random())
}

impl Corpus {
    pub fn generate(seed: u64, n: usize) -> Corpus {
        let mut rng = StdRng::seed_from_u64(seed);
        let users: Vec<_> = (0..6).map(|i| (format!("user{i}"), id(&mut rng))).collect();
        let mut channels: Vec<_> = (0..8).map(|i| (format!("chan{i}"), id(&mut rng))).collect();
        let mut dms = HashMap::new();
        for (name, _) in users.iter().take(3) {
            let dm = id(&mut rng);
            dms.insert(name.clone(), dm);
            channels.push((format!("dm-{name}"), dm));
        }
        let mut posts: Vec<PostDoc> = Vec::with_capacity(n);
        for i in 0..n {
            let len = rng.random_range(2..10);
            let mut words: Vec<String> = (0..len)
                .map(|_| VOCAB[rng.random_range(0..VOCAB.len())].to_owned())
                .collect();
            if rng.random_bool(0.1) {
                words.insert(
                    rng.random_range(0..words.len()),
                    CODE[rng.random_range(0..CODE.len())].into(),
                );
            }
            if rng.random_bool(0.1) {
                words.push(TAGS[rng.random_range(0..TAGS.len())].into());
            }
            if rng.random_bool(0.08) {
                words.push("see https://example.com/page".into());
            }
            if rng.random_bool(0.03) {
                words.push("[docs](http://docs.example.org)".into());
            }
            if rng.random_bool(0.05) {
                words.push("東京都の会議".into());
            }
            let root = if i > 10 && rng.random_bool(0.2) {
                Some(rng.random_range(0..i))
            } else {
                None
            };
            let channel_id = match root {
                Some(r) => posts[r].channel_id,
                None => channels[rng.random_range(0..channels.len())].1,
            };
            if let Some(r) = root {
                posts[r].has_replies = true;
            }
            let has_file = rng.random_bool(0.1);
            posts.push(PostDoc {
                id: id(&mut rng),
                channel_id,
                team_id: None,
                user_id: users[rng.random_range(0..users.len())].1,
                root_id: root.map(|r| posts[r].id),
                message: words.join(" "),
                root_message: root.map(|r| posts[r].message.clone()),
                // Spread over ~60 days, unique, some near midnight boundaries.
                created_at: EPOCH_MS
                    + (i as i64) * (60 * DAY_MS / n as i64)
                    + rng.random_range(0..1000),
                file_names: if has_file {
                    vec![format!(
                        "{}_report.xlsx",
                        VOCAB[rng.random_range(0..VOCAB.len())]
                    )]
                } else {
                    vec![]
                },
                file_text: if has_file {
                    vec![format!(
                        "quarterly {}",
                        VOCAB[rng.random_range(0..VOCAB.len())]
                    )]
                } else {
                    vec![]
                },
                has_replies: false,
            });
        }
        Corpus {
            users,
            channels,
            dms,
            posts,
        }
    }

    pub fn index_into(&self, index: &SearchIndex) {
        index
            .apply(self.posts.iter().cloned().map(Change::UpsertPost))
            .unwrap();
        index.commit(self.posts.len() as u64).unwrap();
    }

    pub fn channel(&self, name: &str) -> Uuid {
        self.channels.iter().find(|(n, _)| n == name).unwrap().1
    }
}

impl Resolver for Corpus {
    fn user_id(&self, name: &str) -> Option<Uuid> {
        self.users
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, id)| *id)
    }
    fn channel_id(&self, name: &str) -> Option<Uuid> {
        self.channels
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, id)| *id)
    }
    fn direct_channel_id(&self, user_name: &str) -> Option<Uuid> {
        self.dms.get(user_name).copied()
    }
}

pub fn small_index() -> (tempfile::TempDir, SearchIndex) {
    let dir = tempfile::tempdir().unwrap();
    let options = IndexOptions {
        memory_budget_bytes: 32 << 20,
        indexing_threads: 1,
        merge_threads: 1,
    };
    let index = SearchIndex::open_or_create(dir.path().join("index"), &options).unwrap();
    (dir, index)
}

/// All ids matching `query` in `scope`, fetched page by page.
pub fn search_ids(index: &SearchIndex, query: &SearchQuery, scope: &Scope) -> (usize, Vec<Uuid>) {
    let mut options = SearchOptions::posts(scope.clone());
    options.sort = SortOrder::Newest;
    options.limit = 500;
    options.snippets = false;
    let mut ids = Vec::new();
    let mut last = i64::MAX;
    loop {
        let page = index.search(query, &options).unwrap();
        for hit in &page.hits {
            assert!(hit.created_at <= last, "newest-first order violated");
            last = hit.created_at;
            assert_eq!(hit.kind, DocKind::Post);
            ids.push(hit.id);
        }
        if page.hits.len() < options.limit {
            return (page.total, ids);
        }
        options.offset += options.limit;
    }
}

/// A post as the oracle sees it: analyzed fields and plain attributes.
pub struct OraclePost {
    pub post: PostDoc,
    fields: Vec<Vec<AnalyzedToken>>,
    hashtags: Vec<String>,
    has_link: bool,
}

pub struct Oracle {
    pub posts: Vec<OraclePost>,
}

impl Oracle {
    pub fn new(posts: &[PostDoc]) -> Oracle {
        Oracle {
            posts: posts.iter().map(OraclePost::new).collect(),
        }
    }

    pub fn ids(&self, query: &SearchQuery, scope: &Scope) -> HashSet<Uuid> {
        self.posts
            .iter()
            .filter(|p| match scope {
                Scope::All => true,
                Scope::Channels(c) => c.contains(&p.post.channel_id),
            })
            .filter(|p| p.matches(query))
            .map(|p| p.post.id)
            .collect()
    }
}

impl OraclePost {
    fn new(post: &PostDoc) -> OraclePost {
        let stripped = strip(&post.message);
        let mut fields = vec![analyze(&stripped.text)];
        if let Some(root) = &post.root_message {
            fields.push(analyze(&strip(root).text));
        }
        fields.extend(post.file_names.iter().map(|n| analyze(n)));
        fields.extend(post.file_text.iter().map(|t| analyze(t)));
        OraclePost {
            post: post.clone(),
            fields,
            hashtags: stripped.hashtags,
            has_link: stripped.has_link,
        }
    }

    fn text(&self, m: &TextMatch) -> bool {
        self.fields.iter().any(|tokens| match m {
            TextMatch::Term(t) => tokens.iter().any(|k| &k.text == t),
            TextMatch::Prefix(p) => tokens.iter().any(|k| k.text.starts_with(p.as_str())),
            TextMatch::Phrase(terms) => tokens.iter().any(|start| {
                terms.iter().all(|(off, t)| {
                    tokens
                        .iter()
                        .any(|k| k.position == start.position + off && &k.text == t)
                })
            }),
        })
    }

    fn clause(&self, kind: &FilterKind) -> bool {
        let p = &self.post;
        match kind {
            FilterKind::Text(m) => self.text(m),
            FilterKind::Hashtag(h) => self.hashtags.contains(h),
            FilterKind::From(u) => p.user_id == *u,
            FilterKind::In(c) => p.channel_id == *c,
            FilterKind::Created {
                start_ms, end_ms, ..
            } => *start_ms <= p.created_at && p.created_at < *end_ms,
            FilterKind::HasFile => !p.file_names.is_empty(),
            FilterKind::HasLink => self.has_link,
            FilterKind::IsThread => p.root_id.is_some() || p.has_replies,
        }
    }

    /// Text clauses AND, same-operator clauses OR, negations exclude.
    pub fn matches(&self, q: &SearchQuery) -> bool {
        let mut groups: HashMap<_, bool> = HashMap::new();
        for c in &q.clauses {
            let hit = self.clause(&c.kind);
            if c.negated {
                if hit {
                    return false;
                }
            } else if let Some(g) = c.group() {
                *groups.entry(g).or_insert(false) |= hit;
            } else if !hit {
                return false;
            }
        }
        groups.values().all(|v| *v)
    }
}
