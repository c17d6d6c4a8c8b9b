//! `campaigns.csv`: channel effectiveness (domain.md article 2: 600 flyers → 3 cards, 0.5%),
//! one row per channel (totals of its campaigns, `campaign_id` empty) and then one per
//! campaign.
//!
//! ```text
//! conversion_rate            = converted / reached           (empty when reached = 0)
//! cost_per_conversion        = cost / converted              (empty when converted = 0)
//! first_topup_per_conversion = first_topup_total / converted (empty when converted = 0)
//! ```
//! Blank values of a campaign count as unknown: channel totals add up the known ones.

use polars::prelude::*;

use super::cols as c;
use crate::error::Result;
use crate::schema as s;

fn sum_known(e: Expr) -> Expr {
    // a total is empty only when no campaign knows the value
    when(e.clone().count().gt(lit(0)))
        .then(e.sum())
        .otherwise(lit(NULL).cast(DataType::Float64))
}

fn per(num: &str, den: &str) -> Expr {
    when(col(den).gt(lit(0.0)))
        .then(col(num) / col(den))
        .otherwise(lit(NULL).cast(DataType::Float64))
}

/// The campaigns frame from the clean campaigns table (channel and campaign_id required).
pub fn frame(campaigns: &DataFrame) -> Result<DataFrame> {
    let names = campaigns.get_column_names();
    let present = |n: &str| names.iter().any(|c| c.as_str() == n);
    let num = |n: &'static str| {
        if present(n) {
            col(n).cast(DataType::Float64)
        } else {
            lit(NULL).cast(DataType::Float64).alias(n)
        }
    };
    let base = campaigns.clone().lazy().select([
        col(s::CHANNEL).cast(DataType::String).alias(c::CHANNEL),
        col(s::CAMPAIGN_ID)
            .cast(DataType::String)
            .alias(c::CAMPAIGN_ID),
        num(s::REACHED).alias(c::REACHED),
        num(s::CONVERTED).alias(c::CONVERTED),
        num(s::COST).alias(c::COST),
        num(s::FIRST_TOPUP_TOTAL).alias(c::FIRST_TOPUP_TOTAL),
    ]);
    let measures = [c::REACHED, c::CONVERTED, c::COST, c::FIRST_TOPUP_TOTAL];
    let by_channel = base
        .clone()
        .group_by([col(c::CHANNEL)])
        .agg(measures.map(|m| sum_known(col(m)).alias(m)))
        .with_columns([
            lit("channel").alias(c::BY),
            lit(NULL).cast(DataType::String).alias(c::CAMPAIGN_ID),
        ])
        .sort([c::CHANNEL], SortMultipleOptions::default());
    let by_campaign = base
        .with_column(lit("campaign").alias(c::BY))
        .sort([c::CHANNEL, c::CAMPAIGN_ID], SortMultipleOptions::default());
    let order: Vec<Expr> = [c::BY, c::CHANNEL, c::CAMPAIGN_ID]
        .into_iter()
        .chain(measures)
        .map(col)
        .collect();
    let all = concat(
        [by_channel.select(order.clone()), by_campaign.select(order)],
        UnionArgs::default(),
    )?
    .with_columns([
        per(c::CONVERTED, c::REACHED).alias(c::CONVERSION_RATE),
        per(c::COST, c::CONVERTED).alias(c::COST_PER_CONVERSION),
        per(c::FIRST_TOPUP_TOTAL, c::CONVERTED).alias(c::FIRST_TOPUP_PER_CONVERSION),
    ])
    .with_columns([
        col(c::REACHED).cast(DataType::Int64),
        col(c::CONVERTED).cast(DataType::Int64),
    ])
    .select(c::CAMPAIGNS.map(col))
    .collect()?;
    Ok(all)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn channel_totals_then_campaigns_with_rates() -> Result<()> {
        let df = df!(
            s::CAMPAIGN_ID => ["C2", "C1", "C3"],
            s::CHANNEL => ["flyer", "flyer", "visit"],
            s::REACHED => [Some(400_i64), Some(200), Some(10)],
            s::CONVERTED => [Some(2_i64), Some(1), Some(0)],
            s::COST => [Some(300.0), None, Some(50.0)],
            s::FIRST_TOPUP_TOTAL => [6000.0, 3000.0, 0.0],
        )?;
        let out = frame(&df)?;
        assert_eq!(out.get_column_names(), c::CAMPAIGNS);
        let by: Vec<_> = out
            .column(c::BY)?
            .str()?
            .iter()
            .flatten()
            .map(String::from)
            .collect();
        assert_eq!(
            by,
            ["channel", "channel", "campaign", "campaign", "campaign"]
        );
        let ids: Vec<Option<&str>> = out.column(c::CAMPAIGN_ID)?.str()?.iter().collect();
        assert_eq!(ids, [None, None, Some("C1"), Some("C2"), Some("C3")]);
        let f = |name: &str| -> Result<Vec<Option<f64>>> {
            Ok(out.column(name)?.f64()?.iter().collect())
        };
        // flyer: 3 of 600 = 0.5%; cost known for C2 only
        assert_eq!(f(c::CONVERSION_RATE)?[0], Some(0.005));
        assert_eq!(f(c::COST)?[0], Some(300.0));
        assert_eq!(f(c::COST_PER_CONVERSION)?[0], Some(100.0));
        assert_eq!(f(c::FIRST_TOPUP_PER_CONVERSION)?[0], Some(3000.0));
        // C3 converted nobody: per-conversion figures are empty
        assert_eq!(f(c::COST_PER_CONVERSION)?[4], None);
        assert_eq!(f(c::CONVERSION_RATE)?[4], Some(0.0));
        Ok(())
    }
}
