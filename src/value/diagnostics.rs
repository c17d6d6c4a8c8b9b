//! The purchase model's diagnostics that analysts know from lifetimes, as tables the report
//! draws: the frequency/recency matrices of expected purchases and of P(alive)
//! (`plot_frequency_recency_matrix`, `plot_probability_alive_matrix`) and the
//! calibration-period histogram of repeat purchases, actual against the model
//! (`plot_period_transactions`, here exact rather than simulated: see [`super::pmf`]).

use std::collections::BTreeMap;

use polars::prelude::*;

use super::data::Rfm;
use super::pmf::count_probabilities;
use super::purchases::Purchases;
use crate::error::Result;
use crate::schema::TimeUnit;
use crate::schema::outputs::{HISTOGRAM_COLUMNS, MATRIX_COLUMNS};

/// Repeat purchases at or above this are pooled ("7+"), as in the holdout check.
pub const POOL: usize = 7;

/// At most this many frequency columns and recency rows in a matrix (a readable heat map).
const GRID: usize = 12;

/// Customers by repeat purchases over the period the model was fitted on (0..6, "7+"):
/// how many there are, and how many the model expects, the sum over customers of
/// P(X(T_i) = x) at each customer's age T_i.
pub fn frequency_histogram(rfm: &Rfm, m: &Purchases) -> Result<DataFrame> {
    let mut actual = [0u64; POOL + 1];
    let mut ages: BTreeMap<u64, (f64, f64)> = BTreeMap::new();
    for (x, t) in rfm.x.iter().zip(&rfm.t) {
        actual[(*x as usize).min(POOL)] += 1;
        ages.entry(t.to_bits()).or_insert((*t, 0.0)).1 += 1.0;
    }
    let mut model = [0.0; POOL + 1];
    for (t, n) in ages.values() {
        let p = count_probabilities(m, *t, POOL);
        let below: f64 = p.iter().sum();
        for (k, p) in p.iter().enumerate() {
            model[k] += n * p;
        }
        model[POOL] += n * (1.0 - below).max(0.0);
    }
    let label = |k: usize| match k {
        POOL => format!("{POOL}+"),
        k => k.to_string(),
    };
    Ok(df!(
        HISTOGRAM_COLUMNS[0] => (0..=POOL).map(label).collect::<Vec<_>>(),
        HISTOGRAM_COLUMNS[1] => actual.to_vec(),
        HISTOGRAM_COLUMNS[2] => model.to_vec(),
    )?)
}

/// The frequencies of a matrix: every one from 0 to the 99th percentile of the customers'
/// repeat purchases (at least 1) when they fit in [`GRID`] columns, else [`GRID`] evenly
/// spaced whole numbers over that range. The percentile, not the maximum, so that one
/// exceptional customer does not squeeze everyone else into the first column.
fn frequencies(x: &[f64]) -> Vec<f64> {
    let mut sorted: Vec<f64> = x.iter().copied().filter(|v| v.is_finite()).collect();
    sorted.sort_by(f64::total_cmp);
    let at = ((sorted.len() as f64 * 0.99).ceil() as usize).saturating_sub(1);
    let top = sorted.get(at).copied().unwrap_or(1.0).ceil().max(1.0);
    if top < GRID as f64 {
        return (0..=top as usize).map(|f| f as f64).collect();
    }
    let mut out: Vec<f64> = (0..GRID)
        .map(|k| (k as f64 * top / (GRID - 1) as f64).round())
        .collect();
    out.dedup();
    out
}

/// The recencies of a matrix, most recent first: the age less a gap since the last purchase
/// of 0, then [`GRID`] - 1 gaps growing geometrically from 1 time unit to the whole age
/// (rounded to whole units). P(alive) changes fastest in the first units after a customer's
/// usual gap, so evenly spaced recencies would leave most rows at 0% for frequent buyers.
fn recencies(age: f64) -> Vec<f64> {
    let mut out = vec![age];
    if age > 1.0 {
        let ratio = age.powf(1.0 / (GRID - 2) as f64);
        let mut gap = 0.0;
        for k in 0..GRID - 1 {
            // whole units, each gap at least one more than the last, the last the whole age
            gap = f64::max(ratio.powi(k as i32).round(), gap + 1.0);
            out.push((age - gap).max(0.0));
        }
        *out.last_mut().unwrap_or(&mut 0.0) = 0.0;
    } else {
        out.push(0.0);
    }
    out.dedup();
    out
}

/// `weeks` or `days`, as `[value] time_unit` names it.
fn unit_name(unit: TimeUnit) -> &'static str {
    match unit {
        TimeUnit::Weeks => "weeks",
        TimeUnit::Days => "days",
    }
}

/// Expected purchases over `horizon` and P(alive) of a customer of the longest age observed,
/// by repeat purchases (frequency) and time of the last repeat purchase (recency), in the
/// model's time unit (`unit`); rows `kind` = `expected_purchases` then `p_alive`, frequency within
/// recency. As lifetimes does, every cell is the model's formula at its (frequency, recency),
/// also the cells no real customer has (recency above 0 at frequency 0).
pub fn matrices(rfm: &Rfm, m: &Purchases, horizon: f64, unit: TimeUnit) -> Result<DataFrame> {
    let age = rfm.t.iter().copied().fold(0.0, f64::max);
    let (fs, rs) = (frequencies(&rfm.x), recencies(age));
    let model = m.model();
    let mut cols: (Vec<&str>, Vec<f64>, Vec<f64>, Vec<f64>) = Default::default();
    for kind in ["expected_purchases", "p_alive"] {
        for r in &rs {
            for f in &fs {
                cols.0.push(kind);
                cols.1.push(*f);
                cols.2.push(*r);
                cols.3.push(match kind {
                    "p_alive" => model.p_alive(*f, *r, age),
                    _ => model.expected_purchases(horizon, *f, *r, age),
                });
            }
        }
    }
    let n = cols.0.len();
    Ok(df!(
        MATRIX_COLUMNS[0] => cols.0,
        MATRIX_COLUMNS[1] => cols.1,
        MATRIX_COLUMNS[2] => cols.2,
        MATRIX_COLUMNS[3] => vec![age; n],
        MATRIX_COLUMNS[4] => vec![horizon; n],
        MATRIX_COLUMNS[5] => vec![unit_name(unit); n],
        MATRIX_COLUMNS[6] => cols.3,
    )?)
}

#[cfg(test)]
#[path = "diagnostics_tests.rs"]
mod tests;
