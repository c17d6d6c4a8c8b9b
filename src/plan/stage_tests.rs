//! The plan stage on a tiny company: churn columns used when present, the targets table as
//! the company target, absent inputs skipped with notes, and row order never mattering.

use chrono::{Months, NaiveDate};
use polars::prelude::*;

use super::*;
use crate::error::Result;
use crate::features;
use crate::plan::params::PlanParams;
use crate::schema as s;
use crate::schema::TimeUnit;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
}

const AS_OF: fn() -> NaiveDate = || d(2026, 1, 1);

/// Five customers; "big" and "mix" buy 9,000 t every month, "con" is a construction firm,
/// "new" bought once, "pro" is a prospect with census potential only.
fn company() -> Result<(DataFrame, DataFrame, DataFrame, DataFrame)> {
    let customers = df![
        s::CUSTOMER_ID => ["big", "mix", "con", "new", "pro"],
        s::NAME => ["Big Dist", "Mix Co", "Build Co", "New Co", "Prospect Co"],
        s::CUSTOMER_TYPE => ["distributor", "ready_mix", "construction", "developer", "ready_mix"],
        s::DISTRICT => ["N", "N", "S", "S", "S"],
        s::STATION => ["N1", "N2", "S1", "S1", "S1"],
        s::ACCOUNT_MANAGER => ["Li", "Wu", "Ma", "Ma", "Ma"],
        s::CREDIT_GRADE => ["AA", "B", "AAA", "A", "C"],
        s::PAYMENT_TERMS => ["cash", "credit", "cash", "credit", "cash"],
        s::CREDIT_DAYS => [0i64, 60, 0, 30, 0],
        s::POTENTIAL_VOLUME => [120_000.0, 110_000.0, 50_000.0, 20_000.0, 40_000.0],
        s::VEHICLES => [10i64, 5, 0, 2, 30],
        s::SHARES_RESOURCES => [true, false, false, false, false],
    ]?;
    let (mut id, mut date, mut amount, mut qty) = (vec![], vec![], vec![], vec![]);
    for m in 0..24u32 {
        let day = d(2024, 1, 15)
            .checked_add_months(Months::new(m))
            .unwrap_or_default();
        for (c, t) in [("big", 9_000.0), ("mix", 8_000.0), ("con", 7_000.0)] {
            id.push(c);
            date.push(day);
            qty.push(t);
            amount.push(t * 400.0);
        }
    }
    id.push("new");
    date.push(d(2025, 12, 1));
    qty.push(30.0);
    amount.push(12_000.0);
    let epoch = d(1970, 1, 1);
    let days: Vec<i32> = date
        .iter()
        .map(|x| (*x - epoch).num_days() as i32)
        .collect();
    let tx = df![
        s::CUSTOMER_ID => id,
        s::DATE => days,
        s::AMOUNT => amount,
        s::QUANTITY => qty,
    ]?
    .lazy()
    .with_column(col(s::DATE).cast(DataType::Date))
    .collect()?;
    let deals = df![
        s::DEAL_ID => ["D1", "D2"],
        s::CUSTOMER_ID => ["big", "pro"],
        s::OWNER => ["Li", "Ma"],
        s::STAGE => ["negotiation", "lead"],
        s::INTENDED_AMOUNT => [250_000.0, 20_000.0],
    ]?
    .lazy()
    .with_columns([
        lit(d(2025, 6, 1)).alias(s::OPENED_ON),
        lit(d(2025, 10, 1)).alias(s::LAST_FOLLOW_UP),
    ])
    .collect()?;
    let targets = df![
        s::PERIOD => ["2026-01", "2026-01"],
        s::LEVEL => ["company", "district"],
        s::UNIT => ["company", "N"],
        s::METRIC => ["revenue", "revenue"],
        s::TARGET => [9_000_000.0, 6_300_000.0],
    ]?;
    Ok((customers, tx, deals, targets))
}

fn with_churn(table: DataFrame) -> Result<DataFrame> {
    Ok(table
        .lazy()
        .with_columns([
            when(col(s::CUSTOMER_ID).eq(lit("mix")))
                .then(lit("high"))
                .otherwise(lit("low"))
                .alias(data::CHURN_RISK),
            lit(0.5).alias(data::CHURN_PROBABILITY),
            lit(1_000.0).alias(data::REVENUE_AT_RISK),
        ])
        .collect()?)
}

fn run(
    customers: &DataFrame,
    tx: &DataFrame,
    deals: Option<&DataFrame>,
    targets: Option<&DataFrame>,
    churn: bool,
) -> Result<PlanOutputs> {
    let mut pp = PlanParams::default();
    pp.market_share.capacity = 600_000.0; // thresholds scale to 32,000 t / 20,000 t cash
    let p = pp.check()?;
    let table = features::customer_table(tx, Some(customers), AS_OF(), TimeUnit::Weeks)?;
    let keys = crate::key_accounts::KeyAccountValid::default();
    let (mut table, _) = crate::key_accounts::output::run(table, deals, &keys)?;
    if churn {
        table = with_churn(table)?;
    }
    plan(
        &PlanInputs {
            customers: Some(customers),
            transactions: Some(tx),
            targets,
            deals,
            table: &table,
            as_of: AS_OF(),
            key_tiers: keys.rules().iter().map(|r| r.name.clone()).collect(),
            key_min_deal: keys.min_deal,
            forecast: crate::track::TrackValid::default().forecast_settings(),
        },
        &p,
    )
}

fn strs(df: &DataFrame, c: &str) -> Result<Vec<String>> {
    Ok(df
        .column(c)?
        .str()?
        .iter()
        .map(|v| v.unwrap_or_default().to_string())
        .collect())
}

#[test]
fn churn_scores_feed_the_review_pack_and_market_share() -> Result<()> {
    let (customers, tx, deals, targets) = company()?;
    let out = run(&customers, &tx, Some(&deals), Some(&targets), true)?;
    let rp = out
        .review_pack
        .ok_or(crate::Error::Internal("no review pack".into()))?;
    let sections = strs(&rp, review::SECTION)?;
    assert!(
        sections.iter().any(|x| x == "high_churn_risk"),
        "{sections:?}"
    );
    let ms = out
        .market_share
        .ok_or(crate::Error::Internal("no market share".into()))?;
    let ids = strs(&ms, s::CUSTOMER_ID)?;
    let reasons = strs(&ms, market_share::REASON)?;
    let mix = ids.iter().position(|i| i == "mix").unwrap_or(usize::MAX);
    assert!(reasons[mix].contains("churn risk high"), "{}", reasons[mix]);
    assert_eq!(ids[0], "big");
    assert!(!out.notes.iter().any(|n| n.contains("no churn scores")));
    let esc = out
        .escalations
        .ok_or(crate::Error::Internal("no escalations".into()))?;
    assert_eq!(strs(&esc, s::DEAL_ID)?, ["D1"]);
    Ok(())
}

#[test]
fn targets_table_sets_the_company_quota() -> Result<()> {
    let (customers, tx, deals, targets) = company()?;
    let out = run(&customers, &tx, Some(&deals), Some(&targets), false)?;
    let q = out
        .quotas
        .ok_or(crate::Error::Internal("no quotas".into()))?;
    assert_eq!(
        strs(&q, quotas::BASIS)?[..3],
        ["target_table", "target_table", "last_year"]
    );
    assert_eq!(q.column(quotas::QUOTA)?.f64()?.get(0), Some(9_000_000.0));
    let without = run(&customers, &tx, Some(&deals), None, false)?;
    let q = without
        .quotas
        .ok_or(crate::Error::Internal("no quotas".into()))?;
    assert_eq!(strs(&q, quotas::BASIS)?[0], "last_year");
    Ok(())
}

#[test]
fn absent_deals_skip_escalations_with_a_note() -> Result<()> {
    let (customers, tx, _, _) = company()?;
    let out = run(&customers, &tx, None, None, false)?;
    assert!(out.escalations.is_none() && out.review_pack.is_none());
    assert!(out.key_accounts.is_some() && out.quotas.is_some());
    assert!(
        out.notes
            .iter()
            .any(|n| n.contains("escalations.csv not written"))
    );
    assert!(
        out.notes
            .iter()
            .any(|n| n.contains("review_pack.csv not written"))
    );
    Ok(())
}

#[test]
fn row_order_does_not_change_any_output() -> Result<()> {
    let (customers, tx, deals, targets) = company()?;
    let rev = |df: &DataFrame| df.reverse();
    let a = run(&customers, &tx, Some(&deals), Some(&targets), true)?;
    let b = run(
        &rev(&customers),
        &rev(&tx),
        Some(&rev(&deals)),
        Some(&rev(&targets)),
        true,
    )?;
    let (fa, fb) = (a.files(), b.files());
    assert_eq!(fa.len(), 7);
    assert_eq!(fa.len(), fb.len());
    for ((name, x), (_, y)) in fa.iter().zip(&fb) {
        assert!(
            x.equals_missing(y),
            "{name} depends on row order:\n{x}\n{y}"
        );
    }
    assert_eq!(a.notes, b.notes);
    Ok(())
}

#[test]
fn the_summary_warns_when_the_company_quota_is_outside_the_forecast_interval() {
    let o = Outlook {
        forecast: 100.0,
        lo: Some(90.0),
        hi: Some(110.0),
        method: "seasonal_naive",
    };
    assert_eq!(
        outlook_words(105.0, Some(&o)),
        "; forecast 100, interval 90 to 110"
    );
    assert!(outlook_words(120.0, Some(&o)).contains("WARNING"));
    assert!(outlook_words(80.0, Some(&o)).contains("WARNING"));
}
