//! The MBG/NBD purchase model (Batislam, Denizel & Filiztekin 2007, "Empirical validation and
//! comparison of models for customer base analysis"), as the Python library lifetimes 0.11.3
//! fits it (`ModifiedBetaGeoFitter`), and its per-customer predictions.
//!
//! BG/NBD lets a customer drop out only after a purchase, so a customer who never bought again
//! is certainly alive. MBG/NBD lets them drop out at time 0 too (with the same probability p ~
//! Beta(a, b) as after each purchase), which suits businesses where many customers buy once
//! and never return. The fit ([`super::bgnbd::BgNbdValid::fit_modified`]) shares BG/NBD's
//! procedure, starts and lifetimes' penalty.

use serde::Serialize;

use super::bgnbd::math::{expected_alive, expected_alive_rows};
use crate::value::clv::PurchaseModel;
use crate::value::optim::{Convergence, Uncertainty};

#[cfg(test)]
#[path = "mbgnbd_tests.rs"]
mod tests;

/// A fitted MBG/NBD model. Never changes after fitting.
#[derive(Debug, Clone, Serialize)]
pub struct MbgNbd {
    /// Shape of the Gamma distribution of purchase rates.
    pub r: f64,
    /// Scale of the Gamma distribution of purchase rates, in the time unit of the data.
    pub alpha: f64,
    /// Beta distribution of the drop-out probability at time 0 and after each purchase.
    pub a: f64,
    pub b: f64,
    /// Unpenalized log-likelihood at the estimate (sum over customers, time in the data's unit).
    pub log_likelihood: f64,
    /// Customers fitted.
    pub customers: f64,
    pub convergence: Convergence,
    /// Standard errors and covariance of the parameters (Laplace; absent when the fit did
    /// not converge or the data do not pin every parameter down).
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub uncertainty: Option<Uncertainty>,
}

impl MbgNbd {
    /// Probability that a customer with `x` repeat purchases, recency `t_x` and age `t` is still
    /// alive (lifetimes' `conditional_probability_alive`):
    /// `1 / (1 + a / (b + x) * ((alpha + T) / (alpha + t_x))^(r + x))`, below 1 for x = 0 too.
    pub fn p_alive(&self, x: f64, t_x: f64, t: f64) -> f64 {
        let log_odds = (self.r + x) * ((self.alpha + t) / (self.alpha + t_x)).ln()
            + (self.a / (self.b + x)).ln();
        1.0 / (1.0 + log_odds.exp())
    }

    /// Expected repeat purchases in the next `horizon` time units (lifetimes'
    /// `conditional_expected_number_of_purchases_up_to_time`): p_alive times the expectation of
    /// a customer alive now.
    pub fn expected_purchases(&self, horizon: f64, x: f64, t_x: f64, t: f64) -> f64 {
        self.p_alive(x, t_x, t) * self.expected_purchases_if_alive(horizon, x, t)
    }

    /// Expected repeat purchases in the next `horizon` time units of a customer alive now, with
    /// x repeat purchases and age T: rate Gamma(r + x, alpha + T), drop-out Beta(a, b + x + 1),
    /// `(a + b + x) / (a - 1) * (1 - ((alpha + T) / (alpha + T + h))^(r + x) * 2F1(r + x, b + x +
    /// 1; a + b + x; h / (alpha + T + h)))`.
    pub fn expected_purchases_if_alive(&self, horizon: f64, x: f64, t: f64) -> f64 {
        expected_alive(
            self.r + x,
            self.alpha + t,
            self.a,
            self.b + x + 1.0,
            horizon,
        )
    }

    /// E[X(t)] of a new customer (lifetimes' `expected_number_of_purchases_up_to_time`):
    /// `b / (a - 1) * (1 - (alpha / (alpha + t))^r * 2F1(r, b + 1; a + b; t / (alpha + t)))`, the
    /// expectation of a customer alive at 0 with drop-out Beta(a, b + 1), times b / (a + b), the
    /// chance of not dropping out at time 0.
    pub fn expected_unconditional(&self, t: f64) -> f64 {
        let (a, b) = (self.a, self.b);
        b / (a + b) * expected_alive(self.r, self.alpha, a, b + 1.0, t)
    }
}

impl PurchaseModel for MbgNbd {
    /// One 2F1(r + x, b + x + 1; a + b + x; ·) serves every age and horizon.
    fn if_alive_rows(&self, x: f64, ts: &[f64], horizons: &[f64]) -> Vec<f64> {
        let p = (self.r + x, self.alpha, self.a, self.b + x + 1.0);
        expected_alive_rows(p, ts, horizons)
    }
    fn expected_purchases(&self, horizon: f64, x: f64, t_x: f64, t: f64) -> f64 {
        MbgNbd::expected_purchases(self, horizon, x, t_x, t)
    }
    fn expected_purchases_if_alive(&self, horizon: f64, x: f64, t: f64) -> f64 {
        MbgNbd::expected_purchases_if_alive(self, horizon, x, t)
    }
    fn p_alive(&self, x: f64, t_x: f64, t: f64) -> f64 {
        MbgNbd::p_alive(self, x, t_x, t)
    }
}
