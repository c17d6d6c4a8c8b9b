use chrono::NaiveDate;
use polars::prelude::*;

use super::*;
use crate::churn::design::Raw;

/// A source that knows customer "a" only: a mean and a count.
struct Source;

impl PointInTime for Source {
    fn names(&self) -> Vec<&'static str> {
        vec!["score_mean", "complaints"]
    }
    fn at(&self, _day: NaiveDate) -> Result<DataFrame> {
        Ok(df!(
            s::CUSTOMER_ID => ["a"],
            "score_mean" => [10.0 / 3.0],
            "complaints" => [2i64],
        )?)
    }
    fn counts(&self) -> Vec<&'static str> {
        vec!["complaints"]
    }
}

fn numeric(raw: &[Raw], name: &str) -> Vec<Option<f64>> {
    raw.iter()
        .find_map(|r| match r {
            Raw::Numeric { name: n, values } if n == name => Some(values.clone()),
            _ => None,
        })
        .unwrap_or_default()
}

#[test]
fn unknown_customers_have_zero_counts_and_numbers_enter_as_published() -> Result<()> {
    let day = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap_or_default();
    let mut cols = vec![Column::new(s::CUSTOMER_ID.into(), ["a", "b"])];
    for n in NUMERIC {
        cols.push(Column::new(n.into(), [1.0 / 3.0, 2.0]));
    }
    let rows = DataFrame::new(2, cols)?;
    let with = with_extra(rows.lazy(), &[&Source], day)?.collect()?;
    let table = df!(
        s::CUSTOMER_ID => ["a", "b"],
        s::CREDIT_DAYS => [30i64, 45],
        s::POTENTIAL_VOLUME => [1.23456789, 2.0],
    )?;
    let (_, raw) = with_attributes(with, &table, &["score_mean", "complaints"])?;
    // "b" is unknown to the source: its count is 0, its mean blank
    assert_eq!(numeric(&raw, "complaints"), [Some(2.0), Some(0.0)]);
    assert_eq!(numeric(&raw, "score_mean"), [Some(3.333333), None]);
    // attributes as kam writes them (6 decimals); behaviour features exact
    assert_eq!(
        numeric(&raw, s::POTENTIAL_VOLUME),
        [Some(1.234568), Some(2.0)]
    );
    assert_eq!(numeric(&raw, s::CREDIT_DAYS), [Some(30.0), Some(45.0)]);
    assert_eq!(numeric(&raw, s::RECENCY_DAYS), [Some(1.0 / 3.0), Some(2.0)]);
    Ok(())
}
