//! The shifted-beta-geometric (sBG) model of contractual retention (Fader & Hardie 2007, "How
//! to project customer retention", Journal of Interactive Marketing 21(1)), and the discounted
//! expected residual lifetime of a customer who has renewed (Fader & Hardie 2010, "Customer-base
//! valuation in a contractual setting: the perils of ignoring heterogeneity", Marketing
//! Science 29(1), eq. 6).
//!
//! A contract (a fuel card, a bank product, a yearly supply agreement) renews or lapses at the
//! end of each period. Each customer lapses with their own probability theta per period,
//! theta ~ Beta(alpha, beta) across customers: a cohort's retention rate rises over time as
//! the customers likely to lapse leave first, which a single retention rate cannot show.
//! Fitted by maximum likelihood on cohorts' survivor counts.

use serde::Serialize;
use statrs::function::gamma::{digamma, ln_gamma};

use crate::error::{Error, Result};
use crate::value::optim::{Convergence, Objective, Options, Uncertainty, minimize, uncertainty};

#[cfg(test)]
#[path = "sbg_tests.rs"]
mod tests;

/// A fitted sBG model. Never changes after fitting.
#[derive(Debug, Clone, Serialize)]
pub struct Sbg {
    /// Beta(alpha, beta): the distribution of the per-period lapse probability.
    pub alpha: f64,
    pub beta: f64,
    /// Log-likelihood at the estimate, summed over the cohorts' customers.
    pub log_likelihood: f64,
    /// Customers at the start of the cohorts fitted, summed.
    pub customers: f64,
    pub convergence: Convergence,
    /// Standard errors and covariance of the parameters (Laplace; absent when the fit did
    /// not converge or the data do not pin every parameter down).
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub uncertainty: Option<Uncertainty>,
}

/// Fit the sBG model to cohorts' survivor counts: each cohort is the customers still under
/// contract at the start (index 0) and at the end of each period after (1, 2, ...), so
/// non-increasing, with at least one period observed. Cohorts may differ in length.
pub fn fit(cohorts: &[Vec<f64>]) -> Result<Sbg> {
    check_cohorts(cohorts)?;
    let obj = LogLik { cohorts };
    let opts = Options {
        starts: vec![vec![0.0, 0.0], vec![-1.0, 1.0], vec![1.0, 2.0]],
        ..Options::default()
    };
    let best = minimize(&obj, &opts)?;
    let [alpha, beta] = [best.x[0].exp(), best.x[1].exp()];
    let customers = obj.customers();
    Ok(Sbg {
        alpha,
        beta,
        log_likelihood: obj.ll_grad(alpha, beta).0,
        customers,
        uncertainty: best
            .convergence
            .converged
            .then(|| uncertainty(&obj, &best.x, customers))
            .flatten(),
        convergence: best.convergence,
    })
}

fn check_cohorts(cohorts: &[Vec<f64>]) -> Result<()> {
    let bad = |msg: String| Err(Error::validation("retention cohorts", msg));
    if cohorts.is_empty() {
        return bad("no cohort to fit".into());
    }
    for (i, c) in cohorts.iter().enumerate() {
        let ok_counts = c.iter().all(|v| v.is_finite() && *v >= 0.0);
        if c.len() < 2 || !ok_counts || c[0] <= 0.0 {
            return bad(format!(
                "cohort {} needs a positive starting count and at least one period's survivors, all finite and >= 0; got {c:?}",
                i + 1
            ));
        }
        if let Some(t) = c.windows(2).position(|w| w[1] > w[0]) {
            return bad(format!(
                "cohort {}: {} customers after period {} but only {} before; survivors cannot grow",
                i + 1,
                c[t + 1],
                t + 1,
                c[t]
            ));
        }
    }
    Ok(())
}

/// The sBG log-likelihood over cohorts, in (log alpha, log beta). Per cohort observed for T
/// periods, with n_t customers lapsing in period t and n_T still under contract after T:
/// ```text
/// ll = sum_t n_t ln P(t) + n_T ln S(T)
/// ln P(t) = lnB(alpha + 1, beta + t - 1) - lnB(alpha, beta)   (lapse in period t)
/// ln S(t) = lnB(alpha, beta + t) - lnB(alpha, beta)           (still under contract after t)
/// ```
/// with d lnB(x, y)/dx = psi(x) - psi(x + y) for the gradient.
struct LogLik<'a> {
    cohorts: &'a [Vec<f64>],
}

impl LogLik<'_> {
    /// Sum of the log-likelihood and its gradient in (alpha, beta).
    fn ll_grad(&self, a: f64, b: f64) -> (f64, [f64; 2]) {
        let lb = ln_beta(a, b);
        let (dg_a, dg_b, dg_ab) = (digamma(a), digamma(b), digamma(a + b));
        let (mut ll, mut g) = (0.0, [0.0; 2]);
        for c in self.cohorts {
            for t in 1..c.len() {
                let (n, tf) = (c[t - 1] - c[t], t as f64);
                if n > 0.0 {
                    let dg_abt = digamma(a + b + tf);
                    ll += n * (ln_beta(a + 1.0, b + tf - 1.0) - lb);
                    g[0] += n * (digamma(a + 1.0) - dg_abt - dg_a + dg_ab);
                    g[1] += n * (digamma(b + tf - 1.0) - dg_abt - dg_b + dg_ab);
                }
            }
            let (n, tf) = (c[c.len() - 1], (c.len() - 1) as f64);
            if n > 0.0 {
                let dg_abt = digamma(a + b + tf);
                ll += n * (ln_beta(a, b + tf) - lb);
                g[0] += n * (dg_ab - dg_abt);
                g[1] += n * (digamma(b + tf) - dg_abt - dg_b + dg_ab);
            }
        }
        (ll, g)
    }

    fn customers(&self) -> f64 {
        self.cohorts.iter().map(|c| c[0]).sum()
    }
}

impl Objective for LogLik<'_> {
    fn names(&self) -> Vec<&'static str> {
        vec!["log alpha", "log beta"]
    }

    /// Minus the mean log-likelihood per starting customer.
    fn value_grad(&self, lp: &[f64]) -> (f64, Vec<f64>) {
        let (a, b) = (lp[0].exp(), lp[1].exp());
        if !(a.is_finite() && b.is_finite() && a > 0.0 && b > 0.0) {
            return (f64::INFINITY, vec![0.0; 2]);
        }
        let (ll, g) = self.ll_grad(a, b);
        let n = self.customers();
        (-ll / n, vec![-a * g[0] / n, -b * g[1] / n])
    }
}

/// ln B(a, b) through ln Gamma (statrs' `ln_beta` panics outside a, b > 0; this gives NaN).
fn ln_beta(a: f64, b: f64) -> f64 {
    ln_gamma(a) + ln_gamma(b) - ln_gamma(a + b)
}

/// Terms summed at most by [`Sbg::derl`] (a discount rate of 1e-6 per period needs about
/// 2e7; the usual rates need a few hundred).
const MAX_TERMS: usize = 50_000_000;

impl Sbg {
    /// P(T = t): a new customer lapses in period t (t >= 1):
    /// alpha / (alpha + beta) for t = 1, then P(t - 1) (beta + t - 2) / (alpha + beta + t - 1).
    pub fn lapse_probability(&self, t: u32) -> f64 {
        if t == 0 {
            return 0.0;
        }
        let tf = f64::from(t);
        (ln_beta(self.alpha + 1.0, self.beta + tf - 1.0) - ln_beta(self.alpha, self.beta)).exp()
    }

    /// S(t): the share of a new cohort still under contract after t periods,
    /// B(alpha, beta + t) / B(alpha, beta); S(0) = 1.
    pub fn survival(&self, t: u32) -> f64 {
        let tf = f64::from(t);
        (ln_beta(self.alpha, self.beta + tf) - ln_beta(self.alpha, self.beta)).exp()
    }

    /// r(t) = S(t) / S(t - 1): the share of those under contract after t - 1 periods who renew
    /// in period t, (beta + t - 1) / (alpha + beta + t - 1), rising with t (t >= 1).
    pub fn retention_rate(&self, t: u32) -> f64 {
        let tf = f64::from(t);
        (self.beta + tf - 1.0) / (self.alpha + self.beta + tf - 1.0)
    }

    /// Discounted expected residual lifetime, in periods, of a customer just before their
    /// `renewals`-th renewal decision (0: a customer who has just signed, at the end of their
    /// first period), at discount rate `d` per period (Fader & Hardie 2010, eq. 6):
    /// ```text
    /// DERL = (beta + n) / (alpha + beta + n) * 2F1(1, beta + n + 1; alpha + beta + n + 1; 1 / (1 + d))
    /// ```
    /// with n = `renewals`. Multiplied by the margin per period it is the customer's expected
    /// residual value. The series has positive terms and ratio below 1 / (1 + d); NaN when `d`
    /// is not positive or more than `MAX_TERMS` terms would be needed.
    pub fn derl(&self, d: f64, renewals: u32) -> f64 {
        if !(d.is_finite() && d > 0.0) {
            return f64::NAN;
        }
        let n = f64::from(renewals);
        let (b, c, z) = (
            self.beta + n + 1.0,
            self.alpha + self.beta + n + 1.0,
            1.0 / (1.0 + d),
        );
        let (mut term, mut sum) = (1.0_f64, 1.0_f64);
        for k in 0..MAX_TERMS {
            let kf = k as f64;
            let ratio = (b + kf) / (c + kf) * z;
            term *= ratio;
            sum += term;
            // the later ratios stay below z: the tail is below term z / (1 - z)
            if term * z / (1.0 - z) <= 1e-16 * sum {
                return (self.beta + n) / (self.alpha + self.beta + n) * sum;
            }
        }
        f64::NAN
    }
}
