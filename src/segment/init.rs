//! The start of each k-means restart: k-means++ and one m_k-means step, computed exactly as
//! linfa-clustering 0.8's `KMeans` with `n_runs(1).max_n_iterations(1)` computes them (the
//! RNG draws rand 0.8's `WeightedIndex` makes, same distance sums in the same order), so
//! the centroids are equal to linfa's to the last bit: `init_equals_linfa_to_the_last_bit`
//! checks it on seeded data of several shapes and k.
//!
//! Why not call linfa: its k-means++ recomputes the distance of every row to every centre
//! chosen so far at each step (28 distances per row for k = 8 where 7 do), through
//! ndarray-stats' generic shape-checked distance, and builds the `WeightedIndex` of a million
//! rows on rayon threads: about 0.25 s of the 1.9 s `kam segment` took on 1,000,000 x 6
//! (`benches/compare_sklearn.py`). Here each step updates every row's distance to its
//! nearest centre with the one new centre (the minimum of the same values, so the same
//! result), on both cores, and each draw walks the running sum of the weights instead of
//! storing it ([`weighted_pick`]).

use rand_xoshiro::Xoshiro256Plus;
use rand08::distributions::{Distribution, Uniform};

use super::blocked::{Blocked, ROWS};
use super::lloyd::assign;
use crate::error::Result;

/// k-means++ centres (row-major `k x d`): the first row drawn uniformly, each next one with
/// probability proportional to its squared distance to the nearest centre so far (index 0
/// when every distance is 0, as linfa does). A row's squared distance to a centre is summed
/// in feature order from 0.0, as ndarray-stats' `sq_l2_dist` (linfa's `L2Dist::rdistance`)
/// sums it; a block's rows go side by side.
fn plus_plus(data: &Blocked, k: usize, rng: &mut Xoshiro256Plus) -> Result<Vec<f64>> {
    let (n, d) = (data.rows(), data.features());
    let first = weighted_pick(std::iter::repeat_n(1.0f64, n), rng);
    let mut cent: Vec<f64> = data.row(first).collect();
    let mut dists = vec![f64::INFINITY; n];
    for c in 1..k {
        let centre = &cent[(c - 1) * d..c * d];
        data.par_chunks(&mut dists, |ds, blocks| {
            let mut acc = [0.0f64; ROWS];
            for (ds, xt) in ds.chunks_mut(ROWS).zip(blocks.chunks_exact(ROWS * d)) {
                acc.fill(0.0);
                for (col, &m) in xt.chunks_exact(ROWS).zip(centre) {
                    for (a, &x) in acc.iter_mut().zip(col) {
                        *a += (m - x) * (m - x);
                    }
                }
                for (di, &v) in ds.iter_mut().zip(&acc) {
                    if v < *di {
                        *di = v;
                    }
                }
            }
        })?;
        let next = weighted_pick(dists.iter().copied(), rng);
        cent.extend(data.row(next));
    }
    Ok(cent)
}

/// rand 0.8's `WeightedIndex::new(weights).map_or(0, |w| w.sample(rng))` without its table
/// of cumulative weights (8 MB per draw on a million rows): the same running sum in the same
/// order, the same uniform draw in [0, total) and the first index whose cumulative weight
/// exceeds it (the last when none does); index 0 when rand would refuse the weights (none,
/// a negative or NaN one, all zero).
fn weighted_pick(weights: impl Iterator<Item = f64> + Clone, rng: &mut Xoshiro256Plus) -> usize {
    let mut it = weights.clone();
    let Some(first) = it.next() else { return 0 };
    if first.is_nan() || first < 0.0 {
        return 0;
    }
    let mut total = first;
    for w in it {
        if w.is_nan() || w < 0.0 {
            return 0;
        }
        total += w;
    }
    if total == 0.0 {
        return 0;
    }
    let chosen = Uniform::new(0.0, total).sample(rng);
    let (mut cumulative, mut last) = (first, 0);
    for (j, w) in weights.skip(1).enumerate() {
        if cumulative > chosen {
            return j;
        }
        cumulative += w;
        last = j + 1;
    }
    last
}

/// The k-means++ centres after one m_k-means step (each new centroid is the mean of its
/// rows and the old centroid, as linfa's first Lloyd iteration computes it).
pub(super) fn start(data: &Blocked, k: usize, rng: &mut Xoshiro256Plus) -> Result<Vec<f64>> {
    let d = data.features();
    let old = plus_plus(data, k, rng)?;
    let mut labels = vec![usize::MAX; data.rows()];
    assign(data, &old, &mut labels)?;
    // sums in row order, then the old centroid added, then divided by count + 1 (linfa's
    // `compute_centroids`)
    let mut sums = vec![0.0; k * d];
    let mut counts = vec![1usize; k];
    for ((xt, rows), lb) in data.blocks().zip(labels.chunks(ROWS)) {
        for (i, &l) in lb[..rows].iter().enumerate() {
            for (f, s) in sums[l * d..(l + 1) * d].iter_mut().enumerate() {
                *s += xt[f * ROWS + i];
            }
            counts[l] += 1;
        }
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
    use rand08::distributions::WeightedIndex;

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
            for k in ks {
                for seed in [0u64, 7, 123] {
                    let rng = Xoshiro256Plus::seed_from_u64(seed);
                    let mut ours = rng.clone();
                    let got = start(&Blocked::new(x.view()).unwrap(), k, &mut ours).unwrap();
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
        let n = 2 * crate::segment::blocked::CHUNK + 777;
        let (x, _) = gaussian_blobs(n, &centres, 1.3, 5);
        let rng = Xoshiro256Plus::seed_from_u64(3);
        let got = start(&Blocked::new(x.view()).unwrap(), 6, &mut rng.clone()).unwrap();
        let want = linfa_start(&x, 6, rng);
        let bits = |v: &[f64]| v.iter().map(|f| f.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&got), bits(&want));
    }

    #[test]
    fn weighted_pick_draws_as_rand_weighted_index() {
        use rand_xoshiro::rand_core::RngCore;
        let mut g = Xoshiro256Plus::seed_from_u64(99);
        let mut cases: Vec<Vec<f64>> = vec![
            vec![],
            vec![0.0],
            vec![2.5],
            vec![0.0, 0.0, 0.0],
            vec![1.0, -1.0, 2.0],
            vec![1.0, f64::NAN],
            vec![0.0, 0.0, 3.0],
            vec![3.0, 0.0, 0.0],
            vec![1e-300, 1e300, 1.0],
        ];
        for n in [2usize, 7, 100, 5_000] {
            let w: Vec<f64> = (0..n)
                .map(|i| match g.next_u64() % 5 {
                    0 => 0.0,
                    _ => (g.next_u64() % 1000) as f64 / 7.0 + (i % 3) as f64,
                })
                .collect();
            cases.push(w);
        }
        for w in &cases {
            for seed in 0..20u64 {
                let (mut a, mut b) = (
                    Xoshiro256Plus::seed_from_u64(seed),
                    Xoshiro256Plus::seed_from_u64(seed),
                );
                let want = WeightedIndex::new(w.iter()).map_or(0, |d| d.sample(&mut a));
                assert_eq!(weighted_pick(w.iter().copied(), &mut b), want, "{w:?}");
                assert_eq!(a.next_u64(), b.next_u64(), "the same draws");
            }
        }
        let mut a = Xoshiro256Plus::seed_from_u64(5);
        let mut b = a.clone();
        let want =
            WeightedIndex::new(std::iter::repeat_n(1.0f64, 1234)).map_or(0, |d| d.sample(&mut a));
        assert_eq!(weighted_pick(std::iter::repeat_n(1.0, 1234), &mut b), want);
    }

    #[test]
    fn all_rows_equal_take_the_first_row_as_linfa_does() {
        let x = Array2::from_elem((50, 2), 3.0);
        let rng = Xoshiro256Plus::seed_from_u64(1);
        let got = start(&Blocked::new(x.view()).unwrap(), 3, &mut rng.clone()).unwrap();
        assert_eq!(got, linfa_start(&x, 3, rng));
    }
}
