//! k-means tests: recovery of known clusters, determinism, clear errors.
use super::*;
use crate::segment::blocked::{Blocked, CHUNK};
use crate::segment::lloyd::{Partial, assign, update};
use crate::segment::metrics::{adjusted_rand_index, inertia};
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

fn message(x: &Array2<f64>, k: usize) -> String {
    fit(x, k, 0)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default()
}

fn rejected(change: fn(&mut KMeansParams)) -> bool {
    let mut p = KMeansParams::new(2);
    change(&mut p);
    p.check().is_err()
}

#[test]
fn recovers_well_separated_clusters() -> Result<()> {
    let (x, truth) = five_blobs();
    let m = fit(&x, 5, 1)?;
    assert!(adjusted_rand_index(&m.labels, &truth)? > 0.95);
    assert!(m.converged);
    let recount = inertia(&x, &m.labels, &m.centroids)?;
    assert!((recount - m.inertia).abs() < 1e-9 * recount);
    assert_eq!(m.predict(&x)?, m.labels);
    Ok(())
}

#[test]
fn same_seed_same_labels() -> Result<()> {
    let (x, _) = five_blobs();
    let (a, b) = (fit(&x, 4, 9)?, fit(&x, 4, 9)?);
    assert_eq!(
        (a.labels, a.centroids, a.inertia),
        (b.labels, b.centroids, b.inertia)
    );
    Ok(())
}

#[test]
fn parallel_chunks_match_a_serial_recount() -> Result<()> {
    // more rows than one chunk, so several chunks (and threads) run
    let centres = array![[0.0, 0.0], [3.0, 3.0], [0.0, 5.0]];
    let (x, _) = gaussian_blobs(3 * CHUNK + 17, &centres, 1.5, 2);
    let m = fit(&x, 3, 4)?;
    let recount = inertia(&x, &m.labels, &m.centroids)?;
    assert!((recount - m.inertia).abs() < 1e-9 * recount);
    Ok(())
}

#[test]
fn k_cannot_be_zero() {
    assert!(rejected(|p| p.k = 0));
}

#[test]
fn n_init_cannot_be_zero() {
    assert!(rejected(|p| p.n_init = 0));
}

#[test]
fn max_iter_cannot_be_zero() {
    assert!(rejected(|p| p.max_iter = 0));
}

#[test]
fn tol_cannot_be_negative_or_nan() {
    assert!(rejected(|p| p.tol = -1e-4));
    assert!(rejected(|p| p.tol = f64::NAN));
    assert!(!rejected(|p| p.tol = 0.0));
}

#[test]
fn constant_rows_cannot_make_two_segments() {
    let x = Array2::from_elem((50, 3), 2.5);
    let expected = "k-means input: k = 2 but only 1 distinct customer";
    assert_eq!(message(&x, 2), expected);
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
    assert_eq!(message(&x, 9), "k-means input: k = 9 but only 6 customers");
    assert_eq!(
        message(&x, 5),
        "k-means input: k = 5 but only 4 distinct customers"
    );
}

#[test]
fn one_row_is_an_error_for_two_segments() -> Result<()> {
    let x = array![[1.0, 2.0]];
    assert_eq!(message(&x, 2), "k-means input: k = 2 but only 1 customer");
    assert_eq!(fit(&x, 1, 0)?.labels, vec![0]);
    Ok(())
}

#[test]
fn missing_values_are_an_error() {
    let x = array![[1.0, 2.0], [3.0, f64::NAN], [0.0, 1.0]];
    let expected = "k-means input: feature column 1 has missing or infinite values";
    assert_eq!(message(&x, 2), expected);
    assert!(fit(&Array2::zeros((0, 3)), 1, 0).is_err());
}

#[test]
fn predict_checks_the_number_of_columns() -> Result<()> {
    let (x, _) = five_blobs();
    assert!(fit(&x, 5, 1)?.predict(&array![[1.0, 2.0]]).is_err());
    Ok(())
}

#[test]
fn emptied_cluster_is_moved_to_the_farthest_row() -> Result<()> {
    // all four rows chose centroid 0; row 3 (x = 9) is the farthest from it
    let (x, cent, mut labels) = (
        array![[0.0], [1.0], [2.0], [9.0]],
        [1.0, 50.0],
        [0, 0, 0, 0],
    );
    let p = Partial {
        sums: vec![12.0, 0.0],
        counts: vec![4, 0],
        inertia: 0.0,
        changed: 0,
    };
    let data = Blocked::new(x.view())?;
    assert_eq!(update(&data, &cent, &mut labels, p), vec![1.0, 9.0]);
    assert_eq!(labels, [0, 0, 0, 1]);
    Ok(())
}

#[test]
fn block_assignment_equals_row_by_row_to_the_bit() -> Result<()> {
    // rows not a multiple of the kernel's block, k not a multiple of 8, two equal centroids
    // (a tie goes to the lower index), values on a coarse grid so ties in distance happen
    let (n, d, k) = (CHUNK + 77, 5, 11);
    let data: Vec<f64> = (0..n * d)
        .map(|i| ((i * 7919) % 23) as f64 / 4.0 - 2.5)
        .collect();
    let mut cent: Vec<f64> = (0..k * d)
        .map(|i| ((i * 104_729) % 17) as f64 / 3.0 - 2.0)
        .collect();
    cent.copy_within(0..d, 4 * d);
    let mut labels = vec![usize::MAX; n];
    let x = ndarray::ArrayView2::from_shape((n, d), &data)
        .map_err(|e| Error::Internal(e.to_string()))?;
    let got = assign(&Blocked::new(x)?, &cent, &mut labels)?;
    // the reference: each row in turn, distances summed in feature order, strict minimum
    let mut want = Partial::zero(k, d);
    let mut want_labels = vec![0; n];
    for c0 in (0..n).step_by(CHUNK) {
        let mut part = Partial::zero(k, d);
        for i in c0..n.min(c0 + CHUNK) {
            let row = &data[i * d..(i + 1) * d];
            let (mut best, mut best_d) = (0, f64::INFINITY);
            for (c, centre) in cent.chunks_exact(d).enumerate() {
                let mut acc = 0.0;
                for (x, m) in row.iter().zip(centre) {
                    acc += (x - m) * (x - m);
                }
                if acc < best_d {
                    (best, best_d) = (c, acc);
                }
            }
            want_labels[i] = best;
            part.counts[best] += 1;
            part.inertia += best_d;
            part.changed += 1;
            for (s, v) in part.sums[best * d..(best + 1) * d].iter_mut().zip(row) {
                *s += v;
            }
        }
        want = want.add(&part);
    }
    assert_eq!(labels, want_labels);
    assert_eq!(got.counts, want.counts);
    assert_eq!(got.changed, n);
    assert_eq!(got.inertia.to_bits(), want.inertia.to_bits());
    let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(&got.sums), bits(&want.sums));
    assert_eq!(
        want.counts[4], 0,
        "the tie goes to the first of two equal centroids"
    );
    Ok(())
}
