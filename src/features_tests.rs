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

/// The lazy definition the one-pass aggregation replaced (three Polars group-bys joined on
/// the customer), kept as the oracle it must equal.
mod lazy {
    use super::*;
    use crate::frame::{day_in, fixed};

    fn is_purchase() -> Expr {
        col(s::AMOUNT).gt_eq(lit(0.0))
    }

    fn only(cond: Expr, e: Expr, other: Expr) -> Expr {
        when(cond).then(e).otherwise(other)
    }

    pub fn per_customer(tx: &DataFrame, as_of: NaiveDate, unit: TimeUnit) -> LazyFrame {
        let cols = TxColumns::of(tx);
        let tx = prepared(tx.clone().lazy(), cols, as_of);
        let key = || [col(s::CUSTOMER_ID)];
        let mut plain = vec![
            col("__pd").min().alias("__first"),
            col("__pd").max().alias("__last"),
            col("__pamt").sum().alias("__purchases"),
            col("__ramt").sum().alias("__returns"),
            col("__d").min().alias("__first_tx"),
            unfixed(col("__r12").sum()).alias(s::REVENUE_LAST_12M),
            unfixed(col("__r24").sum()).alias(s::REVENUE_PREV_12M),
        ];
        if cols.quantity {
            plain.push(frame::fixed_sum(col(s::QUANTITY)).alias(s::QUANTITY_TOTAL));
        }
        plain.push(if cols.order_id {
            col("__row_order").max().alias("__largest_row")
        } else {
            col(s::AMOUNT).max().alias(s::LARGEST_ORDER)
        });
        let days = tx.clone().filter(is_purchase()).group_by(key()).agg([
            col("__pd").n_unique().cast(DataType::Int64).alias("__days"),
            col("__pamt")
                .filter(col("__pd").eq(col("__pd").min()))
                .sum()
                .alias("__first_day"),
        ]);
        let mut out = tx.clone().group_by(key()).agg(plain).left_join(
            days,
            col(s::CUSTOMER_ID),
            col(s::CUSTOMER_ID),
        );
        if cols.order_id {
            let orders = tx
                .filter(col(s::ORDER_ID).is_not_null())
                .group_by([col(s::CUSTOMER_ID), col(s::ORDER_ID)])
                .agg([
                    unfixed(col("__fx").sum()).alias("__order"),
                    col("__isp").max().alias("__has_purchase"),
                ])
                .group_by(key())
                .agg([
                    col("__order").max().alias("__largest_order"),
                    col("__has_purchase")
                        .cast(DataType::Int64)
                        .sum()
                        .alias(s::ORDERS),
                ]);
            out = out
                .left_join(orders, col(s::CUSTOMER_ID), col(s::CUSTOMER_ID))
                .with_column(
                    polars::lazy::dsl::max_horizontal([
                        col("__largest_order"),
                        col("__largest_row"),
                    ])
                    .unwrap_or_else(|_| col("__largest_order"))
                    .alias(s::LARGEST_ORDER),
                );
        }
        derived(out, cols, as_of, unit)
    }

    fn prepared(tx: LazyFrame, cols: TxColumns, as_of: NaiveDate) -> LazyFrame {
        let m12 = frame::months_before(as_of, 12);
        let m24 = frame::months_before(as_of, 24);
        let between =
            |from: NaiveDate, to: NaiveDate| day_in(col("__d"), epoch_days(from), epoch_days(to));
        let fx = col("__fx");
        let zero = || lit(0i64);
        let mut pre = vec![
            day(col(s::DATE)).alias("__d"),
            only(is_purchase(), fx.clone(), zero()).alias("__pamt"),
            only(is_purchase(), zero(), fx.clone()).alias("__ramt"),
            only(
                is_purchase(),
                day(col(s::DATE)),
                lit(NULL).cast(DataType::Int32),
            )
            .alias("__pd"),
        ];
        if cols.order_id {
            pre.push(is_purchase().cast(DataType::UInt32).alias("__isp"));
            pre.push(
                only(
                    col(s::ORDER_ID).is_null(),
                    col(s::AMOUNT),
                    lit(NULL).cast(DataType::Float64),
                )
                .alias("__row_order"),
            );
        }
        tx.filter(day(col(s::DATE)).lt_eq(lit(epoch_days(as_of))))
            .with_column(fixed(col(s::AMOUNT)).alias("__fx"))
            .with_columns(pre)
            .with_columns([
                only(between(m12, as_of), fx.clone(), zero()).alias("__r12"),
                only(between(m24, m12), fx, zero()).alias("__r24"),
            ])
    }
}

/// Seeded transactions with what real exports hold: returns, zero amounts, several rows per
/// order and day, rows without an order id, missing quantities, rows after `as_of`.
fn messy(seed: u64, with_orders: bool) -> Result<DataFrame> {
    use rand::{RngExt, SeedableRng};
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let n = 4000;
    let start = epoch_days(d(2022, 1, 1));
    let (mut ids, mut dates, mut amounts, mut qty, mut orders) =
        (vec![], vec![], vec![], vec![], vec![]);
    for _ in 0..n {
        ids.push(format!("C{:03}", rng.random_range(0..150)));
        dates.push(frame::date_of(start + rng.random_range(0..1300)));
        let cents: i64 = rng.random_range(-20_000..200_000);
        amounts.push(match rng.random_range(0..20) {
            0 => 0.0,
            _ => cents as f64 / 100.0 + 0.00005,
        });
        qty.push((rng.random_range(0..10) > 0).then(|| rng.random_range(0.0..50.0)));
        orders.push((rng.random_range(0..8) > 0).then(|| format!("O{}", rng.random_range(0..900))));
    }
    let mut df = df!(
        s::CUSTOMER_ID => ids,
        s::DATE => dates,
        s::AMOUNT => amounts,
        s::QUANTITY => qty,
    )?;
    if with_orders {
        df.with_column(Column::new(s::ORDER_ID.into(), orders))?;
    }
    Ok(df)
}

#[test]
fn one_pass_equals_the_lazy_definition() -> Result<()> {
    let as_of = d(2025, 3, 1);
    for (seed, with_orders) in [(1, true), (2, false), (3, true)] {
        let tx = messy(seed, with_orders)?;
        for unit in [TimeUnit::Days, TimeUnit::Weeks] {
            let sorted = |lf: LazyFrame| -> Result<DataFrame> {
                let mut names: Vec<Expr> = vec![col(s::CUSTOMER_ID)];
                names.extend(
                    s::FEATURES
                        .iter()
                        .filter(|(n, _)| {
                            ![s::IN_CUSTOMER_TABLE, s::TENURE_DAYS, s::TREND_12M].contains(n)
                        })
                        .filter(|(n, _)| *n != s::QUANTITY_TOTAL || frame::has(&tx, s::QUANTITY))
                        .map(|(n, _)| col(*n)),
                );
                Ok(lf
                    .select(names)
                    .sort([s::CUSTOMER_ID], Default::default())
                    .collect()?)
            };
            let new = sorted(per_customer(&tx, as_of, unit)?)?;
            let old = sorted(lazy::per_customer(&tx, as_of, unit))?;
            assert_eq!(new.height(), old.height());
            for c in old.columns() {
                let n = new.column(c.name())?;
                assert!(
                    n.equals_missing(c),
                    "{} differs (seed {seed}):\n{n:?}\n{c:?}",
                    c.name()
                );
            }
        }
    }
    Ok(())
}
