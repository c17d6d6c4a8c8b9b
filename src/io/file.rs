//! An input file's bytes and their digest, read on every core.
//!
//! A large file is read as one part per core, each part with a positioned read into its slice
//! of one buffer: the page faults of filling a fresh buffer (most of a single-threaded read's
//! time on a file already in the page cache) are then taken on every core. The BLAKE3 digest
//! the manifest names the file by is computed on every core too (the `blake3` crate's own
//! Rayon tree hashing: the same digest as the one-thread hash).

use std::fs::File;
use std::path::{Path, PathBuf};

use super::spec::ValidInput;
use crate::error::{Error, Result};
use crate::par;

/// Below this size a file is read and hashed on one thread (splitting costs more than it saves).
const PARALLEL_BYTES: usize = 16 << 20;

/// The input file's bytes; a file that cannot be read is an input error naming it.
pub fn read_bytes(input: &ValidInput) -> Result<Vec<u8>> {
    read_file(&input.path)
}

pub(super) fn read_file(path: &Path) -> Result<Vec<u8>> {
    let fail = |e: std::io::Error| Error::input(path, read_error(&e));
    let file = File::open(path).map_err(fail)?;
    let meta = file.metadata().map_err(fail)?;
    let len = usize::try_from(meta.len()).unwrap_or(usize::MAX);
    if !meta.is_file() || len < PARALLEL_BYTES {
        return std::fs::read(path).map_err(fail);
    }
    match read_parts(&file, len) {
        Ok(Some(bytes)) => Ok(bytes),
        // the file changed size while being read: read it again from start to end
        Ok(None) => std::fs::read(path).map_err(fail),
        Err(e) => Err(fail(e)),
    }
}

/// `len` bytes read as one part per core; `None` when the file no longer has exactly `len`.
#[cfg(unix)]
fn read_parts(file: &File, len: usize) -> std::io::Result<Option<Vec<u8>>> {
    // a zeroed allocation this size comes fresh from the OS: its pages are touched (faulted
    // in) by the reads below, on the core that reads them
    let mut buf = vec![0u8; len];
    let per = len.div_ceil(par::threads());
    let parts: Vec<(usize, &mut [u8])> = buf
        .chunks_mut(per)
        .enumerate()
        .map(|(i, part)| (i * per, part))
        .collect();
    use std::os::unix::fs::FileExt;
    let read = par::map_owned(parts, |(at, part)| file.read_exact_at(part, at as u64))
        .map_err(|e| std::io::Error::other(e.to_string()))?;
    for r in read {
        match r {
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(None),
            r => r?,
        }
    }
    let mut more = [0u8; 1];
    if file.read_at(&mut more, len as u64)? != 0 {
        return Ok(None);
    }
    Ok(Some(buf))
}

/// Elsewhere the file is read on one thread.
#[cfg(not(unix))]
fn read_parts(_file: &File, _len: usize) -> std::io::Result<Option<Vec<u8>>> {
    Ok(None)
}

/// The BLAKE3 digest of `bytes`, hex; a large input hashed on every core.
pub fn digest(bytes: &[u8]) -> String {
    let mut hasher = blake3::Hasher::new();
    if bytes.len() < PARALLEL_BYTES {
        hasher.update(bytes);
    } else {
        hasher.update_rayon(bytes);
    }
    hasher.finalize().to_hex().to_string()
}

pub(super) fn read_error(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "file not found".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        std::io::ErrorKind::IsADirectory => "is a directory, not a file".into(),
        _ => format!("cannot read the file: {e}"),
    }
}

/// The Parquet files of `path`: itself, or a directory's data files in name order (Spark's
/// `_SUCCESS`, `.crc` and other hidden files skipped).
pub fn parquet_parts(path: &Path) -> Result<Vec<PathBuf>> {
    let meta = std::fs::metadata(path).map_err(|e| Error::input(path, read_error(&e)))?;
    if !meta.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let entries = std::fs::read_dir(path).map_err(|e| Error::input(path, read_error(&e)))?;
    let mut out = Vec::new();
    for e in entries {
        let e = e.map_err(|e| Error::input(path, read_error(&e)))?;
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || name.starts_with('_') || !e.path().is_file() {
            continue;
        }
        out.push(e.path());
    }
    out.sort();
    if out.is_empty() {
        return Err(Error::input(path, "is a directory without Parquet parts"));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file over the parallel threshold, not a multiple of the part size, comes back byte
    /// for byte, and its digest is the one-thread BLAKE3 digest.
    #[test]
    fn a_large_file_reads_back_whole_and_hashes_as_one_thread_does() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.csv");
        let bytes: Vec<u8> = (0..PARALLEL_BYTES + 12_345)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 7) as u8)
            .collect();
        std::fs::write(&path, &bytes).unwrap();
        let read = read_file(&path).unwrap();
        assert!(read == bytes, "the parallel read differs from the file");
        assert_eq!(digest(&read), blake3::hash(&bytes).to_hex().to_string());
        assert_eq!(digest(b"abc"), blake3::hash(b"abc").to_hex().to_string());
    }

    #[test]
    fn a_missing_file_and_a_directory_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let missing = read_file(&dir.path().join("nope.csv")).unwrap_err();
        assert!(missing.to_string().contains("file not found"), "{missing}");
        let folder = read_file(dir.path()).unwrap_err();
        assert!(folder.to_string().contains("is a directory"), "{folder}");
    }
}
