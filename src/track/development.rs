//! The development progress of the weekly report (the district's weekly development feedback
//! sheet, 片区客户开发进度周反馈表, domain.md article 2), counted from the deals table (the
//! development tracking sheet). A deal belongs to the district of its customer (customers
//! table); a deal without one, or dated after `as_of`, counts nowhere. The deals table holds
//! one date per event, so each count reads one date:
//!
//! ```text
//! prospects_contacted = distinct customers with a deal whose last_follow_up is in the week
//! deals_opened        = deals whose opened_on is in the week
//! deals_advanced      = deals in stage contact or negotiation whose last_follow_up is in the week
//! deals_signed        = deals in stage signed whose last_follow_up is in the week
//! ```
//!
//! Only a deal's latest follow-up is recorded, so an earlier follow-up of a deal followed up
//! again later counts in the later week only.

use std::collections::{BTreeMap, BTreeSet};

use polars::prelude::*;

use super::facts::{Facts, week_end};
use crate::error::Result;
use crate::frame;
use crate::schema as s;

/// One district's development counts of one week.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Development {
    pub prospects_contacted: u32,
    pub deals_opened: u32,
    pub deals_advanced: u32,
    pub deals_signed: u32,
}

/// Development counts per (district, week_end) from the clean deals table.
pub type ByWeek<'a> = BTreeMap<(&'a str, i32), Development>;

/// The counts of `deals` dated on or before `as_of` (epoch days), by district and week.
pub fn by_week<'a>(deals: &DataFrame, f: &'a Facts, as_of: i32) -> Result<ByWeek<'a>> {
    let customers = frame::trimmed(deals, s::CUSTOMER_ID)?;
    let stages = frame::trimmed(deals, s::STAGE)?;
    let opened = frame::days(deals, s::OPENED_ON)?;
    let followed = frame::days(deals, s::LAST_FOLLOW_UP)?;
    let week = |d: Option<i32>| d.filter(|d| *d <= as_of).map(week_end);
    let mut out: ByWeek = BTreeMap::new();
    let mut contacted: BTreeSet<(&str, i32, &str)> = BTreeSet::new();
    for i in 0..deals.height() {
        let Some((district, id)) = district_of(f, customers[i].as_deref()) else {
            continue;
        };
        if let Some(w) = week(opened[i]) {
            out.entry((district, w)).or_default().deals_opened += 1;
        }
        let Some(w) = week(followed[i]) else { continue };
        let row = out.entry((district, w)).or_default();
        match stages[i].as_deref() {
            Some("contact" | "negotiation") => row.deals_advanced += 1,
            Some("signed") => row.deals_signed += 1,
            _ => {}
        }
        if contacted.insert((district, w, id)) {
            row.prospects_contacted += 1;
        }
    }
    Ok(out)
}

/// The district of customer `id` and the id as `f` holds it (None: unknown or no district).
fn district_of<'a>(f: &'a Facts, id: Option<&str>) -> Option<(&'a str, &'a str)> {
    let id = id?;
    let i = f
        .customers
        .binary_search_by(|c| c.id.as_str().cmp(id))
        .ok()?;
    let c = &f.customers[i];
    Some((c.district.as_deref()?, c.id.as_str()))
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::frame::epoch_days;
    use crate::track::facts::CustomerFacts;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, m, day).unwrap_or_default()
    }

    #[test]
    fn each_count_reads_its_date_in_the_customers_district() -> Result<()> {
        let cust = |id: &str, district: Option<&str>| CustomerFacts {
            id: id.into(),
            district: district.map(String::from),
            ..Default::default()
        };
        let f = Facts {
            customers: vec![cust("a", Some("N")), cust("b", Some("N")), cust("c", None)],
            ..Default::default()
        };
        // the week of Monday 1 to Sunday 7 December 2025, then the next
        let deals = df!(
            s::DEAL_ID => ["1", "2", "3", "4", "5", "6", "7"],
            s::CUSTOMER_ID => [Some("a"), Some("a"), Some("b"), Some("b"), Some("c"), Some("z"), None],
            s::STAGE => ["lead", "negotiation", "signed", "lost", "signed", "signed", "signed"],
            s::OPENED_ON => [d(12, 1), d(11, 20), d(11, 3), d(12, 8), d(12, 2), d(12, 2), d(12, 2)],
            s::LAST_FOLLOW_UP => [Some(d(12, 2)), Some(d(12, 7)), Some(d(12, 5)), Some(d(12, 9)), Some(d(12, 3)), Some(d(12, 3)), None],
        )?;
        let got = by_week(&deals, &f, epoch_days(d(12, 8)))?;
        let w1 = ("N", epoch_days(d(12, 7)));
        // deal 1 opened; deals 1 and 2 of a, 3 of b followed up: 2 customers contacted;
        // 2 (negotiation) advanced, 3 signed
        let want = Development {
            prospects_contacted: 2,
            deals_opened: 1,
            deals_advanced: 1,
            deals_signed: 1,
        };
        assert_eq!(got.get(&w1), Some(&want));
        // deal 4 opened on 8 December (as_of), its follow-up on the 9th is after as_of;
        // c has no district and z is unknown: counted nowhere
        let w2 = ("N", epoch_days(d(12, 14)));
        let opened_only = Development {
            deals_opened: 1,
            ..Default::default()
        };
        assert_eq!(got.get(&w2), Some(&opened_only));
        // deals 2 and 3 were opened in November, in weeks of their own
        let w_nov = ("N", epoch_days(d(11, 23)));
        assert_eq!(got.get(&w_nov), Some(&opened_only));
        assert_eq!(got.len(), 4, "{got:?}");
        Ok(())
    }
}
