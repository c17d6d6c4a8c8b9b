//! The one place a run's results reach the disk: every [`StageOutput`] is written through
//! [`crate::io::write`] (atomically), recorded in the manifest with its row count, and its
//! summary lines kept in order for the terminal and the report. Tables are rounded once, as
//! written, and kept: the report is built from exactly what the files hold.

use std::path::{Path, PathBuf};
use std::time::Instant;

use polars::prelude::DataFrame;

use crate::config::ValidConfig;
use crate::error::{Error, Result};
use crate::io::write;
use crate::manifest::Manifest;
use crate::schema::outputs::{self as o, OutputKind, OutputSpec};
use crate::stage::{Line, StageOutput, Table};
use crate::validate::Validation;

/// A run's outputs as they are emitted: the manifest, the summary so far and the tables
/// written (rounded), for the report.
pub struct Emitter {
    out: PathBuf,
    manifest: Manifest,
    lines: Vec<Line>,
    written: Vec<Table>,
    started: Instant,
}

/// The outcome of a run: the manifest (also written to disk) and the summary for the terminal.
pub struct Outcome {
    pub manifest: Manifest,
    pub summary: Vec<String>,
}

impl Emitter {
    pub fn new(cfg: &ValidConfig, command: &str) -> Self {
        Emitter {
            out: cfg.out_dir.clone(),
            manifest: Manifest::new(
                command,
                cfg.config_path.display().to_string(),
                cfg.resolved.clone(),
                cfg.seed,
            ),
            lines: Vec::new(),
            written: Vec::new(),
            started: Instant::now(),
        }
    }

    /// Run `step`, recording its wall time under `name` in the manifest.
    pub fn time<T>(&mut self, name: &str, step: impl FnOnce() -> Result<T>) -> Result<T> {
        let t0 = Instant::now();
        let result = step();
        self.manifest
            .timings_ms
            .insert(name.into(), t0.elapsed().as_millis() as u64);
        result
    }

    /// What validation found: the run's date, the files read and their reconciliation.
    pub fn record_validation(&mut self, v: &Validation) {
        self.manifest.as_of = v.as_of.map(|d| d.to_string());
        for t in &v.tables {
            self.manifest
                .inputs
                .insert(t.spec.name.into(), t.file.clone());
            self.manifest
                .tables
                .insert(t.spec.name.into(), t.counts.clone());
        }
    }

    /// An input read outside validation (the prepared features), for the manifest.
    pub fn record_input(&mut self, name: &str, file: crate::io::load::FileInfo) {
        self.manifest.inputs.insert(name.into(), file);
    }

    /// What the merge map folded.
    pub fn record_merges(&mut self, report: crate::master::merge::MergeReport) {
        self.manifest.merges = Some(report);
    }

    /// Write every table, model and file of `output`, record each in the manifest, and keep
    /// its summary lines and notes.
    pub fn emit(&mut self, output: StageOutput) -> Result<()> {
        let t0 = Instant::now();
        for table in output.tables {
            let (df, files) = write_table(&table, &self.out)?;
            for file in files {
                self.manifest.outputs.insert(file, df.height() as u64);
            }
            self.written.push(Table { df, ..table });
        }
        for m in output.models {
            write::text(&m.json, &self.out.join(m.spec.file))?;
            self.manifest.outputs.insert(m.spec.file.into(), 1);
        }
        for f in output.files {
            write::bytes(&f.bytes, &self.out.join(&f.file))?;
            self.manifest.outputs.insert(f.file, 1);
        }
        for line in output.summary {
            if let Some(note) = line.note_text() {
                self.manifest.notes.push(note);
            }
            self.lines.push(line);
        }
        self.manifest.notes.extend(output.notes);
        *self.manifest.timings_ms.entry("write".into()).or_default() +=
            t0.elapsed().as_millis() as u64;
        Ok(())
    }

    /// The tables written so far, rounded as in their files.
    pub fn written(&self) -> &[Table] {
        &self.written
    }

    /// The summary so far as the report shows it (files relative to the output directory, no
    /// wall times).
    pub fn report_lines(&self) -> Vec<String> {
        self.lines.iter().map(Line::render_for_report).collect()
    }

    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    /// Write the manifest last and return the terminal summary.
    pub fn finish(mut self) -> Result<Outcome> {
        self.manifest
            .timings_ms
            .insert("total".into(), self.started.elapsed().as_millis() as u64);
        let path = self.out.join(o::MANIFEST.file);
        write::json(&self.manifest, &path)?;
        let mut summary: Vec<String> = self.lines.iter().map(|l| l.render(&self.out)).collect();
        summary.push(format!("manifest: {}", path.display()));
        Ok(Outcome {
            manifest: self.manifest,
            summary,
        })
    }
}

/// Write one table as declared (CSV, and Parquet beside it when declared); returns the
/// frame as written (floats rounded) and the files written.
fn write_table(table: &Table, out: &Path) -> Result<(DataFrame, Vec<String>)> {
    check_columns(table.spec, &table.file, &table.df)?;
    let mut files = vec![table.file.clone()];
    if let OutputKind::Table { parquet: true, .. } = table.spec.kind {
        files.push(table.file.replace(".csv", ".parquet"));
    }
    let parquet = files.get(1).map(|f| out.join(f));
    let df = write::table(&table.df, &out.join(&table.file), parquet.as_deref())?;
    Ok((df, files))
}

/// A stage may only write the columns its output declares (in tests and debug builds this is
/// an error, so a new column cannot ship undeclared; a user's release build never stops on it).
fn check_columns(spec: &OutputSpec, file: &str, df: &DataFrame) -> Result<()> {
    let undeclared: Vec<String> = df
        .get_column_names()
        .iter()
        .filter(|c| !spec.declares(c.as_str()))
        .map(|c| c.to_string())
        .collect();
    if undeclared.is_empty() || !cfg!(debug_assertions) {
        return Ok(());
    }
    Err(Error::Internal(format!(
        "{file} has columns its declaration in schema/outputs/ lacks: {}",
        undeclared.join(", ")
    )))
}

/// Write a subcommand's output (no manifest, no summary): tables, models and files under
/// `out`. Returns each file written with its row count.
pub fn write_all(output: &StageOutput, out: &Path) -> Result<Vec<(String, u64)>> {
    let mut written = Vec::new();
    for t in &output.tables {
        let (df, files) = write_table(t, out)?;
        written.extend(files.into_iter().map(|f| (f, df.height() as u64)));
    }
    for m in &output.models {
        write::text(&m.json, &out.join(m.spec.file))?;
        written.push((m.spec.file.to_string(), 1));
    }
    for f in &output.files {
        write::bytes(&f.bytes, &out.join(&f.file))?;
        written.push((f.file.clone(), 1));
    }
    Ok(written)
}
