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
