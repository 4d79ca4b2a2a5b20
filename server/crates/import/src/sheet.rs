//! Reading a spreadsheet's first worksheet into plain rows of cells, whatever
//! the format, so the user import sees one shape for XLSX, XLS, ODS and CSV.

use std::io::Cursor;

use calamine::{Data, Reader};

use crate::error::{ImportError, Result};

/// The formats a user spreadsheet may come in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SheetFormat {
    Xlsx,
    Xls,
    Ods,
    Csv,
}

impl SheetFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            SheetFormat::Xlsx => "xlsx",
            SheetFormat::Xls => "xls",
            SheetFormat::Ods => "ods",
            SheetFormat::Csv => "csv",
        }
    }

    /// From a format name or a file extension (`xlsx`, `.ODS`, `text/csv`…).
    pub fn parse(s: &str) -> Option<SheetFormat> {
        let s = s.trim().trim_start_matches('.').to_ascii_lowercase();
        match s.as_str() {
            "xlsx" | "xlsm" => Some(SheetFormat::Xlsx),
            "xls" => Some(SheetFormat::Xls),
            "ods" => Some(SheetFormat::Ods),
            "csv" | "txt" | "text/csv" => Some(SheetFormat::Csv),
            _ => None,
        }
    }

    /// Guesses from the first bytes: a zip is XLSX or ODS (ODS names its
    /// mimetype in the first entry), an OLE2 container is XLS, anything else
    /// is read as CSV.
    pub fn sniff(bytes: &[u8]) -> SheetFormat {
        const OLE2: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        if bytes.starts_with(&OLE2) {
            return SheetFormat::Xls;
        }
        if bytes.starts_with(b"PK\x03\x04") {
            let head = &bytes[..bytes.len().min(200)];
            let ods = head
                .windows(b"application/vnd.oasis.opendocument".len())
                .any(|w| w == b"application/vnd.oasis.opendocument");
            return if ods {
                SheetFormat::Ods
            } else {
                SheetFormat::Xlsx
            };
        }
        SheetFormat::Csv
    }
}

/// One cell's value, reduced to what the import needs.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    /// A cell formatted as a date: its serial number (days since 1899-12-30).
    Date(f64),
    /// A date already written as ISO 8601 text by the reader (ODS).
    IsoDate(String),
}

impl Cell {
    /// The value as text, trimmed; numbers without a needless `.0`.
    pub fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) | Cell::IsoDate(s) => s.trim().to_string(),
            Cell::Number(n) | Cell::Date(n) => number_text(*n),
        }
    }

    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }
}

fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        n.to_string()
    }
}

/// A row as the user sees it: its 1-based number and its cells from column A.
#[derive(Debug, Clone, PartialEq)]
pub struct SheetRow {
    pub number: u32,
    pub cells: Vec<Cell>,
}

/// Reads the first worksheet. Empty rows are dropped, but every kept row
/// carries its real number, so reports point at the line the user sees.
pub fn read(bytes: &[u8], format: SheetFormat) -> Result<Vec<SheetRow>> {
    match format {
        SheetFormat::Csv => read_csv(bytes),
        _ => read_workbook(bytes, format),
    }
}

fn read_workbook(bytes: &[u8], format: SheetFormat) -> Result<Vec<SheetRow>> {
    let cursor = Cursor::new(bytes);
    let unreadable = |e: &dyn std::fmt::Display| {
        ImportError::Unreadable(format!("not a readable {} file: {e}", format.as_str()))
    };
    let range = match format {
        SheetFormat::Xlsx => first_sheet(
            calamine::open_workbook_from_rs::<calamine::Xlsx<_>, _>(cursor)
                .map_err(|e| unreadable(&e))?,
        ),
        SheetFormat::Xls => first_sheet(
            calamine::open_workbook_from_rs::<calamine::Xls<_>, _>(cursor)
                .map_err(|e| unreadable(&e))?,
        ),
        SheetFormat::Ods => first_sheet(
            calamine::open_workbook_from_rs::<calamine::Ods<_>, _>(cursor)
                .map_err(|e| unreadable(&e))?,
        ),
        SheetFormat::Csv => return read_csv(bytes),
    }?;
    let (first_row, first_col) = range.start().unwrap_or((0, 0));
    let mut out = Vec::new();
    for (i, row) in range.rows().enumerate() {
        let mut cells: Vec<Cell> = vec![Cell::Empty; first_col as usize];
        cells.extend(row.iter().map(cell));
        if cells.iter().all(Cell::is_empty) {
            continue;
        }
        let number = first_row
            .saturating_add(u32::try_from(i).unwrap_or(u32::MAX))
            .saturating_add(1);
        out.push(SheetRow { number, cells });
    }
    Ok(out)
}

fn first_sheet<RS, R>(mut wb: R) -> Result<calamine::Range<Data>>
where
    RS: std::io::Read + std::io::Seek,
    R: Reader<RS>,
    R::Error: std::fmt::Display,
{
    match wb.worksheet_range_at(0) {
        Some(Ok(r)) => Ok(r),
        Some(Err(e)) => Err(ImportError::Unreadable(format!(
            "the first worksheet cannot be read: {e}"
        ))),
        None => Err(ImportError::Unreadable(
            "the workbook has no worksheet".into(),
        )),
    }
}

fn cell(d: &Data) -> Cell {
    match d {
        Data::Empty | Data::Error(_) => Cell::Empty,
        Data::String(s) => Cell::Text(s.clone()),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::Text(b.to_string()),
        Data::DateTime(dt) if dt.is_datetime() => Cell::Date(dt.as_f64()),
        Data::DateTime(dt) => Cell::Number(dt.as_f64()),
        Data::DateTimeIso(s) => Cell::IsoDate(s.clone()),
        Data::DurationIso(s) => Cell::Text(s.clone()),
    }
}

fn read_csv(bytes: &[u8]) -> Result<Vec<SheetRow>> {
    let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes))
        .map_err(|_| ImportError::Unreadable("the CSV file is not UTF-8 text".into()))?;
    let delimiter = sniff_delimiter(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut out = Vec::new();
    // Line numbers are counted from byte offsets: the reader's own line
    // count skips blank lines, which would shift every later row.
    let (mut counted_to, mut line) = (0usize, 1u32);
    for record in reader.records() {
        let record = record.map_err(|e| ImportError::Unreadable(format!("malformed CSV: {e}")))?;
        let start = record
            .position()
            .map(|p| usize::try_from(p.byte()).unwrap_or(usize::MAX))
            .unwrap_or(0)
            .min(text.len());
        // A record's position is where reading began, before blank lines.
        let start = start
            + text.as_bytes()[start..]
                .iter()
                .take_while(|b| matches!(b, b'\r' | b'\n'))
                .count();
        if start > counted_to {
            let skipped = text.as_bytes()[counted_to..start]
                .iter()
                .filter(|b| **b == b'\n')
                .count();
            line = line.saturating_add(u32::try_from(skipped).unwrap_or(u32::MAX));
            counted_to = start;
        }
        let number = line;
        let cells: Vec<Cell> = record
            .iter()
            .map(|s| {
                if s.trim().is_empty() {
                    Cell::Empty
                } else {
                    Cell::Text(s.to_string())
                }
            })
            .collect();
        if cells.iter().all(Cell::is_empty) {
            continue;
        }
        out.push(SheetRow { number, cells });
    }
    Ok(out)
}

/// Spreadsheets in many locales save CSV with `;`; the first lines tell
/// (several, since a title line above the header may have no delimiter).
fn sniff_delimiter(text: &str) -> u8 {
    let head: Vec<&str> = text.lines().take(20).collect();
    let count = |c: char| head.iter().map(|l| l.matches(c).count()).sum::<usize>();
    if count(';') > count(',') && count(';') >= count('\t') {
        b';'
    } else if count('\t') > count(',') {
        b'\t'
    } else {
        b','
    }
}

/// The ISO date (`YYYY-MM-DD`) of a spreadsheet serial number: days since
/// 1899-12-30, the epoch that absorbs Lotus 1-2-3's phantom 1900-02-29.
pub fn serial_to_iso_date(serial: f64) -> Option<String> {
    if !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    // Days from 1970-01-01: 1899-12-30 is 25569 days before it.
    let days = serial.floor() as i64 - 25_569;
    let (y, m, d) = civil_from_days(days);
    Some(format!("{y:04}-{m:02}-{d:02}"))
}

/// Howard Hinnant's days-to-civil algorithm (proleptic Gregorian).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serial_numbers_become_iso_dates() {
        assert_eq!(serial_to_iso_date(1.0).as_deref(), Some("1899-12-31"));
        assert_eq!(serial_to_iso_date(25_569.0).as_deref(), Some("1970-01-01"));
        assert_eq!(serial_to_iso_date(45_352.0).as_deref(), Some("2024-03-01"));
        assert_eq!(serial_to_iso_date(45_351.75).as_deref(), Some("2024-02-29"));
        assert_eq!(serial_to_iso_date(0.0), None);
        assert_eq!(serial_to_iso_date(-3.0), None);
    }

    #[test]
    fn formats_are_sniffed_from_content() {
        assert_eq!(SheetFormat::sniff(b"email,username\n"), SheetFormat::Csv);
        assert_eq!(
            SheetFormat::sniff(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0]),
            SheetFormat::Xls
        );
        let mut ods = b"PK\x03\x04".to_vec();
        ods.extend_from_slice(&[0; 26]);
        ods.extend_from_slice(b"mimetypeapplication/vnd.oasis.opendocument.spreadsheet");
        assert_eq!(SheetFormat::sniff(&ods), SheetFormat::Ods);
        assert_eq!(SheetFormat::sniff(b"PK\x03\x04xl/"), SheetFormat::Xlsx);
        assert_eq!(SheetFormat::parse(".XLSX"), Some(SheetFormat::Xlsx));
        assert_eq!(SheetFormat::parse("numbers"), None);
    }

    #[test]
    fn csv_keeps_real_line_numbers_and_guesses_the_delimiter() {
        let rows = read(b"Users\n\nemail;name\n a@x.io ;Ann\n", SheetFormat::Csv).expect("csv");
        let numbers: Vec<u32> = rows.iter().map(|r| r.number).collect();
        assert_eq!(numbers, vec![1, 3, 4]);
        assert_eq!(rows[2].cells[0].text(), "a@x.io");
        assert_eq!(rows[2].cells[1].text(), "Ann");
    }

    #[test]
    fn numbers_print_without_a_fraction_when_whole() {
        assert_eq!(Cell::Number(42.0).text(), "42");
        assert_eq!(Cell::Number(1.5).text(), "1.5");
    }
}
