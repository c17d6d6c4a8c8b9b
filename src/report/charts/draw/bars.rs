//! Bar charts: grouped or stacked, vertical or horizontal, with a reference line.

use plotters::coord::Shift;
use plotters::coord::ranged1d::Ranged;
use plotters::prelude::*;

use super::{AXIS_TEXT, LABEL_SIZE, TITLE_SIZE, colour, house_style, legend};
use crate::error::Result;
use crate::report::charts::axis::{KeyAxis, padded};
use crate::report::charts::{BarChart, REFERENCE, plot_error};

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
    let (lo, hi) = value_range(c);
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
        let mut mesh = ch.configure_mesh();
        mesh.disable_y_mesh()
            .x_labels(8)
            .y_labels(n)
            .x_label_formatter(&value_fmt)
            .y_label_formatter(&name_at)
            .x_desc(c.value_label.as_str())
            .y_desc(c.category_label.as_str());
        house_style(&mut mesh, family).draw().map_err(plot_error)?;
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
            .y_desc(c.value_label.as_str());
        house_style(&mut mesh, family);
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

/// The value axis: from the lowest value (or 0) to the highest value, stacked total or
/// reference line, padded.
fn value_range(c: &BarChart) -> (f64, f64) {
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
    padded(lo, hi)
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
