//! Key accounts and escalations (domain.md §1). Who is a key account, and in which tier, is
//! the `key_account_tier` column of the customer table (the one rule of `[key_accounts]`);
//! this module lists them with their deals. Open deals at or above `escalation_min_deal` that
//! are stalled (no follow-up for `stall_days`, or open longer than `max_open_days`) go to the
//! senior review with their tracking sheet.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use polars::prelude::*;

use super::data::{self, Account};
use super::params::{PlanValid, ReviewParams};
use crate::error::Result;
use crate::frame;
use crate::schema as s;

/// Output columns beyond the contract's.
pub use crate::schema::columns::plan::{
    BASIS, DAYS_OPEN, DAYS_STALLED, MAX_INTENDED_DEAL, OPEN_AMOUNT, OPEN_DEALS, STALL_REASON,
    STALLED_DEALS, TIER,
};

/// One row of the deals table, with its tracking-sheet fields.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Deal {
    pub id: String,
    pub customer_id: Option<String>,
    pub owner: Option<String>,
    pub stage: String,
    pub amount: f64,
    pub opened_on: Option<NaiveDate>,
    pub last_follow_up: Option<NaiveDate>,
    pub core_need: Option<String>,
    pub main_obstacle: Option<String>,
    pub strategy: Option<String>,
}

/// The deals, sorted by deal id.
pub fn deals(df: &DataFrame) -> Result<Vec<Deal>> {
    let ids = frame::strings(df, s::DEAL_ID)?;
    let cust = frame::strings(df, s::CUSTOMER_ID)?;
    let owner = frame::strings(df, s::OWNER)?;
    let stage = frame::strings(df, s::STAGE)?;
    let amount = frame::f64s(df, s::INTENDED_AMOUNT)?;
    let opened = frame::dates(df, s::OPENED_ON)?;
    let follow = frame::dates(df, s::LAST_FOLLOW_UP)?;
    let need = frame::strings(df, s::CORE_NEED)?;
    let obstacle = frame::strings(df, s::MAIN_OBSTACLE)?;
    let strategy = frame::strings(df, s::STRATEGY)?;
    let mut out: Vec<Deal> = (0..df.height())
        .filter_map(|i| {
            Some(Deal {
                id: ids[i].clone()?,
                customer_id: cust[i].clone(),
                owner: owner[i].clone(),
                stage: stage[i].clone().unwrap_or_default(),
                amount: amount[i].unwrap_or(0.0),
                opened_on: opened[i],
                last_follow_up: follow[i],
                core_need: need[i].clone(),
                main_obstacle: obstacle[i].clone(),
                strategy: strategy[i].clone(),
            })
        })
        .collect();
    out.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(out)
}

/// Why an open deal is stalled, with the days since its last follow-up.
#[derive(Debug, Clone, PartialEq)]
pub struct Stall {
    pub days_stalled: Option<i64>,
    pub days_open: Option<i64>,
    pub reason: String,
}

impl Deal {
    pub fn is_open(&self, p: &ReviewParams) -> bool {
        p.open_stages.contains(&self.stage)
    }

    /// Some when the deal is open and stalled at `as_of`.
    pub fn stall(&self, p: &ReviewParams, as_of: NaiveDate) -> Option<Stall> {
        if !self.is_open(p) {
            return None;
        }
        let days_open = self.opened_on.map(|d| (as_of - d).num_days());
        let days_stalled = self
            .last_follow_up
            .or(self.opened_on)
            .map(|d| (as_of - d).num_days());
        let reason = match (days_stalled, days_open) {
            (None, _) => "no follow-up recorded".to_string(),
            (Some(d), _) if d >= i64::from(p.stall_days) => {
                format!("no follow-up for {d} days")
            }
            (_, Some(o)) if o >= i64::from(p.max_open_days) => {
                format!("open {o} days in stage {}", self.stage)
            }
            _ => return None,
        };
        Some(Stall {
            days_stalled,
            days_open,
            reason,
        })
    }
}

/// Per customer: the largest intended deal (lost deals excluded) and open deal counts.
#[derive(Debug, Clone, Default)]
struct DealStats {
    max_deal: Option<f64>,
    open: u32,
    open_amount: f64,
    stalled: u32,
}

/// The key-account table: the customers whose `key_account_tier` is set, sorted by tier
/// (`tiers` lists them base first; the highest first here), then 12-month revenue (largest
/// first), then id.
pub fn key_accounts(
    accounts: &[Account],
    deals: &[Deal],
    p: &PlanValid,
    tiers: &[String],
    as_of: NaiveDate,
    churn: bool,
) -> Result<DataFrame> {
    let stats = deal_stats(deals, &p.review, as_of);
    let tier_rank = |t: &str| tiers.iter().position(|x| x == t).map_or(0, |i| i + 1);
    let mut rows: Vec<KeyRow> = accounts
        .iter()
        .filter_map(|a| {
            Some(KeyRow {
                tier: a.key_tier.as_deref()?,
                stats: stats.get(a.id.as_str()).cloned().unwrap_or_default(),
                account: a,
            })
        })
        .collect();
    rows.sort_by(|x, y| {
        tier_rank(y.tier)
            .cmp(&tier_rank(x.tier))
            .then(y.account.revenue_12m.total_cmp(&x.account.revenue_12m))
            .then(x.account.id.cmp(&y.account.id))
    });
    key_frame(&rows, churn)
}

/// Per customer id of the deals: the largest intended deal (lost deals excluded) and the
/// count, amount and stalled count of its open deals.
fn deal_stats<'a>(
    deals: &'a [Deal],
    k: &ReviewParams,
    as_of: NaiveDate,
) -> BTreeMap<&'a str, DealStats> {
    let mut stats: BTreeMap<&str, DealStats> = BTreeMap::new();
    for d in deals {
        let Some(c) = d.customer_id.as_deref() else {
            continue;
        };
        let st = stats.entry(c).or_default();
        if d.stage != "lost" {
            st.max_deal = Some(st.max_deal.map_or(d.amount, |m: f64| m.max(d.amount)));
        }
        if d.is_open(k) {
            st.open += 1;
            st.open_amount += d.amount;
            st.stalled += u32::from(d.stall(k, as_of).is_some());
        }
    }
    stats
}

/// One key account: its account, deal statistics and tier.
struct KeyRow<'a> {
    account: &'a Account,
    stats: DealStats,
    tier: &'a str,
}

/// The key-account table of sorted rows; `churn_risk` last when the table has churn scores.
fn key_frame(rows: &[KeyRow], churn: bool) -> Result<DataFrame> {
    let mut df = df![
        s::CUSTOMER_ID => rows.iter().map(|r| r.account.id.as_str()).collect::<Vec<_>>(),
        s::NAME => rows.iter().map(|r| r.account.name.clone()).collect::<Vec<_>>(),
        TIER => rows.iter().map(|r| r.tier).collect::<Vec<_>>(),
        BASIS => rows.iter().map(|r| r.account.key_basis.clone()).collect::<Vec<_>>(),
        MAX_INTENDED_DEAL => rows.iter().map(|r| r.stats.max_deal).collect::<Vec<_>>(),
        s::CUSTOMER_TYPE => rows.iter().map(|r| r.account.customer_type.clone()).collect::<Vec<_>>(),
        s::DISTRICT => rows.iter().map(|r| r.account.district.clone()).collect::<Vec<_>>(),
        s::STATION => rows.iter().map(|r| r.account.station.clone()).collect::<Vec<_>>(),
        s::ACCOUNT_MANAGER => rows.iter().map(|r| r.account.manager.clone()).collect::<Vec<_>>(),
        s::CREDIT_GRADE => rows.iter().map(|r| r.account.grade.clone()).collect::<Vec<_>>(),
        s::REVENUE_LAST_12M => rows.iter().map(|r| r.account.revenue_12m).collect::<Vec<_>>(),
        OPEN_DEALS => rows.iter().map(|r| r.stats.open).collect::<Vec<_>>(),
        OPEN_AMOUNT => rows.iter().map(|r| r.stats.open_amount).collect::<Vec<_>>(),
        STALLED_DEALS => rows.iter().map(|r| r.stats.stalled).collect::<Vec<_>>(),
    ]?;
    if churn {
        df.with_column(Column::new(
            data::CHURN_RISK.into(),
            rows.iter()
                .map(|r| r.account.churn_risk.clone())
                .collect::<Vec<_>>(),
        ))?;
    }
    Ok(df)
}

/// Open deals at or above `escalation_min_deal` that are stalled, largest first.
pub fn escalations(
    accounts: &[Account],
    deals: &[Deal],
    p: &PlanValid,
    as_of: NaiveDate,
) -> Result<DataFrame> {
    let k = &p.review;
    let by_id: HashMap<&str, &Account> = accounts.iter().map(|a| (a.id.as_str(), a)).collect();
    let mut rows: Vec<(&Deal, Stall, Option<&Account>)> = deals
        .iter()
        .filter(|d| d.amount >= k.escalation_min_deal)
        .filter_map(|d| {
            let st = d.stall(k, as_of)?;
            let a = d.customer_id.as_deref().and_then(|c| by_id.get(c).copied());
            Some((d, st, a))
        })
        .collect();
    rows.sort_by(|x, y| y.0.amount.total_cmp(&x.0.amount).then(x.0.id.cmp(&y.0.id)));
    let acc = |f: fn(&Account) -> Option<String>| -> Vec<Option<String>> {
        rows.iter().map(|r| r.2.and_then(f)).collect()
    };
    let mut df = df![
        s::DEAL_ID => rows.iter().map(|r| r.0.id.clone()).collect::<Vec<_>>(),
        s::CUSTOMER_ID => rows.iter().map(|r| r.0.customer_id.clone()).collect::<Vec<_>>(),
        s::NAME => acc(|a| a.name.clone()),
        s::OWNER => rows.iter().map(|r| r.0.owner.clone()).collect::<Vec<_>>(),
        s::ACCOUNT_MANAGER => acc(|a| a.manager.clone()),
        s::STAGE => rows.iter().map(|r| r.0.stage.clone()).collect::<Vec<_>>(),
        s::INTENDED_AMOUNT => rows.iter().map(|r| r.0.amount).collect::<Vec<_>>(),
        DAYS_STALLED => rows.iter().map(|r| r.1.days_stalled).collect::<Vec<_>>(),
        s::MAIN_OBSTACLE => rows.iter().map(|r| r.0.main_obstacle.clone()).collect::<Vec<_>>(),
        s::STRATEGY => rows.iter().map(|r| r.0.strategy.clone()).collect::<Vec<_>>(),
        s::CORE_NEED => rows.iter().map(|r| r.0.core_need.clone()).collect::<Vec<_>>(),
        TIER => acc(|a| a.key_tier.clone()),
        STALL_REASON => rows.iter().map(|r| r.1.reason.clone()).collect::<Vec<_>>(),
        DAYS_OPEN => rows.iter().map(|r| r.1.days_open).collect::<Vec<_>>(),
        s::DISTRICT => acc(|a| a.district.clone()),
        s::STATION => acc(|a| a.station.clone()),
    ]?;
    df.with_column(frame::date_column(
        s::OPENED_ON,
        rows.iter().map(|r| r.0.opened_on).collect(),
    )?)?;
    df.with_column(frame::date_column(
        s::LAST_FOLLOW_UP,
        rows.iter().map(|r| r.0.last_follow_up).collect(),
    )?)?;
    Ok(df)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::params::PlanParams;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    fn deal(id: &str, cust: &str, stage: &str, amount: f64, follow: NaiveDate) -> Deal {
        Deal {
            id: id.into(),
            customer_id: Some(cust.into()),
            owner: Some("Li".into()),
            stage: stage.into(),
            amount,
            opened_on: Some(d(2025, 10, 1)),
            last_follow_up: Some(follow),
            main_obstacle: Some("budget".into()),
            ..Deal::default()
        }
    }

    #[test]
    fn key_accounts_are_the_customers_with_a_tier() -> Result<()> {
        let p = PlanParams::default().check()?;
        let account = |id: &str, tier: Option<&str>, revenue: f64| Account {
            id: id.into(),
            key_tier: tier.map(String::from),
            key_basis: tier.map(|_| "revenue_share".to_string()),
            // a large past order alone does not make a key account
            largest_order: Some(50_000.0),
            revenue_12m: revenue,
            ..Account::default()
        };
        let acc = vec![
            account("a", Some("key"), 900.0),
            account("b", Some("strategic"), 100.0),
            account("c", None, 5_000.0),
            account("d", Some("key"), 1_000.0),
        ];
        let deals = vec![deal("D1", "b", "negotiation", 150_000.0, d(2025, 12, 20))];
        let tiers = ["key".to_string(), "strategic".to_string()];
        let df = key_accounts(&acc, &deals, &p, &tiers, d(2026, 1, 1), false)?;
        let ids: Vec<Option<&str>> = df.column(s::CUSTOMER_ID)?.str()?.iter().collect();
        assert_eq!(ids, [Some("b"), Some("d"), Some("a")]);
        let open: Vec<Option<u32>> = df.column(OPEN_DEALS)?.u32()?.iter().collect();
        assert_eq!(open, [Some(1), Some(0), Some(0)]);
        Ok(())
    }

    #[test]
    fn stalled_large_open_deals_are_escalated() -> Result<()> {
        let p = PlanParams::default().check()?;
        let as_of = d(2026, 1, 1);
        let deals = vec![
            deal("D1", "a", "negotiation", 150_000.0, d(2025, 11, 1)), // 61 days silent
            deal("D2", "a", "contact", 150_000.0, d(2025, 12, 25)),    // open 92 days, fresh
            deal("D3", "a", "signed", 500_000.0, d(2025, 1, 1)),       // not open
            deal("D4", "a", "lead", 90_000.0, d(2025, 1, 1)),          // below the line
            Deal {
                opened_on: Some(d(2025, 6, 1)),
                ..deal("D5", "a", "lead", 200_000.0, d(2025, 12, 30))
            }, // open 214 days
        ];
        let df = escalations(&[], &deals, &p, as_of)?;
        let ids: Vec<Option<&str>> = df.column(s::DEAL_ID)?.str()?.iter().collect();
        assert_eq!(ids, [Some("D5"), Some("D1")]);
        let days: Vec<Option<i64>> = df.column(DAYS_STALLED)?.i64()?.iter().collect();
        assert_eq!(days, [Some(2), Some(61)]);
        let why: Vec<Option<&str>> = df.column(STALL_REASON)?.str()?.iter().collect();
        assert_eq!(
            why,
            [
                Some("open 214 days in stage lead"),
                Some("no follow-up for 61 days")
            ]
        );
        Ok(())
    }
}
