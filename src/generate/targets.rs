//! Monthly targets for the company, each district, station and account manager, on the four
//! metrics of the contract, sized from the simulated actuals so completion rates spread
//! around 80–120%:
//!
//! ```text
//! target = actual(unit, month) × growth(unit, year) × noise,  growth ~ U(0.90, 1.15), noise ~ LN(0, 0.08)
//! ```
//!
//! Actuals: revenue and volume are net of returns; new customers are those whose
//! `acquired_on` falls in the month; key accounts are customers buying at least 10,000 in
//! the month. A count target is at least 1.

use polars::prelude::*;
use rand::RngExt;
use rand_distr::{Distribution, LogNormal};

use super::customers::Profile;
use super::org::Org;
use super::transactions::Sale;
use super::{Calendar, GenerateParams, Stream, contract_frame, dist, f64_col, round_to, round2};
use super::{str_col, stream};
use crate::error::Result;
use crate::schema::{self as s, LEVEL_VALUES, METRIC_VALUES};

/// Monthly purchases that make a customer a key account (domain.md, article 1).
const KEY_ACCOUNT_AMOUNT: f64 = 10_000.0;
const REVENUE: usize = 0;
const VOLUME: usize = 1;
const NEW_CUSTOMERS: usize = 2;
const KEY_ACCOUNTS: usize = 3;

/// Every unit of the organisation in one index space: company, districts, stations, managers.
struct Units<'a> {
    org: &'a Org,
}

impl Units<'_> {
    fn len(&self) -> usize {
        1 + self.org.districts.len() + self.org.stations.len() + self.org.managers.len()
    }

    /// The four units a customer rolls up into.
    fn of(&self, c: &Profile) -> [usize; 4] {
        let d = self.org.districts.len();
        let st = self.org.stations.len();
        [
            0,
            1 + self.org.district_of(c.station),
            1 + d + c.station,
            1 + d + st + c.manager,
        ]
    }

    /// (level index into `LEVEL_VALUES`, unit name) of every unit, in index order.
    fn labels(&self) -> Vec<(usize, &str)> {
        let mut out = vec![(0, LEVEL_VALUES[0])];
        out.extend(self.org.districts.iter().map(|x| (1, x.as_str())));
        out.extend(self.org.stations.iter().map(|x| (2, x.name.as_str())));
        out.extend(self.org.managers.iter().map(|x| (3, x.name.as_str())));
        out
    }
}

pub(super) fn frame(
    p: &GenerateParams,
    cal: &Calendar,
    org: &Org,
    people: &[Profile],
    sales: &[Sale],
) -> Result<DataFrame> {
    let units = Units { org };
    let n_units = units.len();
    let actual = actuals(cal, &units, people, sales);

    let mut rng = stream(p.seed, Stream::Targets, 0);
    let first_year = cal.months.first().map_or(0, |m| m.year);
    let years = cal
        .months
        .last()
        .map_or(1, |m| (m.year - first_year + 1) as usize);
    // growth[unit × years + year]: how ambitious the unit's plan is that year.
    let growth: Vec<f64> = (0..n_units * years)
        .map(|_| rng.random_range(0.90..1.15))
        .collect();
    let noise = dist(LogNormal::new(0.0, 0.08), "target noise")?;

    let labels = units.labels();
    let periods: Vec<String> = cal
        .months
        .iter()
        .map(|m| format!("{:04}-{:02}", m.year, m.month))
        .collect();
    let rows = cal.months.len() * n_units * METRIC_VALUES.len();
    let (mut period, mut level, mut unit, mut metric, mut target) = (
        Vec::with_capacity(rows),
        Vec::with_capacity(rows),
        Vec::with_capacity(rows),
        Vec::with_capacity(rows),
        Vec::with_capacity(rows),
    );
    for (m, month) in cal.months.iter().enumerate() {
        let year = (month.year - first_year) as usize;
        for (u, (lvl, name)) in labels.iter().enumerate() {
            for (k, metric_name) in METRIC_VALUES.iter().enumerate() {
                let a = actual[k][m * n_units + u];
                let base = match k {
                    REVENUE | VOLUME if a > 0.0 => a,
                    REVENUE | VOLUME => unit_mean(&actual[k], u, n_units),
                    _ => a.max(1.0),
                };
                let t = base * growth[u * years + year] * noise.sample(&mut rng);
                target.push(match k {
                    REVENUE if t >= 100_000.0 => round_to(t, 100.0),
                    REVENUE => t.round(),
                    VOLUME if t >= 100.0 => t.round(),
                    VOLUME => round2(t),
                    _ => t.round().max(1.0),
                });
                period.push(periods[m].as_str());
                level.push(LEVEL_VALUES[*lvl]);
                unit.push(*name);
                metric.push(*metric_name);
            }
        }
    }
    let cols = vec![
        str_col(s::PERIOD, period.into_iter()),
        str_col(s::LEVEL, level.into_iter()),
        str_col(s::UNIT, unit.into_iter()),
        str_col(s::METRIC, metric.into_iter()),
        f64_col(s::TARGET, target),
    ];
    contract_frame(&s::TARGETS, cols)
}

/// Mean of a unit's months with activity (0 when it never had any).
fn unit_mean(values: &[f64], unit: usize, n_units: usize) -> f64 {
    let (sum, n) = values
        .iter()
        .skip(unit)
        .step_by(n_units)
        .filter(|v| **v > 0.0)
        .fold((0.0, 0), |(s, n), v| (s + v, n + 1));
    if n == 0 { 0.0 } else { sum / f64::from(n) }
}

/// actual[metric][month × units + unit].
fn actuals(cal: &Calendar, units: &Units, people: &[Profile], sales: &[Sale]) -> [Vec<f64>; 4] {
    let n_units = units.len();
    let cells = cal.months.len() * n_units;
    let mut actual: [Vec<f64>; 4] = std::array::from_fn(|_| vec![0.0; cells]);

    for c in people {
        if let Some(day) = c.acquired.filter(|d| (cal.start..=cal.end).contains(d)) {
            let m = cal.month_of(day);
            for u in units.of(c) {
                actual[NEW_CUSTOMERS][m * n_units + u] += 1.0;
            }
        }
    }

    // Sales are in date order, so a customer's month total is complete when the month changes.
    let mut month = MonthTotals::new(people.len());
    let mut current = 0;
    for sale in sales {
        let m = cal.month_of(sale.date);
        if m != current {
            month.close(current, units, people, &mut actual);
            current = m;
        }
        let c = sale.customer as usize;
        let amount = sale.amount();
        month.add(c, m, amount);
        for u in units.of(&people[c]) {
            actual[REVENUE][m * n_units + u] += amount;
            actual[VOLUME][m * n_units + u] += sale.quantity;
        }
    }
    month.close(current, units, people, &mut actual);
    actual
}

/// Each customer's purchases in the month being walked, to count key accounts when it closes.
struct MonthTotals {
    total: Vec<f64>,
    /// 1 + the last month a customer bought in (0: never).
    seen_in: Vec<usize>,
    /// Customers with purchases in the month being walked.
    touched: Vec<usize>,
}

impl MonthTotals {
    fn new(customers: usize) -> Self {
        MonthTotals {
            total: vec![0.0; customers],
            seen_in: vec![0; customers],
            touched: Vec::new(),
        }
    }

    /// Customer `c` bought `amount` in month `m`.
    fn add(&mut self, c: usize, m: usize, amount: f64) {
        if self.seen_in[c] != m + 1 {
            self.seen_in[c] = m + 1;
            self.touched.push(c);
        }
        self.total[c] += amount;
    }

    /// Month `m` is complete: each customer whose purchases reached the key-account amount
    /// counts as a key account of its units; the totals start again.
    fn close(&mut self, m: usize, units: &Units, people: &[Profile], actual: &mut [Vec<f64>; 4]) {
        let n_units = units.len();
        for c in self.touched.drain(..) {
            if self.total[c] >= KEY_ACCOUNT_AMOUNT {
                for u in units.of(&people[c]) {
                    actual[KEY_ACCOUNTS][m * n_units + u] += 1.0;
                }
            }
            self.total[c] = 0.0;
        }
    }
}
