//! Cross-sell: for each chosen customer, the products it does not buy yet that customers like
//! it buy, scored and explained.
//!
//! A candidate's score is the larger of two shares, each a chance the product fits:
//! - its penetration in the customer's segment (share of the segment's buying customers who
//!   buy it; the whole company's when the customer has no segment);
//! - the confidence of the strongest affinity rule (lift above 1) whose antecedent the
//!   customer buys and whose consequent is the product.
//!
//! Candidates below `min_score` are dropped; the best `cross_sell_top` are kept (ties by
//! product name). A product the customer already buys is never proposed.

use std::collections::HashMap;

use polars::prelude::*;

use super::params::{CrossSellFor, ProductsValid};
use super::rules::Rule;
use crate::error::Result;
use crate::frame;
use crate::schema::{self as s, columns as cols, columns::products as c};

/// Penetration of each product by segment (`None`: the whole company).
pub type Penetration = HashMap<(Option<String>, u32), f64>;

/// What the proposals are made from.
pub struct Evidence<'a> {
    pub catalog: &'a [String],
    pub owned: &'a HashMap<String, Vec<u32>>,
    pub penetration: &'a Penetration,
    pub rules: &'a [Rule],
}

/// One proposal.
struct Proposal {
    product: u32,
    score: f64,
    segment_penetration: f64,
    rule: Option<usize>,
}

/// Penetration by (segment, product code) from `product_penetration`'s rows.
pub fn penetration_map(pen: &DataFrame, catalog: &[String]) -> Result<Penetration> {
    let code: HashMap<&str, u32> = (catalog.iter().enumerate())
        .map(|(i, n)| (n.as_str(), i as u32))
        .collect();
    let seg = frame::strings(pen, c::SEGMENT)?;
    let product = frame::strings(pen, c::PRODUCT)?;
    let share = frame::f64s(pen, c::PENETRATION)?;
    let mut out = HashMap::new();
    for ((g, p), x) in seg.into_iter().zip(product).zip(share) {
        if let (Some(p), Some(x)) = (p.and_then(|p| code.get(p.as_str()).copied()), x) {
            out.insert((g, p), x);
        }
    }
    Ok(out)
}

/// `cross_sell.csv`: up to `cross_sell_top` proposals per chosen customer of `table`.
pub fn proposals(table: &DataFrame, e: &Evidence, p: &ProductsValid) -> Result<DataFrame> {
    let ids = frame::strings(table, s::CUSTOMER_ID)?;
    let names = frame::strings(table, s::NAME)?;
    let segments = frame::strings(table, c::SEGMENT)?;
    let seg_names = frame::strings(table, c::SEGMENT_NAME)?;
    let tiers = frame::strings(table, cols::KEY_ACCOUNT_TIER)?;
    let recency = frame::f64s(table, s::RECENCY_DAYS)?;
    let by_consequent = index_rules(e.rules);
    let mut out = Rows::default();
    for i in 0..table.height() {
        let chosen = match p.cross_sell {
            CrossSellFor::KeyAccounts => tiers[i].is_some(),
            CrossSellFor::Active => recency[i].is_some_and(|d| d <= f64::from(p.active_days)),
        };
        let Some(id) = &ids[i] else { continue };
        let Some(owned) = e.owned.get(id).filter(|_| chosen) else {
            continue;
        };
        let segment = &segments[i];
        let best = rank(owned, segment, e, &by_consequent, p);
        for (r, prop) in best.iter().enumerate() {
            let reason = reason(prop, segment, &seg_names[i], e);
            out.push(i, r + 1, prop, reason, e);
        }
    }
    out.frame(&ids, &names, &segments, &tiers)
}

/// Rules (lift above 1) by their consequent, strongest first as mined.
fn index_rules(rules: &[Rule]) -> HashMap<u32, Vec<usize>> {
    let mut out: HashMap<u32, Vec<usize>> = HashMap::new();
    for (k, r) in rules.iter().enumerate().filter(|(_, r)| r.lift > 1.0) {
        out.entry(r.consequent).or_default().push(k);
    }
    out
}

/// The customer's best proposals, highest score first (ties by product name).
fn rank(
    owned: &[u32],
    segment: &Option<String>,
    e: &Evidence,
    by_consequent: &HashMap<u32, Vec<usize>>,
    p: &ProductsValid,
) -> Vec<Proposal> {
    let mut props: Vec<Proposal> = (0..e.catalog.len() as u32)
        .filter(|x| owned.binary_search(x).is_err())
        .map(|x| {
            let pen = (e.penetration.get(&(segment.clone(), x)))
                .or_else(|| e.penetration.get(&(None, x)).filter(|_| segment.is_none()))
                .copied()
                .unwrap_or(0.0);
            // the most confident rule whose antecedent the customer buys
            let rule = by_consequent.get(&x).and_then(|ks| {
                ks.iter()
                    .copied()
                    .filter(|k| {
                        e.rules[*k]
                            .antecedent
                            .iter()
                            .all(|a| owned.binary_search(a).is_ok())
                    })
                    .max_by(|a, b| {
                        (e.rules[*a].confidence.total_cmp(&e.rules[*b].confidence)).then(b.cmp(a))
                    })
            });
            let conf = rule.map_or(0.0, |k| e.rules[k].confidence);
            Proposal {
                product: x,
                score: pen.max(conf),
                segment_penetration: pen,
                rule,
            }
        })
        .filter(|x| x.score >= p.min_score && x.score > 0.0)
        .collect();
    props.sort_by(|a, b| {
        (b.score.total_cmp(&a.score))
            .then_with(|| e.catalog[a.product as usize].cmp(&e.catalog[b.product as usize]))
    });
    props.truncate(p.cross_sell_top);
    props
}

/// "bought by 64% of customers in segment 2 (Steady regulars); lift 2.3 with fly ash, which
/// this customer buys".
fn reason(
    prop: &Proposal,
    segment: &Option<String>,
    segment_name: &Option<String>,
    e: &Evidence,
) -> String {
    let mut parts = Vec::new();
    if prop.segment_penetration > 0.0 {
        let pct = (prop.segment_penetration * 100.0).round();
        let whom = match (segment, segment_name) {
            (Some(g), Some(n)) => format!("customers in segment {g} ({n})"),
            (Some(g), None) => format!("customers in segment {g}"),
            _ => "customers".to_string(),
        };
        parts.push(format!("bought by {pct:.0}% of {whom}"));
    }
    if let Some(k) = prop.rule {
        let r = &e.rules[k];
        let names: Vec<&str> = (r.antecedent.iter())
            .map(|a| e.catalog[*a as usize].as_str())
            .collect();
        parts.push(format!(
            "in {:.0}% of baskets with {} (lift {:.1}), which this customer buys",
            r.confidence * 100.0,
            names.join(" + "),
            r.lift
        ));
    }
    parts.join("; ")
}

/// The proposals as columns, built row by row.
#[derive(Default)]
struct Rows {
    row: Vec<usize>,
    rank: Vec<i64>,
    product: Vec<String>,
    score: Vec<f64>,
    pen: Vec<f64>,
    conf: Vec<Option<f64>>,
    lift: Vec<Option<f64>>,
    reason: Vec<String>,
}

impl Rows {
    fn push(&mut self, row: usize, rank: usize, p: &Proposal, reason: String, e: &Evidence) {
        self.row.push(row);
        self.rank.push(rank as i64);
        self.product.push(e.catalog[p.product as usize].clone());
        self.score.push(p.score);
        self.pen.push(p.segment_penetration);
        self.conf.push(p.rule.map(|k| e.rules[k].confidence));
        self.lift.push(p.rule.map(|k| e.rules[k].lift));
        self.reason.push(reason);
    }

    fn frame(
        self,
        ids: &[Option<String>],
        names: &[Option<String>],
        segments: &[Option<String>],
        tiers: &[Option<String>],
    ) -> Result<DataFrame> {
        let pick = |v: &[Option<String>]| -> Vec<Option<String>> {
            self.row.iter().map(|i| v[*i].clone()).collect()
        };
        let segment: Vec<Option<u32>> = (pick(segments).iter())
            .map(|g| g.as_ref().and_then(|g| g.parse().ok()))
            .collect();
        let n = self.rank.len();
        Ok(DataFrame::new(
            n,
            vec![
                Column::new(c::CUSTOMER_ID.into(), pick(ids)),
                Column::new(c::NAME.into(), pick(names)),
                Column::new(c::SEGMENT.into(), segment),
                Column::new(c::KEY_ACCOUNT_TIER.into(), pick(tiers)),
                Column::new(c::RANK.into(), self.rank),
                Column::new(c::PRODUCT.into(), self.product),
                Column::new(c::SCORE.into(), self.score),
                Column::new(c::SEGMENT_PENETRATION.into(), self.pen),
                Column::new(c::RULE_CONFIDENCE.into(), self.conf),
                Column::new(c::RULE_LIFT.into(), self.lift),
                Column::new(c::REASON.into(), self.reason),
            ],
        )?)
    }
}

#[cfg(test)]
#[path = "cross_sell_tests.rs"]
mod tests;
