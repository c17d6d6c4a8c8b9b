//! Training on a sample of the examples when there are many: a seeded sample stratified by
//! stratum (behavioural: cutoff and label; labelled: label), each stratum keeping its share.
//! Scoring always covers every row; the sample is stated in `models/churn.json`.

use std::collections::BTreeMap;

use rand::SeedableRng;
use rand::seq::SliceRandom;
use serde::Serialize;

/// How the final model's training rows were sampled (`models/churn.json`, only when sampled).
#[derive(Debug, Clone, Serialize)]
pub struct TrainingSample {
    /// Labelled examples available for the final model.
    pub rows_available: usize,
    /// Examples it was fitted on (about `churn.max_training_rows`).
    pub rows_used: usize,
    /// Seed of the sample (the run's seed).
    pub seed: u64,
    /// What each stratum keeps its share of.
    pub stratified_by: &'static str,
}

/// `rows` when at most `max`; else about `max` of them, each stratum (`stratum[k]` is the
/// stratum of `rows[k]`) keeping round(its size x max / all) rows, at least one, picked by a
/// shuffle seeded with `seed`; in the order of `rows`.
pub fn stratified(rows: &[usize], stratum: &[u64], max: usize, seed: u64) -> Vec<usize> {
    if rows.len() <= max {
        return rows.to_vec();
    }
    let mut by: BTreeMap<u64, Vec<usize>> = BTreeMap::new();
    for (k, s) in stratum.iter().enumerate() {
        by.entry(*s).or_default().push(k);
    }
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let mut keep: Vec<usize> = Vec::with_capacity(max + by.len());
    for (_, mut ks) in by {
        let take = ((ks.len() as f64) * max as f64 / rows.len() as f64).round() as usize;
        ks.shuffle(&mut rng);
        keep.extend(ks.into_iter().take(take.max(1)));
    }
    keep.sort_unstable();
    keep.into_iter().map(|k| rows[k]).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_sets_are_kept_whole() {
        assert_eq!(stratified(&[3, 5, 7], &[0, 1, 0], 3, 1), vec![3, 5, 7]);
    }

    #[test]
    fn each_stratum_keeps_its_share_and_the_seed_decides() {
        let rows: Vec<usize> = (0..1000).collect();
        // 10% in stratum 1
        let stratum: Vec<u64> = rows.iter().map(|r| u64::from(r % 10 == 0)).collect();
        let a = stratified(&rows, &stratum, 200, 7);
        assert_eq!(a.len(), 200);
        assert_eq!(a.iter().filter(|r| *r % 10 == 0).count(), 20);
        assert!(a.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(a, stratified(&rows, &stratum, 200, 7));
        assert_ne!(a, stratified(&rows, &stratum, 200, 8));
    }
}
