//! What a churn run reports: `models/churn.json` ([`ChurnReport`]), the risk label of a
//! probability and the top drivers of each customer's score.

use serde::Serialize;

use super::design::{Encoder, Raw, Spec};
use super::metrics::Metrics;

/// One candidate model and how it scored out of time or across folds.
#[derive(Debug, Clone, Serialize)]
pub struct Candidate {
    pub model: &'static str,
    pub auc: f64,
    /// Per fold (labelled mode) or the single out-of-time value (behavioural).
    pub auc_folds: Vec<f64>,
}

/// One cutoff of the behavioural mode.
#[derive(Debug, Clone, Serialize)]
pub struct Cutoff {
    pub cutoff: String,
    /// `train`, `evaluate` (out of time) or `score` (as_of).
    pub role: &'static str,
    pub examples: usize,
    pub churners: Option<usize>,
}

/// A column left out of the model and why.
#[derive(Debug, Clone, Serialize)]
pub struct Dropped {
    pub column: String,
    pub reason: String,
}

/// (name, value) for coefficients, importances and overall drivers.
#[derive(Debug, Clone, Serialize)]
pub struct Weight {
    pub name: String,
    pub value: f64,
}

/// `models/churn.json`.
#[derive(Debug, Clone, Serialize)]
pub struct ChurnReport {
    /// `behavioural` or `labelled`.
    pub mode: &'static str,
    /// The model that scored the customers: `logistic` or `trees`.
    pub model: &'static str,
    /// Why that model: `out-of-time AUC`, `cross-validated AUC` or `config`.
    pub chosen_by: &'static str,
    pub candidates: Vec<Candidate>,
    /// Cross-validated mean AUC of the chosen model (labelled mode).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auc_mean: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auc_folds: Option<Vec<f64>>,
    /// Out-of-time (behavioural) or out-of-fold (labelled) metrics of the chosen model.
    pub metrics: Metrics,
    /// Labelled mode: rows that took part in cross-validation (all, or a stratified sample of
    /// `cv_max_rows`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cv_rows: Option<usize>,
    pub cutoffs: Vec<Cutoff>,
    /// Raw features and how each is encoded.
    pub features: Vec<Spec>,
    pub dropped_columns: Vec<Dropped>,
    /// Logistic model: intercept in log-odds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub intercept: Option<f64>,
    /// Logistic: coefficient per encoded column (standardised units); trees: share of total
    /// split gain per encoded column.
    pub coefficients_or_importances: Vec<Weight>,
    /// Mean absolute contribution (log-odds) of each raw feature over the scored customers.
    pub drivers_overall: Vec<Weight>,
    pub risk_cuts: [f64; 2],
    pub drivers_method: &'static str,
    pub examples_used: usize,
    /// The final model's training sample, when the examples exceeded `max_training_rows`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub training_sample: Option<super::sample::TrainingSample>,
    pub seed: u64,
    /// The fitted model as data, for scorers outside kam ([`super::export`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scoring: Option<super::export::Scoring>,
}

/// `low`, `medium` or `high` for a probability and the cut points [medium, high].
pub fn risk_label(p: f64, cuts: [f64; 2]) -> &'static str {
    if p >= cuts[1] {
        "high"
    } else if p >= cuts[0] {
        "medium"
    } else {
        "low"
    }
}

/// `churn_risk` and `churn_driver_1..3` columns for scored rows.
pub fn risk_and_driver_columns(
    prob: &[f64],
    cuts: [f64; 2],
    drivers: &[Vec<Driver>],
) -> Vec<polars::prelude::Column> {
    use polars::prelude::Column;
    let mut cols = vec![Column::new(
        super::CHURN_RISK.into(),
        prob.iter()
            .map(|v| risk_label(*v, cuts))
            .collect::<Vec<_>>(),
    )];
    for (k, name) in super::CHURN_DRIVERS.iter().enumerate() {
        cols.push(Column::new(
            (*name).into(),
            drivers
                .iter()
                .map(|d| d.get(k).map(|d| d.label()))
                .collect::<Vec<_>>(),
        ));
    }
    cols
}

/// The index of the best AUC; a tie goes to the earlier (simpler) model.
pub fn best_of(aucs: &[f64]) -> usize {
    (0..aucs.len())
        .reduce(|a, b| if aucs[b] > aucs[a] { b } else { a })
        .unwrap_or(0)
}

/// One driver of one customer's score: raw feature, its value, log-odds contribution.
#[derive(Debug, Clone, PartialEq)]
pub struct Driver {
    pub feature: String,
    pub value: String,
    pub contribution: f64,
}

impl Driver {
    /// `recency_days = 412 (+1.21)`: the contribution is in log-odds of churning.
    pub fn label(&self) -> String {
        format!(
            "{} = {} ({:+.2})",
            self.feature, self.value, self.contribution
        )
    }
}

/// Per row of `contrib` (row-major, encoded columns), the raw features that push the churn
/// score up the most, at most `top` of them, largest first (ties by feature order). A feature
/// that lowers the score is never a driver. `rows[i]` is the raw row of contribution row i.
pub fn drivers(
    contrib: &[f64],
    enc: &Encoder,
    raw: &[Raw],
    rows: &[usize],
    top: usize,
) -> Vec<Vec<Driver>> {
    let p = enc.columns.len();
    let nf = enc.specs.len();
    let at: Vec<(usize, usize)> = rows.iter().copied().enumerate().collect();
    crate::par::map_slice(&at, 4096, |&(k, r)| {
        let mut per = vec![0.0; nf];
        for j in 0..p {
            per[enc.feature_of[j]] += contrib[k * p + j];
        }
        let mut order: Vec<usize> = (0..nf).filter(|f| per[*f] > 1e-9).collect();
        order.sort_by(|a, b| per[*b].total_cmp(&per[*a]).then(a.cmp(b)));
        order
            .into_iter()
            .take(top)
            .map(|f| Driver {
                feature: raw[f].name().to_string(),
                value: raw[f].display(r),
                contribution: per[f],
            })
            .collect()
    })
}

/// Mean absolute contribution per raw feature, largest first.
pub fn overall(contrib: &[f64], enc: &Encoder, n: usize) -> Vec<Weight> {
    let p = enc.columns.len();
    let nf = enc.specs.len();
    let mut acc = vec![0.0; nf];
    for k in 0..n {
        let mut per = vec![0.0; nf];
        for j in 0..p {
            per[enc.feature_of[j]] += contrib[k * p + j];
        }
        for f in 0..nf {
            acc[f] += per[f].abs();
        }
    }
    let names = enc.feature_names();
    let mut out: Vec<Weight> = names
        .into_iter()
        .zip(acc)
        .map(|(name, v)| Weight {
            name,
            value: if n > 0 { v / n as f64 } else { 0.0 },
        })
        .collect();
    out.sort_by(|a, b| b.value.total_cmp(&a.value).then(a.name.cmp(&b.name)));
    out
}

#[cfg(test)]
mod tests {
    use super::super::design::{EncodeParams, Encoder, Raw};
    use super::*;
    use polars::prelude::*;

    #[test]
    fn risk_labels_at_the_cuts() {
        assert_eq!(risk_label(0.29, [0.3, 0.6]), "low");
        assert_eq!(risk_label(0.3, [0.3, 0.6]), "medium");
        assert_eq!(risk_label(0.6, [0.3, 0.6]), "high");
    }

    #[test]
    fn drivers_add_up_per_raw_feature_and_skip_negative_ones() -> crate::error::Result<()> {
        let df = df!("x" => [1.0, 2.0], "t" => ["a", "b"])?;
        let raw = vec![
            Raw::numeric(&df, "x", "x")?,
            Raw::categorical(&df, "t", "t")?,
        ];
        let enc = Encoder::fit(
            &raw,
            &[0, 1],
            EncodeParams {
                min_level_count: 1,
                max_levels: 9,
                codes: false,
            },
        );
        assert_eq!(enc.columns, ["x", "t=a", "t=b"]);
        // row 0: x +0.5, t 0.2 + 0.3 = 0.5 (tie: x first); row 1: x -1, t +0.1
        let c = [0.5, 0.2, 0.3, -1.0, 0.0, 0.1];
        let d = drivers(&c, &enc, &raw, &[0, 1], 3);
        assert_eq!(d[0].len(), 2);
        assert_eq!(d[0][0].feature, "x");
        assert_eq!(d[0][1].label(), "t = a (+0.50)");
        assert_eq!(d[1].len(), 1);
        assert_eq!(d[1][0].label(), "t = b (+0.10)");
        Ok(())
    }
}
