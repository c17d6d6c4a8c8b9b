//! Contract customers in the churn stage: a running contract can only lapse at its renewal, so
//! where the next renewal (`next_renewal`, from the value stage's contractual mode) falls
//! within the churn horizon, the customer's churn probability is the contract model's lapse
//! probability, `1 - renewal_probability`; its risk label and revenue at risk follow from it.
//! Other customers keep the behavioural model's scores.

use chrono::NaiveDate;
use polars::prelude::*;

use super::{CHURN_PROBABILITY, CHURN_RISK, REVENUE_AT_RISK};
use crate::error::Result;
use crate::frame::{epoch_days, has};
use crate::schema::{self as s, columns as c};
use crate::stage::StageOutput;

/// The churn columns of the contract customers due for renewal within `horizon_days` after
/// `as_of` taken from their contract; a note says how many.
pub fn apply(
    table: DataFrame,
    as_of: NaiveDate,
    horizon_days: u32,
    cuts: [f64; 2],
    out: &mut StageOutput,
) -> Result<DataFrame> {
    let needed = [c::NEXT_RENEWAL, c::RENEWAL_PROBABILITY, CHURN_PROBABILITY];
    if !needed.iter().all(|n| has(&table, n)) {
        return Ok(table);
    }
    let end = epoch_days(as_of) + horizon_days as i32;
    let due = col(c::NEXT_RENEWAL)
        .cast(DataType::Int32)
        .lt_eq(lit(end))
        .and(col(CHURN_PROBABILITY).is_not_null())
        .and(col(c::RENEWAL_PROBABILITY).is_not_null())
        .fill_null(lit(false));
    let lapse = lit(1.0) - col(c::RENEWAL_PROBABILITY);
    let label = when(lapse.clone().gt_eq(lit(cuts[1])))
        .then(lit("high"))
        .when(lapse.clone().gt_eq(lit(cuts[0])))
        .then(lit("medium"))
        .otherwise(lit("low"));
    let run_rate = col(s::REVENUE_LAST_12M)
        .cast(DataType::Float64)
        .clip_min(lit(0.0));
    let if_stays = match has(&table, c::REVENUE_IF_STAYS) {
        true => col(c::REVENUE_IF_STAYS).fill_null(run_rate),
        false => run_rate,
    };
    let n_due = table
        .clone()
        .lazy()
        .select([due.clone().cast(DataType::UInt32).sum().alias("n")])
        .collect()?
        .column("n")?
        .cast(&DataType::UInt64)?
        .u64()?
        .get(0)
        .unwrap_or(0);
    if n_due == 0 {
        return Ok(table);
    }
    out.add_note(format!(
        "churn: {n_due} contract customers renew within the next {horizon_days} days: their churn probability is their contract's lapse probability (1 - renewal_probability)"
    ));
    Ok(table
        .lazy()
        .with_columns([
            when(due.clone())
                .then(lapse.clone())
                .otherwise(col(CHURN_PROBABILITY))
                .alias(CHURN_PROBABILITY),
            when(due.clone())
                .then(label)
                .otherwise(col(CHURN_RISK))
                .alias(CHURN_RISK),
            when(due)
                .then(lapse * if_stays)
                .otherwise(col(REVENUE_AT_RISK))
                .alias(REVENUE_AT_RISK),
        ])
        .collect()?)
}
