//! The design matrix shared by both churn models: raw features (numeric or categorical) as
//! read once from a frame, and an [`Encoder`] fitted on training rows only that turns any rows
//! into a column-major f64 matrix.
//!
//! Numeric: nulls take the training median (plus a `<name>_missing` 0/1 column when training
//! had any), then standardised with the training mean and standard deviation. Categorical: one
//! 0/1 column per level seen at least `min_level_count` times in training (at most `max_levels`
//! of them, most frequent first); every other level, unseen levels and blanks share
//! `<name>=(other)` / `<name>=(missing)`. Each encoded column remembers its raw feature so that
//! contributions add up to one driver per raw feature.

use std::collections::HashMap;

use serde::Serialize;

use crate::error::{Error, Result};

pub use super::raw::{MISSING, Raw};

/// How one raw feature is encoded (fitted on training rows).
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Spec {
    Numeric {
        name: String,
        median: f64,
        mean: f64,
        std: f64,
        missing_indicator: bool,
    },
    Categorical {
        name: String,
        /// Kept levels, most frequent first (ties by text).
        levels: Vec<String>,
        other: bool,
        missing: bool,
    },
}

/// Encoder settings.
#[derive(Debug, Clone, Copy)]
pub struct EncodeParams {
    pub min_level_count: usize,
    pub max_levels: usize,
    /// Trees: each categorical becomes one column of level codes (0 = the most frequent kept
    /// level, then `(other)`, then `(missing)`) instead of one 0/1 column per level. Trees split
    /// on codes as well as on indicators, and the matrix stays as narrow as the raw table.
    pub codes: bool,
}

/// A fitted encoder: the specs and the names of the encoded columns.
#[derive(Debug, Clone, Serialize)]
pub struct Encoder {
    pub specs: Vec<Spec>,
    /// Categoricals as level codes (see [`EncodeParams::codes`]).
    pub codes: bool,
    /// Encoded column names, in matrix order.
    pub columns: Vec<String>,
    /// For each encoded column, the index of its raw feature in `specs`.
    pub feature_of: Vec<usize>,
    /// Training mean of each encoded column (0 for standardised numerics).
    pub column_means: Vec<f64>,
}

/// A column-major matrix: `data[j * rows + i]` is row i, column j.
#[derive(Debug, Clone)]
pub struct Matrix {
    pub rows: usize,
    pub cols: usize,
    pub data: Vec<f64>,
}

impl Matrix {
    pub fn col(&self, j: usize) -> &[f64] {
        &self.data[j * self.rows..(j + 1) * self.rows]
    }

    /// An ndarray view (Fortran order) for linfa.
    pub fn view(&self) -> Result<ndarray::ArrayView2<'_, f64>> {
        use ndarray::ShapeBuilder;
        ndarray::ArrayView2::from_shape((self.rows, self.cols).f(), &self.data)
            .map_err(|e| Error::Internal(format!("design matrix shape: {e}")))
    }
}

/// Where a categorical's raw codes go: a kept level's slot, then `(other)`, then `(missing)`.
struct Slots {
    /// Raw level index -> kept slot.
    slot: Vec<Option<usize>>,
    kept: usize,
    other: bool,
    missing: bool,
}

impl Slots {
    /// The slots of `kept` levels (fitted) for a raw feature with `levels`.
    fn new(kept: &[String], other: bool, missing: bool, levels: &[String]) -> Slots {
        let pos: HashMap<&str, usize> = kept
            .iter()
            .enumerate()
            .map(|(k, l)| (l.as_str(), k))
            .collect();
        Slots {
            slot: levels
                .iter()
                .map(|l| pos.get(l.as_str()).copied())
                .collect(),
            kept: kept.len(),
            other,
            missing,
        }
    }

    /// Slots in all: kept levels, `(other)`, `(missing)`.
    fn width(&self) -> usize {
        self.kept + usize::from(self.other) + usize::from(self.missing)
    }

    /// The slot of a raw code; `None` for a blank or unseen level without a slot of its own.
    fn of(&self, code: u32) -> Option<usize> {
        match code {
            MISSING if self.missing => Some(self.kept + usize::from(self.other)),
            MISSING => None,
            c => match self.slot[c as usize] {
                Some(s) => Some(s),
                None if self.other => Some(self.kept),
                None => None,
            },
        }
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    v.sort_by(f64::total_cmp);
    let m = v.len() / 2;
    if v.len() % 2 == 1 {
        v[m]
    } else {
        (v[m - 1] + v[m]) / 2.0
    }
}

impl Encoder {
    /// Fit on the rows `train` of the raw features.
    pub fn fit(raw: &[Raw], train: &[usize], p: EncodeParams) -> Encoder {
        let mut e = Encoder {
            codes: p.codes,
            specs: vec![],
            columns: vec![],
            feature_of: vec![],
            column_means: vec![],
        };
        for (f, r) in raw.iter().enumerate() {
            let spec = match r {
                Raw::Numeric { name, values } => e.fit_numeric(f, name, values, train),
                Raw::Categorical {
                    name,
                    levels,
                    codes,
                } => e.fit_categorical(f, name, levels, codes, train, p),
            };
            e.specs.push(spec);
        }
        e
    }

    /// One encoded column of raw feature `f`, with its training mean.
    fn push_column(&mut self, name: String, f: usize, mean: f64) {
        self.columns.push(name);
        self.feature_of.push(f);
        self.column_means.push(mean);
    }

    /// A numeric feature: training median for nulls, standardised by the training mean and
    /// standard deviation (1 when constant), and a `_missing` indicator when training had nulls.
    fn fit_numeric(
        &mut self,
        f: usize,
        name: &str,
        values: &[Option<f64>],
        train: &[usize],
    ) -> Spec {
        let seen: Vec<f64> = train.iter().filter_map(|i| values[*i]).collect();
        let missing = seen.len() < train.len();
        let med = median(seen.clone());
        let n = train.len().max(1) as f64;
        let filled = train.iter().map(|i| values[*i].unwrap_or(med));
        let mean = filled.clone().sum::<f64>() / n;
        let var = filled.map(|v| (v - mean).powi(2)).sum::<f64>() / n;
        let std = if var.sqrt() > 1e-12 { var.sqrt() } else { 1.0 };
        self.push_column(name.to_string(), f, 0.0);
        if missing {
            let share = (train.len() - seen.len()) as f64 / train.len() as f64;
            self.push_column(format!("{name}_missing"), f, share);
        }
        Spec::Numeric {
            name: name.to_string(),
            median: med,
            mean,
            std,
            missing_indicator: missing,
        }
    }

    /// A categorical feature: the levels seen at least `min_level_count` times in training
    /// (at most `max_levels`, most frequent first, ties by text), then `(other)` and
    /// `(missing)` when training had such rows; one column of codes, or one 0/1 column each.
    fn fit_categorical(
        &mut self,
        f: usize,
        name: &str,
        levels: &[String],
        codes: &[u32],
        train: &[usize],
        p: EncodeParams,
    ) -> Spec {
        let mut counts = vec![0usize; levels.len()];
        let mut blanks = 0usize;
        for i in train {
            match codes[*i] {
                MISSING => blanks += 1,
                c => counts[c as usize] += 1,
            }
        }
        let mut order: Vec<usize> = (0..levels.len()).filter(|l| counts[*l] > 0).collect();
        order.sort_by(|a, b| {
            counts[*b]
                .cmp(&counts[*a])
                .then(levels[*a].cmp(&levels[*b]))
        });
        let kept: Vec<usize> = order
            .iter()
            .copied()
            .filter(|l| counts[*l] >= p.min_level_count)
            .take(p.max_levels)
            .collect();
        let kept_rows: usize = kept.iter().map(|l| counts[*l]).sum();
        let other_rows = train.len() - blanks - kept_rows;
        let n = train.len().max(1) as f64;
        if p.codes {
            self.push_column(name.to_string(), f, 0.0);
        } else {
            for l in &kept {
                let share = counts[*l] as f64 / n;
                self.push_column(format!("{name}={}", levels[*l]), f, share);
            }
            if other_rows > 0 {
                self.push_column(format!("{name}=(other)"), f, other_rows as f64 / n);
            }
            if blanks > 0 {
                self.push_column(format!("{name}=(missing)"), f, blanks as f64 / n);
            }
        }
        Spec::Categorical {
            name: name.to_string(),
            levels: kept.iter().map(|l| levels[*l].clone()).collect(),
            other: other_rows > 0,
            missing: blanks > 0,
        }
    }

    /// Encode the rows `rows` of the raw features (which must be the ones the encoder was
    /// fitted on, in the same order, though possibly of another table with other levels).
    pub fn transform(&self, raw: &[Raw], rows: &[usize]) -> Matrix {
        let n = rows.len();
        let mut data = Vec::with_capacity(n * self.columns.len());
        for (spec, r) in self.specs.iter().zip(raw) {
            match (spec, r) {
                (
                    Spec::Numeric {
                        median,
                        mean,
                        std,
                        missing_indicator,
                        ..
                    },
                    Raw::Numeric { values, .. },
                ) => {
                    data.extend(
                        rows.iter()
                            .map(|i| (values[*i].unwrap_or(*median) - mean) / std),
                    );
                    if *missing_indicator {
                        data.extend(
                            rows.iter()
                                .map(|i| f64::from(u8::from(values[*i].is_none()))),
                        );
                    }
                }
                (
                    Spec::Categorical {
                        levels: kept,
                        other,
                        missing,
                        ..
                    },
                    Raw::Categorical { levels, codes, .. },
                ) => {
                    let slots = Slots::new(kept, *other, *missing, levels);
                    self.encode_categorical(&slots, codes, rows, &mut data);
                }
                _ => {}
            }
        }
        Matrix {
            rows: n,
            cols: self.columns.len(),
            data,
        }
    }

    /// Append the encoded columns of one categorical for `rows` to the column-major `data`.
    fn encode_categorical(&self, s: &Slots, codes: &[u32], rows: &[usize], data: &mut Vec<f64>) {
        let n = rows.len();
        let width = if self.codes { 1 } else { s.width() };
        let start = data.len();
        data.resize(start + width * n, 0.0);
        for (k, i) in rows.iter().enumerate() {
            match (self.codes, s.of(codes[*i])) {
                (true, Some(slot)) => data[start + k] = slot as f64,
                // a blank or unseen level with no column of its own: the code after every
                // known one
                (true, None) => data[start + k] = s.width() as f64,
                (false, Some(slot)) => data[start + slot * n + k] = 1.0,
                (false, None) => {}
            }
        }
    }

    /// Raw feature names, in spec order.
    pub fn feature_names(&self) -> Vec<String> {
        self.specs
            .iter()
            .map(|s| match s {
                Spec::Numeric { name, .. } | Spec::Categorical { name, .. } => name.clone(),
            })
            .collect()
    }
}

#[cfg(test)]
#[path = "design_tests.rs"]
mod tests;
