//! `[value] model = "auto"`: the purchase model chosen by its holdout error, as the forecast
//! stage chooses a time-series method.
//!
//! Every candidate (BG/NBD, MBG/NBD, Pareto/NBD) is fitted on the calibration period (the
//! history before `as_of - holdout_days`) and predicts each calibration customer's repeat
//! purchases of the holdout; the one with the smallest root mean squared error per customer
//! is kept and then fitted on the whole history. When there is no holdout (`holdout_days = 0`,
//! a history too short for one, or `kam clv --summary`), the candidates are fitted on the
//! whole history and the one with the smallest BIC is kept, with a note saying so. Either way
//! `models/value_choice.json` states every candidate's log-likelihood, BIC and holdout error.

use chrono::NaiveDate;
use serde::Serialize;

use super::data::Triples;
use super::holdout::{Holdout, PurchaseDays, compare};
use super::params::{ModelKind, ValueValid};
use super::purchases::Purchases;
use super::stage::fit_triples;
use crate::error::{Error, Result};
use crate::schema::TimeUnit;

/// The models `auto` chooses among.
pub const CANDIDATES: [ModelKind; 3] = [ModelKind::Bgnbd, ModelKind::Mbgnbd, ModelKind::Pareto];

/// One candidate's fit and holdout error.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Candidate {
    pub model: &'static str,
    pub converged: bool,
    /// Log-likelihood of the fit the choice compared (calibration period, or the whole
    /// history for a choice by BIC).
    pub log_likelihood: f64,
    /// -2 log-likelihood + parameters x ln(customers).
    pub bic: f64,
    /// Root mean squared error of the customers' holdout repeat purchases (None without a
    /// holdout).
    pub holdout_rmse: Option<f64>,
    /// Predicted minus actual holdout repeat purchases, over the actual (None without one).
    pub holdout_total_error: Option<f64>,
}

/// `models/value_choice.json`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ValueChoice {
    pub chosen: &'static str,
    /// "holdout" or "bic".
    pub basis: &'static str,
    pub calibration_end: Option<String>,
    pub holdout_end: Option<String>,
    /// Why the choice fell back to BIC (None for a choice by holdout).
    pub note: Option<String>,
    pub candidates: Vec<Candidate>,
}

/// `[value] model` name of a candidate.
pub fn name(m: ModelKind) -> &'static str {
    match m {
        ModelKind::Bgnbd => "bgnbd",
        ModelKind::Mbgnbd => "mbgnbd",
        ModelKind::Pareto => "pareto",
        ModelKind::Auto => "auto",
    }
}

/// A candidate's entry from its fit (and holdout comparison).
fn candidate(m: ModelKind, fit: &Purchases, customers: f64, h: Option<&Holdout>) -> Candidate {
    let ll = fit.log_likelihood();
    Candidate {
        model: name(m),
        converged: fit.convergence().converged,
        log_likelihood: ll,
        bic: -2.0 * ll + 4.0 * customers.max(1.0).ln(),
        holdout_rmse: h.map(|h| h.rmse),
        holdout_total_error: h.map(|h| (h.predicted_total - h.actual_total) / h.actual_total),
    }
}

/// The converged candidate with the smallest `key` (None when none converged).
fn best(cands: &[Candidate], key: impl Fn(&Candidate) -> Option<f64>) -> Option<usize> {
    (0..cands.len())
        .filter(|i| cands[*i].converged)
        .filter_map(|i| key(&cands[i]).filter(|v| v.is_finite()).map(|v| (i, v)))
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(i, _)| i)
}

/// Choose by BIC among the candidates fitted on `d`: the chosen fit and the report, with
/// `note` saying why there was no holdout.
pub fn by_bic(d: &Triples, v: &ValueValid, note: String) -> Result<(Purchases, ValueChoice)> {
    let mut fits = Vec::new();
    for m in CANDIDATES {
        // a candidate that cannot be fitted at all (Pareto/NBD without repeat buyers) drops out
        if let Ok(fit) = fit_triples(d, &v.with_model(m)) {
            fits.push((m, fit));
        }
    }
    let cands: Vec<Candidate> = (fits.iter())
        .map(|(m, f)| candidate(*m, f, d.customers(), None))
        .collect();
    let i = best(&cands, |c| Some(c.bic)).unwrap_or(0);
    let (chosen, fit) = fits
        .into_iter()
        .nth(i)
        .ok_or_else(|| Error::validation("value model", "no candidate model could be fitted"))?;
    let report = ValueChoice {
        chosen: name(chosen),
        basis: "bic",
        calibration_end: None,
        holdout_end: None,
        note: Some(note),
        candidates: cands,
    };
    Ok((fit, report))
}

/// Choose by holdout: every candidate fitted on the customers' history up to `cal_end` and
/// compared on (`cal_end`, `as_of`]. None when no candidate converged there.
pub fn by_holdout(
    days: &PurchaseDays,
    (cal_end, as_of): (NaiveDate, NaiveDate),
    v: &ValueValid,
    unit: TimeUnit,
) -> Result<Option<(ModelKind, ValueChoice, Holdout)>> {
    let cal_as_of = cal_end + chrono::Duration::days(1);
    let (ids, rfm) = days.calibration(cal_end, cal_as_of, unit)?;
    let d = rfm.compress();
    let mut cands = Vec::new();
    let mut holdouts = Vec::new();
    for m in CANDIDATES {
        let Ok(fit) = fit_triples(&d, &v.with_model(m)) else {
            continue;
        };
        let h = match fit.convergence().converged {
            true => Some(compare(
                days,
                &ids,
                &rfm,
                &fit,
                (cal_end, as_of),
                unit,
                None,
            )?),
            false => None,
        };
        cands.push(candidate(m, &fit, d.customers(), h.as_ref()));
        holdouts.push((m, h));
    }
    let Some(i) = best(&cands, |c| c.holdout_rmse) else {
        return Ok(None);
    };
    let (chosen, h) = holdouts.swap_remove(i);
    let report = ValueChoice {
        chosen: name(chosen),
        basis: "holdout",
        calibration_end: Some(cal_end.to_string()),
        holdout_end: Some(as_of.to_string()),
        note: None,
        candidates: cands,
    };
    Ok(h.map(|h| (chosen, report, h)))
}
