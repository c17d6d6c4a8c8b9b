//! Every file kam writes, declared once: its path under the output directory, what it holds
//! and, for tables, its columns in order. The emit step writes what stages return against
//! these declarations (CSV, plus Parquet where declared), the report takes its workbook sheets
//! from them, and `docs/outputs.md` is checked against them by `tests/docs.rs`.
//!
//! A part written `<name>` stands for a family: `rejects/<table>.csv` is one file per input
//! table, `<feature>_mean` one column per clustering feature.

mod commands;
mod models;
mod plan;
mod products;
mod run;
mod track;

pub use commands::*;
pub use models::*;
pub use plan::*;
pub use products::*;
pub use run::*;
pub use track::*;

/// What kind of file an output is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputKind {
    /// A table written as CSV (and Parquet when `parquet`); `sheet` puts it in report.xlsx.
    Table {
        columns: &'static [&'static str],
        parquet: bool,
        sheet: bool,
    },
    /// A JSON model: parameters, fit report, metrics.
    Model,
    /// A document: a chart, the report, the manifest.
    Document,
}

/// One declared output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutputSpec {
    /// Path relative to the output directory.
    pub file: &'static str,
    pub kind: OutputKind,
    /// One sentence on what it holds.
    pub doc: &'static str,
}

impl OutputSpec {
    /// The declared columns (empty for models and documents).
    pub fn columns(&self) -> &'static [&'static str] {
        match self.kind {
            OutputKind::Table { columns, .. } => columns,
            _ => &[],
        }
    }

    /// The file's stem: its path without the extension (`models/kmeans`).
    pub fn stem(&self) -> &'static str {
        self.file
            .rsplit_once('.')
            .map_or(self.file, |(stem, _)| stem)
    }

    /// Whether `file` is this output (or one of its family).
    pub fn matches(&self, file: &str) -> bool {
        pattern_matches(self.file, file)
    }

    /// Whether `column` is declared (directly or through a `<name>` family).
    pub fn declares(&self, column: &str) -> bool {
        self.columns().iter().any(|c| pattern_matches(c, column))
    }
}

/// `pattern` with `<...>` parts, each standing for one or more characters, against `text`.
pub fn pattern_matches(pattern: &str, text: &str) -> bool {
    match pattern.find('<') {
        None => pattern == text,
        Some(open) => {
            let Some(close) = pattern[open..].find('>').map(|c| open + c) else {
                return pattern == text;
            };
            let (head, rest) = (&pattern[..open], &pattern[close + 1..]);
            let Some(tail) = text.strip_prefix(head) else {
                return false;
            };
            // the family part takes at least one character; try every split
            (1..=tail.len())
                .filter(|&i| tail.is_char_boundary(i))
                .any(|i| pattern_matches(rest, &tail[i..]))
        }
    }
}

/// The declaration `file` belongs to, if any.
pub fn find(file: &str) -> Option<&'static OutputSpec> {
    OUTPUTS.iter().copied().find(|o| o.matches(file))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn families_match_their_members_only() {
        assert!(REJECTS.matches("rejects/transactions.csv"));
        assert!(!REJECTS.matches("rejects/.csv"));
        assert!(!REJECTS.matches("segments.csv"));
        assert!(SEGMENTS.declares("recency_days_mean"));
        assert!(!SEGMENTS.declares("_mean"));
        assert!(!SEGMENTS.declares("recency_days"));
        assert!(CUSTOMERS.declares("churn_driver_3"));
    }

    #[test]
    fn every_file_is_declared_once() {
        for (i, a) in OUTPUTS.iter().enumerate() {
            for b in &OUTPUTS[i + 1..] {
                assert_ne!(a.file, b.file);
            }
        }
        assert_eq!(find("charts/sales_trend.png"), Some(&CHART_PNG));
        assert_eq!(find("nothing.csv"), None);
    }

    #[test]
    fn columns_are_unique_within_a_table() {
        for o in OUTPUTS {
            let c = o.columns();
            for (i, a) in c.iter().enumerate() {
                assert!(!c[i + 1..].contains(a), "{} repeats {a}", o.file);
            }
        }
    }
}
