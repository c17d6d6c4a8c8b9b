//! The distinct purchase days of every customer, from one walk over each customer's rows
//! ([`CustomerRows`]):
//! what the holdout check counts (calibration frequency, recency and T, holdout purchases,
//! the weekly tracking series) without recomputing the customer features.

use std::collections::HashMap;

use chrono::NaiveDate;
use polars::prelude::*;

use crate::error::Result;
use crate::frame::epoch_days;
use crate::rows::{ByRow, CustomerRows, day_numbers, f64_chunk};
use crate::schema as s;
use crate::schema::TimeUnit;
use crate::value::data::Rfm;

/// Distinct purchase days (amount >= 0, on or before a date) per customer, customers sorted by
/// id as the customer table sorts them, each customer's days ascending (days since 1970-01-01).
pub struct PurchaseDays {
    pub ids: Vec<String>,
    /// Customer i's days are `days[start[i]..start[i + 1]]`.
    start: Vec<usize>,
    days: Vec<i32>,
}

impl PurchaseDays {
    /// The purchase days of `tx` up to `until`.
    pub fn collect(tx: &DataFrame, until: NaiveDate) -> Result<PurchaseDays> {
        let until = epoch_days(until);
        let days = day_numbers(tx)?;
        let amount = f64_chunk(tx, s::AMOUNT)?;
        let amount = ByRow::of(&amount);
        let purchase = |r: usize| days[r] <= until && amount.get(r).is_some_and(|a| a >= 0.0);
        let g = CustomerRows::of(tx, purchase)?;
        // customers sorted by id, as the customer table sorts them
        let mut by_id: Vec<usize> = (0..g.len()).collect();
        by_id.sort_unstable_by_key(|&k| g.ids()[k]);
        let ids = by_id.iter().map(|&k| g.ids()[k].to_string()).collect();
        // each customer's days sorted, the distinct ones kept
        let (mut start, mut out) = (vec![0usize], Vec::with_capacity(days.len() / 2));
        for &k in &by_id {
            let from = out.len();
            out.extend(g.rows(k).iter().map(|&r| days[r as usize]));
            out[from..].sort_unstable();
            let mut kept = from;
            for i in from..out.len() {
                if i == from || out[i] != out[kept - 1] {
                    out[kept] = out[i];
                    kept += 1;
                }
            }
            out.truncate(kept);
            start.push(kept);
        }
        let mut days = out;
        days.shrink_to_fit();
        Ok(PurchaseDays { ids, start, days })
    }

    /// Customer `i`'s purchase days, ascending (never empty).
    pub fn of(&self, i: usize) -> &[i32] {
        &self.days[self.start[i]..self.start[i + 1]]
    }

    /// Each of `ids`' row here (None for a customer without purchase days).
    pub fn rows_of(&self, ids: &[String]) -> Vec<Option<usize>> {
        let row: HashMap<&str, usize> = (self.ids.iter())
            .enumerate()
            .map(|(i, id)| (id.as_str(), i))
            .collect();
        ids.iter().map(|id| row.get(id.as_str()).copied()).collect()
    }

    /// The distinct rows among `rows` whose first purchase is on or before `c0`.
    pub fn cohort(&self, rows: &[Option<usize>], c0: i32) -> Vec<usize> {
        let mut seen = vec![false; self.ids.len()];
        let mut out = Vec::new();
        for j in rows.iter().flatten() {
            if !seen[*j] && self.of(*j)[0] <= c0 {
                seen[*j] = true;
                out.push(*j);
            }
        }
        out
    }

    /// The calibration customers as the customer table as of `as_of` over the purchases up to
    /// `cal_end` gives them: those with a purchase day by `cal_end`, with frequency (purchase
    /// days - 1), recency (last - first purchase) and T (as_of - first purchase) in `unit`.
    pub fn calibration(
        &self,
        cal_end: NaiveDate,
        as_of: NaiveDate,
        unit: TimeUnit,
    ) -> Result<(Vec<String>, Rfm)> {
        let (c0, now) = (epoch_days(cal_end), epoch_days(as_of));
        // days x (1 / days per unit): Polars divides a column by a scalar this way, so the
        // values are the customer table's bit for bit (`x / 7` can differ in the last bit)
        let per_day = 1.0 / unit.days();
        let (mut ids, mut x, mut t_x, mut t) = (vec![], vec![], vec![], vec![]);
        for (i, id) in self.ids.iter().enumerate() {
            let d = self.of(i);
            let k = d.partition_point(|d| *d <= c0);
            if k == 0 {
                continue;
            }
            let (first, last) = (d[0], d[k - 1]);
            ids.push(id.clone());
            x.push((k - 1) as f64);
            t_x.push(f64::from(last - first) * per_day);
            t.push(f64::from(now - first) * per_day);
        }
        Ok((ids, Rfm::new(x, t_x, t)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::stage::Summary;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or(NaiveDate::MIN)
    }

    /// Seeded transactions of 300 customers over three years: several purchases a day, some
    /// returns, customers who buy only after the calibration end, or only return.
    fn tx() -> Result<DataFrame> {
        let (mut ids, mut dates, mut amounts) = (vec![], vec![], vec![]);
        let mut state = 7u64;
        let mut next = |m: u64| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) % m
        };
        for c in 0..300 {
            for _ in 0..next(40) {
                ids.push(format!("C{:04}", (c * 7919) % 300));
                dates.push(d(2023, 1, 1) + chrono::Duration::days(next(1095) as i64));
                let amount = next(500) as f64 / 4.0 - 20.0;
                amounts.push(if c % 17 == 0 {
                    -amount.abs() - 1.0
                } else {
                    amount
                });
            }
        }
        Ok(df!(s::CUSTOMER_ID => ids, s::DATE => dates, s::AMOUNT => amounts)?)
    }

    /// Regression guard for issue 14: the holdout check's calibration customers, computed
    /// from the purchase days, are the customer table's buyers bit for bit (ids in order,
    /// frequency, recency, T), in weeks and in days.
    #[test]
    fn calibration_equals_the_customer_table_of_the_calibration_period() -> Result<()> {
        let tx = tx()?;
        let (cal_end, as_of) = (d(2025, 3, 31), d(2025, 4, 1));
        let days = PurchaseDays::collect(&tx, d(2025, 12, 31))?;
        let before = (tx.clone().lazy())
            .filter(col(s::DATE).lt_eq(lit(cal_end)))
            .collect()?;
        for unit in [TimeUnit::Weeks, TimeUnit::Days] {
            let table = crate::features::customer_table(&before, None, as_of, unit)?;
            let want = Summary::from_customers(&table)?;
            let (ids, got) = days.calibration(cal_end, as_of, unit)?;
            assert!(ids.len() > 200, "{}", ids.len());
            assert_eq!(ids, want.ids);
            for (g, w) in [
                (&got.x, &want.rfm.x),
                (&got.t_x, &want.rfm.t_x),
                (&got.t, &want.rfm.t),
            ] {
                let bits = |v: &Vec<f64>| v.iter().map(|f| f.to_bits()).collect::<Vec<_>>();
                assert_eq!(bits(g), bits(w));
            }
        }
        Ok(())
    }

    #[test]
    fn days_are_distinct_sorted_purchases_up_to_the_date() -> Result<()> {
        let tx = df!(
            s::CUSTOMER_ID => ["B", "A", "A", "A", "A", "B"],
            s::DATE => [d(2025, 1, 3), d(2025, 1, 2), d(2025, 1, 1), d(2025, 1, 2), d(2025, 2, 1), d(2025, 1, 1)],
            s::AMOUNT => [5.0, 1.0, 0.0, 3.0, 9.0, -2.0],
        )?;
        let days = PurchaseDays::collect(&tx, d(2025, 1, 31))?;
        assert_eq!(days.ids, ["A", "B"]);
        let e = epoch_days(d(2025, 1, 1));
        assert_eq!(days.of(0), [e, e + 1]);
        assert_eq!(days.of(1), [e + 2]);
        Ok(())
    }
}
