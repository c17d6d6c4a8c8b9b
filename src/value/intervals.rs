//! Intervals of the value predictions (`value.intervals`, `value.interval_level`).
//!
//! The parameters' uncertainty is a covariance `C` of the log-parameters: the Laplace one
//! (the inverse observed information at the optimum, mapped to the log scale) or the
//! bootstrap's ([`super::bootstrap`]). A prediction `f` (P(alive), expected purchases, the
//! expected value of a purchase, CLV) gets its interval by the delta method on the scale where
//! it is unbounded: `sd = sqrt(g' C g)` with `g` the gradient of ln f (logit f for P(alive))
//! in the log-parameters, taken by forward differences of the model itself (step [`STEP`]),
//! and the interval `f e^(-z sd) .. f e^(z sd)` (`z` the normal quantile of the level), so it
//! stays positive (within 0..1 for P(alive)). The purchase and spend models are fitted
//! separately and so independent: CLV = spend x discounted purchases adds their variances on
//! the log scale.
//!
//! The company's forecast over the horizon (repeat purchases, revenue) is a sum over
//! customers: its parameter variance is `G' C G` with `G` the sum of the customers' gradients,
//! and, as a forecast of what will actually happen, it adds each customer's own randomness,
//! `Var X_i = P(alive) E[N^2 | alive] - E[X_i]^2`, with the second moment of a customer alive
//! now taken as the negative binomial's at the model's mean m: `m + m^2 (1 + 1 / (r + x))`
//! (the rate's posterior shape is r + x in all three models; drop-out during the horizon
//! only lowers it, so the interval errs wide). The interval is normal, cut at 0.

use serde::Serialize;

use super::optim::Uncertainty;
use crate::error::{Error, Result};

/// Forward-difference step on the log-parameters.
pub const STEP: f64 = 1e-4;

/// The level and the parameters' log-scale covariances the intervals take.
#[derive(Debug, Clone)]
pub struct Spread {
    /// Two-sided level, e.g. 0.8.
    pub level: f64,
    /// Covariance of the purchase model's log-parameters (None: unknown, no intervals).
    pub purchases: Option<Vec<Vec<f64>>>,
    /// Covariance of Gamma-Gamma's log-parameters (None: the spend counts as known).
    pub spend: Option<Vec<Vec<f64>>>,
}

impl Spread {
    /// The normal quantile z of the two-sided level.
    pub fn z(&self) -> f64 {
        std::f64::consts::SQRT_2 * statrs::function::erf::erf_inv(self.level)
    }
}

/// The log-scale covariance of a fit's Laplace [`Uncertainty`] (natural scale, by name):
/// cov(ln a, ln b) = cov(a, b) / (a b), the delta method the fit applied, undone.
pub fn log_covariance(u: &Uncertainty, names: &[&str], theta: &[f64]) -> Option<Vec<Vec<f64>>> {
    names
        .iter()
        .zip(theta)
        .map(|(a, ta)| {
            let row = u.covariance.get(*a)?;
            names
                .iter()
                .zip(theta)
                .map(|(b, tb)| row.get(*b).map(|c| c / (ta * tb)))
                .collect::<Option<Vec<f64>>>()
        })
        .collect()
}

/// g' C g.
pub fn quadratic(g: &[f64], c: &[Vec<f64>]) -> f64 {
    let mut v = 0.0;
    for (gi, row) in g.iter().zip(c) {
        for (gj, cij) in g.iter().zip(row) {
            v += gi * gj * cij;
        }
    }
    v.max(0.0)
}

/// `f e^(-z sd) .. f e^(z sd)`; the point itself when f is not positive and finite.
pub fn log_band(f: f64, var_log: f64, z: f64) -> (f64, f64) {
    if !(f.is_finite() && f > 0.0 && var_log.is_finite()) {
        return (f, f);
    }
    let w = z * var_log.sqrt();
    (f * (-w).exp(), f * w.exp())
}

/// The band of a probability on the logit scale; the point itself at 0 or 1.
pub fn logit_band(p: f64, var_logit: f64, z: f64) -> (f64, f64) {
    if !(p > 0.0 && p < 1.0 && var_logit.is_finite()) {
        return (p, p);
    }
    let (l, w) = ((p / (1.0 - p)).ln(), z * var_logit.sqrt());
    let logistic = |v: f64| 1.0 / (1.0 + (-v).exp());
    (logistic(l - w), logistic(l + w))
}

/// ln f, or logit f for a probability; NaN where undefined.
pub fn scale(f: f64, probability: bool) -> f64 {
    match probability {
        true => (f / (1.0 - f)).ln(),
        false => f.ln(),
    }
}

/// A forecast with its interval, for `models/value_forecast.json`.
#[derive(Debug, Clone, Copy, Serialize, PartialEq)]
pub struct Band {
    pub expected: f64,
    pub low: f64,
    pub high: f64,
}

/// The normal interval `expected -+ z sqrt(variance)`, cut at 0.
pub fn normal_band(expected: f64, variance: f64, z: f64) -> Band {
    let w = z * variance.max(0.0).sqrt();
    Band {
        expected,
        low: (expected - w).max(0.0),
        high: expected + w,
    }
}

/// Variance of one customer's purchases over a horizon: P(alive) `p`, expected purchases if
/// alive `m`, repeat purchases `x`, rate shape `r` (see the module notes).
pub fn purchase_variance(p: f64, m: f64, x: f64, r: f64) -> f64 {
    let second = m + m * m * (1.0 + 1.0 / (r + x));
    (p * second - (p * m).powi(2)).max(0.0)
}

/// The interval settings as the user gives them; checked by [`check_level`].
pub fn check_level(level: f64, resamples: u32) -> Result<()> {
    if !(level.is_finite() && level > 0.0 && level < 1.0) {
        return Err(Error::Usage(format!(
            "value: interval_level must be between 0 and 1 (exclusive), got {level}"
        )));
    }
    if !(20..=100_000).contains(&resamples) {
        return Err(Error::Usage(format!(
            "value: bootstrap_resamples must be between 20 and 100000, got {resamples}"
        )));
    }
    Ok(())
}

/// The [`Spread`] of fitted models by `v.intervals`: the fits' own Laplace covariance, or the
/// bootstrap's (which then also replaces the models' standard errors and covariance, so the
/// model files state what the intervals used). None for `intervals = "none"` or when the
/// purchase model has no covariance (not converged, or a parameter not pinned down).
pub fn spread_of(
    purchases: &mut super::purchases::Purchases,
    spend: Option<(&mut super::gamma_gamma::GammaGamma, &[f64], &[f64])>,
    triples: &super::data::Triples,
    v: &super::ValueValid,
    seed: u64,
) -> Result<Option<Spread>> {
    use super::IntervalMethod;
    let theta = purchases.log_params().map(f64::exp);
    let names = purchases.names();
    let (resamples, penalizer) = (v.bootstrap_resamples as usize, v.penalizer);
    let purchase_cov = match v.intervals {
        IntervalMethod::None => return Ok(None),
        _ if !purchases.convergence().converged => return Ok(None),
        IntervalMethod::Laplace => purchases
            .uncertainty()
            .and_then(|u| log_covariance(u, &names, &theta)),
        IntervalMethod::Bootstrap => {
            let draws =
                super::bootstrap::purchases(purchases, triples, penalizer, resamples, seed)?;
            purchases.set_uncertainty(draws.uncertainty(&names));
            draws.log_covariance()
        }
    };
    let spend_cov = match spend {
        Some((g, x, m)) if g.convergence.converged => {
            let theta = [g.p, g.q, g.gamma];
            let names = ["p", "q", "gamma"];
            match v.intervals {
                IntervalMethod::Bootstrap => {
                    let (x, m): (Vec<f64>, Vec<f64>) = (x.iter().zip(m))
                        .filter(|(x, m)| **x > 0.0 && **m > 0.0)
                        .unzip();
                    let d = super::bootstrap::spend(g, &x, &m, penalizer, resamples, seed)?;
                    g.uncertainty = d.uncertainty(&names);
                    d.log_covariance()
                }
                _ => g
                    .uncertainty
                    .as_ref()
                    .and_then(|u| log_covariance(u, &names, &theta)),
            }
        }
        _ => None,
    };
    Ok(purchase_cov.map(|c| Spread {
        level: v.interval_level,
        purchases: Some(c),
        spend: spend_cov,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn z_of_the_usual_levels() {
        let z = |level| {
            Spread {
                level,
                purchases: None,
                spend: None,
            }
            .z()
        };
        assert!((z(0.8) - 1.281_551_565_5).abs() < 1e-8);
        assert!((z(0.95) - 1.959_963_985).abs() < 1e-8);
    }

    #[test]
    fn bands_stay_in_range_and_hold_the_point() {
        let (lo, hi) = log_band(10.0, 0.04, 1.28);
        assert!(lo > 0.0 && lo < 10.0 && hi > 10.0);
        assert!(((lo * hi).sqrt() - 10.0).abs() < 1e-9);
        let (lo, hi) = logit_band(0.97, 4.0, 1.96);
        assert!(lo > 0.0 && lo < 0.97 && hi > 0.97 && hi < 1.0);
        assert_eq!(logit_band(1.0, 4.0, 1.96), (1.0, 1.0));
        assert_eq!(log_band(0.0, 1.0, 1.0), (0.0, 0.0));
        let b = normal_band(5.0, 100.0, 1.0);
        assert_eq!((b.low, b.high), (0.0, 15.0));
    }

    /// A customer certainly alive whose rate is known exactly (r huge): Poisson, var = mean.
    #[test]
    fn purchase_variance_is_poisson_for_a_known_rate() {
        assert!((purchase_variance(1.0, 3.0, 0.0, 1e12) - 3.0).abs() < 1e-6);
        // alive with probability 1/2: a mixture with 0
        let v = purchase_variance(0.5, 2.0, 0.0, 1e12);
        assert!((v - (0.5 * (2.0 + 4.0) - 1.0)).abs() < 1e-6);
    }

    #[test]
    fn levels_outside_zero_one_are_refused() {
        assert!(check_level(0.8, 200).is_ok());
        for bad in [0.0, 1.0, f64::NAN] {
            assert!(check_level(bad, 200).is_err());
        }
        assert!(check_level(0.8, 10).is_err());
    }
}
