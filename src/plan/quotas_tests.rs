//! Unit tests of [`super`] on tiny inline inputs.

use super::*;
use crate::plan::params::PlanParams;

fn child(last: f64, potential: f64) -> Child {
    Child::new(last, potential, &unit_q())
}

fn unit_q() -> QuotaParams {
    QuotaParams {
        rounding_unit: 1.0,
        ..QuotaParams::default()
    }
}

#[test]
fn split_is_proportional_exact_and_bounded() -> Result<()> {
    let q = QuotaParams {
        rounding_unit: 1.0,
        ..QuotaParams::default()
    };
    // 1,000 split 3:1 within +30% / -10% of 500 each: 650 / 350 would break 450 lower
    let got = split(1_000, &[child(500.0, 3.0), child(500.0, 1.0)], &q, "x")?;
    assert_eq!(got, [(550, Bound::None), (450, Bound::MaxDecrease)]);
    let got = split(1_000, &[child(400.0, 1.0), child(600.0, 1.0)], &q, "x")?;
    assert_eq!(got.iter().map(|g| g.0).sum::<i64>(), 1_000);
    assert_eq!(got, [(460, Bound::None), (540, Bound::MaxDecrease)]);
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
    let q = QuotaParams {
        rounding_unit: 1.0,
        ..QuotaParams::default()
    };
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
fn units_without_history_have_no_upper_bound() -> Result<()> {
    let q = QuotaParams {
        rounding_unit: 1.0,
        ..QuotaParams::default()
    };
    let got = split(1_000, &[child(500.0, 1.0), child(0.0, 1.0)], &q, "x")?;
    assert_eq!(got.iter().map(|g| g.0).collect::<Vec<_>>(), [500, 500]);
    Ok(())
}

#[test]
fn tiny_sales_do_not_make_the_growth_target_infeasible() -> Result<()> {
    // regression: 200 + 300 of sales x 1.05 rounds to 1 unit of 1,000, while each
    // station's lower bound rounds up to 1 unit; the derived target is clamped instead
    let p = PlanParams::default().check()?;
    let acc = |id: &str, st: &str, last: f64| Account {
        id: id.into(),
        station: Some(st.into()),
        last_revenue: last,
        ..Account::default()
    };
    let accounts = [acc("a", "S1", 200.0), acc("b", "S2", 300.0)];
    let as_of = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default();
    let df = quotas(
        &accounts,
        &p,
        &Periods::around(as_of, 1),
        TargetSource::Growth,
    )?;
    let q: Vec<Option<f64>> = df.column(QUOTA)?.f64()?.iter().collect();
    assert_eq!(q[0], Some(2_000.0));
    Ok(())
}

#[test]
fn hierarchy_sums_exactly() -> Result<()> {
    let p = PlanParams::default().check()?;
    let acc = |id: &str, d: &str, st: &str, m: &str, last: f64| Account {
        id: id.into(),
        district: Some(d.into()),
        station: Some(st.into()),
        manager: Some(m.into()),
        revenue_12m: last * 12.0,
        last_revenue: last,
        ..Account::default()
    };
    let accounts = vec![
        acc("a", "N", "N1", "Li", 100_000.0),
        acc("b", "N", "N1", "Wu", 50_000.0),
        acc("c", "N", "N2", "Ma", 70_000.0),
        acc("d", "S", "S1", "Zh", 30_000.0),
    ];
    let as_of = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default();
    let df = quotas(
        &accounts,
        &p,
        &Periods::around(as_of, 1),
        TargetSource::Growth,
    )?;
    assert_eq!(df.height(), 1 + 2 + 3 + 4);
    let q: Vec<Option<f64>> = df.column(QUOTA)?.f64()?.iter().collect();
    assert_eq!(q[0], Some(263_000.0)); // 250,000 x 1.05 = 262,500, rounded to 1,000
    assert_eq!(q[1].unwrap_or(0.0) + q[2].unwrap_or(0.0), 263_000.0);
    let period: Vec<Option<&str>> = df.column(PERIOD)?.str()?.iter().collect();
    assert_eq!(period[0], Some("2026-01"));
    Ok(())
}

#[test]
fn volume_quotas_by_quarter() -> Result<()> {
    let mut pp = PlanParams::default();
    pp.quotas.metric = QuotaMetric::Volume;
    pp.quotas.period = crate::plan::params::QuotaPeriod::Quarter;
    pp.quotas.rounding_unit = 10.0;
    let p = pp.check()?;
    let acc = |id: &str, st: &str, last: f64| Account {
        id: id.into(),
        station: Some(st.into()),
        volume_12m: last * 4.0,
        last_volume: last,
        last_revenue: last * 400.0,
        ..Account::default()
    };
    let accounts = [acc("a", "S1", 1_000.0), acc("b", "S2", 3_000.0)];
    let as_of = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default();
    let df = quotas(
        &accounts,
        &p,
        &Periods::around(as_of, 3),
        TargetSource::Growth,
    )?;
    let q: Vec<Option<f64>> = df.column(QUOTA)?.f64()?.iter().collect();
    assert_eq!(q[0], Some(4_200.0)); // 4,000 t x 1.05
    let period: Vec<Option<&str>> = df.column(PERIOD)?.str()?.iter().collect();
    assert_eq!(period[0], Some("2026-Q1"));
    let metric: Vec<Option<&str>> = df.column(METRIC)?.str()?.iter().collect();
    assert_eq!(metric[0], Some("volume"));
    Ok(())
}

#[test]
fn targets_table_needs_every_month_of_the_period() -> Result<()> {
    let targets = df![
        s::PERIOD => ["2026-01", "2026-02", "2026-01"],
        s::LEVEL => ["company", "company", "district"],
        s::METRIC => ["revenue", "revenue", "revenue"],
        s::TARGET => [100.0, 200.0, 50.0],
    ]?;
    let as_of = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default();
    let month = target_from_table(&targets, &Periods::around(as_of, 1), QuotaMetric::Revenue)?;
    assert_eq!(month, Some(100.0));
    let quarter = target_from_table(&targets, &Periods::around(as_of, 3), QuotaMetric::Revenue)?;
    assert_eq!(quarter, None); // March is missing
    let volume = target_from_table(&targets, &Periods::around(as_of, 1), QuotaMetric::Volume)?;
    assert_eq!(volume, None);
    Ok(())
}
