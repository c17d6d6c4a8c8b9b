//! Market-share customers under the cap (domain.md §5). A plant of `capacity` t/yr keeps
//! long-term customers at favourable prices but caps their total at `cap_share_max` of
//! capacity (and each at `max_customer_share`), so the rest earns margin and no customer holds
//! the plant hostage.
//!
//! 1. Eligibility: type (ready-mix, developer, distributor; never construction or hydropower),
//!    credit grade, loyalty (months with purchases in the last 12), annual volume (80,000 t,
//!    50,000 t for cash or prepay, scaled down for plants below `reference_capacity`) and
//!    payment risk (long credit terms, high churn risk). Every failed rule is named.
//! 2. Score = weighted mean of credit, loyalty, volume, resource sharing, payment terms (each
//!    in [0, 1]); rank by score, then forecast, then id.
//! 3. Allocation in rank order: min(forecast, per-customer cap, what is left of the total cap),
//!    in whole thousandths so the sums are exact.
//! 4. Negotiation limits for selected customers: price floor, maximum rolling credit, longest
//!    payment term, from the grade and terms tables and the customer's own history, never
//!    above the ceilings.

use polars::prelude::*;

use super::data::Account;
use super::params::{MarketShareParams, PlanValid};
use crate::error::Result;
use crate::schema as s;

pub use crate::schema::columns::plan::{
    ACTIVE_MONTHS, ALLOCATION, BINDING_CONSTRAINT, CAP_MIN_VOLUME, DEMAND_SHORT_OF_MIN,
    ELIGIBLE_DEMAND, FORECAST_VOLUME, MAX_PAYMENT_DAYS, MAX_ROLLING_CREDIT, PRICE_FLOOR, RANK,
    REASON, SCORE, VOLUME_LAST_12M,
};
// (capacity, cap_min_volume, cap_max_volume, eligible_demand, demand_short_of_min: plant-level
// figures repeated on every row, for charts and the report)
pub use crate::schema::columns::{CAP_MAX_VOLUME, CAPACITY, ELIGIBLE, SHARE_OF_CAPACITY};

/// Volumes are allocated in whole thousandths of a unit (exact integer sums).
const MILLI: f64 = 1_000.0;

/// Which limit decided a customer's allocation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Binding {
    /// It got its whole forecast.
    Demand,
    /// The per-customer cap (`max_customer_share` x capacity).
    CustomerCap,
    /// The total cap (`cap_share_max` x capacity) ran out.
    TotalCap,
    NotEligible,
}

impl Binding {
    pub fn name(self) -> &'static str {
        match self {
            Binding::Demand => "demand",
            Binding::CustomerCap => "customer_cap",
            Binding::TotalCap => "total_cap",
            Binding::NotEligible => "not_eligible",
        }
    }
}

/// Greedy allocation in priority order, all in thousandths: each gets
/// min(demand, per_customer, left of total). Sums never exceed `total`.
pub fn allocate(demand: &[i64], per_customer: i64, total: i64) -> Vec<(i64, Binding)> {
    let mut left = total.max(0);
    demand
        .iter()
        .map(|&d| {
            let d = d.max(0);
            let a = d.min(per_customer).min(left);
            left -= a;
            let b = if a == d {
                Binding::Demand
            } else if a == per_customer {
                Binding::CustomerCap
            } else {
                Binding::TotalCap
            };
            (a, b)
        })
        .collect()
}

fn milli(v: f64) -> i64 {
    (v * MILLI).floor() as i64
}

/// forecast = last 12 months x (1 + weight x volume trend clamped to +/- cap), never negative.
pub fn forecast(a: &Account, m: &MarketShareParams) -> f64 {
    let trend = if a.volume_prev_12m > 0.0 {
        (a.volume_12m - a.volume_prev_12m) / a.volume_prev_12m
    } else {
        0.0
    };
    let t = trend.clamp(-m.forecast_trend_cap, m.forecast_trend_cap);
    (a.volume_12m * (1.0 + m.forecast_trend_weight * t)).max(0.0)
}

fn is_cash(a: &Account) -> bool {
    matches!(a.terms.as_deref(), Some("cash" | "prepay"))
}

/// The reasons an account is not eligible (empty = eligible).
pub fn reasons(a: &Account, p: &PlanValid) -> Vec<String> {
    let m = &p.market_share;
    let mut why = Vec::new();
    match a.customer_type.as_deref() {
        None => why.push("no customer type".to_string()),
        Some(t) if m.excluded_types.iter().any(|x| x == t) => {
            why.push(format!("excluded type {t}"))
        }
        Some(t) if !m.eligible_types.iter().any(|x| x == t) => {
            why.push(format!("type {t} not eligible"))
        }
        Some(_) => {}
    }
    let worst = p.grade_rank(&m.min_credit_grade).unwrap_or(0);
    match a.grade.as_deref() {
        None => why.push("no credit grade".into()),
        Some(g) if p.grade_rank(g).is_none_or(|r| r > worst) => {
            why.push(format!("credit grade {g} below {}", m.min_credit_grade))
        }
        Some(_) => {}
    }
    if a.active_months < m.min_loyal_months {
        why.push(format!(
            "bought in {} of the last 12 months (needs {})",
            a.active_months, m.min_loyal_months
        ));
    }
    let scale = (m.capacity / m.reference_capacity).min(1.0);
    let need = scale
        * if is_cash(a) {
            m.min_volume_cash
        } else {
            m.min_volume
        };
    if a.volume_12m < need {
        why.push(format!(
            "volume {:.0} in the last 12 months below {need:.0}",
            a.volume_12m
        ));
    }
    if a.terms.as_deref() == Some("credit")
        && a.credit_days
            .is_some_and(|d| d > f64::from(m.max_credit_days))
    {
        why.push(format!(
            "payment risk: credit terms of {} days above {}",
            a.credit_days.unwrap_or(0.0),
            m.max_credit_days
        ));
    }
    if a.churn_risk.as_deref() == Some(m.exclude_churn_risk.as_str()) {
        why.push(format!("payment risk: churn risk {}", m.exclude_churn_risk));
    }
    why
}

/// Priority score in [0, 1]; `max_forecast` normalises the volume part.
fn score(a: &Account, fc: f64, max_forecast: f64, p: &PlanValid) -> f64 {
    let m = &p.market_share;
    let w = &m.weights;
    let n = p.grades.len().saturating_sub(1).max(1) as f64;
    let credit = a
        .grade
        .as_deref()
        .and_then(|g| p.grade_rank(g))
        .map_or(0.0, |r| 1.0 - r as f64 / n);
    let loyalty = f64::from(a.active_months.min(12)) / 12.0;
    let volume = if max_forecast > 0.0 {
        fc / max_forecast
    } else {
        0.0
    };
    let sharing = if a.shares_resources { 1.0 } else { 0.0 };
    let terms = m
        .payment_scores
        .get(a.terms.as_deref().unwrap_or("credit"))
        .copied()
        .unwrap_or(0.0);
    let sum = w.credit + w.loyalty + w.volume + w.resource_sharing + w.payment_terms;
    (w.credit * credit
        + w.loyalty * loyalty
        + w.volume * volume
        + w.resource_sharing * sharing
        + w.payment_terms * terms)
        / sum
}

/// Negotiation limits of a selected customer: (price floor, max rolling credit, max days).
fn limits(a: &Account, m: &MarketShareParams) -> (Option<f64>, f64, u32) {
    let g = a.grade.as_deref().unwrap_or_default();
    let terms = a.terms.as_deref().unwrap_or("credit");
    let discount = m.price_discount.get(g).copied().unwrap_or(0.0)
        + m.terms_discount.get(terms).copied().unwrap_or(0.0);
    let floor = a
        .avg_price
        .map(|pr| (pr * (1.0 - discount)).max(m.min_price))
        .or((m.min_price > 0.0).then_some(m.min_price));
    let (credit, days) = if terms == "credit" {
        let months = m.credit_months.get(g).copied().unwrap_or(0.0);
        let credit = (months * a.revenue_12m.max(0.0) / 12.0).min(m.max_rolling_credit);
        let days = m.payment_days.get(g).copied().unwrap_or(0);
        (credit, days.min(m.max_payment_days))
    } else {
        (0.0, 0)
    };
    (floor, credit, days)
}

/// What the market-share step found, for the notes and the summary.
#[derive(Debug, Clone, PartialEq)]
pub struct MarketShareSummary {
    pub eligible: usize,
    pub selected: usize,
    pub allocated: f64,
    pub eligible_demand: f64,
    pub notes: Vec<String>,
}

/// The market-share table: eligible customers in rank order, then the others by volume.
pub fn market_share(
    accounts: &[Account],
    p: &PlanValid,
) -> Result<(DataFrame, MarketShareSummary)> {
    let m = &p.market_share;
    let mut a = Assessment::of(accounts, p);
    let order = a.ranked(accounts);
    let per_cap = milli(m.max_customer_share * m.capacity);
    let total = milli(m.cap_share_max * m.capacity);
    let demand: Vec<i64> = order.iter().map(|&i| milli(a.fc[i])).collect();
    let alloc = allocate(&demand, per_cap, total);
    for (r, (&i, g)) in order.iter().zip(alloc).enumerate() {
        a.rank[i] = Some(r as u32 + 1);
        a.given[i] = g;
    }
    let rows = row_order(accounts, order, &a.rank);
    let allocated = a.given.iter().map(|g| g.0).sum::<i64>() as f64 / MILLI;
    let eligible_demand = demand.iter().map(|d| d.min(&per_cap)).sum::<i64>() as f64 / MILLI;
    let selected = a.given.iter().filter(|g| g.0 > 0).count();
    let eligible = a.why.iter().filter(|w| w.is_empty()).count();
    let mut notes = Vec::new();
    let floor = m.cap_share_min * m.capacity;
    if eligible_demand < floor {
        notes.push(format!(
            "market share: eligible demand {eligible_demand:.0} is short of cap_share_min {} x capacity {} = {floor:.0}; {} customers are eligible",
            m.cap_share_min, m.capacity, eligible
        ));
    }
    let df = to_frame(accounts, &rows, &a, m, eligible_demand)?;
    Ok((
        df,
        MarketShareSummary {
            eligible,
            selected,
            allocated,
            eligible_demand,
            notes,
        },
    ))
}

/// Per account (in input order): forecast, reasons it is not eligible (empty: eligible),
/// score (eligible only), and after allocation its rank and allocation.
struct Assessment {
    fc: Vec<f64>,
    why: Vec<Vec<String>>,
    sc: Vec<Option<f64>>,
    rank: Vec<Option<u32>>,
    given: Vec<(i64, Binding)>,
}

impl Assessment {
    /// Forecasts, eligibility and scores (the volume part relative to the largest eligible
    /// forecast); nothing allocated yet.
    fn of(accounts: &[Account], p: &PlanValid) -> Assessment {
        let m = &p.market_share;
        let fc: Vec<f64> = accounts.iter().map(|a| forecast(a, m)).collect();
        let why: Vec<Vec<String>> = accounts.iter().map(|a| reasons(a, p)).collect();
        let max_fc = (0..accounts.len())
            .filter(|&i| why[i].is_empty())
            .map(|i| fc[i])
            .fold(0.0, f64::max);
        let sc: Vec<Option<f64>> = (0..accounts.len())
            .map(|i| {
                why[i]
                    .is_empty()
                    .then(|| score(&accounts[i], fc[i], max_fc, p))
            })
            .collect();
        Assessment {
            fc,
            why,
            sc,
            rank: vec![None; accounts.len()],
            given: vec![(0i64, Binding::NotEligible); accounts.len()],
        }
    }

    /// The eligible accounts by score, then forecast (largest first), then id.
    fn ranked(&self, accounts: &[Account]) -> Vec<usize> {
        let (sc, fc) = (&self.sc, &self.fc);
        let mut order: Vec<usize> = (0..accounts.len())
            .filter(|&i| self.why[i].is_empty())
            .collect();
        order.sort_by(|&x, &y| {
            sc[y]
                .unwrap_or(0.0)
                .total_cmp(&sc[x].unwrap_or(0.0))
                .then(fc[y].total_cmp(&fc[x]))
                .then(accounts[x].id.cmp(&accounts[y].id))
        });
        order
    }
}

/// The output rows: ranked first, then the unranked by volume (largest first), then id.
fn row_order(accounts: &[Account], ranked: Vec<usize>, rank: &[Option<u32>]) -> Vec<usize> {
    let mut rows = ranked;
    let mut rest: Vec<usize> = (0..accounts.len()).filter(|&i| rank[i].is_none()).collect();
    rest.sort_by(|&x, &y| {
        accounts[y]
            .volume_12m
            .total_cmp(&accounts[x].volume_12m)
            .then(accounts[x].id.cmp(&accounts[y].id))
    });
    rows.extend(rest);
    rows
}

/// The market-share table of `rows` (indices into `accounts`), with the negotiation limits
/// of the selected and the capacity figures on every row.
fn to_frame(
    accounts: &[Account],
    rows: &[usize],
    a: &Assessment,
    m: &MarketShareParams,
    eligible_demand: f64,
) -> Result<DataFrame> {
    let (why, sc, rank, fc, given) = (&a.why, &a.sc, &a.rank, &a.fc, &a.given);
    let floor = m.cap_share_min * m.capacity;
    let lim: Vec<Option<(Option<f64>, f64, u32)>> = accounts
        .iter()
        .zip(given)
        .map(|(a, g)| (g.0 > 0).then(|| limits(a, m)))
        .collect();
    let pick = |i: &usize| &accounts[*i];
    Ok(df![
        s::CUSTOMER_ID => rows.iter().map(|i| pick(i).id.clone()).collect::<Vec<_>>(),
        s::NAME => rows.iter().map(|i| pick(i).name.clone()).collect::<Vec<_>>(),
        s::CUSTOMER_TYPE => rows.iter().map(|i| pick(i).customer_type.clone()).collect::<Vec<_>>(),
        s::CREDIT_GRADE => rows.iter().map(|i| pick(i).grade.clone()).collect::<Vec<_>>(),
        s::PAYMENT_TERMS => rows.iter().map(|i| pick(i).terms.clone()).collect::<Vec<_>>(),
        ELIGIBLE => rows.iter().map(|&i| why[i].is_empty()).collect::<Vec<_>>(),
        REASON => rows.iter().map(|&i| why[i].join("; ")).collect::<Vec<_>>(),
        SCORE => rows.iter().map(|&i| sc[i]).collect::<Vec<_>>(),
        RANK => rows.iter().map(|&i| rank[i]).collect::<Vec<_>>(),
        VOLUME_LAST_12M => rows.iter().map(|i| pick(i).volume_12m).collect::<Vec<_>>(),
        ACTIVE_MONTHS => rows.iter().map(|i| pick(i).active_months).collect::<Vec<_>>(),
        FORECAST_VOLUME => rows.iter().map(|&i| fc[i]).collect::<Vec<_>>(),
        ALLOCATION => rows.iter().map(|&i| given[i].0 as f64 / MILLI).collect::<Vec<_>>(),
        SHARE_OF_CAPACITY => rows.iter().map(|&i| given[i].0 as f64 / MILLI / m.capacity).collect::<Vec<_>>(),
        BINDING_CONSTRAINT => rows.iter().map(|&i| given[i].1.name()).collect::<Vec<_>>(),
        PRICE_FLOOR => rows.iter().map(|&i| lim[i].and_then(|l| l.0)).collect::<Vec<_>>(),
        MAX_ROLLING_CREDIT => rows.iter().map(|&i| lim[i].map(|l| l.1)).collect::<Vec<_>>(),
        MAX_PAYMENT_DAYS => rows.iter().map(|&i| lim[i].map(|l| l.2)).collect::<Vec<_>>(),
        s::SHARES_RESOURCES => rows.iter().map(|i| pick(i).shares_resources).collect::<Vec<_>>(),
        s::DISTRICT => rows.iter().map(|i| pick(i).district.clone()).collect::<Vec<_>>(),
        s::STATION => rows.iter().map(|i| pick(i).station.clone()).collect::<Vec<_>>(),
        s::ACCOUNT_MANAGER => rows.iter().map(|i| pick(i).manager.clone()).collect::<Vec<_>>(),
        CAPACITY => vec![m.capacity; rows.len()],
        CAP_MIN_VOLUME => vec![floor; rows.len()],
        CAP_MAX_VOLUME => vec![m.cap_share_max * m.capacity; rows.len()],
        ELIGIBLE_DEMAND => vec![eligible_demand; rows.len()],
        DEMAND_SHORT_OF_MIN => vec![eligible_demand < floor; rows.len()],
    ]?)
}

#[cfg(test)]
#[path = "market_share_tests.rs"]
mod tests;
