//! Plan charts: market-share allocation against the cap, credit-grade mix.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{BarChart, BarSeries, Chart, Format, draw};
use crate::error::Result;
use crate::report::i18n::{Texts, fill};

/// Customers shown on the allocation chart.
pub const ALLOCATION_TOP: usize = 15;

/// One eligible customer's allocation (`market_share.csv`).
#[derive(Debug, Clone, PartialEq)]
pub struct Allocation {
    pub name: String,
    /// Allocated volume / capacity, as a ratio.
    pub share_of_capacity: f64,
}

/// The total of every selected customer first (the cap is on that total), then the 15 largest
/// shares of capacity, largest at the top, against the cap (`cap_share_max`).
pub fn market_share_chart(rows: &[Allocation], cap: Option<f64>, t: &Texts) -> Chart {
    let mut rows: Vec<&Allocation> = rows
        .iter()
        .filter(|r| r.share_of_capacity.is_finite())
        .collect();
    let total: f64 = rows.iter().map(|r| r.share_of_capacity).sum();
    rows.sort_by(|a, b| {
        b.share_of_capacity
            .total_cmp(&a.share_of_capacity)
            .then(a.name.cmp(&b.name))
    });
    rows.truncate(ALLOCATION_TOP);
    let mut categories = vec![t.all_selected.to_string()];
    categories.extend(rows.iter().map(|r| r.name.clone()));
    let mut values = vec![total];
    values.extend(rows.iter().map(|r| r.share_of_capacity));
    Chart::Bars(BarChart {
        title: t.market_share_title.into(),
        category_label: t.customer.into(),
        value_label: t.share_of_capacity_axis.into(),
        categories,
        series: vec![BarSeries {
            name: t.allocation.into(),
            values,
        }],
        stacked: false,
        horizontal: true,
        format: Format::Percent,
        reference: cap.map(|c| (c, fill(t.cap_line, &[&Format::Percent.fmt(c)]))),
    })
}

/// Draw the market-share allocation.
pub fn market_share<DB: DrawingBackend>(
    rows: &[Allocation],
    cap: Option<f64>,
    t: &Texts,
    family: &str,
    area: &DrawingArea<DB, Shift>,
) -> Result<()> {
    draw(&market_share_chart(rows, cap, t), family, area)
}

/// One (unit, credit grade) row of `credit_mix.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct CreditMix {
    pub unit: String,
    pub grade: String,
    /// The grade's share of the unit's revenue, as a ratio.
    pub revenue_share: f64,
}

/// Revenue share per credit grade, stacked per unit; units and grades in alphabetical order.
pub fn credit_mix_chart(level: &str, rows: &[CreditMix], t: &Texts) -> Chart {
    let mut units: Vec<String> = rows.iter().map(|r| r.unit.clone()).collect();
    units.sort();
    units.dedup();
    let mut grades: Vec<String> = rows.iter().map(|r| r.grade.clone()).collect();
    grades.sort();
    grades.dedup();
    let series = grades
        .iter()
        .map(|g| BarSeries {
            name: fill(t.grade, &[g]),
            values: units
                .iter()
                .map(|u| {
                    rows.iter()
                        .filter(|r| &r.unit == u && &r.grade == g && r.revenue_share.is_finite())
                        .map(|r| r.revenue_share)
                        .sum()
                })
                .collect(),
        })
        .collect();
    let level_name = t.level(level);
    Chart::Bars(BarChart {
        title: fill(t.credit_mix_title, &[&level_name]),
        category_label: level_name,
        value_label: t.revenue_share_axis.into(),
        categories: units,
        series,
        stacked: true,
        horizontal: true,
        format: Format::Percent,
        reference: None,
    })
}

/// Draw the credit-grade mix.
pub fn credit_mix<DB: DrawingBackend>(
    level: &str,
    rows: &[CreditMix],
    t: &Texts,
    family: &str,
    area: &DrawingArea<DB, Shift>,
) -> Result<()> {
    draw(&credit_mix_chart(level, rows, t), family, area)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::i18n::EN;

    #[test]
    fn market_share_top_15_with_the_cap_line() {
        let rows: Vec<Allocation> = (0..20)
            .map(|i| Allocation {
                name: format!("C{i:02}"),
                share_of_capacity: f64::from(i) / 100.0,
            })
            .collect();
        let Chart::Bars(c) = market_share_chart(&rows, Some(0.3), &EN) else {
            panic!("not bars")
        };
        // the total of all 20 first (0.00 + 0.01 + ... + 0.19 = 1.90), then the top 15
        assert_eq!(c.categories.len(), ALLOCATION_TOP + 1);
        assert_eq!(c.categories[0], "All selected customers");
        assert!((c.series[0].values[0] - 1.9).abs() < 1e-12);
        assert_eq!(c.categories[1], "C19");
        assert_eq!(c.series[0].values[1], 0.19);
        assert_eq!(c.reference, Some((0.3, "Cap (30%)".into())));
        let Chart::Bars(c) = market_share_chart(&rows, None, &EN) else {
            panic!("not bars")
        };
        assert_eq!(c.reference, None);
    }

    #[test]
    fn credit_mix_stacks_grades_per_unit() {
        let r = |u: &str, g: &str, s: f64| CreditMix {
            unit: u.into(),
            grade: g.into(),
            revenue_share: s,
        };
        let rows = [
            r("North", "B", 0.4),
            r("North", "A", 0.6),
            r("East", "A", 1.0),
        ];
        let Chart::Bars(c) = credit_mix_chart("district", &rows, &EN) else {
            panic!("not bars")
        };
        assert!(c.stacked);
        assert_eq!(c.categories, ["East", "North"]);
        assert_eq!(c.series[0].name, "Grade A");
        assert_eq!(c.series[0].values, [1.0, 0.6]);
        assert_eq!(c.series[1].values, [0.0, 0.4]);
        assert_eq!(c.title, "Credit-grade mix of revenue by District");
    }
}
