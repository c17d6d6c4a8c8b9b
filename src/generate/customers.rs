//! The customer master: type, organisation, credit, terms, census potential and acquisition
//! date of every customer, and the per-type business profile the purchase simulation uses.
//!
//! About 8% are census prospects (no `acquired_on`, no purchases). Credit grades are given by
//! rank of a latent score (type bias + noise) so the mix hits domain.md's bank figures exactly
//! (28% A or better, 26% B) while construction companies still rate worse than governments.

use polars::prelude::*;
use rand::RngExt;
use rand::rngs::StdRng;
use rand_distr::StandardNormal;

use super::org::Org;
use super::{Calendar, GenerateParams, bool_col, digits, opt_date_col, round_to, weighted};
use super::{contract_frame, f64_col, i64_col, str_col};
use crate::error::Result;
use crate::schema::{self as s, PAYMENT_TERMS_VALUES};

/// Business profile of one customer type.
#[derive(Debug, Clone, Copy)]
pub(super) struct TypeProfile {
    pub code: &'static str,
    /// Share of all customers.
    pub share: f64,
    /// Median and log-spread of yearly volume while buying, in t/yr.
    pub volume_median: f64,
    pub volume_sigma: f64,
    /// Length range of one project, in months; `None` for steady buyers.
    pub project_months: Option<(i32, i32)>,
    /// Large account (better prices, mostly direct sales).
    pub big: bool,
    /// Shift of the latent credit score (higher = better grade).
    pub grade_bias: f64,
    /// Products bought (index into `transactions::PRODUCTS`) with weights.
    pub products: &'static [(usize, f64)],
    /// Weights of the main channel: direct, depot, online, phone.
    pub channels: [f64; 4],
    /// Share of customers with vehicles and their median count.
    pub vehicle_share: f64,
    pub vehicle_median: f64,
    /// Probability of joint bids / shared market information.
    pub shares_resources: f64,
}

const fn profile(code: &'static str, share: f64, volume: (f64, f64)) -> TypeProfile {
    TypeProfile {
        code,
        share,
        volume_median: volume.0,
        volume_sigma: volume.1,
        project_months: None,
        big: false,
        grade_bias: 0.0,
        products: &[(1, 1.0)],
        channels: [0.25, 0.25, 0.25, 0.25],
        vehicle_share: 0.0,
        vehicle_median: 0.0,
        shares_resources: 0.0,
    }
}

/// The customer types, in `schema::CUSTOMER_TYPES` order (pinned by a test).
pub(super) const TYPES: [TypeProfile; 9] = [
    TypeProfile {
        big: true,
        grade_bias: 0.3,
        products: &[(1, 0.6), (2, 0.4)],
        channels: [0.7, 0.2, 0.02, 0.08],
        vehicle_share: 0.6,
        vehicle_median: 12.0,
        shares_resources: 0.15,
        ..profile("ready_mix", 0.06, (15_000.0, 1.0))
    },
    TypeProfile {
        big: true,
        grade_bias: 0.2,
        products: &[(1, 0.5), (2, 0.5)],
        channels: [0.75, 0.1, 0.05, 0.1],
        vehicle_share: 0.1,
        vehicle_median: 3.0,
        shares_resources: 0.15,
        ..profile("developer", 0.05, (9_000.0, 1.1))
    },
    TypeProfile {
        big: true,
        grade_bias: 0.3,
        products: &[(0, 0.35), (1, 0.35), (3, 0.2), (4, 0.1)],
        channels: [0.6, 0.25, 0.05, 0.1],
        vehicle_share: 0.3,
        vehicle_median: 4.0,
        shares_resources: 0.15,
        ..profile("distributor", 0.08, (10_000.0, 1.1))
    },
    TypeProfile {
        project_months: Some((3, 10)),
        grade_bias: -0.8,
        products: &[(1, 0.6), (0, 0.4)],
        channels: [0.5, 0.3, 0.05, 0.15],
        vehicle_share: 0.4,
        vehicle_median: 3.0,
        shares_resources: 0.04,
        ..profile("construction", 0.10, (3_000.0, 0.9))
    },
    TypeProfile {
        project_months: Some((6, 18)),
        grade_bias: 0.1,
        products: &[(1, 0.7), (2, 0.3)],
        channels: [0.8, 0.1, 0.0, 0.1],
        vehicle_share: 0.3,
        vehicle_median: 5.0,
        shares_resources: 0.04,
        ..profile("hydropower", 0.03, (8_000.0, 0.8))
    },
    TypeProfile {
        grade_bias: 0.9,
        products: &[(1, 0.7), (0, 0.3)],
        channels: [0.5, 0.2, 0.1, 0.2],
        vehicle_share: 0.1,
        vehicle_median: 3.0,
        ..profile("government", 0.06, (900.0, 0.8))
    },
    TypeProfile {
        grade_bias: 0.3,
        products: &[(1, 0.5), (0, 0.3), (3, 0.2)],
        channels: [0.3, 0.35, 0.15, 0.2],
        vehicle_share: 0.15,
        vehicle_median: 2.0,
        ..profile("enterprise", 0.12, (450.0, 0.9))
    },
    TypeProfile {
        grade_bias: -0.1,
        products: &[(3, 0.5), (4, 0.3), (0, 0.2)],
        channels: [0.05, 0.6, 0.2, 0.15],
        vehicle_share: 1.0,
        vehicle_median: 25.0,
        ..profile("fleet", 0.18, (150.0, 0.7))
    },
    TypeProfile {
        grade_bias: -0.3,
        products: &[(3, 0.7), (4, 0.3)],
        channels: [0.0, 0.55, 0.3, 0.15],
        vehicle_share: 0.3,
        vehicle_median: 1.0,
        ..profile("individual", 0.32, (16.0, 0.8))
    },
];

pub(super) const GRADES: [&str; 6] = ["AAA", "AA", "A", "B", "C", "D"];
/// domain.md, article 6: 28% A or better, 26% B, so 54% B or better.
pub(super) const GRADE_MIX: [f64; 6] = [0.05, 0.09, 0.14, 0.26, 0.30, 0.16];
/// Weights of cash, prepay, credit by grade.
const TERMS_BY_GRADE: [[f64; 3]; 6] = [
    [0.2, 0.1, 0.7],
    [0.2, 0.1, 0.7],
    [0.25, 0.15, 0.6],
    [0.35, 0.2, 0.45],
    [0.45, 0.3, 0.25],
    [0.45, 0.5, 0.05],
];
const CREDIT: usize = 2;
/// Share of the master that are census prospects without purchases.
const PROSPECT_SHARE: f64 = 0.08;
/// Share of customers won before the history starts.
const OLD_CUSTOMER_SHARE: f64 = 0.35;

#[derive(Debug, Clone)]
pub(super) struct Profile {
    pub id: String,
    pub name: String,
    /// Index into `TYPES`.
    pub kind: usize,
    pub station: usize,
    pub manager: usize,
    /// Index into `GRADES`.
    pub grade: usize,
    /// Index into `PAYMENT_TERMS_VALUES`.
    pub terms: usize,
    pub credit_days: i64,
    /// Day won (days since 1970-01-01); `None` for prospects.
    pub acquired: Option<i32>,
    /// Yearly volume while buying, t/yr.
    pub volume: f64,
    /// Census estimate of yearly volume, t/yr.
    pub potential: f64,
    pub vehicles: i64,
    pub shares_resources: bool,
}

impl Profile {
    pub fn kind(&self) -> &'static TypeProfile {
        &TYPES[self.kind]
    }
}

/// The customer master: `p.customers` profiles drawn one after another, then grades by rank
/// of a credit score, then payment terms and credit days by grade.
pub(super) fn build(
    p: &GenerateParams,
    cal: &Calendar,
    org: &Org,
    rng: &mut StdRng,
) -> Result<Vec<Profile>> {
    let n = p.customers;
    let width = digits(n).max(6);
    let weights = Weights {
        types: TYPES.iter().map(|t| t.share).collect(),
        stations: org.stations.iter().map(|s| s.weight).collect(),
    };
    let mut people = Vec::with_capacity(n);
    let mut scores = Vec::with_capacity(n);
    for i in 0..n {
        let (mut c, score) = draw(rng, &weights, cal, org);
        c.id = format!("C{:0width$}", i + 1);
        c.name = super::names::customer(
            rng,
            c.kind().code,
            &org.districts[org.district_of(c.station)],
        );
        people.push(c);
        scores.push(score);
    }
    assign_grades(&mut people, &scores);
    for c in &mut people {
        assign_terms(rng, c);
    }
    Ok(people)
}

/// Draw weights of the customer types and the stations.
struct Weights {
    types: Vec<f64>,
    stations: Vec<f64>,
}

/// One customer without id, name, grade or terms, and its credit score (higher is better):
/// type, station, manager, acquisition day (or prospect), yearly volume, census potential,
/// vehicles and resource sharing.
fn draw(rng: &mut StdRng, w: &Weights, cal: &Calendar, org: &Org) -> (Profile, f64) {
    let kind = weighted(rng, &w.types);
    let tp = &TYPES[kind];
    let station = weighted(rng, &w.stations);
    let manager = rng.random_range(org.stations[station].managers.clone());
    let acquired = if rng.random_bool(PROSPECT_SHARE) {
        None
    } else if rng.random_bool(OLD_CUSTOMER_SHARE) {
        Some(cal.start - rng.random_range(1..=3_650))
    } else {
        Some(rng.random_range(cal.start..=cal.end))
    };
    // Clamped so the largest accounts stay a plausible few hundred thousand t/yr.
    let z: f64 = rng.sample::<f64, _>(StandardNormal).clamp(-3.0, 2.6);
    let volume = tp.volume_median * (tp.volume_sigma * z).exp();
    // Census potential is usually above what the customer buys from us.
    let reach = match acquired {
        None => rng.random_range(0.8..1.5),
        Some(_) if rng.random_bool(0.9) => rng.random_range(1.0..2.2),
        Some(_) => rng.random_range(0.7..1.0),
    };
    let potential = round_to(volume * reach, if volume < 100.0 { 1.0 } else { 10.0 }).max(1.0);
    let vehicles = if rng.random_bool(tp.vehicle_share) {
        let z: f64 = rng.sample(StandardNormal);
        (tp.vehicle_median * (0.7 * z).exp()).round().max(1.0) as i64
    } else {
        0
    };
    let shares_resources = rng.random_bool(tp.shares_resources);
    let z: f64 = rng.sample(StandardNormal);
    let score = tp.grade_bias + 0.15 * (volume / tp.volume_median).ln() + z;
    let c = Profile {
        id: String::new(),
        name: String::new(),
        kind,
        station,
        manager,
        grade: 0,
        terms: 0,
        credit_days: 0,
        acquired,
        volume,
        potential,
        vehicles,
        shares_resources,
    };
    (c, score)
}

/// Payment terms by grade (card customers mostly prepay), and credit days for credit terms.
fn assign_terms(rng: &mut StdRng, c: &mut Profile) {
    let mut terms = weighted(rng, &TERMS_BY_GRADE[c.grade]);
    // Card customers top up in advance rather than run an account.
    if terms == CREDIT && matches!(c.kind().code, "fleet" | "individual") && rng.random_bool(0.7) {
        terms = 1;
    }
    c.terms = terms;
    c.credit_days = if terms == CREDIT {
        let w: &[f64] = match c.grade {
            0 | 1 => &[0.2, 0.4, 0.4],
            2 | 3 => &[0.4, 0.4, 0.2],
            _ => &[0.7, 0.3, 0.0],
        };
        [30, 60, 90][weighted(rng, w)]
    } else {
        0
    };
}

/// Grades by rank of the score: the best 5% AAA, the next 9% AA, and so on.
fn assign_grades(people: &mut [Profile], scores: &[f64]) {
    let n = people.len();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]).then(a.cmp(&b)));
    let mut cum = 0.0;
    let mut from = 0;
    for (g, share) in GRADE_MIX.iter().enumerate() {
        cum += share;
        let to = if g + 1 == GRADE_MIX.len() {
            n
        } else {
            ((cum * n as f64).round() as usize).min(n)
        };
        for &i in &order[from..to.max(from)] {
            people[i].grade = g;
        }
        from = to.max(from);
    }
}

pub(super) fn frame(people: &[Profile], org: &Org) -> Result<DataFrame> {
    let station = |c: &Profile| &org.stations[c.station];
    let cols = vec![
        str_col(s::CUSTOMER_ID, people.iter().map(|c| c.id.as_str())),
        str_col(s::NAME, people.iter().map(|c| c.name.as_str())),
        str_col(s::CUSTOMER_TYPE, people.iter().map(|c| c.kind().code)),
        str_col(
            s::DISTRICT,
            people
                .iter()
                .map(|c| org.districts[station(c).district].as_str()),
        ),
        str_col(s::STATION, people.iter().map(|c| station(c).name.as_str())),
        str_col(
            s::ACCOUNT_MANAGER,
            people.iter().map(|c| org.managers[c.manager].name.as_str()),
        ),
        str_col(s::CREDIT_GRADE, people.iter().map(|c| GRADES[c.grade])),
        str_col(
            s::PAYMENT_TERMS,
            people.iter().map(|c| PAYMENT_TERMS_VALUES[c.terms]),
        ),
        i64_col(
            s::CREDIT_DAYS,
            people.iter().map(|c| c.credit_days).collect(),
        ),
        opt_date_col(
            s::ACQUIRED_ON,
            &people.iter().map(|c| c.acquired).collect::<Vec<_>>(),
        ),
        f64_col(
            s::POTENTIAL_VOLUME,
            people.iter().map(|c| c.potential).collect(),
        ),
        i64_col(s::VEHICLES, people.iter().map(|c| c.vehicles).collect()),
        bool_col(
            s::SHARES_RESOURCES,
            people.iter().map(|c| c.shares_resources).collect(),
        ),
    ];
    contract_frame(&s::CUSTOMERS, cols)
}
