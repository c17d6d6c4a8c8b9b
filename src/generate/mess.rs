//! The mess real exports carry (domain.md, articles 3 and 4), planted on purpose so the demo
//! shows kam finding it:
//! - a few customers recorded twice: a second id from another system, with that system's
//!   spelling of the name (upper case and `CO., LTD.`, full-width letters, `Limited` for
//!   `Ltd`, doubled spaces, a dropped letter), and part of the customer's sales booked under
//!   it;
//! - two monthly extracts that overlap by a few days, concatenated: the overlap's rows appear
//!   twice, the second time at the end of the file;
//! - a few feedback rows typed in wrong (a score of 7, an nps of 11, a complaint resolved
//!   before it was made), at the end of the feedback table.
//!
//! An order's add-on lines follow its cement line and go with it: a doubled customer's order
//! is booked under one id, and orders (not lines) decide who is doubled.
//!
//! Both come from their own random stream, after every table is drawn, so the rest of the
//! company is the same with or without them.

use std::collections::{BTreeMap, HashMap};

use polars::prelude::*;
use rand::RngExt;
use rand::rngs::StdRng;

use crate::error::Result;
use crate::frame;
use crate::schema as s;

/// One customer recorded twice per this many customers.
const PER_NEAR_DUPLICATE: usize = 200;
/// A customer is doubled only when it has at least this many sales (so both ids keep some).
const MIN_SALES: u32 = 4;
/// Share of a doubled customer's sales booked under its second id.
const MOVED_SHARE: f64 = 0.4;
/// Days by which two consecutive monthly extracts overlap.
const OVERLAP_DAYS: i32 = 3;
/// Feedback rows typed in wrong.
const BAD_FEEDBACK: usize = 3;

/// What was planted, for `kam generate`'s summary and the docs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Planted {
    /// Customers recorded under a second id.
    pub near_duplicates: usize,
    /// Transaction rows that repeat an earlier row in every column.
    pub repeated_rows: usize,
    /// Feedback rows with a value off its scale or a date out of order.
    pub bad_feedback: usize,
}

/// Customers with near-duplicates added and transactions re-keyed and with the overlap
/// repeated.
pub(super) fn plant(
    customers: DataFrame,
    transactions: DataFrame,
    rng: &mut StdRng,
) -> Result<(DataFrame, DataFrame, Planted)> {
    let (customers, moves) = near_duplicates(customers, &transactions, rng)?;
    let transactions = rebook(transactions, &moves, rng)?;
    let (transactions, repeated_rows) = overlap(transactions)?;
    let planted = Planted {
        near_duplicates: moves.len(),
        repeated_rows,
        bad_feedback: 0,
    };
    Ok((customers, transactions, planted))
}

/// The customers table with one second record per doubled customer (same attributes, a new
/// id, another spelling), and the map from each doubled id to its second id.
fn near_duplicates(
    customers: DataFrame,
    transactions: &DataFrame,
    rng: &mut StdRng,
) -> Result<(DataFrame, BTreeMap<String, String>)> {
    let n = customers.height() / PER_NEAR_DUPLICATE;
    let mut sales: BTreeMap<&str, u32> = BTreeMap::new();
    let ids = transactions.column(s::CUSTOMER_ID)?.str()?;
    let firsts = first_lines(transactions)?;
    for (id, _) in ids.iter().zip(firsts).filter(|(_, f)| *f) {
        if let Some(id) = id {
            *sales.entry(id).or_default() += 1;
        }
    }
    let mut eligible: Vec<&str> = sales
        .iter()
        .filter(|(_, n)| **n >= MIN_SALES)
        .map(|(id, _)| *id)
        .collect();
    let n = n.min(eligible.len());
    // a partial Fisher-Yates: the first n of a seeded shuffle, then in id order
    for i in 0..n {
        let j = rng.random_range(i..eligible.len());
        eligible.swap(i, j);
    }
    let mut chosen: Vec<&str> = eligible[..n].to_vec();
    chosen.sort_unstable();
    let ids = customers.column(s::CUSTOMER_ID)?.str()?.clone();
    let width = ids.get(0).map_or(7, str::len);
    let rows: HashMap<&str, usize> = ids
        .iter()
        .enumerate()
        .filter_map(|(i, id)| id.map(|id| (id, i)))
        .collect();
    let mut moves = BTreeMap::new();
    let mut extra = Vec::with_capacity(n);
    for (k, id) in chosen.iter().enumerate() {
        let Some(&row) = rows.get(id) else {
            continue;
        };
        let second = format!("C{:0w$}", customers.height() + k + 1, w = width - 1);
        let mut record = customers.slice(row as i64, 1);
        let name = record
            .column(s::NAME)?
            .str()?
            .get(0)
            .unwrap_or("")
            .to_string();
        let spelling = respell(&name, rng.random_range(0..6_u8));
        record.with_column(Column::new(s::CUSTOMER_ID.into(), [second.as_str()]))?;
        record.with_column(Column::new(s::NAME.into(), [spelling.as_str()]))?;
        extra.push(record);
        moves.insert(id.to_string(), second);
    }
    let mut out = customers;
    for r in &extra {
        out.vstack_mut(r)?;
    }
    Ok((out, moves))
}

/// How another system spells `name`; the first five normalise to the same name (case,
/// width, suffix, spacing), the last drops a letter (a similar name, not the same).
pub(super) fn respell(name: &str, how: u8) -> String {
    if !name.is_ascii() {
        return respell_chinese(name, how);
    }
    match how {
        0 => {
            let base = name.strip_suffix(" Ltd").unwrap_or(name);
            format!("{} CO., LTD.", base.to_uppercase())
        }
        1 => name
            .chars()
            .map(|c| match c {
                '!'..='~' => char::from_u32(c as u32 + 0xFEE0).unwrap_or(c),
                ' ' => '\u{3000}',
                _ => c,
            })
            .collect(),
        2 if name.ends_with(" Ltd") => format!("{}imited", name.trim_end_matches("td")),
        2 => format!("{name} Co., Ltd"),
        3 => name.replace(' ', "  ").replace("Ltd", "Ltd."),
        4 => format!("{} ", name.to_lowercase()),
        _ => drop_a_letter(name),
    }
}

/// How another system writes a Chinese name: another company form, the place in brackets
/// (full-width or half-width), or the name with spaces in it.
fn respell_chinese(name: &str, how: u8) -> String {
    let chars: Vec<char> = name.chars().collect();
    let head: String = chars.iter().take(2).collect();
    let tail: String = chars.iter().skip(2).collect();
    match how % 4 {
        0 if name.ends_with("有限公司") => {
            format!("{}有限责任公司", name.trim_end_matches("有限公司"))
        }
        1 => format!("（{head}）{tail}"),
        2 => format!("{head}({tail})"),
        _ => chars
            .iter()
            .map(|c| c.to_string())
            .collect::<Vec<_>>()
            .join(" "),
    }
}

/// `name` without the fourth letter of its longest word (a typing slip).
fn drop_a_letter(name: &str) -> String {
    let Some(word) = name.split(' ').max_by_key(|w| w.chars().count()) else {
        return name.to_string();
    };
    if word.chars().count() < 6 {
        return format!("{name}.");
    }
    let slipped: String = word
        .chars()
        .enumerate()
        .filter(|(i, _)| *i != 3)
        .map(|(_, c)| c)
        .collect();
    name.replacen(word, &slipped, 1)
}

/// Each doubled customer's sales booked under its second id with chance [`MOVED_SHARE`].
fn rebook(
    transactions: DataFrame,
    moves: &BTreeMap<String, String>,
    rng: &mut StdRng,
) -> Result<DataFrame> {
    if moves.is_empty() {
        return Ok(transactions);
    }
    let lookup: HashMap<&str, &str> = moves
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    // one draw per order: its add-on lines go where its first line went
    let mut moved = false;
    let ids: StringChunked = transactions
        .column(s::CUSTOMER_ID)?
        .str()?
        .iter()
        .zip(first_lines(&transactions)?)
        .map(|(id, first)| match id.and_then(|i| lookup.get(i)) {
            Some(second) => {
                if first {
                    moved = rng.random_bool(MOVED_SHARE);
                }
                if moved { Some(*second) } else { id }
            }
            _ => id,
        })
        .collect();
    let mut out = transactions;
    out.with_column(ids.with_name(s::CUSTOMER_ID.into()).into_column())?;
    Ok(out)
}

/// The transactions with the last [`OVERLAP_DAYS`] days of the middle month of the history
/// repeated at the end (the next extract started a few days early), and how many rows.
fn overlap(transactions: DataFrame) -> Result<(DataFrame, usize)> {
    let days = transactions.column(s::DATE)?.cast(&DataType::Int32)?;
    let days = days.i32()?;
    let (Some(first), Some(last)) = (days.min(), days.max()) else {
        return Ok((transactions, 0));
    };
    let middle = (frame::month_of(first) + frame::month_of(last)) / 2;
    let end = frame::month_end(middle);
    let repeated = transactions
        .clone()
        .lazy()
        .filter(frame::day(col(s::DATE)).gt(lit(end - OVERLAP_DAYS)))
        .filter(frame::day(col(s::DATE)).lt_eq(lit(end)))
        .collect()?;
    let n = repeated.height();
    let mut out = transactions;
    out.vstack_mut(&repeated)?;
    Ok((out, n))
}

/// Per row, whether it starts an order (its order id differs from the row before's; an
/// order's lines are adjacent). Rows without an order id each start one.
fn first_lines(transactions: &DataFrame) -> Result<Vec<bool>> {
    let orders = transactions.column(s::ORDER_ID)?.str()?;
    let mut prev: Option<&str> = None;
    Ok(orders
        .iter()
        .map(|o| {
            let first = o.is_none() || o != prev;
            prev = o;
            first
        })
        .collect())
}

/// `feedback` with [`BAD_FEEDBACK`] copies of random rows appended, each typed in wrong: a
/// score of 7, an nps of 11, a resolution two days before the contact.
pub(super) fn bad_feedback(feedback: DataFrame, rng: &mut StdRng) -> Result<(DataFrame, usize)> {
    let n = feedback.height();
    if n == 0 {
        return Ok((feedback, 0));
    }
    let mut out = feedback.clone();
    for k in 0..BAD_FEEDBACK {
        let mut row = feedback.slice(rng.random_range(0..n) as i64, 1);
        match k {
            0 => row.with_column(Column::new(s::SCORE.into(), [Some(7_i64)]))?,
            1 => row.with_column(Column::new(s::NPS.into(), [Some(11_i64)]))?,
            _ => {
                let day = frame::days(&row, s::DATE)?.first().copied().flatten();
                row.with_column(super::opt_date_col(s::RESOLVED_ON, &[day.map(|d| d - 2)]))?
            }
        };
        out.vstack_mut(&row)?;
    }
    Ok((out, BAD_FEEDBACK))
}
