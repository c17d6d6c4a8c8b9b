//! Row rules of the merge map (`customer_merges`): what one row cannot say.
//!
//! - a row merging an id into itself is rejected (`merge_into: same id`);
//! - an id given a second, different target is rejected on the later row, naming the first
//!   row and its target (`merge_into: conflict`): the first confirmation stands, the user
//!   sees the other in `rejects/customer_merges.csv`;
//! - an exact repeat of an earlier row says nothing new: it is used (read = used + rejected)
//!   and the resolver counts it once.
//!
//! Chains and cycles span rows; `master::merge` resolves them.

use polars::prelude::*;

use super::parse::{Problem, quoted};
use super::rules::RuleOutput;
use super::{CHECK_INTERNAL, value_col};
use crate::error::Result;
use crate::io::load::{REASON_INTERNAL, ROW_INTERNAL};
use crate::schema::{self as s, TableSpec};

/// Check name of a row merging an id into itself.
pub const SELF_MERGE: &str = "merge_into: same id";
/// Check name of a row giving an id a second, different target.
pub const CONFLICT: &str = "merge_into: conflict";

/// The row-level rule: `customer_id` = `merge_into` is a problem.
pub(super) fn self_merge(mut out: RuleOutput, id_label: &str) -> RuleOutput {
    out.problems.push(Problem::new(
        value_col(s::CUSTOMER_ID).eq(value_col(s::MERGE_INTO)),
        quoted(id_label, value_col(s::CUSTOMER_ID), "is merged into itself"),
        SELF_MERGE,
    ));
    out
}

/// Split the used rows of the merge map into the kept ones and the conflicts to reject
/// (`row`, reason, check); other tables pass through.
pub(super) fn conflicts(spec: &TableSpec, ok: DataFrame) -> Result<(DataFrame, Option<DataFrame>)> {
    if spec.name != s::CUSTOMER_MERGES.name || ok.height() == 0 {
        return Ok((ok, None));
    }
    const FIRST_TARGET: &str = "__kam_first_target";
    const FIRST_ROW: &str = "__kam_first_row";
    // first_target = first(merge_into) over customer_id; a conflict is a row that differs
    let by_id = [value_col(s::CUSTOMER_ID)];
    let marked = ok
        .lazy()
        .with_columns([
            value_col(s::MERGE_INTO)
                .first()
                .over(by_id.clone())?
                .alias(FIRST_TARGET),
            col(ROW_INTERNAL).first().over(by_id)?.alias(FIRST_ROW),
        ])
        .collect()?;
    let conflict = marked
        .column(&format!("{}{}", super::VALUE_PREFIX, s::MERGE_INTO))?
        .as_materialized_series()
        .not_equal(marked.column(FIRST_TARGET)?.as_materialized_series())?;
    if !conflict.any() {
        return Ok((marked.drop_many([FIRST_TARGET, FIRST_ROW]), None));
    }
    let kept = marked
        .filter(&!&conflict)?
        .drop_many([FIRST_TARGET, FIRST_ROW]);
    let rejected = marked
        .filter(&conflict)?
        .lazy()
        .select([
            col(ROW_INTERNAL),
            concat_str(
                [
                    lit("customer_id '"),
                    value_col(s::CUSTOMER_ID),
                    lit("' is already merged into '"),
                    col(FIRST_TARGET),
                    lit("' on row "),
                    col(FIRST_ROW).cast(DataType::String),
                    lit("; this row says '"),
                    value_col(s::MERGE_INTO),
                    lit("'"),
                ],
                "",
                false,
            )
            .alias(REASON_INTERNAL),
            lit(CONFLICT).alias(CHECK_INTERNAL),
        ])
        .collect()?;
    Ok((kept, Some(rejected)))
}

#[cfg(test)]
#[path = "merge_map_tests.rs"]
mod tests;
