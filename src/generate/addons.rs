//! Add-on lines: what a cement plant sells besides cement, on the same order as the cement.
//!
//! Fly ash (粉煤灰) and slag powder S95 (矿粉) go into concrete with the cement, concrete
//! admixture (外加剂) in small quantities, and ready-mix C30 (per m3) from the group's own
//! batching plant. Who buys them depends on the customer type ([`HABITS`]): ready-mix plants
//! blend fly ash and slag powder into bulk P.O 42.5/52.5 (the two often together), developers
//! take ready-mix C30, construction and hydropower sites take admixture (hydropower also fly
//! ash, for mass concrete), distributors, fleets and individuals rarely buy any. A habit is a
//! per-customer trait: only a share of a type has it, at a per-customer rate, so some
//! customers of every type never buy an add-on (the cross-sell opportunity).
//!
//! Lines are added after the ledger is numbered and share their parent's order number, day,
//! customer and channel; they are never returned. Every draw comes from [`Stream::Addons`]:
//! per customer for the habits, one sequential stream over the sorted ledger for the orders,
//! so the cement lines are the same with or without them.

use rand::RngExt;
use rand::rngs::StdRng;

use super::customers::Profile;
use super::transactions::{PRODUCTS, Sale};
use super::{Stream, round_to, round2, round3, stream};

/// Add-on product: name, list price (per t; per m3 for ready-mix), quantity per tonne of the
/// parent cement line (range), rounding step and smallest line.
pub(super) struct Addon {
    pub name: &'static str,
    price: f64,
    per_tonne: (f64, f64),
    step: f64,
    min: f64,
}

/// The add-ons; product index = `PRODUCTS.len()` + position.
pub(super) const ADDONS: [Addon; 4] = [
    addon("fly ash", 260.0, (0.15, 0.35), 0.001, 0.5),
    addon("slag powder S95", 300.0, (0.15, 0.40), 0.001, 0.5),
    addon("concrete admixture", 2_800.0, (0.004, 0.012), 0.001, 0.025),
    addon("ready-mix C30", 380.0, (0.2, 0.6), 0.5, 1.0),
];
pub(super) const FLY_ASH: usize = 0;
pub(super) const SLAG: usize = 1;
pub(super) const ADMIXTURE: usize = 2;
pub(super) const READY_MIX: usize = 3;

const fn addon(name: &'static str, price: f64, per: (f64, f64), step: f64, min: f64) -> Addon {
    Addon {
        name,
        price,
        per_tonne: per,
        step,
        min,
    }
}

/// A buying habit: `share` of the type's customers have it; such a customer adds the bundle
/// to an order (only a bulk P.O order when `bulk_only`) with its own rate drawn from `rate`;
/// each item of the bundle comes with its probability (the first when none does).
pub(super) struct Habit {
    share: f64,
    rate: (f64, f64),
    bulk_only: bool,
    items: &'static [(usize, f64)],
}

const fn habit(
    share: f64,
    rate: (f64, f64),
    bulk_only: bool,
    items: &'static [(usize, f64)],
) -> Habit {
    Habit {
        share,
        rate,
        bulk_only,
        items,
    }
}

/// Most habits a type has.
const MAX_HABITS: usize = 2;
/// Blending: fly ash and slag powder, often together.
const BLEND: &[(usize, f64)] = &[(FLY_ASH, 0.8), (SLAG, 0.7)];
const ADMIX: &[(usize, f64)] = &[(ADMIXTURE, 1.0)];

/// Habits per customer type, in `customers::TYPES` order.
pub(super) const HABITS: [&[Habit]; 9] = [
    // ready_mix
    &[
        habit(0.7, (0.3, 0.7), true, BLEND),
        habit(0.25, (0.05, 0.2), true, ADMIX),
    ],
    // developer
    &[habit(0.6, (0.15, 0.45), false, &[(READY_MIX, 1.0)])],
    // distributor
    &[habit(
        0.15,
        (0.02, 0.08),
        false,
        &[(ADMIXTURE, 0.6), (FLY_ASH, 0.4)],
    )],
    // construction
    &[
        habit(0.55, (0.2, 0.5), false, ADMIX),
        habit(0.15, (0.1, 0.3), true, BLEND),
    ],
    // hydropower: admixture, and fly ash for mass concrete (rarely slag)
    &[
        habit(0.8, (0.3, 0.6), false, ADMIX),
        habit(0.6, (0.3, 0.6), true, &[(FLY_ASH, 1.0), (SLAG, 0.2)]),
    ],
    // government
    &[habit(0.15, (0.05, 0.2), false, ADMIX)],
    // enterprise
    &[habit(
        0.1,
        (0.05, 0.2),
        false,
        &[(ADMIXTURE, 0.5), (FLY_ASH, 0.5)],
    )],
    // fleet
    &[habit(0.04, (0.02, 0.1), false, ADMIX)],
    // individual
    &[habit(0.03, (0.02, 0.1), false, ADMIX)],
];

/// The name of product `product` (a cement grade or an add-on).
pub(super) fn product_name(product: u8) -> &'static str {
    let i = usize::from(product);
    match PRODUCTS.get(i) {
        Some(p) => p.0,
        None => ADDONS.get(i - PRODUCTS.len()).map_or("", |a| a.name),
    }
}

/// Bulk P.O 42.5 or 52.5, the grades concrete is blended from.
fn is_bulk_po(product: u8) -> bool {
    matches!(product, 1 | 2)
}

/// Each customer's rate per habit of its type (0: it does not have the habit).
fn rates(seed: u64, people: &[Profile]) -> Vec<[f32; MAX_HABITS]> {
    people
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let mut rng = stream(seed, Stream::Addons, i as u64);
            let mut out = [0.0_f32; MAX_HABITS];
            for (r, h) in out.iter_mut().zip(HABITS[c.kind]) {
                if rng.random_bool(h.share) {
                    *r = rng.random_range(h.rate.0..h.rate.1) as f32;
                }
            }
            out
        })
        .collect()
}

/// Append the add-on lines of every purchase in `sales` (numbered, no returns yet).
pub(super) fn add(seed: u64, people: &[Profile], sales: &mut Vec<Sale>) {
    let rates = rates(seed, people);
    // One sequential stream over the sorted ledger (sub-stream past every customer's).
    let mut rng = stream(seed, Stream::Addons, u64::MAX);
    let n = sales.len();
    for k in 0..n {
        let parent = sales[k];
        if parent.is_return {
            continue;
        }
        let customer = parent.customer as usize;
        let mut chosen = [false; ADDONS.len()];
        for (h, r) in HABITS[people[customer].kind].iter().zip(rates[customer]) {
            if r <= 0.0 || (h.bulk_only && !is_bulk_po(parent.product)) {
                continue;
            }
            if !rng.random_bool(f64::from(r)) {
                continue;
            }
            let mut any = false;
            for &(a, p) in h.items {
                if rng.random_bool(p) {
                    chosen[a] = true;
                    any = true;
                }
            }
            if !any {
                chosen[h.items[0].0] = true;
            }
        }
        for (a, _) in chosen.iter().enumerate().filter(|(_, on)| **on) {
            sales.push(line(&parent, a, &mut rng));
        }
    }
}

/// Add-on `a` on `parent`'s order: a share of its tonnes at about the list price.
fn line(parent: &Sale, a: usize, rng: &mut StdRng) -> Sale {
    let addon = &ADDONS[a];
    let q = parent.quantity * rng.random_range(addon.per_tonne.0..addon.per_tonne.1);
    let price = addon.price * rng.random_range(0.96..1.04);
    Sale {
        quantity: round3(round_to(q, addon.step).max(addon.min)),
        price: round2(price),
        product: (PRODUCTS.len() + a) as u8,
        ret_days: 0,
        ret_pct: 0,
        ..*parent
    }
}
