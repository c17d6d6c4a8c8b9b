//! The merge map resolved: each merged id to the id that survives at the end of its chain.
//!
//! `A -> B` and `B -> C` fold both A and B into C; `A -> C` and `B -> C` (a diamond) fold
//! both into C. A chain that comes back to an id it passed (`A -> B -> A`, or longer) has no
//! survivor: [`Error::MergeCycle`] names its ids in order, starting at the smallest. A row
//! merging an id into itself is a cycle of one (validation rejects such rows before).

use std::collections::BTreeMap;

use crate::error::{Error, Result};

/// Each merged id and its survivor, sorted by merged id. `pairs` are (customer_id,
/// merge_into); an exact repeat counts once and, should an id be given two targets, the
/// first stands (validation has rejected the later row already).
pub fn survivors(pairs: &[(String, String)]) -> Result<BTreeMap<String, String>> {
    let mut next: BTreeMap<&str, &str> = BTreeMap::new();
    for (from, to) in pairs {
        next.entry(from.as_str()).or_insert(to.as_str());
    }
    let mut resolved: BTreeMap<String, String> = BTreeMap::new();
    for &start in next.keys() {
        if resolved.contains_key(start) {
            continue;
        }
        // walk start -> next -> ... until an id with no target (the survivor) or one
        // already resolved; the map is finite, so the walk ends or meets its own path
        let mut path: Vec<&str> = vec![start];
        let mut at = next[start];
        let survivor = loop {
            if let Some(s) = resolved.get(at) {
                break s.clone();
            }
            if let Some(i) = path.iter().position(|p| *p == at) {
                return Err(cycle(&path[i..]));
            }
            match next.get(at) {
                Some(&to) => {
                    path.push(at);
                    at = to;
                }
                None => break at.to_string(),
            }
        };
        for p in path {
            resolved.insert(p.to_string(), survivor.clone());
        }
    }
    Ok(resolved)
}

/// The cycle's ids in order from its smallest, with that id repeated at the end.
fn cycle(ids: &[&str]) -> Error {
    let start = ids
        .iter()
        .enumerate()
        .min_by_key(|(_, id)| **id)
        .map_or(0, |(i, _)| i);
    let mut order: Vec<String> = ids[start..]
        .iter()
        .chain(&ids[..start])
        .map(|s| s.to_string())
        .collect();
    if let Some(first) = order.first().cloned() {
        order.push(first);
    }
    Error::MergeCycle { ids: order }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
        p.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    fn resolve(p: &[(&str, &str)]) -> Result<Vec<(String, String)>> {
        Ok(survivors(&pairs(p))?.into_iter().collect())
    }

    fn cycle_of(p: &[(&str, &str)]) -> Vec<String> {
        match survivors(&pairs(p)) {
            Err(Error::MergeCycle { ids }) => ids,
            other => panic!("no cycle found: {other:?}"),
        }
    }

    #[test]
    fn a_chain_folds_every_id_into_its_last() -> Result<()> {
        assert_eq!(
            resolve(&[("A", "B"), ("B", "C")])?,
            pairs(&[("A", "C"), ("B", "C")])
        );
        Ok(())
    }

    #[test]
    fn a_long_chain_given_backwards_still_ends_at_one_survivor() -> Result<()> {
        let ids: Vec<String> = (0..50).map(|i| format!("C{i:02}")).collect();
        let p: Vec<(String, String)> = ids
            .windows(2)
            .rev()
            .map(|w| (w[0].clone(), w[1].clone()))
            .collect();
        let s = survivors(&p)?;
        assert_eq!(s.len(), 49);
        assert!(s.values().all(|v| v == "C49"), "{s:?}");
        Ok(())
    }

    #[test]
    fn a_diamond_folds_both_into_the_shared_target() -> Result<()> {
        assert_eq!(
            resolve(&[("A", "C"), ("B", "C")])?,
            pairs(&[("A", "C"), ("B", "C")])
        );
        Ok(())
    }

    #[test]
    fn an_exact_repeat_counts_once() -> Result<()> {
        assert_eq!(resolve(&[("A", "B"), ("A", "B")])?, pairs(&[("A", "B")]));
        Ok(())
    }

    #[test]
    fn a_cycle_of_two_is_named_in_order() {
        assert_eq!(cycle_of(&[("B", "A"), ("A", "B")]), ["A", "B", "A"]);
    }

    #[test]
    fn a_cycle_of_three_is_named_from_its_smallest_id() {
        assert_eq!(
            cycle_of(&[("X", "C"), ("C", "A"), ("A", "B"), ("B", "C")]),
            ["A", "B", "C", "A"]
        );
        assert_eq!(
            cycle_of(&[("B", "C"), ("C", "A"), ("A", "B")]),
            ["A", "B", "C", "A"]
        );
    }

    #[test]
    fn a_self_loop_is_a_cycle_of_one() {
        assert_eq!(cycle_of(&[("A", "A")]), ["A", "A"]);
    }

    #[test]
    fn the_result_does_not_depend_on_row_order() -> Result<()> {
        let p = [("A", "B"), ("B", "C"), ("D", "C"), ("E", "D"), ("F", "G")];
        let mut rev = p;
        rev.reverse();
        assert_eq!(resolve(&p)?, resolve(&rev)?);
        assert_eq!(
            resolve(&p)?,
            pairs(&[("A", "C"), ("B", "C"), ("D", "C"), ("E", "C"), ("F", "G")])
        );
        Ok(())
    }
}
