//! Each customer's rows of the transactions, gathered once: a customer code per row (in
//! order of first appearance), then a counting sort of the row numbers by code. The stages
//! that need per-customer figures over tens of millions of rows walk a customer's own few
//! dozen rows instead of hashing its string id once per row and aggregate.

use std::sync::atomic::{AtomicU32, Ordering};

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
    pub fn of(tx: &'a DataFrame, keep: impl Fn(usize) -> bool + Sync) -> Result<Self> {
        let ids = tx.column(s::CUSTOMER_ID)?.str()?;
        let codes = Codes::of(tx)?;
        let parts = match codes.as_slice()?.len() < SERIAL_IDS {
            true => 1,
            false => crate::par::threads(),
        };
        Self::from_codes(ids, codes.as_slice()?, keep, parts)
    }

    /// Customers numbered densely in code order, those without a kept row left out: a
    /// counting sort of the kept rows by code, the rows cut into `parts` runs. Each run counts
    /// its rows per code, a code's rows are placed run after run (so in file order), and each
    /// run then writes its own rows to their places.
    fn from_codes(
        ids: &'a StringChunked,
        codes: &[u32],
        keep: impl Fn(usize) -> bool + Sync,
        parts: usize,
    ) -> Result<Self> {
        let n = codes
            .iter()
            .filter(|&&c| c != NO_CODE)
            .max()
            .map_or(0, |&m| m as usize + 1);
        let per = codes.len().div_ceil(parts.max(1)).max(1);
        let run = |lo: usize| lo..(lo + per).min(codes.len());
        let kept = |r: usize| codes[r] != NO_CODE && keep(r);
        let starts: Vec<usize> = (0..codes.len()).step_by(per).collect();
        let mut tallies = crate::par::map_owned(starts.clone(), |lo| {
            let (mut count, mut first) = (vec![0u32; n], vec![u32::MAX; n]);
            for r in run(lo).filter(|&r| kept(r)) {
                let c = codes[r] as usize;
                count[c] += 1;
                first[c] = first[c].min(r as u32);
            }
            (count, first)
        })?;
        // the offsets of each kept code's rows, and where each run's rows of the code begin
        // (stored over the run's counts)
        let (mut offsets, mut names) = (vec![0usize], Vec::new());
        for c in 0..n {
            let total: usize = tallies.iter().map(|(count, _)| count[c] as usize).sum();
            if total == 0 {
                continue;
            }
            let first = tallies.iter().map(|(_, f)| f[c]).min().unwrap_or(u32::MAX);
            names.push(ids.get(first as usize).unwrap_or_default());
            let mut at = offsets[offsets.len() - 1];
            offsets.push(at + total);
            for (count, _) in tallies.iter_mut() {
                let here = count[c] as usize;
                count[c] = at as u32;
                at += here;
            }
        }
        let total = offsets[names.len()];
        let rows: Vec<AtomicU32> = (0..total).map(|_| AtomicU32::new(0)).collect();
        let work: Vec<(usize, Vec<u32>)> = starts
            .into_iter()
            .zip(tallies.into_iter().map(|(at, _)| at))
            .collect();
        crate::par::map_owned(work, |(lo, mut at)| {
            for r in run(lo).filter(|&r| kept(r)) {
                let c = codes[r] as usize;
                rows[at[c] as usize].store(r as u32, Ordering::Relaxed);
                at[c] += 1;
            }
        })?;
        Ok(CustomerRows {
            ids: names,
            offsets,
            rows: rows.into_iter().map(AtomicU32::into_inner).collect(),
        })
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
    fn rows_gathered_in_runs_are_those_of_one_pass() -> Result<()> {
        let (mut rng, n) = (11u64, 500usize);
        let mut next = || {
            rng = rng
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (rng >> 33) as usize
        };
        let codes: Vec<u32> = (0..n)
            .map(|_| match next() % 9 {
                0 => NO_CODE,
                k => ((k * 13 + next()) % 40) as u32,
            })
            .collect();
        let names: Vec<String> = (0..40).map(|c| format!("C{c}")).collect();
        let ids = StringChunked::new(
            "id".into(),
            codes
                .iter()
                .map(|&c| (c != NO_CODE).then(|| names[c as usize].as_str()))
                .collect::<Vec<_>>(),
        );
        let keep = |r: usize| r % 7 != 3;
        // the reference: each code's kept rows in file order, codes in order
        let mut by_code: Vec<Vec<u32>> = vec![Vec::new(); 40];
        for (r, &c) in codes.iter().enumerate() {
            if c != NO_CODE && keep(r) {
                by_code[c as usize].push(r as u32);
            }
        }
        let want: Vec<(&str, Vec<u32>)> = by_code
            .iter()
            .enumerate()
            .filter(|(_, rows)| !rows.is_empty())
            .map(|(c, rows)| (names[c].as_str(), rows.clone()))
            .collect();
        for parts in 1..=6 {
            let g = CustomerRows::from_codes(&ids, &codes, keep, parts)?;
            let got: Vec<(&str, Vec<u32>)> = (0..g.len())
                .map(|k| (g.ids()[k], g.rows(k).to_vec()))
                .collect();
            assert_eq!(got, want, "{parts} runs");
        }
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
