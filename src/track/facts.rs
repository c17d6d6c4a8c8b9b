//! The facts every tracking table is built from, in the business's words:
//!
//! - **sales** of a day: the net value (returns subtracted) and net quantity of a customer's
//!   transactions that day, dated on or before `as_of`;
//! - a **new customer** of a period: its `acquired_on` (the day it was won) falls in the
//!   period; a customer without `acquired_on` (or not in the customers table) is new in the
//!   period of its first purchase;
//! - a **key account**: a customer whose `key_account_tier` is set in the customer table (the
//!   one rule of `[key_accounts]`; tracking never decides it on its own);
//! - a **new key account** of a period: a key account that is new in it (see new customer);
//! - an **active key account** of a month (the attainment metric `key_accounts`, as the
//!   targets count them): a key account with net purchases above zero in that month;
//! - the **first top-up** of a customer: the net value of its first purchase day;
//! - a customer's **units**: its district, station and account manager from the customers
//!   table (a customer without one is counted only at company level).
//!
//! Pre-aggregation walks each customer's rows ([`CustomerRows`]) into one row per customer and
//! day; the calendar logic of the tables then walks these small sorted vectors.
//! Money is summed in fixed point so totals are byte-identical from run to run.

use std::collections::{HashMap, HashSet};

use chrono::{Datelike, NaiveDate};
use polars::prelude::*;

use crate::error::Result;
use crate::frame::{self, date_of, epoch_days, to_fixed};
use crate::rows::{ByRow, CustomerRows, day_numbers, f64_chunk};
use crate::schema as s;
use crate::schema::columns::KEY_ACCOUNT_TIER;

/// One customer's organisation units and dated events.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CustomerFacts {
    pub id: String,
    pub district: Option<String>,
    pub station: Option<String>,
    pub manager: Option<String>,
    /// Day the customer counts as new (days since 1970-01-01): acquired_on, else first purchase.
    pub new_on: Option<i32>,
    /// Whether it is a key account (`key_account_tier` set).
    pub key_account: bool,
    /// Day it counts as a new key account: the day a key account counts as new.
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

/// The units customers belong to at some levels, numbered in first-seen order, and each
/// customer's unit number at each level: sums over millions of sales index by number instead
/// of hashing the unit's name once per sale and level.
pub struct Units<'a> {
    /// (level, unit name) of each unit number.
    pub keys: Vec<(Level, &'a str)>,
    /// Customer-major: `of[cust * levels + l]`, None where the customer has no unit there.
    of: Vec<Option<u32>>,
    levels: usize,
}

impl<'a> Units<'a> {
    pub fn new(customers: &'a [CustomerFacts], levels: &[Level]) -> Units<'a> {
        let mut number: HashMap<(Level, &'a str), u32> = HashMap::new();
        let mut keys = Vec::new();
        let mut of = Vec::with_capacity(customers.len() * levels.len());
        for c in customers {
            for &level in levels {
                of.push(c.unit(level).map(|u| {
                    *number.entry((level, u)).or_insert_with(|| {
                        keys.push((level, u));
                        (keys.len() - 1) as u32
                    })
                }));
            }
        }
        Units {
            keys,
            of,
            levels: levels.len(),
        }
    }

    /// The unit numbers of customer `cust`, one per level (in the order given to `new`).
    pub fn of(&self, cust: usize) -> &[Option<u32>] {
        &self.of[cust * self.levels..(cust + 1) * self.levels]
    }
}

/// A customer being gathered, with the first purchase day of the per-customer table.
type Entry = (CustomerFacts, Option<i32>);

/// Gather the facts from the clean transactions and the per-customer table (`customer_id`,
/// optional `district`, `station`, `account_manager`, `acquired_on`, `first_purchase`,
/// `key_account_tier`).
pub fn gather(tx: &DataFrame, customers: &DataFrame, as_of: NaiveDate) -> Result<Facts> {
    let has_volume = frame::has(tx, s::QUANTITY);
    let rows = Rows::of(tx, has_volume)?;
    let as_of = epoch_days(as_of);
    let by_customer = CustomerRows::of(tx, |r| rows.days[r] <= as_of)?;
    let mut list = customer_list(customers, by_customer.ids())?;
    let sales = daily_sales(&rows, &by_customer, &mut list);
    for (c, _) in &mut list {
        c.key_since = c.new_on.filter(|_| c.key_account);
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

/// Customers of the table, then any of the `buyers` it lacks (counted at company level only),
/// sorted by id, one entry per id.
fn customer_list(customers: &DataFrame, buyers: &[&str]) -> Result<Vec<Entry>> {
    let ids = frame::trimmed(customers, s::CUSTOMER_ID)?;
    let districts = frame::trimmed(customers, s::DISTRICT)?;
    let stations = frame::trimmed(customers, s::STATION)?;
    let managers = frame::trimmed(customers, s::ACCOUNT_MANAGER)?;
    let acquired = frame::days(customers, s::ACQUIRED_ON)?;
    let first = frame::days(customers, s::FIRST_PURCHASE)?;
    let tier = frame::trimmed(customers, KEY_ACCOUNT_TIER)?;
    let mut list: Vec<Entry> = Vec::with_capacity(ids.len());
    for i in 0..ids.len() {
        let Some(id) = ids[i].clone() else { continue };
        let c = CustomerFacts {
            id,
            district: districts[i].clone(),
            station: stations[i].clone(),
            manager: managers[i].clone(),
            new_on: acquired[i].or(first[i]),
            key_account: tier[i].is_some(),
            key_since: None,
            first_topup: None,
        };
        list.push((c, first[i]));
    }
    let known: HashSet<&str> = list.iter().map(|(c, _)| c.id.as_str()).collect();
    let extra: Vec<String> = buyers
        .iter()
        .map(|id| id.trim())
        .filter(|id| !id.is_empty() && !known.contains(id))
        .map(str::to_string)
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
    Ok(list)
}

/// The transaction columns the daily sales read, by row number.
struct Rows {
    days: Vec<i32>,
    amount: Float64Chunked,
    quantity: Option<Float64Chunked>,
}

impl Rows {
    fn of(tx: &DataFrame, has_volume: bool) -> Result<Self> {
        Ok(Rows {
            days: day_numbers(tx)?,
            amount: f64_chunk(tx, s::AMOUNT)?,
            quantity: has_volume.then(|| f64_chunk(tx, s::QUANTITY)).transpose()?,
        })
    }
}

/// The day sales: one row per customer and day with a sale (net value and net quantity of
/// its transactions that day), customers in `list` order, days ascending; each customer's
/// rows walked and summed in fixed point per day (no group-by on 43M string ids), and back in
/// units as `frame::unfixed` would. On the way, each customer's first top-up (the net value
/// of the first purchase day of the customer table, else of its first day with a sale) and,
/// when it has no `acquired_on` or first purchase, the day it counts as new.
fn daily_sales(rows: &Rows, g: &CustomerRows, list: &mut [Entry]) -> Vec<DaySale> {
    let code: PlHashMap<&str, usize> = g.ids().iter().enumerate().map(|(k, id)| (*id, k)).collect();
    let (amount, quantity) = (
        ByRow::of(&rows.amount),
        rows.quantity.as_ref().map(ByRow::of),
    );
    let mut sales: Vec<DaySale> = Vec::new();
    let mut day_rows: Vec<(i32, i64, i64)> = Vec::new();
    let mut totals: Vec<(i32, i64, i64)> = Vec::new();
    for (i, (cust, first_day)) in list.iter_mut().enumerate() {
        let Some(&k) = code.get(cust.id.as_str()) else {
            continue;
        };
        day_rows.clear();
        day_rows.extend(g.rows(k).iter().map(|&r| {
            let r = r as usize;
            let q = quantity.as_ref().and_then(|q| q.get(r));
            (
                rows.days[r],
                amount.get(r).map_or(0, to_fixed),
                q.map_or(0, to_fixed),
            )
        }));
        day_rows.sort_unstable_by_key(|d| d.0);
        totals.clear();
        for &(d, a, q) in &day_rows {
            match totals.last_mut() {
                Some(last) if last.0 == d => (last.1, last.2) = (last.1 + a, last.2 + q),
                _ => totals.push((d, a, q)),
            }
        }
        for &(day, a, q) in &totals {
            let amount = frame::unfixed_value(a);
            if cust.first_topup.is_none() && first_day.is_none_or(|f| f == day) && amount >= 0.0 {
                cust.first_topup = Some(amount);
            }
            if cust.new_on.is_none() && amount >= 0.0 {
                cust.new_on = Some(day);
            }
            sales.push(DaySale {
                customer: i,
                day,
                amount,
                quantity: frame::unfixed_value(q),
            });
        }
    }
    sales
}

// ---- calendar: months as year * 12 + (month - 1), shared with the planner (see `frame`) ----

pub use crate::frame::{month_end, month_label, month_of, month_start, parse_month};

/// The Sunday that ends the week (Monday to Sunday) holding `day`.
pub fn week_end(day: i32) -> i32 {
    day + 6 - date_of(day).weekday().num_days_from_monday() as i32
}

#[cfg(test)]
#[path = "facts_tests.rs"]
mod tests;
