//! Exit codes and the one error type of the program. Scripts branch on the
//! exit code; people read the server's stable error code and message.

use hearth_client::ClientError;

pub const OK: u8 = 0;
pub const FAILURE: u8 = 1;
pub const USAGE: u8 = 2;
pub const NOT_FOUND: u8 = 3;
pub const PERMISSION: u8 = 4;
pub const INVALID: u8 = 5;
pub const UNREACHABLE: u8 = 6;

/// The exit codes as printed at the end of `--help` and in the man page.
pub const HELP: &str = "\
Exit codes:
  0  success
  1  failure (server error, broken audit chain, local problem)
  2  usage error (unknown command or bad arguments)
  3  not found (user, team, channel, token...)
  4  permission denied (not signed in, token expired, not allowed)
  5  rejected input: invalid value or conflict (name taken, config invalid)
  6  server unreachable (connection refused, timeout, no socket)";

/// Why a command failed.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The server answered with an error body.
    #[error("{code}: {message}")]
    Api {
        code: String,
        message: String,
        exit: u8,
    },
    /// The server could not be reached.
    #[error("cannot reach the server: {0}")]
    Unreachable(String),
    /// A lookup on this side found nothing (e.g. no user with that e-mail).
    #[error("not_found: {0}")]
    NotFound(String),
    /// Arguments that parse but make no sense together.
    #[error("{0}")]
    Usage(String),
    /// Anything else: configuration files, token files, output files.
    #[error("{0}")]
    Other(String),
}

impl CliError {
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Api { exit, .. } => *exit,
            CliError::Unreachable(_) => UNREACHABLE,
            CliError::NotFound(_) => NOT_FOUND,
            CliError::Usage(_) => USAGE,
            CliError::Other(_) => FAILURE,
        }
    }

    /// The stable code shown to the user and in `--json` errors.
    pub fn code(&self) -> String {
        match self {
            CliError::Api { code, .. } => code.clone(),
            CliError::Unreachable(_) => "unreachable".into(),
            CliError::NotFound(_) => "not_found".into(),
            CliError::Usage(_) => "usage".into(),
            CliError::Other(_) => "failed".into(),
        }
    }

    pub fn message(&self) -> String {
        match self {
            CliError::Api { message, .. } => message.clone(),
            CliError::Unreachable(m)
            | CliError::NotFound(m)
            | CliError::Usage(m)
            | CliError::Other(m) => m.clone(),
        }
    }
}

/// The exit code of an API error code, matched on its wire name so codes
/// added later (by a newer server or build) fall back to the HTTP status.
pub fn exit_for(code: &str, status: u16) -> u8 {
    match code {
        "not_found" => NOT_FOUND,
        "unauthenticated"
        | "invalid_credentials"
        | "session_expired"
        | "csrf_mismatch"
        | "forbidden"
        | "account_inactive"
        | "setup_token_invalid"
        | "signup_disabled"
        | "token_for_other_account"
        | "separation_of_duties" => PERMISSION,
        "invalid_input" | "conflict" | "payload_too_large" | "file_too_large"
        | "channel_archived" | "invalid_config" | "config_locked" => INVALID,
        "rate_limited" | "unavailable" | "internal" => FAILURE,
        _ => exit_for_status(status),
    }
}

impl From<ClientError> for CliError {
    fn from(e: ClientError) -> Self {
        match e {
            ClientError::Api {
                status,
                code,
                message,
            } => {
                let code = serde_json::to_value(code)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_else(|| format!("{code:?}"));
                CliError::Api {
                    exit: exit_for(&code, status),
                    code,
                    message,
                }
            }
            ClientError::Unexpected { status, body } => {
                // Codes this build does not know yet (e.g. `invalid_config`)
                // still carry the standard body: keep them readable.
                let parsed: Option<(String, String)> =
                    serde_json::from_str::<serde_json::Value>(&body)
                        .ok()
                        .and_then(|v| {
                            let e = v.get("error")?;
                            Some((
                                e.get("code")?.as_str()?.to_string(),
                                e.get("message")?.as_str()?.to_string(),
                            ))
                        });
                match parsed {
                    Some((code, message)) => CliError::Api {
                        exit: exit_for(&code, status),
                        code,
                        message,
                    },
                    None => CliError::Api {
                        code: format!("http_{status}"),
                        message: body,
                        exit: exit_for_status(status),
                    },
                }
            }
            ClientError::Http(e) if e.is_connect() || e.is_timeout() => {
                CliError::Unreachable(describe(&e))
            }
            other => CliError::Other(other.to_string()),
        }
    }
}

/// The exit code of an error status whose code is unknown here.
fn exit_for_status(status: u16) -> u8 {
    match status {
        400 | 409 | 413 | 422 => INVALID,
        401 | 403 => PERMISSION,
        404 => NOT_FOUND,
        _ => FAILURE,
    }
}

/// The transport error with its causes, which say what actually failed
/// ("Connection refused", "No such file or directory").
fn describe(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        out.push_str(": ");
        out.push_str(&c.to_string());
        cur = c.source();
    }
    out
}

pub type Result<T, E = CliError> = std::result::Result<T, E>;
