//! Tests of `customers.rs` on hand-made rows.
use super::*;
use crate::report::i18n::{EN, ZH};

#[test]
fn concentration_curve_runs_from_zero_to_one_largest_first() {
    let c = concentration_curve(&[1.0, 3.0, -5.0, f64::NAN]);
    assert_eq!(
        c,
        [
            (0.0, 0.0),
            (0.25, 0.75),
            (0.5, 1.0),
            (0.75, 1.0),
            (1.0, 1.0)
        ]
    );
    assert!(concentration_curve(&[0.0, -1.0]).is_empty());
    let big: Vec<f64> = (0..10_000).map(f64::from).collect();
    let c = concentration_curve(&big);
    assert!(c.len() <= CURVE_POINTS + 1);
    assert_eq!(c.last(), Some(&(1.0, 1.0)));
}

#[test]
fn concentration_chart_names_the_measure() {
    let Chart::Lines(c) = concentration_chart(&[1.0], false, &EN) else {
        panic!("not lines")
    };
    assert!(c.title.contains("total revenue"));
    assert_eq!(c.lines[1].points, [(0.0, 0.0), (1.0, 1.0)]);
}

#[test]
fn segment_map_groups_by_segment_and_drops_non_positive_revenue() {
    let p = |s: &str, r: f64, m: f64| CustomerPoint {
        segment: s.into(),
        recency_days: r,
        monetary: m,
    };
    let pts = [
        p("A", 1.0, 10.0),
        p("B", 2.0, 20.0),
        p("A", 3.0, 0.0),
        p("A", 4.0, 40.0),
    ];
    let Chart::Scatter(c) = segment_map_chart(&pts, &EN) else {
        panic!("not scatter")
    };
    assert_eq!(
        c.groups,
        [
            ("A".into(), vec![(1.0, 10.0), (4.0, 40.0)]),
            ("B".into(), vec![(2.0, 20.0)])
        ]
    );
    let many: Vec<CustomerPoint> = (0..10_000)
        .map(|i| p("A", 1.0, f64::from(i) + 1.0))
        .collect();
    let Chart::Scatter(c) = segment_map_chart(&many, &EN) else {
        panic!("not scatter")
    };
    assert!(c.groups[0].1.len() <= MAP_POINTS);
}

#[test]
fn segment_profiles_two_series() {
    let rows = [SegmentProfile {
        name: "Loyal".into(),
        share_customers: 0.2,
        share_revenue: 0.6,
    }];
    let Chart::Bars(c) = segment_profiles_chart(&rows, &EN) else {
        panic!("not bars")
    };
    assert_eq!(c.series[0].values, [0.2]);
    assert_eq!(c.series[1].values, [0.6]);
}

#[test]
fn churn_counts_and_revenue_at_risk_per_level() {
    let r = |l: &str, v: f64| ChurnRisk {
        level: l.into(),
        revenue_at_risk: v,
    };
    let rows = [r("high", 100.0), r("low", 1.0), r("high", 50.0)];
    let Chart::Bars(c) = churn_risk_chart(&rows, &ZH) else {
        panic!("not bars")
    };
    assert_eq!(c.categories, ["低", "中", "高"]);
    assert_eq!(c.series[0].values, [1.0, 0.0, 2.0]);
    let Chart::Bars(c) = revenue_at_risk_chart(&rows, &EN) else {
        panic!("not bars")
    };
    assert_eq!(c.series[0].values, [1.0, 0.0, 150.0]);
}

#[test]
fn calibration_actual_and_predicted() {
    let rows = [
        CalibrationRow {
            frequency: "0".into(),
            actual_mean: 0.1,
            predicted_mean: 0.2,
        },
        CalibrationRow {
            frequency: "7+".into(),
            actual_mean: 5.0,
            predicted_mean: 4.5,
        },
    ];
    let Chart::Bars(c) = calibration_chart(&rows, &EN) else {
        panic!("not bars")
    };
    assert_eq!(c.categories, ["0", "7+"]);
    assert_eq!(c.series[0].values, [0.1, 5.0]);
    assert_eq!(c.series[1].values, [0.2, 4.5]);
}
