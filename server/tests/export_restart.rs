//! A server killed with SIGKILL in the middle of an export: after the
//! restart the job runs again and produces a complete, correct archive, on
//! SQLite and on PostgreSQL.

#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "helpers outside `#[test]` functions fail the test by panicking"
)]

#[path = "api/process.rs"]
mod process;

use std::collections::HashSet;
use std::time::{Duration, Instant};

use hearth_api::{CreateTeamRequest, ExportFormat, ExportRequest, JobStatus, Role, SignupRequest};
use hearth_client::Client;
use hearth_testkit::{Backend, PgDb, sign_up_admin};
use process::spawn;

/// Slow pages make the export last seconds, long enough to be killed mid-way.
const ENV: [(&str, &str); 4] = [
    // The test signs its users up itself; the default is invite-only.
    ("HEARTH_ACCOUNTS__SIGNUP", "open"),
    ("HEARTH_COMPLIANCE__EXPORT_PAGE_PAUSE_MS", "100"),
    ("HEARTH_COMPLIANCE__EXPORT_BATCH_SIZE", "10"),
    ("HEARTH_COMPLIANCE__PURGE_ENABLED", "false"),
];

fn csv_event_ids(bytes: &[u8]) -> Vec<String> {
    use std::io::Read;
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut ids = Vec::new();
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        if !f.name().unwrap().ends_with(".csv") {
            continue;
        }
        let mut text = String::new();
        f.read_to_string(&mut text).unwrap();
        let mut r = csv::Reader::from_reader(text.as_bytes());
        let col = r
            .headers()
            .unwrap()
            .iter()
            .position(|h| h == "event_id")
            .unwrap();
        for rec in r.records() {
            ids.push(rec.unwrap()[col].to_string());
        }
    }
    ids
}

async fn login(url: &str, name: &str) -> Client {
    let mut c = Client::new(url.to_string());
    c.login(name, &format!("{name}-password")).await.unwrap();
    c
}

async fn killed_export_is_redone(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let pg = (backend == Backend::Postgres).then(PgDb::create);
    let db_url = match &pg {
        Some(db) => db.url(),
        None => format!("sqlite://{}", dir.path().join("hearth.db").display()),
    };
    let mut p = spawn(dir.path(), &db_url, &ENV);
    let mut admin = Client::new(p.url.clone());
    sign_up_admin(&mut admin, p.setup_token.clone()).await;
    // Only the operator on the host makes compliance officers (and signup
    // is by invitation): the officer's account is made over the local socket.
    let local = Client::unix(dir.path().join("hearth.sock"), Duration::from_secs(20)).unwrap();
    let off = local
        .create_user(&SignupRequest {
            username: "olivia".into(),
            email: "olivia@example.com".into(),
            password: "olivia-password".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    local
        .set_role(off.id, Role::ComplianceOfficer)
        .await
        .unwrap();
    admin
        .create_team(&CreateTeamRequest {
            name: "acme".into(),
            display_name: "Acme".into(),
            open: true,
            ..Default::default()
        })
        .await
        .unwrap();
    let town = hearth_testkit::my_channel(&admin, "town-square").await;
    for i in 0..300 {
        admin
            .post_message(town.id, &format!("post {i}"))
            .await
            .unwrap();
    }
    let off = login(&p.url, "olivia").await;
    let full = ExportRequest {
        format: ExportFormat::Csv,
        from: None,
        until: None,
        channels: None,
        users: None,
        hold_id: None,
        profile: Default::default(),
    };
    let job = off.start_export(&full).await.unwrap();
    // Kill the server once the job has visibly made progress.
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let j = off.compliance_job(job.id).await.unwrap();
        assert!(
            !j.status.is_final(),
            "the export finished before it could be killed"
        );
        if j.status == JobStatus::Running && j.progress.done > 0 {
            break;
        }
        assert!(Instant::now() < deadline, "the export never started");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    p.child.kill().expect("SIGKILL");
    p.child.wait().unwrap();

    let mut p2 = spawn(dir.path(), &db_url, &ENV);
    let off = login(&p2.url, "olivia").await;
    let deadline = Instant::now() + Duration::from_secs(120);
    let done = loop {
        let j = off.compliance_job(job.id).await.unwrap();
        if j.status.is_final() {
            break j;
        }
        assert!(Instant::now() < deadline, "the export was not resumed");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(done.status, JobStatus::Succeeded, "{:?}", done.error);
    assert_eq!(done.attempts, 2, "the interrupted run was started again");
    let bytes = off.download_compliance_job(job.id).await.unwrap().bytes;
    hearth_compliance::archive::verify_archive(std::io::Cursor::new(bytes.clone()))
        .expect("the archive is complete and matches its manifest");
    let ids = csv_event_ids(&bytes);
    let unique: HashSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "no record twice");
    let posts = ids.iter().filter(|i| i.ends_with(":c")).count();
    assert_eq!(posts, 300, "every post once");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path().join("exports"))
        .unwrap()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "part"))
        .collect();
    assert!(leftovers.is_empty(), "no partial file is left behind");
    p2.child.kill().ok();
    p2.child.wait().ok();
    drop(pg);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_killed_export_is_redone() {
    killed_export_is_redone(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_killed_export_is_redone() {
    killed_export_is_redone(Backend::Postgres).await;
}
