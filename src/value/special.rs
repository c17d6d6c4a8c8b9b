//! Special functions the models need beyond statrs' `ln_gamma`/`digamma`: the Gaussian
//! hypergeometric function 2F1 for positive parameters, in log space so that large
//! frequencies (x in the hundreds) and arguments near 1 neither overflow nor lose precision.

/// ln 2F1(a, b; c; z) for a, b, c > 0 and 0 <= z < 1, summing the series
/// sum_k (a)_k (b)_k / ((c)_k k!) z^k term by term in log space (every term is positive).
/// Returns NaN when the arguments are outside that domain or the series needs more than
/// `MAX_TERMS` terms (z extremely close to 1).
pub fn ln_hyp2f1(a: f64, b: f64, c: f64, z: f64) -> f64 {
    const MAX_TERMS: usize = 2_000_000;
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
        let k1 = (k - 1) as f64;
        lt += (a + k1).ln() + (b + k1).ln() - (c + k1).ln() - (k as f64).ln() + lz;
        if lt > m {
            s = s * (m - lt).exp() + 1.0;
            m = lt;
        } else {
            s += (lt - m).exp();
        }
        // the ratio of consecutive terms tends to z < 1; once terms fall and are negligible,
        // the remaining tail is bounded by term * ratio / (1 - ratio)
        let ratio = (a + k as f64) * (b + k as f64) / ((c + k as f64) * (k as f64 + 1.0)) * z;
        if ratio < 1.0 && lt - m < (1e-17 * (1.0 - ratio)).ln() {
            return m + s.ln();
        }
    }
    f64::NAN
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

    #[test]
    fn outside_the_domain_is_nan() {
        assert!(ln_hyp2f1(1.0, 1.0, 2.0, 1.0).is_nan());
        assert!(ln_hyp2f1(-1.0, 1.0, 2.0, 0.5).is_nan());
    }
}
