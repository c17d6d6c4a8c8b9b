//! Transactions → one row per customer: purchase dates, counts, value, returns, recency and
//! the BG/NBD triple (frequency, recency, T), 12-month revenue and trend.
//!
//! Definitions (the README repeats them): a *purchase* is a transaction with `amount >= 0`
//! (zero-value purchases count, as in the CDNOW literature); purchases on the same day are one
//! purchase *day*; `frequency` is repeat purchase days; `recency = last - first purchase` and
//! `T = as_of - first purchase`, in the configured time unit. Only transactions dated on or
//! before `as_of` are used, so features at an earlier cutoff never see later data.
//!
//! Everything is one lazy `group_by().agg()` (plus one per-order pre-aggregation when there
//! are order ids), collected once at the end.

use chrono::NaiveDate;
use polars::prelude::*;

use crate::error::Result;
use crate::frame::{self, day, day_in, epoch_days, fixed, unfixed};
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

fn is_purchase() -> Expr {
    col(s::AMOUNT).gt_eq(lit(0.0))
}

/// True for transactions dated in (`from`, `to`].
fn dated_between(from: NaiveDate, to: NaiveDate) -> Expr {
    day_in(col("__d"), epoch_days(from), epoch_days(to))
}

/// `e` where `cond` holds, else `other`.
fn only(cond: Expr, e: Expr, other: Expr) -> Expr {
    when(cond).then(e).otherwise(other)
}

/// The per-customer aggregation, lazy. `tx` has the contract's transaction columns.
///
/// Three group-bys, joined on `customer_id`: plain sums/mins/maxes of precomputed columns
/// (which Polars' streaming engine runs in one pass), the distinct purchase days and the
/// first-day value over purchases only, and (with order ids) the per-order totals.
pub fn per_customer(tx: LazyFrame, cols: TxColumns, as_of: NaiveDate, unit: TimeUnit) -> LazyFrame {
    let tx = prepared(tx, cols, as_of);
    let mut out = tx
        .clone()
        .group_by(key())
        .agg(plain_aggregates(cols))
        .left_join(
            purchase_days(tx.clone()),
            col(s::CUSTOMER_ID),
            col(s::CUSTOMER_ID),
        );
    if cols.order_id {
        out = with_orders(out, tx);
    }
    derived(out, cols, as_of, unit)
}

/// The group key of every per-customer aggregation.
fn key() -> [Expr; 1] {
    [col(s::CUSTOMER_ID)]
}

/// The transactions up to `as_of` with the working columns the aggregations read: the day
/// `__d`, the amount in fixed point `__fx` split into purchases `__pamt` and returns `__ramt`
/// (net = purchases + returns), the purchase day `__pd`, the two 12-month windows
/// `__r12`/`__r24`, and with order ids `__isp` (is a purchase) and `__row_order` (the amount
/// of a row without an order id, which counts as an order of its own).
fn prepared(tx: LazyFrame, cols: TxColumns, as_of: NaiveDate) -> LazyFrame {
    // [as_of − 12 months, as_of] and the 12 months before it (see `frame::months_before`)
    let m12 = frame::months_before(as_of, 12);
    let m24 = frame::months_before(as_of, 24);
    let null_days = lit(NULL).cast(DataType::Int32);
    let fx = col("__fx");
    let zero = || lit(0i64);
    let mut pre = vec![
        day(col(s::DATE)).alias("__d"),
        only(is_purchase(), fx.clone(), zero()).alias("__pamt"),
        only(is_purchase(), zero(), fx.clone()).alias("__ramt"),
        only(is_purchase(), day(col(s::DATE)), null_days).alias("__pd"),
    ];
    if cols.order_id {
        pre.push(is_purchase().cast(DataType::UInt32).alias("__isp"));
        pre.push(
            only(
                col(s::ORDER_ID).is_null(),
                col(s::AMOUNT),
                lit(NULL).cast(DataType::Float64),
            )
            .alias("__row_order"),
        );
    }
    tx.filter(day(col(s::DATE)).lt_eq(lit(epoch_days(as_of))))
        .with_column(fixed(col(s::AMOUNT)).alias("__fx"))
        .with_columns(pre)
        .with_columns([
            only(dated_between(m12, as_of), fx.clone(), zero()).alias("__r12"),
            only(dated_between(m24, m12), fx, zero()).alias("__r24"),
        ])
}

/// Plain sums, mins and maxes of the prepared columns, one pass of the streaming engine.
fn plain_aggregates(cols: TxColumns) -> Vec<Expr> {
    let mut plain = vec![
        col("__pd").min().alias("__first"),
        col("__pd").max().alias("__last"),
        col("__pamt").sum().alias("__purchases"),
        col("__ramt").sum().alias("__returns"),
        col("__d").min().alias("__first_tx"),
        unfixed(col("__r12").sum()).alias(s::REVENUE_LAST_12M),
        unfixed(col("__r24").sum()).alias(s::REVENUE_PREV_12M),
    ];
    if cols.quantity {
        plain.push(frame::fixed_sum(col(s::QUANTITY)).alias(s::QUANTITY_TOTAL));
    }
    plain.push(if cols.order_id {
        col("__row_order").max().alias("__largest_row")
    } else {
        col(s::AMOUNT).max().alias(s::LARGEST_ORDER)
    });
    plain
}

/// Distinct purchase days `__days` and the value of the first one `__first_day`
/// (purchases only, so no nulls).
fn purchase_days(tx: LazyFrame) -> LazyFrame {
    tx.filter(is_purchase()).group_by(key()).agg([
        col("__pd").n_unique().cast(DataType::Int64).alias("__days"),
        col("__pamt")
            .filter(col("__pd").eq(col("__pd").min()))
            .sum()
            .alias("__first_day"),
    ])
}

/// Joins the order counts and the largest order: per order its net value and whether it holds
/// a purchase, then per customer; rows without an order id count through `__largest_row`.
fn with_orders(out: LazyFrame, tx: LazyFrame) -> LazyFrame {
    let orders = tx
        .filter(col(s::ORDER_ID).is_not_null())
        .group_by([col(s::CUSTOMER_ID), col(s::ORDER_ID)])
        .agg([
            unfixed(col("__fx").sum()).alias("__order"),
            col("__isp").max().alias("__has_purchase"),
        ])
        .group_by(key())
        .agg([
            col("__order").max().alias("__largest_order"),
            col("__has_purchase")
                .cast(DataType::Int64)
                .sum()
                .alias(s::ORDERS),
        ]);
    out.left_join(orders, col(s::CUSTOMER_ID), col(s::CUSTOMER_ID))
        .with_column(
            polars::lazy::dsl::max_horizontal([col("__largest_order"), col("__largest_row")])
                .unwrap_or_else(|_| col("__largest_order"))
                .alias(s::LARGEST_ORDER),
        )
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
    let feats = per_customer(tx.clone().lazy(), TxColumns::of(tx), as_of, unit);
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
    // The streaming engine runs the plain group-bys in one pass each (about 2x faster than
    // the in-memory engine here) and falls back for the rest.
    Ok(base
        .select(select)
        .sort([s::CUSTOMER_ID], SortMultipleOptions::default())
        .collect_with_engine(Engine::Streaming)?
        .unwrap_single())
}

#[cfg(test)]
#[path = "features_tests.rs"]
mod tests;
