//! `kam run` and `kam validate`: the stages in order, each timed, outputs written through
//! [`crate::io::write`], and the manifest filled as the run goes. Rejects and the manifest are
//! written even when the data turns out unusable, so the user can see why.

use std::path::Path;
use std::time::Instant;

use polars::prelude::*;

use crate::config::ValidConfig;
use crate::error::Result;
use crate::io::{load, write};
use crate::manifest::Manifest;
use crate::validate::{self, Validation};
use crate::value::rfm;
use crate::value::stage::{self, ValueScores};
use crate::{features, schema};

/// Reports stage progress to the user (a progress bar on a terminal, nothing otherwise).
pub trait Progress {
    fn stage(&self, name: &str);
}

/// A [`Progress`] that shows nothing.
pub struct Silent;
impl Progress for Silent {
    fn stage(&self, _: &str) {}
}

/// How far a run goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Load and validate only.
    Validate,
    /// The whole pipeline.
    Run,
    /// Load, validate, features and the planner's outputs only (`kam plan`).
    Plan,
}

/// The outcome of a run: the manifest (also written to disk) and a summary for the terminal.
pub struct Outcome {
    pub manifest: Manifest,
    pub summary: Vec<String>,
}

struct Timer<'a> {
    manifest: &'a mut Manifest,
}

impl Timer<'_> {
    fn time<T>(&mut self, stage: &str, f: impl FnOnce() -> Result<T>) -> Result<T> {
        let t0 = Instant::now();
        let out = f();
        self.manifest
            .timings_ms
            .insert(stage.into(), t0.elapsed().as_millis() as u64);
        out
    }
}

pub fn run(cfg: &ValidConfig, mode: Mode, progress: &dyn Progress) -> Result<Outcome> {
    let command = match mode {
        Mode::Validate => "validate",
        Mode::Run => "run",
        Mode::Plan => "plan",
    };
    let mut manifest = Manifest::new(
        command,
        cfg.config_path.display().to_string(),
        cfg.resolved.clone(),
        cfg.seed,
    );
    let out = cfg.out_dir.clone();
    let t_all = Instant::now();
    let mut timer = Timer {
        manifest: &mut manifest,
    };
    progress.stage("loading inputs");
    let raw = timer.time("load", || {
        cfg.inputs
            .iter()
            .map(load::load)
            .collect::<Result<Vec<_>>>()
    })?;
    progress.stage("validating rows");
    let v = timer.time("validate", || validate::validate(&raw, cfg))?;
    drop(raw);
    record_validation(&mut manifest, &v);
    let mut timer = Timer {
        manifest: &mut manifest,
    };
    progress.stage("writing rejects");
    let rejects = timer.time("write_rejects", || write_rejects(&v, &out))?;
    manifest.outputs.extend(rejects);

    let usable = v.transactions();
    let mut summary = summarize(&manifest, &v, &out);
    if let (Mode::Run, Ok(tx), Some(as_of)) = (mode, &usable, v.as_of) {
        progress.stage("computing customer features");
        let mut timer = Timer {
            manifest: &mut manifest,
        };
        let customers = v.table(schema::CUSTOMERS.name).map(|t| &t.clean);
        let table = timer.time("features", || {
            features::customer_table(tx, customers, as_of, cfg.time_unit)
        })?;
        progress.stage("scoring customer value");
        let (table, scored, value_notes) = timer.time("value", || add_value(table, cfg))?;
        if let Some(sc) = &scored {
            timer.time("write_models", || write_value_models(sc, &out))?;
        }
        match timer.time("value_holdout", || value_holdout(tx, as_of, cfg)) {
            Ok(Some(by_freq)) => {
                write::csv(&by_freq, &out.join(CALIBRATION_FILE))?;
                timer
                    .manifest
                    .outputs
                    .insert(CALIBRATION_FILE.into(), by_freq.height() as u64);
            }
            Ok(None) => {}
            Err(e) => summary.push(format!("note: value: no holdout check: {e}")),
        }
        progress.stage("segmenting customers");
        let (mut seg_outputs, mut seg_notes): (Vec<(String, u64)>, Vec<String>) = (vec![], vec![]);
        let table = match timer.time("segment", || {
            crate::segment::stage::segment(&table, &cfg.segment, cfg.seed)
        }) {
            Ok(seg) => {
                write::csv(&seg.segments, &out.join("segments.csv"))?;
                write::json(&seg.report, &out.join("models/kmeans.json"))?;
                summary.push(format!(
                    "segments: k = {} (silhouette {:.3}, stability ARI {:.3}) -> {}",
                    seg.report.k,
                    seg.report.silhouette,
                    seg.report.stability_ari,
                    out.join("segments.csv").display()
                ));
                seg_outputs.push(("segments.csv".to_string(), seg.segments.height() as u64));
                seg_outputs.push(("models/kmeans.json".to_string(), 1));
                table.hstack(seg.labels.drop(schema::CUSTOMER_ID)?.columns())?
            }
            Err(e) => {
                let note = format!("segment: not computed: {e}");
                summary.push(format!("note: {note}"));
                seg_notes.push(note);
                table
            }
        };
        progress.stage("scoring churn risk");
        let (table, churn_lines) = if cfg.churn.enabled {
            add_churn(table, tx, as_of, cfg, &out, &mut timer)?
        } else {
            (table, vec![])
        };
        for (line, is_note) in churn_lines {
            if is_note {
                summary.push(format!("note: {line}"));
                seg_notes.push(line);
            } else {
                summary.push(line);
                seg_outputs.push(("models/churn.json".to_string(), 1));
            }
        }
        progress.stage("writing outputs");
        timer.time("write_customers", || {
            write::csv(&table, &out.join("customers.csv"))?;
            write::parquet(&table, &out.join("customers.parquet"))
        })?;
        let n = table.height() as u64;
        manifest.outputs.extend(seg_outputs);
        manifest.notes.extend(seg_notes);
        progress.stage("tracking attainment and trend");
        track_outputs(cfg, &v, tx, &table, as_of, &mut manifest, &mut summary)?;
        if let Some(sc) = &scored {
            manifest
                .outputs
                .insert(format!("models/{}", sc.purchases.file_name()), 1);
            manifest
                .outputs
                .insert("models/expected_curve.csv".into(), sc.curve.height() as u64);
            if sc.spend.is_some() {
                manifest.outputs.insert("models/gamma_gamma.json".into(), 1);
            }
            summary.push(sc.summary_line());
        }
        manifest
            .notes
            .extend(value_notes.iter().map(|n| format!("value: {n}")));
        summary.extend(value_notes.iter().map(|n| format!("note: value: {n}")));
        manifest.outputs.insert("customers.csv".into(), n);
        manifest.outputs.insert("customers.parquet".into(), n);
        summary.push(format!(
            "customers: {n} rows -> {}",
            out.join("customers.csv").display()
        ));
        add_plan(
            &v,
            &table,
            as_of,
            cfg,
            &mut manifest,
            &mut summary,
            progress,
        )?;
        progress.stage("drawing charts and the report");
        write_report(cfg, &table, &mut manifest, &mut summary, &out)?;
    }
    if let (Mode::Plan, Ok(tx), Some(as_of)) = (mode, &usable, v.as_of) {
        progress.stage("computing customer features");
        let mut timer = Timer {
            manifest: &mut manifest,
        };
        let customers = v.table(schema::CUSTOMERS.name).map(|t| &t.clean);
        let table = timer.time("features", || {
            features::customer_table(tx, customers, as_of, cfg.time_unit)
        })?;
        add_plan(
            &v,
            &table,
            as_of,
            cfg,
            &mut manifest,
            &mut summary,
            progress,
        )?;
    }
    manifest
        .timings_ms
        .insert("total".into(), t_all.elapsed().as_millis() as u64);
    write::json(&manifest, &out.join("manifest.json"))?;
    summary.push(format!("manifest: {}", out.join("manifest.json").display()));
    usable?;
    Ok(Outcome { manifest, summary })
}

/// Behavioural churn scores joined onto the customer table and `models/churn.json` written;
/// customers who bought before but not within `active_days` are `lapsed` (not scored). A
/// company whose history cannot train the model gets a note, not a failed run. Returns the
/// summary lines, each flagged when it is a note.
fn add_churn(
    table: DataFrame,
    tx: &DataFrame,
    as_of: chrono::NaiveDate,
    cfg: &ValidConfig,
    out: &Path,
    timer: &mut Timer,
) -> Result<(DataFrame, Vec<(String, bool)>)> {
    use crate::churn::{self, behaviour};
    let b = match timer.time("churn", || {
        behaviour::run(tx, &table, as_of, &cfg.churn, cfg.seed)
    }) {
        Ok(b) => b,
        Err(e) => return Ok((table, vec![(format!("churn: not computed: {e}"), true)])),
    };
    write::json(&b.report, &out.join("models/churn.json"))?;
    let r = &b.report;
    let high = b
        .scores
        .column(churn::CHURN_RISK)?
        .str()?
        .iter()
        .filter(|v| *v == Some("high"))
        .count();
    let at_risk: f64 = b
        .scores
        .column(churn::REVENUE_AT_RISK)?
        .f64()?
        .sum()
        .unwrap_or(0.0);
    let line = format!(
        "churn: {} (out-of-time AUC {:.3}, top-decile lift {:.2}); {high} of {} active customers high risk, revenue at risk {at_risk:.0} -> {}",
        r.model,
        r.metrics.roc_auc,
        r.metrics.top_decile_lift,
        b.scores.height(),
        out.join("models/churn.json").display()
    );
    let joined = table
        .lazy()
        .join(
            b.scores.lazy(),
            [col(schema::CUSTOMER_ID)],
            [col(schema::CUSTOMER_ID)],
            JoinArgs::new(JoinType::Left),
        )
        // bought before, not within active_days: lapsed, not scored
        .with_column(
            when(
                col(churn::CHURN_RISK)
                    .is_null()
                    .and(col(schema::LAST_PURCHASE).is_not_null()),
            )
            .then(lit("lapsed"))
            .otherwise(col(churn::CHURN_RISK))
            .alias(churn::CHURN_RISK),
        )
        // the customer table's order: by customer_id
        .sort([schema::CUSTOMER_ID], SortMultipleOptions::default())
        .collect()?;
    Ok((joined, vec![(line, false)]))
}

/// The planner's outputs (key accounts, escalations, review pack, prospects, credit mix,
/// market share, quotas) from the clean tables and the per-customer table, written to `out/`
/// and recorded in the manifest with a summary line each.
fn add_plan(
    v: &Validation,
    table: &DataFrame,
    as_of: chrono::NaiveDate,
    cfg: &ValidConfig,
    manifest: &mut Manifest,
    summary: &mut Vec<String>,
    progress: &dyn Progress,
) -> Result<()> {
    progress.stage("planning key accounts, caps and quotas");
    let out = &cfg.out_dir;
    let clean = |name: &str| v.table(name).map(|t| &t.clean);
    let inputs = crate::plan::PlanInputs {
        customers: clean(schema::CUSTOMERS.name),
        transactions: v.transactions().ok(),
        targets: clean(schema::TARGETS.name),
        deals: clean(schema::DEALS.name),
        table,
        as_of,
    };
    let mut timer = Timer { manifest };
    let plan = timer.time("plan", || crate::plan::plan(&inputs, &cfg.plan))?;
    timer.time("write_plan", || {
        plan.files()
            .into_iter()
            .try_for_each(|(name, df)| write::csv(df, &out.join(name)))
    })?;
    for (name, df) in plan.files() {
        manifest.outputs.insert(name.into(), df.height() as u64);
    }
    for (name, line) in &plan.summary {
        summary.push(format!("{line} -> {}", out.join(name).display()));
    }
    summary.extend(plan.notes.iter().map(|n| format!("note: {n}")));
    manifest.notes.extend(plan.notes);
    Ok(())
}

/// Charts, `report.html` and `report.xlsx`, written after every other output: the tables
/// this run wrote (listed in the manifest's outputs) are read back from `out/`, so the report
/// shows exactly the files beside it. A report that cannot be built is a note, not a failure.
fn write_report(
    cfg: &ValidConfig,
    customers: &DataFrame,
    manifest: &mut Manifest,
    summary: &mut Vec<String>,
    out: &Path,
) -> Result<()> {
    use crate::report::stage::{self as report, ReportInputs, RunFacts};
    let t0 = Instant::now();
    let mut tables = Vec::new();
    for stem in report::TABLES {
        let file = format!("{stem}.csv");
        if manifest.outputs.contains_key(&file) {
            let df = CsvReadOptions::default()
                .with_has_header(true)
                .with_infer_schema_length(Some(10_000))
                .try_into_reader_with_file_path(Some(out.join(&file)))?
                .finish()?;
            tables.push((stem.to_string(), df));
        }
    }
    let mut models = Vec::new();
    for stem in report::MODELS {
        let file = format!("models/{stem}.json");
        if manifest.outputs.contains_key(&file) {
            let path = out.join(&file);
            let text = std::fs::read_to_string(&path)
                .map_err(|e| crate::error::Error::input(&path, e.to_string()))?;
            if let Ok(v) = serde_json::from_str(&text) {
                models.push((stem.to_string(), v));
            }
        }
    }
    let inputs = ReportInputs {
        customers: customers.clone(),
        tables,
        models,
        // Paths relative to the output directory and no wall times, so the same run gives the
        // same report wherever it is written.
        summary: summary
            .iter()
            .map(|l| without_fit_time(&l.replace(&format!("{}/", out.display()), "")))
            .collect(),
        facts: RunFacts {
            as_of: manifest.as_of.clone(),
            seed: cfg.seed,
            version: manifest.kam_version.to_string(),
        },
        lang: cfg.lang,
    };
    match report::build(&inputs) {
        Ok(files) => {
            for (name, bytes) in &files.files {
                write::bytes(bytes, &out.join(name))?;
                manifest.outputs.insert(name.clone(), 1);
            }
            let charts = files.files.iter().filter(|f| f.0.ends_with(".png")).count();
            summary.push(format!(
                "report: {charts} charts -> {}, {}",
                out.join("report.html").display(),
                out.join("report.xlsx").display()
            ));
            manifest
                .notes
                .extend(files.notes.iter().map(|n| format!("report: {n}")));
        }
        Err(e) => {
            let note = format!("report: not written: {e}");
            summary.push(format!("note: {note}"));
            manifest.notes.push(note);
        }
    }
    manifest
        .timings_ms
        .insert("report".into(), t0.elapsed().as_millis() as u64);
    Ok(())
}

/// `line` without a `, fit 0.242 s` wall time (the value model's summary line).
fn without_fit_time(line: &str) -> String {
    if let Some(i) = line.find(", fit ") {
        let rest = &line[i + 6..];
        if let Some(j) = rest.find(" s")
            && rest[..j].parse::<f64>().is_ok()
        {
            return format!("{}{}", &line[..i], &rest[j + 2..]);
        }
    }
    line.to_string()
}

const CALIBRATION_FILE: &str = "models/calibration_by_frequency.csv";

/// The value model's holdout check: refit on the history before `as_of - holdout_days`, then
/// actual against predicted repeat purchases of the holdout, by calibration-period frequency.
/// None when turned off or when the calibration fit does not converge.
fn value_holdout(
    tx: &DataFrame,
    as_of: chrono::NaiveDate,
    cfg: &ValidConfig,
) -> Result<Option<DataFrame>> {
    let days = cfg.value.p.holdout_days;
    if days == 0 {
        return Ok(None);
    }
    let cal_end = as_of - chrono::Duration::days(i64::from(days));
    // calibration: purchases up to cal_end, observed to the day after (T >= 1 day)
    let before = tx
        .clone()
        .lazy()
        .filter(col(schema::DATE).lt_eq(lit(cal_end)))
        .collect()?;
    let cal_as_of = cal_end + chrono::Duration::days(1);
    let cal = features::customer_table(&before, None, cal_as_of, cfg.time_unit)?;
    let summary = stage::Summary::from_customers(&cal)?;
    let purchases = stage::fit_purchases(&summary.rfm, &cfg.value)?;
    if !purchases.convergence().converged {
        return Ok(None);
    }
    let h =
        crate::value::holdout::holdout(tx, &summary, &purchases, cal_end, as_of, cfg.time_unit)?;
    Ok(Some(h.by_frequency))
}

/// Attainment, weekly progress, leaderboard, campaigns, trend and forecast (issue 7): written
/// under `out/`, recorded in the manifest with a summary line each. An input the stage needs
/// but lacks skips that output with a note.
fn track_outputs(
    cfg: &ValidConfig,
    v: &Validation,
    tx: &DataFrame,
    customers: &DataFrame,
    as_of: chrono::NaiveDate,
    manifest: &mut Manifest,
    summary: &mut Vec<String>,
) -> Result<()> {
    use crate::track::stage::{TrackInputs, track};
    let out = &cfg.out_dir;
    let t0 = Instant::now();
    let input = TrackInputs {
        transactions: tx,
        customers,
        targets: v.table(schema::TARGETS.name).map(|t| &t.clean),
        campaigns: v.table(schema::CAMPAIGNS.name).map(|t| &t.clean),
    };
    let t = match track(input, as_of, &cfg.track) {
        Ok(t) => t,
        Err(e) => {
            // like segmentation: the rest of the run stands, the reason is in the notes
            summary.push(format!("note: track: not computed: {e}"));
            manifest.notes.push(format!("track: not computed: {e}"));
            return Ok(());
        }
    };
    let tables = [
        ("attainment.csv", &t.attainment, "attainment"),
        ("weekly_progress.csv", &t.weekly_progress, "weekly progress"),
        ("leaderboard.csv", &t.leaderboard, "leaderboard"),
        ("campaigns.csv", &t.campaigns, "campaigns"),
        ("trend.csv", &t.trend, "trend"),
    ];
    for (name, df, what) in tables {
        if let Some(df) = df {
            write::csv(df, &out.join(name))?;
            manifest.outputs.insert(name.into(), df.height() as u64);
            let mut line = format!("{what}: {} rows", df.height());
            if let (Some((from, to)), "leaderboard.csv") = (&t.leaderboard_months, name) {
                line.push_str(&format!(" ({from} to {to})"));
            }
            summary.push(format!("{line} -> {}", out.join(name).display()));
        }
    }
    if let Some(f) = &t.forecast {
        write::json(f, &out.join("models/forecast.json"))?;
        manifest.outputs.insert("models/forecast.json".into(), 1);
        let method = f.method.map_or("none", |m| m.name());
        let verdict = match (f.candidates.is_empty(), f.beat_seasonal_naive) {
            (true, _) => "no holdout: the series is too short".to_string(),
            (false, beat) => format!(
                "{} seasonal naive on the {}-month holdout",
                if beat { "beats" } else { "does not beat" },
                f.holdout_months
            ),
        };
        summary.push(format!(
            "forecast: company revenue by {method} ({verdict}; {} of {} series beat seasonal naive) -> {}",
            f.series_beating_seasonal_naive,
            f.series_total,
            out.join("models/forecast.json").display()
        ));
    }
    for n in &t.notes {
        summary.push(format!("note: track: {n}"));
        manifest.notes.push(format!("track: {n}"));
    }
    manifest
        .timings_ms
        .insert("track".into(), t0.elapsed().as_millis() as u64);
    Ok(())
}

/// RFM scores for everyone; model scores for every buyer (null when the model did not
/// converge, with the reason in the notes).
fn add_value(
    table: DataFrame,
    cfg: &ValidConfig,
) -> Result<(DataFrame, Option<ValueScores>, Vec<String>)> {
    let mut notes = Vec::new();
    let rfm = rfm::score(&table, &cfg.rfm)?.drop(schema::CUSTOMER_ID)?;
    let mut table = table.hstack(rfm.columns())?;
    let value_cols = [
        stage::P_ALIVE,
        stage::EXPECTED_PURCHASES,
        stage::EXPECTED_AVG_VALUE,
        stage::CLV,
        stage::EXPECTED_REVENUE_12M,
    ];
    let empty = |t: DataFrame| -> Result<DataFrame> {
        let cols: Vec<Expr> = value_cols
            .iter()
            .map(|c| lit(NULL).cast(DataType::Float64).alias(*c))
            .collect();
        Ok(t.lazy().with_columns(cols).collect()?)
    };
    let summary = match stage::Summary::from_customers(&table) {
        Ok(s) => s,
        Err(e) => {
            notes.push(format!("no value model: {e}"));
            return Ok((empty(table)?, None, notes));
        }
    };
    let scored = stage::score(&summary, &cfg.value, cfg.time_unit)?;
    let conv = scored.purchases.convergence();
    if !conv.converged {
        notes.push(format!(
            "{}: {}; value columns left empty",
            scored.purchases.label(),
            conv.reason
        ));
        table = empty(table)?;
    } else {
        if scored
            .spend
            .as_ref()
            .is_none_or(|g| !g.convergence.converged)
        {
            let why = scored
                .spend
                .as_ref()
                .map_or("too few repeat buyers".to_string(), |g| {
                    g.convergence.reason.clone()
                });
            notes.push(format!(
                "Gamma-Gamma: {why}; expected_avg_value and clv left empty"
            ));
        } else if scored.spend.as_ref().is_some_and(|g| g.q <= 1.0) {
            notes.push("Gamma-Gamma q <= 1: the population mean spend is not finite, so expected_avg_value and clv are empty for customers without repeat purchases".into());
        }
        let mut args = JoinArgs::new(JoinType::Left);
        args.maintain_order = MaintainOrderJoin::Left;
        table = table
            .lazy()
            .join(
                scored.scores.clone().lazy(),
                [col(schema::CUSTOMER_ID)],
                [col(schema::CUSTOMER_ID)],
                args,
            )
            .collect()?;
    }
    Ok((table, Some(scored), notes))
}

/// `models/<purchase model>.json` and `models/gamma_gamma.json`, parameters and convergence
/// report at the top level.
pub fn write_value_models(scored: &ValueScores, out: &Path) -> Result<()> {
    let flat =
        |v: serde_json::Value, extra: Option<(&str, serde_json::Value)>| -> serde_json::Value {
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
        };
    let model = flat(
        scored.purchases.to_json()?,
        Some(("triples", scored.triples.into())),
    );
    write::json(
        &model,
        &out.join("models").join(scored.purchases.file_name()),
    )?;
    write::csv(&scored.curve, &out.join("models/expected_curve.csv"))?;
    if let Some(g) = &scored.spend {
        let v =
            serde_json::to_value(g).map_err(|e| crate::error::Error::Internal(e.to_string()))?;
        write::json(&flat(v, None), &out.join("models/gamma_gamma.json"))?;
    }
    Ok(())
}

fn record_validation(m: &mut Manifest, v: &Validation) {
    m.as_of = v.as_of.map(|d| d.to_string());
    for t in &v.tables {
        m.inputs.insert(t.spec.name.into(), t.file.clone());
        m.tables.insert(t.spec.name.into(), t.counts.clone());
        m.notes
            .extend(t.notes.iter().map(|n| format!("{}: {n}", t.spec.name)));
    }
}

fn write_rejects(v: &Validation, out: &Path) -> Result<Vec<(String, u64)>> {
    let mut written = Vec::new();
    for t in &v.tables {
        let name = format!("rejects/{}.csv", t.spec.name);
        write::csv(&t.rejects, &out.join(&name))?;
        written.push((name, t.rejects.height() as u64));
    }
    Ok(written)
}

fn summarize(m: &Manifest, v: &Validation, out: &Path) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some(a) = &m.as_of {
        lines.push(format!("as_of: {a}"));
    }
    for t in &v.tables {
        let c = &t.counts;
        let mut line = format!(
            "{}: {} read = {} used + {} rejected",
            t.spec.name, c.read, c.used, c.rejected
        );
        if c.rejected > 0 {
            line.push_str(&format!(
                " (see {})",
                out.join(format!("rejects/{}.csv", t.spec.name)).display()
            ));
        }
        lines.push(line);
        let mut top: Vec<(&String, &u64)> = c.rejected_by_check.iter().collect();
        top.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        for (check, n) in top.into_iter().take(5) {
            lines.push(format!("  {n:>8}  {check}"));
        }
    }
    lines.extend(m.notes.iter().map(|n| format!("note: {n}")));
    lines
}

#[cfg(test)]
mod report_tests {
    use super::without_fit_time;

    #[test]
    fn fit_time_is_dropped_from_report_lines() {
        assert_eq!(
            without_fit_time("BG/NBD: converged (44 iterations, fit 0.242 s)"),
            "BG/NBD: converged (44 iterations)"
        );
        assert_eq!(without_fit_time("a, fit x s"), "a, fit x s");
    }
}
