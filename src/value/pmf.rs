//! P(X(t) = x): the probability that a customer observed for `t` time units since the first
//! purchase makes exactly `x` repeat purchases in that time, under each purchase model. The
//! model side of the calibration-period histogram: lifetimes' `plot_period_transactions`
//! draws it by simulating customers from the fitted model; kam sums the exact probabilities
//! over the customers' ages, so the figure is the same on every run and has no sampling noise.
//!
//! With NB(j; t) = Γ(r+j) / (Γ(r) j!) (α/(α+t))^r (t/(α+t))^j, the count of a customer alive
//! throughout (0, t] after integrating the purchase rate over its gamma mixing:
//! - BG/NBD (Fader, Hardie & Lee 2005, eq. 8): E[(1-p)^x] NB(x) + [x > 0] E[p (1-p)^(x-1)]
//!   P(N(t) >= x), the customer either alive after its x purchases or dropped right after the
//!   x-th;
//! - MBG/NBD (Batislam, Denizel & Filiztekin 2007): the same with a chance to drop at time 0,
//!   E[(1-p)^(x+1)] NB(x) + E[p (1-p)^x] P(N(t) >= x);
//! - Pareto/NBD: alive at t with probability (β/(β+t))^s, else dead at τ with the Lomax density
//!   f(τ) = (s/β) (β/(β+τ))^(s+1):
//!   (β/(β+t))^s NB(x; t) + ∫_0^t f(τ) NB(x; τ) dτ, integrated numerically (Simpson's rule on
//!   a log scale of τ, so that ages far beyond α and β cost no more than short ones).
//!
//! The expectations over p ~ Beta(a, b) are ratios of beta functions. Tested: the
//! probabilities sum to 1 and their mean equals each model's E[X(t)].

use statrs::function::beta::ln_beta;

use super::purchases::Purchases;

/// Simpson intervals of the Pareto/NBD integral (even).
const SIMPSON_STEPS: usize = 400;

/// NB(j; t) for j = 0..n, by the recurrence NB(j+1) = NB(j) (r+j)/(j+1) t/(α+t).
fn nbd(r: f64, alpha: f64, t: f64, n: usize) -> Vec<f64> {
    let q = t / (alpha + t);
    let mut v = Vec::with_capacity(n);
    let mut p = (r * (alpha / (alpha + t)).ln()).exp();
    for j in 0..n {
        v.push(p);
        p *= (r + j as f64) / (j as f64 + 1.0) * q;
    }
    v
}

/// P(N(t) >= x) for x = 0..n from the NB(j) of j = 0..n: 1 minus the sum below x.
fn at_least(nb: &[f64]) -> Vec<f64> {
    let mut below = 0.0_f64;
    nb.iter()
        .map(|p| {
            let v = (1.0 - below).max(0.0);
            below += p;
            v
        })
        .collect()
}

/// E over p ~ Beta(a, b) of p^i (1-p)^k: B(a+i, b+k) / B(a, b).
fn beta_ratio(a: f64, b: f64, i: f64, k: f64) -> f64 {
    (ln_beta(a + i, b + k) - ln_beta(a, b)).exp()
}

/// P(X(t) = x) for x = 0..n under the fitted model `m`; `t` in the model's time unit.
pub fn count_probabilities(m: &Purchases, t: f64, n: usize) -> Vec<f64> {
    match m {
        Purchases::Bgnbd(m) => {
            let nb = nbd(m.r, m.alpha, t, n);
            let tail = at_least(&nb);
            (0..n)
                .map(|x| {
                    let k = x as f64;
                    let alive = beta_ratio(m.a, m.b, 0.0, k) * nb[x];
                    let dropped = match x {
                        0 => 0.0,
                        _ => beta_ratio(m.a, m.b, 1.0, k - 1.0) * tail[x],
                    };
                    alive + dropped
                })
                .collect()
        }
        Purchases::Mbgnbd(m) => {
            let nb = nbd(m.r, m.alpha, t, n);
            let tail = at_least(&nb);
            (0..n)
                .map(|x| {
                    let k = x as f64;
                    beta_ratio(m.a, m.b, 0.0, k + 1.0) * nb[x]
                        + beta_ratio(m.a, m.b, 1.0, k) * tail[x]
                })
                .collect()
        }
        Purchases::Pareto(m) => pareto(m.r, m.alpha, m.s, m.beta, t, n),
    }
}

/// The Pareto/NBD probabilities: alive at t, plus dead at τ in (0, t] (the Lomax density
/// times NB(x; τ)), the integral by Simpson's rule in u = ln(1 + τ/c), c = min(α, β).
fn pareto(r: f64, alpha: f64, s: f64, beta: f64, t: f64, n: usize) -> Vec<f64> {
    let survive = (s * (beta / (beta + t)).ln()).exp();
    let mut out: Vec<f64> = nbd(r, alpha, t, n).iter().map(|p| survive * p).collect();
    if t <= 0.0 {
        return out;
    }
    let c = alpha.min(beta);
    let top = (t / c).ln_1p();
    let h = top / SIMPSON_STEPS as f64;
    for k in 0..=SIMPSON_STEPS {
        let u = k as f64 * h;
        let tau = c * u.exp_m1();
        // f(τ) dτ/du, dτ/du = c e^u
        let density = s / beta * ((s + 1.0) * (beta / (beta + tau)).ln()).exp() * c * u.exp();
        let w = match k {
            0 => 1.0,
            k if k == SIMPSON_STEPS => 1.0,
            k if k % 2 == 1 => 4.0,
            _ => 2.0,
        } * h
            / 3.0;
        for (o, p) in out.iter_mut().zip(nbd(r, alpha, tau, n)) {
            *o += w * density * p;
        }
    }
    out
}

#[cfg(test)]
#[path = "pmf_tests.rs"]
mod tests;
