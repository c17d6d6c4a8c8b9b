//! Contractual mode: customers who hold a contract or card that renews every period (the
//! customers table's optional `contract_start`, `contract_end`, `renewal_months`). Retention is
//! the shifted-beta-geometric model ([`super::sbg`], Fader & Hardie 2007) fitted on the
//! contract customers themselves, and each active contract's renewal probability, discounted
//! expected remaining periods (DERL, Fader & Hardie 2010) and contract value come from it.
//!
//! The customers' histories become cohorts as the model needs them: customers observed for
//! the same number K of whole periods (from `contract_start` to `as_of`) form one cohort, whose
//! survivors after period j are those whose contract had not ended by then (a contract that
//! ended during period t lapsed in period t; one without an end, or ending after `as_of`, is
//! still running). The cohorts share one (alpha, beta). An active customer with n completed
//! renewals has the posterior lapse probability Beta(alpha, beta + n), so it renews next time
//! with probability (beta + n) / (alpha + beta + n).

use chrono::{Datelike, NaiveDate};

use super::sbg::{self, Sbg};
use crate::error::Result;

/// One contract: start, end (None while running) and the renewal period, in months.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Contract {
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
    pub months: u32,
}

/// Whole months from `a` to `b` (0 when b is before a).
pub fn months_between(a: NaiveDate, b: NaiveDate) -> u32 {
    let m = (b.year() - a.year()) * 12 + b.month() as i32
        - a.month() as i32
        - i32::from(b.day() < a.day());
    m.max(0) as u32
}

/// What the model says of one contract as of a date.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ContractScore {
    /// Renewals completed (whole periods under contract).
    pub renewals: u32,
    /// Probability of renewing at the next renewal (0 once ended).
    pub renewal_probability: f64,
    /// Discounted expected remaining periods (0 once ended).
    pub remaining_periods: f64,
}

impl Contract {
    /// Whole periods from the start to `as_of` (the cohort's length) and, for a contract ended
    /// by `as_of`, the period it lapsed in (1-based; after K when it ended in the period still
    /// under way at `as_of`).
    fn history(&self, as_of: NaiveDate) -> (u32, Option<u32>) {
        let k = months_between(self.start, as_of) / self.months.max(1);
        let lapsed = self
            .end
            .filter(|e| *e <= as_of)
            .map(|e| months_between(self.start, e) / self.months.max(1) + 1);
        (k, lapsed)
    }
}

/// The cohorts' survivor counts of `contracts` as of `as_of` (one per observed length K >= 1,
/// shortest first): index j holds the customers still under contract after j periods.
pub fn cohorts(contracts: &[Contract], as_of: NaiveDate) -> Vec<Vec<f64>> {
    let mut by_k: std::collections::BTreeMap<u32, Vec<f64>> = Default::default();
    for c in contracts {
        let (k, lapsed) = c.history(as_of);
        if k == 0 || c.start > as_of {
            continue;
        }
        let counts = by_k.entry(k).or_insert_with(|| vec![0.0; k as usize + 1]);
        // under contract after j periods: j < the lapse period; a lapse in the period under
        // way at as_of is not yet a whole period's outcome: the contract counts as surviving K
        let last = lapsed.filter(|t| *t <= k).map_or(k, |t| t - 1);
        for n in counts.iter_mut().take(last as usize + 1) {
            *n += 1.0;
        }
    }
    by_k.into_values().filter(|c| c[0] > 0.0).collect()
}

/// Fit the sBG model on `contracts` (None when no contract has run a whole period).
pub fn fit(contracts: &[Contract], as_of: NaiveDate) -> Result<Option<Sbg>> {
    let c = cohorts(contracts, as_of);
    if c.is_empty() {
        return Ok(None);
    }
    sbg::fit(&c).map(Some)
}

/// One contract's scores under `model`, with `monthly_discount` turned into the discount of
/// its period.
pub fn score(model: &Sbg, c: &Contract, as_of: NaiveDate, monthly_discount: f64) -> ContractScore {
    let (k, lapsed) = c.history(as_of);
    if lapsed.is_some() || c.start > as_of {
        let renewals = lapsed.map_or(0, |t| t - 1);
        return ContractScore {
            renewals,
            renewal_probability: 0.0,
            remaining_periods: 0.0,
        };
    }
    let n = f64::from(k);
    let d = (1.0 + monthly_discount).powf(f64::from(c.months.max(1))) - 1.0;
    ContractScore {
        renewals: k,
        renewal_probability: (model.beta + n) / (model.alpha + model.beta + n),
        remaining_periods: model.derl(d, k),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_distr::{Beta, Distribution};

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    #[test]
    fn months_count_whole_months() {
        assert_eq!(months_between(date(2020, 1, 15), date(2021, 1, 15)), 12);
        assert_eq!(months_between(date(2020, 1, 15), date(2021, 1, 14)), 11);
        assert_eq!(months_between(date(2021, 1, 15), date(2020, 1, 15)), 0);
    }

    /// Yearly contracts: one started 2020-03-01 and ended 2022-05-01 (in its third year, so
    /// under contract after two) and one still running, as of 2024-01-01 (3 whole years):
    /// cohort [2, 2, 2, 1].
    #[test]
    fn histories_become_survivor_counts() {
        let ended = Contract {
            start: date(2020, 3, 1),
            end: Some(date(2022, 5, 1)),
            months: 12,
        };
        let running = Contract { end: None, ..ended };
        let later = Contract {
            end: Some(date(2030, 1, 1)),
            ..ended
        };
        let as_of = date(2024, 1, 1);
        assert_eq!(
            cohorts(&[ended, running], as_of),
            vec![vec![2.0, 2.0, 2.0, 1.0]]
        );
        // an end after as_of is a contract still running
        assert_eq!(cohorts(&[later], as_of), vec![vec![1.0, 1.0, 1.0, 1.0]]);
    }

    /// 6,000 yearly contracts simulated from sBG(alpha 0.7, beta 1.2) with starts over eight
    /// years: the fit finds alpha and beta within 10%; a running contract's renewal probability
    /// rises with its renewals, an ended one's is 0.
    #[test]
    fn simulated_contracts_give_back_their_parameters() -> Result<()> {
        let (alpha, beta) = (0.7, 1.2);
        let mut rng = rand::rngs::StdRng::seed_from_u64(8);
        let theta_d =
            Beta::new(alpha, beta).map_err(|e| crate::error::Error::Internal(e.to_string()))?;
        let as_of = date(2026, 1, 1);
        let contracts: Vec<Contract> = (0..6_000)
            .map(|i| {
                let start = date(2018 + (i % 8), 1 + (i as u32 % 12), 1);
                let theta: f64 = theta_d.sample(&mut rng);
                // the period it lapses in: geometric with theta
                let mut t = 1;
                while !rand::RngExt::random_bool(&mut rng, theta.clamp(1e-9, 1.0)) && t < 100 {
                    t += 1;
                }
                let end = start.checked_add_months(chrono::Months::new(12 * t - 6));
                Contract {
                    start,
                    end: end.filter(|e| *e <= as_of),
                    months: 12,
                }
            })
            .collect();
        let m = fit(&contracts, as_of)?.ok_or(crate::error::Error::Internal("no fit".into()))?;
        assert!((m.alpha / alpha - 1.0).abs() < 0.1, "alpha {}", m.alpha);
        assert!((m.beta / beta - 1.0).abs() < 0.1, "beta {}", m.beta);
        let young = score(
            &m,
            &Contract {
                start: date(2024, 6, 1),
                end: None,
                months: 12,
            },
            as_of,
            0.01,
        );
        let old = score(
            &m,
            &Contract {
                start: date(2018, 6, 1),
                end: None,
                months: 12,
            },
            as_of,
            0.01,
        );
        assert_eq!((young.renewals, old.renewals), (1, 7));
        assert!(old.renewal_probability > young.renewal_probability);
        assert!(old.remaining_periods > young.remaining_periods && young.remaining_periods > 0.0);
        let ended = Contract {
            start: date(2019, 6, 1),
            end: Some(date(2021, 2, 1)),
            months: 12,
        };
        let gone = score(&m, &ended, as_of, 0.01);
        assert_eq!(
            (
                gone.renewal_probability,
                gone.remaining_periods,
                gone.renewals
            ),
            (0.0, 0.0, 1)
        );
        Ok(())
    }
}
