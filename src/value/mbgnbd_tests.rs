//! MBG/NBD against lifetimes 0.11.3's `ModifiedBetaGeoFitter` on CDNOW, and its likelihood's
//! gradient. Reference values from the peer virtualenv (`make-peer-venv`):
//! ```text
//! m = ModifiedBetaGeoFitter().fit(d["frequency"], d["recency"], d["T"])   # cdnow_customers_summary.csv
//! m.params_      # r 0.5248377255676623, alpha 6.182988479133949, a 0.8913562809311403, b 1.6140000256721425
//! m.conditional_probability_alive(x, t_x, T), m.conditional_expected_number_of_purchases_up_to_time(39, ...),
//! m.expected_number_of_purchases_up_to_time([1, 10, 39, 78])
//! ```
//! and the log-likelihood at lifetimes' parameters, in weeks, summed with numpy from its
//! `_negative_log_likelihood` terms: -9582.13268489992.

use super::*;
use crate::error::Result;
use crate::value::bgnbd::BgNbdParams;
use crate::value::bgnbd::math::LogLik;
use crate::value::bgnbd::tests::{GRADIENT_POINTS, cdnow, gradient_triples};
use crate::value::optim::tests::{assert_gradient_matches, assert_standard_errors, given};

/// lifetimes' estimate on CDNOW.
const LIFETIMES: [f64; 4] = [
    0.5248377255676623,
    6.182988479133949,
    0.8913562809311403,
    1.6140000256721425,
];

fn at([r, alpha, a, b]: [f64; 4]) -> MbgNbd {
    MbgNbd {
        r,
        alpha,
        a,
        b,
        log_likelihood: f64::NAN,
        customers: 0.0,
        convergence: given(),
        uncertainty: None,
    }
}

fn rel(got: f64, want: f64) -> f64 {
    ((got - want) / want).abs()
}

/// The fit equals lifetimes' to 4 significant figures (relative difference under 5e-5), and
/// its log-likelihood is at least lifetimes' (kam's optimiser stops at a smaller gradient).
#[test]
fn cdnow_fit_equals_lifetimes() -> Result<()> {
    let m = BgNbdParams { penalizer: 0.0 }
        .check()?
        .fit_modified(&cdnow()?.compress())?;
    assert!(m.convergence.converged, "{:?}", m.convergence);
    for (got, want) in [m.r, m.alpha, m.a, m.b].into_iter().zip(LIFETIMES) {
        assert!(rel(got, want) < 5e-5, "{got} vs lifetimes {want} ({m:?})");
    }
    assert!(m.log_likelihood >= -9582.13268489992 - 1e-9, "{m:?}");
    assert!(m.log_likelihood < -9582.13, "{m:?}");
    assert_eq!(m.customers, 2357.0);
    Ok(())
}

/// P(alive), conditional and unconditional expected purchases at lifetimes' parameters equal
/// lifetimes' to 1e-9 relative; a customer without repeat purchases may have left (p < 1).
#[test]
fn predictions_equal_lifetimes() {
    let m = at(LIFETIMES);
    let customers = [(0.0, 0.0, 38.86), (2.0, 30.43, 38.86), (7.0, 35.0, 38.86)];
    let p_alive = [0.38971644205016864, 0.7061262587154015, 0.8312109801022107];
    let in_39 = [0.15395364436667586, 1.2626707787139375, 4.227625573078062];
    for (((x, tx, t), p), e) in customers.into_iter().zip(p_alive).zip(in_39) {
        assert!(rel(m.p_alive(x, tx, t), p) < 1e-9, "p_alive {x}");
        assert!(
            rel(m.expected_purchases(39.0, x, tx, t), e) < 1e-9,
            "39 weeks {x}"
        );
    }
    let unconditional = [
        (1.0, 0.053060629447070545),
        (10.0, 0.43325287447598204),
        (39.0, 1.1822837952882788),
        (78.0, 1.8036361932918632),
    ];
    for (t, e) in unconditional {
        assert!(rel(m.expected_unconditional(t), e) < 1e-9, "E[X({t})]");
    }
    assert_eq!(m.expected_unconditional(0.0), 0.0);
}

/// The rows shared between ages and horizons equal the one-at-a-time expectation.
#[test]
fn if_alive_rows_equal_one_at_a_time() {
    let m = at(LIFETIMES);
    let (ts, hs) = ([10.0, 38.86, 77.0], [1.0, 39.0, 52.0]);
    for x in [0.0, 1.0, 9.0] {
        let rows = PurchaseModel::if_alive_rows(&m, x, &ts, &hs);
        let one: Vec<f64> = ts
            .iter()
            .flat_map(|t| hs.iter().map(move |h| (*t, *h)))
            .map(|(t, h)| m.expected_purchases_if_alive(h, x, t))
            .collect();
        for (a, b) in rows.iter().zip(&one) {
            assert!(rel(*a, *b) < 1e-12, "{a} vs {b}");
        }
    }
}

/// The analytic gradient of the MBG/NBD likelihood equals central differences, with and
/// without lifetimes' penalty, at two points.
#[test]
fn gradient_matches_finite_differences() -> Result<()> {
    let d = gradient_triples()?;
    for (pen, alpha_scale) in [(0.0, 1.0), (0.1, 1.0 / 31.0)] {
        let obj = LogLik::modified(&d, pen, alpha_scale);
        assert_gradient_matches(&obj, GRADIENT_POINTS);
    }
    Ok(())
}

/// Laplace standard errors on CDNOW equal lifetimes' `standard_errors_` within 1%:
/// r 0.08326394529766962, alpha 0.6955971916027849, a 0.15478532069900933,
/// b 0.5374723507888486.
#[test]
fn standard_errors_equal_lifetimes() -> Result<()> {
    let m = BgNbdParams { penalizer: 0.0 }
        .check()?
        .fit_modified(&cdnow()?.compress())?;
    let want = [
        ("r", 0.08326394529766962),
        ("alpha", 0.6955971916027849),
        ("a", 0.15478532069900933),
        ("b", 0.5374723507888486),
    ];
    assert_standard_errors(m.uncertainty.as_ref(), &want, 0.01);
    Ok(())
}
