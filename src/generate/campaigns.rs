//! Customer-development campaigns (domain.md article 2): about three per station per year,
//! each on one channel with that channel's typical reach, cost and conversion — flyers
//! convert about 0.5% (600 flyers → 3 cards), booths 3%, in-station promotions 2%, alliances
//! 8%, referrals 15%, visits 20%.

use polars::prelude::*;
use rand::RngExt;
use rand::rngs::StdRng;
use rand_distr::{Binomial, Distribution, LogNormal, Poisson};

use super::org::Org;
use super::{Calendar, GenerateParams, Stream, contract_frame, date_col, digits, dist, f64_col};
use super::{i64_col, round2, str_col, stream, weighted};
use crate::error::Result;
use crate::schema as s;

/// Campaigns per station per year.
const PER_STATION_YEAR: f64 = 3.0;

struct Channel {
    code: &'static str,
    /// Share of campaigns.
    weight: f64,
    /// Typical conversion of those reached.
    conversion: f64,
    /// Range of people or organisations reached.
    reach: (u64, u64),
}

const CHANNELS: [Channel; 6] = [
    channel("flyer", 0.25, 0.005, (300, 2_000)),
    channel("booth", 0.15, 0.03, (100, 800)),
    channel("in_station", 0.20, 0.02, (200, 1_500)),
    channel("alliance", 0.10, 0.08, (50, 600)),
    channel("referral", 0.15, 0.15, (10, 80)),
    channel("visit", 0.15, 0.20, (5, 40)),
];

const fn channel(code: &'static str, weight: f64, conversion: f64, reach: (u64, u64)) -> Channel {
    Channel {
        code,
        weight,
        conversion,
        reach,
    }
}

struct Campaign {
    start: i32,
    end: i32,
    station: usize,
    channel: usize,
    reached: u64,
    converted: u64,
    cost: f64,
    first_topup: f64,
}

pub(super) fn frame(p: &GenerateParams, cal: &Calendar, org: &Org) -> Result<DataFrame> {
    let mut rng = stream(p.seed, Stream::Campaigns, 0);
    let weights: Vec<f64> = CHANNELS.iter().map(|c| c.weight).collect();
    let per_station = PER_STATION_YEAR * cal.months.len() as f64 / 12.0;
    let count = dist(Poisson::new(per_station), "campaign count")?;
    let lift = dist(LogNormal::new(0.0, 0.3), "conversion")?;
    let topup = dist(LogNormal::new(3_000_f64.ln(), 0.8), "first top-up")?;

    let mut campaigns = Vec::new();
    for station in 0..org.stations.len() {
        for _ in 0..count.sample(&mut rng) as u64 {
            let k = weighted(&mut rng, &weights);
            let ch = &CHANNELS[k];
            let days = rng.random_range(1..=30);
            let start = rng.random_range(cal.start..=(cal.end - days + 1).max(cal.start));
            let reached = rng.random_range(ch.reach.0..=ch.reach.1);
            let rate = (ch.conversion * lift.sample(&mut rng)).min(1.0);
            let converted = dist(Binomial::new(reached, rate), "conversions")?.sample(&mut rng);
            let first_topup: f64 = (0..converted).map(|_| topup.sample(&mut rng)).sum();
            campaigns.push(Campaign {
                start,
                end: (start + days - 1).min(cal.end),
                station,
                channel: k,
                reached,
                converted,
                cost: round2(cost(k, reached, converted, &mut rng)),
                first_topup: round2(first_topup),
            });
        }
    }
    // Ids follow the start date.
    campaigns.sort_by_key(|c| (c.start, c.station));
    let width = digits(campaigns.len()).max(4);
    let ids: Vec<String> = (1..=campaigns.len())
        .map(|k| format!("CP{k:0width$}"))
        .collect();
    let station = |c: &Campaign| &org.stations[c.station];
    let cols = vec![
        str_col(s::CAMPAIGN_ID, ids.iter().map(String::as_str)),
        str_col(
            s::CHANNEL,
            campaigns.iter().map(|c| CHANNELS[c.channel].code),
        ),
        str_col(
            s::DISTRICT,
            campaigns
                .iter()
                .map(|c| org.districts[station(c).district].as_str()),
        ),
        str_col(
            s::STATION,
            campaigns.iter().map(|c| station(c).name.as_str()),
        ),
        date_col(s::START, campaigns.iter().map(|c| c.start).collect()),
        date_col(s::END, campaigns.iter().map(|c| c.end).collect()),
        i64_col(
            s::REACHED,
            campaigns.iter().map(|c| c.reached as i64).collect(),
        ),
        i64_col(
            s::CONVERTED,
            campaigns.iter().map(|c| c.converted as i64).collect(),
        ),
        f64_col(s::COST, campaigns.iter().map(|c| c.cost).collect()),
        f64_col(
            s::FIRST_TOPUP_TOTAL,
            campaigns.iter().map(|c| c.first_topup).collect(),
        ),
    ];
    contract_frame(&s::CAMPAIGNS, cols)
}

/// Cost of a campaign on channel `k` (`CHANNELS` order).
fn cost(k: usize, reached: u64, converted: u64, rng: &mut StdRng) -> f64 {
    let (reached, converted) = (reached as f64, converted as f64);
    match k {
        // printing and hand-out per flyer, plus design
        0 => reached * rng.random_range(0.4..0.8) + rng.random_range(200.0..800.0),
        1 => rng.random_range(2_000.0..8_000.0),
        2 => rng.random_range(300.0..2_000.0),
        3 => rng.random_range(3_000.0..15_000.0),
        // reward per referred customer
        4 => converted * rng.random_range(200.0..500.0) + rng.random_range(100.0..500.0),
        _ => reached * rng.random_range(80.0..200.0),
    }
}
