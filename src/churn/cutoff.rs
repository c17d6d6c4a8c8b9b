//! What is known at one cutoff: the features of the customers active then, from transactions
//! dated on or before it only ([`features_at`]), and the outcome after it ([`bought_after`]).

use std::collections::HashSet;

use chrono::NaiveDate;
use polars::prelude::*;

use crate::error::Result;
use crate::features;
use crate::frame::{day, day_in, epoch_days, fixed, fixed_sum_where, unfixed};
use crate::schema as s;
use crate::schema::TimeUnit;

/// Features computed at each cutoff on top of the customer features.
pub const TREND_3M: &str = "trend_3m";
pub const ORDER_SIZE_CHANGE: &str = "order_size_change";
pub const RETURNS_SHARE: &str = "returns_share";
pub const PURCHASES_90D: &str = "purchases_90d";

/// Numeric behaviour features, in model order.
pub const NUMERIC: [&str; 11] = [
    s::RECENCY_DAYS,
    s::FREQUENCY,
    s::MONETARY_VALUE,
    s::TENURE_DAYS,
    s::LARGEST_ORDER,
    s::REVENUE_LAST_12M,
    s::TREND_12M,
    TREND_3M,
    ORDER_SIZE_CHANGE,
    RETURNS_SHARE,
    PURCHASES_90D,
];
/// Customer attributes used when the customer table has them.
pub const ATTR_CATEGORICAL: [&str; 4] = [
    s::CUSTOMER_TYPE,
    s::CREDIT_GRADE,
    s::PAYMENT_TERMS,
    s::DISTRICT,
];
pub const ATTR_NUMERIC: [&str; 3] = [s::CREDIT_DAYS, s::POTENTIAL_VOLUME, s::VEHICLES];

/// True for transactions dated in (`from`, `to`], in epoch days.
fn in_window(from: i32, to: i32) -> Expr {
    day_in(day(col(s::DATE)), from, to)
}

/// (a - b) / (a + b): -1 (all before) .. +1 (all recent); 0 when both are zero.
fn sym_change(a: Expr, b: Expr) -> Expr {
    when((a.clone() + b.clone()).gt(lit(0.0)))
        .then((a.clone() - b.clone()) / (a + b))
        .otherwise(lit(0.0))
}

/// One row per customer active at `cutoff`, with the behaviour features; only transactions
/// dated on or before `cutoff` are read.
pub fn features_at(tx: &DataFrame, cutoff: NaiveDate, active_days: u32) -> Result<DataFrame> {
    let past = tx.clone().lazy().filter(col(s::DATE).lt_eq(lit(cutoff)));
    let base = active_customers(tx, cutoff, active_days)?;
    let extra = recent_behaviour(past, epoch_days(cutoff));
    let mut sel: Vec<Expr> = vec![col(s::CUSTOMER_ID)];
    sel.extend(NUMERIC.iter().map(|c| col(*c).cast(DataType::Float64)));
    Ok(base
        .join(
            extra,
            [col(s::CUSTOMER_ID)],
            [col(s::CUSTOMER_ID)],
            JoinArgs::new(JoinType::Left),
        )
        .select(sel)
        .sort([s::CUSTOMER_ID], SortMultipleOptions::default())
        .collect()?)
}

/// The customer features of `kam run` at `cutoff` for the customers who bought within
/// `active_days` before it, with tenure in days and the 12-month trend.
fn active_customers(tx: &DataFrame, cutoff: NaiveDate, active_days: u32) -> Result<LazyFrame> {
    let c = epoch_days(cutoff);
    Ok(features::per_customer(tx, cutoff, TimeUnit::Days)?
        .filter(col(s::RECENCY_DAYS).is_not_null())
        .filter(day(col(s::LAST_PURCHASE)).gt(lit(c - active_days as i32)))
        .with_columns([
            // days since the first purchase, and last 12 months against the 12 before
            (lit(c) - day(col(s::FIRST_PURCHASE)))
                .cast(DataType::Float64)
                .alias(s::TENURE_DAYS),
            when(col(s::REVENUE_PREV_12M).gt(lit(0.0)))
                .then(
                    (col(s::REVENUE_LAST_12M).fill_null(lit(0.0)) - col(s::REVENUE_PREV_12M))
                        / col(s::REVENUE_PREV_12M),
                )
                .otherwise(lit(NULL).cast(DataType::Float64))
                .alias(s::TREND_12M),
        ]))
}

/// Per customer, from the transactions up to cutoff day `c`: the 3-month trend, the change of
/// mean purchase size between the last two half-years, the returns share of the last year and
/// the purchases of the last 90 days. Sums are in fixed point (see `frame`), so CSV and
/// Parquet inputs give identical scores.
fn recent_behaviour(past: LazyFrame, c: i32) -> LazyFrame {
    let buy = col(s::AMOUNT).gt_eq(lit(0.0));
    let sum_if = |cond: Expr| fixed_sum_where(cond, col(s::AMOUNT));
    let mean_if = |cond: Expr| {
        let n = cond.clone().cast(DataType::Int64).sum();
        let total = when(cond)
            .then(fixed(col(s::AMOUNT)))
            .otherwise(lit(0i64))
            .sum();
        when(n.clone().gt(lit(0i64)))
            .then(unfixed(total) / n.cast(DataType::Float64))
            .otherwise(lit(NULL).cast(DataType::Float64))
    };
    past.group_by([col(s::CUSTOMER_ID)])
        .agg([
            sum_if(buy.clone().and(in_window(c - 91, c))).alias("__r3"),
            sum_if(buy.clone().and(in_window(c - 182, c - 91))).alias("__p3"),
            mean_if(buy.clone().and(in_window(c - 182, c))).alias("__a6"),
            mean_if(buy.clone().and(in_window(c - 365, c - 182))).alias("__b6"),
            sum_if(buy.clone().and(in_window(c - 365, c))).alias("__bought"),
            sum_if(buy.clone().not().and(in_window(c - 365, c))).alias("__returned"),
            buy.clone()
                .and(in_window(c - 91, c))
                .cast(DataType::Float64)
                .sum()
                .alias(PURCHASES_90D),
        ])
        .select([
            col(s::CUSTOMER_ID),
            sym_change(col("__r3"), col("__p3")).alias(TREND_3M),
            // 0 when either half-year has no purchase (a null mean makes `a + b > 0` false)
            sym_change(col("__a6"), col("__b6")).alias(ORDER_SIZE_CHANGE),
            when(col("__bought").gt(lit(0.0)))
                .then(-col("__returned") / col("__bought"))
                .otherwise(lit(0.0))
                .alias(RETURNS_SHARE),
            col(PURCHASES_90D),
        ])
}

/// Customers with a purchase in (cutoff, cutoff + horizon].
pub fn bought_after(
    tx: &DataFrame,
    cutoff: NaiveDate,
    horizon_days: u32,
) -> Result<HashSet<String>> {
    let c = epoch_days(cutoff);
    let df = tx
        .clone()
        .lazy()
        .filter(
            col(s::AMOUNT)
                .gt_eq(lit(0.0))
                .and(in_window(c, c + horizon_days as i32)),
        )
        .select([col(s::CUSTOMER_ID)])
        .unique(None, UniqueKeepStrategy::Any)
        .collect()?;
    Ok(df
        .column(s::CUSTOMER_ID)?
        .str()?
        .iter()
        .flatten()
        .map(String::from)
        .collect())
}
