//! Named connection profiles in `<config dir>/hearthctl/config.toml`
//! (`HEARTHCTL_CONFIG` names another file), and the token-file rules.
//!
//! ```toml
//! default = "prod"
//! [profiles.prod]
//! url = "https://chat.example.com"
//! token_file = "/home/me/.config/hearthctl/prod.token"
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::exit::{CliError, Result};

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfilesFile {
    /// The profile used when neither --profile nor --url is given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    #[serde(default)]
    pub profiles: BTreeMap<String, Profile>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    pub url: String,
    pub token_file: PathBuf,
}

/// Where the profiles live.
pub fn path() -> Result<PathBuf> {
    if let Some(p) = std::env::var_os("HEARTHCTL_CONFIG") {
        return Ok(PathBuf::from(p));
    }
    dirs::config_dir()
        .map(|d| d.join("hearthctl").join("config.toml"))
        .ok_or_else(|| {
            CliError::Other("cannot find the configuration directory; set HEARTHCTL_CONFIG".into())
        })
}

impl ProfilesFile {
    /// Reads the file; a missing file is an empty one.
    pub fn load(path: &Path) -> Result<ProfilesFile> {
        match std::fs::read_to_string(path) {
            Ok(text) => toml::from_str(&text)
                .map_err(|e| CliError::Other(format!("{}: {e}", path.display()))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(ProfilesFile::default()),
            Err(e) => Err(CliError::Other(format!(
                "cannot read {}: {e}",
                path.display()
            ))),
        }
    }

    pub fn save(&self, path: &Path) -> Result<()> {
        let text = toml::to_string_pretty(self).map_err(|e| CliError::Other(e.to_string()))?;
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| CliError::Other(format!("cannot create {}: {e}", dir.display())))?;
        }
        std::fs::write(path, text)
            .map_err(|e| CliError::Other(format!("cannot write {}: {e}", path.display())))
    }

    pub fn get(&self, name: &str) -> Result<&Profile> {
        self.profiles.get(name).ok_or_else(|| {
            CliError::NotFound(format!(
                "no profile named '{name}' (see `hearthctl profile list`)"
            ))
        })
    }
}

/// Reads a token file, refusing one that group or others can read: a token
/// is as good as a password.
pub fn read_token(path: &Path) -> Result<String> {
    use std::os::unix::fs::PermissionsExt;
    let meta = std::fs::metadata(path)
        .map_err(|e| CliError::Other(format!("cannot read token file {}: {e}", path.display())))?;
    let mode = meta.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        return Err(CliError::Other(format!(
            "token file {} is readable by others (mode {mode:o}); restrict it with: chmod 600 {}",
            path.display(),
            path.display()
        )));
    }
    let token = std::fs::read_to_string(path)
        .map_err(|e| CliError::Other(format!("cannot read token file {}: {e}", path.display())))?;
    let token = token.trim().to_string();
    if token.is_empty() {
        return Err(CliError::Other(format!(
            "token file {} is empty",
            path.display()
        )));
    }
    Ok(token)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn token_files_must_be_private() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("t");
        std::fs::write(&f, "secret\n").unwrap();
        std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o644)).unwrap();
        let e = read_token(&f).unwrap_err().to_string();
        assert!(e.contains("chmod 600"), "{e}");
        std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o600)).unwrap();
        assert_eq!(read_token(&f).unwrap(), "secret");
    }

    #[test]
    fn profiles_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("sub/config.toml");
        let mut f = ProfilesFile::load(&p).unwrap();
        assert!(f.profiles.is_empty());
        f.profiles.insert(
            "prod".into(),
            Profile {
                url: "https://chat.example.com".into(),
                token_file: "/t".into(),
            },
        );
        f.default = Some("prod".into());
        f.save(&p).unwrap();
        let back = ProfilesFile::load(&p).unwrap();
        assert_eq!(back.default.as_deref(), Some("prod"));
        assert_eq!(back.get("prod").unwrap().url, "https://chat.example.com");
        assert!(back.get("nope").is_err());
    }
}
