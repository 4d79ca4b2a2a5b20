//! Text extraction from attachments so their contents are searchable.
//!
//! Supported: plain-text formats (by MIME type or extension), CSV/TSV, and
//! spreadsheets (XLSX, XLSM, XLSB, XLS, ODS) through calamine. PDF is not
//! supported (see the crate documentation). Output is capped at
//! [`MAX_EXTRACTED_BYTES`] so one huge upload cannot bloat the index.

use std::io::Cursor;
use std::panic::{AssertUnwindSafe, catch_unwind};

use calamine::{Reader, open_workbook_auto_from_rs};

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

/// Extracts searchable text from an attachment.
///
/// Returns `Ok(None)` for formats without text support (images, archives,
/// PDF, …), `Err` when a supported format fails to parse. Never panics.
pub fn extract_text(file_name: &str, mime: &str, bytes: &[u8]) -> Result<Option<String>> {
    let ext = file_name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let mime = mime
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    if SPREADSHEET_EXTENSIONS.contains(&ext.as_str()) || SPREADSHEET_MIMES.contains(&mime.as_str())
    {
        return spreadsheet_text(file_name, bytes).map(Some);
    }
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

/// Decodes UTF-8 (lossily), rejecting content that is clearly binary.
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
fn spreadsheet_text(file_name: &str, bytes: &[u8]) -> Result<String> {
    let fail = |reason: String| Error::Extract {
        file_name: file_name.to_owned(),
        reason,
    };
    // The parsers are defensive but handle untrusted uploads; a panic must
    // not take the indexing loop down.
    let result = catch_unwind(AssertUnwindSafe(|| -> Result<String, String> {
        let mut workbook =
            open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| e.to_string())?;
        let mut out = String::new();
        'sheets: for name in workbook.sheet_names() {
            let range = workbook.worksheet_range(&name).map_err(|e| e.to_string())?;
            for row in range.rows() {
                let mut line = String::new();
                for cell in row {
                    let value = cell.to_string();
                    if !value.is_empty() {
                        if !line.is_empty() {
                            line.push('\t');
                        }
                        line.push_str(&value);
                    }
                }
                if !line.is_empty() {
                    out.push_str(&line);
                    out.push('\n');
                }
                if out.len() >= MAX_EXTRACTED_BYTES {
                    break 'sheets;
                }
            }
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
