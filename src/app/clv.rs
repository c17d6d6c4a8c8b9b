//! `kam clv`: customer value for analysts who have only a transaction log or a lifetimes-style
//! summary. Turns the flags into one checked input and the value params, then runs load →
//! validate → features → value (→ holdout), writing `clv.csv`, `models/*.json`, rejects and
//! calibration tables.

use std::collections::BTreeMap;
use std::path::Path;

use polars::prelude::*;

use super::{input, print, render, set};
use crate::cli::{ClvArgs, ClvModel};
use crate::error::{Error, Result};
use crate::io::{InputParams, load};
use crate::pipeline::emit::write_all;
use crate::schema::{self as s, TimeUnit, outputs as o, parse_iso_date};
use crate::stage::{Line, Part, StageOutput};
use crate::validate::{self, ValidationParams};
use crate::value::data::Rfm;
use crate::value::holdout::holdout;
use crate::value::output::{choose_between, choose_model};
use crate::value::stage::{self, Summary, ValueScores};
use crate::value::{ModelKind, ValueParams, ValueValid};

/// The value params: the `[value]` defaults with the flags applied; `--horizon` is in `unit`.
fn params(a: &ClvArgs, unit: TimeUnit) -> Result<ValueValid> {
    let mut p = ValueParams::default();
    set(&mut p.model, a.model.and_then(ClvModel::kind));
    set(&mut p.horizon_days, a.horizon.map(|h| h * unit.days()));
    set(&mut p.clv_months, a.clv_months);
    set(&mut p.discount_rate, a.discount_rate);
    set(&mut p.margin, a.margin);
    set(&mut p.penalizer, a.penalizer);
    set(&mut p.intervals, a.intervals);
    set(&mut p.interval_level, a.interval_level);
    set(&mut p.bootstrap_resamples, a.bootstrap_resamples);
    p.check()
}

pub fn run(a: ClvArgs, quiet: bool) -> Result<()> {
    if a.model == Some(ClvModel::Bgbb) {
        return super::clv_bgbb::run(&a, quiet);
    }
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
    // every file and line of the command, written at the end through the run's emit step
    let mut out = StageOutput::default();
    let (summary, tx) = if let Some(path) = &a.summary {
        (read_summary(path, &a, &mut out)?, None)
    } else if let Some(path) = &a.transactions {
        let (summary, tx, as_of) =
            from_transactions(path, &a, unit, cal_end.or(obs_end), &mut out)?;
        (summary, Some((tx, as_of)))
    } else {
        return Err(Error::Usage(
            "give --transactions FILE or --summary FILE".into(),
        ));
    };
    let params = resolve_auto(params, &tx, (cal_end, obs_end), unit, &mut out)?;
    let seed = a.seed.unwrap_or(crate::config::DEFAULT_SEED);
    let scored = stage::score(&summary, &params, unit, seed)?;
    crate::value::output::model_outputs(&scored, &mut out)?;
    let conv = scored.purchases.convergence();
    let mut line = crate::value::output::summary_line(&scored);
    line.parts
        .push(Part::Text(format!(" for {} customers", summary.ids.len())));
    out.line(line);
    if !conv.converged {
        write_all(&out, &a.out)?;
        print(&render(&out.summary, &a.out), quiet)?;
        return Err(Error::validation(
            scored.purchases.label(),
            format!(
                "{}; no predictions were written (see {})",
                conv.reason,
                a.out.join("models").display()
            ),
        ));
    }
    let horizon = params.horizon_days;
    crate::value::output::diagnostics(&summary, &scored.purchases, horizon, unit, &mut out)?;
    let table = clv_table(&summary, &scored)?;
    out.line(Line::about(
        format!("clv: {} customers", table.height()),
        &[o::CLV_SCORES.file],
    ));
    out.table(&o::CLV_SCORES, table);
    if let (Some(c), Some((tx, last))) = (cal_end, &tx) {
        let end = obs_end.unwrap_or(*last);
        holdout_part(tx, &summary, &scored, (c, end), unit, &mut out)?;
    }
    write_all(&out, &a.out)?;
    print(&render(&out.summary, &a.out), quiet)
}

/// `--model auto` on a transaction log: the model chosen by the holdout of
/// `--calibration-end` (else the default `holdout_days` before the last date); a summary, or
/// no usable holdout, leaves `auto` to the value stage's choice by BIC.
fn resolve_auto(
    params: ValueValid,
    tx: &Option<(DataFrame, chrono::NaiveDate)>,
    (cal_end, obs_end): (Option<chrono::NaiveDate>, Option<chrono::NaiveDate>),
    unit: TimeUnit,
    out: &mut StageOutput,
) -> Result<ValueValid> {
    let Some((tx, last)) = tx.as_ref().filter(|_| params.model == ModelKind::Auto) else {
        return Ok(params);
    };
    let (chosen, said) = match cal_end {
        Some(c) => choose_between(tx, (c, obs_end.unwrap_or(*last)), &params, unit)?,
        None => choose_model(tx, *last, &params, unit)?,
    };
    out.extend(said);
    Ok(chosen)
}

/// The holdout check of `--calibration-end`: its line, tables and interval.
fn holdout_part(
    tx: &DataFrame,
    summary: &Summary,
    scored: &ValueScores,
    (c, end): (chrono::NaiveDate, chrono::NaiveDate),
    unit: TimeUnit,
    out: &mut StageOutput,
) -> Result<()> {
    let spread = scored.spread.as_ref();
    let h = holdout(tx, summary, &scored.purchases, (c, end), unit, spread)?;
    let band = h.interval.as_ref().map_or(String::new(), |b| {
        let pct = b.level * 100.0;
        format!(" ({pct:.0}% interval {:.0} to {:.0})", b.low, b.high)
    });
    out.line(Line::text(format!(
        "holdout {c}..{end}: actual {:.0} vs predicted {:.1}{band} repeat purchases -> {}, {}",
        h.actual_total,
        h.predicted_total,
        o::CLV_CALIBRATION.file,
        o::CLV_TRACKING.file
    )));
    if let Some(check) = &h.interval {
        out.model(&o::HOLDOUT_CHECK, check)?;
    }
    out.table(&o::CLV_CALIBRATION, h.by_frequency);
    out.table(&o::CLV_TRACKING, h.tracking);
    Ok(())
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
    // revenue_if_stays is for the churn stage of kam run; clv.csv keeps lifetimes' scores
    let mut scores = scored.scores.drop(s::CUSTOMER_ID)?;
    if scores.column(stage::REVENUE_IF_STAYS).is_ok() {
        scores = scores.drop(stage::REVENUE_IF_STAYS)?;
    }
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
    out: &mut StageOutput,
) -> Result<(Summary, DataFrame, chrono::NaiveDate)> {
    let columns = mapping(&[
        (s::CUSTOMER_ID, &a.customer_col),
        (s::DATE, &a.date_col),
        (s::AMOUNT, &a.amount_col),
    ]);
    let spec = input(input_params(path, a, columns), &s::TRANSACTIONS)?;
    let raw = load::load(&spec)?;
    let mut rules = ValidationParams::default();
    if let Some(d) = a.duplicate_rows {
        rules.duplicate_transactions = d;
    }
    let v = validate::validate(&[raw], &rules.check()?, None)?;
    // the same report of what was read, used and rejected as kam run's
    out.extend(validate::output::output(&v));
    let tx = v.transactions()?.clone();
    let last = v
        .as_of
        .ok_or_else(|| Error::validation("transactions", "no usable rows"))?;
    let as_of = as_of.unwrap_or(last);
    let customers = crate::features::customer_table(&tx, None, as_of, unit)?;
    Ok((Summary::from_customers(&customers)?, tx, last))
}

/// A lifetimes-style summary table, validated like any input (bad rows go to rejects).
pub(super) fn read_summary(path: &Path, a: &ClvArgs, out: &mut StageOutput) -> Result<Summary> {
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
    let c = &t.counts;
    out.line(Line::text(format!(
        "summary: {} read = {} used + {} rejected",
        c.read, c.used, c.rejected
    )));
    out.table_as(&o::REJECTS, "rejects/summary.csv".into(), t.rejects.clone());
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
        // a lifetimes summary holds no first purchase: a one-time buyer has no observed spend
        observed_avg: vec![f64::NAN; df.height()],
    })
}
