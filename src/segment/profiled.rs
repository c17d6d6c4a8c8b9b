//! The profile step of a segmentation: each customer's cluster renumbered by value (or by the
//! first feature when the table has no value column), the segments profiled and named, and
//! the centroids in the features' original units.

use std::collections::BTreeMap;

use polars::prelude::*;

use super::kmeans::KMeansModel;
use super::matrix::FeatureMatrix;
use super::params::{SegmentParams, Transform};
use super::profile::{ProfileParams, SHARE_REVENUE, order_labels, profiles};
use super::stage::SEGMENT;
use crate::error::Result;
use crate::schema as s;

/// What the profile step gives: the segments table, each customer's labels, the centroids in
/// original units, and the ordering column with its note when it is not the value column.
pub(super) struct Profiled {
    pub(super) segments: DataFrame,
    pub(super) labels: DataFrame,
    pub(super) centroids: Vec<BTreeMap<String, f64>>,
    /// The centroids in the matrix's units (transformed, standardised), by segment number.
    pub(super) centroids_scaled: Vec<Vec<f64>>,
    pub(super) ordered_by: Option<String>,
    pub(super) notes: Vec<String>,
}

/// Labels for every customer, renumbered by value, profiled and named.
pub(super) fn profile(
    df: &DataFrame,
    p: &SegmentParams,
    rows: &[usize],
    model: &KMeansModel,
    m: &FeatureMatrix,
) -> Result<Profiled> {
    let mut raw: Vec<Option<usize>> = vec![None; df.height()];
    for (pos, i) in rows.iter().enumerate() {
        raw[*i] = Some(model.labels[pos]);
    }
    let (pp, ordered_by, notes) = profile_params(df, p);
    let ordered = order_labels(df, &raw, &pp.value_col)?;
    let (mut segments, seg_names) = profiles(df, &ordered, &pp)?;
    if ordered_by.is_some() {
        // the ordering column is not revenue: no revenue share to state
        let none = Column::full_null(SHARE_REVENUE.into(), segments.height(), &DataType::Float64);
        segments.with_column(none)?;
    }
    let (centroids, centroids_scaled) = centroids(model, &raw, &ordered, m, p.transform);
    let labels = DataFrame::new_infer_height(vec![
        df.column(s::CUSTOMER_ID)?.clone(),
        Column::new(
            SEGMENT.into(),
            ordered.iter().map(|o| o.map(i64::from)).collect::<Vec<_>>(),
        ),
        seg_names,
    ])?;
    Ok(Profiled {
        segments,
        labels,
        centroids,
        centroids_scaled,
        ordered_by,
        notes,
    })
}

/// The profile settings, with the column segments are numbered by: `value_col`, or the first
/// feature when the table has no such column (then named, with a note saying so).
fn profile_params(
    df: &DataFrame,
    p: &SegmentParams,
) -> (ProfileParams, Option<String>, Vec<String>) {
    let mut pp = ProfileParams {
        features: p.features.clone(),
        value_col: p.value_col.clone(),
        names: p.names.clone(),
        value_words: true,
    };
    if df.column(&p.value_col).is_ok() {
        return (pp, None, vec![]);
    }
    let first = p.features[0].clone();
    let note = format!(
        "segment: the table has no value column '{}', so segments are numbered by the mean of \
         '{first}' (the first feature), largest first; share_revenue is empty and names \
         leave out value (choose the column with --value-col or [segment] value_col)",
        p.value_col
    );
    pp.value_col = first.clone();
    pp.value_words = false;
    (pp, Some(first), vec![note])
}

/// The centroids in original units and in the matrix's units, by segment number (raw cluster
/// ids mapped through the customers' raw and ordered labels).
fn centroids(
    model: &KMeansModel,
    raw: &[Option<usize>],
    ordered: &[Option<u32>],
    m: &FeatureMatrix,
    transform: Transform,
) -> (Vec<BTreeMap<String, f64>>, Vec<Vec<f64>>) {
    // raw cluster id -> ordered number
    let mut number_of: BTreeMap<usize, u32> = BTreeMap::new();
    for (r, o) in raw.iter().zip(ordered) {
        if let (Some(r), Some(o)) = (r, o) {
            number_of.insert(*r, *o);
        }
    }
    let mut centroids: Vec<(u32, BTreeMap<String, f64>, Vec<f64>)> = Vec::new();
    for (c, row) in model.centroids.rows().into_iter().enumerate() {
        let n = number_of.get(&c).copied().unwrap_or(u32::MAX);
        centroids.push((n, m.original_units(row, transform), row.to_vec()));
    }
    centroids.sort_by_key(|(n, _, _)| *n);
    centroids.into_iter().map(|(_, m, z)| (m, z)).unzip()
}
