//! Product penetration and channel mix by segment: for each segment (and the whole company,
//! the row with an empty `segment` named "all customers"), each product's (or channel's)
//! buying customers, their share of the segment's buying customers, its revenue and its
//! share of the segment's revenue.

use polars::prelude::*;

use super::bought::REVENUE;
use crate::error::Result;
use crate::frame;
use crate::schema::{self as s, columns::products as c};

/// The name of the whole company's rows.
pub const ALL_CUSTOMERS: &str = "all customers";
const BASE: &str = "__mix_base";
const TOTAL: &str = "__mix_total";

/// One row per segment (then the company) and value of `what` in `sums` (customer_id, `what`,
/// revenue). Customers without a segment count only in the company's rows.
pub fn by_segment(table: &DataFrame, sums: &DataFrame, what: &str) -> Result<DataFrame> {
    let has_segment = frame::has(table, c::SEGMENT) && frame::has(table, c::SEGMENT_NAME);
    let seg_cols = [col(c::SEGMENT), col(c::SEGMENT_NAME)];
    let labelled = match has_segment {
        true => sums.clone().lazy().join(
            table.clone().lazy().select(
                [col(s::CUSTOMER_ID)]
                    .into_iter()
                    .chain(seg_cols.clone())
                    .collect::<Vec<_>>(),
            ),
            [col(s::CUSTOMER_ID)],
            [col(s::CUSTOMER_ID)],
            JoinArgs::new(JoinType::Left).with_coalesce(JoinCoalesce::CoalesceColumns),
        ),
        false => sums.clone().lazy().with_columns([
            lit(NULL).cast(DataType::Int64).alias(c::SEGMENT),
            lit(NULL).cast(DataType::String).alias(c::SEGMENT_NAME),
        ]),
    };
    let segment_dtype = labelled.clone().collect_schema()?.get(c::SEGMENT).cloned();
    let segment_dtype = segment_dtype.unwrap_or(DataType::Int64);
    let per_segment = labelled.clone().filter(col(c::SEGMENT).is_not_null());
    let company = labelled.with_columns([
        lit(NULL).cast(segment_dtype).alias(c::SEGMENT),
        lit(ALL_CUSTOMERS).alias(c::SEGMENT_NAME),
    ]);
    let rows = concat([per_segment, company], UnionArgs::default())?;
    let group = [col(c::SEGMENT), col(c::SEGMENT_NAME)];
    let base = rows.clone().group_by(group.clone()).agg([
        col(s::CUSTOMER_ID).n_unique().alias(BASE),
        frame::fixed_sum(col(REVENUE)).alias(TOTAL),
    ]);
    // the company's rows have no segment: nulls match nulls
    let mut args = JoinArgs::new(JoinType::Left).with_coalesce(JoinCoalesce::CoalesceColumns);
    args.nulls_equal = true;
    Ok(rows
        .group_by([col(c::SEGMENT), col(c::SEGMENT_NAME), col(what)])
        .agg([
            col(s::CUSTOMER_ID).n_unique().alias(c::CUSTOMER_COUNT),
            frame::fixed_sum(col(REVENUE)).alias(c::REVENUE),
        ])
        .join(base, group.clone(), group, args)
        .with_columns([
            (col(c::CUSTOMER_COUNT).cast(DataType::Float64) / col(BASE).cast(DataType::Float64))
                .alias(c::PENETRATION),
            when(col(TOTAL).gt(lit(0.0)))
                .then(col(c::REVENUE) / col(TOTAL))
                .otherwise(lit(NULL).cast(DataType::Float64))
                .alias(c::SHARE_REVENUE),
            col(c::CUSTOMER_COUNT).cast(DataType::Int64),
        ])
        .select([
            col(c::SEGMENT),
            col(c::SEGMENT_NAME),
            col(what),
            col(c::CUSTOMER_COUNT),
            col(c::PENETRATION),
            col(c::REVENUE),
            col(c::SHARE_REVENUE),
        ])
        .sort(
            [c::SEGMENT, what],
            SortMultipleOptions::default().with_nulls_last(true),
        )
        .collect()?)
}
