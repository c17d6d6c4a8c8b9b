//! `weekly_progress.csv`: the weekly report of every district, weeks Monday to Sunday (the
//! report closes on Sundays, domain.md article 2): the week's sales, volume, new customers
//! and new key accounts, then where the district stands in the month of that Sunday —
//! month-to-date sales against the month's revenue target and the sales per day still needed
//! to finish the month.
//!
//! ```text
//! mtd_sales           = sales from the 1st of week_end's month to week_end
//! mtd_completion_rate = mtd_sales / month_target            (empty without a positive target)
//! days_left_in_month  = last day of the month - week_end    (0 when the week ends the month)
//! pace_needed_per_day = max(month_target - mtd_sales, 0) / days_left_in_month
//! ```

use std::collections::{BTreeMap, BTreeSet};

use polars::prelude::*;

use super::attainment::{Key, Metric, ratio};
use super::cols as c;
use super::facts::{Facts, Level, month_end, month_label, month_of, month_start, week_end};
use crate::error::Result;
use crate::frame::{date_of, from_fixed, tidy, to_fixed};

/// One district's sales by day over the span of the data.
struct Daily {
    first: i32,
    /// Fixed point (see `frame::to_fixed`).
    amount: Vec<i64>,
    quantity: Vec<i64>,
}

impl Daily {
    /// Sales and quantity of days `from..=to` (clipped to the data span).
    fn sum(&self, from: i32, to: i32) -> (f64, f64) {
        let len = self.amount.len() as i32;
        let (a, b) = ((from - self.first).max(0), (to - self.first).min(len - 1));
        (a..=b).fold((0.0, 0.0), |(s, q), i| {
            (
                s + from_fixed(self.amount[i as usize]),
                q + from_fixed(self.quantity[i as usize]),
            )
        })
    }
}

/// The weekly progress frame; None when no customer has a district.
pub fn frame(f: &Facts, targets: &BTreeMap<Key, f64>) -> Result<Option<DataFrame>> {
    let Some((first, last)) = f.span else {
        return Ok(None);
    };
    let daily = district_daily(f, first, last);
    if daily.is_empty() {
        return Ok(None);
    }
    let counts = WeeklyCounts::of(f);
    let mut rows = Vec::new();
    for (d, x) in &daily {
        let mut we = week_end(first);
        while we <= week_end(last) {
            rows.push(week_row(d, x, we, f.has_volume, &counts, targets));
            we += 7;
        }
    }
    Ok(Some(to_frame(&rows)?))
}

/// Each district's sales by day over the span `first..=last` (empty when no customer has a
/// district).
fn district_daily(f: &Facts, first: i32, last: i32) -> BTreeMap<&str, Daily> {
    let districts: BTreeSet<&str> = f
        .customers
        .iter()
        .filter_map(|c| c.district.as_deref())
        .collect();
    let n_days = (last - first + 1) as usize;
    let mut daily: BTreeMap<&str, Daily> = districts
        .iter()
        .map(|d| {
            let z = Daily {
                first,
                amount: vec![0; n_days],
                quantity: vec![0; n_days],
            };
            (*d, z)
        })
        .collect();
    for sale in &f.sales {
        if let Some(d) = f.customers[sale.customer].district.as_deref()
            && let Some(x) = daily.get_mut(d)
        {
            let i = (sale.day - first) as usize;
            x.amount[i] += to_fixed(sale.amount);
            x.quantity[i] += to_fixed(sale.quantity);
        }
    }
    daily
}

/// Per (district, week_end): the customers new that week and those becoming key accounts.
struct WeeklyCounts<'a> {
    new_customers: BTreeMap<(&'a str, i32), u32>,
    new_key: BTreeMap<(&'a str, i32), u32>,
}

impl<'a> WeeklyCounts<'a> {
    fn of(f: &'a Facts) -> WeeklyCounts<'a> {
        let mut new_customers: BTreeMap<(&str, i32), u32> = BTreeMap::new();
        let mut new_key: BTreeMap<(&str, i32), u32> = BTreeMap::new();
        for cust in &f.customers {
            if let Some(d) = cust.district.as_deref() {
                if let Some(day) = cust.new_on {
                    *new_customers.entry((d, week_end(day))).or_default() += 1;
                }
                if let Some(day) = cust.key_since {
                    *new_key.entry((d, week_end(day))).or_default() += 1;
                }
            }
        }
        WeeklyCounts {
            new_customers,
            new_key,
        }
    }
}

/// One row of the report: a district's week ending `week_end`.
struct WeekRow<'a> {
    district: &'a str,
    week_end: i32,
    sales: f64,
    volume: Option<f64>,
    new_customers: u32,
    new_key_accounts: u32,
    /// Month index of `week_end`, month-to-date sales, the district's revenue target of it.
    month: i32,
    mtd_sales: f64,
    month_target: Option<f64>,
    days_left: i32,
}

/// District `d`'s week ending `we` (see the module doc for the month-to-date figures).
fn week_row<'a>(
    d: &'a str,
    x: &Daily,
    we: i32,
    has_volume: bool,
    counts: &WeeklyCounts,
    targets: &BTreeMap<Key, f64>,
) -> WeekRow<'a> {
    let (s, q) = x.sum(we - 6, we);
    let m = month_of(we);
    let key = Key {
        level: Level::District,
        unit: d.to_string(),
        metric: Metric::Revenue,
        month: m,
    };
    WeekRow {
        district: d,
        week_end: we,
        sales: tidy(s),
        volume: has_volume.then_some(tidy(q)),
        new_customers: counts.new_customers.get(&(d, we)).copied().unwrap_or(0),
        new_key_accounts: counts.new_key.get(&(d, we)).copied().unwrap_or(0),
        month: m,
        mtd_sales: tidy(x.sum(month_start(m), we).0),
        month_target: targets.get(&key).copied(),
        days_left: month_end(m) - we,
    }
}

/// The rows as the weekly-progress table.
fn to_frame(rows: &[WeekRow]) -> Result<DataFrame> {
    let pace = |r: &WeekRow| {
        r.month_target
            .filter(|_| r.days_left > 0)
            .map(|t| (t - r.mtd_sales).max(0.0) / f64::from(r.days_left))
    };
    Ok(DataFrame::new_infer_height(vec![
        Column::new(
            c::DISTRICT.into(),
            rows.iter().map(|r| r.district).collect::<Vec<_>>(),
        ),
        Column::new(
            c::WEEK_END.into(),
            rows.iter().map(|r| date_of(r.week_end)).collect::<Vec<_>>(),
        ),
        Column::new(
            c::SALES.into(),
            rows.iter().map(|r| r.sales).collect::<Vec<_>>(),
        ),
        Column::new(
            c::VOLUME.into(),
            rows.iter().map(|r| r.volume).collect::<Vec<_>>(),
        ),
        Column::new(
            c::NEW_CUSTOMERS.into(),
            rows.iter().map(|r| r.new_customers).collect::<Vec<_>>(),
        ),
        Column::new(
            c::NEW_KEY_ACCOUNTS.into(),
            rows.iter().map(|r| r.new_key_accounts).collect::<Vec<_>>(),
        ),
        Column::new(
            c::MONTH.into(),
            rows.iter()
                .map(|r| month_label(r.month))
                .collect::<Vec<_>>(),
        ),
        Column::new(
            c::MTD_SALES.into(),
            rows.iter().map(|r| r.mtd_sales).collect::<Vec<_>>(),
        ),
        Column::new(
            c::MONTH_TARGET.into(),
            rows.iter().map(|r| r.month_target).collect::<Vec<_>>(),
        ),
        Column::new(
            c::MTD_COMPLETION_RATE.into(),
            rows.iter()
                .map(|r| ratio(Some(r.mtd_sales), r.month_target))
                .collect::<Vec<_>>(),
        ),
        Column::new(
            c::DAYS_LEFT_IN_MONTH.into(),
            rows.iter().map(|r| r.days_left).collect::<Vec<_>>(),
        ),
        Column::new(
            c::PACE_NEEDED_PER_DAY.into(),
            rows.iter().map(pace).collect::<Vec<_>>(),
        ),
    ])?)
}

#[cfg(test)]
mod tests {
    use chrono::{Datelike, NaiveDate, Weekday};

    use super::*;
    use crate::schema as s;
    use crate::track::attainment;
    use crate::track::facts::gather;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    #[test]
    fn weeks_close_on_sunday_and_months_restart_mid_week() -> Result<()> {
        // Saturday 29 and Sunday 30 November 2025, Monday 1 December
        let tx = df!(
            s::CUSTOMER_ID => ["a", "a", "b"],
            s::DATE => [d(2025, 11, 29), d(2025, 11, 30), d(2025, 12, 1)],
            s::AMOUNT => [100.0, 20_000.0, 400.0],
        )?;
        let cust = df!(
            s::CUSTOMER_ID => ["a", "b"],
            s::DISTRICT => ["North", "North"],
            s::ACQUIRED_ON => [d(2025, 11, 29), d(2025, 11, 30)],
            s::columns::KEY_ACCOUNT_TIER => [Some("key"), None],
        )?;
        let targets = attainment::targets(Some(&df!(
            s::PERIOD => ["2025-12"],
            s::LEVEL => ["district"],
            s::UNIT => ["North"],
            s::METRIC => ["revenue"],
            s::TARGET => [1_000.0],
        )?))?;
        let f = gather(&tx, &cust, d(2025, 12, 2))?;
        let out = frame(&f, &targets)?.ok_or(crate::Error::Internal("no frame".into()))?;
        assert_eq!(out.get_column_names(), c::WEEKLY);
        let weeks: Vec<NaiveDate> = out
            .column(c::WEEK_END)?
            .date()?
            .as_date_iter()
            .flatten()
            .collect();
        assert_eq!(weeks, [d(2025, 11, 30), d(2025, 12, 7)]);
        assert!(weeks.iter().all(|w| w.weekday() == Weekday::Sun));
        let f64s = |name: &str| -> Result<Vec<Option<f64>>> {
            Ok(out
                .column(name)?
                .cast(&DataType::Float64)?
                .f64()?
                .iter()
                .collect())
        };
        // the week to Sunday 30 November holds Saturday and Sunday; Monday starts the next
        assert_eq!(f64s(c::SALES)?, [Some(20_100.0), Some(400.0)]);
        assert_eq!(f64s(c::NEW_CUSTOMERS)?, [Some(2.0), Some(0.0)]);
        assert_eq!(f64s(c::NEW_KEY_ACCOUNTS)?, [Some(1.0), Some(0.0)]);
        // November has no target and no day left; December's month to date is Monday only
        assert_eq!(f64s(c::MTD_SALES)?, [Some(20_100.0), Some(400.0)]);
        assert_eq!(f64s(c::MONTH_TARGET)?, [None, Some(1_000.0)]);
        assert_eq!(f64s(c::MTD_COMPLETION_RATE)?, [None, Some(0.4)]);
        assert_eq!(f64s(c::DAYS_LEFT_IN_MONTH)?, [Some(0.0), Some(24.0)]);
        assert_eq!(f64s(c::PACE_NEEDED_PER_DAY)?, [None, Some(25.0)]);
        Ok(())
    }
}
