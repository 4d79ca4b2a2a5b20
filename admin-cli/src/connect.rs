//! Turns the global options into a client: the local administration socket,
//! an explicit URL with a token, or a named profile.

use std::path::PathBuf;
use std::time::Duration;

use hearth_client::Client;

use crate::cli::Global;
use crate::exit::{CliError, Result};
use crate::profiles::{self, ProfilesFile};

/// The socket file name inside the data directory (the server's default).
const SOCKET_NAME: &str = "hearth.sock";

/// Where `--local` looks for the socket when `--socket` is not given.
pub fn local_socket(g: &Global) -> PathBuf {
    if let Some(s) = &g.socket {
        return s.clone();
    }
    let data_dir = g
        .data_dir
        .clone()
        .or_else(|| std::env::var_os("HEARTH_SERVER__DATA_DIR").map(PathBuf::from))
        .unwrap_or_else(|| PathBuf::from("./hearth-data"));
    data_dir.join(SOCKET_NAME)
}

/// The client the command talks through.
pub fn client(g: &Global) -> Result<Client> {
    client_with_timeout(g, Duration::from_secs(g.timeout.max(1)))
}

pub fn client_with_timeout(g: &Global, timeout: Duration) -> Result<Client> {
    if g.local || g.socket.is_some() {
        let path = local_socket(g);
        if !path.exists() {
            return Err(CliError::Unreachable(format!(
                "no administration socket at {} (is the server running on this host, with \
                 [server] admin_socket on? use --data-dir or --socket to point elsewhere)",
                path.display()
            )));
        }
        return Ok(Client::unix(&path, timeout)?);
    }
    let (url, token) = remote(g)?;
    Ok(Client::with_timeout(url, timeout)?.with_token(token))
}

/// URL and token: flags and environment first, then the profile.
fn remote(g: &Global) -> Result<(String, String)> {
    let env_token = std::env::var("HEARTHCTL_TOKEN")
        .ok()
        .filter(|t| !t.trim().is_empty());
    let explicit_token = match (&g.token_file, env_token) {
        (Some(f), _) => Some(profiles::read_token(f)?),
        (None, Some(t)) => Some(t.trim().to_string()),
        (None, None) => None,
    };
    if let (Some(url), Some(token)) = (&g.url, &explicit_token) {
        return Ok((url.clone(), token.clone()));
    }
    let file = ProfilesFile::load(&profiles::path()?)?;
    let name = g.profile.clone().or(file.default.clone());
    let Some(name) = name else {
        return Err(CliError::Usage(
            "no server given: use --url with --token-file (or HEARTHCTL_URL and \
             HEARTHCTL_TOKEN), --profile NAME, or --local on the server's host"
                .into(),
        ));
    };
    let profile = file.get(&name)?;
    let url = g.url.clone().unwrap_or_else(|| profile.url.clone());
    let token = match explicit_token {
        Some(t) => t,
        None => profiles::read_token(&profile.token_file)?,
    };
    Ok((url, token))
}
