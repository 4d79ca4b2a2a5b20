//! Untrusted spreadsheets (attachment text for search, user import files)
//! are read in a child process: this `hearth` binary re-run with the hidden
//! `read-sheet` command, the file on its standard input, the result as JSON
//! on its standard output. The parent caps the child's address space and CPU
//! time before it sends a byte, and kills it at the wall-clock deadline. The
//! reader itself streams cells within [`SheetLimits`]; the child makes any
//! failure it did not foresee (XLS has no streaming reader, a parser bug)
//! cost one failed file instead of the server.
//!
//! Plain text and CSV need no child: they are bounded slices of the bytes.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use hearth_import::ImportError;
use hearth_import::cells::SheetLimits;
use hearth_import::sheet::{SheetFormat, SheetRow};
use serde::{Deserialize, Serialize};

use crate::config::Config;

/// The hidden command the child runs.
pub const COMMAND: &str = "read-sheet";

/// Largest answer read back from a child: text is capped at 1 MiB, and a
/// million cells of rows fit well within this.
const MAX_ANSWER_BYTES: u64 = 256 * 1024 * 1024;

/// Runs spreadsheet readers in child processes, within the configured bounds.
#[derive(Debug, Clone)]
pub struct SheetReader {
    program: PathBuf,
    limits: SheetLimits,
    memory_bytes: u64,
}

/// What the child is asked to do; sent as its command-line argument.
#[derive(Debug, Serialize, Deserialize)]
struct Request {
    job: Job,
    max_cells: u64,
    max_unpacked_bytes: u64,
    max_millis: u64,
}

#[derive(Debug, Serialize, Deserialize)]
enum Job {
    /// Searchable text of an attachment.
    Text { file_name: String, mime: String },
    /// The first worksheet as rows, for the user import.
    Rows { format: String },
}

/// Why no text or rows came out of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadFailure {
    /// The file failed: unreadable, over a bound, or it made the reader die
    /// or overrun its time. Reading it again would fail again.
    File(String),
    /// The reader could not run (it would not start, or could not be
    /// confined); the file is not to blame and may be read later.
    Reader(String),
}

#[derive(Debug, Serialize, Deserialize)]
enum Answer {
    Text(Option<String>),
    Rows(Vec<SheetRow>),
    TooLarge(String),
    Unreadable(String),
}

impl SheetReader {
    /// Bounds and program from `[limits]` (an empty program is this binary).
    pub fn from_config(cfg: &Config) -> SheetReader {
        let l = &cfg.limits;
        let program = if l.sheet_reader_program.as_os_str().is_empty() {
            std::env::current_exe().unwrap_or_else(|_| PathBuf::from("hearth"))
        } else {
            l.sheet_reader_program.clone()
        };
        SheetReader {
            program,
            limits: SheetLimits {
                max_cells: l.sheet_max_cells,
                max_unpacked_bytes: l.sheet_max_unpacked_bytes,
                max_duration: Duration::from_millis(l.sheet_timeout_ms),
            },
            memory_bytes: l.sheet_memory_mb.saturating_mul(1024 * 1024),
        }
    }

    /// Searchable text of an attachment: `Ok(None)` for formats without
    /// text, `Err` when reading failed or crossed a bound.
    pub fn text(
        &self,
        file_name: &str,
        mime: &str,
        bytes: &[u8],
    ) -> Result<Option<String>, ReadFailure> {
        if hearth_search::spreadsheet_format(file_name, mime).is_none() {
            return hearth_search::extract_text_with(file_name, mime, bytes, &self.limits)
                .map_err(|e| ReadFailure::File(e.to_string()));
        }
        let job = Job::Text {
            file_name: file_name.to_owned(),
            mime: mime.to_owned(),
        };
        match self.run(job, bytes)? {
            Answer::Text(t) => Ok(t),
            Answer::TooLarge(m) | Answer::Unreadable(m) => Err(ReadFailure::File(m)),
            Answer::Rows(_) => Err(ReadFailure::File(
                "the spreadsheet reader answered out of turn".into(),
            )),
        }
    }

    /// The first worksheet's rows, for the user import. A file that fails
    /// is invalid input; a reader that cannot run is an internal error.
    pub fn rows(&self, bytes: &[u8], format: SheetFormat) -> hearth_core::Result<Vec<SheetRow>> {
        if format == SheetFormat::Csv {
            return Ok(hearth_import::sheet::read_with(
                bytes,
                format,
                &self.limits,
            )?);
        }
        let job = Job::Rows {
            format: format.as_str().to_owned(),
        };
        let failed = match self.run(job, bytes) {
            Ok(Answer::Rows(rows)) => return Ok(rows),
            Ok(Answer::TooLarge(m)) => ImportError::TooLarge(m),
            Ok(Answer::Unreadable(m)) => ImportError::Unreadable(m),
            Ok(Answer::Text(_)) => {
                ImportError::Unreadable("the spreadsheet reader answered out of turn".into())
            }
            Err(ReadFailure::File(reason)) => ImportError::Unreadable(format!(
                "the {} file cannot be read: {reason}",
                format.as_str()
            )),
            Err(ReadFailure::Reader(reason)) => return Err(hearth_core::Error::internal(reason)),
        };
        Err(failed.into())
    }

    /// Runs one child to completion or to the deadline.
    fn run(&self, job: Job, bytes: &[u8]) -> Result<Answer, ReadFailure> {
        let request = Request {
            job,
            max_cells: self.limits.max_cells,
            max_unpacked_bytes: self.limits.max_unpacked_bytes,
            max_millis: u64::try_from(self.limits.max_duration.as_millis()).unwrap_or(u64::MAX),
        };
        let request =
            serde_json::to_string(&request).map_err(|e| ReadFailure::Reader(e.to_string()))?;
        let mut child = Command::new(&self.program)
            .arg(COMMAND)
            .arg(request)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| {
                ReadFailure::Reader(format!("cannot start the spreadsheet reader: {e}"))
            })?;
        if let Err(e) = self.confine(child.id()) {
            let _ = child.kill();
            let _ = child.wait();
            tracing::warn!(error = %e, "cannot limit the spreadsheet reader's resources");
            return Err(ReadFailure::Reader(format!(
                "cannot limit the spreadsheet reader: {e}"
            )));
        }
        let (Some(mut stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
            let _ = child.kill();
            let _ = child.wait();
            return Err(ReadFailure::Reader(
                "the spreadsheet reader has no pipes".into(),
            ));
        };
        let input = bytes.to_vec();
        // A child that stops reading (or dies) ends the write with an error.
        let writer = std::thread::spawn(move || {
            let _ = stdin.write_all(&input);
        });
        let reader = std::thread::spawn(move || {
            let mut answer = Vec::new();
            let _ = stdout.take(MAX_ANSWER_BYTES).read_to_end(&mut answer);
            answer
        });
        let deadline = Instant::now() + self.limits.max_duration;
        let status = loop {
            match child.try_wait() {
                Ok(Some(status)) => break Ok(status),
                Ok(None) if Instant::now() >= deadline => {
                    let _ = child.kill();
                    let _ = child.wait();
                    break Err(ReadFailure::File(format!(
                        "reading took longer than {} ms",
                        self.limits.max_duration.as_millis()
                    )));
                }
                Ok(None) => std::thread::sleep(Duration::from_millis(5)),
                Err(e) => {
                    let _ = child.kill();
                    let _ = child.wait();
                    break Err(ReadFailure::Reader(format!(
                        "waiting for the spreadsheet reader: {e}"
                    )));
                }
            }
        };
        let _ = writer.join();
        let answer = reader.join().unwrap_or_default();
        let status = status?;
        if !status.success() {
            return Err(ReadFailure::File(format!(
                "the spreadsheet reader stopped ({status}): out of memory or time, or a parser failure"
            )));
        }
        serde_json::from_slice(&answer).map_err(|e| {
            ReadFailure::File(format!(
                "the spreadsheet reader's answer is unreadable: {e}"
            ))
        })
    }

    /// Caps the child's address space and CPU seconds (and forbids a core
    /// dump) before it gets input.
    fn confine(&self, pid: u32) -> Result<(), String> {
        use rustix::process::{Pid, Resource, Rlimit, prlimit};
        let pid = i32::try_from(pid)
            .ok()
            .and_then(Pid::from_raw)
            .ok_or_else(|| format!("bad process id {pid}"))?;
        let limit = |n: u64| Rlimit {
            current: Some(n),
            maximum: Some(n),
        };
        let cpu_secs = self.limits.max_duration.as_secs().saturating_add(1);
        prlimit(Some(pid), Resource::As, limit(self.memory_bytes)).map_err(|e| e.to_string())?;
        prlimit(Some(pid), Resource::Cpu, limit(cpu_secs)).map_err(|e| e.to_string())?;
        // A reader that dies of a hostile file leaves no core dump behind.
        prlimit(Some(pid), Resource::Core, limit(0)).map_err(|e| e.to_string())?;
        Ok(())
    }
}

/// The child's side: reads the file from standard input, answers on
/// standard output. Exits non-zero only when it cannot answer at all.
pub fn child_main(request: &str) -> ExitCode {
    let Ok(request) = serde_json::from_str::<Request>(request) else {
        return ExitCode::FAILURE;
    };
    let limits = SheetLimits {
        max_cells: request.max_cells,
        max_unpacked_bytes: request.max_unpacked_bytes,
        max_duration: Duration::from_millis(request.max_millis),
    };
    let mut bytes = Vec::new();
    if std::io::stdin().lock().read_to_end(&mut bytes).is_err() {
        return ExitCode::FAILURE;
    }
    let answer = match request.job {
        Job::Text { file_name, mime } => {
            match hearth_search::extract_text_with(&file_name, &mime, &bytes, &limits) {
                Ok(t) => Answer::Text(t),
                Err(e) => Answer::Unreadable(e.to_string()),
            }
        }
        Job::Rows { format } => match SheetFormat::parse(&format) {
            None => Answer::Unreadable(format!("unknown spreadsheet format '{format}'")),
            Some(f) => match hearth_import::sheet::read_with(&bytes, f, &limits) {
                Ok(rows) => Answer::Rows(rows),
                Err(ImportError::TooLarge(m)) => Answer::TooLarge(m),
                Err(e) => Answer::Unreadable(e.to_string()),
            },
        },
    };
    let mut out = std::io::stdout().lock();
    let written = serde_json::to_writer(&mut out, &answer).is_ok() && out.flush().is_ok();
    if written {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
