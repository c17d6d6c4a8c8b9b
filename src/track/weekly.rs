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
    let districts: BTreeSet<&str> = f
        .customers
        .iter()
        .filter_map(|c| c.district.as_deref())
        .collect();
    if districts.is_empty() {
        return Ok(None);
    }
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
    // (district, week_end) -> count of customers new / becoming key accounts that week
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

    let mut col_district: Vec<&str> = Vec::new();
    let mut col_week = Vec::new();
    let (mut sales, mut volume, mut n_new, mut n_key) = (vec![], vec![], vec![], vec![]);
    let (mut month, mut mtd, mut target, mut rate, mut left, mut pace) =
        (vec![], vec![], vec![], vec![], vec![], vec![]);
    for (d, x) in &daily {
        let mut we = week_end(first);
        while we <= week_end(last) {
            let (s, q) = x.sum(we - 6, we);
            let (s, q) = (tidy(s), tidy(q));
            let m = month_of(we);
            let m_sales = tidy(x.sum(month_start(m), we).0);
            let t = targets
                .get(&Key {
                    level: Level::District,
                    unit: d.to_string(),
                    metric: Metric::Revenue,
                    month: m,
                })
                .copied();
            let days_left = month_end(m) - we;
            col_district.push(*d);
            col_week.push(date_of(we));
            sales.push(s);
            volume.push(f.has_volume.then_some(q));
            n_new.push(new_customers.get(&(*d, we)).copied().unwrap_or(0));
            n_key.push(new_key.get(&(*d, we)).copied().unwrap_or(0));
            month.push(month_label(m));
            mtd.push(m_sales);
            target.push(t);
            rate.push(ratio(Some(m_sales), t));
            left.push(days_left);
            pace.push(
                t.filter(|_| days_left > 0)
                    .map(|t| (t - m_sales).max(0.0) / f64::from(days_left)),
            );
            we += 7;
        }
    }
    let df = DataFrame::new_infer_height(vec![
        Column::new(c::DISTRICT.into(), col_district),
        Column::new(c::WEEK_END.into(), col_week),
        Column::new(c::SALES.into(), sales),
        Column::new(c::VOLUME.into(), volume),
        Column::new(c::NEW_CUSTOMERS.into(), n_new),
        Column::new(c::NEW_KEY_ACCOUNTS.into(), n_key),
        Column::new(c::MONTH.into(), month),
        Column::new(c::MTD_SALES.into(), mtd),
        Column::new(c::MONTH_TARGET.into(), target),
        Column::new(c::MTD_COMPLETION_RATE.into(), rate),
        Column::new(c::DAYS_LEFT_IN_MONTH.into(), left),
        Column::new(c::PACE_NEEDED_PER_DAY.into(), pace),
    ])?;
    Ok(Some(df))
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
        )?;
        let targets = attainment::targets(Some(&df!(
            s::PERIOD => ["2025-12"],
            s::LEVEL => ["district"],
            s::UNIT => ["North"],
            s::METRIC => ["revenue"],
            s::TARGET => [1_000.0],
        )?))?;
        let f = gather(&tx, &cust, d(2025, 12, 2), 10_000.0)?;
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
