//! The district pages: one `weekly/<district>.html` per district and `weekly.xlsx` with a
//! sheet per district, the form a director forwards every Sunday. Built in memory from the
//! run's tables (`weekly_progress`, `leaderboard`, `escalations`) and the customer table;
//! [`weekly_html`](super::weekly_html) renders them. No file I/O here.
//!
//! The headline is the district's latest *complete* week (its Sunday on or before `as_of`),
//! or its latest week when none is complete; the tables hold that week's month.

use std::collections::{BTreeSet, HashSet};

use polars::prelude::*;

use super::stage::ReportInputs;
use crate::error::Result;
use crate::schema as s;
use crate::schema::track as tc;

/// File stems of the tables the pages read.
pub const WEEKLY_PROGRESS: &str = "weekly_progress";
pub const LEADERBOARD: &str = "leaderboard";
pub const ESCALATIONS: &str = "escalations";
/// The leaderboard level whose rows a district page shows.
const STATION_LEVEL: &str = "station";
/// The churn risk level of the high-risk key accounts.
const HIGH_RISK: &str = "high";
/// Characters a file name may not hold on any common system (control characters too).
const UNSAFE_FILE_CHARS: &[char] = &['/', '\\', ':', '*', '?', '"', '<', '>', '|'];
/// Names Windows reserves for devices, whatever the extension.
const RESERVED: &[&str] = &[
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8",
    "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];
/// Bytes kept of a district name in a file name (file systems allow 255).
const MAX_STEM_BYTES: usize = 200;

/// Columns of the month's weeks: the sales pace.
const PACE_COLUMNS: [&str; 9] = [
    tc::WEEK_END,
    tc::COMPLETE,
    tc::SALES,
    tc::VOLUME,
    tc::MTD_SALES,
    tc::MONTH_TARGET,
    tc::MTD_COMPLETION_RATE,
    tc::DAYS_LEFT_IN_MONTH,
    tc::PACE_NEEDED_PER_DAY,
];
/// Columns of the month's weeks: the development work.
const DEVELOPMENT_COLUMNS: [&str; 9] = [
    tc::WEEK_END,
    tc::NEW_CUSTOMERS,
    tc::NEW_KEY_ACCOUNTS,
    tc::FIRST_TOPUPS,
    tc::FIRST_TOPUP_AMOUNT,
    tc::PROSPECTS_CONTACTED,
    tc::DEALS_OPENED,
    tc::DEALS_ADVANCED,
    tc::DEALS_SIGNED,
];
/// Columns of the headline row in weekly.xlsx.
const HEADLINE_COLUMNS: [&str; 7] = [
    tc::WEEK_END,
    tc::MONTH,
    tc::MTD_SALES,
    tc::MONTH_TARGET,
    tc::MTD_COMPLETION_RATE,
    tc::DAYS_LEFT_IN_MONTH,
    tc::PACE_NEEDED_PER_DAY,
];
/// Columns of the escalated deals shown (those present).
const ESCALATION_COLUMNS: [&str; 9] = [
    s::DEAL_ID,
    s::CUSTOMER_ID,
    s::NAME,
    s::ACCOUNT_MANAGER,
    s::STATION,
    s::STAGE,
    s::INTENDED_AMOUNT,
    s::plan::DAYS_STALLED,
    s::MAIN_OBSTACLE,
];
/// Columns of the high-risk key accounts shown (those present).
const HIGH_RISK_COLUMNS: [&str; 6] = [
    s::NAME,
    s::STATION,
    s::ACCOUNT_MANAGER,
    s::REVENUE_LAST_12M,
    s::REVENUE_AT_RISK,
    s::CHURN_DRIVERS[0],
];

/// The headline figures of a district's week (`None`: empty in weekly_progress).
#[derive(Debug, Clone, Default)]
pub struct Headline {
    pub week_end: String,
    pub complete: bool,
    pub month: String,
    pub mtd_sales: Option<f64>,
    pub month_target: Option<f64>,
    pub mtd_completion_rate: Option<f64>,
    pub days_left: Option<f64>,
    pub pace_needed: Option<f64>,
    /// The headline row with [`HEADLINE_COLUMNS`], for the workbook.
    pub row: DataFrame,
}

/// One district's week as its page and sheet show it.
#[derive(Debug, Clone)]
pub struct DistrictWeek {
    pub district: String,
    /// `None` when weekly_progress has no row of the district.
    pub headline: Option<Headline>,
    /// The month's weeks, oldest first: [`PACE_COLUMNS`] and [`DEVELOPMENT_COLUMNS`].
    pub pace: DataFrame,
    pub development: DataFrame,
    /// Its stations' leaderboard rows: board, station, value, rank.
    pub leaderboard: DataFrame,
    pub escalations: DataFrame,
    /// Key accounts with high churn risk, largest revenue at risk first.
    pub high_risk: DataFrame,
}

/// The table of `inputs` with this file stem.
fn table<'a>(inputs: &'a ReportInputs, stem: &str) -> Option<&'a DataFrame> {
    inputs
        .tables
        .iter()
        .find(|(n, _)| n == stem)
        .map(|(_, df)| df)
}

/// Every district's week, by district name; `Err` holds why there are none (a note).
pub fn district_weeks(
    inputs: &ReportInputs,
) -> Result<std::result::Result<Vec<DistrictWeek>, String>> {
    let c = &inputs.customers;
    let Some(weekly) = table(inputs, WEEKLY_PROGRESS) else {
        return Ok(Err(
            "district pages skipped: no weekly_progress table".into()
        ));
    };
    if c.height() == 0 || c.column(s::DISTRICT).is_err() || c.column(s::STATION).is_err() {
        return Ok(Err(
            "district pages skipped: no customer table with district and station".into(),
        ));
    }
    let mut names: BTreeSet<String> = texts(weekly, tc::DISTRICT)?.into_iter().flatten().collect();
    names.extend(texts(c, s::DISTRICT)?.into_iter().flatten());
    names.retain(|d| !d.is_empty());
    let leaderboard = table(inputs, LEADERBOARD);
    let escalations = table(inputs, ESCALATIONS);
    let weeks = names
        .into_iter()
        .map(|d| district_week(d, weekly, c, leaderboard, escalations))
        .collect::<Result<Vec<_>>>()?;
    Ok(Ok(weeks))
}

/// One district's week from the tables.
fn district_week(
    district: String,
    weekly: &DataFrame,
    customers: &DataFrame,
    leaderboard: Option<&DataFrame>,
    escalations: Option<&DataFrame>,
) -> Result<DistrictWeek> {
    let one = |v: Option<&str>| v == Some(district.as_str());
    let rows = rows_where(weekly, tc::DISTRICT, one)?;
    let rows = if rows.column(tc::WEEK_END).is_ok() {
        rows.sort(
            [tc::WEEK_END],
            SortMultipleOptions::default().with_maintain_order(true),
        )?
    } else {
        rows
    };
    let headline = headline(&rows)?;
    let month_rows = match &headline {
        Some(h) => rows_where(&rows, tc::MONTH, |m| m == Some(h.month.as_str()))?,
        None => rows.clear(),
    };
    let mine = rows_where(customers, s::DISTRICT, one)?;
    let stations: HashSet<String> = texts(&mine, s::STATION)?.into_iter().flatten().collect();
    let board = match leaderboard {
        Some(l) => station_rows(l, &stations)?,
        None => empty(&[tc::BOARD, s::STATION, tc::VALUE, tc::RANK]),
    };
    let escalated = match escalations {
        Some(e) if e.column(s::DISTRICT).is_ok() => rows_where(e, s::DISTRICT, one)?,
        Some(e) => {
            let ids: HashSet<String> = texts(&mine, s::CUSTOMER_ID)?
                .into_iter()
                .flatten()
                .collect();
            rows_where(e, s::CUSTOMER_ID, |v| v.is_some_and(|v| ids.contains(v)))?
        }
        None => DataFrame::empty(),
    };
    Ok(DistrictWeek {
        district,
        headline,
        pace: present(&month_rows, &PACE_COLUMNS)?,
        development: present(&month_rows, &DEVELOPMENT_COLUMNS)?,
        leaderboard: board,
        escalations: present(&escalated, &ESCALATION_COLUMNS)?,
        high_risk: high_risk(&mine)?,
    })
}

/// The headline: the latest complete week of `rows` (sorted by week), else the latest week.
fn headline(rows: &DataFrame) -> Result<Option<Headline>> {
    let n = rows.height();
    if n == 0 {
        return Ok(None);
    }
    let complete: Vec<bool> = match rows.column(tc::COMPLETE) {
        Ok(c) => c
            .cast(&DataType::Boolean)?
            .bool()?
            .iter()
            .map(|b| b == Some(true))
            .collect(),
        Err(_) => vec![true; n],
    };
    let i = (0..n).rev().find(|&i| complete[i]).unwrap_or(n - 1);
    let text = |c: &str| -> Result<String> {
        Ok(texts(rows, c)?
            .get(i)
            .cloned()
            .flatten()
            .unwrap_or_default())
    };
    let num = |c: &str| -> Result<Option<f64>> { Ok(numbers(rows, c)?.get(i).copied().flatten()) };
    Ok(Some(Headline {
        week_end: text(tc::WEEK_END)?,
        complete: complete[i],
        month: text(tc::MONTH)?,
        mtd_sales: num(tc::MTD_SALES)?,
        month_target: num(tc::MONTH_TARGET)?,
        mtd_completion_rate: num(tc::MTD_COMPLETION_RATE)?,
        days_left: num(tc::DAYS_LEFT_IN_MONTH)?,
        pace_needed: num(tc::PACE_NEEDED_PER_DAY)?,
        row: present(&rows.slice(i as i64, 1), &HEADLINE_COLUMNS)?,
    }))
}

/// The leaderboard rows of these stations: board, station, value, rank, in board order.
fn station_rows(leaderboard: &DataFrame, stations: &HashSet<String>) -> Result<DataFrame> {
    let mine = rows_where(leaderboard, tc::LEVEL, |l| l == Some(STATION_LEVEL))?;
    let mine = rows_where(&mine, tc::UNIT, |u| u.is_some_and(|u| stations.contains(u)))?;
    let mut out = present(&mine, &[tc::BOARD, tc::UNIT, tc::VALUE, tc::RANK])?;
    if out.column(tc::UNIT).is_ok() {
        out.rename(tc::UNIT, s::STATION.into())?;
    }
    Ok(out)
}

/// The district's key accounts with high churn risk, largest revenue at risk first.
fn high_risk(mine: &DataFrame) -> Result<DataFrame> {
    if mine.column(s::KEY_ACCOUNT_TIER).is_err() || mine.column(s::CHURN_RISK).is_err() {
        return Ok(empty(&HIGH_RISK_COLUMNS));
    }
    let key = rows_where(mine, s::KEY_ACCOUNT_TIER, |t| {
        t.is_some_and(|t| !t.is_empty())
    })?;
    let risky = rows_where(&key, s::CHURN_RISK, |r| r == Some(HIGH_RISK))?;
    let sorted = if risky.column(s::REVENUE_AT_RISK).is_ok() {
        risky.sort(
            [s::REVENUE_AT_RISK],
            SortMultipleOptions::default()
                .with_order_descending(true)
                .with_nulls_last(true)
                .with_maintain_order(true),
        )?
    } else {
        risky
    };
    present(&sorted, &HIGH_RISK_COLUMNS)
}

/// The rows of `df` whose `column` (as text) passes `keep`; no rows when the column is absent.
fn rows_where(
    df: &DataFrame,
    column: &str,
    keep: impl Fn(Option<&str>) -> bool,
) -> Result<DataFrame> {
    if df.column(column).is_err() {
        return Ok(df.clear());
    }
    let mask: BooleanChunked = texts(df, column)?
        .iter()
        .map(|v| Some(keep(v.as_deref())))
        .collect();
    Ok(df.filter(&mask)?)
}

/// A column as text per row (dates as `YYYY-MM-DD`); empty when absent.
fn texts(df: &DataFrame, column: &str) -> Result<Vec<Option<String>>> {
    let Ok(c) = df.column(column) else {
        return Ok(Vec::new());
    };
    let c = c.cast(&DataType::String)?;
    Ok(c.str()?.iter().map(|v| v.map(str::to_string)).collect())
}

/// A column as numbers per row; empty when absent.
fn numbers(df: &DataFrame, column: &str) -> Result<Vec<Option<f64>>> {
    let Ok(c) = df.column(column) else {
        return Ok(Vec::new());
    };
    Ok(c.cast(&DataType::Float64)?.f64()?.iter().collect())
}

/// The columns of `df` among `wanted`, in that order.
fn present(df: &DataFrame, wanted: &[&str]) -> Result<DataFrame> {
    let cols: Vec<&str> = wanted
        .iter()
        .copied()
        .filter(|c| df.column(c).is_ok())
        .collect();
    Ok(df.select(cols)?)
}

/// A frame with these text columns and no rows.
fn empty(columns: &[&str]) -> DataFrame {
    let cols: Vec<Column> = columns
        .iter()
        .map(|c| Column::new_empty((*c).into(), &DataType::String))
        .collect();
    DataFrame::new_infer_height(cols).unwrap_or_default()
}

/// `name` made safe as a file name: `/ \ : * ? " < > |`, control characters and leading dots
/// become `_`; a Windows device name (`CON`, `NUL`, ...) gets a leading `_`; at most
/// [`MAX_STEM_BYTES`] bytes; never empty.
pub fn safe_name(name: &str) -> String {
    let mut leading = true;
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        leading &= c == '.';
        let bad = leading || c.is_control() || UNSAFE_FILE_CHARS.contains(&c);
        let c = if bad { '_' } else { c };
        if out.len() + c.len_utf8() > MAX_STEM_BYTES {
            break;
        }
        out.push(c);
    }
    let device = out
        .split('.')
        .next()
        .unwrap_or("")
        .trim_end()
        .to_ascii_uppercase();
    if RESERVED.contains(&device.as_str()) {
        out.insert(0, '_');
    }
    if out.is_empty() { "_".into() } else { out }
}

/// A safe file stem per name (in order), distinct even on a case-insensitive file system:
/// the second of two names that map to the same stem gets `_2`, the next `_3`, ...
pub fn file_stems(names: &[String]) -> Vec<String> {
    let mut taken: HashSet<String> = HashSet::new();
    names
        .iter()
        .map(|n| {
            let base = safe_name(n);
            let mut stem = base.clone();
            let mut k = 2;
            while !taken.insert(stem.to_lowercase()) {
                stem = format!("{base}_{k}");
                k += 1;
            }
            stem
        })
        .collect()
}

#[cfg(test)]
#[path = "weekly_tests.rs"]
mod tests;
