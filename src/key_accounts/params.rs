//! `[key_accounts]` in kam.toml: the one rule that says which customers are key accounts and
//! in which tier, loose as written ([`KeyAccountParams`]) and checked ([`KeyAccountValid`],
//! built only by [`KeyAccountParams::check`]).

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// How an existing customer qualifies by what it buys.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExistingRule {
    /// The largest customers that together bring `revenue_share` of the last 12 months'
    /// revenue (a Pareto cut: it holds for a company of any size and currency).
    #[default]
    TopShare,
    /// Revenue of the last 12 months at or above `min_annual_revenue`.
    AnnualRevenue,
    /// Only the deal rule.
    None,
}

/// A tier above the base: reached by a deal of `min_deal`, or by the existing-customer rule
/// with its own (stricter) share or revenue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tier {
    pub name: String,
    /// An intended deal at or above this reaches the tier.
    pub min_deal: f64,
    /// With `existing = "top_share"`: the largest customers bringing this share of revenue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revenue_share: Option<f64>,
    /// With `existing = "annual_revenue"`: 12-month revenue at or above this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_annual_revenue: Option<f64>,
}

/// `[key_accounts]` as written by the user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct KeyAccountParams {
    /// A customer with a single intended deal (deals table, any stage but lost) at or above
    /// this is a key account (domain.md, article 1: 10,000 currency units).
    pub min_deal: f64,
    /// The purchase-size rule for existing customers.
    pub existing: ExistingRule,
    /// `existing = "top_share"`: share of the last 12 months' revenue (0.8).
    pub revenue_share: f64,
    /// `existing = "annual_revenue"`: 12-month revenue at or above this (1,000,000).
    pub min_annual_revenue: f64,
    /// Name of the base tier ("key").
    pub base_tier: String,
    /// Higher tiers, each stricter than the one before (default: strategic).
    pub tiers: Vec<Tier>,
}

impl Default for KeyAccountParams {
    fn default() -> Self {
        KeyAccountParams {
            min_deal: 10_000.0,
            existing: ExistingRule::TopShare,
            revenue_share: 0.8,
            min_annual_revenue: 1_000_000.0,
            base_tier: "key".into(),
            tiers: vec![Tier {
                name: "strategic".into(),
                min_deal: 1_000_000.0,
                revenue_share: Some(0.5),
                min_annual_revenue: Some(10_000_000.0),
            }],
        }
    }
}

/// One tier as the rule applies it, the base first.
#[derive(Debug, Clone, PartialEq)]
pub struct TierRule {
    pub name: String,
    pub min_deal: f64,
    /// The revenue share (top_share) or minimum revenue (annual_revenue); None: deals only.
    pub revenue_cut: Option<f64>,
}

/// Checked [`KeyAccountParams`]; reads through to the params.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyAccountValid(KeyAccountParams, Vec<TierRule>);

impl std::ops::Deref for KeyAccountValid {
    type Target = KeyAccountParams;
    fn deref(&self) -> &KeyAccountParams {
        &self.0
    }
}

impl KeyAccountValid {
    /// Every tier, the base first, each stricter than the one before.
    pub fn rules(&self) -> &[TierRule] {
        &self.1
    }
}

/// The checked defaults, for tests (the defaults always pass the check).
#[cfg(test)]
impl Default for KeyAccountValid {
    fn default() -> Self {
        match KeyAccountParams::default().check() {
            Ok(v) => v,
            Err(e) => unreachable!("the defaults are valid: {e}"),
        }
    }
}

fn usage(key: &str, m: String) -> Error {
    Error::Usage(format!("key_accounts.{key}: {m}"))
}

fn positive(key: &str, x: f64) -> Result<f64> {
    match x.is_finite() && x > 0.0 {
        true => Ok(x),
        false => Err(usage(key, format!("must be a positive amount, got {x}"))),
    }
}

fn share(key: &str, x: f64) -> Result<f64> {
    match x > 0.0 && x <= 1.0 {
        true => Ok(x),
        false => Err(usage(key, format!("must be a share in (0, 1], got {x}"))),
    }
}

impl KeyAccountParams {
    pub fn check(self) -> Result<KeyAccountValid> {
        let base_cut = match self.existing {
            ExistingRule::TopShare => Some(share("revenue_share", self.revenue_share)?),
            ExistingRule::AnnualRevenue => {
                Some(positive("min_annual_revenue", self.min_annual_revenue)?)
            }
            ExistingRule::None => None,
        };
        let mut rules = vec![TierRule {
            name: self.base_tier.trim().to_string(),
            min_deal: positive("min_deal", self.min_deal)?,
            revenue_cut: base_cut,
        }];
        for t in &self.tiers {
            rules.push(self.tier_rule(t, &rules[rules.len() - 1])?);
        }
        let mut names: Vec<&str> = rules.iter().map(|r| r.name.as_str()).collect();
        if names.contains(&"") {
            return Err(usage("tiers", "a tier name is empty".into()));
        }
        names.sort_unstable();
        if names.windows(2).any(|w| w[0] == w[1]) {
            return Err(usage("tiers", "two tiers share a name".into()));
        }
        Ok(KeyAccountValid(self, rules))
    }

    /// A tier above `below`: a larger deal, and a smaller revenue share or a larger revenue.
    fn tier_rule(&self, t: &Tier, below: &TierRule) -> Result<TierRule> {
        let name = t.name.trim().to_string();
        let min_deal = positive("tiers.min_deal", t.min_deal)?;
        if min_deal <= below.min_deal {
            return Err(usage(
                "tiers",
                format!(
                    "tier {name:?} needs min_deal above the tier before it ({}), got {min_deal}",
                    below.min_deal
                ),
            ));
        }
        let (cut, key) = match self.existing {
            ExistingRule::TopShare => (t.revenue_share, "revenue_share"),
            ExistingRule::AnnualRevenue => (t.min_annual_revenue, "min_annual_revenue"),
            ExistingRule::None => (None, ""),
        };
        let revenue_cut = match (self.existing, cut, below.revenue_cut) {
            (ExistingRule::None, ..) => None,
            (_, None, _) => {
                return Err(usage(
                    "tiers",
                    format!("tier {name:?} needs {key} (existing = {:?})", self.existing),
                ));
            }
            (ExistingRule::TopShare, Some(x), Some(b)) if share(key, x)? >= b => {
                return Err(usage(
                    "tiers",
                    format!(
                        "tier {name:?} needs revenue_share below the tier before it ({b}), got {x}"
                    ),
                ));
            }
            (ExistingRule::AnnualRevenue, Some(x), Some(b)) if positive(key, x)? <= b => {
                return Err(usage(
                    "tiers",
                    format!(
                        "tier {name:?} needs min_annual_revenue above the tier before it ({b}), got {x}"
                    ),
                ));
            }
            (_, Some(x), _) => Some(x),
        };
        Ok(TierRule {
            name,
            min_deal,
            revenue_cut,
        })
    }
}
