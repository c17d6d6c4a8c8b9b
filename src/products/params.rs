//! `[products]` in kam.toml: what a basket is, the thresholds of the association rules and who
//! gets cross-sell proposals, loose as written ([`ProductsParams`]) and checked
//! ([`ProductsValid`], built only by [`ProductsParams::check`]).

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// What one basket is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Basket {
    /// The lines sharing an `order_id` (a line without one: its customer's day).
    #[default]
    Order,
    /// One customer's purchases of one day.
    Customer,
}

/// Who gets cross-sell proposals.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CrossSellFor {
    /// Customers with a key-account tier.
    #[default]
    KeyAccounts,
    /// Every customer who bought within `active_days`.
    Active,
}

/// `[products]` as written by the user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ProductsParams {
    /// Product columns, affinity rules and cross-sell when transactions have `product`.
    pub enabled: bool,
    pub basket: Basket,
    /// A rule's products must appear together in at least this share of baskets (0.005).
    pub min_support: f64,
    /// A rule must hold in at least this share of the baskets with its antecedent (0.1).
    pub min_confidence: f64,
    /// Products on a rule's left side: 1 or 2.
    pub max_antecedent: usize,
    /// Rules written to product_affinity.csv, strongest (by lift) first.
    pub max_rules: usize,
    pub cross_sell: CrossSellFor,
    /// Proposals per customer.
    pub cross_sell_top: usize,
    /// A proposal needs at least this score (segment penetration or rule confidence).
    pub min_score: f64,
    /// `cross_sell = "active"`: bought within this many days of as_of.
    pub active_days: u32,
}

impl Default for ProductsParams {
    fn default() -> Self {
        ProductsParams {
            enabled: true,
            basket: Basket::Order,
            min_support: 0.005,
            min_confidence: 0.1,
            max_antecedent: 2,
            max_rules: 500,
            cross_sell: CrossSellFor::KeyAccounts,
            cross_sell_top: 3,
            min_score: 0.1,
            active_days: 365,
        }
    }
}

/// Checked `[products]` settings.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProductsValid(ProductsParams);

impl std::ops::Deref for ProductsValid {
    type Target = ProductsParams;
    fn deref(&self) -> &ProductsParams {
        &self.0
    }
}

impl ProductsParams {
    pub fn check(self) -> Result<ProductsValid> {
        let bad = |m: String| Err(Error::Usage(format!("products: {m}")));
        let share = |x: f64| x.is_finite() && x > 0.0 && x <= 1.0;
        if !share(self.min_support) {
            return bad(format!(
                "min_support must be in (0, 1]: {}",
                self.min_support
            ));
        }
        if !share(self.min_confidence) {
            return bad(format!(
                "min_confidence must be in (0, 1]: {}",
                self.min_confidence
            ));
        }
        if !(1..=2).contains(&self.max_antecedent) {
            return bad(format!(
                "max_antecedent must be 1 or 2: {}",
                self.max_antecedent
            ));
        }
        if self.max_rules == 0 || self.cross_sell_top == 0 || self.active_days == 0 {
            return bad("max_rules, cross_sell_top and active_days must be at least 1".into());
        }
        if !(self.min_score.is_finite() && (0.0..=1.0).contains(&self.min_score)) {
            return bad(format!("min_score must be in [0, 1]: {}", self.min_score));
        }
        Ok(ProductsValid(self))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_pass_and_bad_values_are_refused() {
        assert!(ProductsParams::default().check().is_ok());
        let with = |f: fn(&mut ProductsParams)| {
            let mut p = ProductsParams::default();
            f(&mut p);
            p.check()
        };
        assert!(with(|p| p.min_support = 0.0).is_err());
        assert!(with(|p| p.min_confidence = 1.5).is_err());
        assert!(with(|p| p.max_antecedent = 3).is_err());
        assert!(with(|p| p.cross_sell_top = 0).is_err());
        assert!(with(|p| p.min_score = f64::NAN).is_err());
    }
}
