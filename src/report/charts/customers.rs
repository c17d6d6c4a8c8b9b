//! Customer charts: segment map and profiles, value concentration, churn risk and revenue at
//! risk, holdout calibration of the CLV model.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{BarChart, BarSeries, Chart, Format, Line, LineChart, ScatterChart, draw};
use crate::error::Result;
use crate::report::i18n::{Texts, fill};

/// At most this many points on the segment map (every n-th customer beyond it), so the SVG
/// stays small on a million customers.
pub const MAP_POINTS: usize = 3000;
/// At most this many points on the concentration curve.
pub const CURVE_POINTS: usize = 200;

/// One customer on the segment map.
#[derive(Debug, Clone, PartialEq)]
pub struct CustomerPoint {
    pub segment: String,
    pub recency_days: f64,
    /// Total revenue (currency units).
    pub monetary: f64,
}

/// Recency against total revenue (log scale), one colour per segment in the order of
/// `points` (the caller lists customers by segment number); every n-th point beyond
/// [`MAP_POINTS`].
pub fn segment_map_chart(points: &[CustomerPoint], t: &Texts) -> Chart {
    let stride = points.len().div_ceil(MAP_POINTS).max(1);
    let mut groups: Vec<(String, Vec<(f64, f64)>)> = Vec::new();
    for p in points.iter().step_by(stride) {
        if !(p.recency_days.is_finite() && p.monetary.is_finite() && p.monetary > 0.0) {
            continue;
        }
        match groups.iter_mut().find(|g| g.0 == p.segment) {
            Some(g) => g.1.push((p.recency_days, p.monetary)),
            None => groups.push((p.segment.clone(), vec![(p.recency_days, p.monetary)])),
        }
    }
    Chart::Scatter(ScatterChart {
        title: t.segment_map_title.into(),
        x_label: t.recency_axis.into(),
        y_label: t.monetary_axis.into(),
        groups,
        log_y: true,
        x_format: Format::Thousands,
        y_format: Format::Thousands,
    })
}

/// Draw the segment map.
pub fn segment_map<DB: DrawingBackend>(
    points: &[CustomerPoint],
    t: &Texts,
    family: &str,
    area: &DrawingArea<DB, Shift>,
) -> Result<()> {
    draw(&segment_map_chart(points, t), family, area)
}

/// One row of `segments.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct SegmentProfile {
    pub name: String,
    pub share_customers: f64,
    pub share_revenue: f64,
}

/// Share of customers and share of revenue per segment, in the table's order.
pub fn segment_profiles_chart(rows: &[SegmentProfile], t: &Texts) -> Chart {
    Chart::Bars(BarChart {
        title: t.segment_profiles_title.into(),
        category_label: t.segment.into(),
        value_label: t.share_axis.into(),
        categories: rows.iter().map(|r| r.name.clone()).collect(),
        series: vec![
            BarSeries {
                name: t.share_customers.into(),
                values: rows.iter().map(|r| r.share_customers).collect(),
            },
            BarSeries {
                name: t.share_revenue.into(),
                values: rows.iter().map(|r| r.share_revenue).collect(),
            },
        ],
        stacked: false,
        horizontal: true,
        format: Format::Percent,
        reference: None,
    })
}

/// Draw the segment profiles.
pub fn segment_profiles<DB: DrawingBackend>(
    rows: &[SegmentProfile],
    t: &Texts,
    family: &str,
    area: &DrawingArea<DB, Shift>,
) -> Result<()> {
    draw(&segment_profiles_chart(rows, t), family, area)
}

/// Cumulative share of value held by the top x share of customers, largest first (negative
/// and missing values count as 0): (0, 0), ..., (1, 1). At most [`CURVE_POINTS`] + 1 points.
pub fn concentration_curve(values: &[f64]) -> Vec<(f64, f64)> {
    let mut v: Vec<f64> = values
        .iter()
        .map(|x| if x.is_finite() { x.max(0.0) } else { 0.0 })
        .collect();
    v.sort_by(|a, b| b.total_cmp(a));
    let total: f64 = v.iter().sum();
    let n = v.len();
    if n == 0 || total <= 0.0 {
        return vec![];
    }
    let step = n.div_ceil(CURVE_POINTS).max(1);
    let mut out = vec![(0.0, 0.0)];
    let mut cum = 0.0;
    for (i, x) in v.iter().enumerate() {
        cum += x;
        if (i + 1) % step == 0 || i + 1 == n {
            out.push(((i + 1) as f64 / n as f64, cum / total));
        }
    }
    out
}

/// The concentration curve of `values` (CLV, or total revenue when `measure_is_clv` is false)
/// against the equal-shares diagonal.
pub fn concentration_chart(values: &[f64], measure_is_clv: bool, t: &Texts) -> Chart {
    let measure = if measure_is_clv {
        t.clv
    } else {
        t.monetary_total
    };
    Chart::Lines(LineChart {
        title: fill(t.concentration_title, &[measure]),
        x_label: t.top_customers_axis.into(),
        y_label: t.cumulative_share_axis.into(),
        lines: vec![
            Line {
                name: t.lorenz.into(),
                points: concentration_curve(values),
                dashed: false,
            },
            Line {
                name: t.equal_share.into(),
                points: vec![(0.0, 0.0), (1.0, 1.0)],
                dashed: true,
            },
        ],
        bands: vec![],
        x_names: vec![],
        x_format: Format::Percent,
        y_format: Format::Percent,
    })
}

/// Draw the value concentration curve.
pub fn concentration<DB: DrawingBackend>(
    values: &[f64],
    measure_is_clv: bool,
    t: &Texts,
    family: &str,
    area: &DrawingArea<DB, Shift>,
) -> Result<()> {
    draw(
        &concentration_chart(values, measure_is_clv, t),
        family,
        area,
    )
}

/// One customer's churn risk level (`low`, `medium`, `high`) and revenue at risk.
#[derive(Debug, Clone, PartialEq)]
pub struct ChurnRisk {
    pub level: String,
    pub revenue_at_risk: f64,
}

/// Risk levels in display order: low, medium, high, then any other level alphabetically.
fn levels(rows: &[ChurnRisk]) -> Vec<String> {
    let mut out: Vec<String> = ["low", "medium", "high"].map(String::from).into();
    let mut other: Vec<String> = rows
        .iter()
        .map(|r| r.level.clone())
        .filter(|l| !out.contains(l))
        .collect();
    other.sort();
    other.dedup();
    out.extend(other);
    out
}

/// Customers per churn risk level.
pub fn churn_risk_chart(rows: &[ChurnRisk], t: &Texts) -> Chart {
    let lv = levels(rows);
    let counts = lv
        .iter()
        .map(|l| rows.iter().filter(|r| &r.level == l).count() as f64)
        .collect();
    Chart::Bars(BarChart {
        title: t.churn_title.into(),
        category_label: t.churn_risk.into(),
        value_label: t.customers_axis.into(),
        categories: lv.iter().map(|l| t.risk_level(l)).collect(),
        series: vec![BarSeries {
            name: t.customers.into(),
            values: counts,
        }],
        stacked: false,
        horizontal: false,
        format: Format::Thousands,
        reference: None,
    })
}

/// Revenue at risk (sum over customers) per churn risk level.
pub fn revenue_at_risk_chart(rows: &[ChurnRisk], t: &Texts) -> Chart {
    let lv = levels(rows);
    let sums = lv
        .iter()
        .map(|l| {
            rows.iter()
                .filter(|r| &r.level == l && r.revenue_at_risk.is_finite())
                .map(|r| r.revenue_at_risk)
                .sum()
        })
        .collect();
    Chart::Bars(BarChart {
        title: t.revenue_at_risk_title.into(),
        category_label: t.churn_risk.into(),
        value_label: t.revenue_at_risk_axis.into(),
        categories: lv.iter().map(|l| t.risk_level(l)).collect(),
        series: vec![BarSeries {
            name: t.revenue_at_risk.into(),
            values: sums,
        }],
        stacked: false,
        horizontal: false,
        format: Format::Thousands,
        reference: None,
    })
}

/// Draw the churn risk distribution.
pub fn churn_risk<DB: DrawingBackend>(
    rows: &[ChurnRisk],
    t: &Texts,
    family: &str,
    area: &DrawingArea<DB, Shift>,
) -> Result<()> {
    draw(&churn_risk_chart(rows, t), family, area)
}

/// Draw revenue at risk.
pub fn revenue_at_risk<DB: DrawingBackend>(
    rows: &[ChurnRisk],
    t: &Texts,
    family: &str,
    area: &DrawingArea<DB, Shift>,
) -> Result<()> {
    draw(&revenue_at_risk_chart(rows, t), family, area)
}

/// One row of `models/calibration_by_frequency.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct CalibrationRow {
    /// "0".."6", "7+".
    pub frequency: String,
    pub actual_mean: f64,
    pub predicted_mean: f64,
}

/// Actual vs predicted mean holdout purchases per calibration frequency, in table order.
pub fn calibration_chart(rows: &[CalibrationRow], t: &Texts) -> Chart {
    Chart::Bars(BarChart {
        title: t.calibration_title.into(),
        category_label: t.frequency_axis.into(),
        value_label: t.holdout_purchases_axis.into(),
        categories: rows.iter().map(|r| r.frequency.clone()).collect(),
        series: vec![
            BarSeries {
                name: t.actual.into(),
                values: rows.iter().map(|r| r.actual_mean).collect(),
            },
            BarSeries {
                name: t.predicted.into(),
                values: rows.iter().map(|r| r.predicted_mean).collect(),
            },
        ],
        stacked: false,
        horizontal: false,
        format: Format::Decimal,
        reference: None,
    })
}

/// Draw the holdout calibration.
pub fn calibration<DB: DrawingBackend>(
    rows: &[CalibrationRow],
    t: &Texts,
    family: &str,
    area: &DrawingArea<DB, Shift>,
) -> Result<()> {
    draw(&calibration_chart(rows, t), family, area)
}

#[cfg(test)]
#[path = "customers_tests.rs"]
mod tests;
