//! Every cutoff's behaviour features and labels from ONE pass over the transactions.
//!
//! [`super::cutoff::features_at`] and [`super::cutoff::bought_after`] define the features and
//! the label of one cutoff with Polars expressions over every transaction; run once per cutoff
//! they cost a full pass each (six at the defaults). Here each customer's rows are gathered
//! once ([`CustomerRows`], no copy of the order ids), and each customer's rows, sorted by day,
//! are walked in Rust for every cutoff. The arithmetic repeats
//! the expressions' exactly (fixed-point sums, the same divisions), so the rows are equal to
//! `features_at`'s (tested in `history_tests.rs` on a fixture with returns, same-day orders,
//! orders spanning days and customers appearing after cutoffs).

use polars::prelude::*;

use super::cutoff::NUMERIC;
use crate::error::Result;
use crate::frame::{FIXED_SCALE, epoch_days, months_before};
use crate::rows::{ByRow, CustomerRows, day_numbers, f64_chunk};
use crate::schema as s;

/// The examples of one cutoff: the customers active at it, sorted by id, with the
/// [`NUMERIC`] features (the frame `features_at` returns), and whether each churned (`None` at
/// the scoring cutoff).
pub struct AtCutoff {
    pub features: DataFrame,
    pub churned: Option<Vec<bool>>,
}

/// One cutoff: its epoch day and the window bounds that depend on the calendar.
#[derive(Clone, Copy)]
struct Cut {
    c: i32,
    m12: i32,
    m24: i32,
    labelled: bool,
}

/// The features at each of `cutoffs` (with whether it is labelled), in the given order.
pub fn at_cutoffs(
    tx: &DataFrame,
    cutoffs: &[(chrono::NaiveDate, bool)],
    active_days: u32,
    horizon_days: u32,
) -> Result<Vec<AtCutoff>> {
    let cuts: Vec<Cut> = cutoffs
        .iter()
        .map(|(d, labelled)| Cut {
            c: epoch_days(*d),
            m12: epoch_days(months_before(*d, 12)),
            m24: epoch_days(months_before(*d, 24)),
            labelled: *labelled,
        })
        .collect();
    let c = Columns::of(tx)?;
    let g = CustomerRows::of(tx, |_| true)?;
    let amounts = ByRow::of(&c.amounts);
    // customers in id order, as the features of one cutoff are sorted
    let mut by_id: Vec<usize> = (0..g.len()).collect();
    by_id.sort_unstable_by_key(|&k| g.ids()[k]);
    let mut out: Vec<Builder> = cuts.iter().map(|_| Builder::default()).collect();
    let mut rows: Vec<Row> = Vec::new();
    for k in by_id {
        rows.clear();
        rows.extend(g.rows(k).iter().map(|&r| {
            let r = r as usize;
            Row {
                day: c.days[r],
                amount: amounts.get(r).unwrap_or(f64::NAN),
                order: c.orders.as_ref().and_then(|o| o.get(r)),
                lines: c.lines.as_ref().map_or(1, |l| l[r]),
                largest: c.largest.as_ref().map_or(f64::NAN, |l| l[r]),
            }
        }));
        rows.sort_by_key(|r| r.day);
        for (cut, b) in cuts.iter().zip(out.iter_mut()) {
            if let Some(f) = features(&rows, *cut, active_days) {
                b.push(g.ids()[k], f);
                if cut.labelled {
                    b.churned
                        .push(!bought_in(&rows, cut.c, cut.c + horizon_days as i32));
                }
            }
        }
    }
    out.into_iter()
        .zip(&cuts)
        .map(|(b, cut)| b.finish(cut.labelled))
        .collect()
}

/// The transaction columns the walk reads, by row number (one chunk each).
struct Columns {
    days: Vec<i32>,
    amounts: Float64Chunked,
    /// Order ids as text, read in place, when the table has them.
    orders: Option<StringChunked>,
    /// Rows of the raw transactions each row sums, and their largest amount: present when the
    /// rows are the Spark job's order aggregates (`kam run --features`); a raw row is one
    /// line, its own largest.
    lines: Option<Vec<i64>>,
    largest: Option<Vec<f64>>,
}

impl Columns {
    fn of(tx: &DataFrame) -> Result<Self> {
        let orders = match crate::frame::has(tx, s::ORDER_ID) {
            true => Some(
                tx.column(s::ORDER_ID)?
                    .cast(&DataType::String)?
                    .str()?
                    .rechunk()
                    .into_owned(),
            ),
            false => None,
        };
        let aggregated = crate::frame::has(tx, s::LINES) && crate::frame::has(tx, s::LARGEST_LINE);
        let (lines, largest) = match aggregated {
            true => (
                Some(
                    tx.column(s::LINES)?
                        .cast(&DataType::Int64)?
                        .i64()?
                        .iter()
                        .map(|v| v.unwrap_or(1))
                        .collect(),
                ),
                Some(
                    f64_chunk(tx, s::LARGEST_LINE)?
                        .iter()
                        .map(|v| v.unwrap_or(f64::NAN))
                        .collect(),
                ),
            ),
            false => (None, None),
        };
        Ok(Columns {
            days: day_numbers(tx)?,
            amounts: f64_chunk(tx, s::AMOUNT)?,
            orders,
            lines,
            largest,
        })
    }
}

/// One transaction of a customer (or, from order aggregates, `lines` of them on one day and
/// order with their summed `amount` and `largest` amount; NaN `largest`: the row's own).
struct Row<'a> {
    day: i32,
    amount: f64,
    order: Option<&'a str>,
    lines: i64,
    largest: f64,
}

impl Row<'_> {
    /// The largest single amount this row stands for.
    fn largest_line(&self) -> f64 {
        match self.largest.is_nan() {
            true => self.amount,
            false => self.largest,
        }
    }
}

/// round(x x FIXED_SCALE), half away from zero, as `frame::fixed`.
fn fx(x: f64) -> i64 {
    (x * FIXED_SCALE).round() as i64
}

/// A fixed-point sum in units as `frame::unfixed` computes it: Polars divides by the literal
/// as a multiplication by its reciprocal.
fn unfx(x: i64) -> f64 {
    x as f64 * (1.0 / FIXED_SCALE)
}

/// (a - b) / (a + b) when a + b > 0, else 0 (also when either is null), as `sym_change`.
fn sym(a: Option<f64>, b: Option<f64>) -> f64 {
    match (a, b) {
        (Some(a), Some(b)) if a + b > 0.0 => (a - b) / (a + b),
        _ => 0.0,
    }
}

/// A purchase: amount >= 0.
fn buy(r: &Row) -> bool {
    r.amount >= 0.0
}

/// Whether the customer bought in (from, to].
fn bought_in(rows: &[Row], from: i32, to: i32) -> bool {
    rows.iter().any(|r| buy(r) && r.day > from && r.day <= to)
}

/// The [`NUMERIC`] features at `cut` from the customer's rows (sorted by day), or `None` when
/// the customer is not active then (no purchase on or before it, or none within
/// `active_days`).
fn features(rows: &[Row], cut: Cut, active_days: u32) -> Option<[Option<f64>; 11]> {
    let c = cut.c;
    let past = &rows[..rows.partition_point(|r| r.day <= c)];
    let mut sums = Sums::default();
    let mut prev_day: Option<i32> = None;
    for r in past {
        sums.add(r, c, cut, &mut prev_day);
    }
    let (first, last) = (sums.first?, sums.last?);
    if last <= c - active_days as i32 {
        return None;
    }
    let frequency = sums.days - 1;
    let monetary = if frequency > 0 {
        unfx(sums.purchases - sums.first_day) / frequency as f64
    } else {
        0.0
    };
    let (r12, p12) = (unfx(sums.r12), unfx(sums.p12));
    let trend_12m = (p12 > 0.0).then(|| (r12 - p12) / p12);
    let mean = |n: i64, total: i64| (n > 0).then(|| unfx(total) / n as f64);
    let bought = unfx(sums.bought);
    let returns_share = if bought > 0.0 {
        -unfx(sums.returned) / bought
    } else {
        0.0
    };
    Some([
        Some((c - last) as f64),
        Some(frequency as f64),
        Some(monetary),
        Some((c - first) as f64),
        largest(past, sums.largest_row),
        Some(r12),
        trend_12m,
        Some(sym(Some(unfx(sums.r3)), Some(unfx(sums.p3)))),
        Some(sym(mean(sums.n_a6, sums.a6), mean(sums.n_b6, sums.b6))),
        Some(returns_share),
        Some(sums.n90 as f64),
    ])
}

/// Running totals over a customer's rows up to a cutoff (fixed point where money).
#[derive(Default)]
struct Sums {
    first: Option<i32>,
    last: Option<i32>,
    /// Distinct purchase days.
    days: i64,
    purchases: i64,
    first_day: i64,
    r12: i64,
    p12: i64,
    r3: i64,
    p3: i64,
    a6: i64,
    n_a6: i64,
    b6: i64,
    n_b6: i64,
    bought: i64,
    returned: i64,
    n90: i64,
    /// Largest amount of a row without an order id (every row when there are no order ids).
    largest_row: Option<f64>,
}

impl Sums {
    fn add(&mut self, r: &Row, c: i32, cut: Cut, prev_day: &mut Option<i32>) {
        let v = fx(r.amount);
        let within = |from: i32, to: i32| r.day > from && r.day <= to;
        if r.order.is_none() {
            let l = r.largest_line();
            self.largest_row = Some(self.largest_row.map_or(l, |m| m.max(l)));
        }
        if within(cut.m12, c) {
            self.r12 += v;
        }
        if within(cut.m24, cut.m12) {
            self.p12 += v;
        }
        if !buy(r) {
            if within(c - 365, c) {
                self.returned += v;
            }
            return;
        }
        self.first.get_or_insert(r.day);
        self.last = Some(r.day);
        if *prev_day != Some(r.day) {
            self.days += 1;
            *prev_day = Some(r.day);
        }
        self.purchases += v;
        if self.first == Some(r.day) {
            self.first_day += v;
        }
        if within(c - 91, c) {
            self.r3 += v;
            self.n90 += r.lines;
        }
        if within(c - 182, c - 91) {
            self.p3 += v;
        }
        if within(c - 182, c) {
            self.a6 += v;
            self.n_a6 += r.lines;
        }
        if within(c - 365, c - 182) {
            self.b6 += v;
            self.n_b6 += r.lines;
        }
        if within(c - 365, c) {
            self.bought += v;
        }
    }
}

/// The largest order at the cutoff: the largest net value of an order id over its rows up to
/// the cutoff, or of a row without one (`largest_row`), whichever is larger.
fn largest(past: &[Row], largest_row: Option<f64>) -> Option<f64> {
    let mut orders: Vec<(&str, i64)> = past
        .iter()
        .filter_map(|r| r.order.map(|o| (o, fx(r.amount))))
        .collect();
    if orders.is_empty() {
        return largest_row;
    }
    orders.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let mut best: Option<i64> = None;
    let mut k = 0;
    while k < orders.len() {
        let mut total = 0i64;
        let mut j = k;
        while j < orders.len() && orders[j].0 == orders[k].0 {
            total += orders[j].1;
            j += 1;
        }
        best = Some(best.map_or(total, |b| b.max(total)));
        k = j;
    }
    let order = best.map(unfx);
    match (order, largest_row) {
        (Some(o), Some(r)) => Some(o.max(r)),
        (o, r) => o.or(r),
    }
}

/// The columns of one cutoff being built.
#[derive(Default)]
struct Builder {
    ids: Vec<String>,
    cols: [Vec<Option<f64>>; 11],
    churned: Vec<bool>,
}

impl Builder {
    fn push(&mut self, id: &str, f: [Option<f64>; 11]) {
        self.ids.push(id.to_string());
        for (c, v) in self.cols.iter_mut().zip(f) {
            c.push(v);
        }
    }

    fn finish(self, labelled: bool) -> Result<AtCutoff> {
        let n = self.ids.len();
        let mut cols = vec![Column::new(s::CUSTOMER_ID.into(), self.ids)];
        for (name, v) in NUMERIC.iter().zip(self.cols) {
            cols.push(Column::new((*name).into(), v));
        }
        Ok(AtCutoff {
            features: DataFrame::new(n, cols)?,
            churned: labelled.then_some(self.churned),
        })
    }
}

#[cfg(test)]
#[path = "history_tests.rs"]
mod tests;
