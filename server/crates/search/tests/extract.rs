//! Attachment text extraction.

#![expect(
    clippy::unwrap_used,
    reason = "helpers outside `#[test]` functions fail the test by panicking"
)]

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

mod bounds {
    use std::io::Write;

    use hearth_search::{MAX_EXTRACTED_BYTES, SheetLimits, extract_text, extract_text_with};

    fn zip(members: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, body) in members {
            w.start_file(*name, opts).unwrap();
            w.write_all(body).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    fn xlsx(sheet_data: &str, extra: &[(&str, &[u8])]) -> Vec<u8> {
        let sheet = format!(
            r#"<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{sheet_data}</worksheet>"#
        );
        let mut members: Vec<(&str, &[u8])> = vec![
            ("_rels/.rels", br#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#),
            ("xl/workbook.xml", br#"<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>"#),
            ("xl/_rels/workbook.xml.rels", br#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#),
            ("xl/worksheets/sheet1.xml", sheet.as_bytes()),
        ];
        members.extend_from_slice(extra);
        zip(&members)
    }

    const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    #[test]
    fn a_declared_dimension_of_the_whole_grid_costs_two_cells() {
        let bomb = xlsx(
            r#"<dimension ref="A1:XFD1048576"/><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>quarterly</t></is></c></row><row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>corner</t></is></c></row></sheetData>"#,
            &[],
        );
        assert!(bomb.len() < 2048, "{} bytes", bomb.len());
        let text = extract_text("bomb.xlsx", XLSX, &bomb).unwrap().unwrap();
        assert_eq!(text, "quarterly\ncorner\n");
    }

    #[test]
    fn more_cells_than_the_limit_fail_the_extraction() {
        let rows: String = (1..=300)
            .map(|r| format!(r#"<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>"#))
            .collect();
        let book = xlsx(&format!("<sheetData>{rows}</sheetData>"), &[]);
        let limits = SheetLimits {
            max_cells: 299,
            ..SheetLimits::default()
        };
        assert!(extract_text_with("many.xlsx", XLSX, &book, &limits).is_err());
        let limits = SheetLimits {
            max_cells: 300,
            ..SheetLimits::default()
        };
        let text = extract_text_with("many.xlsx", XLSX, &book, &limits)
            .unwrap()
            .unwrap();
        assert!(text.ends_with("299\n300\n"), "{text:?}");
    }

    #[test]
    fn a_zip_bomb_member_fails_the_extraction() {
        let zeros = vec![0u8; 24 << 20];
        let bomb = xlsx(
            r#"<sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData>"#,
            &[("xl/sharedStrings.xml", &zeros)],
        );
        assert!(bomb.len() < 1 << 20);
        let limits = SheetLimits {
            max_unpacked_bytes: 8 << 20,
            ..SheetLimits::default()
        };
        let err = extract_text_with("bomb.xlsx", XLSX, &bomb, &limits).unwrap_err();
        assert!(err.to_string().contains("unpacks to more than"), "{err}");
    }

    #[test]
    fn ods_repetitions_fail_before_they_are_expanded() {
        let content = r#"<?xml version="1.0"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet><table:table table:name="S"><table:table-row table:number-rows-repeated="1048576"><table:table-cell table:number-columns-repeated="16384" office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#;
        let bomb = zip(&[
            (
                "mimetype",
                b"application/vnd.oasis.opendocument.spreadsheet",
            ),
            ("content.xml", content.as_bytes()),
        ]);
        let err = extract_text("bomb.ods", "", &bomb).unwrap_err();
        assert!(err.to_string().contains("more than"), "{err}");
    }

    #[test]
    fn huge_csv_and_text_are_cut_at_the_output_limit() {
        let big = "word,".repeat(3 * MAX_EXTRACTED_BYTES / 5);
        for (name, mime) in [("big.csv", "text/csv"), ("big.txt", "text/plain")] {
            let text = extract_text(name, mime, big.as_bytes()).unwrap().unwrap();
            assert_eq!(text.len(), MAX_EXTRACTED_BYTES, "{name}");
        }
    }
}
