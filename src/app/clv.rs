//! `kam clv`: customer value for analysts who have only a transaction log or a lifetimes-style
//! summary. Turns the flags into one checked input and the value params, then runs load →
//! validate → features → value (→ holdout), writing `clv.csv`, `models/*.json`, rejects and
//! calibration tables.

use std::collections::BTreeMap;
use std::path::Path;

use polars::prelude::*;

use super::{input, print, set};
use crate::cli::ClvArgs;
use crate::error::{Error, Result};
use crate::io::{InputParams, load, write};
use crate::schema::{self as s, TimeUnit, parse_iso_date};
use crate::validate::{self, ValidationParams};
use crate::value::data::Rfm;
use crate::value::holdout::holdout;
use crate::value::stage::{self, Summary, ValueScores};
use crate::value::{ValueParams, ValueValid};

/// The value params: the `[value]` defaults with the flags applied; `--horizon` is in `unit`.
fn params(a: &ClvArgs, unit: TimeUnit) -> Result<ValueValid> {
    let mut p = ValueParams::default();
    set(&mut p.model, a.model);
    set(&mut p.horizon_days, a.horizon.map(|h| h * unit.days()));
    set(&mut p.clv_months, a.clv_months);
    set(&mut p.discount_rate, a.discount_rate);
    set(&mut p.margin, a.margin);
    set(&mut p.penalizer, a.penalizer);
    p.check()
}

pub fn run(a: ClvArgs, quiet: bool) -> Result<()> {
    let unit = a.time_unit.unwrap_or_default();
    let params = params(&a, unit)?;
    let date = |flag: &str, v: &Option<String>| -> Result<Option<chrono::NaiveDate>> {
        v.as_ref()
            .map(|d| {
                parse_iso_date(d).ok_or_else(|| {
                    Error::Usage(format!("{flag} {d} is not a date in the form YYYY-MM-DD"))
                })
            })
            .transpose()
    };
    let cal_end = date("--calibration-end", &a.calibration_end)?;
    let obs_end = date("--observation-end", &a.observation_end)?;
    if let (Some(c), Some(o)) = (cal_end, obs_end)
        && c >= o
    {
        return Err(Error::Usage(format!(
            "--calibration-end {c} must be before --observation-end {o}"
        )));
    }
    let mut lines = Vec::new();
    let (summary, tx) = if let Some(path) = &a.summary {
        (read_summary(path, &a, &mut lines)?, None)
    } else if let Some(path) = &a.transactions {
        let (summary, tx, as_of) =
            from_transactions(path, &a, unit, cal_end.or(obs_end), &mut lines)?;
        lines.push(format!("as_of: {as_of}"));
        (summary, Some((tx, as_of)))
    } else {
        return Err(Error::Usage(
            "give --transactions FILE or --summary FILE".into(),
        ));
    };
    let scored = stage::score(&summary, &params, unit)?;
    let mut models = crate::stage::StageOutput::default();
    crate::value::output::model_outputs(&scored, &mut models)?;
    crate::pipeline::emit::write_all(&models, &a.out)?;
    let conv = scored.purchases.convergence();
    lines.push(format!(
        "{} for {} customers",
        scored.summary_line(),
        summary.ids.len()
    ));
    if !conv.converged {
        print(&lines, quiet)?;
        return Err(Error::validation(
            scored.purchases.label(),
            format!(
                "{}; no predictions were written (see {})",
                conv.reason,
                a.out.join("models").display()
            ),
        ));
    }
    let table = clv_table(&summary, &scored)?;
    write::csv(&table, &a.out.join("clv.csv"))?;
    lines.push(format!(
        "clv: {} customers -> {}",
        table.height(),
        a.out.join("clv.csv").display()
    ));
    if let (Some(c), Some((tx, last))) = (cal_end, &tx) {
        let o = obs_end.unwrap_or(*last);
        let h = holdout(tx, &summary, &scored.purchases, c, o, unit)?;
        write::csv(&h.by_frequency, &a.out.join("calibration_by_frequency.csv"))?;
        write::csv(&h.tracking, &a.out.join("calibration_tracking.csv"))?;
        lines.push(format!(
            "holdout {c}..{o}: actual {:.0} vs predicted {:.1} repeat purchases -> calibration_by_frequency.csv, calibration_tracking.csv",
            h.actual_total, h.predicted_total
        ));
    }
    print(&lines, quiet)
}

/// clv.csv: id, the model inputs, and the scores.
fn clv_table(summary: &Summary, scored: &ValueScores) -> Result<DataFrame> {
    let r = &summary.rfm;
    let inputs = df!(
        s::CUSTOMER_ID => summary.ids.clone(),
        s::FREQUENCY => r.x.clone(),
        s::RECENCY => r.t_x.clone(),
        s::T => r.t.clone(),
        s::MONETARY_VALUE => summary.monetary.clone(),
    )?;
    let scores = scored.scores.drop(s::CUSTOMER_ID)?;
    Ok(inputs.hstack(scores.columns())?)
}

/// The input file of either kind, read by the same rules as kam.toml's `[input.*]`.
fn input_params(path: &Path, a: &ClvArgs, columns: BTreeMap<String, String>) -> InputParams {
    InputParams {
        path: path.to_string_lossy().into_owned(),
        delimiter: a.delimiter.clone(),
        has_header: !a.no_header,
        date_format: a.date_format.clone(),
        columns,
        ..InputParams::default()
    }
}

/// Contract column → the file column a flag names; flags not given map nothing (the file
/// column is the contract name).
fn mapping(flags: &[(&str, &Option<String>)]) -> BTreeMap<String, String> {
    flags
        .iter()
        .filter_map(|(c, f)| f.as_ref().map(|f| (c.to_string(), f.clone())))
        .collect()
}

/// Transactions → validated → features as of the calibration end (or observation end).
fn from_transactions(
    path: &Path,
    a: &ClvArgs,
    unit: TimeUnit,
    as_of: Option<chrono::NaiveDate>,
    lines: &mut Vec<String>,
) -> Result<(Summary, DataFrame, chrono::NaiveDate)> {
    let columns = mapping(&[
        (s::CUSTOMER_ID, &a.customer_col),
        (s::DATE, &a.date_col),
        (s::AMOUNT, &a.amount_col),
    ]);
    let spec = input(input_params(path, a, columns), &s::TRANSACTIONS)?;
    let raw = load::load(&spec)?;
    let v = validate::validate(&[raw], &ValidationParams::default().check()?, None)?;
    for t in &v.tables {
        write::csv(
            &t.rejects,
            &a.out.join(format!("rejects/{}.csv", t.spec.name)),
        )?;
        let c = &t.counts;
        lines.push(format!(
            "{}: {} read = {} used + {} rejected",
            t.spec.name, c.read, c.used, c.rejected
        ));
    }
    let tx = v.transactions()?.clone();
    let last = v
        .as_of
        .ok_or_else(|| Error::validation("transactions", "no usable rows"))?;
    let as_of = as_of.unwrap_or(last);
    let customers = crate::features::customer_table(&tx, None, as_of, unit)?;
    Ok((Summary::from_customers(&customers)?, tx, last))
}

/// A lifetimes-style summary table, validated like any input (bad rows go to rejects).
fn read_summary(path: &Path, a: &ClvArgs, lines: &mut Vec<String>) -> Result<Summary> {
    let columns = mapping(&[
        (s::CUSTOMER_ID, &a.customer_col),
        (s::FREQUENCY, &a.frequency_col),
        (s::RECENCY, &a.recency_col),
        (s::T, &a.t_col),
        (s::MONETARY_VALUE, &a.monetary_col),
    ]);
    let spec = input(input_params(path, a, columns), &s::SUMMARY)?;
    let raw = load::load(&spec)?;
    let t = validate::validate_one(&raw, &ValidationParams::default().check()?)?;
    write::csv(&t.rejects, &a.out.join("rejects/summary.csv"))?;
    let c = &t.counts;
    lines.push(format!(
        "summary: {} read = {} used + {} rejected",
        c.read, c.used, c.rejected
    ));
    let df = &t.clean;
    let f = |c: &str| -> Result<Vec<f64>> {
        match df.column(c) {
            Ok(col) => Ok(col
                .cast(&DataType::Float64)?
                .f64()?
                .iter()
                .map(|v| v.unwrap_or(0.0))
                .collect()),
            Err(_) => Ok(vec![0.0; df.height()]),
        }
    };
    let ids: Vec<String> = match df.column(s::CUSTOMER_ID) {
        Ok(c) => c
            .str()?
            .iter()
            .map(|v| v.unwrap_or("").to_string())
            .collect(),
        Err(_) => (1..=df.height()).map(|i| i.to_string()).collect(),
    };
    Ok(Summary {
        ids,
        rfm: Rfm::new(f(s::FREQUENCY)?, f(s::RECENCY)?, f(s::T)?)?,
        monetary: f(s::MONETARY_VALUE)?,
    })
}
