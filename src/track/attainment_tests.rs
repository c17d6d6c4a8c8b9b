//! Attainment on hand-made targets and sales: a unit with no sales, a target of zero, a month
//! with no target, sales with no target, year-to-date across a year end, last year's month.

use chrono::NaiveDate;
use polars::prelude::*;

use super::*;
use crate::error::Error;
use crate::track::facts::gather;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
}

/// Two stations in district North; customer c (station East) buys in 2024-12 and 2025-12,
/// customer e (no station) in 2025-01. Station West has targets but no sales.
fn facts() -> Result<Facts> {
    let tx = df!(
        s::CUSTOMER_ID => ["c", "c", "c", "e"],
        s::DATE => [d(2024, 12, 3), d(2025, 1, 10), d(2025, 12, 5), d(2025, 1, 20)],
        s::AMOUNT => [100.0, 12_000.0, 150.0, 40.0],
        s::QUANTITY => [1.0, 20.0, 1.5, 0.5],
    )?;
    let cust = df!(
        s::CUSTOMER_ID => ["c", "e", "w"],
        s::DISTRICT => [Some("North"), None, Some("North")],
        s::STATION => [Some("East"), None, Some("West")],
        s::ACQUIRED_ON => [Some(d(2024, 12, 1)), None, None],
        s::FIRST_PURCHASE => [Some(d(2024, 12, 3)), Some(d(2025, 1, 20)), None],
        s::columns::KEY_ACCOUNT_TIER => [Some("key"), None, None],
    )?;
    gather(&tx, &cust, d(2026, 1, 1))
}

fn targets_frame() -> Result<DataFrame> {
    Ok(df!(
        s::PERIOD => ["2024-12", "2025-01", "2025-12", "2025-01", "2025-12", "2025-01", "2026-03"],
        s::LEVEL => ["station", "station", "station", "station", "company", "company", "company"],
        s::UNIT => [Some("East"), Some("East"), Some("West"), Some("West"), None, Some("company"), None],
        s::METRIC => ["revenue", "revenue", "revenue", "revenue", "revenue", "revenue", "revenue"],
        s::TARGET => [200.0, 0.0, 500.0, 100.0, 300.0, 10_000.0, 9.0],
    )?)
}

fn find<'a>(
    rows: &'a [Row],
    month: &str,
    level: Level,
    unit: &str,
    metric: Metric,
) -> Option<&'a Row> {
    rows.iter().find(|r| {
        month_label(r.key.month) == month
            && r.key.level == level
            && r.key.unit == unit
            && r.key.metric == metric
    })
}

#[test]
fn units_with_targets_and_no_sales_show_zero_completion() -> Result<()> {
    let f = facts()?;
    let rows = rows(&f, &actuals(&f), &targets(Some(&targets_frame()?))?);
    let west = find(&rows, "2025-12", Level::Station, "West", Metric::Revenue)
        .ok_or(Error::Internal("West".into()))?;
    assert_eq!(west.actual, Some(0.0));
    assert_eq!(west.target, Some(500.0));
    assert_eq!(west.completion_rate, Some(0.0));
    Ok(())
}

#[test]
fn a_target_of_zero_leaves_completion_empty() -> Result<()> {
    let f = facts()?;
    let rows = rows(&f, &actuals(&f), &targets(Some(&targets_frame()?))?);
    let east = find(&rows, "2025-01", Level::Station, "East", Metric::Revenue)
        .ok_or(Error::Internal("East".into()))?;
    assert_eq!(
        (east.actual, east.target, east.completion_rate),
        (Some(12_000.0), Some(0.0), None)
    );
    Ok(())
}

#[test]
fn a_month_without_target_keeps_its_sales() -> Result<()> {
    let f = facts()?;
    let rows = rows(&f, &actuals(&f), &targets(Some(&targets_frame()?))?);
    // East has no target in 2025-12 but sold 150
    let east = find(&rows, "2025-12", Level::Station, "East", Metric::Revenue)
        .ok_or(Error::Internal("East".into()))?;
    assert_eq!(
        (east.actual, east.target, east.completion_rate),
        (Some(150.0), None, None)
    );
    // year to date: 12,000 + 150 against the 0 target of January: no ratio
    assert_eq!(
        (east.ytd_actual, east.ytd_target, east.ytd_completion_rate),
        (Some(12_150.0), Some(0.0), None)
    );
    // same month last year: 100, so +50%
    assert_eq!(east.actual_last_year, Some(100.0));
    assert_eq!(east.yoy_change, Some(0.5));
    // the district had no target at all: actual only
    let north = find(&rows, "2025-12", Level::District, "North", Metric::Revenue)
        .ok_or(Error::Internal("North".into()))?;
    assert_eq!((north.actual, north.target), (Some(150.0), None));
    Ok(())
}

#[test]
fn company_targets_with_blank_unit_and_ytd_restarts_in_january() -> Result<()> {
    let f = facts()?;
    let rows = rows(&f, &actuals(&f), &targets(Some(&targets_frame()?))?);
    let jan = find(&rows, "2025-01", Level::Company, COMPANY, Metric::Revenue)
        .ok_or(Error::Internal("jan".into()))?;
    // 12,000 + 40 (e has no station but counts for the company); 2024-12 is another year
    assert_eq!(jan.actual, Some(12_040.0));
    assert_eq!(jan.ytd_actual, Some(12_040.0));
    assert_eq!(jan.completion_rate, Some(1.204));
    // no month a year earlier in the data: last year is empty, not zero
    assert_eq!(jan.actual_last_year, None);
    let dec = find(&rows, "2025-12", Level::Company, COMPANY, Metric::Revenue)
        .ok_or(Error::Internal("dec".into()))?;
    assert_eq!(dec.ytd_actual, Some(12_190.0));
    assert_eq!(dec.ytd_target, Some(10_300.0));
    // a target after the last month with sales is not reported
    assert!(rows.iter().all(|r| month_label(r.key.month) != "2026-03"));
    Ok(())
}

#[test]
fn counts_new_customers_and_key_accounts() -> Result<()> {
    let f = facts()?;
    let rows = rows(&f, &actuals(&f), &BTreeMap::new());
    let get =
        |m: &str, metric| find(&rows, m, Level::Company, COMPANY, metric).and_then(|r| r.actual);
    // c was acquired in 2024-12; e (not acquired) is new in the month of its first purchase
    assert_eq!(get("2024-12", Metric::NewCustomers), Some(1.0));
    assert_eq!(get("2025-01", Metric::NewCustomers), Some(1.0));
    // c is a key account (its tier is set): active in every month it buys, whatever the
    // size of that month's orders; e bought but is not a key account
    assert_eq!(get("2024-12", Metric::KeyAccounts), Some(1.0));
    assert_eq!(get("2025-01", Metric::KeyAccounts), Some(1.0));
    assert_eq!(get("2025-12", Metric::KeyAccounts), Some(1.0));
    assert_eq!(get("2025-12", Metric::Volume), Some(1.5));
    let df = frame(&rows)?;
    assert_eq!(df.get_column_names(), c::ATTAINMENT);
    Ok(())
}
