//! The BG/NBD log-likelihood with its analytic gradient, and the expected number of purchases
//! of a customer who is alive now, computed for every a, b > 0 (including a + b <= 1, where the
//! hypergeometric form has a non-positive c parameter).

use std::collections::BTreeMap;

use statrs::function::gamma::{digamma, ln_gamma};

use crate::value::data::Triples;
use crate::value::optim::Objective;
use crate::value::special::Hyp2f1;

/// Negative mean log-likelihood of BG/NBD over weighted triples, in (log r, log alpha, log a,
/// log b), plus lifetimes' L2 penalty `penalizer * (r^2 + alpha^2 + a^2 + b^2)`.
///
/// Per customer (Fader, Hardie & Lee 2005, section 7; lifetimes `_negative_log_likelihood`):
/// ```text
/// ll = A1 + A2 + ln(e^A3 + [x > 0] e^A4)
/// A1 = lnG(r + x) - lnG(r) + r ln(alpha)
/// A2 = lnG(a + b) + lnG(b + x) - lnG(b) - lnG(a + b + x)
/// A3 = -(r + x) ln(alpha + T)
/// A4 = ln(a) - ln(b + x - 1) - (r + x) ln(alpha + t_x)
/// ```
/// With w3, w4 the shares of e^A3 and e^A4 in their sum, the gradient is
/// ```text
/// d/dr     = psi(r + x) - psi(r) + ln(alpha) - w3 ln(alpha + T) - w4 ln(alpha + t_x)
/// d/dalpha = r / alpha - (r + x) (w3 / (alpha + T) + w4 / (alpha + t_x))
/// d/da     = psi(a + b) - psi(a + b + x) + w4 / a
/// d/db     = psi(a + b) + psi(b + x) - psi(b) - psi(a + b + x) - w4 / (b + x - 1)
/// ```
/// and d/d(log theta) = theta d/dtheta. lifetimes fits with time rescaled so the largest T is 1,
/// so its penalty applies to alpha in that unit: here `alpha_scale * alpha` (1 / largest T).
///
/// MBG/NBD (Batislam, Denizel & Filiztekin 2007; lifetimes `ModifiedBetaGeoFitter`) lets a
/// customer drop out at time 0 too, before any repeat purchase: its likelihood is the one above
/// with `b + x` and `a + b + x` in A2 shifted by one (`b + x + 1`, `a + b + x + 1`), and A4 =
/// ln(a) - ln(b + x) - (r + x) ln(alpha + t_x) for every customer, x = 0 included. `shift` is
/// that one (0 for BG/NBD); the gradient is the same with the same shifts.
pub(in crate::value) struct LogLik {
    /// Distinct frequencies > 0 and the number of customers with each (A1, A2 depend on x only).
    xs: Vec<(f64, f64)>,
    x: Vec<f64>,
    n: Vec<f64>,
    /// Each triple's T and t_x as an index into the distinct values below: logs and
    /// reciprocals of alpha + T are taken once per distinct value, not once per triple.
    t_idx: Vec<u32>,
    tx_idx: Vec<u32>,
    /// Each triple's x as an index into the distinct x values (`u32::MAX` for x = 0).
    x_idx: Vec<u32>,
    t_vals: Vec<f64>,
    tx_vals: Vec<f64>,
    x_vals: Vec<f64>,
    total: f64,
    penalizer: f64,
    alpha_scale: f64,
    /// 0 for BG/NBD, 1 for MBG/NBD (see the type's note).
    shift: f64,
}

/// Distinct values of `v` (sorted) and each element's index among them.
fn index(v: &[f64]) -> (Vec<f64>, Vec<u32>) {
    let mut vals: Vec<f64> = v.to_vec();
    vals.sort_by(f64::total_cmp);
    vals.dedup();
    let idx = v
        .iter()
        .map(|x| vals.partition_point(|y| y < x) as u32)
        .collect();
    (vals, idx)
}

/// Per-evaluation tables of the distinct values.
struct Tables {
    ln_t: Vec<f64>,
    inv_t: Vec<f64>,
    ln_tx: Vec<f64>,
    inv_tx: Vec<f64>,
    /// ln(b + x - 1 + shift) and 1 / (b + x - 1 + shift) per distinct x
    ln_bx: Vec<f64>,
    inv_bx: Vec<f64>,
}

/// Triples per thread below which the sum runs on one thread.
const PARALLEL_ABOVE: usize = 50_000;

impl LogLik {
    pub(in crate::value) fn new(d: &Triples, penalizer: f64, alpha_scale: f64) -> LogLik {
        Self::shifted(d, penalizer, alpha_scale, 0.0)
    }

    /// The MBG/NBD likelihood (`shift` 1; see the type's note).
    pub(in crate::value) fn modified(d: &Triples, penalizer: f64, alpha_scale: f64) -> LogLik {
        Self::shifted(d, penalizer, alpha_scale, 1.0)
    }

    fn shifted(d: &Triples, penalizer: f64, alpha_scale: f64, shift: f64) -> LogLik {
        // BG/NBD: a customer without repeat purchases has A2 = 0 and no A4; MBG/NBD: every one
        // has both
        let with_a4 = |x: f64| x > 0.0 || shift > 0.0;
        let mut by_x: BTreeMap<u64, f64> = BTreeMap::new();
        for (x, n) in d.x.iter().zip(&d.n) {
            if with_a4(*x) {
                *by_x.entry(x.to_bits()).or_default() += n;
            }
        }
        let (t_vals, t_idx) = index(&d.t);
        let (tx_vals, tx_idx) = index(&d.t_x);
        let (x_vals, x_idx) = index(&d.x);
        let x_idx = x_idx
            .into_iter()
            .zip(&d.x)
            .map(|(i, x)| if with_a4(*x) { i } else { u32::MAX })
            .collect();
        LogLik {
            xs: by_x
                .into_iter()
                .map(|(x, n)| (f64::from_bits(x), n))
                .collect(),
            x: d.x.clone(),
            n: d.n.clone(),
            t_idx,
            tx_idx,
            x_idx,
            t_vals,
            tx_vals,
            x_vals,
            total: d.customers(),
            penalizer,
            alpha_scale,
            shift,
        }
    }

    /// Sum of n * ll and its gradient in the natural parameters (r, alpha, a, b).
    fn ll_grad(&self, p: [f64; 4]) -> (f64, [f64; 4]) {
        let [r, al, a, b] = p;
        let (lg_r, lg_b, lg_ab) = (ln_gamma(r), ln_gamma(b), ln_gamma(a + b));
        let (dg_r, dg_b, dg_ab) = (digamma(r), digamma(b), digamma(a + b));
        let (mut ll, mut g) = (0.0, [0.0; 4]);
        for &(x, w) in &self.xs {
            let (bx, abx) = (b + x + self.shift, a + b + x + self.shift);
            let (lg_abx, dg_abx) = (ln_gamma(abx), digamma(abx));
            ll += w * (ln_gamma(r + x) - lg_r + lg_ab + ln_gamma(bx) - lg_b - lg_abx);
            g[0] += w * (digamma(r + x) - dg_r);
            g[2] += w * (dg_ab - dg_abx);
            g[3] += w * (dg_ab + digamma(bx) - dg_b - dg_abx);
        }
        let ln_al = al.ln();
        ll += self.total * r * ln_al;
        g[0] += self.total * ln_al;
        g[1] += self.total * r / al;
        let tables = Tables {
            ln_t: self.t_vals.iter().map(|t| (al + t).ln()).collect(),
            inv_t: self.t_vals.iter().map(|t| 1.0 / (al + t)).collect(),
            ln_tx: self.tx_vals.iter().map(|t| (al + t).ln()).collect(),
            inv_tx: self.tx_vals.iter().map(|t| 1.0 / (al + t)).collect(),
            ln_bx: self
                .x_vals
                .iter()
                .map(|x| (b + x - 1.0 + self.shift).ln())
                .collect(),
            inv_bx: self
                .x_vals
                .iter()
                .map(|x| 1.0 / (b + x - 1.0 + self.shift))
                .collect(),
        };
        let len = self.x.len();
        let parts: Vec<(f64, [f64; 4])> = if len > 2 * PARALLEL_ABOVE {
            let mid = len / 2;
            std::thread::scope(|sc| {
                let h = sc.spawn(|| self.sum_range(0..mid, p, &tables));
                let second = self.sum_range(mid..len, p, &tables);
                vec![h.join().unwrap_or((f64::NAN, [f64::NAN; 4])), second]
            })
        } else {
            vec![self.sum_range(0..len, p, &tables)]
        };
        for (l, gg) in parts {
            ll += l;
            for k in 0..4 {
                g[k] += gg[k];
            }
        }
        (ll, g)
    }

    /// The per-triple terms A3/A4 over `range` (see the type's formulas).
    fn sum_range(
        &self,
        range: std::ops::Range<usize>,
        p: [f64; 4],
        tb: &Tables,
    ) -> (f64, [f64; 4]) {
        let [r, _, a, _] = p;
        let ln_a = a.ln();
        let (mut ll, mut g) = (0.0, [0.0; 4]);
        for i in range {
            let (x, n) = (self.x[i], self.n[i]);
            let (ti, txi) = (self.t_idx[i] as usize, self.tx_idx[i] as usize);
            let l_t = tb.ln_t[ti];
            let a3 = -(r + x) * l_t;
            let xi = self.x_idx[i];
            if xi != u32::MAX {
                let xi = xi as usize;
                let l_tx = tb.ln_tx[txi];
                let a4 = ln_a - tb.ln_bx[xi] - (r + x) * l_tx;
                // log-sum-exp of A3 and A4: one exp and one ln_1p
                let (m, d) = if a3 >= a4 {
                    (a3, a4 - a3)
                } else {
                    (a4, a3 - a4)
                };
                let e = d.exp();
                let (w_big, w_small) = (1.0 / (1.0 + e), e / (1.0 + e));
                let (w3, w4) = if a3 >= a4 {
                    (w_big, w_small)
                } else {
                    (w_small, w_big)
                };
                ll += n * (m + e.ln_1p());
                g[0] -= n * (w3 * l_t + w4 * l_tx);
                g[1] -= n * (r + x) * (w3 * tb.inv_t[ti] + w4 * tb.inv_tx[txi]);
                g[2] += n * w4 / a;
                g[3] -= n * w4 * tb.inv_bx[xi];
            } else {
                ll += n * a3;
                g[0] -= n * l_t;
                g[1] -= n * r * tb.inv_t[ti];
            }
        }
        (ll, g)
    }

    /// Unpenalized log-likelihood sum n * ll at log-parameters `lp`.
    pub(in crate::value) fn log_likelihood(&self, lp: &[f64]) -> f64 {
        self.ll_grad(params(lp)).0
    }
}

fn params(lp: &[f64]) -> [f64; 4] {
    let mut p = [f64::NAN; 4];
    for (p, l) in p.iter_mut().zip(lp) {
        *p = l.exp();
    }
    p
}

impl Objective for LogLik {
    fn names(&self) -> Vec<&'static str> {
        vec!["log r", "log alpha", "log a", "log b"]
    }

    fn value_grad(&self, lp: &[f64]) -> (f64, Vec<f64>) {
        let p = params(lp);
        if !p.iter().all(|v| v.is_finite() && *v > 0.0) {
            return (f64::INFINITY, vec![0.0; 4]);
        }
        let (ll, g) = self.ll_grad(p);
        // the penalised parameters: alpha in lifetimes' rescaled time
        let mut q = p;
        q[1] *= self.alpha_scale;
        let pen: f64 = q.iter().map(|v| v * v).sum();
        let value = -ll / self.total + self.penalizer * pen;
        let grad = (0..4)
            .map(|i| -p[i] * g[i] / self.total + 2.0 * self.penalizer * q[i] * q[i])
            .collect();
        (value, grad)
    }
}

/// Expected purchases in (0, t] of a customer alive now, with purchase rate ~ Gamma(r, alpha)
/// and drop-out probability ~ Beta(a, b): E_p[(1 - (1 + p t / alpha)^-r) / p].
///
/// The closed form (Fader, Hardie & Lee 2005, eq. 9) is
/// `(a + b - 1) / (a - 1) * (1 - (alpha / (alpha + t))^r * 2F1(r, b; a + b - 1; z))`,
/// `z = t / (alpha + t)`, used through [`ln_hyp2f1`] when c = a + b - 1 > 0 and the bracket is
/// not a near-cancellation (a close to 1, or t small). Otherwise (c <= 0 included, where
/// `ln_hyp2f1` is undefined, and a = 1, where the closed form is 0/0) [`expected_alive_series`]
/// sums the same quantity as a series of positive terms. NaN for t < 0 or an unusable z.
pub(in crate::value) fn expected_alive(r: f64, alpha: f64, a: f64, b: f64, t: f64) -> f64 {
    expected_alive_with(&mut Hyp2f1::new(r, b, a + b - 1.0), r, alpha, a, b, t)
}

/// [`expected_alive`] with `h` = 2F1(r, b; a + b - 1; ·) given, and kept for the next call
/// with the same r, a, b (only alpha and t change): the same number, computed faster.
pub(in crate::value) fn expected_alive_with(
    h: &mut Hyp2f1,
    r: f64,
    alpha: f64,
    a: f64,
    b: f64,
    t: f64,
) -> f64 {
    if t == 0.0 {
        return 0.0;
    }
    if t.is_nan() || t < 0.0 {
        return f64::NAN;
    }
    let z = t / (alpha + t);
    let ln_1mz = (alpha / (alpha + t)).ln();
    let c = a + b - 1.0;
    if c > 0.0 {
        let bracket = -(h.ln_at(z) + r * ln_1mz).exp_m1();
        let v = c / (a - 1.0) * bracket;
        if bracket.abs() >= 0.05 && v.is_finite() {
            return v;
        }
    }
    expected_alive_series(r, a, b, z, ln_1mz)
}

/// [`expected_alive`] of rate Gamma(r, alpha + T) and drop-out Beta(a, b) for every age T of
/// `ts` and horizon of `horizons`, row (T) after row: one 2F1(r, b; a + b - 1; ·) serves them
/// all (the rows of `PurchaseModel::if_alive_rows` for BG/NBD and MBG/NBD).
pub(in crate::value) fn expected_alive_rows(
    (r, alpha, a, b): (f64, f64, f64, f64),
    ts: &[f64],
    horizons: &[f64],
) -> Vec<f64> {
    let mut h = Hyp2f1::new(r, b, a + b - 1.0);
    let mut out = Vec::with_capacity(ts.len() * horizons.len());
    for t in ts {
        for hz in horizons {
            out.push(expected_alive_with(&mut h, r, alpha + t, a, b, *hz));
        }
    }
    out
}

/// The same expectation as a series of positive terms, valid for every r, a, b > 0:
/// writing q = 1 - p and `(1 + p t/alpha)^-r = (1 - z)^r (1 - z q)^-r`,
/// ```text
/// (1 - (1 + p t/alpha)^-r) / p = (1 - z)^r sum_{k>=1} (r)_k z^k / k! * (1 - q^k) / (1 - q)
/// M = (1 - z)^r sum_{k>=1} (r)_k z^k / k! * S_k,   S_k = sum_{j<k} E[q^j] = sum_{j<k} (b)_j / (a + b)_j
/// ```
/// Terms are summed relative to a running scale (so r + x in the hundreds neither overflows
/// nor underflows). Term ratios are bounded by z (r + k) / k, which bounds the tail. NaN if
/// more than `MAX_TERMS` terms would be needed (z within about 1e-7 of 1).
pub(super) fn expected_alive_series(r: f64, a: f64, b: f64, z: f64, ln_1mz: f64) -> f64 {
    const MAX_TERMS: usize = 20_000_000;
    const BIG: f64 = 1e200;
    if z <= 0.0 {
        return 0.0;
    }
    // value = exp(shift) * sum; the first term (k = 1) is r z (1 - z)^r * S_1, S_1 = 1
    let mut shift = r * ln_1mz + (r * z).ln();
    let (mut t, mut s_k, mut m, mut sum) = (1.0_f64, 1.0_f64, 1.0_f64, 0.0_f64);
    for k in 1..=MAX_TERMS {
        let kf = k as f64;
        let term = t * s_k;
        sum += term;
        let rho = z * (r + kf) / kf;
        if rho < 1.0 && term * rho / (1.0 - rho) <= 1e-17 * sum {
            return (shift + sum.ln()).exp();
        }
        t *= (r + kf) * z / (kf + 1.0);
        m *= (b + kf - 1.0) / (a + b + kf - 1.0);
        s_k += m;
        if t > BIG {
            t /= BIG;
            sum /= BIG;
            shift += BIG.ln();
        }
    }
    f64::NAN
}
