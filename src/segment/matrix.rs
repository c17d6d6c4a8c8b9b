//! The matrix k-means runs on: the placed customers' feature columns with missing values
//! imputed by the feature's median, skewed columns log-transformed (signed log1p), constant
//! columns dropped and the rest standardised; and the way back to original units for the
//! centroids.

use std::collections::BTreeMap;

use ndarray::{Array1, Array2, ArrayView1, Axis};
use polars::prelude::*;

use super::params::Transform;
use crate::edge::to_array;
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
    /// dropped, standardised (unless the transform is `none`).
    pub(super) fn prepare(
        df: &DataFrame,
        rows: &[usize],
        features: &[String],
        transform: Transform,
    ) -> Result<FeatureMatrix> {
        let names: Vec<&str> = features.iter().map(String::as_str).collect();
        // only the feature columns, and only gathered when some rows are left out
        let cols = df.select(names.iter().copied())?;
        let mut x = if rows.len() == df.height() {
            to_array(&cols, &names)?
        } else {
            let idx = IdxCa::from_vec("i".into(), rows.iter().map(|i| *i as IdxSize).collect());
            to_array(&cols.take(&idx)?, &names)?
        };
        let imputed = impute_medians(&mut x, features);
        if transform == Transform::Log1pStandardize {
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
            .map(|j| features[j].clone())
            .collect();
        if keep.is_empty() {
            return Err(Error::validation(
                "segment",
                "every feature is constant over the customers: nothing to segment on",
            ));
        }
        let features: Vec<String> = keep.iter().map(|j| features[*j].clone()).collect();
        // (`select` also gives the column-major layout every later sum was written against)
        let mut z = x.select(Axis(1), &keep);
        let (mu, sd) = (mean.select(Axis(0), &keep), std.select(Axis(0), &keep));
        if transform != Transform::None {
            // broadcast over the rows: the same two operations per value as row by row
            z -= &mu;
            z /= &sd;
        }
        Ok(FeatureMatrix {
            features,
            dropped,
            imputed,
            z,
            mu,
            sd,
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

/// Missing values: the feature's median over the placed customers (stated in the report).
/// Returns the count replaced per feature that had any.
fn impute_medians(x: &mut Array2<f64>, features: &[String]) -> BTreeMap<String, usize> {
    let mut imputed = BTreeMap::new();
    for (j, f) in features.iter().enumerate() {
        if x.column(j).iter().all(|v| v.is_finite()) {
            continue;
        }
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
    imputed
}
