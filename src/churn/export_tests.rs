//! The exported model, evaluated from its data alone as spark/score.py evaluates it, gives
//! kam's own predictions and contributions to the bit.

use super::*;
use crate::churn::design::Matrix;
use crate::churn::models::{self, Kind, ModelParams};

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

/// 300 rows, 3 columns, a label that depends on two of them (seeded arithmetic, no RNG).
fn data() -> (Matrix, Vec<bool>) {
    let n = 300;
    let mut data = vec![0.0; n * 3];
    let mut y = vec![false; n];
    for i in 0..n {
        let a = ((i * 37) % 101) as f64 / 10.0 - 5.0;
        let b = ((i * 53) % 89) as f64 / 8.0 - 5.5;
        let c = (i % 4) as f64;
        data[i] = a;
        data[n + i] = b;
        data[2 * n + i] = c;
        y[i] = a + 0.5 * b + ((i * 7) % 5) as f64 - 2.0 > 0.0;
    }
    (
        Matrix {
            rows: n,
            cols: 3,
            data,
        },
        y,
    )
}

fn row(x: &Matrix, i: usize) -> Vec<f64> {
    (0..x.cols).map(|j| x.col(j)[i]).collect()
}

/// The leaf path of `x` through `t`, as score.py walks it.
fn path(t: &TreeData, x: &[f64]) -> Vec<usize> {
    let mut i = 0;
    let mut out = vec![0];
    while !t.leaf[i] {
        let v = x[t.feature[i]];
        i = if v.is_nan() {
            t.missing[i]
        } else if v < t.split[i] {
            t.left[i]
        } else {
            t.right[i]
        };
        out.push(i);
    }
    out
}

/// Log-odds and contributions from the exported data only.
fn from_data(m: &ModelData, means: &[f64], x: &[f64]) -> (f64, Vec<f64>) {
    match m {
        ModelData::Logistic { intercept, weights } => {
            let mut z = *intercept;
            for (w, v) in weights.iter().zip(x) {
                z += w * v;
            }
            let c = weights
                .iter()
                .zip(x)
                .zip(means)
                .map(|((w, v), mu)| w * (v - mu))
                .collect();
            (z, c)
        }
        ModelData::Trees { base_score, trees } => {
            let mut z = *base_score;
            let mut c = vec![0.0; x.len()];
            for t in trees {
                let p = path(t, x);
                z += t.weight[p[p.len() - 1]];
                for w in p.windows(2) {
                    c[t.feature[w[0]]] += t.average[w[1]] - t.average[w[0]];
                }
            }
            (z, c)
        }
    }
}

fn check(kind: Kind) -> Result<()> {
    let (x, y) = data();
    let p = ModelParams {
        trees: 20,
        max_depth: 3,
        ..ModelParams::default()
    };
    let m = models::fit(kind, &x, &y, &p, 7)?;
    let means = vec![0.1, -0.2, 1.5];
    let prob = m.predict(&x)?;
    let contrib = m.contributions(&x, &means)?;
    let enc = crate::churn::design::Encoder {
        specs: vec![],
        codes: kind == Kind::Trees,
        columns: vec!["a".into(), "b".into(), "c".into()],
        feature_of: vec![0, 1, 2],
        column_means: means.clone(),
    };
    let s = Scoring::of(&m, &enc, Some(365));
    // through JSON and back, as score.py reads it
    let json: serde_json::Value = serde_json::from_str(&serde_json::to_string(&s)?)?;
    assert_eq!(json["model"]["kind"], kind.name());
    assert_eq!(json["active_days"], 365);
    for i in 0..x.rows {
        let (z, c) = from_data(&s.model, &means, &row(&x, i));
        assert_eq!(1.0 / (1.0 + (-z).exp()), prob[i], "row {i}");
        assert_eq!(c, contrib[i * 3..(i + 1) * 3], "row {i}");
    }
    Ok(())
}

#[test]
fn exported_trees_predict_and_attribute_as_kam() -> Result<()> {
    check(Kind::Trees)
}

#[test]
fn exported_logistic_predicts_and_attributes_as_kam() -> Result<()> {
    check(Kind::Logistic)
}

#[test]
fn exported_numbers_read_back_from_json_exactly() -> Result<()> {
    let (x, y) = data();
    let m = models::fit(Kind::Trees, &x, &y, &ModelParams::default(), 7)?;
    let enc = crate::churn::design::Encoder {
        specs: vec![],
        codes: true,
        columns: vec!["a".into(), "b".into(), "c".into()],
        feature_of: vec![0, 1, 2],
        column_means: vec![0.0; 3],
    };
    let s = Scoring::of(&m, &enc, None);
    let text = serde_json::to_string(&s)?;
    let back: serde_json::Value = serde_json::from_str(&text)?;
    let ModelData::Trees { base_score, trees } = &s.model else {
        panic!("trees expected")
    };
    assert_eq!(back["model"]["base_score"].as_f64(), Some(*base_score));
    let t0 = &back["model"]["trees"][0];
    for (k, w) in trees[0].weight.iter().enumerate() {
        assert_eq!(t0["weight"][k].as_f64(), Some(*w));
        assert_eq!(t0["average"][k].as_f64(), Some(trees[0].average[k]));
    }
    assert!(back.get("active_days").is_none());
    Ok(())
}
