//! The monthly history the quotas are based on: each quota leaf's (district, station,
//! account manager) net revenue and volume per calendar month, over the whole months from
//! the first sale up to `as_of` (a month still in progress on `as_of` is left out). Same
//! period last year, last year's monthly shape and the company's forecast are read from it,
//! so `kam plan` needs nothing from the track stage.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate};
use polars::prelude::*;

use super::data::Account;
use super::params::QuotaMetric;
use crate::error::Result;
use crate::frame::{day, epoch_days, f64s, fixed_total_where, from_fixed, has, strings};
use crate::schema as s;

/// A quota leaf: (district, station, account manager).
pub type Leaf = (String, String, String);

/// A calendar month as a number: year x 12 + month0 (January 2026 = 2026 x 12).
pub use crate::frame::month_index;

/// Monthly sales per leaf; month `i` of a series is `first_month + i`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct History {
    pub first_month: i32,
    /// True when the history was longer than [`crate::frame::MAX_MONTHS`] and keeps only
    /// its last months.
    pub cut: bool,
    /// Per leaf: (revenue by month, volume by month), equally long.
    pub leaves: BTreeMap<Leaf, (Vec<f64>, Vec<f64>)>,
}

impl History {
    /// Months covered.
    pub fn len(&self) -> usize {
        self.leaves.values().next().map_or(0, |v| v.0.len())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The leaf's series of the metric (None for a leaf without sales).
    pub fn series(&self, leaf: &Leaf, metric: QuotaMetric) -> Option<&[f64]> {
        self.leaves.get(leaf).map(|(r, v)| match metric {
            QuotaMetric::Revenue => r.as_slice(),
            QuotaMetric::Volume => v.as_slice(),
        })
    }
}

/// Sum of `series` (starting at `first_month`) over the months [from, from + n).
pub fn sum_months(series: &[f64], first_month: i32, from: i32, n: u32) -> f64 {
    (from..from + n as i32)
        .filter_map(|m| usize::try_from(m - first_month).ok())
        .filter_map(|i| series.get(i))
        .sum()
}

/// The last whole month on `as_of`: its own month when `as_of` is the month's last day.
fn last_whole_month(as_of: NaiveDate) -> i32 {
    let m = month_index(as_of);
    match as_of.succ_opt() {
        Some(next) if next.month() != as_of.month() => m,
        _ => m - 1,
    }
}

/// The history of the transactions dated on or before `as_of`, each customer's sales under
/// its account's leaf (sums in fixed point, so the row order never changes a digit).
pub fn history(tx: &DataFrame, accounts: &[Account], as_of: NaiveDate) -> Result<History> {
    let qty = if has(tx, s::QUANTITY) {
        col(s::QUANTITY).fill_null(lit(0.0))
    } else {
        lit(0.0)
    };
    let last = last_whole_month(as_of);
    // month = year x 12 + month0, over the whole months up to as_of
    let month = col(s::DATE).dt().year().cast(DataType::Int32) * lit(12)
        + col(s::DATE).dt().month().cast(DataType::Int32)
        - lit(1);
    let agg = tx
        .clone()
        .lazy()
        .filter(day(col(s::DATE)).lt_eq(lit(epoch_days(as_of))))
        .with_column(month.alias("__m"))
        .filter(col("__m").lt_eq(lit(last)))
        .group_by([col(s::CUSTOMER_ID), col("__m")])
        .agg([
            fixed_total_where(lit(true), col(s::AMOUNT)).alias("r"),
            fixed_total_where(lit(true), qty).alias("v"),
        ])
        .collect()?;
    let ids = strings(&agg, s::CUSTOMER_ID)?;
    let months = f64s(&agg, "__m")?;
    let (r, v) = (f64s(&agg, "r")?, f64s(&agg, "v")?);
    let leaf_of: HashMap<&str, Leaf> = accounts
        .iter()
        .map(|a| {
            let leaf = (a.district().into(), a.station().into(), a.manager().into());
            (a.id.as_str(), leaf)
        })
        .collect();
    let first = months
        .iter()
        .flatten()
        .fold(f64::INFINITY, |a, &b| a.min(b));
    if !first.is_finite() {
        return Ok(History::default());
    }
    let (first, cut) = crate::frame::month_window(first as i32, last);
    let n = (last - first + 1).max(0) as usize;
    // fixed-point sums per leaf, back in units once at the end
    let mut sums: BTreeMap<Leaf, (Vec<i64>, Vec<i64>)> = BTreeMap::new();
    for i in 0..agg.height() {
        let (Some(id), Some(m)) = (ids[i].as_deref(), months[i]) else {
            continue;
        };
        let Some(leaf) = leaf_of.get(id).filter(|_| m as i32 >= first) else {
            continue;
        };
        let e = sums
            .entry(leaf.clone())
            .or_insert_with(|| (vec![0; n], vec![0; n]));
        let k = (m as i32 - first) as usize;
        e.0[k] += r[i].unwrap_or(0.0) as i64;
        e.1[k] += v[i].unwrap_or(0.0) as i64;
    }
    let back = |x: Vec<i64>| x.into_iter().map(from_fixed).collect::<Vec<f64>>();
    Ok(History {
        first_month: first,
        cut,
        leaves: sums
            .into_iter()
            .map(|(k, (r, v))| (k, (back(r), back(v))))
            .collect(),
    })
}

/// Histories built month by month, for the planner's tests.
#[cfg(test)]
impl History {
    /// `months` months from `first_month`; each leaf's revenue and volume of month `m` is
    /// `f(leaf, m)`.
    pub fn from_fn(
        first_month: i32,
        months: usize,
        leaves: &[Leaf],
        f: impl Fn(&Leaf, i32) -> f64,
    ) -> History {
        let leaves = leaves
            .iter()
            .map(|l| {
                let s: Vec<f64> = (0..months as i32).map(|i| f(l, first_month + i)).collect();
                (l.clone(), (s.clone(), s))
            })
            .collect();
        History {
            first_month,
            cut: false,
            leaves,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    #[test]
    fn whole_months_per_leaf_up_to_as_of() -> Result<()> {
        let tx = df![
            s::CUSTOMER_ID => ["a", "a", "b", "a"],
            s::DATE => [d(2025, 1, 5), d(2025, 3, 9), d(2025, 3, 31), d(2025, 4, 2)],
            s::AMOUNT => [10.0, 20.0, 5.0, 99.0],
        ]?
        .lazy()
        .with_column(col(s::DATE).cast(DataType::Date))
        .collect()?;
        let acc = |id: &str, st: &str| Account {
            id: id.into(),
            station: Some(st.into()),
            ..Account::default()
        };
        let h = history(&tx, &[acc("a", "S1"), acc("b", "S2")], d(2025, 4, 20))?;
        assert_eq!(h.first_month, 2025 * 12);
        assert_eq!(h.len(), 3, "April is in progress on the 20th");
        let s1 = ("unassigned".into(), "S1".into(), "unassigned".into());
        assert_eq!(
            h.series(&s1, QuotaMetric::Revenue),
            Some(&[10.0, 0.0, 20.0][..])
        );
        assert_eq!(
            sum_months(&[10.0, 0.0, 20.0], h.first_month, 2025 * 12 + 1, 3),
            20.0
        );
        assert_eq!(last_whole_month(d(2025, 12, 31)), 2025 * 12 + 11);
        Ok(())
    }
}
