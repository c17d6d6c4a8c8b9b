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
use crate::error::{Error, Result};
use crate::schema as s;

pub const LEVEL: &str = "level";
pub const UNIT: &str = "unit";
pub const PARENT: &str = "parent";
pub const PERIOD: &str = "period";
pub const METRIC: &str = "metric";
pub const LAST_PERIOD_ACTUAL: &str = "last_period_actual";
pub const POTENTIAL: &str = "potential";
pub const QUOTA: &str = "quota";
pub const CHANGE_PCT: &str = "change_pct";
pub const BOUND_APPLIED: &str = "bound_applied";
pub const LOWER_BOUND: &str = "lower_bound";
pub const UPPER_BOUND: &str = "upper_bound";
pub const TARGET_SOURCE: &str = "target_source";

/// Upper bound of a unit without history, in rounding units.
const UNBOUNDED: i64 = i64::MAX / 4;

/// One unit to receive a share of its parent's quota, with its bounds in rounding units.
#[derive(Debug, Clone, PartialEq)]
pub struct Child {
    pub last: f64,
    pub potential: f64,
    pub lo: i64,
    pub hi: i64,
}

impl Child {
    /// A unit bounded by its own last period only (a leaf).
    pub fn new(last: f64, potential: f64, q: &QuotaParams) -> Child {
        let (lo, hi) = bounds(last, q);
        Child {
            last,
            potential,
            lo,
            hi,
        }
    }

    /// A unit over `kids`: its own bounds narrowed to what its children can sum to
    /// (lower = max(own, sum of the children's lower); upper = min(own, sum of the children's
    /// upper), never below the lower), so every split below it stays feasible after rounding.
    pub fn over(kids: &[Child], q: &QuotaParams) -> Child {
        let last = kids.iter().map(|k| k.last).sum();
        let potential = kids.iter().map(|k| k.potential).sum();
        let own = Child::new(last, potential, q);
        let lo = own.lo.max(kids.iter().map(|k| k.lo).sum());
        let hi_kids = kids
            .iter()
            .fold(0i64, |a, k| a.saturating_add(k.hi))
            .min(UNBOUNDED);
        Child {
            lo,
            hi: own.hi.min(hi_kids).max(lo),
            ..own
        }
    }
}

/// Which bound decided a quota.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    None,
    MaxIncrease,
    MaxDecrease,
}

impl Bound {
    pub fn name(self) -> &'static str {
        match self {
            Bound::None => "none",
            Bound::MaxIncrease => "max_increase",
            Bound::MaxDecrease => "max_decrease",
        }
    }
}

/// A unit's bounds in whole rounding units: lower rounded up, upper rounded down (but never
/// below the lower bound, so a band narrower than one unit gives the rounded-up lower bound).
pub fn bounds(last: f64, q: &QuotaParams) -> (i64, i64) {
    let u = q.rounding_unit;
    let lo = (last.max(0.0) * (1.0 - q.max_decrease) / u - 1e-9)
        .ceil()
        .max(0.0) as i64;
    if last <= 0.0 {
        return (lo, UNBOUNDED);
    }
    let hi = (last * (1.0 + q.max_increase) / u + 1e-9).floor() as i64;
    (lo, hi.max(lo))
}

/// Split `total` rounding units among `children` (see the module doc). `parent` names the
/// parent in the error.
pub fn split(
    total: i64,
    children: &[Child],
    q: &QuotaParams,
    parent: &str,
) -> Result<Vec<(i64, Bound)>> {
    if children.is_empty() {
        return Ok(vec![]);
    }
    let b: Vec<(i64, i64)> = children.iter().map(|c| (c.lo, c.hi)).collect();
    let sum_lo: i64 = b.iter().map(|x| x.0).sum();
    let sum_hi: i64 = b.iter().map(|x| x.1).fold(0i64, |a, h| a.saturating_add(h));
    let u = q.rounding_unit;
    if total < sum_lo {
        return Err(Error::Infeasible {
            setting: "plan.quotas.max_decrease".into(),
            msg: format!(
                "the units under {parent} cannot fall below {} in total (last period less max_decrease {}), above their target {}; allow a larger max_decrease or raise the target",
                sum_lo as f64 * u,
                q.max_decrease,
                total as f64 * u
            ),
        });
    }
    if total > sum_hi {
        return Err(Error::Infeasible {
            setting: "plan.quotas.max_increase".into(),
            msg: format!(
                "the units under {parent} can rise to at most {} in total (last period plus max_increase {}), below their target {}; allow a larger max_increase or lower the target",
                sum_hi as f64 * u,
                q.max_increase,
                total as f64 * u
            ),
        });
    }
    // weights: potential, else last period, else equal; a tiny floor lets zero-weight units
    // take what the others cannot
    let pot: f64 = children.iter().map(|c| c.potential.max(0.0)).sum();
    let last: f64 = children.iter().map(|c| c.last.max(0.0)).sum();
    let raw: Vec<f64> = children
        .iter()
        .map(|c| {
            if pot > 0.0 {
                c.potential.max(0.0)
            } else if last > 0.0 {
                c.last.max(0.0)
            } else {
                1.0
            }
        })
        .collect();
    let max_w = raw.iter().copied().fold(0.0, f64::max);
    let w: Vec<f64> = raw.iter().map(|x| x + max_w * 1e-12).collect();
    let (lo, hi): (Vec<f64>, Vec<f64>) = b.iter().map(|&(l, h)| (l as f64, h as f64)).unzip();
    let target = total as f64;
    let fill = |lambda: f64| -> f64 {
        w.iter()
            .zip(lo.iter().zip(&hi))
            .map(|(wi, (l, h))| (lambda * wi).clamp(*l, *h))
            .sum()
    };
    let (mut a, mut z) = (0.0, 1.0 / max_w.max(1e-300));
    let mut guard = 0;
    while fill(z) < target && guard < 4000 {
        z *= 2.0;
        guard += 1;
    }
    for _ in 0..200 {
        let mid = 0.5 * (a + z);
        if fill(mid) < target {
            a = mid;
        } else {
            z = mid;
        }
    }
    let x: Vec<f64> = w
        .iter()
        .zip(lo.iter().zip(&hi))
        .map(|(wi, (l, h))| (z * wi).clamp(*l, *h))
        .collect();
    // largest remainder inside the integer bounds
    let mut q_int: Vec<i64> = x
        .iter()
        .zip(&b)
        .map(|(xi, (l, h))| (xi.floor() as i64).clamp(*l, *h))
        .collect();
    let mut left = total - q_int.iter().sum::<i64>();
    let mut idx: Vec<usize> = (0..children.len()).collect();
    while left != 0 {
        let step = left.signum();
        let rem = |i: usize| x[i] - q_int[i] as f64;
        // up: largest remainder first; down: smallest first; ties by position (sorted units)
        idx.sort_by(|&i, &j| {
            let o = rem(j).total_cmp(&rem(i));
            (if step > 0 { o } else { o.reverse() }).then(i.cmp(&j))
        });
        let mut moved = false;
        for &i in &idx {
            if left == 0 {
                break;
            }
            let ok = if step > 0 {
                q_int[i] < b[i].1
            } else {
                q_int[i] > b[i].0
            };
            if ok {
                q_int[i] += step;
                left -= step;
                moved = true;
            }
        }
        if !moved {
            return Err(Error::Internal(format!(
                "quota rounding under {parent} could not place {left} units"
            )));
        }
    }
    Ok(q_int
        .iter()
        .enumerate()
        .map(|(i, &qi)| {
            let want = z * w[i];
            let bound = if qi == b[i].0 && want < lo[i] {
                Bound::MaxDecrease
            } else if qi == b[i].1 && want > hi[i] {
                Bound::MaxIncrease
            } else {
                Bound::None
            };
            (qi, bound)
        })
        .collect())
}

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
    let period = super::data::strs(targets, s::PERIOD)?;
    let level = super::data::strs(targets, s::LEVEL)?;
    let met = super::data::strs(targets, s::METRIC)?;
    let value = super::data::f64s(targets, s::TARGET)?;
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

/// The quota table: company, districts, stations, managers; sorted by level, parent, unit.
pub fn quotas(
    accounts: &[Account],
    p: &PlanValid,
    periods: &Periods,
    source: TargetSource,
) -> Result<DataFrame> {
    let q = &p.quotas;
    // sums in customer-id order, so the input order never changes a digit
    let mut accounts: Vec<&Account> = accounts.iter().collect();
    accounts.sort_by(|a, b| a.id.cmp(&b.id));
    let (amt, qty): (f64, f64) = accounts
        .iter()
        .filter_map(|a| a.avg_price.map(|pr| (pr * a.volume_12m, a.volume_12m)))
        .fold((0.0, 0.0), |s, x| (s.0 + x.0, s.1 + x.1));
    let company_price = (qty > 0.0).then(|| amt / qty);
    // leaves: (district, station, manager) → last period and potential
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
    // the tree, bottom-up: district → station → manager
    type Tree = BTreeMap<String, BTreeMap<String, Vec<(String, Child)>>>;
    let mut tree: Tree = BTreeMap::new();
    for ((d, st, m), (last, pot)) in sums {
        tree.entry(d)
            .or_default()
            .entry(st)
            .or_default()
            .push((m, Child::new(last, pot, q)));
    }
    let station_node = |ms: &Vec<(String, Child)>| {
        Child::over(&ms.iter().map(|m| m.1.clone()).collect::<Vec<_>>(), q)
    };
    let district_node = |sts: &BTreeMap<String, Vec<(String, Child)>>| {
        Child::over(&sts.values().map(station_node).collect::<Vec<_>>(), q)
    };
    let districts: Vec<(&String, Child)> = tree
        .iter()
        .map(|(d, sts)| (d, district_node(sts)))
        .collect();
    let company = Child::over(
        &districts.iter().map(|d| d.1.clone()).collect::<Vec<_>>(),
        q,
    );
    let u = q.rounding_unit;
    let target = match source {
        TargetSource::Config(t) | TargetSource::Targets(t) => t,
        TargetSource::Growth => company.last.max(0.0) * (1.0 + q.growth),
    };
    let mut total = (target / u).round() as i64;
    if source == TargetSource::Growth {
        // growth lies inside the bounds (checked), so only rounding can push the derived
        // target outside what the units can sum to: bring it back
        total = total.clamp(company.lo, company.hi);
    }
    let label = Periods::label(periods.next_start, periods.months);

    let mut rows: Vec<Row> = vec![Row {
        level: "company",
        unit: "company".into(),
        parent: None,
        child: company,
        quota: total,
        bound: None,
    }];
    let kids: Vec<Child> = districts.iter().map(|d| d.1.clone()).collect();
    let dq = split(total, &kids, q, "company")?;
    for ((d, c), (qi, b)) in districts.into_iter().zip(dq) {
        rows.push(Row::unit("district", d.clone(), "company".into(), c, qi, b));
        let sts = tree.get(d).cloned().unwrap_or_default();
        let kids: Vec<Child> = sts.values().map(station_node).collect();
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
mod tests {
    use super::*;
    use crate::plan::params::PlanParams;

    fn child(last: f64, potential: f64) -> Child {
        Child::new(last, potential, &unit_q())
    }

    fn unit_q() -> QuotaParams {
        QuotaParams {
            rounding_unit: 1.0,
            ..QuotaParams::default()
        }
    }

    #[test]
    fn split_is_proportional_exact_and_bounded() -> Result<()> {
        let q = QuotaParams {
            rounding_unit: 1.0,
            ..QuotaParams::default()
        };
        // 1,000 split 3:1 within +30% / -10% of 500 each: 650 / 350 would break 450 lower
        let got = split(1_000, &[child(500.0, 3.0), child(500.0, 1.0)], &q, "x")?;
        assert_eq!(got, [(550, Bound::None), (450, Bound::MaxDecrease)]);
        let got = split(1_000, &[child(400.0, 1.0), child(600.0, 1.0)], &q, "x")?;
        assert_eq!(got.iter().map(|g| g.0).sum::<i64>(), 1_000);
        assert_eq!(got, [(460, Bound::None), (540, Bound::MaxDecrease)]);
        Ok(())
    }

    #[test]
    fn largest_remainder_rounding() -> Result<()> {
        let q = QuotaParams {
            rounding_unit: 1.0,
            max_increase: 10.0,
            max_decrease: 1.0,
            ..QuotaParams::default()
        };
        let c = Child::new(1.0, 1.0, &q);
        let got = split(10, &[c.clone(), c.clone(), c], &q, "x")?;
        assert_eq!(got.iter().map(|g| g.0).collect::<Vec<_>>(), [4, 3, 3]);
        Ok(())
    }

    #[test]
    fn bounds_that_cannot_reach_the_target_are_infeasible() {
        let q = QuotaParams {
            rounding_unit: 1.0,
            ..QuotaParams::default()
        };
        let e = split(
            2_000,
            &[child(500.0, 1.0), child(500.0, 1.0)],
            &q,
            "company",
        );
        let msg = e.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(
            msg.contains("plan.quotas.max_increase") && msg.contains("company"),
            "{msg}"
        );
        let e = split(100, &[child(500.0, 1.0)], &q, "company");
        let msg = e.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(msg.contains("plan.quotas.max_decrease"), "{msg}");
    }

    #[test]
    fn units_without_history_have_no_upper_bound() -> Result<()> {
        let q = QuotaParams {
            rounding_unit: 1.0,
            ..QuotaParams::default()
        };
        let got = split(1_000, &[child(500.0, 1.0), child(0.0, 1.0)], &q, "x")?;
        assert_eq!(got.iter().map(|g| g.0).collect::<Vec<_>>(), [500, 500]);
        Ok(())
    }

    #[test]
    fn tiny_sales_do_not_make_the_growth_target_infeasible() -> Result<()> {
        // regression: 200 + 300 of sales x 1.05 rounds to 1 unit of 1,000, while each
        // station's lower bound rounds up to 1 unit; the derived target is clamped instead
        let p = PlanParams::default().check()?;
        let acc = |id: &str, st: &str, last: f64| Account {
            id: id.into(),
            station: Some(st.into()),
            last_revenue: last,
            ..Account::default()
        };
        let accounts = [acc("a", "S1", 200.0), acc("b", "S2", 300.0)];
        let as_of = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default();
        let df = quotas(
            &accounts,
            &p,
            &Periods::around(as_of, 1),
            TargetSource::Growth,
        )?;
        let q: Vec<Option<f64>> = df.column(QUOTA)?.f64()?.iter().collect();
        assert_eq!(q[0], Some(2_000.0));
        Ok(())
    }

    #[test]
    fn hierarchy_sums_exactly() -> Result<()> {
        let p = PlanParams::default().check()?;
        let acc = |id: &str, d: &str, st: &str, m: &str, last: f64| Account {
            id: id.into(),
            district: Some(d.into()),
            station: Some(st.into()),
            manager: Some(m.into()),
            revenue_12m: last * 12.0,
            last_revenue: last,
            ..Account::default()
        };
        let accounts = vec![
            acc("a", "N", "N1", "Li", 100_000.0),
            acc("b", "N", "N1", "Wu", 50_000.0),
            acc("c", "N", "N2", "Ma", 70_000.0),
            acc("d", "S", "S1", "Zh", 30_000.0),
        ];
        let as_of = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default();
        let df = quotas(
            &accounts,
            &p,
            &Periods::around(as_of, 1),
            TargetSource::Growth,
        )?;
        assert_eq!(df.height(), 1 + 2 + 3 + 4);
        let q: Vec<Option<f64>> = df.column(QUOTA)?.f64()?.iter().collect();
        assert_eq!(q[0], Some(263_000.0)); // 250,000 x 1.05 = 262,500, rounded to 1,000
        assert_eq!(q[1].unwrap_or(0.0) + q[2].unwrap_or(0.0), 263_000.0);
        let period: Vec<Option<&str>> = df.column(PERIOD)?.str()?.iter().collect();
        assert_eq!(period[0], Some("2026-01"));
        Ok(())
    }
}
