//! The review pack (domain.md §1): what a team's 1-3 monthly review meetings need, rolled up
//! owner → manager (station) → director (district). Long format, one `section` per kind:
//!
//! - `deal_in_difficulty`: open, stalled key-account deals (the deal reaches
//!   `key_accounts.min_deal`, or its customer is a key account), largest first, with what the
//!   tracking sheet says;
//! - `deals_by_stage`: the count and amount of the owner's deals in each stage;
//! - `high_churn_risk`: the owner's key accounts (`key_account_tier` set) at the review's churn
//!   risk level (when churn scores are present), largest revenue at risk first: the meeting
//!   spends its time on the accounts that matter;
//! - `open_complaints`: the owner's key accounts with complaints not yet resolved (with a
//!   feedback table), most open complaints first.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use polars::prelude::*;

use super::data::{Account, UNASSIGNED};
use super::key_accounts::{DAYS_STALLED, Deal, STALL_REASON};
use super::params::{PlanValid, ReviewParams};
use crate::error::Result;
use crate::schema as s;

pub use crate::schema::columns::plan::{AMOUNT, DEALS, ESCALATED, SECTION};
pub const SECTIONS: [&str; 4] = [
    "deal_in_difficulty",
    "deals_by_stage",
    "high_churn_risk",
    "open_complaints",
];

#[derive(Debug, Clone, Default)]
struct Row {
    district: String,
    station: String,
    owner: String,
    section: usize,
    stage: Option<String>,
    deals: Option<u32>,
    amount: Option<f64>,
    deal: Option<Deal>,
    customer_id: Option<String>,
    name: Option<String>,
    days_stalled: Option<i64>,
    reason: Option<String>,
    escalated: Option<bool>,
    churn_probability: Option<f64>,
    revenue_at_risk: Option<f64>,
    open_complaints: Option<f64>,
}

/// The review pack, sorted by district, station, owner, section, amount (largest first).
pub fn review_pack(
    accounts: &[Account],
    deals: &[Deal],
    p: &PlanValid,
    key_min_deal: f64,
    as_of: NaiveDate,
) -> Result<DataFrame> {
    let mut rows = deal_rows(accounts, deals, (&p.review, key_min_deal), as_of);
    rows.extend(churn_rows(accounts, &p.review));
    rows.extend(complaint_rows(accounts));
    sort_rows(&mut rows);
    let with_complaints = accounts.iter().any(|a| a.open_complaints.is_some());
    to_frame(&rows, with_complaints)
}

/// (district, station, owner) of a deal: its owner, else its account's manager; the
/// account's district and station.
type Team = (String, String, String);

/// The deal sections: key-account deals in difficulty (section 0) and the count and amount
/// of deals per team and stage (section 1).
fn deal_rows(
    accounts: &[Account],
    deals: &[Deal],
    k: (&ReviewParams, f64),
    as_of: NaiveDate,
) -> Vec<Row> {
    let by_id: HashMap<&str, &Account> = accounts.iter().map(|a| (a.id.as_str(), a)).collect();
    let team = |d: &Deal| -> Team {
        let a = d.customer_id.as_deref().and_then(|c| by_id.get(c));
        let owner = d
            .owner
            .clone()
            .or_else(|| a.and_then(|a| a.manager.clone()))
            .unwrap_or_else(|| UNASSIGNED.into());
        match a {
            Some(a) => (a.district().into(), a.station().into(), owner),
            None => (UNASSIGNED.into(), UNASSIGNED.into(), owner),
        }
    };
    let mut rows = Vec::new();
    let mut by_stage: BTreeMap<(String, String, String, usize), (u32, f64)> = BTreeMap::new();
    for d in deals {
        let (district, station, owner) = team(d);
        let stage_ix = s::STAGE_VALUES
            .iter()
            .position(|x| *x == d.stage)
            .unwrap_or(s::STAGE_VALUES.len());
        let e = by_stage
            .entry((district.clone(), station.clone(), owner.clone(), stage_ix))
            .or_default();
        e.0 += 1;
        e.1 += d.amount;
        let a = d.customer_id.as_deref().and_then(|c| by_id.get(c)).copied();
        if let Some(row) = in_difficulty(d, a, (district, station, owner), k, as_of) {
            rows.push(row);
        }
    }
    for ((district, station, owner, stage), (n, amount)) in by_stage {
        rows.push(Row {
            district,
            station,
            owner,
            section: 1,
            stage: Some(
                s::STAGE_VALUES
                    .get(stage)
                    .map_or("other".to_string(), |x| x.to_string()),
            ),
            deals: Some(n),
            amount: Some(amount),
            ..Row::default()
        });
    }
    rows
}

/// The section-0 row of a key-account deal (the deal at or above `key_min_deal`, or its
/// customer a key account) that is stalled; `None` otherwise.
fn in_difficulty(
    d: &Deal,
    a: Option<&Account>,
    (district, station, owner): Team,
    (k, key_min_deal): (&ReviewParams, f64),
    as_of: NaiveDate,
) -> Option<Row> {
    let key = d.amount >= key_min_deal || a.is_some_and(|a| a.key_tier.is_some());
    if !key {
        return None;
    }
    let st = d.stall(k, as_of)?;
    Some(Row {
        district,
        station,
        owner,
        section: 0,
        stage: Some(d.stage.clone()),
        amount: Some(d.amount),
        deal: Some(d.clone()),
        customer_id: d.customer_id.clone(),
        name: a.and_then(|a| a.name.clone()),
        days_stalled: st.days_stalled,
        reason: Some(st.reason),
        escalated: Some(d.amount >= k.escalation_min_deal),
        ..Row::default()
    })
}

/// Section 2: the key accounts at the churn risk level of the review, by their manager.
fn churn_rows(accounts: &[Account], k: &ReviewParams) -> Vec<Row> {
    accounts
        .iter()
        .filter(|a| a.key_tier.is_some())
        .filter(|a| a.churn_risk.as_deref() == Some(k.churn_risk_level.as_str()))
        .map(|a| Row {
            district: a.district().into(),
            station: a.station().into(),
            owner: a.manager().into(),
            section: 2,
            amount: a.revenue_at_risk.or(Some(a.revenue_12m)),
            customer_id: Some(a.id.clone()),
            name: a.name.clone(),
            churn_probability: a.churn_probability,
            revenue_at_risk: a.revenue_at_risk,
            open_complaints: a.open_complaints,
            ..Row::default()
        })
        .collect()
}

/// Section 3: the key accounts with open complaints, by their manager; the amount is the
/// account's revenue of the last 12 months.
fn complaint_rows(accounts: &[Account]) -> Vec<Row> {
    accounts
        .iter()
        .filter(|a| a.key_tier.is_some() && a.open_complaints.is_some_and(|n| n > 0.0))
        .map(|a| Row {
            district: a.district().into(),
            station: a.station().into(),
            owner: a.manager().into(),
            section: 3,
            amount: Some(a.revenue_12m),
            customer_id: Some(a.id.clone()),
            name: a.name.clone(),
            churn_probability: a.churn_probability,
            revenue_at_risk: a.revenue_at_risk,
            open_complaints: a.open_complaints,
            ..Row::default()
        })
        .collect()
}

/// By district, station, owner, section; then amount, largest first (not in section 1, which
/// keeps stage order); then customer and deal id.
fn sort_rows(rows: &mut [Row]) {
    rows.sort_by(|x, y| {
        (&x.district, &x.station, &x.owner, x.section)
            .cmp(&(&y.district, &y.station, &y.owner, y.section))
            .then(if x.section == 1 {
                std::cmp::Ordering::Equal
            } else {
                y.amount.unwrap_or(0.0).total_cmp(&x.amount.unwrap_or(0.0))
            })
            .then(x.customer_id.cmp(&y.customer_id))
            .then(
                x.deal
                    .as_ref()
                    .map(|d| &d.id)
                    .cmp(&y.deal.as_ref().map(|d| &d.id)),
            )
    });
}

/// The rows as the review-pack table.
fn to_frame(rows: &[Row], with_complaints: bool) -> Result<DataFrame> {
    let deal_field = |f: fn(&Deal) -> Option<String>| -> Vec<Option<String>> {
        rows.iter().map(|r| r.deal.as_ref().and_then(f)).collect()
    };
    let mut df = df![
        s::DISTRICT => rows.iter().map(|r| r.district.clone()).collect::<Vec<_>>(),
        s::STATION => rows.iter().map(|r| r.station.clone()).collect::<Vec<_>>(),
        s::OWNER => rows.iter().map(|r| r.owner.clone()).collect::<Vec<_>>(),
        SECTION => rows.iter().map(|r| SECTIONS[r.section]).collect::<Vec<_>>(),
        s::STAGE => rows.iter().map(|r| r.stage.clone()).collect::<Vec<_>>(),
        DEALS => rows.iter().map(|r| r.deals).collect::<Vec<_>>(),
        AMOUNT => rows.iter().map(|r| r.amount).collect::<Vec<_>>(),
        s::DEAL_ID => deal_field(|d| Some(d.id.clone())),
        s::CUSTOMER_ID => rows.iter().map(|r| r.customer_id.clone()).collect::<Vec<_>>(),
        s::NAME => rows.iter().map(|r| r.name.clone()).collect::<Vec<_>>(),
        DAYS_STALLED => rows.iter().map(|r| r.days_stalled).collect::<Vec<_>>(),
        STALL_REASON => rows.iter().map(|r| r.reason.clone()).collect::<Vec<_>>(),
        s::CORE_NEED => deal_field(|d| d.core_need.clone()),
        s::MAIN_OBSTACLE => deal_field(|d| d.main_obstacle.clone()),
        s::STRATEGY => deal_field(|d| d.strategy.clone()),
        ESCALATED => rows.iter().map(|r| r.escalated).collect::<Vec<_>>(),
        super::data::CHURN_PROBABILITY => rows.iter().map(|r| r.churn_probability).collect::<Vec<_>>(),
        super::data::REVENUE_AT_RISK => rows.iter().map(|r| r.revenue_at_risk).collect::<Vec<_>>(),
    ]?;
    // the column only with a feedback table (as churn's columns only with churn scores)
    if with_complaints {
        let open: Vec<Option<i64>> = rows
            .iter()
            .map(|r| r.open_complaints.map(|n| n as i64))
            .collect();
        df.with_column(Column::new(
            crate::schema::columns::OPEN_COMPLAINTS.into(),
            open,
        ))?;
    }
    Ok(df)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::params::PlanParams;

    #[test]
    fn sections_per_owner() -> Result<()> {
        let p = PlanParams::default().check()?;
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default();
        let accounts = vec![
            Account {
                id: "a".into(),
                district: Some("N".into()),
                station: Some("N1".into()),
                manager: Some("Li".into()),
                churn_risk: Some("high".into()),
                revenue_at_risk: Some(5_000.0),
                key_tier: Some("key".into()),
                ..Account::default()
            },
            // high risk but not a key account: not on the meeting's agenda
            Account {
                id: "c".into(),
                district: Some("N".into()),
                station: Some("N1".into()),
                manager: Some("Li".into()),
                churn_risk: Some("high".into()),
                revenue_at_risk: Some(9_000.0),
                ..Account::default()
            },
            Account {
                id: "b".into(),
                district: Some("N".into()),
                station: Some("N1".into()),
                manager: Some("Li".into()),
                churn_risk: Some("low".into()),
                ..Account::default()
            },
        ];
        let deal = |id: &str, stage: &str, amount: f64, follow| Deal {
            id: id.into(),
            customer_id: Some("a".into()),
            owner: Some("Li".into()),
            stage: stage.into(),
            amount,
            last_follow_up: Some(follow),
            ..Deal::default()
        };
        let deals = vec![
            deal("D1", "negotiation", 20_000.0, d(2025, 10, 1)),
            deal("D2", "negotiation", 200_000.0, d(2025, 10, 1)),
            // small, and its customer b is not a key account: not a key-account deal
            Deal {
                customer_id: Some("b".into()),
                ..deal("D3", "contact", 5_000.0, d(2025, 10, 1))
            },
            deal("D4", "signed", 50_000.0, d(2025, 10, 1)),
        ];
        let df = review_pack(&accounts, &deals, &p, 10_000.0, d(2026, 1, 1))?;
        let sec: Vec<Option<&str>> = df.column(SECTION)?.str()?.iter().collect();
        assert_eq!(
            sec,
            [
                Some("deal_in_difficulty"),
                Some("deal_in_difficulty"),
                Some("deals_by_stage"),
                Some("deals_by_stage"),
                Some("deals_by_stage"),
                Some("high_churn_risk")
            ]
        );
        let ids: Vec<Option<&str>> = df.column(s::DEAL_ID)?.str()?.iter().collect();
        assert_eq!(&ids[..2], [Some("D2"), Some("D1")]);
        let n: Vec<Option<u32>> = df.column(DEALS)?.u32()?.iter().collect();
        assert_eq!(&n[2..5], [Some(1), Some(2), Some(1)]); // contact, negotiation, signed
        Ok(())
    }
}
