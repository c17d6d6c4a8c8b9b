//! The Gamma-Gamma model of spend per purchase (Fader & Hardie 2013, note 025; lifetimes
//! 0.11.3 `GammaGammaFitter`), fitted on repeat buyers, and each customer's expected average
//! spend per purchase.
//!
//! A customer's purchase values are Gamma(p, nu) with nu ~ Gamma(q, gamma) across customers;
//! the model assumes spend per purchase is independent of purchase frequency, which
//! [`GammaGamma::correlation`] lets the user check.

use serde::{Deserialize, Serialize};
use statrs::function::gamma::{digamma, ln_gamma};

use crate::error::{Error, Result};
use crate::value::optim::{
    Convergence, Objective, Options, POLISH_TOL_COST, Uncertainty, minimize, uncertainty,
};

/// Above this many customers an L-BFGS run also stops when an iteration gains less than
/// [`POLISH_TOL_COST`] of the objective: the mean log-likelihood of millions of customers has
/// a rounding floor near that, and its line searches crept along it for hundreds of
/// evaluations without reaching the gradient tolerance (2,361,750 customers, 1,667,319 fitted:
/// 48 s of the value stage's 53 s, "converged (to machine precision)" after 141 iterations).
/// Below it (CDNOW, the demo) nothing changes.
const NOISE_FLOOR_ABOVE: usize = 20_000;

/// Settings of the Gamma-Gamma fit as the user gives them (unchecked).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GammaGammaParams {
    /// L2 penalty on (p, q, gamma), lifetimes' `penalizer_coef`. Default 0.
    pub penalizer: f64,
}

impl Default for GammaGammaParams {
    fn default() -> Self {
        GammaGammaParams { penalizer: 0.0 }
    }
}

/// Checked [`GammaGammaParams`]; only [`GammaGammaParams::check`] builds one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GammaGammaValid {
    penalizer: f64,
    /// One start (log p, log q, log gamma) instead of the four: a bootstrap refit from the
    /// full data's optimum ([`GammaGammaValid::from_start`]).
    start: Option<[f64; 3]>,
}

impl GammaGammaParams {
    pub fn check(self) -> Result<GammaGammaValid> {
        if !(self.penalizer.is_finite() && self.penalizer >= 0.0) {
            return Err(Error::Usage(format!(
                "The Gamma-Gamma penalizer must be a finite number >= 0; got {}.",
                self.penalizer
            )));
        }
        Ok(GammaGammaValid {
            penalizer: self.penalizer,
            start: None,
        })
    }
}

/// A fitted Gamma-Gamma model. Never changes after fitting.
#[derive(Debug, Clone, Serialize)]
pub struct GammaGamma {
    /// Shape of the spend per purchase of one customer.
    pub p: f64,
    /// Shape of the Gamma distribution of the customers' spend rates.
    pub q: f64,
    /// Scale of that distribution, in money (lifetimes' `v`).
    pub gamma: f64,
    /// Unpenalized log-likelihood at the estimate (sum over the customers fitted).
    pub log_likelihood: f64,
    /// Customers fitted: repeat buyers (frequency > 0) with a positive average spend.
    pub customers: usize,
    /// Repeat buyers left out because their average spend is <= 0 (the model needs spend > 0).
    pub excluded_nonpositive: usize,
    /// Pearson correlation of frequency and average spend over the customers fitted: the model
    /// assumes none, so a value far from 0 (say beyond +-0.3) makes its estimates doubtful.
    /// None with fewer than two customers or when either is constant.
    pub correlation: Option<f64>,
    pub convergence: Convergence,
    /// Standard errors and covariance of the parameters (Laplace; absent when the fit did
    /// not converge or the data do not pin every parameter down).
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub uncertainty: Option<Uncertainty>,
}

/// Negative mean log-likelihood in (log p, log q, log gamma) plus lifetimes' penalty
/// `penalizer (p^2 + q^2 + gamma^2)`. Per customer with x purchases of average m:
/// ```text
/// ll = lnG(px + q) - lnG(px) - lnG(q) + q ln(g) + (px - 1) ln(m) + px ln(x) - (px + q) ln(xm + g)
/// d/dp = x (psi(px + q) - psi(px) + ln(m) + ln(x) - ln(xm + g))
/// d/dq = psi(px + q) - psi(q) + ln(g) - ln(xm + g)
/// d/dg = q / g - (px + q) / (xm + g)
/// ```
///
/// The gamma functions depend on x only: they are taken once per distinct x per evaluation,
/// and ln(m), ln(x) once per customer at construction (the sums are the same, term by term).
struct LogLik {
    x: Vec<f64>,
    m: Vec<f64>,
    penalizer: f64,
}

/// A [`LogLik`] with its per-customer constants: ln(m), ln(x) and each customer's index
/// among the distinct x values.
struct Prepared<'a> {
    d: &'a LogLik,
    ln_m: Vec<f64>,
    ln_x: Vec<f64>,
    x_vals: Vec<f64>,
    x_idx: Vec<u32>,
}

impl LogLik {
    fn prepared(&self) -> Prepared<'_> {
        let mut x_vals = self.x.clone();
        x_vals.sort_by(f64::total_cmp);
        x_vals.dedup();
        Prepared {
            d: self,
            ln_m: self.m.iter().map(|m| m.ln()).collect(),
            ln_x: self.x.iter().map(|x| x.ln()).collect(),
            x_idx: (self.x.iter())
                .map(|x| x_vals.partition_point(|v| v < x) as u32)
                .collect(),
            x_vals,
        }
    }
}

impl Prepared<'_> {
    fn ll_grad(&self, [p, q, g]: [f64; 3]) -> (f64, [f64; 3]) {
        let (lg_q, dg_q, ln_g) = (ln_gamma(q), digamma(q), g.ln());
        // per distinct x: lnG(px + q), lnG(px), psi(px + q), psi(px)
        let gam: Vec<[f64; 4]> = (self.x_vals.iter())
            .map(|x| {
                let px = p * x;
                [ln_gamma(px + q), ln_gamma(px), digamma(px + q), digamma(px)]
            })
            .collect();
        let (mut ll, mut d) = (0.0, [0.0; 3]);
        for (i, (&x, &m)) in self.d.x.iter().zip(&self.d.m).enumerate() {
            let (px, l_xmg) = (p * x, (x * m + g).ln());
            let (ln_m, ln_x) = (self.ln_m[i], self.ln_x[i]);
            let [lg_pxq, lg_px, dg_pxq, dg_px] = gam[self.x_idx[i] as usize];
            ll +=
                lg_pxq - lg_px - lg_q + q * ln_g + (px - 1.0) * ln_m + px * ln_x - (px + q) * l_xmg;
            d[0] += x * (dg_pxq - dg_px + ln_m + ln_x - l_xmg);
            d[1] += dg_pxq - dg_q + ln_g - l_xmg;
            d[2] += q / g - (px + q) / (x * m + g);
        }
        (ll, d)
    }
}

impl Objective for Prepared<'_> {
    fn names(&self) -> Vec<&'static str> {
        vec!["log p", "log q", "log gamma"]
    }

    fn value_grad(&self, lp: &[f64]) -> (f64, Vec<f64>) {
        let mut p = [f64::NAN; 3];
        for (p, l) in p.iter_mut().zip(lp) {
            *p = l.exp();
        }
        if !p.iter().all(|v| v.is_finite() && *v > 0.0) {
            return (f64::INFINITY, vec![0.0; 3]);
        }
        let (ll, g) = self.ll_grad(p);
        let n = self.d.x.len() as f64;
        let pen: f64 = p.iter().map(|v| v * v).sum();
        let penalizer = self.d.penalizer;
        let grad = (0..3)
            .map(|i| -p[i] * g[i] / n + 2.0 * penalizer * p[i] * p[i])
            .collect();
        (-ll / n + penalizer * pen, grad)
    }
}

impl GammaGammaValid {
    pub fn penalizer(&self) -> f64 {
        self.penalizer
    }

    /// The same fit from one start only (log p, log q, log gamma), with no uncertainty
    /// computed: for bootstrap refits.
    pub fn from_start(self, start: [f64; 3]) -> GammaGammaValid {
        GammaGammaValid {
            start: Some(start),
            ..self
        }
    }

    /// Maximum likelihood on the repeat buyers (frequency > 0) among `frequency` (repeat
    /// purchases) and `monetary_value` (average value of the repeat purchases); those whose
    /// average is <= 0 are left out and counted in `excluded_nonpositive`.
    pub fn fit(&self, frequency: &[f64], monetary_value: &[f64]) -> Result<GammaGamma> {
        if frequency.len() != monetary_value.len() {
            return Err(Error::Internal(
                "frequency and monetary value differ in length".into(),
            ));
        }
        let mut obj = LogLik {
            x: vec![],
            m: vec![],
            penalizer: self.penalizer,
        };
        let mut excluded_nonpositive = 0;
        for (i, (&x, &m)) in frequency.iter().zip(monetary_value).enumerate() {
            if !(x.is_finite() && x >= 0.0 && m.is_finite()) {
                return Err(Error::validation(
                    "spend model input",
                    format!(
                        "row {}: frequency {x} must be a finite number >= 0 and monetary value {m} a finite number",
                        i + 1
                    ),
                ));
            }
            if x > 0.0 && m > 0.0 {
                obj.x.push(x);
                obj.m.push(m);
            } else if x > 0.0 {
                excluded_nonpositive += 1;
            }
        }
        if obj.x.is_empty() {
            return Err(Error::validation(
                "spend model input",
                "no repeat buyer with a positive average spend, so the spend model cannot be fitted",
            ));
        }
        // gamma is a scale in money: start it near the mean spend as well as at lifetimes' start
        let lm = (obj.m.iter().sum::<f64>() / obj.m.len() as f64).ln();
        let starts = vec![
            vec![0.1, 0.1, 0.1],
            vec![0.0, 0.5, lm],
            vec![1.5, 1.0, lm + 1.0],
            vec![-1.0, 2.0, lm - 1.0],
        ];
        let prepared = obj.prepared();
        // the objective's scale, from the first start, sets the noise-floor stop
        let scale = prepared.value_grad(&starts[0]).0.abs();
        let tol_cost = match obj.x.len() > NOISE_FLOOR_ABOVE && scale.is_finite() {
            true => POLISH_TOL_COST * scale.max(1.0),
            false => 0.0,
        };
        let opts = Options {
            starts: match self.start {
                Some(s) => vec![s.to_vec()],
                None => starts,
            },
            tol_cost,
            ..Options::default()
        };
        let best = minimize(&prepared, &opts)?;
        let p: Vec<f64> = best.x.iter().map(|v| v.exp()).collect();
        Ok(GammaGamma {
            p: p[0],
            q: p[1],
            gamma: p[2],
            log_likelihood: prepared.ll_grad([p[0], p[1], p[2]]).0,
            customers: obj.x.len(),
            excluded_nonpositive,
            correlation: pearson(&obj.x, &obj.m),
            uncertainty: (best.convergence.converged && self.start.is_none())
                .then(|| uncertainty(&prepared, &best.x, obj.x.len() as f64))
                .flatten(),
            convergence: best.convergence,
        })
    }
}

fn pearson(a: &[f64], b: &[f64]) -> Option<f64> {
    let n = a.len() as f64;
    if a.len() < 2 {
        return None;
    }
    let (ma, mb) = (a.iter().sum::<f64>() / n, b.iter().sum::<f64>() / n);
    let (mut sab, mut saa, mut sbb) = (0.0, 0.0, 0.0);
    for (x, y) in a.iter().zip(b) {
        sab += (x - ma) * (y - mb);
        saa += (x - ma) * (x - ma);
        sbb += (y - mb) * (y - mb);
    }
    let c = sab / (saa * sbb).sqrt();
    c.is_finite().then_some(c)
}

impl GammaGamma {
    /// Expected average spend per purchase of a customer with `frequency` repeat purchases of
    /// average `monetary_value` (lifetimes' `conditional_expected_average_profit`, note 025
    /// eq. 5): a weighted mean of the customer's average and the population mean,
    /// `(p (gamma + x m)) / (p x + q - 1)`. For x = 0 it is the population mean
    /// `p gamma / (q - 1)`. NaN when p x + q <= 1 (the mean does not exist; only possible with
    /// q <= 1).
    pub fn conditional_expected_average_profit(&self, frequency: f64, monetary_value: f64) -> f64 {
        let den = self.p * frequency + self.q - 1.0;
        if den.is_nan() || den <= 0.0 {
            return f64::NAN;
        }
        self.p * (self.gamma + frequency * monetary_value) / den
    }
}

#[cfg(test)]
#[path = "gamma_gamma_tests.rs"]
pub(crate) mod tests;
