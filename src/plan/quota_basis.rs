//! Where a quota's number comes from before it is split: the targets management already set
//! (the targets table, a quarter or year target spread over months by last year's monthly
//! shape) and kam's seasonal forecast of the company for the period.
//!
//! ```text
//! target of a unit for the period  = its row for the period, else the sum of its rows for
//!                                    every month of the period            (target_table)
//! else its quarter or year target  x LY(unit, period) / LY(unit, quarter or year)  (spread)
//! forecast of the period           = sum of the monthly forecasts of its months, fitted on
//!                                    the whole months before it; interval = sum of the
//!                                    months' intervals (m x the monthly half-width)
//! ```
//! LY(unit, span) is the unit's actual over the same months a year earlier; when the unit
//! sold nothing over last year's quarter or year, the company's shape is used, and when the
//! company did not either, an equal share per month.

use std::collections::BTreeMap;

use polars::prelude::*;

use super::data::Periods;
use super::history::{month_index, sum_months};
use super::params::QuotaMetric;
use crate::error::Result;
use crate::forecast::{self, Settings};
use crate::frame;
use crate::schema as s;

/// Where a quota's number came from (the `basis` column).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis {
    /// `plan.quotas.company_target`.
    Config,
    /// The targets table's row(s) for the period, or the sum of the targets below.
    TargetTable,
    /// A quarter or year target of the table spread by last year's monthly shape.
    Spread,
    /// The same period last year x (1 + growth), or a share of the parent by it.
    LastYear,
    /// kam's forecast of the period, or a share of the parent by last year's same period.
    Forecast,
}

impl Basis {
    pub fn name(self) -> &'static str {
        match self {
            Basis::Config => "config",
            Basis::TargetTable => "target_table",
            Basis::Spread => "spread",
            Basis::LastYear => "last_year",
            Basis::Forecast => "forecast",
        }
    }
}

/// The quota period as months: its first month and its length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub first: i32,
    pub months: u32,
}

impl Span {
    pub fn next(periods: &Periods) -> Span {
        Span {
            first: month_index(periods.next_start),
            months: periods.months,
        }
    }

    /// The same months a year earlier.
    pub fn last_year(self) -> Span {
        Span {
            first: self.first - 12,
            ..self
        }
    }
}

/// A quarter index as `YYYY-Qn`, the year as `YYYY` (months: [`frame::month_label`]).
fn quarter_label(m: i32) -> String {
    format!("{}-Q{}", m.div_euclid(12), m.rem_euclid(12) / 3 + 1)
}
fn year_label(m: i32) -> String {
    format!("{}", m.div_euclid(12))
}

/// The label of a span: a month, a quarter or a year.
pub fn span_label(sp: Span) -> String {
    match sp.months {
        12 => year_label(sp.first),
        3 => quarter_label(sp.first),
        _ => frame::month_label(sp.first),
    }
}

/// The targets of one metric: (level, unit) → period label → target.
#[derive(Debug, Clone, Default)]
pub struct TargetBook(BTreeMap<(String, String), BTreeMap<String, f64>>);

impl TargetBook {
    /// The rows of `metric` (a company row's unit is `company`; other rows need a unit).
    pub fn new(targets: Option<&DataFrame>, metric: QuotaMetric) -> Result<TargetBook> {
        let mut book = BTreeMap::new();
        let Some(df) = targets else {
            return Ok(TargetBook(book));
        };
        let period = frame::strings(df, s::PERIOD)?;
        let level = frame::strings(df, s::LEVEL)?;
        let unit = frame::strings(df, s::UNIT)?;
        let met = frame::strings(df, s::METRIC)?;
        let value = frame::f64s(df, s::TARGET)?;
        for i in 0..df.height() {
            let (Some(p), Some(l), Some(v)) = (&period[i], &level[i], value[i]) else {
                continue;
            };
            if met[i].as_deref() != Some(metric.name()) {
                continue;
            }
            let u = match (l.as_str(), unit[i].as_deref().map(str::trim)) {
                ("company", _) => "company".to_string(),
                (_, Some(u)) if !u.is_empty() => u.to_string(),
                _ => continue,
            };
            *book
                .entry((l.clone(), u))
                .or_insert_with(BTreeMap::new)
                .entry(p.clone())
                .or_insert(0.0) += v;
        }
        Ok(TargetBook(book))
    }

    /// The unit's target for the span (see the module doc); `shapes` give actuals over a
    /// span (the unit's, then the company's), tried in order to spread a quarter or year
    /// target.
    pub fn target(
        &self,
        level: &str,
        unit: &str,
        sp: Span,
        shapes: &[&dyn Fn(Span) -> f64],
    ) -> Option<(f64, Basis)> {
        let rows = self.0.get(&(level.to_string(), unit.to_string()))?;
        if let Some(v) = rows.get(&span_label(sp)) {
            return Some((*v, Basis::TargetTable));
        }
        let parts: Vec<Option<&f64>> = match sp.months {
            12 => (0..4)
                .map(|q| rows.get(&quarter_label(sp.first + 3 * q)))
                .collect(),
            _ => (0..sp.months as i32)
                .map(|k| rows.get(&frame::month_label(sp.first + k)))
                .collect(),
        };
        let by_months: Option<Vec<Option<&f64>>> = (sp.months == 12).then(|| {
            (0..12)
                .map(|k| rows.get(&frame::month_label(sp.first + k)))
                .collect()
        });
        for p in [Some(parts), by_months].into_iter().flatten() {
            if p.iter().all(Option::is_some) {
                return Some((p.into_iter().flatten().sum(), Basis::TargetTable));
            }
        }
        // a quarter or year target around the period, spread by last year's shape
        let year = Span {
            first: sp.first - sp.first.rem_euclid(12),
            months: 12,
        };
        let quarter = Span {
            first: sp.first - sp.first.rem_euclid(3),
            months: 3,
        };
        let around = [quarter, year].into_iter().filter(|w| w.months > sp.months);
        for w in around {
            if let Some(v) = rows.get(&span_label(w)) {
                return Some((v * share(sp, w, shapes), Basis::Spread));
            }
        }
        None
    }
}

/// The period's share of the span `w` around it: last year's actual over the period / over
/// `w` by the first shape with sales over last year's `w`, else an equal share per month.
fn share(sp: Span, w: Span, shapes: &[&dyn Fn(Span) -> f64]) -> f64 {
    for shape in shapes {
        let whole = shape(w.last_year());
        if whole > 0.0 {
            return (shape(sp.last_year()) / whole).max(0.0);
        }
    }
    f64::from(sp.months) / f64::from(w.months)
}

/// A unit's actual over a span, from its monthly series starting at `first_month`.
pub fn actual(series: &[f64], first_month: i32, sp: Span) -> f64 {
    sum_months(series, first_month, sp.first, sp.months)
}

/// kam's forecast of the period for the company.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Outlook {
    pub forecast: f64,
    /// The interval: forecast ∓ the months' half-widths (None without a holdout).
    pub lo: Option<f64>,
    pub hi: Option<f64>,
    pub method: &'static str,
}

/// The forecast of `sp` from the company's monthly `series` (starting at `first_month`):
/// the series cut before the period, [`forecast::choose`] with the horizon reaching the
/// period's last month; None when there is less than a year of whole months.
pub fn outlook(series: &[f64], first_month: i32, sp: Span, p: &Settings) -> Option<Outlook> {
    let keep = usize::try_from(sp.first - first_month)
        .ok()?
        .min(series.len());
    let y = &series[..keep];
    let end = first_month + keep as i32; // the first month not in y
    let horizon = usize::try_from(sp.first + sp.months as i32 - end).ok()?;
    let settings = Settings {
        forecast_horizon: horizon,
        ..*p
    };
    let ch = forecast::choose(y, &settings)?;
    let skip = horizon - sp.months as usize;
    let f: f64 = ch.forecast.iter().skip(skip).sum();
    let w = ch.half_width.map(|w| w * f64::from(sp.months));
    Some(Outlook {
        forecast: f,
        lo: w.map(|w| f - w),
        hi: w.map(|w| f + w),
        method: ch.method.name(),
    })
}
