//! What every stage returns: its tables and models in memory, the bytes of its documents, its
//! summary lines and its notes. No stage writes a file; [`crate::pipeline`]'s emit step writes
//! every [`StageOutput`] through [`crate::io::write`], fills the manifest and prints the summary.

use polars::prelude::DataFrame;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::schema::outputs::OutputSpec;

/// One output table, typed, as its stage built it.
#[derive(Debug, Clone)]
pub struct Table {
    pub spec: &'static OutputSpec,
    /// Path relative to the output directory: the declaration's, or a member of its family
    /// (`rejects/transactions.csv`).
    pub file: String,
    pub df: DataFrame,
}

impl Table {
    /// The file's stem: its path without the extension (`models/calibration_by_frequency`).
    pub fn stem(&self) -> &str {
        self.file
            .rsplit_once('.')
            .map_or(&self.file, |(stem, _)| stem)
    }
}

/// One JSON model (parameters, fit report, metrics), serialised as the file will hold it
/// (pretty-printed, fields in the model type's order).
#[derive(Debug, Clone)]
pub struct Model {
    /// The output's declaration.
    pub spec: &'static OutputSpec,
    pub json: String,
}

/// One document (a chart, report.html, report.xlsx) as bytes.
#[derive(Debug, Clone)]
pub struct File {
    pub spec: &'static OutputSpec,
    /// Path relative to the output directory (`charts/sales_trend.png`).
    pub file: String,
    pub bytes: Vec<u8>,
}

/// One piece of a summary line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    Text(String),
    /// A file under the output directory: shown with the directory on the terminal, relative
    /// to it in the report.
    File(String),
    /// A wall time (`, fit 0.242 s`): shown on the terminal, left out of the report so the same
    /// run gives the same report.
    Timing(String),
}

/// One line of the run summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub parts: Vec<Part>,
    /// A note: printed as `note: ...` and recorded in the manifest's notes.
    pub note: bool,
}

impl Line {
    /// A fact in words.
    pub fn text(text: impl Into<String>) -> Self {
        Line {
            parts: vec![Part::Text(text.into())],
            note: false,
        }
    }

    /// A fact about files: `text -> file, file`.
    pub fn about(text: impl Into<String>, files: &[&str]) -> Self {
        let mut parts = vec![Part::Text(format!("{} -> ", text.into()))];
        for (i, f) in files.iter().enumerate() {
            if i > 0 {
                parts.push(Part::Text(", ".into()));
            }
            parts.push(Part::File(f.to_string()));
        }
        Line { parts, note: false }
    }

    /// A note.
    pub fn note(text: impl Into<String>) -> Self {
        Line {
            parts: vec![Part::Text(text.into())],
            note: true,
        }
    }

    /// The line as the terminal shows it: files under `out`, with wall times.
    pub fn render(&self, out: &std::path::Path) -> String {
        self.render_with(|f| out.join(f).display().to_string(), true)
    }

    /// The line as the report shows it: files relative to the output directory, no wall times.
    pub fn render_for_report(&self) -> String {
        self.render_with(str::to_string, false)
    }

    /// The note's text without the `note: ` prefix (empty for a fact).
    pub fn note_text(&self) -> Option<String> {
        self.note.then(|| {
            let mut plain = self.clone();
            plain.note = false;
            plain.render_with(str::to_string, false)
        })
    }

    fn render_with(&self, file: impl Fn(&str) -> String, timings: bool) -> String {
        let mut s = String::from(if self.note { "note: " } else { "" });
        for p in &self.parts {
            match p {
                Part::Text(t) => s.push_str(t),
                Part::File(f) => s.push_str(&file(f)),
                Part::Timing(t) if timings => s.push_str(t),
                Part::Timing(_) => {}
            }
        }
        s
    }
}

/// What a stage hands back to the pipeline.
#[derive(Debug, Clone, Default)]
pub struct StageOutput {
    pub tables: Vec<Table>,
    pub models: Vec<Model>,
    pub files: Vec<File>,
    /// Summary lines in order; notes among them also go to the manifest.
    pub summary: Vec<Line>,
    /// Notes for the manifest only (details a user looks up, not printed).
    pub notes: Vec<String>,
}

impl StageOutput {
    /// An output holding only `note` (a stage that could not run: the run goes on).
    pub fn note(note: impl Into<String>) -> Self {
        StageOutput {
            summary: vec![Line::note(note)],
            ..Default::default()
        }
    }

    /// Add a table.
    pub fn table(&mut self, spec: &'static OutputSpec, df: DataFrame) {
        self.table_as(spec, spec.file.to_string(), df);
    }

    /// Add a table of a declared family under its own file name.
    pub fn table_as(&mut self, spec: &'static OutputSpec, file: String, df: DataFrame) {
        self.tables.push(Table { spec, file, df });
    }

    /// Add a model, serialised to pretty JSON now (a model that cannot be serialised is a
    /// bug in kam).
    pub fn model<T: Serialize + ?Sized>(
        &mut self,
        spec: &'static OutputSpec,
        model: &T,
    ) -> Result<()> {
        let mut json =
            serde_json::to_string_pretty(model).map_err(|e| Error::Internal(e.to_string()))?;
        json.push('\n');
        self.models.push(Model { spec, json });
        Ok(())
    }

    /// Add a summary line.
    pub fn line(&mut self, line: Line) {
        self.summary.push(line);
    }

    /// Add a note, printed and recorded in the manifest.
    pub fn add_note(&mut self, note: impl Into<String>) {
        self.summary.push(Line::note(note));
    }

    /// The table declared as `spec`, if this output holds it.
    pub fn find(&self, spec: &OutputSpec) -> Option<&DataFrame> {
        self.tables
            .iter()
            .find(|t| t.file == spec.file)
            .map(|t| &t.df)
    }

    /// Append another output's contents after this one's.
    pub fn extend(&mut self, other: StageOutput) {
        self.tables.extend(other.tables);
        self.models.extend(other.models);
        self.files.extend(other.files);
        self.summary.extend(other.summary);
        self.notes.extend(other.notes);
    }
}

/// Per-customer figures known on a day from what happened on or before it: how another
/// source (feedback, products) lends the churn model features at each of its cutoffs
/// without seeing the future.
pub trait PointInTime: Sync {
    /// The numeric columns [`PointInTime::at`] returns besides `customer_id`.
    fn names(&self) -> Vec<&'static str>;
    /// One row per customer known on `day`: `customer_id` and [`PointInTime::names`].
    fn at(&self, day: chrono::NaiveDate) -> Result<DataFrame>;
    /// Those of [`PointInTime::names`] that are counts: 0, not blank, for a customer the
    /// source does not know on the day (as customers.* shows them).
    fn counts(&self) -> Vec<&'static str> {
        vec![]
    }
}
