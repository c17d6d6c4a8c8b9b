//! A fitted purchase model of any kind (BG/NBD, MBG/NBD, Pareto/NBD) behind one type: its
//! predictions, model file and label, and its parameters on the log scale, on which the
//! intervals ([`super::intervals`]) perturb and refit it.

use super::bgnbd::{BgNbd, BgNbdParams};
use super::clv::PurchaseModel;
use super::data::Triples;
use super::mbgnbd::MbgNbd;
use super::optim::Uncertainty;
use super::pareto_nbd::{ParetoNbd, ParetoNbdParams};
use crate::error::{Error, Result};

/// A fitted purchase model of any kind.
#[derive(Debug, Clone)]
pub enum Purchases {
    Bgnbd(BgNbd),
    Mbgnbd(MbgNbd),
    Pareto(ParetoNbd),
}

impl Purchases {
    pub fn model(&self) -> &dyn PurchaseModel {
        match self {
            Purchases::Bgnbd(m) => m,
            Purchases::Mbgnbd(m) => m,
            Purchases::Pareto(m) => m,
        }
    }
    pub fn expected_unconditional(&self, t: f64) -> f64 {
        match self {
            Purchases::Bgnbd(m) => m.expected_unconditional(t),
            Purchases::Mbgnbd(m) => m.expected_unconditional(t),
            Purchases::Pareto(m) => m.expected_unconditional(t),
        }
    }
    pub fn convergence(&self) -> &super::optim::Convergence {
        match self {
            Purchases::Bgnbd(m) => &m.convergence,
            Purchases::Mbgnbd(m) => &m.convergence,
            Purchases::Pareto(m) => &m.convergence,
        }
    }
    /// Model file name under `models/`.
    pub fn file_name(&self) -> &'static str {
        match self {
            Purchases::Bgnbd(_) => "bgnbd.json",
            Purchases::Mbgnbd(_) => "mbgnbd.json",
            Purchases::Pareto(_) => "pareto_nbd.json",
        }
    }
    pub fn label(&self) -> &'static str {
        match self {
            Purchases::Bgnbd(_) => "BG/NBD",
            Purchases::Mbgnbd(_) => "MBG/NBD",
            Purchases::Pareto(_) => "Pareto/NBD",
        }
    }
    pub fn to_json(&self) -> Result<serde_json::Value> {
        let v = match self {
            Purchases::Bgnbd(m) => serde_json::to_value(m),
            Purchases::Mbgnbd(m) => serde_json::to_value(m),
            Purchases::Pareto(m) => serde_json::to_value(m),
        };
        v.map_err(|e| Error::Internal(e.to_string()))
    }
}

impl Purchases {
    /// The parameters' names, in the order of [`Purchases::log_params`].
    pub fn names(&self) -> [&'static str; 4] {
        match self {
            Purchases::Bgnbd(_) | Purchases::Mbgnbd(_) => ["r", "alpha", "a", "b"],
            Purchases::Pareto(_) => ["r", "alpha", "s", "beta"],
        }
    }

    /// ln of each parameter (the scale the fit and the intervals work on).
    pub fn log_params(&self) -> [f64; 4] {
        let p = match self {
            Purchases::Bgnbd(m) => [m.r, m.alpha, m.a, m.b],
            Purchases::Mbgnbd(m) => [m.r, m.alpha, m.a, m.b],
            Purchases::Pareto(m) => [m.r, m.alpha, m.s, m.beta],
        };
        p.map(f64::ln)
    }

    /// The same model with the parameters e^`lp` (everything else kept).
    pub fn with_log_params(&self, lp: &[f64; 4]) -> Purchases {
        let [p0, p1, p2, p3] = lp.map(f64::exp);
        match self {
            Purchases::Bgnbd(m) => Purchases::Bgnbd(BgNbd {
                r: p0,
                alpha: p1,
                a: p2,
                b: p3,
                ..m.clone()
            }),
            Purchases::Mbgnbd(m) => Purchases::Mbgnbd(MbgNbd {
                r: p0,
                alpha: p1,
                a: p2,
                b: p3,
                ..m.clone()
            }),
            Purchases::Pareto(m) => Purchases::Pareto(ParetoNbd {
                r: p0,
                alpha: p1,
                s: p2,
                beta: p3,
                ..m.clone()
            }),
        }
    }

    /// Unpenalized log-likelihood at the estimate.
    pub fn log_likelihood(&self) -> f64 {
        match self {
            Purchases::Bgnbd(m) => m.log_likelihood,
            Purchases::Mbgnbd(m) => m.log_likelihood,
            Purchases::Pareto(m) => m.log_likelihood,
        }
    }

    /// Shape of the Gamma distribution of purchase rates (r in all three models).
    pub fn rate_shape(&self) -> f64 {
        self.log_params()[0].exp()
    }

    /// Standard errors and covariance, when known.
    pub fn uncertainty(&self) -> Option<&Uncertainty> {
        match self {
            Purchases::Bgnbd(m) => m.uncertainty.as_ref(),
            Purchases::Mbgnbd(m) => m.uncertainty.as_ref(),
            Purchases::Pareto(m) => m.uncertainty.as_ref(),
        }
    }

    /// Replace the standard errors and covariance (by the bootstrap's).
    pub fn set_uncertainty(&mut self, u: Option<Uncertainty>) {
        match self {
            Purchases::Bgnbd(m) => m.uncertainty = u,
            Purchases::Mbgnbd(m) => m.uncertainty = u,
            Purchases::Pareto(m) => m.uncertainty = u,
        }
    }

    /// The same kind of model refitted on `d` from this model's optimum (one start): its
    /// log-parameters, or None when that fit does not converge.
    pub fn refit(&self, d: &Triples, penalizer: f64) -> Option<[f64; 4]> {
        let start = self.log_params();
        let fitted = match self {
            Purchases::Bgnbd(_) => BgNbdParams { penalizer }
                .check()
                .and_then(|v| v.from_start(start).fit(d))
                .map(Purchases::Bgnbd),
            Purchases::Mbgnbd(_) => BgNbdParams { penalizer }
                .check()
                .and_then(|v| v.from_start(start).fit_modified(d))
                .map(Purchases::Mbgnbd),
            Purchases::Pareto(_) => ParetoNbdParams { penalizer }
                .check()
                .and_then(|v| v.from_start(start).fit(d))
                .map(Purchases::Pareto),
        };
        fitted
            .ok()
            .filter(|m| m.convergence().converged)
            .map(|m| m.log_params())
    }
}
