//! The value stage: from the per-customer table (frequency, recency, T, monetary_value) to
//! fitted models and per-customer scores: `p_alive`, `expected_purchases` over the horizon,
//! `expected_avg_value` (Gamma-Gamma), `clv`. Pure: frames in, frames and models out.

use super::bgnbd::{BgNbd, BgNbdParams};
use super::clv::{PurchaseModel, clv};
use super::data::Rfm;
use super::gamma_gamma::{GammaGamma, GammaGammaParams};
use super::params::{ModelKind, ValueValid};
use super::pareto_nbd::{ParetoNbd, ParetoNbdParams};
use crate::error::{Error, Result};
use crate::schema as s;
use crate::schema::TimeUnit;
use polars::prelude::*;

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

pub use crate::schema::columns::{
    CLV, EXPECTED_AVG_VALUE, EXPECTED_PURCHASES, EXPECTED_REVENUE_12M, P_ALIVE,
};

/// Fit the purchase model on the distinct triples.
pub fn fit_purchases(rfm: &Rfm, v: &ValueValid) -> Result<Purchases> {
    let triples = rfm.compress();
    Ok(match v.model {
        ModelKind::Bgnbd => Purchases::Bgnbd(
            BgNbdParams {
                penalizer: v.penalizer,
            }
            .check()?
            .fit(&triples)?,
        ),
        ModelKind::Pareto => Purchases::Pareto(
            ParetoNbdParams {
                penalizer: v.penalizer,
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
        penalizer: v.penalizer,
    }
    .check()?
    .fit(&summary.rfm.x, &summary.monetary)
    .ok();
    let n = summary.ids.len();
    let mut cols = vec![Column::new(s::CUSTOMER_ID.into(), summary.ids.clone())];
    if purchases.convergence().converged {
        let m = purchases.model();
        let horizon = v.horizon_days / unit.days();
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
                    v.clv_months,
                    v.discount_rate,
                    unit.days(),
                    x,
                    tx,
                    t,
                    val,
                    v.margin,
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
