//! Segment numbering, profiles and names: turns raw cluster labels into segments 1..=k a
//! strategy team can read, one profile row per segment, and a plain-words name for each.
//!
//! **Numbering** ([`order_labels`]). Segments are numbered 1..=k by mean value (`value_col`,
//! e.g. `monetary_total`), largest first; ties go to the larger segment, then to the segment
//! holding the smallest `customer_id`, so the numbers never depend on the k-means
//! initialisation. Unplaced customers (no purchases) have no number.
//!
//! **Profiles** ([`profiles`]). One row per segment, sorted 1..=k, then one row with an empty
//! `segment` for the unplaced customers (named [`NO_PURCHASES`], overridable with key 0):
//! `customers`, `share_customers`, `share_revenue` (of `value_col` with negative values
//! clipped to 0, since a customer whose returns exceed their purchases holds no share of the
//! revenue; empty when no one has a positive value), `<column>_mean` and `<column>_median` in
//! original units for every feature and every naming column below, and `top_customer_types` /
//! `top_districts`: the three most common values with their share of the segment's customers
//! (`ready_mix 45%, distributor 30%`; missing values count as `unknown`; empty text when the
//! column is absent). One lazy plan, collected once.
//!
//! **Names**: see [`super::names`].

use std::collections::BTreeMap;

use polars::prelude::*;

use super::names::name_segments;
use crate::error::{Error, Result};
use crate::schema as s;
pub use crate::schema::NO_PURCHASES;

// ---- output columns (defined in schema::columns) ----
pub use crate::schema::columns::{
    CUSTOMER_COUNT as CUSTOMERS, SEGMENT, SEGMENT_NAME, SHARE_CUSTOMERS, SHARE_REVENUE,
    TOP_CUSTOMER_TYPES, TOP_DISTRICTS,
};
/// Key of the unplaced customers' row in [`ProfileParams::names`].
pub const UNPLACED_KEY: u32 = 0;

/// Values listed in `top_customer_types` and `top_districts`.
const TOP_N: usize = 3;
const UNKNOWN: &str = "unknown";
const TABLE: &str = "customer table";

// ---- working columns ----
const RAW: &str = "__prof_raw";
const KEY: &str = "__prof_key";
const VALUE: &str = "__prof_value";
const N: &str = "__prof_n";
const MIN_ID: &str = "__prof_min_id";
const REVENUE: &str = "__prof_revenue";
const ITEM: &str = "__prof_item";
const OVERALL: &str = "__prof_all_";

/// Profile and naming settings. Defaults: no extra features, value from `monetary_total`, no
/// name overrides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileParams {
    /// Feature columns to profile (mean and median, in the table's own units).
    pub features: Vec<String>,
    /// Value column for numbering, `share_revenue` and the value axis of names.
    pub value_col: String,
    /// Names given by the user, by segment number (0 = the unplaced customers); they win.
    pub names: BTreeMap<u32, String>,
    /// Whether `value_col` is a value (money) the names may call high or low; false when it
    /// only orders the segments (the table had no value column).
    pub value_words: bool,
}

impl Default for ProfileParams {
    fn default() -> Self {
        ProfileParams {
            features: Vec::new(),
            value_col: s::MONETARY_TOTAL.to_string(),
            names: BTreeMap::new(),
            value_words: true,
        }
    }
}

/// Segment numbers 1..=k for raw labels (one per row of `df`), by mean `value_col`, largest
/// first; ties by segment size (larger first), then smallest `customer_id`. `None` stays `None`.
pub fn order_labels(
    df: &DataFrame,
    raw: &[Option<usize>],
    value_col: &str,
) -> Result<Vec<Option<u32>>> {
    same_length(df, raw.len())?;
    require(df, s::CUSTOMER_ID, false)?;
    require(df, value_col, true)?;
    let mut base = df.select([s::CUSTOMER_ID, value_col])?;
    let raw64: Vec<Option<u64>> = raw.iter().map(|r| r.map(|v| v as u64)).collect();
    base.with_column(Column::new(RAW.into(), raw64))?;
    let desc = SortMultipleOptions::default()
        .with_order_descending_multi([true, true, false, false])
        .with_nulls_last(true);
    let order = base
        .lazy()
        .filter(col(RAW).is_not_null())
        .group_by([col(RAW)])
        .agg([
            num(value_col).mean().alias(VALUE),
            len().alias(N),
            col(s::CUSTOMER_ID).min().alias(MIN_ID),
        ])
        .sort([VALUE, N, MIN_ID, RAW], desc)
        .select([col(RAW)])
        .collect()?;
    let order: Vec<Option<u64>> = order.column(RAW)?.u64()?.iter().collect();
    // segment number = 1 + position in that order (k is small)
    let number = |v: usize| order.iter().position(|r| *r == Some(v as u64));
    let number = |v: usize| number(v).and_then(|i| u32::try_from(i + 1).ok());
    Ok(raw.iter().map(|r| r.and_then(number)).collect())
}

/// The segments table (see the module doc) and each customer's segment name, in `df`'s row
/// order (unplaced customers get [`NO_PURCHASES`] or the key-0 override, so never `None` in
/// practice). `labels` holds one segment number >= 1 per row of `df`, `None` for unplaced.
pub fn profiles(
    df: &DataFrame,
    labels: &[Option<u32>],
    p: &ProfileParams,
) -> Result<(DataFrame, Column)> {
    same_length(df, labels.len())?;
    if labels.contains(&Some(UNPLACED_KEY)) {
        return Err(Error::Internal("segment numbers start at 1".into()));
    }
    require(df, &p.value_col, true)?;
    for c in &p.features {
        require(df, c, true)?;
    }
    let stats = profiled_columns(df, p);
    let table = segment_rows(df, labels, &stats, &p.value_col)?;
    let keys: Vec<u32> = table.column(KEY)?.u32()?.into_no_null_iter().collect();
    let value = p.value_words.then_some(p.value_col.as_str());
    let names = name_segments(&table, &keys, value, &p.names)?;
    let out = [SEGMENT, CUSTOMERS, SHARE_CUSTOMERS, SHARE_REVENUE].map(String::from);
    let means = stats
        .iter()
        .flat_map(|c| [format!("{c}_mean"), format!("{c}_median")]);
    let out = out.into_iter().chain(means).chain(TOPS.map(|t| t.1.into()));
    let mut table = table.select(out)?;
    let name_col: Vec<Option<&str>> = keys
        .iter()
        .map(|k| names.get(k).map(String::as_str))
        .collect();
    table.insert_column(1, Column::new(SEGMENT_NAME.into(), name_col))?;
    // the names by reference: no text allocated per customer
    let per_customer: Vec<Option<&str>> = labels
        .iter()
        .map(|l| names.get(&l.unwrap_or(UNPLACED_KEY)).map(String::as_str))
        .collect();
    Ok((table, Column::new(SEGMENT_NAME.into(), per_customer)))
}

/// The columns listed in `top_customer_types` and `top_districts`, with their output column.
const TOPS: [(&str, &str); 3] = [
    (s::CUSTOMER_TYPE, TOP_CUSTOMER_TYPES),
    (s::DISTRICT, TOP_DISTRICTS),
    (
        crate::schema::columns::TOP_PRODUCT,
        crate::schema::columns::TOP_PRODUCTS,
    ),
];

/// The profiled columns: the features, then the naming columns (the value column and those
/// optional ones present and numeric) not already among them.
fn profiled_columns<'a>(df: &DataFrame, p: &'a ProfileParams) -> Vec<&'a str> {
    let numeric = |c: &&str| df.column(c).is_ok_and(|c| c.dtype().is_primitive_numeric());
    let naming = [s::RECENCY_DAYS, s::FREQUENCY, s::TENURE_DAYS, s::TREND_12M];
    let naming = naming.into_iter().filter(numeric);
    let extra = [p.value_col.as_str()].into_iter().chain(naming);
    (p.features.iter().map(String::as_str))
        .chain(extra.filter(|c| !p.features.iter().any(|f| f == c)))
        .collect()
}

/// One collected row per segment key (placed segments 1..=k, then the unplaced), with every
/// output column, the key and the overall means the names are judged against.
fn segment_rows(
    df: &DataFrame,
    labels: &[Option<u32>],
    stats: &[&str],
    value_col: &str,
) -> Result<DataFrame> {
    let has = |c: &str| df.column(c).is_ok();
    let mut base = df.select(
        stats
            .iter()
            .copied()
            .chain(TOPS.map(|t| t.0).into_iter().filter(|c| has(c))),
    )?;
    let keys: Vec<u32> = labels.iter().map(|l| l.unwrap_or(UNPLACED_KEY)).collect();
    base.with_column(Column::new(KEY.into(), keys))?;
    let lf = base
        .lazy()
        // overall means of the placed customers, broadcast, for naming
        .with_columns(
            stats
                .iter()
                .map(|c| num(c).filter(placed()).mean().alias(overall(c)))
                .collect::<Vec<_>>(),
        );
    let mut aggs = vec![
        len().cast(DataType::Int64).alias(CUSTOMERS),
        num(value_col).clip_min(lit(0.0)).sum().alias(REVENUE),
    ];
    for c in stats {
        aggs.push(num(c).mean().alias(format!("{c}_mean")));
        aggs.push(num(c).median().alias(format!("{c}_median")));
        aggs.push(col(overall(c)).first());
    }
    let mut seg = lf.clone().group_by([col(KEY)]).agg(aggs).with_columns([
        share(col(CUSTOMERS).cast(DataType::Float64)).alias(SHARE_CUSTOMERS),
        // share_revenue = sum(max(value, 0)) in the segment / over everyone
        share(col(REVENUE)).alias(SHARE_REVENUE),
        when(placed())
            .then(col(KEY))
            .otherwise(lit(NULL).cast(DataType::UInt32))
            .alias(SEGMENT),
    ]);
    for (c, top) in TOPS {
        seg = match has(c) {
            true => seg.left_join(top_shares(lf.clone(), c, top)?, col(KEY), col(KEY)),
            false => seg.with_column(lit("").alias(top)),
        };
    }
    Ok(seg
        .sort_by_exprs([placed().not(), col(KEY)], Default::default())
        .collect()?)
}

/// A numeric column as Float64, NaN as missing.
fn num(c: &str) -> Expr {
    col(c)
        .cast(DataType::Float64)
        .fill_nan(lit(NULL).cast(DataType::Float64))
}

fn placed() -> Expr {
    col(KEY).neq(lit(UNPLACED_KEY))
}

pub(super) fn overall(c: &str) -> String {
    format!("{OVERALL}{c}")
}

/// `e / sum(e)` over all rows; empty when the sum is not positive.
fn share(e: Expr) -> Expr {
    when(e.clone().sum().gt(lit(0.0)))
        .then(e.clone() / e.sum())
        .otherwise(lit(NULL).cast(DataType::Float64))
}

/// Per segment key: the [`TOP_N`] most common values of `column` with their share of the
/// segment's customers, `"a 45%, b 30%"` (most common first, ties by value; `<1%` when small).
fn top_shares(lf: LazyFrame, column: &str, out: &str) -> Result<LazyFrame> {
    // pct = round(100 * n / customers in the segment)
    let pct = (col(N).cast(DataType::Float64) * lit(100.0)
        / col(N).sum().over([col(KEY)])?.cast(DataType::Float64))
    .round(0, RoundMode::HalfAwayFromZero)
    .cast(DataType::Int64);
    let pct = when(pct.clone().eq(lit(0i64)))
        .then(lit("<1"))
        .otherwise(pct.cast(DataType::String));
    let order = SortMultipleOptions::default().with_order_descending_multi([true, false]);
    let value = col(column).cast(DataType::String).fill_null(lit(UNKNOWN));
    Ok(lf
        .select([col(KEY), value.alias(VALUE)])
        .group_by([col(KEY), col(VALUE)])
        .agg([len().alias(N)])
        .with_column(concat_str([col(VALUE), lit(" "), pct, lit("%")], "", false).alias(ITEM))
        .group_by([col(KEY)])
        .agg([col(ITEM)
            .sort_by([col(N), col(VALUE)], order)
            .head(Some(TOP_N))
            .str()
            .join(", ", true)
            .alias(out)]))
}

fn same_length(df: &DataFrame, n: usize) -> Result<()> {
    let msg = || format!("{n} segment labels for {} customers", df.height());
    (df.height() == n)
        .then_some(())
        .ok_or_else(|| Error::Internal(msg()))
}

/// `name` must be a column of `df` (and numeric when `numeric`).
fn require(df: &DataFrame, name: &str, numeric: bool) -> Result<()> {
    let Ok(c) = df.column(name) else {
        let found: Vec<&str> = df.get_column_names().iter().map(|c| c.as_str()).collect();
        return Err(Error::MissingColumn {
            file: TABLE.into(),
            column: name.into(),
            file_column: name.into(),
            found: found.join(", "),
        });
    };
    if numeric && !c.dtype().is_primitive_numeric() {
        let msg = format!(
            "column '{name}' is profiled by segment and must be numeric; it holds {}.",
            c.dtype()
        );
        return Err(Error::validation(TABLE, msg));
    }
    Ok(())
}

#[cfg(test)]
#[path = "profile_tests.rs"]
mod tests;
