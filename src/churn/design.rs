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

use polars::prelude::*;
use serde::Serialize;

use crate::error::{Error, Result};

/// A raw feature, read once from its frame column.
#[derive(Debug, Clone)]
pub enum Raw {
    Numeric {
        name: String,
        values: Vec<Option<f64>>,
    },
    Categorical {
        name: String,
        /// Distinct texts in order of first appearance.
        levels: Vec<String>,
        /// Index into `levels`; `MISSING` for blank.
        codes: Vec<u32>,
    },
}

pub const MISSING: u32 = u32::MAX;

impl Raw {
    pub fn name(&self) -> &str {
        match self {
            Raw::Numeric { name, .. } | Raw::Categorical { name, .. } => name,
        }
    }

    pub fn len(&self) -> usize {
        match self {
            Raw::Numeric { values, .. } => values.len(),
            Raw::Categorical { codes, .. } => codes.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The value of row `i` as text, for driver labels.
    pub fn display(&self, i: usize) -> String {
        match self {
            Raw::Numeric { values, .. } => match values[i] {
                Some(v) if v.fract() == 0.0 && v.abs() < 1e15 => format!("{v:.0}"),
                Some(v) => format!("{v:.3}"),
                None => "blank".into(),
            },
            Raw::Categorical { levels, codes, .. } => match codes[i] {
                MISSING => "blank".into(),
                c => levels[c as usize].clone(),
            },
        }
    }

    /// A numeric column of `df` (cast to f64; nulls and NaN missing).
    pub fn numeric(df: &DataFrame, col: &str, name: &str) -> Result<Raw> {
        let c = df.column(col)?.cast(&DataType::Float64)?;
        let values = c
            .f64()?
            .iter()
            .map(|v| v.filter(|x| x.is_finite()))
            .collect();
        Ok(Raw::Numeric {
            name: name.to_string(),
            values,
        })
    }

    /// A categorical column of `df` (cast to text; blank is missing).
    pub fn categorical(df: &DataFrame, col: &str, name: &str) -> Result<Raw> {
        let c = df.column(col)?.cast(&DataType::String)?;
        let mut index: HashMap<&str, u32> = HashMap::new();
        let mut levels = Vec::new();
        let ca = c.str()?;
        let mut codes = Vec::with_capacity(ca.len());
        for v in ca.iter() {
            let code = match v.map(str::trim).filter(|s| !s.is_empty()) {
                None => MISSING,
                Some(s) => *index.entry(s).or_insert_with(|| {
                    levels.push(s.to_string());
                    (levels.len() - 1) as u32
                }),
            };
            codes.push(code);
        }
        Ok(Raw::Categorical {
            name: name.to_string(),
            levels,
            codes,
        })
    }
}

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

fn width_codes(kept: &[String], other: bool, missing: bool) -> f64 {
    (kept.len() + usize::from(other) + usize::from(missing)) as f64
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
            match r {
                Raw::Numeric { name, values } => {
                    let seen: Vec<f64> = train.iter().filter_map(|i| values[*i]).collect();
                    let missing = seen.len() < train.len();
                    let med = median(seen.clone());
                    let n = train.len().max(1) as f64;
                    let filled = train.iter().map(|i| values[*i].unwrap_or(med));
                    let mean = filled.clone().sum::<f64>() / n;
                    let var = filled.map(|v| (v - mean).powi(2)).sum::<f64>() / n;
                    let std = if var.sqrt() > 1e-12 { var.sqrt() } else { 1.0 };
                    e.columns.push(name.clone());
                    e.feature_of.push(f);
                    e.column_means.push(0.0);
                    if missing {
                        e.columns.push(format!("{name}_missing"));
                        e.feature_of.push(f);
                        e.column_means
                            .push((train.len() - seen.len()) as f64 / train.len() as f64);
                    }
                    e.specs.push(Spec::Numeric {
                        name: name.clone(),
                        median: med,
                        mean,
                        std,
                        missing_indicator: missing,
                    });
                }
                Raw::Categorical {
                    name,
                    levels,
                    codes,
                } => {
                    let mut counts = vec![0usize; levels.len()];
                    let mut blanks = 0usize;
                    for i in train {
                        match codes[*i] {
                            MISSING => blanks += 1,
                            c => counts[c as usize] += 1,
                        }
                    }
                    let mut order: Vec<usize> =
                        (0..levels.len()).filter(|l| counts[*l] > 0).collect();
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
                        e.columns.push(name.clone());
                        e.feature_of.push(f);
                        e.column_means.push(0.0);
                    } else {
                        for l in &kept {
                            e.columns.push(format!("{name}={}", levels[*l]));
                            e.feature_of.push(f);
                            e.column_means.push(counts[*l] as f64 / n);
                        }
                        if other_rows > 0 {
                            e.columns.push(format!("{name}=(other)"));
                            e.feature_of.push(f);
                            e.column_means.push(other_rows as f64 / n);
                        }
                        if blanks > 0 {
                            e.columns.push(format!("{name}=(missing)"));
                            e.feature_of.push(f);
                            e.column_means.push(blanks as f64 / n);
                        }
                    }
                    e.specs.push(Spec::Categorical {
                        name: name.clone(),
                        levels: kept.iter().map(|l| levels[*l].clone()).collect(),
                        other: other_rows > 0,
                        missing: blanks > 0,
                    });
                }
            }
        }
        e
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
                    // raw code -> encoded slot (kept level index, or other)
                    let pos: HashMap<&str, usize> = kept
                        .iter()
                        .enumerate()
                        .map(|(k, l)| (l.as_str(), k))
                        .collect();
                    let slot: Vec<Option<usize>> = levels
                        .iter()
                        .map(|l| pos.get(l.as_str()).copied())
                        .collect();
                    let width = if self.codes {
                        1
                    } else {
                        kept.len() + usize::from(*other) + usize::from(*missing)
                    };
                    let start = data.len();
                    data.resize(start + width * n, 0.0);
                    for (k, i) in rows.iter().enumerate() {
                        let s = match codes[*i] {
                            MISSING if *missing => Some(kept.len() + usize::from(*other)),
                            MISSING => None,
                            c => match slot[c as usize] {
                                Some(s) => Some(s),
                                None if *other => Some(kept.len()),
                                None => None,
                            },
                        };
                        match (self.codes, s) {
                            (true, Some(s)) => data[start + k] = s as f64,
                            // a blank or unseen level with no column of its own: the
                            // code after every known one
                            (true, None) => data[start + k] = width_codes(kept, *other, *missing),
                            (false, Some(s)) => data[start + s * n + k] = 1.0,
                            (false, None) => {}
                        }
                    }
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
mod tests {
    use super::*;

    fn raw() -> Result<Vec<Raw>> {
        let df = df!(
            "x" => [Some(1.0), Some(3.0), None, Some(5.0)],
            "t" => [Some("a"), Some("b"), Some("a"), None],
        )?;
        Ok(vec![
            Raw::numeric(&df, "x", "x")?,
            Raw::categorical(&df, "t", "t")?,
        ])
    }

    #[test]
    fn numeric_median_standardised_with_indicator() -> Result<()> {
        let r = raw()?;
        let e = Encoder::fit(
            &r,
            &[0, 1, 2, 3],
            EncodeParams {
                min_level_count: 1,
                max_levels: 10,
                codes: false,
            },
        );
        assert_eq!(e.columns, ["x", "x_missing", "t=a", "t=b", "t=(missing)"]);
        let m = e.transform(&r, &[0, 1, 2, 3]);
        // median 3; filled 1,3,3,5: mean 3, std sqrt(2)
        let s = 2f64.sqrt();
        assert_eq!(m.col(0), &[-2.0 / s, 0.0, 0.0, 2.0 / s]);
        assert_eq!(m.col(1), &[0.0, 0.0, 1.0, 0.0]);
        assert_eq!(m.col(2), &[1.0, 0.0, 1.0, 0.0]);
        assert_eq!(m.col(4), &[0.0, 0.0, 0.0, 1.0]);
        assert_eq!(e.feature_of, [0, 0, 1, 1, 1]);
        Ok(())
    }

    #[test]
    fn rare_levels_share_other_and_unseen_levels_go_there() -> Result<()> {
        let r = raw()?;
        // fitted on rows 0..3 with min count 2: "a" kept, "b" rare -> other
        let e = Encoder::fit(
            &r,
            &[0, 1, 2],
            EncodeParams {
                min_level_count: 2,
                max_levels: 10,
                codes: false,
            },
        );
        assert_eq!(e.columns, ["x", "x_missing", "t=a", "t=(other)"]);
        let m = e.transform(&r, &[1, 3]);
        assert_eq!(m.col(2), &[0.0, 0.0]);
        // row 3 is blank but training had no blanks: no column for it
        assert_eq!(m.col(3), &[1.0, 0.0]);
        Ok(())
    }

    #[test]
    fn codes_give_one_column_per_categorical() -> Result<()> {
        let r = raw()?;
        let e = Encoder::fit(
            &r,
            &[0, 1, 2, 3],
            EncodeParams {
                min_level_count: 1,
                max_levels: 10,
                codes: true,
            },
        );
        assert_eq!(e.columns, ["x", "x_missing", "t"]);
        let m = e.transform(&r, &[0, 1, 2, 3]);
        // a (2 rows) = 0, b = 1, blank = (missing) = 2
        assert_eq!(m.col(2), &[0.0, 1.0, 0.0, 2.0]);
        Ok(())
    }

    #[test]
    fn max_levels_keeps_the_most_frequent() -> Result<()> {
        let df = df!("t" => ["c", "b", "b", "a", "a", "a"])?;
        let r = vec![Raw::categorical(&df, "t", "t")?];
        let e = Encoder::fit(
            &r,
            &[0, 1, 2, 3, 4, 5],
            EncodeParams {
                min_level_count: 1,
                max_levels: 2,
                codes: false,
            },
        );
        assert_eq!(e.columns, ["t=a", "t=b", "t=(other)"]);
        Ok(())
    }
}
