//! Validation that loses nothing: every input row is either used (typed, in the clean frame)
//! or rejected (its original fields as text, with a `reason`), and the counts reconcile:
//! `read = used + rejected` for every table.
//!
//! Each contract column is parsed by its [`Kind`](crate::schema::Kind) (see [`parse`]); the
//! table rules in [`rules`] add cross-column checks (amount from quantity x unit_price, dates
//! after `as_of`, unknown customers, duplicate keys). The first problem a row has is its reason.

pub mod output;
mod params;
pub mod parse;
mod rules;

use chrono::NaiveDate;
use polars::prelude::*;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::io::load::{FileInfo, REASON_INTERNAL, ROW_INTERNAL, RawTable};
use crate::schema::{self, Kind, TableSpec};
pub use params::{UnknownCustomers, ValidationParams, ValidationValid};
use parse::Problem;

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
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Counts {
    pub read: u64,
    pub used: u64,
    pub rejected: u64,
    /// Reject counts by check (e.g. `amount: not a number`), sorted by check.
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
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
    let as_of = match as_of {
        Some(d) => Some(d),
        None => last_date(&tables)?.map(|d| d + chrono::Duration::days(1)),
    };
    Ok(Validation { tables, as_of })
}

fn last_date(tables: &[ValidTable]) -> Result<Option<NaiveDate>> {
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
    Ok(days.i32()?.max().map(crate::frame::date_of))
}

/// How a contract column of this input is found and labelled.
pub(crate) struct Present {
    pub name: &'static str,
    pub file_col: String,
    pub dtype: DataType,
    pub label: String,
}

/// The parsed value column of a contract column while validating.
pub(crate) fn value_col(name: &str) -> Expr {
    col(format!("{VALUE_PREFIX}{name}"))
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
    let input = &raw.input;
    let spec = input.table;
    let mut frame = raw.frame.clone();
    let schema = frame.collect_schema()?;
    let found = || raw.columns.join(", ");
    let mut present: Vec<Present> = Vec::new();
    for c in spec.columns {
        let fc = input.file_column(c.name);
        match schema.get(fc) {
            Some(dtype) => present.push(Present {
                name: c.name,
                file_col: fc.to_string(),
                dtype: dtype.clone(),
                label: if fc == c.name {
                    c.name.to_string()
                } else {
                    format!("{} ('{fc}')", c.name)
                },
            }),
            None if c.required || input.is_mapped(c.name) => {
                return Err(missing_column(raw, c.name, fc, &found()));
            }
            None => {}
        }
    }
    rules::require_columns(raw, &present, &found())?;

    // Three steps, so nothing is parsed twice: trimmed text, then typed values, then the index
    // of the first problem of each row. Reason sentences are built for rejected rows only.
    let date_format = input.date_format.as_deref();
    let mut texts: Vec<Expr> = Vec::new();
    let mut values: Vec<Expr> = Vec::new();
    let mut problems: Vec<Problem> = Vec::new();
    let mut keep: Vec<Expr> = vec![col(ROW_INTERNAL)];
    for p in &present {
        let kind = spec.column(p.name).map(|c| c.kind).unwrap_or(Kind::Text);
        let required = spec.column(p.name).is_some_and(|c| c.required);
        let text_col = format!("{TEXT_PREFIX}{}", p.name);
        let raw_col = col(p.file_col.as_str());
        if parse::Source::needs_text(&p.dtype) {
            texts.push(parse::text(raw_col.clone(), &p.dtype).alias(text_col.as_str()));
            keep.push(col(text_col.as_str()));
        } else {
            keep.push(raw_col.clone());
        }
        let src = parse::Source::new(raw_col, &p.dtype, &text_col);
        if required {
            problems.push(Problem::new(
                src.present.clone().not(),
                lit(format!("{} is blank", p.label)),
                format!("{}: blank", p.name),
            ));
        }
        let parsed = parse::parse(&src, kind, p.name, &p.label, date_format, value_col(p.name));
        problems.extend(parsed.problems);
        values.push(parsed.value.alias(format!("{VALUE_PREFIX}{}", p.name)));
        keep.push(value_col(p.name));
    }
    frame = frame.with_columns(texts).with_columns(values);
    let rules = rules::table_rules(spec, frame, &present, v, as_of, known_customers)?;
    problems.extend(rules.problems);

    // bad = the row has any problem: a cheap OR over all rows; which problem comes first is
    // worked out on the bad rows only.
    let any_problem = problems.iter().fold(lit(false), |acc, p| {
        acc.or(p.when.clone().fill_null(lit(false)))
    });
    let first = problems
        .iter()
        .enumerate()
        .rev()
        .fold(lit(NULL).cast(DataType::UInt32), |acc, (i, p)| {
            when(p.when.clone()).then(lit(i as u32)).otherwise(acc)
        });
    if spec.name == schema::CUSTOMERS.name {
        keep.extend(
            extra_columns(raw, &present)
                .into_iter()
                .map(|c| col(c.as_str()).alias(format!("{VALUE_PREFIX}{c}"))),
        );
    }
    keep.extend(rules.keep);
    keep.push(any_problem.alias(BAD));
    let all = rules.frame.select(keep).collect()?;

    let bad_mask = all.column(BAD)?.bool()?.clone();
    let ok_mask = !&bad_mask;
    let n_bad = bad_mask.sum().unwrap_or(0);
    // the used rows need only the values, the row number and the rules' flags
    let ok_cols: Vec<String> = all
        .get_column_names()
        .iter()
        .map(|n| n.to_string())
        .filter(|n| {
            n == ROW_INTERNAL
                || n.starts_with(VALUE_PREFIX)
                || rules.notes.iter().any(|(flag, _)| flag == n)
        })
        .collect();
    let ok_all = all.select(ok_cols)?;
    let mut ok = if n_bad == 0 {
        ok_all
    } else {
        ok_all.filter(&ok_mask)?
    };
    let (reason, check) = problems.into_iter().enumerate().rev().fold(
        (
            lit(NULL).cast(DataType::String),
            lit(NULL).cast(DataType::String),
        ),
        |(r, c), (i, p)| {
            let hit = col(FIRST_PROBLEM).eq(lit(i as u32));
            (
                when(hit.clone()).then(p.reason).otherwise(r),
                when(hit).then(lit(p.check)).otherwise(c),
            )
        },
    );
    let bad_rows = if n_bad == 0 {
        all.clear()
    } else {
        all.filter(&bad_mask)?
    };
    let mut bad = bad_rows
        .lazy()
        .with_column(first.alias(FIRST_PROBLEM))
        .select([
            col(ROW_INTERNAL),
            reason.alias(REASON_INTERNAL),
            check.alias(CHECK_INTERNAL),
        ])
        .collect()?;
    let (kept, dups) = rules::duplicates(spec, ok)?;
    ok = kept;
    if let Some(d) = dups {
        bad = bad.vstack(&d)?;
    }
    let mut notes = Vec::new();
    for (name, note) in &rules.notes {
        let n = ok.column(name)?.as_materialized_series().sum::<u64>()?;
        if n > 0 {
            notes.push(note.replace("{n}", &n.to_string()));
        }
        ok = ok.drop(name)?;
    }
    let rejects = reject_rows(raw, bad)?;
    let clean = clean_frame(ok)?;
    let mut counts = Counts {
        used: clean.height() as u64,
        rejected: rejects.height() as u64,
        ..Counts::default()
    };
    counts.read = counts.used + counts.rejected;
    for c in rejects.column("check")?.str()?.iter().flatten() {
        *counts.rejected_by_check.entry(c.to_string()).or_default() += 1;
    }
    Ok(ValidTable {
        spec,
        clean,
        rejects,
        counts,
        notes,
        file: raw.file.clone(),
    })
}

fn missing_column(raw: &RawTable, name: &str, file_col: &str, found: &str) -> Error {
    // A single column whose name holds another separator means the delimiter is wrong.
    let mut found = found.to_string();
    if raw.columns.len() == 1 {
        for (sep, word) in [(';', ";"), ('\t', "tab"), ('|', "|"), (',', ",")] {
            if raw.columns[0].contains(sep) {
                found = format!(
                    "{found} (the header looks {word}-separated: set delimiter = \"{word}\")"
                );
                break;
            }
        }
    }
    Error::MissingColumn {
        file: raw.file.path.clone(),
        column: name.to_string(),
        file_column: file_col.to_string(),
        found: if found.is_empty() {
            "(none)".into()
        } else {
            found
        },
    }
}

/// Customers-file columns outside the contract, kept as they are (unless their name clashes).
fn extra_columns(raw: &RawTable, present: &[Present]) -> Vec<String> {
    let spec = raw.input.table;
    raw.columns
        .iter()
        .filter(|c| !present.iter().any(|p| &p.file_col == *c))
        .filter(|c| spec.column(c).is_none() && !schema::FEATURES.iter().any(|(f, _)| f == c))
        .cloned()
        .collect()
}

/// Rejected row numbers + reasons → the original rows as text, sorted by row.
fn reject_rows(raw: &RawTable, bad: DataFrame) -> Result<DataFrame> {
    // no rejects: an empty frame of the right shape, without reading the input again
    let bad = if bad.height() == 0 && raw.pre_rejects.is_none() {
        return empty_rejects(raw);
    } else {
        bad
    };
    let originals: Vec<Expr> = raw
        .columns
        .iter()
        .map(|c| {
            let out = if c == schema::ROW || c == schema::REASON || c == "check" {
                format!("{c}_original")
            } else {
                c.clone()
            };
            col(c.as_str()).cast(DataType::String).alias(out)
        })
        .collect();
    let mut head = vec![
        col(ROW_INTERNAL).alias(schema::ROW),
        col(CHECK_INTERNAL).alias("check"),
        col(REASON_INTERNAL).alias(schema::REASON),
    ];
    head.extend(originals);
    let joined = raw
        .frame
        .clone()
        .inner_join(bad.lazy(), col(ROW_INTERNAL), col(ROW_INTERNAL));
    let mut parts = vec![joined.select(head.clone())];
    if let Some(pre) = &raw.pre_rejects {
        let pre = pre
            .clone()
            .lazy()
            .with_column(lit("row: wrong number of fields").alias(CHECK_INTERNAL));
        parts.push(pre.select(head));
    }
    Ok(concat(parts, UnionArgs::default())?
        .sort([schema::ROW], SortMultipleOptions::default())
        .collect()?)
}

fn empty_rejects(raw: &RawTable) -> Result<DataFrame> {
    let mut cols = vec![
        Column::new_empty(schema::ROW.into(), &DataType::Int64),
        Column::new_empty("check".into(), &DataType::String),
        Column::new_empty(schema::REASON.into(), &DataType::String),
    ];
    for c in &raw.columns {
        let out = if c == schema::ROW || c == schema::REASON || c == "check" {
            format!("{c}_original")
        } else {
            c.clone()
        };
        cols.push(Column::new_empty(out.into(), &DataType::String));
    }
    Ok(DataFrame::new_infer_height(cols)?)
}

/// Strip the value prefix and bookkeeping columns.
fn clean_frame(ok: DataFrame) -> Result<DataFrame> {
    let exprs: Vec<Expr> = ok
        .get_column_names()
        .iter()
        .filter_map(|n| {
            n.strip_prefix(VALUE_PREFIX)
                .map(|c| col(n.as_str()).alias(c))
        })
        .collect();
    Ok(ok.lazy().select(exprs).collect()?)
}

#[cfg(test)]
mod tests;
