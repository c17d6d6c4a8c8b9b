//! k-means: the customer segments, seeded so that the same data and seed give the same labels.
//!
//! Each restart starts from k-means++ and one m_k-means step computed as linfa-clustering's
//! `KMeans` with an iteration cap of 1 computes them, to the last bit ([`super::init`], tested
//! against linfa), then kam runs the remaining Lloyd iterations itself, because linfa's own
//! loop is too slow. 1,000,000 x 6 standardised rows, k = 8, one init, release, 2 cores, best
//! of 3 (`benches/compare_sklearn.py`; seconds, iterations, inertia):
//!
//! | data                | scikit-learn 1.9.1  | linfa 0.8.1 as-is  | kam (inertia vs sklearn)   |
//! |---------------------|---------------------|--------------------|----------------------------|
//! | 8 overlapping blobs | 0.39 s, 9 it.       | 0.78 s             | 0.31 s, 10 it., -0.00%     |
//! | skewed, RFM-like    | 0.58-0.63 s, 41 it. | 11.5 s (300 = cap) | 0.44-0.56 s, 38 it., +0.14% |
//!
//! Why linfa's loop is slow (perf, and linfa timed with caps of 1, 2, 11, 51, 300 iterations):
//! - it stops when the Euclidean centroid shift is below `tolerance` (absolute); scikit-learn
//!   stops when the squared shift is below `tol` x the mean column variance. With 1e-4 on
//!   standardised data linfa needs a 100x smaller shift: it runs to the cap on data without
//!   clear clusters;
//! - 90% of its time is `closest_centroid` calling ndarray-stats' generic, shape-checked
//!   `sq_l2_dist` once per row and centroid: about 45 ms per iteration (kam: about 7 ms);
//! - its k-means++ recomputes the distances to every chosen centre at each step (28 per row
//!   for k = 8) through the same path: about 0.16-0.25 s (kam's [`super::init`], the same
//!   centres: 0.08 s);
//! - the centroid update is single-threaded (m_k-means: the old centroid counts as a point),
//!   the inertia is a mean from before the last update, and `fit` returns no labels.
//!
//! kam's Lloyd loop is in [`super::lloyd`].
//!
//! Known gap: the k-means++ (linfa's, and so kam's) is the plain variant, scikit-learn's the greedy one (2 + ln k
//! candidates per centre). With one init on the blobs, 8 of 20 seeds reach the best optimum
//! (scikit-learn: 16 of 20); the default of 10 restarts closes the gap.

use std::collections::HashSet;

use ndarray::{Array2, ArrayView2};
use rand_xoshiro::Xoshiro256Plus;
use rand_xoshiro::rand_core::{RngCore, SeedableRng};
use serde::{Deserialize, Serialize};

use super::blocked::Blocked;
use super::init::start;
use super::lloyd::{assign, lloyd};
use super::matrix::variance;
use crate::error::{Error, Result};

/// k-means settings as configured (unchecked).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KMeansParams {
    /// Number of segments.
    pub k: usize,
    /// Restarts from different k-means++ seeds; the lowest inertia wins. Default 10.
    pub n_init: usize,
    /// Cap on Lloyd iterations per restart (linfa's first step included). Default 300.
    pub max_iter: u64,
    /// Convergence tolerance, relative to the mean column variance of the data (as in
    /// scikit-learn): stop when the squared centroid shift is at most `tol * mean variance`.
    /// Default 1e-4.
    pub tol: f64,
    /// Seed of all randomness (k-means++ draws). Default 0.
    pub seed: u64,
}

impl KMeansParams {
    /// `k` segments with the defaults: 10 restarts, 300 iterations, tol 1e-4, seed 0.
    pub fn new(k: usize) -> Self {
        KMeansParams {
            k,
            n_init: 10,
            max_iter: 300,
            tol: 1e-4,
            seed: 0,
        }
    }

    pub fn check(self) -> Result<KMeansValid> {
        let bad = |m: String| Err(Error::Usage(format!("k-means: {m}.")));
        if self.k == 0 {
            return bad("the number of segments k must be at least 1".into());
        }
        if self.n_init == 0 {
            return bad("n_init (restarts) must be at least 1".into());
        }
        if self.max_iter == 0 {
            return bad("max_iter must be at least 1".into());
        }
        if !(self.tol.is_finite() && self.tol >= 0.0) {
            return bad(format!(
                "tol must be a finite number >= 0; got {}",
                self.tol
            ));
        }
        Ok(KMeansValid(self))
    }
}

/// Checked k-means settings; only [`KMeansParams::check`] builds one.
#[derive(Debug, Clone, PartialEq)]
pub struct KMeansValid(KMeansParams);

/// A fitted k-means model. Never changes after fitting.
#[derive(Debug, Clone, Serialize)]
pub struct KMeansModel {
    /// `k x n_features` cluster means, in the units of the fitted matrix.
    #[serde(skip)]
    pub centroids: Array2<f64>,
    /// Cluster of each fitted row (index into `centroids`).
    #[serde(skip)]
    pub labels: Vec<usize>,
    /// Sum over rows of the squared Euclidean distance to the row's centroid.
    pub inertia: f64,
    /// Lloyd iterations of the winning restart (linfa's first step included).
    pub iterations: u64,
    /// Whether the winning restart stopped before `max_iter`.
    pub converged: bool,
}

impl KMeansValid {
    pub fn params(&self) -> &KMeansParams {
        &self.0
    }

    /// Fit on `x` (rows = customers, columns = standardised features).
    pub fn fit(&self, x: &Array2<f64>) -> Result<KMeansModel> {
        let p = &self.0;
        check_data(x.view(), p.k)?;
        // each column's variance as `var_axis(Axis(0), 0.0)`, the columns on every core
        let var = crate::par::map_tasks(x.ncols(), |j| Ok(variance(x.column(j).iter().copied())))?;
        let var = ndarray::Array1::from(var);
        let tol = p.tol * var.mean().unwrap_or(0.0);
        // one independent stream per restart: the seed's stream, jumped 2^128 draws each time
        let mut stream = Xoshiro256Plus::seed_from_u64(p.seed);
        let data = Blocked::new(x.view())?;
        let mut best: Option<KMeansModel> = None;
        for _ in 0..p.n_init {
            let mut rng = stream.clone();
            stream.jump();
            let start = start(&data, p.k, &mut rng)?;
            let run = lloyd(&data, start, p.max_iter, tol)?;
            if best.as_ref().is_none_or(|b| run.inertia < b.inertia) {
                best = Some(run);
            }
        }
        best.ok_or_else(|| Error::Internal("k-means ran no restart".into()))
    }
}

impl KMeansModel {
    /// Nearest centroid of each row of `x` (which must have the fitted number of columns).
    /// Rows with a missing or infinite value get segment 0.
    pub fn predict(&self, x: &Array2<f64>) -> Result<Vec<usize>> {
        if x.ncols() != self.centroids.ncols() {
            return Err(Error::validation(
                "k-means input",
                format!(
                    "the model was fitted on {} feature columns but got {}",
                    self.centroids.ncols(),
                    x.ncols()
                ),
            ));
        }
        let cent = self.centroids.as_standard_layout();
        let mut labels = vec![0; x.nrows()];
        assign(&Blocked::new(x.view())?, contiguous(&cent)?, &mut labels)?;
        Ok(labels)
    }
}

fn contiguous<'a>(x: &'a ndarray::CowArray<f64, ndarray::Ix2>) -> Result<&'a [f64]> {
    x.as_slice()
        .ok_or_else(|| Error::Internal("k-means matrix is not contiguous".into()))
}

/// "1 customer", "4 distinct customers".
fn customers(n: usize, adjective: &str) -> String {
    format!("{n} {adjective}customer{}", if n == 1 { "" } else { "s" })
}

/// The data errors a user can fix: empty, non-finite, fewer (distinct) rows than segments.
fn check_data(x: ArrayView2<f64>, k: usize) -> Result<()> {
    let bad = |m: String| Err(Error::validation("k-means input", m));
    let (n, d) = x.dim();
    if n == 0 || d == 0 {
        return bad("there are no customers (rows) or no features (columns) to segment".into());
    }
    let mut finite = vec![true; d];
    for row in x.rows() {
        for (j, v) in row.iter().enumerate() {
            finite[j] &= v.is_finite();
        }
    }
    if let Some(j) = finite.iter().position(|ok| !ok) {
        return bad(format!("feature column {j} has missing or infinite values"));
    }
    if n < k {
        return bad(format!("k = {k} but only {}", customers(n, "")));
    }
    // distinct rows, counted only up to k (stops early on ordinary data)
    let mut seen: HashSet<Vec<u64>> = HashSet::new();
    let mut key = Vec::with_capacity(d);
    for row in x.rows() {
        key.clear();
        // +0.0 turns -0.0 into 0.0 so that equal values hash equally
        key.extend(row.iter().map(|v| (v + 0.0).to_bits()));
        if !seen.contains(key.as_slice()) {
            seen.insert(key.clone());
            if seen.len() >= k {
                return Ok(());
            }
        }
    }
    bad(format!(
        "k = {k} but only {}",
        customers(seen.len(), "distinct ")
    ))
}

/// Seeded test and bench data: `n` rows, row `i` drawn around centre `i % k` with every
/// coordinate `centre + spread * N(0, 1)`. Returns the matrix and the true centre of each row.
pub fn gaussian_blobs(
    n: usize,
    centres: &Array2<f64>,
    spread: f64,
    seed: u64,
) -> (Array2<f64>, Vec<usize>) {
    let (k, d) = centres.dim();
    let mut rng = Xoshiro256Plus::seed_from_u64(seed);
    let mut unit = || ((rng.next_u64() >> 11) as f64 + 0.5) / (1u64 << 53) as f64;
    let labels: Vec<usize> = (0..n).map(|i| i % k.max(1)).collect();
    let x = Array2::from_shape_fn((n, d), |(i, j)| {
        // Box-Muller
        let (u, v) = (unit(), unit());
        let z = (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos();
        centres[[labels[i], j]] + spread * z
    });
    (x, labels)
}

#[cfg(test)]
#[path = "kmeans_tests.rs"]
mod tests;
