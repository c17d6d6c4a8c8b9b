//! The facts every tracking table is built from, in the business's words:
//!
//! - **sales** of a day: the net value (returns subtracted) and net quantity of a customer's
//!   transactions that day, dated on or before `as_of`;
//! - a **new customer** of a period: its `acquired_on` (the day it was won) falls in the
//!   period; a customer without `acquired_on` (or not in the customers table) is new in the
//!   period of its first purchase;
//! - a **new key account**: the day a customer's single order first reaches
//!   `key_account_min_deal` (an order is an `order_id`, else one transaction row);
//! - an **active key account** of a month (the attainment metric `key_accounts`, as the
//!   targets count them): a customer whose net purchases in that month reach
//!   `key_account_min_deal`;
//! - the **first top-up** of a customer: the net value of its first purchase day;
//! - a customer's **units**: its district, station and account manager from the customers
//!   table (a customer without one is counted only at company level).
//!
//! Pre-aggregation is lazy Polars (one row per customer and day, one per key-account
//! customer); the calendar logic of the tables then walks these small sorted vectors.
//! Money is summed in fixed point so totals are byte-identical from run to run.

use std::collections::HashSet;

use chrono::{Datelike, NaiveDate};
use polars::prelude::*;

use crate::error::Result;
use crate::schema as s;

/// Sums in 1/10,000 of a unit as Int64, order-independent (see `features::FIXED_SCALE`).
const FIXED: f64 = crate::features::FIXED_SCALE;

/// One customer's organisation units and dated events.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CustomerFacts {
    pub id: String,
    pub district: Option<String>,
    pub station: Option<String>,
    pub manager: Option<String>,
    /// Day the customer counts as new (days since 1970-01-01): acquired_on, else first purchase.
    pub new_on: Option<i32>,
    /// Day its single order first reached the key-account amount.
    pub key_since: Option<i32>,
    /// Net value of its first purchase day.
    pub first_topup: Option<f64>,
}

/// One customer's net sales on one day.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DaySale {
    /// Index into [`Facts::customers`].
    pub customer: usize,
    pub day: i32,
    pub amount: f64,
    /// Net quantity; 0 when the transactions carry none.
    pub quantity: f64,
}

/// Everything the tracking tables need, sorted by customer id and day.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    pub customers: Vec<CustomerFacts>,
    pub sales: Vec<DaySale>,
    /// Whether the transactions carry a quantity (else volume is left empty).
    pub has_volume: bool,
    /// First and last day with sales (None when there are none).
    pub span: Option<(i32, i32)>,
}

/// The three organisation levels below the company, in output order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    Company,
    District,
    Station,
    AccountManager,
}

impl Level {
    pub const ALL: [Level; 4] = [
        Level::Company,
        Level::District,
        Level::Station,
        Level::AccountManager,
    ];

    pub fn name(self) -> &'static str {
        s::LEVEL_VALUES[self as usize]
    }

    pub fn parse(name: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.name() == name)
    }
}

/// The unit name of the company level.
pub const COMPANY: &str = "company";

impl CustomerFacts {
    /// The unit this customer rolls up into at `level` (None: not assigned).
    pub fn unit(&self, level: Level) -> Option<&str> {
        match level {
            Level::Company => Some(COMPANY),
            Level::District => self.district.as_deref(),
            Level::Station => self.station.as_deref(),
            Level::AccountManager => self.manager.as_deref(),
        }
    }
}

fn fixed_sum(name: &str) -> Expr {
    ((col(name) * lit(FIXED))
        .round(0, RoundMode::HalfAwayFromZero)
        .cast(DataType::Int64)
        .sum()
        .cast(DataType::Float64)
        / lit(FIXED))
    .alias(name)
}

fn has(df: &DataFrame, name: &str) -> bool {
    df.get_column_names().iter().any(|c| c.as_str() == name)
}

fn strings(df: &DataFrame, name: &str) -> Result<Vec<Option<String>>> {
    if !has(df, name) {
        return Ok(vec![None; df.height()]);
    }
    let c = df.column(name)?.cast(&DataType::String)?;
    Ok(c.str()?
        .iter()
        .map(|v| v.map(str::trim).filter(|v| !v.is_empty()).map(String::from))
        .collect())
}

fn days(df: &DataFrame, name: &str) -> Result<Vec<Option<i32>>> {
    if !has(df, name) {
        return Ok(vec![None; df.height()]);
    }
    let c = df.column(name)?.cast(&DataType::Int32)?;
    Ok(c.i32()?.iter().collect())
}

fn floats(df: &DataFrame, name: &str) -> Result<Vec<Option<f64>>> {
    if !has(df, name) {
        return Ok(vec![None; df.height()]);
    }
    let c = df.column(name)?.cast(&DataType::Float64)?;
    Ok(c.f64()?.iter().collect())
}

/// Column holding a customer's index into [`Facts::customers`] while gathering.
const IDX: &str = "__kam_customer";

/// Gather the facts from the clean transactions and the per-customer table (`customer_id`,
/// optional `district`, `station`, `account_manager`, `acquired_on`, `first_purchase`).
pub fn gather(
    tx: &DataFrame,
    customers: &DataFrame,
    as_of: NaiveDate,
    key_account_min_deal: f64,
) -> Result<Facts> {
    let has_volume = has(tx, s::QUANTITY);
    let as_of_days = epoch_days(as_of);
    let used = tx
        .clone()
        .lazy()
        .filter(col(s::DATE).cast(DataType::Int32).lt_eq(lit(as_of_days)));

    // Customers of the table, then any buyer it lacks (counted at company level only), sorted
    // by id; every transaction gets its customer's index so grouping works on integers.
    let ids = strings(customers, s::CUSTOMER_ID)?;
    let districts = strings(customers, s::DISTRICT)?;
    let stations = strings(customers, s::STATION)?;
    let managers = strings(customers, s::ACCOUNT_MANAGER)?;
    let acquired = days(customers, s::ACQUIRED_ON)?;
    let first = days(customers, s::FIRST_PURCHASE)?;
    let mut list: Vec<(CustomerFacts, Option<i32>)> = Vec::with_capacity(ids.len());
    for i in 0..ids.len() {
        let Some(id) = ids[i].clone() else { continue };
        let c = CustomerFacts {
            id,
            district: districts[i].clone(),
            station: stations[i].clone(),
            manager: managers[i].clone(),
            new_on: acquired[i].or(first[i]),
            key_since: None,
            first_topup: None,
        };
        list.push((c, first[i]));
    }
    let buyers = used
        .clone()
        .select([col(s::CUSTOMER_ID).cast(DataType::String)])
        .unique(None, UniqueKeepStrategy::First)
        .collect()?;
    let known: HashSet<&str> = list.iter().map(|(c, _)| c.id.as_str()).collect();
    let extra: Vec<String> = strings(&buyers, s::CUSTOMER_ID)?
        .into_iter()
        .flatten()
        .filter(|id| !known.contains(id.as_str()))
        .collect();
    list.extend(extra.into_iter().map(|id| {
        let c = CustomerFacts {
            id,
            ..Default::default()
        };
        (c, None)
    }));
    list.sort_by(|a, b| a.0.id.cmp(&b.0.id));
    list.dedup_by(|a, b| a.0.id == b.0.id);
    let index = DataFrame::new_infer_height(vec![
        Column::new(
            s::CUSTOMER_ID.into(),
            list.iter().map(|(c, _)| c.id.as_str()).collect::<Vec<_>>(),
        ),
        Column::new(IDX.into(), (0..list.len() as u32).collect::<Vec<u32>>()),
    ])?;
    let used = used
        .with_column(col(s::CUSTOMER_ID).cast(DataType::String))
        .join(
            index.lazy(),
            [col(s::CUSTOMER_ID)],
            [col(s::CUSTOMER_ID)],
            JoinArgs::new(JoinType::Inner),
        );

    // daily = SELECT idx, date, SUM(amount), SUM(quantity) GROUP BY idx, date ORDER BY idx, date
    let mut aggs = vec![fixed_sum(s::AMOUNT)];
    if has_volume {
        aggs.push(fixed_sum(s::QUANTITY));
    }
    let daily = used
        .clone()
        .group_by([col(IDX), col(s::DATE)])
        .agg(aggs)
        .sort([IDX, s::DATE], SortMultipleOptions::default())
        .collect_with_engine(Engine::Streaming)?
        .unwrap_single();

    // orders: one per order_id (a row without one is its own order); a customer is a key
    // account from the first day one of its orders reaches the amount.
    let orders = if has(tx, s::ORDER_ID) {
        let by_order = used
            .clone()
            .filter(col(s::ORDER_ID).is_not_null())
            .group_by([col(IDX), col(s::ORDER_ID)])
            .agg([fixed_sum(s::AMOUNT), col(s::DATE).min()])
            .select([col(IDX), col(s::AMOUNT), col(s::DATE)]);
        let single = used.filter(col(s::ORDER_ID).is_null()).select([
            col(IDX),
            col(s::AMOUNT),
            col(s::DATE),
        ]);
        concat([by_order, single], UnionArgs::default())?
    } else {
        used.select([col(IDX), col(s::AMOUNT), col(s::DATE)])
    };
    let key = orders
        .filter(col(s::AMOUNT).gt_eq(lit(key_account_min_deal)))
        .group_by([col(IDX)])
        .agg([col(s::DATE).min()])
        .collect_with_engine(Engine::Streaming)?
        .unwrap_single();
    let k_idx: Vec<Option<u32>> = key.column(IDX)?.u32()?.iter().collect();
    for (i, day) in k_idx.into_iter().zip(days(&key, s::DATE)?) {
        if let (Some(i), Some(day)) = (i, day) {
            list[i as usize].0.key_since = Some(day);
        }
    }

    let d_idx: Vec<Option<u32>> = daily.column(IDX)?.u32()?.iter().collect();
    let d_days = days(&daily, s::DATE)?;
    let d_amount = floats(&daily, s::AMOUNT)?;
    let d_qty = floats(&daily, s::QUANTITY)?;
    let mut sales = Vec::with_capacity(daily.height());
    for r in 0..daily.height() {
        let (Some(c), Some(day)) = (d_idx[r], d_days[r]) else {
            continue;
        };
        let c = c as usize;
        let amount = d_amount[r].unwrap_or(0.0);
        let (cust, first_day) = &mut list[c];
        if cust.first_topup.is_none() {
            // the first purchase day from the customer table, else the first day with a sale
            if first_day.is_none_or(|f| f == day) && amount >= 0.0 {
                cust.first_topup = Some(amount);
            }
        }
        if cust.new_on.is_none() && amount >= 0.0 {
            cust.new_on = Some(day);
        }
        sales.push(DaySale {
            customer: c,
            day,
            amount,
            quantity: d_qty[r].unwrap_or(0.0),
        });
    }
    let span = sales
        .iter()
        .map(|d| d.day)
        .min()
        .zip(sales.iter().map(|d| d.day).max());
    Ok(Facts {
        customers: list.into_iter().map(|(c, _)| c).collect(),
        sales,
        has_volume,
        span,
    })
}

/// A value in fixed point (1/10,000 units): long sums in integers are exact and independent
/// of their order.
pub fn to_fixed(x: f64) -> i64 {
    (x * FIXED).round() as i64
}

/// A fixed-point sum back in units.
pub fn from_fixed(x: i64) -> f64 {
    x as f64 / FIXED
}

/// A sum of money or quantity rounded to the fixed-point step of the inputs (1/10,000), so
/// float noise of long additions never shows in the outputs.
pub fn tidy(x: f64) -> f64 {
    (x * FIXED).round() / FIXED
}

// ---- calendar: days since 1970-01-01 and months as year * 12 + (month - 1) ----

pub fn epoch_days(d: NaiveDate) -> i32 {
    NaiveDate::from_ymd_opt(1970, 1, 1).map_or(0, |e| (d - e).num_days() as i32)
}

pub fn date(day: i32) -> NaiveDate {
    s::date_from_epoch_days(day)
}

/// The month index of a day.
pub fn month_of(day: i32) -> i32 {
    let d = date(day);
    d.year() * 12 + d.month0() as i32
}

/// `YYYY-MM` of a month index.
pub fn month_label(m: i32) -> String {
    format!("{:04}-{:02}", m.div_euclid(12), m.rem_euclid(12) + 1)
}

/// The month index of `YYYY-MM`.
pub fn parse_month(label: &str) -> Option<i32> {
    let (y, m) = label.trim().split_once('-')?;
    let (y, m): (i32, i32) = (y.parse().ok()?, m.parse().ok()?);
    (1..=12).contains(&m).then_some(y * 12 + m - 1)
}

/// First day of month `m`.
pub fn month_start(m: i32) -> i32 {
    NaiveDate::from_ymd_opt(m.div_euclid(12), m.rem_euclid(12) as u32 + 1, 1).map_or(0, epoch_days)
}

/// Last day of month `m`.
pub fn month_end(m: i32) -> i32 {
    month_start(m + 1) - 1
}

/// The Sunday that ends the week (Monday to Sunday) holding `day`.
pub fn week_end(day: i32) -> i32 {
    day + 6 - date(day).weekday().num_days_from_monday() as i32
}

#[cfg(test)]
#[path = "facts_tests.rs"]
mod tests;
