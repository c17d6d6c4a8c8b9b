//! The planner's settings the demo company's `kam.toml` declares, read off its own ledger as
//! a planner would set them: a plant sized to what the company sells, and quota growth that
//! follows how the company has been growing.

use super::Calendar;
use super::transactions::Sale;

/// Share of capacity the demo plant runs at: the generated yearly volume / this is the
/// capacity its `kam.toml` declares, so the 25-30% market-share caps are shares of a plant
/// that matches what the company sells.
const UTILISATION: f64 = 0.8;
/// Capacity is rounded to this many tonnes (at least one step).
const CAPACITY_STEP: f64 = 100_000.0;
/// Growth is rounded to this step (5 points) ...
const GROWTH_STEP: f64 = 0.05;
/// ... and kept inside the default quota bounds ([plan.quotas] max_decrease -0.1 /
/// max_increase 0.3) with room to spare, so units are not all pinned at a bound.
const GROWTH_RANGE: (f64, f64) = (-0.05, 0.25);

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct PlanSettings {
    /// `[plan.market_share] capacity`, t/yr.
    pub capacity: f64,
    /// `[plan.quotas] growth`; None with less than two years of history (the default stays).
    pub growth: Option<f64>,
}

impl PlanSettings {
    pub fn of(sales: &[Sale], cal: &Calendar) -> PlanSettings {
        PlanSettings {
            capacity: capacity(sales, cal),
            growth: growth(sales, cal),
        }
    }

    /// The settings as `kam.toml` sections, with a comment saying where each number came from.
    pub fn toml(&self) -> String {
        let mut s = format!(
            "\n# The plant: the last year's volume sold at {:.0}% utilisation.\n\
             [plan.market_share]\ncapacity = {:.1}\n",
            UTILISATION * 100.0,
            self.capacity
        );
        if let Some(g) = self.growth {
            s.push_str(&format!(
                "\n# Quotas: same period last year x (1 + growth), growth = the last year's revenue\n\
                 # growth rounded to {:.0} points, kept inside the quota bounds.\n\
                 [plan.quotas]\ngrowth = {g:.2}\n",
                GROWTH_STEP * 100.0
            ));
        }
        s
    }
}

/// Capacity from the sales ledger: net tonnes of the last 365 days (scaled up to a year when
/// the history is shorter) / [`UTILISATION`], rounded to [`CAPACITY_STEP`], at least one step.
fn capacity(sales: &[Sale], cal: &Calendar) -> f64 {
    let from = (cal.end - 364).max(cal.start);
    let tonnes: f64 = sales
        .iter()
        .filter(|x| x.date >= from)
        .map(|x| x.quantity)
        .sum();
    let yearly = tonnes * 365.0 / f64::from(cal.end - from + 1);
    ((yearly / UTILISATION / CAPACITY_STEP).round() * CAPACITY_STEP).max(CAPACITY_STEP)
}

/// Net revenue of the last 365 days against the 365 before, less one, rounded to
/// [`GROWTH_STEP`] and clamped to [`GROWTH_RANGE`]; None without two full years.
fn growth(sales: &[Sale], cal: &Calendar) -> Option<f64> {
    let last = cal.end - 364;
    let prev = last - 365;
    if prev < cal.start {
        return None;
    }
    let revenue = |from: i32, to: i32| -> f64 {
        sales
            .iter()
            .filter(|x| (from..to).contains(&x.date))
            .map(|x| x.quantity * x.price)
            .sum()
    };
    let (now, before) = (revenue(last, cal.end + 1), revenue(prev, last));
    if before <= 0.0 {
        return None;
    }
    let g = (now / before - 1.0) / GROWTH_STEP;
    Some((g.round() * GROWTH_STEP).clamp(GROWTH_RANGE.0, GROWTH_RANGE.1))
}
