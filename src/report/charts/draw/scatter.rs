//! Scatter charts, coloured by group, on a linear or log value axis.

use plotters::coord::Shift;
use plotters::coord::ranged1d::Ranged;
use plotters::prelude::*;

use super::{TITLE_SIZE, colour, house_style, legend};
use plotters::coord::types::RangedCoordf64;

use crate::error::Result;
use crate::report::charts::axis::padded;
use crate::report::charts::{Format, ScatterChart, plot_error};

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
    let mut mesh = ch.configure_mesh();
    mesh.x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt)
        .x_desc(c.x_label.as_str())
        .y_desc(c.y_label.as_str());
    house_style(&mut mesh, family).draw().map_err(plot_error)?;
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
