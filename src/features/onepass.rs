//! The per-customer aggregates of the transactions in one pass over their rows.
//!
//! Why not one lazy Polars group-by: the features need three groupings of the same rows (by
//! customer; distinct purchase days per customer; and, with order ids, per customer and order)
//! joined back together. At 1M customers / 43M rows Polars ran them as separate hash
//! group-bys on the string ids, the one on (customer, order) with ~40M groups, and the run's
//! memory peaked there (12.5 GB, 55 s). Here each customer's rows are gathered once (a
//! counting sort of row numbers by a customer code), and every figure of a customer comes from
//! its own few dozen rows: no string is hashed twice, nothing is held per order.
//!
//! Sums are fixed point ([`to_fixed`]), so every figure equals the lazy definition's exactly
//! (pinned by `one_pass_equals_the_lazy_definition` in the tests).

use chrono::NaiveDate;
use polars::prelude::*;

use super::TxColumns;
use crate::error::Result;
use crate::frame::{epoch_days, months_before, to_fixed};
use crate::rows::{ByRow, CustomerRows, day_numbers};
use crate::schema as s;

/// One customer's figures, as the lazy definition names them (fixed point where it sums).
#[derive(Default)]
struct Row {
    first: Option<i32>,
    last: Option<i32>,
    purchases: i64,
    returns: i64,
    first_tx: i32,
    r12: i64,
    r24: i64,
    quantity: i64,
    /// Largest amount of a row without an order id (with order ids) or of any row.
    largest_row: Option<f64>,
    days: Option<i64>,
    first_day: Option<i64>,
    largest_order: Option<i64>,
    orders: Option<i64>,
}

/// The columns one pass reads.
struct Columns<'a> {
    days: &'a [i32],
    amount: ByRow<'a>,
    quantity: Option<ByRow<'a>>,
    order: Option<&'a StringChunked>,
}

/// The per-customer aggregates the features derive from (see [`super::per_customer`]):
/// `customer_id`, `__first`, `__last`, `__purchases`, `__returns`, `__first_tx`, `__r12`,
/// `__r24`, `__days`, `__first_day`, `__quantity` (with quantities), `__largest_row` and
/// with order ids `__largest_order` and `orders`; sums in fixed point.
pub(super) fn aggregates(tx: &DataFrame, cols: TxColumns, as_of: NaiveDate) -> Result<DataFrame> {
    let days = &day_numbers(tx)?;
    let amount = tx.column(s::AMOUNT)?.cast(&DataType::Float64)?;
    let quantity = match cols.quantity {
        true => Some(tx.column(s::QUANTITY)?.cast(&DataType::Float64)?),
        false => None,
    };
    let c = Columns {
        days,
        amount: ByRow::of(amount.f64()?),
        quantity: quantity
            .as_ref()
            .map(|q| q.f64())
            .transpose()?
            .map(ByRow::of),
        order: match cols.order_id {
            true => Some(tx.column(s::ORDER_ID)?.str()?),
            false => None,
        },
    };
    let as_of_day = epoch_days(as_of);
    let g = CustomerRows::of(tx, |r| days[r] <= as_of_day)?;
    let w = Windows::of(as_of);
    // customers in one consecutive range per core, each with its own scratch, joined in
    // customer order: the same rows on any number of threads
    let threads = std::thread::available_parallelism().map_or(1, |t| t.get());
    let (n, per) = (g.len(), g.len().div_ceil(threads).max(1));
    let ranges: Vec<_> = (0..n)
        .step_by(per)
        .map(|lo| lo..(lo + per).min(n))
        .collect();
    let parts = crate::par::map_slice(&ranges, 1, |r| {
        let mut scratch = Scratch::default();
        r.clone()
            .map(|k| customer(&c, g.rows(k), &w, &mut scratch))
            .collect::<Vec<Row>>()
    });
    let rows: Vec<Row> = parts.into_iter().flatten().collect();
    frame(g.ids(), &rows, cols)
}

/// The two 12-month windows, as exclusive-inclusive epoch-day bounds (see `day_in`).
struct Windows {
    m24: i32,
    m12: i32,
    as_of: i32,
}

impl Windows {
    fn of(as_of: NaiveDate) -> Self {
        Windows {
            m24: epoch_days(months_before(as_of, 24)),
            m12: epoch_days(months_before(as_of, 12)),
            as_of: epoch_days(as_of),
        }
    }
}

/// One row's values: day, amount, quantity, order id.
type Values<'a> = (i32, Option<f64>, Option<f64>, Option<&'a str>);

/// Buffers reused from customer to customer.
#[derive(Default)]
struct Scratch<'a> {
    /// The customer's rows' values: day, amount, quantity, order id.
    values: Vec<Values<'a>>,
    purchase_days: Vec<(i32, i64)>,
    orders: Vec<(&'a str, i64, bool)>,
    by_order: PlHashMap<&'a str, (i64, bool)>,
}

/// One customer's figures from its rows. The rows lie scattered over the whole table: their
/// values are first copied out in one tight loop (loads that do not wait on each other, so
/// the memory fetches overlap), then summed from the copy.
fn customer<'a>(c: &Columns<'a>, rows: &[u32], w: &Windows, s: &mut Scratch<'a>) -> Row {
    s.values.clear();
    s.values.extend(rows.iter().map(|&r| {
        let r = r as usize;
        let quantity = c.quantity.as_ref().and_then(|q| q.get(r));
        (
            c.days[r],
            c.amount.get(r),
            quantity,
            c.order.and_then(|o| o.get(r)),
        )
    }));
    let mut out = Row {
        first_tx: i32::MAX,
        ..Row::default()
    };
    s.purchase_days.clear();
    s.orders.clear();
    let mut any_order = false;
    for &(d, amount, quantity, order) in &s.values {
        out.first_tx = out.first_tx.min(d);
        let fx = amount.map(to_fixed);
        let purchase = amount.is_some_and(|a| a >= 0.0);
        if purchase {
            out.purchases += fx.unwrap_or(0);
            out.first = Some(out.first.map_or(d, |f| f.min(d)));
            out.last = Some(out.last.map_or(d, |l| l.max(d)));
            s.purchase_days.push((d, fx.unwrap_or(0)));
        } else {
            out.returns += fx.unwrap_or(0);
        }
        if d > w.m12 && d <= w.as_of {
            out.r12 += fx.unwrap_or(0);
        } else if d > w.m24 && d <= w.m12 {
            out.r24 += fx.unwrap_or(0);
        }
        if let Some(q) = quantity {
            out.quantity += to_fixed(q);
        }
        any_order |= order.is_some();
        match order {
            Some(o) => s.orders.push((o, fx.unwrap_or(0), purchase)),
            None => out.largest_row = max_f64(out.largest_row, amount),
        }
    }
    purchase_days(&mut out, &mut s.purchase_days);
    if c.order.is_some() && any_order {
        orders(&mut out, &s.orders, &mut s.by_order);
    }
    out
}

/// The larger of two optional values (missing values ignored, as Polars' `max`).
fn max_f64(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, None) => a,
        (None, b) => b,
    }
}

/// Distinct purchase days and the value of the first one.
fn purchase_days(out: &mut Row, days: &mut [(i32, i64)]) {
    if days.is_empty() {
        return;
    }
    days.sort_unstable_by_key(|(d, _)| *d);
    let first = days[0].0;
    let mut distinct = 1;
    for pair in days.windows(2) {
        distinct += i64::from(pair[1].0 != pair[0].0);
    }
    out.days = Some(distinct);
    out.first_day = Some(
        days.iter()
            .take_while(|(d, _)| *d == first)
            .map(|(_, v)| v)
            .sum(),
    );
}

/// Per order id: its net value and whether it holds a purchase; the customer's count of
/// orders with a purchase and its largest order value. (Sums in fixed point, so the order in
/// which a map visits its orders changes nothing.)
fn orders<'a>(
    out: &mut Row,
    rows: &[(&'a str, i64, bool)],
    by_id: &mut PlHashMap<&'a str, (i64, bool)>,
) {
    by_id.clear();
    for &(id, value, purchase) in rows {
        let o = by_id.entry(id).or_insert((0, false));
        o.0 += value;
        o.1 |= purchase;
    }
    let (mut count, mut largest) = (0i64, i64::MIN);
    for &(total, purchase) in by_id.values() {
        count += i64::from(purchase);
        largest = largest.max(total);
    }
    out.orders = Some(count);
    out.largest_order = Some(largest);
}

/// The rows as a frame with the lazy definition's column names and types.
fn frame(ids: &[&str], rows: &[Row], cols: TxColumns) -> Result<DataFrame> {
    let i32s = |name: &str, f: &dyn Fn(&Row) -> Option<i32>| {
        Column::new(name.into(), rows.iter().map(f).collect::<Vec<_>>())
    };
    let i64s = |name: &str, f: &dyn Fn(&Row) -> Option<i64>| {
        Column::new(name.into(), rows.iter().map(f).collect::<Vec<_>>())
    };
    let mut columns = vec![
        Column::new(s::CUSTOMER_ID.into(), ids),
        i32s("__first", &|r| r.first),
        i32s("__last", &|r| r.last),
        i64s("__purchases", &|r| Some(r.purchases)),
        i64s("__returns", &|r| Some(r.returns)),
        i32s("__first_tx", &|r| Some(r.first_tx)),
        i64s("__r12", &|r| Some(r.r12)),
        i64s("__r24", &|r| Some(r.r24)),
        i64s("__days", &|r| r.days),
        i64s("__first_day", &|r| r.first_day),
        Column::new(
            "__largest_row".into(),
            rows.iter().map(|r| r.largest_row).collect::<Vec<_>>(),
        ),
    ];
    if cols.quantity {
        columns.push(i64s("__quantity", &|r| Some(r.quantity)));
    }
    if cols.order_id {
        columns.push(i64s("__largest_order", &|r| r.largest_order));
        columns.push(i64s(s::ORDERS, &|r| r.orders));
    }
    Ok(DataFrame::new(ids.len(), columns)?)
}
