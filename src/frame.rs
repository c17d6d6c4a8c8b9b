//! Small frame helpers every stage shares, so each rule is written once:
//!
//! - **days**: a Polars `Date` is a count of days since 1970-01-01 (an *epoch day*);
//!   [`epoch_days`] and [`date_of`] convert, [`day`] and [`day_in`] compare dates as days in
//!   lazy expressions;
//! - **fixed-point sums**: money and quantities are summed as Int64 in 1/[`FIXED_SCALE`] of a
//!   unit ([`fixed_sum`], [`fixed_sum_where`], and [`to_fixed`] / [`from_fixed`] / [`tidy`] for
//!   sums walked in Rust), so totals do not depend on the order rows are added in and a run
//!   is byte-identical to the last one, even where the streaming engine adds in parallel;
//! - **column readers**: a column as `Vec<Option<T>>` ([`strings`], [`trimmed`], [`f64s`],
//!   [`days`], [`dates`], [`bools`]), or one cell ([`f64_at`]), cast from whatever type it
//!   holds; a column the frame does not have reads as all `None`, since the inputs' optional
//!   columns may be absent;
//! - **calendar months**: a month as one integer, year x 12 + (month - 1) ([`month_of`],
//!   [`month_index`], [`month_label`], [`parse_month`], [`month_start`], [`month_end`]), for
//!   tracking and the planner alike, and the longest monthly grid ([`MAX_MONTHS`],
//!   [`month_window`]).

use chrono::NaiveDate;
use polars::prelude::*;

use crate::error::Result;

// ---- days ----

/// Days since 1970-01-01, the physical value of a Polars `Date`.
pub fn epoch_days(d: NaiveDate) -> i32 {
    d.to_epoch_days()
}

/// The date of an epoch day; `NaiveDate::MIN` outside chrono's range (about +-262,000 years).
pub fn date_of(days: i32) -> NaiveDate {
    NaiveDate::from_epoch_days(days).unwrap_or(NaiveDate::MIN)
}

/// A date (or datetime cast to date) expression as its epoch day, Int32.
pub fn day(e: Expr) -> Expr {
    e.cast(DataType::Int32)
}

/// The day before the window of the last `n` months of `as_of`: that window is
/// [as_of − n months, as_of], so it holds the n whole months before as_of (and as_of's own
/// day). With the default as_of (the day after the last sale) and data that end at a month's
/// end, the last 12 months are the 12 calendar months `trend.csv` shows. Use it as the
/// exclusive `from` of [`day_in`].
pub fn months_before(as_of: NaiveDate, n: u32) -> NaiveDate {
    let start = as_of
        .checked_sub_months(chrono::Months::new(n))
        .unwrap_or(as_of);
    start.pred_opt().unwrap_or(start)
}

/// True where the epoch day `d` lies in (`from`, `to`]: after `from`, up to `to` included.
pub fn day_in(d: Expr, from: i32, to: i32) -> Expr {
    d.clone().gt(lit(from)).and(d.lt_eq(lit(to)))
}

/// Dates as a Polars `Date` column.
pub fn date_column(name: &str, dates: Vec<Option<NaiveDate>>) -> Result<Column> {
    let days: Vec<Option<i32>> = dates.into_iter().map(|d| d.map(epoch_days)).collect();
    Ok(Column::new(name.into(), days).cast(&DataType::Date)?)
}

// ---- fixed-point sums ----

/// Sums are taken in fixed point, in 1/`FIXED_SCALE` of a unit, as Int64: integer addition
/// does not depend on the order rows arrive in, so totals are exact and byte-identical from run
/// to run. With `|amount| <= 1e12` (the validation default) a customer's totals stay far
/// inside the Int64 range.
pub const FIXED_SCALE: f64 = 1e4;

/// Decimals of every float kam writes (tables and the report, `io::write::rounded`).
pub const FLOAT_DECIMALS: u32 = 6;

/// `e` as kam publishes it: rounded half to even to [`FLOAT_DECIMALS`]. A model input that is
/// also an output column is taken so, so that a scorer outside kam reading kam's table feeds
/// the model exactly the numbers kam fed it (rounding an already rounded value is a no-op).
pub fn published(e: Expr) -> Expr {
    e.round(FLOAT_DECIMALS, RoundMode::HalfToEven)
}

/// `e` in fixed point: round(e x FIXED_SCALE), half away from zero, as Int64.
pub fn fixed(e: Expr) -> Expr {
    (e * lit(FIXED_SCALE))
        .round(0, RoundMode::HalfAwayFromZero)
        .cast(DataType::Int64)
}

/// A fixed-point value (or sum) back in units, Float64.
pub fn unfixed(e: Expr) -> Expr {
    e.cast(DataType::Float64) / lit(FIXED_SCALE)
}

/// [`unfixed`] of one value, in Rust, to the last bit: Polars divides a column by a literal
/// as a multiplication by the literal's reciprocal (`prim_true_div_scalar`).
pub fn unfixed_value(x: i64) -> f64 {
    x as f64 * (1.0 / FIXED_SCALE)
}

/// sum(e), added in fixed point, in units.
pub fn fixed_sum(e: Expr) -> Expr {
    unfixed(fixed(e).sum())
}

/// sum(e) over the rows where `cond` holds (0 when none), added in fixed point, in units.
pub fn fixed_sum_where(cond: Expr, e: Expr) -> Expr {
    unfixed(fixed_total_where(cond, e))
}

/// sum(e) over the rows where `cond` holds (0 when none), in fixed point (Int64), for a
/// caller that takes it back to units in Rust with [`from_fixed`].
///
/// Why both exist: Polars divides by a literal as a multiplication by its reciprocal, so
/// [`unfixed`] and [`from_fixed`] can differ in the last bit (68000 x 1e-4 is not 6.8). Each
/// caller keeps the one its outputs were pinned with.
pub fn fixed_total_where(cond: Expr, e: Expr) -> Expr {
    when(cond).then(fixed(e)).otherwise(lit(0i64)).sum()
}

/// A value in fixed point, for sums walked in Rust (same rounding as [`fixed`]).
pub fn to_fixed(x: f64) -> i64 {
    (x * FIXED_SCALE).round() as i64
}

/// A fixed-point sum back in units (a true division, unlike [`unfixed`]).
pub fn from_fixed(x: i64) -> f64 {
    x as f64 / FIXED_SCALE
}

/// A sum of money or quantity rounded to the fixed-point step of the inputs (1/10,000), so
/// float noise of long additions never shows in the outputs.
pub fn tidy(x: f64) -> f64 {
    (x * FIXED_SCALE).round() / FIXED_SCALE
}

// ---- calendar months: a month as year * 12 + (month - 1), for tracking and the planner ----

/// The month index of an epoch day.
pub fn month_of(day: i32) -> i32 {
    month_index(date_of(day))
}

/// The month index of a date (January 2026 = 2026 x 12).
pub fn month_index(d: NaiveDate) -> i32 {
    use chrono::Datelike;
    d.year() * 12 + d.month0() as i32
}

/// Most months a monthly grid holds (the trend, the planner's history): 240, twenty years.
/// A longer history keeps its last 240 months, so a stray sale in the year 1 does not ask for
/// 24,000 months per unit.
pub const MAX_MONTHS: i32 = 240;

/// The first month of a monthly grid over `first..=last` (month indices): `first`, or the
/// month [`MAX_MONTHS`] - 1 before `last` when the span is longer (then `true`).
pub fn month_window(first: i32, last: i32) -> (i32, bool) {
    let earliest = last - MAX_MONTHS + 1;
    if first < earliest {
        (earliest, true)
    } else {
        (first, false)
    }
}

/// `YYYY-MM` of a month index.
pub fn month_label(m: i32) -> String {
    format!("{:04}-{:02}", m.div_euclid(12), m.rem_euclid(12) + 1)
}

/// The month index of `YYYY-MM`.
pub fn parse_month(label: &str) -> Option<i32> {
    let (y, m) = label.trim().split_once('-')?;
    let (y, m): (i32, i32) = (y.parse().ok()?, m.parse().ok()?);
    (1..=12).contains(&m).then_some(y * 12 + m - 1)
}

/// First day of month `m`.
pub fn month_start(m: i32) -> i32 {
    NaiveDate::from_ymd_opt(m.div_euclid(12), m.rem_euclid(12) as u32 + 1, 1).map_or(0, epoch_days)
}

/// Last day of month `m`.
pub fn month_end(m: i32) -> i32 {
    month_start(m + 1) - 1
}

// ---- column readers ----

/// Whether `df` has a column `name`.
pub fn has(df: &DataFrame, name: &str) -> bool {
    df.get_column_names().iter().any(|c| c.as_str() == name)
}

/// Column `name` cast to `dtype`, or `None` when `df` has no such column.
fn cast(df: &DataFrame, name: &str, dtype: &DataType) -> Result<Option<Column>> {
    if !has(df, name) {
        return Ok(None);
    }
    Ok(Some(df.column(name)?.cast(dtype)?))
}

/// Row `row` of column `name` as f64 (cast); `None` when absent, null or past the end.
pub fn f64_at(df: &DataFrame, name: &str, row: usize) -> Option<f64> {
    let c = df.column(name).ok()?;
    if row >= c.len() {
        return None;
    }
    c.cast(&DataType::Float64).ok()?.f64().ok()?.get(row)
}

/// Column `name` as text, as written; all `None` when absent.
pub fn strings(df: &DataFrame, name: &str) -> Result<Vec<Option<String>>> {
    let Some(c) = cast(df, name, &DataType::String)? else {
        return Ok(vec![None; df.height()]);
    };
    Ok(c.str()?.iter().map(|v| v.map(str::to_string)).collect())
}

/// Column `name` as text, trimmed, a blank value as `None`; all `None` when absent.
pub fn trimmed(df: &DataFrame, name: &str) -> Result<Vec<Option<String>>> {
    let Some(c) = cast(df, name, &DataType::String)? else {
        return Ok(vec![None; df.height()]);
    };
    Ok(c.str()?
        .iter()
        .map(|v| v.map(str::trim).filter(|v| !v.is_empty()).map(String::from))
        .collect())
}

/// Column `name` as f64; all `None` when absent.
pub fn f64s(df: &DataFrame, name: &str) -> Result<Vec<Option<f64>>> {
    let Some(c) = cast(df, name, &DataType::Float64)? else {
        return Ok(vec![None; df.height()]);
    };
    Ok(c.f64()?.iter().collect())
}

/// Date column `name` as epoch days; all `None` when absent.
pub fn days(df: &DataFrame, name: &str) -> Result<Vec<Option<i32>>> {
    let Some(c) = cast(df, name, &DataType::Int32)? else {
        return Ok(vec![None; df.height()]);
    };
    Ok(c.i32()?.iter().collect())
}

/// Date column `name` as dates; all `None` when absent.
pub fn dates(df: &DataFrame, name: &str) -> Result<Vec<Option<NaiveDate>>> {
    Ok(days(df, name)?
        .into_iter()
        .map(|d| d.map(date_of))
        .collect())
}

/// Column `name` as booleans; all `None` when absent.
pub fn bools(df: &DataFrame, name: &str) -> Result<Vec<Option<bool>>> {
    let Some(c) = cast(df, name, &DataType::Boolean)? else {
        return Ok(vec![None; df.height()]);
    };
    Ok(c.bool()?.iter().collect())
}

#[cfg(test)]
#[path = "frame_tests.rs"]
mod tests;
