//! The per-customer inputs of the buy-till-you-die models, checked, and their compression to
//! distinct (frequency, recency, T) triples with counts: a model's likelihood is a sum over
//! customers, so a million customers cost what their distinct triples cost.

use crate::error::{Error, Result};

/// Frequency `x` (repeat purchases), recency `t_x` (first to last purchase) and age `T` (first
/// purchase to the end of observation) per customer, in one time unit.
#[derive(Debug, Clone, Default)]
pub struct Rfm {
    pub x: Vec<f64>,
    pub t_x: Vec<f64>,
    pub t: Vec<f64>,
}

/// Distinct (x, t_x, T) with the number of customers `n` sharing each.
#[derive(Debug, Clone, Default)]
pub struct Triples {
    pub x: Vec<f64>,
    pub t_x: Vec<f64>,
    pub t: Vec<f64>,
    pub n: Vec<f64>,
}

impl Triples {
    pub fn len(&self) -> usize {
        self.x.len()
    }
    pub fn is_empty(&self) -> bool {
        self.x.is_empty()
    }
    /// Customers represented.
    pub fn customers(&self) -> f64 {
        self.n.iter().sum()
    }
}

impl Rfm {
    /// Check every customer: finite values, `x` a whole number >= 0, `T > 0`,
    /// `0 <= t_x <= T`. Errors name the (1-based) row.
    pub fn new(x: Vec<f64>, t_x: Vec<f64>, t: Vec<f64>) -> Result<Rfm> {
        let bad = |i: usize, msg: String| {
            Error::validation("model input", format!("row {}: {msg}", i + 1))
        };
        if x.len() != t_x.len() || x.len() != t.len() {
            return Err(Error::Internal(
                "frequency, recency and T differ in length".into(),
            ));
        }
        if x.is_empty() {
            return Err(Error::validation("model input", "no customers to fit"));
        }
        for i in 0..x.len() {
            let (xi, ri, ti) = (x[i], t_x[i], t[i]);
            if !(xi.is_finite() && ri.is_finite() && ti.is_finite()) {
                return Err(bad(
                    i,
                    format!("frequency {xi}, recency {ri}, T {ti} must be finite numbers"),
                ));
            }
            if xi < 0.0 || xi.fract() != 0.0 {
                return Err(bad(
                    i,
                    format!("frequency {xi} must be a whole number >= 0"),
                ));
            }
            if ti <= 0.0 {
                return Err(bad(
                    i,
                    format!(
                        "T {ti} must be > 0 (time from the first purchase to the end of observation)"
                    ),
                ));
            }
            if ri < 0.0 || ri > ti {
                return Err(bad(
                    i,
                    format!(
                        "recency {ri} must be between 0 and T {ti} (recency is the time from the first to the last purchase)"
                    ),
                ));
            }
        }
        Ok(Rfm { x, t_x, t })
    }

    pub fn len(&self) -> usize {
        self.x.len()
    }

    pub fn is_empty(&self) -> bool {
        self.x.is_empty()
    }

    /// Distinct triples with counts, in a fixed (sorted) order.
    pub fn compress(&self) -> Triples {
        let keys = (0..self.x.len()).map(|i| (self.x[i], self.t_x[i], self.t[i], 1.0));
        Triples::merge(keys, self.x.len() / 2)
    }
}

impl Triples {
    /// Sum the counts of equal (x, t_x, T) keys and return them sorted by key. Keys are
    /// compared by bit pattern: the values are >= 0, so bit order is numeric order.
    fn merge(keys: impl Iterator<Item = (f64, f64, f64, f64)>, capacity: usize) -> Triples {
        // Polars' hash map (a fast non-cryptographic hasher); order is fixed by the sort below
        let mut m: polars::prelude::PlHashMap<(u64, u64, u64), f64> =
            polars::prelude::PlHashMap::with_capacity_and_hasher(capacity, Default::default());
        for (x, r, t, n) in keys {
            *m.entry((x.to_bits(), r.to_bits(), t.to_bits()))
                .or_default() += n;
        }
        let mut merged: Vec<((u64, u64, u64), f64)> = m.into_iter().collect();
        merged.sort_unstable_by_key(|(k, _)| *k);
        let mut out = Triples::default();
        for ((x, r, t), n) in merged {
            out.x.push(f64::from_bits(x));
            out.t_x.push(f64::from_bits(r));
            out.t.push(f64::from_bits(t));
            out.n.push(n);
        }
        out
    }

    /// The same customers with recency and T rounded to multiples of `step` (T at least one
    /// step, recency at most T), merged again: a cheap stand-in for finding starting points.
    pub fn coarsen(&self, step: f64) -> Triples {
        let round = |v: f64| (v / step).round() * step;
        let keys = (0..self.x.len()).map(|i| {
            let t = round(self.t[i]).max(step);
            (self.x[i], round(self.t_x[i]).min(t), t, self.n[i])
        });
        Triples::merge(keys, self.x.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compress_counts_distinct_triples() -> Result<()> {
        let d = Rfm::new(
            vec![0.0, 2.0, 0.0, 2.0],
            vec![0.0, 5.0, 0.0, 5.0],
            vec![10.0, 8.0, 10.0, 8.0],
        )?;
        let c = d.compress();
        assert_eq!(c.len(), 2);
        assert_eq!(c.customers(), 4.0);
        assert_eq!(c.n, [2.0, 2.0]);
        Ok(())
    }

    #[test]
    fn recency_beyond_t_is_rejected_with_its_row() {
        let e = Rfm::new(vec![1.0, 1.0], vec![2.0, 9.0], vec![5.0, 5.0]).unwrap_err();
        assert!(
            e.to_string()
                .contains("row 2: recency 9 must be between 0 and T 5"),
            "{e}"
        );
    }

    #[test]
    fn fractional_frequency_and_zero_t_are_rejected() {
        assert!(Rfm::new(vec![1.5], vec![1.0], vec![2.0]).is_err());
        assert!(Rfm::new(vec![0.0], vec![0.0], vec![0.0]).is_err());
        assert!(Rfm::new(vec![], vec![], vec![]).is_err());
    }
}
