//! `kam run` and `kam validate`: the stages in order, each timed, outputs written through
//! [`crate::io::write`], and the manifest filled as the run goes. Rejects and the manifest are
//! written even when the data turns out unusable, so the user can see why.

use std::path::Path;
use std::time::Instant;

use crate::config::ValidConfig;
use crate::error::Result;
use crate::io::{load, write};
use crate::manifest::Manifest;
use crate::validate::{self, Validation};
use crate::{features, schema};

/// Reports stage progress to the user (a progress bar on a terminal, nothing otherwise).
pub trait Progress {
    fn stage(&self, name: &str);
}

/// A [`Progress`] that shows nothing.
pub struct Silent;
impl Progress for Silent {
    fn stage(&self, _: &str) {}
}

/// How far a run goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Load and validate only.
    Validate,
    /// The whole pipeline.
    Run,
}

/// The outcome of a run: the manifest (also written to disk) and a summary for the terminal.
pub struct Outcome {
    pub manifest: Manifest,
    pub summary: Vec<String>,
}

struct Timer<'a> {
    manifest: &'a mut Manifest,
}

impl Timer<'_> {
    fn time<T>(&mut self, stage: &str, f: impl FnOnce() -> Result<T>) -> Result<T> {
        let t0 = Instant::now();
        let out = f();
        self.manifest
            .timings_ms
            .insert(stage.into(), t0.elapsed().as_millis() as u64);
        out
    }
}

pub fn run(cfg: &ValidConfig, mode: Mode, progress: &dyn Progress) -> Result<Outcome> {
    let command = match mode {
        Mode::Validate => "validate",
        Mode::Run => "run",
    };
    let mut manifest = Manifest::new(
        command,
        cfg.config_path.display().to_string(),
        cfg.resolved.clone(),
        cfg.seed,
    );
    let out = cfg.out_dir.clone();
    let t_all = Instant::now();
    let mut timer = Timer {
        manifest: &mut manifest,
    };
    progress.stage("loading inputs");
    let raw = timer.time("load", || {
        cfg.inputs
            .iter()
            .map(load::load)
            .collect::<Result<Vec<_>>>()
    })?;
    progress.stage("validating rows");
    let v = timer.time("validate", || validate::validate(&raw, cfg))?;
    drop(raw);
    record_validation(&mut manifest, &v);
    let mut timer = Timer {
        manifest: &mut manifest,
    };
    progress.stage("writing rejects");
    let rejects = timer.time("write_rejects", || write_rejects(&v, &out))?;
    manifest.outputs.extend(rejects);

    let usable = v.transactions();
    let mut summary = summarize(&manifest, &v, &out);
    if let (Mode::Run, Ok(tx), Some(as_of)) = (mode, &usable, v.as_of) {
        progress.stage("computing customer features");
        let mut timer = Timer {
            manifest: &mut manifest,
        };
        let customers = v.table(schema::CUSTOMERS.name).map(|t| &t.clean);
        let table = timer.time("features", || {
            features::customer_table(tx, customers, as_of, cfg.time_unit)
        })?;
        progress.stage("writing outputs");
        timer.time("write_customers", || {
            write::csv(&table, &out.join("customers.csv"))?;
            write::parquet(&table, &out.join("customers.parquet"))
        })?;
        let n = table.height() as u64;
        manifest.outputs.insert("customers.csv".into(), n);
        manifest.outputs.insert("customers.parquet".into(), n);
        summary.push(format!(
            "customers: {n} rows -> {}",
            out.join("customers.csv").display()
        ));
    }
    manifest
        .timings_ms
        .insert("total".into(), t_all.elapsed().as_millis() as u64);
    write::json(&manifest, &out.join("manifest.json"))?;
    summary.push(format!("manifest: {}", out.join("manifest.json").display()));
    usable?;
    Ok(Outcome { manifest, summary })
}

fn record_validation(m: &mut Manifest, v: &Validation) {
    m.as_of = v.as_of.map(|d| d.to_string());
    for t in &v.tables {
        m.inputs.insert(t.spec.name.into(), t.file.clone());
        m.tables.insert(t.spec.name.into(), t.counts.clone());
        m.notes
            .extend(t.notes.iter().map(|n| format!("{}: {n}", t.spec.name)));
    }
}

fn write_rejects(v: &Validation, out: &Path) -> Result<Vec<(String, u64)>> {
    let mut written = Vec::new();
    for t in &v.tables {
        let name = format!("rejects/{}.csv", t.spec.name);
        write::csv(&t.rejects, &out.join(&name))?;
        written.push((name, t.rejects.height() as u64));
    }
    Ok(written)
}

fn summarize(m: &Manifest, v: &Validation, out: &Path) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some(a) = &m.as_of {
        lines.push(format!("as_of: {a}"));
    }
    for t in &v.tables {
        let c = &t.counts;
        let mut line = format!(
            "{}: {} read = {} used + {} rejected",
            t.spec.name, c.read, c.used, c.rejected
        );
        if c.rejected > 0 {
            line.push_str(&format!(
                " (see {})",
                out.join(format!("rejects/{}.csv", t.spec.name)).display()
            ));
        }
        lines.push(line);
        let mut top: Vec<(&String, &u64)> = c.rejected_by_check.iter().collect();
        top.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        for (check, n) in top.into_iter().take(5) {
            lines.push(format!("  {n:>8}  {check}"));
        }
    }
    lines.extend(m.notes.iter().map(|n| format!("note: {n}")));
    lines
}
