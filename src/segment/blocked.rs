//! The matrix k-means reads, laid out once per fit for its distance kernel: rows in blocks
//! of [`ROWS`], each block feature-major (feature 0 of the block's rows, then feature 1, ...;
//! the last block padded with zeros). The kernel computes the distances of a block's rows to
//! one centroid feature by feature across the rows, so it needs this layout; turning rows
//! feature-major on every Lloyd pass took as long as the distances themselves (1,000,000 x 6:
//! 6.0 -> 5.1 ms a pass), and the row-major copy the fit used to make is not needed.

use ndarray::{ArrayView2, s};

use crate::error::Result;

/// Rows per block of the distance kernel.
pub(super) const ROWS: usize = 64;

/// Rows per work unit of a pass over the matrix (fixed, so sums are added in the same order
/// on any machine); a whole number of blocks.
pub(super) const CHUNK: usize = 1 << 14;

/// Below this many rows a pass runs on the calling thread (the same results: chunks are added
/// in order either way).
const SERIAL_BELOW: usize = 2 * CHUNK;

/// `n x d` values in feature-major blocks of [`ROWS`] rows.
pub(super) struct Blocked {
    values: Vec<f64>,
    n: usize,
    d: usize,
}

impl Blocked {
    /// The blocks of `x` (any memory layout), filled on every core.
    pub(super) fn new(x: ArrayView2<f64>) -> Result<Self> {
        let (n, d) = x.dim();
        let mut values = vec![0.0; n.div_ceil(ROWS) * ROWS * d];
        let items: Vec<_> = values.chunks_mut(CHUNK * d).enumerate().collect();
        crate::par::map_owned(items, |(c, out)| {
            for (b, block) in out.chunks_exact_mut(ROWS * d).enumerate() {
                let r0 = c * CHUNK + b * ROWS;
                let rows = ROWS.min(n.saturating_sub(r0));
                for (f, col) in block.chunks_exact_mut(ROWS).enumerate() {
                    let src = x.slice(s![r0..r0 + rows, f]);
                    col.iter_mut().zip(src.iter()).for_each(|(o, v)| *o = *v);
                }
            }
        })?;
        Ok(Blocked { values, n, d })
    }

    pub(super) fn rows(&self) -> usize {
        self.n
    }

    pub(super) fn features(&self) -> usize {
        self.d
    }

    /// Row `i`'s values in feature order.
    pub(super) fn row(&self, i: usize) -> impl Iterator<Item = f64> + '_ {
        let base = (i / ROWS) * ROWS * self.d + i % ROWS;
        (0..self.d).map(move |f| self.values[base + f * ROWS])
    }

    /// `f(values, blocks)` over consecutive [`CHUNK`]-row pieces of a per-row `values` slice
    /// and the matching blocks, on every core; the results in chunk order.
    pub(super) fn par_chunks<T: Send, R: Send>(
        &self,
        values: &mut [T],
        f: impl Fn(&mut [T], &[f64]) -> R + Sync,
    ) -> Result<Vec<R>> {
        let items = values
            .chunks_mut(CHUNK)
            .zip(self.values.chunks(CHUNK * self.d));
        // a few chunks (a refit on a sample) cost less than starting a thread per pass
        if self.n < SERIAL_BELOW {
            return Ok(items.map(|(v, b)| f(v, b)).collect());
        }
        crate::par::map_owned(items.collect(), |(v, b)| f(v, b))
    }

    /// The blocks in row order, each with the number of rows it holds.
    pub(super) fn blocks(&self) -> impl Iterator<Item = (&[f64], usize)> + '_ {
        let n = self.n;
        self.values
            .chunks_exact(ROWS * self.d)
            .enumerate()
            .map(move |(b, xt)| (xt, ROWS.min(n - b * ROWS)))
    }
}

#[cfg(test)]
mod tests {
    use ndarray::{Array2, ShapeBuilder};

    use super::*;

    #[test]
    fn blocks_hold_every_row_in_either_layout() -> Result<()> {
        // more than one chunk, a last block not full
        let (n, d) = (CHUNK + ROWS + 5, 3);
        let c = Array2::from_shape_fn((n, d), |(i, j)| (i * 10 + j) as f64);
        let f = Array2::from_shape_vec((n, d).f(), c.t().iter().copied().collect())
            .map_err(|e| crate::error::Error::Internal(e.to_string()))?;
        assert_eq!(c, f);
        for x in [&c, &f] {
            let b = Blocked::new(x.view())?;
            assert_eq!((b.rows(), b.features()), (n, d));
            for i in [0, 1, ROWS - 1, ROWS, CHUNK - 1, CHUNK, n - 1] {
                let row: Vec<f64> = b.row(i).collect();
                assert_eq!(row, x.row(i).to_vec());
            }
            let held: usize = b.blocks().map(|(_, rows)| rows).sum();
            assert_eq!(held, n);
        }
        Ok(())
    }
}
