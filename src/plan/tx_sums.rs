//! The planner's per-customer sums of the transactions (see [`super::data`]), one walk over
//! the rows in file order, each added to its customer's sums found by its customer code
//! ([`Codes`]), instead of a group-by on the string id with a dozen conditional sums per row:
//! at 43M rows the group-by held the run's memory peak.
//! Sums are fixed point, so the figures equal the group-by's to the last digit (tested
//! against it in `tx_sums_tests.rs`).

use std::collections::HashMap;

use chrono::NaiveDate;
use polars::prelude::*;

use super::data::{Periods, TxAgg};
use crate::error::Result;
use crate::frame::{FIXED_SCALE, epoch_days, has, month_of, months_before, to_fixed};
use crate::rows::{ByRow, Codes, NO_CODE, day_numbers};
use crate::schema as s;

/// Windows as (exclusive from, inclusive to) epoch days.
struct Windows {
    /// (as_of - 12 months, as_of]
    w12: (i32, i32),
    /// (as_of - 24 months, as_of - 12 months]
    prev: (i32, i32),
    /// the last plan period: [last_start, last_end]
    last: (i32, i32),
    /// the month index of w12's first day
    first_month: i32,
}

fn inside(d: i32, (from, to): (i32, i32)) -> bool {
    d > from && d <= to
}

/// Fixed-point sums of one customer.
#[derive(Default)]
struct Sums {
    v12: i64,
    vp12: i64,
    pa: i64,
    pq: i64,
    lr: i64,
    lv: i64,
    /// bit k: a purchase in month `first_month + k` of w12
    months: u64,
}

/// Per customer id: volumes of the last 12 months and the 12 before, distinct months with a
/// purchase in the last 12, the amount and quantity of priced rows (quantity > 0) in the last
/// 12 months, and the revenue and volume of the last plan period.
pub fn tx_aggregates(
    tx: &DataFrame,
    as_of: NaiveDate,
    periods: &Periods,
) -> Result<HashMap<String, TxAgg>> {
    let (m12, m24) = (months_before(as_of, 12), months_before(as_of, 24));
    let before_last = periods.last_start.pred_opt().unwrap_or(periods.last_start);
    let w = Windows {
        w12: (epoch_days(m12), epoch_days(as_of)),
        prev: (epoch_days(m24), epoch_days(m12)),
        last: (epoch_days(before_last), epoch_days(periods.last_end)),
        first_month: month_of(epoch_days(m12) + 1),
    };
    let days = day_numbers(tx)?;
    let amount = tx.column(s::AMOUNT)?.cast(&DataType::Float64)?;
    let amount = ByRow::of(amount.f64()?);
    let quantity = match has(tx, s::QUANTITY) {
        true => Some(tx.column(s::QUANTITY)?.cast(&DataType::Float64)?),
        false => None,
    };
    let quantity = quantity
        .as_ref()
        .map(|q| q.f64())
        .transpose()?
        .map(ByRow::of);
    // rows in file order, each added to its customer's sums (found by its code)
    let codes = Codes::of(tx)?;
    let codes = codes.as_slice()?;
    let ids = tx.column(s::CUSTOMER_ID)?.str()?;
    let mut sums: Vec<(u32, Sums)> = Vec::new();
    for (r, &c) in codes.iter().enumerate().filter(|(_, c)| **c != NO_CODE) {
        let c = c as usize;
        if c >= sums.len() {
            sums.resize_with(c + 1, || (u32::MAX, Sums::default()));
        }
        let (first, s) = &mut sums[c];
        *first = (*first).min(r as u32);
        let q = quantity.as_ref().and_then(|q| q.get(r)).unwrap_or(0.0);
        add(s, days[r], amount.get(r), q, &w);
    }
    let mut out = HashMap::with_capacity(sums.len());
    for (first, s) in sums.iter().filter(|(first, _)| *first != u32::MAX) {
        if let Some(id) = ids.get(*first as usize) {
            out.insert(id.to_string(), agg(s));
        }
    }
    Ok(out)
}

/// One row into its customer's sums.
fn add(sums: &mut Sums, d: i32, amount: Option<f64>, q: f64, w: &Windows) {
    let (a, fq) = (amount.map(to_fixed), to_fixed(q));
    if inside(d, w.w12) {
        sums.v12 += fq;
        if q > 0.0 {
            sums.pa += a.unwrap_or(0);
            sums.pq += fq;
        }
        if amount.is_some_and(|a| a >= 0.0) {
            sums.months |= 1 << (month_of(d) - w.first_month);
        }
    }
    if inside(d, w.prev) {
        sums.vp12 += fq;
    }
    if inside(d, w.last) {
        sums.lr += a.unwrap_or(0);
        sums.lv += fq;
    }
}

fn agg(s: &Sums) -> TxAgg {
    let units = |x: i64| x as f64 / FIXED_SCALE;
    TxAgg {
        volume_12m: units(s.v12),
        volume_prev_12m: units(s.vp12),
        active_months: s.months.count_ones(),
        price_amount: units(s.pa),
        price_quantity: units(s.pq),
        last_revenue: units(s.lr),
        last_volume: units(s.lv),
    }
}

#[cfg(test)]
#[path = "tx_sums_tests.rs"]
mod tests;
