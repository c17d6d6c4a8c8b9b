//! The purchase model's diagnostics, as analysts know them from lifetimes: the
//! frequency/recency matrices of expected purchases and of P(alive) (heat maps), the
//! calibration-period histogram (actual against model customers by repeat purchases), and the
//! holdout tracking (actual against predicted repeat purchases, cumulative and weekly), each
//! from its table under `models/`.

use super::{BarChart, BarSeries, Chart, Format, HeatChart, Line, LineChart};
use crate::report::i18n::fill;
use crate::report::i18n_value_diag::ValueDiagTexts;

/// One cell of `models/value_matrices.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct MatrixCell {
    pub kind: String,
    pub frequency: f64,
    pub recency: f64,
    pub age: f64,
    pub horizon: f64,
    pub unit: String,
    pub value: f64,
}

/// One row of `models/frequency_histogram.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct HistogramRow {
    pub frequency: String,
    pub actual: f64,
    pub model: f64,
}

/// One week of `models/holdout_tracking.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct TrackingWeek {
    pub week_end: String,
    pub holdout: bool,
    pub actual_cumulative: f64,
    pub predicted_cumulative: f64,
    pub actual_weekly: f64,
    pub predicted_weekly: f64,
}

/// A number as an axis name: whole numbers, and any from 10 up, without decimals; others
/// with one.
fn name(v: f64) -> String {
    match v.fract() == 0.0 || v.abs() >= 10.0 {
        true => format!("{v:.0}"),
        false => format!("{v:.1}"),
    }
}

/// The heat map of `kind` (`expected_purchases` or `p_alive`): frequencies across, recencies
/// down with the most recent at the top (so the top right holds the best customers); `None`
/// without its cells.
pub fn matrix_chart(cells: &[MatrixCell], kind: &str, t: &ValueDiagTexts) -> Option<Chart> {
    let cells: Vec<&MatrixCell> = cells.iter().filter(|c| c.kind == kind).collect();
    let first = cells.first()?;
    let mut fs: Vec<f64> = cells.iter().map(|c| c.frequency).collect();
    let mut rs: Vec<f64> = cells.iter().map(|c| c.recency).collect();
    for v in [&mut fs, &mut rs] {
        v.sort_by(f64::total_cmp);
        v.dedup();
    }
    rs.reverse();
    let at = |f: f64, r: f64| {
        (cells.iter())
            .find(|c| c.frequency == f && c.recency == r)
            .map_or(f64::NAN, |c| c.value)
    };
    let values = rs
        .iter()
        .map(|r| fs.iter().map(|f| at(*f, *r)).collect())
        .collect();
    let unit = match first.unit.as_str() {
        "days" => t.days,
        _ => t.weeks,
    };
    let (title, format) = match kind {
        "p_alive" => (t.p_alive_title.to_string(), Format::Percent),
        _ => (
            fill(t.expected_title, &[&name(first.horizon.round()), unit]),
            Format::Decimal,
        ),
    };
    Some(Chart::Heat(HeatChart {
        title,
        row_label: fill(t.recency_axis, &[unit, &name(first.age.round())]),
        column_label: t.frequency_axis.into(),
        rows: rs.iter().map(|r| name(*r)).collect(),
        columns: fs.iter().map(|f| name(*f)).collect(),
        values,
        format,
    }))
}

/// Customers by repeat purchases, actual beside the model's expectation.
pub fn histogram_chart(rows: &[HistogramRow], t: &ValueDiagTexts) -> Chart {
    Chart::Bars(BarChart {
        title: t.histogram_title.into(),
        category_label: t.repeat_axis.into(),
        value_label: t.customers_axis.into(),
        categories: rows.iter().map(|r| r.frequency.clone()).collect(),
        series: vec![
            BarSeries {
                name: t.actual.into(),
                values: rows.iter().map(|r| r.actual).collect(),
            },
            BarSeries {
                name: t.model.into(),
                values: rows.iter().map(|r| r.model).collect(),
            },
        ],
        stacked: false,
        horizontal: false,
        format: Format::Thousands,
        reference: None,
    })
}

/// Actual against predicted repeat purchases week by week (`weekly`) or cumulated, with a
/// dashed vertical line where the calibration period ends and the holdout begins.
pub fn tracking_chart(weeks: &[TrackingWeek], weekly: bool, t: &ValueDiagTexts) -> Chart {
    let series = |f: fn(&TrackingWeek) -> f64| -> Vec<(f64, f64)> {
        (weeks.iter().enumerate())
            .map(|(i, w)| (i as f64, f(w)))
            .collect()
    };
    let (actual, predicted, title) = match weekly {
        true => (
            series(|w| w.actual_weekly),
            series(|w| w.predicted_weekly),
            t.weekly_title,
        ),
        false => (
            series(|w| w.actual_cumulative),
            series(|w| w.predicted_cumulative),
            t.cumulative_title,
        ),
    };
    let top = (actual.iter().chain(&predicted))
        .map(|p| p.1)
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max);
    let mut lines = vec![
        Line {
            name: t.actual.into(),
            points: actual,
            dashed: false,
        },
        Line {
            name: t.model.into(),
            points: predicted,
            dashed: false,
        },
    ];
    if let Some(first) = weeks.iter().position(|w| w.holdout).filter(|i| *i > 0) {
        let x = first as f64 - 0.5;
        lines.push(Line {
            name: t.calibration_end.into(),
            points: vec![(x, 0.0), (x, top)],
            dashed: true,
        });
    }
    Chart::Lines(LineChart {
        title: title.into(),
        x_label: t.week_axis.into(),
        y_label: t.purchases_axis.into(),
        lines,
        bands: Vec::new(),
        x_names: weeks.iter().map(|w| w.week_end.clone()).collect(),
        x_format: Format::Thousands,
        y_format: Format::Thousands,
    })
}

#[cfg(test)]
#[path = "value_diag_tests.rs"]
mod tests;
