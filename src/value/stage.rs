//! The value stage: from the per-customer table (frequency, recency, T, monetary_value) to
//! fitted models and per-customer scores: `p_alive`, `expected_purchases` over the horizon,
//! `expected_avg_value` (Gamma-Gamma), `clv`. Pure: frames in, frames and models out.

use polars::prelude::*;
use serde::{Deserialize, Serialize};

use super::bgnbd::{BgNbd, BgNbdParams};
use super::clv::{PurchaseModel, clv};
use super::data::Rfm;
use super::gamma_gamma::{GammaGamma, GammaGammaParams};
use super::pareto_nbd::{ParetoNbd, ParetoNbdParams};
use crate::error::{Error, Result};
use crate::schema as s;
use crate::schema::TimeUnit;

/// Which purchase model to fit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ModelKind {
    #[default]
    Bgnbd,
    Pareto,
}

/// `[value]` in kam.toml.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValueParams {
    /// `bgnbd` (default) or `pareto`.
    #[serde(default)]
    pub model: ModelKind,
    /// Horizon of `expected_purchases`, in days.
    #[serde(default = "default_horizon_days")]
    pub horizon_days: f64,
    /// Months of CLV.
    #[serde(default = "default_clv_months")]
    pub clv_months: u32,
    /// Monthly discount rate of CLV (lifetimes' default 0.01).
    #[serde(default = "default_discount")]
    pub discount_rate: f64,
    /// Share of revenue that is profit (1 = CLV in revenue).
    #[serde(default = "one")]
    pub margin: f64,
    /// L2 penalty of the purchase and spend models (lifetimes' penalizer_coef).
    #[serde(default)]
    pub penalizer: f64,
    /// `kam run` refits the purchase model on the history before `as_of - holdout_days` and
    /// compares its predictions with the purchases of the last `holdout_days`
    /// (`models/calibration_by_frequency.csv`); 0 turns the check off.
    #[serde(default = "default_holdout_days")]
    pub holdout_days: u32,
}

fn default_holdout_days() -> u32 {
    182
}

fn default_horizon_days() -> f64 {
    365.0
}
fn default_clv_months() -> u32 {
    12
}
fn default_discount() -> f64 {
    0.01
}
fn one() -> f64 {
    1.0
}

impl Default for ValueParams {
    fn default() -> Self {
        ValueParams {
            model: ModelKind::Bgnbd,
            horizon_days: default_horizon_days(),
            clv_months: default_clv_months(),
            discount_rate: default_discount(),
            margin: 1.0,
            penalizer: 0.0,
            holdout_days: default_holdout_days(),
        }
    }
}

/// Checked [`ValueParams`].
#[derive(Debug, Clone)]
pub struct ValueValid {
    pub p: ValueParams,
}

impl ValueParams {
    pub fn check(self) -> Result<ValueValid> {
        let bad = |m: String| Err(Error::Usage(format!("value: {m}")));
        if !(self.horizon_days.is_finite() && self.horizon_days > 0.0) {
            return bad(format!(
                "horizon_days must be > 0, got {}",
                self.horizon_days
            ));
        }
        if self.clv_months == 0 || self.clv_months > 600 {
            return bad(format!(
                "clv_months must be between 1 and 600, got {}",
                self.clv_months
            ));
        }
        if !(self.discount_rate.is_finite() && self.discount_rate > -1.0) {
            return bad(format!(
                "discount_rate must be > -1, got {}",
                self.discount_rate
            ));
        }
        if !(self.margin.is_finite() && self.margin >= 0.0) {
            return bad(format!("margin must be >= 0, got {}", self.margin));
        }
        if self.holdout_days > 36_500 {
            return bad(format!(
                "holdout_days must be between 0 and 36500, got {}",
                self.holdout_days
            ));
        }
        if !(self.penalizer.is_finite() && self.penalizer >= 0.0) {
            return bad(format!("penalizer must be >= 0, got {}", self.penalizer));
        }
        Ok(ValueValid { p: self })
    }
}

/// A fitted purchase model of either kind.
#[derive(Debug, Clone)]
pub enum Purchases {
    Bgnbd(BgNbd),
    Pareto(ParetoNbd),
}

impl Purchases {
    pub fn model(&self) -> &dyn PurchaseModel {
        match self {
            Purchases::Bgnbd(m) => m,
            Purchases::Pareto(m) => m,
        }
    }
    pub fn expected_unconditional(&self, t: f64) -> f64 {
        match self {
            Purchases::Bgnbd(m) => m.expected_unconditional(t),
            Purchases::Pareto(m) => m.expected_unconditional(t),
        }
    }
    pub fn convergence(&self) -> &super::optim::Convergence {
        match self {
            Purchases::Bgnbd(m) => &m.convergence,
            Purchases::Pareto(m) => &m.convergence,
        }
    }
    /// Model file name under `models/`.
    pub fn file_name(&self) -> &'static str {
        match self {
            Purchases::Bgnbd(_) => "bgnbd.json",
            Purchases::Pareto(_) => "pareto_nbd.json",
        }
    }
    pub fn label(&self) -> &'static str {
        match self {
            Purchases::Bgnbd(_) => "BG/NBD",
            Purchases::Pareto(_) => "Pareto/NBD",
        }
    }
    pub fn to_json(&self) -> Result<serde_json::Value> {
        let v = match self {
            Purchases::Bgnbd(m) => serde_json::to_value(m),
            Purchases::Pareto(m) => serde_json::to_value(m),
        };
        v.map_err(|e| Error::Internal(e.to_string()))
    }
}

/// Per-customer model inputs: customer ids with frequency, recency, T, monetary value.
pub struct Summary {
    pub ids: Vec<String>,
    pub rfm: Rfm,
    pub monetary: Vec<f64>,
}

impl Summary {
    /// Buyers of the customer table (rows with a first purchase); others have no model input.
    pub fn from_customers(df: &DataFrame) -> Result<Summary> {
        let buyers = df
            .clone()
            .lazy()
            .filter(col(s::FREQUENCY).is_not_null())
            .select([
                col(s::CUSTOMER_ID).cast(DataType::String),
                col(s::FREQUENCY).cast(DataType::Float64),
                col(s::RECENCY).cast(DataType::Float64),
                col(s::T).cast(DataType::Float64),
                col(s::MONETARY_VALUE)
                    .cast(DataType::Float64)
                    .fill_null(lit(0.0)),
            ])
            .collect()?;
        let f = |c: &str| -> Result<Vec<f64>> {
            Ok(buyers
                .column(c)?
                .f64()?
                .iter()
                .map(|v| v.unwrap_or(f64::NAN))
                .collect())
        };
        let ids = buyers
            .column(s::CUSTOMER_ID)?
            .str()?
            .iter()
            .map(|v| v.unwrap_or("").to_string())
            .collect();
        Ok(Summary {
            ids,
            rfm: Rfm::new(f(s::FREQUENCY)?, f(s::RECENCY)?, f(s::T)?)?,
            monetary: f(s::MONETARY_VALUE)?,
        })
    }
}

/// Fitted models and the per-customer scores.
pub struct ValueScores {
    pub purchases: Purchases,
    pub spend: Option<GammaGamma>,
    /// `customer_id`, p_alive, expected_purchases, expected_avg_value, clv (empty when the
    /// purchase model did not converge).
    pub scores: DataFrame,
    /// Distinct (frequency, recency, T) triples the purchase model was fitted on.
    pub triples: usize,
    /// Wall time of the purchase-model fit (reported, never written to a file).
    pub fit_seconds: f64,
    /// The unconditional expectation E[X(t)]: `t` (time unit) and `expected_repeat_purchases`,
    /// from 0 to twice the longest T observed.
    pub curve: DataFrame,
}

pub const P_ALIVE: &str = "p_alive";
pub const EXPECTED_PURCHASES: &str = "expected_purchases";
pub const EXPECTED_AVG_VALUE: &str = "expected_avg_value";
pub const CLV: &str = "clv";
/// Expected revenue of the next 365 days (expected purchases x expected average value); the
/// churn stage's revenue at risk is its churn probability times this.
pub const EXPECTED_REVENUE_12M: &str = "expected_revenue_12m";

impl ValueScores {
    /// One line for the terminal: the model, its convergence and the size of the fit.
    pub fn summary_line(&self) -> String {
        let c = self.purchases.convergence();
        format!(
            "{}: {} ({} iterations, gradient norm {:.1e}, {} distinct triples, fit {:.3} s)",
            self.purchases.label(),
            c.reason,
            c.iterations,
            c.gradient_norm,
            self.triples,
            self.fit_seconds
        )
    }
}

/// Fit the purchase model on the distinct triples.
pub fn fit_purchases(rfm: &Rfm, v: &ValueValid) -> Result<Purchases> {
    let triples = rfm.compress();
    Ok(match v.p.model {
        ModelKind::Bgnbd => Purchases::Bgnbd(
            BgNbdParams {
                penalizer: v.p.penalizer,
            }
            .check()?
            .fit(&triples)?,
        ),
        ModelKind::Pareto => Purchases::Pareto(
            ParetoNbdParams {
                penalizer: v.p.penalizer,
            }
            .check()?
            .fit(&triples)?,
        ),
    })
}

/// Fit everything and score every customer of `summary`.
pub fn score(summary: &Summary, v: &ValueValid, unit: TimeUnit) -> Result<ValueScores> {
    let t0 = std::time::Instant::now();
    let purchases = fit_purchases(&summary.rfm, v)?;
    let fit_seconds = t0.elapsed().as_secs_f64();
    let triples = summary.rfm.compress().len();
    let spend = GammaGammaParams {
        penalizer: v.p.penalizer,
    }
    .check()?
    .fit(&summary.rfm.x, &summary.monetary)
    .ok();
    let n = summary.ids.len();
    let mut cols = vec![Column::new(s::CUSTOMER_ID.into(), summary.ids.clone())];
    if purchases.convergence().converged {
        let m = purchases.model();
        let horizon = v.p.horizon_days / unit.days();
        let year = 365.0 / unit.days();
        let mut er = Vec::with_capacity(n);
        let r = &summary.rfm;
        let (mut pa, mut ep, mut av, mut cl) = (
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
        );
        let spend_ok = spend.as_ref().filter(|g| g.convergence.converged);
        for i in 0..n {
            let (x, tx, t) = (r.x[i], r.t_x[i], r.t[i]);
            pa.push(m.p_alive(x, tx, t));
            ep.push(m.expected_purchases(horizon, x, tx, t));
            // NaN (no finite population mean when q <= 1) is written as empty, never as NaN
            let value = spend_ok
                .map(|g| g.conditional_expected_average_profit(x, summary.monetary[i]))
                .filter(|v| v.is_finite());
            av.push(value);
            // expected revenue of the next 365 days: E[purchases] x E[value]
            er.push(value.map(|val| m.expected_purchases(year, x, tx, t) * val));
            cl.push(value.map(|val| {
                clv(
                    m,
                    v.p.clv_months,
                    v.p.discount_rate,
                    unit.days(),
                    x,
                    tx,
                    t,
                    val,
                    v.p.margin,
                )
            }));
        }
        cols.push(Column::new(P_ALIVE.into(), pa));
        cols.push(Column::new(EXPECTED_PURCHASES.into(), ep));
        cols.push(Column::new(EXPECTED_AVG_VALUE.into(), av));
        cols.push(Column::new(CLV.into(), cl));
        cols.push(Column::new(EXPECTED_REVENUE_12M.into(), er));
    }
    let t_end = (2.0 * summary.rfm.t.iter().fold(0.0_f64, |m, v| m.max(*v)))
        .ceil()
        .max(1.0);
    let ts: Vec<f64> = (0..=t_end as u32).map(f64::from).collect();
    let ex: Vec<f64> = ts
        .iter()
        .map(|t| purchases.expected_unconditional(*t))
        .collect();
    let curve = df!("t" => ts, "expected_repeat_purchases" => ex)?;
    Ok(ValueScores {
        purchases,
        spend,
        scores: DataFrame::new_infer_height(cols)?,
        triples,
        fit_seconds,
        curve,
    })
}
