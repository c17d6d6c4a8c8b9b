//! One name per customer within a district. The name draws combine a few dozen brands with a
//! handful of templates, so two different customers of one district could come out with the
//! same name; a real customer master does not hold two companies of one name in one place,
//! and the demo's merge candidates must be the planted near-duplicates, not these accidents.
//! A repeated name gets another brand (or person, or place) from its own random stream, so
//! the other tables' draws are untouched.

use std::collections::{HashMap, HashSet};

use polars::prelude::*;
use rand::RngExt;
use rand::rngs::StdRng;

use crate::error::Result;
use crate::schema;

use super::names;

/// The name as a person compares two names: letters and digits, lower case.
pub(super) fn plain(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The customers frame with every name unique within its district.
pub(super) fn in_frame(mut customers: DataFrame, rng: &mut StdRng) -> Result<DataFrame> {
    let text = |c: &str| -> Result<Vec<String>> {
        Ok(customers
            .column(c)?
            .str()?
            .iter()
            .map(|v| v.unwrap_or("").to_string())
            .collect())
    };
    let names = unique_names(&text(schema::NAME)?, &text(schema::DISTRICT)?, rng);
    customers.with_column(Column::new(schema::NAME.into(), names))?;
    Ok(customers)
}

/// `names` with every repeat within its district renamed; `districts` runs beside it.
pub(super) fn unique_names(
    names: &[String],
    districts: &[String],
    rng: &mut StdRng,
) -> Vec<String> {
    let mut seen: HashSet<(String, String)> = HashSet::with_capacity(names.len());
    let mut branches = Branches::default();
    let mut exhausted: HashSet<(String, String)> = HashSet::new();
    let mut out = Vec::with_capacity(names.len());
    for (name, district) in names.iter().zip(districts) {
        let key = |n: &str| (district.clone(), plain(n));
        if seen.insert(key(name)) {
            out.push(name.clone());
            continue;
        }
        // the alternatives are drawn even when all are known taken, so the stream's draws
        // (and every later name) stay as they were; only the search is skipped
        let options = alternatives(name, rng);
        let exhausted_key = (district.clone(), name.clone());
        let free = match exhausted.contains(&exhausted_key) {
            true => None,
            false => options.into_iter().find(|alt| !seen.contains(&key(alt))),
        };
        let renamed = match free {
            Some(alt) => alt,
            None => {
                // `seen` only grows: once every alternative is taken, it stays so
                exhausted.insert(exhausted_key);
                branches.next(name, district, &seen)
            }
        };
        seen.insert(key(&renamed));
        out.push(renamed);
    }
    out
}

/// Other names of the same kind: the brand swapped, or another person, or another place;
/// in an order drawn from `rng`.
fn alternatives(name: &str, rng: &mut StdRng) -> Vec<String> {
    let swap = |pool: &[&str], rng: &mut StdRng| -> Option<Vec<String>> {
        let found = pool.iter().find(|w| contains_word(name, w))?;
        let mut others: Vec<String> = pool
            .iter()
            .filter(|w| *w != found)
            .map(|w| name.replacen(found, w, 1))
            .collect();
        shuffle(&mut others, rng);
        Some(others)
    };
    if let Some(v) = swap(names::BRANDS, rng).or_else(|| swap(names::ZH_BRANDS, rng)) {
        return v;
    }
    if let Some(v) = swap(names::PLACES, rng).or_else(|| swap(names::DISTRICTS, rng)) {
        return v;
    }
    let mut people = names::person_pool();
    if people.iter().any(|p| p == name) {
        shuffle(&mut people, rng);
        return people;
    }
    Vec::new()
}

/// Whether `word` stands in `name` as a whole word (Chinese text has no word breaks, so any
/// occurrence counts).
fn contains_word(name: &str, word: &str) -> bool {
    if !word.is_ascii() {
        return name.contains(word);
    }
    name.split(|c: char| !c.is_alphanumeric() && c != '-')
        .any(|w| w == word)
}

/// The last resort when every alternative is taken (very large companies): a branch number,
/// the lowest one free. Names with "Branch" come only from here, so the lowest free number of
/// a name only grows: each name's search resumes where its last one stopped, which keeps a
/// million-customer company linear (a scan from 2 each time was quadratic in the repeats).
#[derive(Default)]
struct Branches(HashMap<(String, String), usize>);

impl Branches {
    fn next(&mut self, name: &str, district: &str, seen: &HashSet<(String, String)>) -> String {
        let from = self
            .0
            .entry((district.to_string(), name.to_string()))
            .or_insert(2);
        match (*from..).find(|k| {
            let n = format!("{name} Branch {k}");
            !seen.contains(&(district.to_string(), plain(&n)))
        }) {
            Some(k) => {
                *from = k + 1;
                format!("{name} Branch {k}")
            }
            None => name.to_string(),
        }
    }
}

fn shuffle<T>(v: &mut [T], rng: &mut StdRng) {
    for i in (1..v.len()).rev() {
        let j = rng.random_range(0..=i);
        v.swap(i, j);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn repeated_names_in_a_district_are_renamed_and_others_kept() {
        let names: Vec<String> = [
            "Huaxin Construction Engineering Ltd",
            "Huaxin Construction Engineering Ltd",
            "Huaxin Construction Engineering Ltd",
            "Sun Jun",
            "Sun Jun",
            "华北宏泰混凝土有限公司",
            "华北宏泰混凝土有限公司",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let districts: Vec<String> = ["A", "A", "B", "A", "A", "A", "A"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let out = unique_names(&names, &districts, &mut StdRng::seed_from_u64(1));
        // the first of each and the one in another district keep their names
        assert_eq!(out[0], names[0]);
        assert_eq!(out[2], names[2]);
        assert_eq!(out[3], names[3]);
        assert_eq!(out[5], names[5]);
        let keys: HashSet<(String, String)> = out
            .iter()
            .zip(&districts)
            .map(|(n, d)| (d.clone(), plain(n)))
            .collect();
        assert_eq!(keys.len(), names.len());
        assert!(
            out[1].ends_with("Construction Engineering Ltd"),
            "{}",
            out[1]
        );
        assert!(out[6].ends_with("混凝土有限公司"), "{}", out[6]);
    }

    #[test]
    fn branch_numbers_are_the_lowest_free_ones() {
        let mut seen = HashSet::new();
        let mut b = Branches::default();
        let key = |n: &str| ("A".to_string(), plain(n));
        seen.insert(key("Sun Jun Branch 3"));
        let got: Vec<String> = (0..3)
            .map(|_| {
                let n = b.next("Sun Jun", "A", &seen);
                seen.insert(key(&n));
                n
            })
            .collect();
        assert_eq!(
            got,
            ["Sun Jun Branch 2", "Sun Jun Branch 4", "Sun Jun Branch 5"]
        );
        assert_eq!(b.next("Sun Jun", "B", &seen), "Sun Jun Branch 2");
    }
}
