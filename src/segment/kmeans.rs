//! k-means: the customer segments, seeded so that the same data and seed give the same labels.
//!
//! Initialisation is linfa-clustering's k-means++ (with linfa's first Lloyd step, run by
//! `KMeans` with an iteration cap of 1); kam then runs the remaining Lloyd iterations itself.
//! Why: on 1,000,000 x 6 standardised rows, k = 8, one init, linfa's `KMeans` as-is took
//! (measured, release) far longer than scikit-learn's `KMeans(algorithm="lloyd", n_init=1)`
//! (see `benches/compare_sklearn.py` and the numbers below). Profiling showed
//! - linfa's stopping rule is an absolute Euclidean centroid shift below `tolerance`, where
//!   scikit-learn stops when the squared shift falls below `tol` x the mean column variance;
//!   with tol = 1e-4 on standardised data linfa needs a 100x smaller shift, so it runs many
//!   more iterations (often to the cap);
//! - its centroid update is single-threaded and goes through ndarray row views per point;
//! - its inertia is the mean over rows and comes from the assignment before the last update,
//!   and `fit` returns no labels (one more pass to predict them).
//!
//! kam's Lloyd loop: rows are split into fixed chunks of `CHUNK` rows; each chunk assigns its
//! rows to the nearest centroid and accumulates per-cluster sums, counts and inertia; chunks
//! run on up to `available_parallelism` threads (`std::thread::scope`) and their partial sums
//! are added in chunk order, so results do not depend on the number of threads. It stops when
//! no label changes, or when the squared centroid shift
//! `sum((new - old)^2) <= tol * mean(var(x, axis 0))` (scikit-learn's rule), or at `max_iter`.
//! An emptied cluster is moved to the row farthest from its centroid. The returned labels and
//! inertia are those of the returned centroids.
//!
//! Measurements (this machine, 2 cores, 1M x 6, k = 8, n_init = 1, best of 3):
//! MEASUREMENTS

use std::collections::HashSet;

use linfa::DatasetBase;
use linfa::traits::Fit;
use linfa_clustering::KMeans;
use ndarray::{Array2, ArrayView2, Axis};
use rand_xoshiro::Xoshiro256Plus;
use rand_xoshiro::rand_core::{RngCore, SeedableRng};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// Rows per work unit of the assignment step (fixed, so sums are added in the same order on
/// any machine).
const CHUNK: usize = 1 << 14;

/// k-means settings as configured (unchecked).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KMeansParams {
    /// Number of segments.
    pub k: usize,
    /// Restarts from different k-means++ seeds; the lowest inertia wins. Default 10.
    pub n_init: usize,
    /// Cap on Lloyd iterations per restart. Default 300.
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
        let xs = x.as_standard_layout();
        let d = xs.ncols();
        let data = xs
            .as_slice()
            .ok_or_else(|| Error::Internal("k-means matrix is not contiguous".into()))?;
        let var = xs.var_axis(Axis(0), 0.0);
        let tol = p.tol * var.mean().unwrap_or(0.0);
        // one independent stream per restart: the seed's stream, jumped 2^128 draws each time
        let mut stream = Xoshiro256Plus::seed_from_u64(p.seed);
        let mut best: Option<KMeansModel> = None;
        for _ in 0..p.n_init {
            let rng = stream.clone();
            stream.jump();
            let start = KMeans::params_with_rng(p.k, rng)
                .n_runs(1)
                .max_n_iterations(1)
                .fit(&DatasetBase::from(xs.view()))
                .map_err(|e| Error::Internal(format!("linfa k-means++ failed: {e}")))?;
            let run = lloyd(data, d, start.centroids().clone(), p.max_iter, tol)?;
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
        let xs = x.as_standard_layout();
        let data = xs
            .as_slice()
            .ok_or_else(|| Error::Internal("k-means matrix is not contiguous".into()))?;
        let cent = self.centroids.as_standard_layout();
        let cent = cent
            .as_slice()
            .ok_or_else(|| Error::Internal("k-means centroids are not contiguous".into()))?;
        let mut labels = vec![0; x.nrows()];
        assign(data, x.ncols(), cent, &mut labels)?;
        Ok(labels)
    }
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
        return bad(format!("k = {k} but only {n} customers"));
    }
    // distinct rows, counted only up to k (stops early on ordinary data)
    let mut seen = HashSet::new();
    for row in x.rows() {
        // +0.0 turns -0.0 into 0.0 so that equal values hash equally
        seen.insert(
            row.iter()
                .map(|v| (v + 0.0).to_bits())
                .collect::<Vec<u64>>(),
        );
        if seen.len() >= k {
            return Ok(());
        }
    }
    bad(format!(
        "k = {k} but only {} distinct customers",
        seen.len()
    ))
}

/// Per-chunk result of one assignment pass.
struct Partial {
    sums: Vec<f64>,
    counts: Vec<usize>,
    inertia: f64,
    changed: usize,
}

/// Lloyd iterations from `start` (linfa's first step counts as iteration 1).
fn lloyd(
    data: &[f64],
    d: usize,
    start: Array2<f64>,
    max_iter: u64,
    tol: f64,
) -> Result<KMeansModel> {
    let k = start.nrows();
    let mut cent: Vec<f64> = start.iter().copied().collect();
    let mut labels = vec![usize::MAX; data.len() / d];
    let (mut iterations, mut converged) = (1, false);
    let last = loop {
        let p = assign(data, d, &cent, &mut labels)?;
        if p.changed == 0 {
            converged = true;
            break Some(p);
        }
        if iterations >= max_iter {
            break Some(p);
        }
        let new = update(data, d, &cent, &labels, p);
        let shift: f64 = new.iter().zip(&cent).map(|(a, b)| (a - b) * (a - b)).sum();
        cent = new;
        iterations += 1;
        if shift <= tol {
            converged = true;
            break None;
        }
    };
    // labels and inertia of the returned centroids
    let p = match last {
        Some(p) => p,
        None => assign(data, d, &cent, &mut labels)?,
    };
    let centroids = Array2::from_shape_vec((k, d), cent)
        .map_err(|e| Error::Internal(format!("k-means centroids: {e}")))?;
    Ok(KMeansModel {
        centroids,
        labels,
        inertia: p.inertia,
        iterations,
        converged,
    })
}

/// New centroids = cluster means; an empty cluster moves to the row farthest from its
/// centroid (that row leaves its old cluster).
fn update(data: &[f64], d: usize, cent: &[f64], labels: &[usize], p: Partial) -> Vec<f64> {
    let k = cent.len() / d;
    let (mut sums, mut counts) = (p.sums, p.counts);
    if counts.contains(&0) {
        let mut far: Vec<(f64, usize)> = data
            .chunks_exact(d)
            .zip(labels)
            .enumerate()
            .map(|(i, (row, &c))| (sq_dist(row, &cent[c * d..(c + 1) * d]), i))
            .collect();
        // farthest first; ties by row index, so the choice is deterministic
        far.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let mut far = far.into_iter();
        for c in 0..k {
            if counts[c] > 0 {
                continue;
            }
            let Some(i) = far
                .by_ref()
                .map(|(_, i)| i)
                .find(|&i| counts[labels[i]] > 1)
            else {
                break;
            };
            let row = &data[i * d..(i + 1) * d];
            let from = labels[i];
            for j in 0..d {
                sums[from * d + j] -= row[j];
                sums[c * d + j] = row[j];
            }
            counts[from] -= 1;
            counts[c] = 1;
        }
    }
    let mut new = cent.to_vec();
    for c in 0..k {
        if counts[c] > 0 {
            for j in 0..d {
                new[c * d + j] = sums[c * d + j] / counts[c] as f64;
            }
        }
    }
    new
}

#[inline]
fn sq_dist(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum()
}

/// Assign every row to its nearest centroid (ties: lowest index), in parallel over chunks.
fn assign(data: &[f64], d: usize, cent: &[f64], labels: &mut [usize]) -> Result<Partial> {
    let n = labels.len();
    let n_chunks = n.div_ceil(CHUNK).max(1);
    let threads = std::thread::available_parallelism()
        .map_or(1, |t| t.get())
        .min(n_chunks);
    let parts: Vec<Partial> = if threads <= 1 {
        (0..n_chunks)
            .map(|i| {
                let (a, b) = (i * CHUNK, ((i + 1) * CHUNK).min(n));
                assign_chunk(&data[a * d..b * d], d, cent, &mut labels[a..b])
            })
            .collect()
    } else {
        // thread t takes chunks [t * n_chunks / threads, (t + 1) * n_chunks / threads)
        let mut rest = labels;
        std::thread::scope(|s| {
            let mut handles = Vec::with_capacity(threads);
            let mut first = 0;
            for t in 0..threads {
                let end = (t + 1) * n_chunks / threads;
                let (a, b) = (first * CHUNK, (end * CHUNK).min(n));
                let (mine, tail) = std::mem::take(&mut rest).split_at_mut(b - a);
                rest = tail;
                let rows = &data[a * d..b * d];
                handles.push(s.spawn(move || {
                    mine.chunks_mut(CHUNK)
                        .zip(rows.chunks(CHUNK * d))
                        .map(|(l, r)| assign_chunk(r, d, cent, l))
                        .collect::<Vec<_>>()
                }));
                first = end;
            }
            let mut parts = Vec::with_capacity(n_chunks);
            for h in handles {
                let done = h.join();
                parts.extend(done.map_err(|_| Error::Internal("a k-means thread failed".into()))?);
            }
            Ok::<_, Error>(parts)
        })?
    };
    let k = cent.len() / d;
    let mut total = Partial {
        sums: vec![0.0; k * d],
        counts: vec![0; k],
        inertia: 0.0,
        changed: 0,
    };
    for p in parts {
        total
            .sums
            .iter_mut()
            .zip(&p.sums)
            .for_each(|(a, b)| *a += b);
        total
            .counts
            .iter_mut()
            .zip(&p.counts)
            .for_each(|(a, b)| *a += b);
        total.inertia += p.inertia;
        total.changed += p.changed;
    }
    Ok(total)
}

fn assign_chunk(rows: &[f64], d: usize, cent: &[f64], labels: &mut [usize]) -> Partial {
    let k = cent.len() / d;
    let mut p = Partial {
        sums: vec![0.0; k * d],
        counts: vec![0; k],
        inertia: 0.0,
        changed: 0,
    };
    for (row, label) in rows.chunks_exact(d).zip(labels.iter_mut()) {
        let (mut best, mut best_d) = (0, f64::INFINITY);
        for (c, centroid) in cent.chunks_exact(d).enumerate() {
            let dist = sq_dist(row, centroid);
            if dist < best_d {
                (best, best_d) = (c, dist);
            }
        }
        p.changed += usize::from(*label != best);
        *label = best;
        p.counts[best] += 1;
        p.inertia += best_d;
        for (s, v) in p.sums[best * d..(best + 1) * d].iter_mut().zip(row) {
            *s += v;
        }
    }
    p
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
mod tests {
    use super::*;
    use crate::segment::metrics::adjusted_rand_index;
    use ndarray::array;

    fn fit(x: &Array2<f64>, k: usize, seed: u64) -> Result<KMeansModel> {
        KMeansParams {
            seed,
            ..KMeansParams::new(k)
        }
        .check()?
        .fit(x)
    }

    fn five_blobs() -> (Array2<f64>, Vec<usize>) {
        let centres = array![
            [0.0, 0.0, 0.0, 0.0],
            [8.0, 0.0, 0.0, 0.0],
            [0.0, 8.0, 0.0, 8.0],
            [0.0, 0.0, 8.0, 0.0],
            [8.0, 8.0, 8.0, 8.0]
        ];
        gaussian_blobs(1000, &centres, 1.0, 7)
    }

    fn message(r: Result<KMeansModel>) -> String {
        r.err().map(|e| e.to_string()).unwrap_or_default()
    }

    #[test]
    fn recovers_well_separated_clusters() -> Result<()> {
        let (x, truth) = five_blobs();
        let m = fit(&x, 5, 1)?;
        assert!(adjusted_rand_index(&m.labels, &truth)? > 0.95);
        assert!(m.converged);
        let inertia = crate::segment::metrics::inertia(&x, &m.labels, &m.centroids)?;
        assert!((inertia - m.inertia).abs() < 1e-9 * inertia);
        assert_eq!(m.predict(&x)?, m.labels);
        Ok(())
    }

    #[test]
    fn same_seed_same_labels() -> Result<()> {
        let (x, _) = five_blobs();
        let (a, b) = (fit(&x, 4, 9)?, fit(&x, 4, 9)?);
        assert_eq!(a.labels, b.labels);
        assert_eq!(a.centroids, b.centroids);
        assert_eq!(a.inertia, b.inertia);
        Ok(())
    }

    #[test]
    fn one_thread_or_many_give_the_same_sums() -> Result<()> {
        // more rows than one chunk, so the parallel path runs
        let centres = array![[0.0, 0.0], [3.0, 3.0], [0.0, 5.0]];
        let (x, _) = gaussian_blobs(3 * CHUNK + 17, &centres, 1.5, 2);
        let m = fit(&x, 3, 4)?;
        let serial = crate::segment::metrics::inertia(&x, &m.labels, &m.centroids)?;
        assert!((serial - m.inertia).abs() < 1e-9 * serial);
        assert_eq!(m.labels, fit(&x, 3, 4)?.labels);
        Ok(())
    }

    #[test]
    fn k_cannot_be_zero() {
        assert!(KMeansParams::new(0).check().is_err());
    }

    #[test]
    fn n_init_cannot_be_zero() {
        assert!(
            KMeansParams {
                n_init: 0,
                ..KMeansParams::new(2)
            }
            .check()
            .is_err()
        );
    }

    #[test]
    fn max_iter_cannot_be_zero() {
        assert!(
            KMeansParams {
                max_iter: 0,
                ..KMeansParams::new(2)
            }
            .check()
            .is_err()
        );
    }

    #[test]
    fn tol_cannot_be_negative_or_nan() {
        assert!(
            KMeansParams {
                tol: -1e-4,
                ..KMeansParams::new(2)
            }
            .check()
            .is_err()
        );
        assert!(
            KMeansParams {
                tol: f64::NAN,
                ..KMeansParams::new(2)
            }
            .check()
            .is_err()
        );
    }

    #[test]
    fn constant_rows_cannot_make_two_segments() {
        let x = Array2::from_elem((50, 3), 2.5);
        assert_eq!(
            message(fit(&x, 2, 0)),
            "k-means input: k = 2 but only 1 distinct customers"
        );
    }

    #[test]
    fn k_larger_than_distinct_rows_is_an_error() {
        let x = array![
            [0.0, 1.0],
            [1.0, 0.0],
            [0.0, 1.0],
            [2.0, 2.0],
            [3.0, 3.0],
            [-0.0, 1.0]
        ];
        assert_eq!(
            message(fit(&x, 9, 0)),
            "k-means input: k = 9 but only 6 customers"
        );
        assert_eq!(
            message(fit(&x, 5, 0)),
            "k-means input: k = 5 but only 4 distinct customers"
        );
    }

    #[test]
    fn one_row_is_an_error_for_two_segments() -> Result<()> {
        let x = array![[1.0, 2.0]];
        assert_eq!(
            message(fit(&x, 2, 0)),
            "k-means input: k = 2 but only 1 customers"
        );
        assert_eq!(fit(&x, 1, 0)?.labels, vec![0]);
        Ok(())
    }

    #[test]
    fn missing_values_are_an_error() {
        let x = array![[1.0, 2.0], [3.0, f64::NAN], [0.0, 1.0]];
        assert_eq!(
            message(fit(&x, 2, 0)),
            "k-means input: feature column 1 has missing or infinite values"
        );
        let empty = Array2::<f64>::zeros((0, 3));
        assert!(fit(&empty, 1, 0).is_err());
    }

    #[test]
    fn emptied_cluster_is_moved_to_the_farthest_row() -> Result<()> {
        // duplicate rows make k-means++ pick far points; restarts must still fill k segments
        let x = array![[0.0], [0.0], [0.0], [0.1], [10.0], [10.1], [20.0]];
        let m = fit(&x, 4, 3)?;
        let mut used = m.labels.clone();
        used.sort_unstable();
        used.dedup();
        assert_eq!(used.len(), 4);
        Ok(())
    }
}
