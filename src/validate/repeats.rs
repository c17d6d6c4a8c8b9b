//! Repeated transaction rows: a row equal to an earlier one in every column of the file is a
//! double count (the same sale exported twice, overlapping monthly extracts concatenated),
//! not more business. `validation.duplicate_transactions` decides: reject the repeats
//! (default; the reason names the first occurrence's row), note them, or keep them silently.

use polars::prelude::*;

use super::params::DuplicateRows;
use super::{CHECK_INTERNAL, TEXT_PREFIX, VALUE_PREFIX};
use crate::error::Result;
use crate::io::load::{REASON_INTERNAL, ROW_INTERNAL};

/// Internal column holding every file column of a row joined, while validating.
pub(super) const ROW_KEY: &str = "__kam_rowkey";
/// The check name of a rejected repeat.
pub const DUPLICATE_ROW: &str = "duplicate row";

/// The row's every file column as one text (blank and missing alike), for [`ROW_KEY`].
pub(super) fn row_key(file_columns: &[PlSmallStr]) -> Expr {
    let parts: Vec<Expr> = file_columns
        .iter()
        .filter(|c| {
            let c = c.as_str();
            c != ROW_INTERNAL && !c.starts_with(VALUE_PREFIX) && !c.starts_with(TEXT_PREFIX)
        })
        .map(|c| col(c.as_str()).cast(DataType::String).fill_null(lit("")))
        .collect();
    concat_str(parts, "\u{1f}", false).alias(ROW_KEY)
}

/// The used rows without the repeats to reject (and without [`ROW_KEY`]), the rejected
/// repeats (`row`, reason, check) and, with `note`, the sentence for the summary.
pub(super) fn split(
    ok: DataFrame,
    policy: DuplicateRows,
) -> Result<(DataFrame, Option<DataFrame>, Option<String>)> {
    if !ok.get_column_names().iter().any(|c| c.as_str() == ROW_KEY) {
        return Ok((ok, None, None));
    }
    let first_row = col(ROW_INTERNAL).first().over([col(ROW_KEY)])?;
    let marked = ok
        .lazy()
        .with_columns([
            col(ROW_KEY).is_first_distinct().not().alias("__kam_repeat"),
            first_row.alias("__kam_first_row"),
        ])
        .collect()?;
    let repeat = marked.column("__kam_repeat")?.bool()?.clone();
    let n = repeat.sum().unwrap_or(0);
    let drop = ["__kam_repeat", "__kam_first_row", ROW_KEY];
    match policy {
        DuplicateRows::Reject if n > 0 => {
            let kept = marked.filter(&!&repeat)?.drop_many(drop);
            let rejected = marked
                .filter(&repeat)?
                .lazy()
                .select([
                    col(ROW_INTERNAL),
                    concat_str(
                        [
                            lit("repeats row "),
                            col("__kam_first_row").cast(DataType::String),
                            lit(" in every column"),
                        ],
                        "",
                        false,
                    )
                    .alias(REASON_INTERNAL),
                    lit(DUPLICATE_ROW).alias(CHECK_INTERNAL),
                ])
                .collect()?;
            Ok((kept, Some(rejected), None))
        }
        DuplicateRows::Note if n > 0 => Ok((
            marked.drop_many(drop),
            None,
            Some(format!(
                "{n} rows repeat an earlier row in every column; kept \
                 (validation.duplicate_transactions = \"note\")"
            )),
        )),
        _ => Ok((marked.drop_many(drop), None, None)),
    }
}
