//! The behavioural churn stage as the pipeline runs it: scores, risk, drivers and revenue at
//! risk joined onto the customer table, and `models/churn.json`. A company whose history
//! cannot train the model gets a note; the rest of the run stands.

use chrono::NaiveDate;
use polars::prelude::*;

use super::{CHURN_RISK, ChurnValid, REVENUE_AT_RISK, behaviour};
use crate::error::Result;
use crate::schema::{self as s, outputs as o};
use crate::stage::{Line, PointInTime, StageOutput};

/// The customer table with the churn columns; customers who bought before but not within
/// `active_days` are `lapsed` (not scored).
pub fn run(
    table: DataFrame,
    tx: &DataFrame,
    as_of: NaiveDate,
    v: &ChurnValid,
    seed: u64,
) -> Result<(DataFrame, StageOutput)> {
    run_with(table, tx, as_of, v, seed, &[])
}

/// [`run`] with point-in-time features from other sources (see [`behaviour::run_with`]); a
/// note names them.
pub fn run_with(
    table: DataFrame,
    tx: &DataFrame,
    as_of: NaiveDate,
    v: &ChurnValid,
    seed: u64,
    extra: &[&dyn PointInTime],
) -> Result<(DataFrame, StageOutput)> {
    let b = match behaviour::run_with(tx, &table, as_of, v, seed, extra) {
        Ok(b) => b,
        Err(e) => {
            return Ok((
                table,
                StageOutput::note(format!("churn: not computed: {e}")),
            ));
        }
    };
    let mut out = StageOutput::default();
    out.line(summary_line(&b)?);
    let names: Vec<&str> = extra.iter().flat_map(|x| x.names()).collect();
    if !names.is_empty() {
        out.add_note(format!(
            "churn: the model also weighed {}, each as known at every cutoff",
            names.join(", ")
        ));
    }
    out.model(&o::CHURN_MODEL, &b.report)?;
    out.table(
        &o::CHURN_DIAGNOSTICS,
        super::curves::table(&b.report.metrics)?,
    );
    let joined = table
        .lazy()
        .join(
            b.scores.lazy(),
            [col(s::CUSTOMER_ID)],
            [col(s::CUSTOMER_ID)],
            JoinArgs::new(JoinType::Left),
        )
        // bought before, not within active_days: lapsed, not scored
        .with_column(
            when(
                col(CHURN_RISK)
                    .is_null()
                    .and(col(s::LAST_PURCHASE).is_not_null()),
            )
            .then(lit("lapsed"))
            .otherwise(col(CHURN_RISK))
            .alias(CHURN_RISK),
        )
        // the customer table's order: by customer_id
        .sort([s::CUSTOMER_ID], SortMultipleOptions::default())
        .collect()?;
    let cuts = b.report.risk_cuts;
    let joined = super::contracts::apply(joined, as_of, v.horizon_days, cuts, &mut out)?;
    Ok((joined, out))
}

/// `churn: trees (out-of-time AUC 0.896, top-decile lift 3.39); 248 of 1420 active customers
/// high risk, revenue at risk 99900000 -> models/churn.json`
fn summary_line(b: &behaviour::Behaviour) -> Result<Line> {
    let r = &b.report;
    let high = b
        .scores
        .column(CHURN_RISK)?
        .str()?
        .iter()
        .filter(|v| *v == Some("high"))
        .count();
    let at_risk: f64 = b
        .scores
        .column(REVENUE_AT_RISK)?
        .f64()?
        .sum()
        .unwrap_or(0.0);
    Ok(Line::about(
        format!(
            "churn: {} (out-of-time AUC {:.3}, top-decile lift {:.2}); {high} of {} active customers high risk, revenue at risk {at_risk:.0}",
            r.model,
            r.metrics.roc_auc,
            r.metrics.top_decile_lift,
            b.scores.height(),
        ),
        &[o::CHURN_MODEL.file],
    ))
}
