use super::*;

/// f(x) = sum (x_i - i)^2
struct Bowl;
impl Objective for Bowl {
    fn names(&self) -> Vec<&'static str> {
        vec!["log a", "log b"]
    }
    fn value_grad(&self, x: &[f64]) -> (f64, Vec<f64>) {
        let v = x
            .iter()
            .enumerate()
            .map(|(i, v)| (v - i as f64).powi(2))
            .sum();
        (
            v,
            x.iter()
                .enumerate()
                .map(|(i, v)| 2.0 * (v - i as f64))
                .collect(),
        )
    }
}

/// f(x) = exp(-x0) + x1^2: no minimum in x0 (runs off to +inf)
struct Slope;
impl Objective for Slope {
    fn names(&self) -> Vec<&'static str> {
        vec!["log a", "log b"]
    }
    fn value_grad(&self, x: &[f64]) -> (f64, Vec<f64>) {
        (
            (-x[0]).exp() + x[1] * x[1],
            vec![-(-x[0]).exp(), 2.0 * x[1]],
        )
    }
}

#[test]
fn finds_the_bottom_of_a_bowl_from_every_start() -> Result<()> {
    let o = Options {
        starts: vec![vec![5.0, -3.0], vec![-1.0, 4.0]],
        ..Options::default()
    };
    let m = minimize(&Bowl, &o)?;
    assert!(m.convergence.converged, "{:?}", m.convergence);
    assert!((m.x[0]).abs() < 1e-6 && (m.x[1] - 1.0).abs() < 1e-6);
    assert_eq!(m.convergence.starts_agreeing, 2);
    Ok(())
}

#[test]
fn an_unbounded_direction_is_reported_not_returned_as_converged() -> Result<()> {
    let o = Options {
        starts: vec![vec![0.0, 1.0]],
        ..Options::default()
    };
    let m = minimize(&Slope, &o)?;
    assert!(!m.convergence.converged);
    assert!(
        m.convergence.reason.starts_with("did not converge"),
        "{}",
        m.convergence.reason
    );
    Ok(())
}

/// The Rosenbrock valley: L-BFGS needs dozens of iterations from (-1.2, 1).
struct Valley;
impl Objective for Valley {
    fn names(&self) -> Vec<&'static str> {
        vec!["log a", "log b"]
    }
    fn value_grad(&self, x: &[f64]) -> (f64, Vec<f64>) {
        let (a, b) = (1.0 - x[0], x[1] - x[0] * x[0]);
        (
            a * a + 100.0 * b * b,
            vec![-2.0 * a - 400.0 * x[0] * b, 200.0 * b],
        )
    }
}

#[test]
fn a_fit_stops_at_max_iters_and_says_so() -> Result<()> {
    let o = Options {
        starts: vec![vec![-1.2, 1.0]],
        max_iters: 3,
        ..Options::default()
    };
    let m = minimize(&Valley, &o)?;
    assert!(!m.convergence.converged);
    assert!(m.convergence.iterations <= 3);
    let why = &m.convergence.reason;
    assert!(
        why.contains("stopped after 3 iterations without settling"),
        "{why}"
    );
    Ok(())
}

/// The analytic gradient of `obj` equals central differences (step 1e-6, relative 1e-6) at
/// each point of `points`: the check every model's likelihood passes.
pub(crate) fn assert_gradient_matches(obj: &dyn Objective, points: &[&[f64]]) {
    for lp in points {
        let (_, g) = obj.value_grad(lp);
        for i in 0..lp.len() {
            let h = 1e-6;
            let (mut up, mut dn) = (lp.to_vec(), lp.to_vec());
            up[i] += h;
            dn[i] -= h;
            let fd = (obj.value_grad(&up).0 - obj.value_grad(&dn).0) / (2.0 * h);
            assert!(
                (fd - g[i]).abs() < 1e-6 * fd.abs().max(1.0),
                "parameter {i} at {lp:?}: {fd} by differences vs {} analytic",
                g[i]
            );
        }
    }
}

/// The report of a model put together at given parameters (predictions at published values).
pub(crate) fn given() -> Convergence {
    Convergence {
        converged: true,
        iterations: 0,
        gradient_norm: 0.0,
        starts: 0,
        starts_agreeing: 0,
        reason: "given".into(),
    }
}

/// `u` holds each standard error of `want` within relative `tol` (a converged fit must have
/// them).
pub(crate) fn assert_standard_errors(u: Option<&Uncertainty>, want: &[(&str, f64)], tol: f64) {
    let u = u.expect("a converged fit has standard errors");
    for (k, se) in want {
        let got = u.standard_errors[*k];
        assert!(((got - se) / se).abs() < tol, "{k}: {got} vs {se}");
    }
}
