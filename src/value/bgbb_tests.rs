//! BG/BB against Fader, Hardie & Shang (2010): the 1995 cohort of a non-profit's donors
//! (11,104 people, 6 yearly donation occasions 1996-2001), whose published estimates are
//! alpha 1.204, beta 0.750, gamma 0.657, delta 2.783 (log-likelihood -33,225.6). The data are
//! lifetimes 0.11.3's `datasets/donations.csv` (frequency, recency, periods, weights), the
//! paper's Table 1 in recency/frequency form, kept in `tests/reference` with its source. The predictions are
//! checked against lifetimes' `BetaGeoBetaBinomFitter` at its fit (alpha 1.2035223936080381,
//! beta 0.7497163581757634, gamma 0.6567181695499512, delta 2.7834419828876076).

use super::*;
use crate::value::optim::tests::{assert_gradient_matches, assert_standard_errors, given};

/// The donations as `tests/reference/donations.csv` holds them (frequency, recency,
/// periods, weights).
fn donations() -> Histories {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/reference/donations.csv");
    let text = std::fs::read_to_string(path).expect("the donations fixture");
    let mut h = Histories::default();
    for line in text.lines().skip(1) {
        let v: Vec<f64> = line
            .split(',')
            .map(|f| f.parse().expect("a number"))
            .collect();
        h.x.push(v[0] as u32);
        h.t_x.push(v[1] as u32);
        h.n.push(v[2] as u32);
        h.count.push(v[3]);
    }
    assert_eq!(h.count.iter().sum::<f64>(), 11_104.0);
    h
}

fn lifetimes_fit() -> BgBb {
    BgBb {
        alpha: 1.2035223936080381,
        beta: 0.7497163581757634,
        gamma: 0.6567181695499512,
        delta: 2.7834419828876076,
        log_likelihood: f64::NAN,
        customers: 11_104.0,
        convergence: given(),
        uncertainty: None,
    }
}

fn rel(got: f64, want: f64) -> f64 {
    ((got - want) / want).abs()
}

#[test]
fn donations_give_the_published_parameters() -> Result<()> {
    let m = fit(&donations())?;
    assert!(m.convergence.converged, "{m:?}");
    for (got, want) in [
        (m.alpha, 1.204),
        (m.beta, 0.750),
        (m.gamma, 0.657),
        (m.delta, 2.783),
    ] {
        assert!(rel(got, want) < 0.01, "{got} vs published {want} ({m:?})");
    }
    // lifetimes' estimate to 4 significant figures, and the published log-likelihood
    let l = lifetimes_fit();
    for (got, want) in [
        (m.alpha, l.alpha),
        (m.beta, l.beta),
        (m.gamma, l.gamma),
        (m.delta, l.delta),
    ] {
        assert!(rel(got, want) < 5e-4, "{got} vs lifetimes {want}");
    }
    assert!(
        (m.log_likelihood - -33_225.58).abs() < 0.05,
        "{}",
        m.log_likelihood
    );
    assert_eq!(m.customers, 11_104.0);
    Ok(())
}

/// P(alive next occasion), expected donations in the next 5 occasions and the model's
/// frequency distribution equal lifetimes' at its parameters to 1e-9.
#[test]
fn predictions_equal_lifetimes() {
    let m = lifetimes_fit();
    let donors = [(0, 0), (1, 1), (3, 5), (6, 6)];
    let p_alive = [
        0.10813327510958216,
        0.06946180501686049,
        0.7668260001149803,
        0.930433577508695,
    ];
    let next5 = [
        0.07286333894085113,
        0.08569570763928568,
        1.804702963218531,
        3.7525442466077985,
    ];
    for (((x, tx), p), e) in donors.into_iter().zip(p_alive).zip(next5) {
        assert!(rel(m.p_alive(1, x, tx, 6), p) < 1e-9, "p_alive {x} {tx}");
        assert!(
            rel(m.expected_purchases(5, x, tx, 6), e) < 1e-9,
            "next 5 {x} {tx}"
        );
    }
    let lifetimes_counts = [
        3454.8819794154397,
        1888.6543427566319,
        1348.8823303701517,
        1113.378533281444,
        1017.9224125512334,
        1027.166049034031,
        1253.1143525910882,
    ];
    let dist = m.frequency_distribution(6);
    for (p, want) in dist.iter().zip(lifetimes_counts) {
        assert!(rel(p * 11_104.0, want) < 1e-9, "{} vs {want}", p * 11_104.0);
    }
    assert!((dist.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    // E[X(n)] is the mean of that distribution
    let mean: f64 = dist.iter().enumerate().map(|(x, p)| x as f64 * p).sum();
    assert!(rel(m.expected_unconditional(6), mean) < 1e-10);
}

#[test]
fn gradient_matches_finite_differences() {
    let h = donations();
    let obj = LogLik { h: &h };
    assert_gradient_matches(&obj, &[&[0.2, -0.3, -0.4, 1.0], &[-0.5, 0.6, 0.3, -0.2]]);
}

#[test]
fn impossible_histories_are_refused() {
    for (x, tx, n) in [(2, 1, 6), (1, 7, 6), (0, 3, 6), (0, 0, 0)] {
        let h = Histories {
            x: vec![x],
            t_x: vec![tx],
            n: vec![n],
            count: vec![1.0],
        };
        let e = fit(&h).unwrap_err().to_string();
        assert!(e.contains("not a valid history"), "{x} {tx} {n}: {e}");
    }
}

/// Laplace standard errors on the donations equal lifetimes' `standard_errors_` within 1%:
/// alpha 0.06939136218670106, beta 0.029447716220978113, gamma 0.051009850332857244,
/// delta 0.3208189394353982.
#[test]
fn standard_errors_equal_lifetimes() -> Result<()> {
    let m = fit(&donations())?;
    let want = [
        ("alpha", 0.06939136218670106),
        ("beta", 0.029447716220978113),
        ("gamma", 0.051009850332857244),
        ("delta", 0.3208189394353982),
    ];
    assert_standard_errors(m.uncertainty.as_ref(), &want, 0.01);
    Ok(())
}
