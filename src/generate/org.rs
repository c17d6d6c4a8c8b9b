//! The sales organisation: districts (片区), their stations and depots, and the account
//! managers of each station. It grows mildly with the customer count: 4–6 districts,
//! 3–5 stations per district, 2–3 managers per station.

use std::ops::Range;

use rand::RngExt;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;

use super::names;

#[derive(Debug, Clone)]
pub(super) struct Org {
    pub districts: Vec<String>,
    pub stations: Vec<Station>,
    pub managers: Vec<Manager>,
}

#[derive(Debug, Clone)]
pub(super) struct Station {
    pub name: String,
    /// Index into `Org::districts`.
    pub district: usize,
    /// Relative size: share of customers served.
    pub weight: f64,
    /// Indexes into `Org::managers`.
    pub managers: Range<usize>,
}

#[derive(Debug, Clone)]
pub(super) struct Manager {
    pub name: String,
}

const STATION_LABELS: &[&str] = &[
    "North Depot",
    "South Depot",
    "East Station",
    "West Station",
    "Central Depot",
    "Riverside Depot",
    "Ring Road Station",
];

pub(super) fn build(customers: usize, rng: &mut StdRng) -> Org {
    let n_districts = match customers {
        0..2_000 => 4,
        2_000..20_000 => 5,
        _ => 6,
    };
    let base_stations = match customers {
        0..1_000 => 3,
        1_000..50_000 => 4,
        _ => 5,
    };
    let mut districts: Vec<&str> = names::DISTRICTS.to_vec();
    districts.shuffle(rng);
    districts.truncate(n_districts);

    let mut people = names::person_pool();
    people.shuffle(rng);
    let mut people = people.into_iter();

    let mut stations = Vec::new();
    let mut managers = Vec::new();
    for (d, district) in districts.iter().enumerate() {
        let n = (base_stations + rng.random_range(-1..=1_i32)).clamp(3, 5) as usize;
        let mut labels = STATION_LABELS.to_vec();
        labels.shuffle(rng);
        for label in labels.into_iter().take(n) {
            let first = managers.len();
            for _ in 0..rng.random_range(2..=3) {
                let name = people
                    .next()
                    .unwrap_or_else(|| format!("Manager {}", managers.len() + 1));
                managers.push(Manager { name });
            }
            stations.push(Station {
                name: format!("{district} {label}"),
                district: d,
                weight: rng.random_range(0.5..1.8),
                managers: first..managers.len(),
            });
        }
    }
    Org {
        districts: districts.into_iter().map(str::to_string).collect(),
        stations,
        managers,
    }
}

impl Org {
    /// District index of a station.
    pub fn district_of(&self, station: usize) -> usize {
        self.stations[station].district
    }
}
