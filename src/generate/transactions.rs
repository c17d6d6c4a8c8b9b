//! Purchases: one seeded process per customer, then one sorted, numbered sales ledger.
//!
//! Orders per month ~ Poisson(rate × season × trend × activity), where `season` is the
//! construction season (lull at Chinese New Year, peaks in spring and autumn) and `trend` a
//! per-customer yearly growth. A customer's mean order grows slowly with its yearly volume,
//! `ORDER_SCALE × volume^ORDER_ELASTICITY` tonnes with a log-normal spread (`ORDER_SIGMA`),
//! and `rate` = volume / (12 × mean order): a big account buys more often rather than in ever
//! larger lots, so mean spend per purchase varies between customers about as Gamma-Gamma
//! assumes (the demo's fitted q is near 2, a finite population mean spend). Buying starts on
//! `acquired_on` (or the first day of history), stops for good at a churn day for a quarter of
//! customers, and for construction and hydropower customers only runs inside project windows.
//! Each order's size is the mean order with log-normal noise; bagged cement comes in 50 kg
//! bags. About 1% of orders are partly returned later (negative quantity and amount, order id
//! `R` + the original's). Add-on products join some orders as extra lines (`addons`).

use std::fmt::Write as _;

use polars::prelude::*;
use rand::RngExt;
use rand::rngs::StdRng;
use rand_distr::{Distribution, LogNormal, Normal, Poisson};

use super::customers::{Profile, TypeProfile};
use super::{Calendar, GenerateParams, Stream, contract_frame, date_col, digits, dist, f64_col};
use super::{round_to, round2, round3, str_col, stream, weighted};
use crate::error::{Error, Result};
use crate::schema as s;

/// Product name and list price per tonne.
pub(super) const PRODUCTS: [(&str, f64); 5] = [
    ("P.C 32.5", 405.0),
    ("P.O 42.5", 445.0),
    ("P.O 52.5", 490.0),
    ("P.C 32.5 bagged", 425.0),
    ("P.O 42.5 bagged", 465.0),
];
/// Products from this index on are sold in 50 kg bags.
const BAGGED_FROM: usize = 3;
const BAG_T: f64 = 0.05;
const PRICE_RANGE: (f64, f64) = (380.0, 520.0);
pub(super) const CHANNELS: [&str; 4] = ["direct", "depot", "online", "phone"];
/// Demand by calendar month, January first (mean ≈ 1).
const SEASON: [f64; 12] = [
    0.55, 0.40, 0.85, 1.15, 1.25, 1.20, 1.00, 0.95, 1.15, 1.30, 1.20, 0.90,
];
const CHURN_SHARE: f64 = 0.25;
const RETURN_SHARE: f64 = 0.01;
/// Share of customers who often place several orders on one day.
const REPEATER_SHARE: f64 = 0.10;
/// Chance a Sunday order is not placed (depots run a skeleton shift).
const SUNDAY_SKIP: f64 = 0.6;
/// Largest mean order, in tonnes (about twenty truckloads).
const MAX_MEAN_ORDER: f64 = 600.0;
/// Mean order in tonnes = ORDER_SCALE × (yearly volume in tonnes)^ORDER_ELASTICITY: 16 t for
/// a 16 t/yr individual (about one order a year), 174 t for a 15,000 t/yr ready-mix plant.
const ORDER_SCALE: f64 = 6.0;
const ORDER_ELASTICITY: f64 = 0.35;
/// Log-spread of the mean order between customers of the same volume.
const ORDER_SIGMA: f64 = 0.25;
/// Log-spread of order size around its mean.
const SIZE_SIGMA: f64 = 0.35;

/// One row of the ledger.
#[derive(Debug, Clone, Copy)]
pub(super) struct Sale {
    /// Days since 1970-01-01.
    pub date: i32,
    /// Index into the customer list.
    pub customer: u32,
    /// 1-based order number; a return carries its original's.
    pub order: u64,
    /// Tonnes; negative for a return.
    pub quantity: f64,
    /// Price per tonne.
    pub price: f64,
    pub product: u8,
    pub channel: u8,
    pub is_return: bool,
    /// Days until part of this order comes back (0 = never), and the percentage returned.
    pub(super) ret_days: u8,
    pub(super) ret_pct: u8,
}

impl Sale {
    /// Value of the row: quantity × unit price, to the cent.
    pub fn amount(&self) -> f64 {
        round2(self.quantity * self.price)
    }
}

/// Draws shared by every customer.
struct Market<'a> {
    cal: &'a Calendar,
    /// Price level of each month (1 = list price).
    index: Vec<f64>,
    size_noise: LogNormal<f64>,
    price_noise: Normal<f64>,
}

/// The purchase process of one customer.
struct Buyer<'a> {
    customer: u32,
    tp: &'a TypeProfile,
    first: i32,
    last: i32,
    /// Project windows (inclusive days) for project-based customers; empty = always active.
    windows: Vec<(i32, i32)>,
    /// Orders per month.
    rate: f64,
    /// Log growth of the rate per year.
    slope: f64,
    /// Mean tonnes per order.
    mean_qty: f64,
    product: usize,
    channel: u8,
    /// Price multiplier (large accounts get a discount).
    discount: f64,
    /// Chance of one more order on the same day.
    repeat: f64,
}

pub(super) fn simulate(
    p: &GenerateParams,
    cal: &Calendar,
    people: &[Profile],
) -> Result<Vec<Sale>> {
    let market = Market {
        cal,
        index: market_index(cal, &mut stream(p.seed, Stream::Market, 0))?,
        size_noise: dist(
            LogNormal::new(-SIZE_SIGMA * SIZE_SIGMA / 2.0, SIZE_SIGMA),
            "order size",
        )?,
        price_noise: dist(Normal::new(0.0, 0.008), "price")?,
    };
    let mut sales = Vec::with_capacity(people.len().saturating_mul(40));
    for (i, c) in people.iter().enumerate() {
        let Some(acquired) = c.acquired else {
            continue;
        };
        let mut rng = stream(p.seed, Stream::Purchases, i as u64);
        let customer = u32::try_from(i)
            .map_err(|_| Error::Internal("demo generator: too many customers".into()))?;
        let Some(buyer) = Buyer::new(customer, c, acquired, p.activity, cal, &mut rng)? else {
            continue;
        };
        buyer.purchases(&market, &mut rng, &mut sales)?;
    }

    // Order numbers follow the calendar (stable sort: same-day orders keep their draw order).
    sales.sort_by_key(|s| (s.date, s.customer));
    for (k, s) in sales.iter_mut().enumerate() {
        s.order = k as u64 + 1;
    }
    super::addons::add(p.seed, people, &mut sales);
    let returns: Vec<Sale> = sales
        .iter()
        .filter(|s| s.ret_days > 0 && s.date + i32::from(s.ret_days) <= cal.end)
        .map(|s| {
            let back = s.quantity * f64::from(s.ret_pct) / 100.0;
            let back = if usize::from(s.product) >= BAGGED_FROM {
                round_to(back, BAG_T).max(BAG_T)
            } else {
                back
            };
            Sale {
                date: s.date + i32::from(s.ret_days),
                quantity: -round3(back.min(s.quantity)),
                is_return: true,
                ret_days: 0,
                ret_pct: 0,
                ..*s
            }
        })
        .collect();
    sales.extend(returns);
    // Sorted by date, then order id ("R…" before "SO…", each by number), cement line first.
    sales.sort_unstable_by_key(|s| (s.date, !s.is_return, s.order, s.product));
    Ok(sales)
}

/// Monthly price level: a bounded random walk, a little firmer in the busy season.
fn market_index(cal: &Calendar, rng: &mut StdRng) -> Result<Vec<f64>> {
    let step = dist(Normal::new(0.0, 0.015), "price walk")?;
    let mut level = 1.0_f64;
    Ok(cal
        .months
        .iter()
        .map(|m| {
            level = (level + step.sample(rng)).clamp(0.96, 1.05);
            level * (1.0 + 0.02 * (SEASON[m.month as usize - 1] - 1.0))
        })
        .collect())
}

impl<'a> Buyer<'a> {
    /// The process of a won customer, or `None` when it was won after the history ends.
    fn new(
        customer: u32,
        c: &'a Profile,
        acquired: i32,
        activity: f64,
        cal: &Calendar,
        rng: &mut StdRng,
    ) -> Result<Option<Self>> {
        let first = acquired.max(cal.start);
        if first > cal.end {
            return Ok(None);
        }
        let tp = c.kind();
        let spread: f64 = dist(
            LogNormal::new(-ORDER_SIGMA * ORDER_SIGMA / 2.0, ORDER_SIGMA),
            "order spread",
        )?
        .sample(rng);
        let slope: f64 = dist(Normal::new(0.0_f64, 0.25), "trend")?
            .sample(rng)
            .clamp(-0.7, 0.7);
        let last = if rng.random_bool(CHURN_SHARE) {
            rng.random_range(first..=cal.end)
        } else {
            cal.end
        };
        let windows = match tp.project_months {
            Some(months) => project_windows(months, acquired, cal, rng),
            None => Vec::new(),
        };
        let product_w: Vec<f64> = tp.products.iter().map(|(_, w)| *w).collect();
        let product = tp.products[weighted(rng, &product_w)].0;
        let channel = weighted(rng, &tp.channels) as u8;
        let discount = if tp.big {
            rng.random_range(0.95..0.99)
        } else {
            rng.random_range(0.99..1.03)
        };
        let repeat = if rng.random_bool(REPEATER_SHARE) {
            rng.random_range(0.1..0.3)
        } else {
            0.01
        };
        // Yearly volume over the orders of a normal year; a large account orders more often
        // rather than in ever larger lots.
        let mean_qty = (ORDER_SCALE * c.volume.powf(ORDER_ELASTICITY) * spread).min(MAX_MEAN_ORDER);
        let rate = c.volume / (12.0 * mean_qty);
        Ok(Some(Buyer {
            customer,
            tp,
            first,
            last,
            windows,
            rate: rate * activity,
            slope,
            mean_qty,
            product,
            channel,
            discount,
            repeat,
        }))
    }

    fn active_on(&self, day: i32) -> bool {
        self.windows.is_empty() || self.windows.iter().any(|&(a, b)| (a..=b).contains(&day))
    }

    fn purchases(&self, market: &Market, rng: &mut StdRng, out: &mut Vec<Sale>) -> Result<()> {
        let cal = market.cal;
        for (m, month) in cal.months.iter().enumerate() {
            let (lo, hi) = (month.first.max(self.first), month.last.min(self.last));
            if lo > hi {
                continue;
            }
            // orders ~ Poisson(rate × season × e^(slope × years) × share of the month open)
            let lambda = self.rate
                * SEASON[month.month as usize - 1]
                * (self.slope * cal.years_at(m)).exp()
                * f64::from(hi - lo + 1)
                / f64::from(month.days);
            if lambda <= 0.0 {
                continue;
            }
            let orders = dist(Poisson::new(lambda), "orders")?.sample(rng) as u64;
            for _ in 0..orders {
                let day = rng.random_range(lo..=hi);
                // 1970-01-01 was a Thursday; (day + 3) mod 7 = 6 is a Sunday.
                let sunday = (day + 3).rem_euclid(7) == 6;
                if !self.active_on(day) || (sunday && rng.random_bool(SUNDAY_SKIP)) {
                    continue;
                }
                out.push(self.order(market, m, day, rng));
                let mut again = 0;
                while again < 3 && rng.random_bool(self.repeat) {
                    out.push(self.order(market, m, day, rng));
                    again += 1;
                }
            }
        }
        Ok(())
    }

    fn order(&self, market: &Market, month: usize, day: i32, rng: &mut StdRng) -> Sale {
        let product = if rng.random_bool(0.8) {
            self.product
        } else {
            self.tp.products[rng.random_range(0..self.tp.products.len())].0
        };
        let q = self.mean_qty * market.size_noise.sample(rng);
        let quantity = if product >= BAGGED_FROM {
            round3(round_to(q, BAG_T).max(BAG_T))
        } else {
            round3(q.max(1.0))
        };
        let price = PRODUCTS[product].1
            * market.index[month]
            * self.discount
            * (1.0 + market.price_noise.sample(rng));
        let channel = if rng.random_bool(0.85) {
            self.channel
        } else {
            rng.random_range(0..CHANNELS.len() as u8)
        };
        let (ret_days, ret_pct) = if rng.random_bool(RETURN_SHARE) {
            (rng.random_range(1..=30), rng.random_range(2..=20_u8) * 5)
        } else {
            (0, 0)
        };
        Sale {
            date: day,
            customer: self.customer,
            order: 0,
            quantity,
            price: round2(price.clamp(PRICE_RANGE.0, PRICE_RANGE.1)),
            product: product as u8,
            channel,
            is_return: false,
            ret_days,
            ret_pct,
        }
    }
}

/// Project windows: one project of `months`, then with 45% another after a gap, and so on;
/// after the last project the customer stops buying.
fn project_windows(
    (lo, hi): (i32, i32),
    acquired: i32,
    cal: &Calendar,
    rng: &mut StdRng,
) -> Vec<(i32, i32)> {
    let mut start = if acquired < cal.start {
        cal.start - rng.random_range(0..=90)
    } else {
        acquired
    };
    let mut out = Vec::new();
    loop {
        let len = rng.random_range(lo..=hi) * 30;
        out.push((start, start + len - 1));
        if start + len > cal.end || !rng.random_bool(0.45) {
            return out;
        }
        start += len + rng.random_range(30..=240);
    }
}

pub(super) fn frame(sales: &[Sale], people: &[Profile]) -> Result<DataFrame> {
    let purchases = sales.iter().map(|s| s.order as usize).max().unwrap_or(0);
    let width = digits(purchases).max(7);
    let mut orders = StringChunkedBuilder::new(s::ORDER_ID.into(), sales.len());
    let mut buf = String::new();
    for sale in sales {
        buf.clear();
        let prefix = if sale.is_return { "RSO" } else { "SO" };
        write!(buf, "{prefix}{:0width$}", sale.order)
            .map_err(|e| Error::Internal(format!("demo generator: {e}")))?;
        orders.append_value(&buf);
    }
    let cols = vec![
        str_col(
            s::CUSTOMER_ID,
            sales
                .iter()
                .map(|x| people[x.customer as usize].id.as_str()),
        ),
        date_col(s::DATE, sales.iter().map(|x| x.date).collect()),
        f64_col(s::AMOUNT, sales.iter().map(Sale::amount).collect()),
        f64_col(s::QUANTITY, sales.iter().map(|x| x.quantity).collect()),
        f64_col(s::UNIT_PRICE, sales.iter().map(|x| x.price).collect()),
        orders.finish().into_column(),
        str_col(
            s::PRODUCT,
            sales.iter().map(|x| super::addons::product_name(x.product)),
        ),
        str_col(
            s::CHANNEL,
            sales.iter().map(|x| CHANNELS[usize::from(x.channel)]),
        ),
    ];
    contract_frame(&s::TRANSACTIONS, cols)
}
