//! The rejected rows: which problem comes first on each, and the original fields as text
//! with the row number, the check and the reason.

use polars::prelude::*;

use super::CHECK_INTERNAL;
use super::FIRST_PROBLEM;
use super::parse::Problem;
use crate::error::Result;
use crate::io::load::{REASON_INTERNAL, ROW_INTERNAL, RawTable};
use crate::schema;

/// True where a row has any of `problems`: a cheap OR over all rows; which problem comes
/// first is worked out on the bad rows only.
pub(super) fn any_problem(problems: &[Problem]) -> Expr {
    problems.iter().fold(lit(false), |acc, p| {
        acc.or(p.when.clone().fill_null(lit(false)))
    })
}

/// Row number, reason and check of each bad row, from the first problem it has.
pub(super) fn first_problems(bad_rows: DataFrame, problems: Vec<Problem>) -> Result<DataFrame> {
    let first = problems
        .iter()
        .enumerate()
        .rev()
        .fold(lit(NULL).cast(DataType::UInt32), |acc, (i, p)| {
            when(p.when.clone()).then(lit(i as u32)).otherwise(acc)
        });
    let (reason, check) = problems.into_iter().enumerate().rev().fold(
        (
            lit(NULL).cast(DataType::String),
            lit(NULL).cast(DataType::String),
        ),
        |(r, c), (i, p)| {
            let hit = col(FIRST_PROBLEM).eq(lit(i as u32));
            (
                when(hit.clone()).then(p.reason).otherwise(r),
                when(hit).then(lit(p.check)).otherwise(c),
            )
        },
    );
    Ok(bad_rows
        .lazy()
        .with_column(first.alias(FIRST_PROBLEM))
        .select([
            col(ROW_INTERNAL),
            reason.alias(REASON_INTERNAL),
            check.alias(CHECK_INTERNAL),
        ])
        .collect()?)
}

/// The file's columns as text (nulls kept) and the row number, for the rows numbered in
/// `rows`: one filtered pass over the input (streamed, so a large Parquet file is never held
/// whole), for the few rows rejected after the split (see `split`).
pub(super) fn originals(raw: &RawTable, rows: &Series) -> Result<DataFrame> {
    let mut cols = vec![col(ROW_INTERNAL)];
    cols.extend(
        raw.columns
            .iter()
            .map(|c| col(c.as_str()).cast(DataType::String)),
    );
    Ok(raw
        .frame
        .clone()
        .filter(col(ROW_INTERNAL).is_in(lit(rows.clone()).implode(true), false))
        .select(cols)
        .collect_with_engine(Engine::Streaming)?
        .unwrap_single())
}

/// Rejected row numbers + reasons → the original rows as text, sorted by row. `originals`
/// holds at least the rows of `bad` (row number and the file's columns as text).
pub(super) fn reject_rows(
    raw: &RawTable,
    bad: DataFrame,
    originals: &DataFrame,
) -> Result<DataFrame> {
    if bad.height() == 0 && raw.pre_rejects.is_none() {
        return empty_rejects(raw);
    }
    let as_text: Vec<Expr> = raw
        .columns
        .iter()
        .zip(original_names(&raw.columns))
        .map(|(c, out)| col(c.as_str()).cast(DataType::String).alias(out))
        .collect();
    let mut head = vec![
        col(ROW_INTERNAL).alias(schema::ROW),
        col(CHECK_INTERNAL).alias("check"),
        col(REASON_INTERNAL).alias(schema::REASON),
    ];
    head.extend(as_text);
    let joined =
        originals
            .clone()
            .lazy()
            .inner_join(bad.lazy(), col(ROW_INTERNAL), col(ROW_INTERNAL));
    let mut parts = vec![joined.select(head.clone())];
    if let Some(pre) = &raw.pre_rejects {
        let pre = pre
            .clone()
            .lazy()
            .with_column(lit("row: wrong number of fields").alias(CHECK_INTERNAL));
        parts.push(pre.select(head));
    }
    Ok(concat(parts, UnionArgs::default())?
        .sort([schema::ROW], SortMultipleOptions::default())
        .collect()?)
}

fn empty_rejects(raw: &RawTable) -> Result<DataFrame> {
    let mut cols = vec![
        Column::new_empty(schema::ROW.into(), &DataType::Int64),
        Column::new_empty("check".into(), &DataType::String),
        Column::new_empty(schema::REASON.into(), &DataType::String),
    ];
    for out in original_names(&raw.columns) {
        cols.push(Column::new_empty(out.into(), &DataType::String));
    }
    Ok(DataFrame::new_infer_height(cols)?)
}

/// The file's columns as the rejects name them: `row`, `check` and `reason` (the rejects' own
/// first columns) get `_original`, again while the name is taken (a file may hold both `row`
/// and `row_original`); other columns keep their names.
pub(super) fn original_names(columns: &[String]) -> Vec<String> {
    let head = [schema::ROW, "check", schema::REASON];
    let mut taken: std::collections::BTreeSet<String> = head
        .iter()
        .map(|h| h.to_string())
        .chain(columns.iter().cloned())
        .collect();
    columns
        .iter()
        .map(|c| {
            if !head.contains(&c.as_str()) {
                return c.clone();
            }
            let mut out = format!("{c}_original");
            while taken.contains(&out) {
                out.push_str("_original");
            }
            taken.insert(out.clone());
            out
        })
        .collect()
}
