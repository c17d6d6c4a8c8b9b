//! Calibration / holdout check of a purchase model (Fader, Hardie & Lee 2005, figures 3-4):
//! fit on the calibration period, then compare, for the holdout period, actual and predicted
//! repeat purchases per calibration frequency (0, 1, ..., 7+) and in total, and the weekly
//! cumulative tracking series of repeat purchases.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use polars::prelude::*;

use super::bands::total_purchases;
use super::data::Rfm;
use super::intervals::Spread;
use super::scoring::Expected;
use super::stage::{Purchases, Summary};
use crate::error::Result;
use crate::frame::{date_of, epoch_days};
use crate::schema::TimeUnit;

#[path = "purchase_days.rs"]
mod purchase_days;
pub use purchase_days::PurchaseDays;

/// Customers, actual, predicted and squared error of one calibration frequency.
type Bucket = (f64, f64, f64, f64);

/// Calibration frequencies at or above this are pooled ("7+").
const POOL: usize = 7;

/// The holdout comparison, ready to write as CSV.
pub struct Holdout {
    /// frequency (0..6, "7+"), customers, actual_mean, predicted_mean, actual_total, predicted_total
    pub by_frequency: DataFrame,
    pub actual_total: f64,
    pub predicted_total: f64,
    /// week_end, week, period, actual_cumulative, predicted_cumulative, actual_weekly,
    /// predicted_weekly
    pub tracking: DataFrame,
    /// The interval of the predicted total as a forecast of the actual (None without one).
    pub interval: Option<HoldoutCheck>,
    /// Root mean squared error of each customer's predicted against actual holdout repeat
    /// purchases: what `value.model = "auto"` chooses by.
    pub rmse: f64,
}

/// The holdout's total against its forecast interval (`models/holdout_check.json`).
#[derive(Debug, Clone, serde::Serialize, PartialEq)]
pub struct HoldoutCheck {
    pub calibration_end: String,
    pub holdout_end: String,
    pub customers: usize,
    pub actual: f64,
    pub predicted: f64,
    pub low: f64,
    pub high: f64,
    pub level: f64,
    /// Whether [low, high] holds the actual.
    pub covered: bool,
}

/// Compare the model fitted on `cal` (features as of `cal_end`) with the holdout
/// (`cal_end`, `obs_end`].
pub fn holdout(
    tx: &DataFrame,
    cal: &Summary,
    model: &Purchases,
    (cal_end, obs_end): (NaiveDate, NaiveDate),
    unit: TimeUnit,
    spread: Option<&Spread>,
) -> Result<Holdout> {
    let days = PurchaseDays::collect(tx, obs_end)?;
    compare(
        &days,
        &cal.ids,
        &cal.rfm,
        model,
        (cal_end, obs_end),
        unit,
        spread,
    )
}

/// [`holdout`] on purchase days already collected up to `obs_end`, for the calibration
/// customers `ids` with their (frequency, recency, T) `rfm`.
pub fn compare(
    days: &PurchaseDays,
    ids: &[String],
    rfm: &Rfm,
    model: &Purchases,
    (cal_end, obs_end): (NaiveDate, NaiveDate),
    unit: TimeUnit,
    spread: Option<&Spread>,
) -> Result<Holdout> {
    let window = (epoch_days(cal_end), epoch_days(obs_end));
    let rows = days.rows_of(ids);
    let buckets = buckets(days, &rows, rfm, model, window, unit);
    let actual_total = buckets.values().map(|b| b.1).sum();
    let predicted_total = buckets.values().map(|b| b.2).sum();
    let customers: f64 = buckets.values().map(|b| b.0).sum();
    let rmse = (buckets.values().map(|b| b.3).sum::<f64>() / customers.max(1.0)).sqrt();
    let duration = f64::from(window.1 - window.0) / unit.days();
    let band = spread.and_then(|sp| total_purchases(model, rfm, duration, sp));
    let interval = band.zip(spread).map(|(b, sp)| HoldoutCheck {
        calibration_end: cal_end.to_string(),
        holdout_end: obs_end.to_string(),
        customers: rfm.len(),
        actual: actual_total,
        predicted: predicted_total,
        low: b.low,
        high: b.high,
        level: sp.level,
        covered: (b.low..=b.high).contains(&actual_total),
    });
    Ok(Holdout {
        interval,
        rmse,
        by_frequency: by_frequency(&buckets)?,
        actual_total,
        predicted_total,
        tracking: tracking(days, &rows, model, window, unit)?,
    })
}

/// Per calibration frequency (pooled at [`POOL`]): (customers, actual, predicted, squared
/// error) holdout repeat purchases of the calibration customers; `rows[i]` is customer i's
/// row of `days`.
fn buckets(
    days: &PurchaseDays,
    rows: &[Option<usize>],
    r: &Rfm,
    model: &Purchases,
    (c0, c1): (i32, i32),
    unit: TimeUnit,
) -> BTreeMap<usize, Bucket> {
    let duration = f64::from(c1 - c0) / unit.days();
    let expected = Expected::new(model.model(), r, &[duration]);
    let mut buckets: BTreeMap<usize, Bucket> = BTreeMap::new();
    for (i, row) in rows.iter().enumerate() {
        // purchase days in the holdout (c0, c1]
        let actual = row.map_or(0.0, |j| {
            let d = days.of(j);
            (d.partition_point(|d| *d <= c1) - d.partition_point(|d| *d <= c0)) as f64
        });
        let predicted = expected.purchases(i, 0);
        let b = buckets.entry((r.x[i] as usize).min(POOL)).or_default();
        b.0 += 1.0;
        b.1 += actual;
        b.2 += predicted;
        b.3 += (actual - predicted).powi(2);
    }
    buckets
}

/// The by-frequency table of the buckets.
fn by_frequency(buckets: &BTreeMap<usize, Bucket>) -> Result<DataFrame> {
    let label = |k: usize| {
        if k == POOL {
            format!("{POOL}+")
        } else {
            k.to_string()
        }
    };
    Ok(df!(
        "frequency" => buckets.keys().map(|k| label(*k)).collect::<Vec<_>>(),
        "customers" => buckets.values().map(|b| b.0 as u64).collect::<Vec<_>>(),
        "actual_mean" => buckets.values().map(|b| b.1 / b.0).collect::<Vec<_>>(),
        "predicted_mean" => buckets.values().map(|b| b.2 / b.0).collect::<Vec<_>>(),
        "actual_total" => buckets.values().map(|b| b.1).collect::<Vec<_>>(),
        "predicted_total" => buckets.values().map(|b| b.2).collect::<Vec<_>>(),
    )?)
}

/// Tracking: cumulative (and each week's) repeat purchase days of the calibration cohort (customers of `cal`
/// whose first purchase is on or before c0), actual and predicted, week by week to c1.
/// E[X(t)] is taken once per distinct age `end - first` in days.
fn tracking(
    days: &PurchaseDays,
    rows: &[Option<usize>],
    model: &Purchases,
    (c0, c1): (i32, i32),
    unit: TimeUnit,
) -> Result<DataFrame> {
    let cohort = days.cohort(rows, c0);
    let mut firsts: BTreeMap<i32, f64> = BTreeMap::new();
    for j in &cohort {
        *firsts.entry(days.of(*j)[0]).or_default() += 1.0;
    }
    let start = firsts.keys().next().copied().unwrap_or(c0);
    // repeat purchase days (after the first) per day from `start`, then cumulated
    let mut repeats = vec![0u64; usize::try_from(c1 - start + 1).unwrap_or(0)];
    for j in &cohort {
        for d in &days.of(*j)[1..] {
            repeats[(d - start) as usize] += 1;
        }
    }
    for k in 1..repeats.len() {
        repeats[k] += repeats[k - 1];
    }
    let mut curve: HashMap<i32, f64> = HashMap::new();
    let (mut week_end, mut week, mut actual, mut predicted) = (vec![], vec![], vec![], vec![]);
    let mut w = start + 6;
    let mut k = 1u32;
    loop {
        let end = w.min(c1);
        week_end.push(date_of(end));
        week.push(k);
        let upto = usize::try_from(end - start).ok();
        actual.push(upto.and_then(|u| repeats.get(u)).map_or(0.0, |n| *n as f64));
        let mut e_x = |age: i32| {
            *curve
                .entry(age)
                .or_insert_with(|| model.expected_unconditional(f64::from(age) / unit.days()))
        };
        predicted.push(
            firsts
                .range(..=end)
                .map(|(f, n)| n * e_x(end - f))
                .sum::<f64>(),
        );
        if w >= c1 {
            break;
        }
        w += 7;
        k += 1;
    }
    let weekly = |c: &[f64]| -> Vec<f64> {
        (0..c.len())
            .map(|k| c[k] - k.checked_sub(1).map_or(0.0, |j| c[j]))
            .collect()
    };
    let (actual_weekly, predicted_weekly) = (weekly(&actual), weekly(&predicted));
    // a week that ends after the calibration end is (mostly) the holdout's
    let period: Vec<&str> = (week_end.iter())
        .map(|d| match epoch_days(*d) > c0 {
            true => "holdout",
            false => "calibration",
        })
        .collect();
    Ok(df!(
        "week_end" => week_end,
        "week" => week,
        "period" => period,
        "actual_cumulative" => actual,
        "predicted_cumulative" => predicted,
        "actual_weekly" => actual_weekly,
        "predicted_weekly" => predicted_weekly,
    )?)
}
