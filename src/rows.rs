//! Each customer's rows of the transactions, gathered once: a customer code per row (in
//! order of first appearance), then a counting sort of the row numbers by code. The stages
//! that need per-customer figures over tens of millions of rows walk a customer's own few
//! dozen rows instead of hashing its string id once per row and aggregate.

use polars::prelude::*;

use crate::error::Result;
use crate::schema as s;
use crate::schema::columns::CUSTOMER_CODE;

/// The rows of each customer: `rows(k)` are customer `k`'s row numbers, in file order.
pub struct CustomerRows<'a> {
    ids: Vec<&'a str>,
    offsets: Vec<usize>,
    rows: Vec<u32>,
}

/// A code per row for its customer, in order of first appearance (`NO_CODE` without an id).
/// The rows are cut into one run per core; each run numbers its own ids in its order of first
/// appearance, then the runs' distinct ids are numbered again in run order (a run's new ids
/// first appear there, in its order), so the codes are those of one serial pass.
fn hashed_codes(ids: &StringChunked) -> Result<Vec<u32>> {
    let parts = match ids.len() < SERIAL_IDS {
        true => 1,
        false => crate::par::threads(),
    };
    codes_in_runs(ids, parts)
}

/// [`hashed_codes`] with the rows cut into `parts` runs.
fn codes_in_runs(ids: &StringChunked, parts: usize) -> Result<Vec<u32>> {
    let per = ids.len().div_ceil(parts.max(1)).max(1);
    let runs: Vec<usize> = (0..ids.len()).step_by(per).collect();
    let local = crate::par::map_owned(runs, |start| {
        number_run(&ids.slice(start as i64, per), start)
    })?;
    let mut index: PlHashMap<&str, u32> = PlHashMap::default();
    let mut codes = Vec::with_capacity(ids.len());
    for (run_codes, first_rows) in local {
        let global: Vec<u32> = first_rows
            .iter()
            .map(|&r| {
                let next = index.len() as u32;
                *index.entry(ids.get(r).unwrap_or_default()).or_insert(next)
            })
            .collect();
        codes.extend(
            run_codes
                .iter()
                .map(|&c| if c == NO_CODE { c } else { global[c as usize] }),
        );
    }
    Ok(codes)
}

/// Rows below which the ids are numbered on one thread.
const SERIAL_IDS: usize = 1 << 16;

/// One run's codes, numbered from 0 in its order of first appearance, and the row (counted
/// from the whole column's start; the run begins at row `start`) where each code first appears.
fn number_run(run: &StringChunked, start: usize) -> (Vec<u32>, Vec<usize>) {
    let mut index: PlHashMap<&str, u32> = PlHashMap::default();
    let mut first_rows = Vec::new();
    let codes = run
        .iter()
        .enumerate()
        .map(|(i, id)| match id {
            Some(id) => *index.entry(id).or_insert_with(|| {
                first_rows.push(start + i);
                first_rows.len() as u32 - 1
            }),
            None => NO_CODE,
        })
        .collect();
    (codes, first_rows)
}

/// The code of a row without a customer id.
pub const NO_CODE: u32 = u32::MAX;

/// Adds [`CUSTOMER_CODE`] to the used transactions, once per run, so every stage that walks
/// each customer's rows ([`CustomerRows::of`]) reads the codes instead of hashing 40 million
/// ids again. Call it after the merge map is folded in (it changes ids).
pub fn with_customer_codes(tx: &mut DataFrame) -> Result<()> {
    let codes = hashed_codes(tx.column(s::CUSTOMER_ID)?.str()?)?;
    tx.with_column(Column::new(CUSTOMER_CODE.into(), codes))?;
    Ok(())
}

/// Each row's customer code ([`NO_CODE`] without an id): the frame's [`CUSTOMER_CODE`]
/// column when it has one, else hashed here.
pub enum Codes {
    Given(UInt32Chunked),
    Hashed(Vec<u32>),
}

impl Codes {
    pub fn of(tx: &DataFrame) -> Result<Self> {
        Ok(match tx.column(CUSTOMER_CODE) {
            Ok(c) => Codes::Given(c.u32()?.rechunk().into_owned()),
            Err(_) => Codes::Hashed(hashed_codes(tx.column(s::CUSTOMER_ID)?.str()?)?),
        })
    }

    pub fn as_slice(&self) -> Result<&[u32]> {
        Ok(match self {
            Codes::Given(c) => c.cont_slice()?,
            Codes::Hashed(v) => v,
        })
    }
}

impl<'a> CustomerRows<'a> {
    /// The customers of the rows of `tx` where `keep(row)` holds (rows without an id are left
    /// out), from its [`CUSTOMER_CODE`] column when it has one.
    pub fn of(tx: &'a DataFrame, keep: impl Fn(usize) -> bool) -> Result<Self> {
        let ids = tx.column(s::CUSTOMER_ID)?.str()?;
        let codes = Codes::of(tx)?;
        Ok(Self::from_codes(ids, codes.as_slice()?, keep))
    }

    /// Customers numbered densely in code order, those without a kept row left out.
    fn from_codes(ids: &'a StringChunked, codes: &[u32], keep: impl Fn(usize) -> bool) -> Self {
        let n = codes
            .iter()
            .filter(|&&c| c != NO_CODE)
            .max()
            .map_or(0, |&m| m as usize + 1);
        let mut counts = vec![0usize; n];
        let mut first_row = vec![u32::MAX; n];
        for (r, &c) in codes.iter().enumerate() {
            if c != NO_CODE && keep(r) {
                counts[c as usize] += 1;
                if first_row[c as usize] == u32::MAX {
                    first_row[c as usize] = r as u32;
                }
            }
        }
        // dense number of each code with kept rows, and the offsets of its rows
        let (mut dense, mut offsets, mut names) = (vec![NO_CODE; n], vec![0usize], Vec::new());
        for c in 0..n {
            if counts[c] > 0 {
                dense[c] = names.len() as u32;
                names.push(ids.get(first_row[c] as usize).unwrap_or_default());
                offsets.push(offsets[offsets.len() - 1] + counts[c]);
            }
        }
        let mut next = offsets.clone();
        let mut rows = vec![0u32; offsets[names.len()]];
        for (r, &c) in codes.iter().enumerate() {
            if c != NO_CODE && keep(r) {
                let k = dense[c as usize] as usize;
                rows[next[k]] = r as u32;
                next[k] += 1;
            }
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

/// The date column of `tx` by row as epoch days; a missing date (none after validation) as
/// `i32::MAX`, after every cutoff.
pub fn day_numbers(tx: &DataFrame) -> Result<Vec<i32>> {
    let days = tx.column(s::DATE)?.cast(&DataType::Date)?;
    let days = days.date()?.physical();
    if days.null_count() > 0 {
        return Ok(days.iter().map(|d| d.unwrap_or(i32::MAX)).collect());
    }
    // no missing date (the rule after validation): the values copied chunk by chunk
    let mut out = Vec::with_capacity(days.len());
    for arr in days.downcast_iter() {
        out.extend_from_slice(arr.values());
    }
    Ok(out)
}

/// A numeric column of `tx` as one Float64 chunk, to read by row with [`ByRow`].
pub fn f64_chunk(tx: &DataFrame, name: &str) -> Result<Float64Chunked> {
    Ok(tx
        .column(name)?
        .cast(&DataType::Float64)?
        .f64()?
        .rechunk()
        .into_owned())
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
    fn rows_are_gathered_per_customer_in_file_order_with_or_without_codes() -> Result<()> {
        let ids = [
            Some("b"),
            Some("a"),
            None,
            Some("b"),
            Some("a"),
            Some("c"),
            Some("d"),
        ];
        let mut tx = df!(s::CUSTOMER_ID => ids)?;
        for _ in 0..2 {
            // row 4 is not kept, row 2 has no id, d's only row is not kept
            let g = CustomerRows::of(&tx, |r| r != 4 && r != 6)?;
            assert_eq!(g.ids(), ["b", "a", "c"]);
            assert_eq!(g.rows(0), [0, 3]);
            assert_eq!(g.rows(1), [1]);
            assert_eq!(g.rows(2), [5]);
            with_customer_codes(&mut tx)?;
        }
        let codes: Vec<Option<u32>> = tx.column(CUSTOMER_CODE)?.u32()?.iter().collect();
        let none = Some(NO_CODE);
        assert_eq!(
            codes,
            [Some(0), Some(1), none, Some(0), Some(1), Some(2), Some(3)]
        );
        Ok(())
    }

    #[test]
    fn codes_numbered_in_runs_are_those_of_one_serial_pass() -> Result<()> {
        // ids reappearing across run borders, missing ids, three chunks of uneven length
        let mut rng = 7u64;
        let mut next = || {
            rng = rng
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (rng >> 33) as usize
        };
        let mut ids = StringChunked::new("id".into(), Vec::<Option<String>>::new());
        for len in [5usize, 97, 40] {
            let part: Vec<Option<String>> = (0..len)
                .map(|_| match next() % 10 {
                    0 => None,
                    k => Some(format!("C{}", (k * 7 + next()) % 31)),
                })
                .collect();
            ids.append(&StringChunked::new("id".into(), part))?;
        }
        assert_eq!(ids.chunks().len(), 3);
        // the reference: one map over every row
        let mut index: PlHashMap<&str, u32> = PlHashMap::default();
        let serial: Vec<u32> = ids
            .iter()
            .map(|id| match id {
                Some(id) => {
                    let next = index.len() as u32;
                    *index.entry(id).or_insert(next)
                }
                None => NO_CODE,
            })
            .collect();
        for parts in 1..=7 {
            assert_eq!(codes_in_runs(&ids, parts)?, serial, "{parts} runs");
        }
        let empty = StringChunked::new("id".into(), Vec::<Option<&str>>::new());
        assert!(codes_in_runs(&empty, 2)?.is_empty());
        Ok(())
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
