//! `weekly_progress.csv`: the weekly report of every district, weeks Monday to Sunday (the
//! report closes on Sundays, domain.md article 2): whether the week is complete at `as_of`,
//! the week's sales, volume, new customers, new key accounts and first top-ups, its
//! development progress from the deals table (see [`super::development`]), then where the
//! district stands in the month of that Sunday — month-to-date sales against the month's
//! revenue target and the sales per day still needed to finish the month.
//!
//! ```text
//! complete            = week_end <= as_of (the week still in progress is false)
//! first_topups        = the week's new customers that have made a first top-up by as_of;
//!                       first_topup_amount adds those first top-ups
//! mtd_sales           = sales from the 1st of week_end's month to week_end
//! mtd_completion_rate = mtd_sales / month_target            (empty without a positive target)
//! days_left_in_month  = last day of the month - week_end    (0 when the week ends the month)
//! pace_needed_per_day = max(month_target - mtd_sales, 0) / days_left_in_month
//! ```

use std::collections::{BTreeMap, BTreeSet};

use polars::prelude::*;

use super::attainment::{Key, Metric, ratio};
use super::cols as c;
use super::development::{ByWeek, Development};
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

/// What a week's row reads besides the district's daily sales.
struct Context<'a> {
    has_volume: bool,
    counts: WeeklyCounts<'a>,
    targets: &'a BTreeMap<Key, f64>,
    /// Development counts; None without a deals table.
    development: Option<&'a ByWeek<'a>>,
    /// Epoch day of `as_of`.
    as_of: i32,
}

/// The weekly progress frame; None when no customer has a district. `development` holds the
/// deals' counts (None without a deals table); `as_of` in epoch days.
pub fn frame(
    f: &Facts,
    targets: &BTreeMap<Key, f64>,
    development: Option<&ByWeek>,
    as_of: i32,
) -> Result<Option<DataFrame>> {
    let Some((first, last)) = f.span else {
        return Ok(None);
    };
    let (first, _) = grid_start(first, last);
    let daily = district_daily(f, first, last);
    if daily.is_empty() {
        return Ok(None);
    }
    let cx = Context {
        has_volume: f.has_volume,
        counts: WeeklyCounts::of(f),
        targets,
        development,
        as_of,
    };
    let mut rows = Vec::new();
    for (d, x) in &daily {
        let mut we = week_end(first);
        while we <= week_end(last) {
            rows.push(week_row(d, x, we, &cx));
            we += 7;
        }
    }
    Ok(Some(to_frame(&rows)?))
}

/// Most weeks of the weekly report: 260 (five years). A longer history keeps only the last
/// 260 weeks up to the last sale's week, so a stray sale decades back (or a sale in the year 1)
/// does not ask for a row per district for every week since.
pub const MAX_WEEKS: i32 = 260;

/// The first day of the weekly grid for sales from `first` to `last` (epoch days): `first`,
/// or the Monday [`MAX_WEEKS`] weeks before the last sale's Sunday when the span is longer
/// (then `true`).
pub fn grid_start(first: i32, last: i32) -> (i32, bool) {
    let earliest = week_end(last) - 7 * MAX_WEEKS + 1;
    if first < earliest {
        (earliest, true)
    } else {
        (first, false)
    }
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
            && sale.day >= first
        {
            let i = (sale.day - first) as usize;
            x.amount[i] += to_fixed(sale.amount);
            x.quantity[i] += to_fixed(sale.quantity);
        }
    }
    daily
}

/// Per (district, week_end): the customers new that week, those becoming key accounts, and
/// the first top-ups of the new customers (count, fixed-point sum).
struct WeeklyCounts<'a> {
    new_customers: BTreeMap<(&'a str, i32), u32>,
    new_key: BTreeMap<(&'a str, i32), u32>,
    first_topups: BTreeMap<(&'a str, i32), (u32, i64)>,
}

impl<'a> WeeklyCounts<'a> {
    fn of(f: &'a Facts) -> WeeklyCounts<'a> {
        let mut new_customers: BTreeMap<(&str, i32), u32> = BTreeMap::new();
        let mut new_key: BTreeMap<(&str, i32), u32> = BTreeMap::new();
        let mut first_topups: BTreeMap<(&str, i32), (u32, i64)> = BTreeMap::new();
        for cust in &f.customers {
            if let Some(d) = cust.district.as_deref() {
                if let Some(day) = cust.new_on {
                    *new_customers.entry((d, week_end(day))).or_default() += 1;
                }
                if let Some(day) = cust.key_since {
                    *new_key.entry((d, week_end(day))).or_default() += 1;
                }
                // the week's new customers that have topped up, and their first top-ups
                if let (Some(day), Some(v)) = (cust.new_on, cust.first_topup) {
                    let e = first_topups.entry((d, week_end(day))).or_default();
                    *e = (e.0 + 1, e.1 + to_fixed(v));
                }
            }
        }
        WeeklyCounts {
            new_customers,
            new_key,
            first_topups,
        }
    }
}

/// One row of the report: a district's week ending `week_end`.
struct WeekRow<'a> {
    district: &'a str,
    week_end: i32,
    complete: bool,
    sales: f64,
    volume: Option<f64>,
    new_customers: u32,
    new_key_accounts: u32,
    first_topups: u32,
    first_topup_amount: f64,
    /// None without a deals table.
    development: Option<Development>,
    /// Month index of `week_end`, month-to-date sales, the district's revenue target of it.
    month: i32,
    mtd_sales: f64,
    month_target: Option<f64>,
    days_left: i32,
}

/// District `d`'s week ending `we` (see the module doc for the month-to-date figures).
fn week_row<'a>(d: &'a str, x: &Daily, we: i32, cx: &Context) -> WeekRow<'a> {
    let (s, q) = x.sum(we - 6, we);
    let m = month_of(we);
    let key = Key {
        level: Level::District,
        unit: d.to_string(),
        metric: Metric::Revenue,
        month: m,
    };
    let count = |m: &BTreeMap<(&str, i32), u32>| m.get(&(d, we)).copied().unwrap_or(0);
    let (topups, topup_sum) = cx
        .counts
        .first_topups
        .get(&(d, we))
        .copied()
        .unwrap_or_default();
    WeekRow {
        district: d,
        week_end: we,
        complete: we <= cx.as_of,
        sales: tidy(s),
        volume: cx.has_volume.then_some(tidy(q)),
        new_customers: count(&cx.counts.new_customers),
        new_key_accounts: count(&cx.counts.new_key),
        first_topups: topups,
        first_topup_amount: from_fixed(topup_sum),
        development: cx
            .development
            .map(|dev| dev.get(&(d, we)).copied().unwrap_or_default()),
        month: m,
        mtd_sales: tidy(x.sum(month_start(m), we).0),
        month_target: cx.targets.get(&key).copied(),
        days_left: month_end(m) - we,
    }
}

/// Column `name` with one value per row.
fn column<'a, T, P: ?Sized>(
    name: &str,
    rows: &[WeekRow<'a>],
    f: impl Fn(&WeekRow<'a>) -> T,
) -> Column
where
    Series: NamedFrom<Vec<T>, P>,
{
    Column::new(name.into(), rows.iter().map(f).collect::<Vec<T>>())
}

/// The rows as the weekly-progress table.
fn to_frame(rows: &[WeekRow]) -> Result<DataFrame> {
    let pace = |r: &WeekRow| {
        r.month_target
            .filter(|_| r.days_left > 0)
            .map(|t| (t - r.mtd_sales).max(0.0) / f64::from(r.days_left))
    };
    let dev = |f: fn(&Development) -> u32| move |r: &WeekRow| r.development.as_ref().map(f);
    Ok(DataFrame::new_infer_height(vec![
        column(c::DISTRICT, rows, |r| r.district),
        column(c::WEEK_END, rows, |r| date_of(r.week_end)),
        column(c::COMPLETE, rows, |r| r.complete),
        column(c::SALES, rows, |r| r.sales),
        column(c::VOLUME, rows, |r| r.volume),
        column(c::NEW_CUSTOMERS, rows, |r| r.new_customers),
        column(c::NEW_KEY_ACCOUNTS, rows, |r| r.new_key_accounts),
        column(c::FIRST_TOPUPS, rows, |r| r.first_topups),
        column(c::FIRST_TOPUP_AMOUNT, rows, |r| r.first_topup_amount),
        column(c::PROSPECTS_CONTACTED, rows, dev(|d| d.prospects_contacted)),
        column(c::DEALS_OPENED, rows, dev(|d| d.deals_opened)),
        column(c::DEALS_ADVANCED, rows, dev(|d| d.deals_advanced)),
        column(c::DEALS_SIGNED, rows, dev(|d| d.deals_signed)),
        column(c::MONTH, rows, |r| month_label(r.month)),
        column(c::MTD_SALES, rows, |r| r.mtd_sales),
        column(c::MONTH_TARGET, rows, |r| r.month_target),
        column(c::MTD_COMPLETION_RATE, rows, |r| {
            ratio(Some(r.mtd_sales), r.month_target)
        }),
        column(c::DAYS_LEFT_IN_MONTH, rows, |r| r.days_left),
        column(c::PACE_NEEDED_PER_DAY, rows, pace),
    ])?)
}

#[cfg(test)]
#[path = "weekly_tests.rs"]
mod tests;
