//! The `[plan]` settings: key accounts and escalations, prospects, credit mix, market-share
//! caps and quotas. Every business number of `domain.md` is a default here; [`PlanParams::check`]
//! validates each value once and builds the [`PlanValid`] the stage takes.

use serde::{Deserialize, Serialize};

mod check;
mod market;
#[cfg(test)]
mod tests;

pub use market::{MarketShareParams, ScoreWeights};
use market::{d_cap_max, d_cust_max, d_half};

/// `[plan]` as written by the user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanParams {
    /// Credit grades from best to worst, as the company rates them.
    #[serde(default = "default_grades")]
    pub grades: Vec<String>,
    #[serde(default)]
    pub key_accounts: KeyAccountParams,
    #[serde(default)]
    pub prospects: ProspectParams,
    #[serde(default)]
    pub credit_mix: CreditMixParams,
    #[serde(default)]
    pub market_share: MarketShareParams,
    #[serde(default)]
    pub quotas: QuotaParams,
}

fn default_grades() -> Vec<String> {
    ["AAA", "AA", "A", "B", "C", "D"].map(String::from).to_vec()
}

impl Default for PlanParams {
    fn default() -> Self {
        PlanParams {
            grades: default_grades(),
            key_accounts: KeyAccountParams::default(),
            prospects: ProspectParams::default(),
            credit_mix: CreditMixParams::default(),
            market_share: MarketShareParams::default(),
            quotas: QuotaParams::default(),
        }
    }
}

/// A named tier of key accounts above the base tier.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tier {
    pub name: String,
    /// Largest order or intended deal at or above this (currency units).
    pub min_deal: f64,
}

/// `[plan.key_accounts]`: who is a key account, which deals are escalated, the review pack.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyAccountParams {
    /// A customer whose largest order or intended deal reaches this is a key account (10,000).
    #[serde(default = "d_key_min")]
    pub key_account_min_deal: f64,
    /// Name of the base tier.
    #[serde(default = "d_base_tier")]
    pub base_tier: String,
    /// Higher tiers (default: strategic at >= 100,000).
    #[serde(default = "d_tiers")]
    pub tiers: Vec<Tier>,
    /// Open deals at or above this that are stalled go to the senior review (100,000).
    #[serde(default = "d_escalation")]
    pub escalation_min_deal: f64,
    /// A deal without a follow-up for this many days is stalled (30).
    #[serde(default = "d_stall_days")]
    pub stall_days: u32,
    /// A deal open this many days without being signed is stuck in its stage (120).
    #[serde(default = "d_max_open_days")]
    pub max_open_days: u32,
    /// Deal stages that count as open.
    #[serde(default = "d_open_stages")]
    pub open_stages: Vec<String>,
    /// The churn risk level that puts an account in the review pack.
    #[serde(default = "d_high")]
    pub churn_risk_level: String,
}

fn d_key_min() -> f64 {
    10_000.0
}
fn d_base_tier() -> String {
    "key".into()
}
fn d_tiers() -> Vec<Tier> {
    vec![Tier {
        name: "strategic".into(),
        min_deal: 100_000.0,
    }]
}
fn d_escalation() -> f64 {
    100_000.0
}
fn d_stall_days() -> u32 {
    30
}
fn d_max_open_days() -> u32 {
    120
}
fn d_open_stages() -> Vec<String> {
    ["lead", "contact", "negotiation"]
        .map(String::from)
        .to_vec()
}
fn d_high() -> String {
    "high".into()
}

impl Default for KeyAccountParams {
    fn default() -> Self {
        KeyAccountParams {
            key_account_min_deal: d_key_min(),
            base_tier: d_base_tier(),
            tiers: d_tiers(),
            escalation_min_deal: d_escalation(),
            stall_days: d_stall_days(),
            max_open_days: d_max_open_days(),
            open_stages: d_open_stages(),
            churn_risk_level: d_high(),
        }
    }
}

/// `[plan.prospects]`: the census ranking per station.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProspectParams {
    /// A customer buying less than this share of its census potential is a prospect (0.2).
    #[serde(default = "d_penetration")]
    pub max_penetration: f64,
    /// Prospects listed per station, best first; 0 = all (50).
    #[serde(default = "d_top")]
    pub top_per_station: usize,
}

fn d_penetration() -> f64 {
    0.2
}
fn d_top() -> usize {
    50
}

impl Default for ProspectParams {
    fn default() -> Self {
        ProspectParams {
            max_penetration: d_penetration(),
            top_per_station: d_top(),
        }
    }
}

/// `[plan.credit_mix]`: the quality-customer share against its goal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreditMixParams {
    /// Customers rated this grade or better are quality customers ("B").
    #[serde(default = "d_quality_grade")]
    pub quality_min_grade: String,
    /// Goal for the quality-customer share (the source's branch had 0.54).
    #[serde(default = "d_goal")]
    pub goal: f64,
}

fn d_quality_grade() -> String {
    "B".into()
}
fn d_goal() -> f64 {
    0.54
}

impl Default for CreditMixParams {
    fn default() -> Self {
        CreditMixParams {
            quality_min_grade: d_quality_grade(),
            goal: d_goal(),
        }
    }
}

/// Length of the quota period.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum QuotaPeriod {
    #[default]
    Month,
    Quarter,
    Year,
}

impl QuotaPeriod {
    pub fn months(self) -> u32 {
        match self {
            QuotaPeriod::Month => 1,
            QuotaPeriod::Quarter => 3,
            QuotaPeriod::Year => 12,
        }
    }
}

/// What a quota counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum QuotaMetric {
    #[default]
    Revenue,
    Volume,
}

impl QuotaMetric {
    pub fn name(self) -> &'static str {
        match self {
            QuotaMetric::Revenue => "revenue",
            QuotaMetric::Volume => "volume",
        }
    }
}

/// `[plan.quotas]`: next period's quota for every district, station and account manager.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuotaParams {
    #[serde(default)]
    pub period: QuotaPeriod,
    #[serde(default)]
    pub metric: QuotaMetric,
    /// Explicit company target for the next period; default: the targets table's company
    /// target for those months, else last period's actual x (1 + growth).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company_target: Option<f64>,
    /// Growth on last period's actual when no target is given (0.05).
    #[serde(default = "d_growth")]
    pub growth: f64,
    /// A unit's quota rises at most this share above its last period's actual (0.30).
    #[serde(default = "d_cap_max")]
    pub max_increase: f64,
    /// A unit's quota falls at most this share below its last period's actual (0.10).
    #[serde(default = "d_cust_max")]
    pub max_decrease: f64,
    /// Quotas are whole multiples of this (1,000).
    #[serde(default = "d_rounding")]
    pub rounding_unit: f64,
    /// potential = revenue_12m x (1 + trend_weight x trend clamped to +/- trend_cap)
    /// + prospect_weight x untapped potential.
    #[serde(default = "d_half")]
    pub trend_weight: f64,
    #[serde(default = "d_half")]
    pub trend_cap: f64,
    #[serde(default = "d_prospect_weight")]
    pub prospect_weight: f64,
}

fn d_growth() -> f64 {
    0.05
}
fn d_rounding() -> f64 {
    1_000.0
}
fn d_prospect_weight() -> f64 {
    0.1
}

impl Default for QuotaParams {
    fn default() -> Self {
        QuotaParams {
            period: QuotaPeriod::Month,
            metric: QuotaMetric::Revenue,
            company_target: None,
            growth: d_growth(),
            max_increase: d_cap_max(),
            max_decrease: d_cust_max(),
            rounding_unit: d_rounding(),
            trend_weight: d_half(),
            trend_cap: d_half(),
            prospect_weight: d_prospect_weight(),
        }
    }
}

/// The checked `[plan]`: only [`PlanParams::check`] builds one.
#[derive(Debug, Clone)]
pub struct PlanValid {
    p: PlanParams,
}

impl std::ops::Deref for PlanValid {
    type Target = PlanParams;
    fn deref(&self) -> &PlanParams {
        &self.p
    }
}

impl PlanValid {
    /// Position of a grade in the best-to-worst order; None when unknown.
    pub fn grade_rank(&self, grade: &str) -> Option<usize> {
        self.p.grades.iter().position(|g| g == grade)
    }
}
