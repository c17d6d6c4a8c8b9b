//! Cluster quality measures, defined as in scikit-learn (the tests pin its numbers): mean
//! silhouette, Calinski-Harabasz index, adjusted Rand index and inertia. Distances are
//! Euclidean on the matrix given (the standardised features). Labels are any integers; only
//! equality between them matters.

use std::collections::HashMap;

use ndarray::Array2;

pub use super::silhouette::{sample_rows, silhouette, silhouettes};
use crate::error::{Error, Result};

pub(super) fn bad<T>(msg: String) -> Result<T> {
    Err(Error::validation("segment quality", msg))
}

/// Labels renumbered 0.. in order of first appearance, and the number of distinct labels.
pub(super) fn dense(labels: &[usize]) -> (Vec<usize>, usize) {
    let mut ids = HashMap::new();
    let out = labels
        .iter()
        .map(|l| {
            let next = ids.len();
            *ids.entry(*l).or_insert(next)
        })
        .collect();
    (out, ids.len())
}

pub(super) fn check_rows(x: &Array2<f64>, labels: &[usize]) -> Result<()> {
    if x.nrows() != labels.len() {
        return bad(format!("{} rows but {} labels", x.nrows(), labels.len()));
    }
    let bad_column = x
        .columns()
        .into_iter()
        .position(|c| c.iter().any(|v| !v.is_finite()));
    if let Some(j) = bad_column {
        return bad(format!("feature column {j} has missing or infinite values"));
    }
    Ok(())
}

fn sq_dist(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum()
}

/// Calinski-Harabasz index: between-segment dispersion / within-segment dispersion, each per
/// degree of freedom: `[B / (k - 1)] / [W / (n - k)]` (higher is better). Needs between 2 and
/// (rows - 1) segments; 1.0 when every segment is a single point value (W = 0).
pub fn calinski_harabasz(x: &Array2<f64>, labels: &[usize]) -> Result<f64> {
    check_rows(x, labels)?;
    let (n, d) = x.dim();
    let (lab, k) = dense(labels);
    if k < 2 || k >= n {
        return bad(format!(
            "the Calinski-Harabasz index needs between 2 and {} segments among {n} customers; got {k}",
            n.saturating_sub(1)
        ));
    }
    let mut means = vec![0.0; k * d];
    let mut size = vec![0usize; k];
    for (row, &c) in x.rows().into_iter().zip(&lab) {
        size[c] += 1;
        for (j, v) in row.iter().enumerate() {
            means[c * d + j] += v;
        }
    }
    for c in 0..k {
        means[c * d..(c + 1) * d]
            .iter_mut()
            .for_each(|v| *v /= size[c] as f64);
    }
    let grand = x.mean_axis(ndarray::Axis(0)).unwrap_or_default().to_vec();
    let mut within = 0.0;
    for (row, &c) in x.rows().into_iter().zip(&lab) {
        let mean = &means[c * d..(c + 1) * d];
        within += row
            .iter()
            .zip(mean)
            .map(|(a, b)| (a - b) * (a - b))
            .sum::<f64>();
    }
    let between: f64 = (0..k)
        .map(|c| size[c] as f64 * sq_dist(&means[c * d..(c + 1) * d], &grand))
        .sum();
    if within == 0.0 {
        return Ok(1.0);
    }
    Ok(between * (n - k) as f64 / (within * (k - 1) as f64))
}

/// Adjusted Rand index of two labelings of the same customers: 1 for identical partitions
/// (up to renaming), about 0 for independent ones, negative when worse than chance.
pub fn adjusted_rand_index(a: &[usize], b: &[usize]) -> Result<f64> {
    if a.len() != b.len() {
        return bad(format!(
            "labelings of {} and {} customers cannot be compared",
            a.len(),
            b.len()
        ));
    }
    let n = a.len() as i128;
    let (a, ka) = dense(a);
    let (b, kb) = dense(b);
    let mut table: HashMap<(usize, usize), i128> = HashMap::new();
    let (mut na, mut nb) = (vec![0i128; ka], vec![0i128; kb]);
    for (&i, &j) in a.iter().zip(&b) {
        *table.entry((i, j)).or_insert(0) += 1;
        na[i] += 1;
        nb[j] += 1;
    }
    // pair confusion matrix, as scikit-learn's pair_confusion_matrix
    let sq = |v: &mut dyn Iterator<Item = i128>| v.map(|c| c * c).sum::<i128>();
    let sum_sq = sq(&mut table.values().copied());
    let tp = sum_sq - n;
    let fp = sq(&mut nb.iter().copied()) - sum_sq;
    let fn_ = sq(&mut na.iter().copied()) - sum_sq;
    let tn = n * n - fp - fn_ - sum_sq;
    if fn_ == 0 && fp == 0 {
        return Ok(1.0);
    }
    let num = 2.0 * ((tp * tn - fn_ * fp) as f64);
    let den = ((tp + fn_) * (fn_ + tn) + (tp + fp) * (fp + tn)) as f64;
    Ok(num / den)
}

/// Sum over rows of the squared Euclidean distance to the row's centroid (`centroids` row
/// `labels[i]`).
pub fn inertia(x: &Array2<f64>, labels: &[usize], centroids: &Array2<f64>) -> Result<f64> {
    check_rows(x, labels)?;
    if x.ncols() != centroids.ncols() {
        return bad(format!(
            "{} feature columns but centroids of {} columns",
            x.ncols(),
            centroids.ncols()
        ));
    }
    let k = centroids.nrows();
    let mut total = 0.0;
    for (row, &c) in x.rows().into_iter().zip(labels) {
        if c >= k {
            return bad(format!("label {c} but only {k} centroids"));
        }
        total += row
            .iter()
            .zip(centroids.row(c))
            .map(|(a, b)| (a - b) * (a - b))
            .sum::<f64>();
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::segment::kmeans::gaussian_blobs;
    use ndarray::array;

    // Reference numbers from scikit-learn 1.9.1 (the peer virtualenv of `make-peer-venv`): silhouette_score,
    // calinski_harabasz_score, adjusted_rand_score on these inputs; inertia as
    // ((x - c[lab]) ** 2).sum() in numpy. Tolerance 1e-12 (same formulas, f64 sums).
    fn points() -> Array2<f64> {
        array![
            [0.0, 0.0],
            [0.5, 0.2],
            [0.1, 0.9],
            [1.0, 1.0],
            [4.0, 4.2],
            [4.5, 3.9],
            [5.0, 5.0],
            [3.8, 4.4],
            [9.0, 0.5],
            [8.5, 1.0],
            [9.2, 1.4],
            [2.0, 2.5]
        ]
    }
    const LAB: [usize; 12] = [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 1];
    const LAB2: [usize; 12] = [7, 7, 3, 3, 3, 7, 7, 9, 9, 9, 9, 9];
    const TOL: f64 = 1e-12;

    #[test]
    fn silhouette_matches_sklearn() -> Result<()> {
        let x = points();
        assert!((silhouette(&x, &LAB, None)? - 0.7168676204910422).abs() < TOL);
        assert!((silhouette(&x, &LAB2, None)? - -0.06180007075915792).abs() < TOL);
        // a sample at least as large as the data is exact
        assert!((silhouette(&x, &LAB, Some((12, 5)))? - 0.7168676204910422).abs() < TOL);
        Ok(())
    }

    #[test]
    fn sampled_silhouette_is_seeded_and_close() -> Result<()> {
        let centres = array![[0.0, 0.0], [6.0, 0.0], [0.0, 6.0]];
        let (x, lab) = gaussian_blobs(3000, &centres, 1.0, 3);
        let exact = silhouette(&x, &lab, None)?;
        let s1 = silhouette(&x, &lab, Some((500, 1)))?;
        assert_eq!(s1, silhouette(&x, &lab, Some((500, 1)))?);
        assert!((s1 - exact).abs() < 0.03, "sampled {s1} vs exact {exact}");
        Ok(())
    }

    #[test]
    fn silhouettes_of_several_labelings_equal_each_alone_to_the_last_digit() -> Result<()> {
        let centres = array![[0.0, 0.0], [6.0, 0.0], [0.0, 6.0]];
        let (x, lab3) = gaussian_blobs(1500, &centres, 1.5, 4);
        let lab2: Vec<usize> = lab3.iter().map(|l| l % 2).collect();
        let lab5: Vec<usize> = (0..x.nrows()).map(|i| (i * 7 + lab3[i]) % 5).collect();
        for sample in [None, Some((400, 9))] {
            let all = silhouettes(&x, &[&lab3, &lab2, &lab5], sample)?;
            for (l, s) in [&lab3, &lab2, &lab5].iter().zip(&all) {
                assert_eq!(s.to_bits(), silhouette(&x, l, sample)?.to_bits());
            }
        }
        Ok(())
    }

    #[test]
    fn calinski_harabasz_matches_sklearn() -> Result<()> {
        let x = points();
        assert!((calinski_harabasz(&x, &LAB)? - 65.59856980208058).abs() < 1e-10);
        assert!((calinski_harabasz(&x, &LAB2)? - 2.302061877513216).abs() < 1e-12);
        Ok(())
    }

    #[test]
    fn adjusted_rand_index_matches_sklearn() -> Result<()> {
        let a = [0, 0, 0, 1, 1, 1, 2, 2, 2, 2];
        let b = [1, 1, 0, 0, 2, 2, 2, 3, 3, 3];
        assert!((adjusted_rand_index(&a, &b)? - 0.3644067796610169).abs() < TOL);
        let renamed = [5, 5, 5, 0, 0, 0, 9, 9, 9, 9];
        assert_eq!(adjusted_rand_index(&a, &renamed)?, 1.0);
        assert!((adjusted_rand_index(&[0, 0, 1, 1], &[0, 1, 0, 1])? - -0.5).abs() < TOL);
        Ok(())
    }

    #[test]
    fn inertia_matches_numpy() -> Result<()> {
        let c = array![[0.4, 0.525], [4.0, 4.0], [8.9, 0.9]];
        assert!((inertia(&points(), &LAB, &c)? - 10.7975).abs() < 1e-12);
        Ok(())
    }

    #[test]
    fn bad_inputs_are_errors_not_panics() {
        let x = points();
        assert!(silhouette(&x, &[0; 12], None).is_err()); // one segment
        assert!(silhouette(&x, &LAB[..5], None).is_err()); // length mismatch
        assert!(calinski_harabasz(&x, &[0; 12]).is_err());
        assert!(adjusted_rand_index(&[0, 1], &[0]).is_err());
        let c = array![[0.0, 0.0]];
        assert!(inertia(&x, &LAB, &c).is_err()); // label 2 has no centroid
        assert!(inertia(&x, &LAB, &array![[0.0]]).is_err()); // column mismatch
        let mut nan = points();
        nan[[3, 1]] = f64::NAN;
        assert!(silhouette(&nan, &LAB, None).is_err());
    }
}
