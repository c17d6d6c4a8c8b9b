//! The Pareto/NBD model (Schmittlein, Morrison & Colombo 1987) as lifetimes 0.11.3
//! `ParetoNBDFitter`: maximum-likelihood fit and per-customer predictions (P(alive), expected
//! purchases). All times (recency `t_x`, age `T`, horizons, α, β) are in the data's one unit.
//!
//! Purchases are Poisson(λ) while alive, lifetimes exponential(μ), λ ~ Gamma(r, α) and
//! μ ~ Gamma(s, β). For a customer (x, t_x, T) (Fader & Hardie notes 008/009):
//! `L = Γ(r+x) α^r β^s / Γ(r) · [E + s·I]`, `E = (α+T)^-(r+x) (β+T)^-s`,
//! `I = ∫_{t_x}^T (α+u)^-(r+x) (β+u)^-(s+1) du = G(t_x) - G(T)` (the notes' A0 is (r+s+x)·I).
//! With the notes' case split M = max(α, β), `z = |α-β| / (M+τ)` in [0, 1), `b = s+1` if
//! α >= β else `r+x`, and `a = r+s+x`, Euler's transformation gives
//! `G(τ) = (M+τ)^-a / a · 2F1(a, b; a+1; z) = (M+τ)^-a / a · (1-z)^(1-b) · 2F1(1, a+1-b; a+1; z)`,
//! a series of falling positive terms that converges fast even for x in the hundreds. Logs
//! throughout; `I = G(t_x) · (1 - G(T)/G(t_x))`, whose rounding error stays small next to E.
//! The gradient is analytic: the series is summed with its parameter derivatives (tested
//! against central finite differences). A z within 1e-4 of 1 (min(α,β) + t_x below 1e-4 of
//! max(α,β) + t_x) would need over a million terms and is not evaluated: NaN, which the
//! optimiser treats as outside the usable region and predictions pass on.
//!
//! Objective: `-(Σ n·ll)/(Σ n) + penalizer·(r² + α'² + s² + β'²)` in log parameters, where
//! α' = α / max T and β' = β / max T as in lifetimes (which rescales time so max T = 1).
//! lifetimes divides the sum by the mean weight, not Σ n: its `penalizer_coef = c` on N
//! unit-weight customers is penalizer c / N here (checked); at the default 0 they agree.

use serde::{Deserialize, Serialize};
use statrs::function::gamma::{digamma, ln_gamma};

use crate::error::{Error, Result};
use crate::value::clv::PurchaseModel;
use crate::value::data::Triples;
use crate::value::optim::{Convergence, Objective, Options, Uncertainty, minimize, uncertainty};
use crate::value::special::ln_hyp2f1;

/// Settings of a Pareto/NBD fit as the user gives them (unchecked).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ParetoNbdParams {
    /// L2 penalty on (r, α / max T, s, β / max T) added to the mean negative log-likelihood
    /// (lifetimes' `penalizer_coef` divided by the number of customers). Default 0 (plain ML).
    pub penalizer: f64,
}

/// Checked [`ParetoNbdParams`]; only [`ParetoNbdParams::check`] builds one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ParetoNbdValid {
    penalizer: f64,
    /// One start (log-parameters, time in the data's unit) instead of [`STARTS`]: a
    /// bootstrap refit from the full data's optimum ([`ParetoNbdValid::from_start`]).
    start: Option<[f64; 4]>,
}

impl ParetoNbdParams {
    pub fn check(self) -> Result<ParetoNbdValid> {
        let penalizer = self.penalizer;
        if !(penalizer.is_finite() && penalizer >= 0.0) {
            return Err(Error::Usage(format!(
                "The Pareto/NBD penalizer must be a finite number >= 0; got {penalizer}."
            )));
        }
        Ok(ParetoNbdValid {
            penalizer,
            start: None,
        })
    }
}

/// A fitted Pareto/NBD model. Never changes after fitting.
#[derive(Debug, Clone, Serialize)]
pub struct ParetoNbd {
    /// Shape and scale (time units) of the Gamma distribution of purchase rates.
    pub r: f64,
    pub alpha: f64,
    /// Shape and scale (time units) of the Gamma distribution of dropout rates.
    pub s: f64,
    pub beta: f64,
    /// Unpenalised log-likelihood at the estimate (sum over customers, the data's time unit).
    pub log_likelihood: f64,
    /// Customers fitted.
    pub customers: f64,
    pub convergence: Convergence,
    /// Standard errors and covariance of the parameters (Laplace; absent when the fit did
    /// not converge or the data do not pin every parameter down).
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub uncertainty: Option<Uncertainty>,
}

/// Smallest 1 - z evaluated (the series needs ~40/(1-z) terms).
const MIN_ONE_MINUS_Z: f64 = 1e-4;

/// H = 2F1(1, p; c; z) for 0 < p < c, with terms h_k = (p)_k / (c)_k z^k, and the means under
/// weights h_k / H that its derivatives need: (ln H, E[P_k], E[P_k - C_k], E[k]), where
/// P_k = Σ_{j<k} 1/(p+j) = ∂ ln h_k/∂p and C_k = Σ_{j<k} 1/(c+j) = -∂ ln h_k/∂c.
fn euler_series(p: f64, c: f64, z: f64) -> [f64; 4] {
    if !(0.0 < p && p < c && (0.0..=1.0 - MIN_ONE_MINUS_Z).contains(&z)) {
        return [f64::NAN; 4];
    }
    let (mut h, mut sum, mut s_p, mut s_pc, mut s_k, mut pk, mut dk) =
        (1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0);
    for k in 0..2_000_000 {
        let kf = k as f64;
        // terms fall (p < c): the tail after h_k is below h_k z/(1-z), weighted ~k/(1-z)²
        if h * (kf + 1.0 + pk) < 1e-17 * sum * (1.0 - z) * (1.0 - z) {
            return [sum.ln(), s_p / sum, s_pc / sum, s_k / sum];
        }
        h *= (p + kf) / (c + kf) * z;
        pk += 1.0 / (p + kf);
        dk += (c - p) / ((p + kf) * (c + kf));
        (sum, s_p, s_pc, s_k) = (sum + h, s_p + h * pk, s_pc + h * dk, s_k + h * (kf + 1.0));
    }
    [f64::NAN; 4]
}

/// ln G(τ) (see the module comment) and, when `grad`, its derivatives in (r, α, s, β).
fn ln_g(q: [f64; 4], x: f64, tau: f64, grad: bool) -> (f64, [f64; 4]) {
    let [r, al, s, be] = q;
    let (ge, a) = (al >= be, r + s + x);
    let (m, mn, b) = match ge {
        true => (al, be, s + 1.0),
        false => (be, al, r + x),
    };
    let (mt, p) = (m + tau, a + 1.0 - b);
    let z = (al - be).abs() / mt;
    let head = -a * mt.ln() - a.ln() + (1.0 - b) * (-z).ln_1p();
    if !grad {
        let ok = z <= 1.0 - MIN_ONE_MINUS_Z;
        let ln_h = ok.then(|| ln_hyp2f1(1.0, p, a + 1.0, z));
        return (head + ln_h.unwrap_or(f64::NAN), [0.0; 4]);
    }
    let [ln_h, e_p, e_pc, e_k] = euler_series(p, a + 1.0, z);
    // partials of ln G in a, b, z and M+τ (z held fixed), then z in M and min(α, β)
    let g_a = -mt.ln() - 1.0 / a + e_pc;
    let g_b = -(-z).ln_1p() - e_p;
    let g_z = (b - 1.0) / (1.0 - z) + if z > 0.0 { e_k / z } else { p / (a + 1.0) };
    let g_m = -a / mt;
    let (dz_m, dz_min) = ((mn + tau) / (mt * mt), -1.0 / mt);
    let d = if ge {
        [g_a, g_z * dz_m + g_m, g_a + g_b, g_z * dz_min]
    } else {
        [g_a + g_b, g_z * dz_min, g_a, g_z * dz_m + g_m]
    };
    (head + ln_h, d)
}

/// ln L of one customer, when `grad` its derivatives in (r, α, s, β), and ln E, ln(s·I)
/// (their difference is the log-odds that the customer has dropped out).
fn ll_one(q: [f64; 4], x: f64, t_x: f64, t: f64, grad: bool) -> (f64, [f64; 4], f64, f64) {
    let [r, al, s, be] = q;
    let a1 = ln_gamma(r + x) - ln_gamma(r) + r * al.ln() + s * be.ln();
    let ln_e = -(r + x) * (al + t).ln() - s * (be + t).ln();
    let ((g_tx, d_tx), (g_t, d_t)) = (ln_g(q, x, t_x, grad), ln_g(q, x, t, grad));
    // I = G(t_x) (1 - rho); rho >= 1 only when t_x = T (up to rounding), where I = 0
    let rho = (g_t - g_tx).exp();
    let ln_si = match rho < 1.0 {
        true => s.ln() + g_tx + (-rho).ln_1p(),
        false => f64::NEG_INFINITY,
    };
    let mx = ln_e.max(ln_si);
    let ll2 = mx + ((ln_e - mx).exp() + (ln_si - mx).exp()).ln();
    let mut g = [0.0; 4];
    if grad {
        let (w_e, w_i) = ((ln_e - ll2).exp(), (ln_si - ll2).exp());
        let (dg, at, bt) = (digamma(r + x) - digamma(r), al + t, be + t);
        let d_a1 = [dg + al.ln(), r / al, be.ln(), s / be];
        let d_e = [-at.ln(), -(r + x) / at, -bt.ln(), -s / bt];
        for i in 0..4 {
            // d ln(s I) = d ln s + (dG(t_x) - dG(T)) / I
            let d_i = (d_tx[i] - rho * d_t[i]) / (1.0 - rho);
            let d_s = if i == 2 { 1.0 / s } else { 0.0 };
            g[i] = d_a1[i] + w_e * d_e[i] + if w_i > 0.0 { w_i * (d_i + d_s) } else { 0.0 };
        }
    }
    (a1 + ll2, g, ln_e, ln_si)
}

/// (1 - exp(e·lq)) / e, and its limit -lq at e = 0: (1 - q^(s-1)) / (s-1) for e = s-1.
fn one_minus_pow_over(e: f64, lq: f64) -> f64 {
    let y = -(e * lq).exp_m1();
    if e == 0.0 { -lq } else { y / e }
}

/// Mean negative log-likelihood plus `Σ pen_j p_j²`, in log parameters.
struct Nll<'a> {
    d: &'a Triples,
    pen: [f64; 4],
    customers: f64,
}

impl Objective for Nll<'_> {
    fn names(&self) -> Vec<&'static str> {
        vec!["log r", "log alpha", "log s", "log beta"]
    }
    fn value_grad(&self, th: &[f64]) -> (f64, Vec<f64>) {
        let q = [th[0].exp(), th[1].exp(), th[2].exp(), th[3].exp()];
        let (d, mut v, mut g) = (self.d, 0.0, [0.0; 4]);
        for i in 0..d.len() {
            let (ll, dl, _, _) = ll_one(q, d.x[i], d.t_x[i], d.t[i], true);
            v -= d.n[i] * ll / self.customers;
            (0..4).for_each(|j| g[j] -= d.n[i] * dl[j] / self.customers);
        }
        v += (0..4).map(|j| self.pen[j] * q[j] * q[j]).sum::<f64>();
        // d/dlog p = p d/dp
        let g: Vec<f64> = (0..4)
            .map(|j| (g[j] + 2.0 * self.pen[j] * q[j]) * q[j])
            .collect();
        match v.is_finite() && q.iter().all(|p| *p > 0.0) {
            true => (v, g),
            false => (f64::INFINITY, vec![0.0; 4]),
        }
    }
}

/// Starting (r, α, s, β), α and β in units of the largest T.
const STARTS: [[f64; 4]; 4] = [
    [1.0, 1.0, 1.0, 1.0],
    [0.5, 0.5, 0.5, 2.0],
    [2.0, 2.0, 2.0, 0.5],
    [1.0, 0.05, 1.0, 0.05],
];

impl ParetoNbdValid {
    pub fn penalizer(&self) -> f64 {
        self.penalizer
    }

    /// The same fit from one start only, `start` in log-parameters (r, alpha, s, beta; the
    /// scales in the data's time unit), with no uncertainty computed: for bootstrap refits.
    pub fn from_start(self, start: [f64; 4]) -> ParetoNbdValid {
        ParetoNbdValid {
            start: Some(start),
            ..self
        }
    }

    /// Maximum likelihood over the triples (each weighted by its count `n`) from [`STARTS`].
    /// An error when no customer made a repeat purchase (nothing identifies the rates); a fit
    /// that did not converge comes back with `convergence.converged == false` and the reason.
    pub fn fit(&self, d: &Triples) -> Result<ParetoNbd> {
        let len = d.len();
        if d.t_x.len() != len || d.t.len() != len || d.n.len() != len {
            let msg = "the Pareto/NBD triples differ in length";
            return Err(Error::Internal(msg.into()));
        }
        // the triples' fields are public: check what the likelihood relies on
        let bad = (0..len).find(|&i| {
            let (x, tx, t, n) = (d.x[i], d.t_x[i], d.t[i], d.n[i]);
            let xok = x >= 0.0 && x.fract() == 0.0 && (x == 0.0 || tx > 0.0);
            !(xok && t.is_finite() && (0.0..=t).contains(&tx) && t > 0.0 && n > 0.0)
        });
        if let Some(i) = bad {
            let (x, tx, t, n) = (d.x[i], d.t_x[i], d.t[i], d.n[i]);
            let msg = format!(
                "pattern {} (frequency {x}, recency {tx}, T {t}, count {n}) needs a whole frequency >= 0, 0 <= recency <= T with recency > 0 after a repeat purchase, T > 0 and a count > 0",
                i + 1
            );
            return Err(Error::validation("Pareto/NBD input", msg));
        }
        if d.x.iter().all(|&x| x == 0.0) {
            return Err(Error::validation(
                "Pareto/NBD input",
                "no customer made a repeat purchase (every frequency is 0, or there are no customers), so purchase and dropout rates cannot be estimated",
            ));
        }
        let tm = d.t.iter().fold(0.0_f64, |m, &t| m.max(t));
        let w = [1.0, tm, 1.0, tm];
        let starts = STARTS
            .iter()
            .map(|s| (0..4).map(|j| (s[j] * w[j]).ln()).collect());
        let pen = w.map(|wj| self.penalizer / (wj * wj));
        let customers = d.customers();
        let obj = Nll { d, pen, customers };
        // the mean log-likelihood is O(1) and exact to ~1e-15, so gradients below 1e-7 are
        // rounding noise, on which the line search would fail and report non-convergence
        let o = Options {
            starts: match self.start {
                Some(s) => vec![s.to_vec()],
                None => starts.collect(),
            },
            tol_grad: 1e-7,
            ..Options::default()
        };
        let opt = minimize(&obj, &o)?;
        let [r, alpha, s, beta] = [0, 1, 2, 3].map(|j| opt.x[j].exp());
        let lls = (0..len)
            .map(|i| d.n[i] * ll_one([r, alpha, s, beta], d.x[i], d.t_x[i], d.t[i], false).0);
        let (log_likelihood, convergence) = (lls.sum(), opt.convergence);
        let uncertainty = (convergence.converged && self.start.is_none())
            .then(|| uncertainty(&obj, &opt.x, customers))
            .flatten();
        Ok(ParetoNbd {
            r,
            alpha,
            s,
            beta,
            log_likelihood,
            customers,
            convergence,
            uncertainty,
        })
    }
}

impl PurchaseModel for ParetoNbd {
    fn expected_purchases(&self, horizon: f64, x: f64, t_x: f64, t: f64) -> f64 {
        ParetoNbd::expected_purchases(self, horizon, x, t_x, t)
    }
    fn expected_purchases_if_alive(&self, horizon: f64, x: f64, t: f64) -> f64 {
        ParetoNbd::expected_purchases_if_alive(self, horizon, x, t)
    }
    fn p_alive(&self, x: f64, t_x: f64, t: f64) -> f64 {
        ParetoNbd::p_alive(self, x, t_x, t)
    }
}

impl ParetoNbd {
    /// ln(P(dead) / P(alive)) = ln(s·I) - ln E, or None outside 0 <= t_x <= T, T > 0, x >= 0.
    fn ln_odds_dead(&self, x: f64, t_x: f64, t: f64) -> Option<f64> {
        let valid = x >= 0.0 && t_x >= 0.0 && t_x <= t && t > 0.0 && t.is_finite();
        let q = [self.r, self.alpha, self.s, self.beta];
        valid
            .then(|| ll_one(q, x, t_x, t, false))
            .map(|(_, _, ln_e, ln_si)| ln_si - ln_e)
    }

    /// P(alive at T | x repeat purchases, the last at t_x, age T); lifetimes'
    /// `conditional_probability_alive`. NaN outside 0 <= t_x <= T, T > 0, x >= 0.
    pub fn p_alive(&self, x: f64, t_x: f64, t: f64) -> f64 {
        self.ln_odds_dead(x, t_x, t)
            .map_or(f64::NAN, |l| 1.0 / (1.0 + l.exp()))
    }

    /// Expected repeat purchases in (T, T + horizon] of that customer; lifetimes'
    /// `conditional_expected_number_of_purchases_up_to_time`:
    /// `P(alive) (r+x)(β+T) / ((α+T)(s-1)) · (1 - ((β+T)/(β+T+horizon))^(s-1))`.
    pub fn expected_purchases(&self, horizon: f64, x: f64, t_x: f64, t: f64) -> f64 {
        self.p_alive(x, t_x, t) * self.expected_purchases_if_alive(horizon, x, t)
    }

    /// The factor of `expected_purchases` after P(alive): the expected repeat purchases of the
    /// next `horizon` of that customer if it is alive now.
    pub fn expected_purchases_if_alive(&self, horizon: f64, x: f64, t: f64) -> f64 {
        if horizon < 0.0 {
            return f64::NAN;
        }
        let (bt, lq) = (self.beta + t, -(horizon / (self.beta + t)).ln_1p());
        let rate = (self.r + x) * bt / (self.alpha + t);
        rate * one_minus_pow_over(self.s - 1.0, lq)
    }

    /// E[X(t)], repeat purchases in (0, t] of a new customer (lifetimes'
    /// `expected_number_of_purchases_up_to_time`): `r β / (α (s-1)) · (1 - (β/(β+t))^(s-1))`,
    /// `r β / α · ln(1 + t/β)` at s = 1.
    pub fn expected_unconditional(&self, t: f64) -> f64 {
        if t < 0.0 {
            return f64::NAN;
        }
        let lq = -(t / self.beta).ln_1p();
        self.r * self.beta / self.alpha * one_minus_pow_over(self.s - 1.0, lq)
    }
}

#[cfg(test)]
#[path = "pareto_nbd_tests.rs"]
mod tests;
