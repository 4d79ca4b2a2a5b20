//! Streaming zip archives with a chain-of-custody manifest.
//!
//! Every entry is hashed while it is written, so nothing is held in memory
//! but the current entry's compression state and one line per file for the
//! manifest. `manifest.json` is written last and lists each file with its
//! SHA-256 and size, next to the job's metadata. [`verify_archive`] re-reads
//! an archive and checks every entry against it.

use std::collections::HashSet;
use std::io::{self, Read, Seek, Write};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

use crate::error::{ComplianceError, Result};

/// Name of the manifest entry.
pub const MANIFEST: &str = "manifest.json";

/// One archived file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestFile {
    pub path: String,
    pub sha256: String,
    pub size: u64,
}

/// The archive's table of contents and the job's description.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub manifest_version: u32,
    /// What produced the archive (scope, range, format, counts, cursors).
    pub metadata: serde_json::Value,
    pub files: Vec<ManifestFile>,
    /// Problems that did not stop the job, such as missing attachments.
    pub warnings: Vec<String>,
}

/// Wraps a writer, hashing and counting what passes through.
pub(crate) struct HashingWriter<W> {
    inner: W,
    hasher: Sha256,
    size: u64,
}

impl<W: Write> HashingWriter<W> {
    pub(crate) fn new(inner: W) -> Self {
        HashingWriter {
            inner,
            hasher: Sha256::new(),
            size: 0,
        }
    }

    pub(crate) fn finish(self) -> (W, String, u64) {
        (self.inner, hex::encode(self.hasher.finalize()), self.size)
    }
}

impl<W: Write> Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        let done = buf.get(..n).unwrap_or(buf);
        self.hasher.update(done);
        self.size += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// A zip being written, entry by entry.
pub struct ArchiveWriter<W: Write + Seek> {
    zip: ZipWriter<W>,
    files: Vec<ManifestFile>,
    paths: HashSet<String>,
    warnings: Vec<String>,
}

/// What [`ArchiveWriter::finish`] returns.
#[derive(Debug)]
pub struct FinishedArchive<W> {
    pub writer: W,
    /// SHA-256 of `manifest.json`; worth recording in the audit log.
    pub manifest_sha256: String,
    pub files: usize,
}

impl<W: Write + Seek> ArchiveWriter<W> {
    /// Starts an archive on `out`.
    pub fn new(out: W) -> Self {
        ArchiveWriter {
            zip: ZipWriter::new(out),
            files: Vec::new(),
            paths: HashSet::new(),
            warnings: Vec::new(),
        }
    }

    /// Whether `path` is already in the archive.
    pub fn contains(&self, path: &str) -> bool {
        self.paths.contains(path)
    }

    fn options(method: CompressionMethod) -> SimpleFileOptions {
        SimpleFileOptions::default()
            .compression_method(method)
            .large_file(true)
    }

    /// Writes one (compressed) entry through `fill`, recording its hash and size.
    pub fn entry<T>(
        &mut self,
        path: &str,
        fill: impl FnOnce(&mut dyn Write) -> Result<T>,
    ) -> Result<T> {
        self.entry_with(path, CompressionMethod::Deflated, fill)
    }

    fn entry_with<T>(
        &mut self,
        path: &str,
        method: CompressionMethod,
        fill: impl FnOnce(&mut dyn Write) -> Result<T>,
    ) -> Result<T> {
        if path == MANIFEST || !self.paths.insert(path.to_string()) {
            return Err(ComplianceError::Invalid(format!(
                "duplicate archive path {path}"
            )));
        }
        self.zip.start_file(path, Self::options(method))?;
        let mut w = HashingWriter::new(&mut self.zip);
        let value = fill(&mut w)?;
        let (_, sha256, size) = w.finish();
        self.files.push(ManifestFile {
            path: path.to_string(),
            sha256,
            size,
        });
        Ok(value)
    }

    /// Copies a reader into a new entry, stored as-is (attachments are
    /// mostly compressed already); returns the SHA-256 and size.
    pub fn copy_from(&mut self, path: &str, reader: &mut dyn Read) -> Result<(String, u64)> {
        self.entry_with(path, CompressionMethod::Stored, |w| {
            io::copy(reader, w)?;
            Ok(())
        })?;
        let last = self
            .files
            .last()
            .map(|f| (f.sha256.clone(), f.size))
            .unwrap_or_default();
        Ok(last)
    }

    /// Records a problem that did not stop the job.
    pub fn warn(&mut self, warning: String) {
        self.warnings.push(warning);
    }

    /// Warnings so far.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// Writes the manifest and closes the zip.
    pub fn finish(mut self, metadata: serde_json::Value) -> Result<FinishedArchive<W>> {
        let manifest = Manifest {
            manifest_version: 1,
            metadata,
            files: std::mem::take(&mut self.files),
            warnings: self.warnings,
        };
        let bytes = serde_json::to_vec_pretty(&manifest)?;
        self.zip
            .start_file(MANIFEST, Self::options(CompressionMethod::Deflated))?;
        self.zip.write_all(&bytes)?;
        let writer = self.zip.finish()?;
        Ok(FinishedArchive {
            writer,
            manifest_sha256: hex::encode(Sha256::digest(&bytes)),
            files: manifest.files.len(),
        })
    }
}

/// Re-reads an archive and checks that every entry matches the manifest:
/// same set of paths, same sizes, same SHA-256. Returns the manifest.
pub fn verify_archive<R: Read + Seek>(reader: R) -> Result<Manifest> {
    let mut zip = ZipArchive::new(reader)?;
    let manifest: Manifest = {
        let mut f = zip.by_name(MANIFEST)?;
        let mut buf = Vec::new();
        f.read_to_end(&mut buf)?;
        serde_json::from_slice(&buf)?
    };
    let fail = |path: &str, reason: String| ComplianceError::Verification {
        path: path.to_string(),
        reason,
    };
    let mut listed = HashSet::new();
    for f in &manifest.files {
        if !listed.insert(f.path.as_str()) {
            return Err(fail(&f.path, "listed twice".into()));
        }
    }
    let mut seen = 0usize;
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i)?;
        let name = entry.name()?.to_string();
        if name == MANIFEST {
            continue;
        }
        if !listed.contains(name.as_str()) {
            return Err(fail(&name, "not listed in the manifest".into()));
        }
        seen += 1;
        let mut w = HashingWriter::new(io::sink());
        io::copy(&mut entry, &mut w)?;
        let (_, sha256, size) = w.finish();
        let Some(expected) = manifest.files.iter().find(|f| f.path == name) else {
            return Err(fail(&name, "not listed in the manifest".into()));
        };
        if expected.size != size {
            return Err(fail(
                &name,
                format!("size {size}, manifest says {}", expected.size),
            ));
        }
        if expected.sha256 != sha256 {
            return Err(fail(
                &name,
                format!("sha256 {sha256}, manifest says {}", expected.sha256),
            ));
        }
    }
    if seen != manifest.files.len() {
        return Err(fail(
            MANIFEST,
            format!("lists {} files, archive has {seen}", manifest.files.len()),
        ));
    }
    Ok(manifest)
}

/// Makes an attachment name safe as one path component.
pub(crate) fn safe_component(name: &str) -> String {
    let mut out: String = name
        .chars()
        .map(|c| {
            if c == '/' || c == '\\' || c == ':' || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    out = out.trim().to_string();
    while out.starts_with('.') {
        out.replace_range(..1, "_");
    }
    let mut cut = String::new();
    for c in out.chars() {
        if cut.len() + c.len_utf8() > 180 {
            break;
        }
        cut.push(c);
    }
    if cut.is_empty() {
        "file".to_string()
    } else {
        cut
    }
}

/// Archive paths for a post's attachments: `files/<post id>/<name>`, with
/// the file id prefixed when two attachments of the post share a name.
pub fn attachment_paths(post: &crate::model::Post) -> Vec<String> {
    let post_dir = safe_component(&post.id);
    let mut used = HashSet::new();
    post.attachments
        .iter()
        .map(|a| {
            let name = safe_component(&a.name);
            let mut path = format!("files/{post_dir}/{name}");
            if !used.insert(path.clone()) {
                path = format!("files/{post_dir}/{}-{name}", safe_component(&a.file_id));
                let mut n = 1u32;
                while !used.insert(path.clone()) {
                    n += 1;
                    path = format!("files/{post_dir}/{}-{n}-{name}", safe_component(&a.file_id));
                }
            }
            path
        })
        .collect()
}
