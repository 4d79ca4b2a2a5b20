//! Content-addressed file storage: each blob is stored once under its
//! SHA-256, written to a temporary file, synced and renamed into place, so a
//! crash never leaves a half-written file under a valid name.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Condvar, Mutex};

use hearth_core::Error;
use sha2::{Digest, Sha256};

use crate::metrics::Metrics;

/// Bytes gathered in memory before a spool writes them out.
const SPOOL_CHUNK: usize = 256 * 1024;

fn io_err(e: std::io::Error) -> Error {
    Error::internal(format!("file store: {e}"))
}

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

    /// Starts a spool: an upload written to a temporary file under the
    /// store (so it can be renamed into place) and hashed as it arrives.
    pub fn spool(&self) -> Result<Spool, Error> {
        let file = tempfile::NamedTempFile::new_in(self.root.join("tmp")).map_err(io_err)?;
        Ok(Spool {
            file: Some(file),
            hasher: Sha256::new(),
            buf: Vec::with_capacity(SPOOL_CHUNK),
            size: 0,
        })
    }

    /// Moves a spooled upload into place under its hash; returns the hash.
    /// Existing content is kept and the spool discarded.
    pub fn put_spooled(&self, spooled: Spooled) -> Result<String, Error> {
        let dest = self.path(&spooled.sha256, None)?;
        if dest.exists() {
            return Ok(spooled.sha256);
        }
        if let Some(dir) = dest.parent() {
            std::fs::create_dir_all(dir).map_err(io_err)?;
        }
        spooled.file.as_file().sync_all().map_err(io_err)?;
        spooled.file.persist(&dest).map_err(|e| io_err(e.error))?;
        Ok(spooled.sha256)
    }

    pub fn read(&self, sha256: &str, variant: Option<&str>) -> Result<Vec<u8>, Error> {
        let p = self.path(sha256, variant)?;
        std::fs::read(&p).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => Error::NotFound("file"),
            _ => Error::internal(format!("file store: {e}")),
        })
    }
}

/// An upload being written to disk; see [`FileStore::spool`].
pub struct Spool {
    file: Option<tempfile::NamedTempFile>,
    hasher: Sha256,
    buf: Vec<u8>,
    size: u64,
}

/// A complete upload on disk with its hash and size; the temporary file is
/// removed when this is dropped without being stored.
pub struct Spooled {
    pub file: tempfile::NamedTempFile,
    pub sha256: String,
    pub size: u64,
}

impl Spool {
    /// Bytes received so far.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// Appends `chunk`; every [`SPOOL_CHUNK`] bytes are written out on the
    /// blocking pool, so at most that much of an upload is held in memory.
    pub async fn write(&mut self, chunk: &[u8]) -> Result<(), Error> {
        self.size += chunk.len() as u64;
        self.buf.extend_from_slice(chunk);
        if self.buf.len() >= SPOOL_CHUNK {
            self.flush().await?;
        }
        Ok(())
    }

    async fn flush(&mut self) -> Result<(), Error> {
        let Some(mut file) = self.file.take() else {
            return Err(Error::internal("spool used after a failed write"));
        };
        let buf = std::mem::take(&mut self.buf);
        let mut hasher = std::mem::take(&mut self.hasher);
        let (file, mut buf, hasher) = tokio::task::spawn_blocking(move || {
            hasher.update(&buf);
            file.write_all(&buf).map_err(io_err)?;
            Ok::<_, Error>((file, buf, hasher))
        })
        .await
        .map_err(|e| Error::internal(format!("spool task failed: {e}")))??;
        buf.clear();
        self.file = Some(file);
        self.buf = buf;
        self.hasher = hasher;
        Ok(())
    }

    /// Writes what is left and returns the file with its hash.
    pub async fn finish(mut self) -> Result<Spooled, Error> {
        self.flush().await?;
        let file = self
            .file
            .take()
            .ok_or_else(|| Error::internal("spool used after a failed write"))?;
        Ok(Spooled {
            file,
            sha256: hex::encode(self.hasher.finalize()),
            size: self.size,
        })
    }
}

/// Lets at most `n` images be decoded at once. A decoded image takes up to
/// `files.max_image_pixels` × 4 bytes, so a burst of uploads (or avatars)
/// would otherwise take gigabytes; excess callers wait on the blocking pool.
pub struct ImageGate {
    busy: Mutex<usize>,
    freed: Condvar,
    max: usize,
    metrics: Metrics,
}

impl ImageGate {
    pub fn new(n: usize, metrics: &Metrics) -> ImageGate {
        ImageGate {
            busy: Mutex::new(0),
            freed: Condvar::new(),
            max: n.max(1),
            metrics: metrics.clone(),
        }
    }

    /// Runs `f` (a decode) once fewer than `n` others run.
    pub fn run<T>(&self, f: impl FnOnce() -> T) -> T {
        let mut busy = self.busy.lock().unwrap_or_else(|p| p.into_inner());
        while *busy >= self.max {
            busy = self.freed.wait(busy).unwrap_or_else(|p| p.into_inner());
        }
        *busy += 1;
        let now = *busy as i64;
        self.metrics.image_decodes.set(now);
        if now > self.metrics.image_decodes_peak.get() {
            self.metrics.image_decodes_peak.set(now);
        }
        drop(busy);
        let out = f();
        let mut busy = self.busy.lock().unwrap_or_else(|p| p.into_inner());
        *busy -= 1;
        self.metrics.image_decodes.set(*busy as i64);
        drop(busy);
        self.freed.notify_one();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn spools_to_disk_with_the_hash() {
        let dir = tempfile::tempdir().unwrap();
        let fs = FileStore::open(dir.path()).unwrap();
        let data: Vec<u8> = (0..(3 * SPOOL_CHUNK + 17))
            .map(|i| (i % 251) as u8)
            .collect();
        let mut spool = fs.spool().unwrap();
        for chunk in data.chunks(10_000) {
            spool.write(chunk).await.unwrap();
        }
        let spooled = spool.finish().await.unwrap();
        assert_eq!(spooled.size, data.len() as u64);
        assert_eq!(spooled.sha256, FileStore::sha256(&data));
        let sha = fs.put_spooled(spooled).unwrap();
        assert_eq!(fs.read(&sha, None).unwrap(), data);
    }

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
