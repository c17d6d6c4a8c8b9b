//! The fitted churn model as data: `scoring` in `models/churn.json`, everything a scorer
//! outside kam (spark/score.py) needs to give a customer kam's churn probability and drivers
//! from the raw features: the encoded columns with the raw feature and training mean of each
//! (the encoding itself is `features`, [`super::design::Spec`]), and the model, in full
//! precision (JSON numbers that read back to the same f64).
//!
//! - logistic: log-odds = intercept + sum over columns j in order of weight_j x x_j;
//! - trees: log-odds = base_score + each tree's leaf weight, trees in order. A node goes to
//!   `missing` when the value is NaN (never, after kam's encoding), `left` when value <
//!   `split`, else `right`. `average` is forust's cover-weighted mean leaf weight below each
//!   node (`Tree::distribute_leaf_weights`): a customer's contribution of a column is the sum,
//!   over the splits on it along its path, of average(child) - average(node).
//!
//! Weights are forust's f32 leaf values widened to f64 here, so the JSON carries exactly the
//! numbers kam adds up.

use forust_ml::gradientbooster::GradientBooster;
use serde::Serialize;

use super::design::Encoder;
use super::models::Fitted;

/// `scoring` in `models/churn.json`.
#[derive(Debug, Clone, Serialize)]
pub struct Scoring {
    /// Behavioural mode: customers count as active at `as_of` when they bought within this
    /// many days before it; only they are scored.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub active_days: Option<u32>,
    /// Categoricals as one column of level codes (trees) instead of one 0/1 column per level.
    pub codes: bool,
    /// Encoded column names, in matrix order.
    pub columns: Vec<String>,
    /// For each encoded column, the index of its raw feature in `features`.
    pub feature_of: Vec<usize>,
    /// Training mean of each encoded column (logistic drivers are weight x (x - mean)).
    pub column_means: Vec<f64>,
    pub model: ModelData,
}

/// The fitted model's numbers.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ModelData {
    Logistic {
        intercept: f64,
        weights: Vec<f64>,
    },
    Trees {
        base_score: f64,
        trees: Vec<TreeData>,
    },
}

/// One tree, node by node (index = forust's node number; a leaf's split fields are 0).
#[derive(Debug, Clone, Serialize)]
pub struct TreeData {
    pub leaf: Vec<bool>,
    pub feature: Vec<usize>,
    pub split: Vec<f64>,
    pub left: Vec<usize>,
    pub right: Vec<usize>,
    pub missing: Vec<usize>,
    /// Leaf value (log-odds) of a leaf; forust's node weight otherwise.
    pub weight: Vec<f64>,
    /// Cover-weighted mean leaf weight below the node (the contributions' expected values).
    pub average: Vec<f64>,
}

impl Scoring {
    /// The scoring data of `model` fitted on columns encoded by `enc`.
    pub fn of(model: &Fitted, enc: &Encoder, active_days: Option<u32>) -> Scoring {
        let model = match model {
            Fitted::Logistic(m) => ModelData::Logistic {
                intercept: m.intercept,
                weights: m.weights.clone(),
            },
            Fitted::Trees(m) => trees(m),
        };
        Scoring {
            active_days,
            codes: enc.codes,
            columns: enc.columns.clone(),
            feature_of: enc.feature_of.clone(),
            column_means: enc.column_means.clone(),
            model,
        }
    }
}

/// The trees forust predicts with (all of them unless an iteration was set), as data.
fn trees(m: &GradientBooster) -> ModelData {
    let used = m.prediction_iteration.unwrap_or(m.trees.len());
    let trees = m.trees[..used]
        .iter()
        .map(|t| {
            let average = t.distribute_leaf_weights();
            let split = |leaf: bool, v: f64| if leaf { 0.0 } else { v };
            let link = |leaf: bool, v: usize| if leaf { 0 } else { v };
            let n = &t.nodes;
            TreeData {
                leaf: n.iter().map(|x| x.is_leaf).collect(),
                feature: n.iter().map(|x| link(x.is_leaf, x.split_feature)).collect(),
                split: n.iter().map(|x| split(x.is_leaf, x.split_value)).collect(),
                left: n.iter().map(|x| link(x.is_leaf, x.left_child)).collect(),
                right: n.iter().map(|x| link(x.is_leaf, x.right_child)).collect(),
                missing: n.iter().map(|x| link(x.is_leaf, x.missing_node)).collect(),
                weight: n.iter().map(|x| f64::from(x.weight_value)).collect(),
                average,
            }
        })
        .collect();
    ModelData::Trees {
        base_score: m.base_score,
        trees,
    }
}

#[cfg(test)]
#[path = "export_tests.rs"]
mod tests;
