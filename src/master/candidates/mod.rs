//! Merge candidates: near-duplicate customers of the customers table, proposed for a person
//! to confirm. Customers match on a tax id, a normalised name, a phone or an address, or
//! on names similar enough, always within one district where both districts are known.
//! The search blocks on keys instead of comparing all pairs, so it stays near-linear
//! ([`search`]); the keys are built in [`normalise`]. Each pair is written once, oriented so
//! `candidate_id` is the suggested survivor (more revenue in the last 12 months, ties to the
//! smaller id): confirmed rows feed `[input.customer_merges]` as they are.

pub mod normalise;
mod params;
pub mod search;
pub mod synthetic;

use std::collections::HashMap;

use chrono::NaiveDate;
use polars::prelude::*;

use crate::error::Result;
use crate::frame::{self, epoch_days, to_fixed};
use crate::rows::{Codes, NO_CODE};
use crate::schema::{self as s, columns::master as c, outputs as o};
use crate::stage::{Line, StageOutput};

pub use params::{CandidateParams, CandidateValid};
pub use search::{Customer, Found, Limits, Pair, Rule, Skipped};

/// Skipped blocks named in the note (the largest first); the rest are counted.
const NAMED_SKIPS: usize = 3;

/// `merge_candidates.csv` and its summary line for the validated customers table, with each
/// customer's revenue of the last 12 months to `as_of` from the used transactions. Nothing
/// without a customers table (ids alone say nothing about duplicates) or when disabled.
pub fn run(
    customers: Option<&DataFrame>,
    tx: &DataFrame,
    as_of: NaiveDate,
    p: &CandidateValid,
) -> Result<StageOutput> {
    let mut out = StageOutput::default();
    let Some(table) = customers.filter(|_| p.enabled) else {
        return Ok(out);
    };
    let list = read(table)?;
    let limits = Limits {
        min_similarity: p.min_similarity,
        max_block_size: p.max_block_size,
    };
    let found = search::search(&list, limits);
    let revenue = revenue_last_12m(tx, as_of)?;
    out.line(Line::about(
        summary(&found, list.len()),
        &[o::MERGE_CANDIDATES.file],
    ));
    if !found.skipped.is_empty() {
        out.add_note(skipped_note(&found.skipped, p.max_block_size));
    }
    out.table(
        &o::MERGE_CANDIDATES,
        table_of(&list, &found.pairs, &revenue)?,
    );
    Ok(out)
}

/// The customers as the search reads them, in table order.
fn read(df: &DataFrame) -> Result<Vec<Customer>> {
    let ids = frame::trimmed(df, s::CUSTOMER_ID)?;
    let text = |n: &str| frame::trimmed(df, n).map(Vec::into_iter);
    let mut name = text(s::NAME)?;
    let mut district = text(s::DISTRICT)?;
    let mut phone = text(s::PHONE)?;
    let mut tax_id = text(s::TAX_ID)?;
    let mut address = text(s::ADDRESS)?;
    Ok(ids
        .into_iter()
        .map(|id| Customer {
            id: id.unwrap_or_default(),
            name: name.next().flatten(),
            district: district.next().flatten(),
            phone: phone.next().flatten(),
            tax_id: tax_id.next().flatten(),
            address: address.next().flatten(),
        })
        .collect())
}

/// Net revenue per customer in the 12 months ending at `as_of` (the window of the
/// `revenue_last_12m` feature), summed in fixed point.
fn revenue_last_12m(tx: &DataFrame, as_of: NaiveDate) -> Result<HashMap<String, f64>> {
    let (from, to) = (
        epoch_days(frame::months_before(as_of, 12)),
        epoch_days(as_of),
    );
    let days = tx.column(s::DATE)?.cast(&DataType::Date)?;
    let days = days.date()?.physical().rechunk();
    let amount = tx.column(s::AMOUNT)?.cast(&DataType::Float64)?;
    let codes = Codes::of(tx)?;
    // rows in file order into their customer's fixed-point sum: (first row, sum)
    let mut sums: Vec<(u32, i64)> = Vec::new();
    let rows = codes
        .as_slice()?
        .iter()
        .zip(days.iter().zip(amount.f64()?.iter()));
    for (r, (&c, (d, a))) in rows.enumerate().filter(|(_, (c, _))| **c != NO_CODE) {
        let c = c as usize;
        if c >= sums.len() {
            sums.resize(c + 1, (u32::MAX, 0));
        }
        let e = &mut sums[c];
        e.0 = e.0.min(r as u32);
        if d.is_some_and(|d| d > from && d <= to) {
            e.1 += a.map_or(0, to_fixed);
        }
    }
    let ids = tx.column(s::CUSTOMER_ID)?.str()?;
    Ok(sums
        .into_iter()
        .filter_map(|(first, sum)| {
            let id = ids.get(first as usize)?;
            Some((id.to_string(), frame::unfixed_value(sum)))
        })
        .collect())
}

/// `merge candidates: 3 pairs (name 2, phone 1) among 600 customers`.
fn summary(found: &Found, customers: usize) -> String {
    let mut by_rule: Vec<(Rule, usize)> = Vec::new();
    for p in &found.pairs {
        match by_rule.iter_mut().find(|(r, _)| *r == p.rule) {
            Some((_, n)) => *n += 1,
            None => by_rule.push((p.rule, 1)),
        }
    }
    by_rule.sort();
    let parts: Vec<String> = by_rule
        .iter()
        .map(|(r, n)| format!("{} {n}", r.as_str()))
        .collect();
    let detail = match parts.is_empty() {
        true => String::new(),
        false => format!(" ({})", parts.join(", ")),
    };
    format!(
        "merge candidates: {} pairs{detail} among {customers} customers",
        found.pairs.len()
    )
}

/// The note on blocks over the cap: how many, and the largest few by rule, key and district.
fn skipped_note(skipped: &[Skipped], cap: usize) -> String {
    let named: Vec<String> = skipped
        .iter()
        .take(NAMED_SKIPS)
        .map(|k| {
            let district = k
                .district
                .as_deref()
                .map_or(String::new(), |d| format!(" in {d}"));
            format!(
                "{} '{}'{district} ({} customers)",
                k.rule.as_str(),
                k.key,
                k.size
            )
        })
        .collect();
    format!(
        "merge candidates: {} blocks larger than master.merge_candidates.max_block_size ({cap}) \
         were not compared: {}",
        skipped.len(),
        named.join(", ")
    )
}

/// One pair as written: the customer to merge, its suggested survivor, the rule.
struct Row<'a> {
    merged: &'a Customer,
    survivor: &'a Customer,
    pair: &'a Pair,
}

/// The pairs oriented (survivor = more revenue, ties to the smaller id) and sorted by score
/// (highest first), then `customer_id`, then `candidate_id`.
fn table_of(
    list: &[Customer],
    pairs: &[Pair],
    revenue: &HashMap<String, f64>,
) -> Result<DataFrame> {
    let rev = |c: &Customer| revenue.get(&c.id).copied().unwrap_or(0.0);
    let mut rows: Vec<Row> = pairs
        .iter()
        .map(|pair| {
            let (a, b) = (&list[pair.a], &list[pair.b]);
            let a_survives = rev(a) > rev(b) || (rev(a) == rev(b) && a.id < b.id);
            let (merged, survivor) = if a_survives { (b, a) } else { (a, b) };
            Row {
                merged,
                survivor,
                pair,
            }
        })
        .collect();
    rows.sort_by(|x, y| {
        y.pair
            .score
            .total_cmp(&x.pair.score)
            .then_with(|| x.merged.id.cmp(&y.merged.id))
            .then_with(|| x.survivor.id.cmp(&y.survivor.id))
    });
    let text = |f: &dyn Fn(&Row) -> Option<String>| -> Vec<Option<String>> {
        rows.iter().map(f).collect()
    };
    let number = |f: &dyn Fn(&Row) -> f64| -> Vec<f64> { rows.iter().map(f).collect() };
    let columns = vec![
        Column::new(c::CUSTOMER_ID.into(), text(&|r| Some(r.merged.id.clone()))),
        Column::new(
            c::CANDIDATE_ID.into(),
            text(&|r| Some(r.survivor.id.clone())),
        ),
        Column::new(c::CUSTOMER_NAME.into(), text(&|r| r.merged.name.clone())),
        Column::new(c::CANDIDATE_NAME.into(), text(&|r| r.survivor.name.clone())),
        Column::new(
            c::DISTRICT.into(),
            text(&|r| {
                r.merged
                    .district
                    .clone()
                    .or_else(|| r.survivor.district.clone())
            }),
        ),
        Column::new(c::RULE.into(), text(&|r| Some(r.pair.rule.as_str().into()))),
        Column::new(c::SCORE.into(), number(&|r| r.pair.score)),
        Column::new(c::CUSTOMER_REVENUE.into(), number(&|r| rev(r.merged))),
        Column::new(c::CANDIDATE_REVENUE.into(), number(&|r| rev(r.survivor))),
    ];
    Ok(DataFrame::new_infer_height(columns)?)
}

#[cfg(test)]
mod tests;
