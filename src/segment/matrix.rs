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
    /// The median of each kept column's finite values (what a missing value takes), in
    /// original units.
    pub(super) median: Array1<f64>,
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
        // every column prepared in its own slice of the column-major matrix, on every core
        let n = rows.len();
        let mut flat = vec![0.0; n * names.len()];
        let slots: Vec<_> = flat.chunks_mut(n.max(1)).enumerate().collect();
        let prepared = crate::par::map_owned(slots, |(j, out)| {
            prepare_column(cols.column(names[j])?, transform, out)
        })?;
        let prepared = prepared.into_iter().collect::<Result<Vec<Prepared>>>()?;
        let imputed: BTreeMap<String, usize> = features
            .iter()
            .zip(&prepared)
            .filter(|(_, p)| p.imputed > 0)
            .map(|(f, p)| (f.clone(), p.imputed))
            .collect();
        // Constant features carry no information and break standardisation: left out, reported.
        let keep: Vec<usize> = (0..names.len())
            .filter(|&j| prepared[j].sd > MIN_SD)
            .collect();
        if keep.is_empty() {
            return Err(Error::validation(
                "segment",
                "every feature is constant over the customers: nothing to segment on",
            ));
        }
        for (to, &j) in keep.iter().enumerate() {
            if to != j {
                flat.copy_within(j * n..(j + 1) * n, to * n);
            }
        }
        flat.truncate(keep.len() * n);
        let z = Array2::from_shape_vec((n, keep.len()).f(), flat)
            .map_err(|e| Error::Internal(format!("feature matrix: {e}")))?;
        Ok(FeatureMatrix {
            features: keep.iter().map(|&j| features[j].clone()).collect(),
            dropped: (0..names.len())
                .filter(|j| !keep.contains(j))
                .map(|j| features[j].clone())
                .collect(),
            imputed,
            z,
            mu: keep.iter().map(|&j| prepared[j].mean).collect(),
            sd: keep.iter().map(|&j| prepared[j].sd).collect(),
            median: keep.iter().map(|&j| prepared[j].median).collect(),
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

/// What preparing one feature column found.
struct Prepared {
    /// Missing values replaced by the median.
    imputed: usize,
    /// Mean and population standard deviation before standardising.
    mean: f64,
    sd: f64,
    /// The median of the finite values (0 when none), imputed or not.
    median: f64,
}

/// A feature column prepared into `out`: missing values (null, NaN, infinite) imputed with
/// the median, signed log1p when the transform says so, then standardised with its mean and
/// standard deviation (unless the transform is `none`, or the column is constant). The mean
/// and standard deviation are ndarray's `mean_axis(Axis(0))` and `std_axis(Axis(0), 0.0)` of a
/// row-major matrix computed column by column (a running sum from 0 in row order; Welford's
/// update with a fused multiply-add), so the same values as the whole-matrix calls.
fn prepare_column(c: &Column, transform: Transform, out: &mut [f64]) -> Result<Prepared> {
    let c = c.cast(&DataType::Float64)?;
    let ca = c.f64()?;
    if ca.null_count() == 0 {
        out.iter_mut()
            .zip(ca.into_no_null_iter())
            .for_each(|(o, v)| *o = v);
    } else {
        out.iter_mut()
            .zip(ca.iter())
            .for_each(|(o, v)| *o = v.unwrap_or(f64::NAN));
    }
    let (imputed, median) = impute_median(out);
    if transform == Transform::Log1pStandardize {
        out.iter_mut().for_each(|v| *v = slog(*v));
    }
    let mean = out.iter().fold(0.0, |s, v| s + v) / out.len() as f64;
    let sd = variance(out.iter().copied()).sqrt();
    if transform != Transform::None && sd > MIN_SD {
        out.iter_mut().for_each(|v| *v = (*v - mean) / sd);
    }
    Ok(Prepared {
        imputed,
        mean,
        sd,
        median,
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

/// Missing values (not finite): the column's median over the placed customers (the middle
/// finite value, the upper one of an even count; 0 when none is finite). Returns how many were
/// replaced and the median, which is recorded even when nothing was missing so that a scorer
/// can impute a customer fitted without one (`models/kmeans.json` `scaling`).
fn impute_median(values: &mut [f64]) -> (usize, f64) {
    let mut finite: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    let n_missing = values.len() - finite.len();
    let median = if finite.is_empty() {
        0.0
    } else {
        let mid = finite.len() / 2;
        *finite.select_nth_unstable_by(mid, f64::total_cmp).1
    };
    values
        .iter_mut()
        .filter(|v| !v.is_finite())
        .for_each(|v| *v = median);
    (n_missing, median)
}
