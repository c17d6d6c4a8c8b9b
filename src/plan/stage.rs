//! The plan stage: every planner output from the clean tables and the per-customer table.
//! An output whose input is absent is skipped with a note, never an error; infeasible
//! settings (quota bounds that cannot reach the target) are [`crate::Error::Infeasible`].

use chrono::NaiveDate;
use polars::prelude::*;

use super::data::{self, Periods};
use super::history;
use super::key_accounts::{self, Deal};
use super::params::PlanValid;
use super::quota_basis::Outlook;
use super::quotas::{self, QuotaInputs};
use super::{credit_mix, market_share, prospects, review};
use crate::error::Result;
use crate::frame::{f64_at, has};
use crate::schema as s;

/// What the plan stage reads. Any input table may be absent.
pub struct PlanInputs<'a> {
    /// The clean customers table (its columns are also in `table`).
    pub customers: Option<&'a DataFrame>,
    pub transactions: Option<&'a DataFrame>,
    pub targets: Option<&'a DataFrame>,
    pub deals: Option<&'a DataFrame>,
    /// The per-customer table of `kam run` (features, value and segment columns, and the
    /// churn columns when present).
    pub table: &'a DataFrame,
    pub as_of: NaiveDate,
    /// The key-account tiers of `[key_accounts]`, the base first (the table's
    /// `key_account_tier` holds one of them).
    pub key_tiers: Vec<String>,
    /// A deal at or above this is a key-account deal (`key_accounts.min_deal`).
    pub key_min_deal: f64,
    /// How to forecast the company's months for the quotas (the `[track]` settings, so the
    /// planner's forecast is the one trend.csv shows).
    pub forecast: crate::forecast::Settings,
}

/// The plan outputs; None when skipped (the reason is in `notes`).
#[derive(Debug, Default)]
pub struct PlanOutputs {
    pub key_accounts: Option<DataFrame>,
    pub escalations: Option<DataFrame>,
    pub review_pack: Option<DataFrame>,
    pub prospects: Option<DataFrame>,
    pub credit_mix: Option<DataFrame>,
    pub market_share: Option<DataFrame>,
    pub quotas: Option<DataFrame>,
    /// Skipped outputs, shortfalls and other facts, one sentence each.
    pub notes: Vec<String>,
    /// One line per output for the terminal summary (without the file path).
    pub summary: Vec<(&'static str, String)>,
}

impl PlanOutputs {
    /// (file name, frame) of every output produced, in a fixed order.
    pub fn files(&self) -> Vec<(&'static str, &DataFrame)> {
        [
            ("key_accounts.csv", &self.key_accounts),
            ("escalations.csv", &self.escalations),
            ("review_pack.csv", &self.review_pack),
            ("prospects.csv", &self.prospects),
            ("credit_mix.csv", &self.credit_mix),
            ("market_share.csv", &self.market_share),
            ("quotas.csv", &self.quotas),
        ]
        .into_iter()
        .filter_map(|(n, d)| d.as_ref().map(|d| (n, d)))
        .collect()
    }
}

/// Run items 1-6 of the planner on the inputs.
pub fn plan(inp: &PlanInputs, p: &PlanValid) -> Result<PlanOutputs> {
    let mut out = PlanOutputs::default();
    let periods = Periods::around(inp.as_of, p.quotas.period.months());
    let accounts = data::accounts(inp.table, inp.transactions, inp.as_of, &periods)?;
    let deals: Vec<Deal> = match inp.deals {
        Some(d) => key_accounts::deals(d)?,
        None => Vec::new(),
    };
    let cx = Context {
        inp,
        p,
        periods,
        accounts,
        deals,
        churn: data::has_churn(inp.table),
    };
    add_key_accounts(&cx, &mut out)?;
    add_review_pack(&cx, &mut out)?;
    add_prospects(&cx, &mut out)?;
    add_credit_mix(&cx, &mut out)?;
    add_market_share(&cx, &mut out)?;
    add_quotas(&cx, &mut out)?;
    Ok(out)
}

/// What every planner output is made from.
struct Context<'a> {
    inp: &'a PlanInputs<'a>,
    p: &'a PlanValid,
    periods: Periods,
    accounts: Vec<data::Account>,
    deals: Vec<Deal>,
    /// Whether the per-customer table carries churn scores.
    churn: bool,
}

/// Item 1: key accounts, and the escalations when there is a deals table.
fn add_key_accounts(cx: &Context, out: &mut PlanOutputs) -> Result<()> {
    let (inp, p) = (cx.inp, cx.p);
    let ka = key_accounts::key_accounts(
        &cx.accounts,
        &cx.deals,
        p,
        &inp.key_tiers,
        inp.as_of,
        cx.churn,
    )?;
    // its summary line is the key-account rule's own (the count, tiers and revenue share)
    out.key_accounts = Some(ka);
    if inp.deals.is_some() {
        let esc = key_accounts::escalations(&cx.accounts, &cx.deals, p, inp.as_of)?;
        out.summary.push((
            "escalations.csv",
            format!(
                "escalations: {} stalled open deals >= {}",
                esc.height(),
                p.review.escalation_min_deal
            ),
        ));
        out.escalations = Some(esc);
    } else {
        out.notes
            .push("plan: escalations.csv not written: no deals table".into());
    }
    Ok(())
}

/// Item 2: the review pack, when there are deals or churn scores.
fn add_review_pack(cx: &Context, out: &mut PlanOutputs) -> Result<()> {
    if cx.inp.deals.is_some() || cx.churn {
        let rp = review::review_pack(
            &cx.accounts,
            &cx.deals,
            cx.p,
            cx.inp.key_min_deal,
            cx.inp.as_of,
        )?;
        out.summary.push((
            "review_pack.csv",
            format!("review pack: {} rows", rp.height()),
        ));
        out.review_pack = Some(rp);
    } else {
        out.notes
            .push("plan: review_pack.csv not written: no deals table and no churn scores".into());
    }
    if !cx.churn {
        out.notes.push(
            "plan: no churn scores in the customer table; the review pack lists no high-churn-risk accounts and market-share eligibility ignores churn risk".into(),
        );
    }
    Ok(())
}

/// Item 3: prospects, when the customers carry a census potential or vehicles.
fn add_prospects(cx: &Context, out: &mut PlanOutputs) -> Result<()> {
    let inp = cx.inp;
    if has(inp.table, s::POTENTIAL_VOLUME) || has(inp.table, s::VEHICLES) {
        if !data::has_quantity(inp.transactions) {
            out.notes.push("plan: transactions have no quantity, so prospects are ranked as if they bought nothing".into());
        }
        let pr = prospects::prospects(&cx.accounts, &cx.p.prospects)?;
        out.summary.push((
            "prospects.csv",
            format!("prospects: {} ranked", pr.height()),
        ));
        out.prospects = Some(pr);
    } else {
        out.notes.push(
            "plan: prospects.csv not written: the customers have no potential_volume or vehicles"
                .into(),
        );
    }
    Ok(())
}

/// Item 4: the credit mix, when the customers carry a credit grade.
fn add_credit_mix(cx: &Context, out: &mut PlanOutputs) -> Result<()> {
    let p = cx.p;
    if has(cx.inp.table, s::CREDIT_GRADE) {
        let cm = credit_mix::credit_mix(&cx.accounts, p)?;
        let q = company_quality(&cm);
        out.summary.push((
            "credit_mix.csv",
            format!(
                "credit mix: {:.1}% of customers rated {} or better (goal {:.0}%)",
                100.0 * q,
                p.credit_mix.quality_min_grade,
                100.0 * p.credit_mix.goal
            ),
        ));
        out.credit_mix = Some(cm);
    } else {
        out.notes
            .push("plan: credit_mix.csv not written: the customers have no credit_grade".into());
    }
    Ok(())
}

/// Item 5: the market-share allocation, when there are volumes, customer types and grades.
fn add_market_share(cx: &Context, out: &mut PlanOutputs) -> Result<()> {
    let (inp, p) = (cx.inp, cx.p);
    if !data::has_quantity(inp.transactions) {
        out.notes.push(
            "plan: market_share.csv not written: the transactions have no quantity (volume)".into(),
        );
    } else if !(has(inp.table, s::CUSTOMER_TYPE) && has(inp.table, s::CREDIT_GRADE)) {
        out.notes.push(
            "plan: market_share.csv not written: the customers have no customer_type or credit_grade"
                .into(),
        );
    } else {
        let (ms, sum) = market_share::market_share(&cx.accounts, p)?;
        let cap = p.market_share.capacity;
        out.summary.push((
            "market_share.csv",
            format!(
                "market share: {} eligible, {} selected, {:.0} allocated = {:.1}% of capacity {:.0} (cap {:.0}%)",
                sum.eligible,
                sum.selected,
                sum.allocated,
                100.0 * sum.allocated / cap,
                cap,
                100.0 * p.market_share.cap_share_max
            ),
        ));
        out.notes.extend(sum.notes);
        out.market_share = Some(ms);
    }
    Ok(())
}

/// Item 6: quotas for the next period, when there are transactions (and quantities for a
/// volume quota); the summary warns when the company quota is outside the forecast interval.
fn add_quotas(cx: &Context, out: &mut PlanOutputs) -> Result<()> {
    let (inp, p, periods) = (cx.inp, cx.p, &cx.periods);
    let Some(tx) = inp.transactions else {
        out.notes
            .push("plan: quotas.csv not written: no transactions".into());
        return Ok(());
    };
    let q = &p.quotas;
    if q.metric == super::params::QuotaMetric::Volume && !data::has_quantity(inp.transactions) {
        out.notes
            .push("plan: quotas.csv not written: a volume quota needs quantities".into());
        return Ok(());
    }
    let history = history::history(tx, &cx.accounts, inp.as_of)?;
    if history.cut {
        out.notes.push(format!(
            "plan: quotas read the last {} months of a longer history",
            crate::frame::MAX_MONTHS
        ));
    }
    let qi = QuotaInputs {
        accounts: &cx.accounts,
        history: &history,
        targets: inp.targets,
        forecast: inp.forecast,
    };
    let qt = quotas::quotas(&qi, p, periods)?;
    out.notes.extend(qt.notes);
    let label = Periods::label(periods.next_start, periods.months);
    out.summary.push((
        "quotas.csv",
        format!(
            "quotas: {} {} for {} (basis {}{}) split over {} units",
            q.metric.name(),
            qt.company,
            label,
            qt.basis.name(),
            outlook_words(qt.company, qt.outlook.as_ref()),
            qt.table.height().saturating_sub(1)
        ),
    ));
    out.quotas = Some(qt.table);
    Ok(())
}

/// "; forecast F, interval lo to hi", with a warning when `quota` lies outside the interval.
fn outlook_words(quota: f64, o: Option<&Outlook>) -> String {
    let Some(o) = o else {
        return "; no forecast: less than a year of history".into();
    };
    match (o.lo, o.hi) {
        (Some(lo), Some(hi)) => {
            let warn = if quota < lo || quota > hi {
                "; WARNING: the company quota is outside the forecast interval"
            } else {
                ""
            };
            format!(
                "; forecast {:.0}, interval {lo:.0} to {hi:.0}{warn}",
                o.forecast
            )
        }
        _ => format!("; forecast {:.0}", o.forecast),
    }
}

/// The company's quality share from the credit-mix table.
fn company_quality(cm: &DataFrame) -> f64 {
    f64_at(cm, credit_mix::QUALITY_SHARE, 0).unwrap_or(0.0)
}

#[cfg(test)]
#[path = "stage_tests.rs"]
mod tests;
