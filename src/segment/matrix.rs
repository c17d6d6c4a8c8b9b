//! The matrix k-means runs on: the placed customers' feature columns with missing values
//! imputed by the feature's median, skewed columns log-transformed (signed log1p), constant
//! columns dropped and the rest standardised; and the way back to original units for the
//! centroids.

use std::collections::BTreeMap;

use ndarray::{Array1, Array2, ArrayView1, ShapeBuilder};
use polars::prelude::*;

use super::params::Transform;
use crate::error::{Error, Result};

/// sign(x) ln(1 + |x|) and its inverse.
fn slog(v: f64) -> f64 {
    v.signum() * v.abs().ln_1p()
}
fn slog_inv(v: f64) -> f64 {
    v.signum() * v.abs().exp_m1()
}

/// The matrix k-means runs on, and how it was made from the feature columns.
pub(super) struct FeatureMatrix {
    /// The features kept (those that vary), in matrix column order.
    pub(super) features: Vec<String>,
    /// Features left out because they do not vary.
    pub(super) dropped: Vec<String>,
    /// Missing values replaced by the feature's median, per feature.
    pub(super) imputed: BTreeMap<String, usize>,
    /// Placed customers x kept features, transformed.
    pub(super) z: Array2<f64>,
    /// Mean and standard deviation of each kept column before standardising.
    pub(super) mu: Array1<f64>,
    pub(super) sd: Array1<f64>,
}

impl FeatureMatrix {
    /// The feature matrix of `rows`: missing values imputed, transformed, constant columns
    /// dropped, standardised (unless the transform is `none`). Each column is prepared on its
    /// own, the columns on every core; the matrix is column-major.
    pub(super) fn prepare(
        df: &DataFrame,
        rows: &[usize],
        features: &[String],
        transform: Transform,
    ) -> Result<FeatureMatrix> {
        let names: Vec<&str> = features.iter().map(String::as_str).collect();
        // only the feature columns, and only gathered when some rows are left out
        let mut cols = df.select(names.iter().copied())?;
        if rows.len() != df.height() {
            let idx = IdxCa::from_vec("i".into(), rows.iter().map(|i| *i as IdxSize).collect());
            cols = cols.take(&idx)?;
        }
        let prepared = crate::par::map_tasks(names.len(), |j| {
            prepare_column(cols.column(names[j])?, transform)
        })?;
        let imputed: BTreeMap<String, usize> = features
            .iter()
            .zip(&prepared)
            .filter(|(_, p)| p.imputed > 0)
            .map(|(f, p)| (f.clone(), p.imputed))
            .collect();
        // Constant features carry no information and break standardisation: left out, reported.
        let (kept, dropped): (Vec<_>, Vec<_>) = features
            .iter()
            .zip(prepared)
            .partition(|(_, p)| p.sd > MIN_SD);
        if kept.is_empty() {
            return Err(Error::validation(
                "segment",
                "every feature is constant over the customers: nothing to segment on",
            ));
        }
        let (n, d) = (rows.len(), kept.len());
        let mut flat = Vec::with_capacity(n * d);
        kept.iter()
            .for_each(|(_, p)| flat.extend_from_slice(&p.values));
        let z = Array2::from_shape_vec((n, d).f(), flat)
            .map_err(|e| Error::Internal(format!("feature matrix: {e}")))?;
        Ok(FeatureMatrix {
            features: kept.iter().map(|(f, _)| f.to_string()).collect(),
            dropped: dropped.iter().map(|(f, _)| f.to_string()).collect(),
            imputed,
            z,
            mu: kept.iter().map(|(_, p)| p.mean).collect(),
            sd: kept.iter().map(|(_, p)| p.sd).collect(),
        })
    }

    /// A centroid row back in the features' original units.
    pub(super) fn original_units(
        &self,
        row: ArrayView1<f64>,
        transform: Transform,
    ) -> BTreeMap<String, f64> {
        let mut m = BTreeMap::new();
        for (j, f) in self.features.iter().enumerate() {
            let mut val = row[j];
            if transform != Transform::None {
                val = val * self.sd[j] + self.mu[j];
            }
            if transform == Transform::Log1pStandardize {
                val = slog_inv(val);
            }
            m.insert(f.clone(), val);
        }
        m
    }
}

/// A standard deviation at or below this is a constant feature.
const MIN_SD: f64 = 1e-12;

/// One feature column over the placed customers, ready for k-means.
struct Prepared {
    /// Imputed, transformed and (unless the transform is `none`, or the column is constant)
    /// standardised.
    values: Vec<f64>,
    /// Missing values replaced by the median.
    imputed: usize,
    /// Mean and population standard deviation before standardising.
    mean: f64,
    sd: f64,
}

/// A feature column prepared: missing values (null, NaN, infinite) imputed with the median,
/// signed log1p when the transform says so, then standardised with its mean and standard
/// deviation. The mean and standard deviation are ndarray's `mean_axis(Axis(0))` and
/// `std_axis(Axis(0), 0.0)` of a row-major matrix computed column by column (a running sum
/// from 0 in row order; Welford's update with a fused multiply-add), so the same values as
/// the whole-matrix calls.
fn prepare_column(c: &Column, transform: Transform) -> Result<Prepared> {
    let c = c.cast(&DataType::Float64)?;
    let mut values: Vec<f64> = c.f64()?.iter().map(|v| v.unwrap_or(f64::NAN)).collect();
    let imputed = impute_median(&mut values);
    if transform == Transform::Log1pStandardize {
        values.iter_mut().for_each(|v| *v = slog(*v));
    }
    let mean = values.iter().fold(0.0, |s, v| s + v) / values.len() as f64;
    let sd = variance(values.iter().copied()).sqrt();
    if transform != Transform::None && sd > MIN_SD {
        values.iter_mut().for_each(|v| *v = (*v - mean) / sd);
    }
    Ok(Prepared {
        values,
        imputed,
        mean,
        sd,
    })
}

/// Population variance of one column as ndarray's `var_axis(Axis(0), 0.0)` computes it for
/// each column of a matrix: Welford's update in row order with a fused multiply-add.
pub(super) fn variance(values: impl ExactSizeIterator<Item = f64>) -> f64 {
    let n = values.len() as f64;
    let (mut m, mut sum_sq) = (0.0f64, 0.0f64);
    for (i, x) in values.enumerate() {
        let delta = x - m;
        m += delta / (i + 1) as f64;
        sum_sq = (x - m).mul_add(delta, sum_sq);
    }
    sum_sq / n
}

/// Missing values (not finite): the column's median over the placed customers. Returns how
/// many were replaced.
fn impute_median(values: &mut [f64]) -> usize {
    if values.iter().all(|v| v.is_finite()) {
        return 0;
    }
    let mut finite: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    let n_missing = values.len() - finite.len();
    finite.sort_by(f64::total_cmp);
    let median = if finite.is_empty() {
        0.0
    } else {
        finite[finite.len() / 2]
    };
    values
        .iter_mut()
        .filter(|v| !v.is_finite())
        .for_each(|v| *v = median);
    n_missing
}
