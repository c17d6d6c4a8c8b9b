//! `kam segment`: k-means segments for any per-customer table.

use std::collections::BTreeMap;

use polars::prelude::*;

use super::{print, render, set};
use crate::cli::SegmentArgs;
use crate::config::DEFAULT_SEED;
use crate::error::{Error, Result};
use crate::pipeline::emit::write_all;
use crate::schema::{self as s, outputs as o};
use crate::segment::SegmentParams;
use crate::segment::stage::{SEGMENT, SEGMENT_NAME, segment};
use crate::stage::Line;

pub fn run(a: SegmentArgs, quiet: bool) -> Result<()> {
    let mut p = SegmentParams::default();
    if let Some(f) = &a.features {
        p.features = f
            .iter()
            .map(|c| c.trim().to_string())
            .filter(|c| !c.is_empty())
            .collect();
    }
    set(&mut p.transform, a.transform);
    set(&mut p.k, a.k.clone());
    set(&mut p.n_init, a.n_init);
    set(&mut p.max_iter, a.max_iter);
    set(&mut p.value_col, a.value_col.clone());
    let v = p.check()?;
    let seed = a.seed.unwrap_or(DEFAULT_SEED);
    let df = read_table(&a)?;
    // the same stage code as `kam run`: the segmentation, then its outputs
    let seg = segment(&df, &v, seed)?;
    let r = seg.report.clone();
    let notes: Vec<Line> = seg.notes.iter().map(Line::note).collect();
    let (labelled, mut out) = crate::segment::output::labelled(df, seg)?;
    out.table(&o::SEGMENTED, labelled);
    write_all(&out, &a.out)?;
    let mut lines = vec![
        Line::text(format!(
            "k = {} (silhouette {:.3}, inertia {:.1}, {} iterations, converged {}, stability ARI {:.3})",
            r.k, r.silhouette, r.inertia, r.iterations, r.converged, r.stability_ari
        )),
        Line::about(
            format!(
                "segments: {} customers placed, {} unplaced",
                r.customers_placed, r.customers_unplaced
            ),
            &[o::SEGMENTS.file],
        ),
    ];
    lines.extend(notes);
    print(&render(&lines, &a.out), quiet)
}

/// The per-customer table: the id as text, every other column as a number where all its
/// values are numbers (kam's own customers.csv round-trips this way). A CSV file's number
/// columns are parsed as it is read when that gives the same values (`io::numbers`), else
/// the columns are read as text and cast.
fn read_table(a: &SegmentArgs) -> Result<DataFrame> {
    let columns = BTreeMap::from([(s::CUSTOMER_ID.to_string(), a.id.clone())]);
    let df = super::read_numbers(&a.customers, columns, &a.id)?;
    if !df.get_column_names().iter().any(|c| c.as_str() == a.id) {
        return Err(Error::MissingColumn {
            file: a.customers.display().to_string(),
            column: "customer id".into(),
            file_column: a.id.clone(),
            found: df
                .get_column_names()
                .iter()
                .map(|c| c.to_string())
                .collect::<Vec<_>>()
                .join(", "),
        });
    }
    // labels of an earlier segmentation are replaced, not duplicated
    let kept: Vec<&Column> = df
        .columns()
        .iter()
        .filter(|c| c.name().as_str() != SEGMENT && c.name().as_str() != SEGMENT_NAME)
        .collect();
    // each column cast on its own, the columns on every core
    let cols = crate::par::map_tasks(kept.len(), |i| typed_column(kept[i], &a.id))?;
    Ok(DataFrame::new_infer_height(cols)?)
}

/// The id column as text named `customer_id`; any other column as a number when every present
/// value parses (a number column as it is), else as read.
fn typed_column(c: &Column, id: &str) -> Result<Column> {
    if c.name().as_str() == id {
        return Ok(c.cast(&DataType::String)?.with_name(s::CUSTOMER_ID.into()));
    }
    if c.dtype().is_primitive_numeric() {
        return Ok(c.clone());
    }
    let as_num = c.cast(&DataType::Float64)?;
    Ok(
        if c.dtype() != &DataType::String || as_num.null_count() == c.null_count() {
            as_num
        } else {
            c.clone()
        },
    )
}
