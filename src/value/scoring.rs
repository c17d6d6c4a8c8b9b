//! Per-customer predictions of a purchase model at the cost of their distinct inputs.
//!
//! Both purchase models factor `expected_purchases(h, x, t_x, T)` as
//! `p_alive(x, t_x, T) * expected_purchases_if_alive(h, x, T)`. P(alive) depends on the triple,
//! the expectation if alive only on (x, T) and the horizon. A million customers hold about
//! half a million distinct triples but far fewer distinct (x, T) pairs, so each factor is
//! computed once per distinct input (on every core: each value is a pure function of its
//! input, so the thread count changes nothing) and the products are taken per customer. The
//! values are the very numbers the per-customer calls give, bit for bit.

use polars::prelude::PlHashMap;

use super::clv::PurchaseModel;
use super::data::Rfm;
use crate::par::map_slice;

/// P(alive) of every customer and the expectation if alive at each of a list of horizons.
pub struct Expected {
    /// Per customer.
    pub p_alive: Vec<f64>,
    /// Per distinct (x, T): `horizons` values, row after row.
    if_alive: Vec<f64>,
    /// Per customer: its row in `if_alive`.
    pair: Vec<u32>,
    width: usize,
}

impl Expected {
    /// P(alive) of every customer of `r` and E[purchases in h | alive] for every `h` in
    /// `horizons` (model time units).
    pub fn new(m: &dyn PurchaseModel, r: &Rfm, horizons: &[f64]) -> Expected {
        let n = r.len();
        let (triples, triple) = distinct(
            (0..n).map(|i| (r.x[i].to_bits(), r.t_x[i].to_bits(), r.t[i].to_bits())),
            n,
        );
        let (pairs, pair) = distinct((0..n).map(|i| (r.x[i].to_bits(), r.t[i].to_bits())), n);
        let p = map_slice(&triples, 1_000, |&(x, tx, t)| {
            m.p_alive(f64::from_bits(x), f64::from_bits(tx), f64::from_bits(t))
        });
        let width = horizons.len();
        let mut if_alive = vec![f64::NAN; pairs.len() * width];
        let items = work(&pairs);
        let rows = map_slice(&items, 1, |(x, ks)| {
            let ts: Vec<f64> = ks.iter().map(|k| f64::from_bits(pairs[*k].1)).collect();
            m.if_alive_rows(f64::from_bits(*x), &ts, horizons)
        });
        for (item, rows) in items.iter().zip(rows) {
            for (k, row) in item.1.iter().zip(rows.chunks(width.max(1))) {
                if_alive[k * width..(k + 1) * width].copy_from_slice(row);
            }
        }
        Expected {
            p_alive: triple.iter().map(|j| p[*j as usize]).collect(),
            if_alive,
            pair,
            width,
        }
    }

    /// Customer `i`'s expected purchases if alive, one per horizon.
    pub fn if_alive(&self, i: usize) -> &[f64] {
        let k = self.pair[i] as usize * self.width;
        &self.if_alive[k..k + self.width]
    }

    /// Customer `i`'s expected purchases over horizon number `h`: P(alive) x E[.. | alive],
    /// the product the models' `expected_purchases` takes.
    pub fn purchases(&self, i: usize, h: usize) -> f64 {
        self.p_alive[i] * self.if_alive(i)[h]
    }
}

/// Ages T per work item.
const AGES_PER_ITEM: usize = 256;

/// The (x, T) pairs as work items: an x and up to [`AGES_PER_ITEM`] of its pairs (indices
/// into `pairs`), so that the items of one x share its series and the items spread evenly
/// over the cores.
fn work(pairs: &[(u64, u64)]) -> Vec<(u64, Vec<usize>)> {
    let mut by_x: PlHashMap<u64, Vec<usize>> = PlHashMap::default();
    for (k, (x, _)) in pairs.iter().enumerate() {
        by_x.entry(*x).or_default().push(k);
    }
    let mut xs: Vec<(u64, Vec<usize>)> = by_x.into_iter().collect();
    xs.sort_unstable_by_key(|(x, _)| *x);
    xs.into_iter()
        .flat_map(|(x, ks)| {
            ks.chunks(AGES_PER_ITEM)
                .map(|c| (x, c.to_vec()))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The distinct keys in first-seen order and each item's index among them.
fn distinct<K: std::hash::Hash + Eq + Copy>(
    keys: impl Iterator<Item = K>,
    capacity: usize,
) -> (Vec<K>, Vec<u32>) {
    let mut seen: PlHashMap<K, u32> =
        PlHashMap::with_capacity_and_hasher(capacity / 4, Default::default());
    let mut order = Vec::new();
    let idx = keys
        .map(|k| {
            *seen.entry(k).or_insert_with(|| {
                order.push(k);
                (order.len() - 1) as u32
            })
        })
        .collect();
    (order, idx)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Result;
    use crate::value::bgnbd::tests::{cdnow, cdnow_fit};

    /// The cached factors give exactly (bit for bit) what the per-customer calls give, on the
    /// CDNOW sample (2,357 customers, many sharing a triple or an (x, T) pair), both models.
    #[test]
    fn cached_predictions_equal_the_per_customer_calls() -> Result<()> {
        let r = cdnow()?;
        let bg = cdnow_fit(0.0)?;
        let pareto = crate::value::pareto_nbd::ParetoNbdParams::default()
            .check()?
            .fit(&r.compress())?;
        let models: [&dyn PurchaseModel; 2] = [&bg, &pareto];
        let horizons = [39.0, 52.0, 30.0 / 7.0];
        for m in models {
            let e = Expected::new(m, &r, &horizons);
            for i in 0..r.len() {
                let (x, tx, t) = (r.x[i], r.t_x[i], r.t[i]);
                assert_eq!(e.p_alive[i].to_bits(), m.p_alive(x, tx, t).to_bits());
                for (h, hz) in horizons.iter().enumerate() {
                    let want = m.expected_purchases(*hz, x, tx, t);
                    assert_eq!(e.purchases(i, h).to_bits(), want.to_bits(), "row {i}");
                    let alive = m.expected_purchases_if_alive(*hz, x, t);
                    assert_eq!(e.if_alive(i)[h].to_bits(), alive.to_bits());
                }
            }
        }
        Ok(())
    }
}
