//! Forecast tests: each method on series whose future is known, the holdout choice, and
//! the fallbacks for short series.

use super::*;

fn settings() -> Settings {
    crate::track::TrackValid::default().forecast_settings()
}

fn some<T>(x: Option<T>) -> Result<T, String> {
    x.ok_or_else(|| "unexpected None".to_string())
}

fn seasonal(n: usize, slope: f64) -> Vec<f64> {
    (0..n)
        .map(|t| {
            100.0
                + slope * t as f64
                + 20.0 * ((t % SEASON) as f64 * std::f64::consts::FRAC_PI_6).sin()
        })
        .collect()
}

#[test]
fn seasonal_naive_repeats_last_year_and_adds_the_step() -> Result<(), String> {
    let y: Vec<f64> = (0..24).map(|t| (t / 12 * 12 + t % 12) as f64).collect();
    let naive = some(fit(Method::SeasonalNaive, &y))?.predict(13);
    assert_eq!(naive[0], y[12]);
    assert_eq!(naive[12], y[12]);
    let trend = some(fit(Method::SeasonalNaiveTrend, &y))?.predict(13);
    assert_eq!(trend[0], y[12] + 12.0);
    assert_eq!(trend[12], y[12] + 24.0);
    assert!(fit(Method::SeasonalNaiveTrend, &y[..23]).is_none());
    Ok(())
}

#[test]
fn holt_winters_follows_a_trending_season() -> Result<(), String> {
    // additive: constant seasonal swing; multiplicative: swing in proportion to the level
    let season = |t: usize| ((t % SEASON) as f64 * std::f64::consts::FRAC_PI_6).sin();
    let add: Vec<f64> = (0..51)
        .map(|t| 100.0 + 2.0 * t as f64 + 20.0 * season(t))
        .collect();
    let mul: Vec<f64> = (0..51)
        .map(|t| (100.0 + 2.0 * t as f64) * (1.0 + 0.2 * season(t)))
        .collect();
    for (m, y) in [
        (Method::HoltWintersAdditive, &add),
        (Method::HoltWintersMultiplicative, &mul),
    ] {
        let f = some(fit(m, &y[..48]))?.predict(3);
        let err = some(smape(&y[48..], &f))?;
        assert!(err < 0.01, "{m:?}: {err}");
    }
    Ok(())
}

#[test]
fn multiplicative_needs_positive_values() {
    let mut y = seasonal(36, 1.0);
    y[5] = 0.0;
    assert!(fit(Method::HoltWintersMultiplicative, &y).is_none());
    assert!(fit(Method::HoltWintersAdditive, &y).is_some());
}

#[test]
fn trend_beats_seasonal_naive_on_a_growing_series() -> Result<(), String> {
    let c = some(choose(&seasonal(48, 3.0), &settings()))?;
    assert_ne!(c.method, Method::SeasonalNaive);
    assert!(c.beat_seasonal_naive);
    assert_eq!(c.candidates.len(), 4);
    assert_eq!(c.forecast.len(), 3);
    assert!(c.half_width.is_some_and(|w| w >= 0.0));
    Ok(())
}

#[test]
fn a_flat_repeating_series_keeps_seasonal_naive() -> Result<(), String> {
    let y = seasonal(36, 0.0);
    let c = some(choose(&y, &settings()))?;
    assert!(!c.beat_seasonal_naive);
    assert_eq!(c.method, Method::SeasonalNaive);
    assert_eq!(c.half_width, Some(0.0));
    Ok(())
}

#[test]
fn short_series_fall_back_or_give_up() {
    let p = settings();
    let c = choose(&seasonal(15, 0.0), &p);
    assert!(
        c.as_ref()
            .is_some_and(|c| c.holdout_months == 0 && c.half_width.is_none())
    );
    assert!(choose(&seasonal(11, 0.0), &p).is_none());
}

#[test]
fn errors_and_quantiles() {
    assert_eq!(smape(&[0.0, 100.0], &[0.0, 100.0]), Some(0.0));
    assert_eq!(mape(&[0.0, 100.0], &[5.0, 90.0]), Some(0.1));
    assert_eq!(quantile(&[3.0, 1.0, 2.0], 0.5), Some(2.0));
    assert_eq!(quantile(&[], 0.5), None);
}
