//! The seeded synthetic company behind `kam generate` and `data/demo/`.
//!
//! A regional cement and building-materials group: districts (片区) with stations and depots,
//! account managers, and every customer type of domain.md — a few very large ready-mix,
//! developer and distributor accounts, bursty construction and hydropower projects, steady
//! government and enterprise buyers, and many small fleet and individual card customers. It
//! owns six input tables of the contract (customers, transactions, targets, deals, campaigns,
//! feedback) as DataFrames, with contract column names and order, and nothing else: writing
//! them to disk is `io`'s job. Orders carry add-on products (fly ash, slag powder, admixture,
//! ready-mix concrete) as extra lines by customer type (`addons`).
//!
//! Deterministic by construction: every random draw comes from [`GenerateParams::seed`] through
//! one stream per table (and per customer for purchases), iteration order is fixed, and rows
//! are sorted, so the same parameters give identical frames.

mod addons;
mod campaigns;
mod customers;
mod deals;
mod feedback;
mod mess;
mod names;
mod org;
mod phrases;
mod settings;
mod streams;
mod targets;
mod transactions;
mod unique;

pub use mess::Planted;
use streams::{Stream, stream};

use chrono::{Datelike, NaiveDate};
use polars::prelude::*;
use rand::{Rng, RngExt};

use crate::error::{Error, Result};
use crate::schema::{self, TableSpec};

/// Largest company `check` accepts.
const MAX_CUSTOMERS: usize = 50_000_000;
/// Longest history `check` accepts, in months.
const MAX_MONTHS: u32 = 240;
/// Default last day of data.
const DEFAULT_END: NaiveDate = match NaiveDate::from_ymd_opt(2025, 12, 31) {
    Some(d) => d,
    None => NaiveDate::MIN,
};

/// Settings of the demo company as the user gives them (unchecked).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GenerateParams {
    /// Customers in the master, prospects included. Default 2,000.
    pub customers: usize,
    /// Months of history ending at `end`. Default 36.
    pub months: u32,
    /// Seed of every random draw. Default 42.
    pub seed: u64,
    /// Last day of data. Default 2025-12-31.
    pub end: NaiveDate,
    /// Multiplies every customer's purchase rate (orders per month). Default 1.0.
    pub activity: f64,
}

impl Default for GenerateParams {
    fn default() -> Self {
        GenerateParams {
            customers: 2_000,
            months: 36,
            seed: 42,
            end: DEFAULT_END,
            activity: 1.0,
        }
    }
}

impl GenerateParams {
    /// Check every setting once; generation only accepts the checked value.
    pub fn check(self) -> Result<GenerateValid> {
        if self.customers == 0 || self.customers > MAX_CUSTOMERS {
            return Err(Error::Usage(format!(
                "The demo company needs between 1 and {MAX_CUSTOMERS} customers; got {}.",
                self.customers
            )));
        }
        if self.months == 0 || self.months > MAX_MONTHS {
            return Err(Error::Usage(format!(
                "The demo history must cover between 1 and {MAX_MONTHS} months; got {}.",
                self.months
            )));
        }
        if !(self.activity.is_finite() && self.activity > 0.0) {
            return Err(Error::Usage(format!(
                "The demo activity must be a positive number; got {}.",
                self.activity
            )));
        }
        Calendar::new(self.end, self.months)?;
        Ok(GenerateValid(self))
    }
}

/// Checked settings; only [`GenerateParams::check`] builds one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GenerateValid(GenerateParams);

impl GenerateValid {
    pub fn params(&self) -> &GenerateParams {
        &self.0
    }
}

/// The six input tables of the demo company, in contract column order.
#[derive(Debug, Clone)]
pub struct DemoCompany {
    pub customers: DataFrame,
    pub transactions: DataFrame,
    pub targets: DataFrame,
    pub deals: DataFrame,
    pub campaigns: DataFrame,
    pub feedback: DataFrame,
    /// The near-duplicate customers and repeated rows planted in it.
    pub planted: Planted,
    seed: u64,
    /// The planner's settings its `kam.toml` declares (plant capacity, quota growth).
    plan: settings::PlanSettings,
}

impl DemoCompany {
    /// The seed the company was generated with (also the seed of its `kam.toml`).
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The plant capacity written into `kam.toml`, in t/yr.
    pub fn capacity(&self) -> f64 {
        self.plan.capacity
    }

    /// The quota growth written into `kam.toml` (None: the default is kept).
    pub fn growth(&self) -> Option<f64> {
        self.plan.growth
    }

    /// The six tables by name, in the order `kam generate` writes them.
    pub fn tables(&self) -> [(&'static str, &DataFrame); 6] {
        [
            ("customers", &self.customers),
            ("transactions", &self.transactions),
            ("targets", &self.targets),
            ("deals", &self.deals),
            ("campaigns", &self.campaigns),
            ("feedback", &self.feedback),
        ]
    }

    /// A `kam.toml` reading the six tables as `<table>.csv` from its own directory, with the
    /// plant's capacity sized to the company's volume and the quota growth to its revenue.
    pub fn config_toml(&self) -> String {
        let mut s = format!(
            "# kam.toml of the demo company written by `kam generate`.\nseed = {}\n",
            self.seed
        );
        for t in [
            &schema::TRANSACTIONS,
            &schema::CUSTOMERS,
            &schema::TARGETS,
            &schema::DEALS,
            &schema::CAMPAIGNS,
            &schema::FEEDBACK,
        ] {
            s.push_str(&format!(
                "\n[input.{name}]\npath = \"{name}.csv\"\n",
                name = t.name
            ));
        }
        s.push_str(&self.plan.toml());
        s
    }
}

/// Build the demo company. Same parameters, same frames.
pub fn generate(p: &GenerateValid) -> Result<DemoCompany> {
    let p = p.params();
    let cal = Calendar::new(p.end, p.months)?;
    let org = org::build(p.customers, &mut stream(p.seed, Stream::Org, 0));
    let people = customers::build(p, &cal, &org, &mut stream(p.seed, Stream::Customers, 0))?;
    let sales = transactions::simulate(p, &cal, &people)?;
    let mut mess_rng = stream(p.seed, Stream::Mess, 0);
    let customers = unique::in_frame(customers::frame(&people, &org)?, &mut mess_rng)?;
    let (customers, transactions, mut planted) = mess::plant(
        customers,
        transactions::frame(&sales, &people)?,
        &mut mess_rng,
    )?;
    let feedback = feedback::frame(p, &cal, &people, &sales)?;
    let (feedback, bad) = mess::bad_feedback(feedback, &mut mess_rng)?;
    planted.bad_feedback = bad;
    Ok(DemoCompany {
        customers,
        transactions,
        feedback,
        planted,
        targets: targets::frame(p, &cal, &org, &people, &sales)?,
        deals: deals::frame(p, &cal, &org, &people)?,
        campaigns: campaigns::frame(p, &cal, &org)?,
        seed: p.seed,
        plan: settings::PlanSettings::of(&sales, &cal),
    })
}

/// The months of the history: calendar months from `end`'s month back, the last cut at `end`.
/// Days are counted from 1970-01-01 (the physical value of a polars `Date`).
#[derive(Debug, Clone)]
struct Calendar {
    start: i32,
    end: i32,
    months: Vec<Month>,
}

#[derive(Debug, Clone, Copy)]
struct Month {
    first: i32,
    /// Last day with data (the month's last day, or `end` in the final month).
    last: i32,
    /// Days in the full calendar month.
    days: i32,
    year: i32,
    /// 1..=12.
    month: u32,
}

impl Calendar {
    fn new(end: NaiveDate, months: u32) -> Result<Self> {
        let too_early = || {
            Error::Usage(format!(
                "The demo history of {months} months ending {end} starts before year 1."
            ))
        };
        let last_index = end.year() * 12 + end.month0() as i32;
        let first_index = last_index - (months as i32 - 1);
        if first_index < 12 {
            return Err(too_early());
        }
        let first_of = |index: i32| {
            NaiveDate::from_ymd_opt(index.div_euclid(12), index.rem_euclid(12) as u32 + 1, 1)
                .map(|d| d.to_epoch_days())
        };
        let end_day = end.to_epoch_days();
        let mut out = Vec::with_capacity(months as usize);
        for index in first_index..=last_index {
            let first = first_of(index).ok_or_else(too_early)?;
            // The day after the 31st of December 9999 is out of chrono's range.
            let next = first_of(index + 1).unwrap_or(first + 31);
            out.push(Month {
                first,
                last: (next - 1).min(end_day),
                days: next - first,
                year: index.div_euclid(12),
                month: index.rem_euclid(12) as u32 + 1,
            });
        }
        let start = out.first().map_or(end_day, |m| m.first);
        Ok(Calendar {
            start,
            end: end_day,
            months: out,
        })
    }

    /// Index of the month holding `day` (clamped to the history).
    fn month_of(&self, day: i32) -> usize {
        self.months
            .partition_point(|m| m.first <= day)
            .saturating_sub(1)
    }

    /// Whole years since the start, as a fraction (for trends).
    fn years_at(&self, month: usize) -> f64 {
        month as f64 / 12.0
    }
}

// ---- shared sampling helpers ----

/// Index drawn with probability proportional to `weights` (all >= 0, not all zero).
fn weighted<R: Rng + ?Sized>(rng: &mut R, weights: &[f64]) -> usize {
    let total: f64 = weights.iter().sum();
    let mut x = rng.random::<f64>() * total;
    for (i, w) in weights.iter().enumerate() {
        if x < *w {
            return i;
        }
        x -= w;
    }
    weights.len().saturating_sub(1)
}

/// One element of a non-empty constant list.
fn pick<'a, T, R: Rng + ?Sized>(rng: &mut R, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

/// A distribution built from fixed, known-good parameters; a failure is a kam bug.
fn dist<D, E: std::fmt::Display>(r: std::result::Result<D, E>, what: &str) -> Result<D> {
    r.map_err(|e| Error::Internal(format!("demo generator: bad {what} distribution: {e}")))
}

fn round_to(x: f64, step: f64) -> f64 {
    (x / step).round() * step
}

/// Round to 2 decimals (money, prices, volumes).
fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Round to 3 decimals (tonnes).
fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// Decimal digits of `n` (at least 1), for fixed-width ids that sort as strings.
fn digits(n: usize) -> usize {
    n.checked_ilog10().map_or(1, |d| d as usize + 1)
}

// ---- column builders ----

fn str_col<'a>(name: &str, values: impl Iterator<Item = &'a str>) -> Column {
    let ca: StringChunked = values.collect();
    ca.with_name(name.into()).into_column()
}

fn date_col(name: &str, days: Vec<i32>) -> Column {
    Int32Chunked::from_vec(name.into(), days)
        .into_date()
        .into_column()
}

fn opt_date_col(name: &str, days: &[Option<i32>]) -> Column {
    Int32Chunked::new(name.into(), days)
        .into_date()
        .into_column()
}

fn f64_col(name: &str, values: Vec<f64>) -> Column {
    Float64Chunked::from_vec(name.into(), values).into_column()
}

fn i64_col(name: &str, values: Vec<i64>) -> Column {
    Int64Chunked::from_vec(name.into(), values).into_column()
}

fn bool_col(name: &str, values: Vec<bool>) -> Column {
    Column::new(name.into(), values)
}

/// A frame whose columns must be exactly the contract's, in contract order.
fn contract_frame(spec: &TableSpec, columns: Vec<Column>) -> Result<DataFrame> {
    let got: Vec<&str> = columns.iter().map(|c| c.name().as_str()).collect();
    let mut want = spec.names(); // less the merge keys and contract columns, which the demo does not generate
    want.retain(|c| !schema::NOT_GENERATED.contains(c));
    if got != want {
        return Err(Error::Internal(format!(
            "demo generator built {} with columns {got:?}, expected {:?}",
            spec.name, want
        )));
    }
    Ok(DataFrame::new_infer_height(columns)?)
}

#[cfg(test)]
#[path = "tests.rs"]
mod tests;
