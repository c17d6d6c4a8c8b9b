//! The monthly history the quotas are based on: each quota leaf's (district, station,
//! account manager) net revenue and volume per calendar month, over the whole months from
//! the first sale up to `as_of` (a month still in progress on `as_of` is left out). Same
//! period last year, last year's monthly shape and the company's forecast are read from it,
//! so `kam plan` needs nothing from the track stage.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use polars::prelude::*;

use super::data::Account;
use super::params::QuotaMetric;
use crate::error::Result;
use crate::frame::{epoch_days, from_fixed, has, month_of, to_fixed};
use crate::rows::{Codes, NO_CODE};
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
///
/// One pass: each transaction gets its leaf's number from its customer id, and the sums are
/// gathered on one integer key (leaf, month), a few thousand keys however many customers
/// there are (see [`leaf_month_sums`]).
pub fn history(tx: &DataFrame, accounts: &[Account], as_of: NaiveDate) -> Result<History> {
    let last = last_whole_month(as_of);
    let (leaves, index) = leaf_index(accounts);
    let agg = leaf_month_sums(tx, &index, as_of, last)?;
    let split = |k: i64| (k / MONTH_SPAN, (k % MONTH_SPAN - MONTH_OFFSET) as i32);
    let Some(first) = agg.keys().map(|&k| split(k).1).min() else {
        return Ok(History::default());
    };
    let (first, cut) = crate::frame::month_window(first, last);
    let n = (last - first + 1).max(0) as usize;
    // fixed-point sums per leaf, back in units once at the end
    let mut sums: BTreeMap<&Leaf, (Vec<i64>, Vec<i64>)> = BTreeMap::new();
    for (&k, &(r, v)) in &agg {
        let (leaf, m) = split(k);
        let Some(leaf) = leaves.get(leaf as usize).filter(|_| m >= first) else {
            continue;
        };
        let e = sums.entry(leaf).or_insert_with(|| (vec![0; n], vec![0; n]));
        let k = (m - first) as usize;
        e.0[k] += r;
        e.1[k] += v;
    }
    let back = |x: Vec<i64>| x.into_iter().map(from_fixed).collect::<Vec<f64>>();
    Ok(History {
        first_month: first,
        cut,
        leaves: sums
            .into_iter()
            .map(|(k, (r, v))| (k.clone(), (back(r), back(v))))
            .collect(),
    })
}

/// The leaf number of a buyer without an account: above any real leaf's, and small enough
/// that NO_LEAF x MONTH_SPAN stays inside i64.
const NO_LEAF: u32 = (1 << 30) - 1;
/// The combined (leaf, month) key: leaf x MONTH_SPAN + month + MONTH_OFFSET.
const MONTH_SPAN: i64 = 1 << 32;
const MONTH_OFFSET: i64 = 1 << 31;

/// Fixed-point (revenue, volume) of the transactions dated on or before `as_of` in whole
/// months up to `last`, per combined (leaf, month) key: one walk over the rows, each
/// customer's leaf looked up once per row by its id (a buyer without an account: NO_LEAF).
fn leaf_month_sums(
    tx: &DataFrame,
    index: &PlHashMap<&str, u32>,
    as_of: NaiveDate,
    last: i32,
) -> Result<PlHashMap<i64, (i64, i64)>> {
    let days = tx.column(s::DATE)?.cast(&DataType::Date)?;
    let days = days.date()?.physical().rechunk();
    let amount = tx.column(s::AMOUNT)?.cast(&DataType::Float64)?;
    let quantity = match has(tx, s::QUANTITY) {
        true => Some(tx.column(s::QUANTITY)?.cast(&DataType::Float64)?),
        false => None,
    };
    let amount = amount.f64()?;
    let no_quantity = Float64Chunked::full_null("q".into(), tx.height());
    let quantity = match &quantity {
        Some(q) => q.f64()?,
        None => &no_quantity,
    };
    let ids = tx.column(s::CUSTOMER_ID)?.str()?;
    let codes = Codes::of(tx)?;
    let codes = codes.as_slice()?;
    let as_of = epoch_days(as_of);
    let mut sums: PlHashMap<i64, (i64, i64)> = PlHashMap::default();
    // each customer's leaf, looked up by id at its first row
    const UNSET: u32 = u32::MAX;
    let mut leaf_of: Vec<u32> = Vec::new();
    // the month of the previous row's day: rows mostly come in date order
    let mut month = (i32::MIN, 0);
    let rows = days.iter().zip(amount.iter().zip(quantity.iter()));
    for (r, (d, (a, q))) in rows.enumerate() {
        let Some(d) = d.filter(|&d| d <= as_of) else {
            continue;
        };
        if month.0 != d {
            month = (d, month_of(d));
        }
        if month.1 > last {
            continue;
        }
        let leaf = match codes[r] {
            NO_CODE => NO_LEAF,
            c => {
                let c = c as usize;
                if c >= leaf_of.len() {
                    leaf_of.resize(c + 1, UNSET);
                }
                if leaf_of[c] == UNSET {
                    let id = ids.get(r);
                    leaf_of[c] = id.and_then(|id| index.get(id).copied()).unwrap_or(NO_LEAF);
                }
                leaf_of[c]
            }
        };
        let key = i64::from(leaf) * MONTH_SPAN + i64::from(month.1) + MONTH_OFFSET;
        let e = sums.entry(key).or_insert((0, 0));
        e.0 += a.map_or(0, to_fixed);
        e.1 += q.map_or(0, to_fixed);
    }
    Ok(sums)
}

/// The distinct leaves, sorted, and each customer id's leaf number; an id listed twice keeps
/// its last account, as a map would.
fn leaf_index(accounts: &[Account]) -> (Vec<Leaf>, PlHashMap<&str, u32>) {
    let leaf =
        |a: &Account| -> Leaf { (a.district().into(), a.station().into(), a.manager().into()) };
    let mut leaves: Vec<Leaf> = accounts.iter().map(leaf).collect();
    leaves.sort();
    leaves.dedup();
    let of: PlHashMap<&str, u32> = accounts
        .iter()
        .map(|a| {
            let l = leaves.binary_search(&leaf(a)).unwrap_or(0) as u32;
            (a.id.as_str(), l)
        })
        .collect();
    (leaves, of)
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

    /// An account at a station, with no district or manager.
    fn acc(id: &str, st: &str) -> Account {
        Account {
            id: id.into(),
            station: Some(st.into()),
            ..Account::default()
        }
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

    #[test]
    fn a_buyer_without_an_account_sets_the_first_month_only() -> Result<()> {
        let tx = df![
            s::CUSTOMER_ID => ["x", "a", "a", "b"],
            s::DATE => [d(1969, 11, 30), d(2025, 1, 5), d(2025, 2, 9), d(2025, 2, 10)],
            s::AMOUNT => [7.0, 10.0, 20.5, 1.25],
            s::QUANTITY => [1.0, 2.0, 3.0, 4.0],
        ]?
        .lazy()
        .with_column(col(s::DATE).cast(DataType::Date))
        .collect()?;
        // "a" and "b" share a leaf; "x" (before 1970, so a negative day) has no account
        let h = history(&tx, &[acc("a", "S1"), acc("b", "S1")], d(2025, 3, 1))?;
        assert!(h.cut, "1969 to 2025 is longer than the kept window");
        assert_eq!(h.leaves.len(), 1);
        let s1 = ("unassigned".into(), "S1".into(), "unassigned".into());
        let rev = h.series(&s1, QuotaMetric::Revenue).unwrap_or_default();
        let vol = h.series(&s1, QuotaMetric::Volume).unwrap_or_default();
        assert_eq!(&rev[rev.len() - 2..], &[10.0, 21.75]);
        assert_eq!(&vol[vol.len() - 2..], &[2.0, 7.0]);
        let h = history(&tx, &[acc("a", "S1"), acc("b", "S1")], d(1970, 1, 1))?;
        assert_eq!(
            h.first_month,
            1969 * 12 + 10,
            "the unassigned buyer's month"
        );
        assert!(h.leaves.is_empty());
        Ok(())
    }
}
