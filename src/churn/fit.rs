//! The steps both churn modes share around their own way of judging candidates: a held-out
//! prediction of one candidate, the chosen model refitted and applied with each score's
//! drivers, and the report fields every mode fills the same way.

use super::ChurnValid;
use super::design::{Encoder, Raw};
use super::export::Scoring;
use super::metrics::Metrics;
use super::models::{self, Kind};
use super::report::{self, Candidate, ChurnReport, Driver, Weight};
use crate::error::Result;

/// Predictions of `kind` trained on rows `train` (labels `y_train`) for rows `test`; the
/// encoder is fitted on the training rows only.
pub(super) fn predict_held_out(
    kind: Kind,
    raw: &[Raw],
    train: &[usize],
    y_train: &[bool],
    test: &[usize],
    p: &ChurnValid,
    seed: u64,
) -> Result<Vec<f64>> {
    let enc = Encoder::fit(raw, train, p.encode(kind));
    let (xtr, xte) = (enc.transform(raw, train), enc.transform(raw, test));
    let m = models::fit(kind, &xtr, y_train, &p.models, seed)?;
    m.predict(&xte)
}

/// `how` when there was a choice of models, else `config` (the settings named one).
pub(super) fn chosen_by(kinds: &[Kind], how: &'static str) -> &'static str {
    if kinds.len() > 1 { how } else { "config" }
}

/// The chosen model refitted and applied.
pub(super) struct Scored {
    pub kind: Kind,
    pub enc: Encoder,
    /// Churn probability of each scored row.
    pub prob: Vec<f64>,
    /// Log-odds contributions, row-major scored rows x encoded columns.
    pub contrib: Vec<f64>,
    /// The top three drivers of each scored row.
    pub drivers: Vec<Vec<Driver>>,
    pub intercept: Option<f64>,
    pub weights: Vec<Weight>,
    /// Rows the model was fitted on.
    pub examples_used: usize,
    /// The model as data, for scorers outside kam (`scoring` in `models/churn.json`).
    pub scoring: Scoring,
}

/// Fit `kind` on rows `fit` (labels `y`) and score rows `score` (`None`: the fit rows).
pub(super) fn refit_and_score(
    kind: Kind,
    raw: &[Raw],
    fit: &[usize],
    y: &[bool],
    score: Option<&[usize]>,
    p: &ChurnValid,
    seed: u64,
) -> Result<Scored> {
    let enc = Encoder::fit(raw, fit, p.encode(kind));
    let x = enc.transform(raw, fit);
    let model = models::fit(kind, &x, y, &p.models, seed)?;
    let (xs, rows) = match score {
        Some(rows) => (enc.transform(raw, rows), rows),
        None => (x, fit),
    };
    let prob = model.predict(&xs)?;
    let contrib = model.contributions(&xs, &enc.column_means)?;
    let drivers = report::drivers(&contrib, &enc, raw, rows, 3);
    let (intercept, weights) = model.weights(&enc.columns);
    let scoring = Scoring::of(&model, &enc, None);
    Ok(Scored {
        kind,
        enc,
        prob,
        contrib,
        drivers,
        intercept,
        weights,
        examples_used: fit.len(),
        scoring,
    })
}

impl Scored {
    /// The report with the fields both modes fill alike; the labelled mode's cross-validation
    /// figures, the behavioural cutoffs and the dropped columns are left empty for the caller.
    pub(super) fn report(
        &self,
        mode: &'static str,
        chosen_by: &'static str,
        candidates: Vec<Candidate>,
        metrics: Metrics,
        p: &ChurnValid,
        seed: u64,
    ) -> ChurnReport {
        ChurnReport {
            mode,
            model: self.kind.name(),
            chosen_by,
            candidates,
            auc_mean: None,
            auc_folds: None,
            metrics,
            cv_rows: None,
            cutoffs: vec![],
            features: self.enc.specs.clone(),
            dropped_columns: vec![],
            intercept: self.intercept,
            coefficients_or_importances: self.weights.clone(),
            drivers_overall: report::overall(&self.contrib, &self.enc, self.prob.len()),
            risk_cuts: p.risk_cuts,
            drivers_method: self.kind.drivers_method(),
            examples_used: self.examples_used,
            training_sample: None,
            seed,
            scoring: Some(self.scoring.clone()),
        }
    }

    /// `churn_risk` and `churn_driver_1..3` of the scored rows.
    pub(super) fn risk_and_driver_columns(&self, p: &ChurnValid) -> Vec<polars::prelude::Column> {
        report::risk_and_driver_columns(&self.prob, p.risk_cuts, &self.drivers)
    }
}
