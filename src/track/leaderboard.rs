//! `leaderboard.csv`: the development leaderboard (客户开发英雄榜, domain.md article 2) of
//! stations and account managers over the last `leaderboard_months` months with sales, on
//! three boards:
//!
//! - `completion_rate`: revenue actual / revenue target over those months (units with a
//!   positive target only);
//! - `new_key_accounts`: key accounts (`key_account_tier` set) that are new in the window;
//! - `first_topup`: the first top-ups of the customers new in those months, added up.
//!
//! A unit with nothing to rank (a value of 0 or none) is left out. Rows are ordered by value,
//! best first; equal values are ordered by the unit's net sales over the same months (more
//! first), then by unit name (A to Z). The rank is the row's place in that order (1, 2, 3,
//! ...), so a board never has more than `leaderboard_size` rows per level, and the same data
//! always gives the same board.

use std::collections::{BTreeMap, BTreeSet};

use polars::prelude::*;

use super::attainment::{Key, Metric};
use super::cols as c;
use super::facts::{Facts, Level, month_of};
use crate::error::Result;

/// The boards, in output order.
pub const BOARDS: [&str; 3] = ["completion_rate", "new_key_accounts", "first_topup"];
/// The ranked levels, in output order.
pub const LEVELS: [Level; 2] = [Level::Station, Level::AccountManager];

/// One ranked unit.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub board: &'static str,
    pub level: Level,
    pub unit: String,
    pub value: f64,
    pub rank: u32,
}

/// Rank `values` (unit, value) best first: the larger value, then the larger `sales` of the
/// unit (absent = 0), then the unit name A to Z. A unit whose value is not above 0 is left
/// out; the rank is the place in that order.
pub fn rank(values: Vec<(String, f64)>, sales: &BTreeMap<&str, f64>) -> Vec<(String, f64, u32)> {
    let of = |u: &str| sales.get(u).copied().unwrap_or(0.0);
    let mut values: Vec<(String, f64)> = values.into_iter().filter(|(_, v)| *v > 0.0).collect();
    values.sort_by(|a, b| {
        (b.1.total_cmp(&a.1))
            .then_with(|| of(&b.0).total_cmp(&of(&a.0)))
            .then_with(|| a.0.cmp(&b.0))
    });
    (values.into_iter().zip(1u32..))
        .map(|((unit, v), r)| (unit, v, r))
        .collect()
}

/// The first `size` places of every board and level of `entries` (None = all).
pub fn cut(entries: &[Entry], size: Option<usize>) -> Vec<Entry> {
    let keep = |e: &&Entry| size.is_none_or(|n| e.rank as usize <= n);
    entries.iter().filter(keep).cloned().collect()
}

/// Every unit with something to rank on every board and level over months `from..=to`
/// (month indexes), uncut: [`cut`] keeps the published places.
pub fn entries(
    f: &Facts,
    actual: &BTreeMap<Key, f64>,
    targets: &BTreeMap<Key, f64>,
    (from, to): (i32, i32),
) -> Vec<Entry> {
    let in_window = |m: i32| (from..=to).contains(&m);
    let mut out = Vec::new();
    for level in LEVELS {
        let units: BTreeSet<&str> = f.customers.iter().filter_map(|c| c.unit(level)).collect();
        // the second key: net sales over the window
        let mut sales: BTreeMap<&str, f64> = BTreeMap::new();
        for (k, a) in actual {
            if k.level == level && k.metric == Metric::Revenue && in_window(k.month) {
                *sales.entry(k.unit.as_str()).or_default() += a;
            }
        }
        // completion_rate = sum of actual revenue / sum of revenue target over the window
        let mut sums: BTreeMap<&str, (f64, f64)> = BTreeMap::new();
        for (k, t) in targets {
            if k.level == level && k.metric == Metric::Revenue && in_window(k.month) {
                sums.entry(k.unit.as_str()).or_default().1 += t;
            }
        }
        for (k, a) in actual {
            if k.level == level && k.metric == Metric::Revenue && in_window(k.month) {
                sums.entry(k.unit.as_str()).or_default().0 += a;
            }
        }
        let completion: Vec<(String, f64)> = sums
            .into_iter()
            .filter(|(_, (_, t))| *t > 0.0)
            .map(|(u, (a, t))| (u.to_string(), a / t))
            .collect();
        let mut key_accounts: BTreeMap<&str, f64> = units.iter().map(|u| (*u, 0.0)).collect();
        let mut topups: BTreeMap<&str, f64> = key_accounts.clone();
        for cust in &f.customers {
            let Some(unit) = cust.unit(level) else {
                continue;
            };
            if cust.key_since.map(month_of).is_some_and(in_window) {
                *key_accounts.entry(unit).or_default() += 1.0;
            }
            if cust.new_on.map(month_of).is_some_and(in_window) {
                *topups.entry(unit).or_default() += cust.first_topup.unwrap_or(0.0);
            }
        }
        let owned =
            |m: BTreeMap<&str, f64>| m.into_iter().map(|(u, v)| (u.to_string(), v)).collect();
        for (board, values) in
            BOARDS
                .into_iter()
                .zip([completion, owned(key_accounts), owned(topups)])
        {
            out.extend(
                rank(values, &sales)
                    .into_iter()
                    .map(|(unit, value, rank)| Entry {
                        board,
                        level,
                        unit,
                        value,
                        rank,
                    }),
            );
        }
    }
    // boards in BOARDS order, then level, then rank and unit
    let board_ix = |b: &str| BOARDS.iter().position(|x| *x == b).unwrap_or(usize::MAX);
    out.sort_by(|a, b| {
        (board_ix(a.board), a.level, a.rank, &a.unit).cmp(&(
            board_ix(b.board),
            b.level,
            b.rank,
            &b.unit,
        ))
    });
    out
}

/// The entries as the `leaderboard.csv` frame.
pub fn frame(entries: &[Entry]) -> Result<DataFrame> {
    Ok(DataFrame::new_infer_height(vec![
        Column::new(
            c::BOARD.into(),
            entries.iter().map(|e| e.board).collect::<Vec<_>>(),
        ),
        Column::new(
            c::LEVEL.into(),
            entries.iter().map(|e| e.level.name()).collect::<Vec<_>>(),
        ),
        Column::new(
            c::UNIT.into(),
            entries.iter().map(|e| e.unit.as_str()).collect::<Vec<_>>(),
        ),
        Column::new(
            c::VALUE.into(),
            entries.iter().map(|e| e.value).collect::<Vec<_>>(),
        ),
        Column::new(
            c::RANK.into(),
            entries.iter().map(|e| e.rank).collect::<Vec<_>>(),
        ),
    ])?)
}

#[cfg(test)]
#[path = "leaderboard_tests.rs"]
mod tests;
