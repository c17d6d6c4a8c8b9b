use super::*;
use crate::value::optim::tests::given;
use crate::value::pareto_nbd::ParetoNbd;

fn bgnbd(r: f64, alpha: f64, a: f64, b: f64) -> Purchases {
    Purchases::Bgnbd(crate::value::bgnbd::tests::at(r, alpha, a, b))
}

fn mbgnbd(r: f64, alpha: f64, a: f64, b: f64) -> Purchases {
    let m = crate::value::bgnbd::tests::at(r, alpha, a, b);
    Purchases::Mbgnbd(crate::value::mbgnbd::MbgNbd {
        r: m.r,
        alpha: m.alpha,
        a: m.a,
        b: m.b,
        log_likelihood: f64::NAN,
        customers: 0.0,
        convergence: given(),
        uncertainty: None,
    })
}

fn pareto(r: f64, alpha: f64, s: f64, beta: f64) -> Purchases {
    Purchases::Pareto(ParetoNbd {
        r,
        alpha,
        s,
        beta,
        log_likelihood: 0.0,
        customers: 0.0,
        convergence: given(),
        uncertainty: None,
    })
}

/// CDNOW's published fits (Fader, Hardie & Lee 2005; Fader, Hardie & Lee 2005b), and one far
/// from them (fast buyers who leave fast), each at a short and a long age.
fn models() -> Vec<Purchases> {
    vec![
        bgnbd(0.243, 4.414, 0.793, 2.426),
        bgnbd(2.5, 0.3, 3.0, 1.5),
        mbgnbd(0.525, 6.183, 0.891, 1.614),
        mbgnbd(2.5, 0.3, 3.0, 1.5),
        pareto(0.553, 10.578, 0.606, 11.669),
        pareto(2.5, 0.3, 3.0, 1.5),
    ]
}

#[test]
fn bgnbd_matches_lifetimes_probability_of_n_purchases() {
    // lifetimes 0.11.3 BetaGeoFitter(r=0.243, alpha=4.414, a=0.793, b=2.426)
    //   .probability_of_n_purchases_up_to_time(39, n)
    let p = count_probabilities(&bgnbd(0.243, 4.414, 0.793, 2.426), 39.0, 6);
    for (x, want) in [
        (0, 0.5737863520960094),
        (1, 0.19939528083591135),
        (2, 0.08542975953906072),
        (5, 0.017965493866579044),
    ] {
        assert!((p[x] - want).abs() < 1e-12, "P(X = {x}) {} vs {want}", p[x]);
    }
}

#[test]
fn probabilities_sum_to_one_and_their_mean_is_the_models_expectation() {
    for m in models() {
        for t in [0.5, 10.0, 78.0, 400.0] {
            // far enough that the tail beyond is negligible for these parameters
            let p = count_probabilities(&m, t, 20_000);
            let total: f64 = p.iter().sum();
            let mean: f64 = p.iter().enumerate().map(|(x, p)| x as f64 * p).sum();
            let want = m.expected_unconditional(t);
            assert!(
                (total - 1.0).abs() < 1e-7,
                "{} t {t}: sum {total}",
                m.label()
            );
            assert!(
                (mean - want).abs() < 1e-6 * want.max(1.0),
                "{} t {t}: mean {mean} vs E[X(t)] {want}",
                m.label()
            );
            assert!(p.iter().all(|p| (-1e-12..=1.0).contains(p)));
        }
    }
}

#[test]
fn at_age_zero_nobody_has_bought_again() {
    for m in models() {
        let p = count_probabilities(&m, 0.0, 3);
        assert!((p[0] - 1.0).abs() < 1e-12, "{}: {p:?}", m.label());
        assert!(p[1].abs() < 1e-12 && p[2].abs() < 1e-12);
    }
}
