//! The quota tree split top-down into rows, and the rows as `quotas.csv`: targets kept as
//! set, the rest split by [`super::split`] in whole rounding units, a target's fraction of a
//! unit passed to the largest split unit below it so every level sums to its parent.

use polars::prelude::*;

use super::params::QuotaParams;
use super::quota_basis::{Basis, Outlook};
use super::quotas::{
    BASIS, BOUND_APPLIED, CHANGE_VS_LAST_YEAR_PCT, FORECAST, FORECAST_HI, FORECAST_LO,
    LAST_PERIOD_ACTUAL, LAST_YEAR_SAME_PERIOD, LEVEL, LOWER_BOUND, METRIC, Node, PARENT, PERIOD,
    POTENTIAL, QUOTA, QUOTA_VS_FORECAST, UNIT, UPPER_BOUND,
};
use super::split::{Bound, Child, UNBOUNDED, split};
use crate::error::Result;

/// One row of the quota table.
pub struct Row {
    pub level: &'static str,
    pub unit: String,
    pub parent: Option<String>,
    pub basis: Basis,
    pub ly: f64,
    pub last: f64,
    pub potential: f64,
    pub quota: f64,
    /// The split's bound and the bounds used (rounding units); None for a kept target.
    pub bound: Option<(Bound, i64, i64)>,
}

impl Row {
    pub fn of(
        n: &Node,
        parent: Option<&str>,
        quota: f64,
        basis: Basis,
        bound: Option<Bound>,
    ) -> Row {
        Row {
            level: n.level,
            unit: n.unit.clone(),
            parent: parent.map(String::from),
            basis,
            ly: n.ly,
            last: n.last,
            potential: n.potential,
            quota,
            bound: bound.map(|b| (b, n.lo, n.hi)),
        }
    }
}

/// The rows below `n`, whose quota is `total`: children with a target keep it; the rest of
/// `total` is split among the others (see the module doc), each then split below in turn.
pub fn split_down(
    n: &Node,
    total: f64,
    unit_basis: Basis,
    q: &QuotaParams,
    rows: &mut Vec<Row>,
    notes: &mut Vec<String>,
) -> Result<()> {
    if n.kids.is_empty() {
        return Ok(());
    }
    let u = q.rounding_unit;
    let fixed: f64 = n.kids.iter().filter_map(|k| k.fixed).map(|f| f.0).sum();
    let free: Vec<&Node> = n.kids.iter().filter(|k| k.fixed.is_none()).collect();
    let rest = total - fixed;
    let name = format!("{} {}", n.level, n.unit);
    let mut quotas: Vec<(f64, Option<Bound>)> = Vec::new();
    if free.is_empty() {
        if (rest / u).abs() > 1e-6 {
            notes.push(format!(
                "plan: the targets below {name} sum to {fixed}, not to its quota {total}; both are kept as set"
            ));
        }
    } else {
        let kids: Vec<Child> = free
            .iter()
            .map(|k| Child {
                base: k.ly,
                potential: k.potential,
                lo: k.lo,
                hi: k.hi,
            })
            .collect();
        let want = (rest / u).round() as i64;
        let (lo, hi) = kids
            .iter()
            .fold((0i64, 0i64), |(l, h), k| (l + k.lo, h.saturating_add(k.hi)));
        // a target's fraction may leave the rest a unit outside the bounds: clamp that unit
        let units = if (want - want.clamp(lo, hi)).abs() <= 1 {
            want.clamp(lo, hi)
        } else {
            want
        };
        let shares = split(units, &kids, q, &name)?;
        quotas = shares
            .iter()
            .map(|(s, b)| (*s as f64 * u, Some(*b)))
            .collect();
        // the fraction of a unit left by the targets goes to the largest split unit
        let residual = rest - units as f64 * u;
        if residual != 0.0 {
            let big =
                (0..quotas.len()).fold(0, |b, i| if quotas[i].0 > quotas[b].0 { i } else { b });
            quotas[big].0 += residual;
        }
    }
    let mut free_q = quotas.into_iter();
    for k in &n.kids {
        let (quota, basis, bound) = match k.fixed {
            Some((t, b)) => (t, b, None),
            None => {
                let (qv, b) = free_q.next().unwrap_or((0.0, None));
                (qv, unit_basis, b)
            }
        };
        rows.push(Row::of(k, Some(&n.unit), quota, basis, bound));
        split_down(k, quota, unit_basis, q, rows, notes)?;
    }
    Ok(())
}

/// The rows as the quota table. `out` is the company's forecast; a unit's forecast is its
/// share of it by the same period last year (`company_ly`).
pub fn to_frame(
    rows: &[Row],
    q: &QuotaParams,
    label: String,
    out: Option<&Outlook>,
    company_ly: f64,
) -> Result<DataFrame> {
    let u = q.rounding_unit;
    let fc = |r: &Row| -> Option<f64> {
        let o = out?;
        if r.level == "company" {
            Some(o.forecast)
        } else {
            (company_ly > 0.0).then(|| o.forecast * r.ly / company_ly)
        }
    };
    let band =
        |r: &Row, f: fn(&Outlook) -> Option<f64>| out.filter(|_| r.level == "company").and_then(f);
    Ok(df![
        LEVEL => rows.iter().map(|r| r.level).collect::<Vec<_>>(),
        UNIT => rows.iter().map(|r| r.unit.clone()).collect::<Vec<_>>(),
        PARENT => rows.iter().map(|r| r.parent.clone()).collect::<Vec<_>>(),
        BASIS => rows.iter().map(|r| r.basis.name()).collect::<Vec<_>>(),
        QUOTA => rows.iter().map(|r| r.quota).collect::<Vec<_>>(),
        LAST_YEAR_SAME_PERIOD => rows.iter().map(|r| r.ly).collect::<Vec<_>>(),
        CHANGE_VS_LAST_YEAR_PCT => rows.iter().map(|r| (r.ly > 0.0).then(|| 100.0 * (r.quota / r.ly - 1.0))).collect::<Vec<_>>(),
        FORECAST => rows.iter().map(fc).collect::<Vec<_>>(),
        QUOTA_VS_FORECAST => rows.iter().map(|r| fc(r).filter(|f| *f > 0.0).map(|f| r.quota / f)).collect::<Vec<_>>(),
        FORECAST_LO => rows.iter().map(|r| band(r, |o| o.lo)).collect::<Vec<_>>(),
        FORECAST_HI => rows.iter().map(|r| band(r, |o| o.hi)).collect::<Vec<_>>(),
        LAST_PERIOD_ACTUAL => rows.iter().map(|r| r.last).collect::<Vec<_>>(),
        POTENTIAL => rows.iter().map(|r| r.potential).collect::<Vec<_>>(),
        BOUND_APPLIED => rows.iter().map(|r| r.bound.map_or("none", |b| b.0.name())).collect::<Vec<_>>(),
        LOWER_BOUND => rows.iter().map(|r| r.bound.map(|b| b.1 as f64 * u)).collect::<Vec<_>>(),
        UPPER_BOUND => rows.iter().map(|r| r.bound.and_then(|b| (b.2 < UNBOUNDED).then_some(b.2 as f64 * u))).collect::<Vec<_>>(),
        PERIOD => vec![label; rows.len()],
        METRIC => vec![q.metric.name(); rows.len()],
    ]?)
}
