//! Monthly forecasts with yearly seasonality (period 12), chosen on a holdout.
//!
//! Candidates, each fitted by [`fit`] into a [`Model`] that only predicts:
//!
//! - `seasonal_naive`: the same month last year, `ŷ(T+h) = y(T+h-12k)`;
//! - `seasonal_naive_trend`: the same month last year plus the year-on-year change of the
//!   mean month, `ŷ(T+h) = y(T+h-12k) + k (mean(last 12) - mean(12 before))`;
//! - `holt_winters_additive` / `holt_winters_multiplicative`: Holt-Winters exponential
//!   smoothing with level, trend and additive or multiplicative seasonal terms, initialised
//!   from the first two years (level and trend from the yearly means, seasonal terms around
//!   that line) and smoothed with (α, β, γ) chosen on a fixed grid by the
//!   in-sample one-step squared error (a grid keeps the fit deterministic and cheap).
//!
//! [`choose`] holds out the last `holdout_months`, fits every candidate on the months before,
//! scores its holdout forecast by sMAPE or MAPE, keeps the best (seasonal naive wins ties),
//! refits it on the whole series and forecasts `forecast_horizon` months. The interval is
//! `forecast ± w`, where `w` is the `interval_level` quantile of the absolute holdout errors
//! of the chosen method: an empirical, distribution-free band of constant width.

use serde::Serialize;

use serde::Deserialize;

/// The error measure that picks the forecast method on the holdout.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ErrorMetric {
    /// Symmetric MAPE, mean of 2|y - f| / (|y| + |f|): defined even for months with no sales.
    #[default]
    Smape,
    /// Mean absolute percentage error over months with sales.
    Mape,
}

/// How [`choose`] holds out, scores and forecasts (the `[track]` forecast settings, checked
/// there: `track::TrackValid::forecast_settings`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    /// Last months held out to choose the method.
    pub holdout_months: usize,
    /// Months forecast after the series.
    pub forecast_horizon: usize,
    /// Coverage of the interval, as a share (0.8 = 80%).
    pub interval_level: f64,
    /// Holdout error that chooses the method.
    pub selection_metric: ErrorMetric,
}

/// Months in a season.
pub const SEASON: usize = 12;

const ALPHAS: [f64; 8] = [0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8];
const BETAS: [f64; 4] = [0.01, 0.05, 0.1, 0.2];
const GAMMAS: [f64; 5] = [0.05, 0.1, 0.2, 0.3, 0.5];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    SeasonalNaive,
    SeasonalNaiveTrend,
    HoltWintersAdditive,
    HoltWintersMultiplicative,
}

impl Method {
    /// Candidates in tie-break order (seasonal naive first: a tie never counts as beating it).
    pub const ALL: [Method; 4] = [
        Method::SeasonalNaive,
        Method::SeasonalNaiveTrend,
        Method::HoltWintersAdditive,
        Method::HoltWintersMultiplicative,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Method::SeasonalNaive => "seasonal_naive",
            Method::SeasonalNaiveTrend => "seasonal_naive_trend",
            Method::HoltWintersAdditive => "holt_winters_additive",
            Method::HoltWintersMultiplicative => "holt_winters_multiplicative",
        }
    }

    /// Months of history a fit needs.
    pub fn min_months(self) -> usize {
        match self {
            Method::SeasonalNaive => SEASON,
            _ => 2 * SEASON,
        }
    }
}

/// Smoothing weights of a Holt-Winters fit.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Smoothing {
    pub alpha: f64,
    pub beta: f64,
    pub gamma: f64,
}

#[derive(Debug, Clone, PartialEq)]
enum State {
    /// The last season and the yearly step added per season ahead (0 for plain naive).
    Naive { last: Vec<f64>, step: f64 },
    /// Level, trend and the seasonal terms by month position, after `n` months.
    HoltWinters {
        level: f64,
        trend: f64,
        seasonal: Vec<f64>,
        n: usize,
        multiplicative: bool,
        smoothing: Smoothing,
    },
}

/// A fitted forecast model; it never changes after fitting.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    pub method: Method,
    state: State,
}

impl Model {
    /// Forecasts for the `h` months after the fitted series.
    pub fn predict(&self, h: usize) -> Vec<f64> {
        match &self.state {
            State::Naive { last, step } => (0..h)
                .map(|i| last[i % SEASON] + (i / SEASON + 1) as f64 * step)
                .collect(),
            State::HoltWinters {
                level,
                trend,
                seasonal,
                n,
                multiplicative,
                ..
            } => (0..h)
                .map(|i| {
                    let base = level + (i + 1) as f64 * trend;
                    let s = seasonal[(n + i) % SEASON];
                    if *multiplicative { base * s } else { base + s }
                })
                .collect(),
        }
    }

    /// The smoothing weights, for Holt-Winters.
    pub fn smoothing(&self) -> Option<Smoothing> {
        match &self.state {
            State::HoltWinters { smoothing, .. } => Some(*smoothing),
            State::Naive { .. } => None,
        }
    }
}

fn mean(x: &[f64]) -> f64 {
    x.iter().sum::<f64>() / x.len().max(1) as f64
}

/// Fit `method` to the monthly series `y`; None when the series is too short (or, for the
/// multiplicative model, not strictly positive).
pub fn fit(method: Method, y: &[f64]) -> Option<Model> {
    let n = y.len();
    if n < method.min_months() || y.iter().any(|v| !v.is_finite()) {
        return None;
    }
    let state = match method {
        Method::SeasonalNaive | Method::SeasonalNaiveTrend => {
            let step = if method == Method::SeasonalNaiveTrend {
                mean(&y[n - SEASON..]) - mean(&y[n - 2 * SEASON..n - SEASON])
            } else {
                0.0
            };
            State::Naive {
                last: y[n - SEASON..].to_vec(),
                step,
            }
        }
        Method::HoltWintersAdditive | Method::HoltWintersMultiplicative => {
            let mult = method == Method::HoltWintersMultiplicative;
            if mult && y.iter().any(|v| *v <= 0.0) {
                return None;
            }
            let mut best: Option<(f64, State)> = None;
            for alpha in ALPHAS {
                for beta in BETAS {
                    for gamma in GAMMAS {
                        let w = Smoothing { alpha, beta, gamma };
                        if let Some((sse, st)) = holt_winters(y, w, mult)
                            && best.as_ref().is_none_or(|(b, _)| sse < *b)
                        {
                            best = Some((sse, st));
                        }
                    }
                }
            }
            best?.1
        }
    };
    Some(Model { method, state })
}

/// One Holt-Winters pass: the one-step squared error over months 13.. and the final state.
fn holt_winters(y: &[f64], w: Smoothing, mult: bool) -> Option<(f64, State)> {
    let m = SEASON;
    // The first year's mean is the level mid-year; the seasonal terms are what is left after
    // the straight line through it, and the level is carried to the year's last month.
    let mid = mean(&y[..m]);
    let mut trend = (mean(&y[m..2 * m]) - mid) / m as f64;
    let line = |i: usize| mid + trend * (i as f64 - (m - 1) as f64 / 2.0);
    if mult && (0..m).any(|i| line(i) <= 0.0) {
        return None;
    }
    let mut seasonal: Vec<f64> = y[..m]
        .iter()
        .enumerate()
        .map(|(i, v)| if mult { v / line(i) } else { v - line(i) })
        .collect();
    let mut level = line(m - 1);
    let mut sse = 0.0;
    for (t, &v) in y.iter().enumerate().skip(m) {
        let s = seasonal[t % m];
        let pred = if mult {
            (level + trend) * s
        } else {
            level + trend + s
        };
        sse += (v - pred).powi(2);
        let deseason = if mult { v / s } else { v - s };
        let new_level = w.alpha * deseason + (1.0 - w.alpha) * (level + trend);
        if mult && new_level <= 0.0 {
            return None;
        }
        trend = w.beta * (new_level - level) + (1.0 - w.beta) * trend;
        let reseason = if mult { v / new_level } else { v - new_level };
        seasonal[t % m] = w.gamma * reseason + (1.0 - w.gamma) * s;
        level = new_level;
    }
    sse.is_finite().then_some((
        sse,
        State::HoltWinters {
            level,
            trend,
            seasonal,
            n: y.len(),
            multiplicative: mult,
            smoothing: w,
        },
    ))
}

/// Symmetric MAPE, mean of 2|y - f| / (|y| + |f|) (a month where both are 0 counts as 0).
pub fn smape(actual: &[f64], forecast: &[f64]) -> Option<f64> {
    let terms: Vec<f64> = actual
        .iter()
        .zip(forecast)
        .map(|(y, f)| {
            let d = y.abs() + f.abs();
            if d == 0.0 {
                0.0
            } else {
                2.0 * (y - f).abs() / d
            }
        })
        .collect();
    (!terms.is_empty()).then(|| mean(&terms))
}

/// Mean absolute percentage error over the months with a non-zero actual.
pub fn mape(actual: &[f64], forecast: &[f64]) -> Option<f64> {
    let terms: Vec<f64> = actual
        .iter()
        .zip(forecast)
        .filter(|(y, _)| **y != 0.0)
        .map(|(y, f)| ((y - f) / y).abs())
        .collect();
    (!terms.is_empty()).then(|| mean(&terms))
}

/// The `q` quantile of `x` (linear interpolation between order statistics).
pub fn quantile(x: &[f64], q: f64) -> Option<f64> {
    let mut v: Vec<f64> = x.to_vec();
    v.sort_by(f64::total_cmp);
    let pos = q.clamp(0.0, 1.0) * (v.len().checked_sub(1)?) as f64;
    let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
    Some(v[lo] + (v[hi] - v[lo]) * (pos - lo as f64))
}

/// A candidate's holdout errors (empty when it could not be fitted).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Candidate {
    pub method: Method,
    pub mape: Option<f64>,
    pub smape: Option<f64>,
}

/// The chosen method of one series and its forecast.
#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    pub method: Method,
    /// Months held out (0 when the series was too short to hold any out).
    pub holdout_months: usize,
    pub candidates: Vec<Candidate>,
    /// True when the chosen method's holdout error is below seasonal naive's.
    pub beat_seasonal_naive: bool,
    /// Half-width of the interval (None without a holdout).
    pub half_width: Option<f64>,
    pub forecast: Vec<f64>,
    pub smoothing: Option<Smoothing>,
}

fn score(c: &Candidate, metric: ErrorMetric) -> Option<f64> {
    match metric {
        ErrorMetric::Smape => c.smape,
        ErrorMetric::Mape => c.mape,
    }
}

/// Choose a method for the monthly series `y` on its holdout and forecast; None when the
/// series is shorter than one season.
pub fn choose(y: &[f64], p: &Settings) -> Option<Choice> {
    let n = y.len();
    let h = p.holdout_months;
    if n < h + SEASON {
        let model = fit(Method::SeasonalNaive, y)?;
        return Some(Choice {
            method: model.method,
            holdout_months: 0,
            candidates: Vec::new(),
            beat_seasonal_naive: false,
            half_width: None,
            forecast: model.predict(p.forecast_horizon),
            smoothing: None,
        });
    }
    let (train, test) = y.split_at(n - h);
    let mut candidates = Vec::new();
    let mut holdout: Vec<Vec<f64>> = Vec::new();
    for method in Method::ALL {
        let f = fit(method, train).map(|m| m.predict(h));
        candidates.push(Candidate {
            method,
            mape: f.as_ref().and_then(|f| mape(test, f)),
            smape: f.as_ref().and_then(|f| smape(test, f)),
        });
        holdout.push(f.unwrap_or_default());
    }
    let metric = p.selection_metric;
    let mut best = 0;
    for (i, c) in candidates.iter().enumerate() {
        if let Some(e) = score(c, metric)
            && score(&candidates[best], metric).is_none_or(|b| e < b)
        {
            best = i;
        }
    }
    let naive = score(&candidates[0], metric);
    let beat = best != 0
        && matches!((score(&candidates[best], metric), naive), (Some(b), Some(n)) if b < n);
    let residuals: Vec<f64> = test
        .iter()
        .zip(&holdout[best])
        .map(|(y, f)| (y - f).abs())
        .collect();
    // the chosen method refitted on the whole series (seasonal naive if that fails)
    let model = fit(candidates[best].method, y).or_else(|| fit(Method::SeasonalNaive, y))?;
    Some(Choice {
        method: model.method,
        holdout_months: h,
        beat_seasonal_naive: beat && model.method == candidates[best].method,
        half_width: quantile(&residuals, p.interval_level),
        forecast: model.predict(p.forecast_horizon),
        smoothing: model.smoothing(),
        candidates,
    })
}

#[cfg(test)]
#[path = "forecast_tests.rs"]
mod tests;
