//! The contractual mode as `kam run` runs it: the contracts of the customer table (when it has
//! `contract_start`), the sBG fit on them, and each customer's contract columns
//! (`contract_renewals`, `renewal_probability`, `expected_remaining_periods`, `contract_clv`).

use chrono::NaiveDate;
use polars::prelude::*;

use super::ValueValid;
use super::contract::{Contract, fit, score};
use crate::error::Result;
use crate::frame::{date_of, has};
use crate::schema::{self as s, columns as c, outputs as o};
use crate::stage::{Line, StageOutput};

/// The table with the contract columns (nothing added without `contract_start`), and the
/// model file and its line, or a note when no contract has run a whole period.
pub fn run(table: DataFrame, as_of: NaiveDate, v: &ValueValid) -> Result<(DataFrame, StageOutput)> {
    let mut out = StageOutput::default();
    if !has(&table, s::CONTRACT_START) {
        return Ok((table, out));
    }
    let contracts = contracts(&table, v.renewal_months)?;
    let held: Vec<Contract> = contracts.iter().flatten().copied().collect();
    let model = match fit(&held, as_of)? {
        Some(m) if m.convergence.converged => m,
        Some(m) => {
            out.add_note(format!(
                "value: contracts: sBG {}; contract columns left empty",
                m.convergence.reason
            ));
            return Ok((table, out));
        }
        None => {
            out.add_note("value: contracts: no contract has run a whole renewal period yet; contract columns left empty");
            return Ok((table, out));
        }
    };
    let revenue = revenue_per_month(&table)?;
    let mut cols: [Vec<Option<f64>>; 4] = Default::default();
    let (mut next, mut active) = (Vec::with_capacity(contracts.len()), 0);
    for (k, contract) in contracts.iter().enumerate() {
        let sc = contract.map(|ct| (ct, score(&model, &ct, as_of, v.discount_rate)));
        cols[0].push(sc.map(|(_, s)| f64::from(s.renewals)));
        cols[1].push(sc.map(|(_, s)| s.renewal_probability));
        cols[2].push(sc.map(|(_, s)| s.remaining_periods));
        // value per period: the last 12 months' revenue spread over the period, times margin
        cols[3].push(sc.and_then(|(ct, s)| {
            revenue[k].map(|r| v.margin * r * f64::from(ct.months) * s.remaining_periods)
        }));
        // a running contract's next renewal: start + (renewals + 1) periods
        let running = sc.filter(|(ct, _)| ct.end.is_none_or(|e| e > as_of) && ct.start <= as_of);
        active += usize::from(running.is_some());
        next.push(running.and_then(|(ct, s)| {
            let months = chrono::Months::new((s.renewals + 1) * ct.months);
            ct.start
                .checked_add_months(months)
                .map(crate::frame::epoch_days)
        }));
    }
    let mut table = table;
    for (name, col) in c::CONTRACT_COLUMNS.iter().zip(cols) {
        table.with_column(Column::new((*name).into(), col))?;
    }
    let next = Column::new(c::NEXT_RENEWAL.into(), next).cast(&DataType::Date)?;
    table.with_column(next)?;
    let json =
        serde_json::to_value(&model).map_err(|e| crate::error::Error::Internal(e.to_string()))?;
    out.model(&o::CONTRACT_MODEL, &super::output::flatten(json, None))?;
    out.line(Line::about(
        format!(
            "contracts: {} held, {active} running; sBG alpha {:.3}, beta {:.3}",
            held.len(),
            model.alpha,
            model.beta
        ),
        &[o::CONTRACT_MODEL.file],
    ));
    Ok((table, out))
}

/// Each row's contract (None without a start).
fn contracts(table: &DataFrame, default_months: u32) -> Result<Vec<Option<Contract>>> {
    let days = |name: &str| -> Result<Vec<Option<i32>>> {
        if !has(table, name) {
            return Ok(vec![None; table.height()]);
        }
        let col = table
            .column(name)?
            .cast(&DataType::Date)?
            .cast(&DataType::Int32)?;
        Ok(col.i32()?.iter().collect())
    };
    let (start, end) = (days(s::CONTRACT_START)?, days(s::CONTRACT_END)?);
    let months: Vec<Option<i64>> = match has(table, s::RENEWAL_MONTHS) {
        true => (table
            .column(s::RENEWAL_MONTHS)?
            .cast(&DataType::Int64)?
            .i64()?)
        .iter()
        .collect(),
        false => vec![None; table.height()],
    };
    Ok((0..table.height())
        .map(|i| {
            start[i].map(|st| Contract {
                start: date_of(st),
                end: end[i].map(date_of),
                months: months[i]
                    .and_then(|m| u32::try_from(m).ok())
                    .filter(|m| *m > 0)
                    .unwrap_or(default_months),
            })
        })
        .collect())
}

/// Each row's revenue per month over the last 12 months (>= 0; None without the column).
fn revenue_per_month(table: &DataFrame) -> Result<Vec<Option<f64>>> {
    if !has(table, s::REVENUE_LAST_12M) {
        return Ok(vec![None; table.height()]);
    }
    let col = table
        .column(s::REVENUE_LAST_12M)?
        .cast(&DataType::Float64)?;
    Ok(col
        .f64()?
        .iter()
        .map(|v| v.map(|r| r.max(0.0) / 12.0))
        .collect())
}
