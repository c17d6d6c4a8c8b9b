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
//! The solver works on a plain `Vec<f64>` with argmin-math's vector arithmetic (as the value
//! stage's fits), which takes the same steps as linfa-logistic's own parameter type. Tests
//! compare the fitted coefficients with linfa-logistic's bit for bit.

use std::cell::RefCell;

use argmin::core::{CostFunction, Executor, Gradient, State};
use argmin::solver::linesearch::MoreThuenteLineSearch;
use argmin::solver::quasinewton::LBFGS;
use linfa::prelude::*;
use ndarray::{Array1, ArrayView1, ArrayView2};

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
        let (n, p) = x.dim();
        let data = x.t().to_slice().ok_or_else(|| {
            Error::Internal("logistic regression: the design is not column-major".into())
        })?;
        let problem = Problem {
            cols: data.chunks(n).collect(),
            rows: n,
            target,
            alpha: self.alpha,
            fused: fused_kernel(),
            last: RefCell::new(None),
        };
        let solver = LBFGS::new(MoreThuenteLineSearch::new(), 10)
            .with_tolerance_grad(self.gradient_tolerance)
            .map_err(|e| Error::Internal(format!("logistic regression: {e}")))?;
        let init = vec![0.0; p + 1];
        let res = Executor::new(problem, solver)
            .configure(|state| state.param(init).max_iters(self.max_iterations))
            .run()
            .map_err(|e| Error::Internal(format!("logistic regression: {e}")))?;
        let w = res
            .state
            .get_best_param()
            .cloned()
            .unwrap_or_else(|| vec![0.0; p + 1]);
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
    /// The design's columns.
    cols: Vec<&'a [f64]>,
    rows: usize,
    target: Array1<f64>,
    alpha: f64,
    fused: bool,
    /// The last point asked for: argmin asks for its cost and then its gradient.
    last: RefCell<Option<Eval>>,
}

/// The loss and its gradient at one point (weights then intercept).
struct Eval {
    at: Vec<f64>,
    cost: f64,
    grad: Vec<f64>,
}

impl Problem<'_> {
    /// Cost and gradient at `w`, computed once per point.
    fn eval(&self, w: &[f64]) -> (f64, Vec<f64>) {
        if let Some(e) = self.last.borrow().as_ref()
            && e.at == w
        {
            return (e.cost, e.grad.clone());
        }
        let e = self.compute(w);
        let out = (e.cost, e.grad.clone());
        *self.last.borrow_mut() = Some(e);
        out
    }

    /// One pass over the design in blocks of rows: each block's margins, then (the block
    /// still in cache) its share of the gradient. Every sum is taken in linfa-logistic's order:
    /// the margins as matrixmultiply's kernel, the log-losses and residuals summed by
    /// ndarray's `sum`, and x'r per column in the eight running sums of ndarray's dot.
    fn compute(&self, w: &[f64]) -> Eval {
        let (n, p) = (self.rows, self.cols.len());
        let (params, b) = (ArrayView1::from(&w[..p]), w[p]);
        let t = &self.target;
        let block = block_rows(p);
        // rows below `whole` go to the eight running sums, the rest (at most 7) one by one
        let whole = n - n % 8;
        let (mut ll, mut r) = (vec![0.0; n], vec![0.0; n]);
        let mut lanes = vec![[0.0f64; 8]; p];
        let (mut z, mut acc) = (vec![0.0; block], vec![0.0; block]);
        for r0 in (0..n).step_by(block) {
            let len = block.min(n - r0);
            margins(
                &self.cols,
                params,
                r0,
                &mut z[..len],
                &mut acc[..len],
                self.fused,
            );
            for (i, zi) in (r0..r0 + len).zip(&z) {
                let yz = (zi + b) * t[i];
                ll[i] = log_logistic(yz);
                r[i] = (logistic(yz) - 1.0) * t[i];
            }
            let full = whole.saturating_sub(r0).min(len);
            residual_lanes(&self.cols, r0, &r[r0..r0 + full], &mut lanes);
        }
        let mut grad = vec![0.0; p + 1];
        for (k, l) in lanes.iter().enumerate() {
            let mut sum = 0.0;
            sum += l[0] + l[4];
            sum += l[1] + l[5];
            sum += l[2] + l[6];
            sum += l[3] + l[7];
            for (xi, ri) in self.cols[k][whole..].iter().zip(&r[whole..]) {
                sum += xi * ri;
            }
            grad[k] = sum + params[k] * self.alpha;
        }
        grad[p] = Array1::from(r).sum();
        Eval {
            at: w.to_vec(),
            cost: -Array1::from(ll).sum() + 0.5 * self.alpha * params.dot(&params),
            grad,
        }
    }
}

impl CostFunction for Problem<'_> {
    type Param = Vec<f64>;
    type Output = f64;

    fn cost(&self, w: &Vec<f64>) -> Result<f64, argmin::core::Error> {
        Ok(self.eval(w).0)
    }
}

impl Gradient for Problem<'_> {
    type Param = Vec<f64>;
    type Gradient = Vec<f64>;

    fn gradient(&self, w: &Vec<f64>) -> Result<Vec<f64>, argmin::core::Error> {
        Ok(self.eval(w).1)
    }
}

/// Rows per block: a multiple of 8 whose slice of the design (about 256 KB) stays in the
/// second-level cache between the margins and the gradient.
fn block_rows(p: usize) -> usize {
    let rows = (256 * 1024 / 8) / p.max(1);
    rows.clamp(64, 4096) / 8 * 8
}

/// matrixmultiply's dgemm depth block (`D_KC`): each block of 256 columns is one chain, added to
/// the sum of the blocks before.
const DEPTH_BLOCK: usize = 256;

/// z = x.w for rows `r0..r0 + z.len()`, summed as matrixmultiply's dgemm kernel sums
/// x.(w as p x 1): per depth block one multiply-add chain from 0 (`acc`); one output column
/// is a masked tile, so the kernel writes 1 x chain + 0 to a buffer that is copied (first
/// block) or added to the sum so far.
fn margins(
    cols: &[&[f64]],
    w: ArrayView1<'_, f64>,
    r0: usize,
    z: &mut [f64],
    acc: &mut [f64],
    fused: bool,
) {
    let len = z.len();
    for k0 in (0..cols.len()).step_by(DEPTH_BLOCK) {
        acc.fill(0.0);
        for k in k0..cols.len().min(k0 + DEPTH_BLOCK) {
            chain_step(acc, &cols[k][r0..r0 + len], w[k], fused);
        }
        for (o, a) in z.iter_mut().zip(acc.iter()) {
            *o = if k0 == 0 { *a + 0.0 } else { *o + (*a + 0.0) };
        }
    }
}

/// lanes[k][i % 8] += x[i, k] * r[i] for the block's rows from `r0` (`r.len()` a multiple of
/// 8): ndarray's dot keeps eight running sums (multiply, then add).
#[multiversion::multiversion(targets("x86_64+avx2+fma"))]
fn residual_lanes(cols: &[&[f64]], r0: usize, r: &[f64], lanes: &mut [[f64; 8]]) {
    for (col, lane) in cols.iter().zip(lanes.iter_mut()) {
        let col = &col[r0..r0 + r.len()];
        let mut l = *lane;
        for (cx, cr) in col.chunks_exact(8).zip(r.chunks_exact(8)) {
            for j in 0..8 {
                l[j] += cx[j] * cr[j];
            }
        }
        *lane = l;
    }
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
