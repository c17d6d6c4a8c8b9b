use super::*;
use crate::frame::f64_at;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap_or(NaiveDate::MIN)
}

fn tx() -> PolarsResult<DataFrame> {
    df!(
        s::CUSTOMER_ID => ["A", "A", "A", "A", "B", "B"],
        s::DATE => [d(2024, 1, 1), d(2024, 1, 1), d(2024, 1, 15), d(2025, 6, 1), d(2025, 3, 1), d(2025, 3, 5)],
        s::AMOUNT => [10.0, 5.0, 30.0, -8.0, 100.0, 0.0],
    )
}

#[test]
fn features_follow_the_bgnbd_definitions() -> Result<()> {
    let as_of = d(2025, 7, 1);
    let out = customer_table(&tx()?, None, as_of, TimeUnit::Days)?;
    assert_eq!(out.height(), 2);
    // A: purchase days 2024-01-01 (15) and 2024-01-15 (30); a return later
    assert_eq!(f64_at(&out, s::FREQUENCY, 0), Some(1.0));
    assert_eq!(f64_at(&out, s::RECENCY, 0), Some(14.0));
    assert_eq!(
        f64_at(&out, s::T, 0),
        Some((as_of - d(2024, 1, 1)).num_days() as f64)
    );
    assert_eq!(f64_at(&out, s::MONETARY_VALUE, 0), Some(30.0));
    assert_eq!(f64_at(&out, s::MONETARY_TOTAL, 0), Some(37.0));
    assert_eq!(f64_at(&out, s::RETURNS_TOTAL, 0), Some(8.0));
    assert_eq!(f64_at(&out, s::ORDERS, 0), Some(2.0));
    assert_eq!(f64_at(&out, s::LARGEST_ORDER, 0), Some(30.0));
    assert_eq!(
        f64_at(&out, s::RECENCY_DAYS, 0),
        Some((as_of - d(2024, 1, 15)).num_days() as f64)
    );
    // 12-month windows: (2024-07-01, 2025-07-01] holds only the return
    assert_eq!(f64_at(&out, s::REVENUE_LAST_12M, 0), Some(-8.0));
    assert_eq!(f64_at(&out, s::REVENUE_PREV_12M, 0), Some(45.0));
    assert!((f64_at(&out, s::TREND_12M, 0).unwrap_or(0.0) - (-53.0 / 45.0)).abs() < 1e-12);
    // B: a zero-value purchase counts as a purchase day
    assert_eq!(f64_at(&out, s::FREQUENCY, 1), Some(1.0));
    assert_eq!(f64_at(&out, s::MONETARY_VALUE, 1), Some(0.0));
    assert_eq!(f64_at(&out, s::TREND_12M, 1), None);
    Ok(())
}

#[test]
fn weeks_divide_by_seven_and_later_transactions_are_ignored() -> Result<()> {
    let out = customer_table(&tx()?, None, d(2024, 1, 15), TimeUnit::Weeks)?;
    assert_eq!(out.height(), 1, "B has no transaction on or before as_of");
    assert_eq!(f64_at(&out, s::RECENCY, 0), Some(2.0));
    assert_eq!(f64_at(&out, s::T, 0), Some(2.0));
    assert_eq!(f64_at(&out, s::MONETARY_TOTAL, 0), Some(45.0));
    Ok(())
}

#[test]
fn orders_and_largest_order_use_order_ids() -> Result<()> {
    let tx = df!(
        s::CUSTOMER_ID => ["A", "A", "A", "A"],
        s::DATE => [d(2024, 1, 1), d(2024, 1, 1), d(2024, 1, 1), d(2024, 2, 1)],
        s::AMOUNT => [10.0, 20.0, 5.0, 28.0],
        s::ORDER_ID => [Some("o1"), Some("o1"), Some("o2"), None],
    )?;
    let out = customer_table(&tx, None, d(2024, 3, 1), TimeUnit::Days)?;
    assert_eq!(f64_at(&out, s::ORDERS, 0), Some(2.0));
    assert_eq!(f64_at(&out, s::LARGEST_ORDER, 0), Some(30.0));
    Ok(())
}

#[test]
fn customers_without_purchases_are_kept_and_unknown_ones_added() -> Result<()> {
    let customers = df!(
        s::CUSTOMER_ID => ["A", "Z"],
        s::ACQUIRED_ON => [d(2023, 1, 1), d(2025, 1, 1)],
    )?;
    let out = customer_table(&tx()?, Some(&customers), d(2025, 7, 1), TimeUnit::Days)?;
    let ids: Vec<Option<&str>> = out.column(s::CUSTOMER_ID)?.str()?.iter().collect();
    assert_eq!(ids, [Some("A"), Some("B"), Some("Z")]);
    let known: Vec<Option<bool>> = out.column(s::IN_CUSTOMER_TABLE)?.bool()?.iter().collect();
    assert_eq!(known, [Some(true), Some(false), Some(true)]);
    assert_eq!(f64_at(&out, s::ORDERS, 2), Some(0.0));
    assert_eq!(f64_at(&out, s::FREQUENCY, 2), None);
    // tenure counts from acquired_on when earlier than the first transaction
    assert_eq!(
        f64_at(&out, s::TENURE_DAYS, 0),
        Some((d(2025, 7, 1) - d(2023, 1, 1)).num_days() as f64)
    );
    assert_eq!(f64_at(&out, s::TENURE_DAYS, 2), Some(181.0));
    Ok(())
}

#[test]
fn totals_are_exact_and_identical_run_to_run() -> Result<()> {
    // regression: streaming float sums differed in the last digit between runs
    let params = crate::generate::GenerateParams {
        customers: 300,
        months: 12,
        ..Default::default()
    }
    .check()?;
    let tx = crate::generate::generate(&params)?.transactions;
    let as_of = d(2026, 1, 1);
    let first = customer_table(&tx, None, as_of, TimeUnit::Weeks)?;
    for _ in 0..4 {
        let again = customer_table(&tx, None, as_of, TimeUnit::Weeks)?;
        assert!(first.equals_missing(&again));
    }
    let small = df!(
        s::CUSTOMER_ID => ["A", "A", "A"],
        s::DATE => [d(2024, 1, 1), d(2024, 1, 2), d(2024, 1, 3)],
        s::AMOUNT => [0.1, 0.2, -0.3],
    )?;
    let out = customer_table(&small, None, d(2024, 2, 1), TimeUnit::Days)?;
    assert_eq!(f64_at(&out, s::MONETARY_TOTAL, 0), Some(0.0));
    assert_eq!(f64_at(&out, s::RETURNS_TOTAL, 0), Some(0.3));
    Ok(())
}
