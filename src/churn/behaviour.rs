//! Behavioural churn from transactions, the default in `kam run`.
//!
//! A customer is *active* at a cutoff when it bought within `active_days` before it, and
//! *churns* when it then buys nothing in the `horizon_days` after it. The latest complete
//! cutoff is `as_of - horizon_days` (its outcome is fully observed by `as_of`); it is kept out
//! of training and judges the models out of time. Training cutoffs step back from it by the
//! horizon. The chosen model is refitted on every labelled cutoff and applied at `as_of`.
//!
//! Above `max_training_rows` labelled examples, the models train on a seeded sample stratified
//! by cutoff and label (stated in `models/churn.json`); every active customer is still scored.
//!
//! Features at a cutoff use only transactions dated on or before it ([`features_at`]; tested):
//! the customer features of `kam run` ([`crate::features::per_customer`]) plus the 3-month
//! trend, the change of order size and the returns share, and the customer's attributes.

use chrono::NaiveDate;
use polars::prelude::*;

use super::design::Raw;
use super::fit::{self, Scored};
use super::history;
use super::inputs::{with_attributes, with_extra};
use super::metrics::{self, roc_auc};
use super::report::{self, Candidate, ChurnReport, Cutoff};
use super::sample::{TrainingSample, stratified};
use super::{CHURN_DRIVERS, CHURN_PROBABILITY, CHURN_RISK, ChurnValid, REVENUE_AT_RISK};
use crate::error::{Error, Result};
use crate::frame::{self, epoch_days};
use crate::schema as s;
use crate::schema::columns::REVENUE_IF_STAYS;
use crate::stage::PointInTime;

pub use super::cutoff::{
    ATTR_CATEGORICAL, ATTR_NUMERIC, NUMERIC, ORDER_SIZE_CHANGE, PURCHASES_90D, RETURNS_SHARE,
    TREND_3M, bought_after, features_at,
};

/// The outcome of the behavioural stage.
pub struct Behaviour {
    /// customer_id, churn_probability, churn_risk, revenue_at_risk, churn_driver_1..3 for the
    /// customers active at `as_of`.
    pub scores: DataFrame,
    pub report: ChurnReport,
}

/// Train, judge out of time and score at `as_of`. `table` is kam's per-customer table
/// (attributes, and `revenue_if_stays` / `revenue_last_12m` for the revenue at risk).
pub fn run(
    tx: &DataFrame,
    table: &DataFrame,
    as_of: NaiveDate,
    p: &ChurnValid,
    seed: u64,
) -> Result<Behaviour> {
    run_with(tx, table, as_of, p, seed, &[])
}

/// [`run`] with point-in-time features from other sources (satisfaction, products) added to
/// every cutoff's rows.
pub fn run_with(
    tx: &DataFrame,
    table: &DataFrame,
    as_of: NaiveDate,
    p: &ChurnValid,
    seed: u64,
    extra: &[&dyn PointInTime],
) -> Result<Behaviour> {
    let cutoffs = cutoffs(tx, as_of, p)?;
    let ex = examples(tx, table, &cutoffs, p, extra)?;
    let mut rows = Rows::of(&ex.sets, cutoffs.len());
    let eval = cutoffs[cutoffs.len() - 2].0;
    both_classes(&ex.labels(&rows.train), &ex.labels(&rows.evaluate), eval)?;
    // above max_training_rows, the models train on a sample (stratified by cutoff and label)
    let available = rows.labelled.len();
    rows.train = ex.sample(&rows.train, p.max_training_rows, seed);
    rows.labelled = ex.sample(&rows.labelled, p.max_training_rows, seed);
    let (y_train, y_eval) = (ex.labels(&rows.train), ex.labels(&rows.evaluate));

    // each candidate fitted on the training cutoffs and judged on the evaluation cutoff
    // (independent seeded fits, on both cores: the logistic fit is single-threaded)
    let kinds = p.model.kinds();
    let (train, test) = (&rows.train, &rows.evaluate);
    let preds = crate::par::map_tasks(kinds.len(), |i| {
        fit::predict_held_out(kinds[i], &ex.raw, train, &y_train, test, p, seed)
    })?;
    let aucs: Vec<f64> = preds.iter().map(|pr| roc_auc(&y_eval, pr)).collect();
    let best = report::best_of(&aucs);

    // the best refitted on every labelled cutoff, scored at as_of
    let y_labelled = ex.labels(&rows.labelled);
    let scored = fit::refit_and_score(
        kinds[best],
        &ex.raw,
        &rows.labelled,
        &y_labelled,
        Some(&rows.score),
        p,
        seed,
    )?;
    let scores = score_table(&ex.stacked, &rows.score, &scored, p, table)?;
    let candidates = kinds
        .iter()
        .zip(&aucs)
        .map(|(k, a)| Candidate {
            model: k.name(),
            auc: *a,
            auc_folds: vec![*a],
        })
        .collect();
    let metrics = metrics::evaluate(&y_eval, &preds[best], p.risk_cuts[1]);
    let chosen_by = fit::chosen_by(&kinds, "out-of-time AUC");
    let mut report = scored.report("behavioural", chosen_by, candidates, metrics, p, seed);
    if let Some(x) = report.scoring.as_mut() {
        x.active_days = Some(p.active_days);
    }
    report.cutoffs = ex.cutoffs;
    report.training_sample = (rows.labelled.len() < available).then_some(TrainingSample {
        rows_available: available,
        rows_used: rows.labelled.len(),
        seed,
        stratified_by: "cutoff and label",
    });
    Ok(Behaviour { scores, report })
}

/// The cutoffs with their roles, oldest first: `train` every `horizon_days` back from the
/// evaluation cutoff (`as_of - horizon_days`) while after the first transaction, then
/// `evaluate`, then `score` (as_of). An error when the history is too short for one of each.
fn cutoffs(
    tx: &DataFrame,
    as_of: NaiveDate,
    p: &ChurnValid,
) -> Result<Vec<(NaiveDate, &'static str)>> {
    let h = i64::from(p.horizon_days);
    let eval = as_of - chrono::Duration::days(h);
    let first_day = tx
        .column(s::DATE)?
        .cast(&DataType::Int32)?
        .i32()?
        .min()
        .unwrap_or(i32::MAX);
    let mut cutoffs: Vec<(NaiveDate, &'static str)> = (1..=i64::from(p.training_cutoffs))
        .rev()
        .map(|k| (eval - chrono::Duration::days(k * h), "train"))
        .filter(|(c, _)| epoch_days(*c) > first_day)
        .collect();
    if cutoffs.is_empty() || epoch_days(eval) <= first_day {
        return Err(Error::Validation {
            table: "transactions".into(),
            msg: format!(
                "churn needs history before {}: with horizon_days = {h} the first training cutoff is {} but the first transaction is later",
                eval,
                eval - chrono::Duration::days(h)
            ),
        });
    }
    cutoffs.push((eval, "evaluate"));
    cutoffs.push((as_of, "score"));
    Ok(cutoffs)
}

/// Every cutoff's examples stacked, with the customer attributes as raw features.
struct Examples {
    /// The stacked feature rows (customer_id first).
    stacked: DataFrame,
    /// The cutoff (index into the cutoffs) of each row.
    sets: Vec<usize>,
    /// Whether each row churned after its cutoff (false at the scoring cutoff).
    y: Vec<bool>,
    /// The cutoffs as reported.
    cutoffs: Vec<Cutoff>,
    /// The model's raw features: [`NUMERIC`], then the attributes the table has.
    raw: Vec<Raw>,
}

impl Examples {
    /// The labels of `rows`.
    fn labels(&self, rows: &[usize]) -> Vec<bool> {
        rows.iter().map(|i| self.y[*i]).collect()
    }

    /// `rows`, or a seeded sample of about `max` of them stratified by cutoff and label.
    fn sample(&self, rows: &[usize], max: usize, seed: u64) -> Vec<usize> {
        let stratum: Vec<u64> = rows
            .iter()
            .map(|i| 2 * self.sets[*i] as u64 + u64::from(self.y[*i]))
            .collect();
        stratified(rows, &stratum, max, seed)
    }
}

/// The features at every cutoff, labelled by whether the customer bought in the horizon
/// after it (the scoring cutoff is not labelled), joined with the customer attributes. One
/// pass over the transactions computes every cutoff ([`history::at_cutoffs`]; equal to
/// [`features_at`] and [`bought_after`] cutoff by cutoff, tested).
fn examples(
    tx: &DataFrame,
    table: &DataFrame,
    cutoffs: &[(NaiveDate, &'static str)],
    p: &ChurnValid,
    extra: &[&dyn PointInTime],
) -> Result<Examples> {
    let mut frames = Vec::new();
    let mut sets: Vec<usize> = Vec::new();
    let mut y: Vec<bool> = Vec::new();
    let mut report_cutoffs = Vec::new();
    let which: Vec<(NaiveDate, bool)> = cutoffs.iter().map(|(c, r)| (*c, *r != "score")).collect();
    let at = history::at_cutoffs(tx, &which, p.active_days, p.horizon_days)?;
    for (k, ((c, role), a)) in cutoffs.iter().zip(at).enumerate() {
        let n = a.features.height();
        let churners = match a.churned {
            None => {
                y.extend(std::iter::repeat_n(false, n));
                None
            }
            Some(lab) => {
                let churned = lab.iter().filter(|v| **v).count();
                y.extend(lab);
                Some(churned)
            }
        };
        report_cutoffs.push(Cutoff {
            cutoff: c.to_string(),
            role,
            examples: n,
            churners,
        });
        sets.extend(std::iter::repeat_n(k, n));
        frames.push(with_extra(a.features.lazy(), extra, *c)?);
    }
    let stacked = concat(frames, UnionArgs::default())?.collect()?;
    let extra_names: Vec<&str> = extra.iter().flat_map(|x| x.names()).collect();
    let (stacked, raw) = with_attributes(stacked, table, &extra_names)?;
    Ok(Examples {
        stacked,
        sets,
        y,
        cutoffs: report_cutoffs,
        raw,
    })
}

/// The stacked rows by role: training cutoffs, the evaluation cutoff, every labelled cutoff
/// (training and evaluation), and the scoring cutoff.
struct Rows {
    train: Vec<usize>,
    evaluate: Vec<usize>,
    labelled: Vec<usize>,
    score: Vec<usize>,
}

impl Rows {
    /// `sets[i]` is the cutoff of row i; the last two of `n_sets` cutoffs evaluate and score.
    fn of(sets: &[usize], n_sets: usize) -> Rows {
        let rows_of = |pred: &dyn Fn(usize) -> bool| -> Vec<usize> {
            (0..sets.len()).filter(|i| pred(sets[*i])).collect()
        };
        Rows {
            train: rows_of(&|k| k + 2 < n_sets),
            evaluate: rows_of(&|k| k + 2 == n_sets),
            labelled: rows_of(&|k| k + 1 < n_sets),
            score: rows_of(&|k| k + 1 == n_sets),
        }
    }
}

/// Both the training and the evaluation examples must hold churners and non-churners.
fn both_classes(y_train: &[bool], y_eval: &[bool], eval: NaiveDate) -> Result<()> {
    let classes = |v: &[bool]| v.iter().any(|x| *x) && v.iter().any(|x| !*x);
    if classes(y_train) && classes(y_eval) {
        return Ok(());
    }
    Err(Error::Validation {
        table: "transactions".into(),
        msg: format!(
            "churn needs churners and non-churners at the training cutoffs and at {eval}: found {} churners of {} training examples and {} of {}",
            y_train.iter().filter(|v| **v).count(),
            y_train.len(),
            y_eval.iter().filter(|v| **v).count(),
            y_eval.len()
        ),
    })
}

/// The scores table of the customers active at `as_of` (rows `score` of `stacked`).
fn score_table(
    stacked: &DataFrame,
    score: &[usize],
    scored: &Scored,
    p: &ChurnValid,
    table: &DataFrame,
) -> Result<DataFrame> {
    let ids = stacked
        .column(s::CUSTOMER_ID)?
        .take_slice(&score.iter().map(|i| *i as IdxSize).collect::<Vec<_>>())?;
    let mut cols = vec![
        ids,
        Column::new(CHURN_PROBABILITY.into(), scored.prob.clone()),
    ];
    cols.extend(scored.risk_and_driver_columns(p));
    let scores = DataFrame::new(score.len(), cols)?;
    add_revenue_at_risk(scores, table)
}

/// revenue_at_risk = churn_probability x revenue_if_stays, the revenue of the next 12 months
/// if the customer stays (the value stage's column; the last 12 months' revenue, >= 0, where
/// the table has none). A customer likely gone carries most of it, not least.
pub(super) fn add_revenue_at_risk(scores: DataFrame, table: &DataFrame) -> Result<DataFrame> {
    let run_rate = col(s::REVENUE_LAST_12M).clip_min(lit(0.0));
    let mut sel = vec![col(s::CUSTOMER_ID), col(s::REVENUE_LAST_12M)];
    let if_stays = if frame::has(table, REVENUE_IF_STAYS) {
        sel.push(col(REVENUE_IF_STAYS));
        col(REVENUE_IF_STAYS).fill_null(run_rate)
    } else {
        run_rate
    };
    Ok(scores
        .lazy()
        .join(
            table.clone().lazy().select(sel),
            [col(s::CUSTOMER_ID)],
            [col(s::CUSTOMER_ID)],
            JoinArgs::new(JoinType::Left),
        )
        .with_column((col(CHURN_PROBABILITY) * if_stays).alias(REVENUE_AT_RISK))
        .select([
            col(s::CUSTOMER_ID),
            col(CHURN_PROBABILITY),
            col(CHURN_RISK),
            col(REVENUE_AT_RISK),
            col(CHURN_DRIVERS[0]),
            col(CHURN_DRIVERS[1]),
            col(CHURN_DRIVERS[2]),
        ])
        .collect()?)
}

#[cfg(test)]
#[path = "behaviour_tests.rs"]
mod tests;
