//! The value stage as the pipeline runs it: RFM for everyone, the purchase and spend models
//! for every buyer, joined onto the customer table; the models and the expected-purchases
//! curve as outputs; and the holdout check of the purchase model.

use polars::prelude::*;

use super::ValueValid;
use super::choice;
use super::holdout::{PurchaseDays, compare};
use super::rfm::{self, RfmValid};
use super::stage::{self, Summary, ValueScores};
use crate::error::Result;
use crate::schema::{self as s, TimeUnit, outputs as o};
use crate::stage::{Line, Part, StageOutput};

/// Columns the value models add to the customer table.
const VALUE_COLUMNS: [&str; 6] = [
    stage::P_ALIVE,
    stage::EXPECTED_PURCHASES,
    stage::EXPECTED_AVG_VALUE,
    stage::CLV,
    stage::EXPECTED_REVENUE_12M,
    stage::REVENUE_IF_STAYS,
];

/// RFM scores for everyone; model scores for every buyer (empty when the model did not
/// converge, with the reason in the notes). Returns the customer table with the value
/// columns, and the stage's output (models, curve, summary line, notes).
pub fn run(
    table: DataFrame,
    rfm_params: &RfmValid,
    v: &ValueValid,
    unit: TimeUnit,
    seed: u64,
) -> Result<(DataFrame, StageOutput)> {
    let mut out = StageOutput::default();
    let scores = rfm::score(&table, rfm_params)?.drop(s::CUSTOMER_ID)?;
    let table = table.hstack(scores.columns())?;
    let summary = match Summary::from_customers(&table) {
        Ok(summary) => summary,
        Err(e) => {
            out.add_note(format!("value: no value model: {e}"));
            return Ok((run_rate_if_stays(empty_value_columns(table)?)?, out));
        }
    };
    let scored = stage::score(&summary, v, unit, seed)?;
    model_outputs(&scored, &mut out)?;
    out.line(summary_line(&scored));
    let table = if scored.purchases.convergence().converged {
        diagnostics(&summary, &scored.purchases, v.horizon_days, unit, &mut out)?;
        spend_notes(&scored, &mut out);
        join_scores(table, &scored)?
    } else {
        out.add_note(format!(
            "value: {}: {}; value columns left empty",
            scored.purchases.label(),
            scored.purchases.convergence().reason
        ));
        empty_value_columns(table)?
    };
    Ok((run_rate_if_stays(table)?, out))
}

/// The purchase model's matrices and frequency histogram (`value::diagnostics`).
pub fn diagnostics(
    summary: &Summary,
    m: &stage::Purchases,
    horizon_days: f64,
    unit: TimeUnit,
    out: &mut StageOutput,
) -> Result<()> {
    use super::diagnostics::{frequency_histogram, matrices};
    let horizon = horizon_days / unit.days();
    out.table(
        &o::VALUE_MATRICES,
        matrices(&summary.rfm, m, horizon, unit)?,
    );
    out.table(
        &o::FREQUENCY_HISTOGRAM,
        frequency_histogram(&summary.rfm, m)?,
    );
    Ok(())
}

/// revenue_if_stays where the models give none: the last 12 months' revenue (>= 0), the
/// customer's run rate. Customers without purchases keep it empty.
fn run_rate_if_stays(table: DataFrame) -> Result<DataFrame> {
    if !crate::frame::has(&table, s::REVENUE_LAST_12M) {
        return Ok(table);
    }
    let run_rate = when(col(s::FREQUENCY).is_not_null())
        .then(
            col(s::REVENUE_LAST_12M)
                .cast(DataType::Float64)
                .clip_min(lit(0.0)),
        )
        .otherwise(lit(NULL).cast(DataType::Float64));
    Ok(table
        .lazy()
        .with_column(col(stage::REVENUE_IF_STAYS).fill_null(run_rate))
        .collect()?)
}

/// `BG/NBD: converged (44 iterations, gradient norm 1.2e-6, 312 distinct triples, fit 0.242 s)`;
/// the fit time is shown on the terminal only.
pub fn summary_line(scored: &ValueScores) -> Line {
    let c = scored.purchases.convergence();
    Line {
        parts: vec![
            Part::Text(format!(
                "{}: {} ({} iterations, gradient norm {:.1e}, {} distinct triples",
                scored.purchases.label(),
                c.reason,
                c.iterations,
                c.gradient_norm,
                scored.triples,
            )),
            Part::Timing(format!(", fit {:.3} s", scored.fit_seconds)),
            Part::Text(")".into()),
        ],
        note: false,
    }
}

/// Where Gamma-Gamma gives no expected value: why, and how many customers take their observed
/// average purchase day instead (so that every buyer has a CLV).
fn spend_notes(scored: &ValueScores, out: &mut StageOutput) {
    let n = scored.observed_spend;
    let why = match &scored.spend {
        Some(g) if g.convergence.converged && g.q <= 1.0 => format!(
            "Gamma-Gamma q = {:.2} <= 1: the population mean spend is not finite",
            g.q
        ),
        Some(g) if g.convergence.converged => return,
        Some(g) => format!("Gamma-Gamma: {}", g.convergence.reason),
        None => "Gamma-Gamma: too few repeat buyers".into(),
    };
    out.add_note(match n {
        0 => format!("value: {why}; expected_avg_value and clv left empty where it gives none"),
        n => format!(
            "value: {why}; for {n} customers expected_avg_value is their observed average purchase day"
        ),
    });
}

/// The customer table with the scores of every buyer (null for non-buyers).
fn join_scores(table: DataFrame, scored: &ValueScores) -> Result<DataFrame> {
    let mut args = JoinArgs::new(JoinType::Left);
    args.maintain_order = MaintainOrderJoin::Left;
    Ok(table
        .lazy()
        .join(
            scored.scores.clone().lazy(),
            [col(s::CUSTOMER_ID)],
            [col(s::CUSTOMER_ID)],
            args,
        )
        .collect()?)
}

/// The customer table with the value columns present and empty.
fn empty_value_columns(table: DataFrame) -> Result<DataFrame> {
    let cols: Vec<Expr> = VALUE_COLUMNS
        .iter()
        .map(|c| lit(NULL).cast(DataType::Float64).alias(*c))
        .collect();
    Ok(table.lazy().with_columns(cols).collect()?)
}

/// `models/<purchase model>.json`, `models/gamma_gamma.json` (parameters and convergence
/// report at the top level) and `models/expected_curve.csv`.
pub fn model_outputs(scored: &ValueScores, out: &mut StageOutput) -> Result<()> {
    let spec = match scored.purchases {
        stage::Purchases::Bgnbd(_) => &o::BGNBD_MODEL,
        stage::Purchases::Mbgnbd(_) => &o::MBGNBD_MODEL,
        stage::Purchases::Pareto(_) => &o::PARETO_NBD_MODEL,
    };
    let model = flatten(
        scored.purchases.to_json()?,
        Some(("triples", scored.triples.into())),
    );
    out.model(spec, &model)?;
    out.table(&o::EXPECTED_CURVE, scored.curve.clone());
    if scored.curve_cut {
        out.add_note(format!(
            "value: {} stops after {} years, short of twice the longest customer history",
            o::EXPECTED_CURVE.file,
            stage::MAX_CURVE_DAYS / 365.25
        ));
    }
    if let Some(c) = &scored.choice {
        out.model(&o::VALUE_CHOICE, c)?;
        out.line(choice_line(c));
        if let Some(n) = &c.note {
            out.add_note(format!("value: model = \"auto\": {n}"));
        }
    }
    if let Some(f) = &scored.forecast {
        let v =
            serde_json::to_value(f).map_err(|e| crate::error::Error::Internal(e.to_string()))?;
        out.model(&o::VALUE_FORECAST, &v)?;
        out.line(forecast_line(f));
    }
    if let Some(g) = &scored.spend {
        let v =
            serde_json::to_value(g).map_err(|e| crate::error::Error::Internal(e.to_string()))?;
        out.model(&o::GAMMA_GAMMA_MODEL, &flatten(v, None))?;
    }
    Ok(())
}

/// `value forecast, next 365 days (80%): repeat purchases 12345 (11900 to 12800), revenue ...,
/// CLV ... -> models/value_forecast.json`
fn forecast_line(f: &super::bands::Forecast) -> Line {
    let band =
        |b: &super::intervals::Band| format!("{:.0} ({:.0} to {:.0})", b.expected, b.low, b.high);
    Line::about(
        format!(
            "value forecast, next {:.0} days ({:.0}%): repeat purchases {}, revenue {}, CLV {}",
            f.horizon_days,
            f.level * 100.0,
            band(&f.repeat_purchases),
            band(&f.revenue),
            band(&f.clv)
        ),
        &[o::VALUE_FORECAST.file],
    )
}

/// A model's JSON with its `convergence` object lifted to the top level, keys sorted.
pub(super) fn flatten(
    v: serde_json::Value,
    extra: Option<(&str, serde_json::Value)>,
) -> serde_json::Value {
    let mut map: std::collections::BTreeMap<String, serde_json::Value> = Default::default();
    if let serde_json::Value::Object(o) = v {
        for (k, v) in o {
            match (k.as_str(), v) {
                ("convergence", serde_json::Value::Object(c)) => map.extend(c),
                (_, v) => {
                    map.insert(k, v);
                }
            }
        }
    }
    if let Some((k, v)) = extra {
        map.insert(k.into(), v);
    }
    serde_json::Value::Object(map.into_iter().collect())
}

/// `model = "auto"`: the purchase model chosen by the holdout (`value::choice`) as the
/// settings the value stage and the holdout check then take, with `models/value_choice.json`
/// and its line. Other models, and an `auto` without a usable holdout (the value stage then
/// chooses by BIC and says so), pass through unchanged.
pub fn choose_model(
    tx: &DataFrame,
    as_of: chrono::NaiveDate,
    v: &ValueValid,
    unit: TimeUnit,
) -> Result<(ValueValid, StageOutput)> {
    if v.model != super::ModelKind::Auto || v.holdout_days == 0 {
        return Ok((v.clone(), StageOutput::default()));
    }
    let cal_end = as_of - chrono::Duration::days(i64::from(v.holdout_days));
    choose_between(tx, (cal_end, as_of), v, unit)
}

/// [`choose_model`] with the holdout (`cal_end`, `as_of`] given.
pub fn choose_between(
    tx: &DataFrame,
    (cal_end, as_of): (chrono::NaiveDate, chrono::NaiveDate),
    v: &ValueValid,
    unit: TimeUnit,
) -> Result<(ValueValid, StageOutput)> {
    let mut out = StageOutput::default();
    let days = PurchaseDays::collect(tx, as_of)?;
    // a calibration period without customers is no holdout: fall back to BIC
    match choice::by_holdout(&days, (cal_end, as_of), v, unit) {
        Ok(Some((model, report, _))) => {
            out.model(&o::VALUE_CHOICE, &report)?;
            out.line(choice_line(&report));
            Ok((v.with_model(model), out))
        }
        _ => Ok((v.clone(), out)),
    }
}

/// `value model: auto chose mbgnbd by holdout (RMSE per customer bgnbd 1.231, mbgnbd 1.229,
/// pareto 1.240) -> models/value_choice.json`
pub fn choice_line(c: &choice::ValueChoice) -> Line {
    let scores: Vec<String> = (c.candidates.iter())
        .map(|k| match c.basis {
            "holdout" => format!("{} {:.4}", k.model, k.holdout_rmse.unwrap_or(f64::NAN)),
            _ => format!("{} {:.1}", k.model, k.bic),
        })
        .collect();
    let what = match c.basis {
        "holdout" => "holdout (RMSE per customer",
        _ => "BIC (BIC",
    };
    Line::about(
        format!(
            "value model: auto chose {} by {what} {})",
            c.chosen,
            scores.join(", ")
        ),
        &[o::VALUE_CHOICE.file],
    )
}

/// The purchase model's holdout check: refit on the history before `as_of - holdout_days`,
/// then actual against predicted repeat purchases of the holdout, by calibration-period
/// frequency (`models/calibration_by_frequency.csv`) and week by week
/// (`models/holdout_tracking.csv`). Nothing when turned off or when the
/// calibration fit does not converge; a note when the history is too short for it.
pub fn holdout_check(
    tx: &DataFrame,
    as_of: chrono::NaiveDate,
    v: &ValueValid,
    unit: TimeUnit,
    seed: u64,
) -> StageOutput {
    match holdout_table(tx, as_of, v, unit, seed) {
        Ok(Some(h)) => {
            let mut out = StageOutput::default();
            out.table(&o::CALIBRATION_BY_FREQUENCY, h.by_frequency);
            out.table(&o::HOLDOUT_TRACKING, h.tracking);
            if let Some(check) = &h.interval {
                match out.model(&o::HOLDOUT_CHECK, check) {
                    Ok(()) => out.line(holdout_line(check)),
                    Err(e) => out.add_note(format!("value: no holdout interval: {e}")),
                }
            }
            out
        }
        Ok(None) => StageOutput::default(),
        Err(e) => StageOutput::note(format!("value: no holdout check: {e}")),
    }
}

/// `value holdout 2025-07-03..2026-01-01: actual 12102 vs predicted 10494.1 repeat purchases
/// (80% interval 10100 to 10890, not covered) -> models/holdout_check.json`
fn holdout_line(c: &super::holdout::HoldoutCheck) -> Line {
    let covered = if c.covered { "covered" } else { "not covered" };
    Line::about(
        format!(
            "value holdout {}..{}: actual {:.0} vs predicted {:.1} repeat purchases ({:.0}% interval {:.0} to {:.0}, {covered})",
            c.calibration_end,
            c.holdout_end,
            c.actual,
            c.predicted,
            c.level * 100.0,
            c.low,
            c.high
        ),
        &[o::HOLDOUT_CHECK.file],
    )
}

fn holdout_table(
    tx: &DataFrame,
    as_of: chrono::NaiveDate,
    v: &ValueValid,
    unit: TimeUnit,
    seed: u64,
) -> Result<Option<super::holdout::Holdout>> {
    let days = v.holdout_days;
    if days == 0 {
        return Ok(None);
    }
    let cal_end = as_of - chrono::Duration::days(i64::from(days));
    // one pass over the transactions: every customer's purchase days up to as_of; the
    // calibration features (purchases up to cal_end, observed to the day after, so T >= 1
    // day) and the holdout counts both come from them
    let purchase_days = PurchaseDays::collect(tx, as_of)?;
    let cal_as_of = cal_end + chrono::Duration::days(1);
    let (ids, rfm) = purchase_days.calibration(cal_end, cal_as_of, unit)?;
    let distinct = rfm.compress();
    let mut purchases = stage::fit_triples(&distinct, v)?;
    if !purchases.convergence().converged {
        return Ok(None);
    }
    let spread = super::intervals::spread_of(&mut purchases, None, &distinct, v, seed)?;
    let h = compare(
        &purchase_days,
        &ids,
        &rfm,
        &purchases,
        (cal_end, as_of),
        unit,
        spread.as_ref(),
    )?;
    Ok(Some(h))
}
