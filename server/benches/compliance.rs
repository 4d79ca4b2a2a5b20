//! Compliance at scale, in two parts, on the embedded default (SQLite):
//!
//! 1. **Export**: a server holding `BENCH_MESSAGES` posts (default
//!    1,000,000; 2 % edited, 1 % deleted) exports everything to Actiance XML,
//!    GlobalRelay EML and CSV. Prints the time, archive size and the peak
//!    resident memory of the whole server process during each export
//!    (`VmHWM`, reset before each one).
//! 2. **Purge under load**: a second server, `hearth-load` posting at a fixed
//!    rate against it for a baseline run, then `BENCH_MESSAGES` expired posts
//!    are purged while a second `hearth-load` run of the same shape is going.
//!    Prints the HTTP post and delivery latencies of both runs and the purge
//!    rate. Needs the load tool built first
//!    (`cargo build --release -p hearth-load`; or set `HEARTH_LOAD`); without
//!    it this part is skipped with a message.
//!
//! Posts are written straight into the database (the API stamps "now" and
//! retention needs old content). Search indexing is off for the export part
//! so that its memory is the exporter's alone.
//!
//! Run: `cargo bench -p hearth-server --bench compliance` (`BENCH_PARTS=export`
//! or `purge` for one part).

#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a benchmark's set-up stops it at the first failure"
)]

use std::io::Write as _;
use std::sync::Arc;
use std::time::{Duration, Instant};

use diesel::RunQueryDsl;
use hearth_api::{
    ChannelKind, CreateChannelRequest, CreateTeamRequest, ExportFormat, ExportRequest, JobStatus,
    RetentionPolicy, RetentionScope, SignupRequest,
};
use hearth_client::Client;
use hearth_server::{Config, RunningServer};
use hearth_store::Store;
use hearth_store::kinds::PostChange;
use hearth_store::models::{PostHistoryRow, PostRow};
use hearth_testkit::sign_up_admin;

const DAY: i64 = 86_400_000;
const CHANNELS: usize = 20;
const USERS: usize = 50;

fn env_num(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(default)
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

fn rss_peak_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

/// Resets `VmHWM` to the current resident size (Linux ≥ 4.0).
fn reset_rss_peak() {
    if let Ok(mut f) = std::fs::OpenOptions::new()
        .write(true)
        .open("/proc/self/clear_refs")
    {
        let _ = f.write_all(b"5");
    }
}

async fn boot(dir: &std::path::Path, search: bool) -> (RunningServer, Client) {
    let mut cfg = Config::default();
    cfg.server.listen = "127.0.0.1:0".into();
    cfg.server.data_dir = dir.to_path_buf();
    cfg.search.enabled = search;
    cfg.limits.logins_per_minute = 100_000;
    cfg.limits.posts_per_second = 100_000;
    cfg.compliance.purge_enabled = false;
    let server = hearth_server::start(cfg, 2).await.expect("server starts");
    let mut admin = Client::new(server.url());
    sign_up_admin(&mut admin, server.setup_token.clone()).await;
    (server, admin)
}

/// Users and channels to spread the posts over.
async fn world(server: &RunningServer, admin: &Client) -> (Vec<String>, Vec<String>) {
    let team = admin
        .create_team(&CreateTeamRequest {
            name: "bench".into(),
            display_name: "Bench".into(),
            open: true,
            ..Default::default()
        })
        .await
        .unwrap();
    let anon = Client::new(server.url());
    let mut users = Vec::new();
    for i in 0..USERS {
        let u = anon
            .signup(&SignupRequest {
                username: format!("user{i}"),
                email: format!("user{i}@example.com"),
                password: "user-password".into(),
                ..Default::default()
            })
            .await
            .unwrap();
        admin.add_team_member(team.id, u.id).await.unwrap();
        users.push(u.id.to_string());
    }
    let mut channels = Vec::new();
    for c in 0..CHANNELS {
        let ch = admin
            .create_channel(&CreateChannelRequest {
                team_id: team.id,
                kind: ChannelKind::Public,
                name: format!("bench-{c}"),
                display_name: format!("Bench {c}"),
                purpose: None,
                header: None,
            })
            .await
            .unwrap();
        channels.push(ch.id.to_string());
    }
    (users, channels)
}

/// Writes `n` posts created from `start` on, one every `step` ms; every 50th
/// edited once, every 100th deleted. Returns the rows written per second.
fn seed(
    store: &Arc<Store>,
    users: &[String],
    channels: &[String],
    n: usize,
    start: i64,
    step: i64,
) -> f64 {
    let t0 = Instant::now();
    let chunk = 500;
    let mut i = 0;
    while i < n {
        let end = (i + 20_000).min(n);
        store
            .write(|tx| {
                let mut k = i;
                while k < end {
                    let upto = (k + chunk).min(end);
                    let mut posts = Vec::with_capacity(upto - k);
                    let mut history = Vec::new();
                    for j in k..upto {
                        let at = start + j as i64 * step;
                        let id = uuid::Uuid::now_v7().to_string();
                        let edited = j % 50 == 7;
                        let deleted = j % 100 == 3;
                        if edited {
                            history.push(PostHistoryRow {
                                id: uuid::Uuid::now_v7().to_string(),
                                post_id: id.clone(),
                                message: format!("first draft of message {j}"),
                                file_ids: "[]".into(),
                                replaced_at: at + 60_000,
                                replaced_by: users[j % users.len()].clone(),
                                change: PostChange::Edit,
                            });
                        }
                        if deleted {
                            history.push(PostHistoryRow {
                                id: uuid::Uuid::now_v7().to_string(),
                                post_id: id.clone(),
                                message: format!("message {j} about the quarterly numbers"),
                                file_ids: "[]".into(),
                                replaced_at: at + 120_000,
                                replaced_by: users[j % users.len()].clone(),
                                change: PostChange::Delete,
                            });
                        }
                        posts.push(PostRow {
                            id,
                            channel_id: channels[j % channels.len()].clone(),
                            user_id: users[j % users.len()].clone(),
                            root_id: None,
                            message: format!("message {j} about the quarterly numbers"),
                            file_ids: "[]".into(),
                            mentions: "[]".into(),
                            mentions_channel: false,
                            channel_links: "[]".into(),
                            is_pinned: false,
                            created_at: at,
                            updated_at: at,
                            edited_at: edited.then_some(at + 60_000),
                            deleted_at: deleted.then_some(at + 120_000),
                            reply_count: 0,
                            last_reply_at: None,
                            idempotency_key: None,
                        });
                    }
                    insert_rows(tx.conn, &posts, &history)?;
                    k = upto;
                }
                Ok(())
            })
            .expect("seed posts");
        i = end;
    }
    n as f64 / t0.elapsed().as_secs_f64()
}

/// Multi-row inserts on the concrete connection (the multi-backend
/// connection only knows single-row inserts).
fn insert_rows(
    conn: &mut hearth_store::DbConn,
    posts: &[PostRow],
    history: &[PostHistoryRow],
) -> hearth_core::Result<()> {
    use hearth_store::schema::{post_history, posts as posts_t};
    let fail = |e: diesel::result::Error| hearth_core::Error::internal(e);
    match conn {
        hearth_store::DbConn::Sqlite(c) => {
            diesel::insert_into(posts_t::table)
                .values(posts)
                .execute(c)
                .map_err(fail)?;
            if !history.is_empty() {
                diesel::insert_into(post_history::table)
                    .values(history)
                    .execute(c)
                    .map_err(fail)?;
            }
        }
        hearth_store::DbConn::Pg(c) => {
            diesel::insert_into(posts_t::table)
                .values(posts)
                .execute(c)
                .map_err(fail)?;
            if !history.is_empty() {
                diesel::insert_into(post_history::table)
                    .values(history)
                    .execute(c)
                    .map_err(fail)?;
            }
        }
    }
    Ok(())
}

async fn wait(admin: &Client, id: uuid::Uuid) -> hearth_api::ComplianceJob {
    loop {
        let j = admin.compliance_job(id).await.expect("job");
        if j.status.is_final() {
            return j;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

async fn export_part(n: usize) {
    let dir = tempfile::tempdir().unwrap();
    let (server, admin) = boot(dir.path(), false).await;
    let (users, channels) = world(&server, &admin).await;
    let store = server.ctx.store.clone();
    let start = now() - 30 * DAY;
    let rate = tokio::task::spawn_blocking(move || seed(&store, &users, &channels, n, start, 1))
        .await
        .unwrap();
    println!("seeded {n} posts at {rate:.0} posts/s\n");
    println!("| format | records | time | records/s | archive | peak RSS (server process) |");
    println!("|---|---|---|---|---|---|");
    for format in [
        ExportFormat::Actiance,
        ExportFormat::GlobalRelay,
        ExportFormat::Csv,
    ] {
        reset_rss_peak();
        let before = rss_peak_kib();
        let t0 = Instant::now();
        let job = admin
            .start_export(&ExportRequest {
                format,
                from: None,
                until: None,
                channels: None,
                users: None,
                hold_id: None,
                profile: Default::default(),
            })
            .await
            .unwrap();
        let job = wait(&admin, job.id).await;
        let secs = t0.elapsed().as_secs_f64();
        assert_eq!(job.status, JobStatus::Succeeded, "{:?}", job.error);
        let records = job
            .result
            .as_ref()
            .and_then(|r| r["counts"]["records_exported"].as_u64())
            .unwrap_or(0);
        println!(
            "| {} | {records} | {secs:.1} s | {:.0} | {:.1} MiB | {:.1} MiB (at start {:.1} MiB) |",
            format.as_str(),
            records as f64 / secs,
            job.file_size.unwrap_or(0) as f64 / 1048576.0,
            rss_peak_kib() as f64 / 1024.0,
            before as f64 / 1024.0,
        );
    }
    server.stop().await;
}

fn load_tool() -> Option<std::path::PathBuf> {
    if let Ok(p) = std::env::var("HEARTH_LOAD") {
        return Some(p.into());
    }
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/release/hearth-load");
    p.exists().then_some(p)
}

/// (p50, p99, max) in ms of one latency summary of a `hearth-load --json` report.
fn summary(report: &serde_json::Value, which: &str) -> (f64, f64, f64) {
    let s = match which {
        "http" => &report["posts"]["http"],
        _ => &report["deliveries"]["latency"],
    };
    let f = |k: &str| s[k].as_f64().unwrap_or(f64::NAN);
    (f("p50_ms"), f("p99_ms"), f("max_ms"))
}

async fn run_load(
    tool: &std::path::Path,
    url: &str,
    token: Option<&str>,
    seconds: u64,
) -> serde_json::Value {
    let mut cmd = tokio::process::Command::new(tool);
    cmd.args([
        "--url",
        url,
        "--users",
        "200",
        "--channels",
        "20",
        "--members-per-channel",
        "50",
        "--rate",
        "100",
        "--warmup",
        "3",
        "--settle",
        "2",
        "--drain",
        "3",
        "--json",
        "--quiet",
        "--admin-password",
        "admin-password",
    ])
    .arg("--duration")
    .arg(seconds.to_string());
    if let Some(t) = token {
        cmd.args(["--setup-token", t]);
    }
    let out = cmd.output().await.expect("hearth-load runs");
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "hearth-load report: {e}\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

async fn purge_part(n: usize) {
    let Some(tool) = load_tool() else {
        println!(
            "\npurge under load: skipped, build the load tool first: cargo build --release -p hearth-load"
        );
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = Config::default();
    cfg.server.listen = "127.0.0.1:0".into();
    cfg.server.data_dir = dir.path().to_path_buf();
    cfg.limits.logins_per_minute = 100_000;
    cfg.limits.posts_per_second = 100_000;
    cfg.compliance.purge_enabled = false;
    let (batch, pause) = (
        cfg.compliance.purge_batch_size,
        cfg.compliance.purge_batch_pause_ms,
    );
    let server = hearth_server::start(cfg, 2).await.expect("server starts");
    let url = server.url();
    let duration = env_num("BENCH_LOAD_SECS", 40) as u64;
    let base = run_load(&tool, &url, server.setup_token.as_deref(), duration).await;
    let mut admin = Client::new(url.clone());
    admin.login("admin", "admin-password").await.unwrap();
    let store = server.ctx.store.clone();
    let (users, channels) = store
        .read(|c| {
            Ok((
                hearth_store::compliance::all_users(c)?,
                hearth_store::compliance::all_channels(c)?,
            ))
        })
        .unwrap();
    let users: Vec<String> = users.into_iter().map(|u| u.id).collect();
    let channels: Vec<String> = channels
        .into_iter()
        .filter(|c| c.team_id.is_some())
        .map(|c| c.id)
        .collect();
    let start = now() - 400 * DAY;
    let rate = tokio::task::spawn_blocking(move || seed(&store, &users, &channels, n, start, 1))
        .await
        .unwrap();
    println!("\nseeded {n} expired posts at {rate:.0} posts/s");
    admin
        .set_retention(&RetentionPolicy {
            scope: RetentionScope::Global,
            scope_id: None,
            messages_days: Some(365),
            files_days: None,
            updated_at: None,
        })
        .await
        .unwrap();
    let t0 = Instant::now();
    let job = admin.retention_run().await.unwrap();
    let load = tokio::spawn({
        let (tool, url) = (tool.clone(), url.clone());
        async move { run_load(&tool, &url, None, duration).await }
    });
    let done = wait(&admin, job.id).await;
    let purge_secs = t0.elapsed().as_secs_f64();
    let during = load.await.unwrap();
    assert_eq!(done.status, JobStatus::Succeeded, "{:?}", done.error);
    let deleted = done
        .result
        .as_ref()
        .and_then(|r| r["posts"].as_u64())
        .unwrap_or(0);
    println!(
        "purge: {deleted} posts in {purge_secs:.1} s ({:.0} posts/s, batches of {} with {} ms pauses)",
        deleted as f64 / purge_secs,
        batch,
        pause
    );
    println!(
        "load during the purge: {duration} s of posting; the purge ran {:.0} % of it\n",
        (purge_secs / (duration as f64 + 8.0) * 100.0).min(100.0)
    );
    println!(
        "| 100 posts/s, 200 users | HTTP post p50 / p99 / max | post→delivery p50 / p99 / max | lost / duplicated |"
    );
    println!("|---|---|---|---|");
    for (name, r) in [("baseline", &base), ("during the purge", &during)] {
        let h = summary(r, "http");
        let d = summary(r, "delivery");
        let lost = &r["deliveries"]["lost"];
        let dup = &r["deliveries"]["duplicates"];
        println!(
            "| {name} | {:.2} / {:.2} / {:.1} ms | {:.2} / {:.2} / {:.1} ms | {lost} / {dup} |",
            h.0, h.1, h.2, d.0, d.1, d.2
        );
    }
    let ratio = summary(&during, "http").1 / summary(&base, "http").1;
    let dratio = summary(&during, "delivery").1 / summary(&base, "delivery").1;
    println!(
        "\np99 during the purge / baseline: HTTP post {ratio:.2}×, post→delivery {dratio:.2}× (goal ≤ 2×)"
    );
    server.stop().await;
}

fn main() {
    let n = env_num("BENCH_MESSAGES", 1_000_000);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    // `BENCH_PARTS=export` or `=purge` runs one part only.
    let parts = std::env::var("BENCH_PARTS").unwrap_or_else(|_| "export,purge".into());
    rt.block_on(async {
        if parts.contains("export") {
            export_part(n).await;
        }
        if parts.contains("purge") {
            purge_part(n).await;
        }
    });
}
