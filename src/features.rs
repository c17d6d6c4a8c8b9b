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

use chrono::{Months, NaiveDate};
use polars::prelude::*;

use crate::error::Result;
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
        let has = |c: &str| tx.get_column_names().iter().any(|n| n.as_str() == c);
        TxColumns {
            quantity: has(s::QUANTITY),
            order_id: has(s::ORDER_ID),
        }
    }
}

/// Days since 1970-01-01, as Polars stores dates.
fn epoch_days(d: NaiveDate) -> i32 {
    NaiveDate::from_ymd_opt(1970, 1, 1)
        .map(|e| (d - e).num_days() as i32)
        .unwrap_or(0)
}

fn days(e: Expr) -> Expr {
    e.cast(DataType::Int32)
}

fn is_purchase() -> Expr {
    col(s::AMOUNT).gt_eq(lit(0.0))
}

/// Sums are taken in fixed point, in 1/[`FIXED_SCALE`] of a unit, as Int64: integer addition
/// does not depend on the order rows arrive in, so totals are exact and byte-identical from run
/// to run even where the streaming engine adds in parallel. With `|amount| <= 1e12` (the
/// validation default) a customer's totals stay far inside the Int64 range.
pub const FIXED_SCALE: f64 = 1e4;

fn fixed(e: Expr) -> Expr {
    (e * lit(FIXED_SCALE))
        .round(0, RoundMode::HalfAwayFromZero)
        .cast(DataType::Int64)
}

fn unfixed(e: Expr) -> Expr {
    e.cast(DataType::Float64) / lit(FIXED_SCALE)
}

/// True for transactions dated in (`from`, `to`].
fn dated_between(from: NaiveDate, to: NaiveDate) -> Expr {
    let d = col("__d");
    d.clone()
        .gt(lit(epoch_days(from)))
        .and(d.lt_eq(lit(epoch_days(to))))
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
    let as_of_days = epoch_days(as_of);
    let m12 = as_of.checked_sub_months(Months::new(12)).unwrap_or(as_of);
    let m24 = as_of.checked_sub_months(Months::new(24)).unwrap_or(as_of);
    let null_days = lit(NULL).cast(DataType::Int32);
    let amount = col(s::AMOUNT);
    let fx = col("__fx");
    let zero = || lit(0i64);
    let mut pre = vec![
        days(col(s::DATE)).alias("__d"),
        // purchases and returns split: net = purchases + returns
        only(is_purchase(), fx.clone(), zero()).alias("__pamt"),
        only(is_purchase(), zero(), fx.clone()).alias("__ramt"),
        only(is_purchase(), days(col(s::DATE)), null_days).alias("__pd"),
    ];
    if cols.order_id {
        pre.push(is_purchase().cast(DataType::UInt32).alias("__isp"));
        // rows without an order id count as orders of their own
        pre.push(
            only(
                col(s::ORDER_ID).is_null(),
                amount.clone(),
                lit(NULL).cast(DataType::Float64),
            )
            .alias("__row_order"),
        );
    }
    let tx = tx
        .filter(days(col(s::DATE)).lt_eq(lit(as_of_days)))
        .with_column(fixed(amount.clone()).alias("__fx"))
        .with_columns(pre)
        .with_columns([
            only(dated_between(m12, as_of), fx.clone(), zero()).alias("__r12"),
            only(dated_between(m24, m12), fx.clone(), zero()).alias("__r24"),
        ]);
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
        plain.push(unfixed(fixed(col(s::QUANTITY)).sum()).alias(s::QUANTITY_TOTAL));
    }
    plain.push(if cols.order_id {
        col("__row_order").max().alias("__largest_row")
    } else {
        amount.clone().max().alias(s::LARGEST_ORDER)
    });
    let key = || [col(s::CUSTOMER_ID)];
    let mut out = tx.clone().group_by(key()).agg(plain);
    // distinct purchase days and the value of the first one (purchases only: no nulls)
    let days_and_first = tx.clone().filter(is_purchase()).group_by(key()).agg([
        col("__pd").n_unique().cast(DataType::Int64).alias("__days"),
        col("__pamt")
            .filter(col("__pd").eq(col("__pd").min()))
            .sum()
            .alias("__first_day"),
    ]);
    out = out.left_join(days_and_first, col(s::CUSTOMER_ID), col(s::CUSTOMER_ID));
    if cols.order_id {
        // per order: net value, and whether it holds a purchase; then per customer
        let orders = tx
            .filter(col(s::ORDER_ID).is_not_null())
            .group_by([col(s::CUSTOMER_ID), col(s::ORDER_ID)])
            .agg([
                unfixed(fx.sum()).alias("__order"),
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
        out = out
            .left_join(orders, col(s::CUSTOMER_ID), col(s::CUSTOMER_ID))
            .with_column(
                polars::lazy::dsl::max_horizontal([col("__largest_order"), col("__largest_row")])
                    .unwrap_or_else(|_| col("__largest_order"))
                    .alias(s::LARGEST_ORDER),
            );
    }
    let date_of = |d: Expr| d.cast(DataType::Date);
    out = out.with_columns([
        date_of(col("__first")).alias(s::FIRST_PURCHASE),
        date_of(col("__last")).alias(s::LAST_PURCHASE),
        unfixed(col("__purchases") + col("__returns")).alias(s::MONETARY_TOTAL),
        unfixed(col("__returns").abs()).alias(s::RETURNS_TOTAL),
    ]);
    let per_unit = unit.days();
    let first = days(col(s::FIRST_PURCHASE));
    let frequency = when(col("__days").gt(lit(0)))
        .then(col("__days") - lit(1))
        .otherwise(lit(NULL).cast(DataType::Int64));
    let mut derived = vec![
        frequency.clone().alias(s::FREQUENCY),
        ((days(col(s::LAST_PURCHASE)) - first.clone()).cast(DataType::Float64) / lit(per_unit))
            .alias(s::RECENCY),
        ((lit(as_of_days) - first).cast(DataType::Float64) / lit(per_unit)).alias(s::T),
        (lit(as_of_days) - days(col(s::LAST_PURCHASE)))
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
        polars::lazy::dsl::min_horizontal([days(col(s::ACQUIRED_ON)), days(col("__first_tx"))])?
    } else {
        days(col("__first_tx"))
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
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or(NaiveDate::MIN)
    }

    fn tx() -> PolarsResult<DataFrame> {
        df!(
            s::CUSTOMER_ID => ["A", "A", "A", "A", "B", "B"],
            s::DATE => [d(2024, 1, 1), d(2024, 1, 1), d(2024, 1, 15), d(2025, 6, 1), d(2025, 3, 1), d(2025, 3, 5)],
            s::AMOUNT => [10.0, 5.0, 30.0, -8.0, 100.0, 0.0],
        )
    }

    fn get_f64(df: &DataFrame, c: &str, row: usize) -> Option<f64> {
        df.column(c)
            .ok()?
            .cast(&DataType::Float64)
            .ok()?
            .f64()
            .ok()?
            .get(row)
    }

    #[test]
    fn features_follow_the_bgnbd_definitions() -> Result<()> {
        let as_of = d(2025, 7, 1);
        let out = customer_table(&tx()?, None, as_of, TimeUnit::Days)?;
        assert_eq!(out.height(), 2);
        // A: purchase days 2024-01-01 (15) and 2024-01-15 (30); a return later
        assert_eq!(get_f64(&out, s::FREQUENCY, 0), Some(1.0));
        assert_eq!(get_f64(&out, s::RECENCY, 0), Some(14.0));
        assert_eq!(
            get_f64(&out, s::T, 0),
            Some((as_of - d(2024, 1, 1)).num_days() as f64)
        );
        assert_eq!(get_f64(&out, s::MONETARY_VALUE, 0), Some(30.0));
        assert_eq!(get_f64(&out, s::MONETARY_TOTAL, 0), Some(37.0));
        assert_eq!(get_f64(&out, s::RETURNS_TOTAL, 0), Some(8.0));
        assert_eq!(get_f64(&out, s::ORDERS, 0), Some(2.0));
        assert_eq!(get_f64(&out, s::LARGEST_ORDER, 0), Some(30.0));
        assert_eq!(
            get_f64(&out, s::RECENCY_DAYS, 0),
            Some((as_of - d(2024, 1, 15)).num_days() as f64)
        );
        // 12-month windows: (2024-07-01, 2025-07-01] holds only the return
        assert_eq!(get_f64(&out, s::REVENUE_LAST_12M, 0), Some(-8.0));
        assert_eq!(get_f64(&out, s::REVENUE_PREV_12M, 0), Some(45.0));
        assert!((get_f64(&out, s::TREND_12M, 0).unwrap_or(0.0) - (-53.0 / 45.0)).abs() < 1e-12);
        // B: a zero-value purchase counts as a purchase day
        assert_eq!(get_f64(&out, s::FREQUENCY, 1), Some(1.0));
        assert_eq!(get_f64(&out, s::MONETARY_VALUE, 1), Some(0.0));
        assert_eq!(get_f64(&out, s::TREND_12M, 1), None);
        Ok(())
    }

    #[test]
    fn weeks_divide_by_seven_and_later_transactions_are_ignored() -> Result<()> {
        let out = customer_table(&tx()?, None, d(2024, 1, 15), TimeUnit::Weeks)?;
        assert_eq!(out.height(), 1, "B has no transaction on or before as_of");
        assert_eq!(get_f64(&out, s::RECENCY, 0), Some(2.0));
        assert_eq!(get_f64(&out, s::T, 0), Some(2.0));
        assert_eq!(get_f64(&out, s::MONETARY_TOTAL, 0), Some(45.0));
        Ok(())
    }

    #[test]
    fn orders_and_largest_order_use_order_ids() -> Result<()> {
        let tx = df!(
            s::CUSTOMER_ID => ["A", "A", "A", "A"],
            s::DATE => [d(2024, 1, 1), d(2024, 1, 1), d(2024, 1, 1), d(2024, 2, 1)],
            s::AMOUNT => [10.0, 20.0, 5.0, 28.0],
            s::ORDER_ID => [Some("o1"), Some("o1"), Some("o2"), None],
        )?;
        let out = customer_table(&tx, None, d(2024, 3, 1), TimeUnit::Days)?;
        assert_eq!(get_f64(&out, s::ORDERS, 0), Some(2.0));
        assert_eq!(get_f64(&out, s::LARGEST_ORDER, 0), Some(30.0));
        Ok(())
    }

    #[test]
    fn customers_without_purchases_are_kept_and_unknown_ones_added() -> Result<()> {
        let customers = df!(
            s::CUSTOMER_ID => ["A", "Z"],
            s::ACQUIRED_ON => [d(2023, 1, 1), d(2025, 1, 1)],
        )?;
        let out = customer_table(&tx()?, Some(&customers), d(2025, 7, 1), TimeUnit::Days)?;
        let ids: Vec<Option<&str>> = out.column(s::CUSTOMER_ID)?.str()?.iter().collect();
        assert_eq!(ids, [Some("A"), Some("B"), Some("Z")]);
        let known: Vec<Option<bool>> = out.column(s::IN_CUSTOMER_TABLE)?.bool()?.iter().collect();
        assert_eq!(known, [Some(true), Some(false), Some(true)]);
        assert_eq!(get_f64(&out, s::ORDERS, 2), Some(0.0));
        assert_eq!(get_f64(&out, s::FREQUENCY, 2), None);
        // tenure counts from acquired_on when earlier than the first transaction
        assert_eq!(
            get_f64(&out, s::TENURE_DAYS, 0),
            Some((d(2025, 7, 1) - d(2023, 1, 1)).num_days() as f64)
        );
        assert_eq!(get_f64(&out, s::TENURE_DAYS, 2), Some(181.0));
        Ok(())
    }

    #[test]
    fn totals_are_exact_and_identical_run_to_run() -> Result<()> {
        // regression: streaming float sums differed in the last digit between runs
        let params = crate::generate::GenerateParams {
            customers: 300,
            months: 12,
            ..Default::default()
        }
        .check()?;
        let tx = crate::generate::generate(&params)?.transactions;
        let as_of = d(2026, 1, 1);
        let first = customer_table(&tx, None, as_of, TimeUnit::Weeks)?;
        for _ in 0..4 {
            let again = customer_table(&tx, None, as_of, TimeUnit::Weeks)?;
            assert!(first.equals_missing(&again));
        }
        let small = df!(
            s::CUSTOMER_ID => ["A", "A", "A"],
            s::DATE => [d(2024, 1, 1), d(2024, 1, 2), d(2024, 1, 3)],
            s::AMOUNT => [0.1, 0.2, -0.3],
        )?;
        let out = customer_table(&small, None, d(2024, 2, 1), TimeUnit::Days)?;
        assert_eq!(get_f64(&out, s::MONETARY_TOTAL, 0), Some(0.0));
        assert_eq!(get_f64(&out, s::RETURNS_TOTAL, 0), Some(0.3));
        Ok(())
    }
}
