//! The beta-geometric/beta-binomial (BG/BB) model of discrete purchase opportunities (Fader,
//! Hardie & Shang 2010, "Customer-base analysis in a discrete-time noncontractual setting",
//! Marketing Science 29(6)), as lifetimes 0.11.3 fits it (`BetaGeoBetaBinomFitter`).
//!
//! Where transactions can only happen at fixed occasions (a yearly donation drive, an annual
//! supply tender, a monthly billing run), a customer alive at an occasion transacts with
//! probability p ~ Beta(alpha, beta) and, before each later occasion, drops out with
//! probability theta ~ Beta(gamma, delta). A customer's history is x transactions in n
//! occasions, the last at occasion t_x (0 when none).

use serde::Serialize;
use statrs::function::gamma::{digamma, ln_gamma};

use crate::error::{Error, Result};
use crate::value::optim::{Convergence, Objective, Options, Uncertainty, minimize, uncertainty};

#[cfg(test)]
#[path = "bgbb_tests.rs"]
mod tests;

/// Customers' histories with a count each: `x` transactions in `n` occasions, the last at
/// occasion `t_x`.
#[derive(Debug, Clone, Default)]
pub struct Histories {
    pub x: Vec<u32>,
    pub t_x: Vec<u32>,
    pub n: Vec<u32>,
    pub count: Vec<f64>,
}

/// A fitted BG/BB model. Never changes after fitting.
#[derive(Debug, Clone, Serialize)]
pub struct BgBb {
    /// Beta(alpha, beta): the transaction probability of an alive customer at an occasion.
    pub alpha: f64,
    pub beta: f64,
    /// Beta(gamma, delta): the drop-out probability before each occasion.
    pub gamma: f64,
    pub delta: f64,
    /// Log-likelihood at the estimate, summed over customers.
    pub log_likelihood: f64,
    pub customers: f64,
    pub convergence: Convergence,
    /// Standard errors and covariance of the parameters (Laplace; absent when the fit did
    /// not converge or the data do not pin every parameter down).
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub uncertainty: Option<Uncertainty>,
}

/// ln B(a, b) through ln Gamma (NaN rather than a panic outside a, b > 0).
fn ln_beta(a: f64, b: f64) -> f64 {
    ln_gamma(a) + ln_gamma(b) - ln_gamma(a + b)
}

/// Maximum likelihood over the histories (each weighted by its count).
pub fn fit(h: &Histories) -> Result<BgBb> {
    check(h)?;
    let obj = LogLik { h };
    let opts = Options {
        starts: vec![
            vec![0.0, 0.0, 0.0, 0.0],
            vec![-1.0, 1.0, -1.0, 1.0],
            vec![1.0, -1.0, 1.0, 2.0],
        ],
        ..Options::default()
    };
    let best = minimize(&obj, &opts)?;
    let p = [0, 1, 2, 3].map(|i| best.x[i].exp());
    Ok(BgBb {
        alpha: p[0],
        beta: p[1],
        gamma: p[2],
        delta: p[3],
        log_likelihood: obj.ll_grad(p).0,
        customers: h.count.iter().sum(),
        uncertainty: best
            .convergence
            .converged
            .then(|| uncertainty(&obj, &best.x, h.count.iter().sum()))
            .flatten(),
        convergence: best.convergence,
    })
}

fn check(h: &Histories) -> Result<()> {
    let k = h.x.len();
    if h.t_x.len() != k || h.n.len() != k || h.count.len() != k {
        return Err(Error::Internal(
            "the BG/BB histories differ in length".into(),
        ));
    }
    for i in 0..k {
        let (x, tx, n, c) = (h.x[i], h.t_x[i], h.n[i], h.count[i]);
        // x transactions need x occasions up to the last; none means t_x = 0
        let ok = n >= 1 && tx <= n && x <= tx && (x > 0 || tx == 0) && c.is_finite() && c >= 0.0;
        if !ok {
            return Err(Error::validation(
                "BG/BB input",
                format!(
                    "frequency {x}, recency {tx}, periods {n} with count {c} is not a valid history (need 0 <= frequency <= recency <= periods, periods >= 1, recency 0 without transactions)"
                ),
            ));
        }
    }
    if h.count.iter().sum::<f64>() <= 0.0 {
        return Err(Error::validation("BG/BB input", "no customers to fit"));
    }
    Ok(())
}

/// The BG/BB log-likelihood (Fader, Hardie & Shang 2010, eq. 5) in (log alpha, log beta, log
/// gamma, log delta). Per customer, the log of a sum of terms:
/// ```text
/// L = B(alpha + x, beta + n - x) / B(alpha, beta) * B(gamma, delta + n) / B(gamma, delta)
///   + sum_{i=0}^{n - t_x - 1} B(alpha + x, beta + t_x - x + i) / B(alpha, beta)
///                           * B(gamma + 1, delta + t_x + i) / B(gamma, delta)
/// ```
/// Each term's gradient follows from d lnB(a, b)/da = psi(a) - psi(a + b); the sum's is the
/// terms' gradients weighted by their shares.
struct LogLik<'a> {
    h: &'a Histories,
}

impl LogLik<'_> {
    fn ll_grad(&self, [a, b, g, d]: [f64; 4]) -> (f64, [f64; 4]) {
        let base = ln_beta(a, b) + ln_beta(g, d);
        let (dg_a, dg_b, dg_g, dg_d) = (digamma(a), digamma(b), digamma(g), digamma(d));
        let (dg_ab, dg_gd) = (digamma(a + b), digamma(g + d));
        let mut terms: Vec<(f64, [f64; 4])> = Vec::new();
        let (mut ll, mut grad) = (0.0, [0.0; 4]);
        for i in 0..self.h.x.len() {
            let w = self.h.count[i];
            if w == 0.0 {
                continue;
            }
            let (x, tx, n) = (
                f64::from(self.h.x[i]),
                f64::from(self.h.t_x[i]),
                f64::from(self.h.n[i]),
            );
            terms.clear();
            // alive through all n occasions: x transactions in them
            let dg_abn = digamma(a + b + n);
            let dg_gdn = digamma(g + d + n);
            terms.push((
                ln_beta(a + x, b + n - x) + ln_beta(g, d + n) - base,
                [
                    digamma(a + x) - dg_abn - dg_a + dg_ab,
                    digamma(b + n - x) - dg_abn - dg_b + dg_ab,
                    dg_gd - dg_gdn,
                    digamma(d + n) - dg_gdn - dg_d + dg_gd,
                ],
            ));
            // dropped out before occasion t_x + i + 1
            for j in 0..(self.h.n[i] - self.h.t_x[i]) {
                let k = tx + f64::from(j);
                let (dg_abk, dg_gdk) = (digamma(a + b + k), digamma(g + d + k + 1.0));
                terms.push((
                    ln_beta(a + x, b + k - x) + ln_beta(g + 1.0, d + k) - base,
                    [
                        digamma(a + x) - dg_abk - dg_a + dg_ab,
                        digamma(b + k - x) - dg_abk - dg_b + dg_ab,
                        digamma(g + 1.0) - dg_gdk - dg_g + dg_gd,
                        digamma(d + k) - dg_gdk - dg_d + dg_gd,
                    ],
                ));
            }
            let top = terms.iter().fold(f64::NEG_INFINITY, |m, t| m.max(t.0));
            let sum: f64 = terms.iter().map(|t| (t.0 - top).exp()).sum();
            ll += w * (top + sum.ln());
            for (lt, gt) in &terms {
                let share = (lt - top).exp() / sum;
                for k in 0..4 {
                    grad[k] += w * share * gt[k];
                }
            }
        }
        (ll, grad)
    }
}

impl Objective for LogLik<'_> {
    fn names(&self) -> Vec<&'static str> {
        vec!["log alpha", "log beta", "log gamma", "log delta"]
    }

    /// Minus the mean log-likelihood per customer.
    fn value_grad(&self, lp: &[f64]) -> (f64, Vec<f64>) {
        let p = [0, 1, 2, 3].map(|i| lp[i].exp());
        if !p.iter().all(|v| v.is_finite() && *v > 0.0) {
            return (f64::INFINITY, vec![0.0; 4]);
        }
        let (ll, g) = self.ll_grad(p);
        let n: f64 = self.h.count.iter().sum();
        (-ll / n, (0..4).map(|i| -p[i] * g[i] / n).collect())
    }
}

impl BgBb {
    fn params(&self) -> [f64; 4] {
        [self.alpha, self.beta, self.gamma, self.delta]
    }

    /// ln L of one history (the likelihood above).
    fn ln_likelihood(&self, x: u32, t_x: u32, n: u32) -> f64 {
        let h = Histories {
            x: vec![x],
            t_x: vec![t_x],
            n: vec![n],
            count: vec![1.0],
        };
        LogLik { h: &h }.ll_grad(self.params()).0
    }

    /// Probability that a customer with history (x, t_x, n) is alive at occasion n + m
    /// (lifetimes' `conditional_probability_alive(m, ...)`; the paper's eq. 11 for m = 1).
    pub fn p_alive(&self, m: u32, x: u32, t_x: u32, n: u32) -> f64 {
        let (a, b, g, d) = (self.alpha, self.beta, self.gamma, self.delta);
        let (xf, nf) = (f64::from(x), f64::from(n));
        let alive = ln_beta(a + xf, b + nf - xf) - ln_beta(a, b)
            + ln_beta(g, d + nf + f64::from(m))
            - ln_beta(g, d);
        (alive - self.ln_likelihood(x, t_x, n)).exp()
    }

    /// Expected transactions in the next `m` occasions (n + 1 ... n + m) of a customer with
    /// history (x, t_x, n) (the paper's eq. 13; lifetimes'
    /// `conditional_expected_number_of_purchases_up_to_time`).
    pub fn expected_purchases(&self, m: u32, x: u32, t_x: u32, n: u32) -> f64 {
        let (a, b, g, d) = (self.alpha, self.beta, self.gamma, self.delta);
        let (xf, nf, mf) = (f64::from(x), f64::from(n), f64::from(m));
        let ln_p = ln_beta(a + xf + 1.0, b + nf - xf) - ln_beta(a, b);
        let ln_alive_then = |k: f64| ln_gamma(1.0 + d + k) - ln_gamma(g + d + k);
        let scale = d / (g - 1.0) * (ln_gamma(g + d) - ln_gamma(1.0 + d)).exp();
        let span = ln_alive_then(nf).exp() - ln_alive_then(nf + mf).exp();
        (ln_p - self.ln_likelihood(x, t_x, n)).exp() * scale * span
    }

    /// Expected transactions of a new customer in the first `n` occasions (the paper's eq. 8):
    /// `alpha / (alpha + beta) * delta / (gamma - 1) * (1 - Gamma(gamma + delta) Gamma(1 + delta
    /// + n) / (Gamma(gamma + delta + n) Gamma(1 + delta)))`.
    pub fn expected_unconditional(&self, n: u32) -> f64 {
        let (a, b, g, d) = (self.alpha, self.beta, self.gamma, self.delta);
        let nf = f64::from(n);
        let ratio =
            (ln_gamma(g + d) + ln_gamma(1.0 + d + nf) - ln_gamma(g + d + nf) - ln_gamma(1.0 + d))
                .exp();
        a / (a + b) * d / (g - 1.0) * (1.0 - ratio)
    }

    /// P(X(n) = x) for x = 0..=n: the model's distribution of transactions in the first n
    /// occasions (the paper's eq. 7; lifetimes' `expected_number_of_transactions_in_first_n_periods`
    /// divided by the customers).
    pub fn frequency_distribution(&self, n: u32) -> Vec<f64> {
        let (a, b, g, d) = (self.alpha, self.beta, self.gamma, self.delta);
        let base = ln_beta(a, b) + ln_beta(g, d);
        let ln_choose =
            |k: f64, j: f64| ln_gamma(k + 1.0) - ln_gamma(j + 1.0) - ln_gamma(k - j + 1.0);
        let nf = f64::from(n);
        (0..=n)
            .map(|x| {
                let xf = f64::from(x);
                let alive = ln_choose(nf, xf) + ln_beta(a + xf, b + nf - xf) + ln_beta(g, d + nf);
                let dropped: f64 = (x..n)
                    .map(|i| {
                        let i = f64::from(i);
                        (ln_choose(i, xf) + ln_beta(a + xf, b + i - xf) + ln_beta(g + 1.0, d + i)
                            - base)
                            .exp()
                    })
                    .sum();
                (alive - base).exp() + dropped
            })
            .collect()
    }
}
