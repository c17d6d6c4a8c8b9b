//! The key figures at the top of `report.html`: each a number with its comparison, read from
//! the run's own tables (so a card always equals the table behind it; tested against the
//! written files). A figure whose table is missing is left out.

use polars::prelude::DataFrame;

use super::data::Table;
use super::i18n::{Lang, fill};
use super::i18n_findings::FindingTexts;
use super::stage::{ReportInputs, find};
use crate::schema as s;
use crate::schema::columns::{self as c, plan as pc};

/// One card: `data-kpi="<name>"`, `data-value` = `value` (the figure as the tables give it).
#[derive(Debug, Clone, PartialEq)]
pub struct Kpi {
    pub name: &'static str,
    pub label: String,
    pub value: f64,
    /// The value as shown.
    pub shown: String,
    pub comparison: String,
}

/// A sum of money or a count in few characters: 2.39B, 99.9M, 12.3K (Chinese: 23.9亿, 999万).
pub fn compact(v: f64, lang: Lang) -> String {
    let a = v.abs();
    let (x, unit) = match lang {
        Lang::En if a >= 1e9 => (v / 1e9, "B"),
        Lang::En if a >= 1e6 => (v / 1e6, "M"),
        Lang::En if a >= 1e4 => (v / 1e3, "K"),
        Lang::Zh if a >= 1e8 => (v / 1e8, "亿"),
        Lang::Zh if a >= 1e4 => (v / 1e4, "万"),
        _ => return super::charts::thousands(v, 0),
    };
    let decimals = if x.abs() >= 100.0 {
        0
    } else if x.abs() >= 10.0 {
        1
    } else {
        2
    };
    format!("{}{unit}", super::charts::thousands(x, decimals))
}

/// A ratio as a percentage with one decimal below 10%: 0.934 -> 93%, 0.052 -> 5.2%.
pub fn pct(v: f64) -> String {
    super::charts::Format::Percent.fmt(v)
}

/// A signed percentage change: +12.3%.
pub fn change(v: f64) -> String {
    let s = format!("{:.1}%", v * 100.0);
    if v >= 0.0 { format!("+{s}") } else { s }
}

fn col(df: &DataFrame, stem: &'static str, name: &str) -> Vec<Option<f64>> {
    Table { stem, df }.f64s(name).unwrap_or_default()
}

fn text(df: &DataFrame, stem: &'static str, name: &str) -> Vec<Option<String>> {
    Table { stem, df }.strs(name).unwrap_or_default()
}

/// Every key figure the run's tables allow, in reading order.
pub fn key_figures(inputs: &ReportInputs, t: &FindingTexts) -> Vec<Kpi> {
    let lang = inputs.lang;
    let mut out = Vec::new();
    let cu = &inputs.customers;
    let rev = col(cu, "customers", s::REVENUE_LAST_12M);
    let prev = col(cu, "customers", s::REVENUE_PREV_12M);
    let total: f64 = rev.iter().flatten().sum();
    if !rev.is_empty() {
        let before: f64 = prev.iter().flatten().sum();
        let growth = (before > 0.0).then(|| total / before - 1.0);
        out.push(Kpi {
            name: "revenue_12m",
            label: t.revenue_12m.into(),
            value: total,
            shown: compact(total, lang),
            comparison: growth.map_or(String::new(), |g| fill(t.vs_last_year, &[&change(g)])),
        });
        let active = rev.iter().filter(|v| v.is_some_and(|v| v > 0.0)).count();
        let was = prev.iter().filter(|v| v.is_some_and(|v| v > 0.0)).count();
        let delta = active as i64 - was as i64;
        let delta = if delta >= 0 {
            format!("+{delta}")
        } else {
            delta.to_string()
        };
        out.push(Kpi {
            name: "active_customers",
            label: t.active_customers.into(),
            value: active as f64,
            shown: super::charts::thousands(active as f64, 0),
            comparison: fill(t.customers_vs_last_year, &[&delta]),
        });
    }
    let tiers = text(cu, "customers", c::KEY_ACCOUNT_TIER);
    if !tiers.is_empty() && total > 0.0 {
        let keys: Vec<usize> = (0..tiers.len()).filter(|&i| tiers[i].is_some()).collect();
        let key_rev: f64 = keys
            .iter()
            .filter_map(|&i| rev.get(i).copied().flatten())
            .sum();
        out.push(Kpi {
            name: "key_accounts",
            label: t.key_accounts.into(),
            value: keys.len() as f64,
            shown: super::charts::thousands(keys.len() as f64, 0),
            comparison: fill(t.of_revenue, &[&pct(key_rev / total)]),
        });
    }
    let risk = col(cu, "customers", c::REVENUE_AT_RISK);
    if !risk.is_empty() && total > 0.0 {
        let at_risk: f64 = risk.iter().flatten().sum();
        out.push(Kpi {
            name: "revenue_at_risk",
            label: t.revenue_at_risk.into(),
            value: at_risk,
            shown: compact(at_risk, lang),
            comparison: fill(t.of_revenue, &[&pct(at_risk / total)]),
        });
    }
    out.extend(planning_figures(inputs, t));
    out
}

/// Year-to-date attainment, the quality share, the market-share allocation and the next
/// quota, from the tracking and planning tables.
fn planning_figures(inputs: &ReportInputs, t: &FindingTexts) -> Vec<Kpi> {
    let mut out = Vec::new();
    if let Some(df) = find(inputs, "attainment") {
        let (period, level, metric) = (
            text(df, "attainment", s::PERIOD),
            text(df, "attainment", s::LEVEL),
            text(df, "attainment", s::METRIC),
        );
        let ytd = col(df, "attainment", "ytd_completion_rate");
        let actual = col(df, "attainment", "actual");
        let current = inputs.facts.as_of.as_deref().and_then(|d| d.get(..7));
        let latest = (0..df.height())
            .filter(|&i| level[i].as_deref() == Some("company"))
            .filter(|&i| metric[i].as_deref() == Some("revenue"))
            .filter(|&i| ytd[i].is_some() && actual[i].is_some())
            .filter(|&i| match (period[i].as_deref(), current) {
                (Some(p), Some(c)) => p < c,
                (p, None) => p.is_some(),
                _ => false,
            })
            .max_by(|&a, &b| period[a].cmp(&period[b]));
        if let Some(i) = latest {
            let v = ytd[i].unwrap_or(0.0);
            out.push(Kpi {
                name: "ytd_attainment",
                label: t.ytd_attainment.into(),
                value: v,
                shown: pct(v),
                comparison: fill(t.vs_target, &[period[i].as_deref().unwrap_or("")]),
            });
        }
    }
    if let Some(df) = find(inputs, "credit_mix") {
        let level = text(df, "credit_mix", s::LEVEL);
        let (share, goal) = (
            col(df, "credit_mix", "quality_share"),
            col(df, "credit_mix", "goal"),
        );
        if let Some(i) = (0..df.height()).find(|&i| level[i].as_deref() == Some("company")) {
            let v = share[i].unwrap_or(0.0);
            out.push(Kpi {
                name: "b_or_better_share",
                label: t.b_or_better.into(),
                value: v,
                shown: pct(v),
                comparison: goal[i].map_or(String::new(), |g| fill(t.vs_goal, &[&pct(g)])),
            });
        }
    }
    out.extend(market_share_and_quota(inputs, t));
    out
}

fn market_share_and_quota(inputs: &ReportInputs, t: &FindingTexts) -> Vec<Kpi> {
    let mut out = Vec::new();
    if let Some(df) = find(inputs, "market_share") {
        let (share, alloc) = (
            col(df, "market_share", c::SHARE_OF_CAPACITY),
            col(df, "market_share", "allocation"),
        );
        let (cap, capacity) = (
            col(df, "market_share", c::CAP_MAX_VOLUME),
            col(df, "market_share", c::CAPACITY),
        );
        let v: f64 = (0..df.height())
            .filter(|&i| alloc[i].is_some_and(|a| a > 0.0))
            .filter_map(|i| share[i])
            .sum();
        let cap = match (
            cap.first().copied().flatten(),
            capacity.first().copied().flatten(),
        ) {
            (Some(m), Some(k)) if k > 0.0 => fill(t.vs_cap, &[&pct(m / k)]),
            _ => String::new(),
        };
        if df.height() > 0 {
            out.push(Kpi {
                name: "market_share_allocation",
                label: t.market_share.into(),
                value: v,
                shown: pct(v),
                comparison: cap,
            });
        }
    }
    if let Some(df) = find(inputs, "quotas") {
        let (level, metric, period) = (
            text(df, "quotas", s::LEVEL),
            text(df, "quotas", s::METRIC),
            text(df, "quotas", s::PERIOD),
        );
        let (quota, vs) = (
            col(df, "quotas", pc::QUOTA),
            col(df, "quotas", pc::QUOTA_VS_FORECAST),
        );
        let row = (0..df.height()).find(|&i| {
            level[i].as_deref() == Some("company") && metric[i].as_deref() != Some("volume")
        });
        if let Some(i) = row.filter(|&i| quota[i].is_some()) {
            let v = quota[i].unwrap_or(0.0);
            out.push(Kpi {
                name: "next_quota",
                label: fill(t.next_quota, &[period[i].as_deref().unwrap_or("")]),
                value: v,
                shown: compact(v, inputs.lang),
                comparison: vs[i]
                    .map_or(String::new(), |r| fill(t.vs_forecast, &[&change(r - 1.0)])),
            });
        }
    }
    out
}
