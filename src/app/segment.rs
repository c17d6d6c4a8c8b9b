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

/// The per-customer table, read as text and cast: the id as text, every other column to a
/// number where all its values are numbers (kam's own customers.csv round-trips this way).
fn read_table(a: &SegmentArgs) -> Result<DataFrame> {
    let columns = BTreeMap::from([(s::CUSTOMER_ID.to_string(), a.id.clone())]);
    let df = super::read_any(&a.customers, columns)?;
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
    let mut cols: Vec<Column> = Vec::new();
    for c in df.columns() {
        let name = c.name().to_string();
        // labels of an earlier segmentation are replaced, not duplicated
        if name == SEGMENT || name == SEGMENT_NAME {
            continue;
        }
        if name == a.id {
            cols.push(c.cast(&DataType::String)?.with_name(s::CUSTOMER_ID.into()));
            continue;
        }
        let as_num = c.cast(&DataType::Float64)?;
        // numeric when every present value parses
        if c.dtype() != &DataType::String || as_num.null_count() == c.null_count() {
            cols.push(if c.dtype().is_primitive_numeric() {
                c.clone()
            } else {
                as_num
            });
        } else {
            cols.push(c.clone());
        }
    }
    Ok(DataFrame::new_infer_height(cols)?)
}
