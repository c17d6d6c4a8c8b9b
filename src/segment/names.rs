//! Segment names in plain words, from the collected segments table of [`super::profile`].
//!
//! Each segment is compared with the mean of all placed customers, using only the
//! columns present (`value_col` always; `recency_days`, `frequency`, `tenure_days`, `trend_12m`
//! when the table has them):
//!
//! | axis | rule (segment mean vs. overall mean) |
//! |------|------|
//! | value | high at >= 1.5x, low at <= 0.5x, else mid |
//! | recency | lost: >= 365 days, or >= 3x and >= 90 days; lapsing: >= 180 days, or >= 1.5x and >= 30 days; else recent |
//! | frequency | loyal at >= 1.5x, occasional at <= 0.5x, else steady |
//! | tenure | new at <= 0.5x and <= 365 days |
//! | trend | segment *median* of `trend_12m` (one customer growing from 1 to 1000 has a trend of 999): growing at >= +10%, declining at <= -10% |
//!
//! The first matching pattern names the segment, with `{noun}` = big accounts / mid-value / small
//! and `{value}` = high-value / mid-value / low-value: lost → `Lost big accounts` (high value)
//! or `Lost`; lapsing → `Lapsing {noun}`; new → `New {noun}`; otherwise by frequency
//! `{Value} loyal`, `Occasional {value}`, `Steady {value}`, or `{Value} accounts` without a
//! frequency column. Without a value column (`ProfileParams::value_words` false) the value
//! word is left out: `Lost`, `Lapsing`, `New`, `Loyal`, `Occasional`, `Steady`, else
//! `Segment`.
//!
//! **Names say what tells segments apart.** New and recent names take their trend
//! (`, growing` / `, declining`) only when no other such segment shares it: when three
//! segments are all growing, "growing" tells none of them apart and none carries it (lost and
//! lapsing segments never take a trend and do not count). Segments that would still share a
//! name get the next word that tells them apart, in the order value, frequency, recency,
//! trend, tenure (`Lost (mid-value)`, `Lost (low-value)`); segments alike in every word are
//! numbered in segment order (`Lost (2)`). Generated names are always distinct. A name from
//! `ProfileParams::names` always wins, and generated names avoid it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use polars::prelude::*;

use super::profile::{NO_PURCHASES, UNPLACED_KEY, overall};
use crate::error::{Error, Result};
use crate::frame;
use crate::schema as s;

// ---- naming thresholds (see the module doc) ----
const HIGH: f64 = 1.5;
const LOW: f64 = 0.5;
const LOST_DAYS: f64 = 365.0;
const LOST_RATIO: (f64, f64) = (3.0, 90.0);
const LAPSING_DAYS: f64 = 180.0;
const LAPSING_RATIO: (f64, f64) = (1.5, 30.0);
const NEW_RATIO: f64 = 0.5;
const NEW_MAX_DAYS: f64 = 365.0;
const TREND_STEP: f64 = 0.10;
const VALUE_WORDS: [&str; 3] = ["high-value", "mid-value", "low-value"];
const FREQUENCY_WORDS: [&str; 3] = ["loyal", "steady", "occasional"];
const TREND_WORDS: [&str; 3] = ["growing", "flat", "declining"];

/// How one segment compares with all placed customers: one word per axis, in the order used to
/// tell alike names apart (value, frequency, recency, trend, tenure); `None`: no such column.
type Words = [Option<&'static str>; 5];

/// `w[0]` at `r >= hi`, `w[2]` at `r <= lo`, else `w[1]`.
fn three(r: Option<f64>, hi: f64, lo: f64, w: [&'static str; 3]) -> &'static str {
    match r {
        Some(r) if r >= hi => w[0],
        Some(r) if r <= lo => w[2],
        _ => w[1],
    }
}

/// Row `i` of column `c` of the collected segments table, when present and finite.
fn cell(t: &DataFrame, c: &str, i: usize) -> Option<f64> {
    frame::f64_at(t, c, i).filter(|v| v.is_finite())
}

/// The words of row `i` of the collected segments table (rules in the module doc).
fn words(t: &DataFrame, i: usize, value_col: Option<&str>) -> Words {
    // (segment mean, segment mean / overall mean when the overall mean is positive)
    let vs_all = |c: &str| {
        let m = cell(t, &format!("{c}_mean"), i);
        let all = cell(t, &overall(c), i).filter(|a| *a > 0.0);
        (m, m.zip(all).map(|(m, a)| m / a))
    };
    let value = value_col.map(|c| vs_all(c).1);
    let freq = vs_all(s::FREQUENCY);
    let (days, r) = vs_all(s::RECENCY_DAYS);
    let at = |(x, floor): (f64, f64), d: f64| d >= floor && r.is_some_and(|r| r >= x);
    let (tenure, tr) = vs_all(s::TENURE_DAYS);
    let new = |m: f64| m <= NEW_MAX_DAYS && tr.is_some_and(|r| r <= NEW_RATIO);
    let trend = cell(t, &format!("{}_median", s::TREND_12M), i);
    [
        value.map(|v| three(v, HIGH, LOW, VALUE_WORDS)),
        freq.0.map(|_| three(freq.1, HIGH, LOW, FREQUENCY_WORDS)),
        days.map(|d| match d {
            d if d >= LOST_DAYS || at(LOST_RATIO, d) => "lost",
            d if d >= LAPSING_DAYS || at(LAPSING_RATIO, d) => "lapsing",
            _ => "recent",
        }),
        trend.map(|t| three(Some(t), TREND_STEP, -TREND_STEP, TREND_WORDS)),
        tenure.map(|m| if new(m) { "new" } else { "established" }),
    ]
}

/// The name before de-duplication and qualifiers (patterns in the module doc, first match
/// wins), and whether it may take a qualifier (not for lost or lapsing segments).
fn head(w: &Words) -> (String, bool) {
    let [value, freq, recency, _, tenure] = *w;
    if value.is_none() {
        return head_without_value(w);
    }
    let (noun, title, value) = match value {
        Some("high-value") => ("big accounts", "High-value", "high-value"),
        Some("low-value") => ("small", "Low-value", "low-value"),
        _ => ("mid-value", "Mid-value", "mid-value"),
    };
    match (recency, freq) {
        (Some("lost"), _) if value == "high-value" => ("Lost big accounts".into(), false),
        (Some("lost"), _) => ("Lost".into(), false),
        (Some("lapsing"), _) => (format!("Lapsing {noun}"), false),
        _ if tenure == Some("new") => (format!("New {noun}"), true),
        (_, Some("loyal")) => (format!("{title} loyal"), true),
        (_, Some("occasional")) => (format!("Occasional {value}"), true),
        (_, Some(_)) => (format!("Steady {value}"), true),
        (_, None) => (format!("{title} accounts"), true),
    }
}

/// The head without a value column: the recency, tenure or frequency word alone (`Lost`,
/// `Lapsing`, `New`, `Loyal`, `Occasional`, `Steady`), else `Segment`.
fn head_without_value(w: &Words) -> (String, bool) {
    let [_, freq, recency, _, tenure] = *w;
    match (recency, freq) {
        (Some("lost"), _) => ("Lost".into(), false),
        (Some("lapsing"), _) => ("Lapsing".into(), false),
        _ if tenure == Some("new") => ("New".into(), true),
        (_, Some("loyal")) => ("Loyal".into(), true),
        (_, Some("occasional")) => ("Occasional".into(), true),
        (_, Some(_)) => ("Steady".into(), true),
        (_, None) => ("Segment".into(), true),
    }
}

/// The qualifier a segment may carry after its head: its trend (growing / declining), as
/// `(axis, word)`.
fn qualifiers(w: &Words) -> Vec<(usize, &'static str)> {
    match w[3] {
        Some(t @ ("growing" | "declining")) => vec![(3, t)],
        _ => Vec::new(),
    }
}

/// The names before de-duplication: each head with the first qualifier no other segment
/// shares. A word every segment (or two) carries tells nothing apart ("growing" three times
/// over), so it is left out and the next qualifier is tried.
fn base_names(words: &[Words]) -> Vec<String> {
    let heads: Vec<(String, bool)> = words.iter().map(head).collect();
    // only segments that take qualifiers compete (a lost segment's decline goes unsaid)
    let shares = |i: usize, axis: usize, word: &str| {
        (0..words.len()).any(|j| j != i && heads[j].1 && words[j][axis] == Some(word))
    };
    (0..words.len())
        .map(|i| {
            let (head, qualified) = heads[i].clone();
            let telling = qualifiers(&words[i])
                .into_iter()
                .find(|(axis, word)| !shares(i, *axis, word));
            match telling {
                Some((_, word)) if qualified => format!("{head}, {word}"),
                _ => head,
            }
        })
        .collect()
}

/// Names for every segment key of the table: user names, [`NO_PURCHASES`] for key 0, and
/// generated names, all distinct.
pub(super) fn name_segments(
    t: &DataFrame,
    keys: &[u32],
    value_col: Option<&str>,
    given: &BTreeMap<u32, String>,
) -> Result<BTreeMap<u32, String>> {
    let bad = |msg: String| Err(Error::config(Path::new("[segment.names]"), msg));
    let placed = keys.iter().filter(|k| **k != UNPLACED_KEY).count();
    for (k, name) in given {
        if name.trim().is_empty() {
            return bad(format!("segment {k} has an empty name."));
        }
        if *k != UNPLACED_KEY && !keys.contains(k) {
            return bad(format!(
                "segment {k} is named '{name}', but this run has {placed} segments, numbered from 1 (0 names the customers without purchases)."
            ));
        }
    }
    let (mut names, mut taken, mut generated) = (BTreeMap::new(), BTreeSet::new(), Vec::new());
    for (i, &k) in keys.iter().enumerate() {
        let fixed = given
            .get(&k)
            .cloned()
            .or_else(|| (k == UNPLACED_KEY).then(|| NO_PURCHASES.into()));
        match fixed {
            Some(n) if !taken.insert(n.clone()) => {
                return bad(format!(
                    "two segments are named '{n}'; names must be unique."
                ));
            }
            Some(n) => drop(names.insert(k, n)),
            None => generated.push((k, words(t, i, value_col))),
        }
    }
    let w: Vec<Words> = generated.iter().map(|g| g.1).collect();
    names.extend(generated.iter().map(|g| g.0).zip(unique_names(&w, &taken)));
    Ok(names)
}

/// Generated names, distinct from each other and from `taken`: segments that share a name get
/// the first word that tells them apart, then ` (2)`, ` (3)`... in segment order.
fn unique_names(words: &[Words], taken: &BTreeSet<String>) -> Vec<String> {
    let base = base_names(words);
    let mut used = taken.clone();
    let mut name = |i: usize| {
        let alike: Vec<&Words> = (0..words.len())
            .filter(|&j| base[j] == base[i])
            .map(|j| &words[j])
            .collect();
        let tells_apart = |a: &usize| {
            alike.iter().all(|w| w[*a].is_some()) && alike.iter().any(|w| w[*a] != alike[0][*a])
        };
        let name = match (0..words[i].len())
            .find(tells_apart)
            .and_then(|a| words[i][a])
        {
            Some(word) => format!("{} ({word})", base[i]),
            None => base[i].clone(),
        };
        let numbered = |n: usize| {
            if n == 1 {
                name.clone()
            } else {
                format!("{name} ({n})")
            }
        };
        let free = (1..)
            .map(numbered)
            .find(|c| !used.contains(c))
            .unwrap_or_default();
        used.insert(free.clone());
        free
    };
    (0..words.len()).map(&mut name).collect()
}

#[cfg(test)]
#[path = "names_tests.rs"]
mod tests;
