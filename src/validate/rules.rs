//! Cross-column rules of each table: what parsing one column at a time cannot see.
//!
//! - transactions: `amount = quantity x unit_price` when there is no amount column; dates
//!   before `validation.min_date` or after `as_of`; implausible magnitudes; customers missing
//!   from the customers table (kept and counted, or rejected, per config).
//! - targets: the company level needs no unit; other levels do.
//! - campaigns: conversions cannot exceed reach; a campaign cannot end before it starts.
//! - feedback: score within 1-5 and nps within 0-10; resolved_on not before date.
//! - keyed tables: a repeated key rejects the later rows, naming the first.

use chrono::NaiveDate;
use polars::prelude::*;

use super::params::{UnknownCustomers, ValidationValid};
use super::parse::{Problem, quoted};
use super::{Present, VALUE_PREFIX, value_col};
use crate::error::{Error, Result};
use crate::frame::{self, epoch_days};
use crate::io::load::{REASON_INTERNAL, ROW_INTERNAL, RawTable};
use crate::schema::{self as s, TableSpec};

/// What a table's rules add to the plan.
pub(super) struct RuleOutput {
    pub frame: LazyFrame,
    pub problems: Vec<Problem>,
    /// Extra columns to carry to the clean frame (derived values, flag columns).
    pub keep: Vec<Expr>,
    /// (flag column, note with `{n}` for the count of used rows where the flag is set).
    pub notes: Vec<(String, String)>,
}

fn has(present: &[Present], name: &str) -> bool {
    present.iter().any(|p| p.name == name)
}

fn label<'a>(present: &'a [Present], name: &'a str) -> &'a str {
    present
        .iter()
        .find(|p| p.name == name)
        .map_or(name, |p| p.label.as_str())
}

/// Columns required by a rule rather than by the contract column itself.
pub(super) fn require_columns(raw: &RawTable, present: &[Present], found: &str) -> Result<()> {
    let spec = raw.input.table;
    if spec.name == s::TRANSACTIONS.name
        && !has(present, s::AMOUNT)
        && !(has(present, s::QUANTITY) && has(present, s::UNIT_PRICE))
    {
        return Err(Error::MissingColumn {
            file: raw.file.path.clone(),
            column: "amount (or both quantity and unit_price)".into(),
            file_column: "amount (or both quantity and unit_price)".into(),
            found: if found.is_empty() {
                "(none)".into()
            } else {
                found.into()
            },
        });
    }
    Ok(())
}

pub(super) fn table_rules(
    spec: &TableSpec,
    frame: LazyFrame,
    present: &[Present],
    v: &ValidationValid,
    as_of: Option<NaiveDate>,
    known_customers: Option<&DataFrame>,
) -> Result<RuleOutput> {
    let out = RuleOutput {
        frame,
        problems: vec![],
        keep: vec![],
        notes: vec![],
    };
    match spec.name {
        n if n == s::TRANSACTIONS.name => transactions(out, present, v, as_of, known_customers),
        n if n == s::TARGETS.name => Ok(targets(out, present)),
        n if n == s::CAMPAIGNS.name => Ok(campaigns(out, present)),
        n if n == s::FEEDBACK.name => Ok(feedback(out, present)),
        n if n == s::CUSTOMER_MERGES.name => Ok(super::merge_map::self_merge(
            out,
            label(present, s::CUSTOMER_ID),
        )),
        _ => Ok(out),
    }
}

fn transactions(
    mut out: RuleOutput,
    present: &[Present],
    v: &ValidationValid,
    as_of: Option<NaiveDate>,
    known: Option<&DataFrame>,
) -> Result<RuleOutput> {
    amount_rules(&mut out, present);
    date_rules(&mut out, present, v.min_day(), as_of, v.max_future_days);
    magnitude_rules(&mut out, present, v.max_abs_amount);
    if let Some(known) = known {
        unknown_customers(&mut out, present, known, v.unknown_customers)?;
    }
    Ok(out)
}

/// A blank amount is a problem (an unparseable one was caught by the column's own checks);
/// without an amount column, amount = quantity x unit_price and both must be present.
fn amount_rules(out: &mut RuleOutput, present: &[Present]) {
    if has(present, s::AMOUNT) {
        out.problems.push(Problem::new(
            value_col(s::AMOUNT).is_null(),
            lit(format!("{} is blank", label(present, s::AMOUNT))),
            "amount: blank",
        ));
        return;
    }
    let amount = value_col(s::QUANTITY) * value_col(s::UNIT_PRICE);
    out.frame = out
        .frame
        .clone()
        .with_column(amount.alias(format!("{VALUE_PREFIX}{}", s::AMOUNT)));
    out.keep.push(value_col(s::AMOUNT));
    for c in [s::QUANTITY, s::UNIT_PRICE] {
        out.problems.push(Problem::new(
            value_col(c).is_null(),
            lit(format!(
                "{} is blank (amount = quantity x unit_price)",
                label(present, c)
            )),
            format!("{c}: blank"),
        ));
    }
}

/// A date before `validation.min_date`, or after `as_of` when one is set, is a problem; one
/// more than `validation.max_future_days` after `as_of` says so.
fn date_rules(
    out: &mut RuleOutput,
    present: &[Present],
    min_date: NaiveDate,
    as_of: Option<NaiveDate>,
    max_future_days: u32,
) {
    let date_text = value_col(s::DATE).dt().strftime("%Y-%m-%d");
    // compared as epoch days: a date literal compares through nanosecond datetimes, which
    // wrap before 1677 and after 2262, so a sale dated in the year 1 passed the check
    let days = || frame::day(value_col(s::DATE));
    out.problems.push(Problem::new(
        days().lt(lit(epoch_days(min_date))),
        quoted(
            label(present, s::DATE),
            date_text.clone(),
            &format!("is before validation.min_date ({min_date})"),
        ),
        "date: before min_date",
    ));
    if let Some(as_of) = as_of {
        // far ahead first: a row's first problem is its reason
        let limit = epoch_days(as_of).saturating_add_unsigned(max_future_days);
        out.problems.push(Problem::new(
            days().gt(lit(limit)),
            quoted(
                label(present, s::DATE),
                date_text.clone(),
                &format!(
                    "is more than validation.max_future_days ({max_future_days}) after as_of \
                     ({as_of})"
                ),
            ),
            super::future::FAR_AHEAD,
        ));
        out.problems.push(Problem::new(
            days().gt(lit(epoch_days(as_of))),
            quoted(
                label(present, s::DATE),
                date_text,
                &format!("is after as_of ({as_of})"),
            ),
            "date: after as_of",
        ));
    }
}

/// An amount (or quantity, when present) beyond `validation.max_abs_amount` is a problem.
fn magnitude_rules(out: &mut RuleOutput, present: &[Present], max_abs_amount: f64) {
    for c in [s::AMOUNT, s::QUANTITY] {
        if c == s::AMOUNT || has(present, c) {
            out.problems.push(Problem::new(
                value_col(c).abs().gt(lit(max_abs_amount)),
                quoted(
                    label(present, c),
                    value_col(c).cast(DataType::String),
                    &format!("is beyond validation.max_abs_amount ({max_abs_amount})"),
                ),
                format!("{c}: implausible"),
            ));
        }
    }
}

/// Transactions of customers not in the `known` customers table: rejected, or kept and
/// counted in a note, per `validation.unknown_customers`.
fn unknown_customers(
    out: &mut RuleOutput,
    present: &[Present],
    known: &DataFrame,
    policy: UnknownCustomers,
) -> Result<()> {
    const UNKNOWN: &str = "__kam_unknown";
    // membership in a hash set of the known ids (a join would reorder and cost more)
    let ids = known
        .column(s::CUSTOMER_ID)?
        .as_materialized_series()
        .unique()?;
    let unknown = value_col(s::CUSTOMER_ID)
        .is_in(lit(ids).implode(true), false)
        .not()
        .and(value_col(s::CUSTOMER_ID).is_not_null());
    match policy {
        UnknownCustomers::Reject => out.problems.push(Problem::new(
            unknown,
            quoted(
                label(present, s::CUSTOMER_ID),
                value_col(s::CUSTOMER_ID),
                "is not in the customers table",
            ),
            "customer_id: not in customers",
        )),
        UnknownCustomers::Keep => {
            out.frame = out
                .frame
                .clone()
                .with_column(unknown.cast(DataType::UInt32).alias(UNKNOWN));
            out.keep.push(col(UNKNOWN));
            out.notes.push((
                UNKNOWN.into(),
                "{n} transactions of customers not in the customers table were kept (validation.unknown_customers = \"keep\")".into(),
            ));
        }
    }
    Ok(())
}

fn targets(mut out: RuleOutput, present: &[Present]) -> RuleOutput {
    let company = value_col(s::LEVEL).eq(lit("company"));
    let unit = if has(present, s::UNIT) {
        value_col(s::UNIT)
    } else {
        lit(NULL).cast(DataType::String)
    };
    out.frame = out.frame.with_column(
        when(company.clone().and(unit.clone().is_null()))
            .then(lit("company"))
            .otherwise(unit)
            .alias(format!("{VALUE_PREFIX}{}", s::UNIT)),
    );
    if !has(present, s::UNIT) {
        out.keep.push(value_col(s::UNIT));
    }
    out.problems.push(Problem::new(
        company.not().and(value_col(s::UNIT).is_null()),
        concat_str(
            [
                lit("unit is blank for level '"),
                value_col(s::LEVEL),
                lit("'"),
            ],
            "",
            true,
        ),
        "unit: blank",
    ));
    out
}

fn campaigns(mut out: RuleOutput, present: &[Present]) -> RuleOutput {
    if has(present, s::REACHED) && has(present, s::CONVERTED) {
        out.problems.push(Problem::new(
            value_col(s::CONVERTED).gt(value_col(s::REACHED)),
            lit("converted exceeds reached"),
            "converted: exceeds reached",
        ));
    }
    if has(present, s::START) && has(present, s::END) {
        out.problems.push(Problem::new(
            value_col(s::END).lt(value_col(s::START)),
            lit("end is before start"),
            "end: before start",
        ));
    }
    out
}

/// Scores on their scales (CSAT 1-5, NPS 0-10); a complaint cannot be resolved before it was
/// made.
fn feedback(mut out: RuleOutput, present: &[Present]) -> RuleOutput {
    for (name, (lo, hi)) in [(s::SCORE, s::SCORE_RANGE), (s::NPS, s::NPS_RANGE)] {
        if !has(present, name) {
            continue;
        }
        let v = value_col(name);
        out.problems.push(Problem::new(
            v.clone().lt(lit(lo)).or(v.gt(lit(hi))),
            quoted(
                label(present, name),
                value_col(name).cast(DataType::String),
                &format!("is outside {lo}-{hi}"),
            ),
            format!("{name}: outside {lo}-{hi}"),
        ));
    }
    if has(present, s::RESOLVED_ON) {
        out.problems.push(Problem::new(
            value_col(s::RESOLVED_ON).lt(value_col(s::DATE)),
            lit("resolved_on is before date"),
            "resolved_on: before date",
        ));
    }
    out
}

/// The columns whose combination must be unique in a table.
pub(super) fn key_columns(spec: &TableSpec) -> Vec<&'static str> {
    if spec.name == s::TARGETS.name {
        vec![s::PERIOD, s::LEVEL, s::UNIT, s::METRIC]
    } else {
        spec.key.into_iter().collect()
    }
}

/// Split the used rows into first occurrences and repeats of the table's key.
pub(super) fn duplicates(
    spec: &TableSpec,
    ok: DataFrame,
) -> Result<(DataFrame, Option<DataFrame>)> {
    let keys = key_columns(spec);
    if keys.is_empty() || ok.height() == 0 {
        return Ok((ok, None));
    }
    let key = concat_str(
        keys.iter()
            .map(|k| value_col(k).cast(DataType::String).fill_null(lit("")))
            .collect::<Vec<_>>(),
        "\u{1f}",
        false,
    );
    let first_row = col(ROW_INTERNAL).first().over([key.clone()])?;
    let what = keys.join(", ");
    let marked = ok
        .lazy()
        .with_columns([
            key.is_first_distinct().not().alias("__kam_dup"),
            first_row.alias("__kam_first_row"),
        ])
        .collect()?;
    let dup = marked.column("__kam_dup")?.bool()?.clone();
    let kept = marked
        .filter(&!&dup)?
        .drop_many(["__kam_dup", "__kam_first_row"]);
    let dups = marked
        .filter(&dup)?
        .lazy()
        .select([
            col(ROW_INTERNAL),
            concat_str(
                [
                    lit(format!("duplicate {what} (first on row ")),
                    col("__kam_first_row").cast(DataType::String),
                    lit(")"),
                ],
                "",
                false,
            )
            .alias(REASON_INTERNAL),
            lit(format!("{what}: duplicate")).alias(super::CHECK_INTERNAL),
        ])
        .collect()?;
    Ok((kept, (dups.height() > 0).then_some(dups)))
}
