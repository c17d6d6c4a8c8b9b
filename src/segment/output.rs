//! The segmentation stage as the pipeline runs it: segment labels for the customer table,
//! `segments.csv` and `models/kmeans.json`. A company that cannot be segmented (too few
//! customers, no usable feature) gets a note; the rest of the run stands.

use polars::prelude::*;

use super::SegmentValid;
use super::stage::{Segmentation, segment};
use crate::error::Result;
use crate::schema::{self as s, outputs as o};
use crate::stage::{Line, StageOutput};

/// The customer table with `segment` and `segment_name` added (unchanged when segmentation
/// was not possible), and the stage's output.
pub fn run(table: DataFrame, v: &SegmentValid, seed: u64) -> Result<(DataFrame, StageOutput)> {
    match segment(&table, v, seed) {
        Ok(seg) => labelled(table, seg),
        Err(e) => Ok((
            table,
            StageOutput::note(format!("segment: not computed: {e}")),
        )),
    }
}

/// A segmentation as outputs: the table with its labels, `segments.csv`, `models/kmeans.json`
/// and the summary line.
pub fn labelled(table: DataFrame, seg: Segmentation) -> Result<(DataFrame, StageOutput)> {
    let mut out = StageOutput::default();
    let r = &seg.report;
    out.line(Line::about(
        format!(
            "segments: k = {} (silhouette {:.3}, stability ARI {:.3})",
            r.k, r.silhouette, r.stability_ari
        ),
        &[o::SEGMENTS.file],
    ));
    if !r.converged {
        out.add_note(format!(
            "segment: k-means stopped at max_iter ({} iterations) before the segments settled; \
             raise [segment] max_iter",
            r.iterations
        ));
    }
    for n in &seg.notes {
        out.add_note(n.clone());
    }
    out.model(&o::KMEANS_MODEL, &seg.report)?;
    let table = table.hstack(seg.labels.drop(s::CUSTOMER_ID)?.columns())?;
    out.table(&o::SEGMENTS, seg.segments);
    Ok((table, out))
}
