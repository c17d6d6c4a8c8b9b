//! `satisfaction.csv`: the satisfaction figures of the whole company and of each segment,
//! account manager, district and station, with the counts behind them so a small base shows.
//!
//! A unit's CSAT is the mean of its customers' answers in the window (each answer counts
//! once); its NPS counts each customer's latest answer once: 100 x (promoters - detractors) /
//! customers who answered; complaints are summed, days to resolve averaged over the resolved
//! complaints.

use polars::prelude::*;

use super::{CSAT_N, CSAT_SUM, RESOLVE_SUM, RESOLVED_N};
use crate::error::Result;
use crate::frame;
use crate::schema::{self as s, columns as c};

const UNIT_COL: &str = "__sat_unit";

/// The units, in the table's order: `by` and the customer-table column giving the unit.
const DIMENSIONS: [(&str, &str); 4] = [
    ("segment", c::SEGMENT),
    ("account_manager", s::ACCOUNT_MANAGER),
    ("district", s::DISTRICT),
    ("station", s::STATION),
];

/// One row for the company, then one per unit of every dimension the table has.
pub fn by_unit(table: &DataFrame, per_customer: &DataFrame) -> Result<DataFrame> {
    let dims: Vec<(&str, &str)> = DIMENSIONS
        .into_iter()
        .filter(|(_, column)| frame::has(table, column))
        .collect();
    let mut sel = vec![col(s::CUSTOMER_ID)];
    sel.extend(dims.iter().map(|(_, k)| col(*k).cast(DataType::String)));
    let args = JoinArgs::new(JoinType::Full).with_coalesce(JoinCoalesce::CoalesceColumns);
    let joined = table.clone().lazy().select(sel).join(
        per_customer.clone().lazy(),
        [col(s::CUSTOMER_ID)],
        [col(s::CUSTOMER_ID)],
        args,
    );
    let mut parts = vec![figures(joined.clone(), "company", lit("all"))];
    for (by, column) in dims {
        parts.push(figures(
            joined.clone().filter(col(column).is_not_null()),
            by,
            col(column),
        ));
    }
    Ok(concat(parts, UnionArgs::default())?.collect()?)
}

/// The figures of each unit (`unit` evaluated per customer) of one dimension.
fn figures(lf: LazyFrame, by: &str, unit: Expr) -> LazyFrame {
    let class = |k: &str| col(c::NPS_CLASS).eq(lit(k)).cast(DataType::Int64).sum();
    let per = |sum: &str, n: &str| {
        when(col(n).sum().gt(lit(0i64)))
            .then(col(sum).sum() / col(n).sum().cast(DataType::Float64))
            .otherwise(lit(NULL).cast(DataType::Float64))
    };
    let answered = col(c::NPS_CLASS).is_not_null().cast(DataType::Int64).sum();
    lf.with_column(unit.alias(UNIT_COL))
        .group_by([col(UNIT_COL)])
        .agg([
            len().cast(DataType::Int64).alias(c::CUSTOMER_COUNT),
            (col(c::DAYS_SINCE_CONTACT).is_not_null())
                .cast(DataType::Int64)
                .sum()
                .alias(c::CUSTOMERS_WITH_FEEDBACK),
            col(CSAT_N)
                .sum()
                .fill_null(lit(0i64))
                .alias(c::CSAT_RESPONSES),
            per(CSAT_SUM, CSAT_N).alias(c::CSAT_MEAN),
            answered.clone().alias(c::NPS_RESPONSES),
            class("promoter").alias(c::PROMOTERS),
            class("passive").alias(c::PASSIVES),
            class("detractor").alias(c::DETRACTORS),
            when(answered.clone().gt(lit(0i64)))
                .then(
                    (class("promoter") - class("detractor")).cast(DataType::Float64) * lit(100.0)
                        / answered.cast(DataType::Float64),
                )
                .otherwise(lit(NULL).cast(DataType::Float64))
                .alias(c::NPS),
            col(c::COMPLAINTS)
                .sum()
                .fill_null(lit(0i64))
                .alias(c::COMPLAINTS),
            (col(c::OPEN_COMPLAINTS).sum())
                .fill_null(lit(0i64))
                .alias(c::OPEN_COMPLAINTS),
            per(RESOLVE_SUM, RESOLVED_N).alias(c::MEAN_DAYS_TO_RESOLVE),
        ])
        .sort([UNIT_COL], Default::default())
        .select(
            [lit(by).alias(c::BY), col(UNIT_COL).alias(c::UNIT)]
                .into_iter()
                .chain(c::SATISFACTION_TABLE[2..].iter().map(|n| col(*n)))
                .collect::<Vec<_>>(),
        )
}
