//! `[validation]` in kam.toml: row checks beyond parsing, loose as written
//! ([`ValidationParams`]) and checked ([`ValidationValid`], built only by
//! [`ValidationParams::check`]).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::schema::parse_iso_date;

/// What to do with transactions whose customer is not in the customers table.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum UnknownCustomers {
    /// Keep them (the customer is derived from its transactions) and count them in the manifest.
    #[default]
    Keep,
    /// Send them to the rejects.
    Reject,
}

/// What to do with a transaction row that repeats an earlier row in every column.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum DuplicateRows {
    /// Send the repeats to the rejects, naming the first occurrence's row.
    #[default]
    Reject,
    /// Keep them and say how many in a note.
    Note,
    /// Keep them without a word (a file whose identical rows are separate sales).
    Keep,
}

/// `[validation]` as written by the user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ValidationParams {
    /// Keep (default) or reject transactions of customers missing from the customers table.
    pub unknown_customers: UnknownCustomers,
    /// Transaction rows repeating an earlier row in every column: reject (default), note, keep.
    pub duplicate_transactions: DuplicateRows,
    /// Transactions dated before this (`YYYY-MM-DD`) are rejected as implausible. Default
    /// 1990-01-01 (a sale before it is almost always a typo or a placeholder date).
    pub min_date: String,
    /// Amounts (and quantities) larger than this in absolute value are rejected as implausible.
    /// Default 1e12.
    pub max_abs_amount: f64,
    /// Transactions spanning more years than this are noted (placeholder or mistyped dates
    /// stretch the history every model and grid walks). Default 30.
    pub max_span_years: u32,
    /// Transactions dated more than this many days after `as_of` are rejected as implausible.
    /// Without an `as_of`, the reference is the last date of the bulk of the history: a small
    /// tail of rows (at most 1%) after a gap longer than this is rejected. Default 366.
    pub max_future_days: u32,
}

impl Default for ValidationParams {
    fn default() -> Self {
        ValidationParams {
            unknown_customers: UnknownCustomers::Keep,
            duplicate_transactions: DuplicateRows::Reject,
            min_date: "1990-01-01".into(),
            max_abs_amount: 1e12,
            max_span_years: 30,
            max_future_days: 366,
        }
    }
}

/// Checked [`ValidationParams`] with `min_date` parsed; reads through to the params.
#[derive(Debug, Clone)]
pub struct ValidationValid(ValidationParams, NaiveDate);

impl std::ops::Deref for ValidationValid {
    type Target = ValidationParams;
    fn deref(&self) -> &ValidationParams {
        &self.0
    }
}

impl ValidationValid {
    /// `min_date` as a date.
    pub fn min_day(&self) -> NaiveDate {
        self.1
    }
}

impl ValidationParams {
    /// Check every value once; errors are [`Error::Usage`] sentences naming the setting.
    pub fn check(self) -> Result<ValidationValid> {
        let min = parse_iso_date(&self.min_date).ok_or_else(|| {
            Error::Usage(format!(
                "validation.min_date = \"{}\" is not a date in the form YYYY-MM-DD",
                self.min_date
            ))
        })?;
        let max_abs = self.max_abs_amount;
        if !(max_abs.is_finite() && max_abs > 0.0) {
            return Err(Error::Usage(format!(
                "validation.max_abs_amount must be a positive number, got {max_abs}"
            )));
        }
        if self.max_span_years == 0 {
            return Err(Error::Usage(
                "validation.max_span_years must be at least 1".into(),
            ));
        }
        Ok(ValidationValid(self, min))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(f: impl FnOnce(&mut ValidationParams)) -> Result<ValidationValid> {
        let mut p = ValidationParams::default();
        f(&mut p);
        p.check()
    }

    fn rejected(f: impl FnOnce(&mut ValidationParams), word: &str) {
        match with(f) {
            Err(e) => assert!(e.to_string().contains(word), "{e}"),
            Ok(v) => panic!("accepted {v:?}"),
        }
    }

    #[test]
    fn defaults_pass_with_the_date_parsed() -> Result<()> {
        let v = ValidationParams::default().check()?;
        assert_eq!(
            v.min_day(),
            NaiveDate::from_ymd_opt(1990, 1, 1).unwrap_or_default()
        );
        assert_eq!(v.unknown_customers, UnknownCustomers::Keep);
        Ok(())
    }

    #[test]
    fn max_span_years_cannot_be_zero() {
        rejected(|p| p.max_span_years = 0, "validation.max_span_years");
    }

    #[test]
    fn min_date_must_be_a_date() {
        rejected(|p| p.min_date = "1900-13-01".into(), "validation.min_date");
    }

    #[test]
    fn max_abs_amount_must_be_positive() {
        rejected(|p| p.max_abs_amount = -1.0, "validation.max_abs_amount");
        rejected(
            |p| p.max_abs_amount = f64::INFINITY,
            "validation.max_abs_amount",
        );
    }
}
