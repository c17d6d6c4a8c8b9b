//! The Lloyd iterations of kam's k-means ([`super::kmeans`]), from the k-means++ start of
//! [`super::init`].
//!
//! Rows are split into fixed chunks of `CHUNK` rows; each chunk assigns its rows to the nearest centroid and accumulates per-cluster sums, counts and inertia; runs of
//! chunks go to `available_parallelism` threads (`std::thread::scope`) and the partial sums
//! are added in chunk order, so results do not depend on the number of threads. It stops when
//! no label changes, or when the squared centroid shift
//! `sum((new - old)^2) <= tol * mean(var(x, axis 0))` (scikit-learn's rule), or at `max_iter`.
//! An emptied cluster takes the row farthest from its centroid. The returned labels and
//! inertia are those of the returned centroids.

use ndarray::Array2;

use super::kmeans::KMeansModel;
use crate::error::{Error, Result};

/// Rows per work unit of the assignment step (fixed, so sums are added in the same order on
/// any machine).
pub(super) const CHUNK: usize = 1 << 14;

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
    data: &[f64],
    d: usize,
    start: Vec<f64>,
    max_iter: u64,
    tol: f64,
) -> Result<KMeansModel> {
    let k = start.len() / d;
    let mut cent = start;
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
        let new = update(data, d, &cent, &mut labels, p);
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

/// New centroids = cluster means. An empty cluster takes the row farthest from its centroid
/// among clusters of more than one row (first such row on ties), as scikit-learn does.
pub(super) fn update(
    data: &[f64],
    d: usize,
    cent: &[f64],
    labels: &mut [usize],
    p: Partial,
) -> Vec<f64> {
    let (mut sums, mut counts) = (p.sums, p.counts);
    for c in 0..counts.len() {
        if counts[c] > 0 {
            continue;
        }
        let mut far: Option<(f64, usize)> = None;
        for (i, (row, &l)) in data.chunks_exact(d).zip(labels.iter()).enumerate() {
            let dist = sq_dist(row, &cent[l * d..(l + 1) * d]);
            if counts[l] > 1 && far.is_none_or(|f| dist > f.0) {
                far = Some((dist, i));
            }
        }
        let Some((_, i)) = far else { break };
        let (row, from) = (&data[i * d..(i + 1) * d], labels[i]);
        for j in 0..d {
            sums[from * d + j] -= row[j];
            sums[c * d + j] = row[j];
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

#[inline]
fn sq_dist(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum()
}

/// Assign every row to its nearest centroid (ties: lowest index). Threads take whole runs of
/// `CHUNK` rows and the per-chunk results are added in chunk order, so the result does not
/// depend on the number of threads.
pub(super) fn assign(
    data: &[f64],
    d: usize,
    cent: &[f64],
    labels: &mut [usize],
) -> Result<Partial> {
    let items = labels.chunks_mut(CHUNK).zip(data.chunks(CHUNK * d));
    let parts = crate::par::map_owned(items.collect(), |(l, r)| assign_chunk(r, d, cent, l))?;
    let zero = Partial::zero(cent.len() / d, d);
    Ok(parts.iter().fold(zero, Partial::add))
}

/// `f(values, rows)` over consecutive `CHUNK`-row pieces of a per-row `values` slice and the
/// matching rows of `data`, on every core.
pub(super) fn par_rows<T: Send>(
    values: &mut [T],
    data: &[f64],
    d: usize,
    f: impl Fn(&mut [T], &[f64]) + Sync,
) -> Result<()> {
    let items = values.chunks_mut(CHUNK).zip(data.chunks(CHUNK * d));
    crate::par::map_owned(items.collect(), |(v, r)| f(v, r)).map(|_| ())
}

/// Rows per block of the distance kernel.
const ROWS: usize = 64;

/// Nearest centroids of a chunk's rows. Rows go in blocks of `ROWS`, turned feature-major, so
/// the distances of a block to one centroid build feature by feature across the block's rows
/// and the running minimum is a select per row (no branch to mispredict); each distance is
/// summed in feature order from 0 and the lowest index wins a tie, as row by row. The sums
/// are then added in row order.
fn assign_chunk(rows: &[f64], d: usize, cent: &[f64], labels: &mut [usize]) -> Partial {
    let k = cent.len() / d;
    let mut p = Partial::zero(k, d);
    let mut xt = vec![0.0; d * ROWS];
    let (mut best, mut best_d) = ([0usize; ROWS], [0.0f64; ROWS]);
    for (block, lb) in rows.chunks(ROWS * d).zip(labels.chunks_mut(ROWS)) {
        for (i, row) in block.chunks_exact(d).enumerate() {
            for (f, v) in row.iter().enumerate() {
                xt[f * ROWS + i] = *v;
            }
        }
        nearest(&xt, cent, d, &mut best, &mut best_d);
        for ((row, label), (&b, &bd)) in block
            .chunks_exact(d)
            .zip(lb.iter_mut())
            .zip(best.iter().zip(&best_d))
        {
            p.changed += usize::from(*label != b);
            *label = b;
            p.counts[b] += 1;
            p.inertia += bd;
            for (s, v) in p.sums[b * d..(b + 1) * d].iter_mut().zip(row) {
                *s += v;
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
