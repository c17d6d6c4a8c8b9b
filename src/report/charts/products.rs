//! Product, channel and satisfaction charts: penetration by segment (heat map), the strongest
//! affinity rules, channel mix by segment, NPS by district.

use super::{BarChart, BarSeries, Chart, Format, HeatChart};
use crate::report::i18n_products::ProductTexts;

/// Products on the heat map (the most penetrated first) and rules on the rules chart.
pub const MAX_PRODUCTS: usize = 12;
pub const MAX_RULES: usize = 12;

/// One row of `product_penetration.csv` (or `channel_mix.csv`): a segment (None: the
/// company), an item, its penetration and share of revenue.
#[derive(Debug, Clone, PartialEq)]
pub struct MixCell {
    pub segment: Option<String>,
    pub item: String,
    pub penetration: f64,
    pub share_revenue: f64,
}

/// Products as rows (by the company's penetration, at most [`MAX_PRODUCTS`]), segments as
/// columns (in table order, the company last), penetration in the cells.
pub fn penetration_chart(cells: &[MixCell], t: &ProductTexts) -> Chart {
    let mut items: Vec<(&str, f64)> = cells
        .iter()
        .filter(|c| c.segment.is_none())
        .map(|c| (c.item.as_str(), c.penetration))
        .collect();
    items.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(b.0)));
    items.truncate(MAX_PRODUCTS);
    let segments = rows_of(cells, t);
    let values = items
        .iter()
        .map(|(item, _)| {
            segments
                .iter()
                .map(|(seg, _)| {
                    cells
                        .iter()
                        .find(|c| &c.segment == seg && c.item == *item)
                        .map_or(f64::NAN, |c| c.penetration)
                })
                .collect()
        })
        .collect();
    Chart::Heat(HeatChart {
        title: t.penetration_title.into(),
        row_label: t.product.into(),
        column_label: t.segment.into(),
        rows: items.iter().map(|(i, _)| i.to_string()).collect(),
        columns: segments.into_iter().map(|(_, name)| name).collect(),
        values,
        format: Format::Percent,
    })
}

/// The segments in table order, then the company, with their display names.
fn rows_of(cells: &[MixCell], t: &ProductTexts) -> Vec<(Option<String>, String)> {
    let mut rows: Vec<(Option<String>, String)> = Vec::new();
    for c in cells.iter().filter(|c| c.segment.is_some()) {
        if !rows.iter().any(|r| r.0 == c.segment) {
            let name = c.segment.clone().unwrap_or_default();
            rows.push((c.segment.clone(), name));
        }
    }
    rows.push((None, t.all_customers.into()));
    rows
}

/// Revenue share by channel, one stacked bar per segment (and the company).
pub fn channel_mix_chart(cells: &[MixCell], t: &ProductTexts) -> Chart {
    let rows = rows_of(cells, t);
    let mut channels: Vec<&str> = cells.iter().map(|c| c.item.as_str()).collect();
    channels.sort_unstable();
    channels.dedup();
    let series = channels
        .iter()
        .map(|ch| BarSeries {
            name: ch.to_string(),
            values: rows
                .iter()
                .map(|(seg, _)| {
                    cells
                        .iter()
                        .find(|c| &c.segment == seg && c.item == *ch)
                        .map_or(0.0, |c| c.share_revenue)
                })
                .collect(),
        })
        .collect();
    Chart::Bars(BarChart {
        title: t.channel_mix_title.into(),
        category_label: t.segment.into(),
        value_label: t.share_revenue_axis.into(),
        categories: rows.into_iter().map(|(_, n)| n).collect(),
        series,
        stacked: true,
        horizontal: true,
        format: Format::Percent,
        reference: None,
    })
}

/// One rule of `product_affinity.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleRow {
    pub antecedent: String,
    pub consequent: String,
    pub lift: f64,
}

/// The strongest rules (as the table orders them, at most [`MAX_RULES`]) by lift, with the
/// line of independence.
pub fn affinity_chart(rules: &[RuleRow], t: &ProductTexts) -> Chart {
    let rules = &rules[..rules.len().min(MAX_RULES)];
    Chart::Bars(BarChart {
        title: t.affinity_title.into(),
        category_label: t.rule.into(),
        value_label: t.lift_axis.into(),
        categories: rules
            .iter()
            .map(|r| format!("{} -> {}", r.antecedent, r.consequent))
            .collect(),
        series: vec![BarSeries {
            name: t.lift.into(),
            values: rules.iter().map(|r| r.lift).collect(),
        }],
        stacked: false,
        horizontal: true,
        format: Format::Decimal,
        reference: Some((1.0, t.independent.into())),
    })
}

/// One unit's NPS with the customers who answered.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitNps {
    pub unit: String,
    pub nps: f64,
    pub answered: f64,
}

/// NPS per district, best first, each labelled with its base ("Fengtai (n=42)").
pub fn nps_chart(rows: &[UnitNps], t: &ProductTexts) -> Chart {
    let mut rows: Vec<&UnitNps> = rows.iter().filter(|r| r.nps.is_finite()).collect();
    rows.sort_by(|a, b| b.nps.total_cmp(&a.nps).then(a.unit.cmp(&b.unit)));
    Chart::Bars(BarChart {
        title: t.nps_title.into(),
        category_label: t.district.into(),
        value_label: t.nps_axis.into(),
        categories: rows
            .iter()
            .map(|r| format!("{} (n={:.0})", r.unit, r.answered))
            .collect(),
        series: vec![BarSeries {
            name: t.nps.into(),
            values: rows.iter().map(|r| r.nps).collect(),
        }],
        stacked: false,
        horizontal: true,
        format: Format::Decimal,
        reference: None,
    })
}

#[cfg(test)]
#[path = "products_tests.rs"]
mod tests;
