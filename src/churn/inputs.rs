//! The raw features of the behavioural examples besides the behaviour features: other
//! sources' figures as known at each cutoff ([`PointInTime`]) and the customer attributes.

use chrono::NaiveDate;
use polars::prelude::*;

use super::cutoff::{ATTR_CATEGORICAL, ATTR_NUMERIC, NUMERIC};
use super::design::Raw;
use crate::error::Result;
use crate::frame;
use crate::schema as s;
use crate::stage::PointInTime;

/// One cutoff's rows with each extra source's figures as known on the cutoff (left join: a
/// customer the source does not know has them empty, its counts 0).
pub(super) fn with_extra(
    rows: LazyFrame,
    extra: &[&dyn PointInTime],
    cutoff: NaiveDate,
) -> Result<LazyFrame> {
    let mut rows = rows;
    for x in extra {
        let mut sel = vec![col(s::CUSTOMER_ID)];
        sel.extend(
            x.names()
                .into_iter()
                .map(|n| col(n).cast(DataType::Float64)),
        );
        let zero: Vec<Expr> = x
            .counts()
            .into_iter()
            .map(|n| col(n).fill_null(lit(0.0)))
            .collect();
        rows = rows
            .join(
                x.at(cutoff)?.lazy().select(sel),
                [col(s::CUSTOMER_ID)],
                [col(s::CUSTOMER_ID)],
                JoinArgs::new(JoinType::Left).with_coalesce(JoinCoalesce::CoalesceColumns),
            )
            .with_columns(zero);
    }
    Ok(rows)
}

/// The stacked rows joined with the attributes `table` has (by customer id), and the raw
/// features: [`NUMERIC`], the extra sources' columns, then those attributes.
pub(super) fn with_attributes(
    stacked: DataFrame,
    table: &DataFrame,
    extra: &[&str],
) -> Result<(DataFrame, Vec<Raw>)> {
    let attrs: Vec<&str> = ATTR_CATEGORICAL
        .iter()
        .chain(ATTR_NUMERIC.iter())
        .copied()
        .filter(|c| frame::has(table, c))
        .collect();
    let mut attr_sel = vec![col(s::CUSTOMER_ID)];
    attr_sel.extend(attrs.iter().map(|c| col(*c)));
    // the numbers that are not behaviour features (the extras, numeric attributes) as kam
    // publishes them in customers.*, 6 decimals: a scorer reading that table (spark/score.py)
    // then feeds the model what kam fed it; behaviour features stay exact (score.py computes
    // them from the orders as kam does)
    let published: Vec<Expr> = extra
        .iter()
        .chain(ATTR_NUMERIC.iter().filter(|c| attrs.contains(c)))
        .map(|c| frame::published(col(*c).cast(DataType::Float64)))
        .collect();
    let stacked = stacked
        .lazy()
        .join(
            table.clone().lazy().select(attr_sel),
            [col(s::CUSTOMER_ID)],
            [col(s::CUSTOMER_ID)],
            JoinArgs::new(JoinType::Left).with_coalesce(JoinCoalesce::CoalesceColumns),
        )
        .with_columns(published)
        .collect()?;
    let mut raw = Vec::new();
    for c in NUMERIC.iter().chain(extra) {
        raw.push(Raw::numeric(&stacked, c, c)?);
    }
    for c in &attrs {
        if ATTR_NUMERIC.contains(c) {
            raw.push(Raw::numeric(&stacked, c, c)?);
        } else {
            raw.push(Raw::categorical(&stacked, c, c)?);
        }
    }
    Ok((stacked, raw))
}

#[cfg(test)]
#[path = "inputs_tests.rs"]
mod tests;
