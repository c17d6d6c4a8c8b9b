//! The one entry the fuzzers share (`tests/fuzz.rs`, a proptest harness, and the `cargo fuzz`
//! target in `fuzz/`): a transactions CSV (and optionally a customers CSV) as bytes, with a
//! small config, through load and validation exactly as `kam run` reads them, in memory.
//!
//! The config goes through the same checks as kam.toml ([`Config::check`]), the bytes through
//! the same loader ([`load::load_bytes`], the body of [`load::load`]) and then
//! [`validate::validate`], its summary ([`validate::output::output`]) and the run's "any
//! usable transaction?" test. Then the property is checked (see [`check_bytes`]).

use std::collections::BTreeSet;
use std::path::Path;

use chrono::NaiveDate;
use polars::prelude::*;

use crate::config::{Config, Overrides};
use crate::error::{Error, Result};
use crate::io::load::{self, ROW_INTERNAL, RawTable};
use crate::io::{Encoding, InputParams};
use crate::schema;
use crate::validate::{self, Counts, DuplicateRows, UnknownCustomers, ValidTable, Validation};

/// The config a fuzz case varies; everything else is kam.toml's default.
#[derive(Debug, Clone, PartialEq)]
pub struct FuzzSettings {
    /// `[input.*] delimiter` as written (`None`: a comma).
    pub delimiter: Option<String>,
    /// `[input.*] date_format` as written.
    pub date_format: Option<String>,
    pub has_header: bool,
    pub encoding: Encoding,
    pub duplicate_transactions: DuplicateRows,
    pub unknown_customers: UnknownCustomers,
    /// `as_of` as written (`YYYY-MM-DD`, or anything: a bad one is a config error).
    pub as_of: Option<String>,
}

impl Default for FuzzSettings {
    fn default() -> Self {
        FuzzSettings {
            delimiter: None,
            date_format: None,
            has_header: true,
            encoding: Encoding::Utf8,
            duplicate_transactions: DuplicateRows::Reject,
            unknown_customers: UnknownCustomers::Keep,
            as_of: None,
        }
    }
}

/// The delimiters a case picks from.
pub const DELIMITERS: &[Option<&str>] =
    &[None, Some(";"), Some("tab"), Some("|"), Some("whitespace")];
/// The date formats a case picks from (`None`: ISO only).
pub const DATE_FORMATS: &[Option<&str>] = &[
    None,
    Some("%d/%m/%Y"),
    Some("%m/%d/%Y %H:%M"),
    Some("%Y%m%d"),
    Some("%Y年%m月%d日"),
];
/// The `as_of` values a case picks from (the last is not a date: a config error).
pub const AS_OFS: &[Option<&str>] = &[
    None,
    Some("2024-06-30"),
    Some("9999-12-31"),
    Some("0001-01-01"),
    Some("2024-02-30"),
];
const ENCODINGS: &[Encoding] = &[
    Encoding::Utf8,
    Encoding::Gbk,
    Encoding::Gb18030,
    Encoding::Windows1252,
];
const DUPLICATES: &[DuplicateRows] = &[
    DuplicateRows::Reject,
    DuplicateRows::Note,
    DuplicateRows::Keep,
];

/// One fuzz input split into its parts.
pub struct FuzzCase<'a> {
    pub settings: FuzzSettings,
    pub customers: Option<&'a [u8]>,
    pub transactions: &'a [u8],
}

/// Arbitrary bytes → a case (for `cargo fuzz`): byte 0 picks the delimiter, 1 the date
/// format, 2 `as_of`, 3 the encoding, 4 the flags (bit 0: no header, bits 1-2: the duplicate
/// policy, bit 3: reject unknown customers, bit 4: a customers file); with a customers file,
/// byte 5 is its length and it follows; the rest is the transactions file.
pub fn case_from_bytes(data: &[u8]) -> FuzzCase<'_> {
    let byte = |i: usize| data.get(i).copied().unwrap_or(0) as usize;
    let pick = |i: usize, n: usize| byte(i) % n;
    let flags = byte(4);
    let settings = FuzzSettings {
        delimiter: DELIMITERS[pick(0, DELIMITERS.len())].map(str::to_string),
        date_format: DATE_FORMATS[pick(1, DATE_FORMATS.len())].map(str::to_string),
        as_of: AS_OFS[pick(2, AS_OFS.len())].map(str::to_string),
        encoding: ENCODINGS[pick(3, ENCODINGS.len())],
        has_header: flags & 1 == 0,
        duplicate_transactions: DUPLICATES[((flags >> 1) & 3) % DUPLICATES.len()],
        unknown_customers: match flags & 8 {
            0 => UnknownCustomers::Keep,
            _ => UnknownCustomers::Reject,
        },
    };
    let rest = data.get(5..).unwrap_or_default();
    let (customers, transactions) = match (flags & 16 != 0, rest.split_first()) {
        (true, Some((&n, body))) => {
            let (c, t) = body.split_at((n as usize).min(body.len()));
            (Some(c), t)
        }
        _ => (None, rest),
    };
    FuzzCase {
        settings,
        customers,
        transactions,
    }
}

/// What kam made of a case that kept the property.
#[derive(Debug)]
pub enum FuzzOutcome {
    /// kam refused the input or config with a message for the user (a config, input,
    /// missing-column or validation error).
    Refused(Error),
    /// Validation went through: each table's counts, in contract order (with no used
    /// transaction, `kam run` stops after writing the rejects).
    Validated(Vec<(String, Counts)>),
}

/// Load and validate one case as `kam run` does, then check the property:
/// - no panic and no hang (the callers' part: they run this under a time limit);
/// - an error is one for the user; an internal or data-engine error breaks the property;
/// - when validation succeeds, for every table the rows the loader read (its rows plus the
///   rows it could not split) = used + rejected, the counts match the frames, every rejected
///   row names a real row once and has a check and a reason;
/// - used transactions have a customer, a date within `validation.min_date` and `as_of`, and
///   a finite amount within `validation.max_abs_amount`.
///
/// A broken property is an [`Error::Internal`] starting with "property:" (or the internal
/// error itself).
pub fn check_bytes(case: &FuzzCase<'_>) -> Result<FuzzOutcome> {
    match load_and_validate(case) {
        Ok((raw, v, cfg_as_of, min_day, max_abs)) => {
            for t in &v.tables {
                let r = raw
                    .iter()
                    .find(|r| r.input.table.name == t.spec.name)
                    .ok_or_else(|| broken(format!("{} has no loaded table", t.spec.name)))?;
                reconciles(r, t)?;
                if t.spec.name == schema::TRANSACTIONS.name {
                    used_transactions_are_valid(&t.clean, min_day, cfg_as_of, max_abs)?;
                }
            }
            let counts = v
                .tables
                .iter()
                .map(|t| (t.spec.name.to_string(), t.counts.clone()))
                .collect();
            Ok(FuzzOutcome::Validated(counts))
        }
        Err(e @ (Error::Polars(_) | Error::Internal(_))) => Err(e),
        Err(e) => Ok(FuzzOutcome::Refused(e)),
    }
}

type Loaded = (Vec<RawTable>, Validation, Option<NaiveDate>, NaiveDate, f64);

/// The config checked as kam.toml is, the inputs loaded from the bytes, validated.
fn load_and_validate(case: &FuzzCase<'_>) -> Result<Loaded> {
    let s = &case.settings;
    let input = |path: &str| InputParams {
        path: path.into(),
        delimiter: s.delimiter.clone(),
        date_format: s.date_format.clone(),
        has_header: s.has_header,
        encoding: s.encoding,
        ..InputParams::default()
    };
    let config_path = Path::new("fuzz/kam.toml");
    let mut cfg = Config::from_toml("[input.transactions]\npath = \"t.csv\"\n", config_path)?;
    cfg.as_of = s.as_of.clone();
    cfg.input.transactions = input("transactions.csv");
    cfg.input.customers = case.customers.map(|_| input("customers.csv"));
    cfg.validation.duplicate_transactions = s.duplicate_transactions;
    cfg.validation.unknown_customers = s.unknown_customers;
    let cfg = cfg.check(config_path, Overrides::default())?;
    let mut raw = Vec::new();
    for i in &cfg.inputs {
        let bytes = match i.table.name {
            n if n == schema::CUSTOMERS.name => case.customers.unwrap_or_default(),
            _ => case.transactions,
        };
        raw.push(load::load_bytes(i, bytes.to_vec())?);
    }
    let v = validate::validate(&raw, &cfg.validation, cfg.as_of)?;
    validate::output::output(&v);
    // a run stops here when no transaction is usable, after writing the rejects: the
    // property holds for those runs too
    let _ = v.transactions();
    let (min_day, max_abs) = (cfg.validation.min_day(), cfg.validation.max_abs_amount);
    Ok((raw, v, cfg.as_of, min_day, max_abs))
}

fn broken(msg: String) -> Error {
    Error::Internal(format!("property: {msg}"))
}

/// read = used + rejected against the loader's own row count, and every reject accounted for.
fn reconciles(raw: &RawTable, t: &ValidTable) -> Result<()> {
    let name = t.spec.name;
    let mut rows: Vec<i64> = raw_rows(raw.frame.clone().collect()?)?;
    if let Some(pre) = &raw.pre_rejects {
        rows.extend(raw_rows(pre.clone())?);
    }
    let read = rows.len() as u64;
    let real: BTreeSet<i64> = rows.into_iter().collect();
    let c = &t.counts;
    let by_check: u64 = c.rejected_by_check.values().sum();
    if read != c.used + c.rejected || c.read != read {
        return Err(broken(format!(
            "{name}: the loader read {read} rows, validation counts {} read = {} used + {} rejected",
            c.read, c.used, c.rejected
        )));
    }
    if c.used != t.clean.height() as u64 || c.rejected != t.rejects.height() as u64 {
        return Err(broken(format!("{name}: counts differ from the frames")));
    }
    if by_check != c.rejected || real.len() as u64 != read {
        return Err(broken(format!(
            "{name}: {by_check} rejects by check of {}, {} distinct row numbers of {read}",
            c.rejected,
            real.len()
        )));
    }
    let row = t.rejects.column(schema::ROW)?.i64()?;
    let check = t.rejects.column("check")?.str()?;
    let reason = t.rejects.column(schema::REASON)?.str()?;
    let mut seen = BTreeSet::new();
    for i in 0..t.rejects.height() {
        let r = row.get(i);
        let named = |s: Option<&str>| s.is_some_and(|s| !s.trim().is_empty());
        if !r.is_some_and(|r| real.contains(&r) && seen.insert(r)) {
            return Err(broken(format!(
                "{name}: reject row {r:?} is not a read row, or twice"
            )));
        }
        if !named(check.get(i)) || !named(reason.get(i)) {
            return Err(broken(format!(
                "{name}: reject of row {r:?} has no check or reason"
            )));
        }
    }
    Ok(())
}

/// The loader's row numbers of a frame.
fn raw_rows(df: DataFrame) -> Result<Vec<i64>> {
    let rows = df.column(ROW_INTERNAL)?.i64()?.clone();
    if rows.null_count() > 0 {
        return Err(broken("a loaded row has no row number".into()));
    }
    Ok(rows.into_no_null_iter().collect())
}

/// Used transactions: a customer, a date in [min_date, as_of], a finite amount in bounds.
fn used_transactions_are_valid(
    clean: &DataFrame,
    min_day: NaiveDate,
    as_of: Option<NaiveDate>,
    max_abs: f64,
) -> Result<()> {
    let id = clean.column(schema::CUSTOMER_ID)?.str()?;
    if id.iter().any(|v| v.is_none_or(|v| v.trim().is_empty())) {
        return Err(broken("a used transaction has no customer_id".into()));
    }
    let days = clean.column(schema::DATE)?.cast(&DataType::Int32)?;
    let last = as_of.map_or(i32::MAX, crate::frame::epoch_days);
    let first = crate::frame::epoch_days(min_day);
    if days
        .i32()?
        .iter()
        .any(|d| d.is_none_or(|d| d < first || d > last))
    {
        return Err(broken(
            "a used transaction's date is blank or out of range".into(),
        ));
    }
    let amount = clean.column(schema::AMOUNT)?.cast(&DataType::Float64)?;
    let bad = |a: Option<f64>| a.is_none_or(|a| !a.is_finite() || a.abs() > max_abs);
    if amount.f64()?.iter().any(bad) {
        return Err(broken(
            "a used transaction's amount is blank, not finite or too large".into(),
        ));
    }
    Ok(())
}

#[cfg(test)]
#[path = "fuzz_tests.rs"]
mod tests;
