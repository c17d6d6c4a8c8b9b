//! Special functions the models need beyond statrs' `ln_gamma`/`digamma`: the Gaussian
//! hypergeometric function 2F1 for positive parameters, in log space so that large
//! frequencies (x in the hundreds) and arguments near 1 neither overflow nor lose precision.

/// ln 2F1(a, b; c; z) for a, b, c > 0 and 0 <= z < 1, summing the series
/// sum_k (a)_k (b)_k / ((c)_k k!) z^k term by term in log space (every term is positive).
/// Returns NaN when the arguments are outside that domain or the series needs more than
/// `MAX_TERMS` terms (z extremely close to 1).
pub fn ln_hyp2f1(a: f64, b: f64, c: f64, z: f64) -> f64 {
    Hyp2f1::new(a, b, c).ln_at(z)
}

/// Most terms [`Hyp2f1::ln_at`] sums.
const MAX_TERMS: usize = 2_000_000;

/// ln 2F1(a, b; c; ·) at many arguments z: the parts of each term that do not depend on z
/// (four logarithms per term) are computed once and kept, so a further z costs one `exp` per
/// term. Every z gives exactly what a fresh evaluation gives.
pub struct Hyp2f1 {
    a: f64,
    b: f64,
    c: f64,
    /// Term k (from 1): ln(a + k - 1) + ln(b + k - 1) - ln(c + k - 1) - ln(k), the log of
    /// the ratio of term k to term k - 1 without its factor z.
    step: Vec<f64>,
    /// Term k: (a + k)(b + k) / ((c + k)(k + 1)), the next ratio without its factor z.
    next: Vec<f64>,
}

impl Hyp2f1 {
    pub fn new(a: f64, b: f64, c: f64) -> Hyp2f1 {
        Hyp2f1 {
            a,
            b,
            c,
            step: Vec::new(),
            next: Vec::new(),
        }
    }

    /// The factors of term `k` (from 1), computed on first use.
    fn factors(&mut self, k: usize) -> (f64, f64) {
        while self.step.len() < k {
            let (a, b, c) = (self.a, self.b, self.c);
            let j = self.step.len() + 1;
            let (k1, kf) = ((j - 1) as f64, j as f64);
            self.step
                .push((a + k1).ln() + (b + k1).ln() - (c + k1).ln() - kf.ln());
            self.next
                .push((a + kf) * (b + kf) / ((c + kf) * (kf + 1.0)));
        }
        (self.step[k - 1], self.next[k - 1])
    }

    /// ln 2F1(a, b; c; z) (see [`ln_hyp2f1`]).
    pub fn ln_at(&mut self, z: f64) -> f64 {
        let (a, b, c) = (self.a, self.b, self.c);
        if !(a > 0.0 && b > 0.0 && c > 0.0 && (0.0..1.0).contains(&z)) {
            return f64::NAN;
        }
        if z == 0.0 {
            return 0.0;
        }
        let lz = z.ln();
        // running log-sum-exp: total = exp(m) * s
        let (mut m, mut s) = (0.0_f64, 1.0_f64);
        let mut lt = 0.0_f64;
        for k in 1..=MAX_TERMS {
            let (step, next) = self.factors(k);
            lt += step + lz;
            if lt > m {
                s = s * (m - lt).exp() + 1.0;
                m = lt;
            } else {
                s += (lt - m).exp();
            }
            // the ratio of consecutive terms tends to z < 1; once terms fall and are
            // negligible, the remaining tail is bounded by term * ratio / (1 - ratio). The
            // bound's log is at most ln(1e-17) = -39.14, so a term above e^-39 of the sum
            // cannot end the series and needs no logarithm.
            let ratio = next * z;
            if ratio < 1.0 && lt - m < -39.0 && lt - m < (1e-17 * (1.0 - ratio)).ln() {
                return m + s.ln();
            }
        }
        f64::NAN
    }
}

/// 2F1(a, b; c; z) (see [`ln_hyp2f1`]).
pub fn hyp2f1(a: f64, b: f64, c: f64, z: f64) -> f64 {
    ln_hyp2f1(a, b, c, z).exp()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, rel: f64) -> bool {
        (a - b).abs() <= rel * b.abs().max(1e-300)
    }

    #[test]
    fn matches_closed_forms() {
        // 2F1(1, 1; 2; z) = -ln(1 - z) / z
        for z in [0.1_f64, 0.5, 0.9, 0.99] {
            let want = -(1.0 - z).ln() / z;
            assert!(close(hyp2f1(1.0, 1.0, 2.0, z), want, 1e-12), "z={z}");
        }
        // 2F1(a, b; b; z) = (1 - z)^-a
        assert!(close(hyp2f1(2.5, 3.0, 3.0, 0.7), 0.3_f64.powf(-2.5), 1e-12));
        assert_eq!(hyp2f1(1.0, 2.0, 3.0, 0.0), 1.0);
    }

    #[test]
    fn large_parameters_stay_finite_in_log_space() {
        // x = 200 repeat purchases: 2F1(r+x, b+x; a+b+x-1; z) is astronomically large
        let l = ln_hyp2f1(200.24, 202.4, 202.2, 0.5);
        assert!(l.is_finite() && l > 100.0, "{l}");
        // (1 - z)^-a identity holds in log space too
        let l = ln_hyp2f1(300.0, 50.0, 50.0, 0.9);
        assert!(close(l, -300.0 * 0.1_f64.ln(), 1e-10), "{l}");
    }

    /// ln_hyp2f1 before the terms were kept (kam 0.1, issue 14): four logarithms per term.
    fn reference(a: f64, b: f64, c: f64, z: f64) -> f64 {
        if !(a > 0.0 && b > 0.0 && c > 0.0 && (0.0..1.0).contains(&z)) {
            return f64::NAN;
        }
        if z == 0.0 {
            return 0.0;
        }
        let lz = z.ln();
        let (mut m, mut s) = (0.0_f64, 1.0_f64);
        let mut lt = 0.0_f64;
        for k in 1..=MAX_TERMS {
            let k1 = (k - 1) as f64;
            lt += (a + k1).ln() + (b + k1).ln() - (c + k1).ln() - (k as f64).ln() + lz;
            if lt > m {
                s = s * (m - lt).exp() + 1.0;
                m = lt;
            } else {
                s += (lt - m).exp();
            }
            let ratio = (a + k as f64) * (b + k as f64) / ((c + k as f64) * (k as f64 + 1.0)) * z;
            if ratio < 1.0 && lt - m < (1e-17 * (1.0 - ratio)).ln() {
                return m + s.ln();
            }
        }
        f64::NAN
    }

    /// Kept terms change no bit: one `Hyp2f1` asked at many z, in rising and falling order,
    /// gives what the four-logarithm series gives, for small and large parameters.
    #[test]
    fn kept_terms_give_the_same_bits() {
        let zs = [0.3, 0.01, 0.9, 0.5, 0.999, 0.0, 0.7, 0.2];
        for (a, b, c) in [
            (0.24, 2.43, 2.22),
            (200.24, 202.4, 202.2),
            (1.0, 0.5, 1.5),
            (17.3, 25.1, 41.9),
        ] {
            let mut h = Hyp2f1::new(a, b, c);
            for z in zs {
                let (got, want) = (h.ln_at(z), reference(a, b, c, z));
                assert_eq!(
                    got.to_bits(),
                    want.to_bits(),
                    "{a} {b} {c} {z}: {got} {want}"
                );
            }
        }
    }

    #[test]
    fn outside_the_domain_is_nan() {
        assert!(ln_hyp2f1(1.0, 1.0, 2.0, 1.0).is_nan());
        assert!(ln_hyp2f1(-1.0, 1.0, 2.0, 0.5).is_nan());
    }
}
