//! `kam churn`: the labelled churn mode on any customer table.

use std::collections::BTreeMap;

use polars::prelude::*;

use super::{print, render, set};
use crate::churn::{ChurnParams, labelled};
use crate::cli::ChurnArgs;
use crate::config::DEFAULT_SEED;
use crate::error::Result;
use crate::pipeline::emit::write_all;
use crate::schema::{self as s, outputs as o};
use crate::stage::{Line, StageOutput};

pub fn run(a: ChurnArgs, quiet: bool) -> Result<()> {
    let mut p = ChurnParams::default();
    set(&mut p.folds, a.folds);
    set(&mut p.model, a.model);
    let p = p.check()?;
    let seed = a.seed.unwrap_or(DEFAULT_SEED);
    let df = super::read_any(&a.customers, BTreeMap::new())?;
    let out = labelled::run(
        &df,
        a.id.as_deref(),
        &a.label,
        a.positive.as_deref(),
        &p,
        seed,
    )?;
    let mut files = StageOutput::default();
    files.model(&o::CHURN_MODEL, &out.report)?;
    let mut lines = vec![];
    if !out.blank_label_rows.is_empty() {
        let rej = df!(
            s::ROW => out.blank_label_rows.iter().map(|r| *r as u64).collect::<Vec<_>>(),
            s::REASON => vec![format!("label '{}' is blank", a.label); out.blank_label_rows.len()],
        )?;
        files.table(&o::CHURN_REJECTS, rej);
        lines.push(Line::about(
            format!(
                "{} rows with a blank label left out",
                out.blank_label_rows.len()
            ),
            &[o::CHURN_REJECTS.file],
        ));
    }
    let r = &out.report;
    for c in &r.candidates {
        lines.push(Line::text(format!(
            "{}: {}-fold AUC {:.4} (folds {})",
            c.model,
            c.auc_folds.len(),
            c.auc,
            c.auc_folds
                .iter()
                .map(|v| format!("{v:.3}"))
                .collect::<Vec<_>>()
                .join(" ")
        )));
    }
    lines.push(Line::text(format!(
        "model: {} ({}); PR AUC {:.3}, top-decile lift {:.2}, Brier {:.4}",
        r.model, r.chosen_by, r.metrics.pr_auc, r.metrics.top_decile_lift, r.metrics.brier
    )));
    if !r.dropped_columns.is_empty() {
        lines.push(Line::text(format!(
            "left out: {}",
            r.dropped_columns
                .iter()
                .map(|d| format!("{} ({})", d.column, d.reason))
                .collect::<Vec<_>>()
                .join("; ")
        )));
    }
    lines.push(Line::about(
        format!("scored {} customers", out.scores.height()),
        &[o::CHURN_SCORES.file],
    ));
    files.table(&o::CHURN_SCORES, out.scores);
    write_all(&files, &a.out)?;
    print(&render(&lines, &a.out), quiet)
}
