//! Printing: tables for people, stable JSON for scripts (`--json`), and
//! progress spinners only when someone is watching.

use std::io::{IsTerminal, Write};
use std::time::Duration;

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{ContentArrangement, Table};
use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;

use crate::exit::{CliError, Result};

#[derive(Debug, Clone, Copy)]
pub struct Out {
    pub json: bool,
}

impl Out {
    /// Prints `value` as pretty JSON with `--json`, else the text `human` makes.
    pub fn emit<T: Serialize>(&self, value: &T, human: impl FnOnce() -> String) -> Result<()> {
        let text = if self.json {
            serde_json::to_string_pretty(value).map_err(|e| CliError::Other(e.to_string()))?
        } else {
            human()
        };
        print_line(&text)
    }

    /// A spinner on standard error while a long job runs, when standard
    /// output is a terminal and the output is not JSON.
    pub fn spinner(&self, message: &str) -> Option<ProgressBar> {
        if self.json || !std::io::stdout().is_terminal() {
            return None;
        }
        let pb = ProgressBar::new_spinner();
        if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} ({elapsed})") {
            pb.set_style(style);
        }
        pb.set_message(message.to_string());
        pb.enable_steady_tick(Duration::from_millis(120));
        Some(pb)
    }
}

/// Writes one block of output; a closed pipe (`| head`) is not an error.
pub fn print_line(text: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match writeln!(out, "{text}") {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        r => r.map_err(|e| CliError::Other(format!("cannot write output: {e}"))),
    }
}

/// A table with a header row.
pub fn table<R: IntoIterator<Item = Vec<String>>>(header: &[&str], rows: R) -> String {
    let mut t = Table::new();
    t.load_style(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(header.iter().copied());
    for r in rows {
        t.add_row(r);
    }
    t.to_string()
}

/// The steps of a diagnosis (directory or sign-in provider check).
pub fn steps<'a>(rows: impl Iterator<Item = (&'a str, &'a str, &'a str, u64)>) -> String {
    table(
        &["check", "status", "detail", "ms"],
        rows.map(|(check, status, detail, ms)| {
            vec![
                check.to_string(),
                status.to_string(),
                detail.to_string(),
                ms.to_string(),
            ]
        }),
    )
}

/// A two-column table of one object's fields.
pub fn fields(rows: Vec<(&str, String)>) -> String {
    let mut t = Table::new();
    t.load_style(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled);
    for (k, v) in rows {
        t.add_row(vec![k.to_string(), v]);
    }
    t.to_string()
}

/// UTC milliseconds as an RFC 3339 time to the second.
pub fn time(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .map(|t| t.strftime("%Y-%m-%d %H:%M:%SZ").to_string())
        .unwrap_or_else(|_| ms.to_string())
}

pub fn opt_time(ms: Option<i64>) -> String {
    ms.map(time).unwrap_or_else(|| "-".into())
}

pub fn yes_no(b: bool) -> String {
    if b { "yes" } else { "no" }.to_string()
}

/// A JSON value as a table cell: strings bare, others as compact JSON.
pub fn cell(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => "-".into(),
        other => other.to_string(),
    }
}
