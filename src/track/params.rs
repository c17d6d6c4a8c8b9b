//! `[track]` in kam.toml: the settings of attainment, weekly progress, leaderboard and
//! forecast, loose as written ([`TrackParams`]) and checked ([`TrackValid`], built only by
//! [`TrackParams::check`]).

use serde::{Deserialize, Serialize};

use super::facts::Level;
use super::leaderboard::{BOARDS, LEVELS};
use crate::error::{Error, Result};

pub use crate::forecast::ErrorMetric;

/// How the award pool is split among its winners.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PoolSplit {
    /// By rank weight: of n winners, rank 1 weighs n, rank 2 n - 1, ..., rank n 1.
    #[default]
    Rank,
    /// The same amount to every winner.
    Equal,
}

/// `[track.awards]`: the leaderboard's single-item awards (单项奖, domain.md article 2), paid
/// over the leaderboard's months to the units of one level.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AwardParams {
    /// Level paid: "account_manager" (the developer, default) or "station".
    pub level: String,
    /// A new customer whose first top-up reaches this amount earns its unit a reward.
    /// Default 1,000 (the seed's four-digit top-ups).
    pub topup_threshold: f64,
    /// Reward per such customer; 0 = no top-up rewards. Default 200.
    pub reward_per_customer: f64,
    /// Award pool paid to the best units of `pool_board`; 0 = no pool. Default 3,000.
    pub pool: f64,
    /// Share of the units ranked on `pool_board` that win from the pool (0.3 = the top 30%,
    /// rounded up, at least one). Default 0.3.
    pub pool_share: f64,
    /// Board the pool is paid on: "first_topup" (default), "new_key_accounts" or
    /// "completion_rate".
    pub pool_board: String,
    /// How the pool is split: "rank" (default) or "equal".
    pub pool_split: PoolSplit,
}

impl Default for AwardParams {
    fn default() -> Self {
        AwardParams {
            level: "account_manager".into(),
            topup_threshold: 1_000.0,
            reward_per_customer: 200.0,
            pool: 3_000.0,
            pool_share: 0.3,
            pool_board: "first_topup".into(),
            pool_split: PoolSplit::Rank,
        }
    }
}

impl AwardParams {
    fn check(&self) -> Result<()> {
        let bad = |m: String| Err(Error::Usage(format!("track.awards: {m}")));
        if !LEVELS.iter().any(|l| l.name() == self.level) {
            return bad(format!(
                "level must be \"station\" or \"account_manager\", got {:?}",
                self.level
            ));
        }
        if !BOARDS.contains(&self.pool_board.as_str()) {
            return bad(format!(
                "pool_board must be one of {BOARDS:?}, got {:?}",
                self.pool_board
            ));
        }
        let amounts = [
            ("topup_threshold", self.topup_threshold, true),
            ("reward_per_customer", self.reward_per_customer, false),
            ("pool", self.pool, false),
        ];
        for (key, v, positive) in amounts {
            if !(v.is_finite() && (v > 0.0 || (!positive && v == 0.0))) {
                let what = if positive {
                    "a positive"
                } else {
                    "a non-negative"
                };
                return bad(format!("{key} must be {what} amount, got {v}"));
            }
        }
        if !(self.pool_share > 0.0 && self.pool_share <= 1.0) {
            return bad(format!(
                "pool_share must be a share above 0 and at most 1 (0.3 = the top 30%), got {}",
                self.pool_share
            ));
        }
        Ok(())
    }
}

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
    /// `[track.awards]`: top-up rewards and the award pool.
    pub awards: AwardParams,
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
            awards: AwardParams::default(),
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

    /// The level awards are paid to (checked to be a ranked level).
    pub fn award_level(&self) -> Level {
        Level::parse(&self.0.awards.level).unwrap_or(Level::AccountManager)
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
        self.awards.check()?;
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

    #[test]
    fn award_level_must_be_a_ranked_level() {
        rejected(
            |p| p.awards.level = "district".into(),
            "track.awards: level",
        );
    }

    #[test]
    fn pool_board_must_be_a_board() {
        rejected(|p| p.awards.pool_board = "revenue".into(), "pool_board");
    }

    #[test]
    fn award_amounts_cannot_be_negative_and_the_threshold_must_be_positive() {
        rejected(|p| p.awards.pool = -1.0, "pool");
        rejected(
            |p| p.awards.reward_per_customer = f64::NAN,
            "reward_per_customer",
        );
        rejected(|p| p.awards.topup_threshold = 0.0, "topup_threshold");
    }

    #[test]
    fn pool_share_must_be_a_share_above_zero() {
        rejected(|p| p.awards.pool_share = 0.0, "pool_share");
        rejected(|p| p.awards.pool_share = 30.0, "pool_share");
    }

    #[test]
    fn zero_amounts_turn_the_awards_off() -> Result<()> {
        with(|p| {
            p.awards.pool = 0.0;
            p.awards.reward_per_customer = 0.0;
        })?;
        Ok(())
    }
}
