//! Property test of the retention purge on a real server: random policies
//! at the three levels, random legal holds (some released) and random post
//! histories with files and deletions. After a purge, exactly the posts and
//! files an independent reading of the rules expires are gone, and nothing a
//! hold covers is touched. Runs on SQLite and on PostgreSQL.

use proptest::prelude::*;
use proptest::test_runner::{Config as PropConfig, TestRunner};

use hearth_api::{
    ChannelKind, CreateChannelRequest, JobStatus, LegalHoldRequest, RetentionPolicy, RetentionScope,
};
use hearth_client::Client;
use hearth_store::models::FileRow;

use crate::compliance::{DAY, insert_post, now, stored, wait_job};
use crate::harness::{Backend, TestServer};

#[derive(Debug, Clone)]
struct PostSpec {
    channel: usize,
    author: usize,
    age_days: i64,
    with_file: bool,
    deleted: bool,
}

#[derive(Debug, Clone)]
struct PolicySpec {
    /// 0 global, 1..=2 team, 3..=5 channel.
    level: usize,
    messages: Option<u32>,
    files: Option<u32>,
}

#[derive(Debug, Clone)]
struct HoldSpec {
    custodians: Vec<usize>,
    channels: Vec<usize>,
    context: bool,
    range: Option<(i64, i64)>,
    released: bool,
}

#[derive(Debug, Clone)]
struct Case {
    posts: Vec<PostSpec>,
    policies: Vec<PolicySpec>,
    holds: Vec<HoldSpec>,
}

const USERS: usize = 3;
const CHANNELS: usize = 3;
/// Channel 0 and 1 are in team 0, channel 2 in team 1.
const TEAM_OF: [usize; CHANNELS] = [0, 0, 1];

fn days() -> impl Strategy<Value = Option<u32>> {
    prop_oneof![Just(None), Just(Some(0)), (1u32..40).prop_map(Some)]
}

fn case() -> impl Strategy<Value = Case> {
    let post = (
        0..CHANNELS,
        0..USERS,
        0i64..60,
        any::<bool>(),
        prop::bool::weighted(0.2),
    )
        .prop_map(|(channel, author, age_days, with_file, deleted)| PostSpec {
            channel,
            author,
            age_days,
            with_file,
            deleted,
        });
    let policy = (0usize..6, days(), days()).prop_map(|(level, messages, files)| PolicySpec {
        level,
        messages,
        files,
    });
    let hold = (
        prop::collection::vec(0..USERS, 0..3),
        prop::collection::vec(0..CHANNELS, 0..2),
        any::<bool>(),
        prop::option::of((0i64..60, 0i64..60)),
        prop::bool::weighted(0.3),
    )
        .prop_map(
            |(custodians, channels, context, range, released)| HoldSpec {
                custodians,
                channels,
                context,
                range: range.map(|(a, b)| (a.max(b), a.min(b))),
                released,
            },
        );
    (
        prop::collection::vec(post, 1..25),
        prop::collection::vec(policy, 0..5),
        prop::collection::vec(hold, 0..3),
    )
        .prop_map(|(posts, policies, holds)| Case {
            posts,
            policies,
            holds,
        })
}

/// The rules, read independently of the server's code.
fn expected(case: &Case, p: &PostSpec) -> (bool, bool) {
    let pick = |f: fn(&PolicySpec) -> Option<u32>| {
        let at = |level: usize| case.policies.iter().rfind(|x| x.level == level).and_then(f);
        at(3 + p.channel)
            .or_else(|| at(1 + TEAM_OF[p.channel]))
            .or_else(|| at(0))
    };
    let expired = |d: Option<u32>| d.is_some_and(|d| d > 0 && p.age_days >= i64::from(d));
    let msg = expired(pick(|x| x.messages));
    let file = msg || expired(pick(|x| x.files));
    let held = case.holds.iter().filter(|h| !h.released).any(|h| {
        let in_range = h
            .range
            .is_none_or(|(old, young)| p.age_days <= old && p.age_days >= young);
        let in_channels = h.channels.is_empty() || h.channels.contains(&p.channel);
        let who = h.custodians.contains(&p.author) || (h.context && !h.channels.is_empty());
        in_range && in_channels && who
    });
    (msg && !held, file && !held)
}

struct World {
    admin: Client,
    users: Vec<uuid::Uuid>,
    teams: Vec<uuid::Uuid>,
}

async fn setup(s: &TestServer) -> World {
    let (admin, _) = s.admin().await;
    let mut users = Vec::new();
    for i in 0..USERS {
        users.push(s.user(&format!("user{i}")).await.1.id);
    }
    let mut teams = Vec::new();
    for t in 0..2 {
        let team = s.team(&admin, &format!("team{t}"), true).await;
        for u in &users {
            admin.add_team_member(team.id, *u).await.unwrap();
        }
        teams.push(team.id);
    }
    World {
        admin,
        users,
        teams,
    }
}

fn insert_file(
    s: &TestServer,
    channel: uuid::Uuid,
    post: uuid::Uuid,
    uploader: uuid::Uuid,
    at: i64,
) -> (uuid::Uuid, String) {
    let ctx = &s.server.as_ref().unwrap().ctx;
    let bytes = format!("attachment of {post}").into_bytes();
    let sha = ctx.files.put(&bytes).unwrap();
    let id = uuid::Uuid::now_v7();
    let row = FileRow {
        id: id.to_string(),
        uploader_id: uploader.to_string(),
        channel_id: channel.to_string(),
        post_id: Some(post.to_string()),
        name: "evidence.txt".into(),
        mime_type: "text/plain".into(),
        size: bytes.len() as i64,
        sha256: sha.clone(),
        width: None,
        height: None,
        has_preview: false,
        created_at: at,
        deleted_at: None,
    };
    ctx.store
        .write(|tx| {
            hearth_store::files::insert(tx.conn, &row)?;
            Ok(())
        })
        .unwrap();
    (id, sha)
}

fn set_deleted(s: &TestServer, post: uuid::Uuid, at: i64) {
    use diesel::prelude::*;
    use hearth_store::schema::posts;
    let ctx = &s.server.as_ref().unwrap().ctx;
    ctx.store
        .write(|tx| {
            diesel::update(posts::table.find(post.to_string()))
                .set(posts::deleted_at.eq(Some(at)))
                .execute(tx.conn)
                .map_err(hearth_core::Error::internal)?;
            Ok(())
        })
        .unwrap();
}

fn file_stored(s: &TestServer, id: uuid::Uuid) -> bool {
    let ctx = &s.server.as_ref().unwrap().ctx;
    ctx.store
        .read(|c| Ok(hearth_store::files::by_id(c, &id.to_string())?))
        .unwrap()
        .is_some()
}

async fn check(s: &TestServer, w: &World, n: usize, case: &Case) -> Result<(), TestCaseError> {
    let admin = &w.admin;
    // Fresh channels per case; policies and holds from earlier cases go.
    let mut channels = Vec::new();
    for (c, team) in TEAM_OF.iter().enumerate() {
        let ch = admin
            .create_channel(&CreateChannelRequest {
                team_id: w.teams[*team],
                kind: ChannelKind::Public,
                name: format!("case{n}-c{c}"),
                display_name: format!("case {n} channel {c}"),
                purpose: None,
                header: None,
            })
            .await
            .unwrap();
        channels.push(ch.id);
    }
    for p in admin.retention_policies().await.unwrap().policies {
        admin.delete_retention(p.scope, p.scope_id).await.unwrap();
    }
    for h in admin.legal_holds(true).await.unwrap() {
        admin.release_legal_hold(h.id).await.unwrap();
    }
    let t = now();
    let mut made = Vec::new();
    for (i, p) in case.posts.iter().enumerate() {
        // Half a day past whole days keeps every post clear of a cutoff.
        let at = t - p.age_days * DAY - DAY / 2 + i as i64;
        let id = insert_post(
            s,
            channels[p.channel],
            w.users[p.author],
            &format!("case {n} post {i}"),
            at,
        );
        let file = p
            .with_file
            .then(|| insert_file(s, channels[p.channel], id, w.users[p.author], at));
        if p.deleted {
            set_deleted(s, id, at + 1);
        }
        made.push((id, file));
    }
    for (i, h) in case.holds.iter().enumerate() {
        let hold = admin
            .create_legal_hold(&LegalHoldRequest {
                name: format!("case {n} hold {i}"),
                description: String::new(),
                custodians: h.custodians.iter().map(|u| w.users[*u]).collect(),
                channels: h.channels.iter().map(|c| channels[*c]).collect(),
                include_channel_context: h.context,
                start_at: h.range.map(|(old, _)| t - old * DAY - DAY + 1),
                end_at: h.range.map(|(_, young)| t - young * DAY),
            })
            .await;
        // Holds naming neither anyone nor a channel context are refused; skip those.
        let Ok(hold) = hold else { continue };
        if h.released {
            admin.release_legal_hold(hold.id).await.unwrap();
        }
    }
    let effective: Vec<HoldSpec> = case
        .holds
        .iter()
        .filter(|h| !(h.custodians.is_empty() && (h.channels.is_empty() || !h.context)))
        .cloned()
        .collect();
    let case = Case {
        holds: effective,
        ..case.clone()
    };
    for p in &case.policies {
        let (scope, scope_id) = match p.level {
            0 => (RetentionScope::Global, None),
            1 | 2 => (RetentionScope::Team, Some(w.teams[p.level - 1])),
            _ => (RetentionScope::Channel, Some(channels[p.level - 3])),
        };
        admin
            .set_retention(&RetentionPolicy {
                scope,
                scope_id,
                messages_days: p.messages,
                files_days: p.files,
                updated_at: None,
            })
            .await
            .unwrap();
    }
    let job = admin.retention_run().await.unwrap();
    let job = wait_job(admin, job.id).await;
    prop_assert_eq!(job.status, JobStatus::Succeeded, "{:?}", job.error);
    for (p, (id, file)) in case.posts.iter().zip(&made) {
        let (post_gone, file_gone) = expected(&case, p);
        prop_assert_eq!(!stored(s, *id), post_gone, "post {:?}", p);
        if let Some((fid, sha)) = file {
            prop_assert_eq!(!file_stored(s, *fid), file_gone, "file of {:?}", p);
            let ctx = &s.server.as_ref().unwrap().ctx;
            let bytes = ctx.files.path(sha, None).unwrap().exists();
            prop_assert_eq!(bytes, !file_gone, "bytes of {:?}", p);
        }
    }
    Ok(())
}

fn run(backend: Backend) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let mut s = rt.block_on(TestServer::boot_with(backend, |c| {
        c.compliance.purge_enabled = false;
        c.compliance.purge_batch_size = 3;
        c.compliance.purge_batch_pause_ms = 0;
    }));
    let world = rt.block_on(setup(&s));
    let mut runner = TestRunner::new(PropConfig {
        cases: 12,
        failure_persistence: None,
        ..PropConfig::default()
    });
    let counter = std::cell::Cell::new(0usize);
    let result = runner.run(&case(), |c| {
        counter.set(counter.get() + 1);
        rt.block_on(check(&s, &world, counter.get(), &c))
    });
    rt.block_on(s.stop());
    if let Err(e) = result {
        panic!("{e}");
    }
}

#[test]
fn purge_follows_the_rules_on_sqlite() {
    run(Backend::Sqlite);
}

#[test]
fn purge_follows_the_rules_on_postgres() {
    run(Backend::Postgres);
}
