//! One walk over each customer's purchase lines ([`crate::rows::CustomerRows`]) gives the
//! revenue and first day per customer and product, the revenue per customer and channel, and
//! the baskets, with no string-keyed group-by over tens of millions of lines. Products and
//! channels are numbered once (codes in name order); sums are taken in fixed point, as
//! [`crate::frame::fixed_sum`] takes them. Tested equal to the Polars group-by it replaced.

use std::collections::HashMap;

use polars::prelude::*;

use super::rules::Baskets;
use crate::error::Result;
use crate::frame::{self, to_fixed, unfixed_value};
use crate::rows::{ByRow, CustomerRows, day_numbers, f64_chunk};
use crate::schema as s;

/// A row whose value is blank.
const NONE: u32 = u32::MAX;
/// Customers per task of the parallel walk.
const CUSTOMERS_PER_TASK: usize = 4096;

/// What the walk found (the frames sorted by customer id, then product or channel name).
pub struct Walked {
    pub catalog: Vec<String>,
    /// customer_id, product, revenue, first day.
    pub by_product: DataFrame,
    /// customer_id, channel, revenue.
    pub by_channel: Option<DataFrame>,
    pub baskets: Baskets,
}

/// Names of the working columns of the frames.
pub struct Names {
    pub revenue: &'static str,
    pub first: &'static str,
}

/// A text column read by row number without copying it into one chunk: each row's chunk is
/// found by a binary search over the chunks' first rows.
struct TextByRow {
    /// One zero-copy slice per chunk (a one-chunk array reads a row in constant time).
    parts: Vec<StringChunked>,
    starts: Vec<usize>,
}

impl TextByRow {
    fn of(ca: &StringChunked) -> Self {
        let (mut parts, mut starts, mut at) = (Vec::new(), Vec::new(), 0usize);
        for len in ca.chunk_lengths() {
            parts.push(ca.slice(at as i64, len));
            starts.push(at);
            at += len;
        }
        TextByRow { parts, starts }
    }

    fn get(&self, r: usize) -> Option<&str> {
        let k = self.starts.partition_point(|&s| s <= r).saturating_sub(1);
        self.parts.get(k)?.get(r - self.starts.get(k)?)
    }
}

/// A code per row for its text (in sorted-name order; [`NONE`] when blank) and the names.
fn dictionary(col: &StringChunked) -> (Vec<u32>, Vec<String>) {
    let mut index: HashMap<&str, u32> = HashMap::new();
    let first: Vec<u32> = col
        .iter()
        .map(|v| match v {
            Some(v) => {
                let next = index.len() as u32;
                *index.entry(v).or_insert(next)
            }
            None => NONE,
        })
        .collect();
    let mut names: Vec<(&str, u32)> = index.into_iter().collect();
    names.sort_unstable();
    let mut remap = vec![0u32; names.len()];
    for (sorted, (_, old)) in names.iter().enumerate() {
        remap[*old as usize] = sorted as u32;
    }
    let codes = first
        .into_iter()
        .map(|c| if c == NONE { c } else { remap[c as usize] })
        .collect();
    (
        codes,
        names.into_iter().map(|(n, _)| n.to_string()).collect(),
    )
}

/// The per-row inputs of the walk.
struct Lines<'a> {
    amount: ByRow<'a>,
    /// Products in the catalogue.
    products: usize,
    days: Vec<i32>,
    product: Option<Vec<u32>>,
    channel: Option<Vec<u32>>,
    order: Option<TextByRow>,
}

/// One task's findings: (customer, code, fixed sum, first day) rows of products and of
/// channels (day 0), and its baskets with their counts.
type Found = (Vec<(u32, u32, i64, i32)>, Vec<(u32, u32, i64, i32)>, Tally);

/// Baskets counted by their products: as a bit set while the catalogue has at most 128
/// products (no allocation per basket), else as the sorted codes.
struct Tally {
    bits: bool,
    small: HashMap<u128, u64>,
    large: HashMap<Vec<u32>, u64>,
}

impl Tally {
    fn new(products: usize) -> Self {
        Tally {
            bits: products <= 128,
            small: HashMap::new(),
            large: HashMap::new(),
        }
    }

    /// One basket of sorted, distinct codes.
    fn add(&mut self, items: &[u32]) {
        match self.bits {
            true => {
                let m = items.iter().fold(0u128, |m, &i| m | (1u128 << i));
                *self.small.entry(m).or_insert(0) += 1;
            }
            false => *self.large.entry(items.to_vec()).or_insert(0) += 1,
        }
    }

    fn merge(&mut self, other: Tally) {
        for (k, n) in other.small {
            *self.small.entry(k).or_insert(0) += n;
        }
        for (k, n) in other.large {
            *self.large.entry(k).or_insert(0) += n;
        }
    }

    /// The counts by sorted codes.
    fn into_counts(self) -> HashMap<Vec<u32>, u64> {
        let mut out = self.large;
        for (m, n) in self.small {
            let items: Vec<u32> = (0..128u32).filter(|i| m & (1u128 << i) != 0).collect();
            *out.entry(items).or_insert(0) += n;
        }
        out
    }
}

/// Walk the purchase lines (a positive amount) of `tx`: products over the lines with one,
/// channels over the lines with one. `None` when the transactions have neither column.
pub fn walk(tx: &DataFrame, by_order: bool, names: Names) -> Result<Option<Walked>> {
    let coded = |name: &str| -> Result<(Option<Vec<u32>>, Vec<String>)> {
        match frame::has(tx, name) {
            true => {
                let (c, n) = dictionary(tx.column(name)?.str()?);
                Ok((Some(c), n))
            }
            false => Ok((None, Vec::new())),
        }
    };
    let (product, catalog) = coded(s::PRODUCT)?;
    let (channel, channels) = coded(s::CHANNEL)?;
    if catalog.is_empty() && channels.is_empty() {
        return Ok(None);
    }
    let amounts = f64_chunk(tx, s::AMOUNT)?;
    let lines = Lines {
        amount: ByRow::of(&amounts),
        products: catalog.len(),
        days: day_numbers(tx)?,
        product,
        channel,
        order: match by_order && frame::has(tx, s::ORDER_ID) {
            true => Some(TextByRow::of(tx.column(s::ORDER_ID)?.str()?)),
            false => None,
        },
    };
    let keep = |r: usize| lines.amount.get(r).is_some_and(|a| a > 0.0);
    let rows = CustomerRows::of(tx, keep)?;
    let tasks = rows.len().div_ceil(CUSTOMERS_PER_TASK);
    let found = crate::par::map_tasks(tasks, |t| {
        let lo = t * CUSTOMERS_PER_TASK;
        let hi = (lo + CUSTOMERS_PER_TASK).min(rows.len());
        Ok(task(&rows, &lines, lo..hi))
    })?;
    let (mut prods, mut chans) = (Vec::new(), Vec::new());
    let mut baskets = Tally::new(catalog.len());
    for (p, c, b) in found {
        prods.extend(p);
        chans.extend(c);
        baskets.merge(b);
    }
    let ids = rows.ids();
    let by_product = sums_frame(ids, &prods, &catalog, s::PRODUCT, &names, true)?;
    let by_channel = match lines.channel.is_some() {
        true => Some(sums_frame(
            ids,
            &chans,
            &channels,
            s::CHANNEL,
            &names,
            false,
        )?),
        false => None,
    };
    Ok(Some(Walked {
        catalog,
        by_product,
        by_channel,
        baskets: Baskets::from_counts(baskets.into_counts()),
    }))
}

/// The customers `range` of `rows`: their sums and baskets.
fn task(rows: &CustomerRows, l: &Lines, range: std::ops::Range<usize>) -> Found {
    let (mut prods, mut chans) = (Vec::new(), Vec::new());
    let mut baskets = Tally::new(l.products);
    let mut items: Vec<u32> = Vec::new();
    let mut lines: Vec<(u32, i64, i32)> = Vec::new();
    let mut keyed: Vec<(Option<&str>, i32, u32)> = Vec::new();
    for k in range {
        let rs = rows.rows(k);
        let amount = |r: usize| to_fixed(l.amount.get(r).unwrap_or(0.0));
        if let Some(p) = &l.product {
            lines.clear();
            lines.extend(
                rs.iter()
                    .map(|&r| r as usize)
                    .filter(|&r| p[r] != NONE)
                    .map(|r| (p[r], amount(r), l.days[r])),
            );
            fold(&mut lines, |code, sum, first| {
                prods.push((k as u32, code, sum, first))
            });
        }
        if let Some(ch) = &l.channel {
            lines.clear();
            lines.extend(
                rs.iter()
                    .map(|&r| r as usize)
                    .filter(|&r| ch[r] != NONE)
                    .map(|r| (ch[r], amount(r), 0)),
            );
            fold(&mut lines, |code, sum, _| {
                chans.push((k as u32, code, sum, 0))
            });
        }
        // a basket: the product lines of one order id, or (without one) of one day
        let Some(p) = &l.product else { continue };
        keyed.clear();
        keyed.extend(
            rs.iter()
                .map(|&r| r as usize)
                .filter(|&r| p[r] != NONE)
                .map(|r| {
                    let order = l.order.as_ref().and_then(|o| o.get(r));
                    let day = if order.is_some() { 0 } else { l.days[r] };
                    (order, day, p[r])
                }),
        );
        keyed.sort_unstable();
        for run in keyed.chunk_by(|a, b| (a.0, a.1) == (b.0, b.1)) {
            items.clear();
            items.extend(run.iter().map(|x| x.2));
            items.dedup();
            baskets.add(&items);
        }
    }
    (prods, chans, baskets)
}

/// `lines` (code, fixed amount, day) summed per code in code order: `emit(code, sum, first
/// day)`.
fn fold(lines: &mut [(u32, i64, i32)], mut emit: impl FnMut(u32, i64, i32)) {
    lines.sort_unstable_by_key(|x| x.0);
    for run in lines.chunk_by(|a, b| a.0 == b.0) {
        let sum = run.iter().map(|x| x.1).sum();
        let first = run.iter().map(|x| x.2).min().unwrap_or(0);
        emit(run[0].0, sum, first);
    }
}

/// customer_id, `what` (product or channel), revenue and, with `first`, the first day; sorted
/// by customer id and name.
fn sums_frame(
    ids: &[&str],
    rows: &[(u32, u32, i64, i32)],
    names: &[String],
    what: &str,
    n: &Names,
    first: bool,
) -> Result<DataFrame> {
    let mut cols = vec![
        Column::new(
            s::CUSTOMER_ID.into(),
            rows.iter().map(|x| ids[x.0 as usize]).collect::<Vec<_>>(),
        ),
        Column::new(
            what.into(),
            rows.iter()
                .map(|x| names[x.1 as usize].as_str())
                .collect::<Vec<_>>(),
        ),
        Column::new(
            n.revenue.into(),
            rows.iter().map(|x| unfixed_value(x.2)).collect::<Vec<_>>(),
        ),
    ];
    if first {
        let days = Column::new(n.first.into(), rows.iter().map(|x| x.3).collect::<Vec<_>>());
        cols.push(days.cast(&DataType::Date)?);
    }
    let df = DataFrame::new(rows.len(), cols)?;
    Ok(df.sort([s::CUSTOMER_ID, what], Default::default())?)
}
