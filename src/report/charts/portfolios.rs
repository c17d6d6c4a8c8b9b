//! The portfolio chart: account managers compared by the revenue of their book over the last
//! 12 months, with the part of next year's revenue at risk beside it (`portfolios.csv`).

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{BarChart, BarSeries, Chart, Format, draw};
use crate::error::Result;
use crate::report::i18n::Texts;

/// Managers shown on the portfolio chart.
pub const PORTFOLIOS_TOP: usize = 20;

/// One manager's book (`portfolios.csv`).
#[derive(Debug, Clone, PartialEq)]
pub struct ManagerBook {
    pub manager: String,
    /// Revenue of the last 12 months (currency units).
    pub revenue_last_12m: f64,
    /// Revenue at risk (currency units); NaN when the run scored no churn.
    pub revenue_at_risk: f64,
}

/// The 20 managers with the most revenue of the last 12 months (ties by name), largest at
/// the top, each with its revenue at risk as a second bar.
pub fn portfolios_chart(rows: &[ManagerBook], t: &Texts) -> Chart {
    let mut rows: Vec<&ManagerBook> = rows.iter().collect();
    rows.sort_by(|a, b| {
        b.revenue_last_12m
            .total_cmp(&a.revenue_last_12m)
            .then(a.manager.cmp(&b.manager))
    });
    rows.truncate(PORTFOLIOS_TOP);
    Chart::Bars(BarChart {
        title: t.portfolios_title.into(),
        category_label: t.account_manager.into(),
        value_label: t.revenue_axis.into(),
        categories: rows.iter().map(|r| r.manager.clone()).collect(),
        series: vec![
            BarSeries {
                name: t.revenue_last_12m.into(),
                values: rows.iter().map(|r| r.revenue_last_12m).collect(),
            },
            BarSeries {
                name: t.revenue_at_risk.into(),
                values: rows.iter().map(|r| r.revenue_at_risk).collect(),
            },
        ],
        stacked: false,
        horizontal: true,
        format: Format::Thousands,
        reference: None,
    })
}

/// Draw the portfolio chart.
pub fn portfolios<DB: DrawingBackend>(
    rows: &[ManagerBook],
    t: &Texts,
    family: &str,
    area: &DrawingArea<DB, Shift>,
) -> Result<()> {
    draw(&portfolios_chart(rows, t), family, area)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::i18n::EN;

    #[test]
    fn the_top_20_managers_by_revenue_with_their_revenue_at_risk() {
        let rows: Vec<ManagerBook> = (0..25)
            .map(|i| ManagerBook {
                manager: format!("M{i:02}"),
                revenue_last_12m: f64::from(i % 24) * 100.0,
                revenue_at_risk: f64::from(i),
            })
            .collect();
        let Chart::Bars(c) = portfolios_chart(&rows, &EN) else {
            panic!("not bars")
        };
        assert_eq!(c.categories.len(), PORTFOLIOS_TOP);
        // M23 sold 2,300; M24 sold 0 like M00 and both are cut
        assert_eq!(c.categories[..2], ["M23", "M22"]);
        assert_eq!(c.series[0].values[..2], [2300.0, 2200.0]);
        assert_eq!(c.series[1].values[..2], [23.0, 22.0]);
        assert!(!c.categories.contains(&"M24".to_string()));
        assert!(c.horizontal && !c.stacked);
        assert_eq!(c.series[1].name, "Revenue at risk");
    }
}
