//! `attainment.csv`: per month, level (company, district, station, account manager), unit and
//! metric (revenue, volume, new customers, key accounts): actual, target, completion rate,
//! year to date, and the same month last year.
//!
//! Rows cover the months from the first to the last month with sales. A unit with a target
//! and no sales shows actual 0 (completion 0); sales with no target show an empty target and
//! completion. A target of 0 leaves the completion rate empty (a share of nothing is
//! undefined) while actual and target are still shown.

use std::collections::BTreeMap;

use polars::prelude::*;

use super::cols as c;
use super::facts::{COMPANY, Facts, Level, Units, month_label, month_of, parse_month};
use crate::error::Result;
use crate::frame::{self, from_fixed, tidy, to_fixed};
use crate::schema as s;

/// The four metrics of a target, in output order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Metric {
    Revenue,
    Volume,
    NewCustomers,
    KeyAccounts,
}

impl Metric {
    pub const ALL: [Metric; 4] = [
        Metric::Revenue,
        Metric::Volume,
        Metric::NewCustomers,
        Metric::KeyAccounts,
    ];

    pub fn name(self) -> &'static str {
        s::METRIC_VALUES[self as usize]
    }

    pub fn parse(name: &str) -> Option<Metric> {
        Metric::ALL.into_iter().find(|m| m.name() == name)
    }
}

/// One series cell: level, unit, metric, month (the order series are walked in).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Key {
    pub level: Level,
    pub unit: String,
    pub metric: Metric,
    pub month: i32,
}

/// Targets by cell (several rows for one cell are added up).
pub fn targets(df: Option<&DataFrame>) -> Result<BTreeMap<Key, f64>> {
    let mut out = BTreeMap::new();
    let Some(df) = df else { return Ok(out) };
    let (period, level, unit, metric) = (
        frame::strings(df, s::PERIOD)?,
        frame::strings(df, s::LEVEL)?,
        frame::strings(df, s::UNIT)?,
        frame::strings(df, s::METRIC)?,
    );
    df.column(s::TARGET)?; // required: a targets table without it is an error
    let target = frame::f64s(df, s::TARGET)?;
    for r in 0..df.height() {
        let (Some(month), Some(level), Some(metric), Some(t)) = (
            period[r].as_deref().and_then(parse_month),
            level[r].as_deref().and_then(Level::parse),
            metric[r].as_deref().and_then(Metric::parse),
            target[r],
        ) else {
            continue;
        };
        let unit = match (level, unit[r].as_deref().map(str::trim)) {
            (Level::Company, _) => COMPANY.to_string(),
            (_, Some(u)) if !u.is_empty() => u.to_string(),
            _ => continue,
        };
        *out.entry(Key {
            level,
            unit,
            metric,
            month,
        })
        .or_insert(0.0) += t;
    }
    Ok(out)
}

/// Actuals by cell, for every unit with sales, new customers or key accounts.
pub fn actuals(f: &Facts) -> BTreeMap<Key, f64> {
    let Some((first, last)) = f.span else {
        return BTreeMap::new();
    };
    let (first_m, last_m) = (month_of(first), month_of(last));
    // (unit number, metric) -> fixed-point sum by month of the sales span (None where nothing
    // was added), so sums over millions of sales are exact and order-independent; keyed by
    // unit name and ordered once at the end
    let units = Units::new(&f.customers, &Level::ALL);
    let (n_metrics, n_months) = (Metric::ALL.len(), (last_m - first_m + 1) as usize);
    let mut sums: Vec<Option<Vec<Option<i64>>>> = vec![None; units.keys.len() * n_metrics];
    let mut add = |cust: usize, metric: Metric, month: i32, v: f64| {
        for u in units.of(cust).iter().flatten() {
            let cell = *u as usize * n_metrics + metric as usize;
            let months = sums[cell].get_or_insert_with(|| vec![None; n_months]);
            *months[(month - first_m) as usize].get_or_insert(0) += to_fixed(v);
        }
    };
    // Sales are sorted by customer and day, so a customer's month is complete when either
    // changes: its totals go to its units once per month (revenue, volume, and one active key
    // account when a key account's net purchases are above zero).
    let mut flush = |(cust, month, amount, quantity): (usize, i32, f64, f64)| {
        add(cust, Metric::Revenue, month, amount);
        if f.has_volume {
            add(cust, Metric::Volume, month, quantity);
        }
        if f.customers[cust].key_account && amount > 0.0 {
            add(cust, Metric::KeyAccounts, month, 1.0);
        }
    };
    let mut run: Option<(usize, i32, f64, f64)> = None;
    for sale in &f.sales {
        let m = month_of(sale.day);
        run = match run {
            Some((cust, month, a, q)) if cust == sale.customer && month == m => {
                Some((cust, month, a + sale.amount, q + sale.quantity))
            }
            prev => {
                if let Some(done) = prev {
                    flush(done);
                }
                Some((sale.customer, m, sale.amount, sale.quantity))
            }
        };
    }
    if let Some(done) = run {
        flush(done);
    }
    for (i, cust) in f.customers.iter().enumerate() {
        if let Some(m) = cust
            .new_on
            .map(month_of)
            .filter(|m| (first_m..=last_m).contains(m))
        {
            add(i, Metric::NewCustomers, m, 1.0);
        }
    }
    let mut out = BTreeMap::new();
    for (cell, months) in sums.into_iter().enumerate() {
        let (level, unit) = units.keys[cell / n_metrics];
        let metric = Metric::ALL[cell % n_metrics];
        for (i, v) in months.into_iter().flatten().enumerate() {
            let Some(v) = v else { continue };
            let key = Key {
                level,
                unit: unit.to_string(),
                metric,
                month: first_m + i as i32,
            };
            out.insert(key, from_fixed(v));
        }
    }
    out
}

/// One row of `attainment.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub key: Key,
    /// None only for volume when the transactions carry no quantity.
    pub actual: Option<f64>,
    pub target: Option<f64>,
    pub completion_rate: Option<f64>,
    pub ytd_actual: Option<f64>,
    pub ytd_target: Option<f64>,
    pub ytd_completion_rate: Option<f64>,
    pub actual_last_year: Option<f64>,
    pub yoy_change: Option<f64>,
}

/// actual / target, when the target is positive.
pub fn ratio(actual: Option<f64>, target: Option<f64>) -> Option<f64> {
    match (actual, target) {
        (Some(a), Some(t)) if t > 0.0 => Some(a / t),
        _ => None,
    }
}

/// The attainment rows from the [`actuals`] and targets, sorted by month, level, unit and
/// metric.
pub fn rows(f: &Facts, actual: &BTreeMap<Key, f64>, targets: &BTreeMap<Key, f64>) -> Vec<Row> {
    let Some((first, last)) = f.span else {
        return Vec::new();
    };
    let (first_m, last_m) = (month_of(first), month_of(last));
    let in_window = |k: &Key| (first_m..=last_m).contains(&k.month);
    let mut keys: Vec<&Key> = actual
        .keys()
        .chain(targets.keys().filter(|k| in_window(k)))
        .collect();
    keys.sort();
    keys.dedup();
    let value = |k: &Key| -> Option<f64> {
        if k.metric == Metric::Volume && !f.has_volume {
            return None;
        }
        Some(actual.get(k).copied().unwrap_or(0.0))
    };
    let mut out = Vec::with_capacity(keys.len());
    // running year-to-date sums of the current series and year
    let mut ytd: Option<Ytd> = None;
    for k in keys {
        let a = value(k);
        let t = targets.get(k).copied();
        let year = k.month.div_euclid(12);
        let (ya, yt) = match ytd {
            Some((l, u, m, y, ya, yt))
                if l == k.level && u == k.unit && m == k.metric && y == year =>
            {
                (add(ya, a), add(yt, t))
            }
            _ => (a, t),
        };
        ytd = Some((k.level, k.unit.as_str(), k.metric, year, ya, yt));
        let last_year = (k.month - 12 >= first_m).then(|| {
            value(&Key {
                month: k.month - 12,
                ..k.clone()
            })
        });
        let last_year = last_year.flatten();
        out.push(Row {
            key: k.clone(),
            actual: a,
            target: t,
            completion_rate: ratio(a, t),
            ytd_actual: ya,
            ytd_target: yt,
            ytd_completion_rate: ratio(ya, yt),
            actual_last_year: last_year,
            yoy_change: ratio(a, last_year).map(|r| r - 1.0),
        });
    }
    out.sort_by(|a, b| {
        (a.key.month, a.key.level, &a.key.unit, a.key.metric).cmp(&(
            b.key.month,
            b.key.level,
            &b.key.unit,
            b.key.metric,
        ))
    });
    out
}

/// Running year-to-date sums: (level, unit, metric, year) of the series and year, actual, target.
type Ytd<'a> = (Level, &'a str, Metric, i32, Option<f64>, Option<f64>);

/// Sum of two optional values, None only when both are.
fn add(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    match (a, b) {
        (None, None) => None,
        (a, b) => Some(a.unwrap_or(0.0) + b.unwrap_or(0.0)),
    }
}

/// The rows as the `attainment.csv` frame.
pub fn frame(rows: &[Row]) -> Result<DataFrame> {
    let opt = |name: &str, f: &dyn Fn(&Row) -> Option<f64>| {
        Column::new(
            name.into(),
            rows.iter().map(f).collect::<Vec<Option<f64>>>(),
        )
    };
    let text = |name: &str, f: &dyn Fn(&Row) -> String| {
        Column::new(name.into(), rows.iter().map(f).collect::<Vec<String>>())
    };
    Ok(DataFrame::new_infer_height(vec![
        text(c::PERIOD, &|r| month_label(r.key.month)),
        text(c::LEVEL, &|r| r.key.level.name().to_string()),
        text(c::UNIT, &|r| r.key.unit.clone()),
        text(c::METRIC, &|r| r.key.metric.name().to_string()),
        opt(c::ACTUAL, &|r| r.actual.map(tidy)),
        opt(c::TARGET, &|r| r.target.map(tidy)),
        opt(c::COMPLETION_RATE, &|r| r.completion_rate),
        opt(c::YTD_ACTUAL, &|r| r.ytd_actual.map(tidy)),
        opt(c::YTD_TARGET, &|r| r.ytd_target.map(tidy)),
        opt(c::YTD_COMPLETION_RATE, &|r| r.ytd_completion_rate),
        opt(c::ACTUAL_LAST_YEAR, &|r| r.actual_last_year.map(tidy)),
        opt(c::YOY_CHANGE, &|r| r.yoy_change),
    ])?)
}

#[cfg(test)]
#[path = "attainment_tests.rs"]
mod tests;
