//! The candidate search: customers grouped by each key (tax id, normalised name, phone,
//! address, and the near-name block keys), each group split by district, and only the pairs
//! inside a block compared. A block larger than `max_block_size` is skipped and reported, so
//! the work stays near-linear in the number of customers (about n x max_block_size pairs at
//! most) however common a key is.

use std::collections::{BTreeMap, HashMap};

use super::normalise::{self, NameKey};

/// One customer as the search reads it: its id, district and the raw texts to compare.
#[derive(Debug, Clone, Default)]
pub struct Customer {
    pub id: String,
    pub name: Option<String>,
    pub district: Option<String>,
    pub phone: Option<String>,
    pub tax_id: Option<String>,
    pub address: Option<String>,
}

/// The rule that proposed a pair, strongest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rule {
    TaxId,
    Name,
    Phone,
    Address,
    SimilarName,
}

impl Rule {
    /// The rule as `merge_candidates.csv` names it.
    pub fn as_str(self) -> &'static str {
        match self {
            Rule::TaxId => "tax_id",
            Rule::Name => "name",
            Rule::Phone => "phone",
            Rule::Address => "address",
            Rule::SimilarName => "similar_name",
        }
    }

    /// The score of an exact-key rule (a similar name scores its similarity).
    fn score(self) -> f64 {
        match self {
            Rule::TaxId => 1.0,
            Rule::Name => 0.95,
            Rule::Phone => 0.9,
            Rule::Address => 0.8,
            Rule::SimilarName => 0.0,
        }
    }
}

/// Two customers (indices into the search's input, `a < b`) and the strongest rule that
/// matched them.
#[derive(Debug, Clone, PartialEq)]
pub struct Pair {
    pub a: usize,
    pub b: usize,
    pub rule: Rule,
    pub score: f64,
}

/// A block left out because it held more than `max_block_size` customers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub rule: Rule,
    /// The shared key (for near names, the word or characters blocked on).
    pub key: String,
    pub district: Option<String>,
    pub size: usize,
}

/// What the search found: each pair once, and the blocks it skipped.
#[derive(Debug, Clone, Default)]
pub struct Found {
    pub pairs: Vec<Pair>,
    pub skipped: Vec<Skipped>,
}

/// The search's settings: the near-name threshold and the block cap.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub min_similarity: f64,
    pub max_block_size: usize,
}

/// Every candidate pair of `customers`, each once with its strongest rule, in no particular
/// order (the output sorts them).
pub fn search(customers: &[Customer], limits: Limits) -> Found {
    let keys = Keys::of(customers);
    let mut s = Search {
        districts: customers.iter().map(|c| c.district.as_deref()).collect(),
        limits,
        best: HashMap::new(),
        skipped: Vec::new(),
    };
    s.exact(Rule::TaxId, &keys.tax_id);
    let names: Vec<Option<String>> = keys
        .name
        .iter()
        .map(|n| n.as_ref().map(|n| n.key.clone()))
        .collect();
    s.exact(Rule::Name, &names);
    s.exact(Rule::Phone, &keys.phone);
    s.exact(Rule::Address, &keys.address);
    s.similar(&keys.name);
    let mut pairs: Vec<Pair> = s
        .best
        .into_iter()
        .map(|((a, b), (rule, score))| Pair { a, b, rule, score })
        .collect();
    pairs.sort_by_key(|p| (p.a, p.b));
    let mut skipped = s.skipped;
    // largest first, then by rule, key and district
    skipped.sort_by(|x, y| {
        let rest = |s: &Skipped| (s.rule, s.key.clone(), s.district.clone());
        y.size.cmp(&x.size).then_with(|| rest(x).cmp(&rest(y)))
    });
    Found { pairs, skipped }
}

/// Each customer's normalised keys, computed once.
struct Keys {
    name: Vec<Option<NameKey>>,
    phone: Vec<Option<String>>,
    tax_id: Vec<Option<String>>,
    address: Vec<Option<String>>,
}

impl Keys {
    fn of(customers: &[Customer]) -> Keys {
        let each = |f: fn(&str) -> Option<String>, get: fn(&Customer) -> &Option<String>| {
            customers
                .iter()
                .map(|c| get(c).as_deref().and_then(f))
                .collect()
        };
        Keys {
            name: customers
                .iter()
                .map(|c| c.name.as_deref().and_then(normalise::name_key))
                .collect(),
            phone: each(normalise::phone_key, |c| &c.phone),
            tax_id: each(normalise::tax_id_key, |c| &c.tax_id),
            address: each(normalise::address_key, |c| &c.address),
        }
    }
}

struct Search<'a> {
    districts: Vec<Option<&'a str>>,
    limits: Limits,
    /// The strongest (rule, score) found so far for each pair (a < b).
    best: HashMap<(usize, usize), (Rule, f64)>,
    skipped: Vec<Skipped>,
}

impl Search<'_> {
    /// Pairs sharing an exact key under `rule`.
    fn exact(&mut self, rule: Rule, keys: &[Option<String>]) {
        for (key, members) in groups(keys.iter().map(Option::as_deref)) {
            for block in self.blocks(rule, key, &members) {
                for (i, &a) in block.iter().enumerate() {
                    for &b in &block[i + 1..] {
                        self.record(a, b, rule, rule.score());
                    }
                }
            }
        }
    }

    /// Pairs of different names sharing a near-name block key whose similarity reaches
    /// `min_similarity`.
    fn similar(&mut self, names: &[Option<NameKey>]) {
        let block_keys: Vec<Option<[String; 2]>> = names
            .iter()
            .map(|n| n.as_ref().map(normalise::similar_block_keys))
            .collect();
        let flat = block_keys.iter().enumerate().flat_map(|(i, k)| {
            k.iter()
                .flat_map(move |k| k.iter().map(move |k| (i, k.as_str())))
        });
        let mut by_key: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (i, k) in flat {
            by_key.entry(k).or_default().push(i);
        }
        let min = self.limits.min_similarity;
        for (key, members) in by_key {
            for block in self.blocks(Rule::SimilarName, &key[1..], &members) {
                for (i, &a) in block.iter().enumerate() {
                    for &b in &block[i + 1..] {
                        let (Some(x), Some(y)) = (&names[a], &names[b]) else {
                            continue;
                        };
                        if let Some(sim) = similarity(x, y, min) {
                            self.record(a, b, Rule::SimilarName, sim);
                        }
                    }
                }
            }
        }
    }

    /// The blocks of one key's members: one per known district (its members plus the
    /// customers without a district), or all of them when none has a district. Blocks over
    /// the cap are left out and remembered.
    fn blocks(&mut self, rule: Rule, key: &str, members: &[usize]) -> Vec<Vec<usize>> {
        if members.len() < 2 {
            return Vec::new();
        }
        let mut blank = Vec::new();
        let mut by_district: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for &m in members {
            match self.districts[m] {
                Some(d) => by_district.entry(d).or_default().push(m),
                None => blank.push(m),
            }
        }
        let mut blocks: Vec<(Option<&str>, Vec<usize>)> = match by_district.is_empty() {
            true => vec![(None, blank)],
            false => by_district
                .into_iter()
                .map(|(d, mut v)| {
                    v.extend(&blank);
                    (Some(d), v)
                })
                .collect(),
        };
        let cap = self.limits.max_block_size;
        for (district, block) in &blocks {
            if block.len() > cap {
                self.skipped.push(Skipped {
                    rule,
                    key: key.to_string(),
                    district: district.map(str::to_string),
                    size: block.len(),
                });
            }
        }
        blocks.retain(|(_, b)| b.len() >= 2 && b.len() <= cap);
        blocks.into_iter().map(|(_, b)| b).collect()
    }

    /// Keep the stronger of the pair's rules: the higher score, then the earlier rule.
    fn record(&mut self, a: usize, b: usize, rule: Rule, score: f64) {
        let pair = (a.min(b), a.max(b));
        let entry = self.best.entry(pair).or_insert((rule, score));
        let stronger = score > entry.1 || (score == entry.1 && rule < entry.0);
        if stronger {
            *entry = (rule, score);
        }
    }
}

/// Members of each present key, keys in sorted order.
fn groups<'a>(keys: impl Iterator<Item = Option<&'a str>>) -> BTreeMap<&'a str, Vec<usize>> {
    let mut out: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, k) in keys.enumerate() {
        if let Some(k) = k {
            out.entry(k).or_default().push(i);
        }
    }
    out
}

/// How similar two different names are, when it reaches `min` (equal keys are the `name`
/// rule's). Names of several words, as many on both sides, must differ in one word only, and
/// that word pair is scored: in `Hongda Transport Fleet` / `Tongda Transport Fleet` the
/// shared generic words would otherwise hide that the brands differ. Other names are scored
/// whole (Chinese names are one word). Latin words must start with the same letter. Names
/// whose numbers differ are never similar:
/// `No. 1 Construction` and `No. 6 Construction`, `加油站3` and `加油站5` are numbered
/// branches, not typos.
fn similarity(x: &NameKey, y: &NameKey, min: f64) -> Option<f64> {
    let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
    if x.key == y.key || digits(&x.key) != digits(&y.key) {
        return None;
    }
    let (a, b) = match (x.tokens.len(), y.tokens.len()) {
        (n, m) if n == m && n > 1 => {
            let mut differ = x.tokens.iter().zip(&y.tokens).filter(|(a, b)| a != b);
            match (differ.next(), differ.next()) {
                (Some((a, b)), None) => (a.as_str(), b.as_str()),
                _ => return None,
            }
        }
        _ => (x.key.as_str(), y.key.as_str()),
    };
    // a typo seldom hits a word's first letter (Winkler's observation): Hongxing and
    // Zhongxing are two brands
    let (ha, hb) = (a.chars().next(), b.chars().next());
    if ha.is_some_and(|c| c.is_ascii_alphabetic()) && ha != hb {
        return None;
    }
    edit_similarity(a, b, min)
}

/// The normalised Levenshtein similarity (1 - edits / longer length) when it reaches `min`.
/// The length difference bounds it from above, so most pairs are dismissed without the edit
/// distance.
fn edit_similarity(a: &str, b: &str, min: f64) -> Option<f64> {
    let (la, lb) = (a.chars().count(), b.chars().count());
    let longest = la.max(lb) as f64;
    if 1.0 - la.abs_diff(lb) as f64 / longest < min {
        return None;
    }
    let sim = strsim::normalized_levenshtein(a, b);
    (sim >= min).then_some(sim)
}

#[cfg(test)]
#[path = "search_tests.rs"]
mod tests;
