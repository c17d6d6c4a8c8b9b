//! The charts of `kam run`: plain chart models ([`BarChart`], [`LineChart`], [`ScatterChart`]),
//! built from business data by one `*_chart` function per chart (unit-tested on what they plot)
//! and drawn by [`draw`] on any plotters drawing area the caller gives. [`render`] draws one
//! chart into PNG and SVG bytes.
//!
//! Look: one palette ([`PALETTE`]), titles at the top, axis labels with units, light grid,
//! thousands separators on money and counts, percentages on ratios.

pub mod axis;
pub mod customers;
pub mod diagnostics;
pub mod draw;
pub mod plan;
pub mod portfolios;
pub mod products;
pub mod sales;
pub mod value_diag;

use plotters::prelude::*;

use crate::error::{Error, Result};

/// Pixel size of every chart.
pub const SIZE: (u32, u32) = (1000, 600);

/// Colour-blind-safe categorical palette (Tableau 10), used in this order by every chart.
pub const PALETTE: [RGBColor; 10] = [
    RGBColor(0x4E, 0x79, 0xA7),
    RGBColor(0xF2, 0x8E, 0x2B),
    RGBColor(0x59, 0xA1, 0x4F),
    RGBColor(0xE1, 0x57, 0x59),
    RGBColor(0x76, 0xB7, 0xB2),
    RGBColor(0xED, 0xC9, 0x48),
    RGBColor(0xB0, 0x7A, 0xA1),
    RGBColor(0xFF, 0x9D, 0xA7),
    RGBColor(0x9C, 0x75, 0x5F),
    RGBColor(0xBA, 0xB0, 0xAC),
];
/// Colour of reference lines (100% target, caps).
pub const REFERENCE: RGBColor = RGBColor(0xC0, 0x39, 0x2B);

/// How the values of an axis are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Thousands separators, no decimals (money, volumes, counts).
    Thousands,
    /// A ratio printed as a percentage (0.93 -> 93%).
    Percent,
    /// Up to two decimals (means, rates that are not ratios).
    Decimal,
}

impl Format {
    pub fn fmt(self, v: f64) -> String {
        match self {
            // Small fractional ticks (an axis of 0..3 customers) keep one decimal, so no two
            // ticks print the same.
            Format::Thousands if v.abs() < 100.0 && v.fract() != 0.0 => thousands(v, 1),
            Format::Thousands => thousands(v, 0),
            Format::Percent => format!(
                "{}%",
                thousands(v * 100.0, if v.abs() < 0.1 && v != 0.0 { 1 } else { 0 })
            ),
            Format::Decimal => thousands(v, 2),
        }
    }
}

/// `v` with `decimals` decimals and a comma every three digits: 1234567.8 -> "1,234,568".
pub fn thousands(v: f64, decimals: usize) -> String {
    if !v.is_finite() {
        return String::new();
    }
    let s = format!("{:.*}", decimals, v.abs());
    let (int, frac) = s.split_once('.').map_or((s.as_str(), ""), |(i, f)| (i, f));
    let mut out = String::with_capacity(s.len() + s.len() / 3 + 1);
    let negative = v < 0.0 && s.chars().any(|c| c.is_ascii_digit() && c != '0');
    if negative {
        out.push('-');
    }
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if !frac.is_empty() {
        out.push('.');
        out.push_str(frac);
    }
    out
}

/// One named series of a bar chart: one value per category.
#[derive(Debug, Clone, PartialEq)]
pub struct BarSeries {
    pub name: String,
    pub values: Vec<f64>,
}

/// Bars per category: grouped side by side or stacked; vertical or horizontal (long labels).
#[derive(Debug, Clone, PartialEq)]
pub struct BarChart {
    pub title: String,
    /// Label of the category axis.
    pub category_label: String,
    /// Label of the value axis, with its unit.
    pub value_label: String,
    pub categories: Vec<String>,
    pub series: Vec<BarSeries>,
    pub stacked: bool,
    pub horizontal: bool,
    pub format: Format,
    /// A reference value drawn across the bars (e.g. 1.0 = 100% of target), with its legend.
    pub reference: Option<(f64, String)>,
}

/// One line of a line chart: (x, y) points, solid or dashed.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub name: String,
    pub points: Vec<(f64, f64)>,
    pub dashed: bool,
}

/// A shaded interval: (x, low, high) points.
#[derive(Debug, Clone, PartialEq)]
pub struct Band {
    pub name: String,
    pub points: Vec<(f64, f64, f64)>,
}

/// Lines and bands over a numeric x axis (months are x = 0, 1, 2 ... named by `x_names`).
#[derive(Debug, Clone, PartialEq)]
pub struct LineChart {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    pub lines: Vec<Line>,
    pub bands: Vec<Band>,
    /// Names of the integer x positions (months); empty for a numeric x axis.
    pub x_names: Vec<String>,
    pub x_format: Format,
    pub y_format: Format,
}

/// Points coloured by group, optionally on a log-scaled y axis.
#[derive(Debug, Clone, PartialEq)]
pub struct ScatterChart {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    /// (group name, points); points with a non-positive y are left out on a log axis.
    pub groups: Vec<(String, Vec<(f64, f64)>)>,
    pub log_y: bool,
    pub x_format: Format,
    pub y_format: Format,
}

/// Values on a grid of rows and columns (e.g. product penetration by segment); NaN = empty.
#[derive(Debug, Clone, PartialEq)]
pub struct HeatChart {
    pub title: String,
    pub row_label: String,
    pub column_label: String,
    pub rows: Vec<String>,
    pub columns: Vec<String>,
    /// `values[row][column]`.
    pub values: Vec<Vec<f64>>,
    pub format: Format,
}

/// Any chart kam draws.
#[derive(Debug, Clone, PartialEq)]
pub enum Chart {
    Bars(BarChart),
    Lines(LineChart),
    Scatter(ScatterChart),
    Heat(HeatChart),
}

impl Chart {
    pub fn title(&self) -> &str {
        match self {
            Chart::Bars(c) => &c.title,
            Chart::Lines(c) => &c.title,
            Chart::Scatter(c) => &c.title,
            Chart::Heat(c) => &c.title,
        }
    }
}

/// Draw `chart` on the caller's area in font `family` (see `fonts::family`).
pub fn draw<DB: DrawingBackend>(
    chart: &Chart,
    family: &str,
    area: &DrawingArea<DB, plotters::coord::Shift>,
) -> Result<()> {
    match chart {
        Chart::Bars(c) => draw::bars(c, family, area),
        Chart::Lines(c) => draw::lines(c, family, area),
        Chart::Scatter(c) => draw::scatter(c, family, area),
        Chart::Heat(c) => draw::heat(c, family, area),
    }
}

/// `chart` as PNG bytes and SVG text, [`SIZE`] pixels.
pub fn render(chart: &Chart, family: &str) -> Result<(Vec<u8>, String)> {
    render_with_footer(chart, family, "")
}

/// Height of the footer strip under a chart that has one.
const FOOTER: u32 = 30;

/// [`render`] with a one-line footer under the chart (what to read from it and the data's
/// date), so a chart embedded on its own still says it.
pub fn render_with_footer(chart: &Chart, family: &str, footer: &str) -> Result<(Vec<u8>, String)> {
    crate::report::fonts::register()?;
    let (w, h) = SIZE;
    let mut svg = String::new();
    {
        let area = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        draw_with_footer(chart, family, footer, &area)?;
        area.present().map_err(plot_error)?;
    }
    let mut rgb = vec![0u8; (w * h * 3) as usize];
    {
        let area = BitMapBackend::with_buffer(&mut rgb, SIZE).into_drawing_area();
        draw_with_footer(chart, family, footer, &area)?;
        area.present().map_err(plot_error)?;
    }
    Ok((encode_png(&rgb, w, h)?, svg))
}

fn draw_with_footer<DB: DrawingBackend>(
    chart: &Chart,
    family: &str,
    footer: &str,
    area: &DrawingArea<DB, plotters::coord::Shift>,
) -> Result<()> {
    if footer.is_empty() {
        return draw(chart, family, area);
    }
    let (upper, lower) = area.split_vertically(SIZE.1 - FOOTER);
    draw(chart, family, &upper)?;
    lower.fill(&WHITE).map_err(plot_error)?;
    let style = (family, 14).into_font().color(&RGBColor(0x55, 0x55, 0x55));
    lower
        .draw(&Text::new(footer.to_string(), (18, 6), style))
        .map_err(plot_error)
}

/// An RGB buffer as PNG bytes.
fn encode_png(rgb: &[u8], w: u32, h: u32) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, w, h);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        // Charts are mostly flat colour: adaptive filters make them about 4x smaller.
        // (Compression::Best is 5x slower again for a few percent.)
        enc.set_compression(png::Compression::Default);
        enc.set_adaptive_filter(png::AdaptiveFilterType::Adaptive);
        let mut writer = enc
            .write_header()
            .map_err(|e| Error::Internal(format!("PNG encoding: {e}")))?;
        writer
            .write_image_data(rgb)
            .map_err(|e| Error::Internal(format!("PNG encoding: {e}")))?;
    }
    Ok(out)
}

/// A plotters drawing error as kam's error.
pub fn plot_error<E: std::fmt::Display>(e: E) -> Error {
    Error::Internal(format!("drawing a chart failed: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_separators_and_percentages() {
        assert_eq!(thousands(1234567.8, 0), "1,234,568");
        assert_eq!(thousands(-1234.5, 1), "-1,234.5");
        assert_eq!(thousands(999.0, 0), "999");
        assert_eq!(thousands(-0.2, 0), "0");
        assert_eq!(Format::Percent.fmt(0.934), "93%");
        assert_eq!(Format::Percent.fmt(0.056), "5.6%");
        assert_eq!(Format::Thousands.fmt(41056700.0), "41,056,700");
        assert_eq!(Format::Thousands.fmt(0.5), "0.5");
    }

    #[test]
    fn render_writes_png_and_svg() -> Result<()> {
        let chart = Chart::Bars(BarChart {
            title: "t <&>".into(),
            category_label: "c".into(),
            value_label: "v".into(),
            categories: vec!["a".into(), "b".into()],
            series: vec![BarSeries {
                name: "s".into(),
                values: vec![1.0, 2.0],
            }],
            stacked: false,
            horizontal: false,
            format: Format::Thousands,
            reference: Some((1.5, "ref".into())),
        });
        let (png, svg) = render(&chart, crate::report::fonts::LATIN_FAMILY)?;
        assert_eq!(&png[1..4], b"PNG");
        assert!(svg.starts_with("<svg"), "{}", &svg[..40]);
        assert!(svg.contains("t &lt;&amp;&gt;"));
        Ok(())
    }
}
