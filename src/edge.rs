//! The Polars → ndarray edge: the one place where a frame becomes the matrix that linfa and
//! kam's own models take, and where model output becomes a column again.
//!
//! kam depends on ndarray 0.16 because linfa 0.8 does; Polars' own `ndarray` feature (0.17)
//! stays off so only one ndarray is in the build (see the stack notes). The conversion copies
//! each column once (cast to Float64); nulls become NaN so that callers must decide about them.

use ndarray::{Array1, Array2};
use polars::prelude::*;

use crate::error::{Error, Result};

/// The named columns of `df` as an `n_rows x n_cols` matrix of f64 (nulls as NaN).
pub fn to_array(df: &DataFrame, columns: &[&str]) -> Result<Array2<f64>> {
    let n = df.height();
    let mut out = Array2::<f64>::from_elem((n, columns.len()), f64::NAN);
    for (j, name) in columns.iter().enumerate() {
        let c = df
            .column(name)
            .map_err(|_| Error::Internal(format!("column '{name}' is not in the table")))?
            .cast(&DataType::Float64)?;
        for (cell, v) in out.column_mut(j).iter_mut().zip(c.f64()?.iter()) {
            if let Some(v) = v {
                *cell = v;
            }
        }
    }
    Ok(out)
}

/// A model output vector back as a named Float64 column.
pub fn to_column(name: &str, values: &Array1<f64>) -> Column {
    Column::new(name.into(), values.iter().copied().collect::<Vec<f64>>())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frame_to_matrix_to_linfa_and_back() -> Result<()> {
        let df = df!("a" => [1i64, 2, 3], "b" => [Some(0.5), None, Some(2.5)])?;
        let x = to_array(&df, &["a", "b"])?;
        assert_eq!(x.shape(), [3, 2]);
        assert_eq!(x[[2, 0]], 3.0);
        assert!(x[[1, 1]].is_nan());
        // the matrix is linfa's ndarray: a Dataset builds from it without conversion
        let ds = linfa::Dataset::from(x.clone());
        assert_eq!(linfa::dataset::Records::nsamples(&ds), 3);
        let col = to_column("y", &x.column(0).to_owned());
        assert_eq!(col.f64()?.get(1), Some(2.0));
        assert!(to_array(&df, &["zzz"]).is_err());
        Ok(())
    }
}
