//! Unit tests of [`super`] on tiny inline inputs: the split, the seasonal basis, targets kept
//! as set, quarter and year targets spread by last year's shape, caps against last year.

use chrono::NaiveDate;

use super::*;
use crate::plan::params::{PlanParams, QuotaPeriod};
use crate::plan::quota_basis::span_label;
use crate::schema as s;

fn child(base: f64, potential: f64) -> Child {
    Child::new(base, potential, &unit_q())
}

fn unit_q() -> QuotaParams {
    QuotaParams {
        rounding_unit: 1.0,
        ..QuotaParams::default()
    }
}

fn settings() -> Settings {
    crate::track::TrackValid::default().forecast_settings()
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
}

/// One account per (district, station, manager) leaf.
fn accounts(leaves: &[(&str, &str, &str)]) -> (Vec<Account>, Vec<Leaf>) {
    let acc = leaves
        .iter()
        .enumerate()
        .map(|(i, (dd, st, m))| Account {
            id: format!("c{i}"),
            district: Some((*dd).into()),
            station: Some((*st).into()),
            manager: Some((*m).into()),
            ..Account::default()
        })
        .collect();
    let keys = leaves
        .iter()
        .map(|(dd, st, m)| ((*dd).into(), (*st).into(), (*m).into()))
        .collect();
    (acc, keys)
}

/// The quotas of a company whose history is 24 months of 2024-2025, as of 2025-12-31.
fn run(
    leaves: &[(&str, &str, &str)],
    f: impl Fn(&Leaf, i32) -> f64,
    targets: Option<&DataFrame>,
    pp: PlanParams,
) -> Result<Quotas> {
    let (acc, keys) = accounts(leaves);
    let history = History::from_fn(2024 * 12, 24, &keys, f);
    let p = pp.check()?;
    let inp = QuotaInputs {
        accounts: &acc,
        history: &history,
        targets,
        forecast: settings(),
    };
    quotas(
        &inp,
        &p,
        &Periods::around(d(2025, 12, 31), p.quotas.period.months()),
    )
}

fn col_f64(df: &DataFrame, c: &str) -> Result<Vec<Option<f64>>> {
    Ok(df.column(c)?.f64()?.iter().collect())
}

fn col_str(df: &DataFrame, c: &str) -> Result<Vec<String>> {
    Ok(df
        .column(c)?
        .str()?
        .iter()
        .map(|v| v.unwrap_or_default().to_string())
        .collect())
}

/// December twice January, every year: (month0 = 11) 200, January 100, other months 150.
fn seasonal(_: &Leaf, m: i32) -> f64 {
    match m.rem_euclid(12) {
        0 => 100_000.0,
        11 => 200_000.0,
        _ => 150_000.0,
    }
}

#[test]
fn split_follows_last_years_shares_within_bounds() -> Result<()> {
    let q = unit_q();
    // 1,000 split 7:3 by last year; the potential does not move it
    let got = split(1_000, &[child(700.0, 1.0), child(300.0, 9.0)], &q, "x")?;
    assert_eq!(got, [(700, Bound::None), (300, Bound::None)]);
    // a unit without last-year sales takes what the others cannot above +30%
    let got = split(1_000, &[child(500.0, 1.0), child(0.0, 1.0)], &q, "x")?;
    assert_eq!(got.iter().map(|g| g.0).collect::<Vec<_>>(), [650, 350]);
    assert_eq!(got[0].1, Bound::MaxIncrease);
    Ok(())
}

#[test]
fn largest_remainder_rounding() -> Result<()> {
    let q = QuotaParams {
        rounding_unit: 1.0,
        max_increase: 10.0,
        max_decrease: 1.0,
        ..QuotaParams::default()
    };
    let c = Child::new(1.0, 1.0, &q);
    let got = split(10, &[c.clone(), c.clone(), c], &q, "x")?;
    assert_eq!(got.iter().map(|g| g.0).collect::<Vec<_>>(), [4, 3, 3]);
    Ok(())
}

#[test]
fn bounds_that_cannot_reach_the_target_are_infeasible() {
    let q = unit_q();
    let e = split(
        2_000,
        &[child(500.0, 1.0), child(500.0, 1.0)],
        &q,
        "company",
    );
    let msg = e.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(
        msg.contains("plan.quotas.max_increase") && msg.contains("company"),
        "{msg}"
    );
    let e = split(100, &[child(500.0, 1.0)], &q, "company");
    let msg = e.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(msg.contains("plan.quotas.max_decrease"), "{msg}");
}

#[test]
fn january_quota_follows_last_january_not_december() -> Result<()> {
    // regression: the quota was December's 200,000 x 1.05 = 210,000
    let leaves = [("N", "N1", "Li"), ("S", "S1", "Ma")];
    let q = run(&leaves, seasonal, None, PlanParams::default())?;
    assert_eq!(q.basis, Basis::LastYear);
    assert_eq!(q.company, 210_000.0); // 2 leaves x 100,000 last January x 1.05
    let t = &q.table;
    assert!(col_str(t, BASIS)?.iter().all(|b| b == "last_year"));
    assert_eq!(col_f64(t, LAST_YEAR_SAME_PERIOD)?[0], Some(200_000.0));
    assert_eq!(col_f64(t, LAST_PERIOD_ACTUAL)?[0], Some(0.0)); // accounts carry none here
    assert_eq!(col_f64(t, QUOTA)?[1..3], [Some(105_000.0), Some(105_000.0)]);
    // the forecast of a repeating year is last January; the quota is 5% above it
    let o = q
        .outlook
        .ok_or(crate::Error::Internal("no forecast".into()))?;
    assert!((o.forecast - 200_000.0).abs() < 1.0, "{o:?}");
    let vs = col_f64(t, QUOTA_VS_FORECAST)?[0].unwrap_or_default();
    assert!((vs - 1.05).abs() < 1e-6, "{vs}");
    Ok(())
}

#[test]
fn the_forecast_basis_takes_kams_forecast_of_the_period() -> Result<()> {
    let mut pp = PlanParams::default();
    pp.quotas.basis = QuotaBasis::Forecast;
    // a growing seasonal company: +1,000 a month on top of the season
    let grow = |l: &Leaf, m: i32| seasonal(l, m) + 1_000.0 * f64::from(m - 2024 * 12);
    let q = run(&[("N", "N1", "Li")], grow, None, pp)?;
    let o = q
        .outlook
        .ok_or(crate::Error::Internal("no forecast".into()))?;
    assert_eq!(q.basis, Basis::Forecast);
    assert_eq!(q.company, (o.forecast / 1_000.0).round() * 1_000.0);
    // a 12-month holdout leaves 12 months to choose on: seasonal naive, last January
    assert!((o.forecast - 112_000.0).abs() < 1.0, "{o:?}");
    Ok(())
}

#[test]
fn management_targets_are_kept_and_the_rest_split_below_them() -> Result<()> {
    let targets = df![
        s::PERIOD => ["2026-01", "2026-01", "2026-01"],
        s::LEVEL => ["company", "district", "district"],
        s::UNIT => [None, Some("N"), Some("S")],
        s::METRIC => ["revenue", "revenue", "volume"],
        s::TARGET => [1_034_567.0, 500_000.0, 1.0],
    ]?;
    let leaves = [
        ("N", "N1", "Li"),
        ("N", "N2", "Wu"),
        ("S", "S1", "Ma"),
        ("S", "S2", "Zh"),
    ];
    let mut pp = PlanParams::default();
    pp.quotas.max_increase = 2.0; // S may carry what N's target leaves
    let q = run(&leaves, seasonal, Some(&targets), pp)?;
    let t = &q.table;
    let (units, basis, quota) = (col_str(t, UNIT)?, col_str(t, BASIS)?, col_f64(t, QUOTA)?);
    assert_eq!(q.company, 1_034_567.0, "kept as set, not rounded");
    assert_eq!(units[..3], ["company", "N", "S"]);
    assert_eq!(basis[..3], ["target_table", "target_table", "last_year"]);
    assert_eq!(quota[1], Some(500_000.0));
    assert_eq!(quota[2], Some(534_567.0), "S takes the rest");
    // stations split below their district's quota, summing exactly
    let sum = |par: &str| -> f64 {
        let parent = col_str(t, PARENT).unwrap_or_default();
        (0..t.height())
            .filter(|&i| parent[i] == par)
            .map(|i| quota[i].unwrap_or(0.0))
            .sum()
    };
    assert_eq!(sum("N"), 500_000.0);
    assert!((sum("S") - 534_567.0).abs() < 1e-6);
    assert!((sum("company") - 1_034_567.0).abs() < 1e-6);
    Ok(())
}

#[test]
fn children_with_targets_give_the_parent_their_sum() -> Result<()> {
    let targets = df![
        s::PERIOD => ["2026-01", "2026-01"],
        s::LEVEL => ["station", "station"],
        s::UNIT => ["N1", "N2"],
        s::METRIC => ["revenue", "revenue"],
        s::TARGET => [90_000.0, 130_000.0],
    ]?;
    let leaves = [("N", "N1", "Li"), ("N", "N2", "Wu"), ("S", "S1", "Ma")];
    let q = run(&leaves, seasonal, Some(&targets), PlanParams::default())?;
    let t = &q.table;
    assert_eq!(
        col_str(t, BASIS)?[..3],
        ["last_year", "target_table", "last_year"]
    );
    assert_eq!(col_f64(t, QUOTA)?[1], Some(220_000.0));
    Ok(())
}

#[test]
fn a_quarter_or_year_target_is_spread_by_last_years_months() -> Result<()> {
    // last year per leaf: January 100,000, February to November 150,000, December 200,000
    let targets = df![
        s::PERIOD => ["2026-Q1", "2026"],
        s::LEVEL => ["company", "district"],
        s::UNIT => [None, Some("S")],
        s::METRIC => ["revenue", "revenue"],
        s::TARGET => [800_000.0, 2_160_000.0],
    ]?;
    let leaves = [("N", "N1", "Li"), ("S", "S1", "Ma")];
    let mut pp = PlanParams::default();
    pp.quotas.max_decrease = 1.0; // N is left nothing
    let q = run(&leaves, seasonal, Some(&targets), pp.clone())?;
    let t = &q.table;
    assert_eq!(col_str(t, BASIS)?[..3], ["spread", "last_year", "spread"]);
    // company: 800,000 x 200,000 / 800,000 (two leaves' last first quarter)
    assert_eq!(q.company, 200_000.0);
    // S: 2,160,000 x 100,000 / 1,800,000 (its last year); N the rest
    assert_eq!(col_f64(t, QUOTA)?[2], Some(120_000.0));
    assert_eq!(col_f64(t, QUOTA)?[1], Some(80_000.0));
    // a quarterly quota reads the year target the same way
    pp.quotas.period = QuotaPeriod::Quarter;
    let q = run(&leaves, seasonal, Some(&targets), pp)?;
    assert_eq!(
        span_label(Span::next(&Periods::around(d(2025, 12, 31), 3))),
        "2026-Q1"
    );
    assert_eq!(
        col_str(&q.table, BASIS)?[..3],
        ["target_table", "last_year", "spread"]
    );
    // S: 2,160,000 x 400,000 (its last first quarter) / 1,800,000
    assert_eq!(col_f64(&q.table, QUOTA)?[2], Some(480_000.0));
    Ok(())
}

#[test]
fn caps_are_measured_against_the_same_period_last_year() -> Result<()> {
    // N sold 100,000 last January, S 300,000; S's target pushes N's rest to the cap
    let targets = df![
        s::PERIOD => ["2026-01", "2026-01"],
        s::LEVEL => ["company", "district"],
        s::UNIT => [None, Some("S")],
        s::METRIC => ["revenue", "revenue"],
        s::TARGET => [500_000.0, 300_000.0],
    ]?;
    let leaves = [("N", "N1", "Li"), ("S", "S1", "Ma")];
    let f = |l: &Leaf, m: i32| {
        if l.0 == "N" {
            seasonal(l, m)
        } else {
            3.0 * seasonal(l, m)
        }
    };
    let e = run(&leaves, f, Some(&targets), PlanParams::default());
    let msg = e.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(
        msg.contains("plan.quotas.max_increase") && msg.contains("130000"),
        "{msg}"
    );
    let targets = df![
        s::PERIOD => ["2026-01", "2026-01"],
        s::LEVEL => ["company", "district"],
        s::UNIT => [None, Some("S")],
        s::METRIC => ["revenue", "revenue"],
        s::TARGET => [430_000.0, 300_000.0],
    ]?;
    let q = run(&leaves, f, Some(&targets), PlanParams::default())?;
    let t = &q.table;
    assert_eq!(col_f64(t, QUOTA)?[1], Some(130_000.0)); // N: 100,000 + 30%
    assert_eq!(col_f64(t, LOWER_BOUND)?[1], Some(90_000.0));
    assert_eq!(col_f64(t, UPPER_BOUND)?[1], Some(130_000.0));
    Ok(())
}

#[test]
fn volume_quotas_by_quarter() -> Result<()> {
    let mut pp = PlanParams::default();
    pp.quotas.metric = QuotaMetric::Volume;
    pp.quotas.period = QuotaPeriod::Quarter;
    pp.quotas.rounding_unit = 10.0;
    let q = run(
        &[("N", "S1", "Li"), ("N", "S2", "Wu")],
        |_, _| 1_000.0,
        None,
        pp,
    )?;
    assert_eq!(q.company, 6_300.0); // 2 x 3 x 1,000 t x 1.05
    assert_eq!(col_str(&q.table, PERIOD)?[0], "2026-Q1");
    assert_eq!(col_str(&q.table, METRIC)?[0], "volume");
    Ok(())
}

#[test]
fn no_sales_a_year_ago_falls_back_to_the_forecast_with_a_note() -> Result<()> {
    let opened = |_: &Leaf, m: i32| if m >= 2025 * 12 + 6 { 500.0 } else { 0.0 };
    let q = run(&[("N", "S1", "Li")], opened, None, PlanParams::default())?;
    assert_eq!(q.basis, Basis::Forecast);
    assert!(
        q.notes.iter().any(|n| n.contains("last_year basis cannot")),
        "{:?}",
        q.notes
    );
    Ok(())
}
