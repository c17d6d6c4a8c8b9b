//! The `[plan]` settings: escalations and the review pack, prospects, credit mix, market-share
//! caps and quotas. Every business number of `domain.md` is a default here; [`PlanParams::check`]
//! validates each value once and builds the [`PlanValid`] the stage takes.

use serde::{Deserialize, Serialize};

mod check;
mod market;
#[cfg(test)]
mod tests;

pub use market::{MarketShareParams, ScoreWeights};

/// `[plan]` as written by the user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PlanParams {
    /// Credit grades from best to worst, as the company rates them.
    pub grades: Vec<String>,
    pub review: ReviewParams,
    pub prospects: ProspectParams,
    pub credit_mix: CreditMixParams,
    pub market_share: MarketShareParams,
    pub quotas: QuotaParams,
}

impl Default for PlanParams {
    fn default() -> Self {
        PlanParams {
            grades: ["AAA", "AA", "A", "B", "C", "D"].map(String::from).to_vec(),
            review: ReviewParams::default(),
            prospects: ProspectParams::default(),
            credit_mix: CreditMixParams::default(),
            market_share: MarketShareParams::default(),
            quotas: QuotaParams::default(),
        }
    }
}

/// `[plan.review]`: which deals are escalated, and what goes in the review pack. Who is a key
/// account is decided once, by `[key_accounts]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReviewParams {
    /// Open deals at or above this that are stalled go to the senior review (100,000).
    pub escalation_min_deal: f64,
    /// A deal without a follow-up for this many days is stalled (30).
    pub stall_days: u32,
    /// A deal open this many days without being signed is stuck in its stage (120).
    pub max_open_days: u32,
    /// Deal stages that count as open.
    pub open_stages: Vec<String>,
    /// The churn risk level that puts a key account in the review pack.
    pub churn_risk_level: String,
}

impl Default for ReviewParams {
    fn default() -> Self {
        ReviewParams {
            escalation_min_deal: 100_000.0,
            stall_days: 30,
            max_open_days: 120,
            open_stages: ["lead", "contact", "negotiation"]
                .map(String::from)
                .to_vec(),
            churn_risk_level: "high".into(),
        }
    }
}

/// `[plan.prospects]`: the census ranking per station.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ProspectParams {
    /// A customer buying less than this share of its census potential is a prospect (0.2).
    pub max_penetration: f64,
    /// Prospects listed per station, best first; 0 = all (50).
    pub top_per_station: usize,
}

impl Default for ProspectParams {
    fn default() -> Self {
        ProspectParams {
            max_penetration: 0.2,
            top_per_station: 50,
        }
    }
}

/// `[plan.credit_mix]`: the quality-customer share against its goal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CreditMixParams {
    /// Customers rated this grade or better are quality customers ("B").
    pub quality_min_grade: String,
    /// Goal for the quality-customer share (the source's branch had 0.54).
    pub goal: f64,
}

impl Default for CreditMixParams {
    fn default() -> Self {
        CreditMixParams {
            quality_min_grade: "B".into(),
            goal: 0.54,
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

/// What a unit's quota is based on when no target is set for it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuotaBasis {
    /// The same period last year x (1 + growth).
    #[default]
    LastYear,
    /// kam's seasonal forecast of the period (the company's; a unit's is its share of it by
    /// last year's same period).
    Forecast,
}

impl QuotaBasis {
    pub fn name(self) -> &'static str {
        match self {
            QuotaBasis::LastYear => "last_year",
            QuotaBasis::Forecast => "forecast",
        }
    }
}

/// `[plan.quotas]`: next period's quota for every district, station and account manager.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct QuotaParams {
    pub period: QuotaPeriod,
    pub metric: QuotaMetric,
    /// What a quota without a target is based on: "last_year" (the same period last year x
    /// (1 + growth), default) or "forecast" (kam's seasonal forecast of the period).
    pub basis: QuotaBasis,
    /// Explicit company target for the next period; default: the targets table's company
    /// target for the period, else the basis.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub company_target: Option<f64>,
    /// Growth on the same period last year for the "last_year" basis (0.05).
    pub growth: f64,
    /// A split unit's quota rises at most this share above its same period last year (0.30).
    pub max_increase: f64,
    /// A split unit's quota falls at most this share below its same period last year (0.10).
    pub max_decrease: f64,
    /// Quotas are whole multiples of this (1,000).
    pub rounding_unit: f64,
    /// potential = revenue_12m x (1 + trend_weight x trend clamped to +/- trend_cap)
    /// + prospect_weight x untapped potential.
    pub trend_weight: f64,
    pub trend_cap: f64,
    pub prospect_weight: f64,
}

impl Default for QuotaParams {
    fn default() -> Self {
        QuotaParams {
            period: QuotaPeriod::Month,
            metric: QuotaMetric::Revenue,
            basis: QuotaBasis::LastYear,
            company_target: None,
            growth: 0.05,
            max_increase: 0.30,
            max_decrease: 0.10,
            rounding_unit: 1_000.0,
            trend_weight: 0.5,
            trend_cap: 0.5,
            prospect_weight: 0.1,
        }
    }
}

/// The checked `[plan]`: only [`PlanParams::check`] builds one. Reads through to the params.
#[derive(Debug, Clone)]
pub struct PlanValid(PlanParams);

impl std::ops::Deref for PlanValid {
    type Target = PlanParams;
    fn deref(&self) -> &PlanParams {
        &self.0
    }
}

impl PlanValid {
    /// Position of a grade in the best-to-worst order; None when unknown.
    pub fn grade_rank(&self, grade: &str) -> Option<usize> {
        self.0.grades.iter().position(|g| g == grade)
    }

    /// The quality-customer rule of `grades` and `credit_mix.quality_min_grade`, shared with
    /// tracking's portfolios.
    pub fn quality_rule(&self) -> crate::grades::QualityRule {
        crate::grades::QualityRule::new(&self.0.grades, &self.0.credit_mix.quality_min_grade)
    }
}
