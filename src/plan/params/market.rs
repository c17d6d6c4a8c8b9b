//! `[plan.market_share]`: eligibility, score weights, caps and negotiation-limit tables.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Weights of the market-share priority score (normalised by their sum).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ScoreWeights {
    pub credit: f64,
    pub loyalty: f64,
    pub volume: f64,
    pub resource_sharing: f64,
    pub payment_terms: f64,
}

impl Default for ScoreWeights {
    fn default() -> Self {
        ScoreWeights {
            credit: 0.3,
            loyalty: 0.2,
            volume: 0.25,
            resource_sharing: 0.1,
            payment_terms: 0.15,
        }
    }
}

/// `[plan.market_share]`: the plant's long-term customers under the cap.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MarketShareParams {
    /// Plant capacity per year, in the unit of `quantity` (t) (1,500,000).
    pub capacity: f64,
    /// The report says when eligible demand falls short of this share of capacity (0.25).
    pub cap_share_min: f64,
    /// Market-share customers together take at most this share of capacity (0.30).
    pub cap_share_max: f64,
    /// One customer takes at most this share of capacity (0.10).
    pub max_customer_share: f64,
    pub eligible_types: Vec<String>,
    pub excluded_types: Vec<String>,
    /// Worst credit grade still eligible ("B").
    pub min_credit_grade: String,
    /// Months with purchases in the last 12 needed (6).
    pub min_loyal_months: u32,
    /// Annual volume needed for a plant of `reference_capacity` or more (80,000 t).
    pub min_volume: f64,
    /// Annual volume needed from cash or prepay customers (50,000 t).
    pub min_volume_cash: f64,
    /// Plant size the volume thresholds are stated for; smaller plants scale them down
    /// in proportion (1,500,000 t).
    pub reference_capacity: f64,
    /// Credit customers on longer agreed terms than this are a payment risk (90 days).
    pub max_credit_days: u32,
    /// Customers at this churn risk are a payment risk when churn scores are present ("high").
    pub exclude_churn_risk: String,
    pub weights: ScoreWeights,
    /// Score of each payment term in [0, 1]: cash and prepay first.
    pub payment_scores: BTreeMap<String, f64>,
    /// forecast = last 12 months x (1 + trend_weight x trend clamped to +/- trend_cap).
    pub forecast_trend_weight: f64,
    pub forecast_trend_cap: f64,
    /// Largest discount off the customer's own 12-month average price, by grade.
    pub price_discount: BTreeMap<String, f64>,
    /// Extra discount by payment terms.
    pub terms_discount: BTreeMap<String, f64>,
    /// The price floor is never below this (currency per unit; 0 = no bottom).
    pub min_price: f64,
    /// Rolling credit allowed, in months of the customer's average monthly revenue, by grade.
    pub credit_months: BTreeMap<String, f64>,
    /// Ceiling of any rolling credit (20,000,000).
    pub max_rolling_credit: f64,
    /// Longest payment term by grade, in days.
    pub payment_days: BTreeMap<String, u32>,
    /// Ceiling of any payment term (90 days).
    pub max_payment_days: u32,
}

fn map<V: Copy>(kv: &[(&str, V)]) -> BTreeMap<String, V> {
    kv.iter().map(|(k, v)| (k.to_string(), *v)).collect()
}

impl Default for MarketShareParams {
    fn default() -> Self {
        MarketShareParams {
            capacity: 1_500_000.0,
            cap_share_min: 0.25,
            cap_share_max: 0.30,
            max_customer_share: 0.10,
            eligible_types: ["ready_mix", "developer", "distributor"]
                .map(String::from)
                .to_vec(),
            excluded_types: ["construction", "hydropower"].map(String::from).to_vec(),
            min_credit_grade: "B".into(),
            min_loyal_months: 6,
            min_volume: 80_000.0,
            min_volume_cash: 50_000.0,
            reference_capacity: 1_500_000.0,
            max_credit_days: 90,
            exclude_churn_risk: "high".into(),
            weights: ScoreWeights::default(),
            payment_scores: map(&[("cash", 1.0), ("prepay", 1.0), ("credit", 0.4)]),
            forecast_trend_weight: 0.5,
            forecast_trend_cap: 0.3,
            price_discount: map(&[("AAA", 0.05), ("AA", 0.04), ("A", 0.03), ("B", 0.02)]),
            terms_discount: map(&[("cash", 0.01), ("prepay", 0.015), ("credit", 0.0)]),
            min_price: 0.0,
            credit_months: map(&[("AAA", 2.0), ("AA", 1.5), ("A", 1.0), ("B", 0.5)]),
            max_rolling_credit: 20_000_000.0,
            payment_days: map(&[("AAA", 90), ("AA", 60), ("A", 45), ("B", 30)]),
            max_payment_days: 90,
        }
    }
}
