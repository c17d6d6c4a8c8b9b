//! The one-walk sums equal the group-by they replaced, kept here as the oracle.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use polars::prelude::*;

use super::tx_aggregates;
use crate::error::Result;
use crate::frame::{
    FIXED_SCALE, day, day_in, epoch_days, f64s, fixed_total_where, has, months_before, strings,
};
use crate::plan::data::{Periods, TxAgg};
use crate::schema as s;

/// (from, as_of] on the day column `__d`.
fn within(as_of: NaiveDate, from: NaiveDate) -> Expr {
    day_in(col("__d"), epoch_days(from), epoch_days(as_of))
}

/// sum(e) where `cond` holds, in fixed point (order-independent), named `name`; Int64,
/// taken back to units in Rust.
fn sum_where(e: Expr, cond: Expr, name: &str) -> Expr {
    fixed_total_where(cond, e).alias(name)
}

/// The number of distinct calendar months (`__m` = year x 12 + month) with a purchase in the
/// window `w12` = (m12, as_of]: at most 13 months, so one "any purchase in month k" flag per
/// month, summed. Plain maxima and sums, which the streaming engine runs in one pass (a
/// filtered distinct count per customer would not).
fn active_months(w12: Expr, m12: NaiveDate, as_of: NaiveDate) -> Expr {
    let index = |d: NaiveDate| d.year() * 12 + d.month() as i32;
    let from = m12.succ_opt().map_or(index(m12), index);
    let bought = w12.and(col(s::AMOUNT).gt_eq(lit(0.0)));
    let flags: Vec<Expr> = (from..=index(as_of))
        .map(|k| {
            when(bought.clone().and(col("__m").eq(lit(k))))
                .then(lit(1u32))
                .otherwise(lit(0u32))
                .max()
        })
        .collect();
    flags
        .into_iter()
        .reduce(|a, b| a + b)
        .unwrap_or(lit(0u32))
        .cast(DataType::UInt32)
}

fn lazy_aggregates(
    tx: &DataFrame,
    as_of: NaiveDate,
    periods: &Periods,
) -> Result<HashMap<String, TxAgg>> {
    // the windows of the features: [as_of − 12 months, as_of] and the 12 months before
    let (m12, m24) = (months_before(as_of, 12), months_before(as_of, 24));
    let before_last = periods.last_start.pred_opt().unwrap_or(periods.last_start);
    let qty = if has(tx, s::QUANTITY) {
        col(s::QUANTITY).fill_null(lit(0.0))
    } else {
        lit(0.0)
    };
    let w12 = within(as_of, m12);
    let priced = w12.clone().and(qty.clone().gt(lit(0.0)));
    let agg = tx
        .clone()
        .lazy()
        .with_columns([
            day(col(s::DATE)).alias("__d"),
            (col(s::DATE).dt().year().cast(DataType::Int32) * lit(12)
                + col(s::DATE).dt().month().cast(DataType::Int32))
            .alias("__m"),
        ])
        .group_by([col(s::CUSTOMER_ID)])
        .agg([
            sum_where(qty.clone(), w12.clone(), "v12"),
            sum_where(qty.clone(), within(m12, m24), "vp12"),
            active_months(w12, m12, as_of).alias("months"),
            sum_where(col(s::AMOUNT), priced.clone(), "pa"),
            sum_where(qty.clone(), priced, "pq"),
            sum_where(col(s::AMOUNT), within(periods.last_end, before_last), "lr"),
            sum_where(qty, within(periods.last_end, before_last), "lv"),
        ])
        .collect_with_engine(Engine::Streaming)?
        .unwrap_single();
    let ids = strings(&agg, s::CUSTOMER_ID)?;
    let num = |c: &str| -> Result<Vec<f64>> {
        Ok(f64s(&agg, c)?
            .into_iter()
            .map(|v| v.unwrap_or(0.0) / FIXED_SCALE)
            .collect())
    };
    let (v12, vp, pa, pq, lr, lv) = (
        num("v12")?,
        num("vp12")?,
        num("pa")?,
        num("pq")?,
        num("lr")?,
        num("lv")?,
    );
    let months = f64s(&agg, "months")?;
    let mut out = HashMap::with_capacity(ids.len());
    for (i, id) in ids.into_iter().enumerate() {
        let Some(id) = id else { continue };
        out.insert(
            id,
            TxAgg {
                volume_12m: v12[i],
                volume_prev_12m: vp[i],
                active_months: months[i].unwrap_or(0.0) as u32,
                price_amount: pa[i],
                price_quantity: pq[i],
                last_revenue: lr[i],
                last_volume: lv[i],
            },
        );
    }
    Ok(out)
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap_or(NaiveDate::MIN)
}

/// Seeded rows with returns, zero and missing quantities, several customers and years.
fn messy(seed: u64) -> Result<DataFrame> {
    use rand::{RngExt, SeedableRng};
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let start = epoch_days(d(2022, 1, 1));
    let (mut ids, mut dates, mut amounts, mut qty) = (vec![], vec![], vec![], vec![]);
    for _ in 0..3000 {
        ids.push(format!("C{:03}", rng.random_range(0..120)));
        dates.push(crate::frame::date_of(start + rng.random_range(0..1200)));
        let cents: i64 = rng.random_range(-30_000..300_000);
        amounts.push(cents as f64 / 100.0 + 0.00005);
        qty.push(match rng.random_range(0..10) {
            0 => None,
            1 => Some(0.0),
            2 => Some(-rng.random_range(0.0..5.0)),
            _ => Some(rng.random_range(0.0..60.0)),
        });
    }
    Ok(df!(
        s::CUSTOMER_ID => ids,
        s::DATE => dates,
        s::AMOUNT => amounts,
        s::QUANTITY => qty,
    )?)
}

#[test]
fn one_walk_equals_the_group_by() -> Result<()> {
    for (seed, as_of, months) in [
        (1, d(2025, 3, 31), 1),
        (2, d(2024, 12, 15), 3),
        (3, d(2025, 1, 1), 12),
    ] {
        let tx = messy(seed)?;
        let periods = Periods::around(as_of, months);
        let new = tx_aggregates(&tx, as_of, &periods)?;
        let old = lazy_aggregates(&tx, as_of, &periods)?;
        assert_eq!(new.len(), old.len());
        for (id, a) in &old {
            assert_eq!(new.get(id), Some(a), "customer {id}, seed {seed}");
        }
        assert!(
            old.values()
                .any(|a| a.active_months > 1 && a.price_quantity > 0.0)
        );
    }
    Ok(())
}
