//! Next period's quotas (domain.md §2, §6): a company target split to districts, then
//! stations, then account managers, in proportion to each unit's potential, within per-unit
//! bounds on the change against last period, summing exactly to the parent at every level.
//!
//! - company target: `company_target`, else the targets table's company target for the
//!   next period's months, else last period's actual x (1 + `growth`); rounded to
//!   `rounding_unit`.
//! - potential of a customer = max(0, revenue_12m) x (1 + trend_weight x clamp(trend_12m,
//!   +/- trend_cap)) + prospect_weight x untapped census potential (valued at the customer's
//!   price, else the company's average price, for a revenue quota); a unit's potential is
//!   the sum over its customers.
//! - split: the children's quotas are clamp(lambda x potential, lower, upper) with lambda
//!   chosen so they sum to the parent (lower = last x (1 - max_decrease), upper = last x
//!   (1 + max_increase); a unit without last-period sales has no upper bound), then rounded
//!   to whole `rounding_unit`s by largest remainder inside the bounds.
//! - bounds that cannot sum to the parent stop the run with [`Error::Infeasible`].

use std::collections::BTreeMap;

use polars::prelude::*;

use super::data::{Account, Periods};
use super::params::{PlanValid, QuotaMetric, QuotaParams};
use super::prospects::untapped;
pub use super::split::{Bound, Child, UNBOUNDED, bounds, split};
use crate::error::Result;
use crate::frame;
use crate::schema as s;

pub use crate::schema::columns::plan::{
    BOUND_APPLIED, CHANGE_PCT, LAST_PERIOD_ACTUAL, LEVEL, LOWER_BOUND, METRIC, PARENT, PERIOD,
    POTENTIAL, QUOTA, TARGET_SOURCE, UNIT, UPPER_BOUND,
};

/// A potential for one account (see the module doc); `price` values untapped volume.
pub fn potential(a: &Account, q: &QuotaParams, company_price: Option<f64>) -> f64 {
    let (base, trend) = match q.metric {
        QuotaMetric::Revenue => (a.revenue_12m, a.trend_12m.unwrap_or(0.0)),
        QuotaMetric::Volume => (
            a.volume_12m,
            if a.volume_prev_12m > 0.0 {
                (a.volume_12m - a.volume_prev_12m) / a.volume_prev_12m
            } else {
                0.0
            },
        ),
    };
    let t = trend.clamp(-q.trend_cap, q.trend_cap);
    let price = match q.metric {
        QuotaMetric::Revenue => a.avg_price.or(company_price).unwrap_or(0.0),
        QuotaMetric::Volume => 1.0,
    };
    base.max(0.0) * (1.0 + q.trend_weight * t) + q.prospect_weight * untapped(a) * price
}

/// Where the company target came from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum TargetSource {
    Config(f64),
    Targets(f64),
    Growth,
}

impl TargetSource {
    fn name(self) -> &'static str {
        match self {
            TargetSource::Config(_) => "config",
            TargetSource::Targets(_) => "targets",
            TargetSource::Growth => "growth",
        }
    }
}

/// The company's target for the next period from the targets table (company level, the
/// quota metric, every month of the period present), if any.
pub fn target_from_table(
    targets: &DataFrame,
    periods: &Periods,
    metric: QuotaMetric,
) -> Result<Option<f64>> {
    let period = frame::strings(targets, s::PERIOD)?;
    let level = frame::strings(targets, s::LEVEL)?;
    let met = frame::strings(targets, s::METRIC)?;
    let value = frame::f64s(targets, s::TARGET)?;
    let months = periods.next_months();
    let mut found = BTreeMap::new();
    for i in 0..targets.height() {
        if level[i].as_deref() == Some("company") && met[i].as_deref() == Some(metric.name()) {
            if let (Some(p), Some(v)) = (&period[i], value[i]) {
                if months.contains(p) {
                    found.insert(p.clone(), v);
                }
            }
        }
    }
    Ok((found.len() == months.len()).then(|| found.values().sum()))
}

type Key = (String, String, String);

/// The organisation as quota units, bottom-up: district → station → (manager, leaf unit).
type Tree = BTreeMap<String, BTreeMap<String, Vec<(String, Child)>>>;

/// The quota table: company, districts, stations, managers; sorted by level, parent, unit.
pub fn quotas(
    accounts: &[Account],
    p: &PlanValid,
    periods: &Periods,
    source: TargetSource,
) -> Result<DataFrame> {
    let q = &p.quotas;
    let tree = tree(leaf_sums(accounts, q), q);
    let districts: Vec<(&String, Child)> = tree
        .iter()
        .map(|(d, sts)| (d, district_node(sts, q)))
        .collect();
    let company = Child::over(
        &districts.iter().map(|d| d.1.clone()).collect::<Vec<_>>(),
        q,
    );
    let total = company_total(&company, source, q);
    let mut rows: Vec<Row> = vec![Row {
        level: "company",
        unit: "company".into(),
        parent: None,
        child: company,
        quota: total,
        bound: None,
    }];
    rows.extend(split_down(&tree, districts, total, q)?);
    let order = |l: &str| {
        ["company", "district", "station", "account_manager"]
            .iter()
            .position(|x| *x == l)
            .unwrap_or(4)
    };
    rows.sort_by(|a, b| {
        order(a.level)
            .cmp(&order(b.level))
            .then(a.parent.cmp(&b.parent))
            .then(a.unit.cmp(&b.unit))
    });
    let label = Periods::label(periods.next_start, periods.months);
    to_frame(&rows, q, label, source)
}

/// Per leaf (district, station, manager): last period's actual and the potential, summed
/// in customer-id order so the input order never changes a digit.
fn leaf_sums(accounts: &[Account], q: &QuotaParams) -> BTreeMap<Key, (f64, f64)> {
    let mut accounts: Vec<&Account> = accounts.iter().collect();
    accounts.sort_by(|a, b| a.id.cmp(&b.id));
    let (amt, qty): (f64, f64) = accounts
        .iter()
        .filter_map(|a| a.avg_price.map(|pr| (pr * a.volume_12m, a.volume_12m)))
        .fold((0.0, 0.0), |s, x| (s.0 + x.0, s.1 + x.1));
    let company_price = (qty > 0.0).then(|| amt / qty);
    let mut sums: BTreeMap<Key, (f64, f64)> = BTreeMap::new();
    for a in accounts {
        let key = (
            a.district().to_string(),
            a.station().to_string(),
            a.manager().to_string(),
        );
        let c = sums.entry(key).or_insert((0.0, 0.0));
        c.0 += match q.metric {
            QuotaMetric::Revenue => a.last_revenue,
            QuotaMetric::Volume => a.last_volume,
        };
        c.1 += potential(a, q, company_price);
    }
    sums
}

/// The leaves as a tree of quota units.
fn tree(sums: BTreeMap<Key, (f64, f64)>, q: &QuotaParams) -> Tree {
    let mut tree: Tree = BTreeMap::new();
    for ((d, st, m), (last, pot)) in sums {
        tree.entry(d)
            .or_default()
            .entry(st)
            .or_default()
            .push((m, Child::new(last, pot, q)));
    }
    tree
}

/// A station as one unit over its managers.
fn station_node(ms: &[(String, Child)], q: &QuotaParams) -> Child {
    Child::over(&ms.iter().map(|m| m.1.clone()).collect::<Vec<_>>(), q)
}

/// A district as one unit over its stations.
fn district_node(sts: &BTreeMap<String, Vec<(String, Child)>>, q: &QuotaParams) -> Child {
    Child::over(
        &sts.values()
            .map(|ms| station_node(ms, q))
            .collect::<Vec<_>>(),
        q,
    )
}

/// The company target in rounding units: from the source, or last period x (1 + growth)
/// brought inside what the units can sum to (only rounding can push it outside).
fn company_total(company: &Child, source: TargetSource, q: &QuotaParams) -> i64 {
    let target = match source {
        TargetSource::Config(t) | TargetSource::Targets(t) => t,
        TargetSource::Growth => company.last.max(0.0) * (1.0 + q.growth),
    };
    let total = (target / q.rounding_unit).round() as i64;
    if source == TargetSource::Growth {
        total.clamp(company.lo, company.hi)
    } else {
        total
    }
}

/// The company's `total` split to the districts, each district's to its stations and each
/// station's to its managers: one row per unit.
fn split_down(
    tree: &Tree,
    districts: Vec<(&String, Child)>,
    total: i64,
    q: &QuotaParams,
) -> Result<Vec<Row>> {
    let mut rows = Vec::new();
    let kids: Vec<Child> = districts.iter().map(|d| d.1.clone()).collect();
    let dq = split(total, &kids, q, "company")?;
    for ((d, c), (qi, b)) in districts.into_iter().zip(dq) {
        rows.push(Row::unit("district", d.clone(), "company".into(), c, qi, b));
        let sts = tree.get(d).cloned().unwrap_or_default();
        let kids: Vec<Child> = sts.values().map(|ms| station_node(ms, q)).collect();
        let sq = split(qi, &kids, q, &format!("district {d}"))?;
        for (((st, ms), c), (si, b)) in sts.iter().zip(kids).zip(sq) {
            rows.push(Row::unit("station", st.clone(), d.clone(), c, si, b));
            let kids: Vec<Child> = ms.iter().map(|m| m.1.clone()).collect();
            let mq = split(si, &kids, q, &format!("station {st}"))?;
            for ((m, c), (mi, b)) in ms.iter().map(|m| &m.0).zip(kids).zip(mq) {
                rows.push(Row::unit(
                    "account_manager",
                    m.clone(),
                    st.clone(),
                    c,
                    mi,
                    b,
                ));
            }
        }
    }
    Ok(rows)
}

/// The rows as the quota table, amounts back in units of the metric.
fn to_frame(
    rows: &[Row],
    q: &QuotaParams,
    label: String,
    source: TargetSource,
) -> Result<DataFrame> {
    let u = q.rounding_unit;
    let quota: Vec<f64> = rows.iter().map(|r| r.quota as f64 * u).collect();
    Ok(df![
        LEVEL => rows.iter().map(|r| r.level).collect::<Vec<_>>(),
        UNIT => rows.iter().map(|r| r.unit.clone()).collect::<Vec<_>>(),
        PARENT => rows.iter().map(|r| r.parent.clone()).collect::<Vec<_>>(),
        LAST_PERIOD_ACTUAL => rows.iter().map(|r| r.child.last).collect::<Vec<_>>(),
        POTENTIAL => rows.iter().map(|r| r.child.potential).collect::<Vec<_>>(),
        QUOTA => quota.clone(),
        CHANGE_PCT => rows.iter().zip(&quota).map(|(r, qv)| (r.child.last > 0.0).then(|| 100.0 * (qv / r.child.last - 1.0))).collect::<Vec<_>>(),
        BOUND_APPLIED => rows.iter().map(|r| r.bound.map_or("none", Bound::name)).collect::<Vec<_>>(),
        LOWER_BOUND => rows.iter().map(|r| r.bound.map(|_| r.child.lo as f64 * u)).collect::<Vec<_>>(),
        UPPER_BOUND => rows.iter().map(|r| r.bound.and((r.child.hi < UNBOUNDED).then_some(r.child.hi as f64 * u))).collect::<Vec<_>>(),
        PERIOD => vec![label; rows.len()],
        METRIC => vec![q.metric.name(); rows.len()],
        TARGET_SOURCE => rows.iter().map(|r| (r.level == "company").then(|| source.name())).collect::<Vec<_>>(),
    ]?)
}

struct Row {
    level: &'static str,
    unit: String,
    parent: Option<String>,
    child: Child,
    quota: i64,
    bound: Option<Bound>,
}

impl Row {
    fn unit(
        level: &'static str,
        unit: String,
        parent: String,
        child: Child,
        quota: i64,
        b: Bound,
    ) -> Row {
        Row {
            level,
            unit,
            parent: Some(parent),
            child,
            quota,
            bound: Some(b),
        }
    }
}

#[cfg(test)]
#[path = "quotas_tests.rs"]
mod tests;
