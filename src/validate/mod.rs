//! Validation that loses nothing: every input row is either used (typed, in the clean frame)
//! or rejected (its original fields as text, with a `reason`), and the counts reconcile:
//! `read = used + rejected` for every table.
//!
//! Each contract column is parsed by its [`Kind`](crate::schema::Kind) (see [`parse`]); the
//! table rules in [`rules`] add cross-column checks (amount from quantity x unit_price, dates
//! after `as_of`, unknown customers, duplicate keys). The first problem a row has is its reason.

mod columns;
mod dates;
mod future;
mod merge_map;
pub mod output;
mod params;
pub mod parse;
mod rejects;
mod repeats;
mod rules;
mod split;

use chrono::NaiveDate;
use polars::prelude::*;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::io::load::{FileInfo, ROW_INTERNAL, RawTable};
use crate::schema::{self, TableSpec};
pub(crate) use columns::{Present, value_col};
pub use params::{DuplicateRows, UnknownCustomers, ValidationParams, ValidationValid};

/// Internal name of the reject category while validating.
const CHECK_INTERNAL: &str = "__kam_check";
/// Prefix of parsed values while validating (the file may use the contract names itself).
const VALUE_PREFIX: &str = "__kam_v_";
/// Prefix of trimmed text while validating.
const TEXT_PREFIX: &str = "__kam_t_";
/// Index of the first problem of a rejected row while validating.
const FIRST_PROBLEM: &str = "__kam_first_problem";
/// Whether a row has any problem while validating.
const BAD: &str = "__kam_bad";

/// Rows read, used and rejected for one table, with the per-check reject counts.
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize, PartialEq)]
pub struct Counts {
    pub read: u64,
    pub used: u64,
    pub rejected: u64,
    /// Reject counts by check (e.g. `amount: not a number`), sorted by check.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub rejected_by_check: std::collections::BTreeMap<String, u64>,
}

/// One validated table.
pub struct ValidTable {
    pub spec: &'static TableSpec,
    /// Used rows: the present contract columns, typed (and, for customers, extra columns).
    pub clean: DataFrame,
    /// Rejected rows: `row`, `check`, `reason`, then the original columns as text.
    pub rejects: DataFrame,
    pub counts: Counts,
    /// Facts worth a line in the summary (e.g. transactions of unknown customers kept).
    pub notes: Vec<String>,
    pub file: FileInfo,
}

/// Everything validation produced, in contract order.
pub struct Validation {
    pub tables: Vec<ValidTable>,
    /// The run's date: the configured `as_of`, else the day after the last used transaction
    /// (`None` only when no transaction is usable).
    pub as_of: Option<NaiveDate>,
}

impl Validation {
    pub fn table(&self, name: &str) -> Option<&ValidTable> {
        self.tables.iter().find(|t| t.spec.name == name)
    }

    /// The clean transactions; an error when none is usable.
    pub fn transactions(&self) -> Result<&DataFrame> {
        let t = self
            .table(schema::TRANSACTIONS.name)
            .ok_or_else(|| Error::Internal("transactions were not validated".into()))?;
        if t.counts.used == 0 {
            return Err(Error::validation(
                "transactions",
                format!(
                    "no usable rows ({} read, {} rejected); see rejects/transactions.csv",
                    t.counts.read, t.counts.rejected
                ),
            ));
        }
        Ok(&t.clean)
    }
}

/// Validate every loaded input (customers first, so transactions can be checked against them).
/// `as_of`, when given, rejects later transactions and is the run's date; otherwise the run
/// stands on the day after the last used transaction.
pub fn validate(
    raw: &[RawTable],
    v: &ValidationValid,
    as_of: Option<NaiveDate>,
) -> Result<Validation> {
    let mut tables: Vec<ValidTable> = Vec::new();
    for spec in schema::TABLES {
        let Some(r) = raw.iter().find(|r| r.input.table.name == spec.name) else {
            continue;
        };
        let known = tables
            .iter()
            .find(|t| t.spec.name == schema::CUSTOMERS.name)
            .map(|t| t.clean.clone());
        tables.push(validate_table(r, v, as_of, known.as_ref())?);
    }
    let range = date_range(&tables)?;
    let as_of = match as_of {
        Some(d) => Some(d),
        None => range.map(|(_, last)| last + chrono::Duration::days(1)),
    };
    if let (Some((first, last)), Some(t)) = (range, tables.iter_mut().find(is_transactions)) {
        let years = (last - first).num_days() as f64 / 365.25;
        if years > f64::from(v.max_span_years) {
            t.notes.push(format!(
                "dates span {years:.0} years ({first} to {last}), more than \
                 validation.max_span_years ({}); look for placeholder or mistyped dates",
                v.max_span_years
            ));
        }
    }
    Ok(Validation { tables, as_of })
}

fn is_transactions(t: &&mut ValidTable) -> bool {
    t.spec.name == schema::TRANSACTIONS.name
}

/// The first and last date of the used transactions.
fn date_range(tables: &[ValidTable]) -> Result<Option<(NaiveDate, NaiveDate)>> {
    let Some(t) = tables
        .iter()
        .find(|t| t.spec.name == schema::TRANSACTIONS.name)
    else {
        return Ok(None);
    };
    if t.clean.height() == 0 {
        return Ok(None);
    }
    let days = t.clean.column(schema::DATE)?.cast(&DataType::Int32)?;
    let days = days.i32()?;
    Ok(days
        .min()
        .zip(days.max())
        .map(|(a, b)| (crate::frame::date_of(a), crate::frame::date_of(b))))
}

/// Validate one table on its own (used by subcommands with a single input), with no run date.
pub fn validate_one(raw: &RawTable, v: &ValidationValid) -> Result<ValidTable> {
    validate_table(raw, v, None, None)
}

fn validate_table(
    raw: &RawTable,
    v: &ValidationValid,
    as_of: Option<NaiveDate>,
    known_customers: Option<&DataFrame>,
) -> Result<ValidTable> {
    let spec = raw.input.table;
    let mut frame = raw.frame.clone();
    let schema = frame.collect_schema()?;
    let present = columns::present(raw, &schema)?;
    // Three steps, so nothing is parsed twice: trimmed text, then typed values, then the index
    // of the first problem of each row. Reason sentences are built for rejected rows only.
    let parsed = columns::parse_all(raw, &present);
    frame = frame.with_columns(parsed.texts).with_columns(parsed.values);
    let rules = rules::table_rules(spec, frame, &present, v, as_of, known_customers)?;
    let mut problems = parsed.problems;
    problems.extend(rules.problems);
    let mut keep = parsed.keep;
    if spec.name == schema::CUSTOMERS.name {
        keep.extend(
            columns::extra(raw, &present)
                .into_iter()
                .map(|c| col(c.as_str()).alias(format!("{VALUE_PREFIX}{c}"))),
        );
    }
    keep.extend(rules.keep);
    let policy = v.duplicate_transactions;
    if spec.name == schema::TRANSACTIONS.name && policy != DuplicateRows::Keep {
        keep.push(repeats::row_hash(&schema));
    }
    keep.push(rejects::any_problem(&problems).alias(BAD));
    keep.extend(split::original_columns(raw));
    let all = rules.frame.select(keep).collect()?;

    let split = split::split(all, raw, &rules.notes)?;
    let bad = rejects::first_problems(split.bad_rows, problems)?;
    let n_row_rejects = bad.height();
    let (ok, bad) = table_level_checks(spec, split.ok, bad, v, as_of)?;
    // columns no stage reads leave before the repeat rejects filter (and copy) the used rows
    let ok = without_unkept(ok, spec)?;
    let (candidates, originals) = with_table_level(
        raw,
        &bad.slice(n_row_rejects as i64, bad.height()),
        split.candidates,
        split.originals,
    )?;
    let (ok, repeated, repeat_note) = repeats::split(ok, policy, candidates.as_ref(), &originals)?;
    let bad = match repeated {
        Some(d) => bad.vstack(&d)?,
        None => bad,
    };
    let (ok, mut notes) = flag_notes(ok, &rules.notes)?;
    notes.extend(repeat_note);
    let rejects = rejects::reject_rows(raw, bad, &originals)?;
    drop(originals);
    let clean = clean_frame(ok, spec)?;
    let counts = Counts::of(&clean, &rejects)?;
    Ok(ValidTable {
        spec,
        clean,
        rejects,
        counts,
        notes,
        file: raw.file.clone(),
    })
}

/// The rows rejected by the table-level checks (`later`, rare) leave the repeat candidates,
/// and their original fields join `originals` (read from the input again for them alone).
fn with_table_level(
    raw: &RawTable,
    later: &DataFrame,
    candidates: Option<Series>,
    originals: DataFrame,
) -> Result<(Option<Series>, DataFrame)> {
    if later.height() == 0 {
        return Ok((candidates, originals));
    }
    let rows = later.column(ROW_INTERNAL)?.as_materialized_series().clone();
    let candidates = match candidates {
        Some(c) => {
            let out = DataFrame::new_infer_height(vec![c.into_column()])?
                .lazy()
                .filter(
                    col(ROW_INTERNAL)
                        .is_in(lit(rows.clone()).implode(true), false)
                        .not(),
                )
                .collect()?;
            let c = out.column(ROW_INTERNAL)?.as_materialized_series().clone();
            (!c.is_empty()).then_some(c)
        }
        None => None,
    };
    // the candidates' fields are already there
    let have = originals
        .column(ROW_INTERNAL)?
        .as_materialized_series()
        .clone();
    let missing = DataFrame::new_infer_height(vec![rows.into_column()])?
        .lazy()
        .filter(
            col(ROW_INTERNAL)
                .is_in(lit(have).implode(true), false)
                .not(),
        )
        .collect()?;
    if missing.height() == 0 {
        return Ok((candidates, originals));
    }
    let missing = missing
        .column(ROW_INTERNAL)?
        .as_materialized_series()
        .clone();
    let more = rejects::originals(raw, &missing)?;
    Ok((candidates, originals.vstack(&more)?))
}

/// The checks over the used rows as a whole: repeated keys, a stray far-ahead tail (without
/// `as_of`), conflicts in the merge map. Their rejects join `bad`.
fn table_level_checks(
    spec: &TableSpec,
    ok: DataFrame,
    mut bad: DataFrame,
    v: &ValidationValid,
    as_of: Option<NaiveDate>,
) -> Result<(DataFrame, DataFrame)> {
    let (mut ok, dups) = rules::duplicates(spec, ok)?;
    if let Some(d) = dups {
        bad = bad.vstack(&d)?;
    }
    if spec.name == schema::TRANSACTIONS.name && as_of.is_none() {
        let (kept, ahead) = future::split(ok, v.max_future_days)?;
        ok = kept;
        if let Some(d) = ahead {
            bad = bad.vstack(&d)?;
        }
    }
    let (ok, conflicts) = merge_map::conflicts(spec, ok)?;
    if let Some(d) = conflicts {
        bad = bad.vstack(&d)?;
    }
    Ok((ok, bad))
}

/// The notes whose flag column is set on some used row (`{n}` replaced by the count), and
/// the used rows without the flag columns.
fn flag_notes(mut ok: DataFrame, notes: &[(String, String)]) -> Result<(DataFrame, Vec<String>)> {
    let mut out = Vec::new();
    for (name, note) in notes {
        let n = ok.column(name)?.as_materialized_series().sum::<u64>()?;
        if n > 0 {
            out.push(note.replace("{n}", &n.to_string()));
        }
        ok = ok.drop(name)?;
    }
    Ok((ok, out))
}

impl Counts {
    /// read = used + rejected, and the rejects per check.
    fn of(clean: &DataFrame, rejects: &DataFrame) -> Result<Counts> {
        let mut counts = Counts {
            used: clean.height() as u64,
            rejected: rejects.height() as u64,
            ..Counts::default()
        };
        counts.read = counts.used + counts.rejected;
        for c in rejects.column("check")?.str()?.iter().flatten() {
            *counts.rejected_by_check.entry(c.to_string()).or_default() += 1;
        }
        Ok(counts)
    }
}

/// Whether a table keeps the contract column `c` among its used rows (see
/// [`schema::TRANSACTIONS_KEPT`]).
fn kept(spec: &TableSpec, c: &str) -> bool {
    spec.name != schema::TRANSACTIONS.name || schema::TRANSACTIONS_KEPT.contains(&c)
}

/// `ok` without the parsed values of the columns the table does not keep.
fn without_unkept(ok: DataFrame, spec: &TableSpec) -> Result<DataFrame> {
    let unkept: Vec<String> = ok
        .get_column_names()
        .iter()
        .filter(|n| n.strip_prefix(VALUE_PREFIX).is_some_and(|c| !kept(spec, c)))
        .map(|n| n.to_string())
        .collect();
    Ok(ok.drop_many(unkept))
}

/// Strip the value prefix and bookkeeping columns.
fn clean_frame(ok: DataFrame, spec: &TableSpec) -> Result<DataFrame> {
    let exprs: Vec<Expr> = ok
        .get_column_names()
        .iter()
        .filter_map(|n| {
            n.strip_prefix(VALUE_PREFIX)
                .filter(|c| kept(spec, c))
                .map(|c| col(n.as_str()).alias(c))
        })
        .collect();
    let mut clean = ok.lazy().select(exprs).collect()?;
    // One contiguous chunk per column, once: the filters above leave many chunks, and every
    // later group-by or join over the transactions would otherwise concatenate them again
    // (at 41M rows, a copy of the customer ids per stage).
    // (one column at a time: the peak is the table plus one column; a column per core was
    // 0.1 s faster on 10.5M rows but raised the 1M run's peak by a string column, 0.7 GB)
    clean.rechunk_mut();
    Ok(clean)
}

#[cfg(test)]
mod tests;
