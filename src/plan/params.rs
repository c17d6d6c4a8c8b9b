//! The `[plan]` settings: key accounts and escalations, prospects, credit mix, market-share
//! caps and quotas. Every business number of `domain.md` is a default here; [`PlanParams::check`]
//! validates each value once and builds the [`PlanValid`] the stage takes.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

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
fn d_cap_max() -> f64 {
    0.30
}
fn d_cust_max() -> f64 {
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
fn d_half() -> f64 {
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

fn usage(setting: &str, msg: String) -> Error {
    Error::Usage(format!("plan.{setting}: {msg}"))
}

fn infeasible(setting: &str, msg: String) -> Error {
    Error::Infeasible {
        setting: format!("plan.{setting}"),
        msg,
    }
}

fn share(setting: &str, v: f64) -> Result<()> {
    if !(v.is_finite() && (0.0..=1.0).contains(&v)) {
        return Err(usage(setting, format!("must be between 0 and 1, got {v}")));
    }
    Ok(())
}

fn non_negative(setting: &str, v: f64) -> Result<()> {
    if !(v.is_finite() && v >= 0.0) {
        return Err(usage(setting, format!("must be a number >= 0, got {v}")));
    }
    Ok(())
}

impl PlanParams {
    /// Check every value; infeasible combinations are [`Error::Infeasible`].
    pub fn check(self) -> Result<PlanValid> {
        let g = &self.grades;
        if g.is_empty() {
            return Err(usage("grades", "must list at least one grade".into()));
        }
        if (1..g.len()).any(|i| g[..i].contains(&g[i])) {
            return Err(usage("grades", "lists a grade twice".into()));
        }
        let rank = |setting: &str, grade: &str| -> Result<usize> {
            g.iter().position(|x| x == grade).ok_or_else(|| {
                usage(
                    setting,
                    format!("{grade:?} is not one of plan.grades ({})", g.join(", ")),
                )
            })
        };
        self.check_key_accounts()?;
        let pr = &self.prospects;
        share("prospects.max_penetration", pr.max_penetration)?;
        rank(
            "credit_mix.quality_min_grade",
            &self.credit_mix.quality_min_grade,
        )?;
        share("credit_mix.goal", self.credit_mix.goal)?;
        let worst = rank(
            "market_share.min_credit_grade",
            &self.market_share.min_credit_grade,
        )?;
        self.check_market_share(&g[..=worst])?;
        self.check_quotas()?;
        Ok(PlanValid { p: self })
    }

    fn check_key_accounts(&self) -> Result<()> {
        let k = &self.key_accounts;
        if !(k.key_account_min_deal.is_finite() && k.key_account_min_deal > 0.0) {
            return Err(usage(
                "key_accounts.key_account_min_deal",
                format!("must be a positive amount, got {}", k.key_account_min_deal),
            ));
        }
        non_negative("key_accounts.escalation_min_deal", k.escalation_min_deal)?;
        let mut last = k.key_account_min_deal;
        for t in &k.tiers {
            if !(t.min_deal.is_finite() && t.min_deal > last) {
                return Err(usage(
                    "key_accounts.tiers",
                    format!(
                        "tier {:?} needs min_deal above the tier before it ({last}), got {}",
                        t.name, t.min_deal
                    ),
                ));
            }
            last = t.min_deal;
        }
        let mut names: Vec<&str> = k.tiers.iter().map(|t| t.name.as_str()).collect();
        names.push(&k.base_tier);
        if names.iter().any(|n| n.trim().is_empty()) {
            return Err(usage("key_accounts.tiers", "a tier name is empty".into()));
        }
        names.sort_unstable();
        if names.windows(2).any(|w| w[0] == w[1]) {
            return Err(usage("key_accounts.tiers", "two tiers share a name".into()));
        }
        if k.stall_days == 0 {
            return Err(usage(
                "key_accounts.stall_days",
                "must be at least 1".into(),
            ));
        }
        if k.max_open_days == 0 {
            return Err(usage(
                "key_accounts.max_open_days",
                "must be at least 1".into(),
            ));
        }
        if let Some(s) = k
            .open_stages
            .iter()
            .find(|s| !crate::schema::STAGE_VALUES.contains(&s.as_str()))
        {
            return Err(usage(
                "key_accounts.open_stages",
                format!(
                    "{s:?} is not a deal stage ({})",
                    crate::schema::STAGE_VALUES.join(", ")
                ),
            ));
        }
        Ok(())
    }

    /// `qualifying`: the grades at or above the minimum, which need a row in every table.
    fn check_market_share(&self, qualifying: &[String]) -> Result<()> {
        let m = &self.market_share;
        if !(m.capacity.is_finite() && m.capacity > 0.0) {
            return Err(infeasible(
                "market_share.capacity",
                format!(
                    "the plant capacity must be a positive volume per year, got {}",
                    m.capacity
                ),
            ));
        }
        share("market_share.cap_share_min", m.cap_share_min)?;
        share("market_share.cap_share_max", m.cap_share_max)?;
        share("market_share.max_customer_share", m.max_customer_share)?;
        if m.cap_share_min > m.cap_share_max {
            return Err(infeasible(
                "market_share.cap_share_min",
                format!(
                    "the minimum share of capacity ({}) is above the maximum cap_share_max ({}), so no allocation can satisfy both",
                    m.cap_share_min, m.cap_share_max
                ),
            ));
        }
        if m.max_customer_share == 0.0 {
            return Err(infeasible(
                "market_share.max_customer_share",
                "a per-customer cap of 0 leaves nothing to allocate".into(),
            ));
        }
        if let Some(t) = m
            .eligible_types
            .iter()
            .find(|t| m.excluded_types.contains(t))
        {
            return Err(usage(
                "market_share.excluded_types",
                format!("{t:?} is both eligible and excluded"),
            ));
        }
        non_negative("market_share.min_volume", m.min_volume)?;
        non_negative("market_share.min_volume_cash", m.min_volume_cash)?;
        if !(m.reference_capacity.is_finite() && m.reference_capacity > 0.0) {
            return Err(usage(
                "market_share.reference_capacity",
                format!("must be a positive volume, got {}", m.reference_capacity),
            ));
        }
        if m.min_loyal_months > 12 {
            return Err(usage(
                "market_share.min_loyal_months",
                format!("counts months of the last 12, got {}", m.min_loyal_months),
            ));
        }
        let w = &m.weights;
        let ws = [
            ("credit", w.credit),
            ("loyalty", w.loyalty),
            ("volume", w.volume),
            ("resource_sharing", w.resource_sharing),
            ("payment_terms", w.payment_terms),
        ];
        for (k, v) in ws {
            non_negative(&format!("market_share.weights.{k}"), v)?;
        }
        if ws.iter().map(|(_, v)| v).sum::<f64>() <= 0.0 {
            return Err(usage(
                "market_share.weights",
                "at least one weight must be positive".into(),
            ));
        }
        for t in crate::schema::PAYMENT_TERMS_VALUES {
            let s = m.payment_scores.get(*t).copied().ok_or_else(|| {
                usage(
                    "market_share.payment_scores",
                    format!("needs a score for {t}"),
                )
            })?;
            share(&format!("market_share.payment_scores.{t}"), s)?;
            let d = m.terms_discount.get(*t).copied().ok_or_else(|| {
                usage(
                    "market_share.terms_discount",
                    format!("needs a value for {t}"),
                )
            })?;
            share(&format!("market_share.terms_discount.{t}"), d)?;
        }
        non_negative(
            "market_share.forecast_trend_weight",
            m.forecast_trend_weight,
        )?;
        non_negative("market_share.forecast_trend_cap", m.forecast_trend_cap)?;
        non_negative("market_share.min_price", m.min_price)?;
        non_negative("market_share.max_rolling_credit", m.max_rolling_credit)?;
        for g in qualifying {
            let missing = |t: &str| {
                usage(
                    &format!("market_share.{t}"),
                    format!("needs a value for grade {g:?} (every grade down to min_credit_grade)"),
                )
            };
            let d = *m
                .price_discount
                .get(g)
                .ok_or_else(|| missing("price_discount"))?;
            share(&format!("market_share.price_discount.{g}"), d)?;
            let c = *m
                .credit_months
                .get(g)
                .ok_or_else(|| missing("credit_months"))?;
            non_negative(&format!("market_share.credit_months.{g}"), c)?;
            m.payment_days
                .get(g)
                .ok_or_else(|| missing("payment_days"))?;
            let total = d + m.terms_discount.values().fold(0.0_f64, |a, &b| a.max(b));
            if total >= 1.0 {
                return Err(infeasible(
                    &format!("market_share.price_discount.{g}"),
                    format!(
                        "with the largest terms_discount the discount reaches {total}, which leaves no price"
                    ),
                ));
            }
        }
        Ok(())
    }

    fn check_quotas(&self) -> Result<()> {
        let q = &self.quotas;
        if let Some(t) = q.company_target {
            non_negative("quotas.company_target", t)?;
        }
        if !(q.growth.is_finite() && q.growth > -1.0) {
            return Err(usage(
                "quotas.growth",
                format!("must be above -1 (a fall of 100%), got {}", q.growth),
            ));
        }
        non_negative("quotas.max_increase", q.max_increase)?;
        share("quotas.max_decrease", q.max_decrease)?;
        if q.growth > q.max_increase || q.growth < -q.max_decrease {
            return Err(infeasible(
                "quotas.growth",
                format!(
                    "a company target of last period x (1 + {}) lies outside the band every unit may move in (-max_decrease {} to +max_increase {}), so the units cannot sum to it",
                    q.growth, q.max_decrease, q.max_increase
                ),
            ));
        }
        if !(q.rounding_unit.is_finite() && q.rounding_unit > 0.0) {
            return Err(usage(
                "quotas.rounding_unit",
                format!("must be a positive amount, got {}", q.rounding_unit),
            ));
        }
        non_negative("quotas.trend_weight", q.trend_weight)?;
        non_negative("quotas.trend_cap", q.trend_cap)?;
        non_negative("quotas.prospect_weight", q.prospect_weight)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(p: PlanParams) -> String {
        match p.check() {
            Ok(_) => "accepted".into(),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn defaults_pass() -> Result<()> {
        let v = PlanParams::default().check()?;
        assert_eq!(v.grade_rank("B"), Some(3));
        Ok(())
    }

    #[test]
    fn capacity_cannot_be_negative() {
        let mut p = PlanParams::default();
        p.market_share.capacity = -5.0;
        let e = err(p);
        assert!(
            e.contains("plan.market_share.capacity") && e.contains("-5"),
            "{e}"
        );
    }

    #[test]
    fn min_share_cannot_exceed_max() {
        let mut p = PlanParams::default();
        p.market_share.cap_share_min = 0.4;
        let e = err(p);
        assert!(
            e.contains("plan.market_share.cap_share_min") && e.contains("above the maximum"),
            "{e}"
        );
    }

    #[test]
    fn shares_must_be_between_0_and_1() {
        let mut p = PlanParams::default();
        p.market_share.cap_share_max = 1.5;
        assert!(err(p).contains("cap_share_max"));
        let mut p = PlanParams::default();
        p.market_share.max_customer_share = 0.0;
        assert!(err(p).contains("max_customer_share"));
    }

    #[test]
    fn type_cannot_be_both_eligible_and_excluded() {
        let mut p = PlanParams::default();
        p.market_share.excluded_types.push("developer".into());
        assert!(err(p).contains("both eligible and excluded"));
    }

    #[test]
    fn min_credit_grade_must_be_a_grade() {
        let mut p = PlanParams::default();
        p.market_share.min_credit_grade = "E".into();
        assert!(err(p).contains("min_credit_grade"));
    }

    #[test]
    fn every_qualifying_grade_needs_limits() {
        let mut p = PlanParams::default();
        p.market_share.min_credit_grade = "C".into();
        let e = err(p);
        assert!(e.contains("price_discount") && e.contains("\"C\""), "{e}");
    }

    #[test]
    fn discounts_must_leave_a_price() {
        let mut p = PlanParams::default();
        p.market_share.price_discount.insert("AAA".into(), 0.995);
        assert!(err(p).contains("leaves no price"));
    }

    #[test]
    fn weights_must_not_all_be_zero() {
        let mut p = PlanParams::default();
        p.market_share.weights = ScoreWeights {
            credit: 0.0,
            loyalty: 0.0,
            volume: 0.0,
            resource_sharing: 0.0,
            payment_terms: 0.0,
        };
        assert!(err(p).contains("at least one weight"));
        let mut p = PlanParams::default();
        p.market_share.weights.volume = -1.0;
        assert!(err(p).contains("weights.volume"));
    }

    #[test]
    fn loyalty_counts_at_most_12_months() {
        let mut p = PlanParams::default();
        p.market_share.min_loyal_months = 13;
        assert!(err(p).contains("min_loyal_months"));
    }

    #[test]
    fn payment_scores_need_every_term() {
        let mut p = PlanParams::default();
        p.market_share.payment_scores.remove("prepay");
        assert!(err(p).contains("payment_scores"));
    }

    #[test]
    fn tiers_must_rise() {
        let mut p = PlanParams::default();
        p.key_accounts.tiers[0].min_deal = 5_000.0;
        assert!(err(p).contains("key_accounts.tiers"));
        let mut p = PlanParams::default();
        p.key_accounts.tiers[0].name = "key".into();
        assert!(err(p).contains("share a name"));
    }

    #[test]
    fn key_account_min_deal_must_be_positive() {
        let mut p = PlanParams::default();
        p.key_accounts.key_account_min_deal = 0.0;
        assert!(err(p).contains("key_account_min_deal"));
    }

    #[test]
    fn stall_days_cannot_be_zero() {
        let mut p = PlanParams::default();
        p.key_accounts.stall_days = 0;
        assert!(err(p).contains("stall_days"));
        let mut p = PlanParams::default();
        p.key_accounts.max_open_days = 0;
        assert!(err(p).contains("max_open_days"));
    }

    #[test]
    fn open_stages_must_be_stages() {
        let mut p = PlanParams::default();
        p.key_accounts.open_stages = vec!["pending".into()];
        assert!(err(p).contains("open_stages"));
    }

    #[test]
    fn grades_must_be_distinct_and_present() {
        let mut p = PlanParams::default();
        p.grades.push("AA".into());
        assert!(err(p).contains("twice"));
        let mut p = PlanParams::default();
        p.grades.clear();
        assert!(err(p).contains("at least one"));
    }

    #[test]
    fn penetration_and_goal_are_shares() {
        let mut p = PlanParams::default();
        p.prospects.max_penetration = -0.1;
        assert!(err(p).contains("max_penetration"));
        let mut p = PlanParams::default();
        p.credit_mix.goal = 2.0;
        assert!(err(p).contains("credit_mix.goal"));
    }

    #[test]
    fn quota_settings_are_checked() {
        let mut p = PlanParams::default();
        p.quotas.rounding_unit = 0.0;
        assert!(err(p).contains("rounding_unit"));
        let mut p = PlanParams::default();
        p.quotas.growth = -1.0;
        assert!(err(p).contains("quotas.growth"));
        let mut p = PlanParams::default();
        p.quotas.max_decrease = 1.5;
        assert!(err(p).contains("max_decrease"));
        let mut p = PlanParams::default();
        p.quotas.company_target = Some(-1.0);
        assert!(err(p).contains("company_target"));
    }

    #[test]
    fn growth_outside_the_bounds_is_infeasible() {
        let mut p = PlanParams::default();
        p.quotas.growth = 0.5;
        let e = err(p);
        assert!(e.contains("infeasible setting plan.quotas.growth"), "{e}");
        let mut p = PlanParams::default();
        p.quotas.growth = -0.2;
        assert!(err(p).contains("plan.quotas.growth"));
    }
}
