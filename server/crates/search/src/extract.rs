//! Text extraction from attachments so their contents are searchable.
//!
//! Supported: plain-text formats (by MIME type or extension), CSV/TSV, and
//! spreadsheets (XLSX, XLSM, XLSB, XLS, ODS), read as a bounded stream of
//! cells by `hearth_import::cells`. PDF is not supported (see the crate
//! documentation). Output is capped at [`MAX_EXTRACTED_BYTES`] so one huge
//! upload cannot bloat the index; inputs are bounded by [`SheetLimits`].

use std::ops::ControlFlow;
use std::panic::{AssertUnwindSafe, catch_unwind};

pub use hearth_import::cells::SheetLimits;
use hearth_import::cells::{Sheets, for_each_cell};
use hearth_import::sheet::SheetFormat;

use crate::error::{Error, Result};

/// Upper bound on extracted text per file.
pub const MAX_EXTRACTED_BYTES: usize = 1 << 20;

const TEXT_EXTENSIONS: &[&str] = &[
    "txt", "text", "md", "markdown", "log", "json", "xml", "yaml", "yml", "toml", "ini", "cfg",
    "conf", "rs", "py", "js", "ts", "go", "java", "kt", "c", "h", "cpp", "hpp", "cs", "rb", "php",
    "sh", "sql", "html", "htm", "css", "csv", "tsv", "rst", "tex", "srt", "vtt",
];

const SPREADSHEET_EXTENSIONS: &[&str] = &["xlsx", "xlsm", "xlsb", "xls", "ods"];

const SPREADSHEET_MIMES: &[&str] = &[
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.ms-excel.sheet.macroenabled.12",
    "application/vnd.ms-excel.sheet.binary.macroenabled.12",
    "application/vnd.ms-excel",
    "application/vnd.oasis.opendocument.spreadsheet",
];

/// The spreadsheet format of an attachment, from its name or MIME type.
pub fn spreadsheet_format(file_name: &str, mime: &str) -> Option<SheetFormat> {
    let ext = extension(file_name);
    let mime = base_mime(mime);
    if ext == "xls" || mime == "application/vnd.ms-excel" {
        return Some(SheetFormat::Xls);
    }
    if ext == "ods" || mime == "application/vnd.oasis.opendocument.spreadsheet" {
        return Some(SheetFormat::Ods);
    }
    // XLSB is told from XLSX by its members when read.
    (SPREADSHEET_EXTENSIONS.contains(&ext.as_str()) || SPREADSHEET_MIMES.contains(&mime.as_str()))
        .then_some(SheetFormat::Xlsx)
}

fn extension(file_name: &str) -> String {
    file_name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default()
}

fn base_mime(mime: &str) -> String {
    mime.split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

/// Extracts searchable text from an attachment within the default limits.
pub fn extract_text(file_name: &str, mime: &str, bytes: &[u8]) -> Result<Option<String>> {
    extract_text_with(file_name, mime, bytes, &SheetLimits::default())
}

/// Extracts searchable text from an attachment.
///
/// Returns `Ok(None)` for formats without text support (images, archives,
/// PDF, …), `Err` when a supported format fails to parse or crosses one of
/// `limits` (the caller then indexes the file by name only). Never panics.
/// Spreadsheets are streamed cell by cell (see `hearth_import::cells`); the
/// text is cut at [`MAX_EXTRACTED_BYTES`], which stops reading early.
pub fn extract_text_with(
    file_name: &str,
    mime: &str,
    bytes: &[u8],
    limits: &SheetLimits,
) -> Result<Option<String>> {
    if let Some(format) = spreadsheet_format(file_name, mime) {
        return spreadsheet_text(file_name, format, bytes, limits).map(Some);
    }
    let ext = extension(file_name);
    let mime = base_mime(mime);
    let textual = mime.starts_with("text/")
        || matches!(
            mime.as_str(),
            "application/json" | "application/xml" | "application/x-yaml"
        )
        || TEXT_EXTENSIONS.contains(&ext.as_str());
    if textual {
        return Ok(plain_text(bytes));
    }
    Ok(None)
}

/// Decodes UTF-8 (lossily), rejecting content that is clearly binary. Only
/// the first [`MAX_EXTRACTED_BYTES`] are decoded, whatever the file's size.
fn plain_text(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(8192)];
    if head.contains(&0) {
        return None;
    }
    let mut text =
        String::from_utf8_lossy(&bytes[..bytes.len().min(MAX_EXTRACTED_BYTES)]).into_owned();
    truncate_at_char(&mut text, MAX_EXTRACTED_BYTES);
    Some(text)
}

fn truncate_at_char(text: &mut String, max: usize) {
    if text.len() > max {
        let mut cut = max;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
    }
}

/// All sheets, one line per row, cells separated by tabs.
fn spreadsheet_text(
    file_name: &str,
    format: SheetFormat,
    bytes: &[u8],
    limits: &SheetLimits,
) -> Result<String> {
    let fail = |reason: String| Error::Extract {
        file_name: file_name.to_owned(),
        reason,
    };
    // The readers are defensive but handle untrusted uploads; a panic must
    // not take the indexing loop down.
    let result = catch_unwind(AssertUnwindSafe(|| -> Result<String, String> {
        let mut out = String::new();
        let mut at: Option<(usize, u32)> = None;
        for_each_cell(bytes, format, limits, Sheets::All, |sheet, row, _, cell| {
            let value = cell.text();
            match at {
                Some(prev) if prev == (sheet, row) => out.push('\t'),
                Some(_) => out.push('\n'),
                None => {}
            }
            at = Some((sheet, row));
            out.push_str(&value);
            if out.len() >= MAX_EXTRACTED_BYTES {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        })
        .map_err(|e| e.to_string())?;
        if !out.is_empty() {
            out.push('\n');
        }
        truncate_at_char(&mut out, MAX_EXTRACTED_BYTES);
        Ok(out)
    }));
    match result {
        Ok(Ok(text)) => Ok(text),
        Ok(Err(reason)) => Err(fail(reason)),
        Err(_) => Err(fail(
            "the spreadsheet parser failed on malformed input".to_owned(),
        )),
    }
}
