//! The segmentation stage: per-customer table → feature matrix (missing values imputed by a
//! stated rule, skewed columns log-transformed, standardised) → k-means (k fixed, or chosen by
//! silhouette) → segments numbered by value, profiled and named → stability across seeds.
//! Pure: frames in, frames and a model summary out.

use std::collections::BTreeMap;

use ndarray::{Array2, Axis};
use polars::prelude::*;
use serde::Serialize;

use super::kmeans::{KMeansModel, KMeansParams};
use super::matrix::FeatureMatrix;
use super::metrics::{
    adjusted_rand_index, calinski_harabasz, sample_rows, silhouette, silhouettes,
};
use super::params::{SegmentParams, SegmentValid, Transform};
use super::profiled::{Profiled, profile};
use crate::error::{Error, Result};
use crate::schema as s;

/// One k tried when choosing k.
#[derive(Debug, Clone, Serialize)]
pub struct KScore {
    pub k: usize,
    pub inertia: f64,
    pub silhouette: f64,
    pub calinski_harabasz: f64,
}

/// `models/kmeans.json`.
#[derive(Debug, Clone, Serialize)]
pub struct KMeansReport {
    pub k: usize,
    pub inertia: f64,
    pub silhouette: f64,
    pub calinski_harabasz: f64,
    pub iterations: u64,
    pub converged: bool,
    pub features: Vec<String>,
    /// Features left out because they do not vary.
    pub dropped_constant: Vec<String>,
    pub transform: Transform,
    /// Missing values replaced by the feature's median, per feature.
    pub imputed_with_median: BTreeMap<String, usize>,
    pub customers_placed: usize,
    pub customers_unplaced: usize,
    /// Centroids in original units, one object per segment number (1 = highest value).
    pub centroids: Vec<BTreeMap<String, f64>>,
    /// How a customer is placed, per kept feature (`features`): a missing value takes
    /// `median`, then signed log1p when `transform` is `log1p-standardize`, then
    /// `(v - mean) / sd` unless `transform` is `none`; the customer goes to the nearest of
    /// `centroids_scaled` (squared Euclidean distance). `spark/score.py` places with these.
    pub scaling: BTreeMap<String, Scaling>,
    /// The centroids in the matrix's units (after `scaling`), by segment number, each in
    /// `features` order.
    pub centroids_scaled: Vec<Vec<f64>>,
    /// Mean adjusted Rand index between this labelling and refits with other seeds.
    pub stability_ari: f64,
    pub stability_runs: usize,
    /// When the stability refits ran on a seeded sample of the placed customers (more of them
    /// than `scan_sample`): the rows available, the rows used and the seed. Absent when the
    /// refits used every customer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stability_sample: Option<ScanSample>,
    pub k_scores: Vec<KScore>,
    /// When k was chosen on a seeded sample of the placed customers (more of them than
    /// `scan_sample`): the rows available, the rows used and the seed. The chosen k is then
    /// fitted on all of them. Absent when the scan used every customer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub k_scan_sample: Option<ScanSample>,
    /// The column segments are numbered by, when it is not `value_col` (absent from the
    /// table): the first feature. Absent when segments are numbered by `value_col`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ordered_by: Option<String>,
    pub seed: u64,
}

/// The seeded sample k = auto's scan ran on.
/// One feature's preparation for k-means (see [`KMeansReport::scaling`]).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Scaling {
    /// Median of the placed customers' finite values, original units.
    pub median: f64,
    /// Mean and population standard deviation of the column after imputation and transform.
    pub mean: f64,
    pub sd: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ScanSample {
    pub rows_available: usize,
    pub rows_used: usize,
    pub seed: u64,
}

/// The segmentation of a customer table.
pub struct Segmentation {
    /// `customer_id`, `segment` (1..k; null = unplaced), `segment_name`, in the input's order.
    pub labels: DataFrame,
    /// One row per segment.
    pub segments: DataFrame,
    pub report: KMeansReport,
    /// Facts the user should read (e.g. no value column to number segments by).
    pub notes: Vec<String>,
}

pub use crate::schema::columns::{SEGMENT, SEGMENT_NAME};

/// Segment the customers of `df` (one row per customer; buyers are those with `frequency`).
pub fn segment(df: &DataFrame, v: &SegmentValid, seed: u64) -> Result<Segmentation> {
    let p: &SegmentParams = v;
    check_features(df, p)?;
    let rows = placeable_rows(df)?;
    let m = FeatureMatrix::prepare(df, &rows, &p.features, p.transform)?;
    let (model, k_scores, k_scan_sample) = choose_model(&m.z, v.fixed_k(), p, seed)?;
    let k = model.centroids.nrows();
    let sample = Some((p.silhouette_sample, seed));
    // the stability refits, the quality scores and the profile only read the fit: side by side
    let ((stab, quality), profiled) = crate::par::join(
        || {
            crate::par::join(
                || stability(&m.z, &model, p, seed),
                || -> Result<(f64, f64)> {
                    let sil = silhouette(&m.z, &model.labels, sample)?;
                    Ok((sil, calinski_harabasz(&m.z, &model.labels)?))
                },
            )
        },
        || profile(df, p, &rows, &model, &m),
    );
    // errors in the order a serial run meets them
    let (aris, stability_sample) = stab?;
    let Profiled {
        segments,
        labels,
        centroids,
        centroids_scaled,
        ordered_by,
        notes,
    } = profiled?;
    let (silhouette, calinski_harabasz) = quality?;
    let stability = if aris.is_empty() {
        1.0
    } else {
        aris.iter().sum::<f64>() / aris.len() as f64
    };
    let scaling = m
        .features
        .iter()
        .enumerate()
        .map(|(j, f)| {
            let (median, mean, sd) = (m.median[j], m.mu[j], m.sd[j]);
            (f.clone(), Scaling { median, mean, sd })
        })
        .collect();
    let report = KMeansReport {
        k,
        inertia: model.inertia,
        silhouette,
        calinski_harabasz,
        iterations: model.iterations,
        converged: model.converged,
        features: m.features,
        dropped_constant: m.dropped,
        transform: p.transform,
        imputed_with_median: m.imputed,
        customers_placed: rows.len(),
        customers_unplaced: df.height() - rows.len(),
        centroids,
        scaling,
        centroids_scaled,
        stability_ari: stability,
        stability_runs: aris.len(),
        stability_sample,
        k_scores,
        k_scan_sample,
        ordered_by,
        seed,
    };
    Ok(Segmentation {
        labels,
        segments,
        report,
        notes,
    })
}

/// Every feature must be a numeric (or boolean) column of the customer table.
fn check_features(df: &DataFrame, p: &SegmentParams) -> Result<()> {
    for f in &p.features {
        let c = df.column(f).map_err(|_| {
            Error::validation(
                "segment",
                format!("feature '{f}' is not a column of the customer table"),
            )
        })?;
        if !c.dtype().is_primitive_numeric() && !matches!(c.dtype(), DataType::Boolean) {
            return Err(Error::validation(
                "segment",
                format!("feature '{f}' is not numeric ({})", c.dtype()),
            ));
        }
    }
    Ok(())
}

/// The rows to place: customers with a purchase (`frequency` present) when that column
/// exists, else every row; an error when fewer than two.
fn placeable_rows(df: &DataFrame) -> Result<Vec<usize>> {
    let placeable: Vec<bool> = match df.column(s::FREQUENCY) {
        Ok(c) => c.is_not_null().iter().map(|b| b.unwrap_or(false)).collect(),
        Err(_) => vec![true; df.height()],
    };
    let rows: Vec<usize> = (0..df.height()).filter(|i| placeable[*i]).collect();
    if rows.is_empty() {
        return Err(Error::validation(
            "segment",
            "no customer has a purchase to segment on",
        ));
    }
    if rows.len() < 2 {
        return Err(Error::validation(
            "segment",
            "only 1 customer has a purchase: at least 2 are needed to segment",
        ));
    }
    Ok(rows)
}

/// Restarts when scanning k and for the stability refits; the chosen k is fitted with the
/// full `n_init` (so k = auto on a million customers stays well under 30 s).
fn scan_init(p: &SegmentParams) -> usize {
    p.n_init.min(3)
}

/// k-means with `k` clusters on `z`, `n_init` restarts from `seed`.
fn fit_k(
    z: &Array2<f64>,
    p: &SegmentParams,
    k: usize,
    seed: u64,
    n_init: usize,
) -> Result<KMeansModel> {
    KMeansParams {
        k,
        n_init,
        max_iter: p.max_iter,
        tol: p.tol,
        seed,
    }
    .check()?
    .fit(z)
}

/// The model: k as given, or the k in `k_min..=k_max` with the best silhouette (each k tried
/// is scored), refitted with the full `n_init`. Above `scan_sample` rows the scan runs on a
/// seeded sample of that many rows (stated in the third value) and the chosen k is fitted on
/// every row.
fn choose_model(
    z: &Array2<f64>,
    k: Option<usize>,
    p: &SegmentParams,
    seed: u64,
) -> Result<(KMeansModel, Vec<KScore>, Option<ScanSample>)> {
    if let Some(k) = k {
        return Ok((fit_k(z, p, k, seed, p.n_init)?, vec![], None));
    }
    let n = z.nrows();
    if n <= p.scan_sample {
        let (m, scores) = scan(z, p, seed)?;
        let k = m.centroids.nrows();
        let m = match p.n_init > scan_init(p) {
            true => fit_k(z, p, k, seed, p.n_init)?,
            false => m,
        };
        return Ok((m, scores, None));
    }
    let rows = sample_rows(n, p.scan_sample, seed);
    let (m, scores) = scan(&z.select(Axis(0), &rows), p, seed)?;
    let model = fit_k(z, p, m.centroids.nrows(), seed, p.n_init)?;
    let stated = ScanSample {
        rows_available: n,
        rows_used: rows.len(),
        seed,
    };
    Ok((model, scores, Some(stated)))
}

/// Every k in `k_min..=k_max` fitted on `z` with [`scan_init`] restarts and scored (the
/// silhouettes of all of them from one pass over the sampled distances); the fit with the
/// best silhouette and the scores.
fn scan(z: &Array2<f64>, p: &SegmentParams, seed: u64) -> Result<(KMeansModel, Vec<KScore>)> {
    let mut fits = Vec::new();
    let k_hi = p.k_max.min(z.nrows().saturating_sub(1)).max(p.k_min);
    for k in p.k_min..=k_hi {
        match fit_k(z, p, k, seed, scan_init(p)) {
            Ok(m) => fits.push(m),
            // too few distinct customers for larger k: stop trying
            Err(_) if k > p.k_min => break,
            Err(e) => return Err(e),
        }
    }
    let labelings: Vec<&[usize]> = fits.iter().map(|m| m.labels.as_slice()).collect();
    let sils = silhouettes(z, &labelings, Some((p.silhouette_sample, seed)))?;
    let mut best: Option<(f64, usize)> = None;
    let mut scores = Vec::new();
    for (i, (m, &sil)) in fits.iter().zip(&sils).enumerate() {
        scores.push(KScore {
            k: m.centroids.nrows(),
            inertia: m.inertia,
            silhouette: sil,
            calinski_harabasz: calinski_harabasz(z, &m.labels)?,
        });
        if best.is_none_or(|(b, _)| sil > b) {
            best = Some((sil, i));
        }
    }
    let (_, i) = best.ok_or_else(|| Error::validation("segment", "no k could be fitted"))?;
    Ok((fits.swap_remove(i), scores))
}

/// Stability: the adjusted Rand index of `model`'s labels against refits from other seeds.
/// Above `scan_sample` rows each refit runs on the same seeded sample of that many rows (the
/// one k = auto scans) and is compared with `model`'s labels of those rows: a partition that
/// a refit on a large random subset reproduces is stable, and the refits cost what the scan
/// costs instead of a whole fit each (stated in the second value).
fn stability(
    z: &Array2<f64>,
    model: &KMeansModel,
    p: &SegmentParams,
    seed: u64,
) -> Result<(Vec<f64>, Option<ScanSample>)> {
    let k = model.centroids.nrows();
    let n = z.nrows();
    let (zs, labels, stated) = if n > p.scan_sample && p.stability_runs > 0 {
        let rows = sample_rows(n, p.scan_sample, seed);
        let labels: Vec<usize> = rows.iter().map(|&i| model.labels[i]).collect();
        let stated = ScanSample {
            rows_available: n,
            rows_used: rows.len(),
            seed,
        };
        (
            std::borrow::Cow::Owned(z.select(Axis(0), &rows)),
            std::borrow::Cow::Owned(labels),
            Some(stated),
        )
    } else {
        (
            std::borrow::Cow::Borrowed(z),
            std::borrow::Cow::Borrowed(model.labels.as_slice()),
            None,
        )
    };
    let mut aris = Vec::new();
    for r in 1..=p.stability_runs {
        let s = seed.wrapping_add(r as u64 * 7919);
        let ari = match fit_k(&zs, p, k, s, scan_init(p)) {
            Ok(other) => adjusted_rand_index(&labels, &other.labels)?,
            // the sample holds fewer distinct customers than k: refit on all of them
            Err(_) if stated.is_some() => {
                let other = fit_k(z, p, k, s, scan_init(p))?;
                adjusted_rand_index(&model.labels, &other.labels)?
            }
            Err(e) => return Err(e),
        };
        aris.push(ari);
    }
    Ok((aris, stated))
}

#[cfg(test)]
#[path = "stage_tests.rs"]
mod tests;
