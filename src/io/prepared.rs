//! Per-customer features prepared by another engine (the Spark feature job,
//! `spark/kam_features.py`), read from disk: the feature table, the order aggregates the job
//! writes beside it, its rejected transactions and its manifest. What they must hold is
//! checked in [`crate::features::prepared`]; here they are only found and read.
//!
//! A table is a Parquet file or a directory of Parquet parts (what Spark writes): the parts
//! are read in file-name order, skipping Spark's markers (`_SUCCESS`, `.crc` files).

use std::path::{Path, PathBuf};

use polars::prelude::*;
use serde::{Deserialize, Serialize};

use super::load::FileInfo;
use crate::error::{Error, Result};

/// `[input.features]`: a per-customer feature table made elsewhere, instead of computing the
/// features from the raw transactions. `kam run --features PATH` sets `path`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeaturesParams {
    /// The feature table: a Parquet file or a directory of Parquet parts (the job's
    /// `DIR/features`), relative to the config file.
    pub path: String,
    /// The order aggregates; default `orders` beside the feature table.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub orders: Option<String>,
    /// The job's manifest; default `manifest.json` beside the feature table.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manifest: Option<String>,
}

impl FeaturesParams {
    /// The paths resolved against `base` (the config file's folder, or the working directory
    /// for `--features`), the defaults beside the feature table.
    pub fn check(&self, base: &Path) -> ValidFeatures {
        let path = base.join(&self.path);
        let beside = path.parent().unwrap_or(Path::new("")).to_path_buf();
        let or_beside = |p: &Option<String>, name: &str| match p {
            Some(p) => base.join(p),
            None => beside.join(name),
        };
        let manifest = or_beside(&self.manifest, "manifest.json");
        let rejects = manifest
            .parent()
            .unwrap_or(Path::new(""))
            .join("rejects")
            .join("transactions");
        ValidFeatures {
            orders: or_beside(&self.orders, "orders"),
            path,
            manifest,
            rejects,
        }
    }
}

/// Where the prepared features and what comes with them are.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidFeatures {
    pub path: PathBuf,
    pub orders: PathBuf,
    pub manifest: PathBuf,
    /// The job's rejected transactions (`rejects/transactions` beside the manifest); absent
    /// when it rejected none.
    pub rejects: PathBuf,
}

/// The prepared tables as read, each with its identity for kam's manifest.
pub struct Prepared {
    pub features: DataFrame,
    pub features_file: FileInfo,
    pub orders: DataFrame,
    pub orders_file: FileInfo,
    /// The job's rejected transactions, every column as stored.
    pub rejects: Option<DataFrame>,
    /// The job's manifest, parsed.
    pub manifest: serde_json::Value,
}

/// Read the feature table, the order aggregates, the rejects and the manifest.
pub fn read(f: &ValidFeatures) -> Result<Prepared> {
    let (features, features_file) = read_table(&f.path)?;
    let (orders, orders_file) = read_table(&f.orders).map_err(|e| match e {
        Error::Input { file, msg } => Error::Input {
            file,
            msg: format!(
                "{msg} (the order aggregates the feature job writes beside the features; \
                 set [input.features] orders, or rerun the job)"
            ),
        },
        e => e,
    })?;
    let rejects = match f.rejects.exists() {
        true => Some(read_table(&f.rejects)?.0),
        false => None,
    };
    let text = std::fs::read_to_string(&f.manifest).map_err(|e| {
        Error::input(
            &f.manifest,
            format!(
                "cannot read the feature job's manifest: {} (set [input.features] manifest)",
                super::file::read_error(&e)
            ),
        )
    })?;
    let manifest: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| Error::input(&f.manifest, format!("is not a JSON manifest: {e}")))?;
    Ok(Prepared {
        features,
        features_file,
        orders,
        orders_file,
        rejects,
        manifest,
    })
}

/// A Parquet file, or a directory's Parquet parts in name order, as one frame, with the
/// identity of its bytes (the digest runs over the parts in the same order).
pub fn read_table(path: &Path) -> Result<(DataFrame, FileInfo)> {
    let (frame, info) = super::parquet::scan_parts(path)?;
    let df = frame
        .collect()
        .map_err(|e| Error::input(path, format!("cannot be read as Parquet: {e}")))?;
    Ok((df, info))
}
