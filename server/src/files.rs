//! Content-addressed file storage: each blob is stored once under its
//! SHA-256, written to a temporary file, synced and renamed into place, so a
//! crash never leaves a half-written file under a valid name.

use std::io::Write;
use std::path::{Path, PathBuf};

use hearth_core::Error;
use sha2::{Digest, Sha256};

#[derive(Clone)]
pub struct FileStore {
    root: PathBuf,
}

impl FileStore {
    pub fn open(root: &Path) -> std::io::Result<FileStore> {
        std::fs::create_dir_all(root.join("tmp"))?;
        Ok(FileStore {
            root: root.to_path_buf(),
        })
    }

    pub fn sha256(bytes: &[u8]) -> String {
        hex::encode(Sha256::digest(bytes))
    }

    /// Where a blob (or a derived variant such as `thumb`) lives.
    pub fn path(&self, sha256: &str, variant: Option<&str>) -> Result<PathBuf, Error> {
        if sha256.len() != 64 || !sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(Error::NotFound("file"));
        }
        let name = match variant {
            Some(v) => format!("{sha256}.{v}"),
            None => sha256.to_string(),
        };
        Ok(self.root.join(&sha256[..2]).join(&sha256[2..4]).join(name))
    }

    /// Removes stored bytes and every variant (previews) made from them.
    /// Callers check first that no file row still refers to them.
    pub fn remove(&self, sha256: &str) -> Result<(), Error> {
        let path = self.path(sha256, None)?;
        let Some(dir) = path.parent() else {
            return Ok(());
        };
        let entries = match std::fs::read_dir(dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(Error::internal(format!("reading {}: {e}", dir.display()))),
        };
        for e in entries.flatten() {
            let name = e.file_name();
            let name = name.to_string_lossy();
            if name == sha256 || name.starts_with(&format!("{sha256}.")) {
                std::fs::remove_file(e.path()).map_err(|err| {
                    Error::internal(format!("removing {}: {err}", e.path().display()))
                })?;
            }
        }
        Ok(())
    }

    /// Stores `bytes`; returns their hash. Existing content is not rewritten.
    pub fn put(&self, bytes: &[u8]) -> Result<String, Error> {
        let sha = Self::sha256(bytes);
        self.put_at(&self.path(&sha, None)?, bytes)?;
        Ok(sha)
    }

    pub fn put_variant(&self, sha256: &str, variant: &str, bytes: &[u8]) -> Result<(), Error> {
        self.put_at(&self.path(sha256, Some(variant))?, bytes)
    }

    fn put_at(&self, dest: &Path, bytes: &[u8]) -> Result<(), Error> {
        if dest.exists() {
            return Ok(());
        }
        let io = |e: std::io::Error| Error::internal(format!("file store: {e}"));
        if let Some(dir) = dest.parent() {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        let mut tmp = tempfile::NamedTempFile::new_in(self.root.join("tmp")).map_err(io)?;
        tmp.write_all(bytes).map_err(io)?;
        tmp.as_file().sync_all().map_err(io)?;
        tmp.persist(dest).map_err(|e| io(e.error))?;
        Ok(())
    }

    pub fn read(&self, sha256: &str, variant: Option<&str>) -> Result<Vec<u8>, Error> {
        let p = self.path(sha256, variant)?;
        std::fs::read(&p).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => Error::NotFound("file"),
            _ => Error::internal(format!("file store: {e}")),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stores_once_by_hash() {
        let dir = tempfile::tempdir().unwrap();
        let fs = FileStore::open(dir.path()).unwrap();
        let a = fs.put(b"hello").unwrap();
        assert_eq!(a, FileStore::sha256(b"hello"));
        assert_eq!(fs.put(b"hello").unwrap(), a);
        assert_eq!(fs.read(&a, None).unwrap(), b"hello");
        assert!(matches!(
            fs.read("../../etc/passwd", None),
            Err(Error::NotFound(_))
        ));
    }
}
