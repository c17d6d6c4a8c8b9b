//! The segmentation stage: per-customer table → feature matrix (missing values imputed by a
//! stated rule, skewed columns log-transformed, standardised) → k-means (k fixed, or chosen by
//! silhouette) → segments numbered by value, profiled and named → stability across seeds.
//! Pure: frames in, frames and a model summary out.

use std::collections::BTreeMap;

use ndarray::{Array1, Axis};
use polars::prelude::*;
use serde::Serialize;

use super::kmeans::{KMeansModel, KMeansParams};
use super::metrics::{adjusted_rand_index, calinski_harabasz, silhouette};
use super::params::{SegmentParams, SegmentValid, Transform};
use super::profile::{ProfileParams, order_labels, profiles};
use crate::edge::to_array;
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
    /// Mean adjusted Rand index between this labelling and refits with other seeds.
    pub stability_ari: f64,
    pub stability_runs: usize,
    pub k_scores: Vec<KScore>,
    pub seed: u64,
}

/// The segmentation of a customer table.
pub struct Segmentation {
    /// `customer_id`, `segment` (1..k; null = unplaced), `segment_name`, in the input's order.
    pub labels: DataFrame,
    /// One row per segment.
    pub segments: DataFrame,
    pub report: KMeansReport,
}

pub use crate::schema::columns::{SEGMENT, SEGMENT_NAME};

/// sign(x) ln(1 + |x|) and its inverse.
fn slog(v: f64) -> f64 {
    v.signum() * v.abs().ln_1p()
}
fn slog_inv(v: f64) -> f64 {
    v.signum() * v.abs().exp_m1()
}

/// Segment the customers of `df` (one row per customer; buyers are those with `frequency`).
pub fn segment(df: &DataFrame, v: &SegmentValid, seed: u64) -> Result<Segmentation> {
    let p: &SegmentParams = v;
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
    // Placeable: customers with a purchase (frequency present) when that column exists.
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
    let idx = IdxCa::from_vec("i".into(), rows.iter().map(|i| *i as IdxSize).collect());
    let sub = df.take(&idx)?;
    let names: Vec<&str> = p.features.iter().map(String::as_str).collect();
    let mut x = to_array(&sub, &names)?;
    // Missing values: the feature's median over the placed customers (stated in the report).
    let mut imputed = BTreeMap::new();
    for (j, f) in p.features.iter().enumerate() {
        let mut col: Vec<f64> = x
            .column(j)
            .iter()
            .copied()
            .filter(|v| v.is_finite())
            .collect();
        let n_missing = x.nrows() - col.len();
        if n_missing == 0 {
            continue;
        }
        col.sort_by(f64::total_cmp);
        let median = if col.is_empty() {
            0.0
        } else {
            col[col.len() / 2]
        };
        x.column_mut(j)
            .mapv_inplace(|v| if v.is_finite() { v } else { median });
        imputed.insert(f.clone(), n_missing);
    }
    if p.transform == Transform::Log1pStandardize {
        x.mapv_inplace(slog);
    }
    // Constant features carry no information and break standardisation: left out, reported.
    let mean = x
        .mean_axis(Axis(0))
        .unwrap_or_else(|| Array1::zeros(x.ncols()));
    let std = x.std_axis(Axis(0), 0.0);
    let keep: Vec<usize> = (0..x.ncols()).filter(|j| std[*j] > 1e-12).collect();
    let dropped: Vec<String> = (0..x.ncols())
        .filter(|j| !keep.contains(j))
        .map(|j| p.features[j].clone())
        .collect();
    if keep.is_empty() {
        return Err(Error::validation(
            "segment",
            "every feature is constant over the customers: nothing to segment on",
        ));
    }
    let features: Vec<String> = keep.iter().map(|j| p.features[*j].clone()).collect();
    let mut z = x.select(Axis(1), &keep);
    let (mu, sd) = (mean.select(Axis(0), &keep), std.select(Axis(0), &keep));
    if p.transform != Transform::None {
        for mut row in z.rows_mut() {
            row -= &mu;
            row /= &sd;
        }
    }
    let fit_with = |k: usize, seed: u64, n_init: usize| -> Result<KMeansModel> {
        KMeansParams {
            k,
            n_init,
            max_iter: p.max_iter,
            tol: p.tol,
            seed,
        }
        .check()?
        .fit(&z)
    };
    // Scanning k and the stability refits use at most 3 restarts each; the chosen k is fitted
    // with the full `n_init` (so k = auto on a million customers stays well under 30 s).
    let scan_init = p.n_init.min(3);
    let fit = |k: usize, seed: u64| fit_with(k, seed, scan_init);
    let sample = Some((p.silhouette_sample, seed));
    let (model, k_scores) = match v.fixed_k() {
        Some(k) => (fit_with(k, seed, p.n_init)?, vec![]),
        None => {
            let mut best: Option<(f64, KMeansModel)> = None;
            let mut scores = Vec::new();
            let k_hi = p.k_max.min(z.nrows().saturating_sub(1)).max(p.k_min);
            for k in p.k_min..=k_hi {
                let m = match fit(k, seed) {
                    Ok(m) => m,
                    Err(e) if k > p.k_min => {
                        // too few distinct customers for larger k: stop trying
                        let _ = e;
                        break;
                    }
                    Err(e) => return Err(e),
                };
                let sil = silhouette(&z, &m.labels, sample)?;
                scores.push(KScore {
                    k,
                    inertia: m.inertia,
                    silhouette: sil,
                    calinski_harabasz: calinski_harabasz(&z, &m.labels)?,
                });
                if best.as_ref().is_none_or(|(b, _)| sil > *b) {
                    best = Some((sil, m));
                }
            }
            let (_, m) =
                best.ok_or_else(|| Error::validation("segment", "no k could be fitted"))?;
            let k = m.centroids.nrows();
            let m = if p.n_init > scan_init {
                fit_with(k, seed, p.n_init)?
            } else {
                m
            };
            (m, scores)
        }
    };
    let k = model.centroids.nrows();
    // Stability: agreement with refits from other seeds.
    let mut aris = Vec::new();
    for r in 1..=p.stability_runs {
        let other = fit(k, seed.wrapping_add(r as u64 * 7919))?;
        aris.push(adjusted_rand_index(&model.labels, &other.labels)?);
    }
    let stability = if aris.is_empty() {
        1.0
    } else {
        aris.iter().sum::<f64>() / aris.len() as f64
    };
    // Labels for every customer, then renumbered by value.
    let mut raw: Vec<Option<usize>> = vec![None; df.height()];
    for (pos, i) in rows.iter().enumerate() {
        raw[*i] = Some(model.labels[pos]);
    }
    let ordered = order_labels(df, &raw, &p.value_col)?;
    let pp = ProfileParams {
        features: p.features.clone(),
        value_col: p.value_col.clone(),
        names: p.names.clone(),
    };
    let (segments, seg_names) = profiles(df, &ordered, &pp)?;
    // raw cluster id -> ordered number, for the centroids
    let mut number_of: BTreeMap<usize, u32> = BTreeMap::new();
    for (r, o) in raw.iter().zip(&ordered) {
        if let (Some(r), Some(o)) = (r, o) {
            number_of.insert(*r, *o);
        }
    }
    let mut centroids: Vec<(u32, BTreeMap<String, f64>)> = Vec::new();
    for (c, row) in model.centroids.rows().into_iter().enumerate() {
        let mut m = BTreeMap::new();
        for (j, f) in features.iter().enumerate() {
            let mut val = row[j];
            if p.transform != Transform::None {
                val = val * sd[j] + mu[j];
            }
            if p.transform == Transform::Log1pStandardize {
                val = slog_inv(val);
            }
            m.insert(f.clone(), val);
        }
        centroids.push((number_of.get(&c).copied().unwrap_or(u32::MAX), m));
    }
    centroids.sort_by_key(|(n, _)| *n);
    let labels = DataFrame::new_infer_height(vec![
        df.column(s::CUSTOMER_ID)?.clone(),
        Column::new(
            SEGMENT.into(),
            ordered.iter().map(|o| o.map(i64::from)).collect::<Vec<_>>(),
        ),
        Column::new(SEGMENT_NAME.into(), seg_names),
    ])?;
    let sil = silhouette(&z, &model.labels, sample)?;
    let report = KMeansReport {
        k,
        inertia: model.inertia,
        silhouette: sil,
        calinski_harabasz: calinski_harabasz(&z, &model.labels)?,
        iterations: model.iterations,
        converged: model.converged,
        features,
        dropped_constant: dropped,
        transform: p.transform,
        imputed_with_median: imputed,
        customers_placed: rows.len(),
        customers_unplaced: df.height() - rows.len(),
        centroids: centroids.into_iter().map(|(_, m)| m).collect(),
        stability_ari: stability,
        stability_runs: aris.len(),
        k_scores,
        seed,
    };
    Ok(Segmentation {
        labels,
        segments,
        report,
    })
}

#[cfg(test)]
#[path = "stage_tests.rs"]
mod tests;
