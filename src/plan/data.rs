//! The planner's view of each customer: one [`Account`] per row of the per-customer table,
//! with the volumes, active months and prices of the recent windows taken from the
//! transactions. Frames come in, plain records go out, so the rules (allocation, rounding)
//! are ordinary Rust over sorted vectors, and frames are built again only for the outputs.

use std::collections::HashMap;

use chrono::{Datelike, Months, NaiveDate};
use polars::prelude::*;

use crate::error::Result;
use crate::frame::{bools, f64s, has, strings};
use crate::schema as s;

/// Churn columns another stage adds to the per-customer table (used when present).
pub use crate::schema::columns::CHURN_PROBABILITY;
pub use crate::schema::columns::{CHURN_RISK, REVENUE_AT_RISK};
pub use crate::schema::columns::{KEY_ACCOUNT_BASIS, KEY_ACCOUNT_TIER};

/// Label of a customer without a district, station or manager.
pub const UNASSIGNED: &str = "unassigned";

/// One customer as the planner sees it. Volumes are in the unit of `quantity`, money in the
/// unit of `amount`; windows are those of the features: [as_of - 12 months, as_of].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Account {
    pub id: String,
    pub name: Option<String>,
    pub customer_type: Option<String>,
    pub district: Option<String>,
    pub station: Option<String>,
    pub manager: Option<String>,
    pub grade: Option<String>,
    pub terms: Option<String>,
    pub credit_days: Option<f64>,
    pub potential_volume: Option<f64>,
    pub vehicles: Option<f64>,
    pub shares_resources: bool,
    pub largest_order: Option<f64>,
    /// Key-account tier and the rule that gave it (`[key_accounts]`); None: not a key account.
    pub key_tier: Option<String>,
    pub key_basis: Option<String>,
    pub revenue_12m: f64,
    pub trend_12m: Option<f64>,
    pub churn_probability: Option<f64>,
    pub churn_risk: Option<String>,
    pub revenue_at_risk: Option<f64>,
    /// Complaints not yet resolved (with a feedback table; see `satisfaction`).
    pub open_complaints: Option<f64>,
    /// Net quantity in the last 12 months and the 12 before.
    pub volume_12m: f64,
    pub volume_prev_12m: f64,
    /// Calendar months with a purchase in the last 12 months (loyalty).
    pub active_months: u32,
    /// Revenue / quantity of the last 12 months' purchases with a quantity.
    pub avg_price: Option<f64>,
    /// Net revenue and quantity of the last quota period.
    pub last_revenue: f64,
    pub last_volume: f64,
}

impl Account {
    pub fn district(&self) -> &str {
        self.district.as_deref().unwrap_or(UNASSIGNED)
    }
    pub fn station(&self) -> &str {
        self.station.as_deref().unwrap_or(UNASSIGNED)
    }
    pub fn manager(&self) -> &str {
        self.manager.as_deref().unwrap_or(UNASSIGNED)
    }
}

/// Per-customer sums from the transactions (see [`super::tx_sums`]).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct TxAgg {
    pub volume_12m: f64,
    pub volume_prev_12m: f64,
    pub active_months: u32,
    pub price_amount: f64,
    pub price_quantity: f64,
    pub last_revenue: f64,
    pub last_volume: f64,
}

/// The accounts of the per-customer table, sorted by customer id, with the transaction
/// aggregates (zeros when `tx` is absent).
pub fn accounts(
    table: &DataFrame,
    tx: Option<&DataFrame>,
    as_of: NaiveDate,
    periods: &Periods,
) -> Result<Vec<Account>> {
    let agg = match tx {
        Some(t) => super::tx_sums::tx_aggregates(t, as_of, periods)?,
        None => HashMap::new(),
    };
    let ids = strings(table, s::CUSTOMER_ID)?;
    let name = strings(table, s::NAME)?;
    let ty = strings(table, s::CUSTOMER_TYPE)?;
    let district = strings(table, s::DISTRICT)?;
    let station = strings(table, s::STATION)?;
    let manager = strings(table, s::ACCOUNT_MANAGER)?;
    let grade = strings(table, s::CREDIT_GRADE)?;
    let terms = strings(table, s::PAYMENT_TERMS)?;
    let credit_days = f64s(table, s::CREDIT_DAYS)?;
    let potential = f64s(table, s::POTENTIAL_VOLUME)?;
    let vehicles = f64s(table, s::VEHICLES)?;
    let sharing = bools(table, s::SHARES_RESOURCES)?;
    let largest = f64s(table, s::LARGEST_ORDER)?;
    let key_tier = strings(table, KEY_ACCOUNT_TIER)?;
    let key_basis = strings(table, KEY_ACCOUNT_BASIS)?;
    let rev = f64s(table, s::REVENUE_LAST_12M)?;
    let trend = f64s(table, s::TREND_12M)?;
    let churn_p = f64s(table, CHURN_PROBABILITY)?;
    let churn_r = strings(table, CHURN_RISK)?;
    let at_risk = f64s(table, REVENUE_AT_RISK)?;
    let open = f64s(table, crate::schema::columns::OPEN_COMPLAINTS)?;
    let mut out = Vec::with_capacity(ids.len());
    for (i, id) in ids.into_iter().enumerate() {
        let Some(id) = id else { continue };
        let a = agg.get(&id).copied().unwrap_or_default();
        out.push(Account {
            name: name[i].clone(),
            customer_type: ty[i].clone(),
            district: district[i].clone(),
            station: station[i].clone(),
            manager: manager[i].clone(),
            grade: grade[i].clone(),
            terms: terms[i].clone(),
            credit_days: credit_days[i],
            potential_volume: potential[i],
            vehicles: vehicles[i],
            shares_resources: sharing[i].unwrap_or(false),
            largest_order: largest[i],
            key_tier: key_tier[i].clone(),
            key_basis: key_basis[i].clone(),
            revenue_12m: rev[i].unwrap_or(0.0),
            trend_12m: trend[i].filter(|t| t.is_finite()),
            churn_probability: churn_p[i],
            churn_risk: churn_r[i].clone(),
            revenue_at_risk: at_risk[i],
            open_complaints: open[i],
            volume_12m: a.volume_12m,
            volume_prev_12m: a.volume_prev_12m,
            active_months: a.active_months,
            avg_price: (a.price_quantity > 0.0).then(|| a.price_amount / a.price_quantity),
            last_revenue: a.last_revenue,
            last_volume: a.last_volume,
            id,
        });
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(out)
}

/// Whether the per-customer table carries the churn columns.
pub fn has_churn(table: &DataFrame) -> bool {
    has(table, CHURN_RISK)
}

/// Whether the transactions carry quantities (volumes).
pub fn has_quantity(tx: Option<&DataFrame>) -> bool {
    tx.is_some_and(|t| has(t, s::QUANTITY))
}

/// The quota periods around `as_of`: calendar months, quarters or years. The next period is
/// the one holding the day after `as_of`; the last period is the one before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Periods {
    pub last_start: NaiveDate,
    pub last_end: NaiveDate,
    pub next_start: NaiveDate,
    pub months: u32,
}

impl Periods {
    pub fn around(as_of: NaiveDate, months: u32) -> Periods {
        let day = as_of.succ_opt().unwrap_or(as_of);
        let m0 = (day.month0() / months) * months;
        let next_start = NaiveDate::from_ymd_opt(day.year(), m0 + 1, 1).unwrap_or(day);
        let last_start = next_start
            .checked_sub_months(Months::new(months))
            .unwrap_or(next_start);
        let last_end = next_start.pred_opt().unwrap_or(next_start);
        Periods {
            last_start,
            last_end,
            next_start,
            months,
        }
    }

    /// e.g. 2026-01, 2026-Q1, 2026.
    pub fn label(start: NaiveDate, months: u32) -> String {
        match months {
            12 => format!("{}", start.year()),
            3 => format!("{}-Q{}", start.year(), start.month0() / 3 + 1),
            _ => format!("{}-{:02}", start.year(), start.month()),
        }
    }

    /// The `YYYY-MM` months of the next period (to look targets up).
    pub fn next_months(&self) -> Vec<String> {
        (0..self.months)
            .filter_map(|i| self.next_start.checked_add_months(Months::new(i)))
            .map(|d| format!("{}-{:02}", d.year(), d.month()))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    #[test]
    fn windows_months_and_prices_from_transactions() -> Result<()> {
        let tx = df![
            s::CUSTOMER_ID => ["a", "a", "a", "b"],
            s::DATE => [d(2025, 12, 20), d(2025, 6, 1), d(2024, 6, 1), d(2025, 12, 31)],
            s::AMOUNT => [100.0, 300.0, 50.0, -10.0],
            s::QUANTITY => [1.0, 2.0, 1.0, -1.0],
        ]?
        .lazy()
        .with_column(col(s::DATE).cast(DataType::Date))
        .collect()?;
        let table = df![s::CUSTOMER_ID => ["b", "a", "c"]]?;
        let acc = accounts(
            &table,
            Some(&tx),
            d(2026, 1, 1),
            &Periods::around(d(2026, 1, 1), 1),
        )?;
        let ids: Vec<&str> = acc.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids, ["a", "b", "c"]);
        let a = &acc[0];
        assert_eq!(
            (a.volume_12m, a.volume_prev_12m, a.active_months),
            (3.0, 1.0, 2)
        );
        assert_eq!(a.avg_price, Some(400.0 / 3.0));
        assert_eq!((a.last_revenue, a.last_volume), (100.0, 1.0));
        let b = &acc[1];
        assert_eq!(
            (b.volume_12m, b.active_months, b.avg_price),
            (-1.0, 0, None)
        );
        assert_eq!(acc[2].volume_12m, 0.0);
        Ok(())
    }

    #[test]
    fn periods_are_calendar_aligned() {
        let p = Periods::around(d(2026, 1, 1), 1);
        assert_eq!(
            (p.last_start, p.last_end, p.next_start),
            (d(2025, 12, 1), d(2025, 12, 31), d(2026, 1, 1))
        );
        let p = Periods::around(d(2026, 5, 15), 3);
        assert_eq!((p.last_start, p.next_start), (d(2026, 1, 1), d(2026, 4, 1)));
        assert_eq!(Periods::label(p.next_start, 3), "2026-Q2");
        assert_eq!(p.next_months(), ["2026-04", "2026-05", "2026-06"]);
        let p = Periods::around(d(2025, 12, 31), 12);
        assert_eq!((p.last_start, p.next_start), (d(2025, 1, 1), d(2026, 1, 1)));
        assert_eq!(Periods::label(p.next_start, 12), "2026");
    }
}
