//! Behavioural churn from transactions, the default in `kam run`.
//!
//! A customer is *active* at a cutoff when it bought within `active_days` before it, and
//! *churns* when it then buys nothing in the `horizon_days` after it. The latest complete
//! cutoff is `as_of - horizon_days` (its outcome is fully observed by `as_of`); it is kept out
//! of training and judges the models out of time. Training cutoffs step back from it by the
//! horizon. The chosen model is refitted on every labelled cutoff and applied at `as_of`.
//!
//! Features at a cutoff use only transactions dated on or before it ([`features_at`]; tested):
//! the customer features of `kam run` ([`crate::features::per_customer`]) plus the 3-month
//! trend, the change of order size and the returns share, and the customer's attributes.

use std::collections::HashSet;

use chrono::NaiveDate;
use polars::prelude::*;

use super::design::{Encoder, Raw};
use super::metrics::{self, roc_auc};
use super::models::{self, Kind};
use super::report::{self, Candidate, ChurnReport, Cutoff};
use super::{CHURN_DRIVERS, CHURN_PROBABILITY, CHURN_RISK, ChurnValid, REVENUE_AT_RISK};
use crate::error::{Error, Result};
use crate::features::{self, FIXED_SCALE, TxColumns};
use crate::schema as s;
use crate::schema::EXPECTED_REVENUE_12M;
use crate::schema::TimeUnit;

/// Features computed at each cutoff on top of the customer features.
pub const TREND_3M: &str = "trend_3m";
pub const ORDER_SIZE_CHANGE: &str = "order_size_change";
pub const RETURNS_SHARE: &str = "returns_share";
pub const PURCHASES_90D: &str = "purchases_90d";

/// Numeric behaviour features, in model order.
pub const NUMERIC: [&str; 11] = [
    s::RECENCY_DAYS,
    s::FREQUENCY,
    s::MONETARY_VALUE,
    s::TENURE_DAYS,
    s::LARGEST_ORDER,
    s::REVENUE_LAST_12M,
    s::TREND_12M,
    TREND_3M,
    ORDER_SIZE_CHANGE,
    RETURNS_SHARE,
    PURCHASES_90D,
];
/// Customer attributes used when the customer table has them.
pub const ATTR_CATEGORICAL: [&str; 4] = [
    s::CUSTOMER_TYPE,
    s::CREDIT_GRADE,
    s::PAYMENT_TERMS,
    s::DISTRICT,
];
pub const ATTR_NUMERIC: [&str; 3] = [s::CREDIT_DAYS, s::POTENTIAL_VOLUME, s::VEHICLES];

fn epoch(d: NaiveDate) -> i32 {
    (d - NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or(d)).num_days() as i32
}

fn in_window(from: i32, to: i32) -> Expr {
    // (from, to] in epoch days
    let d = col(s::DATE).cast(DataType::Int32);
    d.clone().gt(lit(from)).and(d.lt_eq(lit(to)))
}

/// (a - b) / (a + b): -1 (all before) .. +1 (all recent); 0 when both are zero.
fn sym_change(a: Expr, b: Expr) -> Expr {
    when((a.clone() + b.clone()).gt(lit(0.0)))
        .then((a.clone() - b.clone()) / (a + b))
        .otherwise(lit(0.0))
}

/// One row per customer active at `cutoff`, with the behaviour features; only transactions
/// dated on or before `cutoff` are read.
pub fn features_at(tx: &DataFrame, cutoff: NaiveDate, active_days: u32) -> Result<DataFrame> {
    let c = epoch(cutoff);
    let past = tx.clone().lazy().filter(col(s::DATE).lt_eq(lit(cutoff)));
    let base = features::per_customer(past.clone(), TxColumns::of(tx), cutoff, TimeUnit::Days)
        .filter(col(s::RECENCY_DAYS).is_not_null())
        .filter(
            col(s::LAST_PURCHASE)
                .cast(DataType::Int32)
                .gt(lit(c - active_days as i32)),
        )
        .with_columns([
            // days since the first purchase, and last 12 months against the 12 before
            (lit(c) - col(s::FIRST_PURCHASE).cast(DataType::Int32))
                .cast(DataType::Float64)
                .alias(s::TENURE_DAYS),
            when(col(s::REVENUE_PREV_12M).gt(lit(0.0)))
                .then(
                    (col(s::REVENUE_LAST_12M).fill_null(lit(0.0)) - col(s::REVENUE_PREV_12M))
                        / col(s::REVENUE_PREV_12M),
                )
                .otherwise(lit(NULL).cast(DataType::Float64))
                .alias(s::TREND_12M),
        ]);
    // Sums in fixed point (Int64 of 1/FIXED_SCALE units, as in `features`): integer addition
    // does not depend on row order, so CSV and Parquet inputs give identical scores.
    let amount = (col(s::AMOUNT) * lit(FIXED_SCALE))
        .round(0, RoundMode::HalfAwayFromZero)
        .cast(DataType::Int64);
    let buy = col(s::AMOUNT).gt_eq(lit(0.0));
    let unfixed = |e: Expr| e.cast(DataType::Float64) / lit(FIXED_SCALE);
    let sum_if = |cond: Expr| unfixed(when(cond).then(amount.clone()).otherwise(lit(0i64)).sum());
    let mean_if = |cond: Expr| {
        let n = cond.clone().cast(DataType::Int64).sum();
        let total = when(cond).then(amount.clone()).otherwise(lit(0i64)).sum();
        when(n.clone().gt(lit(0i64)))
            .then(unfixed(total) / n.cast(DataType::Float64))
            .otherwise(lit(NULL).cast(DataType::Float64))
    };
    let extra = past
        .group_by([col(s::CUSTOMER_ID)])
        .agg([
            sum_if(buy.clone().and(in_window(c - 91, c))).alias("__r3"),
            sum_if(buy.clone().and(in_window(c - 182, c - 91))).alias("__p3"),
            mean_if(buy.clone().and(in_window(c - 182, c))).alias("__a6"),
            mean_if(buy.clone().and(in_window(c - 365, c - 182))).alias("__b6"),
            sum_if(buy.clone().and(in_window(c - 365, c))).alias("__bought"),
            sum_if(buy.clone().not().and(in_window(c - 365, c))).alias("__returned"),
            buy.clone()
                .and(in_window(c - 91, c))
                .cast(DataType::Float64)
                .sum()
                .alias(PURCHASES_90D),
        ])
        .select([
            col(s::CUSTOMER_ID),
            sym_change(col("__r3"), col("__p3")).alias(TREND_3M),
            // null when either half-year has no purchase: imputed by the encoder
            sym_change(col("__a6"), col("__b6")).alias(ORDER_SIZE_CHANGE),
            when(col("__bought").gt(lit(0.0)))
                .then(-col("__returned") / col("__bought"))
                .otherwise(lit(0.0))
                .alias(RETURNS_SHARE),
            col(PURCHASES_90D),
        ]);
    let mut sel: Vec<Expr> = vec![col(s::CUSTOMER_ID)];
    sel.extend(NUMERIC.iter().map(|c| col(*c).cast(DataType::Float64)));
    Ok(base
        .join(
            extra,
            [col(s::CUSTOMER_ID)],
            [col(s::CUSTOMER_ID)],
            JoinArgs::new(JoinType::Left),
        )
        .select(sel)
        .sort([s::CUSTOMER_ID], SortMultipleOptions::default())
        .collect()?)
}

/// Customers with a purchase in (cutoff, cutoff + horizon].
pub fn bought_after(
    tx: &DataFrame,
    cutoff: NaiveDate,
    horizon_days: u32,
) -> Result<HashSet<String>> {
    let c = epoch(cutoff);
    let df = tx
        .clone()
        .lazy()
        .filter(
            col(s::AMOUNT)
                .gt_eq(lit(0.0))
                .and(in_window(c, c + horizon_days as i32)),
        )
        .select([col(s::CUSTOMER_ID)])
        .unique(None, UniqueKeepStrategy::Any)
        .collect()?;
    Ok(df
        .column(s::CUSTOMER_ID)?
        .str()?
        .iter()
        .flatten()
        .map(String::from)
        .collect())
}

/// The outcome of the behavioural stage.
pub struct Behaviour {
    /// customer_id, churn_probability, churn_risk, revenue_at_risk, churn_driver_1..3 for the
    /// customers active at `as_of`.
    pub scores: DataFrame,
    pub report: ChurnReport,
}

/// Train, judge out of time and score at `as_of`. `table` is kam's per-customer table
/// (attributes, and `expected_revenue_12m` / `revenue_last_12m` for the revenue at risk).
pub fn run(
    tx: &DataFrame,
    table: &DataFrame,
    as_of: NaiveDate,
    p: &ChurnValid,
    seed: u64,
) -> Result<Behaviour> {
    let h = i64::from(p.horizon_days);
    let eval = as_of - chrono::Duration::days(h);
    let first_day = tx
        .column(s::DATE)?
        .cast(&DataType::Int32)?
        .i32()?
        .min()
        .unwrap_or(i32::MAX);
    // (cutoff, role); training cutoffs oldest first
    let mut cutoffs: Vec<(NaiveDate, &'static str)> = (1..=i64::from(p.training_cutoffs))
        .rev()
        .map(|k| (eval - chrono::Duration::days(k * h), "train"))
        .filter(|(c, _)| epoch(*c) > first_day)
        .collect();
    if cutoffs.is_empty() || epoch(eval) <= first_day {
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

    // every cutoff's examples stacked, with the set they belong to and their outcome
    let mut frames = Vec::new();
    let mut sets: Vec<usize> = Vec::new();
    let mut y: Vec<bool> = Vec::new();
    let mut report_cutoffs = Vec::new();
    for (k, (c, role)) in cutoffs.iter().enumerate() {
        let f = features_at(tx, *c, p.active_days)?;
        let ids: Vec<String> = f
            .column(s::CUSTOMER_ID)?
            .str()?
            .iter()
            .map(|v| v.unwrap_or_default().to_string())
            .collect();
        let churners = if *role == "score" {
            y.extend(std::iter::repeat_n(false, ids.len()));
            None
        } else {
            let bought = bought_after(tx, *c, p.horizon_days)?;
            let lab: Vec<bool> = ids.iter().map(|i| !bought.contains(i)).collect();
            let n = lab.iter().filter(|v| **v).count();
            y.extend(lab);
            Some(n)
        };
        report_cutoffs.push(Cutoff {
            cutoff: c.to_string(),
            role,
            examples: ids.len(),
            churners,
        });
        sets.extend(std::iter::repeat_n(k, f.height()));
        frames.push(f.lazy());
    }
    let stacked = concat(frames, UnionArgs::default())?.collect()?;
    // attributes by customer id
    let attrs: Vec<&str> = ATTR_CATEGORICAL
        .iter()
        .chain(ATTR_NUMERIC.iter())
        .copied()
        .filter(|c| table.get_column_names().iter().any(|n| n.as_str() == *c))
        .collect();
    let mut attr_sel = vec![col(s::CUSTOMER_ID)];
    attr_sel.extend(attrs.iter().map(|c| col(*c)));
    let stacked = stacked
        .lazy()
        .join(
            table.clone().lazy().select(attr_sel),
            [col(s::CUSTOMER_ID)],
            [col(s::CUSTOMER_ID)],
            JoinArgs::new(JoinType::Left).with_coalesce(JoinCoalesce::CoalesceColumns),
        )
        .collect()?;
    let mut raw = Vec::new();
    for c in NUMERIC {
        raw.push(Raw::numeric(&stacked, c, c)?);
    }
    for c in &attrs {
        if ATTR_NUMERIC.contains(c) {
            raw.push(Raw::numeric(&stacked, c, c)?);
        } else {
            raw.push(Raw::categorical(&stacked, c, c)?);
        }
    }
    let n_sets = cutoffs.len();
    let rows_of = |pred: &dyn Fn(usize) -> bool| -> Vec<usize> {
        (0..sets.len()).filter(|i| pred(sets[*i])).collect()
    };
    let train = rows_of(&|k| k + 2 < n_sets);
    let evaluate = rows_of(&|k| k + 2 == n_sets);
    let labelled = rows_of(&|k| k + 1 < n_sets);
    let score = rows_of(&|k| k + 1 == n_sets);
    let ys = |rows: &[usize]| -> Vec<bool> { rows.iter().map(|i| y[*i]).collect() };
    let (y_train, y_eval) = (ys(&train), ys(&evaluate));
    let classes = |v: &[bool]| v.iter().any(|x| *x) && v.iter().any(|x| !*x);
    if !classes(&y_train) || !classes(&y_eval) {
        return Err(Error::Validation {
            table: "transactions".into(),
            msg: format!(
                "churn needs churners and non-churners at the training cutoffs and at {eval}: found {} churners of {} training examples and {} of {}",
                y_train.iter().filter(|v| **v).count(),
                y_train.len(),
                y_eval.iter().filter(|v| **v).count(),
                y_eval.len()
            ),
        });
    }

    let kinds: Vec<Kind> = p.model.kinds();
    let mut preds = Vec::new();
    for kind in &kinds {
        let enc = Encoder::fit(&raw, &train, p.encode(*kind));
        let (xtr, xev) = (enc.transform(&raw, &train), enc.transform(&raw, &evaluate));
        let m = models::fit(*kind, &xtr, &y_train, &p.models, seed)?;
        preds.push(m.predict(&xev)?);
    }
    let aucs: Vec<f64> = preds.iter().map(|pr| roc_auc(&y_eval, pr)).collect();
    let best = report::best_of(&aucs);
    let kind = kinds[best];

    // refit on every labelled cutoff, score at as_of
    let enc = Encoder::fit(&raw, &labelled, p.encode(kind));
    let model = models::fit(
        kind,
        &enc.transform(&raw, &labelled),
        &ys(&labelled),
        &p.models,
        seed,
    )?;
    let xs = enc.transform(&raw, &score);
    let prob = model.predict(&xs)?;
    let contrib = model.contributions(&xs, &enc.column_means)?;
    let drivers = report::drivers(&contrib, &enc, &raw, &score, 3);
    let (intercept, weights) = model.weights(&enc.columns);

    let ids = stacked
        .column(s::CUSTOMER_ID)?
        .take_slice(&score.iter().map(|i| *i as IdxSize).collect::<Vec<_>>())?;
    let mut cols = vec![ids, Column::new(CHURN_PROBABILITY.into(), prob.clone())];
    cols.extend(report::risk_and_driver_columns(
        &prob,
        p.risk_cuts,
        &drivers,
    ));
    let scores = DataFrame::new(score.len(), cols)?;
    let scores = add_revenue_at_risk(scores, table)?;

    let report = ChurnReport {
        mode: "behavioural",
        model: kind.name(),
        chosen_by: if kinds.len() > 1 {
            "out-of-time AUC"
        } else {
            "config"
        },
        candidates: kinds
            .iter()
            .zip(&aucs)
            .map(|(k, a)| Candidate {
                model: k.name(),
                auc: *a,
                auc_folds: vec![*a],
            })
            .collect(),
        auc_mean: None,
        auc_folds: None,
        cv_rows: None,
        metrics: metrics::evaluate(&y_eval, &preds[best], p.risk_cuts[1]),
        cutoffs: report_cutoffs,
        features: enc.specs.clone(),
        dropped_columns: vec![],
        intercept,
        coefficients_or_importances: weights,
        drivers_overall: report::overall(&contrib, &enc, score.len()),
        risk_cuts: p.risk_cuts,
        drivers_method: kind.drivers_method(),
        examples_used: labelled.len(),
        seed,
    };
    Ok(Behaviour { scores, report })
}

/// revenue_at_risk = churn_probability x expected revenue of the next 12 months: the value
/// model's `expected_revenue_12m` where present, else the last 12 months' revenue (>= 0).
fn add_revenue_at_risk(scores: DataFrame, table: &DataFrame) -> Result<DataFrame> {
    let has = |c: &str| table.get_column_names().iter().any(|n| n.as_str() == c);
    let expected = if has(EXPECTED_REVENUE_12M) {
        col(EXPECTED_REVENUE_12M).fill_null(col(s::REVENUE_LAST_12M).clip_min(lit(0.0)))
    } else {
        col(s::REVENUE_LAST_12M).clip_min(lit(0.0))
    };
    let mut sel = vec![col(s::CUSTOMER_ID), col(s::REVENUE_LAST_12M)];
    if has(EXPECTED_REVENUE_12M) {
        sel.push(col(EXPECTED_REVENUE_12M));
    }
    Ok(scores
        .lazy()
        .join(
            table.clone().lazy().select(sel),
            [col(s::CUSTOMER_ID)],
            [col(s::CUSTOMER_ID)],
            JoinArgs::new(JoinType::Left),
        )
        .with_column((col(CHURN_PROBABILITY) * expected).alias(REVENUE_AT_RISK))
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
