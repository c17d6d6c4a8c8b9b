//! Every file kam writes goes through here: written to a temporary file beside the target and
//! renamed into place, so a killed run never leaves a half-written output and a reader sees
//! the old file or the new one, never a mix.
//!
//! Files are not flushed to the disk (`fsync`) before the rename: the operating system writes
//! them back as it does every other program's files. Flushing each of a run's files cost more
//! than the work behind some of them (`kam segment` on 1,000,000 customers: 0.1-0.3 s of
//! about 2 s, waiting on the disk for its 74 MB table), and what a power cut right after a run
//! could lose, a rerun writes again byte for byte.
//!
//! Tables are written deterministically: floats rounded to [`FLOAT_DECIMALS`] and printed in
//! shortest form, dates as ISO `YYYY-MM-DD`, rows in the order the stage sorted them.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use polars::prelude::*;
use serde::Serialize;

use crate::error::{Error, Result};

/// Decimals kept for floats in CSV and Parquet outputs.
pub use crate::frame::FLOAT_DECIMALS;

/// Write `path` atomically: `fill` writes into a temporary file that is renamed on success.
pub fn atomic<F>(path: &Path, fill: F) -> Result<()>
where
    F: FnOnce(&mut BufWriter<File>) -> Result<()>,
{
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| Error::write(dir, e))?;
    }
    let tmp = tmp_path(path);
    let result = (|| {
        let file = File::create(&tmp).map_err(|e| Error::write(&tmp, e))?;
        let mut w = BufWriter::new(file);
        fill(&mut w)?;
        let file = w
            .into_inner()
            .map_err(|e| Error::write(&tmp, e.into_error()))?;
        drop(file);
        std::fs::rename(&tmp, path).map_err(|e| Error::write(path, e))
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

fn tmp_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.{}.tmp", std::process::id()))
}

/// Float columns rounded to [`FLOAT_DECIMALS`], as every table is written (and shown in the
/// report), so the same run prints the same digits.
pub fn rounded(df: &DataFrame) -> Result<DataFrame> {
    let exprs: Vec<Expr> = df
        .columns()
        .iter()
        .filter(|c| matches!(c.dtype(), DataType::Float64 | DataType::Float32))
        .map(|c| crate::frame::published(col(c.name().clone())))
        .collect();
    if exprs.is_empty() {
        return Ok(df.clone());
    }
    Ok(df.clone().lazy().with_columns(exprs).collect()?)
}

pub fn csv(df: &DataFrame, path: &Path) -> Result<()> {
    csv_exact(&rounded(df)?, path)
}

/// A table as CSV, and as Parquet beside it when `parquet` is given, rounded once for both;
/// returns the frame as written (what the report then shows).
pub fn table(df: &DataFrame, csv_path: &Path, parquet: Option<&Path>) -> Result<DataFrame> {
    let df = rounded(df)?;
    csv_exact(&df, csv_path)?;
    if let Some(p) = parquet {
        parquet_exact(&df, p)?;
    }
    Ok(df)
}

fn csv_exact(df: &DataFrame, path: &Path) -> Result<()> {
    let mut df = df.clone();
    atomic(path, |w| {
        CsvWriter::new(w)
            .include_header(true)
            .with_date_format(Some("%Y-%m-%d".into()))
            .with_datetime_format(Some("%Y-%m-%d %H:%M:%S".into()))
            .finish(&mut df)
            .map_err(|e| Error::write(path, std::io::Error::other(e.to_string())))
    })
}

pub fn parquet(df: &DataFrame, path: &Path) -> Result<()> {
    parquet_exact(&rounded(df)?, path)
}

/// `df` as `parts` Parquet files `dir/part-00000.parquet`, ... of about equal rows (each
/// written atomically), as Spark and data lakes hold a table; earlier parts are removed.
pub fn parquet_parts(df: &DataFrame, dir: &Path, parts: usize) -> Result<()> {
    let df = rounded(df)?;
    if dir.exists() {
        std::fs::remove_dir_all(dir).map_err(|e| Error::write(dir, e))?;
    }
    std::fs::create_dir_all(dir).map_err(|e| Error::write(dir, e))?;
    let per = df.height().div_ceil(parts.max(1)).max(1);
    for k in 0..parts.max(1) {
        let start = (k * per).min(df.height());
        let part = df.slice(start as i64, per.min(df.height() - start));
        parquet_exact(&part, &dir.join(format!("part-{k:05}.parquet")))?;
    }
    Ok(())
}

fn parquet_exact(df: &DataFrame, path: &Path) -> Result<()> {
    let mut df = df.clone();
    atomic(path, |w| {
        ParquetWriter::new(w)
            .finish(&mut df)
            .map(|_| ())
            .map_err(|e| Error::write(path, std::io::Error::other(e.to_string())))
    })
}

pub fn json<T: Serialize>(value: &T, path: &Path) -> Result<()> {
    atomic(path, |w| {
        serde_json::to_writer_pretty(&mut *w, value)
            .map_err(|e| Error::write(path, std::io::Error::other(e)))?;
        w.write_all(b"\n").map_err(|e| Error::write(path, e))
    })
}

/// Raw bytes (charts, report.xlsx), written atomically like every other output.
pub fn bytes(content: &[u8], path: &Path) -> Result<()> {
    atomic(path, |w| {
        w.write_all(content).map_err(|e| Error::write(path, e))
    })
}

pub fn text(content: &str, path: &Path) -> Result<()> {
    atomic(path, |w| {
        w.write_all(content.as_bytes())
            .map_err(|e| Error::write(path, e))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_leaves_no_temp_file() -> Result<()> {
        let dir = tempfile::tempdir().map_err(|e| Error::Internal(e.to_string()))?;
        let p = dir.path().join("sub/a.txt");
        text("hello", &p)?;
        assert_eq!(std::fs::read_to_string(&p).ok().as_deref(), Some("hello"));
        let names: Vec<_> = std::fs::read_dir(dir.path().join("sub"))
            .map_err(|e| Error::Internal(e.to_string()))?
            .filter_map(|e| e.ok())
            .map(|e| e.file_name())
            .collect();
        assert_eq!(names.len(), 1);
        Ok(())
    }

    #[test]
    fn failed_fill_keeps_the_old_file() -> Result<()> {
        let dir = tempfile::tempdir().map_err(|e| Error::Internal(e.to_string()))?;
        let p = dir.path().join("a.txt");
        text("old", &p)?;
        let r = atomic(&p, |_| Err(Error::Internal("boom".into())));
        assert!(r.is_err());
        assert_eq!(std::fs::read_to_string(&p).ok().as_deref(), Some("old"));
        Ok(())
    }

    #[test]
    fn csv_rounds_floats_and_prints_iso_dates() -> Result<()> {
        let dir = tempfile::tempdir().map_err(|e| Error::Internal(e.to_string()))?;
        let p = dir.path().join("t.csv");
        let d = chrono::NaiveDate::from_ymd_opt(2026, 1, 2).ok_or(Error::Internal("d".into()))?;
        let df = df!("x" => [0.1 + 0.2], "d" => [d])?;
        csv(&df, &p)?;
        let s = std::fs::read_to_string(&p).map_err(|e| Error::Internal(e.to_string()))?;
        assert_eq!(s, "x,d\n0.3,2026-01-02\n");
        Ok(())
    }
}
