//! Line charts with shaded bands.

use plotters::coord::Shift;
use plotters::coord::ranged1d::Ranged;
use plotters::prelude::*;

use super::{TITLE_SIZE, colour, house_style, legend};
use crate::error::Result;
use crate::report::charts::axis::{KeyAxis, padded, ticks};
use crate::report::charts::{LineChart, plot_error};

/// Lines and shaded bands of a [`LineChart`].
pub fn lines<DB: DrawingBackend>(
    c: &LineChart,
    family: &str,
    area: &DrawingArea<DB, Shift>,
) -> Result<()> {
    area.fill(&WHITE).map_err(plot_error)?;
    let (x0, x1) = x_range(c);
    let (y0, y1) = y_range(c);
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
    let mut mesh = ch.configure_mesh();
    mesh.x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt)
        .y_labels(8)
        .x_desc(c.x_label.as_str())
        .y_desc(c.y_label.as_str());
    house_style(&mut mesh, family).draw().map_err(plot_error)?;
    draw_series(&mut ch, c)?;
    legend(&mut ch, family, SeriesLabelPosition::UpperLeft)
}

/// The x axis: the span of every line and band point; 0..1 when there is none.
fn x_range(c: &LineChart) -> (f64, f64) {
    let xs = c
        .lines
        .iter()
        .flat_map(|l| l.points.iter().map(|p| p.0))
        .chain(c.bands.iter().flat_map(|b| b.points.iter().map(|p| p.0)));
    let (x0, x1) = xs.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), x| {
        (a.min(x), b.max(x))
    });
    if x0.is_finite() && x1 > x0 {
        (x0, x1)
    } else {
        (0.0, 1.0)
    }
}

/// The y axis: from 0 (or the lowest value) to the highest line or band value, padded.
fn y_range(c: &LineChart) -> (f64, f64) {
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
    padded(y0, y1)
}

/// The bands, shaded, each in the colour of the line after its index; then the lines, solid
/// or dashed.
fn draw_series<'a, DB, X, Y>(
    ch: &mut ChartContext<'a, DB, Cartesian2d<X, Y>>,
    c: &LineChart,
) -> Result<()>
where
    DB: DrawingBackend + 'a,
    X: Ranged<ValueType = f64>,
    Y: Ranged<ValueType = f64>,
{
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
    Ok(())
}
