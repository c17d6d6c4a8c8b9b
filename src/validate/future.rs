//! Dates implausibly far ahead. With an `as_of`, a rule rejects dates more than
//! `validation.max_future_days` after it (rules.rs). Without one the run would stand on the
//! day after its last sale, so one mistyped year (2052 for 2025) would move the whole run
//! decades ahead; here the reference is the last date of the bulk of the history instead: a
//! small tail of rows (at most [`STRAY_SHARE`] of them) after a gap longer than
//! `max_future_days` is rejected. A gap with more rows after it (a ten-year pause, then a
//! company's real recent history) is history, not a typo, and stays.

use polars::prelude::*;

use super::{CHECK_INTERNAL, VALUE_PREFIX};
use crate::error::Result;
use crate::frame;
use crate::io::load::{REASON_INTERNAL, ROW_INTERNAL};
use crate::schema;

/// The check name of a date too far ahead.
pub const FAR_AHEAD: &str = "date: beyond max_future_days";
/// The largest share of rows a stray tail may hold.
pub const STRAY_SHARE: f64 = 0.01;

/// The last day (epoch days) of the bulk of the history: the day before the earliest gap
/// longer than `max_days` after which at most [`STRAY_SHARE`] of the rows lie. `None` when
/// there is no such gap. `days` and `counts` are the distinct days, ascending, and their rows.
pub(super) fn bulk_end(days: &[i32], counts: &[u64], max_days: u32) -> Option<i32> {
    let total: u64 = counts.iter().sum();
    let mut tail = 0u64;
    let mut end = None;
    for i in (1..days.len()).rev() {
        tail += counts[i];
        if tail as f64 > STRAY_SHARE * total as f64 {
            break;
        }
        if i64::from(days[i]) - i64::from(days[i - 1]) > i64::from(max_days) {
            end = Some(days[i - 1]);
        }
    }
    end
}

/// The used rows without a stray far-ahead tail, and the tail's rows (`row`, reason,
/// check) when there is one. Only for a run without `as_of`.
pub(super) fn split(ok: DataFrame, max_days: u32) -> Result<(DataFrame, Option<DataFrame>)> {
    let date = format!("{VALUE_PREFIX}{}", schema::DATE);
    if ok.height() == 0 || !ok.get_column_names().iter().any(|c| c.as_str() == date) {
        return Ok((ok, None));
    }
    let by_day = ok
        .clone()
        .lazy()
        .select([frame::day(col(date.as_str())).alias("d")])
        .drop_nulls(None)
        .group_by([col("d")])
        .agg([len().cast(DataType::UInt64).alias("n")])
        .sort(["d"], Default::default())
        .collect()?;
    let days: Vec<i32> = by_day.column("d")?.i32()?.iter().flatten().collect();
    let counts: Vec<u64> = by_day.column("n")?.u64()?.iter().flatten().collect();
    let Some(end) = bulk_end(&days, &counts, max_days) else {
        return Ok((ok, None));
    };
    let ahead = frame::day(col(date.as_str())).gt(lit(end));
    let rejected_part = ok.clone().lazy().filter(ahead.clone());
    let reason = format!(
        " is more than validation.max_future_days ({max_days}) after {}, where the rest of \
         the history ends",
        frame::date_of(end)
    );
    let rejected = rejected_part
        .select([
            col(ROW_INTERNAL),
            concat_str(
                [
                    lit("date '"),
                    col(date.as_str()).dt().strftime("%Y-%m-%d"),
                    lit(format!("'{reason}")),
                ],
                "",
                false,
            )
            .alias(REASON_INTERNAL),
            lit(FAR_AHEAD).alias(CHECK_INTERNAL),
        ])
        .collect()?;
    let kept = super::split::filter_where(ok, ahead.not())?;
    Ok((kept, Some(rejected)))
}

#[cfg(test)]
mod tests {
    use super::bulk_end;

    #[test]
    fn a_stray_tail_after_a_long_gap_is_cut() {
        // 200 rows over 200 days, then one row 30 years later
        let mut days: Vec<i32> = (0..200).collect();
        let mut counts = vec![1u64; 200];
        days.push(11_000);
        counts.push(1);
        assert_eq!(bulk_end(&days, &counts, 366), Some(199));
    }

    #[test]
    fn a_gap_with_much_history_after_it_is_history() {
        // a ten-year pause with half the rows after it
        let days: Vec<i32> = (0..100).chain(4_000..4_100).collect();
        let counts = vec![1u64; 200];
        assert_eq!(bulk_end(&days, &counts, 366), None);
    }

    #[test]
    fn a_short_gap_is_no_cut() {
        let days = vec![0, 10, 20, 300];
        assert_eq!(bulk_end(&days, &[100, 100, 100, 1], 366), None);
    }

    #[test]
    fn the_earliest_qualifying_gap_wins() {
        // bulk, gap, one stray, gap, another stray
        let mut days: Vec<i32> = (0..300).collect();
        let mut counts = vec![1u64; 300];
        days.extend([2_000, 9_000]);
        counts.extend([1, 1]);
        assert_eq!(bulk_end(&days, &counts, 366), Some(299));
    }
}
