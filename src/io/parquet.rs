//! Parquet inputs: one file, or a directory of parts (what Spark and `kam generate --parts`
//! write) read as one table. A scan stays lazy (projection pushdown); rows are numbered after
//! the scan, part after part in name order, as the Spark feature job numbers them.

use std::path::Path;

use polars::prelude::*;

use super::file;
use super::load::{FileInfo, ROW_INTERNAL, RawTable, first_line, not_reserved, raw_table};
use super::spec::{Format, ValidInput};
use crate::error::{Error, Result};

/// A directory of Parquet parts (what Spark and `kam generate --parts` write) as one table:
/// the parts in name order, rows numbered part after part, the digest taken over the parts'
/// bytes in that order (one part in memory at a time).
pub(super) fn load_parts(input: &ValidInput) -> Result<RawTable> {
    let path = &input.path;
    if input.format != Format::Parquet {
        return Err(Error::input(
            path,
            "is a directory, not a file (a directory of Parquet parts is read with format = \"parquet\")",
        ));
    }
    let (frame, file) = scan_parts(path)?;
    raw_table(input, numbered(frame), None, file)
}

/// A Parquet file, or a directory's parts in name order, scanned lazily as one frame, with the
/// identity of its bytes (the digest runs over the parts in that order, one in memory at a
/// time).
pub(super) fn scan_parts(path: &Path) -> Result<(LazyFrame, FileInfo)> {
    let parts = file::parquet_parts(path)?;
    let mut hasher = blake3::Hasher::new();
    let mut bytes = 0u64;
    let mut scans = Vec::with_capacity(parts.len());
    for p in &parts {
        let b = file::read_file(p)?;
        bytes += b.len() as u64;
        hasher.update_rayon(&b);
        scans.push(scan_one(p)?);
    }
    let frame = concat(scans, UnionArgs::default())
        .map_err(|e| Error::input(path, format!("parts do not agree: {}", first_line(&e))))?;
    let file = FileInfo {
        path: path.display().to_string(),
        bytes,
        blake3: hasher.finalize().to_hex().to_string(),
    };
    Ok((frame, file))
}

/// One Parquet file, scanned lazily; its column names checked against kam's working prefix.
pub(super) fn scan_one(path: &Path) -> Result<LazyFrame> {
    let p = PlRefPath::new(path.to_string_lossy().as_ref());
    let mut lf = LazyFrame::scan_parquet(p, ScanArgsParquet::default()).map_err(|e| {
        Error::input(
            path,
            format!("is not a readable Parquet file: {}", first_line(&e)),
        )
    })?;
    let schema = lf.collect_schema().map_err(|e| {
        Error::input(
            path,
            format!("cannot be read as Parquet: {}", first_line(&e)),
        )
    })?;
    not_reserved(schema.iter_names().map(|n| n.as_str()), path)?;
    Ok(lf)
}

/// The 1-based row number added to a scan.
pub(super) fn numbered(lf: LazyFrame) -> LazyFrame {
    lf.with_row_index(ROW_INTERNAL, Some(1))
        .with_column(col(ROW_INTERNAL).cast(DataType::Int64))
}
