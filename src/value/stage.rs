//! The value stage: from the per-customer table (frequency, recency, T, monetary_value) to
//! fitted models and per-customer scores: `p_alive`, `expected_purchases` over the horizon,
//! `expected_avg_value` (Gamma-Gamma), `clv`. Pure: frames in, frames and models out.

use super::bands::{self, Forecast};
use super::bgnbd::BgNbdParams;
use super::choice::{self, ValueChoice};
use super::clv::{clv_horizons, clv_of, discounts};
use super::data::{Rfm, Triples};
use super::gamma_gamma::{GammaGamma, GammaGammaParams};
use super::intervals::{self, Spread};
use super::params::{ModelKind, ValueValid};
use super::pareto_nbd::ParetoNbdParams;
use super::scoring::Expected;
use crate::error::Result;
use crate::schema as s;
use crate::schema::TimeUnit;
use polars::prelude::*;

pub use super::purchases::Purchases;

/// Per-customer model inputs: customer ids with frequency, recency, T, monetary value, and
/// the observed average value of a purchase day (NaN when the table cannot tell).
pub struct Summary {
    pub ids: Vec<String>,
    pub rfm: Rfm,
    pub monetary: Vec<f64>,
    /// Value of all purchase days (before returns) / purchase days (frequency + 1): for a
    /// one-time buyer, its one purchase day. The spend when Gamma-Gamma gives none.
    pub observed_avg: Vec<f64>,
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
        let observed_avg = observed_average(df)?;
        Ok(Summary {
            ids,
            rfm: Rfm::new(f(s::FREQUENCY)?, f(s::RECENCY)?, f(s::T)?)?,
            monetary: f(s::MONETARY_VALUE)?,
            observed_avg,
        })
    }
}

/// Per buyer (rows with a frequency, in table order): (monetary_total + returns_total) /
/// (frequency + 1), the mean value of its purchase days; NaN without those columns.
fn observed_average(df: &DataFrame) -> Result<Vec<f64>> {
    let buyers = col(s::FREQUENCY).is_not_null();
    if !(crate::frame::has(df, s::MONETARY_TOTAL) && crate::frame::has(df, s::RETURNS_TOTAL)) {
        let n = df.clone().lazy().filter(buyers).collect()?.height();
        return Ok(vec![f64::NAN; n]);
    }
    let f = |c: &str| col(c).cast(DataType::Float64);
    // gross purchases = net total + returns; purchase days = frequency + 1
    let avg = df
        .clone()
        .lazy()
        .filter(buyers)
        .select([
            ((f(s::MONETARY_TOTAL) + f(s::RETURNS_TOTAL).fill_null(lit(0.0)))
                / (f(s::FREQUENCY) + lit(1.0)))
            .alias("avg"),
        ])
        .collect()?;
    Ok(avg
        .column("avg")?
        .f64()?
        .iter()
        .map(|v| v.unwrap_or(f64::NAN))
        .collect())
}

/// Fitted models and the per-customer scores.
pub struct ValueScores {
    pub purchases: Purchases,
    pub spend: Option<GammaGamma>,
    /// `customer_id`, p_alive, expected_purchases, expected_avg_value, clv,
    /// expected_revenue_12m, revenue_if_stays (only `customer_id` when the purchase model did
    /// not converge).
    pub scores: DataFrame,
    /// Buyers whose expected_avg_value is their observed average, Gamma-Gamma giving none.
    pub observed_spend: usize,
    /// Distinct (frequency, recency, T) triples the purchase model was fitted on.
    pub triples: usize,
    /// Wall time of the purchase-model fit (reported, never written to a file).
    pub fit_seconds: f64,
    /// The unconditional expectation E[X(t)]: `t` (time unit) and `expected_repeat_purchases`,
    /// from 0 to twice the longest T observed.
    pub curve: DataFrame,
    /// True when `curve` stops at [`MAX_CURVE_DAYS`] before twice the longest T.
    pub curve_cut: bool,
    /// The company's totals over the horizon with their intervals (None without intervals).
    pub forecast: Option<Forecast>,
    /// The parameters' covariances the intervals took (None without intervals).
    pub spread: Option<Spread>,
    /// How `model = "auto"` chose when the stage itself chose (by BIC, without a holdout).
    pub choice: Option<ValueChoice>,
}

/// The note of a choice by BIC inside the value stage.
const NO_HOLDOUT: &str = "no holdout to compare on (holdout_days = 0, a history too short for \
     the holdout, or a summary without transactions): chosen by BIC on the whole history";

pub use crate::schema::columns::{
    CLV, EXPECTED_AVG_VALUE, EXPECTED_PURCHASES, EXPECTED_REVENUE_12M, P_ALIVE, REVENUE_IF_STAYS,
};

/// Fit the purchase model on the distinct triples.
pub fn fit_purchases(rfm: &Rfm, v: &ValueValid) -> Result<Purchases> {
    fit_triples(&rfm.compress(), v)
}

/// Fit the purchase model on distinct triples already counted.
pub fn fit_triples(triples: &Triples, v: &ValueValid) -> Result<Purchases> {
    Ok(match v.model {
        ModelKind::Bgnbd => Purchases::Bgnbd(
            BgNbdParams {
                penalizer: v.penalizer,
            }
            .check()?
            .fit(triples)?,
        ),
        ModelKind::Mbgnbd => Purchases::Mbgnbd(
            BgNbdParams {
                penalizer: v.penalizer,
            }
            .check()?
            .fit_modified(triples)?,
        ),
        ModelKind::Pareto => Purchases::Pareto(
            ParetoNbdParams {
                penalizer: v.penalizer,
            }
            .check()?
            .fit(triples)?,
        ),
        ModelKind::Auto => choice::by_bic(triples, v, String::new())?.0,
    })
}

/// Fit everything and score every customer of `summary`; `seed` seeds the bootstrap of
/// `value.intervals = "bootstrap"`.
pub fn score(summary: &Summary, v: &ValueValid, unit: TimeUnit, seed: u64) -> Result<ValueScores> {
    let t0 = std::time::Instant::now();
    let distinct = summary.rfm.compress();
    let (mut purchases, choice) = match v.model {
        ModelKind::Auto => {
            let (fit, report) = choice::by_bic(&distinct, v, NO_HOLDOUT.into())?;
            (fit, Some(report))
        }
        _ => (fit_triples(&distinct, v)?, None),
    };
    let fit_seconds = t0.elapsed().as_secs_f64();
    let triples = distinct.len();
    let mut spend = GammaGammaParams {
        penalizer: v.penalizer,
    }
    .check()?
    .fit(&summary.rfm.x, &summary.monetary)
    .ok();
    let spend_data = spend
        .as_mut()
        .map(|g| (g, summary.rfm.x.as_slice(), summary.monetary.as_slice()));
    let spread = intervals::spread_of(&mut purchases, spend_data, &distinct, v, seed)?;
    let mut cols = vec![Column::new(s::CUSTOMER_ID.into(), summary.ids.clone())];
    let (mut observed_spend, mut forecast) = (0, None);
    if purchases.convergence().converged {
        let spend_ok = spend.as_ref().filter(|g| g.convergence.converged);
        let scored = score_columns(summary, &purchases, spend_ok, v, unit, spread.as_ref());
        cols.extend(scored.0);
        (observed_spend, forecast) = (scored.1, scored.2);
    }
    let t_max = summary.rfm.t.iter().fold(0.0_f64, |m, v| m.max(*v));
    let (ts, curve_cut) = curve_grid(t_max, unit);
    let ex: Vec<f64> = ts
        .iter()
        .map(|t| purchases.expected_unconditional(*t))
        .collect();
    let curve = df!("t" => ts, "expected_repeat_purchases" => ex)?;
    Ok(ValueScores {
        purchases,
        spend,
        scores: DataFrame::new_infer_height(cols)?,
        observed_spend,
        triples,
        fit_seconds,
        curve,
        curve_cut,
        forecast,
        spread,
        choice,
    })
}

/// Longest horizon of the expected-purchase curve, in days: 20 years. The curve runs to twice
/// the longest history; a history from the year 1 would otherwise ask for 200,000 points, each
/// a hypergeometric series that converges ever more slowly as t grows.
pub const MAX_CURVE_DAYS: f64 = 7_305.0;

/// The curve's grid, one point per time unit: 0 to twice the longest T (at least 1), cut at
/// [`MAX_CURVE_DAYS`]. `(t values, true when cut)`.
pub fn curve_grid(t_max: f64, unit: TimeUnit) -> (Vec<f64>, bool) {
    let full = (2.0 * t_max).ceil().max(1.0);
    let cap = (MAX_CURVE_DAYS / unit.days()).floor();
    let t_end = full.min(cap) as u32;
    ((0..=t_end).map(f64::from).collect(), full > cap)
}

/// The expected value of a purchase day: Gamma-Gamma's conditional expectation where it is
/// finite, else (q <= 1 and no repeat purchase, or no spend model) the customer's observed
/// average when positive. `(value, true when observed)`.
fn purchase_value(
    spend: Option<&GammaGamma>,
    x: f64,
    monetary: f64,
    observed: f64,
) -> (Option<f64>, bool) {
    let model = spend
        .map(|g| g.conditional_expected_average_profit(x, monetary))
        .filter(|v| v.is_finite());
    match model {
        Some(v) => (Some(v), false),
        None => {
            let seen = Some(observed).filter(|v| v.is_finite() && *v > 0.0);
            (seen, seen.is_some())
        }
    }
}

/// p_alive, expected_purchases, expected_avg_value, clv, expected_revenue_12m and
/// revenue_if_stays of every buyer, and how many took their observed average spend. The model
/// is evaluated once per distinct input ([`Expected`]), at the horizon, a year and the end of
/// each CLV month.
fn score_columns(
    summary: &Summary,
    model: &Purchases,
    spend: Option<&GammaGamma>,
    v: &ValueValid,
    unit: TimeUnit,
    spread: Option<&Spread>,
) -> (Vec<Column>, usize, Option<Forecast>) {
    let m = model.model();
    let (r, n) = (&summary.rfm, summary.ids.len());
    let year = 365.0 / unit.days();
    // horizon 0: the configured horizon, 1: a year, 2..: the CLV months
    let mut horizons = vec![v.horizon_days / unit.days(), year];
    horizons.extend(clv_horizons(v.clv_months, unit.days()));
    let e = Expected::new(m, r, &horizons);
    let discounts = discounts(v.clv_months, v.discount_rate);
    let mut c: [Vec<Option<f64>>; 6] = Default::default();
    let mut observed = 0;
    let mut values = Vec::with_capacity(n);
    let mut upto = vec![0.0; v.clv_months as usize];
    for i in 0..n {
        let (p, alive) = (e.p_alive[i], e.if_alive(i));
        c[0].push(Some(p));
        c[1].push(Some(e.purchases(i, 0)));
        let (value, seen) =
            purchase_value(spend, r.x[i], summary.monetary[i], summary.observed_avg[i]);
        observed += usize::from(seen);
        values.push((value, seen));
        c[2].push(value);
        for (u, a) in upto.iter_mut().zip(&alive[2..]) {
            *u = p * a;
        }
        c[3].push(value.map(|val| clv_of(&upto, &discounts, val, v.margin)));
        // expected revenue of the next 365 days: E[purchases] x E[value]
        c[4].push(value.map(|val| e.purchases(i, 1) * val));
        // the same if the customer is alive now: E[purchases | alive] x E[value]
        c[5].push(value.map(|val| alive[1] * val).filter(|v| v.is_finite()));
    }
    let names = [
        P_ALIVE,
        EXPECTED_PURCHASES,
        EXPECTED_AVG_VALUE,
        CLV,
        EXPECTED_REVENUE_12M,
        REVENUE_IF_STAYS,
    ];
    let mut cols: Vec<Column> = names
        .iter()
        .zip(c)
        .map(|(name, v)| Column::new((*name).into(), v))
        .collect();
    let inputs = bands::Inputs {
        model,
        spend,
        rfm: r,
        monetary: &summary.monetary,
        horizons: &horizons,
        discounts: &discounts,
        values: &values,
        margin: v.margin,
    };
    let method = v.intervals.name();
    let banded = spread.and_then(|sp| bands::bands(&inputs, sp, &e, method, v.horizon_days));
    let forecast = banded.map(|(band_cols, forecast)| {
        cols.extend(band_cols);
        forecast
    });
    (cols, observed, forecast)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_expected_curve_stops_at_max_curve_days() {
        // two years of weeks: every week to twice the history
        let (ts, cut) = curve_grid(104.0, TimeUnit::Weeks);
        assert_eq!((ts.len(), cut), (209, false));
        // a history from the year 1 (105,000 weeks): cut at 20 years
        let (ts, cut) = curve_grid(105_000.0, TimeUnit::Weeks);
        assert!(cut);
        assert_eq!(ts.last().copied(), Some((MAX_CURVE_DAYS / 7.0).floor()));
        let (ts, cut) = curve_grid(5_000.0, TimeUnit::Days);
        assert_eq!((ts.len(), cut), (MAX_CURVE_DAYS as usize + 1, true));
    }

    fn spend(q: f64) -> GammaGamma {
        GammaGamma {
            p: 2.5,
            q,
            gamma: 100.0,
            log_likelihood: 0.0,
            customers: 10,
            excluded_nonpositive: 0,
            correlation: None,
            uncertainty: None,
            convergence: crate::value::optim::tests::given(),
        }
    }

    /// Regression (issue 12): with q <= 1 a one-time buyer got no expected value and so no
    /// CLV (105 on the demo). It now takes its observed average purchase day.
    #[test]
    fn one_time_buyers_get_a_value_when_q_is_at_most_one() {
        let heavy = spend(0.3);
        assert_eq!(
            purchase_value(Some(&heavy), 0.0, 0.0, 420.0),
            (Some(420.0), true)
        );
        // a repeat buyer still takes Gamma-Gamma's value: p (gamma + x m) / (p x + q - 1)
        let (v, seen) = purchase_value(Some(&heavy), 2.0, 300.0, 420.0);
        let want = 2.5 * (100.0 + 600.0) / (5.0 + 0.3 - 1.0);
        assert!(!seen && v.is_some_and(|v| (v - want).abs() < 1e-9), "{v:?}");
        // q > 1: the population mean p gamma / (q - 1) for a one-time buyer
        let (v, seen) = purchase_value(Some(&spend(2.0)), 0.0, 0.0, 420.0);
        assert!(
            !seen && v.is_some_and(|v| (v - 250.0).abs() < 1e-9),
            "{v:?}"
        );
        // no spend model: the observed average; nothing observed: no value
        assert_eq!(purchase_value(None, 0.0, 0.0, 420.0), (Some(420.0), true));
        assert_eq!(purchase_value(None, 0.0, 0.0, f64::NAN), (None, false));
    }
}
