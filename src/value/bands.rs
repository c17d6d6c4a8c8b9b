//! Each customer's intervals (`p_alive_low`, ..., `clv_high`) and the company's forecast with
//! its interval, by the delta method of [`super::intervals`]: the purchase model is evaluated
//! once more per parameter (each log-parameter moved by [`STEP`]), at the same horizons and
//! with the same per-distinct-input caching ([`Expected`]) as the scores themselves.

use polars::prelude::Column;
use serde::Serialize;

use super::clv::clv_of;
use super::data::Rfm;
use super::gamma_gamma::GammaGamma;
use super::intervals::{
    Band, STEP, Spread, log_band, logit_band, normal_band, purchase_variance, quadratic, scale,
};
use super::purchases::Purchases;
use super::scoring::Expected;
use crate::schema::columns as c;

/// The company's totals over the horizon with their intervals (`models/value_forecast.json`).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Forecast {
    /// Two-sided level of the intervals.
    pub level: f64,
    /// "laplace" or "bootstrap".
    pub method: String,
    /// Horizon of `repeat_purchases` and `revenue` (value.horizon_days).
    pub horizon_days: f64,
    pub customers: usize,
    /// Repeat purchases of the customers over the horizon: a forecast of the actual count
    /// (parameter uncertainty and each customer's randomness).
    pub repeat_purchases: Band,
    /// Revenue of those purchases at each customer's expected value (customers with one).
    pub revenue: Band,
    /// Sum of the customers' CLV: the interval of the expectation (parameter uncertainty).
    pub clv: Band,
}

/// What the bands are computed from: the model, its inputs and the scores' settings.
pub struct Inputs<'a> {
    pub model: &'a Purchases,
    pub spend: Option<&'a GammaGamma>,
    pub rfm: &'a Rfm,
    /// Each customer's average spend (Gamma-Gamma's input).
    pub monetary: &'a [f64],
    /// horizon 0: the configured horizon; 2..: the CLV months (as the scores take them).
    pub horizons: &'a [f64],
    pub discounts: &'a [f64],
    /// Each customer's expected value of a purchase, and whether it is the observed average
    /// (not the spend model's, so without model uncertainty).
    pub values: &'a [(Option<f64>, bool)],
    pub margin: f64,
}

/// Per customer at one parameter point: P(alive), expected purchases over the horizon, and
/// the CLV months' discounted purchases (CLV at value 1 and margin 1).
fn quantities(e: &Expected, i: usize, discounts: &[f64], upto: &mut [f64]) -> [f64; 3] {
    let (p, alive) = (e.p_alive[i], e.if_alive(i));
    for (u, a) in upto.iter_mut().zip(&alive[2..]) {
        *u = p * a;
    }
    [p, p * alive[0], clv_of(upto, discounts, 1.0, 1.0)]
}

/// The models moved by [`STEP`] along each log-parameter.
fn moved_purchases(m: &Purchases) -> Vec<Purchases> {
    let lp = m.log_params();
    (0..lp.len())
        .map(|j| {
            let mut v = lp;
            v[j] += STEP;
            m.with_log_params(&v)
        })
        .collect()
}

fn moved_spend(g: &GammaGamma) -> Vec<GammaGamma> {
    (0..3)
        .map(|j| {
            let mut v = g.clone();
            match j {
                0 => v.p *= STEP.exp(),
                1 => v.q *= STEP.exp(),
                _ => v.gamma *= STEP.exp(),
            }
            v
        })
        .collect()
}

/// The interval columns of every customer and the company forecast. `e0` is the scores'
/// [`Expected`] at the fitted parameters. None when the purchase model has no covariance.
pub fn bands(
    inp: &Inputs,
    spread: &Spread,
    e0: &Expected,
    method: &str,
    horizon_days: f64,
) -> Option<(Vec<Column>, Forecast)> {
    let cov = spread.purchases.as_ref()?;
    let z = spread.z();
    let moved: Vec<Expected> = moved_purchases(inp.model)
        .iter()
        .map(|m| Expected::new(m.model(), inp.rfm, inp.horizons))
        .collect();
    let spend_moved = inp.spend.map(moved_spend).unwrap_or_default();
    let spend_cov = spread.spend.as_ref().filter(|_| inp.spend.is_some());
    let n = inp.rfm.len();
    let ctx = Context {
        inp,
        e0,
        moved: &moved,
        spend_moved: &spend_moved,
        cov,
        spend_cov,
        z,
    };
    // fixed chunks, summed in chunk order: the same bits whatever the core count
    let chunks = n.div_ceil(CHUNK);
    let parts = crate::par::map_tasks(chunks, |c| {
        Ok(ctx.chunk(c * CHUNK..((c + 1) * CHUNK).min(n)))
    })
    .ok()?;
    let mut cols: [Vec<Option<f64>>; 8] = Default::default();
    let mut totals = Totals::new(moved.len());
    for (part, t) in parts {
        for (col, p) in cols.iter_mut().zip(part) {
            col.extend(p);
        }
        totals.merge(&t);
    }
    let names = [
        c::P_ALIVE_LOW,
        c::P_ALIVE_HIGH,
        c::EXPECTED_PURCHASES_LOW,
        c::EXPECTED_PURCHASES_HIGH,
        c::EXPECTED_AVG_VALUE_LOW,
        c::EXPECTED_AVG_VALUE_HIGH,
        c::CLV_LOW,
        c::CLV_HIGH,
    ];
    let columns = names
        .iter()
        .zip(cols)
        .map(|(name, v)| Column::new((*name).into(), v))
        .collect();
    let forecast = totals.forecast(cov, spend_cov, z);
    Some((
        columns,
        Forecast {
            level: spread.level,
            method: method.into(),
            horizon_days,
            customers: n,
            ..forecast
        },
    ))
}

/// The log-gradient of customer `i`'s expected value `v` in Gamma-Gamma's log-parameters,
/// from the spend models moved along each.
fn value_gradient(moved: &[GammaGamma], inp: &Inputs, i: usize, v: f64) -> Vec<f64> {
    (moved.iter())
        .map(|s| {
            let w = s.conditional_expected_average_profit(inp.rfm.x[i], inp.monetary[i]);
            finite((w.ln() - v.ln()) / STEP)
        })
        .collect()
}

/// One customer's eight interval ends from the quantities at the fit `q` and at each moved
/// parameter `qs`, the value and its log-variance `var_v`.
fn customer_row(
    q: &[f64; 3],
    qs: &[[f64; 3]],
    value: Option<f64>,
    var_v: f64,
    margin: f64,
    cov: &[Vec<f64>],
    z: f64,
) -> [Option<f64>; 8] {
    // the gradient of each quantity on its scale (logit for P(alive), log for the others)
    let g: Vec<Vec<f64>> = (0..3)
        .map(|a| {
            (qs.iter())
                .map(|qj| finite((scale(qj[a], a == 0) - scale(q[a], a == 0)) / STEP))
                .collect()
        })
        .collect();
    let (pl, ph) = logit_band(q[0], quadratic(&g[0], cov), z);
    let (el, eh) = log_band(q[1], quadratic(&g[1], cov), z);
    let vb = value.map(|v| log_band(v, var_v, z));
    let clv = value.map(|v| v * margin * q[2]);
    let cb = clv.map(|f| log_band(f, quadratic(&g[2], cov) + var_v, z));
    [
        Some(pl),
        Some(ph),
        Some(el),
        Some(eh),
        vb.map(|b| b.0),
        vb.map(|b| b.1),
        cb.map(|b| b.0),
        cb.map(|b| b.1),
    ]
}

/// Customers per work item of [`bands`].
const CHUNK: usize = 1 << 15;

/// What every customer's bands are computed from.
struct Context<'a> {
    inp: &'a Inputs<'a>,
    e0: &'a Expected,
    moved: &'a [Expected],
    spend_moved: &'a [GammaGamma],
    cov: &'a [Vec<f64>],
    spend_cov: Option<&'a Vec<Vec<f64>>>,
    z: f64,
}

impl Context<'_> {
    /// The interval columns and the forecast sums of customers `range`.
    fn chunk(&self, range: std::ops::Range<usize>) -> ([Vec<Option<f64>>; 8], Totals) {
        let inp = self.inp;
        let mut cols: [Vec<Option<f64>>; 8] = Default::default();
        let mut upto = vec![0.0; inp.discounts.len()];
        let mut totals = Totals::new(self.moved.len());
        let r = inp.model.rate_shape();
        for i in range {
            let q = quantities(self.e0, i, inp.discounts, &mut upto);
            let qs: Vec<[f64; 3]> = (self.moved.iter())
                .map(|e| quantities(e, i, inp.discounts, &mut upto))
                .collect();
            let (value, observed) = inp.values[i];
            let gv = match (value, observed) {
                (Some(v), false) => value_gradient(self.spend_moved, inp, i, v),
                _ => vec![],
            };
            let var_v = (self.spend_cov)
                .filter(|_| !gv.is_empty())
                .map_or(0.0, |c| quadratic(&gv, c));
            let row = customer_row(&q, &qs, value, var_v, inp.margin, self.cov, self.z);
            for (col, v) in cols.iter_mut().zip(row) {
                col.push(v);
            }
            let var_x = purchase_variance(q[0], self.e0.if_alive(i)[0], inp.rfm.x[i], r);
            let value = value.map(|v| (v, gv.as_slice()));
            totals.add(&q, &qs, value, inp.margin, var_x);
        }
        (cols, totals)
    }
}

/// Running sums of the company forecast: expectations, their gradients in the purchase
/// model's log-parameters (`gp_*`) and the spend model's (`gs_*`), and the customers' own
/// variances.
struct Totals {
    purchases: f64,
    revenue: f64,
    clv: f64,
    gp_purchases: Vec<f64>,
    gp_revenue: Vec<f64>,
    gp_clv: Vec<f64>,
    gs_revenue: Vec<f64>,
    gs_clv: Vec<f64>,
    var_purchases: f64,
    var_revenue: f64,
}

impl Totals {
    fn new(k: usize) -> Totals {
        Totals {
            purchases: 0.0,
            revenue: 0.0,
            clv: 0.0,
            gp_purchases: vec![0.0; k],
            gp_revenue: vec![0.0; k],
            gp_clv: vec![0.0; k],
            gs_revenue: vec![0.0; 3],
            gs_clv: vec![0.0; 3],
            var_purchases: 0.0,
            var_revenue: 0.0,
        }
    }

    /// Add a customer: quantities at the fit `q` and at each moved parameter `qs`; value and
    /// its log-gradient in the spend parameters (empty when observed).
    fn add(
        &mut self,
        q: &[f64; 3],
        qs: &[[f64; 3]],
        value: Option<(f64, &[f64])>,
        margin: f64,
        var_x: f64,
    ) {
        self.purchases += q[1];
        self.var_purchases += var_x;
        for (j, qj) in qs.iter().enumerate() {
            self.gp_purchases[j] += finite((qj[1] - q[1]) / STEP);
        }
        let Some((v, gv)) = value else { return };
        let clv = v * margin * q[2];
        self.revenue += q[1] * v;
        self.clv += clv;
        self.var_revenue += v * v * var_x;
        for (j, qj) in qs.iter().enumerate() {
            self.gp_revenue[j] += finite(v * (qj[1] - q[1]) / STEP);
            self.gp_clv[j] += finite(v * margin * (qj[2] - q[2]) / STEP);
        }
        // d(q v)/d ln theta = q v d ln v / d ln theta
        for (j, g) in gv.iter().enumerate() {
            self.gs_revenue[j] += q[1] * v * g;
            self.gs_clv[j] += clv * g;
        }
    }

    /// Add the sums of another run of customers.
    fn merge(&mut self, o: &Totals) {
        let add = |a: &mut Vec<f64>, b: &Vec<f64>| a.iter_mut().zip(b).for_each(|(a, b)| *a += b);
        self.purchases += o.purchases;
        self.revenue += o.revenue;
        self.clv += o.clv;
        add(&mut self.gp_purchases, &o.gp_purchases);
        add(&mut self.gp_revenue, &o.gp_revenue);
        add(&mut self.gp_clv, &o.gp_clv);
        add(&mut self.gs_revenue, &o.gs_revenue);
        add(&mut self.gs_clv, &o.gs_clv);
        self.var_purchases += o.var_purchases;
        self.var_revenue += o.var_revenue;
    }

    fn forecast(&self, cov: &[Vec<f64>], spend: Option<&Vec<Vec<f64>>>, z: f64) -> Forecast {
        let sv = |g: &[f64]| spend.map_or(0.0, |c| quadratic(g, c));
        Forecast {
            level: 0.0,
            method: String::new(),
            horizon_days: 0.0,
            customers: 0,
            repeat_purchases: normal_band(
                self.purchases,
                quadratic(&self.gp_purchases, cov) + self.var_purchases,
                z,
            ),
            revenue: normal_band(
                self.revenue,
                quadratic(&self.gp_revenue, cov) + sv(&self.gs_revenue) + self.var_revenue,
                z,
            ),
            clv: normal_band(self.clv, quadratic(&self.gp_clv, cov) + sv(&self.gs_clv), z),
        }
    }
}

fn finite(v: f64) -> f64 {
    if v.is_finite() { v } else { 0.0 }
}

/// The interval of the calibration customers' total repeat purchases over `horizon` (model
/// time units), as a forecast of the actual count: the holdout check's interval.
pub fn total_purchases(
    model: &Purchases,
    rfm: &Rfm,
    horizon: f64,
    spread: &Spread,
) -> Option<Band> {
    let cov = spread.purchases.as_ref()?;
    let e0 = Expected::new(model.model(), rfm, &[horizon]);
    let moved: Vec<Expected> = moved_purchases(model)
        .iter()
        .map(|m| Expected::new(m.model(), rfm, &[horizon]))
        .collect();
    let r = model.rate_shape();
    let (mut total, mut var_x, mut g) = (0.0, 0.0, vec![0.0; moved.len()]);
    for i in 0..rfm.len() {
        let q = e0.purchases(i, 0);
        total += q;
        var_x += purchase_variance(e0.p_alive[i], e0.if_alive(i)[0], rfm.x[i], r);
        for (gj, e) in g.iter_mut().zip(&moved) {
            *gj += finite((e.purchases(i, 0) - q) / STEP);
        }
    }
    Some(normal_band(total, quadratic(&g, cov) + var_x, spread.z()))
}

#[cfg(test)]
#[path = "bands_tests.rs"]
mod tests;
