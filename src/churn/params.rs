//! `[churn]` in kam.toml: the churn model settings, loose as written ([`ChurnParams`]) and
//! checked ([`ChurnValid`], built only by [`ChurnParams::check`]).

use serde::{Deserialize, Serialize};

use super::design;
use super::models::{Kind, ModelChoice, ModelParams};
use crate::error::{Error, Result};

/// `[churn]` in kam.toml. Every number is a default the company may change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ChurnParams {
    /// Compute churn in `kam run`.
    pub enabled: bool,
    /// A customer churns at a cutoff when it buys nothing in the next `horizon_days`.
    pub horizon_days: u32,
    /// Customers count as active at a cutoff when they bought within `active_days` before it;
    /// only active customers are examples or scored.
    pub active_days: u32,
    /// Earlier cutoffs used for training, each `horizon_days` before the next.
    pub training_cutoffs: u32,
    /// `auto` (better out-of-time AUC), `logistic` or `trees`.
    pub model: ModelChoice,
    /// Probability cut points: at or above the first is `medium`, at or above the second `high`.
    pub risk_cuts: [f64; 2],
    /// Categorical levels seen fewer times in training are grouped into `(other)`.
    pub min_level_count: usize,
    /// At most this many levels per categorical get their own column.
    pub max_levels: usize,
    /// Folds of the labelled mode's cross-validation.
    pub folds: usize,
    /// Labelled mode: above this many rows, cross-validation runs on a stratified sample of
    /// this size (the final model trains on every row up to `max_training_rows`).
    pub cv_max_rows: usize,
    /// Above this many labelled examples, the final model (and, behavioural, the candidates)
    /// trains on a seeded sample of this size, stratified by label (and cutoff); every
    /// customer is still scored.
    pub max_training_rows: usize,
    /// Model settings.
    pub models: ModelParams,
}

impl Default for ChurnParams {
    fn default() -> Self {
        ChurnParams {
            enabled: true,
            horizon_days: 90,
            active_days: 365,
            training_cutoffs: 4,
            model: ModelChoice::Auto,
            risk_cuts: [0.3, 0.6],
            min_level_count: 10,
            max_levels: 30,
            folds: 5,
            cv_max_rows: 200_000,
            max_training_rows: 250_000,
            models: ModelParams::default(),
        }
    }
}

/// Checked churn settings; only [`ChurnParams::check`] builds one. Reads through to the
/// params.
#[derive(Debug, Clone, Serialize)]
pub struct ChurnValid(ChurnParams);

impl std::ops::Deref for ChurnValid {
    type Target = ChurnParams;
    fn deref(&self) -> &ChurnParams {
        &self.0
    }
}

impl ChurnParams {
    pub fn check(self) -> Result<ChurnValid> {
        let bad = |msg: String| Err(Error::Usage(format!("churn: {msg}")));
        if self.horizon_days == 0 || self.horizon_days > 3650 {
            return bad(format!(
                "horizon_days = {} must be between 1 and 3650",
                self.horizon_days
            ));
        }
        if self.active_days == 0 {
            return bad("active_days must be at least 1".into());
        }
        if self.training_cutoffs == 0 || self.training_cutoffs > 60 {
            return bad(format!(
                "training_cutoffs = {} must be between 1 and 60",
                self.training_cutoffs
            ));
        }
        let [lo, hi] = self.risk_cuts;
        if !(0.0 < lo && lo < hi && hi < 1.0) {
            return bad(format!(
                "risk_cuts = [{lo}, {hi}] must satisfy 0 < medium < high < 1"
            ));
        }
        if self.min_level_count == 0 {
            return bad("min_level_count must be at least 1".into());
        }
        if self.max_levels == 0 {
            return bad("max_levels must be at least 1".into());
        }
        if self.folds < 2 || self.folds > 20 {
            return bad(format!("folds = {} must be between 2 and 20", self.folds));
        }
        if self.max_training_rows < 1000 {
            return bad(format!(
                "max_training_rows = {} must be at least 1000",
                self.max_training_rows
            ));
        }
        self.models
            .check()
            .map_err(|m| Error::Usage(format!("churn.models: {m}")))?;
        Ok(ChurnValid(self))
    }

    /// Encoder settings for a model: one-hot for logistic, level codes for trees.
    pub(crate) fn encode(&self, kind: Kind) -> design::EncodeParams {
        design::EncodeParams {
            min_level_count: self.min_level_count,
            max_levels: self.max_levels,
            codes: kind == Kind::Trees,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(f: impl FnOnce(&mut ChurnParams)) -> Result<ChurnValid> {
        let mut p = ChurnParams::default();
        f(&mut p);
        p.check()
    }

    #[test]
    fn defaults_are_valid() {
        assert!(ChurnParams::default().check().is_ok());
    }

    #[test]
    fn horizon_cannot_be_zero() {
        assert!(with(|p| p.horizon_days = 0).is_err());
    }

    #[test]
    fn horizon_at_most_ten_years() {
        assert!(with(|p| p.horizon_days = 3651).is_err());
    }

    #[test]
    fn active_days_cannot_be_zero() {
        assert!(with(|p| p.active_days = 0).is_err());
    }

    #[test]
    fn risk_cuts_must_increase() {
        assert!(with(|p| p.risk_cuts = [0.6, 0.3]).is_err());
        assert!(with(|p| p.risk_cuts = [0.0, 0.5]).is_err());
        assert!(with(|p| p.risk_cuts = [0.5, 1.0]).is_err());
    }

    #[test]
    fn folds_at_least_two() {
        assert!(with(|p| p.folds = 1).is_err());
    }

    #[test]
    fn folds_at_most_twenty() {
        assert!(with(|p| p.folds = 21).is_err());
    }

    #[test]
    fn max_training_rows_at_least_a_thousand() {
        let e = with(|p| p.max_training_rows = 999)
            .err()
            .map(|e| e.to_string());
        assert!(e.unwrap_or_default().contains("max_training_rows"));
    }

    #[test]
    fn training_cutoffs_at_least_one() {
        assert!(with(|p| p.training_cutoffs = 0).is_err());
    }

    #[test]
    fn training_cutoffs_at_most_sixty() {
        assert!(with(|p| p.training_cutoffs = 61).is_err());
    }

    #[test]
    fn min_level_count_cannot_be_zero() {
        assert!(with(|p| p.min_level_count = 0).is_err());
    }

    #[test]
    fn max_levels_cannot_be_zero() {
        assert!(with(|p| p.max_levels = 0).is_err());
    }

    #[test]
    fn l2_cannot_be_negative() {
        assert!(with(|p| p.models.l2 = -1.0).is_err());
    }

    #[test]
    fn trees_cannot_be_zero() {
        assert!(with(|p| p.models.trees = 0).is_err());
    }

    #[test]
    fn learning_rate_cannot_be_zero() {
        assert!(with(|p| p.models.learning_rate = 0.0).is_err());
    }

    #[test]
    fn max_depth_cannot_be_zero() {
        assert!(with(|p| p.models.max_depth = 0).is_err());
    }

    #[test]
    fn bins_at_least_two() {
        assert!(with(|p| p.models.bins = 1).is_err());
    }

    #[test]
    fn model_names_are_the_same_in_kam_toml_and_on_the_command_line() {
        use clap::ValueEnum;
        for m in ModelChoice::value_variants() {
            let flag = m.to_possible_value().map(|v| v.get_name().to_string());
            let toml = toml::Value::try_from(m)
                .ok()
                .and_then(|v| v.as_str().map(String::from));
            assert_eq!(flag, toml);
        }
    }
}
