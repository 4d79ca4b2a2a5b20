//! Reading a spreadsheet's first worksheet into plain rows of cells, whatever
//! the format, so the user import sees one shape for XLSX, XLS, ODS and CSV.

use std::collections::BTreeMap;
use std::ops::ControlFlow;

use calamine::Data;

use crate::cells::{self, SheetLimits, Sheets};
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
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
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
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SheetRow {
    pub number: u32,
    pub cells: Vec<Cell>,
}

/// Reads the first worksheet with the default [`SheetLimits`].
pub fn read(bytes: &[u8], format: SheetFormat) -> Result<Vec<SheetRow>> {
    read_with(bytes, format, &SheetLimits::default())
}

/// Reads the first worksheet. Empty rows are dropped, but every kept row
/// carries its real number, so reports point at the line the user sees.
/// Cells are streamed (see [`crate::cells`]): a declared sheet size costs
/// nothing, and the rows built, gaps included, stay within `limits.max_cells`.
pub fn read_with(bytes: &[u8], format: SheetFormat, limits: &SheetLimits) -> Result<Vec<SheetRow>> {
    if format == SheetFormat::Csv {
        return read_csv(bytes, limits);
    }
    let mut by_row: BTreeMap<u32, Vec<(u32, Cell)>> = BTreeMap::new();
    cells::for_each_cell(bytes, format, limits, Sheets::First, |_, row, col, cell| {
        by_row.entry(row).or_default().push((col, cell));
        ControlFlow::Continue(())
    })?;
    let mut left = limits.max_cells;
    let mut out = Vec::with_capacity(by_row.len());
    for (row, mut values) in by_row {
        values.sort_by_key(|(col, _)| *col);
        let width = values
            .last()
            .map(|(col, _)| u64::from(*col) + 1)
            .unwrap_or(0);
        // Gaps become empty cells: a value in column XFD costs 16 384.
        left = left.checked_sub(width).ok_or_else(|| {
            ImportError::TooLarge(format!(
                "the first worksheet spans more than {} cells",
                limits.max_cells
            ))
        })?;
        let mut cells = Vec::with_capacity(usize::try_from(width).unwrap_or(0));
        for (col, cell) in values {
            cells.resize(usize::try_from(col).unwrap_or(usize::MAX), Cell::Empty);
            cells.push(cell);
        }
        out.push(SheetRow {
            number: row.saturating_add(1),
            cells,
        });
    }
    Ok(out)
}

pub(crate) fn cell(d: &Data) -> Cell {
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

fn read_csv(bytes: &[u8], limits: &SheetLimits) -> Result<Vec<SheetRow>> {
    let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes))
        .map_err(|_| ImportError::Unreadable("the CSV file is not UTF-8 text".into()))?;
    let mut out = Vec::new();
    let mut left = limits.max_cells;
    // Line numbers are counted from byte offsets: the reader's own line
    // count skips blank lines, which would shift every later row.
    let (mut counted_to, mut line) = (0usize, 1u32);
    cells::for_each_csv_record(text.as_bytes(), |start, record| {
        let start = start.min(text.len());
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
        left = left.checked_sub(record.len() as u64).ok_or_else(|| {
            ImportError::TooLarge(format!(
                "the CSV file has more than {} cells",
                limits.max_cells
            ))
        })?;
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
        if !cells.iter().all(Cell::is_empty) {
            out.push(SheetRow {
                number: line,
                cells,
            });
        }
        Ok(ControlFlow::Continue(()))
    })?;
    Ok(out)
}

/// Spreadsheets in many locales save CSV with `;`; the first lines tell
/// (several, since a title line above the header may have no delimiter).
pub(crate) fn sniff_delimiter(text: &str) -> u8 {
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
