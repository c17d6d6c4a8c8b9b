//! The confirmed merge map (`[input.customer_merges]`: `customer_id` -> `merge_into`),
//! resolved through chains ([`resolve`]), and the fold of every table's rows of a merged id
//! into its surviving id, after validation and before features.
//!
//! - Every table with a `customer_id` column (customers, transactions, deals) has each
//!   merged id replaced by its survivor, so every later stage sees one customer.
//! - The customers table keeps one row per surviving id: the survivor's own row, each blank
//!   attribute filled from the merged rows in the order they appear in the file. A survivor
//!   without a row of its own takes the first merged row's attributes (file order), filled
//!   the same way from the later ones.
//! - Validation counts stay as read (read = used + rejected): a customers row folded into
//!   its survivor is used (its attributes and sales count for the survivor);
//!   [`MergeReport::customers_folded`] says how many such rows there were.
//!
//! Pure frame code: the map arrives validated, the frames leave re-keyed.

pub mod resolve;

use std::collections::BTreeMap;

use polars::prelude::*;
use serde::Serialize;

use crate::error::Result;
use crate::schema as s;
use crate::stage::{Line, StageOutput};
use crate::validate::Validation;

/// Internal column of the survivor while folding.
const SURVIVOR: &str = "__kam_survivor";
/// Internal row order of the customers file while folding.
const ROW_ORDER: &str = "__kam_row_order";
/// Internal flag of a merged (not surviving) customers row while folding.
const MERGED: &str = "__kam_merged";
/// Merge-map ids in no table listed in the note.
const EXAMPLES: usize = 5;

/// What the fold did, for the manifest (`merges`) and the summary.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct MergeReport {
    /// Rows of the merge map read and used (the rest are in rejects/customer_merges.csv).
    pub map_rows_read: u64,
    pub map_rows_used: u64,
    /// Distinct ids merged into another id.
    pub ids_merged: u64,
    /// Distinct ids they were folded into (the end of each chain).
    pub surviving_ids: u64,
    /// Per table, rows whose `customer_id` was replaced by its survivor.
    pub rows_rekeyed: BTreeMap<String, u64>,
    /// Customers rows folded into their survivor's row (customers.csv has that many fewer).
    pub customers_folded: u64,
    /// Ids of the merge map (either column) found in no table's `customer_id`.
    pub ids_unknown: u64,
    /// The first of those ids, sorted (at most 5).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ids_unknown_examples: Vec<String>,
}

/// Fold the confirmed merges into every table of `v`; without a merge map `v` is returned
/// as it is, with no report. A cycle in the map is an error naming its ids.
pub fn fold(mut v: Validation) -> Result<(Validation, Option<MergeReport>)> {
    let Some(map) = v.table(s::CUSTOMER_MERGES.name) else {
        return Ok((v, None));
    };
    let mut report = MergeReport {
        map_rows_read: map.counts.read,
        map_rows_used: map.counts.used,
        ..MergeReport::default()
    };
    let survivors = resolve::survivors(&pairs(&map.clean)?)?;
    report.ids_merged = survivors.len() as u64;
    let mut ends: Vec<&String> = survivors.values().collect();
    ends.sort_unstable();
    ends.dedup();
    report.surviving_ids = ends.len() as u64;
    let map_df = df![
        s::CUSTOMER_ID => survivors.keys().cloned().collect::<Vec<_>>(),
        SURVIVOR => survivors.values().cloned().collect::<Vec<_>>(),
    ]?;
    let map_ids = map_ids(&survivors)?;
    let mut known = map_ids.clear();
    for t in v.tables.iter_mut() {
        if t.spec.name == s::CUSTOMER_MERGES.name || !crate::frame::has(&t.clean, s::CUSTOMER_ID) {
            continue;
        }
        known.vstack_mut(&found_in(&map_ids, &t.clean)?)?;
        let (df, rekeyed) = rekey(&t.clean, &map_df)?;
        let df = match t.spec.name == s::CUSTOMERS.name {
            true => {
                let folded = fold_customers(df, &t.clean, &map_df)?;
                report.customers_folded = (t.clean.height() - folded.height()) as u64;
                folded
            }
            false => df,
        };
        report.rows_rekeyed.insert(t.spec.name.into(), rekeyed);
        t.clean = df;
    }
    let unknown = unknown(&map_ids, &known)?;
    report.ids_unknown = unknown.len() as u64;
    report.ids_unknown_examples = unknown.into_iter().take(EXAMPLES).collect();
    Ok((v, Some(report)))
}

/// The (customer_id, merge_into) rows of the validated map, in file order.
fn pairs(map: &DataFrame) -> Result<Vec<(String, String)>> {
    let from = map.column(s::CUSTOMER_ID)?.str()?.clone();
    let to = map.column(s::MERGE_INTO)?.str()?.clone();
    Ok(from
        .iter()
        .zip(to.iter())
        .filter_map(|(a, b)| Some((a?.to_string(), b?.to_string())))
        .collect())
}

/// Every id the resolved map names (merged ids and survivors), once each, sorted.
fn map_ids(survivors: &BTreeMap<String, String>) -> Result<DataFrame> {
    let ids: std::collections::BTreeSet<&String> =
        survivors.keys().chain(survivors.values()).collect();
    let ids: Vec<&str> = ids.into_iter().map(String::as_str).collect();
    Ok(df![s::CUSTOMER_ID => ids]?)
}

/// The map ids present in `table`'s customer_id column.
fn found_in(map_ids: &DataFrame, table: &DataFrame) -> Result<DataFrame> {
    Ok(map_ids
        .clone()
        .lazy()
        .semi_join(
            table.clone().lazy().select([col(s::CUSTOMER_ID)]),
            col(s::CUSTOMER_ID),
            col(s::CUSTOMER_ID),
        )
        .collect()?)
}

/// The map ids not in `known`, sorted.
fn unknown(map_ids: &DataFrame, known: &DataFrame) -> Result<Vec<String>> {
    let left = map_ids
        .clone()
        .lazy()
        .anti_join(
            known.clone().lazy(),
            col(s::CUSTOMER_ID),
            col(s::CUSTOMER_ID),
        )
        .collect()?;
    Ok(left
        .column(s::CUSTOMER_ID)?
        .str()?
        .iter()
        .flatten()
        .map(str::to_string)
        .collect())
}

/// `df` with each merged customer_id replaced by its survivor (row order kept), and the
/// number of rows replaced.
fn rekey(df: &DataFrame, map: &DataFrame) -> Result<(DataFrame, u64)> {
    let mut args = JoinArgs::new(JoinType::Left);
    args.maintain_order = MaintainOrderJoin::Left;
    let joined = df
        .clone()
        .lazy()
        .join(
            map.clone().lazy(),
            [col(s::CUSTOMER_ID)],
            [col(s::CUSTOMER_ID)],
            args,
        )
        .collect()?;
    let survivor = joined.column(SURVIVOR)?;
    let rekeyed = (survivor.len() - survivor.null_count()) as u64;
    // customer_id = coalesce(survivor, customer_id), the other columns as they were
    let columns: Vec<Expr> = df
        .get_column_names()
        .iter()
        .map(|c| match c.as_str() == s::CUSTOMER_ID {
            true => coalesce(&[col(SURVIVOR), col(s::CUSTOMER_ID)]).alias(s::CUSTOMER_ID),
            false => col(c.as_str()),
        })
        .collect();
    let out = joined.lazy().select(columns).collect()?;
    Ok((out, rekeyed))
}

/// One row per surviving id, at the place of the first of its rows in the file: `rekeyed`
/// is the customers table with survivors in place,
/// `original` the same rows before (to tell a survivor's own row from a merged one). Each
/// column takes the own row's value, else the first non-blank of the merged rows in file
/// order.
fn fold_customers(rekeyed: DataFrame, original: &DataFrame, map: &DataFrame) -> Result<DataFrame> {
    let merged_ids = map.column(s::CUSTOMER_ID)?.as_materialized_series().clone();
    let merged = original
        .clone()
        .lazy()
        .select([col(s::CUSTOMER_ID)
            .is_in(lit(merged_ids).implode(true), false)
            .alias(MERGED)])
        .collect()?;
    let names: Vec<String> = rekeyed
        .get_column_names()
        .iter()
        .map(|c| c.to_string())
        .collect();
    let order = SortMultipleOptions::default();
    let aggs: Vec<Expr> = names
        .iter()
        .filter(|c| c.as_str() != s::CUSTOMER_ID)
        .map(|c| {
            col(c.as_str())
                .sort_by([col(MERGED), col(ROW_ORDER)], order.clone())
                .drop_nulls()
                .first()
        })
        .collect();
    let mut df = rekeyed;
    df.with_column(merged.column(MERGED)?.clone())?;
    Ok(df
        .lazy()
        .with_row_index(ROW_ORDER, None)
        .group_by_stable([col(s::CUSTOMER_ID)])
        .agg(aggs)
        .select(names.iter().map(|c| col(c.as_str())).collect::<Vec<_>>())
        .collect()?)
}

/// The summary line of the fold and, when some map ids are in no table, a note.
pub fn output(r: &MergeReport) -> StageOutput {
    let mut out = StageOutput::default();
    let rekeyed: Vec<String> = r
        .rows_rekeyed
        .iter()
        .map(|(t, n)| format!("{t} {n}"))
        .collect();
    out.line(Line::text(format!(
        "customer_merges: {} merged into {}; rows re-keyed: {}; {} folded into their survivor",
        count(r.ids_merged, "id"),
        count(r.surviving_ids, "surviving id"),
        match rekeyed.is_empty() {
            true => "none".to_string(),
            false => rekeyed.join(", "),
        },
        count(r.customers_folded, "customers row"),
    )));
    if r.ids_unknown > 0 {
        out.line(Line::note(format!(
            "customer_merges: {} of the merge map {} in no table (e.g. {})",
            count(r.ids_unknown, "id"),
            match r.ids_unknown {
                1 => "is",
                _ => "are",
            },
            r.ids_unknown_examples.join(", ")
        )));
    }
    out
}

/// `1 id`, `3 ids`.
fn count(n: u64, what: &str) -> String {
    match n {
        1 => format!("1 {what}"),
        n => format!("{n} {what}s"),
    }
}

#[cfg(test)]
mod tests;
