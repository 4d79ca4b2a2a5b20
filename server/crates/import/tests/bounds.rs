//! Hostile spreadsheets: declared sizes, cell counts, zip bombs and huge
//! CSV files are read within bounds, or refused as too large, never by
//! allocating what the file claims.

#![expect(
    clippy::expect_used,
    reason = "helpers outside `#[test]` functions fail the test by panicking"
)]

use std::io::Write;

use hearth_import::ImportError;
use hearth_import::cells::{SheetLimits, Sheets, for_each_cell};
use hearth_import::sheet::{SheetFormat, read_with};

fn zip(members: &[(&str, &[u8])], method: zip::CompressionMethod) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(method);
    for (name, body) in members {
        w.start_file(*name, opts).expect("zip member");
        w.write_all(body).expect("zip write");
    }
    w.finish().expect("zip finish").into_inner()
}

/// A minimal XLSX whose only worksheet is `sheet` (the XML inside `<worksheet>`).
fn xlsx(sheet: &str, extra: &[(&str, &[u8])]) -> Vec<u8> {
    let sheet = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{sheet}</worksheet>"#
    );
    let mut members: Vec<(&str, &[u8])> = vec![
        ("[Content_Types].xml", br#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#),
        ("_rels/.rels", br#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#),
        ("xl/workbook.xml", br#"<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#),
        ("xl/_rels/workbook.xml.rels", br#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#),
        ("xl/worksheets/sheet1.xml", sheet.as_bytes()),
    ];
    members.extend_from_slice(extra);
    zip(&members, zip::CompressionMethod::Deflated)
}

/// The bomb from the issue: two cells, and a dimension of the whole grid.
fn declared_bomb() -> Vec<u8> {
    xlsx(
        r#"<dimension ref="A1:XFD1048576"/><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>email</t></is></c></row><row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>corner</t></is></c></row></sheetData>"#,
        &[],
    )
}

/// An ODS document whose table is `table` (the XML inside `<table:table>`).
fn ods(table: &str) -> Vec<u8> {
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="Sheet1">{table}</table:table></office:spreadsheet></office:body></office:document-content>"#
    );
    zip(
        &[
            (
                "mimetype",
                b"application/vnd.oasis.opendocument.spreadsheet",
            ),
            ("content.xml", content.as_bytes()),
        ],
        zip::CompressionMethod::Deflated,
    )
}

fn texts(
    bytes: &[u8],
    format: SheetFormat,
    limits: &SheetLimits,
) -> Result<Vec<(u32, u32, String)>, ImportError> {
    let mut out = Vec::new();
    for_each_cell(bytes, format, limits, Sheets::All, |_, r, c, cell| {
        out.push((r, c, cell.text()));
        std::ops::ControlFlow::Continue(())
    })?;
    Ok(out)
}

#[test]
fn a_huge_declared_dimension_costs_only_the_cells_present() {
    let bytes = declared_bomb();
    assert!(
        bytes.len() < 4096,
        "the bomb is small: {} bytes",
        bytes.len()
    );
    let cells = texts(&bytes, SheetFormat::Xlsx, &SheetLimits::default()).expect("reads");
    assert_eq!(
        cells,
        vec![(0, 0, "email".into()), (1_048_575, 16_383, "corner".into())]
    );
    // The import builds rows with their gaps: 1 + 16 384 cells, within bounds.
    let rows = read_with(&bytes, SheetFormat::Xlsx, &SheetLimits::default()).expect("rows");
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1].number, 1_048_576);
    assert_eq!(rows[1].cells.len(), 16_384);
    // …and refuses a row wider than its cell budget instead of building it.
    let tight = SheetLimits {
        max_cells: 10_000,
        ..SheetLimits::default()
    };
    let err = read_with(&bytes, SheetFormat::Xlsx, &tight);
    assert!(matches!(err, Err(ImportError::TooLarge(_))), "{err:?}");
}

#[test]
fn xlsx_with_more_cells_than_the_limit_is_refused() {
    let row: String = (1..=50)
        .map(|r| {
            format!(r#"<row r="{r}"><c r="A{r}"><v>{r}</v></c><c r="B{r}"><v>1</v></c></row>"#)
        })
        .collect();
    let bytes = xlsx(&format!("<sheetData>{row}</sheetData>"), &[]);
    let limits = SheetLimits {
        max_cells: 99,
        ..SheetLimits::default()
    };
    let err = texts(&bytes, SheetFormat::Xlsx, &limits);
    assert!(matches!(err, Err(ImportError::TooLarge(_))), "{err:?}");
    let enough = SheetLimits {
        max_cells: 100,
        ..SheetLimits::default()
    };
    assert_eq!(
        texts(&bytes, SheetFormat::Xlsx, &enough)
            .expect("fits")
            .len(),
        100
    );
}

#[test]
fn a_zip_bomb_member_is_refused_by_its_real_size() {
    // 24 MiB of zeros deflate to about 24 KiB.
    let zeros = vec![0u8; 24 << 20];
    let bytes = xlsx(
        r#"<sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData>"#,
        &[("xl/media/padding.bin", &zeros)],
    );
    assert!(bytes.len() < 1 << 20, "{} bytes", bytes.len());
    let limits = SheetLimits {
        max_unpacked_bytes: 8 << 20,
        ..SheetLimits::default()
    };
    let err = texts(&bytes, SheetFormat::Xlsx, &limits);
    assert!(matches!(err, Err(ImportError::TooLarge(_))), "{err:?}");
    let err = read_with(&bytes, SheetFormat::Xlsx, &limits);
    assert!(matches!(err, Err(ImportError::TooLarge(_))), "{err:?}");

    let content = vec![b' '; 12 << 20];
    let ods_bomb = zip(
        &[
            (
                "mimetype",
                b"application/vnd.oasis.opendocument.spreadsheet",
            ),
            ("content.xml", &content),
        ],
        zip::CompressionMethod::Deflated,
    );
    let err = texts(&ods_bomb, SheetFormat::Ods, &limits);
    assert!(matches!(err, Err(ImportError::TooLarge(_))), "{err:?}");
}

#[test]
fn ods_repetitions_are_bounded_before_they_are_expanded() {
    // A whole grid of one value, as LibreOffice writes "fill everything".
    let bomb = ods(
        r#"<table:table-row table:number-rows-repeated="1048576"><table:table-cell table:number-columns-repeated="16384" office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell></table:table-row>"#,
    );
    let err = texts(&bomb, SheetFormat::Ods, &SheetLimits::default());
    assert!(matches!(err, Err(ImportError::TooLarge(_))), "{err:?}");
    let err = read_with(&bomb, SheetFormat::Ods, &SheetLimits::default());
    assert!(matches!(err, Err(ImportError::TooLarge(_))), "{err:?}");

    // Empty repetitions only move the position, as trailing blank rows do.
    let sparse = ods(
        r#"<table:table-row><table:table-cell office:value-type="string"><text:p>email</text:p></table:table-cell><table:table-cell table:number-columns-repeated="16383"/></table:table-row><table:table-row table:number-rows-repeated="1048574"><table:table-cell table:number-columns-repeated="16384"/></table:table-row><table:table-row><table:table-cell table:number-columns-repeated="2"><text:p>x &amp; y</text:p></table:table-cell></table:table-row>"#,
    );
    let cells = texts(&sparse, SheetFormat::Ods, &SheetLimits::default()).expect("reads");
    assert_eq!(
        cells,
        vec![
            (0, 0, "email".into()),
            (1_048_575, 0, "x & y".into()),
            (1_048_575, 1, "x & y".into())
        ]
    );
}

#[test]
fn a_huge_csv_is_refused_by_its_cell_count() {
    let mut csv = String::from("email,name\n");
    for i in 0..2_000 {
        csv.push_str(&format!("u{i}@example.com,U {i}\n"));
    }
    let limits = SheetLimits {
        max_cells: 1_000,
        ..SheetLimits::default()
    };
    let err = read_with(csv.as_bytes(), SheetFormat::Csv, &limits);
    assert!(matches!(err, Err(ImportError::TooLarge(_))), "{err:?}");
    let err = texts(csv.as_bytes(), SheetFormat::Csv, &limits);
    assert!(matches!(err, Err(ImportError::TooLarge(_))), "{err:?}");
    let rows = read_with(csv.as_bytes(), SheetFormat::Csv, &SheetLimits::default()).expect("fits");
    assert_eq!(rows.len(), 2_001);
}

#[test]
fn the_user_import_refuses_an_oversized_sheet_as_a_whole() {
    let limits = SheetLimits {
        max_cells: 10_000,
        ..SheetLimits::default()
    };
    let err = hearth_import::users::parse_with(
        &declared_bomb(),
        Some(SheetFormat::Xlsx),
        &Default::default(),
        &limits,
    );
    assert!(matches!(err, Err(ImportError::TooLarge(_))), "{err:?}");
}
