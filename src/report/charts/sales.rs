//! Sales charts: trend with forecast band, attainment by district, leaderboard, channel
//! conversion. Each `*_chart` turns plain rows into a chart model; each plain-named function
//! draws it on the caller's area.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{Band, BarChart, BarSeries, Chart, Format, Line, LineChart, draw};
use crate::error::Result;
use crate::report::i18n::{Texts, fill};

/// One month of the company's sales (`trend.csv`, level `company`).
#[derive(Debug, Clone, PartialEq)]
pub struct TrendPoint {
    /// `YYYY-MM`.
    pub month: String,
    /// True on forecast rows.
    pub forecast: bool,
    /// Revenue (currency units): actual, or the point forecast.
    pub revenue: f64,
    /// 3-month moving average of actual revenue.
    pub ma3: Option<f64>,
    /// Forecast interval (forecast rows only).
    pub lo: Option<f64>,
    pub hi: Option<f64>,
}

/// Actual revenue, its 3-month moving average, the forecast (joined to the last actual month)
/// and the forecast interval, over the months in order.
pub fn trend_chart(points: &[TrendPoint], t: &Texts) -> Chart {
    let mut pts: Vec<&TrendPoint> = points.iter().collect();
    pts.sort_by(|a, b| a.month.cmp(&b.month).then(a.forecast.cmp(&b.forecast)));
    let mut months: Vec<String> = pts.iter().map(|p| p.month.clone()).collect();
    months.dedup();
    let x = |m: &str| months.iter().position(|x| x == m).unwrap_or(0) as f64;
    let actual: Vec<(f64, f64)> = pts
        .iter()
        .filter(|p| !p.forecast && p.revenue.is_finite())
        .map(|p| (x(&p.month), p.revenue))
        .collect();
    let ma3: Vec<(f64, f64)> = pts
        .iter()
        .filter(|p| !p.forecast)
        .filter_map(|p| p.ma3.map(|v| (x(&p.month), v)))
        .collect();
    let mut forecast: Vec<(f64, f64)> = actual.last().copied().into_iter().collect();
    forecast.extend(
        pts.iter()
            .filter(|p| p.forecast && p.revenue.is_finite())
            .map(|p| (x(&p.month), p.revenue)),
    );
    let band: Vec<(f64, f64, f64)> = pts
        .iter()
        .filter(|p| p.forecast)
        .filter_map(|p| Some((x(&p.month), p.lo?, p.hi?)))
        .collect();
    let mut lines = vec![Line {
        name: t.actual.into(),
        points: actual,
        dashed: false,
    }];
    if forecast.len() > 1 {
        lines.push(Line {
            name: t.forecast.into(),
            points: forecast,
            dashed: true,
        });
    }
    if !ma3.is_empty() {
        lines.push(Line {
            name: t.moving_average.into(),
            points: ma3,
            dashed: false,
        });
    }
    let bands = if band.is_empty() {
        vec![]
    } else {
        vec![Band {
            name: t.forecast_band.into(),
            points: band,
        }]
    };
    Chart::Lines(LineChart {
        title: t.trend_title.into(),
        x_label: t.month.into(),
        y_label: t.revenue_axis.into(),
        lines,
        bands,
        x_names: months.clone(),
        x_format: Format::Decimal,
        y_format: Format::Thousands,
    })
}

/// Draw the sales trend with its forecast band.
pub fn trend<DB: DrawingBackend>(
    points: &[TrendPoint],
    t: &Texts,
    family: &str,
    area: &DrawingArea<DB, Shift>,
) -> Result<()> {
    draw(&trend_chart(points, t), family, area)
}

/// One unit's completion of one period (`attainment.csv`).
#[derive(Debug, Clone, PartialEq)]
pub struct UnitAttainment {
    pub unit: String,
    /// actual / target as a ratio (0.93 = 93%).
    pub completion_rate: f64,
}

/// Completion rate per district, best first, against the 100% line.
pub fn attainment_chart(period: &str, rows: &[UnitAttainment], t: &Texts) -> Chart {
    let mut rows: Vec<&UnitAttainment> = rows
        .iter()
        .filter(|r| r.completion_rate.is_finite())
        .collect();
    rows.sort_by(|a, b| {
        b.completion_rate
            .total_cmp(&a.completion_rate)
            .then(a.unit.cmp(&b.unit))
    });
    Chart::Bars(BarChart {
        title: fill(t.attainment_title, &[period]),
        category_label: t.district.into(),
        value_label: t.completion_axis.into(),
        categories: rows.iter().map(|r| r.unit.clone()).collect(),
        series: vec![BarSeries {
            name: t.completion_rate.into(),
            values: rows.iter().map(|r| r.completion_rate).collect(),
        }],
        stacked: false,
        horizontal: true,
        format: Format::Percent,
        reference: Some((1.0, t.target_line.into())),
    })
}

/// Draw attainment by district.
pub fn attainment<DB: DrawingBackend>(
    period: &str,
    rows: &[UnitAttainment],
    t: &Texts,
    family: &str,
    area: &DrawingArea<DB, Shift>,
) -> Result<()> {
    draw(&attainment_chart(period, rows, t), family, area)
}

/// One row of a leaderboard (`leaderboard.csv`).
#[derive(Debug, Clone, PartialEq)]
pub struct LeaderEntry {
    pub unit: String,
    pub value: f64,
    /// 1 = best.
    pub rank: u32,
}

/// Entries shown on the leaderboard chart.
pub const LEADERBOARD_TOP: usize = 10;

/// The 10 best units of a completion-rate board, rank 1 at the top.
pub fn leaderboard_chart(level: &str, entries: &[LeaderEntry], t: &Texts) -> Chart {
    let mut rows: Vec<&LeaderEntry> = entries.iter().collect();
    rows.sort_by(|a, b| a.rank.cmp(&b.rank).then(a.unit.cmp(&b.unit)));
    rows.truncate(LEADERBOARD_TOP);
    let level_name = t.level(level);
    Chart::Bars(BarChart {
        title: fill(t.leaderboard_title, &[&level_name]),
        category_label: level_name.clone(),
        value_label: t.completion_axis.into(),
        categories: rows
            .iter()
            .map(|r| format!("{}. {}", r.rank, r.unit))
            .collect(),
        series: vec![BarSeries {
            name: t.completion_rate.into(),
            values: rows.iter().map(|r| r.value).collect(),
        }],
        stacked: false,
        horizontal: true,
        format: Format::Percent,
        reference: Some((1.0, t.target_line.into())),
    })
}

/// Draw the leaderboard.
pub fn leaderboard<DB: DrawingBackend>(
    level: &str,
    entries: &[LeaderEntry],
    t: &Texts,
    family: &str,
    area: &DrawingArea<DB, Shift>,
) -> Result<()> {
    draw(&leaderboard_chart(level, entries, t), family, area)
}

/// One channel's conversion (`campaigns.csv`, rows `by = channel`).
#[derive(Debug, Clone, PartialEq)]
pub struct ChannelConversion {
    pub channel: String,
    /// converted / reached as a ratio.
    pub conversion_rate: f64,
}

/// Conversion rate per channel, best first.
pub fn channels_chart(rows: &[ChannelConversion], t: &Texts) -> Chart {
    let mut rows: Vec<&ChannelConversion> = rows
        .iter()
        .filter(|r| r.conversion_rate.is_finite())
        .collect();
    rows.sort_by(|a, b| {
        b.conversion_rate
            .total_cmp(&a.conversion_rate)
            .then(a.channel.cmp(&b.channel))
    });
    Chart::Bars(BarChart {
        title: t.channels_title.into(),
        category_label: t.channel.into(),
        value_label: t.conversion_axis.into(),
        categories: rows.iter().map(|r| r.channel.clone()).collect(),
        series: vec![BarSeries {
            name: t.conversion_rate.into(),
            values: rows.iter().map(|r| r.conversion_rate).collect(),
        }],
        stacked: false,
        horizontal: false,
        format: Format::Percent,
        reference: None,
    })
}

/// Draw channel conversion.
pub fn channels<DB: DrawingBackend>(
    rows: &[ChannelConversion],
    t: &Texts,
    family: &str,
    area: &DrawingArea<DB, Shift>,
) -> Result<()> {
    draw(&channels_chart(rows, t), family, area)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::i18n::{EN, ZH};

    fn tp(month: &str, forecast: bool, revenue: f64, band: Option<(f64, f64)>) -> TrendPoint {
        TrendPoint {
            month: month.into(),
            forecast,
            revenue,
            ma3: (!forecast).then_some(revenue),
            lo: band.map(|b| b.0),
            hi: band.map(|b| b.1),
        }
    }

    #[test]
    fn trend_joins_the_forecast_to_the_last_actual_month() {
        let pts = [
            tp("2025-02", false, 20.0, None),
            tp("2025-01", false, 10.0, None),
            tp("2025-03", true, 30.0, Some((25.0, 35.0))),
        ];
        let Chart::Lines(c) = trend_chart(&pts, &EN) else {
            panic!("not lines")
        };
        assert_eq!(c.x_names, ["2025-01", "2025-02", "2025-03"]);
        assert_eq!(c.lines[0].points, [(0.0, 10.0), (1.0, 20.0)]);
        assert_eq!(c.lines[1].name, "Forecast");
        assert_eq!(c.lines[1].points, [(1.0, 20.0), (2.0, 30.0)]);
        assert_eq!(c.bands[0].points, [(2.0, 25.0, 35.0)]);
    }

    #[test]
    fn attainment_bars_are_sorted_with_a_100_percent_line() {
        let rows = [
            UnitAttainment {
                unit: "B".into(),
                completion_rate: 0.8,
            },
            UnitAttainment {
                unit: "A".into(),
                completion_rate: 1.2,
            },
            UnitAttainment {
                unit: "C".into(),
                completion_rate: f64::NAN,
            },
        ];
        let Chart::Bars(c) = attainment_chart("2025-12", &rows, &ZH) else {
            panic!("not bars")
        };
        assert_eq!(c.categories, ["A", "B"]);
        assert_eq!(c.series[0].values, [1.2, 0.8]);
        assert_eq!(c.reference, Some((1.0, "目标（100%）".into())));
        assert_eq!(c.title, "各片区销售额完成率，2025-12");
    }

    #[test]
    fn leaderboard_keeps_the_top_ten_by_rank() {
        let rows: Vec<LeaderEntry> = (1..=12)
            .rev()
            .map(|r| LeaderEntry {
                unit: format!("S{r}"),
                value: 1.0 / r as f64,
                rank: r,
            })
            .collect();
        let Chart::Bars(c) = leaderboard_chart("station", &rows, &EN) else {
            panic!("not bars")
        };
        assert_eq!(c.categories.len(), 10);
        assert_eq!(c.categories[0], "1. S1");
        assert_eq!(c.series[0].values[1], 0.5);
        assert!(c.title.contains("Station"));
    }

    #[test]
    fn channels_sorted_by_conversion() {
        let rows = [
            ChannelConversion {
                channel: "flyer".into(),
                conversion_rate: 0.01,
            },
            ChannelConversion {
                channel: "wechat".into(),
                conversion_rate: 0.05,
            },
        ];
        let Chart::Bars(c) = channels_chart(&rows, &EN) else {
            panic!("not bars")
        };
        assert_eq!(c.categories, ["wechat", "flyer"]);
        assert_eq!(c.series[0].values, [0.05, 0.01]);
    }
}
