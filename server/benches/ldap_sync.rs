//! Directory sync at enterprise scale: a private slapd holding a generated
//! directory (by default 10,000 users in 200 groups), a Hearth server with
//! group mappings to teams and channels, and three timed syncs through the
//! API: the first full import, an unchanged re-run, and a run after some
//! users were edited and others removed.
//!
//! Sizes: `BENCH_LDAP_USERS` (10000), `BENCH_LDAP_GROUPS` (200). SQLite always;
//! PostgreSQL too when `BENCH_PG_URL` names a server (a database is created
//! and dropped). Needs the Debian packages `slapd` and `ldap-utils`.
//!
//! Run: `cargo bench -p hearth-server --bench ldap_sync`.

#![expect(
    clippy::expect_used,
    reason = "a benchmark's set-up stops it at the first failure"
)]

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::time::{Duration, Instant};

use hearth_api::{ChannelKind, CreateChannelRequest, CreateTeamRequest, LdapSyncReport};
use hearth_client::Client;
use hearth_identity::TeamRole;
use hearth_identity::sync::{GroupMapping, TeamGrant};
use hearth_identity::test_support::ldap::{BASE, Slapd};
use hearth_testkit::{Backend, PgDb, sign_up_admin, test_config};

/// Groups mapped to a team each; the first [`CHANNEL_MAPPED`] also to a channel.
const TEAM_MAPPED: usize = 20;
const CHANNEL_MAPPED: usize = 5;
/// Directory changes between the second and the third run.
const EDITED: usize = 100;
const REMOVED: usize = 50;
/// A full import is one long request.
const SYNC_TIMEOUT: Duration = Duration::from_secs(1800);

fn env_size(name: &str, default: usize) -> usize {
    match std::env::var(name) {
        Ok(v) => v
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("{name} must be a positive number, not `{v}`")),
        Err(_) => default,
    }
}

/// Small deterministic generator (SplitMix64), so every run builds the same directory.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn user_dn(i: usize) -> String {
    format!("uid=u{i:05},ou=bench,ou=people,{BASE}")
}

fn group_name(g: usize) -> String {
    format!("grp{g:03}")
}

fn team_name(t: usize) -> String {
    format!("team-{t:02}")
}

/// The generated directory as one LDIF: each user in one to three groups.
fn directory_ldif(users: usize, groups: usize) -> String {
    let mut rng = Rng(0x4845_4152_5448);
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); groups];
    for u in 0..users {
        let want = (1 + rng.below(3)).min(groups);
        let mut picked = Vec::with_capacity(want);
        while picked.len() < want {
            let g = rng.below(groups);
            if !picked.contains(&g) {
                picked.push(g);
            }
        }
        for g in picked {
            members[g].push(u);
        }
    }
    let mut s = String::with_capacity(users * 220 + groups * 100 * 50);
    for ou in ["people", "groups"] {
        let _ = write!(
            s,
            "dn: ou=bench,ou={ou},{BASE}\nobjectClass: organizationalUnit\nou: bench\n\n"
        );
    }
    for i in 0..users {
        let _ = write!(
            s,
            "dn: {dn}\nobjectClass: inetOrgPerson\nuid: u{i:05}\ncn: Given{i} Family{i}\n\
             givenName: Given{i}\nsn: Family{i}\nmail: u{i:05}@example.com\n\n",
            dn = user_dn(i)
        );
    }
    for (g, list) in members.iter().enumerate() {
        let _ = write!(
            s,
            "dn: cn={name},ou=bench,ou=groups,{BASE}\nobjectClass: groupOfNames\ncn: {name}\n",
            name = group_name(g)
        );
        if list.is_empty() {
            // groupOfNames needs a member; only tiny directories get here.
            let _ = writeln!(s, "member: {}", user_dn(g % users));
        }
        for &u in list {
            let _ = writeln!(s, "member: {}", user_dn(u));
        }
        s.push('\n');
    }
    s
}

/// New e-mail and surname for the first `edited` users, and the last `removed` deleted.
fn changes_ldif(users: usize, edited: usize, removed: usize) -> String {
    let mut s = String::new();
    for i in 0..edited {
        let _ = write!(
            s,
            "dn: {}\nchangetype: modify\nreplace: mail\nmail: u{i:05}.moved@example.com\n-\n\
             replace: sn\nsn: Renamed{i}\n-\nreplace: cn\ncn: Given{i} Renamed{i}\n\n",
            user_dn(i)
        );
    }
    for i in users - removed..users {
        let _ = write!(s, "dn: {}\nchangetype: delete\n\n", user_dn(i));
    }
    s
}

fn mappings(groups: usize) -> Vec<GroupMapping> {
    (0..TEAM_MAPPED.min(groups))
        .map(|g| GroupMapping {
            group: group_name(g),
            teams: vec![TeamGrant {
                team: team_name(g),
                role: TeamRole::Member,
            }],
            channels: if g < CHANNEL_MAPPED {
                vec![format!("{}/announcements", team_name(g))]
            } else {
                Vec::new()
            },
            system_role: None,
        })
        .collect()
}

struct Row {
    run: &'static str,
    report: LdapSyncReport,
    secs: f64,
}

async fn timed_sync(admin: &Client, run: &'static str) -> Row {
    let t = Instant::now();
    let report = admin.ldap_sync().await.expect("sync succeeds");
    Row {
        run,
        report,
        secs: t.elapsed().as_secs_f64(),
    }
}

async fn scenario(backend: &str, pg: Option<&PgDb>, users: usize, groups: usize) {
    println!("\n== {backend}: {users} users in {groups} groups ==");
    let t = Instant::now();
    let slapd = Slapd::start();
    slapd.add_ldif(&directory_ldif(users, groups));
    println!(
        "directory loaded in {:.1} s (not part of the figures)",
        t.elapsed().as_secs_f64()
    );

    let dir = tempfile::tempdir().expect("temp dir");
    let backend = if pg.is_some() {
        Backend::Postgres
    } else {
        Backend::Sqlite
    };
    let mut cfg = test_config(backend, dir.path(), pg);
    cfg.ldap.enabled = true;
    cfg.ldap.sync_interval_mins = 0;
    cfg.ldap.directory = Some(slapd.config());
    cfg.ldap.group_mappings = mappings(groups);
    let server = hearth_server::start(cfg, 2).await.expect("server starts");

    let mut admin = Client::with_timeout(server.url(), SYNC_TIMEOUT).expect("client");
    sign_up_admin(&mut admin, server.setup_token.clone()).await;
    // Mappings name existing teams and channels; sync never creates them.
    for g in 0..TEAM_MAPPED.min(groups) {
        let team = admin
            .create_team(&CreateTeamRequest {
                name: team_name(g),
                display_name: format!("Team {g}"),
                open: false,
                ..Default::default()
            })
            .await
            .expect("create team");
        if g < CHANNEL_MAPPED {
            admin
                .create_channel(&CreateChannelRequest {
                    team_id: team.id,
                    kind: ChannelKind::Public,
                    name: "announcements".into(),
                    display_name: "Announcements".into(),
                    purpose: None,
                    header: None,
                })
                .await
                .expect("create channel");
        }
    }

    let mut rows = vec![
        timed_sync(&admin, "first (import)").await,
        timed_sync(&admin, "second (no change)").await,
    ];
    let edited = EDITED.min(users / 2);
    let removed = REMOVED.min(users - edited);
    slapd.modify(&changes_ldif(users, edited, removed));
    rows.push(timed_sync(&admin, "third (changes)").await);
    println!("directory changes before the third run: {edited} users edited, {removed} removed");

    print_table(&rows, TEAM_MAPPED.min(groups));
    server.stop().await;
}

fn print_table(rows: &[Row], mapped: usize) {
    println!(
        "{:<20} {:>7} {:>7} {:>7} {:>8} {:>8} {:>12} {:>9} {:>9} {:>7} {:>8} {:>11}",
        "run",
        "users",
        "groups",
        "mapped",
        "created",
        "updated",
        "deactivated",
        "m.added",
        "m.removed",
        "issues",
        "seconds",
        "accounts/s"
    );
    for r in rows {
        let p = &r.report;
        println!(
            "{:<20} {:>7} {:>7} {:>7} {:>8} {:>8} {:>12} {:>9} {:>9} {:>7} {:>8.2} {:>11.0}",
            r.run,
            p.users_seen,
            p.groups_seen,
            mapped,
            p.created,
            p.updated,
            p.deactivated,
            p.memberships_added,
            p.memberships_removed,
            p.issues,
            r.secs,
            p.users_seen as f64 / r.secs
        );
    }
    // The fixture entries the directory starts with account for a few issues.
    let mut codes: BTreeMap<&str, usize> = BTreeMap::new();
    for r in rows {
        for e in &r.report.errors {
            *codes.entry(e.code.as_str()).or_default() += 1;
        }
    }
    if !codes.is_empty() {
        println!("issues by code over all runs: {codes:?}");
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let users = env_size("BENCH_LDAP_USERS", 10_000).max(1);
    let groups = env_size("BENCH_LDAP_GROUPS", 200).max(1);
    scenario("SQLite", None, users, groups).await;
    if let Ok(base) = std::env::var("BENCH_PG_URL") {
        let db = PgDb::create_on(base.trim_end_matches('/'), "hearth_bench");
        scenario("PostgreSQL", Some(&db), users, groups).await;
    }
}
