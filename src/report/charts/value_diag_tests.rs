use super::*;
use crate::report::i18n_value_diag::{EN, ZH};

fn cell(kind: &str, frequency: f64, recency: f64, value: f64) -> MatrixCell {
    MatrixCell {
        kind: kind.into(),
        frequency,
        recency,
        age: 39.0,
        horizon: 52.142857,
        unit: "weeks".into(),
        value,
    }
}

#[test]
fn matrix_puts_the_most_recent_row_on_top_and_each_value_in_its_cell() {
    let cells = [
        cell("p_alive", 0.0, 0.0, 1.0),
        cell("p_alive", 2.0, 0.0, 0.2),
        cell("p_alive", 0.0, 8.5, 1.0),
        cell("p_alive", 2.0, 8.5, 0.9),
        cell("expected_purchases", 0.0, 0.0, 0.3),
    ];
    let Some(Chart::Heat(h)) = matrix_chart(&cells, "p_alive", &EN) else {
        panic!("no heat map")
    };
    assert_eq!(h.columns, ["0", "2"]);
    assert_eq!(h.rows, ["8.5", "0"]);
    assert_eq!(h.values, [vec![1.0, 0.9], vec![1.0, 0.2]]);
    assert_eq!(h.format, Format::Percent);
    assert!(
        h.row_label.contains("weeks; customer age 39"),
        "{}",
        h.row_label
    );
    let Some(Chart::Heat(e)) = matrix_chart(&cells, "expected_purchases", &ZH) else {
        panic!("no expected-purchases map")
    };
    assert_eq!(e.title, "未来 52 周的预期购买次数（按频次与最近购买）");
    assert_eq!(e.values, [vec![0.3]]);
    assert!(matrix_chart(&cells, "other", &EN).is_none());
}

#[test]
fn tracking_marks_where_the_holdout_begins() {
    let week = |d: &str, holdout: bool, c: f64| TrackingWeek {
        week_end: d.into(),
        holdout,
        actual_cumulative: c,
        predicted_cumulative: c + 1.0,
        actual_weekly: 1.0,
        predicted_weekly: 2.0,
    };
    let weeks = [
        week("2025-01-04", false, 1.0),
        week("2025-01-11", false, 3.0),
        week("2025-01-18", true, 7.0),
    ];
    let Chart::Lines(c) = tracking_chart(&weeks, false, &EN) else {
        panic!("not lines")
    };
    assert_eq!(c.lines[0].points, [(0.0, 1.0), (1.0, 3.0), (2.0, 7.0)]);
    assert_eq!(c.lines[1].points[2], (2.0, 8.0));
    assert_eq!(c.lines[2].points, [(1.5, 0.0), (1.5, 8.0)]);
    assert!(c.lines[2].dashed);
    assert_eq!(c.x_names[2], "2025-01-18");
    let Chart::Lines(w) = tracking_chart(&weeks[..2], true, &EN) else {
        panic!("not lines")
    };
    assert_eq!(w.lines.len(), 2, "no holdout, no line");
    assert_eq!(w.lines[1].points, [(0.0, 2.0), (1.0, 2.0)]);
}

#[test]
fn histogram_sets_actual_beside_model() {
    let rows = [
        HistogramRow {
            frequency: "0".into(),
            actual: 10.0,
            model: 11.5,
        },
        HistogramRow {
            frequency: "7+".into(),
            actual: 3.0,
            model: 2.5,
        },
    ];
    let Chart::Bars(b) = histogram_chart(&rows, &EN) else {
        panic!("not bars")
    };
    assert_eq!(b.categories, ["0", "7+"]);
    assert_eq!(b.series[0].values, [10.0, 3.0]);
    assert_eq!(b.series[1].values, [11.5, 2.5]);
}
