//! `kam retention`: each cohort's shifted-beta-geometric fit ([`super::sbg`]), its survival
//! as observed and as fitted over the observed periods and projected to a horizon, and the
//! discounted expected residual lifetime of a customer who has just signed. Pure: cohorts in,
//! a table and a model report out.

use polars::prelude::*;
use serde::Serialize;

use super::sbg::{self, Sbg};
use crate::error::{Error, Result};
use crate::schema::columns as c;

/// One cohort: its name and the customers under contract at its start (index 0) and after
/// each period.
#[derive(Debug, Clone, PartialEq)]
pub struct Cohort {
    pub name: String,
    pub survivors: Vec<f64>,
}

/// How far to project and how to discount.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    /// Periods from each cohort's start the table runs to (at least the observed ones).
    pub horizon: u32,
    /// Discount rate per period of the residual lifetime.
    pub discount_rate: f64,
}

impl Settings {
    pub fn check(self) -> Result<Settings> {
        if self.horizon == 0 {
            return Err(Error::Usage("--horizon must be at least 1 period".into()));
        }
        if !(self.discount_rate.is_finite() && self.discount_rate > 0.0) {
            return Err(Error::Usage(format!(
                "--discount-rate must be a number > 0 (per period, e.g. 0.1); got {}",
                self.discount_rate
            )));
        }
        Ok(self)
    }
}

/// One cohort's fit as `models/sbg.json` lists it.
#[derive(Debug, Serialize)]
pub struct CohortFit {
    pub cohort: String,
    /// Periods observed after the start.
    pub periods: usize,
    #[serde(flatten)]
    pub model: Sbg,
    /// Discounted expected residual lifetime, in periods, of a customer who has just signed
    /// (Fader & Hardie 2010): their expected value is this times the margin per period.
    pub derl_new_customer: f64,
}

/// The fits and the table.
pub struct Retention {
    pub fits: Vec<CohortFit>,
    /// cohort, period, customers, survival, survival_fitted, retention_rate,
    /// expected_customers, projected: one row per cohort and period 0..=horizon.
    pub table: DataFrame,
}

/// Fit every cohort and tabulate it.
pub fn project(cohorts: &[Cohort], s: Settings) -> Result<Retention> {
    let mut fits = Vec::with_capacity(cohorts.len());
    let mut rows = Rows::default();
    for co in cohorts {
        let model = sbg::fit(std::slice::from_ref(&co.survivors))
            .map_err(|e| Error::validation("retention cohorts", format!("{}: {e}", co.name)))?;
        rows.push(co, &model, s.horizon);
        fits.push(CohortFit {
            cohort: co.name.clone(),
            periods: co.survivors.len() - 1,
            derl_new_customer: model.derl(s.discount_rate, 0),
            model,
        });
    }
    Ok(Retention {
        fits,
        table: rows.frame()?,
    })
}

/// The table's columns as they are filled.
#[derive(Default)]
struct Rows {
    cohort: Vec<String>,
    period: Vec<u32>,
    customers: Vec<Option<f64>>,
    survival: Vec<Option<f64>>,
    fitted: Vec<f64>,
    retention: Vec<Option<f64>>,
    expected: Vec<f64>,
    projected: Vec<bool>,
}

impl Rows {
    fn push(&mut self, co: &Cohort, m: &Sbg, horizon: u32) {
        let start = co.survivors[0];
        let observed = co.survivors.len() as u32 - 1;
        for t in 0..=horizon.max(observed) {
            let actual = co.survivors.get(t as usize).copied();
            self.cohort.push(co.name.clone());
            self.period.push(t);
            self.customers.push(actual);
            self.survival.push(actual.map(|n| n / start));
            self.fitted.push(m.survival(t));
            self.retention.push((t > 0).then(|| m.retention_rate(t)));
            self.expected.push(start * m.survival(t));
            self.projected.push(t > observed);
        }
    }

    fn frame(self) -> Result<DataFrame> {
        Ok(df!(
            c::COHORT => self.cohort,
            c::PERIOD => self.period,
            // customers under contract after that many periods, as observed (empty when projected)
            c::CUSTOMER_COUNT => self.customers,
            c::SURVIVAL => self.survival,
            c::SURVIVAL_FITTED => self.fitted,
            c::RETENTION_RATE => self.retention,
            c::EXPECTED_CUSTOMERS => self.expected,
            c::PROJECTED => self.projected,
        )?)
    }
}
