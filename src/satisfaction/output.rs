//! Satisfaction as the pipeline runs it: `satisfaction.csv` and its summary line.

use polars::prelude::*;

use super::units;
use crate::error::Result;
use crate::frame;
use crate::schema::{columns as c, outputs as o};
use crate::stage::{Line, StageOutput};

/// `satisfaction.csv` from the customer table (with its segments) and the per-customer
/// figures; the line gives the company's NPS, CSAT and open complaints (and how many of
/// those are at key accounts).
pub fn run(table: &DataFrame, per_customer: &DataFrame) -> Result<StageOutput> {
    let units = units::by_unit(table, per_customer)?;
    let mut out = StageOutput::default();
    let nps = frame::f64_at(&units, c::NPS, 0);
    let answered = frame::f64_at(&units, c::NPS_RESPONSES, 0).unwrap_or(0.0);
    let csat = frame::f64_at(&units, c::CSAT_MEAN, 0);
    let open = frame::f64_at(&units, c::OPEN_COMPLAINTS, 0).unwrap_or(0.0);
    let key_open = key_account_open_complaints(table)?;
    let fmt = |x: Option<f64>, d: usize| x.map_or("n/a".to_string(), |v| format!("{v:.d$}"));
    out.line(Line::about(
        format!(
            "satisfaction: NPS {} over {answered:.0} customers' latest answers, CSAT {}; \
             {open:.0} open complaints ({key_open} at key accounts)",
            fmt(nps, 0),
            fmt(csat, 2),
        ),
        &[o::SATISFACTION.file],
    ));
    out.table(&o::SATISFACTION, units);
    Ok(out)
}

/// Key accounts (a key-account tier) with at least one open complaint.
fn key_account_open_complaints(table: &DataFrame) -> Result<usize> {
    if !frame::has(table, c::KEY_ACCOUNT_TIER) || !frame::has(table, c::OPEN_COMPLAINTS) {
        return Ok(0);
    }
    Ok(table
        .clone()
        .lazy()
        .filter(
            col(c::KEY_ACCOUNT_TIER)
                .is_not_null()
                .and(col(c::OPEN_COMPLAINTS).gt(lit(0i64))),
        )
        .collect()?
        .height())
}
