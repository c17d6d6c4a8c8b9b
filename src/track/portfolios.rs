//! `portfolios.csv`: each account manager's book (domain.md §6: every customer has an account
//! manager), one row per manager named in the customers table's `account_manager` column.
//!
//! A manager's **book** is the rows of the per-customer table assigned to them. In it
//! (docs/tracking.md, "Account-manager portfolios"):
//! - a **customer** has bought (`first_purchase` set, on or before as_of); a **prospect**
//!   (a census entry) has not; every row is one or the other;
//! - district and station: the commonest among the book (ties: the first by name);
//! - key accounts: rows with a `key_account_tier` (prospects too: an intended deal makes a key
//!   account before its first purchase); high-risk ones have `churn_risk` = `high`;
//! - money columns are sums over the book, in fixed point;
//!   revenue_growth = revenue_last_12m / revenue_prev_12m - 1, empty when the prior is <= 0;
//! - b_or_better_share: the quality-customer share of [`QualityRule`], over the same rows as
//!   the planner's credit mix (so it equals `credit_mix.csv`'s quality_share of the manager);
//! - ytd: the manager's year-to-date revenue row of `attainment.csv` in the last month with
//!   sales ([`super::attainment::rows`]);
//! - open deals (stage neither `signed` nor `lost`) go to the manager of the deal's customer,
//!   else to the deal's owner when the owner is a manager; others belong to no portfolio.

use std::collections::{BTreeMap, HashMap};

use polars::prelude::*;

use super::attainment::{Metric, Row};
use super::cols as c;
use super::facts::Level;
use crate::error::Result;
use crate::frame::{self, from_fixed, tidy, to_fixed};
use crate::grades::QualityRule;
use crate::schema as s;
use crate::schema::columns::{CHURN_RISK, KEY_ACCOUNT_TIER};

/// The churn risk level of `high_risk_key_accounts`.
pub const HIGH_RISK: &str = "high";
/// Deal stages that are closed (every other stage is open).
pub const CLOSED_STAGES: [&str; 2] = ["signed", "lost"];

/// The manager's year-to-date revenue, target and attainment (ytd revenue / ytd target).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Ytd {
    pub revenue: f64,
    pub target: Option<f64>,
    pub attainment: Option<f64>,
}

/// One account manager's book, summed. Options are None when the input they come from is
/// absent (churn scores, CLV, credit grades, deals).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Book {
    pub manager: String,
    pub district: Option<String>,
    pub station: Option<String>,
    pub customers: u64,
    pub prospects: u64,
    pub key_accounts: u64,
    pub high_risk_key_accounts: Option<u64>,
    pub revenue_last_12m: f64,
    pub revenue_prev_12m: f64,
    pub clv: Option<f64>,
    pub revenue_at_risk: Option<f64>,
    pub b_or_better_share: Option<f64>,
    pub ytd: Ytd,
    pub open_deals: Option<u64>,
    pub open_deal_amount: Option<f64>,
}

impl Book {
    /// revenue_last_12m / revenue_prev_12m - 1; None when the prior 12 months are <= 0.
    pub fn revenue_growth(&self) -> Option<f64> {
        (self.revenue_prev_12m > 0.0).then(|| self.revenue_last_12m / self.revenue_prev_12m - 1.0)
    }
}

/// What the portfolios are built from.
pub struct Inputs<'a> {
    /// The per-customer table after value, segment and churn.
    pub customers: &'a DataFrame,
    pub deals: Option<&'a DataFrame>,
    /// The attainment rows and the last month with sales (month index).
    pub attainment: &'a [Row],
    pub last_month: i32,
    pub rule: &'a QualityRule,
}

/// The portfolios, by revenue of the last 12 months (largest first, ties by name), and the
/// open deals no manager's portfolio holds; None when no customer has an account manager.
pub fn portfolios(inp: &Inputs) -> Result<Option<(Vec<Book>, u64)>> {
    let Some(mut books) = books(inp.customers, inp.rule)? else {
        return Ok(None);
    };
    add_ytd(&mut books, inp.attainment, inp.last_month);
    let unattributed = match inp.deals {
        Some(d) => add_deals(&mut books, inp.customers, d)?,
        None => 0,
    };
    books.sort_by(|a, b| {
        b.revenue_last_12m
            .total_cmp(&a.revenue_last_12m)
            .then_with(|| a.manager.cmp(&b.manager))
    });
    Ok(Some((books, unattributed)))
}

/// Running sums of one book (money in fixed point).
#[derive(Default)]
struct Acc {
    districts: BTreeMap<String, u64>,
    stations: BTreeMap<String, u64>,
    customers: u64,
    prospects: u64,
    key_accounts: u64,
    high_risk: u64,
    revenue: i64,
    prev: i64,
    clv: i64,
    at_risk: i64,
    quality: u64,
}

/// The commonest name (ties: the first by name).
fn commonest(counts: &BTreeMap<String, u64>) -> Option<String> {
    counts
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
        .map(|(name, _)| name.clone())
}

/// One book per manager of the customer table, sorted by name, without the ytd and deals.
fn books(t: &DataFrame, rule: &QualityRule) -> Result<Option<Vec<Book>>> {
    let manager = frame::trimmed(t, s::ACCOUNT_MANAGER)?;
    let (district, station) = (
        frame::trimmed(t, s::DISTRICT)?,
        frame::trimmed(t, s::STATION)?,
    );
    let bought = frame::days(t, s::FIRST_PURCHASE)?;
    let (tier, risk, grade) = (
        frame::trimmed(t, KEY_ACCOUNT_TIER)?,
        frame::trimmed(t, CHURN_RISK)?,
        frame::strings(t, s::CREDIT_GRADE)?,
    );
    let money = |name: &str| frame::f64s(t, name);
    let (rev, prev, clv, at_risk) = (
        money(s::REVENUE_LAST_12M)?,
        money(s::REVENUE_PREV_12M)?,
        money(s::CLV)?,
        money(s::REVENUE_AT_RISK)?,
    );
    let fixed = |v: Option<f64>| v.filter(|x| x.is_finite()).map_or(0, to_fixed);
    let mut acc: BTreeMap<String, Acc> = BTreeMap::new();
    for i in 0..t.height() {
        let Some(m) = &manager[i] else { continue };
        let a = acc.entry(m.clone()).or_default();
        for (names, v) in [
            (&mut a.districts, &district[i]),
            (&mut a.stations, &station[i]),
        ] {
            if let Some(v) = v {
                *names.entry(v.clone()).or_default() += 1;
            }
        }
        match bought[i] {
            Some(_) => a.customers += 1,
            None => a.prospects += 1,
        }
        if tier[i].is_some() {
            a.key_accounts += 1;
            a.high_risk += u64::from(risk[i].as_deref() == Some(HIGH_RISK));
        }
        a.quality += u64::from(rule.is_quality(grade[i].as_deref()));
        a.revenue += fixed(rev[i]);
        a.prev += fixed(prev[i]);
        a.clv += fixed(clv[i]);
        a.at_risk += fixed(at_risk[i]);
    }
    if acc.is_empty() {
        return Ok(None);
    }
    let has = |name: &str| frame::has(t, name);
    let (has_clv, has_risk) = (has(s::CLV), has(CHURN_RISK));
    let (has_at_risk, has_grade) = (has(s::REVENUE_AT_RISK), has(s::CREDIT_GRADE));
    let books = acc
        .into_iter()
        .map(|(manager, a)| Book {
            district: commonest(&a.districts),
            station: commonest(&a.stations),
            customers: a.customers,
            prospects: a.prospects,
            key_accounts: a.key_accounts,
            high_risk_key_accounts: has_risk.then_some(a.high_risk),
            revenue_last_12m: from_fixed(a.revenue),
            revenue_prev_12m: from_fixed(a.prev),
            clv: has_clv.then(|| from_fixed(a.clv)),
            revenue_at_risk: has_at_risk.then(|| from_fixed(a.at_risk)),
            b_or_better_share: has_grade.then(|| rule.share(a.quality, a.customers + a.prospects)),
            manager,
            ..Book::default()
        })
        .collect();
    Ok(Some(books))
}

/// Each manager's year-to-date revenue, target and attainment: their `account_manager`
/// revenue row of `attainment.csv` latest in the year of `last_month` (the running sums of
/// [`super::attainment::rows`]); a manager without one sold nothing that year.
fn add_ytd(books: &mut [Book], rows: &[Row], last_month: i32) {
    let year = last_month.div_euclid(12);
    let mut latest: HashMap<&str, &Row> = HashMap::new();
    for r in rows.iter().filter(|r| {
        r.key.level == Level::AccountManager
            && r.key.metric == Metric::Revenue
            && r.key.month <= last_month
            && r.key.month.div_euclid(12) == year
    }) {
        let e = latest.entry(r.key.unit.as_str()).or_insert(r);
        if r.key.month >= e.key.month {
            *e = r;
        }
    }
    for b in books {
        if let Some(r) = latest.get(b.manager.as_str()) {
            b.ytd = Ytd {
                revenue: r.ytd_actual.unwrap_or(0.0),
                target: r.ytd_target,
                attainment: r.ytd_completion_rate,
            };
        }
    }
}

/// Open deals per manager (see the module notes); returns the open deals of no manager.
fn add_deals(books: &mut [Book], customers: &DataFrame, deals: &DataFrame) -> Result<u64> {
    let (ids, managers) = (
        frame::trimmed(customers, s::CUSTOMER_ID)?,
        frame::trimmed(customers, s::ACCOUNT_MANAGER)?,
    );
    let manager_of: HashMap<&str, &str> = ids
        .iter()
        .zip(&managers)
        .filter_map(|(id, m)| Some((id.as_deref()?, m.as_deref()?)))
        .collect();
    let index: HashMap<String, usize> = books
        .iter()
        .enumerate()
        .map(|(i, b)| (b.manager.clone(), i))
        .collect();
    let (customer, owner) = (
        frame::trimmed(deals, s::CUSTOMER_ID)?,
        frame::trimmed(deals, s::OWNER)?,
    );
    let (stage, amount) = (
        frame::trimmed(deals, s::STAGE)?,
        frame::f64s(deals, s::INTENDED_AMOUNT)?,
    );
    let mut counts = vec![(0u64, 0i64); books.len()];
    let mut unattributed = 0;
    for r in 0..deals.height() {
        if stage[r]
            .as_deref()
            .is_some_and(|st| CLOSED_STAGES.contains(&st))
        {
            continue;
        }
        let by_customer = customer[r].as_deref().and_then(|id| manager_of.get(id));
        let by_owner = || owner[r].as_deref().filter(|o| index.contains_key(*o));
        let Some(i) = by_customer
            .copied()
            .or_else(by_owner)
            .and_then(|m| index.get(m))
        else {
            unattributed += 1;
            continue;
        };
        counts[*i].0 += 1;
        counts[*i].1 += amount[r].filter(|a| a.is_finite()).map_or(0, to_fixed);
    }
    for (b, (n, a)) in books.iter_mut().zip(counts) {
        b.open_deals = Some(n);
        b.open_deal_amount = Some(from_fixed(a));
    }
    Ok(unattributed)
}

/// The books as the `portfolios.csv` frame.
pub fn frame(books: &[Book]) -> Result<DataFrame> {
    let text = |name: &str, f: &dyn Fn(&Book) -> Option<String>| {
        Column::new(name.into(), books.iter().map(f).collect::<Vec<_>>())
    };
    let count = |name: &str, f: &dyn Fn(&Book) -> Option<u64>| {
        Column::new(name.into(), books.iter().map(f).collect::<Vec<_>>())
    };
    let num = |name: &str, f: &dyn Fn(&Book) -> Option<f64>| {
        Column::new(name.into(), books.iter().map(f).collect::<Vec<_>>())
    };
    Ok(DataFrame::new_infer_height(vec![
        text(c::ACCOUNT_MANAGER, &|b| Some(b.manager.clone())),
        text(c::DISTRICT, &|b| b.district.clone()),
        text(c::STATION, &|b| b.station.clone()),
        count(c::CUSTOMERS, &|b| Some(b.customers)),
        count(c::PROSPECTS, &|b| Some(b.prospects)),
        count(c::KEY_ACCOUNTS, &|b| Some(b.key_accounts)),
        count(c::HIGH_RISK_KEY_ACCOUNTS, &|b| b.high_risk_key_accounts),
        num(c::REVENUE_LAST_12M, &|b| Some(tidy(b.revenue_last_12m))),
        num(c::REVENUE_PREV_12M, &|b| Some(tidy(b.revenue_prev_12m))),
        num(c::REVENUE_GROWTH, &|b| b.revenue_growth()),
        num(c::CLV, &|b| b.clv.map(tidy)),
        num(c::REVENUE_AT_RISK, &|b| b.revenue_at_risk.map(tidy)),
        num(c::B_OR_BETTER_SHARE, &|b| b.b_or_better_share),
        num(c::YTD_REVENUE, &|b| Some(tidy(b.ytd.revenue))),
        num(c::YTD_TARGET, &|b| b.ytd.target.map(tidy)),
        num(c::YTD_ATTAINMENT, &|b| b.ytd.attainment),
        count(c::OPEN_DEALS, &|b| b.open_deals),
        num(c::OPEN_DEAL_AMOUNT, &|b| b.open_deal_amount.map(tidy)),
    ])?)
}

#[cfg(test)]
#[path = "portfolios_tests.rs"]
mod tests;
