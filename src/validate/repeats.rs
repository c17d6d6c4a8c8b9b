//! Repeated transaction rows: a row equal to an earlier one in every column of the file is a
//! double count (the same sale exported twice, overlapping monthly extracts concatenated),
//! not more business. `validation.duplicate_transactions` decides: reject the repeats
//! (default; the reason names the first occurrence's row), note them, or keep them silently.
//!
//! Two rows are equal when every file column reads the same as text (blank and missing
//! alike). Building that text for every row cost more than the rest of validation together
//! (formatting every date and amount, hashing ~80-byte keys), so it is built only where it
//! can matter: a 64-bit hash of each row's stored values ([`ROW_HASH`]) finds the rows whose
//! hash occurs more than once (every real repeat is among them), and only those candidates'
//! original fields are compared as text, so a hash collision can never reject a row.

use polars::polars_utils::aliases::{PlSeedableRandomStateQuality, SeedableFromU64SeedExt};
use polars::prelude::*;

use super::params::DuplicateRows;
use super::{CHECK_INTERNAL, TEXT_PREFIX, VALUE_PREFIX};
use crate::error::Result;
use crate::io::load::{REASON_INTERNAL, ROW_INTERNAL};
use crate::par;

/// Internal column holding a hash of every file column of a row, while validating.
pub(super) const ROW_HASH: &str = "__kam_rowhash";
/// The check name of a rejected repeat.
pub const DUPLICATE_ROW: &str = "duplicate row";
/// Internal column of the exact row text of the candidates.
const ROW_KEY: &str = "__kam_rowkey";

/// The file's own columns (not the row number or validation's working columns).
pub(super) fn file_columns(schema: &Schema) -> Vec<PlSmallStr> {
    schema
        .iter_names()
        .filter(|c| {
            let c = c.as_str();
            c != ROW_INTERNAL && !c.starts_with(VALUE_PREFIX) && !c.starts_with(TEXT_PREFIX)
        })
        .cloned()
        .collect()
}

/// [`ROW_HASH`]: one hash of the row's file columns. Rows equal as text hash equal: text
/// columns count a missing value as blank, numbers, dates and booleans are hashed as stored
/// (equal text means an equal value there), anything else as text.
pub(super) fn row_hash(schema: &Schema) -> Expr {
    let inputs: Vec<Expr> = file_columns(schema)
        .iter()
        .filter_map(|c| schema.get(c).map(|d| (c, d)))
        .map(|(c, dtype)| {
            let e = col(c.as_str());
            if matches!(dtype, DataType::String) {
                e.fill_null(lit(""))
            } else if hashed_as_stored(dtype) {
                e
            } else {
                e.cast(DataType::String).fill_null(lit(""))
            }
        })
        .collect();
    if inputs.is_empty() {
        return lit(0u64).alias(ROW_HASH);
    }
    map_multiple(hash_columns, inputs, |_, _| {
        Ok(Field::new(ROW_HASH.into(), DataType::UInt64))
    })
    .alias(ROW_HASH)
}

fn hashed_as_stored(dtype: &DataType) -> bool {
    dtype.is_primitive_numeric()
        || matches!(
            dtype,
            DataType::Boolean
                | DataType::Date
                | DataType::Datetime(_, _)
                | DataType::Duration(_)
                | DataType::Time
        )
}

/// Row by row: the columns' hashes combined, in column order. Elementwise, so Polars may
/// call it on any slice of rows.
fn hash_columns(cols: &mut [Column]) -> PolarsResult<Column> {
    let n = cols.first().map_or(0, Column::len);
    let physical: Vec<Series> = cols
        .iter()
        .map(|c| c.as_materialized_series().to_physical_repr().into_owned())
        .collect();
    let mut h = vec![0u64; n];
    // each core hashes its run of rows into its part of `h` (a row's hash depends on that row
    // alone, so the parts are those of one pass)
    let per = n.div_ceil(par::threads()).max(HASH_RUN);
    let runs: Vec<(usize, &mut [u64])> = h
        .chunks_mut(per)
        .enumerate()
        .map(|(i, part)| (i * per, part))
        .collect();
    let hashed = par::map_owned(runs, |(start, part)| {
        physical
            .iter()
            .try_for_each(|s| hash_into(&s.slice(start as i64, part.len()), part))
    })
    .map_err(|e| polars_err!(ComputeError: "{e}"))?;
    hashed.into_iter().collect::<PolarsResult<()>>()?;
    Ok(UInt64Chunked::from_vec(ROW_HASH.into(), h).into_column())
}

/// Fewest rows worth a core of their own.
const HASH_RUN: usize = 1 << 16;

/// Combine column `s` (physical type) into the row hashes `h`, row by row.
fn hash_into(s: &Series, h: &mut [u64]) -> PolarsResult<()> {
    let state = PlSeedableRandomStateQuality::seed_from_u64(0x6b61_6d72_6f77);
    match s.dtype() {
        DataType::String => s.str()?.vec_hash_combine(state, h),
        DataType::Boolean => s.bool()?.vec_hash_combine(state, h),
        DataType::Float64 => s.f64()?.vec_hash_combine(state, h),
        DataType::Float32 => s.f32()?.vec_hash_combine(state, h),
        DataType::Int64 => s.i64()?.vec_hash_combine(state, h),
        DataType::Int32 => s.i32()?.vec_hash_combine(state, h),
        DataType::UInt64 => s.u64()?.vec_hash_combine(state, h),
        DataType::UInt32 => s.u32()?.vec_hash_combine(state, h),
        // small integers: widened (the hash only has to agree between equal values)
        _ => s.cast(&DataType::Int64)?.i64()?.vec_hash_combine(state, h),
    }
}

/// The used rows (`ok`) whose [`ROW_HASH`] occurs more than once among the used rows, as a
/// mask over `all` (`None` when there are none, or the table is not checked for repeats).
pub(super) fn candidates(all: &DataFrame, ok: &BooleanChunked) -> Result<Option<BooleanChunked>> {
    if !all
        .get_column_names()
        .iter()
        .any(|c| c.as_str() == ROW_HASH)
    {
        return Ok(None);
    }
    // the hashes that occur twice: adjacent in the sorted hashes (a parallel sort is much
    // cheaper than a hash set of millions of rows)
    let h = all.column(ROW_HASH)?.u64()?;
    let sorted = h
        .filter(ok)?
        .sort_with(SortOptions::default().with_multithreaded(true));
    let mut repeated = PlHashSet::new();
    let mut prev = None;
    for v in sorted.iter().flatten() {
        if prev == Some(v) {
            repeated.insert(v);
        }
        prev = Some(v);
    }
    drop(sorted);
    if repeated.is_empty() {
        return Ok(None);
    }
    let mask: BooleanChunked = h
        .iter()
        .zip(ok.iter())
        .map(|(v, ok)| ok == Some(true) && v.is_some_and(|v| repeated.contains(&v)))
        .collect();
    Ok(Some(mask))
}

/// The used rows without the repeats to reject, the rejected repeats (`row`, reason, check)
/// and, with `note`, the sentence for the summary. `candidates` are the used rows that may
/// repeat another (from [`candidates`]); `originals` holds the file's columns as text (and
/// the row number) for at least those rows.
pub(super) fn split(
    ok: DataFrame,
    policy: DuplicateRows,
    candidates: Option<&Series>,
    originals: &DataFrame,
) -> Result<(DataFrame, Option<DataFrame>, Option<String>)> {
    let Some(cands) = candidates else {
        return Ok((ok, None, None));
    };
    let repeats = exact_repeats(cands, originals)?;
    let n = repeats.height();
    match policy {
        DuplicateRows::Reject if n > 0 => {
            let rows = repeats
                .column(ROW_INTERNAL)?
                .as_materialized_series()
                .clone();
            let keep = col(ROW_INTERNAL)
                .is_in(lit(rows).implode(true), false)
                .not();
            let kept = super::split::filter_where(ok, keep)?;
            Ok((kept, Some(repeats), None))
        }
        DuplicateRows::Note if n > 0 => Ok((
            ok,
            None,
            Some(format!(
                "{n} rows repeat an earlier row in every column; kept \
                 (validation.duplicate_transactions = \"note\")"
            )),
        )),
        _ => Ok((ok, None, None)),
    }
}

/// Among the candidate rows, those equal as text to an earlier one: `row`, reason, check.
fn exact_repeats(cands: &Series, orig: &DataFrame) -> Result<DataFrame> {
    let parts: Vec<Expr> = orig
        .get_column_names()
        .iter()
        .filter(|c| c.as_str() != ROW_INTERNAL)
        .map(|c| col(c.as_str()).cast(DataType::String).fill_null(lit("")))
        .collect();
    // key = every file column joined; a repeat is a key's non-first row
    let first_row = col(ROW_INTERNAL).first().over([col(ROW_KEY)])?;
    Ok(orig
        .clone()
        .lazy()
        .filter(col(ROW_INTERNAL).is_in(lit(cands.clone()).implode(true), false))
        .sort([ROW_INTERNAL], SortMultipleOptions::default())
        .with_column(concat_str(parts, "\u{1f}", false).alias(ROW_KEY))
        .with_columns([
            col(ROW_KEY).is_first_distinct().not().alias("__kam_repeat"),
            first_row.alias("__kam_first_row"),
        ])
        .filter(col("__kam_repeat"))
        .select([
            col(ROW_INTERNAL),
            concat_str(
                [
                    lit("repeats row "),
                    col("__kam_first_row").cast(DataType::String),
                    lit(" in every column"),
                ],
                "",
                false,
            )
            .alias(REASON_INTERNAL),
            lit(DUPLICATE_ROW).alias(CHECK_INTERNAL),
        ])
        .collect()?)
}

#[cfg(test)]
#[path = "repeats_tests.rs"]
mod tests;
