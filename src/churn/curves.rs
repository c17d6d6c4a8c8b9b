//! The curves behind the churn diagnostics an analyst expects (issue 16, item 5): the ROC
//! curve and the cumulative gains, on the out-of-time evaluation cutoff, at most
//! [`POINTS`] points each (one per distinct score while fewer), so the model file stays small
//! at a million customers. The calibration plot uses `Metrics::calibration`.

use serde::Serialize;

/// Points per curve at most (plus the origin).
pub const POINTS: usize = 100;

/// (false-positive rate, true-positive rate) from the highest score down, starting at (0, 0)
/// and ending at (1, 1); tied scores enter together. Empty when a class is absent.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Curves {
    pub roc: Vec<(f64, f64)>,
    /// (share of customers contacted, highest scores first; share of churners among them).
    pub gains: Vec<(f64, f64)>,
}

/// The ROC and gains curves of scores `p` for outcomes `y`.
pub fn curves(y: &[bool], p: &[f64]) -> Curves {
    let pos = y.iter().filter(|v| **v).count();
    let neg = y.len() - pos;
    if pos == 0 || neg == 0 {
        return Curves {
            roc: Vec::new(),
            gains: Vec::new(),
        };
    }
    let mut idx: Vec<usize> = (0..p.len()).collect();
    idx.sort_by(|&a, &b| p[b].total_cmp(&p[a]).then(a.cmp(&b)));
    // one point after each run of tied scores
    let (mut tp, mut fp) = (0usize, 0usize);
    let mut full = vec![(0usize, 0usize, 0usize)];
    let mut i = 0;
    while i < idx.len() {
        let mut j = i;
        while j < idx.len() && p[idx[j]] == p[idx[i]] {
            if y[idx[j]] {
                tp += 1;
            } else {
                fp += 1;
            }
            j += 1;
        }
        full.push((j, tp, fp));
        i = j;
    }
    let step = (full.len() - 1).div_ceil(POINTS).max(1);
    let kept: Vec<&(usize, usize, usize)> = full
        .iter()
        .enumerate()
        .filter(|(k, _)| k % step == 0 || *k == full.len() - 1)
        .map(|(_, x)| x)
        .collect();
    let n = y.len() as f64;
    Curves {
        roc: kept
            .iter()
            .map(|(_, tp, fp)| (*fp as f64 / neg as f64, *tp as f64 / pos as f64))
            .collect(),
        gains: kept
            .iter()
            .map(|(seen, tp, _)| (*seen as f64 / n, *tp as f64 / pos as f64))
            .collect(),
    }
}

/// `models/churn_diagnostics.csv`: the ROC and gains points and the calibration bins with
/// examples, as (kind, x, y) rows: `roc` (false-positive rate, true-positive rate), `gains`
/// (share contacted, share of churners found), `calibration` (mean predicted, observed rate).
pub fn table(m: &super::metrics::Metrics) -> crate::error::Result<polars::prelude::DataFrame> {
    use polars::prelude::*;
    let mut rows: Vec<(&str, f64, f64)> = Vec::new();
    rows.extend(m.curves.roc.iter().map(|(x, y)| ("roc", *x, *y)));
    rows.extend(m.curves.gains.iter().map(|(x, y)| ("gains", *x, *y)));
    for b in &m.calibration {
        if let (Some(x), Some(y)) = (b.mean_predicted, b.observed_rate) {
            rows.push(("calibration", x, y));
        }
    }
    Ok(df![
        "kind" => rows.iter().map(|r| r.0).collect::<Vec<_>>(),
        "x" => rows.iter().map(|r| r.1).collect::<Vec<_>>(),
        "y" => rows.iter().map(|r| r.2).collect::<Vec<_>>(),
    ]?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn curves_run_from_origin_to_one_and_their_area_is_the_auc() {
        let y = [true, false, true, true, false, false, true, false];
        let p = [0.9, 0.8, 0.7, 0.7, 0.4, 0.3, 0.2, 0.1];
        let c = curves(&y, &p);
        assert_eq!(c.roc.first(), Some(&(0.0, 0.0)));
        assert_eq!(c.roc.last(), Some(&(1.0, 1.0)));
        assert_eq!(c.gains.last(), Some(&(1.0, 1.0)));
        // the trapezoid area under the ROC points equals the rank AUC (ties count one half)
        let area: f64 = c
            .roc
            .windows(2)
            .map(|w| (w[1].0 - w[0].0) * (w[1].1 + w[0].1) / 2.0)
            .sum();
        assert!((area - super::super::metrics::roc_auc(&y, &p)).abs() < 1e-12);
        // the tied pair enters together: no point between them
        assert!(c.gains.iter().all(|g| (g.0 * 8.0).round() != 3.0));
        assert!(curves(&[true, true], &[0.5, 0.4]).roc.is_empty());
    }

    #[test]
    fn long_curves_are_thinned_to_at_most_a_hundred_points() {
        let y: Vec<bool> = (0..10_000).map(|i| i % 3 == 0).collect();
        let p: Vec<f64> = (0..10_000).map(|i| ((i * 7919) % 10_000) as f64).collect();
        let c = curves(&y, &p);
        assert!(c.roc.len() <= POINTS + 2, "{}", c.roc.len());
        assert_eq!(c.roc.last(), Some(&(1.0, 1.0)));
    }
}
