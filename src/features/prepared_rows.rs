//! The rest of a prepared run (see [`super::prepared`]): the customer table from the checked
//! features and the customers' own columns, and the job's order aggregates, counts and rejects
//! as the transactions' validation result.

use std::path::Path;

use polars::prelude::*;

use super::prepared::JobFacts;
use crate::error::{Error, Result};
use crate::io::load::FileInfo;
use crate::schema as s;
use crate::validate::{Counts, ValidTable};

/// The customer table of a prepared run: the customers' own columns (when given) and the
/// prepared features, one row per customer, sorted by `customer_id`, as
/// [`super::customer_table`] builds it from rows. The two sides must agree on who is in the
/// customers table (else the features are from another customers file).
pub fn customer_table(
    features: &DataFrame,
    customers: Option<&DataFrame>,
    file: &Path,
) -> Result<DataFrame> {
    agree_on_customers(features, customers, file)?;
    let Some(c) = customers else {
        return Ok(features.sort([s::CUSTOMER_ID], SortMultipleOptions::default())?);
    };
    let own: Vec<Expr> = c
        .get_column_names()
        .iter()
        .map(|n| col(n.as_str()))
        .collect();
    let mut select = own;
    select.extend(s::FEATURES.iter().map(|(n, _)| col(*n)));
    Ok(features
        .clone()
        .lazy()
        .join(
            c.clone().lazy(),
            [col(s::CUSTOMER_ID)],
            [col(s::CUSTOMER_ID)],
            JoinArgs::new(JoinType::Left),
        )
        .select(select)
        .sort([s::CUSTOMER_ID], SortMultipleOptions::default())
        .collect()?)
}

/// Every used customer of the customers table is a feature row with `in_customer_table`, and
/// no other row has it.
fn agree_on_customers(
    features: &DataFrame,
    customers: Option<&DataFrame>,
    file: &Path,
) -> Result<()> {
    let ids = features.column(s::CUSTOMER_ID)?.str()?;
    let flags = features.column(s::IN_CUSTOMER_TABLE)?.bool()?;
    let known: std::collections::HashSet<&str> = match customers {
        Some(c) => c.column(s::CUSTOMER_ID)?.str()?.iter().flatten().collect(),
        None => Default::default(),
    };
    let mut found = 0usize;
    for (i, (id, flag)) in ids.iter().zip(flags.iter()).enumerate() {
        let (id, flag) = (id.unwrap_or(""), flag.unwrap_or(false));
        let is_known = known.contains(id);
        found += usize::from(is_known);
        if flag != is_known {
            let why = match flag {
                true => {
                    "is marked in_customer_table but is not among the customers table's used rows"
                }
                false => "is in the customers table but not marked in_customer_table",
            };
            return Err(Error::input(
                file,
                format!(
                    "row {}, column in_customer_table: customer \"{id}\" {why}; were the \
                     features made from this config's customers file?",
                    i + 1
                ),
            ));
        }
    }
    if found < known.len() {
        let ids: std::collections::HashSet<&str> = ids.iter().flatten().collect();
        let missing = known.iter().filter(|k| !ids.contains(*k)).min().copied();
        return Err(Error::input(
            file,
            format!(
                "has no row for customer \"{}\" of the customers table ({} of {} missing); were \
                 the features made from this config's customers file?",
                missing.unwrap_or(""),
                known.len() - found,
                known.len()
            ),
        ));
    }
    Ok(())
}

/// The order aggregates, checked: `customer_id`, `date`, `amount`, `lines`, `largest_line`
/// and, when the transactions had them, `order_id` and `quantity`, in kam's types; each row
/// at least one line, dated on or before `as_of`.
pub fn checked_orders(df: &DataFrame, file: &Path, as_of: chrono::NaiveDate) -> Result<DataFrame> {
    let bad = |msg: String| Error::input(file, msg);
    let wanted = [
        (s::CUSTOMER_ID, DataType::String, true),
        (s::DATE, DataType::Date, true),
        (s::AMOUNT, DataType::Float64, true),
        (s::QUANTITY, DataType::Float64, false),
        (s::ORDER_ID, DataType::String, false),
        (s::LINES, DataType::Int64, true),
        (s::LARGEST_LINE, DataType::Float64, true),
    ];
    let mut cols = Vec::new();
    for (name, dtype, required) in wanted {
        let Ok(c) = df.column(name) else {
            if required {
                return Err(bad(format!(
                    "has no column {name} (the feature job's order aggregates: customer_id, \
                     date, amount, lines, largest_line, and order_id and quantity when the \
                     transactions have them)"
                )));
            }
            continue;
        };
        cols.push(super::prepared::cast_to(c, &dtype, file)?);
    }
    let t = DataFrame::new_infer_height(cols)?;
    let not_finite = |c: &str| col(c).is_null().or(col(c).is_finite().not());
    let blank_id = col(s::CUSTOMER_ID)
        .str()
        .strip_chars(lit(NULL))
        .str()
        .len_bytes()
        .eq(lit(0));
    let rules = [
        (
            s::CUSTOMER_ID,
            "is blank",
            col(s::CUSTOMER_ID).is_null().or(blank_id),
        ),
        (s::DATE, "is blank", col(s::DATE).is_null()),
        (s::DATE, "is after as_of", col(s::DATE).gt(lit(as_of))),
        (s::AMOUNT, "is not a finite number", not_finite(s::AMOUNT)),
        (
            s::LINES,
            "is blank or less than 1",
            col(s::LINES).is_null().or(col(s::LINES).lt(lit(1))),
        ),
        (
            s::LARGEST_LINE,
            "is not a finite number",
            not_finite(s::LARGEST_LINE),
        ),
    ];
    for rule in rules {
        super::prepared::first_bad(&t, rule, file)?;
    }
    Ok(t)
}

/// Every customer of the order aggregates has a feature row (else the two tables are from
/// different runs of the job).
pub fn orders_have_features(orders: &DataFrame, features: &DataFrame, file: &Path) -> Result<()> {
    let known: std::collections::HashSet<&str> = (features.column(s::CUSTOMER_ID)?.str()?)
        .iter()
        .flatten()
        .collect();
    let ids = orders.column(s::CUSTOMER_ID)?.str()?;
    match ids
        .iter()
        .position(|id| !id.is_some_and(|id| known.contains(id)))
    {
        None => Ok(()),
        Some(i) => Err(Error::input(
            file,
            format!(
                "row {}, column customer_id: customer \"{}\" has orders but no row in the \
                 feature table: the two are from different runs of the feature job",
                i + 1,
                ids.get(i).unwrap_or("")
            ),
        )),
    }
}

/// The transactions' validation result of a prepared run: the order aggregates as the used
/// rows, the job's counts, notes and rejected rows (kam's reject columns: `row`, `check`,
/// `reason`, the file's own columns as text). The aggregates' lines must add up to the job's
/// used rows.
pub fn transactions_table(
    orders: DataFrame,
    orders_file: FileInfo,
    rejects: Option<&DataFrame>,
    job: &JobFacts,
) -> Result<ValidTable> {
    let counts: Counts = job.tables[s::TRANSACTIONS.name].clone();
    let lines: i64 = orders.column(s::LINES)?.i64()?.sum().unwrap_or(0);
    if lines as u64 != counts.used {
        return Err(Error::input(
            Path::new(&orders_file.path),
            format!(
                "sums {lines} transaction lines where the feature job's manifest says {} were \
                 used: the aggregates and the manifest are from different runs",
                counts.used
            ),
        ));
    }
    let rejects = match rejects {
        Some(r) => kam_rejects(r)?,
        None => empty_rejects(),
    };
    if rejects.height() as u64 != counts.rejected {
        return Err(Error::input(
            Path::new(&orders_file.path),
            format!(
                "the feature job's rejects hold {} rows where its manifest says {} were rejected",
                rejects.height(),
                counts.rejected
            ),
        ));
    }
    Ok(ValidTable {
        spec: &s::TRANSACTIONS,
        clean: orders,
        rejects,
        counts,
        notes: job.notes.clone(),
        file: orders_file,
    })
}

/// The job's rejects in kam's reject layout: `row` as a 64-bit integer, the rest as text.
fn kam_rejects(r: &DataFrame) -> Result<DataFrame> {
    let cols = r
        .columns()
        .iter()
        .map(|c| match c.name().as_str() == s::ROW {
            true => c.cast(&DataType::Int64),
            false => c.cast(&DataType::String),
        })
        .collect::<PolarsResult<Vec<Column>>>()?;
    Ok(DataFrame::new_infer_height(cols)?.sort([s::ROW], SortMultipleOptions::default())?)
}

fn empty_rejects() -> DataFrame {
    DataFrame::new_infer_height(vec![
        Column::new_empty(s::ROW.into(), &DataType::Int64),
        Column::new_empty("check".into(), &DataType::String),
        Column::new_empty(s::REASON.into(), &DataType::String),
    ])
    .unwrap_or_default()
}
