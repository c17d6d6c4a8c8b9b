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
    pub df: DataFrame,
}

/// One JSON model (parameters, fit report), already turned into JSON.
#[derive(Debug, Clone)]
pub struct Model {
    /// The output's declaration; `file` names the file when the declaration is a family
    /// (`models/<purchase model>.json`).
    pub spec: &'static OutputSpec,
    pub file: String,
    pub json: serde_json::Value,
}

/// One document (a chart, report.html, report.xlsx) as bytes.
#[derive(Debug, Clone)]
pub struct File {
    pub spec: &'static OutputSpec,
    /// Path relative to the output directory (`charts/sales_trend.png`).
    pub file: String,
    pub bytes: Vec<u8>,
}

/// One line of the run summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Line {
    /// A fact, optionally about a file: printed as `text -> <out>/<file>`.
    Fact { text: String, file: Option<String> },
    /// A note: printed as `note: text` and recorded in the manifest's notes.
    Note(String),
}

/// What a stage hands back to the pipeline.
#[derive(Debug, Clone, Default)]
pub struct StageOutput {
    pub tables: Vec<Table>,
    pub models: Vec<Model>,
    pub files: Vec<File>,
    /// Terminal lines in order; notes among them also go to the manifest.
    pub summary: Vec<Line>,
    /// Notes for the manifest only (details a user looks up, not printed).
    pub notes: Vec<String>,
}

impl StageOutput {
    /// An output holding only `note` (a stage that could not run: the run goes on).
    pub fn note(note: impl Into<String>) -> Self {
        StageOutput {
            summary: vec![Line::Note(note.into())],
            ..Default::default()
        }
    }

    /// Add a table.
    pub fn table(&mut self, spec: &'static OutputSpec, df: DataFrame) {
        self.tables.push(Table { spec, df });
    }

    /// Add a model, serialised to JSON now (a model that cannot be serialised is a bug).
    pub fn model<T: Serialize>(&mut self, spec: &'static OutputSpec, model: &T) -> Result<()> {
        let json = serde_json::to_value(model).map_err(|e| Error::Internal(e.to_string()))?;
        self.model_json(spec, spec.file.to_string(), json);
        Ok(())
    }

    /// Add a model already in JSON, under `file` (for declared families of files).
    pub fn model_json(&mut self, spec: &'static OutputSpec, file: String, json: serde_json::Value) {
        self.models.push(Model { spec, file, json });
    }

    /// Add a summary line about `file` (or about nothing).
    pub fn fact(&mut self, text: impl Into<String>, file: Option<&str>) {
        self.summary.push(Line::Fact {
            text: text.into(),
            file: file.map(str::to_string),
        });
    }

    /// Add a note, printed and recorded in the manifest.
    pub fn add_note(&mut self, note: impl Into<String>) {
        self.summary.push(Line::Note(note.into()));
    }

    /// The table declared as `spec`, if this output holds it.
    pub fn find(&self, spec: &OutputSpec) -> Option<&DataFrame> {
        self.tables
            .iter()
            .find(|t| t.spec.file == spec.file)
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
