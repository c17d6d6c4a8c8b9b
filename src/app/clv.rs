//! `kam clv`: customer value for analysts who have only a transaction log or a lifetimes-style
//! summary. Builds a one-input config from the flags, then runs load → validate → features →
//! value (→ holdout), writing `clv.csv`, `models/*.json`, rejects and calibration tables.

use std::collections::BTreeMap;
use std::path::Path;

use polars::prelude::*;

use super::print;
use crate::cli::{ClvArgs, ModelArg, Unit};
use crate::config::{
    Config, Delimiter, Encoding, Format, InputParams, InputsConfig, OutputParams, Overrides,
    ValidConfig, ValidInput, parse_iso_date,
};
use crate::error::{Error, Result};
use crate::io::{load, write};
use crate::schema::{self as s, TimeUnit};
use crate::validate;
use crate::value::data::Rfm;
use crate::value::holdout::holdout;
use crate::value::stage::{self, ModelKind, Summary, ValueParams, ValueScores};

pub fn run(a: ClvArgs, quiet: bool) -> Result<()> {
    let unit = match a.time_unit {
        Unit::Week => TimeUnit::Weeks,
        Unit::Day => TimeUnit::Days,
    };
    let params = ValueParams {
        model: match a.model {
            ModelArg::Bgnbd => ModelKind::Bgnbd,
            ModelArg::Pareto => ModelKind::Pareto,
        },
        horizon_days: a.horizon.map_or(365.0, |h| h * unit.days()),
        clv_months: a.clv_months,
        discount_rate: a.discount_rate,
        margin: a.margin,
        penalizer: a.penalizer,
        ..ValueParams::default()
    }
    .check()?;
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

fn input(path: &Path, a: &ClvArgs, columns: BTreeMap<String, String>) -> InputParams {
    InputParams {
        path: path.to_string_lossy().into_owned(),
        format: None,
        delimiter: a.delimiter.clone(),
        has_header: !a.no_header,
        encoding: Encoding::Utf8,
        date_format: a.date_format.clone(),
        sheet: None,
        columns,
    }
}

/// Transactions → validated → features as of the calibration end (or observation end).
fn from_transactions(
    path: &Path,
    a: &ClvArgs,
    unit: TimeUnit,
    as_of: Option<chrono::NaiveDate>,
    lines: &mut Vec<String>,
) -> Result<(Summary, DataFrame, chrono::NaiveDate)> {
    let mut columns = BTreeMap::new();
    columns.insert(
        s::CUSTOMER_ID.to_string(),
        a.customer_col
            .clone()
            .unwrap_or_else(|| s::CUSTOMER_ID.into()),
    );
    columns.insert(s::DATE.to_string(), a.date_col.clone());
    columns.insert(s::AMOUNT.to_string(), a.amount_col.clone());
    let cfg_path = std::env::current_dir()
        .unwrap_or_default()
        .join("kam-clv.toml");
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let config = Config {
        as_of: None,
        seed: 42,
        time_unit: unit,
        lang: Default::default(),
        input: InputsConfig {
            transactions: input(&abs, a, columns),
            ..Default::default()
        },
        validation: Default::default(),
        output: OutputParams::default(),
        value: Default::default(),
        rfm: Default::default(),
        segment: Default::default(),
        churn: Default::default(),
        plan: Default::default(),
        track: Default::default(),
    };
    let cfg = config.check(
        &cfg_path,
        Overrides {
            out_dir: Some(a.out.clone()),
            ..Default::default()
        },
    )?;
    let raw: Vec<_> = cfg.inputs.iter().map(load::load).collect::<Result<_>>()?;
    let v = validate::validate(&raw, &cfg)?;
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
    let mut columns = BTreeMap::new();
    for (c, f) in [
        (s::FREQUENCY, &a.frequency_col),
        (s::RECENCY, &a.recency_col),
        (s::T, &a.t_col),
    ] {
        columns.insert(c, f.clone());
    }
    if let Some(id) = &a.customer_col {
        columns.insert(s::CUSTOMER_ID, id.clone());
    }
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let vi = ValidInput {
        table: &s::SUMMARY,
        path: path.to_path_buf(),
        format: match ext.as_str() {
            "parquet" => Format::Parquet,
            "xlsx" => Format::Xlsx,
            _ => Format::Csv,
        },
        delimiter: match a.delimiter.as_deref() {
            Some("whitespace") => Delimiter::Whitespace,
            Some("tab") => Delimiter::Byte(b'\t'),
            Some(d) if d.len() == 1 => Delimiter::Byte(d.as_bytes()[0]),
            _ => Delimiter::Byte(b','),
        },
        has_header: !a.no_header,
        encoding: Encoding::Utf8,
        date_format: None,
        sheet: None,
        columns: columns.into_iter().collect(),
    };
    let mut vi = vi;
    if a.monetary_col != s::MONETARY_VALUE {
        vi.columns.insert(s::MONETARY, a.monetary_col.clone());
    }
    let raw = load::load(&vi)?;
    let cfg = minimal_config(&vi, &a.out)?;
    let t = validate::validate_one(&raw, &cfg)?;
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

fn minimal_config(vi: &ValidInput, out: &Path) -> Result<ValidConfig> {
    let p = Path::new("kam-clv.toml");
    let mut cfg = Config::from_toml("[input.transactions]\npath = \"unused.csv\"\n", p)?.check(
        p,
        Overrides {
            out_dir: Some(out.to_path_buf()),
            ..Default::default()
        },
    )?;
    cfg.inputs = vec![vi.clone()];
    Ok(cfg)
}
