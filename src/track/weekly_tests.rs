//! Weekly report tests: Sunday weeks, month-to-date pace, development counts and the week
//! still in progress.

use chrono::{Datelike, NaiveDate, Weekday};

use super::*;
use crate::frame::epoch_days;
use crate::schema as s;
use crate::track::attainment;
use crate::track::development;
use crate::track::facts::gather;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
}

/// Column `name` of `out` as f64s (integers and flags cast).
fn f64s(out: &DataFrame, name: &str) -> Result<Vec<Option<f64>>> {
    Ok(out
        .column(name)?
        .cast(&DataType::Float64)?
        .f64()?
        .iter()
        .collect())
}

#[test]
fn weeks_close_on_sunday_and_months_restart_mid_week() -> Result<()> {
    // Saturday 29 and Sunday 30 November 2025, Monday 1 December
    let tx = df!(
        s::CUSTOMER_ID => ["a", "a", "b"],
        s::DATE => [d(2025, 11, 29), d(2025, 11, 30), d(2025, 12, 1)],
        s::AMOUNT => [100.0, 20_000.0, 400.0],
    )?;
    let cust = df!(
        s::CUSTOMER_ID => ["a", "b"],
        s::DISTRICT => ["North", "North"],
        s::ACQUIRED_ON => [d(2025, 11, 29), d(2025, 11, 30)],
        s::columns::KEY_ACCOUNT_TIER => [Some("key"), None],
    )?;
    let targets = attainment::targets(Some(&df!(
        s::PERIOD => ["2025-12"],
        s::LEVEL => ["district"],
        s::UNIT => ["North"],
        s::METRIC => ["revenue"],
        s::TARGET => [1_000.0],
    )?))?;
    let f = gather(&tx, &cust, d(2025, 12, 2))?;
    let as_of = epoch_days(d(2025, 12, 2));
    let out = frame(&f, &targets, None, as_of)?.ok_or(crate::Error::Internal("no frame".into()))?;
    assert_eq!(out.get_column_names(), c::WEEKLY);
    let weeks: Vec<NaiveDate> = out
        .column(c::WEEK_END)?
        .date()?
        .as_date_iter()
        .flatten()
        .collect();
    assert_eq!(weeks, [d(2025, 11, 30), d(2025, 12, 7)]);
    assert!(weeks.iter().all(|w| w.weekday() == Weekday::Sun));
    let f64s = |name: &str| f64s(&out, name);
    // the week to Sunday 30 November holds Saturday and Sunday; Monday starts the next
    assert_eq!(f64s(c::SALES)?, [Some(20_100.0), Some(400.0)]);
    assert_eq!(f64s(c::NEW_CUSTOMERS)?, [Some(2.0), Some(0.0)]);
    assert_eq!(f64s(c::NEW_KEY_ACCOUNTS)?, [Some(1.0), Some(0.0)]);
    // November has no target and no day left; December's month to date is Monday only
    assert_eq!(f64s(c::MTD_SALES)?, [Some(20_100.0), Some(400.0)]);
    assert_eq!(f64s(c::MONTH_TARGET)?, [None, Some(1_000.0)]);
    assert_eq!(f64s(c::MTD_COMPLETION_RATE)?, [None, Some(0.4)]);
    assert_eq!(f64s(c::DAYS_LEFT_IN_MONTH)?, [Some(0.0), Some(24.0)]);
    assert_eq!(f64s(c::PACE_NEEDED_PER_DAY)?, [None, Some(25.0)]);
    // a and b were won in the first week; b's first top-up came on Monday, and counts with
    // the week b was won; without deals no development counts
    assert_eq!(f64s(c::FIRST_TOPUPS)?, [Some(2.0), Some(0.0)]);
    assert_eq!(f64s(c::FIRST_TOPUP_AMOUNT)?, [Some(500.0), Some(0.0)]);
    assert_eq!(f64s(c::DEALS_OPENED)?, [None, None]);
    // as_of is Tuesday 2 December: the week to Sunday 7 December is still in progress
    assert_eq!(f64s(c::COMPLETE)?, [Some(1.0), Some(0.0)]);
    Ok(())
}

#[test]
fn development_counts_sit_beside_the_sales_and_a_week_ending_on_as_of_is_complete() -> Result<()> {
    // two weeks of sales in North: to Sunday 7 and to Sunday 14 December 2025
    let tx = df!(
        s::CUSTOMER_ID => ["a", "b"],
        s::DATE => [d(2025, 12, 1), d(2025, 12, 9)],
        s::AMOUNT => [500.0, 700.0],
    )?;
    let cust = df!(
        s::CUSTOMER_ID => ["a", "b", "p"],
        s::DISTRICT => ["North", "North", "North"],
    )?;
    let deals = df!(
        s::DEAL_ID => ["1", "2", "3", "4"],
        s::CUSTOMER_ID => ["p", "p", "a", "b"],
        s::STAGE => ["lead", "contact", "signed", "negotiation"],
        s::OPENED_ON => [d(2025, 12, 2), d(2025, 12, 3), d(2025, 11, 1), d(2025, 12, 10)],
        s::LAST_FOLLOW_UP => [d(2025, 12, 4), d(2025, 12, 5), d(2025, 12, 6), d(2025, 12, 12)],
    )?;
    let as_of = d(2025, 12, 14);
    let f = gather(&tx, &cust, as_of)?;
    let dev = development::by_week(&deals, &f, epoch_days(as_of))?;
    let out = frame(&f, &BTreeMap::new(), Some(&dev), epoch_days(as_of))?
        .ok_or(crate::Error::Internal("no frame".into()))?;
    // week 1: deals 1 and 2 opened, p (twice) and a followed up, 2 advanced, 3 signed;
    // week 2: deal 4 opened and advanced, b contacted
    assert_eq!(f64s(&out, c::PROSPECTS_CONTACTED)?, [Some(2.0), Some(1.0)]);
    assert_eq!(f64s(&out, c::DEALS_OPENED)?, [Some(2.0), Some(1.0)]);
    assert_eq!(f64s(&out, c::DEALS_ADVANCED)?, [Some(1.0), Some(1.0)]);
    assert_eq!(f64s(&out, c::DEALS_SIGNED)?, [Some(1.0), Some(0.0)]);
    assert_eq!(f64s(&out, c::NEW_CUSTOMERS)?, [Some(1.0), Some(1.0)]);
    assert_eq!(f64s(&out, c::SALES)?, [Some(500.0), Some(700.0)]);
    assert_eq!(
        f64s(&out, c::FIRST_TOPUP_AMOUNT)?,
        [Some(500.0), Some(700.0)]
    );
    // as_of is the Sunday that closes week 2: both weeks are complete
    assert_eq!(f64s(&out, c::COMPLETE)?, [Some(1.0), Some(1.0)]);
    Ok(())
}

#[test]
fn a_history_from_the_year_1_keeps_the_last_max_weeks() -> Result<()> {
    let tx = df!(
        s::CUSTOMER_ID => ["a", "a", "b"],
        s::DATE => [d(1, 1, 1), d(2025, 11, 29), d(2025, 11, 30)],
        s::AMOUNT => [5.0, 100.0, 400.0],
    )?;
    let cust = df!(s::CUSTOMER_ID => ["a", "b"], s::DISTRICT => ["North", "South"])?;
    let f = gather(&tx, &cust, d(2025, 12, 2))?;
    let (first, last) = f.span.ok_or(crate::Error::Internal("no span".into()))?;
    assert!(grid_start(first, last).1, "the span is over MAX_WEEKS");
    let out = frame(&f, &BTreeMap::new(), None, epoch_days(d(2025, 12, 2)))?
        .ok_or(crate::Error::Internal("no frame".into()))?;
    assert_eq!(out.height(), 2 * MAX_WEEKS as usize, "two districts");
    let short = gather(&tx.slice(1, 2), &cust, d(2025, 12, 2))?;
    let (first, last) = short.span.ok_or(crate::Error::Internal("no span".into()))?;
    assert!(!grid_start(first, last).1);
    Ok(())
}
