//! The logistic churn model as a linfa model: L2-penalised logistic regression fitted exactly
//! as linfa-logistic 0.8 fits it (argmin's L-BFGS, memory 10, More-Thuente line search, the
//! same loss, gradient, labels and stopping rule), with the design's products computed faster.
//!
//! Why not linfa-logistic itself: its loss and gradient multiply the n x p design by the
//! weights as an (n x p) by (p x 1) matrix product, so at every evaluation matrixmultiply's
//! gemm packs the whole design (column-major, one memory stream per column) and computes four
//! output columns of which one is used; a profile of `kam churn` on 1M x 30 put 30% of the
//! CPU there. Here the margins are a column-by-column multiply-add over blocks of rows (one
//! stream at a time), computed once per point (argmin asks for the cost and then the gradient
//! of the same point, and L-BFGS the gradient again). Every number is the one linfa-logistic
//! computes, to the last bit: matrixmultiply's kernel sums each margin as one multiply-add
//! chain over the columns in blocks of 256 (fused when the CPU has FMA and AVX2, as its kernel
//! is chosen), and every other step calls the same ndarray operation linfa-logistic calls.
//! Tests compare the fitted coefficients with linfa-logistic's bit for bit.

use std::cell::RefCell;

use argmin::core::{CostFunction, Executor, Gradient, State};
use argmin::solver::linesearch::MoreThuenteLineSearch;
use argmin::solver::quasinewton::LBFGS;
use linfa::prelude::*;
use ndarray::{Array1, ArrayView1, ArrayView2, s};

use super::lbfgs_param::Param;
use crate::error::Error;

/// The settings of one fit (linfa-logistic's names).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LogisticParams {
    /// L2 penalty: loss = sum of log-losses + alpha/2 |w|^2 (the intercept is not penalised).
    pub alpha: f64,
    /// L-BFGS iterations at most.
    pub max_iterations: u64,
    /// Stop when the gradient's norm is below this.
    pub gradient_tolerance: f64,
}

/// A fitted model in the log-odds of `true`.
#[derive(Debug, Clone, PartialEq)]
pub struct FittedLogistic {
    pub intercept: f64,
    pub weights: Vec<f64>,
}

impl Fit<ArrayView2<'_, f64>, Array1<bool>, Error> for LogisticParams {
    type Object = FittedLogistic;

    fn fit(
        &self,
        ds: &DatasetBase<ArrayView2<'_, f64>, Array1<bool>>,
    ) -> Result<FittedLogistic, Error> {
        let (x, y) = (ds.records(), ds.targets());
        if x.nrows() != y.len() || x.nrows() == 0 {
            return Err(Error::Internal(format!(
                "logistic regression: {} rows of features, {} outcomes",
                x.nrows(),
                y.len()
            )));
        }
        if x.iter().any(|v| !v.is_finite()) {
            return Err(Error::Internal(
                "logistic regression: a feature value is not finite".into(),
            ));
        }
        let (majority, target) = targets(y)?;
        let p = x.ncols();
        let problem = Problem {
            x: x.view(),
            target,
            alpha: self.alpha,
            fused: fused_kernel(),
            margins: RefCell::new(None),
        };
        let solver = LBFGS::new(MoreThuenteLineSearch::new(), 10)
            .with_tolerance_grad(self.gradient_tolerance)
            .map_err(|e| Error::Internal(format!("logistic regression: {e}")))?;
        let init = Param(Array1::zeros(p + 1));
        let res = Executor::new(problem, solver)
            .configure(|state| state.param(init).max_iters(self.max_iterations))
            .run()
            .map_err(|e| Error::Internal(format!("logistic regression: {e}")))?;
        let w = res
            .state
            .get_best_param()
            .map(|b| b.0.clone())
            .unwrap_or_else(|| Array1::zeros(p + 1));
        // linfa-logistic models the log-odds of the more frequent class
        let sign = if majority { 1.0 } else { -1.0 };
        Ok(FittedLogistic {
            intercept: sign * w[p],
            weights: w.iter().take(p).map(|v| sign * v).collect(),
        })
    }
}

/// linfa-logistic's labels: +1 for the more frequent class (the first seen on a tie), -1 for
/// the other; returns that class and the labels.
fn targets(y: &Array1<bool>) -> Result<(bool, Array1<f64>), Error> {
    let first = y[0];
    let n_first = y.iter().filter(|v| **v == first).count();
    if n_first == y.len() {
        return Err(Error::Internal(
            "logistic regression: only one class in the outcomes".into(),
        ));
    }
    let majority = if n_first >= y.len() - n_first {
        first
    } else {
        !first
    };
    let mut t: Array1<f64> = y
        .iter()
        .map(|v| if *v == first { 1.0 } else { -1.0 })
        .collect();
    if majority != first {
        t *= -1.0;
    }
    Ok((majority, t))
}

/// Whether matrixmultiply 0.3 (no `avx512` feature) runs its fused multiply-add kernel here.
fn fused_kernel() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        std::is_x86_feature_detected!("fma") && std::is_x86_feature_detected!("avx2")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

/// The loss of linfa-logistic's binary problem over a column-major design.
struct Problem<'a> {
    x: ArrayView2<'a, f64>,
    target: Array1<f64>,
    alpha: f64,
    fused: bool,
    /// The last point asked for and its margins x.w + b.
    margins: RefCell<Option<(Array1<f64>, Array1<f64>)>>,
}

impl Problem<'_> {
    /// x.w + b at `w` (weights then intercept), remembered for the next call at the same point.
    fn margins(&self, w: &Array1<f64>) -> Array1<f64> {
        if let Some((at, z)) = self.margins.borrow().as_ref()
            && at == w
        {
            return z.clone();
        }
        let p = self.x.ncols();
        let mut z = matvec(&self.x, w.slice(s![..p]), self.fused);
        let b = w[p];
        z.mapv_inplace(|v| v + b);
        *self.margins.borrow_mut() = Some((w.clone(), z.clone()));
        z
    }
}

impl CostFunction for Problem<'_> {
    type Param = Param;
    type Output = f64;

    fn cost(&self, w: &Param) -> Result<f64, argmin::core::Error> {
        let p = self.x.ncols();
        let params = w.0.slice(s![..p]);
        let mut yz = self.margins(&w.0) * &self.target;
        yz.mapv_inplace(log_logistic);
        Ok(-yz.sum() + 0.5 * self.alpha * params.dot(&params))
    }
}

impl Gradient for Problem<'_> {
    type Param = Param;
    type Gradient = Param;

    fn gradient(&self, w: &Param) -> Result<Param, argmin::core::Error> {
        let p = self.x.ncols();
        let params = w.0.slice(s![..p]);
        let mut yz = self.margins(&w.0) * &self.target;
        yz.mapv_inplace(logistic);
        yz -= 1.0;
        yz *= &self.target;
        let mut grad = Array1::zeros(p + 1);
        grad.slice_mut(s![..p])
            .assign(&(self.x.t().dot(&yz) + (&params * self.alpha)));
        grad[p] = yz.sum();
        Ok(Param(grad))
    }
}

/// Rows per block of the margins: the block's sums stay in the first-level cache.
const BLOCK_ROWS: usize = 2048;
/// matrixmultiply's dgemm depth block (`D_KC`): each block of 256 columns is one chain, added to
/// the sum of the blocks before.
const DEPTH_BLOCK: usize = 256;

/// x.w for a column-major `x`, summed as matrixmultiply's dgemm kernel sums x.(w as p x 1).
fn matvec(x: &ArrayView2<'_, f64>, w: ArrayView1<'_, f64>, fused: bool) -> Array1<f64> {
    let (n, p) = x.dim();
    let cols: Vec<ArrayView1<'_, f64>> = (0..p).map(|j| x.column(j)).collect();
    let mut out = Array1::zeros(n);
    let mut acc = [0.0f64; BLOCK_ROWS];
    for r0 in (0..n).step_by(BLOCK_ROWS) {
        let len = BLOCK_ROWS.min(n - r0);
        let acc = &mut acc[..len];
        for k0 in (0..p).step_by(DEPTH_BLOCK) {
            acc.fill(0.0);
            for k in k0..p.min(k0 + DEPTH_BLOCK) {
                let col = cols[k].slice(s![r0..r0 + len]);
                let col = col
                    .as_slice()
                    .expect("a column of a column-major matrix is contiguous");
                chain_step(acc, col, w[k], fused);
            }
            // one output column is a masked tile: the kernel writes 1 x block + 0 to a buffer,
            // copied (first block) or added to the sum so far
            for (o, a) in out.slice_mut(s![r0..r0 + len]).iter_mut().zip(acc.iter()) {
                *o = if k0 == 0 { *a + 0.0 } else { *o + (*a + 0.0) };
            }
        }
    }
    out
}

/// acc += col * w, one multiply-add per element (fused or not, as the kernel).
fn chain_step(acc: &mut [f64], col: &[f64], w: f64, fused: bool) {
    if fused {
        fused_step(acc, col, w);
    } else {
        for (a, c) in acc.iter_mut().zip(col) {
            *a += c * w;
        }
    }
}

/// acc = fma(col, w, acc), compiled for AVX2 + FMA where the CPU has them (multiversion picks
/// the clone at run time; elsewhere `mul_add` is the exactly rounded library call).
#[multiversion::multiversion(targets("x86_64+avx2+fma"))]
fn fused_step(acc: &mut [f64], col: &[f64], w: f64) {
    for (a, c) in acc.iter_mut().zip(col) {
        *a = c.mul_add(w, *a);
    }
}

/// The logistic function.
fn logistic(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

/// log(logistic(x)), stable for large |x| (scikit-learn's form, as linfa-logistic).
fn log_logistic(x: f64) -> f64 {
    if x > 0.0 {
        -(1.0 + (-x).exp()).ln()
    } else {
        x - (1.0 + x.exp()).ln()
    }
}

#[cfg(test)]
#[path = "logistic_tests.rs"]
mod tests;
