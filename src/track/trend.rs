//! `trend.csv` and `models/forecast.json`: monthly revenue and volume of the company, each
//! district and each station over the complete months with sales (a last month still in
//! progress is left out, so it does not read as a slump), with growth against the same month
//! last year and the 3-month moving average, then a forecast of the next months with an
//! interval (see [`super::forecast`]).
//!
//! ```text
//! revenue_yoy_growth = revenue / revenue 12 months earlier - 1  (empty when that is <= 0)
//! revenue_ma3        = mean revenue of the month and the 2 before (actual rows)
//! revenue_lo, _hi    = forecast ∓ interval half-width           (forecast rows)
//! ```
//! Each series chooses its own method on its own holdout; volume is forecast with the
//! method chosen for revenue (seasonal naive when that cannot fit the volume series).

use std::collections::BTreeMap;

use polars::prelude::*;
use serde::Serialize;

use super::cols as c;
use super::facts::{Facts, Level, Units, month_end, month_label, month_of};
use super::forecast::{self, Candidate, Choice, Method, Smoothing};
use super::params::{ErrorMetric, TrackValid};
use crate::error::Result;
use crate::frame::{from_fixed, to_fixed};

/// Levels with a trend, in output order.
pub const LEVELS: [Level; 3] = [Level::Company, Level::District, Level::Station];

/// One unit's monthly series.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub level: Level,
    pub unit: String,
    /// Month index of the first value.
    pub first_month: i32,
    pub revenue: Vec<f64>,
    /// None when the transactions carry no quantity.
    pub volume: Option<Vec<f64>>,
}

/// The monthly series of every company, district and station unit over the complete months
/// (at most the last [`crate::frame::MAX_MONTHS`]).
pub fn series(f: &Facts) -> Vec<Series> {
    let Some((first, last)) = f.span else {
        return Vec::new();
    };
    let last_m = if month_end(month_of(last)) == last {
        month_of(last)
    } else {
        month_of(last) - 1
    };
    let (first_m, _) = crate::frame::month_window(month_of(first), last_m);
    if last_m < first_m {
        return Vec::new();
    }
    let n = (last_m - first_m + 1) as usize;
    // unit number -> (revenue by month, volume by month), for units with a sale in the
    // window; ordered by (level, unit) once at the end
    let units = Units::new(&f.customers, &LEVELS);
    let mut by_unit: Vec<Option<(Vec<i64>, Vec<i64>)>> = vec![None; units.keys.len()];
    for sale in &f.sales {
        let m = month_of(sale.day);
        if m > last_m || m < first_m {
            continue;
        }
        let i = (m - first_m) as usize;
        for u in units.of(sale.customer).iter().flatten() {
            let e = by_unit[*u as usize].get_or_insert_with(|| (vec![0; n], vec![0; n]));
            // fixed point: exact, order-independent sums
            e.0[i] += to_fixed(sale.amount);
            e.1[i] += to_fixed(sale.quantity);
        }
    }
    let sums: BTreeMap<_, _> = (units.keys.iter().zip(by_unit))
        .filter_map(|(k, s)| s.map(|s| (*k, s)))
        .collect();
    sums.into_iter()
        .map(|((level, unit), (revenue, volume))| Series {
            level,
            unit: unit.to_string(),
            first_month: first_m,
            revenue: revenue.into_iter().map(from_fixed).collect(),
            volume: f
                .has_volume
                .then(|| volume.into_iter().map(from_fixed).collect()),
        })
        .collect()
}

/// How one series was forecast, for `models/forecast.json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SeriesReport {
    pub level: &'static str,
    pub unit: String,
    pub method: Method,
    pub holdout_months: usize,
    pub beat_seasonal_naive: bool,
    pub interval_half_width: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub smoothing: Option<Smoothing>,
    pub candidates: Vec<Candidate>,
}

/// `models/forecast.json`: the company's chosen method at the top, every series below.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ForecastReport {
    /// The method chosen for company revenue.
    pub method: Option<Method>,
    /// Holdout errors of every candidate on company revenue, seasonal naive included.
    pub candidates: Vec<Candidate>,
    /// Whether the company's chosen method beat plain seasonal naive on the holdout.
    pub beat_seasonal_naive: bool,
    pub selection_metric: ErrorMetric,
    pub horizon_months: usize,
    pub holdout_months: usize,
    pub interval_level: f64,
    pub interval: &'static str,
    pub last_actual_month: Option<String>,
    pub series_total: usize,
    pub series_beating_seasonal_naive: usize,
    pub series: Vec<SeriesReport>,
}

fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

fn round_candidate(c: &Candidate) -> Candidate {
    Candidate {
        method: c.method,
        mape: c.mape.map(round6),
        smape: c.smape.map(round6),
    }
}

/// The trend frame and the forecast report; None when there is no complete month.
pub fn build(f: &Facts, p: &TrackValid) -> Result<Option<(DataFrame, ForecastReport)>> {
    let all = series(f);
    if all.is_empty() {
        return Ok(None);
    }
    let mut rows = Vec::new();
    let mut reports = Vec::new();
    let mut last_month = None;
    for s in &all {
        last_month = Some(month_label(s.first_month + s.revenue.len() as i32 - 1));
        let choice = forecast::choose(&s.revenue, &p.forecast_settings());
        series_rows(s, choice.as_ref(), p, &mut rows);
        if let Some(ch) = choice {
            reports.push(series_report(s, ch));
        }
    }
    let df = to_frame(&rows)?;
    Ok(Some((df, forecast_report(reports, last_month, p))))
}

/// One row of the trend table: a unit's month, actual or forecast.
struct TrendRow {
    level: &'static str,
    unit: String,
    month: String,
    kind: &'static str,
    revenue: f64,
    volume: Option<f64>,
    yoy: Option<f64>,
    ma3: Option<f64>,
    lo: Option<f64>,
    hi: Option<f64>,
    method: Option<&'static str>,
}

/// The rows of one series: its actual months, then the forecast months of the chosen method
/// (volume forecast with the same method, else seasonal naive).
fn series_rows(s: &Series, choice: Option<&Choice>, p: &TrackValid, rows: &mut Vec<TrendRow>) {
    let n = s.revenue.len();
    let vol_fc: Option<Vec<f64>> = match (choice, &s.volume) {
        (Some(ch), Some(v)) => forecast::fit(ch.method, v)
            .or_else(|| forecast::fit(Method::SeasonalNaive, v))
            .map(|m| m.predict(p.forecast_horizon)),
        _ => None,
    };
    // revenue, then forecast values appended, so growth can compare forecasts with actuals
    let mut rev = s.revenue.clone();
    if let Some(ch) = choice {
        rev.extend(&ch.forecast);
    }
    for (i, r) in rev.iter().enumerate() {
        let actual = i < n;
        let band = choice.and_then(|c| c.half_width).filter(|_| !actual);
        rows.push(TrendRow {
            level: s.level.name(),
            unit: s.unit.clone(),
            month: month_label(s.first_month + i as i32),
            kind: if actual { "actual" } else { "forecast" },
            revenue: *r,
            volume: if actual {
                s.volume.as_ref().map(|v| v[i])
            } else {
                vol_fc.as_ref().map(|v| v[i - n])
            },
            yoy: i
                .checked_sub(12)
                .map(|j| rev[j])
                .filter(|b| *b > 0.0)
                .map(|b| r / b - 1.0),
            ma3: (actual && i >= 2).then(|| (rev[i - 2] + rev[i - 1] + r) / 3.0),
            lo: band.map(|w| r - w),
            hi: band.map(|w| r + w),
            method: choice.filter(|_| !actual).map(|c| c.method.name()),
        });
    }
}

/// How one series was forecast, errors rounded to 6 decimals.
fn series_report(s: &Series, ch: Choice) -> SeriesReport {
    SeriesReport {
        level: s.level.name(),
        unit: s.unit.clone(),
        method: ch.method,
        holdout_months: ch.holdout_months,
        beat_seasonal_naive: ch.beat_seasonal_naive,
        interval_half_width: ch.half_width.map(round6),
        smoothing: ch.smoothing,
        candidates: ch.candidates.iter().map(round_candidate).collect(),
    }
}

/// The rows as the trend table.
fn to_frame(rows: &[TrendRow]) -> Result<DataFrame> {
    Ok(DataFrame::new_infer_height(vec![
        Column::new(
            c::LEVEL.into(),
            rows.iter().map(|r| r.level).collect::<Vec<_>>(),
        ),
        Column::new(
            c::UNIT.into(),
            rows.iter().map(|r| r.unit.clone()).collect::<Vec<_>>(),
        ),
        Column::new(
            c::MONTH.into(),
            rows.iter().map(|r| r.month.clone()).collect::<Vec<_>>(),
        ),
        Column::new(
            c::KIND.into(),
            rows.iter().map(|r| r.kind).collect::<Vec<_>>(),
        ),
        Column::new(
            c::REVENUE.into(),
            rows.iter().map(|r| r.revenue).collect::<Vec<_>>(),
        ),
        Column::new(
            c::VOLUME.into(),
            rows.iter().map(|r| r.volume).collect::<Vec<_>>(),
        ),
        Column::new(
            c::REVENUE_YOY_GROWTH.into(),
            rows.iter().map(|r| r.yoy).collect::<Vec<_>>(),
        ),
        Column::new(
            c::REVENUE_MA3.into(),
            rows.iter().map(|r| r.ma3).collect::<Vec<_>>(),
        ),
        Column::new(
            c::REVENUE_LO.into(),
            rows.iter().map(|r| r.lo).collect::<Vec<_>>(),
        ),
        Column::new(
            c::REVENUE_HI.into(),
            rows.iter().map(|r| r.hi).collect::<Vec<_>>(),
        ),
        Column::new(
            c::METHOD.into(),
            rows.iter().map(|r| r.method).collect::<Vec<_>>(),
        ),
    ])?)
}

/// `models/forecast.json` from the series reports, the company's on top.
fn forecast_report(
    reports: Vec<SeriesReport>,
    last_month: Option<String>,
    p: &TrackValid,
) -> ForecastReport {
    let company = reports.iter().find(|r| r.level == Level::Company.name());
    ForecastReport {
        method: company.map(|r| r.method),
        candidates: company.map(|r| r.candidates.clone()).unwrap_or_default(),
        beat_seasonal_naive: company.is_some_and(|r| r.beat_seasonal_naive),
        selection_metric: p.selection_metric,
        horizon_months: p.forecast_horizon,
        holdout_months: p.holdout_months,
        interval_level: p.interval_level,
        interval: "forecast +/- the interval_level quantile of the chosen method's absolute holdout errors",
        last_actual_month: last_month,
        series_total: reports.len(),
        series_beating_seasonal_naive: reports.iter().filter(|r| r.beat_seasonal_naive).count(),
        series: reports,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::track::facts::{CustomerFacts, DaySale, month_start};

    /// One customer of district N / station S buying 100 + month number on the 15th of 37
    /// months from January 2023; the 37th month (January 2026) is still in progress.
    fn facts() -> Facts {
        let start = 2023 * 12;
        let sales: Vec<DaySale> = (0..37)
            .map(|i| DaySale {
                customer: 0,
                day: month_start(start + i) + 14,
                amount: 100.0 + f64::from(i),
                quantity: 1.0,
            })
            .collect();
        let span = Some((sales[0].day, sales[36].day));
        Facts {
            customers: vec![CustomerFacts {
                id: "a".into(),
                district: Some("N".into()),
                station: Some("S".into()),
                ..Default::default()
            }],
            sales,
            has_volume: true,
            span,
        }
    }

    #[test]
    fn complete_months_then_forecasts_with_growth_average_and_interval() -> Result<()> {
        let f = facts();
        let s = series(&f);
        assert_eq!(s.len(), 3, "company, district, station");
        assert_eq!(s[0].revenue.len(), 36, "January 2026 is in progress");
        let (df, report) =
            build(&f, &TrackValid::default())?.ok_or(crate::Error::Internal("no trend".into()))?;
        assert_eq!(df.get_column_names(), c::TREND);
        assert_eq!(df.height(), 3 * (36 + 3));
        let num = |name: &str, row: usize| -> Result<Option<f64>> {
            Ok(df.column(name)?.f64()?.get(row))
        };
        let text = |name: &str, row: usize| -> Result<Option<String>> {
            Ok(df.column(name)?.str()?.get(row).map(String::from))
        };
        // row 12 is January 2024: 112 against 100 a year before
        assert_eq!(text(c::MONTH, 12)?.as_deref(), Some("2024-01"));
        let yoy = num(c::REVENUE_YOY_GROWTH, 12)?.unwrap_or_default();
        assert!((yoy - 0.12).abs() < 1e-12, "{yoy}");
        assert_eq!(num(c::REVENUE_MA3, 2)?, Some(101.0));
        assert_eq!(num(c::REVENUE_MA3, 1)?, None);
        assert_eq!(num(c::REVENUE_LO, 35)?, None);
        // the first forecast row: January 2026, a straight line continued
        assert_eq!(text(c::KIND, 36)?.as_deref(), Some("forecast"));
        assert_eq!(text(c::MONTH, 36)?.as_deref(), Some("2026-01"));
        let fc = num(c::REVENUE, 36)?.unwrap_or_default();
        assert!((fc - 136.0).abs() < 1.0, "{fc}");
        let (lo, hi) = (num(c::REVENUE_LO, 36)?, num(c::REVENUE_HI, 36)?);
        assert!(lo.zip(hi).is_some_and(|(l, h)| l <= fc && fc <= h));
        assert!(text(c::METHOD, 36)?.is_some());
        assert!(report.beat_seasonal_naive, "{report:?}");
        assert_eq!(report.series_total, 3);
        assert_eq!(report.last_actual_month.as_deref(), Some("2025-12"));
        Ok(())
    }
}
