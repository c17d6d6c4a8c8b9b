//! The one error type of kam.
//!
//! Variants are grouped by who must act: the user's config or data (exit code 2) or kam itself
//! (exit code 1). Every message is a single plain sentence naming the file, row and column
//! involved, because it is printed as the only line a user sees.

use std::path::Path;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The config file is missing, unreadable or holds an invalid value.
    #[error("config {path}: {msg}")]
    Config { path: String, msg: String },

    /// An input file cannot be read or parsed as a table (not found, wrong format, encoding).
    #[error("{file}: {msg}")]
    Input { file: String, msg: String },

    /// A required column is absent from an input file.
    #[error(
        "{file}: missing required column '{column}'{mapped}; found columns: {found}",
        mapped = if column == file_column { String::new() } else { format!(" (mapped to '{file_column}')") }
    )]
    MissingColumn {
        file: String,
        column: String,
        file_column: String,
        found: String,
    },

    /// The data was read but cannot be used (for example, no valid transactions at all).
    #[error("{table}: {msg}")]
    Validation { table: String, msg: String },

    /// The confirmed merge map goes round in a circle (`ids` in order, the first repeated at
    /// the end), so no id in it has a surviving customer.
    #[error(
        "customer_merges: the merge map has a cycle {}; delete one of these rows so the chain ends at one surviving id",
        ids.join(" -> ")
    )]
    MergeCycle { ids: Vec<String> },

    /// Settings that no plan can satisfy (a negative capacity, a minimum share above the
    /// maximum, quota bounds that cannot sum to the target).
    #[error("infeasible setting {setting}: {msg}")]
    Infeasible { setting: String, msg: String },

    /// A command-line argument is invalid.
    #[error("{0}")]
    Usage(String),

    /// Writing an output failed.
    #[error("cannot write {path}: {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },

    /// Data-engine failure that is not attributable to an input (a kam bug or resource limit).
    #[error("internal data error: {0}")]
    Polars(#[from] polars::error::PolarsError),

    /// Any other internal failure.
    #[error("internal error: {0}")]
    Internal(String),
}

/// A linfa model's failure (kam's models implement linfa's `Fit`) is an internal error.
impl From<linfa::Error> for Error {
    fn from(e: linfa::Error) -> Self {
        Error::Internal(format!("model: {e}"))
    }
}

impl Error {
    /// Process exit code: 2 for bad input or config, 1 for internal errors.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Config { .. }
            | Error::Input { .. }
            | Error::MissingColumn { .. }
            | Error::Validation { .. }
            | Error::MergeCycle { .. }
            | Error::Infeasible { .. }
            | Error::Usage(_) => 2,
            Error::Write { .. } | Error::Polars(_) | Error::Internal(_) => 1,
        }
    }

    pub fn input(file: &Path, msg: impl Into<String>) -> Self {
        Error::Input {
            file: file.display().to_string(),
            msg: msg.into(),
        }
    }

    pub fn config(path: &Path, msg: impl Into<String>) -> Self {
        Error::Config {
            path: path.display().to_string(),
            msg: msg.into(),
        }
    }

    pub fn validation(table: &str, msg: impl Into<String>) -> Self {
        Error::Validation {
            table: table.to_string(),
            msg: msg.into(),
        }
    }

    pub fn write(path: &Path, source: std::io::Error) -> Self {
        Error::Write {
            path: path.display().to_string(),
            source,
        }
    }

    /// Whether this error is a closed pipe on stdout (treated as success by `main`).
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Error::Write { source, .. } if source.kind() == std::io::ErrorKind::BrokenPipe)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_column_message_names_file_column_and_found() {
        let e = Error::MissingColumn {
            file: "sales.csv".into(),
            column: "customer_id".into(),
            file_column: "Customer ID".into(),
            found: "Invoice, Price".into(),
        };
        assert_eq!(
            e.to_string(),
            "sales.csv: missing required column 'customer_id' (mapped to 'Customer ID'); found columns: Invoice, Price"
        );
        assert_eq!(e.exit_code(), 2);
    }

    #[test]
    fn infeasible_names_the_setting_and_exits_2() {
        let e = Error::Infeasible {
            setting: "plan.market_share.capacity".into(),
            msg: "must be positive".into(),
        };
        assert_eq!(
            e.to_string(),
            "infeasible setting plan.market_share.capacity: must be positive"
        );
        assert_eq!(e.exit_code(), 2);
    }

    #[test]
    fn a_merge_cycle_names_its_ids_in_order_and_exits_2() {
        let e = Error::MergeCycle {
            ids: vec!["A".into(), "B".into(), "A".into()],
        };
        assert_eq!(
            e.to_string(),
            "customer_merges: the merge map has a cycle A -> B -> A; delete one of these rows so the chain ends at one surviving id"
        );
        assert_eq!(e.exit_code(), 2);
    }

    #[test]
    fn internal_errors_exit_1() {
        assert_eq!(Error::Internal("x".into()).exit_code(), 1);
    }
}
