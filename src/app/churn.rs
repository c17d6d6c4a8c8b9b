//! `kam churn`: the labelled churn mode on any customer table.

use std::collections::BTreeMap;

use polars::prelude::*;

use super::print;
use crate::churn::{ChurnParams, ModelChoice, labelled};
use crate::cli::ChurnArgs;
use crate::config::{Delimiter, Encoding, Format, ValidInput};
use crate::error::Result;
use crate::io::{load, write};
use crate::schema as s;

pub fn run(a: ChurnArgs, quiet: bool) -> Result<()> {
    let p = ChurnParams {
        folds: a.folds,
        model: match a.model.as_str() {
            "logistic" => ModelChoice::Logistic,
            "trees" => ModelChoice::Trees,
            _ => ModelChoice::Auto,
        },
        ..ChurnParams::default()
    }
    .check()?;
    let df = read_any(&a.customers)?;
    let out = labelled::run(
        &df,
        a.id.as_deref(),
        &a.label,
        a.positive.as_deref(),
        &p,
        a.seed,
    )?;
    write::csv(&out.scores, &a.out.join("churn.csv"))?;
    write::json(&out.report, &a.out.join("models/churn.json"))?;
    let mut lines = vec![];
    if !out.blank_label_rows.is_empty() {
        let rej = df!(
            s::ROW => out.blank_label_rows.iter().map(|r| *r as u64).collect::<Vec<_>>(),
            s::REASON => vec![format!("label '{}' is blank", a.label); out.blank_label_rows.len()],
        )?;
        write::csv(&rej, &a.out.join("rejects.csv"))?;
        lines.push(format!(
            "{} rows with a blank label left out -> {}",
            out.blank_label_rows.len(),
            a.out.join("rejects.csv").display()
        ));
    }
    let r = &out.report;
    for c in &r.candidates {
        lines.push(format!(
            "{}: {}-fold AUC {:.4} (folds {})",
            c.model,
            c.auc_folds.len(),
            c.auc,
            c.auc_folds
                .iter()
                .map(|v| format!("{v:.3}"))
                .collect::<Vec<_>>()
                .join(" ")
        ));
    }
    lines.push(format!(
        "model: {} ({}); PR AUC {:.3}, top-decile lift {:.2}, Brier {:.4}",
        r.model, r.chosen_by, r.metrics.pr_auc, r.metrics.top_decile_lift, r.metrics.brier
    ));
    if !r.dropped_columns.is_empty() {
        lines.push(format!(
            "left out: {}",
            r.dropped_columns
                .iter()
                .map(|d| format!("{} ({})", d.column, d.reason))
                .collect::<Vec<_>>()
                .join("; ")
        ));
    }
    lines.push(format!(
        "scored {} customers -> {}",
        out.scores.height(),
        a.out.join("churn.csv").display()
    ));
    print(&lines, quiet)
}

/// Any table as loaded (CSV as text, Parquet with its types, XLSX), without the internal row
/// column.
fn read_any(path: &std::path::Path) -> Result<DataFrame> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let vi = ValidInput {
        table: &s::CUSTOMERS,
        path: path.to_path_buf(),
        format: match ext.as_str() {
            "parquet" => Format::Parquet,
            "xlsx" => Format::Xlsx,
            _ => Format::Csv,
        },
        delimiter: Delimiter::Byte(b','),
        has_header: true,
        encoding: Encoding::Utf8,
        date_format: None,
        sheet: None,
        columns: BTreeMap::new(),
    };
    let raw = load::load(&vi)?;
    Ok(raw.frame.collect()?.drop(load::ROW_INTERNAL)?)
}
