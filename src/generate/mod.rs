//! The seeded synthetic company behind `kam generate` and `data/demo/`.
//!
//! A regional cement and building-materials group: districts (片区) with stations and depots,
//! account managers, and every customer type of domain.md — a few very large ready-mix,
//! developer and distributor accounts, bursty construction and hydropower projects, steady
//! government and enterprise buyers, and many small fleet and individual card customers. It
//! owns the five input tables of the contract (customers, transactions, targets, deals,
//! campaigns) as DataFrames, with contract column names and order, and nothing else: writing
//! them to disk is `io`'s job.
//!
//! Deterministic by construction: every random draw comes from [`GenerateParams::seed`] through
//! one stream per table (and per customer for purchases), iteration order is fixed, and rows
//! are sorted, so the same parameters give identical frames.

mod campaigns;
mod customers;
mod deals;
mod names;
mod org;
mod targets;
mod transactions;

use chrono::{Datelike, NaiveDate};
use polars::prelude::*;
use rand::SeedableRng;
use rand::rngs::StdRng;
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

/// The five input tables of the demo company, in contract column order.
#[derive(Debug, Clone)]
pub struct DemoCompany {
    pub customers: DataFrame,
    pub transactions: DataFrame,
    pub targets: DataFrame,
    pub deals: DataFrame,
    pub campaigns: DataFrame,
    seed: u64,
}

impl DemoCompany {
    /// The seed the company was generated with (also the seed of its `kam.toml`).
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// A `kam.toml` reading the five tables as `<table>.csv` from its own directory.
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
        ] {
            s.push_str(&format!(
                "\n[input.{name}]\npath = \"{name}.csv\"\n",
                name = t.name
            ));
        }
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
    Ok(DemoCompany {
        customers: customers::frame(&people, &org)?,
        transactions: transactions::frame(&sales, &people)?,
        targets: targets::frame(p, &cal, &org, &people, &sales)?,
        deals: deals::frame(p, &cal, &org, &people)?,
        campaigns: campaigns::frame(p, &cal, &org)?,
        seed: p.seed,
    })
}

/// One independent random stream per table, so changing one table's logic leaves the others.
#[derive(Debug, Clone, Copy)]
enum Stream {
    Org = 1,
    Customers = 2,
    Market = 3,
    Purchases = 4,
    Targets = 5,
    Deals = 6,
    Campaigns = 7,
}

/// SplitMix64 finaliser: spreads nearby seeds over the whole 64-bit space.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The RNG of stream `s`, sub-stream `index` (e.g. one per customer).
fn stream(seed: u64, s: Stream, index: u64) -> StdRng {
    StdRng::seed_from_u64(mix(mix(seed ^ mix(s as u64)) ^ index))
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
    if got != spec.names() {
        return Err(Error::Internal(format!(
            "demo generator built {} with columns {got:?}, expected {:?}",
            spec.name,
            spec.names()
        )));
    }
    Ok(DataFrame::new_infer_height(columns)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(customers: usize, months: u32, seed: u64) -> GenerateParams {
        GenerateParams {
            customers,
            months,
            seed,
            ..GenerateParams::default()
        }
    }

    fn small(seed: u64) -> Result<DemoCompany> {
        generate(&params(300, 12, seed).check()?)
    }

    fn frames(c: &DemoCompany) -> [&DataFrame; 5] {
        [
            &c.customers,
            &c.transactions,
            &c.targets,
            &c.deals,
            &c.campaigns,
        ]
    }

    fn days(df: &DataFrame, col: &str) -> Result<Vec<Option<i32>>> {
        Ok(df
            .column(col)?
            .as_materialized_series()
            .date()?
            .physical()
            .iter()
            .collect())
    }

    fn strs(df: &DataFrame, col: &str) -> Result<Vec<String>> {
        Ok(df
            .column(col)?
            .str()?
            .iter()
            .map(|s| s.unwrap_or_default().to_string())
            .collect())
    }

    #[test]
    fn same_seed_gives_equal_frames() -> Result<()> {
        let (a, b) = (small(7)?, small(7)?);
        for (x, y) in frames(&a).into_iter().zip(frames(&b)) {
            assert!(x.equals_missing(y));
        }
        Ok(())
    }

    #[test]
    fn different_seed_gives_different_frames() -> Result<()> {
        let (a, b) = (small(7)?, small(8)?);
        for (x, y) in frames(&a).into_iter().zip(frames(&b)) {
            assert!(!x.equals_missing(y));
        }
        Ok(())
    }

    #[test]
    fn columns_are_the_contract() -> Result<()> {
        let c = small(1)?;
        let specs = [
            &schema::CUSTOMERS,
            &schema::TRANSACTIONS,
            &schema::TARGETS,
            &schema::DEALS,
            &schema::CAMPAIGNS,
        ];
        for (df, spec) in frames(&c).into_iter().zip(specs) {
            let names: Vec<&str> = df.get_column_names().iter().map(|n| n.as_str()).collect();
            assert_eq!(names, spec.names(), "{}", spec.name);
            assert!(df.height() > 0, "{} is empty", spec.name);
        }
        assert_eq!(
            c.transactions.column(schema::DATE)?.dtype(),
            &DataType::Date
        );
        assert_eq!(
            c.transactions.column(schema::AMOUNT)?.dtype(),
            &DataType::Float64
        );
        assert_eq!(
            c.customers.column(schema::VEHICLES)?.dtype(),
            &DataType::Int64
        );
        assert_eq!(
            c.customers.column(schema::SHARES_RESOURCES)?.dtype(),
            &DataType::Boolean
        );
        assert_eq!(c.targets.column(schema::PERIOD)?.dtype(), &DataType::String);
        Ok(())
    }

    #[test]
    fn customer_types_are_the_contract_vocabulary() {
        let codes: Vec<&str> = customers::TYPES.iter().map(|t| t.code).collect();
        assert_eq!(codes, schema::CUSTOMER_TYPES);
    }

    #[test]
    fn grade_mix_is_close_to_the_target() -> Result<()> {
        let c = generate(&params(5_000, 1, 3).check()?)?;
        let grades = strs(&c.customers, schema::CREDIT_GRADE)?;
        for (g, share) in customers::GRADES.iter().zip(customers::GRADE_MIX) {
            let got = grades.iter().filter(|x| x == g).count() as f64 / grades.len() as f64;
            assert!((got - share).abs() < 0.03, "{g}: {got} vs {share}");
        }
        let b_or_better = grades
            .iter()
            .filter(|g| ["AAA", "AA", "A", "B"].contains(&g.as_str()))
            .count() as f64
            / grades.len() as f64;
        assert!((b_or_better - 0.54).abs() < 0.03, "{b_or_better}");
        Ok(())
    }

    #[test]
    fn transactions_fall_between_acquisition_and_end() -> Result<()> {
        let p = params(400, 18, 11).check()?;
        let c = generate(&p)?;
        let end = p.params().end.to_epoch_days();
        let ids = strs(&c.customers, schema::CUSTOMER_ID)?;
        let acquired = days(&c.customers, schema::ACQUIRED_ON)?;
        let acq: std::collections::BTreeMap<&str, Option<i32>> =
            ids.iter().map(String::as_str).zip(acquired).collect();
        let t_ids = strs(&c.transactions, schema::CUSTOMER_ID)?;
        let t_days = days(&c.transactions, schema::DATE)?;
        for (id, day) in t_ids.iter().zip(t_days) {
            let day = day.unwrap_or(i32::MIN);
            assert!(day <= end, "{id} buys after the end");
            match acq.get(id.as_str()) {
                Some(Some(a)) => assert!(day >= *a, "{id} buys before it was acquired"),
                Some(None) => panic!("prospect {id} has a transaction"),
                None => panic!("{id} is not in customers"),
            }
        }
        Ok(())
    }

    #[test]
    fn rows_are_sorted_and_order_ids_unique() -> Result<()> {
        let c = small(5)?;
        let ids = strs(&c.customers, schema::CUSTOMER_ID)?;
        assert!(ids.windows(2).all(|w| w[0] < w[1]));
        let t_days = days(&c.transactions, schema::DATE)?;
        let orders = strs(&c.transactions, schema::ORDER_ID)?;
        let keys: Vec<(Option<i32>, &String)> = t_days.into_iter().zip(&orders).collect();
        assert!(keys.windows(2).all(|w| w[0] < w[1]));
        let amounts = c.transactions.column(schema::AMOUNT)?.f64()?.clone();
        let returns = amounts.iter().flatten().filter(|a| *a < 0.0).count();
        assert!(orders.iter().filter(|o| o.starts_with('R')).count() == returns);
        Ok(())
    }

    #[test]
    fn small_demo_has_realistic_size() -> Result<()> {
        let c = generate(&GenerateParams::default().check()?)?;
        let n = c.transactions.height();
        assert!((50_000..=120_000).contains(&n), "{n} transactions");
        assert_eq!(c.customers.height(), 2_000);
        Ok(())
    }

    #[test]
    fn config_points_at_the_five_tables() -> Result<()> {
        let c = small(9)?;
        let cfg: crate::config::Config = toml::from_str(&c.config_toml())
            .map_err(|e| Error::Internal(format!("demo kam.toml does not parse: {e}")))?;
        assert_eq!(cfg.seed, 9);
        assert!(cfg.as_of.is_none());
        assert!(c.config_toml().contains("path = \"campaigns.csv\""));
        Ok(())
    }

    #[test]
    fn customers_cannot_be_zero() {
        let e = params(0, 36, 1).check().map(|_| ()).unwrap_err();
        assert!(e.to_string().contains("customers"), "{e}");
        assert_eq!(e.exit_code(), 2);
    }

    #[test]
    fn months_cannot_be_zero() {
        let e = params(10, 0, 1).check().map(|_| ()).unwrap_err();
        assert!(e.to_string().contains("months"), "{e}");
    }

    #[test]
    fn activity_must_be_positive() {
        let p = GenerateParams {
            activity: f64::NAN,
            ..GenerateParams::default()
        };
        assert!(p.check().is_err());
    }

    #[test]
    fn one_customer_one_month_still_makes_every_table() -> Result<()> {
        let c = generate(&params(1, 1, 2).check()?)?;
        assert_eq!(c.customers.height(), 1);
        assert_eq!(c.deals.height(), 20);
        assert!(c.targets.height() > 0);
        Ok(())
    }

    #[test]
    fn calendar_cuts_the_last_month_at_end() -> Result<()> {
        let end = NaiveDate::from_ymd_opt(2024, 3, 15).ok_or(Error::Internal("date".into()))?;
        let cal = Calendar::new(end, 3)?;
        assert_eq!(cal.months.len(), 3);
        assert_eq!((cal.months[0].year, cal.months[0].month), (2024, 1));
        assert_eq!(cal.months[1].days, 29);
        assert_eq!(cal.months[2].last, end.to_epoch_days());
        assert_eq!(cal.month_of(end.to_epoch_days()), 2);
        Ok(())
    }
}
