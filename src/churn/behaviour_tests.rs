//! Behavioural churn: no leakage from after a cutoff, labels from the horizon window only,
//! and the stage end to end on a small synthetic company.

use chrono::NaiveDate;
use polars::prelude::*;

use super::*;
use crate::churn::ChurnParams;
use crate::frame::f64_at;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("date")
}

fn tx(rows: &[(&str, NaiveDate, f64)]) -> Result<DataFrame> {
    Ok(df!(
        s::CUSTOMER_ID => rows.iter().map(|r| r.0).collect::<Vec<_>>(),
        s::DATE => rows.iter().map(|r| r.1).collect::<Vec<_>>(),
        s::AMOUNT => rows.iter().map(|r| r.2).collect::<Vec<_>>(),
    )?)
}

#[test]
fn features_at_a_cutoff_ignore_later_rows() -> Result<()> {
    let cutoff = d(2025, 6, 30);
    let before = [
        ("a", d(2024, 9, 1), 100.0),
        ("a", d(2025, 2, 1), 200.0),
        ("a", d(2025, 6, 1), 300.0),
        ("a", d(2025, 6, 10), -50.0),
        ("b", d(2025, 1, 15), 80.0),
    ];
    let mut all = before.to_vec();
    // later rows: new purchases, a large return and a new customer
    all.extend([
        ("a", d(2025, 7, 1), 9999.0),
        ("b", d(2025, 8, 1), -500.0),
        ("c", d(2025, 7, 2), 10.0),
    ]);
    let early = features_at(&tx(&before)?, cutoff, 365)?;
    let full = features_at(&tx(&all)?, cutoff, 365)?;
    assert!(early.equals_missing(&full), "{early}\n{full}");
    assert_eq!(full.height(), 2);
    // a: 3 purchases, last 2025-06-01 -> recency 29 days; returns 50 of 600 bought
    assert_eq!(f64_at(&full, s::RECENCY_DAYS, 0), Some(29.0));
    assert_eq!(f64_at(&full, PURCHASES_90D, 0), Some(1.0));
    assert_eq!(f64_at(&full, RETURNS_SHARE, 0), Some(50.0 / 600.0));
    // last 3 months 300 vs the 3 before 200: (300 - 200) / 500
    assert_eq!(f64_at(&full, TREND_3M, 0), Some(0.2));
    // mean purchase 250 in the last half-year against 100 in the one before: 150 / 350
    let change = f64_at(&full, ORDER_SIZE_CHANGE, 0).expect("a's order size change");
    assert!((change - 150.0 / 350.0).abs() < 1e-12, "{change}");
    // b bought in the last half-year only: 0, not blank
    assert_eq!(f64_at(&full, ORDER_SIZE_CHANGE, 1), Some(0.0));
    Ok(())
}

#[test]
fn inactive_customers_are_not_examples() -> Result<()> {
    let t = tx(&[("a", d(2023, 1, 1), 10.0), ("b", d(2025, 5, 1), 10.0)])?;
    let f = features_at(&t, d(2025, 6, 30), 365)?;
    assert_eq!(f.height(), 1);
    assert_eq!(f.column(s::CUSTOMER_ID)?.str()?.get(0), Some("b"));
    Ok(())
}

#[test]
fn labels_come_from_the_horizon_window_only() -> Result<()> {
    let t = tx(&[
        ("a", d(2025, 7, 15), 10.0),  // inside (cutoff, +90d]
        ("b", d(2025, 10, 15), 10.0), // after the window
        ("c", d(2025, 6, 30), 10.0),  // on the cutoff: not after it
        ("d", d(2025, 7, 20), -10.0), // a return is not a purchase
    ])?;
    let bought = bought_after(&t, d(2025, 6, 30), 90)?;
    assert!(bought.contains("a"));
    assert!(!bought.contains("b") && !bought.contains("c") && !bought.contains("d"));
    Ok(())
}

/// 300 customers over three years; a third stop buying at a random month.
fn synthetic() -> Result<(DataFrame, DataFrame)> {
    let mut rows = Vec::new();
    let start = d(2023, 1, 1);
    let mut state: u64 = 7;
    let mut next = || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 33) as f64 / (1u64 << 31) as f64
    };
    let ids: Vec<String> = (0..300).map(|i| format!("C{i:03}")).collect();
    for (i, id) in ids.iter().enumerate() {
        let gap = 10 + (i % 5) * 6; // days between purchases
        let stop = if i % 3 == 0 {
            200 + (next() * 800.0) as usize
        } else {
            2000
        };
        let mut day = (next() * 20.0) as usize;
        while day < 1095 && day < stop {
            rows.push((
                id.clone(),
                start + chrono::Duration::days(day as i64),
                100.0 + next() * 50.0,
            ));
            day += gap + (next() * gap as f64) as usize;
        }
    }
    let tx = df!(
        s::CUSTOMER_ID => rows.iter().map(|r| r.0.clone()).collect::<Vec<_>>(),
        s::DATE => rows.iter().map(|r| r.1).collect::<Vec<_>>(),
        s::AMOUNT => rows.iter().map(|r| r.2).collect::<Vec<_>>(),
    )?;
    let table = df!(
        s::CUSTOMER_ID => ids.clone(),
        s::CUSTOMER_TYPE => ids.iter().enumerate().map(|(i, _)| ["fleet", "company"][i % 2]).collect::<Vec<_>>(),
        s::REVENUE_LAST_12M => vec![1000.0; ids.len()],
    )?;
    Ok((tx, table))
}

#[test]
fn the_stage_trains_judges_out_of_time_and_scores() -> Result<()> {
    let (tx, table) = synthetic()?;
    let p = ChurnParams::default().check()?;
    let b = run(&tx, &table, d(2026, 1, 1), &p, 42)?;
    let r = &b.report;
    assert_eq!(r.cutoffs.len(), 6);
    assert_eq!(r.cutoffs[4].role, "evaluate");
    assert_eq!(r.cutoffs[4].cutoff, "2025-10-03");
    assert!(
        r.metrics.roc_auc > 0.8,
        "out-of-time AUC {}",
        r.metrics.roc_auc
    );
    assert_eq!(r.candidates.len(), 2);
    // revenue at risk = probability x last 12 months' revenue (no value model here)
    let p0 = b
        .scores
        .column(CHURN_PROBABILITY)?
        .f64()?
        .get(0)
        .unwrap_or(f64::NAN);
    let r0 = b
        .scores
        .column(REVENUE_AT_RISK)?
        .f64()?
        .get(0)
        .unwrap_or(f64::NAN);
    assert!((r0 - 1000.0 * p0).abs() < 1e-9);
    // the same inputs give the same scores
    let again = run(&tx, &table, d(2026, 1, 1), &p, 42)?;
    assert!(again.scores.equals_missing(&b.scores));
    Ok(())
}

#[test]
fn too_short_a_history_is_a_clear_error() -> Result<()> {
    let t = tx(&[("a", d(2025, 12, 1), 10.0), ("b", d(2025, 12, 2), 10.0)])?;
    let table = df!(s::CUSTOMER_ID => ["a", "b"], s::REVENUE_LAST_12M => [1.0, 1.0])?;
    let p = ChurnParams::default().check()?;
    let e = run(&t, &table, d(2026, 1, 1), &p, 1)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(e.contains("churn needs history"), "{e}");
    Ok(())
}

/// Regression (issue 12): revenue at risk was churn probability x expected_revenue_12m, which
/// already counts P(alive), so the customers most likely to leave showed the least at stake.
/// Now it is churn probability x revenue_if_stays: same history, same revenue_if_stays, so the
/// likelier churner carries more, and never more than revenue_if_stays.
#[test]
fn revenue_at_risk_is_a_share_of_revenue_if_stays() -> Result<()> {
    let scores = df!(
        s::CUSTOMER_ID => ["likely_gone", "likely_stays", "no_model"],
        CHURN_PROBABILITY => [0.9, 0.1, 0.5],
        CHURN_RISK => ["high", "low", "medium"],
        CHURN_DRIVERS[0] => [None::<&str>, None, None],
        CHURN_DRIVERS[1] => [None::<&str>, None, None],
        CHURN_DRIVERS[2] => [None::<&str>, None, None],
    )?;
    // the same history: the same revenue if they stay (the value model's, 50,000), though the
    // model's expected_revenue_12m would be small for one thought gone; the third has none
    let table = df!(
        s::CUSTOMER_ID => ["likely_gone", "likely_stays", "no_model"],
        s::REVENUE_LAST_12M => [40_000.0, 40_000.0, -300.0],
        REVENUE_IF_STAYS => [Some(50_000.0), Some(50_000.0), None],
    )?;
    let out = add_revenue_at_risk(scores, &table)?;
    let at = |i| f64_at(&out, REVENUE_AT_RISK, i).unwrap_or(f64::NAN);
    assert!((at(0) - 45_000.0).abs() < 1e-9, "{}", at(0));
    assert!((at(1) - 5_000.0).abs() < 1e-9, "{}", at(1));
    assert!(at(0) > at(1), "the likelier churner carries more");
    // no revenue_if_stays: the run rate, never below 0
    assert_eq!(at(2), 0.0);
    for i in 0..2 {
        assert!(at(i) <= 50_000.0);
    }
    Ok(())
}
