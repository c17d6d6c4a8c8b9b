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
//! frequency column. New and recent names get `, growing` / `, declining` from the trend.
//! Segments that would share a name get the first word that tells them apart, in the order
//! value, frequency, recency, trend, tenure (`Lost (mid-value)`, `Lost (low-value)`); segments
//! still alike are numbered in segment order (`Lost (2)`). A name from `ProfileParams::names`
//! always wins, and generated names avoid it.

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
fn words(t: &DataFrame, i: usize, value_col: &str) -> Words {
    // (segment mean, segment mean / overall mean when the overall mean is positive)
    let vs_all = |c: &str| {
        let m = cell(t, &format!("{c}_mean"), i);
        let all = cell(t, &overall(c), i).filter(|a| *a > 0.0);
        (m, m.zip(all).map(|(m, a)| m / a))
    };
    let (value, freq) = (vs_all(value_col), vs_all(s::FREQUENCY));
    let (days, r) = vs_all(s::RECENCY_DAYS);
    let at = |(x, floor): (f64, f64), d: f64| d >= floor && r.is_some_and(|r| r >= x);
    let (tenure, tr) = vs_all(s::TENURE_DAYS);
    let new = |m: f64| m <= NEW_MAX_DAYS && tr.is_some_and(|r| r <= NEW_RATIO);
    let trend = cell(t, &format!("{}_median", s::TREND_12M), i);
    [
        Some(three(value.1, HIGH, LOW, VALUE_WORDS)),
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

/// The name before de-duplication (patterns in the module doc, first match wins).
fn base_name(w: &Words) -> String {
    let [value, freq, recency, trend, tenure] = *w;
    let (noun, title, value) = match value {
        Some("high-value") => ("big accounts", "High-value", "high-value"),
        Some("low-value") => ("small", "Low-value", "low-value"),
        _ => ("mid-value", "Mid-value", "mid-value"),
    };
    let trend = match trend {
        Some(t @ ("growing" | "declining")) => format!(", {t}"),
        _ => String::new(),
    };
    match (recency, freq) {
        (Some("lost"), _) if value == "high-value" => "Lost big accounts".into(),
        (Some("lost"), _) => "Lost".into(),
        (Some("lapsing"), _) => format!("Lapsing {noun}"),
        _ if tenure == Some("new") => format!("New {noun}{trend}"),
        (_, Some("loyal")) => format!("{title} loyal{trend}"),
        (_, Some("occasional")) => format!("Occasional {value}{trend}"),
        (_, Some(_)) => format!("Steady {value}{trend}"),
        (_, None) => format!("{title} accounts{trend}"),
    }
}

/// Names for every segment key of the table: user names, [`NO_PURCHASES`] for key 0, and
/// generated names, all distinct.
pub(super) fn name_segments(
    t: &DataFrame,
    keys: &[u32],
    value_col: &str,
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
    let base: Vec<String> = words.iter().map(base_name).collect();
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
