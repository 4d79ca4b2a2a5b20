//! The user spreadsheets written by openpyxl and LibreOffice (see
//! `fixtures/make_fixtures.py`) read the same in every format: header found
//! below the merged title, real row numbers, serial dates as ISO dates,
//! spaces trimmed, duplicates and bad e-mails reported.

#![expect(
    clippy::expect_used,
    reason = "helpers outside `#[test]` functions fail the test by panicking"
)]

use hearth_api::{ImportIssueCode, Role};
use hearth_import::sheet::SheetFormat;
use hearth_import::users::{Mapping, UserSheet, parse};

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("read {path}: {e}"))
}

fn check_messy(s: &UserSheet) {
    assert_eq!(s.header_row, 3, "the header is below the merged title row");
    let rows: Vec<u32> = s.records.iter().map(|r| r.row).collect();
    assert_eq!(rows, vec![4, 5, 6, 7, 8, 9]);
    let by_row = |n: u32| s.records.iter().find(|r| r.row == n).expect("row");

    let ann = by_row(4);
    assert!(ann.errors.is_empty(), "{:?}", ann.errors);
    assert_eq!(ann.email.as_deref(), Some("ann@example.com"));
    assert_eq!(ann.display_name.as_deref(), Some("Ann Archer"));
    assert_eq!(ann.start_date.as_deref(), Some("2024-03-01"));
    assert_eq!(ann.channels, vec![("engineering".into(), "backend".into())]);

    let bob = by_row(5);
    assert!(bob.errors.is_empty(), "{:?}", bob.errors);
    assert_eq!(bob.email.as_deref(), Some("bob@example.com"));
    assert_eq!(bob.username.as_deref(), Some("bob"));
    assert_eq!(bob.display_name.as_deref(), Some("Bob Baker"));
    assert_eq!(bob.role, Some(Role::Guest));
    assert_eq!(bob.teams, vec!["sales".to_string()]);
    assert_eq!(bob.start_date.as_deref(), Some("2023-03-15"));

    let carol = by_row(6);
    assert_eq!(carol.errors.len(), 1);
    assert_eq!(carol.errors[0].code, ImportIssueCode::InvalidEmail);
    assert_eq!(carol.errors[0].column.as_deref(), Some("E-mail Address"));

    let dup = by_row(7);
    assert_eq!(dup.errors.len(), 1);
    assert_eq!(dup.errors[0].code, ImportIssueCode::DuplicateEmail);
    assert!(dup.errors[0].message.contains("row 4"));

    // The unknown team is the server's to find; the file itself is fine.
    let dave = by_row(8);
    assert!(dave.errors.is_empty());
    assert_eq!(dave.teams, vec!["marketing".to_string()]);
    assert_eq!(dave.start_date.as_deref(), Some("2023-01-01"));

    let erin = by_row(9);
    assert_eq!(erin.role, Some(Role::SystemAdmin));
    assert_eq!(
        erin.teams,
        vec!["sales".to_string(), "engineering".to_string()]
    );
    assert_eq!(erin.channels.len(), 2);
}

#[test]
fn xlsx_from_openpyxl() {
    let s = parse(&fixture("users.xlsx"), None, &Mapping::new()).expect("parses");
    assert_eq!(s.format, SheetFormat::Xlsx);
    check_messy(&s);
}

#[test]
fn xls_from_libreoffice() {
    let s = parse(&fixture("users.xls"), None, &Mapping::new()).expect("parses");
    assert_eq!(s.format, SheetFormat::Xls);
    check_messy(&s);
}

#[test]
fn ods_from_libreoffice() {
    let s = parse(&fixture("users.ods"), None, &Mapping::new()).expect("parses");
    assert_eq!(s.format, SheetFormat::Ods);
    check_messy(&s);
}

#[test]
fn csv_from_python() {
    let s = parse(&fixture("users.csv"), None, &Mapping::new()).expect("parses");
    assert_eq!(s.format, SheetFormat::Csv);
    check_messy(&s);
}

#[test]
fn a_mapping_names_columns_the_synonyms_would_not_find() {
    let mut m = Mapping::new();
    m.insert("username".into(), "Login".into());
    m.insert("start_date".into(), "Start date".into());
    let s = parse(&fixture("users-clean.xlsx"), Some(SheetFormat::Xlsx), &m).expect("parses");
    assert_eq!(s.records.len(), 3);
    assert!(s.records.iter().all(|r| r.errors.is_empty()));
}

#[test]
fn garbage_is_refused_as_a_whole() {
    assert!(parse(b"PK\x03\x04 not a zip", None, &Mapping::new()).is_err());
    assert!(
        parse(
            &fixture("users.xlsx"),
            Some(SheetFormat::Ods),
            &Mapping::new()
        )
        .is_err()
    );
}
