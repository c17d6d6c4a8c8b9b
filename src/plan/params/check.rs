//! [`PlanParams::check`]: every `[plan]` value validated once; combinations no plan can
//! satisfy are [`Error::Infeasible`], naming the setting.

use super::{PlanParams, PlanValid};
use crate::error::{Error, Result};

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
        self.check_review()?;
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
        Ok(PlanValid(self))
    }

    fn check_review(&self) -> Result<()> {
        let k = &self.review;
        non_negative("review.escalation_min_deal", k.escalation_min_deal)?;
        if k.stall_days == 0 {
            return Err(usage("review.stall_days", "must be at least 1".into()));
        }
        if k.max_open_days == 0 {
            return Err(usage("review.max_open_days", "must be at least 1".into()));
        }
        if let Some(s) = k
            .open_stages
            .iter()
            .find(|s| !crate::schema::STAGE_VALUES.contains(&s.as_str()))
        {
            return Err(usage(
                "review.open_stages",
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
        self.check_capacity_caps()?;
        self.check_eligibility_and_weights()?;
        self.check_payment_terms()?;
        self.check_grade_limits(qualifying)
    }

    /// The plant and its caps: a positive capacity, shares in [0, 1], a minimum below the maximum.
    fn check_capacity_caps(&self) -> Result<()> {
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
        Ok(())
    }

    /// Eligibility thresholds and the priority weights (at least one positive).
    fn check_eligibility_and_weights(&self) -> Result<()> {
        let m = &self.market_share;
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
        Ok(())
    }

    /// A score and a discount for every payment term; the forecast and price settings.
    fn check_payment_terms(&self) -> Result<()> {
        let m = &self.market_share;
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
        Ok(())
    }

    /// Price discount, credit months and payment days for every qualifying grade; no discount that leaves no price.
    fn check_grade_limits(&self, qualifying: &[String]) -> Result<()> {
        let m = &self.market_share;
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
                    "a quota of the same period last year x (1 + {}) lies outside the band every unit may move in (-max_decrease {} to +max_increase {}), so the units cannot sum to it",
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
