//! Maximum likelihood by L-BFGS (argmin, More-Thuente line search) over unconstrained
//! parameters, from several starting points, with a convergence report in plain words.
//!
//! Models state their negative log-likelihood and its analytic gradient in log-parameters
//! (so every positive parameter stays positive); [`minimize`] runs each start, keeps the best
//! finite optimum and says whether it can be trusted. A fit that does not converge is never
//! returned silently: [`Convergence::converged`] is false and [`Convergence::reason`] says why.

use argmin::core::{CostFunction, Executor, Gradient, State, TerminationReason, TerminationStatus};
use argmin::solver::linesearch::MoreThuenteLineSearch;
use argmin::solver::quasinewton::LBFGS;
use std::collections::BTreeMap;

use linfa_linalg::cholesky::InverseC;
use ndarray::Array2;
use serde::Serialize;

use crate::error::{Error, Result};

/// A differentiable objective to minimise (a negative log-likelihood). `Sync` so that the
/// starting points run in parallel.
pub trait Objective: Sync {
    /// Names of the parameters, in order (for messages), e.g. `["log r", "log alpha", ...]`.
    fn names(&self) -> Vec<&'static str>;
    /// Value and gradient at `x`. A non-finite value marks `x` as outside the usable region.
    fn value_grad(&self, x: &[f64]) -> (f64, Vec<f64>);
}

/// How hard to try.
#[derive(Debug, Clone)]
pub struct Options {
    /// Starting points (unconstrained scale). At least one.
    pub starts: Vec<Vec<f64>>,
    pub max_iters: u64,
    /// L-BFGS stops when the gradient norm falls below this.
    pub tol_grad: f64,
    /// ... or when an iteration lowers the objective by less than this (0: never).
    pub tol_cost: f64,
    /// A converged optimum must have a gradient norm below this (absolute).
    pub accept_grad: f64,
    /// |x| beyond this (on the log scale: a parameter beyond e^bound or below e^-bound) means
    /// the likelihood is flat in that direction.
    pub bound: f64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            starts: vec![],
            max_iters: 2_000,
            tol_grad: 1e-8,
            tol_cost: 0.0,
            accept_grad: 1e-3,
            bound: 25.0,
        }
    }
}

/// What the optimiser did, for the model file and the user.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Convergence {
    pub converged: bool,
    /// Iterations of the best start.
    pub iterations: u64,
    pub gradient_norm: f64,
    pub starts: usize,
    /// Starts that reached the same optimum as the best (within 1e-6 relative in value).
    pub starts_agreeing: usize,
    /// Plain-words explanation: "converged", or why not.
    pub reason: String,
}

/// The best point found.
#[derive(Debug, Clone)]
pub struct Optimum {
    pub x: Vec<f64>,
    pub value: f64,
    pub convergence: Convergence,
}

/// The objective as argmin sees it. argmin asks for the cost and the gradient at the same
/// point separately; both come from one `value_grad` call, kept for the second request.
struct Problem<'a> {
    obj: &'a dyn Objective,
    last: std::cell::RefCell<Option<Evaluated>>,
}

/// A point with its value and gradient.
type Evaluated = (Vec<f64>, f64, Vec<f64>);

impl Problem<'_> {
    fn eval(&self, x: &[f64]) -> (f64, Vec<f64>) {
        if let Some((lx, v, g)) = self.last.borrow().as_ref()
            && lx.as_slice() == x
        {
            return (*v, g.clone());
        }
        let (v, g) = self.obj.value_grad(x);
        *self.last.borrow_mut() = Some((x.to_vec(), v, g.clone()));
        (v, g)
    }
}

impl CostFunction for Problem<'_> {
    type Param = Vec<f64>;
    type Output = f64;
    fn cost(&self, x: &Self::Param) -> std::result::Result<f64, argmin::core::Error> {
        Ok(self.eval(x).0)
    }
}

impl Gradient for Problem<'_> {
    type Param = Vec<f64>;
    type Gradient = Vec<f64>;
    fn gradient(&self, x: &Self::Param) -> std::result::Result<Vec<f64>, argmin::core::Error> {
        Ok(self.eval(x).1)
    }
}

fn norm(g: &[f64]) -> f64 {
    g.iter().map(|v| v * v).sum::<f64>().sqrt()
}

struct Run {
    x: Vec<f64>,
    value: f64,
    iterations: u64,
    status: String,
    solver_converged: bool,
}

fn run_one(obj: &dyn Objective, start: &[f64], o: &Options) -> Option<Run> {
    let (v0, _) = obj.value_grad(start);
    if !v0.is_finite() {
        return None;
    }
    let solver = LBFGS::new(MoreThuenteLineSearch::new(), 10)
        .with_tolerance_grad(o.tol_grad)
        .ok()?
        .with_tolerance_cost(o.tol_cost)
        .ok()?;
    let problem = Problem {
        obj,
        last: std::cell::RefCell::new(None),
    };
    let res = Executor::new(problem, solver)
        .configure(|s| s.param(start.to_vec()).max_iters(o.max_iters))
        .run()
        .ok()?;
    let state = res.state();
    let x = state.get_best_param()?.clone();
    let value = state.get_best_cost();
    let (solver_converged, status) = match state.get_termination_status() {
        TerminationStatus::Terminated(TerminationReason::SolverConverged) => {
            (true, "converged".to_string())
        }
        TerminationStatus::Terminated(TerminationReason::MaxItersReached) => (
            false,
            format!("stopped after {} iterations without settling", o.max_iters),
        ),
        TerminationStatus::Terminated(r) => (false, r.text().to_string()),
        TerminationStatus::NotTerminated => (false, "did not finish".to_string()),
    };
    Some(Run {
        x,
        value,
        iterations: state.get_iter(),
        status,
        solver_converged,
    })
}

/// Run every start (in parallel, on every core), keeping the finite results in start order.
fn run_starts(obj: &dyn Objective, starts: &[Vec<f64>], o: &Options) -> Vec<Run> {
    let results: Vec<Option<Run>> = crate::par::map_slice(starts, 1, |s| run_one(obj, s, o));
    results
        .into_iter()
        .flatten()
        .filter(|r| r.value.is_finite() && r.x.iter().all(|v| v.is_finite()))
        .collect()
}

/// Relative gain below which the polish of [`minimize_coarse_to_fine`] stops.
pub const POLISH_TOL_COST: f64 = 1e-13;

/// Minimise `fine` by running every start on the cheaper `coarse` objective (the same model on
/// coarsened data) and polishing the best coarse optimum on `fine`. The report counts the
/// iterations of both stages and the coarse starts that agree.
pub fn minimize_coarse_to_fine(
    coarse: &dyn Objective,
    fine: &dyn Objective,
    o: &Options,
) -> Result<Optimum> {
    // the coarse stage only has to find the basin: a looser stopping rule is enough
    let rough = Options {
        tol_grad: o.tol_grad.max(1e-5),
        ..o.clone()
    };
    let first = minimize(coarse, &rough)?;
    // at the noise floor of the sum (~1e-13 relative) line searches creep for hundreds of
    // evaluations without reaching tol_grad: stop when an iteration gains less than that
    let polish = Options {
        starts: vec![first.x.clone()],
        tol_cost: POLISH_TOL_COST * first.value.abs().max(1.0),
        ..o.clone()
    };
    let mut best = minimize(fine, &polish)?;
    best.convergence.iterations += first.convergence.iterations;
    best.convergence.starts = first.convergence.starts;
    best.convergence.starts_agreeing = first.convergence.starts_agreeing;
    Ok(best)
}

/// Minimise `obj` from every start; return the best finite optimum with its report.
pub fn minimize(obj: &dyn Objective, o: &Options) -> Result<Optimum> {
    if o.starts.is_empty() {
        return Err(Error::Internal("minimize needs at least one start".into()));
    }
    let runs: Vec<Run> = run_starts(obj, &o.starts, o);
    let Some(best) = runs.iter().min_by(|a, b| a.value.total_cmp(&b.value)) else {
        return Err(Error::validation(
            "model",
            "the likelihood could not be evaluated at any starting point (the data may be empty or degenerate)",
        ));
    };
    let (_, g) = obj.value_grad(&best.x);
    let gradient_norm = norm(&g);
    let agreeing = runs
        .iter()
        .filter(|r| (r.value - best.value).abs() <= 1e-6 * best.value.abs().max(1.0))
        .count();
    let names = obj.names();
    // A true optimum rises when any parameter moves by a factor e either way; a parameter
    // whose move does not raise the objective sits on a flat or unbounded ridge.
    let scale = best.value.abs().max(1.0);
    let flat = |i: usize| {
        [-1.0, 1.0].iter().any(|d| {
            let mut y = best.x.clone();
            y[i] += d;
            let v = obj.value_grad(&y).0;
            v.is_finite() && v <= best.value + 1e-10 * scale
        })
    };
    let runaway: Vec<String> = best
        .x
        .iter()
        .zip(&names)
        .enumerate()
        .filter(|(i, (v, _))| v.abs() > o.bound || flat(*i))
        .map(|(_, (v, n))| {
            format!(
                "{} drifted to {:.3e}",
                n.trim_start_matches("log "),
                v.exp()
            )
        })
        .collect();
    let (converged, reason) = if !runaway.is_empty() {
        (
            false,
            format!(
                "did not converge: {}; the likelihood is flat in that direction (too little information in the data to estimate it)",
                runaway.join(", ")
            ),
        )
    } else if gradient_norm > o.accept_grad {
        (
            false,
            format!(
                "did not converge: the optimiser {} with a gradient norm of {gradient_norm:.2e} at the best point (needs <= {:.0e})",
                best.status, o.accept_grad
            ),
        )
    } else if best.solver_converged {
        (true, "converged".to_string())
    } else {
        // The line search gave up where f64 cannot resolve smaller steps, at a point where
        // the gradient is already zero to working precision: an optimum.
        (true, "converged (to machine precision)".to_string())
    };
    Ok(Optimum {
        x: best.x.clone(),
        value: best.value,
        convergence: Convergence {
            converged,
            iterations: best.iterations,
            gradient_norm,
            starts: o.starts.len(),
            starts_agreeing: agreeing,
            reason,
        },
    })
}

/// How sure the fit is of its parameters (Laplace approximation): the inverse of the observed
/// information (the Hessian of the negative log-likelihood) at the optimum. Natural-scale
/// parameters from the log-scale fit by the delta method: cov(theta_i, theta_j) = theta_i
/// theta_j cov(log theta_i, log theta_j). The standard errors are lifetimes' `standard_errors_`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Uncertainty {
    /// Standard error of each parameter, by name.
    pub standard_errors: BTreeMap<String, f64>,
    /// Covariance of the parameters, by name and name.
    pub covariance: BTreeMap<String, BTreeMap<String, f64>>,
}

/// [`Uncertainty`] at log-parameters `x` of `obj`, a mean negative log-likelihood over
/// `customers` (the Hessian from central differences of the analytic gradient). `None` when
/// the Hessian is not positive definite there: the data do not pin every parameter down.
pub fn uncertainty(obj: &dyn Objective, x: &[f64], customers: f64) -> Option<Uncertainty> {
    let k = x.len();
    let h = 1e-5;
    let mut hess = Array2::<f64>::zeros((k, k));
    for j in 0..k {
        let (mut up, mut dn) = (x.to_vec(), x.to_vec());
        up[j] += h;
        dn[j] -= h;
        let (gu, gd) = (obj.value_grad(&up).1, obj.value_grad(&dn).1);
        for i in 0..k {
            hess[[i, j]] = (gu[i] - gd[i]) / (2.0 * h);
        }
    }
    let sym = (&hess + &hess.t()) / 2.0;
    let inv = sym.invc().ok()?;
    let names: Vec<String> = obj
        .names()
        .iter()
        .map(|n| n.trim_start_matches("log ").to_string())
        .collect();
    let theta: Vec<f64> = x.iter().map(|v| v.exp()).collect();
    // the inverse's two triangles agree to rounding: the covariance takes their mean
    let cov =
        |i: usize, j: usize| theta[i] * theta[j] * (inv[[i, j]] + inv[[j, i]]) / (2.0 * customers);
    let ok = (0..k).all(|i| cov(i, i).is_finite() && cov(i, i) > 0.0);
    ok.then(|| Uncertainty {
        standard_errors: (0..k)
            .map(|i| (names[i].clone(), cov(i, i).sqrt()))
            .collect(),
        covariance: (0..k)
            .map(|i| {
                let row = (0..k).map(|j| (names[j].clone(), cov(i, j))).collect();
                (names[i].clone(), row)
            })
            .collect(),
    })
}

#[cfg(test)]
#[path = "optim_tests.rs"]
pub(crate) mod tests;
