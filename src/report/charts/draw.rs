//! Drawing of the three chart models on a plotters drawing area. Pixel work only: every
//! number drawn comes from the model, which the `*_chart` functions build and test. One
//! module per model ([`bars`], [`lines`], [`scatter`]); the house style they share is here.

use plotters::chart::MeshStyle;
use plotters::coord::ranged1d::{Ranged, ValueFormatter};
use plotters::prelude::*;

use super::{PALETTE, plot_error};
use crate::error::Result;

mod bars;
mod heat;
mod lines;
mod scatter;

pub use bars::bars;
pub use heat::heat;
pub use lines::lines;
pub use scatter::scatter;

const TITLE_SIZE: u32 = 24;
const LABEL_SIZE: u32 = 14;
const DESC_SIZE: u32 = 16;
const GRID_LIGHT: RGBColor = RGBColor(0xEE, 0xEE, 0xEE);
const GRID_BOLD: RGBColor = RGBColor(0xD0, 0xD0, 0xD0);
const AXIS_TEXT: RGBColor = RGBColor(0x33, 0x33, 0x33);

fn colour(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

/// The house style of a mesh: label and axis-description fonts, grid colours. (A later
/// `x_label_style` overrides the label font of the x axis.)
fn house_style<'m, 'a, 'b, X, Y, XT, YT, DB>(
    mesh: &'m mut MeshStyle<'a, 'b, X, Y, DB>,
    family: &'b str,
) -> &'m mut MeshStyle<'a, 'b, X, Y, DB>
where
    X: Ranged<ValueType = XT> + ValueFormatter<XT>,
    Y: Ranged<ValueType = YT> + ValueFormatter<YT>,
    DB: DrawingBackend,
{
    mesh.label_style((family, LABEL_SIZE).into_font().color(&AXIS_TEXT))
        .axis_desc_style((family, DESC_SIZE))
        .light_line_style(GRID_LIGHT)
        .bold_line_style(GRID_BOLD)
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
