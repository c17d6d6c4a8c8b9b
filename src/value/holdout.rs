//! Calibration / holdout check of a purchase model (Fader, Hardie & Lee 2005, figures 3-4):
//! fit on the calibration period, then compare, for the holdout period, actual and predicted
//! repeat purchases per calibration frequency (0, 1, ..., 7+) and in total, and the weekly
//! cumulative tracking series of repeat purchases.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use polars::prelude::*;

use super::stage::{Purchases, Summary};
use crate::error::Result;
use crate::schema::TimeUnit;
use crate::schema::{self as s, date_from_epoch_days};

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

fn epoch(d: NaiveDate) -> i32 {
    NaiveDate::from_ymd_opt(1970, 1, 1)
        .map(|e| (d - e).num_days() as i32)
        .unwrap_or(0)
}

/// Distinct purchase days (amount >= 0) of every customer, as (customer, day) sorted.
fn purchase_days(tx: &DataFrame, until: NaiveDate) -> Result<Vec<(String, i32)>> {
    let days = tx
        .clone()
        .lazy()
        .filter(
            col(s::AMOUNT)
                .gt_eq(lit(0.0))
                .and(col(s::DATE).cast(DataType::Int32).lt_eq(lit(epoch(until)))),
        )
        .select([
            col(s::CUSTOMER_ID).cast(DataType::String),
            col(s::DATE).cast(DataType::Int32).alias("d"),
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
    let (c0, c1) = (epoch(cal_end), epoch(obs_end));
    // per customer: first purchase day, holdout purchase days
    let mut first: HashMap<&str, i32> = HashMap::new();
    let mut in_holdout: HashMap<&str, f64> = HashMap::new();
    for (id, d) in &days {
        first.entry(id.as_str()).or_insert(*d);
        if *d > c0 && *d <= c1 {
            *in_holdout.entry(id.as_str()).or_default() += 1.0;
        }
    }
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
    let label = |k: usize| {
        if k == POOL {
            format!("{POOL}+")
        } else {
            k.to_string()
        }
    };
    let by_frequency = df!(
        "frequency" => buckets.keys().map(|k| label(*k)).collect::<Vec<_>>(),
        "customers" => buckets.values().map(|b| b.0 as u64).collect::<Vec<_>>(),
        "actual_mean" => buckets.values().map(|b| b.1 / b.0).collect::<Vec<_>>(),
        "predicted_mean" => buckets.values().map(|b| b.2 / b.0).collect::<Vec<_>>(),
        "actual_total" => buckets.values().map(|b| b.1).collect::<Vec<_>>(),
        "predicted_total" => buckets.values().map(|b| b.2).collect::<Vec<_>>(),
    )?;
    let actual_total = buckets.values().map(|b| b.1).sum();
    let predicted_total = buckets.values().map(|b| b.2).sum();

    // Tracking: cumulative repeat purchase days of the calibration cohort, week by week.
    let cohort: HashMap<&str, ()> = cal.ids.iter().map(|i| (i.as_str(), ())).collect();
    let mut repeats: Vec<i32> = Vec::new();
    let mut firsts: BTreeMap<i32, f64> = BTreeMap::new();
    for (id, f) in &first {
        if cohort.contains_key(id) && *f <= c0 {
            *firsts.entry(*f).or_default() += 1.0;
        }
    }
    for (id, d) in &days {
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
        week_end.push(date_from_epoch_days(end));
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
    let tracking = df!(
        "week_end" => week_end,
        "week" => week,
        "actual_cumulative" => actual,
        "predicted_cumulative" => predicted,
    )?;
    Ok(Holdout {
        by_frequency,
        actual_total,
        predicted_total,
        tracking,
    })
}
