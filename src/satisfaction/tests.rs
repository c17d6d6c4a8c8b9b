//! Satisfaction on hand-made feedback: a promoter, a detractor with an open complaint, a
//! passive whose earlier answer falls outside the window, a customer without feedback.

use chrono::NaiveDate;
use polars::prelude::*;

use super::*;
use crate::schema::columns as c;

type TestResult = std::result::Result<(), Box<dyn std::error::Error>>;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("date")
}

/// customer, date, kind, score, nps, resolved_on
type Row = (
    &'static str,
    NaiveDate,
    &'static str,
    Option<i64>,
    Option<i64>,
    Option<NaiveDate>,
);

fn feedback() -> PolarsResult<DataFrame> {
    let rows: [Row; 9] = [
        ("A", d(2024, 1, 10), "survey", Some(5), Some(10), None),
        (
            "A",
            d(2024, 3, 1),
            "complaint",
            None,
            None,
            Some(d(2024, 3, 11)),
        ),
        // after the day of the figures: not seen
        ("A", d(2024, 7, 15), "complaint", None, None, None),
        ("B", d(2024, 2, 1), "survey", Some(2), Some(3), None),
        ("B", d(2024, 5, 1), "complaint", None, None, None),
        // outside the window: resolved long ago, not counted in complaints
        (
            "B",
            d(2022, 1, 1),
            "complaint",
            None,
            None,
            Some(d(2022, 1, 5)),
        ),
        ("C", d(2023, 6, 1), "survey", Some(1), Some(9), None),
        ("C", d(2024, 6, 1), "survey", Some(4), Some(7), None),
        ("C", d(2024, 6, 20), "visit", None, None, None),
    ];
    df! {
        "customer_id" => rows.iter().map(|r| r.0).collect::<Vec<_>>(),
        "date" => rows.iter().map(|r| r.1).collect::<Vec<_>>(),
        "kind" => rows.iter().map(|r| r.2).collect::<Vec<_>>(),
        "score" => rows.iter().map(|r| r.3).collect::<Vec<_>>(),
        "nps" => rows.iter().map(|r| r.4).collect::<Vec<_>>(),
        "resolved_on" => rows.iter().map(|r| r.5).collect::<Vec<_>>(),
    }
}

fn at() -> NaiveDate {
    d(2024, 6, 30)
}

#[test]
fn per_customer_figures_by_hand() -> TestResult {
    let per = per_customer(&feedback()?, at(), 365)?;
    let ids: Vec<Option<&str>> = per.column("customer_id")?.str()?.iter().collect();
    assert_eq!(ids, [Some("A"), Some("B"), Some("C")]);
    let f = |name: &str| -> PolarsResult<Vec<Option<f64>>> {
        Ok(per
            .column(name)?
            .cast(&DataType::Float64)?
            .f64()?
            .iter()
            .collect())
    };
    assert_eq!(f(c::CSAT_MEAN)?, [Some(5.0), Some(2.0), Some(4.0)]);
    assert_eq!(f(c::NPS_SCORE)?, [Some(10.0), Some(3.0), Some(7.0)]);
    let class: Vec<Option<&str>> = per.column(c::NPS_CLASS)?.str()?.iter().collect();
    assert_eq!(
        class,
        [Some("promoter"), Some("detractor"), Some("passive")]
    );
    assert_eq!(f(c::COMPLAINTS)?, [Some(1.0), Some(1.0), Some(0.0)]);
    // B's complaint of May is open; A's of July is after the day
    assert_eq!(f(c::OPEN_COMPLAINTS)?, [Some(0.0), Some(1.0), Some(0.0)]);
    assert_eq!(f(c::MEAN_DAYS_TO_RESOLVE)?, [Some(10.0), None, None]);
    assert_eq!(
        f(c::DAYS_SINCE_CONTACT)?,
        [Some(121.0), Some(60.0), Some(10.0)]
    );
    // a day before B's complaint: not yet made, so not open
    let before = per_customer(&feedback()?, d(2024, 4, 30), 365)?;
    let open: Vec<Option<i64>> = before.column(c::OPEN_COMPLAINTS)?.i64()?.iter().collect();
    assert_eq!(open[1], Some(0));
    Ok(())
}

#[test]
fn unit_figures_add_up_and_show_their_base() -> TestResult {
    let table = df! {
        "customer_id" => ["A", "B", "C", "D"],
        "district" => ["north", "north", "south", "south"],
    }?;
    let per = per_customer(&feedback()?, at(), 365)?;
    let with = with_customer_columns(table.clone(), &per)?;
    let open: Vec<Option<i64>> = with.column(c::OPEN_COMPLAINTS)?.i64()?.iter().collect();
    assert_eq!(open, [Some(0), Some(1), Some(0), Some(0)]);
    let u = units::by_unit(&table, &per)?;
    assert_eq!(u.get_column_names(), c::SATISFACTION_TABLE);
    let by: Vec<Option<&str>> = u.column(c::BY)?.str()?.iter().collect();
    assert_eq!(by, [Some("company"), Some("district"), Some("district")]);
    let g = |name: &str, row: usize| crate::frame::f64_at(&u, name, row);
    // company: 4 customers, 3 with feedback; one promoter, one passive, one detractor
    assert_eq!(g(c::CUSTOMER_COUNT, 0), Some(4.0));
    assert_eq!(g(c::CUSTOMERS_WITH_FEEDBACK, 0), Some(3.0));
    assert_eq!(g(c::CSAT_RESPONSES, 0), Some(3.0));
    assert!((g(c::CSAT_MEAN, 0).unwrap_or(0.0) - 11.0 / 3.0).abs() < 1e-12);
    assert_eq!(g(c::NPS_RESPONSES, 0), Some(3.0));
    assert_eq!(g(c::NPS, 0), Some(0.0));
    assert_eq!(g(c::COMPLAINTS, 0), Some(2.0));
    assert_eq!(g(c::OPEN_COMPLAINTS, 0), Some(1.0));
    assert_eq!(g(c::MEAN_DAYS_TO_RESOLVE, 0), Some(10.0));
    // north: a promoter and a detractor; south: one passive of two customers
    assert_eq!((g(c::NPS, 1), g(c::PROMOTERS, 1)), (Some(0.0), Some(1.0)));
    assert_eq!(
        (g(c::CUSTOMER_COUNT, 2), g(c::NPS_RESPONSES, 2)),
        (Some(2.0), Some(1.0))
    );
    assert_eq!(g(c::PASSIVES, 2), Some(1.0));
    Ok(())
}
