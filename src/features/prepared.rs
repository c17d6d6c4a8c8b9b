//! Features prepared by the Spark feature job (`spark/kam_features.py`), taken in place of
//! kam's own (`kam run --features`):
//!
//! - the feature table is checked against the feature contract (the columns and types
//!   [`super::customer_table`] gives, one row per customer, values a feature can take) and
//!   joined with the customers' own columns as `customer_table` joins them;
//! - the job's order aggregates (the used transactions summed by customer, day, order and
//!   direction, with `lines` and `largest_line`) stand in for the used transactions of the
//!   steps that read rows: every sum, purchase day, order total, row count and largest row
//!   they compute comes out as from the raw rows;
//! - the job's manifest gives the run's `as_of` and the transactions' counts and notes, its
//!   rejects the transactions' rejected rows, so `read = used + rejected` still holds.
//!
//! A problem is an input error naming the file, the row and the column: a feature table is
//! derived data, so a bad row means a wrong or stale job output, not a row to set aside.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;
use polars::prelude::*;

use crate::error::{Error, Result};
use crate::schema::{self as s, TimeUnit};
use crate::validate::Counts;

/// What the job's manifest says about its run.
#[derive(Debug, Clone, PartialEq)]
pub struct JobFacts {
    pub as_of: NaiveDate,
    pub time_unit: String,
    /// `tables.<name>` of the job's manifest.
    pub tables: BTreeMap<String, Counts>,
    /// The job's notes on the transactions, without the `transactions: ` prefix.
    pub notes: Vec<String>,
}

/// The facts of a job manifest (`manifest` is the file, for messages).
pub fn job_facts(m: &serde_json::Value, manifest: &Path) -> Result<JobFacts> {
    let bad = |msg: String| Error::input(manifest, msg);
    let as_of = m
        .get("as_of")
        .and_then(|v| v.as_str())
        .and_then(s::parse_iso_date)
        .ok_or_else(|| bad("has no as_of date (YYYY-MM-DD)".into()))?;
    let time_unit = (m.get("time_unit").and_then(|v| v.as_str()))
        .ok_or_else(|| bad("has no time_unit".into()))?
        .to_string();
    let tables = m
        .get("tables")
        .and_then(|t| t.as_object())
        .ok_or_else(|| bad("has no tables".into()))?;
    let mut counts = BTreeMap::new();
    for (name, v) in tables {
        let c: Counts =
            serde_json::from_value(v.clone()).map_err(|e| bad(format!("tables.{name}: {e}")))?;
        if c.read != c.used + c.rejected {
            return Err(bad(format!(
                "tables.{name}: read {} is not used {} + rejected {}",
                c.read, c.used, c.rejected
            )));
        }
        counts.insert(name.clone(), c);
    }
    if !counts.contains_key(s::TRANSACTIONS.name) {
        return Err(bad("has no tables.transactions".into()));
    }
    let prefix = format!("{}: ", s::TRANSACTIONS.name);
    let notes = (m
        .get("notes")
        .and_then(|n| n.as_array())
        .into_iter()
        .flatten())
    .filter_map(|n| n.as_str())
    .filter_map(|n| n.strip_prefix(&prefix))
    .map(str::to_string)
    .collect();
    Ok(JobFacts {
        as_of,
        time_unit,
        tables: counts,
        notes,
    })
}

/// The job's facts agree with this run's settings: the same `as_of` (when the config or
/// `--as-of` sets one) and time unit.
pub fn agrees(
    job: &JobFacts,
    as_of: Option<NaiveDate>,
    unit: TimeUnit,
    manifest: &Path,
) -> Result<()> {
    if let Some(d) = as_of.filter(|d| *d != job.as_of) {
        return Err(Error::input(
            manifest,
            format!(
                "the features stand on as_of {}, this run on {d}: rerun the feature job with \
                 --as-of {d}, or run kam with --as-of {}",
                job.as_of, job.as_of
            ),
        ));
    }
    if job.time_unit != unit.name() {
        return Err(Error::input(
            manifest,
            format!(
                "the features are in time_unit \"{}\", this run's is \"{}\": set the same \
                 time_unit for both",
                job.time_unit,
                unit.name()
            ),
        ));
    }
    Ok(())
}

/// kam's own feature types: `customer_id` then [`s::FEATURES`], as
/// [`super::customer_table`] gives them (taken from it, so the contract cannot drift).
fn feature_schema(as_of: NaiveDate, unit: TimeUnit) -> Result<Vec<(String, DataType)>> {
    let empty = DataFrame::new_infer_height(vec![
        Column::new_empty(s::CUSTOMER_ID.into(), &DataType::String),
        Column::new_empty(s::DATE.into(), &DataType::Date),
        Column::new_empty(s::AMOUNT.into(), &DataType::Float64),
        Column::new_empty(s::QUANTITY.into(), &DataType::Float64),
        Column::new_empty(s::ORDER_ID.into(), &DataType::String),
    ])?;
    let t = super::customer_table(&empty, None, as_of, unit)?;
    Ok(t.schema()
        .iter()
        .map(|(n, d)| (n.to_string(), d.clone()))
        .collect())
}

/// The feature table checked and cast to kam's types: `customer_id` and the feature columns
/// in kam's order (other columns ignored).
pub fn checked_features(
    df: &DataFrame,
    file: &Path,
    as_of: NaiveDate,
    unit: TimeUnit,
) -> Result<DataFrame> {
    let bad = |msg: String| Error::input(file, msg);
    let mut cols = Vec::new();
    for (name, dtype) in feature_schema(as_of, unit)? {
        let c = df.column(&name).map_err(|_| {
            bad(format!(
                "has no column {name} (a feature table holds customer_id and kam's feature \
                 columns; see docs/data-contract.md)"
            ))
        })?;
        cols.push(cast_to(c, &dtype, file)?);
    }
    let t = DataFrame::new_infer_height(cols)?;
    check_ids(&t, s::CUSTOMER_ID, file)?;
    for rule in feature_rules(as_of) {
        first_bad(&t, rule, file)?;
    }
    Ok(t)
}

/// `c` in kam's type `dtype`: numbers of another width or sign are cast when every value
/// fits; text, dates and flags must be stored as such.
pub(super) fn cast_to(c: &Column, dtype: &DataType, file: &Path) -> Result<Column> {
    let from = c.dtype();
    let fits = from == dtype || (from.is_primitive_numeric() && dtype.is_primitive_numeric());
    let cast = fits.then(|| c.strict_cast(dtype).ok()).flatten();
    cast.ok_or_else(|| {
        Error::input(
            file,
            format!("column {}: {from} where kam has {dtype}", c.name()),
        )
    })
}

/// Each customer once, never blank.
fn check_ids(t: &DataFrame, id: &str, file: &Path) -> Result<()> {
    let ids = t.column(id)?.str()?;
    let mut seen: std::collections::HashMap<&str, usize> = Default::default();
    for (i, v) in ids.iter().enumerate() {
        let v = v.map(str::trim).filter(|v| !v.is_empty());
        let Some(v) = v else {
            return Err(Error::input(
                file,
                format!("row {}, column {id}: blank", i + 1),
            ));
        };
        if let Some(first) = seen.insert(v, i) {
            return Err(Error::input(
                file,
                format!(
                    "row {}, column {id}: \"{v}\" repeats row {}",
                    i + 1,
                    first + 1
                ),
            ));
        }
    }
    Ok(())
}

/// The values a feature can take, each as (column, what is wrong, true where a row breaks it).
fn feature_rules(as_of: NaiveDate) -> Vec<(&'static str, &'static str, Expr)> {
    let bought = col(s::FIRST_PURCHASE).is_not_null();
    let not_finite = |c: &str| col(c).is_not_null().and(col(c).is_finite().not());
    let mut rules: Vec<(&'static str, &'static str, Expr)> = Vec::new();
    for c in [
        s::IN_CUSTOMER_TABLE,
        s::ORDERS,
        s::MONETARY_TOTAL,
        s::RETURNS_TOTAL,
        s::REVENUE_LAST_12M,
        s::REVENUE_PREV_12M,
    ] {
        rules.push((
            c,
            "is blank, where kam fills it for every customer",
            col(c).is_null(),
        ));
    }
    for c in [
        s::LAST_PURCHASE,
        s::FREQUENCY,
        s::RECENCY,
        s::T,
        s::RECENCY_DAYS,
    ] {
        let wrong = col(c).is_null().neq(bought.clone().not());
        rules.push((c, "is blank exactly when first_purchase is not", wrong));
    }
    for c in [s::ORDERS, s::FREQUENCY, s::RECENCY_DAYS, s::RETURNS_TOTAL] {
        rules.push((c, "is negative", col(c).lt(lit(0))));
    }
    for c in [
        s::RECENCY,
        s::T,
        s::MONETARY_TOTAL,
        s::MONETARY_VALUE,
        s::QUANTITY_TOTAL,
        s::REVENUE_LAST_12M,
        s::REVENUE_PREV_12M,
        s::LARGEST_ORDER,
        s::TREND_12M,
    ] {
        rules.push((c, "is not a finite number", not_finite(c)));
    }
    let last = col(s::LAST_PURCHASE);
    rules.push((
        s::LAST_PURCHASE,
        "is before first_purchase",
        last.clone().lt(col(s::FIRST_PURCHASE)),
    ));
    rules.push((s::LAST_PURCHASE, "is after as_of", last.gt(lit(as_of))));
    rules.push((
        s::RECENCY,
        "is greater than T",
        col(s::RECENCY).gt(col(s::T)),
    ));
    rules
}

/// The first row where `broken` holds, as an error naming row, column and value.
pub(super) fn first_bad(
    t: &DataFrame,
    (column, what, broken): (&str, &str, Expr),
    file: &Path,
) -> Result<()> {
    let hit = t
        .clone()
        .lazy()
        .with_row_index("__kam_row", Some(1))
        .filter(broken.fill_null(lit(false)))
        .select([col("__kam_row"), col(column).cast(DataType::String)])
        .limit(1)
        .collect()?;
    if hit.height() == 0 {
        return Ok(());
    }
    let row = hit.column("__kam_row")?.get(0)?;
    let value = (hit.column(column)?.str()?.get(0)).map_or(String::new(), |v| format!("{v} "));
    Err(Error::input(
        file,
        format!("row {row}, column {column}: {value}{what}"),
    ))
}

#[cfg(test)]
#[path = "prepared_tests.rs"]
mod tests;
