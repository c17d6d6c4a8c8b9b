//! The development tracking sheet (开发跟踪表, domain.md article 1): one row per intended deal,
//! about 15% of the customer count (at least 20). Amounts cluster just below and above the
//! 10,000 key-account and 100,000 escalation thresholds, with a few in the millions; about a
//! third of open deals are stalled (last follow-up 31–120 days before the end).

use polars::prelude::*;
use rand::RngExt;
use rand::rngs::StdRng;
use rand_distr::{Distribution, LogNormal};

use super::customers::Profile;
use super::org::Org;
use super::{Calendar, GenerateParams, Stream, contract_frame, date_col, digits, dist, f64_col};
use super::{pick, round_to, str_col, stream, weighted};
use crate::error::Result;
use crate::schema::{self as s, STAGE_VALUES};

/// Weights of lead, contact, negotiation, signed, lost (`STAGE_VALUES` order).
const STAGE_WEIGHTS: [f64; 5] = [0.20, 0.25, 0.20, 0.22, 0.13];
/// Stages before this index are still open.
const FIRST_CLOSED: usize = 3;
const STALLED_SHARE: f64 = 0.35;

const NEEDS: &[&str] = &[
    "stable supply through the peak season",
    "lower delivered price per tonne",
    "longer credit term",
    "consistent P.O 52.5 quality for high-rise work",
    "just-in-time delivery to site",
    "joint bids on municipal projects",
    "bagged cement stocked at the nearest depot",
    "low-heat cement for dam pours",
    "one supplier for every phase of the project",
    "price locked for the project term",
];

const OBSTACLES: &[&str] = &[
    "long-term contract with a competing plant",
    "our price is 15 per tonne above the competitor",
    "credit limit already reached",
    "new purchasing manager not yet met",
    "tender not yet published",
    "quality complaint last year",
    "weak payment record",
    "depot too far from the site",
    "budget frozen until next quarter",
    "competitor offers free delivery",
];

const STRATEGIES: &[&str] = &[
    "offer a quarterly volume rebate",
    "invite the chairman to visit the plant",
    "propose a 2% prepayment discount",
    "stock their grade at the nearest depot",
    "escalate the price approval to the general manager",
    "bid jointly on the ring-road project",
    "weekly visits by the account manager",
    "trial order with a quality guarantee",
    "share market information on upcoming projects",
    "set a rolling credit cap with monthly settlement",
];

struct Deal {
    opened: i32,
    last: i32,
    customer: usize,
    owner: usize,
    stage: usize,
    amount: f64,
    need: &'static str,
    obstacle: &'static str,
    strategy: &'static str,
}

/// The deals table: about 15% as many deals as customers (at least 20), sorted by opening
/// date, with ids in that order.
pub(super) fn frame(
    p: &GenerateParams,
    cal: &Calendar,
    org: &Org,
    people: &[Profile],
) -> Result<DataFrame> {
    let mut rng = stream(p.seed, Stream::Deals, 0);
    let n = ((people.len() as f64 * 0.15).round() as usize).max(20);
    let pool = Pool {
        prospects: (0..people.len())
            .filter(|&i| people[i].acquired.is_none())
            .collect(),
        big: (0..people.len())
            .filter(|&i| people[i].acquired.is_some() && people[i].kind().big)
            .collect(),
        typical: dist(LogNormal::new(40_000_f64.ln(), 1.0), "deal amount")?,
    };
    let mut deals: Vec<Deal> = (0..n)
        .map(|_| draw(&mut rng, &pool, cal, org, people))
        .collect();
    // Ids follow the opening date.
    deals.sort_by_key(|d| (d.opened, d.customer));
    to_frame(&deals, org, people)
}

/// Whom deals are drawn for, and the typical deal amount.
struct Pool {
    /// Customers not yet acquired.
    prospects: Vec<usize>,
    /// Acquired customers of the big types.
    big: Vec<usize>,
    typical: LogNormal<f64>,
}

/// One deal: a quarter for prospects, about a third for big accounts, the rest for anyone;
/// owned by the customer's manager nine times in ten; open deals followed up within the last
/// 30 days, or stalled for 31 to 120.
fn draw(rng: &mut StdRng, pool: &Pool, cal: &Calendar, org: &Org, people: &[Profile]) -> Deal {
    let r: f64 = rng.random();
    let customer = if r < 0.25 && !pool.prospects.is_empty() {
        *pick(rng, &pool.prospects)
    } else if r < 0.6 && !pool.big.is_empty() {
        *pick(rng, &pool.big)
    } else {
        rng.random_range(0..people.len())
    };
    let c = &people[customer];
    let owner = if rng.random_bool(0.9) {
        c.manager
    } else {
        rng.random_range(org.stations[c.station].managers.clone())
    };
    let stage = weighted(rng, &STAGE_WEIGHTS);
    let amount = intended_amount(rng, &pool.typical);
    let (opened, last) = if stage < FIRST_CLOSED {
        // days since the last follow-up: stalled deals have waited over a month
        let gap = if rng.random_bool(STALLED_SHARE) {
            rng.random_range(31..=120)
        } else {
            rng.random_range(0..=30)
        };
        let last = cal.end - gap;
        (last - rng.random_range(0..=180), last)
    } else {
        let opened = cal.end - rng.random_range(7..=540);
        (opened, (opened + rng.random_range(7..=120)).min(cal.end))
    };
    Deal {
        opened,
        last,
        customer,
        owner,
        stage,
        amount,
        need: pick::<&str, _>(rng, NEEDS),
        obstacle: pick::<&str, _>(rng, OBSTACLES),
        strategy: pick::<&str, _>(rng, STRATEGIES),
    }
}

/// The sorted deals as the contract's deals table.
fn to_frame(deals: &[Deal], org: &Org, people: &[Profile]) -> Result<DataFrame> {
    let width = digits(deals.len()).max(5);
    let cols = vec![
        str_col(
            s::DEAL_ID,
            (1..=deals.len())
                .map(|k| format!("D{k:0width$}"))
                .collect::<Vec<_>>()
                .iter()
                .map(String::as_str),
        ),
        str_col(
            s::CUSTOMER_ID,
            deals.iter().map(|d| people[d.customer].id.as_str()),
        ),
        str_col(
            s::OWNER,
            deals.iter().map(|d| org.managers[d.owner].name.as_str()),
        ),
        str_col(s::STAGE, deals.iter().map(|d| STAGE_VALUES[d.stage])),
        f64_col(s::INTENDED_AMOUNT, deals.iter().map(|d| d.amount).collect()),
        date_col(s::OPENED_ON, deals.iter().map(|d| d.opened).collect()),
        date_col(s::LAST_FOLLOW_UP, deals.iter().map(|d| d.last).collect()),
        str_col(s::CORE_NEED, deals.iter().map(|d| d.need)),
        str_col(s::MAIN_OBSTACLE, deals.iter().map(|d| d.obstacle)),
        str_col(s::STRATEGY, deals.iter().map(|d| d.strategy)),
    ];
    contract_frame(&s::DEALS, cols)
}

/// An intended deal amount, clustered around the 10,000 and 100,000 thresholds.
fn intended_amount(rng: &mut StdRng, typical: &LogNormal<f64>) -> f64 {
    match weighted(rng, &[0.12, 0.13, 0.12, 0.13, 0.05, 0.45]) {
        0 => round_to(rng.random_range(8_000.0..9_990.0), 10.0),
        1 => round_to(rng.random_range(10_000.0..12_500.0), 10.0),
        2 => round_to(rng.random_range(85_000.0..99_900.0), 100.0),
        3 => round_to(rng.random_range(100_000.0..130_000.0), 100.0),
        4 => round_to(rng.random_range(1_000_000.0..8_000_000.0), 1_000.0),
        _ => round_to(typical.sample(rng), 100.0).max(1_000.0),
    }
}
