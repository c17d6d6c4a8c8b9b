//! The products stage as the pipeline runs it: the product and channel columns of the
//! customer table, then `product_affinity.csv`, `product_penetration.csv`, `channel_mix.csv`
//! and `cross_sell.csv` with their summary lines. Without a product column the stage is
//! skipped with a note.

use polars::prelude::*;

use super::bought::Bought;
use super::cross_sell::{self, Evidence};
use super::mix;
use super::params::{CrossSellFor, ProductsValid};
use super::rules::{self, Rule, Thresholds};
use crate::error::Result;
use crate::schema::{self as s, columns::products as c, outputs as o};
use crate::stage::{Line, StageOutput};

/// The customer table with the product and channel columns added (customers who bought
/// nothing have them empty); unchanged without products.
pub fn with_customer_columns(table: DataFrame, bought: Option<&Bought>) -> Result<DataFrame> {
    let Some(b) = bought else { return Ok(table) };
    let cols = b.customer_columns()?;
    let args = JoinArgs::new(JoinType::Left).with_coalesce(JoinCoalesce::CoalesceColumns);
    Ok(table
        .lazy()
        .join(
            cols.lazy(),
            [col(s::CUSTOMER_ID)],
            [col(s::CUSTOMER_ID)],
            args,
        )
        .collect()?)
}

/// The stage's tables from the customer table (with its segments and key-account tiers).
pub fn run(table: &DataFrame, bought: Option<&Bought>, p: &ProductsValid) -> Result<StageOutput> {
    let Some(b) = bought else {
        let why = match p.enabled {
            true => "the transactions have no product or channel column",
            false => "[products] enabled = false",
        };
        return Ok(StageOutput::note(format!(
            "products: no product affinity, penetration or cross-sell: {why}"
        )));
    };
    let mut out = StageOutput::default();
    if let Some(ch) = &b.by_channel {
        let mix = mix::by_segment(table, ch, s::CHANNEL)?;
        out.line(Line::about(
            "channel mix: revenue by channel and segment",
            &[o::CHANNEL_MIX.file],
        ));
        out.table(&o::CHANNEL_MIX, mix);
    }
    if !b.has_products() {
        out.add_note(
            "products: no product affinity, penetration or cross-sell: the transactions have no product column",
        );
        return Ok(out);
    }
    let t = Thresholds {
        min_support: p.min_support,
        min_confidence: p.min_confidence,
        max_antecedent: p.max_antecedent,
    };
    let mut rules = rules::mine(&b.baskets, t);
    let found = rules.len();
    rules.truncate(p.max_rules);
    out.line(Line::about(
        rules_line(b, &rules, found, p),
        &[o::PRODUCT_AFFINITY.file],
    ));
    out.table(&o::PRODUCT_AFFINITY, affinity_frame(&rules, &b.catalog)?);

    let penetration = mix::by_segment(table, &b.by_product, s::PRODUCT)?;
    out.line(Line::about(
        format!(
            "product penetration: {} products by segment",
            b.catalog.len()
        ),
        &[o::PRODUCT_PENETRATION.file],
    ));
    let owned = b.products_of()?;
    let pen = cross_sell::penetration_map(&penetration, &b.catalog)?;
    let e = Evidence {
        catalog: &b.catalog,
        owned: &owned,
        penetration: &pen,
        rules: &rules,
    };
    let proposals = cross_sell::proposals(table, &e, p)?;
    out.line(Line::about(
        cross_sell_line(&proposals, p)?,
        &[o::CROSS_SELL.file],
    ));
    out.table(&o::PRODUCT_PENETRATION, penetration);
    out.table(&o::CROSS_SELL, proposals);
    Ok(out)
}

/// "product affinity: 42 rules over 35,120 orders (support >= 0.5%, confidence >= 10%);
/// strongest fly ash -> slag powder S95 (lift 3.1)".
fn rules_line(b: &Bought, rules: &[Rule], found: usize, p: &ProductsValid) -> String {
    let mut line = format!(
        "product affinity: {found} rules over {} {}s of {} products (support >= {}%, confidence >= {}%)",
        b.baskets.total,
        b.basket_kind,
        b.catalog.len(),
        p.min_support * 100.0,
        p.min_confidence * 100.0,
    );
    if found > rules.len() {
        line.push_str(&format!("; the {} strongest written", rules.len()));
    }
    if let Some(r) = rules.first() {
        line.push_str(&format!(
            "; strongest {} -> {} (lift {:.1})",
            names(&r.antecedent, &b.catalog),
            b.catalog[r.consequent as usize],
            r.lift
        ));
    }
    line
}

fn cross_sell_line(proposals: &DataFrame, p: &ProductsValid) -> Result<String> {
    let customers = proposals.column(c::CUSTOMER_ID)?.n_unique()?;
    let whom = match p.cross_sell {
        CrossSellFor::KeyAccounts => "key accounts",
        CrossSellFor::Active => "active customers",
    };
    Ok(format!(
        "cross-sell: {} proposals for {customers} {whom}",
        proposals.height()
    ))
}

fn names(codes: &[u32], catalog: &[String]) -> String {
    let v: Vec<&str> = codes
        .iter()
        .map(|k| catalog[*k as usize].as_str())
        .collect();
    v.join(" + ")
}

/// `product_affinity.csv`: one row per rule, strongest first.
fn affinity_frame(rules: &[Rule], catalog: &[String]) -> Result<DataFrame> {
    let ante: Vec<String> = rules
        .iter()
        .map(|r| names(&r.antecedent, catalog))
        .collect();
    let cons: Vec<&str> = (rules.iter())
        .map(|r| catalog[r.consequent as usize].as_str())
        .collect();
    let both: Vec<i64> = rules.iter().map(|r| r.both as i64).collect();
    let f = |g: fn(&Rule) -> f64| -> Vec<f64> { rules.iter().map(g).collect() };
    Ok(DataFrame::new(
        rules.len(),
        vec![
            Column::new(c::ANTECEDENT.into(), ante),
            Column::new(c::CONSEQUENT.into(), cons),
            Column::new(c::BASKETS_WITH_BOTH.into(), both),
            Column::new(c::SUPPORT.into(), f(|r| r.support)),
            Column::new(c::CONFIDENCE.into(), f(|r| r.confidence)),
            Column::new(c::LIFT.into(), f(|r| r.lift)),
        ],
    )?)
}
