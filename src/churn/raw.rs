//! Raw features as read once from a frame column: numbers (nulls and NaN missing) or
//! categories (distinct texts coded in order of first appearance, blanks missing); and, for
//! the labelled mode, every column of a table typed from its content (rules in
//! [`super::labelled`]).

use std::collections::HashMap;

use polars::prelude::*;

use super::report::Dropped;
use crate::error::Result;

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
        Raw::numeric_column(df.column(col)?, name)
    }

    /// A numeric column (cast to f64; nulls and NaN missing).
    fn numeric_column(c: &Column, name: &str) -> Result<Raw> {
        let c = c.cast(&DataType::Float64)?;
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

/// Type every column but `skip` from its content (rules in [`super::labelled`]), the columns
/// on both cores, in table order.
pub fn infer_columns(
    df: &DataFrame,
    skip: &[&str],
    min_level_count: usize,
) -> Result<(Vec<Raw>, Vec<Dropped>)> {
    let cols: Vec<&Column> = df
        .columns()
        .iter()
        .filter(|c| !skip.contains(&c.name().as_str()))
        .collect();
    let typed = crate::par::map_tasks(cols.len(), |i| infer_one(cols[i], min_level_count))?;
    let (mut raw, mut dropped) = (Vec::new(), Vec::new());
    for t in typed {
        match t {
            Typed::Use(r) => raw.push(r),
            Typed::Drop(d) => dropped.push(d),
        }
    }
    Ok((raw, dropped))
}

/// One column typed: a feature, or why it is left out.
enum Typed {
    Use(Raw),
    Drop(Dropped),
}

fn left_out(c: &str, r: &str) -> Typed {
    Typed::Drop(Dropped {
        column: c.to_string(),
        reason: r.to_string(),
    })
}

fn infer_one(c: &Column, min_level_count: usize) -> Result<Typed> {
    let (n, name) = (c.len(), c.name().as_str());
    if c.dtype().is_integer() || c.dtype() == &DataType::Float64 {
        // a number column: every value is the number its text would parse to (not so for
        // 32-bit floats, whose shortest text is a different 64-bit number: they go as text)
        if c.null_count() == n {
            return Ok(left_out(name, "all values blank"));
        }
        return Ok(numeric_verdict(Raw::numeric_column(c, name)?, n));
    }
    let text = c.cast(&DataType::String)?;
    // trimmed, blank = missing
    let text = text
        .str()?
        .iter()
        .map(|v| v.map(str::trim).filter(|s| !s.is_empty()))
        .collect::<StringChunked>()
        .into_column();
    let non_blank = n - text.null_count();
    if non_blank == 0 {
        return Ok(left_out(name, "all values blank"));
    }
    let num = text.cast(&DataType::Float64)?;
    let parsed = n - num.null_count();
    if parsed as f64 >= 0.95 * non_blank as f64 {
        return Ok(numeric_verdict(Raw::numeric_column(&num, name)?, n));
    }
    let df1 = DataFrame::new(n, vec![text.with_name(name.into())])?;
    let r = Raw::categorical(&df1, name, name)?;
    let Raw::Categorical { levels, codes, .. } = &r else {
        return Ok(Typed::Use(r));
    };
    let mut counts = vec![0usize; levels.len()];
    for c in codes.iter().filter(|c| **c != MISSING) {
        counts[*c as usize] += 1;
    }
    let rare_rows: usize = counts.iter().filter(|c| **c < min_level_count).sum();
    Ok(if levels.len() == 1 {
        left_out(name, "one value only")
    } else if rare_rows * 2 > non_blank {
        left_out(
            name,
            &format!(
                "identifies rows ({} distinct values; most rows hold a value seen fewer than {min_level_count} times)",
                levels.len()
            ),
        )
    } else {
        Typed::Use(r)
    })
}

/// A numeric column kept, or left out when it holds one value only or identifies rows (a
/// different whole number on every one of at least 20 rows). The distinct values are only
/// sorted when every row holds a whole number.
fn numeric_verdict(r: Raw, n: usize) -> Typed {
    let Raw::Numeric { values, name } = &r else {
        return Typed::Use(r);
    };
    let mut present = values.iter().flatten();
    let Some(first) = present.next() else {
        return Typed::Use(r);
    };
    if present.all(|x| x == first) {
        return left_out(name, "one value only");
    }
    let whole_on_every_row = n >= 20 && values.iter().all(|v| v.is_some_and(|x| x.fract() == 0.0));
    if whole_on_every_row {
        let mut v: Vec<f64> = values.iter().flatten().copied().collect();
        v.sort_by(f64::total_cmp);
        if v.windows(2).all(|w| w[0] != w[1]) {
            return left_out(
                name,
                "identifies rows (a different whole number on every row)",
            );
        }
    }
    Typed::Use(r)
}

#[cfg(test)]
#[path = "raw_tests.rs"]
mod tests;
