//! One small test per rejected `[plan]` value.

use super::*;
use crate::error::Result;

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
fn stall_days_cannot_be_zero() {
    let mut p = PlanParams::default();
    p.review.stall_days = 0;
    assert!(err(p).contains("stall_days"));
    let mut p = PlanParams::default();
    p.review.max_open_days = 0;
    assert!(err(p).contains("max_open_days"));
}

#[test]
fn open_stages_must_be_stages() {
    let mut p = PlanParams::default();
    p.review.open_stages = vec!["pending".into()];
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

#[test]
fn escalation_min_deal_cannot_be_negative() {
    let mut p = PlanParams::default();
    p.review.escalation_min_deal = -1.0;
    assert!(err(p).contains("escalation_min_deal"));
}

#[test]
fn volume_thresholds_cannot_be_negative() {
    let mut p = PlanParams::default();
    p.market_share.min_volume = -1.0;
    assert!(err(p).contains("market_share.min_volume"));
    let mut p = PlanParams::default();
    p.market_share.min_volume_cash = f64::NAN;
    assert!(err(p).contains("min_volume_cash"));
}

#[test]
fn reference_capacity_must_be_positive() {
    let mut p = PlanParams::default();
    p.market_share.reference_capacity = 0.0;
    assert!(err(p).contains("reference_capacity"));
}

#[test]
fn forecast_settings_cannot_be_negative() {
    let mut p = PlanParams::default();
    p.market_share.forecast_trend_weight = -0.5;
    assert!(err(p).contains("forecast_trend_weight"));
    let mut p = PlanParams::default();
    p.market_share.forecast_trend_cap = -0.1;
    assert!(err(p).contains("forecast_trend_cap"));
}

#[test]
fn price_and_credit_ceilings_cannot_be_negative() {
    let mut p = PlanParams::default();
    p.market_share.min_price = -1.0;
    assert!(err(p).contains("min_price"));
    let mut p = PlanParams::default();
    p.market_share.max_rolling_credit = -1.0;
    assert!(err(p).contains("max_rolling_credit"));
}

#[test]
fn terms_discount_needs_every_term() {
    let mut p = PlanParams::default();
    p.market_share.terms_discount.remove("cash");
    assert!(err(p).contains("terms_discount"));
}

#[test]
fn credit_months_cannot_be_negative() {
    let mut p = PlanParams::default();
    p.market_share.credit_months.insert("A".into(), -1.0);
    assert!(err(p).contains("credit_months.A"));
}

#[test]
fn payment_days_need_every_qualifying_grade() {
    let mut p = PlanParams::default();
    p.market_share.payment_days.remove("B");
    assert!(err(p).contains("payment_days"));
}

#[test]
fn quality_grade_must_be_a_grade() {
    let mut p = PlanParams::default();
    p.credit_mix.quality_min_grade = "Z".into();
    assert!(err(p).contains("quality_min_grade"));
}

#[test]
fn potential_weights_cannot_be_negative() {
    let mut p = PlanParams::default();
    p.quotas.trend_weight = -1.0;
    assert!(err(p).contains("quotas.trend_weight"));
    let mut p = PlanParams::default();
    p.quotas.trend_cap = -1.0;
    assert!(err(p).contains("quotas.trend_cap"));
    let mut p = PlanParams::default();
    p.quotas.prospect_weight = -1.0;
    assert!(err(p).contains("prospect_weight"));
    let mut p = PlanParams::default();
    p.quotas.max_increase = -0.1;
    assert!(err(p).contains("max_increase"));
}
