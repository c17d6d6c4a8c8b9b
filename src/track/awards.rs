//! `awards.csv`: the leaderboard's single-item awards (单项奖, domain.md article 2: a share of
//! the ranked developers wins set amounts, on an indicator tied to the first top-up; customers
//! whose top-up passes a threshold earn a reward), over the leaderboard's months and paid to
//! the units of `[track.awards] level`:
//!
//! ```text
//! topup_reward: basis  = customers new in the months whose first top-up >= topup_threshold
//!               amount = basis * reward_per_customer
//! pool:         winners = ceil(pool_share * units ranked on pool_board), at least 1, at most
//!                         the board's published rows; basis = the unit's board value
//!               amount  = pool * weight / sum of weights, weight = n + 1 - rank of n winners
//!                         ("rank") or 1 ("equal"), in cents; the cents rounding leaves go
//!                         one each to the best ranks, so the amounts add up to the pool
//! ```
//!
//! A reward of 0 or a pool of 0 turns that award off.

use std::collections::BTreeMap;

use polars::prelude::*;

use super::cols as c;
use super::facts::{Facts, Level, month_of};
use super::leaderboard::Entry;
use super::params::{AwardParams, PoolSplit};
use crate::error::Result;

/// The award of customers whose first top-up passes the threshold.
pub const TOPUP_REWARD: &str = "topup_reward";
/// The award pool paid on a board.
pub const POOL: &str = "pool";

/// One unit's award.
#[derive(Debug, Clone, PartialEq)]
pub struct Award {
    pub award: &'static str,
    /// The board the pool is paid on; None for top-up rewards.
    pub board: Option<String>,
    pub level: Level,
    pub unit: String,
    /// Place among the units of this award (the board rank for the pool).
    pub rank: u32,
    /// Qualifying customers (top-up reward) or the board value (pool).
    pub basis: f64,
    /// Currency units.
    pub amount: f64,
}

/// The top-up rewards of months `from..=to` per unit of `level`, most qualifying customers
/// first (ties by unit name).
pub fn topup_rewards(
    f: &Facts,
    level: Level,
    (from, to): (i32, i32),
    p: &AwardParams,
) -> Vec<Award> {
    if p.reward_per_customer <= 0.0 {
        return Vec::new();
    }
    let mut counts: BTreeMap<&str, u32> = BTreeMap::new();
    for cust in &f.customers {
        let new_in_window = cust
            .new_on
            .map(month_of)
            .is_some_and(|m| (from..=to).contains(&m));
        let passes = cust.first_topup.is_some_and(|t| t >= p.topup_threshold);
        if let (true, true, Some(unit)) = (new_in_window, passes, cust.unit(level)) {
            *counts.entry(unit).or_default() += 1;
        }
    }
    let mut rows: Vec<(&str, u32)> = counts.into_iter().collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    (rows.into_iter().zip(1u32..))
        .map(|((unit, n), rank)| Award {
            award: TOPUP_REWARD,
            board: None,
            level,
            unit: unit.to_string(),
            rank,
            basis: f64::from(n),
            amount: f64::from(n) * p.reward_per_customer,
        })
        .collect()
}

/// The pool over the uncut ranking `ranked` of `level` on `p.pool_board`; `shown` = the rows
/// the published board keeps (None = all).
pub fn pool(ranked: &[Entry], level: Level, p: &AwardParams, shown: Option<usize>) -> Vec<Award> {
    let board: Vec<&Entry> = ranked
        .iter()
        .filter(|e| e.board == p.pool_board && e.level == level)
        .collect();
    if p.pool <= 0.0 || board.is_empty() {
        return Vec::new();
    }
    let n = winners(board.len(), p.pool_share, shown);
    let weights: Vec<u64> = (0..n)
        .map(|i| match p.pool_split {
            PoolSplit::Rank => (n - i) as u64,
            PoolSplit::Equal => 1,
        })
        .collect();
    let amounts = split(p.pool, &weights);
    let mut by_rank = board;
    by_rank.sort_by_key(|e| e.rank);
    (by_rank.into_iter().zip(amounts))
        .map(|(e, amount)| Award {
            award: POOL,
            board: Some(p.pool_board.clone()),
            level,
            unit: e.unit.clone(),
            rank: e.rank,
            basis: e.value,
            amount,
        })
        .collect()
}

/// Winners among `ranked` units: the top `share`, rounded up, at least one, at most `shown`.
pub fn winners(ranked: usize, share: f64, shown: Option<usize>) -> usize {
    // a hair below the product, so 0.3 * 10 (3.0000000000000004) is 3 winners, not 4
    let top = (share * ranked as f64 - 1e-9).ceil().max(1.0) as usize;
    top.min(ranked).min(shown.unwrap_or(usize::MAX))
}

/// `total` split in proportion to `weights`, in cents; the cents the rounding leaves go one
/// each to the first shares, so the shares add up to `total` (to the cent).
pub fn split(total: f64, weights: &[u64]) -> Vec<f64> {
    let cents = (total * 100.0).round() as u64;
    let sum: u64 = weights.iter().sum();
    if sum == 0 {
        return vec![0.0; weights.len()];
    }
    let mut shares: Vec<u64> = weights.iter().map(|w| cents * w / sum).collect();
    let left = cents - shares.iter().sum::<u64>();
    for s in shares.iter_mut().take(left as usize) {
        *s += 1;
    }
    shares.into_iter().map(|s| s as f64 / 100.0).collect()
}

/// The summary line: what each award pays, to how many units of `level`.
pub fn summary(awards: &[Award], level: Level, p: &AwardParams) -> String {
    let of = |kind: &str| {
        let rows: Vec<&Award> = awards.iter().filter(|a| a.award == kind).collect();
        // + 0.0: an empty f64 sum is -0.0, which would print as "-0.00"
        let total: f64 = rows.iter().map(|a| a.amount).sum::<f64>() + 0.0;
        let basis: f64 = rows.iter().map(|a| a.basis).sum::<f64>() + 0.0;
        (rows.len(), total, basis)
    };
    let ((n_topup, topup, customers), (n_pool, pool, _)) = (of(TOPUP_REWARD), of(POOL));
    format!(
        "awards ({}): {topup:.2} in top-up rewards to {n_topup} units for {customers} new \
         customers at or above {:.2}; {pool:.2} from the {} pool to {n_pool} units",
        level.name(),
        p.topup_threshold,
        p.pool_board
    )
}

/// The awards as the `awards.csv` frame.
pub fn frame(awards: &[Award]) -> Result<DataFrame> {
    Ok(DataFrame::new_infer_height(vec![
        Column::new(
            c::AWARD.into(),
            awards.iter().map(|a| a.award).collect::<Vec<_>>(),
        ),
        Column::new(
            c::BOARD.into(),
            awards
                .iter()
                .map(|a| a.board.as_deref())
                .collect::<Vec<_>>(),
        ),
        Column::new(
            c::LEVEL.into(),
            awards.iter().map(|a| a.level.name()).collect::<Vec<_>>(),
        ),
        Column::new(
            c::UNIT.into(),
            awards.iter().map(|a| a.unit.as_str()).collect::<Vec<_>>(),
        ),
        Column::new(
            c::RANK.into(),
            awards.iter().map(|a| a.rank).collect::<Vec<_>>(),
        ),
        Column::new(
            c::BASIS.into(),
            awards.iter().map(|a| a.basis).collect::<Vec<_>>(),
        ),
        Column::new(
            c::AMOUNT.into(),
            awards.iter().map(|a| a.amount).collect::<Vec<_>>(),
        ),
    ])?)
}

#[cfg(test)]
#[path = "awards_tests.rs"]
mod tests;
