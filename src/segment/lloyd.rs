//! The Lloyd iterations of kam's k-means ([`super::kmeans`]), from the k-means++ start of
//! [`super::init`].
//!
//! Rows are split into fixed chunks of `CHUNK` rows of the [`Blocked`] matrix; each chunk
//! assigns its rows to the nearest centroid and accumulates per-cluster sums, counts and
//! inertia; runs of chunks go to the cores (`par::map_owned`; a small matrix stays on the
//! calling thread) and the partial sums are added in chunk order, so results do not depend on
//! the number of threads. It stops when
//! no label changes, or when the squared centroid shift
//! `sum((new - old)^2) <= tol * mean(var(x, axis 0))` (scikit-learn's rule), or at `max_iter`.
//! An emptied cluster takes the row farthest from its centroid. The returned labels and
//! inertia are those of the returned centroids.

use ndarray::Array2;

use super::blocked::{Blocked, ROWS};
use super::kmeans::KMeansModel;
use crate::error::{Error, Result};

/// Per-cluster sums and counts, inertia and changed labels of (part of) an assignment pass.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Partial {
    pub(super) sums: Vec<f64>,
    pub(super) counts: Vec<usize>,
    pub(super) inertia: f64,
    pub(super) changed: usize,
}

impl Partial {
    pub(super) fn zero(k: usize, d: usize) -> Self {
        Partial {
            sums: vec![0.0; k * d],
            counts: vec![0; k],
            inertia: 0.0,
            changed: 0,
        }
    }

    pub(super) fn add(mut self, o: &Self) -> Self {
        self.sums.iter_mut().zip(&o.sums).for_each(|(a, b)| *a += b);
        self.counts
            .iter_mut()
            .zip(&o.counts)
            .for_each(|(a, b)| *a += b);
        self.inertia += o.inertia;
        self.changed += o.changed;
        self
    }
}

/// Lloyd iterations from `start` (row-major `k x d`; the first m_k-means step of
/// [`super::init::start`] counts as iteration 1).
pub(super) fn lloyd(
    data: &Blocked,
    start: Vec<f64>,
    max_iter: u64,
    tol: f64,
) -> Result<KMeansModel> {
    let d = data.features();
    let k = start.len() / d;
    let mut cent = start;
    let mut labels = vec![usize::MAX; data.rows()];
    let (mut iterations, mut converged) = (1, false);
    let last = loop {
        let p = assign(data, &cent, &mut labels)?;
        if p.changed == 0 {
            converged = true;
            break Some(p);
        }
        if iterations >= max_iter {
            break Some(p);
        }
        let new = update(data, &cent, &mut labels, p);
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
        None => assign(data, &cent, &mut labels)?,
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

/// New centroids = cluster means. An empty cluster takes the row farthest from its centroid
/// among clusters of more than one row (first such row on ties), as scikit-learn does.
pub(super) fn update(data: &Blocked, cent: &[f64], labels: &mut [usize], p: Partial) -> Vec<f64> {
    let d = data.features();
    let (mut sums, mut counts) = (p.sums, p.counts);
    for c in 0..counts.len() {
        if counts[c] > 0 {
            continue;
        }
        let mut far: Option<(f64, usize)> = None;
        for (i, &l) in labels.iter().enumerate() {
            let dist = sq_dist(data.row(i), &cent[l * d..(l + 1) * d]);
            if counts[l] > 1 && far.is_none_or(|f| dist > f.0) {
                far = Some((dist, i));
            }
        }
        let Some((_, i)) = far else { break };
        let from = labels[i];
        for (j, v) in data.row(i).enumerate() {
            sums[from * d + j] -= v;
            sums[c * d + j] = v;
        }
        (counts[from], counts[c], labels[i]) = (counts[from] - 1, 1, c);
    }
    let means = sums.chunks_exact(d).zip(&counts).zip(cent.chunks_exact(d));
    // a cluster still empty (fewer movable rows than empty clusters) keeps its centroid
    means
        .flat_map(|((s, &n), old)| {
            if n > 0 {
                s.iter().map(|v| v / n as f64).collect()
            } else {
                old.to_vec()
            }
        })
        .collect()
}

/// Squared distance of a row to a centroid, summed in feature order.
fn sq_dist(row: impl Iterator<Item = f64>, c: &[f64]) -> f64 {
    row.zip(c).map(|(x, y)| (x - y) * (x - y)).sum()
}

/// Assign every row to its nearest centroid (ties: lowest index). Threads take whole runs of
/// `CHUNK` rows and the per-chunk results are added in chunk order, so the result does not
/// depend on the number of threads.
pub(super) fn assign(data: &Blocked, cent: &[f64], labels: &mut [usize]) -> Result<Partial> {
    let d = data.features();
    let parts = data.par_chunks(labels, |l, blocks| assign_chunk(blocks, d, cent, l))?;
    let zero = Partial::zero(cent.len() / d, d);
    Ok(parts.iter().fold(zero, Partial::add))
}

/// Nearest centroids of a chunk's rows, from their feature-major blocks: the distances of a
/// block to one centroid build feature by feature across the block's rows and the running
/// minimum is a select per row (no branch to mispredict); each distance is summed in feature
/// order from 0 and the lowest index wins a tie, as row by row. Each cluster's sums then add
/// its rows in row order, as row by row.
fn assign_chunk(blocks: &[f64], d: usize, cent: &[f64], labels: &mut [usize]) -> Partial {
    let k = cent.len() / d;
    let mut p = Partial::zero(k, d);
    let (mut best, mut best_d) = ([0usize; ROWS], [0.0f64; ROWS]);
    for (xt, lb) in blocks.chunks_exact(ROWS * d).zip(labels.chunks_mut(ROWS)) {
        nearest(xt, cent, d, &mut best, &mut best_d);
        let n = lb.len();
        for ((label, &b), &bd) in lb.iter_mut().zip(&best).zip(&best_d) {
            p.changed += usize::from(*label != b);
            *label = b;
            p.counts[b] += 1;
            p.inertia += bd;
        }
        // feature by feature: each cluster's sum still adds its rows in row order
        for (f, col) in xt.chunks_exact(ROWS).enumerate() {
            for (&b, &v) in best[..n].iter().zip(col) {
                p.sums[b * d + f] += v;
            }
        }
    }
    p
}

/// For each of `ROWS` rows (feature-major in `xt`), the nearest of the row-major centroids
/// `cent` and its squared distance; compiled for AVX2 and AVX-512 where the CPU has them (the
/// same arithmetic: no multiply-add is fused).
#[multiversion::multiversion(targets("x86_64+avx512f+avx2+fma", "x86_64+avx2+fma"))]
fn nearest(xt: &[f64], cent: &[f64], d: usize, best: &mut [usize; ROWS], best_d: &mut [f64; ROWS]) {
    best.fill(0);
    best_d.fill(f64::INFINITY);
    let mut acc = [0.0f64; ROWS];
    for (c, centre) in cent.chunks_exact(d).enumerate() {
        acc.fill(0.0);
        for (col, &cf) in xt.chunks_exact(ROWS).zip(centre) {
            for (a, &x) in acc.iter_mut().zip(col) {
                let t = x - cf;
                *a += t * t;
            }
        }
        for ((b, bd), &a) in best.iter_mut().zip(best_d.iter_mut()).zip(&acc) {
            let lt = a < *bd;
            *b = if lt { c } else { *b };
            *bd = if lt { a } else { *bd };
        }
    }
}
