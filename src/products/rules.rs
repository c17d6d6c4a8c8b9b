//! Association rules over baskets: which products are bought together more often than chance.
//!
//! A basket is a set of product codes. Identical baskets are counted once with their number
//! (a plant's orders repeat the same few combinations), so the work grows with the distinct
//! baskets, not the lines. Counting is Apriori's, kept to what the rules use: products, pairs
//! of frequent products, and (for two-product antecedents) triples whose three pairs are all
//! frequent. Rules have one product on the right:
//!
//! - support = baskets with all the rule's products / baskets;
//! - confidence = support of all / support of the antecedent;
//! - lift = confidence / support of the consequent (1 = independent).
//!
//! Why not a crate: the one FP-growth crate on crates.io (`fp-growth` 0.1.6) has had no
//! release since 2021, returns itemsets only (no rules), hashes item names and iterates a
//! HashMap, so its order varies from run to run; product catalogues are small (tens to a few
//! thousand products), where counting pairs and triples over the distinct baskets is fast
//! (see docs/performance.md) and gives the same output every run.

use std::collections::{HashMap, HashSet};

/// Distinct baskets with how often each occurred.
#[derive(Debug, Clone, Default)]
pub struct Baskets {
    /// Sorted, distinct product codes of each distinct basket.
    pub items: Vec<Vec<u32>>,
    pub counts: Vec<u64>,
    /// Baskets in all (the sum of `counts`).
    pub total: u64,
}

impl Baskets {
    /// Baskets from an iterator of product-code lists (any order, repeats allowed).
    pub fn count<I: IntoIterator<Item = Vec<u32>>>(baskets: I) -> Baskets {
        let mut seen: HashMap<Vec<u32>, u64> = HashMap::new();
        for mut b in baskets {
            b.sort_unstable();
            b.dedup();
            if !b.is_empty() {
                *seen.entry(b).or_default() += 1;
            }
        }
        Baskets::from_counts(seen)
    }
}

impl Baskets {
    /// Baskets from distinct (sorted, deduplicated) product-code lists with their counts.
    pub fn from_counts(counts: HashMap<Vec<u32>, u64>) -> Baskets {
        let mut pairs: Vec<(Vec<u32>, u64)> =
            counts.into_iter().filter(|(b, _)| !b.is_empty()).collect();
        pairs.sort_unstable();
        let total = pairs.iter().map(|(_, n)| n).sum();
        let (items, counts) = pairs.into_iter().unzip();
        Baskets {
            items,
            counts,
            total,
        }
    }
}

/// One rule `antecedent -> consequent`.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    /// One or two product codes, ascending.
    pub antecedent: Vec<u32>,
    pub consequent: u32,
    /// Baskets holding the antecedent and the consequent.
    pub both: u64,
    pub support: f64,
    pub confidence: f64,
    pub lift: f64,
}

/// Mining settings.
#[derive(Debug, Clone, Copy)]
pub struct Thresholds {
    pub min_support: f64,
    pub min_confidence: f64,
    /// 1 or 2 products on the left.
    pub max_antecedent: usize,
}

/// Every rule meeting the thresholds, strongest first: by lift, then confidence, then the
/// baskets behind it, then the shorter antecedent, then the codes (so the order never
/// depends on hashing).
pub fn mine(b: &Baskets, t: Thresholds) -> Vec<Rule> {
    if b.total == 0 {
        return Vec::new();
    }
    let n = b.total as f64;
    // a count reaches min_support when count / n >= min_support (with a hair of slack for
    // shares written as decimals, e.g. 0.3 of 10 baskets)
    let min_count = ((t.min_support * n) - 1e-9).ceil().max(1.0) as u64;
    let singles = single_counts(b);
    let frequent: HashSet<u32> = (singles.iter())
        .filter(|(_, c)| **c >= min_count)
        .map(|(i, _)| *i)
        .collect();
    let pairs = pair_counts(b, &frequent, min_count);
    let mut rules = Vec::new();
    let mut push = |ante: Vec<u32>, ante_count: u64, cons: u32, both: u64| {
        let confidence = both as f64 / ante_count as f64;
        if confidence + 1e-12 < t.min_confidence {
            return;
        }
        let cons_share = singles[&cons] as f64 / n;
        rules.push(Rule {
            antecedent: ante,
            consequent: cons,
            both,
            support: both as f64 / n,
            confidence,
            lift: confidence / cons_share,
        });
    };
    for (&(a, c), &both) in &pairs {
        push(vec![a], singles[&a], c, both);
        push(vec![c], singles[&c], a, both);
    }
    if t.max_antecedent >= 2 {
        for ([x, y, z], both) in triple_counts(b, &pairs, min_count) {
            push(vec![x, y], pairs[&(x, y)], z, both);
            push(vec![x, z], pairs[&(x, z)], y, both);
            push(vec![y, z], pairs[&(y, z)], x, both);
        }
    }
    rules.sort_by(|p, q| {
        (q.lift.total_cmp(&p.lift))
            .then(q.confidence.total_cmp(&p.confidence))
            .then(q.both.cmp(&p.both))
            .then(p.antecedent.len().cmp(&q.antecedent.len()))
            .then(p.antecedent.cmp(&q.antecedent))
            .then(p.consequent.cmp(&q.consequent))
    });
    rules
}

/// Baskets holding each product.
pub fn single_counts(b: &Baskets) -> HashMap<u32, u64> {
    let mut out: HashMap<u32, u64> = HashMap::new();
    for (items, n) in b.items.iter().zip(&b.counts) {
        for i in items {
            *out.entry(*i).or_default() += n;
        }
    }
    out
}

/// Baskets holding each pair (a < b) of frequent products, kept when frequent.
fn pair_counts(b: &Baskets, frequent: &HashSet<u32>, min_count: u64) -> HashMap<(u32, u32), u64> {
    let mut out: HashMap<(u32, u32), u64> = HashMap::new();
    let mut kept = Vec::new();
    for (items, n) in b.items.iter().zip(&b.counts) {
        kept.clear();
        kept.extend(items.iter().copied().filter(|i| frequent.contains(i)));
        for (k, &x) in kept.iter().enumerate() {
            for &y in &kept[k + 1..] {
                *out.entry((x, y)).or_default() += n;
            }
        }
    }
    out.retain(|_, c| *c >= min_count);
    out
}

/// Baskets holding each triple (x < y < z) whose three pairs are frequent, kept when
/// frequent.
fn triple_counts(
    b: &Baskets,
    pairs: &HashMap<(u32, u32), u64>,
    min_count: u64,
) -> Vec<([u32; 3], u64)> {
    let in_pair: HashSet<u32> = pairs.keys().flat_map(|(x, y)| [*x, *y]).collect();
    let mut out: HashMap<[u32; 3], u64> = HashMap::new();
    let mut kept = Vec::new();
    for (items, n) in b.items.iter().zip(&b.counts) {
        kept.clear();
        kept.extend(items.iter().copied().filter(|i| in_pair.contains(i)));
        for (i, &x) in kept.iter().enumerate() {
            for (j, &y) in kept.iter().enumerate().skip(i + 1) {
                if !pairs.contains_key(&(x, y)) {
                    continue;
                }
                for &z in &kept[j + 1..] {
                    if pairs.contains_key(&(x, z)) && pairs.contains_key(&(y, z)) {
                        *out.entry([x, y, z]).or_default() += n;
                    }
                }
            }
        }
    }
    let mut v: Vec<([u32; 3], u64)> = out.into_iter().filter(|(_, c)| *c >= min_count).collect();
    v.sort_unstable();
    v
}

#[cfg(test)]
#[path = "rules_tests.rs"]
mod tests;
