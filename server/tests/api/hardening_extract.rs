//! Hostile spreadsheets: a 1.5 KB XLSX that declares the whole grid, and a
//! zip bomb, uploaded as attachments and as user import files. The server
//! stays up, the files are found by name, a file that fails extraction is
//! recorded and never read again (not after a restart, not in a rebuild),
//! and the import refuses an oversized sheet as a whole.

use std::io::Write;
use std::time::{Duration, Instant};

use hearth_api::{CreatePostRequest, ErrorCode, FileSearchResults, SearchRequest, UserImportQuery};
use hearth_client::Client;

use hearth_server::Config;

use crate::harness::{TestServer, test_config};

/// Like `both_backends!`, with the bounds these tests need.
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                use crate::harness::{Backend, TestServer};
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    super::$name(TestServer::boot_with(Backend::Sqlite, super::bounds).await).await;
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    super::$name(TestServer::boot_with(Backend::Postgres, super::bounds).await).await;
                }
            }
        )*
    };
}

on_both_backends!(
    spreadsheet_bombs_are_contained_and_never_read_twice,
    the_user_import_refuses_an_oversized_sheet,
);

/// Small bounds, as an operator may configure them: 1 MiB unpacked (the
/// smallest allowed), 10 000 cells.
fn bounds(c: &mut Config) {
    c.limits.sheet_max_unpacked_bytes = 1 << 20;
    c.limits.sheet_max_cells = 10_000;
}

fn zip(members: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, body) in members {
        w.start_file(*name, opts).expect("zip member");
        w.write_all(body).expect("zip write");
    }
    w.finish().expect("zip").into_inner()
}

/// A minimal XLSX with one worksheet (`sheet_data` is the XML inside
/// `<worksheet>`) plus any `extra` members.
fn xlsx(sheet_data: &str, extra: &[(&str, &[u8])]) -> Vec<u8> {
    let sheet = format!(
        r#"<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{sheet_data}</worksheet>"#
    );
    let mut members: Vec<(&str, &[u8])> = vec![
        ("_rels/.rels", br#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#),
        ("xl/workbook.xml", br#"<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#),
        ("xl/_rels/workbook.xml.rels", br#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#),
        ("xl/worksheets/sheet1.xml", sheet.as_bytes()),
    ];
    members.extend_from_slice(extra);
    zip(&members)
}

/// The file from the issue: two cells, and a dimension of the whole grid
/// (a dense reader allocates 2^34 cells for it).
fn declared_bomb(first: &str, corner: &str) -> Vec<u8> {
    xlsx(
        &format!(
            r#"<dimension ref="A1:XFD1048576"/><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>{first}</t></is></c></row><row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>{corner}</t></is></c></row></sheetData>"#
        ),
        &[],
    )
}

/// A sheet with one word and a member that unpacks to 4 MiB of zeros
/// (about 4 KiB packed).
fn zip_bomb(word: &str) -> Vec<u8> {
    let zeros = vec![0u8; 4 << 20];
    xlsx(
        &format!(
            r#"<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>{word}</t></is></c></row></sheetData>"#
        ),
        &[("xl/media/image1.bin", &zeros)],
    )
}

const WAIT: Duration = Duration::from_secs(20);

/// Polls file search until `terms` finds exactly the files named `want`.
async fn wait_files(c: &Client, terms: &str, want: &[&str]) -> FileSearchResults {
    let start = Instant::now();
    loop {
        let r = c
            .search_files(&SearchRequest {
                terms: terms.into(),
                ..Default::default()
            })
            .await
            .expect("file search answers");
        let mut got: Vec<&str> = r.files.iter().map(|f| f.name.as_str()).collect();
        got.sort();
        if got == want {
            return r;
        }
        assert!(
            start.elapsed() < WAIT,
            "{terms:?}: wanted {want:?}, got {got:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The failure recorded for a file: (reason, time).
fn failure(s: &TestServer, file_id: uuid::Uuid) -> Option<(String, i64)> {
    let server = s.server.as_ref().expect("server runs");
    server
        .ctx
        .store
        .read(|c| {
            Ok(hearth_store::file_text_failures::get(
                c,
                &file_id.to_string(),
            )?)
        })
        .expect("read failures")
}

/// Waits until the index has followed the change log to its end.
async fn wait_caught_up(admin: &Client) {
    let start = Instant::now();
    loop {
        let st = admin.search_status().await.expect("search status");
        if st.cursor == Some(st.latest_seq) && !st.rebuilding {
            return;
        }
        assert!(start.elapsed() < WAIT, "index behind: {st:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn spreadsheet_bombs_are_contained_and_never_read_twice(mut s: TestServer) {
    let (alice, _) = s.admin().await;
    s.team(&alice, "acme", true).await;
    let town = crate::harness::my_channel(&alice, "town-square").await.id;

    let declared = declared_bomb("zanzibar", "quokka");
    assert!(declared.len() < 2048, "{} bytes", declared.len());
    let files = alice
        .upload_files(
            town,
            vec![
                ("declared-grid.xlsx".into(), declared),
                ("unpacks-too-far.xlsx".into(), zip_bomb("wombat")),
            ],
        )
        .await
        .expect("upload");
    let bomb_id = files
        .iter()
        .find(|f| f.name == "unpacks-too-far.xlsx")
        .expect("uploaded")
        .id;
    alice
        .create_post(&CreatePostRequest {
            channel_id: town,
            message: "the forecasts".into(),
            file_ids: files.iter().map(|f| f.id).collect(),
            ..Default::default()
        })
        .await
        .expect("post with the files");

    // The declared grid costs its two cells: both are searchable.
    wait_files(&alice, "zanzibar", &["declared-grid.xlsx"]).await;
    wait_files(&alice, "quokka", &["declared-grid.xlsx"]).await;
    // The bomb is found by name, not by its text, and its failure is kept.
    wait_files(&alice, "unpacks", &["unpacks-too-far.xlsx"]).await;
    wait_files(&alice, "wombat", &[]).await;
    let (reason, first_failure) = failure(&s, bomb_id).expect("the failure is recorded");
    assert!(reason.contains("unpacks to more than"), "{reason}");
    wait_caught_up(&alice).await;

    // A restart and a full rebuild index it by name again without reading it.
    s.stop().await;
    let mut cfg = test_config(s.backend, s.dir.path(), s.pg.as_ref());
    bounds(&mut cfg);
    let server = hearth_server::start(cfg, 1).await.expect("server restarts");
    s.url = server.url();
    s.server = Some(server);
    let (alice, _) = s.login("admin", "admin-password").await;
    wait_caught_up(&alice).await;
    alice.search_reindex().await.expect("rebuild");
    wait_files(&alice, "unpacks", &["unpacks-too-far.xlsx"]).await;
    wait_files(&alice, "quokka", &["declared-grid.xlsx"]).await;
    wait_files(&alice, "wombat", &[]).await;
    assert_eq!(
        failure(&s, bomb_id).map(|(_, at)| at),
        Some(first_failure),
        "the file was read again"
    );
    assert_eq!(
        alice.search_status().await.expect("status").last_error,
        None
    );
}

async fn the_user_import_refuses_an_oversized_sheet(s: TestServer) {
    let (admin, _) = s.admin().await;
    let query = UserImportQuery {
        dry_run: Some(true),
        ..Default::default()
    };
    // The declared grid reads (two cells), but its last row spans 16 384
    // columns: over the bound, so the file is refused as a whole.
    let err = admin
        .import_users(declared_bomb("email", "someone@example.com"), &query)
        .await
        .expect_err("refused");
    assert_eq!(err.code(), Some(ErrorCode::InvalidInput), "{err:?}");
    assert!(err.to_string().contains("10000 cells"), "{err}");
    // So is a zip bomb.
    let err = admin
        .import_users(zip_bomb("email"), &query)
        .await
        .expect_err("refused");
    assert_eq!(err.code(), Some(ErrorCode::InvalidInput), "{err:?}");
    assert!(err.to_string().contains("unpacks to more than"), "{err}");
    // And the server still imports an honest sheet.
    let ok = xlsx(
        r#"<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>email</t></is></c><c r="B1" t="inlineStr"><is><t>username</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>ann@example.com</t></is></c><c r="B2" t="inlineStr"><is><t>ann</t></is></c></row></sheetData>"#,
        &[],
    );
    let report = admin.import_users(ok, &query).await.expect("dry run");
    assert_eq!(report.rows.len(), 1, "{report:?}");
}
