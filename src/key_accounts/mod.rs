//! The key-account rule (domain.md, article 1), decided once per run and carried as the
//! `key_account_tier` column of the customer table; the planner, attainment, the weekly
//! report and the leaderboards read that column and never decide on their own.
//!
//! A customer is in a tier when either
//! - it has a single **intended deal** (deals table, any stage but `lost`) of at least the
//!   tier's `min_deal` (10,000 for the base tier), or
//! - as an **existing customer** it passes the purchase-size rule the company chose
//!   (`existing`): among the largest customers that together bring `revenue_share` of the
//!   last 12 months' revenue (`top_share`), or 12-month revenue of at least
//!   `min_annual_revenue` (`annual_revenue`).
//!
//! Its tier is the highest it reaches; `key_account_basis` says which rule gave it (the deal
//! rule when both do). The largest past order plays no part: a single large delivery does
//! not make a customer a key account.

pub mod output;
mod params;
#[cfg(test)]
mod tests;

use std::collections::HashMap;

use polars::prelude::*;

pub use crate::schema::columns::{KEY_ACCOUNT_BASIS, KEY_ACCOUNT_TIER};
pub use params::{ExistingRule, KeyAccountParams, KeyAccountValid, Tier, TierRule};

use crate::error::Result;
use crate::frame;
use crate::schema as s;

/// `key_account_basis` of a tier reached by an intended deal.
pub const BASIS_DEAL: &str = "intended_deal";
/// `key_account_basis` of a tier reached by the share of revenue.
pub const BASIS_SHARE: &str = "revenue_share";
/// `key_account_basis` of a tier reached by 12-month revenue.
pub const BASIS_REVENUE: &str = "annual_revenue";
/// The deal stage that does not count as an intended deal.
const LOST: &str = "lost";

/// The rule applied to every customer of the table, in table order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Classification {
    /// Tier name per customer; None: not a key account.
    pub tier: Vec<Option<String>>,
    /// The rule that gave the tier.
    pub basis: Vec<Option<&'static str>>,
    /// Customers per tier, the base tier first.
    pub per_tier: Vec<(String, usize)>,
    /// Share of the last 12 months' revenue the key accounts bring (None: no revenue).
    pub revenue_share: Option<f64>,
    /// Live deals whose customer is not in the customer table (not classified).
    pub unknown_deals: usize,
}

impl Classification {
    /// Key accounts of every tier.
    pub fn count(&self) -> usize {
        self.per_tier.iter().map(|(_, n)| n).sum()
    }
}

/// Classify the customers of `table` (`customer_id`, `revenue_last_12m`) with the deals.
pub fn classify(
    table: &DataFrame,
    deals: Option<&DataFrame>,
    v: &KeyAccountValid,
) -> Result<Classification> {
    let ids = frame::trimmed(table, s::CUSTOMER_ID)?;
    let revenue: Vec<f64> = frame::f64s(table, s::REVENUE_LAST_12M)?
        .into_iter()
        .map(|r| r.filter(|r| r.is_finite()).unwrap_or(0.0))
        .collect();
    let (largest_deal, unknown_deals) = largest_deals(deals, &ids)?;
    let rules = v.rules();
    // per tier: which customers pass the existing-customer rule
    let by_revenue: Vec<Vec<bool>> = rules
        .iter()
        .map(|r| match (v.existing, r.revenue_cut) {
            (ExistingRule::TopShare, Some(share)) => top_share(&ids, &revenue, share),
            (ExistingRule::AnnualRevenue, Some(min)) => revenue.iter().map(|x| *x >= min).collect(),
            _ => vec![false; ids.len()],
        })
        .collect();
    let revenue_basis = match v.existing {
        ExistingRule::AnnualRevenue => BASIS_REVENUE,
        _ => BASIS_SHARE,
    };
    let mut out = Classification {
        per_tier: rules.iter().map(|r| (r.name.clone(), 0)).collect(),
        unknown_deals,
        ..Classification::default()
    };
    let (mut key_revenue, total) = (0.0, revenue.iter().filter(|r| **r > 0.0).sum::<f64>());
    for i in 0..ids.len() {
        let deal = largest_deal[i];
        let reached = (0..rules.len()).rev().find_map(|t| {
            let by_deal = deal.is_some_and(|d| d >= rules[t].min_deal);
            (by_deal || by_revenue[t][i]).then_some((t, by_deal))
        });
        match reached {
            Some((t, by_deal)) => {
                out.per_tier[t].1 += 1;
                key_revenue += revenue[i].max(0.0);
                out.tier.push(Some(rules[t].name.clone()));
                out.basis
                    .push(Some(if by_deal { BASIS_DEAL } else { revenue_basis }));
            }
            None => {
                out.tier.push(None);
                out.basis.push(None);
            }
        }
    }
    out.revenue_share = (total > 0.0).then(|| key_revenue / total);
    Ok(out)
}

/// Per customer of `ids`: its largest live intended deal; and the count of live deals whose
/// customer is not among `ids`.
fn largest_deals(
    deals: Option<&DataFrame>,
    ids: &[Option<String>],
) -> Result<(Vec<Option<f64>>, usize)> {
    let mut largest = vec![None; ids.len()];
    let Some(deals) = deals else {
        return Ok((largest, 0));
    };
    let index: HashMap<&str, usize> = ids
        .iter()
        .enumerate()
        .filter_map(|(i, id)| id.as_deref().map(|id| (id, i)))
        .collect();
    let customer = frame::trimmed(deals, s::CUSTOMER_ID)?;
    let stage = frame::trimmed(deals, s::STAGE)?;
    let amount = frame::f64s(deals, s::INTENDED_AMOUNT)?;
    let mut unknown = 0;
    for ((c, st), a) in customer.iter().zip(&stage).zip(amount) {
        let (Some(c), Some(a)) = (c, a.filter(|a| a.is_finite())) else {
            continue;
        };
        if st.as_deref() == Some(LOST) {
            continue;
        }
        match index.get(c.as_str()) {
            Some(&i) => largest[i] = Some(largest[i].map_or(a, |m: f64| m.max(a))),
            None => unknown += 1,
        }
    }
    Ok((largest, unknown))
}

/// Whether each customer is among the largest that together bring `share` of the positive
/// revenue: customers by revenue (largest first, then id), each taken while the revenue
/// before it is short of the share (so the one that crosses the line is in).
fn top_share(ids: &[Option<String>], revenue: &[f64], share: f64) -> Vec<bool> {
    let mut order: Vec<usize> = (0..ids.len()).filter(|&i| revenue[i] > 0.0).collect();
    order.sort_by(|&a, &b| revenue[b].total_cmp(&revenue[a]).then(ids[a].cmp(&ids[b])));
    let total: f64 = order.iter().map(|&i| revenue[i]).sum();
    let mut inside = vec![false; ids.len()];
    let mut before = 0.0;
    for i in order {
        if before >= share * total {
            break;
        }
        inside[i] = true;
        before += revenue[i];
    }
    inside
}
