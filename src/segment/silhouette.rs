//! Mean silhouette, as scikit-learn's `silhouette_score` (the tests in [`super::metrics`] pin
//! its numbers), for one labelling or several of the same rows at once.
//!
//! The cost is the m x m distances of the m rows used (a seeded sample of `m` rows above that
//! size). k = auto scores every k tried on the same rows, so [`silhouettes`] computes each
//! row's distances to all others once and reads them for every labelling: one O(m^2 d) pass
//! instead of one per k. Each labelling's sums are taken in the order the single-labelling
//! computation uses (rows sorted by label, contiguous per segment, in eight lanes), so the
//! result is the same to the last digit either way.
//!
//! The distances of one row to all others are computed eight rows at a time, in the first
//! labelling's sorted order, so that labelling reads them without a gather (the others gather
//! through a position map): `cargo bench --bench kmeans -- silhouette` (10,000-row sample of
//! 100,000) 196 -> 101 ms, the same values.

use ndarray::Array2;
use rand_xoshiro::Xoshiro256Plus;
use rand_xoshiro::rand_core::{RngCore, SeedableRng};

use super::metrics::{bad, check_rows, dense};
use crate::error::{Error, Result};

/// `m` of the row numbers `0..n` drawn without replacement with `seed` (the first `m` of a
/// seeded partial Fisher-Yates shuffle, in draw order); all of them, in order, when `n <= m`.
pub fn sample_rows(n: usize, m: usize, seed: u64) -> Vec<usize> {
    let mut rows: Vec<usize> = (0..n).collect();
    if m < n {
        let mut rng = Xoshiro256Plus::seed_from_u64(seed);
        for i in 0..m {
            let j = i + (rng.next_u64() % (n - i) as u64) as usize;
            rows.swap(i, j);
        }
        rows.truncate(m);
    }
    rows
}

/// Sum in eight lanes (the compiler vectorises it); the order is fixed, so it is deterministic.
fn lane_sum(v: &[f64]) -> f64 {
    let mut acc = [0.0; 8];
    let mut chunks = v.chunks_exact(8);
    for c in &mut chunks {
        acc.iter_mut().zip(c).for_each(|(a, b)| *a += b);
    }
    acc.iter().sum::<f64>() + chunks.remainder().iter().sum::<f64>()
}

/// Mean silhouette coefficient, in [-1, 1] (higher: tighter, better separated segments).
///
/// With `sample = Some((m, seed))` and more than `m` rows, it is computed on `m` rows drawn
/// without replacement with the seed (as scikit-learn's `silhouette_score(sample_size=m)`):
/// O(m^2) distances instead of O(n^2). With `n <= m` or `None` it is exact. Needs between
/// 2 and (rows - 1) distinct labels among the rows used.
pub fn silhouette(x: &Array2<f64>, labels: &[usize], sample: Option<(usize, u64)>) -> Result<f64> {
    Ok(silhouettes(x, &[labels], sample)?[0])
}

/// One labelling's view of the rows used: dense labels, the rows sorted by label (stable) and
/// where each segment starts in that order.
struct Sorted {
    lab: Vec<usize>,
    order: Vec<usize>,
    start: Vec<usize>,
}

impl Sorted {
    fn new(labels: &[usize], rows: &[usize]) -> Result<Sorted> {
        let (lab, k) = dense(&rows.iter().map(|&i| labels[i]).collect::<Vec<_>>());
        let m = rows.len();
        if k < 2 || k >= m {
            return bad(format!(
                "the silhouette needs between 2 and {} segments among {m} customers; got {k}",
                m.saturating_sub(1)
            ));
        }
        let mut order: Vec<usize> = (0..m).collect();
        order.sort_by_key(|&j| lab[j]);
        let mut start = vec![0usize; k + 1];
        order.iter().for_each(|&j| start[lab[j] + 1] += 1);
        (0..k).for_each(|c| start[c + 1] += start[c]);
        Ok(Sorted { lab, order, start })
    }

    /// The silhouette of row `j` from its distances to every row in this labelling's sorted
    /// order (`sorted[t]` = the distance to row `order[t]`).
    fn of(&self, j: usize, sorted: &[f64]) -> f64 {
        let (start, k) = (&self.start, self.start.len() - 1);
        let size = |c: usize| start[c + 1] - start[c];
        let own = self.lab[j];
        if size(own) == 1 {
            return 0.0;
        }
        let mean = |c: usize| lane_sum(&sorted[start[c]..start[c + 1]]) / size(c) as f64;
        let a = lane_sum(&sorted[start[own]..start[own + 1]]) / (size(own) - 1) as f64;
        let b = (0..k)
            .filter(|&c| c != own)
            .map(mean)
            .fold(f64::INFINITY, f64::min);
        if a.max(b) > 0.0 {
            (b - a) / a.max(b)
        } else {
            0.0
        }
    }
}

/// Rows per block of the distance kernel.
const LANES: usize = 8;

/// The mean silhouette of each labelling of the rows of `x` (see [`silhouette`]), all on the
/// same rows (the same sample), each row's distances computed once for all of them.
pub fn silhouettes(
    x: &Array2<f64>,
    labelings: &[&[usize]],
    sample: Option<(usize, u64)>,
) -> Result<Vec<f64>> {
    for l in labelings {
        check_rows(x, l)?;
    }
    let rows = match sample {
        Some((m, seed)) => sample_rows(x.nrows(), m, seed),
        None => (0..x.nrows()).collect(),
    };
    let sorted = (labelings.iter())
        .map(|l| Sorted::new(l, &rows))
        .collect::<Result<Vec<_>>>()?;
    let (m, d) = (rows.len(), x.ncols());
    // the used rows in the first labelling's sorted order, in blocks of LANES rows,
    // feature-major inside a block (xb[(b * d + f) * LANES + l] = feature f of the row at
    // sorted position b * LANES + l; padding 0): the distances from one row to all others
    // build in LANES independent lanes, each summed over the features in order from 0.0, and
    // come out in that labelling's order, so it reads them without a gather
    let perm = &sorted[0].order;
    let blocks = m.div_ceil(LANES);
    let mut xb = vec![0.0; blocks * d * LANES];
    for (t, &j) in perm.iter().enumerate() {
        for f in 0..d {
            xb[((t / LANES) * d + f) * LANES + t % LANES] = x[[rows[j], f]];
        }
    }
    // for every other labelling: its sorted position -> position in the first's order
    let mut inv = vec![0usize; m];
    perm.iter().enumerate().for_each(|(t, &j)| inv[j] = t);
    let gathers: Vec<Vec<usize>> = (sorted.iter().skip(1))
        .map(|o| o.order.iter().map(|&j| inv[j]).collect())
        .collect();
    // per row j (in row order), its silhouette under every labelling: s[j * L + l]
    let part = |r: std::ops::Range<usize>| {
        let (mut dist, mut buf) = (vec![0.0; blocks * LANES], vec![0.0; m]);
        let mut v = vec![0.0; d];
        let mut out = Vec::with_capacity(r.len() * sorted.len());
        for j in r {
            (0..d).for_each(|f| v[f] = x[[rows[j], f]]);
            for (block, dst) in xb.chunks_exact(d * LANES).zip(dist.chunks_exact_mut(LANES)) {
                let mut acc = [0.0; LANES];
                for (col, &vf) in block.chunks_exact(LANES).zip(&v) {
                    for l in 0..LANES {
                        acc[l] += (col[l] - vf) * (col[l] - vf);
                    }
                }
                dst.iter_mut().zip(acc).for_each(|(o, a)| *o = a.sqrt());
            }
            out.push(sorted[0].of(j, &dist[..m]));
            for (o, g) in sorted.iter().skip(1).zip(&gathers) {
                buf.iter_mut().zip(g).for_each(|(b, &t)| *b = dist[t]);
                out.push(o.of(j, &buf));
            }
        }
        out
    };
    let half = m / 2;
    let (lo, hi) = std::thread::scope(|s| {
        let h = s.spawn(|| part(half..m));
        let lo = part(0..half);
        (lo, h.join())
    });
    let hi = hi.map_err(|_| Error::Internal("a silhouette thread failed".into()))?;
    let s: Vec<f64> = lo.into_iter().chain(hi).collect();
    let n_l = sorted.len();
    // each labelling's sum over its rows in label-sorted order, in two halves
    Ok(sorted
        .iter()
        .enumerate()
        .map(|(l, o)| {
            let v: Vec<f64> = o.order.iter().map(|&j| s[j * n_l + l]).collect();
            (v[..half].iter().sum::<f64>() + v[half..].iter().sum::<f64>()) / m as f64
        })
        .collect())
}
