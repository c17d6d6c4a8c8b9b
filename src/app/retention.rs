//! `kam retention`: contractual retention by cohort from a table of survivor counts.

use std::collections::BTreeMap;
use std::path::Path;

use polars::prelude::*;

use super::{print, render};
use crate::cli::RetentionArgs;
use crate::error::{Error, Result};
use crate::pipeline::emit::write_all;
use crate::schema::outputs as o;
use crate::stage::{Line, StageOutput};
use crate::value::retention::{Cohort, Settings, project};

pub fn run(a: RetentionArgs, quiet: bool) -> Result<()> {
    let settings = Settings {
        horizon: a.horizon,
        discount_rate: a.discount_rate,
    }
    .check()?;
    let df = super::read_any(&a.cohorts, BTreeMap::new())?;
    let cols = [&a.cohort_col, &a.period_col, &a.customers_col];
    let cohorts = cohorts_of(&df, cols, &a.cohorts)?;
    let r = project(&cohorts, settings)?;
    let mut files = StageOutput::default();
    let report = serde_json::json!({
        "model": "shifted-beta-geometric (Fader & Hardie 2007)",
        "discount_rate": settings.discount_rate,
        "cohorts": r.fits,
    });
    files.model(&o::SBG_MODEL, &report)?;
    let mut lines = Vec::new();
    for f in &r.fits {
        let m = &f.model;
        lines.push(Line::text(format!(
            "{}: {} customers over {} periods; alpha {:.3}, beta {:.3} ({}); retention {:.1}% in period 1, {:.1}% in period {}; a new customer's discounted residual lifetime {:.2} periods",
            f.cohort,
            m.customers,
            f.periods,
            m.alpha,
            m.beta,
            m.convergence.reason,
            100.0 * m.retention_rate(1),
            100.0 * m.retention_rate(settings.horizon),
            settings.horizon,
            f.derl_new_customer
        )));
    }
    lines.push(Line::about(
        format!("{} cohorts fitted and projected", r.fits.len()),
        &[o::RETENTION.file, o::SBG_MODEL.file],
    ));
    files.table(&o::RETENTION, r.table);
    write_all(&files, &a.out)?;
    print(&render(&lines, &a.out), quiet)
}

/// The cohorts in order of first appearance, each with its survivors by period. A blank or
/// unreadable value, a repeated or missing period stops the command naming the file, the
/// 1-based data row and the column.
fn cohorts_of(df: &DataFrame, cols: [&String; 3], path: &Path) -> Result<Vec<Cohort>> {
    let text = |name: &String| -> Result<StringChunked> {
        let c = df.column(name).map_err(|_| {
            Error::input(
                path,
                format!("has no column '{name}' (columns: {})", names(df)),
            )
        })?;
        Ok(c.cast(&DataType::String)?.str()?.clone())
    };
    let (cohort, period, count) = (text(cols[0])?, text(cols[1])?, text(cols[2])?);
    let at = |row: usize, col: &String, msg: String| {
        Error::input(path, format!("row {}, column '{col}': {msg}", row + 1))
    };
    let mut order: Vec<String> = Vec::new();
    let mut by_cohort: BTreeMap<String, BTreeMap<u32, (f64, usize)>> = BTreeMap::new();
    for row in 0..df.height() {
        let name = cohort.get(row).map(str::trim).unwrap_or("");
        if name.is_empty() {
            return Err(at(row, cols[0], "the cohort is blank".into()));
        }
        let raw = period.get(row).map(str::trim).unwrap_or("");
        let t: u32 = raw.parse().map_err(|_| {
            at(
                row,
                cols[1],
                format!("'{raw}' is not a whole number of periods >= 0"),
            )
        })?;
        let raw = count.get(row).map(str::trim).unwrap_or("");
        let n: f64 = raw
            .parse()
            .ok()
            .filter(|v: &f64| v.is_finite() && *v >= 0.0)
            .ok_or_else(|| at(row, cols[2], format!("'{raw}' is not a count >= 0")))?;
        let periods = by_cohort.entry(name.to_string()).or_insert_with(|| {
            order.push(name.to_string());
            BTreeMap::new()
        });
        if let Some((_, first)) = periods.insert(t, (n, row)) {
            return Err(at(
                row,
                cols[1],
                format!("cohort '{name}' has period {t} already (row {})", first + 1),
            ));
        }
    }
    if order.is_empty() {
        return Err(Error::input(path, "has no rows"));
    }
    order
        .into_iter()
        .map(|name| {
            let periods = by_cohort.remove(&name).unwrap_or_default();
            if let Some((i, t)) = periods.keys().enumerate().find(|(i, t)| **t != *i as u32) {
                return Err(Error::input(
                    path,
                    format!(
                        "cohort '{name}' has no period {i} (its periods run 0, 1, 2, ... without gaps; the next given is {t})"
                    ),
                ));
            }
            Ok(Cohort {
                name,
                survivors: periods.into_values().map(|(n, _)| n).collect(),
            })
        })
        .collect()
}

fn names(df: &DataFrame) -> String {
    df.get_column_names()
        .iter()
        .map(|n| n.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}
