//! Labelled mode (`kam churn`): a customer table with an explicit churn flag. Columns are typed
//! from their content, identifier-like columns are left out (and named), both models are
//! cross-validated on stratified folds, the better mean AUC wins and is refitted on every row
//! (above `max_training_rows`, on a seeded sample of that size stratified by label) to score
//! every row of the table.
//!
//! Column rules (each dropped column is listed with its reason in `models/churn.json`):
//! - numeric when at least 95% of its non-blank values read as numbers (the rest count as
//!   blank); otherwise categorical;
//! - left out: all blank; one value only; a whole number different on every row (a row number
//!   or an id); a text where more than half the rows hold a value seen fewer than
//!   `min_level_count` times (a name or a near-unique code).

use polars::prelude::*;
use rand::SeedableRng;
use rand::seq::SliceRandom;

use super::design::Raw;
use super::fit::{self, Scored};
use super::metrics::{self, roc_auc};
use super::models::Kind;
use super::raw::infer_columns;
use super::report::{self, Candidate, ChurnReport, Dropped};
use super::sample::{TrainingSample, stratified};
use super::{CHURN_PROBABILITY, ChurnValid};
use crate::error::{Error, Result};
use crate::frame;

pub use crate::schema::columns::{CHURN_LABEL, CV_PROBABILITY};

/// The scored table, the report and the rows left out for a blank label.
pub struct Labelled {
    pub scores: DataFrame,
    pub report: ChurnReport,
    /// Row numbers (1-based, as in the file) whose label is blank.
    pub blank_label_rows: Vec<usize>,
}

/// Decide which label values mean "churned": the given one, or Yes/1/true/Y/churned.
fn positive_of(values: &[Option<String>], given: Option<&str>, label: &str) -> Result<String> {
    let mut distinct: Vec<&str> = values.iter().flatten().map(String::as_str).collect();
    distinct.sort_unstable();
    distinct.dedup();
    if distinct.len() < 2 {
        return Err(Error::Validation {
            table: "customers".into(),
            msg: format!(
                "label column '{label}' has one class only ({}): a churn model needs churners and non-churners",
                distinct
                    .first()
                    .map_or("no values".to_string(), |v| format!("'{v}'"))
            ),
        });
    }
    if distinct.len() > 2 && given.is_none() {
        return Err(Error::Usage(format!(
            "label column '{label}' has {} values ({}...): say which one means churned with --positive",
            distinct.len(),
            distinct[..3].join(", ")
        )));
    }
    if let Some(g) = given {
        return if distinct.contains(&g) {
            Ok(g.to_string())
        } else {
            Err(Error::Usage(format!(
                "--positive '{g}' does not occur in label column '{label}' (values: {})",
                distinct
                    .iter()
                    .take(5)
                    .copied()
                    .collect::<Vec<_>>()
                    .join(", ")
            )))
        };
    }
    const POS: [&str; 6] = ["yes", "1", "true", "y", "churned", "1.0"];
    distinct
        .iter()
        .find(|v| POS.contains(&v.to_ascii_lowercase().as_str()))
        .map(|v| v.to_string())
        .ok_or_else(|| {
            Error::Usage(format!(
                "label column '{label}' has values {} and {}: say which one means churned with --positive",
                distinct[0], distinct[1]
            ))
        })
}

/// Stratified fold of every row: each class shuffled with the seed, then dealt round-robin.
fn folds(y: &[bool], k: usize, seed: u64) -> Vec<usize> {
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let mut fold = vec![0; y.len()];
    for class in [true, false] {
        let mut idx: Vec<usize> = (0..y.len()).filter(|i| y[*i] == class).collect();
        idx.shuffle(&mut rng);
        for (r, i) in idx.into_iter().enumerate() {
            fold[i] = r % k;
        }
    }
    fold
}

/// Row indices (into the labelled rows) that take part in cross-validation: all of them, or a
/// seeded stratified sample of `max` when there are more.
fn cv_sample(y: &[bool], max: usize, seed: u64) -> Vec<usize> {
    if y.len() <= max {
        return (0..y.len()).collect();
    }
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed ^ 0x5eed_c0de);
    let mut out = Vec::with_capacity(max);
    let pos = y.iter().filter(|v| **v).count();
    for class in [true, false] {
        let mut idx: Vec<usize> = (0..y.len()).filter(|i| y[*i] == class).collect();
        idx.shuffle(&mut rng);
        let n = if class { pos } else { y.len() - pos };
        let take = ((n as f64) * max as f64 / y.len() as f64).round() as usize;
        out.extend(idx.into_iter().take(take.max(1)));
    }
    out.sort_unstable();
    out
}

/// Train, cross-validate and score. `df` is the whole table as read.
pub fn run(
    df: &DataFrame,
    id: Option<&str>,
    label: &str,
    positive: Option<&str>,
    p: &ChurnValid,
    seed: u64,
) -> Result<Labelled> {
    let target = Target::read(df, id, label, positive, p)?;
    let (raw, dropped) = feature_columns(df, id, label, p)?;
    let (rows, y) = (&target.rows, &target.y);
    let kinds: Vec<Kind> = p.model.kinds();
    let cv = cross_validate(&raw, rows, y, &kinds, p, seed)?;
    // the better mean AUC; a tie goes to the simpler logistic model (listed first)
    let means: Vec<f64> = cv.aucs.iter().map(|a| mean(a)).collect();
    let best = report::best_of(&means);
    let (scored, sample) = refit(kinds[best], &raw, rows, y, p, seed)?;
    let scores = score_table(df, id, &target, &scored, &cv.oof[best], p)?;

    let candidates = kinds
        .iter()
        .zip(&cv.aucs)
        .map(|(k, a)| Candidate {
            model: k.name(),
            auc: mean(a),
            auc_folds: a.clone(),
        })
        .collect();
    let (yc, pc): (Vec<bool>, Vec<f64>) =
        cv.in_cv.iter().map(|i| (y[*i], cv.oof[best][*i])).unzip();
    let metrics = metrics::evaluate(&yc, &pc, p.risk_cuts[1]);
    let chosen_by = fit::chosen_by(&kinds, "cross-validated AUC");
    let mut report = scored.report("labelled", chosen_by, candidates, metrics, p, seed);
    report.auc_mean = Some(mean(&cv.aucs[best]));
    report.auc_folds = Some(cv.aucs[best].clone());
    report.cv_rows = Some(cv.in_cv.len());
    report.dropped_columns = dropped;
    report.training_sample = sample;
    Ok(Labelled {
        scores,
        report,
        blank_label_rows: target.blank_label_rows,
    })
}

/// The chosen model fitted on every labelled row, or above `max_training_rows` on a seeded
/// sample of that size stratified by label, and applied to every labelled row.
fn refit(
    kind: Kind,
    raw: &[Raw],
    rows: &[usize],
    y: &[bool],
    p: &ChurnValid,
    seed: u64,
) -> Result<(Scored, Option<TrainingSample>)> {
    let all: Vec<usize> = (0..y.len()).collect();
    let stratum: Vec<u64> = y.iter().map(|v| u64::from(*v)).collect();
    let used = stratified(&all, &stratum, p.max_training_rows, seed);
    if used.len() == y.len() {
        return Ok((
            fit::refit_and_score(kind, raw, rows, y, None, p, seed)?,
            None,
        ));
    }
    let fit_rows: Vec<usize> = used.iter().map(|i| rows[*i]).collect();
    let y_fit: Vec<bool> = used.iter().map(|i| y[*i]).collect();
    let scored = fit::refit_and_score(kind, raw, &fit_rows, &y_fit, Some(rows), p, seed)?;
    let sample = TrainingSample {
        rows_available: y.len(),
        rows_used: used.len(),
        seed,
        stratified_by: "label",
    };
    Ok((scored, Some(sample)))
}

fn mean(v: &[f64]) -> f64 {
    v.iter().sum::<f64>() / v.len() as f64
}

/// The label column read: which rows have a label and whether each churned.
struct Target {
    /// Rows (0-based) with a label, in table order.
    rows: Vec<usize>,
    /// Whether each of `rows` churned.
    y: Vec<bool>,
    /// Row numbers (1-based, as in the file) whose label is blank.
    blank_label_rows: Vec<usize>,
}

impl Target {
    /// Read `label` (and check `id` exists); an error when a class has fewer rows than folds.
    fn read(
        df: &DataFrame,
        id: Option<&str>,
        label: &str,
        positive: Option<&str>,
        p: &ChurnValid,
    ) -> Result<Target> {
        let missing = |c: &str| {
            Error::Usage(format!(
                "column '{c}' is not in the table; found columns: {}",
                df.get_column_names()
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        };
        df.column(label).map_err(|_| missing(label))?;
        if let Some(id) = id {
            df.column(id).map_err(|_| missing(id))?;
        }
        let lab = frame::trimmed(df, label)?;
        let blank_label_rows: Vec<usize> = (0..lab.len())
            .filter(|i| lab[*i].is_none())
            .map(|i| i + 1)
            .collect();
        let pos = positive_of(&lab, positive, label)?;
        let rows: Vec<usize> = (0..lab.len()).filter(|i| lab[*i].is_some()).collect();
        let y: Vec<bool> = rows
            .iter()
            .map(|i| lab[*i].as_deref() == Some(pos.as_str()))
            .collect();
        let churners = y.iter().filter(|v| **v).count();
        let smaller = churners.min(y.len() - churners);
        if smaller < p.folds {
            return Err(Error::Validation {
                table: "customers".into(),
                msg: format!(
                    "{} rows with a label, {churners} churners: {}-fold cross-validation needs at least {} of each class; lower --folds or add rows",
                    y.len(),
                    p.folds,
                    p.folds
                ),
            });
        }
        Ok(Target {
            rows,
            y,
            blank_label_rows,
        })
    }
}

/// The feature columns: every column but the label and the id, typed from its content; an
/// error when none is usable.
fn feature_columns(
    df: &DataFrame,
    id: Option<&str>,
    label: &str,
    p: &ChurnValid,
) -> Result<(Vec<Raw>, Vec<Dropped>)> {
    let mut skip = vec![label];
    if let Some(id) = id {
        skip.push(id);
    }
    let (raw, dropped) = infer_columns(df, &skip, p.min_level_count)?;
    if raw.is_empty() {
        return Err(Error::Validation {
            table: "customers".into(),
            msg: format!(
                "no usable feature column besides the label{}: {}",
                id.map(|i| format!(" and '{i}'")).unwrap_or_default(),
                dropped
                    .iter()
                    .map(|d| format!("{} ({})", d.column, d.reason))
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
        });
    }
    Ok((raw, dropped))
}

/// What cross-validation found, per candidate kind.
struct CrossValidation {
    /// Out-of-fold probabilities per kind, indexed like the labelled rows (NaN outside the
    /// sample).
    oof: Vec<Vec<f64>>,
    /// AUC per kind and fold.
    aucs: Vec<Vec<f64>>,
    /// The labelled rows (indices into them) that took part.
    in_cv: Vec<usize>,
}

/// Stratified k-fold cross-validation of every kind over the labelled rows, or over a
/// stratified sample of `cv_max_rows` of them on a large table (the AUC estimate of 200,000
/// rows has a standard error near 0.001).
fn cross_validate(
    raw: &[Raw],
    rows: &[usize],
    y: &[bool],
    kinds: &[Kind],
    p: &ChurnValid,
    seed: u64,
) -> Result<CrossValidation> {
    let fold = folds(y, p.folds, seed);
    let in_cv = cv_sample(y, p.cv_max_rows, seed);
    let split = |f: usize| {
        let tr: Vec<usize> = in_cv.iter().copied().filter(|i| fold[*i] != f).collect();
        let te: Vec<usize> = in_cv.iter().copied().filter(|i| fold[*i] == f).collect();
        (tr, te)
    };
    // every (fold, kind) fit is independent and seeded: on both cores (the logistic fits
    // are single-threaded), the results taken in fold and kind order as one core would
    let fits = crate::par::map_tasks(p.folds * kinds.len(), |t| {
        let (f, kind) = (t / kinds.len(), kinds[t % kinds.len()]);
        let (tr, te) = split(f);
        let tr_rows: Vec<usize> = tr.iter().map(|i| rows[*i]).collect();
        let te_rows: Vec<usize> = te.iter().map(|i| rows[*i]).collect();
        let ytr: Vec<bool> = tr.iter().map(|i| y[*i]).collect();
        fit::predict_held_out(kind, raw, &tr_rows, &ytr, &te_rows, p, seed)
    })?;
    let mut oof = vec![vec![f64::NAN; y.len()]; kinds.len()];
    let mut aucs = vec![Vec::new(); kinds.len()];
    for (t, pr) in fits.into_iter().enumerate() {
        let (f, k) = (t / kinds.len(), t % kinds.len());
        let (_, te) = split(f);
        let yte: Vec<bool> = te.iter().map(|i| y[*i]).collect();
        aucs[k].push(roc_auc(&yte, &pr));
        for (i, v) in te.iter().zip(pr) {
            oof[k][*i] = v;
        }
    }
    Ok(CrossValidation { oof, aucs, in_cv })
}

/// The scored table: id (or 1-based row number), label, probability, out-of-fold probability,
/// risk and drivers, most likely churners first.
fn score_table(
    df: &DataFrame,
    id: Option<&str>,
    target: &Target,
    scored: &Scored,
    oof: &[f64],
    p: &ChurnValid,
) -> Result<DataFrame> {
    let rows = &target.rows;
    let id_values: Column = match id {
        Some(c) => df
            .column(c)?
            .cast(&DataType::String)?
            .take_slice(&rows.iter().map(|r| *r as IdxSize).collect::<Vec<_>>())?
            .with_name(c.into()),
        None => Column::new(
            "row".into(),
            rows.iter().map(|r| (*r + 1) as u64).collect::<Vec<_>>(),
        ),
    };
    let mut cols = vec![
        id_values,
        Column::new(
            CHURN_LABEL.into(),
            target
                .y
                .iter()
                .map(|v| u8::from(*v) as u32)
                .collect::<Vec<_>>(),
        ),
        Column::new(CHURN_PROBABILITY.into(), scored.prob.clone()),
        Column::new(
            CV_PROBABILITY.into(),
            oof.iter()
                .map(|v| v.is_finite().then_some(*v))
                .collect::<Vec<_>>(),
        ),
    ];
    cols.extend(scored.risk_and_driver_columns(p));
    let scores = DataFrame::new(rows.len(), cols)?;
    let key = scores.get_column_names()[0].clone();
    Ok(scores.sort(
        [CHURN_PROBABILITY, key.as_str()],
        SortMultipleOptions::default().with_order_descending_multi([true, false]),
    )?)
}
