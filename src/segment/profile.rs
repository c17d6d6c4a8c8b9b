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
//! **Names.** Each segment is compared with the mean of all placed customers, using only the
//! columns present (`value_col` always; `recency_days`, `frequency`, `tenure_days`, `trend_12m`
//! when the table has them):
//!
//! | axis | rule (segment mean vs. overall mean) |
//! |------|------|
//! | value | high at >= 1.5x, low at <= 0.5x, else mid |
//! | recency | lost: >= 365 days, or >= 3x and >= 90 days; lapsing: >= 180 days, or >= 1.5x and >= 30 days; else recent |
//! | frequency | loyal at >= 1.5x, occasional at <= 0.5x, else steady |
//! | tenure | new at <= 0.5x and <= 365 days |
//! | trend | segment *median* of `trend_12m` (one customer growing from 1 to 1000 has a trend of 999): growing at >= +10%, declining at <= -10% |
//!
//! The first matching pattern names the segment, with `{noun}` = big accounts / mid-value / small
//! and `{value}` = high-value / mid-value / low-value: lost → `Lost big accounts` (high value)
//! or `Lost`; lapsing → `Lapsing {noun}`; new → `New {noun}`; otherwise by frequency
//! `{Value} loyal`, `Occasional {value}`, `Steady {value}`, or `{Value} accounts` without a
//! frequency column. New and recent names get `, growing` / `, declining` from the trend.
//! Segments that would share a name get the first word that tells them apart, in the order
//! value, frequency, recency, trend, tenure (`Lost (mid-value)`, `Lost (low-value)`); segments
//! still alike are numbered in segment order (`Lost (2)`). A name from `ProfileParams::names`
//! always wins, and generated names avoid it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use polars::prelude::*;

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

// ---- naming thresholds (see the module doc) ----
const HIGH: f64 = 1.5;
const LOW: f64 = 0.5;
const LOST_DAYS: f64 = 365.0;
const LOST_RATIO: (f64, f64) = (3.0, 90.0);
const LAPSING_DAYS: f64 = 180.0;
const LAPSING_RATIO: (f64, f64) = (1.5, 30.0);
const NEW_RATIO: f64 = 0.5;
const NEW_MAX_DAYS: f64 = 365.0;
const TREND_STEP: f64 = 0.10;
const VALUE_WORDS: [&str; 3] = ["high-value", "mid-value", "low-value"];
const FREQUENCY_WORDS: [&str; 3] = ["loyal", "steady", "occasional"];
const TREND_WORDS: [&str; 3] = ["growing", "flat", "declining"];

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
}

impl Default for ProfileParams {
    fn default() -> Self {
        ProfileParams {
            features: Vec::new(),
            value_col: s::MONETARY_TOTAL.to_string(),
            names: BTreeMap::new(),
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
) -> Result<(DataFrame, Vec<Option<String>>)> {
    same_length(df, labels.len())?;
    if labels.contains(&Some(UNPLACED_KEY)) {
        return Err(Error::Internal("segment numbers start at 1".into()));
    }
    require(df, &p.value_col, true)?;
    for c in &p.features {
        require(df, c, true)?;
    }
    // profiled: the features, then the naming columns (value and those optional ones present)
    let numeric = |c: &&str| df.column(c).is_ok_and(|c| c.dtype().is_primitive_numeric());
    let naming = [s::RECENCY_DAYS, s::FREQUENCY, s::TENURE_DAYS, s::TREND_12M];
    let naming = naming.into_iter().filter(numeric);
    let extra = [p.value_col.as_str()].into_iter().chain(naming);
    let stats: Vec<&str> = (p.features.iter().map(String::as_str))
        .chain(extra.filter(|c| !p.features.iter().any(|f| f == c)))
        .collect();
    let tops = [
        (s::CUSTOMER_TYPE, TOP_CUSTOMER_TYPES),
        (s::DISTRICT, TOP_DISTRICTS),
    ];
    let has = |c: &str| df.column(c).is_ok();
    let mut base = df.select(
        stats
            .iter()
            .copied()
            .chain(tops.map(|t| t.0).into_iter().filter(|c| has(c))),
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
        num(&p.value_col).clip_min(lit(0.0)).sum().alias(REVENUE),
    ];
    for c in &stats {
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
    for (c, top) in tops {
        seg = match has(c) {
            true => seg.left_join(top_shares(lf.clone(), c, top)?, col(KEY), col(KEY)),
            false => seg.with_column(lit("").alias(top)),
        };
    }
    let table = seg
        .sort_by_exprs([placed().not(), col(KEY)], Default::default())
        .collect()?;

    let keys: Vec<u32> = table.column(KEY)?.u32()?.into_no_null_iter().collect();
    let names = name_segments(&table, &keys, &p.value_col, &p.names)?;
    let out = [SEGMENT, CUSTOMERS, SHARE_CUSTOMERS, SHARE_REVENUE].map(String::from);
    let means = stats
        .iter()
        .flat_map(|c| [format!("{c}_mean"), format!("{c}_median")]);
    let out = out.into_iter().chain(means).chain(tops.map(|t| t.1.into()));
    let mut table = table.select(out)?;
    let name_col: Vec<Option<&str>> = keys
        .iter()
        .map(|k| names.get(k).map(String::as_str))
        .collect();
    table.insert_column(1, Column::new(SEGMENT_NAME.into(), name_col))?;
    let per_customer = labels
        .iter()
        .map(|l| names.get(&l.unwrap_or(UNPLACED_KEY)).cloned());
    Ok((table, per_customer.collect()))
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

fn overall(c: &str) -> String {
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

/// How one segment compares with all placed customers: one word per axis, in the order used to
/// tell alike names apart (value, frequency, recency, trend, tenure); `None`: no such column.
type Words = [Option<&'static str>; 5];

/// `w[0]` at `r >= hi`, `w[2]` at `r <= lo`, else `w[1]`.
fn three(r: Option<f64>, hi: f64, lo: f64, w: [&'static str; 3]) -> &'static str {
    match r {
        Some(r) if r >= hi => w[0],
        Some(r) if r <= lo => w[2],
        _ => w[1],
    }
}

/// Row `i` of column `c` of the collected segments table, when present and finite.
fn cell(t: &DataFrame, c: &str, i: usize) -> Option<f64> {
    t.column(c)
        .ok()?
        .f64()
        .ok()?
        .get(i)
        .filter(|v| v.is_finite())
}

/// The words of row `i` of the collected segments table (rules in the module doc).
fn words(t: &DataFrame, i: usize, value_col: &str) -> Words {
    // (segment mean, segment mean / overall mean when the overall mean is positive)
    let vs_all = |c: &str| {
        let m = cell(t, &format!("{c}_mean"), i);
        let all = cell(t, &overall(c), i).filter(|a| *a > 0.0);
        (m, m.zip(all).map(|(m, a)| m / a))
    };
    let (value, freq) = (vs_all(value_col), vs_all(s::FREQUENCY));
    let (days, r) = vs_all(s::RECENCY_DAYS);
    let at = |(x, floor): (f64, f64), d: f64| d >= floor && r.is_some_and(|r| r >= x);
    let (tenure, tr) = vs_all(s::TENURE_DAYS);
    let new = |m: f64| m <= NEW_MAX_DAYS && tr.is_some_and(|r| r <= NEW_RATIO);
    let trend = cell(t, &format!("{}_median", s::TREND_12M), i);
    [
        Some(three(value.1, HIGH, LOW, VALUE_WORDS)),
        freq.0.map(|_| three(freq.1, HIGH, LOW, FREQUENCY_WORDS)),
        days.map(|d| match d {
            d if d >= LOST_DAYS || at(LOST_RATIO, d) => "lost",
            d if d >= LAPSING_DAYS || at(LAPSING_RATIO, d) => "lapsing",
            _ => "recent",
        }),
        trend.map(|t| three(Some(t), TREND_STEP, -TREND_STEP, TREND_WORDS)),
        tenure.map(|m| if new(m) { "new" } else { "established" }),
    ]
}

/// The name before de-duplication (patterns in the module doc, first match wins).
fn base_name(w: &Words) -> String {
    let [value, freq, recency, trend, tenure] = *w;
    let (noun, title, value) = match value {
        Some("high-value") => ("big accounts", "High-value", "high-value"),
        Some("low-value") => ("small", "Low-value", "low-value"),
        _ => ("mid-value", "Mid-value", "mid-value"),
    };
    let trend = match trend {
        Some(t @ ("growing" | "declining")) => format!(", {t}"),
        _ => String::new(),
    };
    match (recency, freq) {
        (Some("lost"), _) if value == "high-value" => "Lost big accounts".into(),
        (Some("lost"), _) => "Lost".into(),
        (Some("lapsing"), _) => format!("Lapsing {noun}"),
        _ if tenure == Some("new") => format!("New {noun}{trend}"),
        (_, Some("loyal")) => format!("{title} loyal{trend}"),
        (_, Some("occasional")) => format!("Occasional {value}{trend}"),
        (_, Some(_)) => format!("Steady {value}{trend}"),
        (_, None) => format!("{title} accounts{trend}"),
    }
}

/// Names for every segment key of the table: user names, [`NO_PURCHASES`] for key 0, and
/// generated names, all distinct.
fn name_segments(
    t: &DataFrame,
    keys: &[u32],
    value_col: &str,
    given: &BTreeMap<u32, String>,
) -> Result<BTreeMap<u32, String>> {
    let bad = |msg: String| Err(Error::config(Path::new("[segment.names]"), msg));
    let placed = keys.iter().filter(|k| **k != UNPLACED_KEY).count();
    for (k, name) in given {
        if name.trim().is_empty() {
            return bad(format!("segment {k} has an empty name."));
        }
        if *k != UNPLACED_KEY && !keys.contains(k) {
            return bad(format!(
                "segment {k} is named '{name}', but this run has {placed} segments, numbered from 1 (0 names the customers without purchases)."
            ));
        }
    }
    let (mut names, mut taken, mut generated) = (BTreeMap::new(), BTreeSet::new(), Vec::new());
    for (i, &k) in keys.iter().enumerate() {
        let fixed = given
            .get(&k)
            .cloned()
            .or_else(|| (k == UNPLACED_KEY).then(|| NO_PURCHASES.into()));
        match fixed {
            Some(n) if !taken.insert(n.clone()) => {
                return bad(format!(
                    "two segments are named '{n}'; names must be unique."
                ));
            }
            Some(n) => drop(names.insert(k, n)),
            None => generated.push((k, words(t, i, value_col))),
        }
    }
    let w: Vec<Words> = generated.iter().map(|g| g.1).collect();
    names.extend(generated.iter().map(|g| g.0).zip(unique_names(&w, &taken)));
    Ok(names)
}

/// Generated names, distinct from each other and from `taken`: segments that share a name get
/// the first word that tells them apart, then ` (2)`, ` (3)`... in segment order.
fn unique_names(words: &[Words], taken: &BTreeSet<String>) -> Vec<String> {
    let base: Vec<String> = words.iter().map(base_name).collect();
    let mut used = taken.clone();
    let mut name = |i: usize| {
        let alike: Vec<&Words> = (0..words.len())
            .filter(|&j| base[j] == base[i])
            .map(|j| &words[j])
            .collect();
        let tells_apart = |a: &usize| {
            alike.iter().all(|w| w[*a].is_some()) && alike.iter().any(|w| w[*a] != alike[0][*a])
        };
        let name = match (0..words[i].len())
            .find(tells_apart)
            .and_then(|a| words[i][a])
        {
            Some(word) => format!("{} ({word})", base[i]),
            None => base[i].clone(),
        };
        let numbered = |n: usize| {
            if n == 1 {
                name.clone()
            } else {
                format!("{name} ({n})")
            }
        };
        let free = (1..)
            .map(numbered)
            .find(|c| !used.contains(c))
            .unwrap_or_default();
        used.insert(free.clone());
        free
    };
    (0..words.len()).map(&mut name).collect()
}

#[cfg(test)]
#[path = "profile_tests.rs"]
mod tests;
