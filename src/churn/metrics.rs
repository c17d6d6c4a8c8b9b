//! How good a churn score is, on examples whose outcome is known: ROC AUC, PR AUC (average
//! precision), lift and capture in the top decile, Brier score, a 10-bin calibration table and
//! the confusion matrix at a cut. Definitions follow scikit-learn (`roc_auc_score`,
//! `average_precision_score`, `brier_score_loss`) so the numbers can be compared side by side.

use serde::Serialize;

/// All metrics of one scored set. `y` is 1 for a churner, 0 otherwise.
#[derive(Debug, Clone, Serialize)]
pub struct Metrics {
    pub examples: usize,
    pub churners: usize,
    pub base_rate: f64,
    pub roc_auc: f64,
    pub pr_auc: f64,
    /// Churn rate in the top 10% by score divided by the base rate.
    pub top_decile_lift: f64,
    /// Share of all churners found in the top 10% by score.
    pub top_decile_capture: f64,
    pub brier: f64,
    pub calibration: Vec<CalibrationBin>,
    pub confusion: Confusion,
    /// The ROC and cumulative-gains curves (issue 16's diagnostics).
    pub curves: super::curves::Curves,
}

/// One bin of predicted probability, [lower, upper).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CalibrationBin {
    pub lower: f64,
    pub upper: f64,
    pub examples: usize,
    pub mean_predicted: Option<f64>,
    pub observed_rate: Option<f64>,
}

/// Counts at a probability cut: predicted churner when probability >= cut.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Confusion {
    pub cut: f64,
    pub true_positive: usize,
    pub false_positive: usize,
    pub true_negative: usize,
    pub false_negative: usize,
    pub precision: Option<f64>,
    pub recall: Option<f64>,
}

/// Every metric at once; `cut` is the probability from which a customer counts as flagged.
pub fn evaluate(y: &[bool], p: &[f64], cut: f64) -> Metrics {
    let churners = y.iter().filter(|v| **v).count();
    let (top_decile_lift, top_decile_capture) = top_decile(y, p);
    Metrics {
        examples: y.len(),
        churners,
        base_rate: ratio(churners, y.len()),
        roc_auc: roc_auc(y, p),
        pr_auc: average_precision(y, p),
        top_decile_lift,
        top_decile_capture,
        brier: brier(y, p),
        calibration: calibration(y, p, 10),
        curves: super::curves::curves(y, p),
        confusion: confusion(y, p, cut),
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        f64::NAN
    } else {
        a as f64 / b as f64
    }
}

/// Indices sorted by descending score; ties keep input order, so results never depend on
/// a sort's whims.
fn by_score_desc(p: &[f64]) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..p.len()).collect();
    idx.sort_by(|&a, &b| p[b].total_cmp(&p[a]).then(a.cmp(&b)));
    idx
}

/// ROC AUC as the Mann-Whitney statistic with tied scores counting one half. NaN when one
/// class is absent.
pub fn roc_auc(y: &[bool], p: &[f64]) -> f64 {
    let mut idx: Vec<usize> = (0..p.len()).collect();
    idx.sort_by(|&a, &b| p[a].total_cmp(&p[b]));
    let (mut rank_sum, mut pos) = (0.0, 0.0);
    let mut i = 0;
    while i < idx.len() {
        let mut j = i;
        while j + 1 < idx.len() && p[idx[j + 1]] == p[idx[i]] {
            j += 1;
        }
        // mean 1-based rank of the tied run i..=j
        let rank = (i + j) as f64 / 2.0 + 1.0;
        for k in &idx[i..=j] {
            if y[*k] {
                rank_sum += rank;
                pos += 1.0;
            }
        }
        i = j + 1;
    }
    let neg = y.len() as f64 - pos;
    if pos == 0.0 || neg == 0.0 {
        return f64::NAN;
    }
    (rank_sum - pos * (pos + 1.0) / 2.0) / (pos * neg)
}

/// Average precision: sum over distinct thresholds of (recall step) x precision, as
/// scikit-learn's `average_precision_score`.
pub fn average_precision(y: &[bool], p: &[f64]) -> f64 {
    let total_pos = y.iter().filter(|v| **v).count() as f64;
    if total_pos == 0.0 {
        return f64::NAN;
    }
    let idx = by_score_desc(p);
    let (mut tp, mut fp, mut ap, mut prev_recall) = (0.0, 0.0, 0.0, 0.0);
    let mut i = 0;
    while i < idx.len() {
        let mut j = i;
        while j + 1 < idx.len() && p[idx[j + 1]] == p[idx[i]] {
            j += 1;
        }
        for k in &idx[i..=j] {
            if y[*k] {
                tp += 1.0;
            } else {
                fp += 1.0;
            }
        }
        let recall = tp / total_pos;
        ap += (recall - prev_recall) * tp / (tp + fp);
        prev_recall = recall;
        i = j + 1;
    }
    ap
}

/// (lift, capture) of the top ceil(n / 10) examples by score.
pub fn top_decile(y: &[bool], p: &[f64]) -> (f64, f64) {
    let n = y.len();
    let total_pos = y.iter().filter(|v| **v).count();
    if n == 0 || total_pos == 0 {
        return (f64::NAN, f64::NAN);
    }
    let top = n.div_ceil(10);
    let hits = by_score_desc(p)[..top].iter().filter(|i| y[**i]).count();
    let rate = hits as f64 / top as f64;
    let base = total_pos as f64 / n as f64;
    (rate / base, hits as f64 / total_pos as f64)
}

/// Mean squared difference between probability and outcome.
pub fn brier(y: &[bool], p: &[f64]) -> f64 {
    if y.is_empty() {
        return f64::NAN;
    }
    y.iter()
        .zip(p)
        .map(|(y, p)| (p - f64::from(u8::from(*y))).powi(2))
        .sum::<f64>()
        / y.len() as f64
}

/// Equal-width bins over [0, 1]; the last bin includes 1.
pub fn calibration(y: &[bool], p: &[f64], bins: usize) -> Vec<CalibrationBin> {
    let mut acc = vec![(0usize, 0.0f64, 0usize); bins];
    for (yv, pv) in y.iter().zip(p) {
        let b = ((pv * bins as f64) as usize).min(bins - 1);
        acc[b].0 += 1;
        acc[b].1 += pv;
        acc[b].2 += usize::from(*yv);
    }
    acc.iter()
        .enumerate()
        .map(|(i, (n, sp, pos))| CalibrationBin {
            lower: i as f64 / bins as f64,
            upper: (i + 1) as f64 / bins as f64,
            examples: *n,
            mean_predicted: (*n > 0).then(|| sp / *n as f64),
            observed_rate: (*n > 0).then(|| *pos as f64 / *n as f64),
        })
        .collect()
}

pub fn confusion(y: &[bool], p: &[f64], cut: f64) -> Confusion {
    let (mut tp, mut fp, mut tn, mut fn_) = (0, 0, 0, 0);
    for (yv, pv) in y.iter().zip(p) {
        match (*pv >= cut, *yv) {
            (true, true) => tp += 1,
            (true, false) => fp += 1,
            (false, false) => tn += 1,
            (false, true) => fn_ += 1,
        }
    }
    Confusion {
        cut,
        true_positive: tp,
        false_positive: fp,
        true_negative: tn,
        false_negative: fn_,
        precision: (tp + fp > 0).then(|| tp as f64 / (tp + fp) as f64),
        recall: (tp + fn_ > 0).then(|| tp as f64 / (tp + fn_) as f64),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Expected values from scikit-learn 1.9.1 on the same arrays:
    // roc_auc_score, average_precision_score, brier_score_loss.
    const Y: [bool; 10] = [
        true, false, true, true, false, false, true, false, false, true,
    ];
    const P: [f64; 10] = [0.9, 0.1, 0.8, 0.4, 0.4, 0.3, 0.35, 0.7, 0.2, 0.6];
    const SK_AUC: f64 = 0.82;
    const SK_AP: f64 = 0.8261904761904761;
    const SK_BRIER: f64 = 0.17825000000000002;

    #[test]
    fn roc_auc_matches_scikit_learn_with_ties() {
        assert!(
            (roc_auc(&Y, &P) - SK_AUC).abs() < 1e-12,
            "{}",
            roc_auc(&Y, &P)
        );
    }

    #[test]
    fn average_precision_matches_scikit_learn() {
        let ap = average_precision(&Y, &P);
        assert!((ap - SK_AP).abs() < 1e-12, "{ap}");
    }

    #[test]
    fn brier_matches_scikit_learn() {
        assert!((brier(&Y, &P) - SK_BRIER).abs() < 1e-12);
    }

    #[test]
    fn perfect_and_reversed_scores() {
        let y = [true, true, false, false];
        assert_eq!(roc_auc(&y, &[0.9, 0.8, 0.2, 0.1]), 1.0);
        assert_eq!(roc_auc(&y, &[0.1, 0.2, 0.8, 0.9]), 0.0);
        assert_eq!(roc_auc(&y, &[0.5; 4]), 0.5);
        assert!(roc_auc(&[true, true], &[0.1, 0.2]).is_nan());
    }

    #[test]
    fn top_decile_of_twenty() {
        // 20 examples, 4 churners; the top 2 by score are both churners.
        let mut y = [false; 20];
        let mut p = [0.1; 20];
        for (i, v) in [0usize, 1, 10, 11].iter().enumerate() {
            y[*v] = true;
            p[*v] = 0.9 - i as f64 * 0.1;
        }
        let (lift, capture) = top_decile(&y, &p);
        assert!((lift - 5.0).abs() < 1e-12);
        assert!((capture - 0.5).abs() < 1e-12);
    }

    #[test]
    fn calibration_bins_and_confusion() {
        let bins = calibration(&Y, &P, 10);
        assert_eq!(bins.len(), 10);
        assert_eq!(bins.iter().map(|b| b.examples).sum::<usize>(), 10);
        assert_eq!(bins[4].examples, 2); // 0.4, 0.4
        assert_eq!(bins[4].observed_rate, Some(0.5));
        assert_eq!(bins[0].examples, 0);
        assert_eq!(bins[0].observed_rate, None);
        let c = confusion(&Y, &P, 0.5);
        assert_eq!(
            (
                c.true_positive,
                c.false_positive,
                c.true_negative,
                c.false_negative
            ),
            (3, 1, 4, 2)
        );
    }
}
