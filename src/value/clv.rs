//! Customer lifetime value as lifetimes 0.11.3 defines it (`_customer_lifetime_value`): the
//! expected purchases of each coming month from a purchase model, times the expected value per
//! purchase and the margin, discounted monthly. Also the interface every purchase model
//! (BG/NBD, Pareto/NBD) offers to it.

/// What CLV and the scores need from a fitted purchase model. Times are in the model's unit.
pub trait PurchaseModel: Sync {
    /// Expected repeat purchases in the next `horizon` time units of a customer with `x` repeat
    /// purchases, recency `t_x` and age `t`.
    fn expected_purchases(&self, horizon: f64, x: f64, t_x: f64, t: f64) -> f64;
    /// The same expectation for a customer known to be alive now: `expected_purchases` is
    /// `p_alive` times this (BG/NBD and Pareto/NBD alike), computed here without the division,
    /// so it stays defined when `p_alive` is tiny.
    fn expected_purchases_if_alive(&self, horizon: f64, x: f64, t: f64) -> f64;
    /// Probability that this customer is still alive.
    fn p_alive(&self, x: f64, t_x: f64, t: f64) -> f64;
    /// `expected_purchases_if_alive(h, x, T)` for every age T of `ts` and horizon h of
    /// `horizons`, row (T) after row; a model may share work between them.
    fn if_alive_rows(&self, x: f64, ts: &[f64], horizons: &[f64]) -> Vec<f64> {
        ts.iter()
            .flat_map(|t| {
                horizons
                    .iter()
                    .map(move |h| self.expected_purchases_if_alive(*h, x, *t))
            })
            .collect()
    }
}

/// Days in a CLV month (lifetimes uses 30 days; its "W" unit uses 4.345 weeks instead, which
/// is `days_per_unit = 30 / 4.345` here).
pub const DAYS_PER_MONTH: f64 = 30.0;

/// CLV over `horizon_months` months:
/// ```text
/// clv = sum_{i=1..months} value * margin * (E[N(i m)] - E[N((i - 1) m)]) / (1 + d)^i
/// ```
/// with `m = 30 / days_per_unit` model time units per month (7 for a model fitted in weeks, 1
/// in days), `E[N(h)]` the model's expected purchases in the next h units given (x, t_x, t),
/// `value` the expected value of a purchase (Gamma-Gamma's conditional expected average
/// profit in lifetimes) and `d` the monthly discount rate. Margin 1 gives lifetimes' CLV.
#[allow(clippy::too_many_arguments)] // the per-customer inputs and the CLV settings, as in lifetimes
pub fn clv(
    model: &dyn PurchaseModel,
    horizon_months: u32,
    discount_rate_monthly: f64,
    days_per_unit: f64,
    x: f64,
    t_x: f64,
    t: f64,
    expected_value: f64,
    margin: f64,
) -> f64 {
    let upto: Vec<f64> = clv_horizons(horizon_months, days_per_unit)
        .iter()
        .map(|h| model.expected_purchases(*h, x, t_x, t))
        .collect();
    clv_of(
        &upto,
        &discounts(horizon_months, discount_rate_monthly),
        expected_value,
        margin,
    )
}

/// The horizons of the CLV months, in model time units: i m for i = 1..months.
pub fn clv_horizons(horizon_months: u32, days_per_unit: f64) -> Vec<f64> {
    let month = DAYS_PER_MONTH / days_per_unit;
    (1..=horizon_months).map(|i| f64::from(i) * month).collect()
}

/// The discount factors (1 + d)^i of the CLV months i = 1..months.
pub fn discounts(horizon_months: u32, discount_rate_monthly: f64) -> Vec<f64> {
    (1..=horizon_months)
        .map(|i| (1.0 + discount_rate_monthly).powf(f64::from(i)))
        .collect()
}

/// The CLV sum of [`clv`] from the expected purchases up to each month's end (`upto`, at
/// [`clv_horizons`]) and the months' [`discounts`].
pub fn clv_of(upto: &[f64], discounts: &[f64], expected_value: f64, margin: f64) -> f64 {
    let mut total = 0.0;
    let mut before = 0.0;
    for (upto, discount) in upto.iter().zip(discounts) {
        total += expected_value * margin * (upto - before) / discount;
        before = *upto;
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Result;
    use crate::value::bgnbd::tests::cdnow_fit;
    use crate::value::gamma_gamma::tests::{cdnow_spend, cdnow_spend_fit};

    /// Buys `rate` times per unit for ever.
    struct Steady {
        rate: f64,
    }
    impl PurchaseModel for Steady {
        fn expected_purchases(&self, horizon: f64, _: f64, _: f64, _: f64) -> f64 {
            self.rate * horizon
        }
        fn expected_purchases_if_alive(&self, horizon: f64, _: f64, _: f64) -> f64 {
            self.rate * horizon
        }
        fn p_alive(&self, _: f64, _: f64, _: f64) -> f64 {
            1.0
        }
    }

    #[test]
    fn months_are_discounted_one_by_one() {
        // 2 purchases a week, 30/7 weeks a month, value 10, margin 0.5, 1% a month, 3 months
        let m = Steady { rate: 2.0 };
        let month = 2.0 * 30.0 / 7.0 * 10.0 * 0.5;
        let want: f64 = (1..=3).map(|i| month / 1.01_f64.powi(i)).sum();
        let got = clv(&m, 3, 0.01, 7.0, 1.0, 1.0, 2.0, 10.0, 0.5);
        assert!((got - want).abs() < 1e-12 * want, "{got} vs {want}");
        assert_eq!(clv(&m, 0, 0.01, 7.0, 1.0, 1.0, 2.0, 10.0, 0.5), 0.0);
    }

    /// Reference numbers: the peer virtualenv of `make-peer-venv` (lifetimes 0.11.3). On
    /// cdnow_customers_summary_with_transactions.csv, `gg = GammaGammaFitter().fit(x, zbar)` on
    /// the repeat buyers and `bg = BetaGeoFitter().fit(x, t_x, T)` (weeks), then
    /// `gg.customer_lifetime_value(bg, x, t_x, T, zbar, time=12, discount_rate=0.01, freq="W")`
    /// for customers 1, 2, 3, 6, 11 ("W" months are 4.345 weeks: days_per_unit = 30 / 4.345);
    /// and, for 30-day months, `bgd = BetaGeoFitter().fit(x, 7 t_x, 7 T)` (days) with
    /// `freq="D"` (12 months at 1%, 24 months at 2%), which a weekly model gives with
    /// days_per_unit = 7. Tolerance 1e-5 relative (the fits agree to about 1e-7).
    #[test]
    fn cdnow_clv_matches_lifetimes() -> Result<()> {
        let bg = cdnow_fit(0.0)?;
        let gg = cdnow_spend_fit()?;
        let (freq, spend) = cdnow_spend()?;
        let rfm = crate::value::bgnbd::tests::cdnow()?;
        let rows = [0, 1, 2, 5, 10];
        let cases: [(u32, f64, f64, [f64; 5]); 3] = [
            (
                12,
                0.01,
                30.0 / 4.345,
                [
                    36.27849576362572,
                    4.637466328569656,
                    8.344093121809827,
                    283.5235925903879,
                    66.65939704651812,
                ],
            ),
            (
                12,
                0.01,
                7.0,
                [
                    35.87104282847447,
                    4.584042794470964,
                    8.243626092419513,
                    280.4839018843634,
                    65.93683846000326,
                ],
            ),
            (
                24,
                0.02,
                7.0,
                [
                    52.84281977304702,
                    6.852695060923127,
                    12.666407615516599,
                    403.1093676821169,
                    95.29453533991409,
                ],
            ),
        ];
        for (months, d, days_per_unit, want) in cases {
            for (&i, want) in rows.iter().zip(want) {
                let (x, tx, t) = (rfm.x[i], rfm.t_x[i], rfm.t[i]);
                assert_eq!(x, freq[i]);
                let value = gg.conditional_expected_average_profit(x, spend[i]);
                let got = clv(&bg, months, d, days_per_unit, x, tx, t, value, 1.0);
                assert!(
                    (got - want).abs() < 1e-5 * want,
                    "row {i}, {months} months: {got} vs lifetimes {want}"
                );
            }
        }
        Ok(())
    }
}
