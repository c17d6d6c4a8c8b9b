//! Unit tests of [`super`] on tiny inline inputs.

use super::*;
use crate::plan::params::PlanParams;

pub(crate) fn acc(id: &str, ty: &str, grade: &str, terms: &str, volume: f64) -> Account {
    Account {
        id: id.into(),
        customer_type: Some(ty.into()),
        grade: Some(grade.into()),
        terms: Some(terms.into()),
        credit_days: Some(if terms == "credit" { 60.0 } else { 0.0 }),
        volume_12m: volume,
        volume_prev_12m: volume,
        active_months: 12,
        avg_price: Some(400.0),
        revenue_12m: volume * 400.0,
        ..Account::default()
    }
}

#[test]
fn allocation_stops_at_the_caps() {
    let got = allocate(&[50, 200, 80, 30], 100, 200);
    assert_eq!(
        got,
        [
            (50, Binding::Demand),
            (100, Binding::CustomerCap),
            (50, Binding::TotalCap),
            (0, Binding::TotalCap)
        ]
    );
}

#[test]
fn eligibility_names_every_failed_rule() -> Result<()> {
    let p = PlanParams::default().check()?;
    assert!(reasons(&acc("a", "ready_mix", "AA", "cash", 60_000.0), &p).is_empty());
    assert_eq!(
        reasons(&acc("b", "ready_mix", "AA", "credit", 60_000.0), &p),
        ["volume 60000 in the last 12 months below 80000"]
    );
    let r = reasons(&acc("c", "construction", "C", "cash", 90_000.0), &p);
    assert_eq!(r, ["excluded type construction", "credit grade C below B"]);
    let mut d = acc("d", "developer", "A", "credit", 90_000.0);
    d.credit_days = Some(120.0);
    d.active_months = 3;
    d.churn_risk = Some("high".into());
    let r = reasons(&d, &p);
    assert_eq!(r.len(), 3, "{r:?}");
    Ok(())
}

#[test]
fn small_plants_scale_the_volume_threshold() -> Result<()> {
    let mut pp = PlanParams::default();
    pp.market_share.capacity = 750_000.0;
    let p = pp.check()?;
    assert!(reasons(&acc("a", "developer", "A", "credit", 40_000.0), &p).is_empty());
    Ok(())
}

#[test]
fn ranked_allocated_and_limited() -> Result<()> {
    let mut pp = PlanParams::default();
    pp.market_share.capacity = 1_000_000.0;
    let p = pp.check()?;
    let accounts = vec![
        acc("a", "ready_mix", "AAA", "cash", 150_000.0),
        acc("b", "developer", "A", "credit", 90_000.0),
        acc("c", "distributor", "B", "prepay", 120_000.0),
        acc("d", "hydropower", "AAA", "cash", 500_000.0),
    ];
    let (df, sum) = market_share(&accounts, &p)?;
    let ids: Vec<Option<&str>> = df.column(s::CUSTOMER_ID)?.str()?.iter().collect();
    assert_eq!(ids, [Some("a"), Some("c"), Some("b"), Some("d")]);
    let alloc: Vec<Option<f64>> = df.column(ALLOCATION)?.f64()?.iter().collect();
    // per-customer cap 100,000; total cap 300,000
    assert_eq!(
        alloc,
        [Some(100_000.0), Some(100_000.0), Some(90_000.0), Some(0.0)]
    );
    let bind: Vec<Option<&str>> = df.column(BINDING_CONSTRAINT)?.str()?.iter().collect();
    assert_eq!(
        bind,
        [
            Some("customer_cap"),
            Some("customer_cap"),
            Some("demand"),
            Some("not_eligible")
        ]
    );
    assert_eq!(sum.selected, 3);
    assert!(sum.notes.is_empty(), "{:?}", sum.notes);
    // price floor: 400 x (1 - 0.05 - 0.01); credit customer b: 1 month of revenue, 45 days
    let floor: Vec<Option<f64>> = df.column(PRICE_FLOOR)?.f64()?.iter().collect();
    assert!((floor[0].unwrap_or(0.0) - 376.0).abs() < 1e-9);
    let credit: Vec<Option<f64>> = df.column(MAX_ROLLING_CREDIT)?.f64()?.iter().collect();
    assert_eq!(credit[2], Some(90_000.0 * 400.0 / 12.0));
    assert_eq!(credit[0], Some(0.0));
    let days: Vec<Option<u32>> = df.column(MAX_PAYMENT_DAYS)?.u32()?.iter().collect();
    assert_eq!(days, [Some(0), Some(0), Some(45), None]);
    Ok(())
}

#[test]
fn shortfall_is_reported() -> Result<()> {
    let p = PlanParams::default().check()?;
    let (_, sum) = market_share(&[acc("a", "ready_mix", "AA", "cash", 100_000.0)], &p)?;
    assert_eq!(sum.notes.len(), 1);
    assert!(
        sum.notes[0].contains("short of cap_share_min"),
        "{:?}",
        sum.notes
    );
    Ok(())
}
