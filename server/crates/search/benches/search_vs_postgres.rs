//! Hearth search (tantivy) versus PostgreSQL full-text search on the same
//! generated corpus and the same queries.
//!
//! Environment:
//! * `BENCH_MESSAGES` (default 1,000,000), `BENCH_QUERIES` per class (200)
//! * `BENCH_PG` connection string (`host=127.0.0.1 user=postgres`);
//!   `BENCH_SKIP_PG=1` runs tantivy only.
//!
//! Corpus: messages of 3–24 words drawn from a 50,000-word Zipf vocabulary
//! (s = 1.07), 1,000 channels, 5,000 users, timestamps spread over a year.
//! Single-term queries are drawn from the same distribution minus the 50
//! most frequent words (people rarely search for the commonest words);
//! 2- and 3-term queries are the rarest distinct words of a random message
//! (what a user remembers of the message they look for); every
//! query is restricted to 200 random channels and returns 20 hits. The
//! PostgreSQL side mirrors a default Mattermost setup: a stored generated
//! `tsvector` column with a GIN index, `channel_id = ANY($1)`, ordered by
//! `ts_rank` or date. This is a measurement, not a test: it asserts nothing.

#![expect(
    clippy::expect_used,
    reason = "a benchmark's set-up stops it at the first failure"
)]

use std::fmt::Write as _;
use std::io::Write as _;
use std::time::{Duration, Instant};

use hearth_search::query::{Resolver, parse_and_resolve};
use hearth_search::{Change, IndexOptions, PostDoc, Scope, SearchIndex, SearchOptions, SortOrder};
use rand::rngs::StdRng;
use rand::seq::index::sample;
use rand::{Rng, SeedableRng};
use uuid::Uuid;

const VOCABULARY: usize = 50_000;
const ZIPF_S: f64 = 1.07;
const CHANNELS: usize = 1_000;
const USERS: usize = 5_000;
const MEMBERSHIP: usize = 200;
const SKIP_TOP_WORDS: usize = 50;
const START_MS: i64 = 1_735_689_600_000; // 2025-01-01T00:00Z
const YEAR_MS: i64 = 365 * 86_400_000;
const DB: &str = "hearth_search_bench";

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(default)
}

/// Distinct pronounceable words, index = frequency rank.
fn vocabulary() -> Vec<String> {
    const ONSETS: &[&str] = &[
        "b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "br", "st", "tr",
        "pl",
    ];
    const VOWELS: &[&str] = &["a", "e", "i", "o", "u", "ai", "ou"];
    let syllables: Vec<String> = ONSETS
        .iter()
        .flat_map(|o| VOWELS.iter().map(move |v| format!("{o}{v}")))
        .collect();
    let mut words = Vec::with_capacity(VOCABULARY);
    let mut seen = std::collections::HashSet::new();
    let mut rng = StdRng::seed_from_u64(1);
    while words.len() < VOCABULARY {
        let n = rng.random_range(1..=4);
        let mut w: String = (0..n)
            .map(|_| syllables[rng.random_range(0..syllables.len())].as_str())
            .collect();
        if rng.random_bool(0.3) {
            w.push(['n', 'k', 'r', 'x'][rng.random_range(0..4)]);
        }
        if w.len() >= 3 && seen.insert(w.clone()) {
            words.push(w);
        }
    }
    words
}

/// Samples ranks from a Zipf distribution through its cumulative table.
struct Zipf {
    cdf: Vec<f64>,
}

impl Zipf {
    fn new(n: usize, s: f64) -> Zipf {
        let mut acc = 0.0;
        let mut cdf: Vec<f64> = (1..=n)
            .map(|k| {
                acc += 1.0 / (k as f64).powf(s);
                acc
            })
            .collect();
        for c in &mut cdf {
            *c /= acc;
        }
        Zipf { cdf }
    }
    fn sample(&self, rng: &mut StdRng) -> usize {
        let u: f64 = rng.random();
        self.cdf.partition_point(|c| *c < u).min(self.cdf.len() - 1)
    }
}

struct Corpus {
    words: Vec<String>,
    rank: std::collections::HashMap<String, usize>,
    channels: Vec<Uuid>,
    posts: Vec<PostDoc>,
}

fn generate(n: usize) -> Corpus {
    let words = vocabulary();
    let zipf = Zipf::new(VOCABULARY, ZIPF_S);
    let mut rng = StdRng::seed_from_u64(42);
    let channels: Vec<Uuid> = (0..CHANNELS)
        .map(|_| Uuid::from_u128(rng.random()))
        .collect();
    let users: Vec<Uuid> = (0..USERS).map(|_| Uuid::from_u128(rng.random())).collect();
    let mut posts = Vec::with_capacity(n);
    for i in 0..n {
        let len = rng.random_range(3..=24);
        let mut message = String::with_capacity(len * 8);
        for k in 0..len {
            if k > 0 {
                message.push(' ');
            }
            message.push_str(&words[zipf.sample(&mut rng)]);
        }
        posts.push(PostDoc {
            id: Uuid::from_u128(((i as u128) << 64) | rng.random::<u64>() as u128),
            channel_id: channels[rng.random_range(0..CHANNELS)],
            team_id: None,
            user_id: users[rng.random_range(0..USERS)],
            root_id: None,
            message,
            root_message: None,
            created_at: START_MS + rng.random_range(0..YEAR_MS),
            file_names: Vec::new(),
            file_text: Vec::new(),
            has_replies: false,
        });
    }
    let rank = words
        .iter()
        .enumerate()
        .map(|(i, w)| (w.clone(), i))
        .collect();
    Corpus {
        words,
        rank,
        channels,
        posts,
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Class {
    OneTerm,
    TwoTerms,
    ThreeTerms,
    TwoTermsNewest,
    Phrase,
    DateRange,
}

impl Class {
    const ALL: [Class; 6] = [
        Class::OneTerm,
        Class::TwoTerms,
        Class::ThreeTerms,
        Class::TwoTermsNewest,
        Class::Phrase,
        Class::DateRange,
    ];
    fn label(self) -> &'static str {
        match self {
            Class::OneTerm => "1 term, by relevance",
            Class::TwoTerms => "2 terms, by relevance",
            Class::ThreeTerms => "3 terms, by relevance",
            Class::TwoTermsNewest => "2 terms, newest first",
            Class::Phrase => "2-word phrase, by relevance",
            Class::DateRange => "1 term + 30-day range, newest",
        }
    }
}

struct BenchQuery {
    words: Vec<String>,
    channels: Vec<Uuid>,
    /// Day range for date queries: `after:` day and `before:` day.
    days: Option<(String, String, i64, i64)>,
}

fn day_string(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .map(|t| t.strftime("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

/// Distinct words of one random message, rarest first: what a user
/// remembers of a message they are looking for.
fn remembered_words(corpus: &Corpus, k: usize, rng: &mut StdRng) -> Vec<String> {
    loop {
        let post = &corpus.posts[rng.random_range(0..corpus.posts.len())];
        let mut ws: Vec<&str> = post.message.split(' ').collect();
        ws.sort_unstable();
        ws.dedup();
        if ws.len() >= k {
            let rank = |w: &&str| corpus.rank.get(*w).copied().unwrap_or(0);
            ws.sort_by_key(|w| std::cmp::Reverse(rank(w)));
            let mut chosen: Vec<String> = ws[..k].iter().map(|w| w.to_string()).collect();
            chosen.sort_by_key(|_| rng.random::<u32>());
            return chosen;
        }
    }
}

fn queries(corpus: &Corpus, class: Class, count: usize, rng: &mut StdRng) -> Vec<BenchQuery> {
    let zipf = Zipf::new(VOCABULARY, ZIPF_S);
    let term = |rng: &mut StdRng| loop {
        let r = zipf.sample(rng);
        if r >= SKIP_TOP_WORDS {
            return corpus.words[r].clone();
        }
    };
    (0..count)
        .map(|_| {
            let channels: Vec<Uuid> = sample(rng, CHANNELS, MEMBERSHIP)
                .into_iter()
                .map(|i| corpus.channels[i])
                .collect();
            let (words, days) = match class {
                Class::OneTerm => (vec![term(rng)], None),
                Class::TwoTerms | Class::TwoTermsNewest => (remembered_words(corpus, 2, rng), None),
                Class::ThreeTerms => (remembered_words(corpus, 3, rng), None),
                Class::Phrase => {
                    let post = &corpus.posts[rng.random_range(0..corpus.posts.len())];
                    let ws: Vec<&str> = post.message.split(' ').collect();
                    let i = rng.random_range(0..ws.len() - 1);
                    (vec![ws[i].to_owned(), ws[i + 1].to_owned()], None)
                }
                Class::DateRange => {
                    let day0 = START_MS + rng.random_range(0..335) * 86_400_000;
                    // after:D excludes D, before:E excludes E: 30 whole days.
                    let (after, before) = (day0 - 86_400_000, day0 + 30 * 86_400_000);
                    (
                        vec![term(rng)],
                        Some((day_string(after), day_string(before), day0, before)),
                    )
                }
            };
            BenchQuery {
                words,
                channels,
                days,
            }
        })
        .collect()
}

struct NoNames;
impl Resolver for NoNames {
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

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

#[derive(Default, Clone, Copy)]
struct Latency {
    p50: Duration,
    p99: Duration,
    mean_hits: f64,
}

fn measure(mut run: impl FnMut(&BenchQuery) -> usize, qs: &[BenchQuery]) -> Latency {
    for q in qs.iter().take(20) {
        run(q); // warm caches
    }
    let mut times = Vec::with_capacity(qs.len());
    let mut hits = 0;
    for q in qs {
        let t = Instant::now();
        hits += run(q);
        times.push(t.elapsed());
    }
    times.sort();
    Latency {
        p50: percentile(&times, 0.5),
        p99: percentile(&times, 0.99),
        mean_hits: hits as f64 / qs.len() as f64,
    }
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

fn tantivy_query(class: Class, q: &BenchQuery) -> (hearth_search::query::SearchQuery, SortOrder) {
    let text = match (class, &q.days) {
        (Class::Phrase, _) => format!("\"{}\"", q.words.join(" ")),
        (Class::DateRange, Some((after, before, _, _))) => {
            format!("{} after:{after} before:{before}", q.words[0])
        }
        _ => q.words.join(" "),
    };
    let sort = if matches!(class, Class::TwoTermsNewest | Class::DateRange) {
        SortOrder::Newest
    } else {
        SortOrder::Relevance
    };
    (
        parse_and_resolve(&text, &NoNames, "UTC").expect("bench query parses"),
        sort,
    )
}

fn pg_sql(class: Class) -> &'static str {
    match class {
        Class::OneTerm => {
            "SELECT id FROM posts, plainto_tsquery('english', $1) q WHERE tsv @@ q AND channel_id = ANY($2) ORDER BY ts_rank(tsv, q) DESC LIMIT 20"
        }
        Class::TwoTerms | Class::ThreeTerms => {
            "SELECT id FROM posts, websearch_to_tsquery('english', $1) q WHERE tsv @@ q AND channel_id = ANY($2) ORDER BY ts_rank(tsv, q) DESC LIMIT 20"
        }
        Class::TwoTermsNewest => {
            "SELECT id FROM posts, websearch_to_tsquery('english', $1) q WHERE tsv @@ q AND channel_id = ANY($2) ORDER BY created_at DESC LIMIT 20"
        }
        Class::Phrase => {
            "SELECT id FROM posts, phraseto_tsquery('english', $1) q WHERE tsv @@ q AND channel_id = ANY($2) ORDER BY ts_rank(tsv, q) DESC LIMIT 20"
        }
        Class::DateRange => {
            "SELECT id FROM posts, plainto_tsquery('english', $1) q WHERE tsv @@ q AND channel_id = ANY($2) AND created_at >= $3 AND created_at < $4 ORDER BY created_at DESC LIMIT 20"
        }
    }
}

struct PgResult {
    load: Duration,
    index_build: Duration,
    table_bytes: i64,
    gin_bytes: i64,
    latency: Vec<Latency>,
}

fn copy_escape(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            _ => out.push(c),
        }
    }
}

fn run_postgres(
    conn: &str,
    corpus: &Corpus,
    sets: &[(Class, Vec<BenchQuery>)],
) -> Result<PgResult, postgres::Error> {
    let mut admin = postgres::Client::connect(conn, postgres::NoTls)?;
    admin.batch_execute(&format!("DROP DATABASE IF EXISTS {DB}"))?;
    admin.batch_execute(&format!("CREATE DATABASE {DB}"))?;
    let mut client = postgres::Client::connect(&format!("{conn} dbname={DB}"), postgres::NoTls)?;
    client.batch_execute(
        "SET maintenance_work_mem = '1GB';
         CREATE TABLE posts (
           id uuid PRIMARY KEY,
           channel_id uuid NOT NULL,
           user_id uuid NOT NULL,
           created_at bigint NOT NULL,
           message text NOT NULL,
           tsv tsvector GENERATED ALWAYS AS (to_tsvector('english', message)) STORED
         );",
    )?;
    let t = Instant::now();
    {
        let mut writer = client
            .copy_in("COPY posts (id, channel_id, user_id, created_at, message) FROM STDIN")?;
        let mut buf = String::with_capacity(1 << 20);
        for p in &corpus.posts {
            let _ = write!(
                buf,
                "{}\t{}\t{}\t{}\t",
                p.id, p.channel_id, p.user_id, p.created_at
            );
            copy_escape(&mut buf, &p.message);
            buf.push('\n');
            if buf.len() > (1 << 20) - 4096 {
                writer.write_all(buf.as_bytes()).expect("copy write");
                buf.clear();
            }
        }
        writer.write_all(buf.as_bytes()).expect("copy write");
        writer.finish()?;
    }
    let load = t.elapsed();
    let t = Instant::now();
    client.batch_execute(
        "CREATE INDEX posts_tsv ON posts USING gin (tsv);
         CREATE INDEX posts_channel_created ON posts (channel_id, created_at);
         CREATE INDEX posts_created ON posts (created_at);",
    )?;
    client.batch_execute("VACUUM ANALYZE posts")?;
    let index_build = t.elapsed();
    let table_bytes: i64 = client
        .query_one("SELECT pg_total_relation_size('posts')", &[])?
        .get(0);
    let gin_bytes: i64 = client
        .query_one("SELECT pg_relation_size('posts_tsv')", &[])?
        .get(0);
    let mut latency = Vec::new();
    for (class, qs) in sets {
        let stmt = client.prepare(pg_sql(*class))?;
        let l = measure(
            |q| {
                let text = q.words.join(" ");
                let rows = match &q.days {
                    Some((_, _, from, to)) => client.query(&stmt, &[&text, &q.channels, from, to]),
                    None => client.query(&stmt, &[&text, &q.channels]),
                };
                rows.expect("postgres query").len()
            },
            qs,
        );
        latency.push(l);
        eprintln!("  postgres: {} done", class.label());
    }
    drop(client);
    admin.batch_execute(&format!("DROP DATABASE IF EXISTS {DB}"))?;
    Ok(PgResult {
        load,
        index_build,
        table_bytes,
        gin_bytes,
        latency,
    })
}

fn main() {
    // `cargo bench` passes `--bench`; nothing else is accepted.
    let n = env_usize("BENCH_MESSAGES", 1_000_000);
    let per_class = env_usize("BENCH_QUERIES", 200);
    let pg_conn =
        std::env::var("BENCH_PG").unwrap_or_else(|_| "host=127.0.0.1 user=postgres".into());
    let skip_pg = std::env::var("BENCH_SKIP_PG").is_ok_and(|v| v == "1");

    eprintln!("generating {n} messages…");
    let t = Instant::now();
    let corpus = generate(n);
    let words: usize = corpus
        .posts
        .iter()
        .map(|p| p.message.split(' ').count())
        .sum();
    eprintln!(
        "  {:.1}s, {:.1} words/message",
        t.elapsed().as_secs_f64(),
        words as f64 / n as f64
    );

    let mut rng = StdRng::seed_from_u64(7);
    let sets: Vec<(Class, Vec<BenchQuery>)> = Class::ALL
        .iter()
        .map(|c| (*c, queries(&corpus, *c, per_class, &mut rng)))
        .collect();

    // --- tantivy ---
    let dir = tempfile::tempdir().expect("temp dir");
    let index = SearchIndex::open_or_create(dir.path().join("index"), &IndexOptions::bulk())
        .expect("open index");
    eprintln!("tantivy: indexing…");
    let t = Instant::now();
    for chunk in corpus.posts.chunks(10_000) {
        index
            .apply(chunk.iter().cloned().map(Change::UpsertPost))
            .expect("apply");
    }
    index.commit(n as u64).expect("commit");
    let tantivy_index_time = t.elapsed();
    // Steady-state freshness: small batches committed on the full index.
    let mut commit_times = Vec::new();
    for round in 0..20u64 {
        let batch: Vec<Change> = corpus.posts[..50]
            .iter()
            .map(|p| {
                Change::UpsertPost(PostDoc {
                    id: Uuid::from_u128(u128::MAX - (round * 50) as u128 - p.id.as_u128() % 50),
                    ..p.clone()
                })
            })
            .collect();
        let t = Instant::now();
        index.apply(batch).expect("apply");
        index.commit(n as u64 + round + 1).expect("commit");
        commit_times.push(t.elapsed());
    }
    commit_times.sort();
    let stats = index.stats().expect("stats");
    let mut tantivy_latency = Vec::new();
    for (class, qs) in &sets {
        let l = measure(
            |q| {
                let (query, sort) = tantivy_query(*class, q);
                let mut options = SearchOptions::posts(Scope::Channels(q.channels.clone()));
                options.sort = sort;
                options.snippets = false;
                index.search(&query, &options).expect("search").hits.len()
            },
            qs,
        );
        tantivy_latency.push(l);
    }
    // Query parsing and resolution alone, included in the figures above.
    let parse_latency = measure(
        |q| {
            let (query, _) = tantivy_query(Class::TwoTerms, q);
            query.clauses.len()
        },
        &sets[1].1,
    );
    // With highlighted snippets, as the search UI requests.
    let snippet_latency = measure(
        |q| {
            let (query, sort) = tantivy_query(Class::TwoTerms, q);
            let mut options = SearchOptions::posts(Scope::Channels(q.channels.clone()));
            options.sort = sort;
            index.search(&query, &options).expect("search").hits.len()
        },
        &sets[1].1,
    );

    let pg = if skip_pg {
        None
    } else {
        eprintln!("postgres: loading…");
        match run_postgres(&pg_conn, &corpus, &sets) {
            Ok(r) => Some(r),
            Err(e) => {
                eprintln!("postgres part skipped: {e:?}");
                None
            }
        }
    };

    // --- report ---
    let rate = |d: Duration| n as f64 / d.as_secs_f64();
    println!();
    println!(
        "Hearth search benchmark: {n} messages ({:.1} words each, {VOCABULARY}-word Zipf s={ZIPF_S}), {CHANNELS} channels, {USERS} users, 1 year",
        words as f64 / n as f64
    );
    println!(
        "Queries: {per_class} per class, each filtered to {MEMBERSHIP} random channels, top 20; machine: {} cores",
        std::thread::available_parallelism().map_or(1, |p| p.get())
    );
    println!();
    println!(
        "{:<34} {:>22} {:>22} {:>10}",
        "indexing", "tantivy", "postgresql", "ratio"
    );
    let pg_total = pg.as_ref().map(|p| p.load + p.index_build);
    println!(
        "{:<34} {:>22} {:>22} {:>10}",
        "throughput (messages/s)",
        format!("{:.0}", rate(tantivy_index_time)),
        pg_total.map_or("-".into(), |d| format!("{:.0}", rate(d))),
        pg_total.map_or("-".into(), |d| format!(
            "{:.1}x",
            rate(tantivy_index_time) / rate(d)
        )),
    );
    println!(
        "{:<34} {:>22} {:>22}",
        "  wall time",
        format!("{:.1} s", tantivy_index_time.as_secs_f64()),
        pg.as_ref().map_or("-".into(), |p| format!(
            "{:.1} s (COPY {:.1} + index {:.1})",
            (p.load + p.index_build).as_secs_f64(),
            p.load.as_secs_f64(),
            p.index_build.as_secs_f64()
        )),
    );
    println!(
        "{:<34} {:>22} {:>22} {:>10}",
        "size per message (bytes)",
        format!("{:.0}", stats.size_bytes as f64 / n as f64),
        pg.as_ref().map_or("-".into(), |p| format!(
            "{:.0} (GIN {:.0})",
            p.table_bytes as f64 / n as f64,
            p.gin_bytes as f64 / n as f64
        )),
        pg.as_ref().map_or("-".into(), |p| format!(
            "{:.2}x",
            stats.size_bytes as f64 / p.table_bytes as f64
        )),
    );
    println!(
        "{:<34} {:>22}",
        "commit of 50 new msgs p50/p99",
        format!(
            "{} / {}",
            ms(percentile(&commit_times, 0.5)),
            ms(percentile(&commit_times, 0.99))
        ),
    );
    println!("{:<34} {:>22}", "segments after bulk load", stats.segments);
    println!();
    println!(
        "{:<34} {:>22} {:>22} {:>10} {:>13}",
        "query latency p50 / p99", "tantivy", "postgresql", "p50 ratio", "mean hits t/pg"
    );
    for (i, (class, _)) in sets.iter().enumerate() {
        let t = tantivy_latency[i];
        let p = pg.as_ref().map(|p| p.latency[i]);
        println!(
            "{:<34} {:>22} {:>22} {:>10} {:>13}",
            class.label(),
            format!("{} / {}", ms(t.p50), ms(t.p99)),
            p.map_or("-".into(), |p| format!("{} / {}", ms(p.p50), ms(p.p99))),
            p.map_or("-".into(), |p| format!(
                "{:.1}x",
                p.p50.as_secs_f64() / t.p50.as_secs_f64().max(1e-9)
            )),
            p.map_or(format!("{:.1}", t.mean_hits), |p| format!(
                "{:.1}/{:.1}",
                t.mean_hits, p.mean_hits
            )),
        );
    }
    println!(
        "{:<34} {:>22}",
        "  of which parse + resolve",
        format!("{} / {}", ms(parse_latency.p50), ms(parse_latency.p99)),
    );
    println!(
        "{:<34} {:>22}",
        "2 terms + snippets (tantivy)",
        format!("{} / {}", ms(snippet_latency.p50), ms(snippet_latency.p99)),
    );
    println!();
    println!(
        "ratio = PostgreSQL time / tantivy time (higher is better for tantivy); size ratio = tantivy / PostgreSQL table+indexes"
    );
}
