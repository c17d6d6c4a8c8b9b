//! `[value]` in kam.toml: the customer-value models and CLV, loose as written
//! ([`ValueParams`]) and checked ([`ValueValid`], built only by [`ValueParams::check`]).

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// Which purchase model to fit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum ModelKind {
    /// BG/NBD (Fader, Hardie & Lee 2005).
    #[default]
    Bgnbd,
    /// MBG/NBD (Batislam, Denizel & Filiztekin 2007): BG/NBD where a customer may also drop
    /// out before any repeat purchase.
    Mbgnbd,
    /// Pareto/NBD (Schmittlein, Morrison & Colombo 1987).
    Pareto,
    /// The candidate (BG/NBD, MBG/NBD, Pareto/NBD) with the smallest holdout error, or the
    /// smallest BIC without a holdout (`value::choice`).
    Auto,
}

/// How the value predictions get their intervals (`value.intervals`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum IntervalMethod {
    /// The parameters' covariance from the observed information at the optimum (fast).
    #[default]
    Laplace,
    /// The parameters' covariance from refits on customers resampled with replacement
    /// (`bootstrap_resamples` of them, seeded by the run's seed).
    Bootstrap,
    /// No intervals.
    None,
}

impl IntervalMethod {
    pub fn name(self) -> &'static str {
        match self {
            IntervalMethod::Laplace => "laplace",
            IntervalMethod::Bootstrap => "bootstrap",
            IntervalMethod::None => "none",
        }
    }
}

/// `[value]` as written by the user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ValueParams {
    /// `bgnbd` (default), `mbgnbd`, `pareto` or `auto`.
    pub model: ModelKind,
    /// Horizon of `expected_purchases`, in days. Default 365.
    pub horizon_days: f64,
    /// Months of CLV. Default 12.
    pub clv_months: u32,
    /// Monthly discount rate of CLV (lifetimes' default 0.01).
    pub discount_rate: f64,
    /// Share of revenue that is profit (1 = CLV in revenue, the default).
    pub margin: f64,
    /// L2 penalty of the purchase and spend models (lifetimes' penalizer_coef). Default 0.
    pub penalizer: f64,
    /// `kam run` refits the purchase model on the history before `as_of - holdout_days` and
    /// compares its predictions with the purchases of the last `holdout_days`
    /// (`models/calibration_by_frequency.csv`); 0 turns the check off. Default 182.
    pub holdout_days: u32,
    /// Intervals of the predictions: `laplace` (default), `bootstrap` or `none`.
    pub intervals: IntervalMethod,
    /// Two-sided level of the intervals. Default 0.8.
    pub interval_level: f64,
    /// Resamples of `intervals = "bootstrap"`. Default 200.
    pub bootstrap_resamples: u32,
    /// Contractual mode: months between renewals where the customers table gives no
    /// `renewal_months`. Default 12.
    pub renewal_months: u32,
}

impl Default for ValueParams {
    fn default() -> Self {
        ValueParams {
            model: ModelKind::Bgnbd,
            horizon_days: 365.0,
            clv_months: 12,
            discount_rate: 0.01,
            margin: 1.0,
            penalizer: 0.0,
            holdout_days: 182,
            intervals: IntervalMethod::Laplace,
            interval_level: 0.8,
            bootstrap_resamples: 200,
            renewal_months: 12,
        }
    }
}

/// Checked [`ValueParams`]; reads through to the params.
#[derive(Debug, Clone)]
pub struct ValueValid(ValueParams);

impl std::ops::Deref for ValueValid {
    type Target = ValueParams;
    fn deref(&self) -> &ValueParams {
        &self.0
    }
}

impl ValueValid {
    /// The same settings with another purchase model (a candidate of `auto`, or its choice).
    pub fn with_model(&self, model: ModelKind) -> ValueValid {
        ValueValid(ValueParams {
            model,
            ..self.0.clone()
        })
    }
}

impl ValueParams {
    /// Check every value once; errors are [`Error::Usage`] sentences naming the setting.
    pub fn check(self) -> Result<ValueValid> {
        let bad = |m: String| Err(Error::Usage(format!("value: {m}")));
        if !(self.horizon_days.is_finite() && self.horizon_days > 0.0) {
            return bad(format!(
                "horizon_days must be > 0, got {}",
                self.horizon_days
            ));
        }
        if self.clv_months == 0 || self.clv_months > 600 {
            return bad(format!(
                "clv_months must be between 1 and 600, got {}",
                self.clv_months
            ));
        }
        if !(self.discount_rate.is_finite() && self.discount_rate > -1.0) {
            return bad(format!(
                "discount_rate must be > -1, got {}",
                self.discount_rate
            ));
        }
        if !(self.margin.is_finite() && self.margin >= 0.0) {
            return bad(format!("margin must be >= 0, got {}", self.margin));
        }
        if self.holdout_days > 36_500 {
            return bad(format!(
                "holdout_days must be between 0 and 36500, got {}",
                self.holdout_days
            ));
        }
        if !(self.penalizer.is_finite() && self.penalizer >= 0.0) {
            return bad(format!("penalizer must be >= 0, got {}", self.penalizer));
        }
        super::intervals::check_level(self.interval_level, self.bootstrap_resamples)?;
        if !(1..=120).contains(&self.renewal_months) {
            return bad(format!(
                "renewal_months must be between 1 and 120, got {}",
                self.renewal_months
            ));
        }
        Ok(ValueValid(self))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rejected(f: impl FnOnce(&mut ValueParams), word: &str) {
        let mut p = ValueParams::default();
        f(&mut p);
        match p.check() {
            Err(e) => assert!(e.to_string().contains(word), "{e}"),
            Ok(v) => panic!("accepted {v:?}"),
        }
    }

    #[test]
    fn defaults_pass_and_read_through() -> Result<()> {
        let v = ValueParams::default().check()?;
        assert_eq!((v.model, v.clv_months), (ModelKind::Bgnbd, 12));
        Ok(())
    }

    #[test]
    fn horizon_days_must_be_positive() {
        rejected(|p| p.horizon_days = 0.0, "horizon_days");
        rejected(|p| p.horizon_days = f64::NAN, "horizon_days");
    }

    #[test]
    fn clv_months_cannot_be_zero() {
        rejected(|p| p.clv_months = 0, "clv_months");
    }

    #[test]
    fn clv_months_at_most_fifty_years() {
        rejected(|p| p.clv_months = 601, "clv_months");
    }

    #[test]
    fn discount_rate_above_minus_one() {
        rejected(|p| p.discount_rate = -1.0, "discount_rate");
    }

    #[test]
    fn margin_cannot_be_negative() {
        rejected(|p| p.margin = -0.1, "margin");
    }

    #[test]
    fn holdout_days_at_most_a_century() {
        rejected(|p| p.holdout_days = 36_501, "holdout_days");
    }

    #[test]
    fn penalizer_cannot_be_negative() {
        rejected(|p| p.penalizer = -1.0, "penalizer");
    }

    #[test]
    fn missing_keys_take_the_defaults() -> std::result::Result<(), toml::de::Error> {
        let p: ValueParams = toml::from_str("clv_months = 6")?;
        assert_eq!(
            p,
            ValueParams {
                clv_months: 6,
                ..ValueParams::default()
            }
        );
        Ok(())
    }
}
