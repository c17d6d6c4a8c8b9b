//! Calibration / holdout check of a purchase model (Fader, Hardie & Lee 2005, figures 3-4):
//! fit on the calibration period, then compare, for the holdout period, actual and predicted
//! repeat purchases per calibration frequency (0, 1, ..., 7+) and in total, and the weekly
//! cumulative tracking series of repeat purchases.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use polars::prelude::*;

use super::stage::{Purchases, Summary};
use crate::error::Result;
use crate::frame::{date_of, day, epoch_days};
use crate::schema as s;
use crate::schema::TimeUnit;

/// Calibration frequencies at or above this are pooled ("7+").
const POOL: usize = 7;

/// The holdout comparison, ready to write as CSV.
pub struct Holdout {
    /// frequency (0..6, "7+"), customers, actual_mean, predicted_mean, actual_total, predicted_total
    pub by_frequency: DataFrame,
    pub actual_total: f64,
    pub predicted_total: f64,
    /// week_end, week, actual_cumulative, predicted_cumulative
    pub tracking: DataFrame,
}

/// Distinct purchase days (amount >= 0) of every customer, as (customer, day) sorted.
fn purchase_days(tx: &DataFrame, until: NaiveDate) -> Result<Vec<(String, i32)>> {
    let days = tx
        .clone()
        .lazy()
        .filter(
            col(s::AMOUNT)
                .gt_eq(lit(0.0))
                .and(day(col(s::DATE)).lt_eq(lit(epoch_days(until)))),
        )
        .select([
            col(s::CUSTOMER_ID).cast(DataType::String),
            day(col(s::DATE)).alias("d"),
        ])
        .unique(None, UniqueKeepStrategy::First)
        .sort([s::CUSTOMER_ID, "d"], SortMultipleOptions::default())
        .collect()?;
    let ids = days.column(s::CUSTOMER_ID)?.str()?.clone();
    let d = days.column("d")?.i32()?.clone();
    Ok(ids
        .iter()
        .zip(d.iter())
        .filter_map(|(i, d)| Some((i?.to_string(), d?)))
        .collect())
}

/// Compare the model fitted on `cal` (features as of `cal_end`) with the holdout
/// (`cal_end`, `obs_end`].
pub fn holdout(
    tx: &DataFrame,
    cal: &Summary,
    model: &Purchases,
    cal_end: NaiveDate,
    obs_end: NaiveDate,
    unit: TimeUnit,
) -> Result<Holdout> {
    let days = purchase_days(tx, obs_end)?;
    let window = (epoch_days(cal_end), epoch_days(obs_end));
    let (first, in_holdout) = first_and_holdout(&days, window);
    let buckets = buckets(cal, model, &in_holdout, window, unit);
    let actual_total = buckets.values().map(|b| b.1).sum();
    let predicted_total = buckets.values().map(|b| b.2).sum();
    Ok(Holdout {
        by_frequency: by_frequency(&buckets)?,
        actual_total,
        predicted_total,
        tracking: tracking(&days, &first, cal, model, window, unit)?,
    })
}

/// Per customer: the first purchase day, and the purchase days in the holdout (c0, c1].
fn first_and_holdout(
    days: &[(String, i32)],
    (c0, c1): (i32, i32),
) -> (HashMap<&str, i32>, HashMap<&str, f64>) {
    let mut first: HashMap<&str, i32> = HashMap::new();
    let mut in_holdout: HashMap<&str, f64> = HashMap::new();
    for (id, d) in days {
        first.entry(id.as_str()).or_insert(*d);
        if *d > c0 && *d <= c1 {
            *in_holdout.entry(id.as_str()).or_default() += 1.0;
        }
    }
    (first, in_holdout)
}

/// Per calibration frequency (pooled at [`POOL`]): (customers, actual, predicted) holdout
/// repeat purchases of the calibration customers.
fn buckets(
    cal: &Summary,
    model: &Purchases,
    in_holdout: &HashMap<&str, f64>,
    (c0, c1): (i32, i32),
    unit: TimeUnit,
) -> BTreeMap<usize, (f64, f64, f64)> {
    let duration = f64::from(c1 - c0) / unit.days();
    let m = model.model();
    let r = &cal.rfm;
    let mut buckets: BTreeMap<usize, (f64, f64, f64)> = BTreeMap::new();
    for (i, id) in cal.ids.iter().enumerate() {
        let actual = in_holdout.get(id.as_str()).copied().unwrap_or(0.0);
        let predicted = m.expected_purchases(duration, r.x[i], r.t_x[i], r.t[i]);
        let b = buckets.entry((r.x[i] as usize).min(POOL)).or_default();
        b.0 += 1.0;
        b.1 += actual;
        b.2 += predicted;
    }
    buckets
}

/// The by-frequency table of the buckets.
fn by_frequency(buckets: &BTreeMap<usize, (f64, f64, f64)>) -> Result<DataFrame> {
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

/// Tracking: cumulative repeat purchase days of the calibration cohort (customers of `cal`
/// whose first purchase is on or before c0), actual and predicted, week by week to c1.
fn tracking(
    days: &[(String, i32)],
    first: &HashMap<&str, i32>,
    cal: &Summary,
    model: &Purchases,
    (c0, c1): (i32, i32),
    unit: TimeUnit,
) -> Result<DataFrame> {
    let cohort: HashMap<&str, ()> = cal.ids.iter().map(|i| (i.as_str(), ())).collect();
    let mut repeats: Vec<i32> = Vec::new();
    let mut firsts: BTreeMap<i32, f64> = BTreeMap::new();
    for (id, f) in first {
        if cohort.contains_key(id) && *f <= c0 {
            *firsts.entry(*f).or_default() += 1.0;
        }
    }
    for (id, d) in days {
        if let Some(f) = first.get(id.as_str())
            && cohort.contains_key(id.as_str())
            && *f <= c0
            && d > f
        {
            repeats.push(*d);
        }
    }
    repeats.sort_unstable();
    let start = firsts.keys().next().copied().unwrap_or(c0);
    let (mut week_end, mut week, mut actual, mut predicted) = (vec![], vec![], vec![], vec![]);
    let mut w = start + 6;
    let mut k = 1u32;
    loop {
        let end = w.min(c1);
        week_end.push(date_of(end));
        week.push(k);
        actual.push(repeats.partition_point(|d| *d <= end) as f64);
        predicted.push(
            firsts
                .range(..=end)
                .map(|(f, n)| n * model.expected_unconditional(f64::from(end - f) / unit.days()))
                .sum::<f64>(),
        );
        if w >= c1 {
            break;
        }
        w += 7;
        k += 1;
    }
    Ok(df!(
        "week_end" => week_end,
        "week" => week,
        "actual_cumulative" => actual,
        "predicted_cumulative" => predicted,
    )?)
}
