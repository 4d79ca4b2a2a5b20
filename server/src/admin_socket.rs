//! The local administration socket: the API (and nothing else) on a Unix
//! socket that only the server's own user can open, where every request acts
//! as the built-in administrator (see [`crate::routes::extract::LocalSocket`]). It is how
//! `hearthctl --local` creates the first admin on a fresh server.

use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::Path;

use crate::StartError;

/// Binds the socket at `path` with mode 0600. A socket file left by a
/// server that died is replaced; one that still answers is a second server
/// on the same data directory, which is refused.
pub fn bind(path: &Path) -> Result<UnixListener, StartError> {
    let fail = |source: std::io::Error| StartError::Listen {
        addr: path.display().to_string(),
        source,
    };
    if let Ok(meta) = std::fs::symlink_metadata(path) {
        if !meta.file_type().is_socket() {
            return Err(fail(std::io::Error::other(
                "the path exists and is not a socket",
            )));
        }
        if UnixStream::connect(path).is_ok() {
            return Err(fail(std::io::Error::other(
                "another server is listening on it",
            )));
        }
        std::fs::remove_file(path).map_err(fail)?;
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(fail)?;
    }
    let listener = UnixListener::bind(path).map_err(fail)?;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).map_err(fail)?;
    Ok(listener)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn socket_is_private_and_stale_files_are_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.sock");
        let l = bind(&p).unwrap();
        let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        assert!(bind(&p).is_err(), "a live socket is not taken over");
        drop(l);
        bind(&p).expect("a stale socket file is replaced");
        let f = dir.path().join("plain");
        std::fs::write(&f, b"x").unwrap();
        assert!(bind(&f).is_err(), "a regular file is never removed");
    }
}
