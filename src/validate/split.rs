//! The collected frame of one table → the used rows, the rejected rows and the original
//! fields of the rows that may need them, without ever holding two copies of the table.
//!
//! The collected frame carries the file's own columns next to the parsed values (for a
//! Parquet file mostly the very same buffers). The original fields are taken from it for the
//! rejected rows and the repeat candidates only, so writing the rejects never reads the input
//! again; then the used rows keep only the values, filtered one column at a time, each old
//! column freed as its filtered copy is made.

use polars::prelude::*;

use super::{BAD, VALUE_PREFIX, repeats};
use crate::error::Result;
use crate::io::load::{ROW_INTERNAL, RawTable};

/// Prefix of the file's own columns carried while validating (`__kam_o_<index>`).
const ORIG_PREFIX: &str = "__kam_o_";

/// The file's columns, carried under working names into the collected frame.
pub(super) fn original_columns(raw: &RawTable) -> Vec<Expr> {
    raw.columns
        .iter()
        .enumerate()
        .map(|(i, c)| col(c.as_str()).alias(format!("{ORIG_PREFIX}{i}")))
        .collect()
}

/// One table split.
pub(super) struct Split {
    /// Used rows: the row number, the values and the rules' flag columns.
    pub ok: DataFrame,
    /// Rejected rows, every working column (for the reasons).
    pub bad_rows: DataFrame,
    /// Row number and the file's columns as text, for the rejected rows and the candidates.
    pub originals: DataFrame,
    /// Row numbers of used rows that may repeat an earlier one (see [`repeats`]).
    pub candidates: Option<Series>,
}

/// Split the collected frame by its [`BAD`] column.
pub(super) fn split(all: DataFrame, raw: &RawTable, notes: &[(String, String)]) -> Result<Split> {
    let bad_mask = all.column(BAD)?.bool()?.clone();
    let ok_mask = !&bad_mask;
    let cand_mask = repeats::candidates(&all, &ok_mask)?;
    let rows = all.column(ROW_INTERNAL)?;
    let candidates = match &cand_mask {
        Some(m) => Some(rows.filter(m)?.as_materialized_series().clone()),
        None => None,
    };
    let wanted = match &cand_mask {
        Some(m) => &bad_mask | m,
        None => bad_mask.clone(),
    };
    let originals = originals(&all, raw, &wanted)?;
    let bad_rows = match bad_mask.any() {
        true => all.filter(&bad_mask)?,
        false => all.clear(),
    };
    let ok_cols: Vec<String> = all
        .get_column_names()
        .iter()
        .map(|n| n.to_string())
        .filter(|n| {
            n == ROW_INTERNAL
                || n.starts_with(VALUE_PREFIX)
                || notes.iter().any(|(flag, _)| flag == n)
        })
        .collect();
    let ok = all.select(ok_cols)?;
    drop(all);
    let ok = match bad_mask.any() {
        true => filter_each(ok, &ok_mask)?,
        false => ok,
    };
    Ok(Split {
        ok,
        bad_rows,
        originals,
        candidates,
    })
}

/// The rows of `mask`: row number and the file's columns as text, under their file names.
fn originals(all: &DataFrame, raw: &RawTable, mask: &BooleanChunked) -> Result<DataFrame> {
    let mut cols = vec![col(ROW_INTERNAL)];
    cols.extend(raw.columns.iter().enumerate().map(|(i, c)| {
        col(format!("{ORIG_PREFIX}{i}"))
            .cast(DataType::String)
            .alias(c.as_str())
    }));
    let mut names = vec![ROW_INTERNAL.to_string()];
    names.extend((0..raw.columns.len()).map(|i| format!("{ORIG_PREFIX}{i}")));
    Ok(all
        .select(names)?
        .filter(mask)?
        .lazy()
        .select(cols)
        .collect()?)
}

/// `df` where `cond` holds (see [`filter_each`]).
pub(super) fn filter_where(df: DataFrame, cond: Expr) -> Result<DataFrame> {
    let mask = df
        .clone()
        .lazy()
        .select([cond.alias("__kam_keep")])
        .collect()?;
    let mask = mask.column("__kam_keep")?.bool()?.clone();
    filter_each(df, &mask)
}

/// `df` filtered by `mask` one column at a time: each column's old buffer is freed (when
/// nothing else holds it) before the next is copied, so the peak is the table plus one column.
fn filter_each(df: DataFrame, mask: &BooleanChunked) -> Result<DataFrame> {
    let height = mask.sum().unwrap_or(0) as usize;
    let mut cols = df.into_columns();
    for c in cols.iter_mut() {
        *c = c.filter(mask)?;
    }
    Ok(DataFrame::new(height, cols)?)
}
