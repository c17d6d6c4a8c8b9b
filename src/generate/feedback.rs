//! Service feedback (the `feedback` table): surveys, complaints, praise and account-manager
//! visits of every customer with purchases, from the first purchase to a few weeks after the
//! last.
//!
//! Each customer has a mood (satisfaction above or below the average, normal). Customers who
//! stop buying (their last purchase more than [`CHURN_GAP`] days before the end) start lower,
//! and in the [`DECLINE_DAYS`] before they stop their mood drops further and complaints come
//! [`DECLINE_COMPLAINTS`] times as often. A yearly survey asks CSAT (1-5) and NPS (0-10), the
//! two correlated; complaints (delivery, quality, price, invoice, service) are resolved days
//! to weeks later, a share of recent ones still open; praise now and then; big accounts get a
//! visit every few months. About [`SILENT_SHARE`] of the customers have no feedback at all.
//! Every draw comes from [`Stream::Feedback`], one sub-stream per customer.

use polars::prelude::*;
use rand::RngExt;
use rand::rngs::StdRng;
use rand_distr::{Distribution, LogNormal, Normal, Poisson};

use super::customers::Profile;
use super::transactions::{PRODUCTS, Sale};
use super::{Calendar, GenerateParams, Stream, contract_frame, date_col, dist, opt_date_col};
use super::{phrases, str_col, stream, weighted};
use crate::error::Result;
use crate::schema as s;

/// Share of buying customers with no feedback at all.
const SILENT_SHARE: f64 = 0.04;
/// A customer whose last purchase is more than this many days before the end stopped buying.
pub(super) const CHURN_GAP: i32 = 180;
/// Days before the last purchase in which a customer who stops is visibly unhappy.
const DECLINE_DAYS: i32 = 180;
/// Mood lost at the start (customers who stop) and in the decline.
const CHURN_MOOD: f64 = 0.6;
const DECLINE_MOOD: f64 = 0.9;
const DECLINE_COMPLAINTS: f64 = 3.0;
/// Feedback continues this many days after the last purchase.
const AFTER_LAST: i32 = 60;
/// Share of surveys answered: small accounts, big accounts.
const RESPONSE: (f64, f64) = (0.6, 0.85);
/// Share of complaints of the last [`RECENT_DAYS`] still open (besides those too young to be
/// resolved).
const OPEN_SHARE: f64 = 0.05;
const RECENT_DAYS: i32 = 90;
/// Median days to resolve a complaint (log-normal, cut to 1-60).
const RESOLVE_MEDIAN: f64 = 7.0;
/// Days between two visits of a big account.
const VISIT_EVERY: (i32, i32) = (90, 180);
/// A customer buying at least this many t/yr is a big account even if its type is not.
const BIG_VOLUME: f64 = 5_000.0;
/// Praise per month (before the mood).
const PRAISE_RATE: f64 = 0.01;

pub(super) const TOPICS: [&str; 5] = ["delivery", "quality", "price", "invoice", "service"];
const COMPLAINT_TOPICS: [f64; 5] = [0.35, 0.2, 0.2, 0.1, 0.15];
const PRAISE_TOPICS: [f64; 5] = [0.4, 0.3, 0.0, 0.0, 0.3];
/// `schema::FEEDBACK_KINDS` positions.
const SURVEY: u8 = 0;
const COMPLAINT: u8 = 1;
const PRAISE: u8 = 2;
const VISIT: u8 = 3;

/// One contact.
struct Row {
    date: i32,
    customer: u32,
    kind: u8,
    score: Option<i64>,
    nps: Option<i64>,
    resolved: Option<i32>,
    topic: Option<u8>,
    comment: Option<&'static str>,
}

/// What feedback of one customer depends on.
struct Account {
    customer: u32,
    /// First and last purchase; contacts run to `until`.
    first: i32,
    last: i32,
    until: i32,
    /// Orders per month while buying.
    orders_per_month: f64,
    big: bool,
    stops: bool,
    mood: f64,
}

impl Account {
    fn slipping(&self, day: i32) -> bool {
        self.stops && day >= self.last - DECLINE_DAYS
    }

    fn mood_on(&self, day: i32) -> f64 {
        self.mood
            - if self.slipping(day) {
                DECLINE_MOOD
            } else {
                0.0
            }
    }
}

/// The feedback table, sorted by date and customer.
pub(super) fn frame(
    p: &GenerateParams,
    cal: &Calendar,
    people: &[Profile],
    sales: &[Sale],
) -> Result<DataFrame> {
    let mut rows = Vec::new();
    for (i, span) in spans(sales, people.len()).into_iter().enumerate() {
        let Some((first, last, orders)) = span else {
            continue;
        };
        let mut rng = stream(p.seed, Stream::Feedback, i as u64);
        if rng.random_bool(SILENT_SHARE) {
            continue;
        }
        let c = &people[i];
        let stops = last < cal.end - CHURN_GAP;
        let mood: f64 = dist(Normal::new(0.0, 0.6), "mood")?.sample(&mut rng);
        let months = f64::from(last - first + 1) / 30.4;
        let a = Account {
            customer: i as u32,
            first,
            last,
            until: (last + AFTER_LAST).min(cal.end),
            orders_per_month: f64::from(orders) / months.max(1.0),
            big: c.kind().big || c.volume >= BIG_VOLUME,
            stops,
            mood: mood - if stops { CHURN_MOOD } else { 0.0 },
        };
        surveys(&a, cal, &mut rng, &mut rows)?;
        complaints(&a, cal, &mut rng, &mut rows)?;
        if a.big {
            visits(&a, &mut rng, &mut rows)?;
        }
    }
    rows.sort_by_key(|r| (r.date, r.customer, r.kind));
    to_frame(&rows, people)
}

/// Per customer: first and last purchase day and orders (cement lines, no returns).
fn spans(sales: &[Sale], n: usize) -> Vec<Option<(i32, i32, u32)>> {
    let mut out: Vec<Option<(i32, i32, u32)>> = vec![None; n];
    for x in sales
        .iter()
        .filter(|x| !x.is_return && usize::from(x.product) < PRODUCTS.len())
    {
        let e = &mut out[x.customer as usize];
        *e = Some(match *e {
            None => (x.date, x.date, 1),
            Some((a, b, k)) => (a.min(x.date), b.max(x.date), k + 1),
        });
    }
    out
}

/// CSAT 1-5 around 3.7 + mood, and NPS 0-10 following it (5 → about 9.5, 3 → about 5.5).
fn answer(mood: f64, rng: &mut StdRng) -> Result<(i64, i64)> {
    let noise = dist(Normal::new(0.0, 1.0), "answer")?;
    let score = (3.7 + mood + 0.6 * noise.sample(rng))
        .round()
        .clamp(1.0, 5.0);
    let nps = (2.0 * score - 0.5 + 1.2 * noise.sample(rng))
        .round()
        .clamp(0.0, 10.0);
    Ok((score as i64, nps as i64))
}

/// One survey a year on the customer's survey day, from a month after the first purchase; the
/// first is always answered (a customer without a survey day in its time answers one on a
/// random day of it).
fn surveys(a: &Account, cal: &Calendar, rng: &mut StdRng, out: &mut Vec<Row>) -> Result<()> {
    let response = if a.big { RESPONSE.1 } else { RESPONSE.0 };
    let wave = cal.start + rng.random_range(0..365);
    let skip = (a.first + 30 - wave).max(0);
    let mut day = wave + (skip + 364) / 365 * 365;
    let mut first = true;
    if day > a.until {
        day = rng.random_range(a.first..=a.until);
    }
    while day <= a.until {
        if std::mem::take(&mut first) || rng.random_bool(response) {
            let (score, nps) = answer(a.mood_on(day), rng)?;
            out.push(Row {
                date: day,
                customer: a.customer,
                kind: SURVEY,
                score: Some(score),
                nps: Some(nps),
                resolved: None,
                topic: None,
                comment: phrases::survey(rng, score),
            });
        }
        day += 365;
    }
    Ok(())
}

/// Complaints and praise month by month: complaints ~ Poisson(rate growing with the orders
/// and the unhappiness, × [`DECLINE_COMPLAINTS`] while slipping), praise mostly from the happy.
fn complaints(a: &Account, cal: &Calendar, rng: &mut StdRng, out: &mut Vec<Row>) -> Result<()> {
    let resolve = dist(LogNormal::new(RESOLVE_MEDIAN.ln(), 0.7), "resolution")?;
    for m in &cal.months {
        let (lo, hi) = (m.first.max(a.first), m.last.min(a.until));
        if lo > hi {
            continue;
        }
        let open = f64::from(hi - lo + 1) / f64::from(m.days);
        let mood = a.mood_on(hi);
        let mut rate = (0.02 + 0.015 * a.orders_per_month.ln_1p()) * (1.0 - mood).max(0.3);
        if a.slipping(hi) {
            rate *= DECLINE_COMPLAINTS;
        }
        let n = dist(Poisson::new(rate * open), "complaints")?.sample(rng) as u64;
        for _ in 0..n {
            let date = rng.random_range(lo..=hi);
            let topic = weighted(rng, &COMPLAINT_TOPICS);
            let done = date + (resolve.sample(rng).round() as i32).clamp(1, 60);
            let still_open =
                done > cal.end || (date > cal.end - RECENT_DAYS && rng.random_bool(OPEN_SHARE));
            out.push(Row {
                date,
                customer: a.customer,
                kind: COMPLAINT,
                score: None,
                nps: None,
                resolved: (!still_open).then_some(done),
                topic: Some(topic as u8),
                comment: Some(phrases::complaint(rng, topic)),
            });
        }
        let praise = PRAISE_RATE * (1.0 + 2.0 * mood).max(0.2) * open;
        if rng.random_bool(praise.min(1.0)) {
            let topic = weighted(rng, &PRAISE_TOPICS);
            out.push(Row {
                date: rng.random_range(lo..=hi),
                customer: a.customer,
                kind: PRAISE,
                score: Some(if rng.random_bool(0.7) { 5 } else { 4 }),
                nps: None,
                resolved: None,
                topic: Some(topic as u8),
                comment: Some(phrases::praise(rng, topic)),
            });
        }
    }
    Ok(())
}

/// A big account's visits every [`VISIT_EVERY`] days; the manager notes a CSAT-like score.
fn visits(a: &Account, rng: &mut StdRng, out: &mut Vec<Row>) -> Result<()> {
    let mut day = a.first + rng.random_range(VISIT_EVERY.0..=VISIT_EVERY.1) / 2;
    while day <= a.until {
        let (score, _) = answer(a.mood_on(day) + 0.2, rng)?;
        out.push(Row {
            date: day,
            customer: a.customer,
            kind: VISIT,
            score: Some(score),
            nps: None,
            resolved: None,
            topic: None,
            comment: Some(phrases::visit(rng, a.slipping(day))),
        });
        day += rng.random_range(VISIT_EVERY.0..=VISIT_EVERY.1);
    }
    Ok(())
}

fn to_frame(rows: &[Row], people: &[Profile]) -> Result<DataFrame> {
    let ints = |name: &str, f: fn(&Row) -> Option<i64>| {
        Int64Chunked::new(name.into(), rows.iter().map(f).collect::<Vec<_>>()).into_column()
    };
    let texts = |name: &str, values: Vec<Option<&str>>| {
        StringChunked::new(name.into(), values).into_column()
    };
    let cols = vec![
        str_col(
            s::CUSTOMER_ID,
            rows.iter().map(|r| people[r.customer as usize].id.as_str()),
        ),
        date_col(s::DATE, rows.iter().map(|r| r.date).collect()),
        str_col(
            s::KIND,
            rows.iter().map(|r| s::FEEDBACK_KINDS[usize::from(r.kind)]),
        ),
        ints(s::SCORE, |r| r.score),
        ints(s::NPS, |r| r.nps),
        opt_date_col(
            s::RESOLVED_ON,
            &rows.iter().map(|r| r.resolved).collect::<Vec<_>>(),
        ),
        texts(
            s::TOPIC,
            rows.iter()
                .map(|r| r.topic.map(|t| TOPICS[usize::from(t)]))
                .collect(),
        ),
        texts(s::COMMENT, rows.iter().map(|r| r.comment).collect()),
    ];
    contract_frame(&s::FEEDBACK, cols)
}
