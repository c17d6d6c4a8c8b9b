//! Next period's quotas (domain.md §2, §6, and its planning conventions): the company quota
//! split to districts, then stations, then account managers, following the season and the
//! targets management already set.
//!
//! - a unit with a target for the period in the targets table keeps it as it is (a quarter
//!   or year target spread over months by last year's shape, see [`super::quota_basis`]);
//!   a unit without one whose children all have one carries their sum;
//! - the company quota, when no target is set: `company_target`, else by `basis`: the same
//!   period last year x (1 + `growth`) (`last_year`), or kam's forecast of the period
//!   (`forecast`); rounded to `rounding_unit` and brought inside what the units may carry;
//! - below a unit, the children with a target take it, and the rest is split among the
//!   others in proportion to their same period last year (their potential when none sold
//!   then): clamp(lambda x base, lower, upper), lower = base x (1 - max_decrease), upper =
//!   base x (1 + max_increase) (a unit without sales then has no upper bound), rounded to
//!   whole `rounding_unit`s by largest remainder inside the bounds, so every level sums to
//!   its parent; when a target is not a whole number of units, the difference (under half
//!   a unit) goes to the largest split unit below it, so the sums still hold;
//! - bounds that cannot sum to the parent stop the run with [`crate::Error::Infeasible`].

use std::collections::BTreeMap;

use polars::prelude::*;

use super::data::{Account, Periods};
use super::history::{History, Leaf};
use super::params::{PlanValid, QuotaBasis, QuotaMetric, QuotaParams};
use super::prospects::untapped;
use super::quota_basis::{Basis, Outlook, Span, TargetBook, actual, outlook};
use super::quota_rows::{Row, split_down, to_frame};
pub use super::split::{Bound, Child, UNBOUNDED, bounds, split};
use crate::error::Result;
use crate::forecast::Settings;

pub use crate::schema::columns::plan::{
    BASIS, BOUND_APPLIED, CHANGE_VS_LAST_YEAR_PCT, FORECAST, FORECAST_HI, FORECAST_LO,
    LAST_PERIOD_ACTUAL, LAST_YEAR_SAME_PERIOD, LEVEL, LOWER_BOUND, METRIC, PARENT, PERIOD,
    POTENTIAL, QUOTA, QUOTA_VS_FORECAST, UNIT, UPPER_BOUND,
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

/// What the quotas are made from besides the settings.
pub struct QuotaInputs<'a> {
    pub accounts: &'a [Account],
    pub history: &'a History,
    pub targets: Option<&'a DataFrame>,
    /// The `[track]` forecast settings (the forecast kam shows in trend.csv).
    pub forecast: Settings,
}

/// The quota table and what the summary says about it.
#[derive(Debug)]
pub struct Quotas {
    pub table: DataFrame,
    pub company: f64,
    pub basis: Basis,
    pub outlook: Option<Outlook>,
    pub notes: Vec<String>,
}

/// One quota unit and the units below it.
#[derive(Debug, Clone)]
pub struct Node {
    pub level: &'static str,
    pub unit: String,
    /// Monthly actuals of the metric, from the history's first month.
    pub series: Vec<f64>,
    pub last: f64,
    pub potential: f64,
    /// The same period last year.
    pub ly: f64,
    pub fixed: Option<(f64, Basis)>,
    /// Bounds in rounding units, narrowed to what the units below can sum to.
    pub lo: i64,
    pub hi: i64,
    pub kids: Vec<Node>,
}

impl Node {
    fn over(level: &'static str, unit: String, kids: Vec<Node>) -> Node {
        let n = kids.first().map_or(0, |k| k.series.len());
        let mut series = vec![0.0; n];
        for k in &kids {
            for (s, v) in series.iter_mut().zip(&k.series) {
                *s += v;
            }
        }
        Node {
            level,
            unit,
            series,
            last: kids.iter().map(|k| k.last).sum(),
            potential: kids.iter().map(|k| k.potential).sum(),
            ly: 0.0,
            fixed: None,
            lo: 0,
            hi: UNBOUNDED,
            kids,
        }
    }
}

/// The quota table: company, districts, stations, managers; sorted by level, parent, unit.
pub fn quotas(inp: &QuotaInputs, p: &PlanValid, periods: &Periods) -> Result<Quotas> {
    let q = &p.quotas;
    let sp = Span::next(periods);
    let first = inp.history.first_month;
    let mut company = tree(inp, q);
    let mut notes = Vec::new();
    let company_series = company.series.clone();
    let book = TargetBook::new(inp.targets, q.metric)?;
    attach_targets(&mut company, &book, sp, first, &mut notes);
    if let Some(t) = q.company_target {
        company.fixed = Some((t, Basis::Config));
    }
    settle(&mut company, q, sp, first);
    let out = outlook(&company_series, first, sp, &inp.forecast);
    let (total, basis) = company_quota(&company, out.as_ref(), q, &mut notes);
    let unit_basis = match q.basis {
        QuotaBasis::LastYear => Basis::LastYear,
        QuotaBasis::Forecast => Basis::Forecast,
    };
    let mut rows = vec![Row::of(&company, None, total, basis, None)];
    split_down(&company, total, unit_basis, q, &mut rows, &mut notes)?;
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
    let table = to_frame(&rows, q, label, out.as_ref(), company.ly)?;
    Ok(Quotas {
        table,
        company: total,
        basis,
        outlook: out,
        notes,
    })
}

/// Per leaf: last period's actual and the potential, summed in customer-id order so the
/// input order never changes a digit.
fn leaf_sums(accounts: &[Account], q: &QuotaParams) -> BTreeMap<Leaf, (f64, f64)> {
    let mut accounts: Vec<&Account> = accounts.iter().collect();
    accounts.sort_by(|a, b| a.id.cmp(&b.id));
    let (amt, qty): (f64, f64) = accounts
        .iter()
        .filter_map(|a| a.avg_price.map(|pr| (pr * a.volume_12m, a.volume_12m)))
        .fold((0.0, 0.0), |s, x| (s.0 + x.0, s.1 + x.1));
    let company_price = (qty > 0.0).then(|| amt / qty);
    let mut sums: BTreeMap<Leaf, (f64, f64)> = BTreeMap::new();
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

/// The organisation as a tree of quota units: company → district → station → manager.
fn tree(inp: &QuotaInputs, q: &QuotaParams) -> Node {
    let n = inp.history.len();
    type Stations = BTreeMap<String, Vec<Node>>;
    let mut by: BTreeMap<String, Stations> = BTreeMap::new();
    for (leaf, (last, pot)) in leaf_sums(inp.accounts, q) {
        let series = inp
            .history
            .series(&leaf, q.metric)
            .map_or_else(|| vec![0.0; n], <[f64]>::to_vec);
        let (d, st, m) = leaf;
        let node = Node {
            series,
            last,
            potential: pot,
            ..Node::over("account_manager", m, Vec::new())
        };
        by.entry(d).or_default().entry(st).or_default().push(node);
    }
    let districts = by
        .into_iter()
        .map(|(d, sts)| {
            let sts = sts
                .into_iter()
                .map(|(st, ms)| Node::over("station", st, ms))
                .collect();
            Node::over("district", d, sts)
        })
        .collect();
    Node::over("company", "company".into(), districts)
}

/// Each unit's target for the period from the targets table. A name that stands for two
/// units of one level (a station under two districts) takes none, with a note.
fn attach_targets(
    company: &mut Node,
    book: &TargetBook,
    sp: Span,
    first: i32,
    notes: &mut Vec<String>,
) {
    let mut seen: BTreeMap<(&'static str, String), usize> = BTreeMap::new();
    count_names(company, &mut seen);
    let whole = company.series.clone();
    let by_company = |w: Span| actual(&whole, first, w);
    let mut visit = |n: &mut Node| {
        let by_unit = |w: Span| actual(&n.series, first, w);
        let t = book.target(n.level, &n.unit, sp, &[&by_unit, &by_company]);
        if t.is_some() && seen.get(&(n.level, n.unit.clone())).copied().unwrap_or(0) > 1 {
            notes.push(format!(
                "plan: the target of {} {} is not used: the name stands for more than one unit",
                n.level, n.unit
            ));
        } else {
            n.fixed = t;
        }
    };
    walk(company, &mut visit);
}

fn count_names(n: &Node, seen: &mut BTreeMap<(&'static str, String), usize>) {
    *seen.entry((n.level, n.unit.clone())).or_insert(0) += 1;
    n.kids.iter().for_each(|k| count_names(k, seen));
}

fn walk(n: &mut Node, f: &mut dyn FnMut(&mut Node)) {
    f(n);
    n.kids.iter_mut().for_each(|k| walk(k, f));
}

/// Bottom-up: each unit's same period last year; a unit without a target whose children all
/// have one carries their sum; a unit's bounds narrowed to what its split children and the
/// targets below it can sum to (targets counted as whole units, rounded inward).
fn settle(n: &mut Node, q: &QuotaParams, sp: Span, first: i32) {
    n.ly = actual(&n.series, first, sp.last_year());
    for k in &mut n.kids {
        settle(k, q, sp, first);
    }
    if n.fixed.is_none() && !n.kids.is_empty() && n.kids.iter().all(|k| k.fixed.is_some()) {
        n.fixed = Some((
            n.kids.iter().filter_map(|k| k.fixed).map(|f| f.0).sum(),
            Basis::TargetTable,
        ));
    }
    let (own_lo, own_hi) = bounds(n.ly, q);
    if n.kids.is_empty() {
        (n.lo, n.hi) = (own_lo, own_hi);
        return;
    }
    let u = q.rounding_unit;
    let fixed: f64 = n.kids.iter().filter_map(|k| k.fixed).map(|f| f.0).sum();
    let free = n.kids.iter().filter(|k| k.fixed.is_none());
    let (lo, hi) = free.fold((0i64, 0i64), |(l, h), k| (l + k.lo, h.saturating_add(k.hi)));
    let lo = own_lo.max(lo + (fixed / u - 1e-9).ceil() as i64);
    let hi = own_hi.min(
        hi.min(UNBOUNDED)
            .saturating_add((fixed / u + 1e-9).floor() as i64),
    );
    (n.lo, n.hi) = (lo, hi.max(lo));
}

/// The company quota and its basis: its target, else the configured basis (the other one
/// when it cannot be computed), brought inside what the units may carry.
fn company_quota(
    c: &Node,
    out: Option<&Outlook>,
    q: &QuotaParams,
    notes: &mut Vec<String>,
) -> (f64, Basis) {
    if let Some((t, b)) = c.fixed {
        return (t, b);
    }
    let by_ly = (c.ly > 0.0).then_some((c.ly * (1.0 + q.growth), Basis::LastYear));
    let by_fc = out.map(|o| (o.forecast.max(0.0), Basis::Forecast));
    let (first, second) = match q.basis {
        QuotaBasis::LastYear => (by_ly, by_fc),
        QuotaBasis::Forecast => (by_fc, by_ly),
    };
    let (amount, basis) = match (first, second) {
        (Some(x), _) => x,
        (None, Some(x)) => {
            notes.push(format!(
                "plan: the {} basis cannot be computed (no sales a year before the period, or less than a year of history), so the company quota is based on {}",
                q.basis.name(),
                x.1.name()
            ));
            x
        }
        (None, None) => {
            notes.push("plan: no sales in the same period last year and less than a year of history, so the company quota is 0; set plan.quotas.company_target".into());
            (0.0, Basis::LastYear)
        }
    };
    let u = q.rounding_unit;
    let want = (amount / u).round() as i64;
    let got = want.clamp(c.lo, c.hi);
    if got != want && basis == Basis::Forecast {
        notes.push(format!(
            "plan: the forecast company quota {} lies outside what the units may carry under max_increase / max_decrease against last year ({} to {}), so it is {}",
            want as f64 * u,
            c.lo as f64 * u,
            c.hi as f64 * u,
            got as f64 * u
        ));
    }
    (got as f64 * u, basis)
}

#[cfg(test)]
#[path = "quotas_tests.rs"]
mod tests;
