//! The findings at the top of `report.html`: sentences written from the run's own tables, each
//! with its number and a link to the chart or table behind it (`data-finding="<name>"`). A
//! finding whose table is missing, or that has nothing to say, is left out.

use super::data::{self, Table};
use super::i18n::fill;
use super::i18n_findings::FindingTexts;
use super::kpis::{change, compact, pct};
use super::stage::ReportInputs;
use crate::schema as s;
use crate::schema::columns as c;

/// One sentence and where it links to (`#chart-<name>` or `#table-<stem>`).
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub name: &'static str,
    pub text: String,
    pub link: String,
}

fn finding(name: &'static str, text: String, link: &str) -> Option<Finding> {
    Some(Finding {
        name,
        text,
        link: link.into(),
    })
}

/// Every finding the tables support, in reading order.
pub fn findings(inputs: &ReportInputs, t: &FindingTexts) -> Vec<Finding> {
    [
        revenue(inputs, t),
        lowest_district(inputs, t),
        high_risk(inputs, t),
        concentration(inputs, t),
        key_accounts(inputs, t),
        quota(inputs, t),
        affinity(inputs, t),
        satisfaction(inputs, t),
        escalations(inputs, t),
    ]
    .into_iter()
    .flatten()
    .collect()
}

fn customers<'a>(inputs: &'a ReportInputs) -> Table<'a> {
    Table {
        stem: "customers",
        df: &inputs.customers,
    }
}

fn revenue(inputs: &ReportInputs, t: &FindingTexts) -> Option<Finding> {
    let cu = customers(inputs);
    let now: f64 = cu.f64s(s::REVENUE_LAST_12M).ok()?.iter().flatten().sum();
    let before: f64 = cu.f64s(s::REVENUE_PREV_12M).ok()?.iter().flatten().sum();
    (before > 0.0).then_some(())?;
    let g = now / before - 1.0;
    let way = if g >= 0.0 { t.up } else { t.down };
    let text = fill(
        t.f_revenue,
        &[&compact(now, inputs.lang), way, &pct(g.abs())],
    );
    finding("revenue_trend", text, "#chart-sales_trend")
}

/// The district furthest below its target in the latest complete month, and, when its weekly
/// report has rows of the month `as_of` falls in (still open), the pace that month needs.
fn lowest_district(inputs: &ReportInputs, t: &FindingTexts) -> Option<Finding> {
    let (period, rows) = data::attainment(&inputs.tables, inputs.facts.as_of.as_deref()).ok()?;
    let low = rows
        .iter()
        .filter(|r| r.completion_rate.is_finite())
        .min_by(|a, b| {
            a.completion_rate
                .total_cmp(&b.completion_rate)
                .then(a.unit.cmp(&b.unit))
        })?;
    let mut text = fill(
        t.f_lowest_district,
        &[&low.unit, &pct(low.completion_rate), &period],
    );
    let open = inputs.facts.as_of.as_deref().and_then(|d| d.get(..7));
    if let (Ok(w), Some(open)) = (Table::find(&inputs.tables, "weekly_progress"), open) {
        let (d, m) = (w.strs(s::DISTRICT).ok()?, w.strs("month").ok()?);
        let (pace, left) = (
            w.f64s("pace_needed_per_day").ok()?,
            w.f64s("days_left_in_month").ok()?,
        );
        let last = (0..w.df.height()).rev().find(|&i| {
            d[i].as_deref() == Some(low.unit.as_str())
                && m[i].as_deref() == Some(open)
                && left[i].is_some_and(|l| l > 0.0)
        });
        if let Some(p) = last.and_then(|i| pace[i]).filter(|p| *p > 0.0) {
            text.push_str(&fill(t.f_pace, &[open, &compact(p, inputs.lang)]));
        }
    }
    finding("lowest_district", text, "#chart-attainment_by_district")
}

fn high_risk(inputs: &ReportInputs, t: &FindingTexts) -> Option<Finding> {
    let cu = customers(inputs);
    let (risk, at) = (
        cu.strs(c::CHURN_RISK).ok()?,
        cu.f64s(c::REVENUE_AT_RISK).ok()?,
    );
    let tier = cu.strs(c::KEY_ACCOUNT_TIER).unwrap_or_default();
    let high: Vec<usize> = (0..risk.len())
        .filter(|&i| risk[i].as_deref() == Some("high"))
        .collect();
    (!high.is_empty()).then_some(())?;
    let money: f64 = high.iter().filter_map(|&i| at[i]).sum();
    let keys = high
        .iter()
        .filter(|&&i| tier.get(i).is_some_and(|x| x.is_some()))
        .count();
    let (n, keys) = (high.len().to_string(), keys.to_string());
    let text = fill(t.f_high_risk, &[&n, &compact(money, inputs.lang), &keys]);
    finding("high_risk_customers", text, "#chart-revenue_at_risk")
}

/// The share of CLV held by the top 20% of customers with a CLV.
fn concentration(inputs: &ReportInputs, t: &FindingTexts) -> Option<Finding> {
    let mut v: Vec<f64> = customers(inputs)
        .f64s(c::CLV)
        .ok()?
        .into_iter()
        .flatten()
        .collect();
    v.sort_by(|a, b| b.total_cmp(a));
    let total: f64 = v.iter().filter(|x| **x > 0.0).sum();
    (v.len() >= 5 && total > 0.0).then_some(())?;
    let top: f64 = v[..v.len().div_ceil(5)].iter().filter(|x| **x > 0.0).sum();
    finding(
        "clv_concentration",
        fill(t.f_concentration, &[&pct(top / total)]),
        "#chart-clv_concentration",
    )
}

fn key_accounts(inputs: &ReportInputs, t: &FindingTexts) -> Option<Finding> {
    let cu = customers(inputs);
    let (tier, rev) = (
        cu.strs(c::KEY_ACCOUNT_TIER).ok()?,
        cu.f64s(s::REVENUE_LAST_12M).ok()?,
    );
    let total: f64 = rev.iter().flatten().sum();
    let keys: Vec<usize> = (0..tier.len()).filter(|&i| tier[i].is_some()).collect();
    (total > 0.0 && !keys.is_empty()).then_some(())?;
    let key_rev: f64 = keys.iter().filter_map(|&i| rev[i]).sum();
    let share = keys.len() as f64 / tier.len() as f64;
    let n = keys.len().to_string();
    let text = fill(t.f_key_accounts, &[&n, &pct(share), &pct(key_rev / total)]);
    finding("key_accounts", text, "#table-top_customers")
}

fn quota(inputs: &ReportInputs, t: &FindingTexts) -> Option<Finding> {
    let q = Table::find(&inputs.tables, "quotas").ok()?;
    let (level, metric, period) = (
        q.strs(s::LEVEL).ok()?,
        q.strs(s::METRIC).ok()?,
        q.strs(s::PERIOD).ok()?,
    );
    let (quota, forecast) = (q.f64s("quota").ok()?, q.f64s("forecast").ok()?);
    let i = (0..q.df.height()).find(|&i| {
        level[i].as_deref() == Some("company") && metric[i].as_deref() != Some("volume")
    })?;
    let (v, f) = (quota[i]?, forecast[i].filter(|f| *f > 0.0)?);
    let way = if v >= f { t.above } else { t.below };
    let lang = inputs.lang;
    let d = change(v / f - 1.0);
    let way = fill(way, &[d.trim_start_matches(['+', '-'])]);
    let p = period[i].clone().unwrap_or_default();
    let text = fill(t.f_quota, &[&p, &compact(v, lang), &way, &compact(f, lang)]);
    finding("quota", text, "#table-quotas")
}

/// The strongest rule with one product on each side.
fn affinity(inputs: &ReportInputs, t: &FindingTexts) -> Option<Finding> {
    let r = Table::find(&inputs.tables, "product_affinity").ok()?;
    let (a, b) = (r.strs("antecedent").ok()?, r.strs("consequent").ok()?);
    let (conf, lift) = (r.f64s("confidence").ok()?, r.f64s("lift").ok()?);
    let i = (0..r.df.height()).find(|&i| a[i].as_deref().is_some_and(|x| !x.contains(" + ")))?;
    let (x, y) = (a[i].clone()?, b[i].clone()?);
    (lift[i]? > 1.0).then_some(())?;
    let l = format!("{:.1}", lift[i]?);
    let text = fill(t.f_affinity, &[&x, &y, &pct(conf[i]?), &x, &y, &l]);
    finding("product_affinity", text, "#chart-product_affinity")
}

/// The company's NPS, the lowest district with its base, and the open complaints.
fn satisfaction(inputs: &ReportInputs, t: &FindingTexts) -> Option<Finding> {
    let u = Table::find(&inputs.tables, "satisfaction").ok()?;
    let (by, unit) = (u.strs(c::BY).ok()?, u.strs(c::UNIT).ok()?);
    let (nps, n, open) = (
        u.f64s(c::NPS).ok()?,
        u.f64s(c::NPS_RESPONSES).ok()?,
        u.f64s(c::OPEN_COMPLAINTS).ok()?,
    );
    let co = (0..u.df.height()).find(|&i| by[i].as_deref() == Some("company"))?;
    let low = (0..u.df.height())
        .filter(|&i| by[i].as_deref() == Some("district") && nps[i].is_some())
        .min_by(|&a, &b| nps[a].unwrap_or(0.0).total_cmp(&nps[b].unwrap_or(0.0)))?;
    let cu = customers(inputs);
    let (tier, opened) = (
        cu.strs(c::KEY_ACCOUNT_TIER).unwrap_or_default(),
        cu.f64s(c::OPEN_COMPLAINTS).unwrap_or_default(),
    );
    let at_keys: f64 = (0..opened.len())
        .filter(|&i| tier.get(i).is_some_and(|x| x.is_some()))
        .filter_map(|i| opened[i])
        .sum();
    let f0 = |x: Option<f64>| format!("{:.0}", x.unwrap_or(0.0));
    let text = fill(
        t.f_satisfaction,
        &[
            &f0(nps[co]),
            &f0(n[co]),
            unit[low].as_deref().unwrap_or(""),
            &f0(nps[low]),
            &f0(n[low]),
            &f0(open[co]),
            &f0(Some(at_keys)),
        ],
    );
    finding("satisfaction", text, "#chart-nps_by_district")
}

fn escalations(inputs: &ReportInputs, t: &FindingTexts) -> Option<Finding> {
    let e = Table::find(&inputs.tables, "escalations").ok()?;
    (e.df.height() > 0).then_some(())?;
    let amount = e.f64s("intended_amount").unwrap_or_default();
    let least = amount
        .iter()
        .flatten()
        .copied()
        .fold(f64::INFINITY, f64::min);
    let least = if least.is_finite() {
        compact(least, inputs.lang)
    } else {
        String::new()
    };
    let text = fill(t.f_escalations, &[&e.df.height().to_string(), &least]);
    finding("escalations", text, "#table-escalations")
}
