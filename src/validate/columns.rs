//! The contract columns of one input: which are present in the file and under what name,
//! and the expressions that trim and parse each of them, with the problems a value can have.

use polars::prelude::*;

use super::parse::{self, Problem};
use super::{TEXT_PREFIX, VALUE_PREFIX, rules};
use crate::error::{Error, Result};
use crate::io::load::{ROW_INTERNAL, RawTable};
use crate::schema::{self, Kind};

/// How a contract column of this input is found and labelled.
pub(crate) struct Present {
    pub name: &'static str,
    pub file_col: String,
    pub dtype: DataType,
    pub label: String,
}

/// The parsed value column of a contract column while validating.
pub(crate) fn value_col(name: &str) -> Expr {
    col(format!("{VALUE_PREFIX}{name}"))
}

/// The contract columns the file has (by their mapped name); an error for a required or
/// mapped one it lacks, or one a rule needs.
pub(super) fn present(raw: &RawTable, schema: &Schema) -> Result<Vec<Present>> {
    let input = &raw.input;
    let found = || raw.columns.join(", ");
    let mut present: Vec<Present> = Vec::new();
    for c in input.table.columns {
        let fc = input.file_column(c.name);
        match schema.get(fc) {
            Some(dtype) => present.push(Present {
                name: c.name,
                file_col: fc.to_string(),
                dtype: dtype.clone(),
                label: if fc == c.name {
                    c.name.to_string()
                } else {
                    format!("{} ('{fc}')", c.name)
                },
            }),
            None if c.required || input.is_mapped(c.name) => {
                return Err(missing_column(raw, c.name, fc, &found()));
            }
            None => {}
        }
    }
    rules::require_columns(raw, &present, &found())?;
    Ok(present)
}

/// The expressions of every present column: trimmed text (where the file type needs it),
/// typed values, the problems in contract order, and the columns to keep.
pub(super) struct Parsed {
    pub texts: Vec<Expr>,
    pub values: Vec<Expr>,
    pub problems: Vec<Problem>,
    pub keep: Vec<Expr>,
}

/// Parse every present column by its contract kind; a blank required value is a problem.
pub(super) fn parse_all(raw: &RawTable, present: &[Present]) -> Parsed {
    let spec = raw.input.table;
    let date_format = raw.input.date_format.as_deref();
    let mut out = Parsed {
        texts: Vec::new(),
        values: Vec::new(),
        problems: Vec::new(),
        keep: vec![col(ROW_INTERNAL)],
    };
    for p in present {
        let kind = spec.column(p.name).map(|c| c.kind).unwrap_or(Kind::Text);
        let required = spec.column(p.name).is_some_and(|c| c.required);
        let text_col = format!("{TEXT_PREFIX}{}", p.name);
        let raw_col = col(p.file_col.as_str());
        if parse::Source::needs_text(&p.dtype) {
            out.texts
                .push(parse::text(raw_col.clone(), &p.dtype).alias(text_col.as_str()));
            out.keep.push(col(text_col.as_str()));
        } else {
            out.keep.push(raw_col.clone());
        }
        let src = parse::Source::new(raw_col, &p.dtype, &text_col);
        if required {
            out.problems.push(Problem::new(
                src.present.clone().not(),
                lit(format!("{} is blank", p.label)),
                format!("{}: blank", p.name),
            ));
        }
        let parsed = parse::parse(&src, kind, p.name, &p.label, date_format, value_col(p.name));
        out.problems.extend(parsed.problems);
        out.values
            .push(parsed.value.alias(format!("{VALUE_PREFIX}{}", p.name)));
        out.keep.push(value_col(p.name));
    }
    out
}

fn missing_column(raw: &RawTable, name: &str, file_col: &str, found: &str) -> Error {
    // A single column whose name holds another separator means the delimiter is wrong.
    let mut found = found.to_string();
    if raw.columns.len() == 1 {
        for (sep, word) in [(';', ";"), ('\t', "tab"), ('|', "|"), (',', ",")] {
            if raw.columns[0].contains(sep) {
                found = format!(
                    "{found} (the header looks {word}-separated: set delimiter = \"{word}\")"
                );
                break;
            }
        }
    }
    Error::MissingColumn {
        file: raw.file.path.clone(),
        column: name.to_string(),
        file_column: file_col.to_string(),
        found: if found.is_empty() {
            "(none)".into()
        } else {
            found
        },
    }
}

/// Customers-file columns outside the contract, kept as they are (unless their name clashes).
pub(super) fn extra(raw: &RawTable, present: &[Present]) -> Vec<String> {
    let spec = raw.input.table;
    raw.columns
        .iter()
        .filter(|c| !present.iter().any(|p| &p.file_col == *c))
        .filter(|c| spec.column(c).is_none() && !schema::FEATURES.iter().any(|(f, _)| f == c))
        .cloned()
        .collect()
}
