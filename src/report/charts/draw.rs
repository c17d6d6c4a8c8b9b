//! Drawing of the three chart models on a plotters drawing area. Pixel work only: every
//! number drawn comes from the model, which the `*_chart` functions build and test.

use plotters::coord::Shift;
use plotters::coord::ranged1d::Ranged;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

use super::axis::{KeyAxis, padded, ticks};
use super::{BarChart, Format, LineChart, PALETTE, REFERENCE, ScatterChart, plot_error};
use crate::error::Result;

const TITLE_SIZE: u32 = 24;
const LABEL_SIZE: u32 = 14;
const DESC_SIZE: u32 = 16;
const GRID_LIGHT: RGBColor = RGBColor(0xEE, 0xEE, 0xEE);
const GRID_BOLD: RGBColor = RGBColor(0xD0, 0xD0, 0xD0);
const AXIS_TEXT: RGBColor = RGBColor(0x33, 0x33, 0x33);

fn colour(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

/// Category positions: the centre of category `i` is at `pos + 0.5`; horizontal charts list
/// the first category at the top.
fn position(i: usize, n: usize, horizontal: bool) -> f64 {
    if horizontal {
        (n - 1 - i) as f64
    } else {
        i as f64
    }
}

/// Bars of a [`BarChart`], with the reference line, value labels and a legend.
pub fn bars<DB: DrawingBackend>(
    c: &BarChart,
    family: &str,
    area: &DrawingArea<DB, Shift>,
) -> Result<()> {
    area.fill(&WHITE).map_err(plot_error)?;
    let n = c.categories.len().max(1);
    let mut lo = 0f64;
    let mut hi = c.reference.as_ref().map_or(0.0, |r| r.0);
    for i in 0..c.categories.len() {
        let vals = c.series.iter().filter_map(|s| s.values.get(i).copied());
        if c.stacked {
            hi = hi.max(vals.filter(|v| v.is_finite()).sum());
        } else {
            for v in vals.filter(|v| v.is_finite()) {
                lo = lo.min(v);
                hi = hi.max(v);
            }
        }
    }
    let (lo, hi) = padded(lo, hi);
    let keys: Vec<f64> = (0..n).map(|i| i as f64 + 0.5).collect();
    let cats = KeyAxis {
        lo: 0.0,
        hi: n as f64,
        keys,
    };
    let horizontal = c.horizontal;
    let name_at = |v: &f64| -> String {
        let p = (v - 0.5).round();
        if p < 0.0 || p as usize >= n {
            return String::new();
        }
        let i = if horizontal {
            n - 1 - p as usize
        } else {
            p as usize
        };
        c.categories.get(i).cloned().unwrap_or_default()
    };
    let fmt = c.format;
    let value_fmt = move |v: &f64| fmt.fmt(*v);
    let longest = c
        .categories
        .iter()
        .map(|s| s.chars().count())
        .max()
        .unwrap_or(1) as u32;
    let mut b = ChartBuilder::on(area);
    b.caption(&c.title, (family, TITLE_SIZE)).margin(18);
    if horizontal {
        b.x_label_area_size(50)
            .y_label_area_size((30 + 8 * longest).min(320) + 30);
        let mut ch = b.build_cartesian_2d(lo..hi, cats).map_err(plot_error)?;
        ch.configure_mesh()
            .disable_y_mesh()
            .x_labels(8)
            .y_labels(n)
            .x_label_formatter(&value_fmt)
            .y_label_formatter(&name_at)
            .x_desc(c.value_label.as_str())
            .y_desc(c.category_label.as_str())
            .label_style((family, LABEL_SIZE).into_font().color(&AXIS_TEXT))
            .axis_desc_style((family, DESC_SIZE))
            .light_line_style(GRID_LIGHT)
            .bold_line_style(GRID_BOLD)
            .draw()
            .map_err(plot_error)?;
        bar_body(&mut ch, c, family, (lo, hi), |cat, val| (val, cat))
    } else {
        b.x_label_area_size(if longest > 12 { 90 } else { 60 })
            .y_label_area_size(100);
        let mut ch = b.build_cartesian_2d(cats, lo..hi).map_err(plot_error)?;
        let mut mesh = ch.configure_mesh();
        mesh.disable_x_mesh()
            .x_labels(n)
            .y_labels(8)
            .x_label_formatter(&name_at)
            .y_label_formatter(&value_fmt)
            .x_desc(c.category_label.as_str())
            .y_desc(c.value_label.as_str())
            .label_style((family, LABEL_SIZE).into_font().color(&AXIS_TEXT))
            .axis_desc_style((family, DESC_SIZE))
            .light_line_style(GRID_LIGHT)
            .bold_line_style(GRID_BOLD);
        if longest > 12 && n > 4 {
            mesh.x_label_style(
                (family, LABEL_SIZE)
                    .into_font()
                    .color(&AXIS_TEXT)
                    .transform(FontTransform::Rotate90),
            );
        }
        mesh.draw().map_err(plot_error)?;
        bar_body(&mut ch, c, family, (lo, hi), |cat, val| (cat, val))
    }
}

/// The rectangles, value labels, reference line and legend of a bar chart; `xy` maps
/// (category position, value) to the chart's (x, y).
fn bar_body<'a, DB, X, Y>(
    ch: &mut ChartContext<'a, DB, Cartesian2d<X, Y>>,
    c: &BarChart,
    family: &str,
    range: (f64, f64),
    xy: impl Fn(f64, f64) -> (f64, f64) + Copy,
) -> Result<()>
where
    DB: DrawingBackend + 'a,
    X: Ranged<ValueType = f64>,
    Y: Ranged<ValueType = f64>,
{
    let n = c.categories.len();
    let k = c.series.len().max(1);
    let width = if c.stacked { 0.7 } else { 0.8 / k as f64 };
    let label_values = !c.stacked && k <= 2 && n <= 16;
    let mut base = vec![0f64; n];
    for (j, s) in c.series.iter().enumerate() {
        let col = colour(j);
        let mut rects = Vec::new();
        let mut labels = Vec::new();
        for (i, v) in s.values.iter().enumerate().take(n) {
            if !v.is_finite() {
                continue;
            }
            let p = position(i, n, c.horizontal);
            let (a, v0, v1) = if c.stacked {
                let v0 = base[i];
                base[i] += v;
                (p + 0.15, v0, v0 + v)
            } else {
                // Horizontal charts list the first series on top, as the legend does.
                let slot = if c.horizontal { k - 1 - j } else { j };
                (p + 0.1 + slot as f64 * width, 0.0, *v)
            };
            rects.push(Rectangle::new([xy(a, v0), xy(a + width, v1)], col.filled()));
            if label_values {
                labels.push((xy(a + width / 2.0, *v), c.format.fmt(*v)));
            }
        }
        ch.draw_series(rects)
            .map_err(plot_error)?
            .label(s.name.as_str())
            .legend(move |(x, y)| Rectangle::new([(x, y - 6), (x + 12, y + 6)], col.filled()));
        let style = (family, 12).into_font().color(&AXIS_TEXT);
        let horizontal = c.horizontal;
        ch.draw_series(labels.into_iter().map(|(pt, text)| {
            let offset = if horizontal {
                (4, -6)
            } else {
                (-4 * text.chars().count() as i32, -16)
            };
            EmptyElement::at(pt) + Text::new(text, offset, style.clone())
        }))
        .map_err(plot_error)?;
    }
    if let Some((r, name)) = &c.reference {
        let r = r.clamp(range.0, range.1);
        ch.draw_series(LineSeries::new(
            [xy(0.0, r), xy(n.max(1) as f64, r)],
            REFERENCE.stroke_width(2),
        ))
        .map_err(plot_error)?
        .label(name.as_str())
        .legend(|(x, y)| PathElement::new([(x, y), (x + 14, y)], REFERENCE.stroke_width(2)));
    }
    legend(
        ch,
        family,
        if c.horizontal {
            SeriesLabelPosition::LowerRight
        } else {
            SeriesLabelPosition::UpperRight
        },
    )
}

fn legend<'a, DB, X, Y>(
    ch: &mut ChartContext<'a, DB, Cartesian2d<X, Y>>,
    family: &str,
    at: SeriesLabelPosition,
) -> Result<()>
where
    DB: DrawingBackend + 'a,
    X: Ranged,
    Y: Ranged,
{
    ch.configure_series_labels()
        .position(at)
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK.mix(0.3))
        .label_font((family, LABEL_SIZE))
        .draw()
        .map_err(plot_error)
}

/// Lines and shaded bands of a [`LineChart`].
pub fn lines<DB: DrawingBackend>(
    c: &LineChart,
    family: &str,
    area: &DrawingArea<DB, Shift>,
) -> Result<()> {
    area.fill(&WHITE).map_err(plot_error)?;
    let xs = c
        .lines
        .iter()
        .flat_map(|l| l.points.iter().map(|p| p.0))
        .chain(c.bands.iter().flat_map(|b| b.points.iter().map(|p| p.0)));
    let (x0, x1) = xs.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), x| {
        (a.min(x), b.max(x))
    });
    let (x0, x1) = if x0.is_finite() && x1 > x0 {
        (x0, x1)
    } else {
        (0.0, 1.0)
    };
    let ys = c
        .lines
        .iter()
        .flat_map(|l| l.points.iter().map(|p| p.1))
        .chain(
            c.bands
                .iter()
                .flat_map(|b| b.points.iter().flat_map(|p| [p.1, p.2])),
        )
        .filter(|y| y.is_finite());
    let (y0, y1) = ys.fold((0f64, f64::NEG_INFINITY), |(a, b), y| (a.min(y), b.max(y)));
    let (y0, y1) = padded(y0, y1);
    let named = !c.x_names.is_empty();
    let keys = ticks(x0, x1, if named { 12 } else { 11 }, named);
    let xf = c.x_format;
    let x_fmt = |v: &f64| -> String {
        if named {
            let i = v.round();
            if i >= 0.0 && (v - i).abs() < 1e-9 {
                return c.x_names.get(i as usize).cloned().unwrap_or_default();
            }
            return String::new();
        }
        xf.fmt(*v)
    };
    let yf = c.y_format;
    let y_fmt = move |v: &f64| yf.fmt(*v);
    let mut ch = ChartBuilder::on(area)
        .caption(&c.title, (family, TITLE_SIZE))
        .margin(18)
        .margin_right(40)
        .x_label_area_size(60)
        .y_label_area_size(110)
        .build_cartesian_2d(
            KeyAxis {
                lo: x0,
                hi: x1,
                keys,
            },
            y0..y1,
        )
        .map_err(plot_error)?;
    ch.configure_mesh()
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt)
        .y_labels(8)
        .x_desc(c.x_label.as_str())
        .y_desc(c.y_label.as_str())
        .label_style((family, LABEL_SIZE).into_font().color(&AXIS_TEXT))
        .axis_desc_style((family, DESC_SIZE))
        .light_line_style(GRID_LIGHT)
        .bold_line_style(GRID_BOLD)
        .draw()
        .map_err(plot_error)?;
    for (j, band) in c.bands.iter().enumerate() {
        let col = colour(j + 1);
        let mut poly: Vec<(f64, f64)> = band.points.iter().map(|p| (p.0, p.1)).collect();
        poly.extend(band.points.iter().rev().map(|p| (p.0, p.2)));
        ch.draw_series(std::iter::once(Polygon::new(poly, col.mix(0.25).filled())))
            .map_err(plot_error)?
            .label(band.name.as_str())
            .legend(move |(x, y)| {
                Rectangle::new([(x, y - 6), (x + 12, y + 6)], col.mix(0.25).filled())
            });
    }
    for (j, line) in c.lines.iter().enumerate() {
        let col = colour(j);
        let style = col.stroke_width(2);
        if line.dashed {
            ch.draw_series(DashedLineSeries::new(
                line.points.iter().copied(),
                8,
                5,
                style,
            ))
            .map_err(plot_error)?
            .label(line.name.as_str())
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 14, y)], col.stroke_width(2)));
        } else {
            ch.draw_series(LineSeries::new(line.points.iter().copied(), style))
                .map_err(plot_error)?
                .label(line.name.as_str())
                .legend(move |(x, y)| PathElement::new([(x, y), (x + 14, y)], col.stroke_width(2)));
        }
    }
    legend(&mut ch, family, SeriesLabelPosition::UpperLeft)
}

/// Points of a [`ScatterChart`], coloured by group.
pub fn scatter<DB: DrawingBackend>(
    c: &ScatterChart,
    family: &str,
    area: &DrawingArea<DB, Shift>,
) -> Result<()> {
    area.fill(&WHITE).map_err(plot_error)?;
    let pts = || {
        c.groups
            .iter()
            .flat_map(|g| g.1.iter())
            .filter(|p| !c.log_y || p.1 > 0.0)
    };
    let (x0, x1) = pts().fold((0f64, f64::NEG_INFINITY), |(a, b), p| {
        (a.min(p.0), b.max(p.0))
    });
    let (x0, x1) = padded(x0, x1);
    let ymin = pts().map(|p| p.1).fold(f64::INFINITY, f64::min);
    let ymax = pts().map(|p| p.1).fold(f64::NEG_INFINITY, f64::max);
    let mut b = ChartBuilder::on(area);
    b.caption(&c.title, (family, TITLE_SIZE))
        .margin(18)
        .x_label_area_size(60)
        .y_label_area_size(110);
    if c.log_y {
        let (lo, hi) = if ymin.is_finite() && ymax > ymin {
            (ymin * 0.8, ymax * 1.25)
        } else {
            (1.0, 10.0)
        };
        let ch = b
            .build_cartesian_2d(x0..x1, (lo..hi).log_scale())
            .map_err(plot_error)?;
        scatter_body(ch, c, family)
    } else {
        let (lo, hi) = padded(ymin.min(0.0), ymax);
        let ch = b.build_cartesian_2d(x0..x1, lo..hi).map_err(plot_error)?;
        scatter_body(ch, c, family)
    }
}

fn scatter_body<'a, DB, Y>(
    mut ch: ChartContext<'a, DB, Cartesian2d<RangedCoordf64, Y>>,
    c: &ScatterChart,
    family: &str,
) -> Result<()>
where
    DB: DrawingBackend + 'a,
    Y: Ranged<ValueType = f64> + plotters::coord::ranged1d::ValueFormatter<f64>,
{
    let xf: Format = c.x_format;
    let yf: Format = c.y_format;
    let x_fmt = move |v: &f64| xf.fmt(*v);
    let y_fmt = move |v: &f64| yf.fmt(*v);
    ch.configure_mesh()
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt)
        .x_desc(c.x_label.as_str())
        .y_desc(c.y_label.as_str())
        .label_style((family, LABEL_SIZE).into_font().color(&AXIS_TEXT))
        .axis_desc_style((family, DESC_SIZE))
        .light_line_style(GRID_LIGHT)
        .bold_line_style(GRID_BOLD)
        .draw()
        .map_err(plot_error)?;
    for (j, (name, points)) in c.groups.iter().enumerate() {
        let col = colour(j);
        let shown = points.iter().filter(|p| !c.log_y || p.1 > 0.0);
        ch.draw_series(shown.map(|p| Circle::new(*p, 3, col.mix(0.65).filled())))
            .map_err(plot_error)?
            .label(name.as_str())
            .legend(move |(x, y)| Circle::new((x + 6, y), 5, col.filled()));
    }
    legend(&mut ch, family, SeriesLabelPosition::UpperRight)
}
