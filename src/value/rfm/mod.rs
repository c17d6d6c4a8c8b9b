//! RFM: per customer, a recency, a frequency and a monetary score from 1 to `bins` (`bins` =
//! best: most recent, most frequent, highest value), the cell they make (`545`) and a named
//! segment from an ordered list of rules (first match wins).
//!
//! **Who is scored.** A customer whose R or F value is missing has made no purchase (with the
//! defaults, `recency_days` and `frequency` are empty): no scores, segment `No purchases`, and
//! the customer takes no part in anyone else's scores (their zero-filled `monetary_total` does
//! not crowd the bottom M bin). NaN counts as missing. The other customers are scored on each
//! axis among the customers that have a value for it.
//!
//! **The scoring rule.** Customers with the same value form one *block*, and a block always
//! gets one score, so ties are never broken and the result does not depend on row order.
//! Blocks are laid end to end, from worst value to best, on a scale where each block is as wide
//! as its count of customers but *at most one bin wide*; the bin width `w` is the one at which
//! the capped blocks still fill exactly `bins` bins (`bins * w = sum(min(count, w))`, solved
//! exactly in integers). A block's score is the bin holding the middle of its stretch,
//! `ceil(mid / w)` (a middle exactly on a boundary takes the lower bin). When no block holds
//! more than one bin's share of the customers, `w = n / bins` and this is the plain mid-rank
//! quantile rule: 1000 distinct values give 200 customers per score. When one value dominates,
//! as in B2B data where 70% of customers bought once (`frequency = 0`), that block takes
//! exactly the worst bin instead of swallowing two or three, and the remaining customers are
//! spread in quantiles over the remaining bins, so the scores do not collapse. With more
//! distinct values than bins, the worst value always scores 1, the best `bins`, and every score
//! in between is used (neighbouring values never skip a score). With `2 <= d <= bins` distinct
//! values, each value gets its own score, spread evenly: `1 + round((rank - 1) * (bins - 1) /
//! (d - 1))`, so 2 values score 1 and 5, 3 values 1, 3, 5. A single distinct value says nothing
//! about who is better, and everyone gets the middle score `(bins + 1) / 2` (3 of 5).
//!
//! Everything is lazy: one small distinct-value table per axis (value, count), scored with
//! window-free column expressions and joined back; one collect for the stage.

mod params;

pub use params::{Better, RfmParams, RfmValid, ScoreInput, SegmentRule, default_segments};

use polars::prelude::*;

use crate::error::{Error, Result};
use crate::schema as s;

// ---- output columns (defined in schema::columns; `rfm_cell` is the three scores written
// together, R then F then M: `545`, or `10-5-4` when `bins = 10`; `No purchases` is the
// segment of customers with no R or F value) ----
pub use crate::schema::columns::{F_SCORE, M_SCORE, NO_PURCHASES, R_SCORE, RFM_CELL, RFM_SEGMENT};

/// Type of the score columns. Int8 rather than UInt8: kam's polars build does not enable the
/// `dtype-u8` feature, without which polars has no UInt8 kernels (`unimplemented!()`); Int8
/// comes with `temporal`. Switch here (and nowhere else) once Cargo.toml enables `dtype-u8`.
pub const SCORE_DTYPE: DataType = DataType::Int8;

/// Segment of scored customers that no rule matches (never the case with the default rules).
pub const OTHERS: &str = "Others";

// ---- working columns ----
const ROW: &str = "__rfm_row";
const KEY_R: &str = "__rfm_r";
const KEY_F: &str = "__rfm_f";
const KEY_M: &str = "__rfm_m";
const COUNT: &str = "__rfm_count";
const DISTINCT: &str = "__rfm_distinct";
const WIDTH_NUM: &str = "__rfm_width_num";
const WIDTH_DEN: &str = "__rfm_width_den";

/// RFM scores and segments of the customers in `df` (one row per customer, with
/// `customer_id` and the three configured numeric columns), in `df`'s row order:
/// `customer_id`, `r_score`, `f_score`, `m_score` ([`SCORE_DTYPE`], 1..=bins, bins = best; empty when
/// not scored), `rfm_cell` (empty when a score is) and `rfm_segment` (never empty).
pub fn score(df: &DataFrame, p: &RfmValid) -> Result<DataFrame> {
    let p: &RfmParams = p;
    require_columns(df, p)?;
    let bins = i64::from(p.bins);
    let scored = col(KEY_R).is_not_null().and(col(KEY_F).is_not_null());
    let only_scored = |k: &str| {
        when(scored.clone())
            .then(col(k))
            .otherwise(lit(NULL).cast(DataType::Float64))
            .alias(k)
    };
    let keys = df
        .clone()
        .lazy()
        .with_row_index(ROW, None)
        .select([
            col(ROW),
            col(s::CUSTOMER_ID),
            oriented(&p.r).alias(KEY_R),
            oriented(&p.f).alias(KEY_F),
            oriented(&p.m).alias(KEY_M),
        ])
        .with_columns([only_scored(KEY_R), only_scored(KEY_F), only_scored(KEY_M)]);
    let mut out = keys.clone();
    for (key, name) in [(KEY_R, R_SCORE), (KEY_F, F_SCORE), (KEY_M, M_SCORE)] {
        out = out.left_join(
            block_scores(keys.clone(), key, bins, name),
            col(key),
            col(key),
        );
    }
    let out = out
        .sort([ROW], SortMultipleOptions::default())
        .select([
            col(s::CUSTOMER_ID),
            col(R_SCORE),
            col(F_SCORE),
            col(M_SCORE),
            cell(p.bins),
            segment(&p.segments),
        ])
        .collect()?;
    Ok(out)
}

/// `customer_id` and the three score columns must exist; the score columns must be numeric.
fn require_columns(df: &DataFrame, p: &RfmParams) -> Result<()> {
    let table = "customer table";
    let needed = [
        (s::CUSTOMER_ID, None),
        (p.r.column.as_str(), Some("R")),
        (p.f.column.as_str(), Some("F")),
        (p.m.column.as_str(), Some("M")),
    ];
    for (name, axis) in needed {
        let Ok(c) = df.column(name) else {
            let found: Vec<&str> = df.get_column_names().iter().map(|c| c.as_str()).collect();
            return Err(Error::MissingColumn {
                file: table.into(),
                column: name.into(),
                file_column: name.into(),
                found: found.join(", "),
            });
        };
        if let Some(axis) = axis
            && !c.dtype().is_primitive_numeric()
        {
            return Err(Error::validation(
                table,
                format!(
                    "column '{name}' feeds the RFM {axis} score and must be numeric; it holds {}.",
                    c.dtype()
                ),
            ));
        }
    }
    Ok(())
}

/// The column as Float64 with "higher is better", NaN as missing and -0.0 as 0.0 (so equal
/// values are one join key): `x + 0` when higher is better, `0 - x` when lower is.
fn oriented(input: &ScoreInput) -> Expr {
    let x = col(input.column.as_str())
        .cast(DataType::Float64)
        .fill_nan(lit(NULL).cast(DataType::Float64));
    match input.better {
        Better::Higher => x + lit(0.0),
        Better::Lower => lit(0.0) - x,
    }
}

/// One row per distinct non-missing value of `key`, with its score as `name` (see the module
/// comment for the rule).
fn block_scores(keys: LazyFrame, key: &str, bins: i64, name: &str) -> LazyFrame {
    let (width_num, width_den) = bin_width(bins);
    keys.select([col(key)])
        .filter(col(key).is_not_null())
        .group_by([col(key)])
        .agg([len().cast(DataType::Int64).alias(COUNT)])
        .sort([key], SortMultipleOptions::default())
        .with_columns([
            len().cast(DataType::Int64).alias(DISTINCT),
            width_num.alias(WIDTH_NUM),
            width_den.alias(WIDTH_DEN),
        ])
        .select([col(key), block_score(bins).alias(name)])
}

/// The bin width `w` of the capped scale as the exact fraction `num / den`, on the table of
/// blocks. With the block counts sorted descending `t_1 >= t_2 >= ...` and `n` customers,
/// capping the `j` largest blocks gives `w_j = (n - t_1 - ... - t_j) / (bins - j)`; the answer
/// is the smallest `j < bins` with `t_(j+1) <= w_j`, tested in integers. (It is the unique
/// positive root of `sum(min(t, w)) = bins * w`, which exists when there are more distinct
/// values than bins; otherwise it may be missing and is not used.)
fn bin_width(bins: i64) -> (Expr, Expr) {
    let t = col(COUNT).sort(SortOptions::default().with_order_descending(true));
    let j = position(t.clone());
    // n - (t_1 + ... + t_j): customers in the blocks from j+1 on
    let rest = col(COUNT).sum() - (t.clone().cum_sum(false) - t.clone());
    let bins_left = lit(bins) - j.clone();
    let fits = j
        .lt(lit(bins))
        .and((t * bins_left.clone()).lt_eq(rest.clone()));
    (
        rest.filter(fits.clone()).first(),
        bins_left.filter(fits).first(),
    )
}

/// The score of each block, on the block table sorted by value (worst first) with its count,
/// the number of distinct values and the bin width.
fn block_score(bins: i64) -> Expr {
    let (num, den, d) = (col(WIDTH_NUM), col(WIDTH_DEN), col(DISTINCT));
    // capped scale, multiplied by den so it stays in integers:
    // width den*w = num; block den*width = min(den*count, num); score = ceil(mid / w)
    let scaled = den * col(COUNT);
    let width = when(scaled.clone().lt(num.clone()))
        .then(scaled)
        .otherwise(num.clone());
    let twice_mid = lit(2) * width.clone().cum_sum(false) - width;
    let capped = ceil_div(twice_mid, lit(2) * num);
    // few distinct values: 1 + round(rank * (bins - 1) / (d - 1)), rank counted from 0
    let rank = position(col(COUNT));
    let gaps = when(d.clone().gt(lit(1)))
        .then(d.clone() - lit(1))
        .otherwise(lit(1));
    let spread = lit(1) + round_div(rank * lit(bins - 1), gaps);
    when(d.clone().eq(lit(1)))
        .then(lit((bins + 1) / 2))
        .when(d.lt_eq(lit(bins)))
        .then(spread)
        .otherwise(capped)
        .clip(lit(1), lit(bins))
        .cast(SCORE_DTYPE)
}

/// 0, 1, 2, ... down a column without nulls (the row's position).
fn position(e: Expr) -> Expr {
    e.cum_count(false).cast(DataType::Int64) - lit(1)
}

/// `ceil(x / y)` for positive integers.
fn ceil_div(x: Expr, y: Expr) -> Expr {
    (x + y.clone() - lit(1)).floor_div(y)
}

/// `round(x / y)`, halves up, for non-negative `x` and positive `y`.
fn round_div(x: Expr, y: Expr) -> Expr {
    (lit(2) * x + y.clone()).floor_div(lit(2) * y)
}

/// `rfm_cell`: the scores written together, separated by `-` when a score can have two digits.
fn cell(bins: u32) -> Expr {
    let sep = if bins >= 10 { "-" } else { "" };
    concat_str(
        [R_SCORE, F_SCORE, M_SCORE].map(|c| col(c).cast(DataType::String)),
        sep,
        false,
    )
    .alias(RFM_CELL)
}

/// `rfm_segment`: `No purchases` without R or F score, else the first matching rule, else
/// `Others`.
fn segment(rules: &[SegmentRule]) -> Expr {
    let within = |c: &str, [lo, hi]: [u8; 2]| {
        col(c)
            .gt_eq(lit(i32::from(lo)))
            .and(col(c).lt_eq(lit(i32::from(hi))))
    };
    let mut named = lit(OTHERS);
    for rule in rules.iter().rev() {
        let mut matches = within(R_SCORE, rule.r).and(within(F_SCORE, rule.f));
        if let Some(m) = rule.m {
            matches = matches.and(within(M_SCORE, m));
        }
        named = when(matches).then(lit(rule.name.as_str())).otherwise(named);
    }
    when(col(R_SCORE).is_null().or(col(F_SCORE).is_null()))
        .then(lit(NO_PURCHASES))
        .otherwise(named)
        .alias(RFM_SEGMENT)
}

#[cfg(test)]
mod tests;
