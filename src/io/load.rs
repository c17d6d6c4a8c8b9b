//! Input files → [`RawTable`]s: the file's own columns, unparsed, plus a row number.
//!
//! CSV and XLSX columns are read as text (never type-guessed over the file): validation parses
//! each contract column with the rules of `schema`, so a bad value rejects one row instead of
//! failing the file. Parquet keeps its stored types and stays a lazy scan (projection
//! pushdown). Problems with the file itself (missing, unreadable, wrong encoding, no sheet)
//! are an [`Error::Input`] naming the file and, where known, the row.

use std::io::Cursor;
use std::path::Path;

use polars::prelude::*;

use super::file;
pub use super::file::read_bytes;
use super::spec::{Delimiter, Format, ValidInput};
use super::text;
use crate::error::{Error, Result};

/// Internal name of the 1-based data-row number (header not counted) while validating.
pub const ROW_INTERNAL: &str = "__kam_row";
/// Internal name of the reject reason while validating.
pub const REASON_INTERNAL: &str = "__kam_reason";
/// The prefix of every working column of loading and validation; a file column may not use it.
pub const RESERVED_PREFIX: &str = "__kam_";

/// Identity of an input file, for the manifest.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FileInfo {
    pub path: String,
    pub bytes: u64,
    pub blake3: String,
}

/// One input as read: original columns (text for CSV/XLSX), plus [`ROW_INTERNAL`] (Int64).
pub struct RawTable {
    pub input: ValidInput,
    pub frame: LazyFrame,
    /// Original column names in file order.
    pub columns: Vec<String>,
    /// Rows that could not be split into the header's fields (ragged lines): original columns
    /// as text, [`ROW_INTERNAL`] and [`REASON_INTERNAL`].
    pub pre_rejects: Option<DataFrame>,
    pub file: FileInfo,
}

/// Read one input file (or directory of Parquet parts).
pub fn load(input: &ValidInput) -> Result<RawTable> {
    if input.path.is_dir() {
        return super::parquet::load_parts(input);
    }
    load_bytes(input, read_bytes(input)?)
}

/// One input from its file's bytes, already in memory (the fuzzers hand CSV bytes here; a
/// CSV is read from the bytes alone, XLSX and Parquet are opened from `input.path` again).
pub fn load_bytes(input: &ValidInput, bytes: Vec<u8>) -> Result<RawTable> {
    let path = &input.path;
    let file = FileInfo {
        path: path.display().to_string(),
        bytes: bytes.len() as u64,
        blake3: file::digest(&bytes),
    };
    let (frame, pre_rejects) = match input.format {
        Format::Csv => {
            let (df, rej) = read_csv(bytes, input)?;
            (df.lazy(), rej)
        }
        Format::Xlsx => {
            drop(bytes);
            (read_xlsx(input)?.lazy(), None)
        }
        Format::Parquet => {
            drop(bytes);
            (
                super::parquet::numbered(super::parquet::scan_one(path)?),
                None,
            )
        }
    };
    raw_table(input, frame, pre_rejects, file)
}

/// The raw table of a frame as read, with the file's own column names.
pub(super) fn raw_table(
    input: &ValidInput,
    mut frame: LazyFrame,
    pre_rejects: Option<DataFrame>,
    file: FileInfo,
) -> Result<RawTable> {
    let path = &input.path;
    let schema = frame.collect_schema().map_err(|e| {
        Error::input(
            path,
            format!("cannot be read as {:?}: {}", input.format, first_line(&e)),
        )
    })?;
    let columns = schema
        .iter_names()
        .filter(|n| n.as_str() != ROW_INTERNAL)
        .map(|n| n.to_string())
        .collect();
    Ok(RawTable {
        input: input.clone(),
        frame,
        columns,
        pre_rejects,
        file,
    })
}

pub(super) fn first_line(e: &PolarsError) -> String {
    e.to_string()
        .lines()
        .next()
        .unwrap_or_default()
        .trim()
        .to_string()
}

/// CSV bytes → text columns. Fast path: Polars' reader. When it refuses the file (rows with
/// more fields than the header), the `csv` crate splits it and the odd rows become rejects.
fn read_csv(bytes: Vec<u8>, input: &ValidInput) -> Result<(DataFrame, Option<DataFrame>)> {
    let path = &input.path;
    let text = text::decode(bytes, input.encoding)
        .map_err(|e| Error::input(path, format!("line {} {}", e.line, e.msg)))?;
    if text::is_blank(&text) {
        return Err(Error::input(path, "the file is empty (no header, no rows)"));
    }
    let (text, sep) = match input.delimiter {
        Delimiter::Whitespace => (text::whitespace_to_tabs(&text), b'\t'),
        Delimiter::Byte(b) => (text, b),
    };
    match polars_csv(&text, sep, input.has_header) {
        Ok(df) => {
            not_reserved(df.get_column_names().into_iter().map(|n| n.as_str()), path)?;
            Ok((number_rows(df)?, None))
        }
        Err(_) => split_csv(&text, sep, input.has_header, path),
    }
}

/// A file column named like a working column (`__kam_row`, ...) would collide with it.
pub(super) fn not_reserved<'a>(
    mut names: impl Iterator<Item = &'a str>,
    path: &Path,
) -> Result<()> {
    match names.find(|n| n.starts_with(RESERVED_PREFIX)) {
        Some(n) => Err(Error::input(
            path,
            format!(
                "column '{n}' starts with '{RESERVED_PREFIX}', which kam keeps for its own \
                 working columns; rename it"
            ),
        )),
        None => Ok(()),
    }
}

fn polars_csv(text: &[u8], sep: u8, has_header: bool) -> PolarsResult<DataFrame> {
    csv_options(sep, has_header)
        .into_reader_with_file_handle(Cursor::new(text))
        .finish()
}

/// How kam has Polars read a CSV: every column as text (no type guessed), empty fields
/// missing, rows with more fields than the header refused.
pub(super) fn csv_options(sep: u8, has_header: bool) -> CsvReadOptions {
    CsvReadOptions::default()
        .with_has_header(has_header)
        .with_infer_schema_length(Some(0))
        .with_raise_if_empty(false)
        .with_parse_options(
            CsvParseOptions::default()
                .with_separator(sep)
                .with_quote_char(Some(b'"'))
                .with_missing_is_null(true)
                .with_truncate_ragged_lines(false)
                .with_encoding(CsvEncoding::Utf8),
        )
}

fn number_rows(df: DataFrame) -> Result<DataFrame> {
    Ok(df
        .with_row_index(ROW_INTERNAL.into(), Some(1))?
        .lazy()
        .with_column(col(ROW_INTERNAL).cast(DataType::Int64))
        .collect()?)
}

/// Slow, forgiving split: rows whose field count differs from the header's are rejected with
/// the raw record in the reason.
fn split_csv(
    text: &[u8],
    sep: u8,
    has_header: bool,
    path: &Path,
) -> Result<(DataFrame, Option<DataFrame>)> {
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(sep)
        .has_headers(false)
        .flexible(true)
        .from_reader(text);
    let mut names: Vec<String> = Vec::new();
    let mut width = 0;
    let mut cols: Vec<Vec<Option<String>>> = Vec::new();
    let mut rows: Vec<i64> = Vec::new();
    let (mut rej_cols, mut rej_rows, mut rej_reasons): (
        Vec<Vec<Option<String>>>,
        Vec<i64>,
        Vec<String>,
    ) = (Vec::new(), Vec::new(), Vec::new());
    let mut row: i64 = 0;
    let field = |f: &[u8]| -> Option<String> {
        let s = String::from_utf8_lossy(f);
        (!s.is_empty()).then(|| s.into_owned())
    };
    for rec in rdr.byte_records() {
        let rec = rec.map_err(|e| Error::input(path, format!("cannot split into fields: {e}")))?;
        if width == 0 {
            width = rec.len();
            names = if has_header {
                rec.iter()
                    .map(|f| String::from_utf8_lossy(f).trim().to_string())
                    .collect()
            } else {
                (1..=width).map(|i| format!("column_{i}")).collect()
            };
            cols = vec![Vec::new(); width];
            rej_cols = vec![Vec::new(); width];
            if has_header {
                continue;
            }
        }
        row += 1;
        if rec.len() == width {
            for (c, f) in cols.iter_mut().zip(rec.iter()) {
                c.push(field(f));
            }
            rows.push(row);
        } else {
            for (i, c) in rej_cols.iter_mut().enumerate() {
                c.push(rec.get(i).and_then(field));
            }
            let raw: Vec<String> = rec
                .iter()
                .map(|f| String::from_utf8_lossy(f).into_owned())
                .collect();
            rej_rows.push(row);
            rej_reasons.push(format!(
                "row has {} fields, the header has {width}: {}",
                rec.len(),
                raw.join(&(sep as char).to_string())
            ));
        }
    }
    dedup_names(&mut names);
    not_reserved(names.iter().map(String::as_str), path)?;
    let build = |cols: Vec<Vec<Option<String>>>, rows: Vec<i64>| -> Result<DataFrame> {
        let mut columns: Vec<Column> = vec![Column::new(ROW_INTERNAL.into(), rows)];
        for (n, c) in names.iter().zip(cols) {
            columns.push(Column::new(n.as_str().into(), c));
        }
        Ok(DataFrame::new_infer_height(columns)?)
    };
    let good = build(cols, rows)?;
    let mut bad = build(rej_cols, rej_rows)?;
    bad.with_column(Column::new(REASON_INTERNAL.into(), rej_reasons))?;
    Ok((good, Some(bad)))
}

/// Blank or repeated header names get a suffix so every column can be addressed.
fn dedup_names(names: &mut [String]) {
    let mut seen = std::collections::BTreeSet::new();
    for (i, n) in names.iter_mut().enumerate() {
        if n.is_empty() {
            *n = format!("column_{}", i + 1);
        }
        let mut candidate = n.clone();
        let mut k = 1;
        while !seen.insert(candidate.clone()) {
            k += 1;
            candidate = format!("{n}_{k}");
        }
        *n = candidate;
    }
}

/// First row = header (or `column_1..` without one); cells as text; fully blank rows skipped.
fn read_xlsx(input: &ValidInput) -> Result<DataFrame> {
    use calamine::{Data, Reader, open_workbook_auto};
    let path = &input.path;
    let mut wb = open_workbook_auto(path)
        .map_err(|e| Error::input(path, format!("is not a readable XLSX workbook: {e}")))?;
    let sheets = wb.sheet_names();
    let sheet = match &input.sheet {
        Some(s) if sheets.contains(s) => s.clone(),
        Some(s) => {
            return Err(Error::input(
                path,
                format!("has no sheet '{s}'; sheets: {}", sheets.join(", ")),
            ));
        }
        None => sheets
            .first()
            .cloned()
            .ok_or_else(|| Error::input(path, "the workbook has no sheets"))?,
    };
    let range = wb
        .worksheet_range(&sheet)
        .map_err(|e| Error::input(path, format!("sheet '{sheet}' cannot be read: {e}")))?;
    let cell = |d: &Data| -> Option<String> {
        let s = match d {
            Data::Empty => return None,
            Data::String(s) => s.trim().to_string(),
            Data::Int(i) => i.to_string(),
            Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
            Data::Float(f) => f.to_string(),
            Data::Bool(b) => b.to_string(),
            Data::DateTime(d) if d.is_duration() => d.as_f64().to_string(),
            Data::DateTime(d) => match d.as_datetime() {
                Some(t) if t.time() == chrono::NaiveTime::MIN => t.format("%Y-%m-%d").to_string(),
                Some(t) => t.format("%Y-%m-%d %H:%M:%S").to_string(),
                None => d.as_f64().to_string(),
            },
            Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
            Data::Error(e) => e.to_string(),
        };
        (!s.is_empty()).then_some(s)
    };
    let mut rows = range.rows();
    let width = range.width();
    if range.is_empty() || width == 0 {
        return Err(Error::input(path, format!("sheet '{sheet}' is empty")));
    }
    let mut names: Vec<String> = if input.has_header {
        rows.next()
            .map(|r| r.iter().map(|c| cell(c).unwrap_or_default()).collect())
            .unwrap_or_default()
    } else {
        (1..=width).map(|i| format!("column_{i}")).collect()
    };
    dedup_names(&mut names);
    not_reserved(names.iter().map(String::as_str), path)?;
    let mut cols: Vec<Vec<Option<String>>> = vec![Vec::new(); width];
    let mut row_numbers: Vec<i64> = Vec::new();
    for (i, r) in rows.enumerate() {
        let cells: Vec<Option<String>> = r.iter().map(cell).collect();
        if cells.iter().all(Option::is_none) {
            continue;
        }
        for (c, v) in cols.iter_mut().zip(cells) {
            c.push(v);
        }
        row_numbers.push(i as i64 + 1);
    }
    let mut columns: Vec<Column> = vec![Column::new(ROW_INTERNAL.into(), row_numbers)];
    for (n, c) in names.iter().zip(cols) {
        columns.push(Column::new(n.as_str().into(), c));
    }
    Ok(DataFrame::new_infer_height(columns)?)
}

#[cfg(test)]
#[path = "load_tests.rs"]
mod tests;
