//! Heat maps: one coloured cell per (row, column), darker for larger values, the value
//! written in the cell.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{AXIS_TEXT, TITLE_SIZE, house_style};
use crate::error::Result;
use crate::report::charts::axis::KeyAxis;
use crate::report::charts::{HeatChart, plot_error};

/// The palette's first blue, from white (the smallest value) to full (the largest).
const FULL: (f64, f64, f64) = (31.0, 119.0, 180.0);

fn shade(v: f64, lo: f64, hi: f64) -> RGBColor {
    let t = if hi > lo { (v - lo) / (hi - lo) } else { 1.0 };
    let t = t.clamp(0.0, 1.0);
    let mix = |full: f64| (255.0 - t * (255.0 - full)).round() as u8;
    RGBColor(mix(FULL.0), mix(FULL.1), mix(FULL.2))
}

fn axis(n: usize) -> KeyAxis {
    KeyAxis {
        lo: 0.0,
        hi: n as f64,
        keys: (0..n).map(|i| i as f64 + 0.5).collect(),
    }
}

/// The cells of a [`HeatChart`]; rows listed from the top.
pub fn heat<DB: DrawingBackend>(
    c: &HeatChart,
    family: &str,
    area: &DrawingArea<DB, Shift>,
) -> Result<()> {
    area.fill(&WHITE).map_err(plot_error)?;
    let (nr, nc) = (c.rows.len().max(1), c.columns.len().max(1));
    let finite = c.values.iter().flatten().copied().filter(|v| v.is_finite());
    let (lo, hi) = finite.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
        (a.min(v), b.max(v))
    });
    let lo = lo.min(0.0);
    let longest = c.rows.iter().map(|s| s.chars().count()).max().unwrap_or(1) as u32;
    let longest = longest.min(36);
    // a column's name is cut to what its cell's width holds (about 7 px a character)
    let room = ((1000 - 30 - 8 * longest.min(36) as usize) / nc / 7).max(4);
    let col_name = |v: &f64| {
        let p = (v - 0.5).round();
        let name = (p >= 0.0)
            .then(|| c.columns.get(p as usize).cloned())
            .flatten()
            .unwrap_or_default();
        match name.chars().count() > room {
            true => name.chars().take(room - 3).collect::<String>() + "...",
            false => name,
        }
    };
    let row_name = |v: &f64| {
        let p = (v - 0.5).round();
        (p >= 0.0 && (p as usize) < nr)
            .then(|| c.rows.get(nr - 1 - p as usize).cloned())
            .flatten()
            .unwrap_or_default()
    };
    let mut b = ChartBuilder::on(area);
    b.caption(&c.title, (family, TITLE_SIZE))
        .margin(18)
        .x_label_area_size(60)
        .y_label_area_size((30 + 8 * longest).min(320) + 30);
    let mut ch = b
        .build_cartesian_2d(axis(nc), axis(nr))
        .map_err(plot_error)?;
    let mut mesh = ch.configure_mesh();
    mesh.disable_mesh()
        .x_labels(nc)
        .y_labels(nr)
        .x_label_formatter(&col_name)
        .y_label_formatter(&row_name)
        .x_desc(c.column_label.as_str())
        .y_desc(c.row_label.as_str());
    house_style(&mut mesh, family).draw().map_err(plot_error)?;
    let mut cells = Vec::new();
    let mut labels = Vec::new();
    for (i, row) in c.values.iter().enumerate().take(nr) {
        let y = (nr - 1 - i) as f64;
        for (j, v) in row.iter().enumerate().take(nc) {
            let x = j as f64;
            let fill = if v.is_finite() {
                shade(*v, lo, hi)
            } else {
                WHITE
            };
            cells.push(Rectangle::new([(x, y), (x + 1.0, y + 1.0)], fill.filled()));
            cells.push(Rectangle::new(
                [(x, y), (x + 1.0, y + 1.0)],
                WHITE.stroke_width(2),
            ));
            if v.is_finite() {
                let dark = hi > lo && (v - lo) / (hi - lo) > 0.6;
                let text = if dark { WHITE } else { AXIS_TEXT };
                labels.push(((x + 0.5, y + 0.5), c.format.fmt(*v), text));
            }
        }
    }
    ch.draw_series(cells).map_err(plot_error)?;
    draw_labels(&mut ch, labels, family)
}

/// The values written in their cells, centred.
fn draw_labels<'a, DB: DrawingBackend + 'a>(
    ch: &mut ChartContext<'a, DB, Cartesian2d<KeyAxis, KeyAxis>>,
    labels: Vec<((f64, f64), String, RGBColor)>,
    family: &str,
) -> Result<()> {
    ch.draw_series(labels.into_iter().map(|(pt, text, colour)| {
        let style = (family, 13).into_font().color(&colour);
        let w = 4 * text.chars().count() as i32;
        EmptyElement::at(pt) + Text::new(text, (-w, -7), style)
    }))
    .map_err(plot_error)?;
    Ok(())
}
