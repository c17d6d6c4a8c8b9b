use linfa::DatasetBase;
use linfa_logistic::LogisticRegression;
use ndarray::{Array2, ShapeBuilder};
use rand::{RngExt, SeedableRng};

use super::*;

/// A column-major design: standardised numbers, 0/1 indicator columns and a skewed column,
/// with outcomes from a logistic model on some of them (`bias` moves the share of `true`).
fn design(n: usize, p: usize, bias: f64, seed: u64) -> (Array2<f64>, Array1<bool>) {
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let mut x = Array2::zeros((n, p).f());
    for j in 0..p {
        for i in 0..n {
            x[(i, j)] = match j % 3 {
                0 => rng.random::<f64>() * 2.0 - 1.0,
                1 => f64::from(u8::from(rng.random::<f64>() < 0.3)),
                _ => (rng.random::<f64>() * 3.0).exp() / 5.0,
            };
        }
    }
    let y = (0..n)
        .map(|i| {
            let z = bias + x[(i, 0)] - 0.7 * x[(i, 1 % p)] + 0.2 * x[(i, 2 % p)];
            rng.random::<f64>() < 1.0 / (1.0 + (-z).exp())
        })
        .collect();
    (x, y)
}

fn bits(v: impl IntoIterator<Item = f64>) -> Vec<u64> {
    v.into_iter().map(f64::to_bits).collect()
}

/// linfa-logistic's fit, in the log-odds of `true`.
fn linfa_fit(x: &Array2<f64>, y: &Array1<bool>, alpha: f64, tol: f64) -> (f64, Vec<f64>) {
    let ds = DatasetBase::new(x.view(), y.clone());
    let m = LogisticRegression::default()
        .alpha(alpha)
        .max_iterations(300)
        .gradient_tolerance(tol)
        .fit(&ds)
        .unwrap();
    let sign = if m.labels().pos.class { 1.0 } else { -1.0 };
    (
        sign * m.intercept(),
        m.params().iter().map(|w| sign * w).collect(),
    )
}

#[test]
fn fit_equals_linfa_logistic_to_the_last_bit() {
    // rows not a multiple of the kernel's 8 nor of BLOCK_ROWS; more than 256 columns (two
    // depth blocks); either class the majority; with and without the penalty
    let cases = [
        (3_001, 12, -1.0, 1.0),
        (5_000, 7, 1.2, 1.0),
        (1_003, 300, 0.0, 1.0),
        (4_099, 30, -0.4, 0.0),
        (257, 5, 0.3, 10.0),
    ];
    for (seed, (n, p, bias, alpha)) in cases.into_iter().enumerate() {
        let (x, y) = design(n, p, bias, seed as u64);
        let tol = 1e-6 * n as f64;
        let got = LogisticParams {
            alpha,
            max_iterations: 300,
            gradient_tolerance: tol,
        }
        .fit(&DatasetBase::new(x.view(), y.clone()))
        .unwrap();
        let (b, w) = linfa_fit(&x, &y, alpha, tol);
        // a real fit: the first column's true effect is 1
        assert!(got.weights[0] > 0.5, "{n} x {p}: {:?}", &got.weights[..3]);
        assert_eq!(got.intercept.to_bits(), b.to_bits(), "{n} x {p}: intercept");
        assert_eq!(bits(got.weights.clone()), bits(w), "{n} x {p}: weights");
    }
}

#[test]
fn a_tie_of_classes_is_oriented_as_linfa() {
    // as many true as false: linfa-logistic models the class it saw first
    let (x, _) = design(400, 4, 0.0, 9);
    for first in [true, false] {
        let y: Array1<bool> = (0..400).map(|i| (i % 2 == 0) == first).collect();
        let got = LogisticParams {
            alpha: 1.0,
            max_iterations: 300,
            gradient_tolerance: 1e-4,
        }
        .fit(&DatasetBase::new(x.view(), y.clone()))
        .unwrap();
        let (b, w) = linfa_fit(&x, &y, 1.0, 1e-4);
        assert_eq!(got.intercept.to_bits(), b.to_bits());
        assert_eq!(bits(got.weights), bits(w));
    }
}

#[test]
fn margins_sum_as_one_chain_per_depth_block() {
    let (x, _) = design(2_500, 520, 0.0, 4);
    let w: Array1<f64> = (0..520).map(|j| (j as f64 * 0.37).sin()).collect();
    let data = x.t().to_slice().unwrap().to_vec();
    let cols: Vec<&[f64]> = data.chunks(2_500).collect();
    for fused in [true, false] {
        let mut got = vec![0.0; 2_500];
        let mut acc = vec![0.0; 2_500];
        margins(&cols, w.view(), 0, &mut got, &mut acc, fused);
        for i in [0, 7, 2_047, 2_048, 2_499] {
            let mut total = 0.0f64;
            for k0 in (0..520).step_by(DEPTH_BLOCK) {
                let mut chain = 0.0f64;
                for k in k0..520.min(k0 + DEPTH_BLOCK) {
                    chain = if fused {
                        x[(i, k)].mul_add(w[k], chain)
                    } else {
                        chain + x[(i, k)] * w[k]
                    };
                }
                total = if k0 == 0 {
                    chain + 0.0
                } else {
                    total + (chain + 0.0)
                };
            }
            assert_eq!(got[i].to_bits(), total.to_bits(), "row {i}, fused {fused}");
        }
    }
}

#[test]
fn one_class_or_bad_values_are_errors_not_panics() {
    let (mut x, y) = design(50, 3, 0.0, 1);
    let one = Array1::from_elem(50, true);
    let params = LogisticParams {
        alpha: 1.0,
        max_iterations: 10,
        gradient_tolerance: 1e-4,
    };
    assert!(params.fit(&DatasetBase::new(x.view(), one)).is_err());
    x[(3, 1)] = f64::NAN;
    assert!(params.fit(&DatasetBase::new(x.view(), y)).is_err());
}
