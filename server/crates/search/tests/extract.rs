//! Attachment text extraction.

use hearth_search::{MAX_EXTRACTED_BYTES, extract_text};

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn assert_spreadsheet(text: &str) {
    for expected in [
        "Region",
        "Nordics",
        "1200",
        "3400.5",
        "café opening",
        "東京支店",
        "HEARTH-42",
        "deployed",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in {text:?}");
    }
    // Both sheets, one line per row, cells tab-separated.
    assert!(text.contains("Ticket\tStatus\n"), "{text:?}");
}

#[test]
fn xlsx_all_sheets() {
    let text = extract_text(
        "tiny.xlsx",
        "application/octet-stream",
        &fixture("tiny.xlsx"),
    )
    .unwrap()
    .unwrap();
    assert_spreadsheet(&text);
}

#[test]
fn xls_all_sheets() {
    let text = extract_text("TINY.XLS", "", &fixture("tiny.xls"))
        .unwrap()
        .unwrap();
    assert_spreadsheet(&text);
}

#[test]
fn ods_by_mime_type() {
    let text = extract_text(
        "upload",
        "application/vnd.oasis.opendocument.spreadsheet",
        &fixture("tiny.ods"),
    )
    .unwrap()
    .unwrap();
    assert_spreadsheet(&text);
}

#[test]
fn plain_text_and_csv() {
    assert_eq!(
        extract_text("notes.txt", "text/plain", b"hello world")
            .unwrap()
            .as_deref(),
        Some("hello world")
    );
    assert_eq!(
        extract_text("data.csv", "text/csv; charset=utf-8", b"a,b\n1,2")
            .unwrap()
            .as_deref(),
        Some("a,b\n1,2")
    );
    assert_eq!(
        extract_text("main.rs", "application/octet-stream", b"fn main() {}")
            .unwrap()
            .as_deref(),
        Some("fn main() {}")
    );
    // Invalid UTF-8 is decoded lossily; binary content is skipped.
    assert_eq!(
        extract_text("a.txt", "text/plain", b"caf\xe9")
            .unwrap()
            .as_deref(),
        Some("caf\u{fffd}")
    );
    assert_eq!(
        extract_text("a.txt", "text/plain", b"\x00\x01binary").unwrap(),
        None
    );
}

#[test]
fn output_is_bounded() {
    let big = "é".repeat(MAX_EXTRACTED_BYTES);
    let text = extract_text("big.txt", "text/plain", big.as_bytes())
        .unwrap()
        .unwrap();
    assert!(text.len() <= MAX_EXTRACTED_BYTES);
    assert!(text.chars().all(|c| c == 'é'));
}

#[test]
fn unsupported_and_malformed() {
    assert_eq!(
        extract_text("photo.png", "image/png", b"\x89PNG....").unwrap(),
        None
    );
    assert_eq!(
        extract_text("doc.pdf", "application/pdf", b"%PDF-1.7").unwrap(),
        None
    );
    let e = extract_text("broken.xlsx", "", b"PK\x03\x04 not really a zip").unwrap_err();
    assert_eq!(e.code(), "extract_failed");
    let mut truncated = fixture("tiny.xlsx");
    truncated.truncate(truncated.len() / 2);
    assert!(extract_text("cut.xlsx", "", &truncated).is_err());
}
