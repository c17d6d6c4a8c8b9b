//! Satisfaction from service feedback (the optional `feedback` table): each customer's CSAT,
//! NPS class, complaints and contacts as of a date, and the same figures by segment, account
//! manager, district and station (`satisfaction.csv`).
//!
//! As of a day `at` only feedback dated on or before it counts (so the churn model can take
//! the figures at each of its cutoffs without seeing the future). Over the last `window_days`:
//! - `csat_mean`: mean `score` (1-5) of the answers;
//! - `nps_score`, `nps_class`: the latest `nps` answer (0-10); promoter 9-10, passive 7-8,
//!   detractor 0-6;
//! - `complaints`: complaints made; `mean_days_to_resolve`: days from a complaint to its
//!   `resolved_on`, over those resolved by `at`.
//!
//! Over all the feedback: `open_complaints` (made, not resolved by `at`) and
//! `days_since_contact` (from the latest row of any kind).

pub mod output;
pub mod params;
pub mod units;

use chrono::NaiveDate;
use polars::prelude::*;

pub use params::{SatisfactionParams, SatisfactionValid};

use crate::error::Result;
use crate::frame::{self, day, epoch_days};
use crate::schema::{self as s, columns as c};
use crate::stage::PointInTime;

// ---- working columns (per customer, for the unit figures) ----
pub(crate) const CSAT_SUM: &str = "__sat_csat_sum";
pub(crate) const CSAT_N: &str = "__sat_csat_n";
pub(crate) const RESOLVE_SUM: &str = "__sat_resolve_sum";
pub(crate) const RESOLVED_N: &str = "__sat_resolved_n";

/// The per-customer columns written to customers.*, in order.
pub const COLUMNS: [&str; 7] = [
    c::CSAT_MEAN,
    c::NPS_SCORE,
    c::NPS_CLASS,
    c::COMPLAINTS,
    c::OPEN_COMPLAINTS,
    c::MEAN_DAYS_TO_RESOLVE,
    c::DAYS_SINCE_CONTACT,
];

/// The numeric columns the churn model may use.
pub const NUMERIC: [&str; 6] = [
    c::CSAT_MEAN,
    c::NPS_SCORE,
    c::COMPLAINTS,
    c::OPEN_COMPLAINTS,
    c::MEAN_DAYS_TO_RESOLVE,
    c::DAYS_SINCE_CONTACT,
];

/// One row per customer with feedback dated on or before `at`: customer_id, [`COLUMNS`] and
/// the working sums the unit figures add up.
pub fn per_customer(fb: &DataFrame, at: NaiveDate, window_days: u32) -> Result<DataFrame> {
    let at_d = epoch_days(at);
    let from = at_d - window_days as i32;
    let opt = |name: &str, dtype: DataType| match frame::has(fb, name) {
        true => col(name),
        false => lit(NULL).cast(dtype),
    };
    let d = day(col(s::DATE));
    let in_window = d.clone().gt(lit(from));
    let score = opt(s::SCORE, DataType::Int64).cast(DataType::Float64);
    let nps = opt(s::NPS, DataType::Int64).cast(DataType::Float64);
    let resolved = day(opt(s::RESOLVED_ON, DataType::Date));
    let complaint = col(s::KIND).eq(lit("complaint"));
    let resolved_by = resolved
        .clone()
        .is_not_null()
        .and(resolved.clone().lt_eq(lit(at_d)));
    let window_score = score.filter(in_window.clone());
    let resolve_days = (resolved.clone() - d.clone())
        .cast(DataType::Float64)
        .filter(
            complaint
                .clone()
                .and(in_window.clone())
                .and(resolved_by.clone()),
        );
    // rows are sorted by date first, so the last answer of a group is the latest
    let latest_nps = nps
        .clone()
        .filter(in_window.clone().and(nps.is_not_null()))
        .last();
    Ok(fb
        .clone()
        .lazy()
        .filter(d.clone().lt_eq(lit(at_d)))
        .sort(
            [s::CUSTOMER_ID, s::DATE],
            SortMultipleOptions::default().with_maintain_order(true),
        )
        .group_by_stable([col(s::CUSTOMER_ID)])
        .agg([
            window_score.clone().sum().alias(CSAT_SUM),
            window_score.count().cast(DataType::Int64).alias(CSAT_N),
            latest_nps.alias(c::NPS_SCORE),
            (complaint.clone().and(in_window))
                .cast(DataType::Int64)
                .sum()
                .alias(c::COMPLAINTS),
            (complaint.and(resolved_by.not()))
                .cast(DataType::Int64)
                .sum()
                .alias(c::OPEN_COMPLAINTS),
            resolve_days.clone().sum().alias(RESOLVE_SUM),
            resolve_days.count().cast(DataType::Int64).alias(RESOLVED_N),
            (lit(at_d) - d.max())
                .cast(DataType::Int64)
                .alias(c::DAYS_SINCE_CONTACT),
        ])
        .with_columns([
            ratio(CSAT_SUM, CSAT_N).alias(c::CSAT_MEAN),
            ratio(RESOLVE_SUM, RESOLVED_N).alias(c::MEAN_DAYS_TO_RESOLVE),
            nps_class(col(c::NPS_SCORE)).alias(c::NPS_CLASS),
        ])
        .select(
            [col(s::CUSTOMER_ID)]
                .into_iter()
                .chain(COLUMNS.iter().map(|n| col(*n)))
                .chain([CSAT_SUM, CSAT_N, RESOLVE_SUM, RESOLVED_N].map(col))
                .collect::<Vec<_>>(),
        )
        .sort([s::CUSTOMER_ID], Default::default())
        .collect()?)
}

/// promoter (9-10), passive (7-8), detractor (0-6); empty without an answer.
pub fn nps_class(nps: Expr) -> Expr {
    when(nps.clone().gt_eq(lit(9.0)))
        .then(lit("promoter"))
        .when(nps.clone().gt_eq(lit(7.0)))
        .then(lit("passive"))
        .when(nps.is_not_null())
        .then(lit("detractor"))
        .otherwise(lit(NULL).cast(DataType::String))
}

/// sum / n, empty when n is 0.
fn ratio(sum: &str, n: &str) -> Expr {
    when(col(n).gt(lit(0i64)))
        .then(col(sum) / col(n).cast(DataType::Float64))
        .otherwise(lit(NULL).cast(DataType::Float64))
}

/// The customer table with [`COLUMNS`] added (customers without feedback have them empty,
/// their counts 0).
pub fn with_customer_columns(table: DataFrame, per_customer: &DataFrame) -> Result<DataFrame> {
    let mut sel = vec![col(s::CUSTOMER_ID)];
    sel.extend(COLUMNS.iter().map(|n| col(*n)));
    let args = JoinArgs::new(JoinType::Left).with_coalesce(JoinCoalesce::CoalesceColumns);
    Ok(table
        .lazy()
        .join(
            per_customer.clone().lazy().select(sel),
            [col(s::CUSTOMER_ID)],
            [col(s::CUSTOMER_ID)],
            args,
        )
        .with_columns([
            col(c::COMPLAINTS).fill_null(lit(0i64)),
            col(c::OPEN_COMPLAINTS).fill_null(lit(0i64)),
        ])
        .collect()?)
}

/// The satisfaction figures as known at each churn cutoff ([`NUMERIC`]).
pub struct AtCutoff<'a> {
    pub feedback: &'a DataFrame,
    pub window_days: u32,
}

impl PointInTime for AtCutoff<'_> {
    fn names(&self) -> Vec<&'static str> {
        NUMERIC.to_vec()
    }

    fn at(&self, day: NaiveDate) -> Result<DataFrame> {
        per_customer(self.feedback, day, self.window_days)
    }

    /// A customer without feedback has no complaints ([`with_customer_columns`]).
    fn counts(&self) -> Vec<&'static str> {
        vec![c::COMPLAINTS, c::OPEN_COMPLAINTS]
    }
}

#[cfg(test)]
#[path = "tests.rs"]
mod tests;
