//! Transactions → one row per customer: purchase dates, counts, value, returns, recency and
//! the BG/NBD triple (frequency, recency, T), 12-month revenue and trend.
//!
//! Definitions (the README repeats them): a *purchase* is a transaction with `amount >= 0`
//! (zero-value purchases count, as in the CDNOW literature); purchases on the same day are one
//! purchase *day*; `frequency` is repeat purchase days; `recency = last - first purchase` and
//! `T = as_of - first purchase`, in the configured time unit. Only transactions dated on or
//! before `as_of` are used, so features at an earlier cutoff never see later data.
//!
//! The sums come from one pass over each customer's rows ([`onepass`]); the features are lazy
//! expressions over them, collected once at the end.

use chrono::NaiveDate;
use polars::prelude::*;

use crate::error::Result;
mod onepass;
pub mod prepared;
pub mod prepared_rows;

use crate::frame::{self, day, epoch_days, unfixed};
use crate::schema as s;
use crate::schema::TimeUnit;

/// What the transactions table carries beyond the required columns.
#[derive(Debug, Clone, Copy, Default)]
pub struct TxColumns {
    pub quantity: bool,
    pub order_id: bool,
}

impl TxColumns {
    pub fn of(tx: &DataFrame) -> Self {
        TxColumns {
            quantity: frame::has(tx, s::QUANTITY),
            order_id: frame::has(tx, s::ORDER_ID),
        }
    }
}

/// The per-customer aggregation: one pass over the rows (see [`onepass`]), then the
/// features derived from its sums, lazy.
pub fn per_customer(tx: &DataFrame, as_of: NaiveDate, unit: TimeUnit) -> Result<LazyFrame> {
    let cols = TxColumns::of(tx);
    let sums = onepass::aggregates(tx, cols, as_of)?.lazy();
    let mut totals = vec![
        unfixed(col("__r12")).alias(s::REVENUE_LAST_12M),
        unfixed(col("__r24")).alias(s::REVENUE_PREV_12M),
    ];
    if cols.quantity {
        totals.push(unfixed(col("__quantity")).alias(s::QUANTITY_TOTAL));
    }
    totals.push(match cols.order_id {
        // an order's net value, or a row without an order id, whichever is larger
        true => polars::lazy::dsl::max_horizontal([
            unfixed(col("__largest_order")),
            col("__largest_row"),
        ])?
        .alias(s::LARGEST_ORDER),
        false => col("__largest_row").alias(s::LARGEST_ORDER),
    });
    Ok(derived(sums.with_columns(totals), cols, as_of, unit))
}

/// The features from the aggregates: purchase dates, totals, and the BG/NBD triple
/// (frequency = purchase days - 1, recency = last - first purchase, T = as_of - first
/// purchase, in `unit`), recency in days, and the mean value of repeat purchase days.
fn derived(out: LazyFrame, cols: TxColumns, as_of: NaiveDate, unit: TimeUnit) -> LazyFrame {
    let as_of_days = epoch_days(as_of);
    let date_of = |d: Expr| d.cast(DataType::Date);
    let out = out.with_columns([
        date_of(col("__first")).alias(s::FIRST_PURCHASE),
        date_of(col("__last")).alias(s::LAST_PURCHASE),
        unfixed(col("__purchases") + col("__returns")).alias(s::MONETARY_TOTAL),
        unfixed(col("__returns").abs()).alias(s::RETURNS_TOTAL),
    ]);
    let per_unit = unit.days();
    let first = day(col(s::FIRST_PURCHASE));
    let frequency = when(col("__days").gt(lit(0)))
        .then(col("__days") - lit(1))
        .otherwise(lit(NULL).cast(DataType::Int64));
    let mut derived = vec![
        frequency.clone().alias(s::FREQUENCY),
        ((day(col(s::LAST_PURCHASE)) - first.clone()).cast(DataType::Float64) / lit(per_unit))
            .alias(s::RECENCY),
        ((lit(as_of_days) - first).cast(DataType::Float64) / lit(per_unit)).alias(s::T),
        (lit(as_of_days) - day(col(s::LAST_PURCHASE)))
            .cast(DataType::Int64)
            .alias(s::RECENCY_DAYS),
        // mean value of repeat purchase days: (all purchases - first day) / repeat days
        when(frequency.clone().gt(lit(0)))
            .then(
                unfixed(col("__purchases") - col("__first_day"))
                    / frequency.cast(DataType::Float64),
            )
            .otherwise(lit(0.0))
            .alias(s::MONETARY_VALUE),
    ];
    if !cols.order_id {
        derived.push(col("__days").alias(s::ORDERS));
    }
    out.with_columns(derived)
}

/// The customer table: the customers' own columns (when given) joined with the features, one
/// row per customer known from either side, sorted by `customer_id`.
pub fn customer_table(
    tx: &DataFrame,
    customers: Option<&DataFrame>,
    as_of: NaiveDate,
    unit: TimeUnit,
) -> Result<DataFrame> {
    let feats = per_customer(tx, as_of, unit)?;
    let has_qty = TxColumns::of(tx).quantity;
    let (base, own): (LazyFrame, Vec<String>) = match customers {
        Some(c) => {
            let own = c.get_column_names().iter().map(|n| n.to_string()).collect();
            let mut args = JoinArgs::new(JoinType::Full);
            args.coalesce = JoinCoalesce::CoalesceColumns;
            let joined = c
                .clone()
                .lazy()
                .with_column(lit(true).alias(s::IN_CUSTOMER_TABLE))
                .join(feats, [col(s::CUSTOMER_ID)], [col(s::CUSTOMER_ID)], args);
            (joined, own)
        }
        None => (
            feats.with_column(lit(false).alias(s::IN_CUSTOMER_TABLE)),
            vec![s::CUSTOMER_ID.to_string()],
        ),
    };
    let has_acquired = own.iter().any(|c| c == s::ACQUIRED_ON);
    let start = if has_acquired {
        polars::lazy::dsl::min_horizontal([day(col(s::ACQUIRED_ON)), day(col("__first_tx"))])?
    } else {
        day(col("__first_tx"))
    };
    let zero_filled = [
        s::ORDERS,
        s::MONETARY_TOTAL,
        s::RETURNS_TOTAL,
        s::REVENUE_LAST_12M,
        s::REVENUE_PREV_12M,
    ];
    let mut select: Vec<Expr> = own.iter().map(|c| col(c.as_str())).collect();
    for (name, _) in s::FEATURES {
        let e = match *name {
            n if n == s::IN_CUSTOMER_TABLE => col(n).fill_null(lit(false)),
            n if zero_filled.contains(&n) => col(n).fill_null(lit(0)),
            n if n == s::TENURE_DAYS => (lit(epoch_days(as_of)) - start.clone())
                .cast(DataType::Int64)
                .alias(n),
            n if n == s::TREND_12M => when(col(s::REVENUE_PREV_12M).gt(lit(0.0)))
                .then(
                    (col(s::REVENUE_LAST_12M).fill_null(lit(0.0)) - col(s::REVENUE_PREV_12M))
                        / col(s::REVENUE_PREV_12M),
                )
                .otherwise(lit(NULL).cast(DataType::Float64))
                .alias(n),
            n if n == s::QUANTITY_TOTAL && !has_qty => lit(NULL).cast(DataType::Float64).alias(n),
            n => col(n),
        };
        select.push(e);
    }
    Ok(base
        .select(select)
        .sort([s::CUSTOMER_ID], SortMultipleOptions::default())
        .collect()?)
}

#[cfg(test)]
#[path = "features_tests.rs"]
mod tests;
