//! `[plan.market_share]`: eligibility, score weights, caps and negotiation-limit tables.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{d_high, d_quality_grade};

/// Weights of the market-share priority score (normalised by their sum).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScoreWeights {
    #[serde(default = "w_credit")]
    pub credit: f64,
    #[serde(default = "w_loyalty")]
    pub loyalty: f64,
    #[serde(default = "w_volume")]
    pub volume: f64,
    #[serde(default = "w_sharing")]
    pub resource_sharing: f64,
    #[serde(default = "w_terms")]
    pub payment_terms: f64,
}

fn w_credit() -> f64 {
    0.3
}
fn w_loyalty() -> f64 {
    0.2
}
fn w_volume() -> f64 {
    0.25
}
fn w_sharing() -> f64 {
    0.1
}
fn w_terms() -> f64 {
    0.15
}

impl Default for ScoreWeights {
    fn default() -> Self {
        ScoreWeights {
            credit: w_credit(),
            loyalty: w_loyalty(),
            volume: w_volume(),
            resource_sharing: w_sharing(),
            payment_terms: w_terms(),
        }
    }
}

/// `[plan.market_share]`: the plant's long-term customers under the cap.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MarketShareParams {
    /// Plant capacity per year, in the unit of `quantity` (t) (1,500,000).
    #[serde(default = "d_capacity")]
    pub capacity: f64,
    /// The report says when eligible demand falls short of this share of capacity (0.25).
    #[serde(default = "d_cap_min")]
    pub cap_share_min: f64,
    /// Market-share customers together take at most this share of capacity (0.30).
    #[serde(default = "d_cap_max")]
    pub cap_share_max: f64,
    /// One customer takes at most this share of capacity (0.10).
    #[serde(default = "d_cust_max")]
    pub max_customer_share: f64,
    #[serde(default = "d_eligible")]
    pub eligible_types: Vec<String>,
    #[serde(default = "d_excluded")]
    pub excluded_types: Vec<String>,
    /// Worst credit grade still eligible ("B").
    #[serde(default = "d_quality_grade")]
    pub min_credit_grade: String,
    /// Months with purchases in the last 12 needed (6).
    #[serde(default = "d_loyal")]
    pub min_loyal_months: u32,
    /// Annual volume needed for a plant of `reference_capacity` or more (80,000 t).
    #[serde(default = "d_min_volume")]
    pub min_volume: f64,
    /// Annual volume needed from cash or prepay customers (50,000 t).
    #[serde(default = "d_min_volume_cash")]
    pub min_volume_cash: f64,
    /// Plant size the volume thresholds are stated for; smaller plants scale them down
    /// in proportion (1,500,000 t).
    #[serde(default = "d_capacity")]
    pub reference_capacity: f64,
    /// Credit customers on longer agreed terms than this are a payment risk (90 days).
    #[serde(default = "d_days_90")]
    pub max_credit_days: u32,
    /// Customers at this churn risk are a payment risk when churn scores are present ("high").
    #[serde(default = "d_high")]
    pub exclude_churn_risk: String,
    #[serde(default)]
    pub weights: ScoreWeights,
    /// Score of each payment term in [0, 1]: cash and prepay first.
    #[serde(default = "d_terms_score")]
    pub payment_scores: BTreeMap<String, f64>,
    /// forecast = last 12 months x (1 + trend_weight x trend clamped to +/- trend_cap).
    #[serde(default = "d_half")]
    pub forecast_trend_weight: f64,
    #[serde(default = "d_trend_cap")]
    pub forecast_trend_cap: f64,
    /// Largest discount off the customer's own 12-month average price, by grade.
    #[serde(default = "d_price_discount")]
    pub price_discount: BTreeMap<String, f64>,
    /// Extra discount by payment terms.
    #[serde(default = "d_terms_discount")]
    pub terms_discount: BTreeMap<String, f64>,
    /// The price floor is never below this (currency per unit; 0 = no bottom).
    #[serde(default)]
    pub min_price: f64,
    /// Rolling credit allowed, in months of the customer's average monthly revenue, by grade.
    #[serde(default = "d_credit_months")]
    pub credit_months: BTreeMap<String, f64>,
    /// Ceiling of any rolling credit (20,000,000).
    #[serde(default = "d_credit_ceiling")]
    pub max_rolling_credit: f64,
    /// Longest payment term by grade, in days.
    #[serde(default = "d_payment_days")]
    pub payment_days: BTreeMap<String, u32>,
    /// Ceiling of any payment term (90 days).
    #[serde(default = "d_days_90")]
    pub max_payment_days: u32,
}

fn d_capacity() -> f64 {
    1_500_000.0
}
fn d_cap_min() -> f64 {
    0.25
}
pub(super) fn d_cap_max() -> f64 {
    0.30
}
pub(super) fn d_cust_max() -> f64 {
    0.10
}
fn d_eligible() -> Vec<String> {
    ["ready_mix", "developer", "distributor"]
        .map(String::from)
        .to_vec()
}
fn d_excluded() -> Vec<String> {
    ["construction", "hydropower"].map(String::from).to_vec()
}
fn d_loyal() -> u32 {
    6
}
fn d_min_volume() -> f64 {
    80_000.0
}
fn d_min_volume_cash() -> f64 {
    50_000.0
}
fn d_days_90() -> u32 {
    90
}
pub(super) fn d_half() -> f64 {
    0.5
}
fn d_trend_cap() -> f64 {
    0.3
}
fn map<V: Copy>(kv: &[(&str, V)]) -> BTreeMap<String, V> {
    kv.iter().map(|(k, v)| (k.to_string(), *v)).collect()
}
fn d_terms_score() -> BTreeMap<String, f64> {
    map(&[("cash", 1.0), ("prepay", 1.0), ("credit", 0.4)])
}
fn d_price_discount() -> BTreeMap<String, f64> {
    map(&[("AAA", 0.05), ("AA", 0.04), ("A", 0.03), ("B", 0.02)])
}
fn d_terms_discount() -> BTreeMap<String, f64> {
    map(&[("cash", 0.01), ("prepay", 0.015), ("credit", 0.0)])
}
fn d_credit_months() -> BTreeMap<String, f64> {
    map(&[("AAA", 2.0), ("AA", 1.5), ("A", 1.0), ("B", 0.5)])
}
fn d_credit_ceiling() -> f64 {
    20_000_000.0
}
fn d_payment_days() -> BTreeMap<String, u32> {
    map(&[("AAA", 90), ("AA", 60), ("A", 45), ("B", 30)])
}

impl Default for MarketShareParams {
    fn default() -> Self {
        MarketShareParams {
            capacity: d_capacity(),
            cap_share_min: d_cap_min(),
            cap_share_max: d_cap_max(),
            max_customer_share: d_cust_max(),
            eligible_types: d_eligible(),
            excluded_types: d_excluded(),
            min_credit_grade: d_quality_grade(),
            min_loyal_months: d_loyal(),
            min_volume: d_min_volume(),
            min_volume_cash: d_min_volume_cash(),
            reference_capacity: d_capacity(),
            max_credit_days: d_days_90(),
            exclude_churn_risk: d_high(),
            weights: ScoreWeights::default(),
            payment_scores: d_terms_score(),
            forecast_trend_weight: d_half(),
            forecast_trend_cap: d_trend_cap(),
            price_discount: d_price_discount(),
            terms_discount: d_terms_discount(),
            min_price: 0.0,
            credit_months: d_credit_months(),
            max_rolling_credit: d_credit_ceiling(),
            payment_days: d_payment_days(),
            max_payment_days: d_days_90(),
        }
    }
}
