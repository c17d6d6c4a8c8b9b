//! The two churn models behind one fitted type. Logistic: L2-regularised logistic regression,
//! a linfa model fitted as linfa-logistic fits it, to the bit, with faster products
//! ([`super::logistic`]; loss = sum of log-losses + alpha/2 |w|^2, so alpha = 1 is
//! scikit-learn's default C = 1). Trees: gradient-boosted trees from forust-ml (pure Rust,
//! XGBoost-style histogram boosting on log-loss, Shapley/Saabas contributions built in).
//!
//! Per-customer contributions, in log-odds, one per encoded column:
//! - logistic: w_j * (x_ij - mean_j), the change against a customer with the training
//!   averages;
//! - trees: forust's `Average` method (XGBoost's `approx_contribs`, Saabas 2014): along the
//!   customer's path in each tree, the change of the expected value at each split goes to the
//!   split's feature; per customer they add up, with the bias, to the model's log-odds.

use forust_ml::gradientbooster::{ContributionsMethod, GradientBooster, ImportanceMethod};
use forust_ml::objective::ObjectiveType;
use linfa::prelude::*;
use serde::{Deserialize, Serialize};

use super::design::Matrix;
use super::logistic::{FittedLogistic, LogisticParams};
use super::report::Weight;
use crate::error::{Error, Result};

/// Which model to use; `Auto` picks the better out-of-time (or cross-validated) AUC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum ModelChoice {
    /// The better AUC of the two.
    Auto,
    /// L2-penalised logistic regression.
    Logistic,
    /// Gradient-boosted trees.
    Trees,
}

impl ModelChoice {
    /// The candidate models, simplest first.
    pub fn kinds(self) -> Vec<Kind> {
        match self {
            ModelChoice::Auto => vec![Kind::Logistic, Kind::Trees],
            ModelChoice::Logistic => vec![Kind::Logistic],
            ModelChoice::Trees => vec![Kind::Trees],
        }
    }
}

/// The kinds that can be fitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Logistic,
    Trees,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Logistic => "logistic",
            Kind::Trees => "trees",
        }
    }

    /// How this model's per-customer drivers are computed (written to `churn.json`).
    pub fn drivers_method(self) -> &'static str {
        match self {
            Kind::Logistic => {
                "coefficient x (value - training mean), in log-odds, summed per raw feature"
            }
            Kind::Trees => {
                "Saabas path attribution (XGBoost approx_contribs) in log-odds, summed per raw feature"
            }
        }
    }
}

/// Model settings (checked in `ChurnParams::check`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ModelParams {
    /// L2 penalty of the logistic model (alpha; 1.0 = scikit-learn's C = 1).
    pub l2: f64,
    /// Boosting rounds of the tree model.
    pub trees: usize,
    /// Learning rate of the tree model.
    pub learning_rate: f64,
    /// Depth of each tree.
    pub max_depth: usize,
    /// Histogram bins per feature.
    pub bins: u16,
}

impl Default for ModelParams {
    fn default() -> Self {
        ModelParams {
            l2: 1.0,
            trees: 100,
            learning_rate: 0.1,
            max_depth: 5,
            bins: 255,
        }
    }
}

impl ModelParams {
    pub fn check(&self) -> std::result::Result<(), String> {
        if !(self.l2.is_finite() && self.l2 >= 0.0) {
            return Err(format!("l2 = {} must be a number >= 0", self.l2));
        }
        if self.trees == 0 || self.trees > 10_000 {
            return Err(format!(
                "trees = {} must be between 1 and 10000",
                self.trees
            ));
        }
        if !(self.learning_rate > 0.0 && self.learning_rate <= 1.0) {
            return Err(format!(
                "learning_rate = {} must be in (0, 1]",
                self.learning_rate
            ));
        }
        if self.max_depth == 0 || self.max_depth > 16 {
            return Err(format!(
                "max_depth = {} must be between 1 and 16",
                self.max_depth
            ));
        }
        if self.bins < 2 {
            return Err(format!("bins = {} must be at least 2", self.bins));
        }
        Ok(())
    }
}

/// A fitted churn model.
pub enum Fitted {
    Logistic(Logistic),
    Trees(Box<GradientBooster>),
}

/// A fitted logistic model in the log-odds of churning.
pub type Logistic = FittedLogistic;

/// Rows per block of the trees' predictions.
const PREDICT_BLOCK: usize = 8192;

fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

/// Fit `kind` on the matrix `x` and outcomes `y` (true = churned).
pub fn fit(kind: Kind, x: &Matrix, y: &[bool], p: &ModelParams, seed: u64) -> Result<Fitted> {
    match kind {
        Kind::Logistic => {
            let ds = DatasetBase::new(x.view()?, ndarray::Array1::from(y.to_vec()));
            let m = LogisticParams {
                alpha: p.l2,
                max_iterations: 300,
                // the loss is a sum over rows: stop when the mean gradient is below 1e-6
                gradient_tolerance: 1e-6 * y.len().max(1) as f64,
            }
            .fit(&ds)?;
            Ok(Fitted::Logistic(m))
        }
        Kind::Trees => {
            let yf: Vec<f64> = y.iter().map(|v| f64::from(u8::from(*v))).collect();
            let w = vec![1.0; y.len()];
            let mut m = GradientBooster::default()
                .set_objective_type(ObjectiveType::LogLoss)
                .set_iterations(p.trees)
                .set_learning_rate(p.learning_rate as f32)
                .set_max_depth(p.max_depth)
                .set_nbins(p.bins)
                .set_l2(1.0)
                .set_min_leaf_weight(1.0)
                .set_initialize_base_score(true)
                .set_parallel(true)
                .set_seed(seed);
            let fm = forust_ml::Matrix::new(&x.data, x.rows, x.cols);
            m.fit(&fm, &yf, &w, None)
                .map_err(|e| Error::Internal(format!("gradient-boosted trees: {e}")))?;
            Ok(Fitted::Trees(Box::new(m)))
        }
    }
}

impl Fitted {
    pub fn kind(&self) -> Kind {
        match self {
            Fitted::Logistic(_) => Kind::Logistic,
            Fitted::Trees(_) => Kind::Trees,
        }
    }

    /// Churn probability of every row of `x`.
    pub fn predict(&self, x: &Matrix) -> Result<Vec<f64>> {
        Ok(match self {
            Fitted::Logistic(m) => {
                let mut z = vec![m.intercept; x.rows];
                for (j, w) in m.weights.iter().enumerate() {
                    for (zi, xi) in z.iter_mut().zip(x.col(j)) {
                        *zi += w * xi;
                    }
                }
                z.into_iter().map(sigmoid).collect()
            }
            Fitted::Trees(m) => {
                // blocks of rows on every core, each block in cache across the trees (forust
                // walks all rows tree by tree); a row's sum is the same: base score, then the
                // trees in order
                let starts: Vec<usize> = (0..x.rows).step_by(PREDICT_BLOCK).collect();
                let parts = crate::par::map_slice(&starts, 1, |&r0| {
                    let len = PREDICT_BLOCK.min(x.rows - r0);
                    let mut block = Vec::with_capacity(len * x.cols);
                    for j in 0..x.cols {
                        block.extend_from_slice(&x.col(j)[r0..r0 + len]);
                    }
                    m.predict(&forust_ml::Matrix::new(&block, len, x.cols), false)
                });
                parts.into_iter().flatten().map(sigmoid).collect()
            }
        })
    }

    /// Contributions in log-odds, row-major `rows x cols` (see the module notes).
    pub fn contributions(&self, x: &Matrix, column_means: &[f64]) -> Result<Vec<f64>> {
        let (n, p) = (x.rows, x.cols);
        Ok(match self {
            Fitted::Logistic(m) => {
                let w = &m.weights;
                let mut out = vec![0.0; n * p];
                for j in 0..p {
                    let col = x.col(j);
                    for i in 0..n {
                        out[i * p + j] = w[j] * (col[i] - column_means[j]);
                    }
                }
                out
            }
            Fitted::Trees(m) => {
                let fm = forust_ml::Matrix::new(&x.data, x.rows, x.cols);
                let c = m.predict_contributions(&fm, ContributionsMethod::Average, true);
                let mut out = vec![0.0; n * p];
                for i in 0..n {
                    out[i * p..(i + 1) * p].copy_from_slice(&c[i * (p + 1)..i * (p + 1) + p]);
                }
                out
            }
        })
    }

    /// Coefficients (logistic: intercept and one per column) or total-gain importances
    /// (trees, normalised to sum 1), as (name, value) pairs.
    pub fn weights(&self, columns: &[String]) -> (Option<f64>, Vec<Weight>) {
        match self {
            Fitted::Logistic(m) => (
                Some(m.intercept),
                columns
                    .iter()
                    .zip(m.weights.iter())
                    .map(|(c, w)| Weight {
                        name: c.clone(),
                        value: *w,
                    })
                    .collect(),
            ),
            Fitted::Trees(m) => {
                let imp = m.calculate_feature_importance(ImportanceMethod::TotalGain, true);
                (
                    None,
                    columns
                        .iter()
                        .enumerate()
                        .map(|(j, c)| Weight {
                            name: c.clone(),
                            value: f64::from(imp.get(&j).copied().unwrap_or(0.0)),
                        })
                        .collect(),
                )
            }
        }
    }
}
