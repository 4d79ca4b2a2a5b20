//! Bounded, streaming reading of spreadsheet cells for untrusted files.
//!
//! A spreadsheet's declared size says nothing about its real content: a
//! 1.5 KB XLSX may declare `A1:XFD1048576`, and a dense reader then
//! allocates the whole grid. This reader never builds a grid. It walks the
//! cells that are present, counts them against [`SheetLimits::max_cells`],
//! and unpacks zip members (XLSX, XLSB, ODS) only up to
//! [`SheetLimits::max_unpacked_bytes`] of real decompressed data, whatever
//! sizes the archive claims. Hitting a bound is an error
//! ([`ImportError::TooLarge`]), never a silent truncation.
//!
//! XLS (BIFF) has no streaming reader: calamine parses its sheets into a
//! grid, which BIFF8 caps at 65 536 × 256 cells (about half a GiB at worst).
//! The server therefore runs spreadsheet reading in a memory-limited child
//! process; the cell bound still applies to what it returns.

use std::io::{Cursor, Read};
use std::ops::ControlFlow;
use std::time::{Duration, Instant};

use calamine::{DataRef, Reader};

use crate::error::{ImportError, Result};
use crate::sheet::{Cell, SheetFormat};

mod ods;

/// How much of an untrusted spreadsheet may be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SheetLimits {
    /// Cells with a value, over all sheets read (repeated ODS cells count
    /// once per repetition).
    pub max_cells: u64,
    /// Decompressed bytes of all zip members together.
    pub max_unpacked_bytes: u64,
    /// Wall-clock time, checked between cells and zip members. (The server
    /// also kills its extraction child process at this deadline.)
    pub max_duration: Duration,
}

impl Default for SheetLimits {
    fn default() -> Self {
        SheetLimits {
            max_cells: 1_000_000,
            max_unpacked_bytes: 64 * 1024 * 1024,
            max_duration: Duration::from_secs(20),
        }
    }
}

fn too_slow(limits: &SheetLimits) -> ImportError {
    ImportError::TooLarge(format!(
        "reading the spreadsheet took longer than {} ms",
        limits.max_duration.as_millis()
    ))
}

/// Which sheets to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sheets {
    First,
    All,
}

/// Calls `f(sheet, row, column, cell)` for every cell with a value, in the
/// order the file stores them (rows and columns 0-based), until `f` breaks.
/// Stops with [`ImportError::TooLarge`] at the first bound crossed.
pub fn for_each_cell(
    bytes: &[u8],
    format: SheetFormat,
    limits: &SheetLimits,
    sheets: Sheets,
    mut f: impl FnMut(usize, u32, u32, Cell) -> ControlFlow<()>,
) -> Result<()> {
    let mut budget = CellBudget {
        left: limits.max_cells,
        max: limits.max_cells,
    };
    let started = Instant::now();
    let mut emit = |sheet: usize, row: u32, col: u32, cell: Cell| -> Result<bool> {
        if cell.is_empty() {
            return Ok(true);
        }
        budget.take(1)?;
        if budget.left.is_multiple_of(1024) && started.elapsed() > limits.max_duration {
            return Err(too_slow(limits));
        }
        Ok(f(sheet, row, col, cell).is_continue())
    };
    match format {
        SheetFormat::Csv => csv_cells(bytes, &mut emit),
        SheetFormat::Xlsx => {
            let names = check_zip(bytes, limits)?;
            if names
                .iter()
                .any(|n| n.eq_ignore_ascii_case("xl/workbook.bin"))
            {
                xlsb_cells(bytes, sheets, &mut emit)
            } else {
                xlsx_cells(bytes, sheets, &mut emit)
            }
        }
        SheetFormat::Ods => {
            check_zip(bytes, limits)?;
            let content = zip_member(bytes, "content.xml", limits.max_unpacked_bytes)?;
            ods::cells(&content, sheets, &mut budget_for_ods(limits), &mut emit)
        }
        SheetFormat::Xls => xls_cells(bytes, sheets, &mut emit),
    }
}

pub(crate) struct CellBudget {
    left: u64,
    max: u64,
}

impl CellBudget {
    pub(crate) fn take(&mut self, n: u64) -> Result<()> {
        match self.left.checked_sub(n) {
            Some(left) => {
                self.left = left;
                Ok(())
            }
            None => Err(ImportError::TooLarge(format!(
                "the spreadsheet has more than {} cells",
                self.max
            ))),
        }
    }
}

/// ODS repeats are checked before they are expanded, with their own budget
/// (the emitted cells are counted again by `for_each_cell`).
fn budget_for_ods(limits: &SheetLimits) -> CellBudget {
    CellBudget {
        left: limits.max_cells,
        max: limits.max_cells,
    }
}

pub(crate) fn unreadable(format: &str, e: impl std::fmt::Display) -> ImportError {
    ImportError::Unreadable(format!("not a readable {format} file: {e}"))
}

/// Decompresses every member, counting real output bytes against `max`
/// (declared sizes may lie), and returns the member names.
fn check_zip(bytes: &[u8], limits: &SheetLimits) -> Result<Vec<String>> {
    let started = Instant::now();
    let max = limits.max_unpacked_bytes;
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| unreadable("zip", e))?;
    let mut left = max;
    let mut names = Vec::with_capacity(zip.len());
    for i in 0..zip.len() {
        let member = zip.by_index(i).map_err(|e| unreadable("zip", e))?;
        names.push(
            member
                .name()
                .map_err(|e| unreadable("zip", e))?
                .into_owned(),
        );
        let read = std::io::copy(
            &mut member.take(left.saturating_add(1)),
            &mut std::io::sink(),
        )
        .map_err(|e| unreadable("zip", e))?;
        left = left.checked_sub(read).ok_or_else(|| too_unpacked(max))?;
        if started.elapsed() > limits.max_duration {
            return Err(too_slow(limits));
        }
    }
    Ok(names)
}

fn too_unpacked(max: u64) -> ImportError {
    ImportError::TooLarge(format!("the spreadsheet unpacks to more than {max} bytes"))
}

/// One member's decompressed bytes, at most `max`.
fn zip_member(bytes: &[u8], name: &str, max: u64) -> Result<Vec<u8>> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| unreadable("zip", e))?;
    let member = zip
        .by_name(name)
        .map_err(|e| unreadable("ods", format!("{name}: {e}")))?;
    let mut out = Vec::new();
    member
        .take(max.saturating_add(1))
        .read_to_end(&mut out)
        .map_err(|e| unreadable("ods", e))?;
    if out.len() as u64 > max {
        return Err(too_unpacked(max));
    }
    Ok(out)
}

/// Takes a cell; `false` means the caller has read enough.
pub(crate) type Emit<'a> = dyn FnMut(usize, u32, u32, Cell) -> Result<bool> + 'a;

fn data_ref(d: DataRef<'_>) -> Cell {
    match d {
        DataRef::Empty | DataRef::Error(_) => Cell::Empty,
        DataRef::String(s) => Cell::Text(s),
        DataRef::SharedString(s) => Cell::Text(s.to_owned()),
        DataRef::Int(i) => Cell::Number(i as f64),
        DataRef::Float(f) => Cell::Number(f),
        DataRef::Bool(b) => Cell::Text(b.to_string()),
        DataRef::DateTime(dt) if dt.is_datetime() => Cell::Date(dt.as_f64()),
        DataRef::DateTime(dt) => Cell::Number(dt.as_f64()),
        DataRef::DateTimeIso(s) => Cell::IsoDate(s),
        DataRef::DurationIso(s) => Cell::Text(s),
    }
}

fn sheet_count(sheets: Sheets, n: usize) -> usize {
    match sheets {
        Sheets::First => n.min(1),
        Sheets::All => n,
    }
}

fn xlsx_cells(bytes: &[u8], sheets: Sheets, emit: &mut Emit<'_>) -> Result<()> {
    let mut wb: calamine::Xlsx<_> =
        calamine::Xlsx::new(Cursor::new(bytes)).map_err(|e| unreadable("xlsx", e))?;
    let names = wb.sheet_names();
    for (i, name) in names
        .iter()
        .take(sheet_count(sheets, names.len()))
        .enumerate()
    {
        let mut cells = match wb.worksheet_cells_reader(name) {
            Ok(c) => c,
            // Chart sheets and dialogs have no cells.
            Err(calamine::XlsxError::NotAWorksheet(_)) => continue,
            Err(e) => return Err(unreadable("xlsx", e)),
        };
        while let Some(c) = cells.next_cell().map_err(|e| unreadable("xlsx", e))? {
            let (row, col) = c.get_position();
            if !emit(i, row, col, data_ref(c.get_value().clone()))? {
                return Ok(());
            }
        }
    }
    Ok(())
}

fn xlsb_cells(bytes: &[u8], sheets: Sheets, emit: &mut Emit<'_>) -> Result<()> {
    let mut wb: calamine::Xlsb<_> =
        calamine::Xlsb::new(Cursor::new(bytes)).map_err(|e| unreadable("xlsb", e))?;
    let names = wb.sheet_names();
    for (i, name) in names
        .iter()
        .take(sheet_count(sheets, names.len()))
        .enumerate()
    {
        let mut cells = wb
            .worksheet_cells_reader(name)
            .map_err(|e| unreadable("xlsb", e))?;
        while let Some(c) = cells.next_cell().map_err(|e| unreadable("xlsb", e))? {
            let (row, col) = c.get_position();
            if !emit(i, row, col, data_ref(c.get_value().clone()))? {
                return Ok(());
            }
        }
    }
    Ok(())
}

/// See the module documentation: the grid is BIFF8-bounded, and the server
/// reads XLS in a memory-limited child process.
fn xls_cells(bytes: &[u8], sheets: Sheets, emit: &mut Emit<'_>) -> Result<()> {
    let mut wb: calamine::Xls<_> =
        calamine::Xls::new(Cursor::new(bytes)).map_err(|e| unreadable("xls", e))?;
    let names = wb.sheet_names();
    for (i, name) in names
        .iter()
        .take(sheet_count(sheets, names.len()))
        .enumerate()
    {
        let range = wb.worksheet_range(name).map_err(|e| unreadable("xls", e))?;
        for (row, col, d) in range.used_cells() {
            let (r0, c0) = range.start().unwrap_or((0, 0));
            let row = r0.saturating_add(u32::try_from(row).unwrap_or(u32::MAX));
            let col = c0.saturating_add(u32::try_from(col).unwrap_or(u32::MAX));
            if !emit(i, row, col, crate::sheet::cell(d))? {
                return Ok(());
            }
        }
    }
    Ok(())
}

fn csv_cells(bytes: &[u8], emit: &mut Emit<'_>) -> Result<()> {
    let mut row = 0u32;
    for_each_csv_record(bytes, |_, record| {
        for (col, value) in record.iter().enumerate() {
            let col = u32::try_from(col).unwrap_or(u32::MAX);
            if !emit(0, row, col, Cell::Text(value.to_owned()))? {
                return Ok(ControlFlow::Break(()));
            }
        }
        row = row.saturating_add(1);
        Ok(ControlFlow::Continue(()))
    })
}

/// Streams CSV records (delimiter guessed from the first lines) until `f`
/// breaks; the callback gets each record's starting byte offset.
pub(crate) fn for_each_csv_record(
    bytes: &[u8],
    mut f: impl FnMut(usize, &csv::StringRecord) -> Result<ControlFlow<()>>,
) -> Result<()> {
    let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes))
        .map_err(|_| ImportError::Unreadable("the CSV file is not UTF-8 text".into()))?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(crate::sheet::sniff_delimiter(text))
        .from_reader(text.as_bytes());
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {
                let start = record
                    .position()
                    .map(|p| usize::try_from(p.byte()).unwrap_or(usize::MAX))
                    .unwrap_or(0);
                if f(start, &record)?.is_break() {
                    return Ok(());
                }
            }
            Ok(false) => return Ok(()),
            Err(e) => return Err(ImportError::Unreadable(format!("malformed CSV: {e}"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_are_counted_against_the_limit() {
        let limits = SheetLimits {
            max_cells: 5,
            ..SheetLimits::default()
        };
        let mut n = 0;
        let ok = for_each_cell(
            b"a,b\nc,d\n",
            SheetFormat::Csv,
            &limits,
            Sheets::All,
            |_, _, _, _| {
                n += 1;
                ControlFlow::Continue(())
            },
        );
        assert!(ok.is_ok(), "{ok:?}");
        assert_eq!(n, 4);
        let err = for_each_cell(
            b"a,b,c\nd,e,f\n",
            SheetFormat::Csv,
            &limits,
            Sheets::All,
            |_, _, _, _| ControlFlow::Continue(()),
        );
        assert!(matches!(err, Err(ImportError::TooLarge(_))), "{err:?}");
    }
}
