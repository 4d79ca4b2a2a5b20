//! Hostile spreadsheets: a 1.5 KB XLSX that declares the whole grid, a zip
//! bomb and an XLS whose grids exhaust memory, uploaded as attachments and
//! as user import files. The server
//! stays up, the files are found by name, a file that fails extraction is
//! recorded and never read again (not after a restart, not in a rebuild),
//! and the import refuses an oversized sheet as a whole.

use crate::both_backends;
use std::io::Write;
use std::time::{Duration, Instant};

use hearth_api::{CreatePostRequest, ErrorCode, FileSearchResults, SearchRequest, UserImportQuery};
use hearth_client::Client;

use hearth_server::Config;

use crate::harness::{TestServer, test_config};

both_backends!(with bounds;
    spreadsheet_bombs_are_contained_and_never_read_twice,
    the_user_import_refuses_an_oversized_sheet,
);

/// Small bounds, as an operator may configure them: 1 MiB unpacked (the
/// smallest allowed), 10 000 cells, 512 MiB for the reader process.
fn bounds(c: &mut Config) {
    c.limits.sheet_max_unpacked_bytes = 1 << 20;
    c.limits.sheet_max_cells = 10_000;
    c.limits.sheet_memory_mb = 512;
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

/// An XLS (BIFF8 in a compound file) whose `sheets` worksheets all point at
/// one 65 536 × 256 substream holding two numbers in opposite corners. XLS
/// has no streaming reader: each sheet becomes a dense grid of 16.7 million
/// cells (half a GiB), all kept at once. Only the memory cap of the reader
/// process stands between this 5.5 KB file and the server.
fn xls_bomb(sheets: usize) -> Vec<u8> {
    fn record(out: &mut Vec<u8>, typ: u16, data: &[u8]) {
        out.extend_from_slice(&typ.to_le_bytes());
        out.extend_from_slice(
            &u16::try_from(data.len())
                .expect("short record")
                .to_le_bytes(),
        );
        out.extend_from_slice(data);
    }
    fn bof(kind: u16) -> Vec<u8> {
        let mut d = Vec::new();
        d.extend_from_slice(&0x0600u16.to_le_bytes());
        d.extend_from_slice(&kind.to_le_bytes());
        d.extend_from_slice(&[0; 12]);
        d
    }
    fn number(row: u16, col: u16, v: f64) -> Vec<u8> {
        let mut d = Vec::new();
        d.extend_from_slice(&row.to_le_bytes());
        d.extend_from_slice(&col.to_le_bytes());
        d.extend_from_slice(&0u16.to_le_bytes());
        d.extend_from_slice(&v.to_le_bytes());
        d
    }
    // Workbook globals: BOF, one BoundSheet8 per sheet, EOF.
    let bound_len = |name: &str| 4 + 8 + name.len();
    let names: Vec<String> = (0..sheets).map(|i| format!("S{i}")).collect();
    let globals_len = 4 + 16 + names.iter().map(|n| bound_len(n)).sum::<usize>() + 4;
    let mut stream = Vec::new();
    record(&mut stream, 0x0809, &bof(0x0005));
    for name in &names {
        let mut d = Vec::new();
        d.extend_from_slice(&u32::try_from(globals_len).expect("small").to_le_bytes());
        d.extend_from_slice(&[0, 0, u8::try_from(name.len()).expect("short"), 0]);
        d.extend_from_slice(name.as_bytes());
        record(&mut stream, 0x0085, &d);
    }
    record(&mut stream, 0x000A, &[]);
    assert_eq!(stream.len(), globals_len);
    // The one worksheet substream they all share.
    record(&mut stream, 0x0809, &bof(0x0010));
    let mut dims = Vec::new();
    dims.extend_from_slice(&0u32.to_le_bytes());
    dims.extend_from_slice(&65_536u32.to_le_bytes());
    dims.extend_from_slice(&0u16.to_le_bytes());
    dims.extend_from_slice(&256u16.to_le_bytes());
    dims.extend_from_slice(&0u16.to_le_bytes());
    record(&mut stream, 0x0200, &dims);
    record(&mut stream, 0x0203, &number(0, 0, 1.0));
    record(&mut stream, 0x0203, &number(65_535, 255, 2.0));
    record(&mut stream, 0x000A, &[]);
    // Streams under 4096 bytes live in the mini stream; stay above it.
    stream.resize(4096, 0);

    const END: u32 = 0xFFFF_FFFE;
    const FREE: u32 = 0xFFFF_FFFF;
    let mut out = Vec::new();
    out.extend_from_slice(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1");
    out.extend_from_slice(&[0; 16]);
    for v in [0x003Eu16, 3, 0xFFFE, 9, 6, 0, 0, 0] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    // Directory sectors, FAT sectors, first directory sector, transaction,
    // mini stream cutoff, mini FAT start and length, DIFAT start and length.
    for v in [0u32, 1, 1, 0, 4096, END, 0, END, 0] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out.extend_from_slice(&0u32.to_le_bytes()); // the FAT is sector 0
    while out.len() < 512 {
        out.extend_from_slice(&FREE.to_le_bytes());
    }
    // Sector 0: the FAT. 1: the directory. 2..10: the workbook stream.
    let mut fat = vec![0xFFFF_FFFDu32, END];
    fat.extend((3..10).map(|next: u32| next));
    fat.push(END);
    fat.resize(128, FREE);
    for v in fat {
        out.extend_from_slice(&v.to_le_bytes());
    }
    let entry = |name: &str, kind: u8, child: u32, start: u32, len: u32| {
        let mut e = vec![0u8; 128];
        let utf16: Vec<u8> = name.encode_utf16().flat_map(u16::to_le_bytes).collect();
        e[..utf16.len()].copy_from_slice(&utf16);
        let name_len = u16::try_from(utf16.len() + 2).expect("short name");
        e[64..66].copy_from_slice(&name_len.to_le_bytes());
        e[66] = kind;
        e[68..72].copy_from_slice(&FREE.to_le_bytes());
        e[72..76].copy_from_slice(&FREE.to_le_bytes());
        e[76..80].copy_from_slice(&child.to_le_bytes());
        e[116..120].copy_from_slice(&start.to_le_bytes());
        e[120..124].copy_from_slice(&len.to_le_bytes());
        e
    };
    out.extend(entry("Root Entry", 5, 1, END, 0));
    out.extend(entry("Workbook", 2, FREE, 2, 4096));
    out.extend(entry("", 0, FREE, 0, 0));
    out.extend(entry("", 0, FREE, 0, 0));
    out.extend(stream);
    out
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
                ("ledger-grid.xls".into(), xls_bomb(16)),
            ],
        )
        .await
        .expect("upload");
    let id = |name: &str| files.iter().find(|f| f.name == name).expect("uploaded").id;
    let (bomb_id, xls_id) = (id("unpacks-too-far.xlsx"), id("ledger-grid.xls"));
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
    // The XLS grids exhaust the reader process's memory, not the server's.
    wait_files(&alice, "ledger", &["ledger-grid.xls"]).await;
    let (reason, xls_failure) = failure(&s, xls_id).expect("the failure is recorded");
    assert!(reason.contains("reader stopped"), "{reason}");
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
        failure(&s, xls_id).map(|(_, at)| at),
        Some(xls_failure),
        "the XLS file was read again"
    );
    wait_files(&alice, "ledger", &["ledger-grid.xls"]).await;
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
