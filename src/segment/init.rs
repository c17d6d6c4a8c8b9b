//! The start of each k-means restart: k-means++ and one m_k-means step, computed exactly as
//! linfa-clustering 0.8's `KMeans` with `n_runs(1).max_n_iterations(1)` computes them (same
//! RNG draws through rand 0.8's `WeightedIndex`, same distance sums in the same order), so
//! the centroids are equal to linfa's to the last bit: `init_equals_linfa_to_the_last_bit`
//! checks it on seeded data of several shapes and k.
//!
//! Why not call linfa: its k-means++ recomputes the distance of every row to every centre
//! chosen so far at each step (28 distances per row for k = 8 where 7 do), through
//! ndarray-stats' generic shape-checked distance, and builds the `WeightedIndex` of a million
//! rows on rayon threads: about 0.25 s of the 1.9 s `kam segment` took on 1,000,000 x 6
//! (`benches/compare_sklearn.py`). Here each step updates every row's distance to its
//! nearest centre with the one new centre (the minimum of the same values, so the same
//! result), on both cores.

use rand_xoshiro::Xoshiro256Plus;
use rand08::distributions::{Distribution, WeightedIndex};

use super::lloyd::{assign, par_rows};
use crate::error::Result;

/// Squared Euclidean distance summed in feature order from 0.0, as ndarray-stats'
/// `sq_l2_dist` (linfa's `L2Dist::rdistance`) sums it.
#[inline]
fn sq_dist(a: &[f64], b: &[f64]) -> f64 {
    let mut s = 0.0;
    for (x, y) in a.iter().zip(b) {
        s += (x - y) * (x - y);
    }
    s
}

/// k-means++ centres (row-major `k x d`): the first row drawn uniformly, each next one with
/// probability proportional to its squared distance to the nearest centre so far (index 0
/// when every distance is 0, as linfa does).
fn plus_plus(data: &[f64], d: usize, k: usize, rng: &mut Xoshiro256Plus) -> Result<Vec<f64>> {
    let n = data.len() / d;
    let row = |i: usize| &data[i * d..(i + 1) * d];
    let first = WeightedIndex::new(std::iter::repeat_n(1.0f64, n)).map_or(0, |w| w.sample(rng));
    let mut cent: Vec<f64> = row(first).to_vec();
    let mut dists = vec![f64::INFINITY; n];
    for c in 1..k {
        let centre = &cent[(c - 1) * d..c * d];
        par_rows(&mut dists, data, d, |ds, rows| {
            for (di, x) in ds.iter_mut().zip(rows.chunks_exact(d)) {
                let v = sq_dist(centre, x);
                if v < *di {
                    *di = v;
                }
            }
        })?;
        let next = WeightedIndex::new(dists.iter()).map_or(0, |w| w.sample(rng));
        cent.extend_from_slice(row(next));
    }
    Ok(cent)
}

/// The k-means++ centres after one m_k-means step (each new centroid is the mean of its
/// rows and the old centroid, as linfa's first Lloyd iteration computes it).
pub(super) fn start(
    data: &[f64],
    d: usize,
    k: usize,
    rng: &mut Xoshiro256Plus,
) -> Result<Vec<f64>> {
    let old = plus_plus(data, d, k, rng)?;
    let mut labels = vec![usize::MAX; data.len() / d];
    assign(data, d, &old, &mut labels)?;
    // sums in row order, then the old centroid added, then divided by count + 1 (linfa's
    // `compute_centroids`)
    let mut sums = vec![0.0; k * d];
    let mut counts = vec![1usize; k];
    for (x, &l) in data.chunks_exact(d).zip(&labels) {
        sums[l * d..(l + 1) * d]
            .iter_mut()
            .zip(x)
            .for_each(|(s, v)| *s += v);
        counts[l] += 1;
    }
    sums.iter_mut().zip(&old).for_each(|(s, o)| *s += o);
    for (s, &n) in sums.chunks_exact_mut(d).zip(&counts) {
        s.iter_mut().for_each(|v| *v /= n as f64);
    }
    Ok(sums)
}

#[cfg(test)]
mod tests {
    use linfa::DatasetBase;
    use linfa::traits::Fit;
    use linfa_clustering::KMeans;
    use ndarray::{Array2, array};
    use rand_xoshiro::rand_core::SeedableRng;

    use super::*;
    use crate::segment::kmeans::gaussian_blobs;

    fn linfa_start(x: &Array2<f64>, k: usize, rng: Xoshiro256Plus) -> Vec<f64> {
        let m = KMeans::params_with_rng(k, rng)
            .n_runs(1)
            .max_n_iterations(1)
            .fit(&DatasetBase::from(x.view()))
            .unwrap();
        m.centroids().iter().copied().collect()
    }

    #[test]
    fn init_equals_linfa_to_the_last_bit() {
        let centres = array![
            [0.0, 0.0, 1.0],
            [5.0, 5.0, -2.0],
            [-4.0, 3.0, 0.5],
            [1.0, -6.0, 2.0]
        ];
        let (blobs, _) = gaussian_blobs(5_003, &centres, 1.7, 11);
        // a skewed column, repeated rows and a constant column
        let skewed = Array2::from_shape_fn((3_001, 4), |(i, j)| match j {
            0 => ((i * 7919) % 1000) as f64 / 10.0,
            1 => ((i % 13) as f64).powi(3),
            2 => 1.0,
            _ => ((i / 50) % 4) as f64,
        });
        for (x, ks) in [(&blobs, vec![1, 2, 4, 8, 13]), (&skewed, vec![2, 3, 8, 20])] {
            let data = x.as_slice().unwrap();
            for k in ks {
                for seed in [0u64, 7, 123] {
                    let rng = Xoshiro256Plus::seed_from_u64(seed);
                    let mut ours = rng.clone();
                    let got = start(data, x.ncols(), k, &mut ours).unwrap();
                    let want = linfa_start(x, k, rng);
                    let bits = |v: &[f64]| v.iter().map(|f| f.to_bits()).collect::<Vec<_>>();
                    assert_eq!(bits(&got), bits(&want), "k = {k}, seed {seed}");
                }
            }
        }
    }

    #[test]
    fn init_equals_linfa_across_chunks_and_threads() {
        // more rows than one CHUNK: the nearest-centre distances are updated on every core
        let centres = array![[0.0, 0.0], [3.0, 1.0], [-2.0, 4.0]];
        let n = 2 * crate::segment::lloyd::CHUNK + 777;
        let (x, _) = gaussian_blobs(n, &centres, 1.3, 5);
        let rng = Xoshiro256Plus::seed_from_u64(3);
        let got = start(x.as_slice().unwrap(), 2, 6, &mut rng.clone()).unwrap();
        let want = linfa_start(&x, 6, rng);
        let bits = |v: &[f64]| v.iter().map(|f| f.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&got), bits(&want));
    }

    #[test]
    fn all_rows_equal_take_the_first_row_as_linfa_does() {
        let x = Array2::from_elem((50, 2), 3.0);
        let rng = Xoshiro256Plus::seed_from_u64(1);
        let got = start(x.as_slice().unwrap(), 2, 3, &mut rng.clone()).unwrap();
        assert_eq!(got, linfa_start(&x, 3, rng));
    }
}
