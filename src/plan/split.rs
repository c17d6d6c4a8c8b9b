//! Bounded proportional splitting with exact integer sums: a parent's quota, in whole
//! rounding units, shared among its children in proportion to their same period last year
//! (their potential when none of them sold then), each within its bounds on the change
//! against that same period last year (largest-remainder rounding). Infeasible bounds are
//! [`Error::Infeasible`] naming the setting.

use super::params::QuotaParams;
use crate::error::{Error, Result};

/// Upper bound of a unit without history, in rounding units.
pub const UNBOUNDED: i64 = i64::MAX / 4;

/// One unit to receive a share of its parent's quota, with its bounds in rounding units.
#[derive(Debug, Clone, PartialEq)]
pub struct Child {
    /// The unit's actual over the same period last year: its weight and its bounds.
    pub base: f64,
    /// The unit's potential: the weight when no sibling has a base.
    pub potential: f64,
    pub lo: i64,
    pub hi: i64,
}

impl Child {
    /// A unit bounded by its own same period last year only.
    pub fn new(base: f64, potential: f64, q: &QuotaParams) -> Child {
        let (lo, hi) = bounds(base, q);
        Child {
            base,
            potential,
            lo,
            hi,
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

/// A unit's bounds in whole rounding units around `last` (its same period last year):
/// lower rounded up, upper rounded down (but never below the lower bound, so a band narrower
/// than one unit gives the rounded-up lower bound).
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
    feasible(total, &b, q, parent)?;
    let (w, max_w) = weights(children);
    let (lo, hi): (Vec<f64>, Vec<f64>) = b.iter().map(|&(l, h)| (l as f64, h as f64)).unzip();
    let z = level(&w, max_w, &lo, &hi, total as f64);
    let x: Vec<f64> = w
        .iter()
        .zip(lo.iter().zip(&hi))
        .map(|(wi, (l, h))| (z * wi).clamp(*l, *h))
        .collect();
    let q_int = largest_remainder(&x, &b, total, parent)?;
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

/// `total` must lie between the sums of the children's lower and upper bounds `b`; outside,
/// [`Error::Infeasible`] names the setting that blocks it.
fn feasible(total: i64, b: &[(i64, i64)], q: &QuotaParams, parent: &str) -> Result<()> {
    let sum_lo: i64 = b.iter().map(|x| x.0).sum();
    let sum_hi: i64 = b.iter().map(|x| x.1).fold(0i64, |a, h| a.saturating_add(h));
    let u = q.rounding_unit;
    if total < sum_lo {
        return Err(Error::Infeasible {
            setting: "plan.quotas.max_decrease".into(),
            msg: format!(
                "the units under {parent} cannot fall below {} in total (same period last year less max_decrease {}), above their target {}; allow a larger max_decrease or raise the target",
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
                "the units under {parent} can rise to at most {} in total (same period last year plus max_increase {}), below their target {}; allow a larger max_increase or lower the target",
                sum_hi as f64 * u,
                q.max_increase,
                total as f64 * u
            ),
        });
    }
    Ok(())
}

/// The children's weights: same period last year, else potential, else equal; a tiny floor
/// lets zero-weight units take what the others cannot. Also the largest weight before the
/// floor.
fn weights(children: &[Child]) -> (Vec<f64>, f64) {
    let base: f64 = children.iter().map(|c| c.base.max(0.0)).sum();
    let pot: f64 = children.iter().map(|c| c.potential.max(0.0)).sum();
    let raw: Vec<f64> = children
        .iter()
        .map(|c| {
            if base > 0.0 {
                c.base.max(0.0)
            } else if pot > 0.0 {
                c.potential.max(0.0)
            } else {
                1.0
            }
        })
        .collect();
    let max_w = raw.iter().copied().fold(0.0, f64::max);
    (raw.iter().map(|x| x + max_w * 1e-12).collect(), max_w)
}

/// The level z at which sum(clamp(z x w, lo, hi)) reaches `target`: from 1 / `max_w`
/// doubled until it does, then bisected (the upper end of the last interval).
fn level(w: &[f64], max_w: f64, lo: &[f64], hi: &[f64], target: f64) -> f64 {
    let fill = |lambda: f64| -> f64 {
        w.iter()
            .zip(lo.iter().zip(hi))
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
    z
}

/// Whole units summing to `total`: each share `x` rounded down within its bounds `b`, then
/// the units left placed one at a time by largest remainder inside the bounds.
fn largest_remainder(x: &[f64], b: &[(i64, i64)], total: i64, parent: &str) -> Result<Vec<i64>> {
    let mut q_int: Vec<i64> = x
        .iter()
        .zip(b)
        .map(|(xi, (l, h))| (xi.floor() as i64).clamp(*l, *h))
        .collect();
    let mut left = total - q_int.iter().sum::<i64>();
    let mut idx: Vec<usize> = (0..x.len()).collect();
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
    Ok(q_int)
}
