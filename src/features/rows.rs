//! Each customer's rows of the transactions, gathered once: a customer code per row (in
//! order of first appearance), then a counting sort of the row numbers by code. The stages
//! that need per-customer figures over tens of millions of rows walk a customer's own few
//! dozen rows instead of hashing its string id once per row and aggregate.

use polars::prelude::*;

/// The rows of each customer: `rows(k)` are customer `k`'s row numbers, in file order.
pub struct CustomerRows<'a> {
    ids: Vec<&'a str>,
    offsets: Vec<usize>,
    rows: Vec<u32>,
}

impl<'a> CustomerRows<'a> {
    /// The customers of the rows where `keep(row)` holds (rows without an id are left out).
    pub fn of(ids: &'a StringChunked, keep: impl Fn(usize) -> bool) -> Self {
        let mut index: PlHashMap<&str, u32> = PlHashMap::default();
        let mut names: Vec<&str> = Vec::new();
        let mut codes: Vec<u32> = Vec::with_capacity(ids.len());
        for (r, id) in ids.iter().enumerate() {
            let code = match id {
                Some(id) if keep(r) => *index.entry(id).or_insert_with(|| {
                    names.push(id);
                    (names.len() - 1) as u32
                }),
                _ => u32::MAX,
            };
            codes.push(code);
        }
        let mut offsets = vec![0usize; names.len() + 1];
        for &c in codes.iter().filter(|&&c| c != u32::MAX) {
            offsets[c as usize + 1] += 1;
        }
        for c in 1..offsets.len() {
            offsets[c] += offsets[c - 1];
        }
        let mut next = offsets.clone();
        let mut rows = vec![0u32; offsets[names.len()]];
        for (r, &c) in codes.iter().enumerate().filter(|(_, c)| **c != u32::MAX) {
            rows[next[c as usize]] = r as u32;
            next[c as usize] += 1;
        }
        CustomerRows {
            ids: names,
            offsets,
            rows,
        }
    }

    /// Number of customers.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The customer ids, by code.
    pub fn ids(&self) -> &[&'a str] {
        &self.ids
    }

    /// Customer `k`'s row numbers, in file order.
    pub fn rows(&self, k: usize) -> &[u32] {
        &self.rows[self.offsets[k]..self.offsets[k + 1]]
    }
}

/// A Float64 column read by row number: its plain slice when it is one chunk without missing
/// values (the usual amount column), else Polars' checked `get`.
pub enum ByRow<'a> {
    Slice(&'a [f64]),
    Chunked(&'a Float64Chunked),
}

impl<'a> ByRow<'a> {
    pub fn of(ca: &'a Float64Chunked) -> Self {
        match ca.cont_slice() {
            Ok(s) => ByRow::Slice(s),
            Err(_) => ByRow::Chunked(ca),
        }
    }

    #[inline]
    pub fn get(&self, r: usize) -> Option<f64> {
        match self {
            ByRow::Slice(s) => s.get(r).copied(),
            ByRow::Chunked(c) => c.get(r),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_gathered_per_customer_in_file_order() {
        let ids = StringChunked::new(
            "id".into(),
            [Some("b"), Some("a"), None, Some("b"), Some("a"), Some("c")],
        );
        let g = CustomerRows::of(&ids, |r| r != 4);
        assert_eq!(g.ids(), ["b", "a", "c"]);
        assert_eq!(g.rows(0), [0, 3]);
        assert_eq!(g.rows(1), [1], "row 4 is not kept, row 2 has no id");
        assert_eq!(g.rows(2), [5]);
    }

    #[test]
    fn by_row_reads_slices_and_missing_values_alike() {
        let full = Float64Chunked::new("a".into(), [1.5, -2.0]);
        let gaps = Float64Chunked::new("q".into(), [Some(1.5), None]);
        let (full, gaps) = (ByRow::of(&full), ByRow::of(&gaps));
        assert!(matches!(full, ByRow::Slice(_)));
        assert_eq!(
            (full.get(0), full.get(1), full.get(2)),
            (Some(1.5), Some(-2.0), None)
        );
        assert_eq!((gaps.get(0), gaps.get(1)), (Some(1.5), None));
    }
}
