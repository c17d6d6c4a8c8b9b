//! The BG/NBD purchase model (Fader, Hardie & Lee 2005, "Counting your customers the easy
//! way"), fitted by maximum likelihood as in the Python library lifetimes 0.11.3
//! (`BetaGeoFitter`), and its per-customer predictions: probability alive and expected
//! purchases.
//!
//! While active a customer buys at rate lambda ~ Gamma(r, alpha); after each purchase they
//! drop out with probability p ~ Beta(a, b). Times (recency `t_x`, age `T`, horizons) are in
//! the one unit of the data (weeks or days); `alpha` is in that unit too.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::value::clv::PurchaseModel;
use crate::value::data::Triples;
use crate::value::mbgnbd::MbgNbd;
use crate::value::optim::{
    Convergence, Options, Uncertainty, minimize, minimize_coarse_to_fine, uncertainty,
};

/// Distinct triples above which the starts run on coarsened data first.
const COARSE_ABOVE: usize = 20_000;

#[path = "bgnbd_math.rs"]
pub(in crate::value) mod math;
#[cfg(test)]
#[path = "bgnbd_tests.rs"]
pub(crate) mod tests;

use math::{LogLik, expected_alive, expected_alive_rows};

/// Settings of the BG/NBD fit as the user gives them (unchecked).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BgNbdParams {
    /// L2 penalty on (r, alpha, a, b), lifetimes' `penalizer_coef`. Default 0 (plain maximum
    /// likelihood). As in lifetimes it applies with time rescaled so the largest T is 1.
    pub penalizer: f64,
}

impl Default for BgNbdParams {
    fn default() -> Self {
        BgNbdParams { penalizer: 0.0 }
    }
}

/// Checked [`BgNbdParams`]; only [`BgNbdParams::check`] builds one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BgNbdValid {
    penalizer: f64,
    /// One start (log-parameters, time in the data's unit) instead of [`STARTS`]: a
    /// bootstrap refit from the full data's optimum ([`BgNbdValid::from_start`]).
    start: Option<[f64; 4]>,
}

impl BgNbdParams {
    pub fn check(self) -> Result<BgNbdValid> {
        if !(self.penalizer.is_finite() && self.penalizer >= 0.0) {
            return Err(Error::Usage(format!(
                "The BG/NBD penalizer must be a finite number >= 0; got {}.",
                self.penalizer
            )));
        }
        Ok(BgNbdValid {
            penalizer: self.penalizer,
            start: None,
        })
    }
}

/// A fitted BG/NBD model. Never changes after fitting.
#[derive(Debug, Clone, Serialize)]
pub struct BgNbd {
    /// Shape of the Gamma distribution of purchase rates.
    pub r: f64,
    /// Scale of the Gamma distribution of purchase rates, in the time unit of the data.
    pub alpha: f64,
    /// Beta distribution of the drop-out probability after a purchase: Beta(a, b).
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

/// A fit's parameters, log-likelihood, convergence report and uncertainty.
type Fitted = ([f64; 4], f64, Convergence, Option<Uncertainty>);

/// Starting points in (log r, log alpha, log a, log b), with alpha in time rescaled so the
/// largest T is 1 (as lifetimes fits); the first is lifetimes' start.
const STARTS: [[f64; 4]; 4] = [
    [0.1, 0.1, 0.1, 0.1],
    [-1.0, -2.0, -1.0, 0.5],
    [1.0, 1.0, 1.0, 2.0],
    [-2.0, -4.0, 0.5, -1.0],
];

/// L-BFGS stops at this gradient norm of the mean objective. Tighter than lifetimes (scipy
/// BFGS, gtol 1e-7) but not below what f64 resolves: near the optimum a step changes the mean
/// log-likelihood by about |g|^2, which under ~1e-9 is lost in rounding and the line search fails.
const TOL_GRAD: f64 = 1e-8;

impl BgNbdValid {
    pub fn penalizer(&self) -> f64 {
        self.penalizer
    }

    /// The same fit from one start only, `start` in log-parameters (r, alpha in the data's
    /// time unit, a, b), with no uncertainty computed: for bootstrap refits, which start at
    /// the full data's optimum.
    pub fn from_start(self, start: [f64; 4]) -> BgNbdValid {
        BgNbdValid {
            start: Some(start),
            ..self
        }
    }

    /// Maximum likelihood over the triples (each weighted by its count `n`): minimises
    /// `-(sum n ll) / (sum n) + penalizer (r^2 + alpha^2 + a^2 + b^2)` from several starts
    /// (alpha in the penalty in time rescaled so the largest T is 1, as lifetimes fits).
    /// A fit that does not converge (for example, no customer made a repeat purchase, so a and
    /// b are not identified) is returned with `convergence.converged == false` and a reason.
    pub fn fit(&self, d: &Triples) -> Result<BgNbd> {
        let (p, log_likelihood, convergence, uncertainty) = self.fit_likelihood(d, 0.0)?;
        let [r, alpha, a, b] = p;
        Ok(BgNbd {
            r,
            alpha,
            a,
            b,
            log_likelihood,
            customers: d.customers(),
            convergence,
            uncertainty,
        })
    }

    /// The MBG/NBD fit (Batislam, Denizel & Filiztekin 2007; lifetimes'
    /// `ModifiedBetaGeoFitter`): the same procedure, starts and penalty on its likelihood.
    pub fn fit_modified(&self, d: &Triples) -> Result<MbgNbd> {
        let (p, log_likelihood, convergence, uncertainty) = self.fit_likelihood(d, 1.0)?;
        let [r, alpha, a, b] = p;
        Ok(MbgNbd {
            r,
            alpha,
            a,
            b,
            log_likelihood,
            customers: d.customers(),
            convergence,
            uncertainty,
        })
    }

    /// Maximum likelihood of BG/NBD (`shift` 0) or MBG/NBD (1): the parameters (r, alpha, a,
    /// b), the unpenalized log-likelihood there, the convergence report and the uncertainty.
    fn fit_likelihood(&self, d: &Triples, shift: f64) -> Result<Fitted> {
        check_triples(d)?;
        let t_max = d.t.iter().fold(0.0_f64, |m, v| m.max(*v));
        let objective = |d: &Triples| {
            if shift > 0.0 {
                LogLik::modified(d, self.penalizer, 1.0 / t_max)
            } else {
                LogLik::new(d, self.penalizer, 1.0 / t_max)
            }
        };
        let obj = objective(d);
        let starts = STARTS.iter().map(|s| {
            let mut s = s.to_vec();
            s[1] += t_max.ln();
            s
        });
        let opts = Options {
            starts: match self.start {
                Some(s) => vec![s.to_vec()],
                None => starts.collect(),
            },
            tol_grad: TOL_GRAD,
            ..Options::default()
        };
        // Large data: find the optimum's basin on triples coarsened to 1/50 of the longest
        // T, then polish on the exact triples (same answer, a fraction of the evaluations).
        let best = if d.len() > COARSE_ABOVE && self.start.is_none() {
            let cobj = objective(&d.coarsen(t_max / 50.0));
            minimize_coarse_to_fine(&cobj, &obj, &opts)?
        } else {
            minimize(&obj, &opts)?
        };
        let mut convergence = best.convergence;
        if d.x.iter().zip(&d.n).all(|(x, n)| *x == 0.0 || *n == 0.0) {
            convergence.converged = false;
            let detail = convergence.reason.trim_start_matches("did not converge: ");
            convergence.reason = format!(
                "did not converge: no customer made a repeat purchase, so the drop-out parameters a and b cannot be estimated (optimiser: {detail})"
            );
        }
        let p = [0, 1, 2, 3].map(|i| best.x[i].exp());
        let spread = (convergence.converged && self.start.is_none())
            .then(|| uncertainty(&obj, &best.x, d.customers()))
            .flatten();
        Ok((p, obj.log_likelihood(&best.x), convergence, spread))
    }
}

/// The triples' fields are public, so check what the likelihood relies on.
fn check_triples(d: &Triples) -> Result<()> {
    let k = d.x.len();
    if d.t_x.len() != k || d.t.len() != k || d.n.len() != k {
        return Err(Error::Internal(
            "the BG/NBD triples differ in length".into(),
        ));
    }
    for i in 0..k {
        let (x, tx, t, n) = (d.x[i], d.t_x[i], d.t[i], d.n[i]);
        let ok = x >= 0.0
            && x.fract() == 0.0
            && t.is_finite()
            && t > 0.0
            && (0.0..=t).contains(&tx)
            && n.is_finite()
            && n >= 0.0;
        if !ok {
            return Err(Error::validation(
                "BG/NBD input",
                format!(
                    "frequency {x}, recency {tx}, T {t} with count {n} is not a valid customer history"
                ),
            ));
        }
    }
    if d.customers() <= 0.0 {
        return Err(Error::validation("BG/NBD input", "no customers to fit"));
    }
    Ok(())
}

impl BgNbd {
    /// Probability that a customer with `x` repeat purchases, recency `t_x` and age `t` is still
    /// alive (lifetimes' `conditional_probability_alive`, Hardie note 021). Exactly 1 when x = 0.
    pub fn p_alive(&self, x: f64, t_x: f64, t: f64) -> f64 {
        if x == 0.0 {
            return 1.0;
        }
        // odds of having dropped out = a / (b + x - 1) * ((alpha + T) / (alpha + t_x))^(r + x)
        let log_odds = (self.r + x) * ((self.alpha + t) / (self.alpha + t_x)).ln()
            + (self.a / (self.b + x - 1.0)).ln();
        1.0 / (1.0 + log_odds.exp())
    }

    /// Expected repeat purchases in the next `horizon` time units of a customer with history
    /// (x, t_x, T) (lifetimes' `conditional_expected_number_of_purchases_up_to_time`, FHL 2005
    /// eq. 10): p_alive times the expected purchases of a customer alive now, whose posterior
    /// rate is Gamma(r + x, alpha + T) and drop-out Beta(a, b + x), so it involves
    /// 2F1(r + x, b + x; a + b + x - 1; horizon / (alpha + T + horizon)).
    pub fn expected_purchases(&self, horizon: f64, x: f64, t_x: f64, t: f64) -> f64 {
        self.p_alive(x, t_x, t) * self.expected_purchases_if_alive(horizon, x, t)
    }

    /// Expected repeat purchases in the next `horizon` time units of a customer with x repeat
    /// purchases and age T who is alive now (the factor of `expected_purchases` after p_alive).
    pub fn expected_purchases_if_alive(&self, horizon: f64, x: f64, t: f64) -> f64 {
        expected_alive(self.r + x, self.alpha + t, self.a, self.b + x, horizon)
    }

    /// E[X(t)]: expected repeat purchases in (0, t] of a new customer (lifetimes'
    /// `expected_number_of_purchases_up_to_time`, FHL 2005 eq. 9, 2F1(r, b; a + b - 1; t / (alpha
    /// + t))). Correct also when a + b <= 1 (see `expected_alive`).
    pub fn expected_unconditional(&self, t: f64) -> f64 {
        expected_alive(self.r, self.alpha, self.a, self.b, t)
    }
}

impl PurchaseModel for BgNbd {
    /// One 2F1(r + x, b + x; a + b + x - 1; ·) serves every age and horizon.
    fn if_alive_rows(&self, x: f64, ts: &[f64], horizons: &[f64]) -> Vec<f64> {
        let p = (self.r + x, self.alpha, self.a, self.b + x);
        expected_alive_rows(p, ts, horizons)
    }
    fn expected_purchases(&self, horizon: f64, x: f64, t_x: f64, t: f64) -> f64 {
        BgNbd::expected_purchases(self, horizon, x, t_x, t)
    }
    fn expected_purchases_if_alive(&self, horizon: f64, x: f64, t: f64) -> f64 {
        BgNbd::expected_purchases_if_alive(self, horizon, x, t)
    }
    fn p_alive(&self, x: f64, t_x: f64, t: f64) -> f64 {
        BgNbd::p_alive(self, x, t_x, t)
    }
}
