//! `[track]` in kam.toml: the settings of attainment, weekly progress, leaderboard and
//! forecast, loose as written ([`TrackParams`]) and checked ([`TrackValid`], built only by
//! [`TrackParams::check`]).

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

pub use crate::forecast::ErrorMetric;

/// `[track]` as written by the user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TrackParams {
    /// Months forecast after the last complete month. Default 3.
    pub forecast_horizon: usize,
    /// Last months of each series held out to choose the forecast method. Default 12.
    pub holdout_months: usize,
    /// Coverage of the forecast interval, as a share (0.8 = 80%). Default 0.8.
    pub interval_level: f64,
    /// Units kept per leaderboard and level (ties at the cut are all kept); 0 = all. Default 10.
    pub leaderboard_size: usize,
    /// Months the leaderboard covers, ending with the last month with sales. Default 1.
    pub leaderboard_months: usize,
    /// Day the weekly report's weeks end on; only "sunday" (domain.md, article 2).
    pub week_end: String,
    /// Holdout error that chooses the forecast method: "smape" (default) or "mape".
    pub selection_metric: ErrorMetric,
}

impl Default for TrackParams {
    fn default() -> Self {
        TrackParams {
            forecast_horizon: 3,
            holdout_months: 12,
            interval_level: 0.8,
            leaderboard_size: 10,
            leaderboard_months: 1,
            week_end: "sunday".into(),
            selection_metric: ErrorMetric::Smape,
        }
    }
}

/// Checked [`TrackParams`]: every stage of `track` takes this one. Reads through to the
/// params.
#[derive(Debug, Clone, PartialEq)]
pub struct TrackValid(TrackParams);

impl std::ops::Deref for TrackValid {
    type Target = TrackParams;
    fn deref(&self) -> &TrackParams {
        &self.0
    }
}

impl TrackValid {
    /// The forecast settings, for [`crate::forecast::choose`].
    pub fn forecast_settings(&self) -> crate::forecast::Settings {
        crate::forecast::Settings {
            holdout_months: self.0.holdout_months,
            forecast_horizon: self.0.forecast_horizon,
            interval_level: self.0.interval_level,
            selection_metric: self.0.selection_metric,
        }
    }

    /// Units kept per leaderboard and level; `None` = every unit (`leaderboard_size = 0`).
    pub fn leaderboard_limit(&self) -> Option<usize> {
        (self.0.leaderboard_size > 0).then_some(self.0.leaderboard_size)
    }
}

/// The checked defaults, for tests (the defaults always pass the check).
#[cfg(test)]
impl Default for TrackValid {
    fn default() -> Self {
        TrackParams::default()
            .check()
            .expect("the default [track] settings pass the check")
    }
}

impl TrackParams {
    pub fn check(self) -> Result<TrackValid> {
        let bad = |m: String| Err(Error::Usage(format!("track: {m}")));
        if !(1..=24).contains(&self.forecast_horizon) {
            return bad(format!(
                "forecast_horizon must be 1 to 24 months, got {}",
                self.forecast_horizon
            ));
        }
        if !(1..=24).contains(&self.holdout_months) {
            return bad(format!(
                "holdout_months must be 1 to 24 months, got {}",
                self.holdout_months
            ));
        }
        if !(self.interval_level > 0.0 && self.interval_level < 1.0) {
            return bad(format!(
                "interval_level must be between 0 and 1 (0.8 = 80%), got {}",
                self.interval_level
            ));
        }
        if !(1..=120).contains(&self.leaderboard_months) {
            return bad(format!(
                "leaderboard_months must be 1 to 120, got {}",
                self.leaderboard_months
            ));
        }
        if !self.week_end.eq_ignore_ascii_case("sunday") {
            return bad(format!(
                "week_end must be \"sunday\" (the weekly report closes on Sundays), got {:?}",
                self.week_end
            ));
        }
        Ok(TrackValid(self))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(f: impl FnOnce(&mut TrackParams)) -> Result<TrackValid> {
        let mut p = TrackParams::default();
        f(&mut p);
        p.check()
    }

    fn rejected(f: impl FnOnce(&mut TrackParams), word: &str) {
        match with(f) {
            Err(e) => assert!(e.to_string().contains(word), "{e}"),
            Ok(v) => panic!("accepted {v:?}"),
        }
    }

    #[test]
    fn defaults_pass_and_zero_leaderboard_size_keeps_every_unit() -> Result<()> {
        assert_eq!(
            TrackParams::default().check()?.leaderboard_limit(),
            Some(10)
        );
        assert_eq!(with(|p| p.leaderboard_size = 0)?.leaderboard_limit(), None);
        Ok(())
    }

    #[test]
    fn forecast_horizon_cannot_be_zero() {
        rejected(|p| p.forecast_horizon = 0, "forecast_horizon");
    }

    #[test]
    fn holdout_months_cannot_be_zero() {
        rejected(|p| p.holdout_months = 0, "holdout_months");
    }

    #[test]
    fn interval_level_must_be_a_share() {
        rejected(|p| p.interval_level = 80.0, "interval_level");
        rejected(|p| p.interval_level = f64::NAN, "interval_level");
    }

    #[test]
    fn leaderboard_months_cannot_be_zero() {
        rejected(|p| p.leaderboard_months = 0, "leaderboard_months");
    }

    #[test]
    fn week_end_must_be_sunday() {
        rejected(|p| p.week_end = "friday".into(), "sunday");
    }
}
