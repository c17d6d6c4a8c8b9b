//! Facts tests: Sunday week ends, month arithmetic, and the business definitions gathered
//! from tiny frames.

use super::*;
use chrono::Weekday;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
}

#[test]
fn weeks_end_on_sunday() {
    // 2026-11-23 is a Monday, 2026-11-29 a Sunday.
    for day in 23..=29 {
        let we = date_of(week_end(epoch_days(d(2026, 11, day))));
        assert_eq!(we, d(2026, 11, 29));
        assert_eq!(we.weekday(), Weekday::Sun);
    }
    assert_eq!(
        date_of(week_end(epoch_days(d(2026, 11, 30)))),
        d(2026, 12, 6)
    );
}

#[test]
fn months_round_trip() {
    let m = month_of(epoch_days(d(2025, 2, 14)));
    assert_eq!(month_label(m), "2025-02");
    assert_eq!(parse_month("2025-02"), Some(m));
    assert_eq!(date_of(month_start(m)), d(2025, 2, 1));
    assert_eq!(date_of(month_end(m)), d(2025, 2, 28));
    assert_eq!(month_label(m - 2), "2024-12");
    assert_eq!(parse_month("2025-13"), None);
}

#[test]
fn gather_finds_new_customers_key_accounts_and_first_topups() -> Result<()> {
    let tx = df!(
        s::CUSTOMER_ID => ["a", "a", "a", "b", "b", "c"],
        s::DATE => [d(2025, 1, 5), d(2025, 1, 5), d(2025, 2, 1), d(2025, 3, 1), d(2025, 3, 2), d(2025, 3, 3)],
        s::AMOUNT => [100.0, 50.0, 12_000.0, 6_000.0, 6_000.0, 20_000.0],
        s::ORDER_ID => [Some("o1"), Some("o1"), Some("o2"), Some("o3"), Some("o3"), None],
    )?;
    let cust = df!(
        s::CUSTOMER_ID => ["a", "b", "c"],
        s::DISTRICT => [Some("North"), Some("South"), None],
        s::ACQUIRED_ON => [Some(d(2024, 12, 20)), None, None],
        s::FIRST_PURCHASE => [d(2025, 1, 5), d(2025, 3, 1), d(2025, 3, 3)],
        KEY_ACCOUNT_TIER => [Some("key"), None, Some("strategic")],
    )?;
    let f = gather(&tx, &cust, d(2025, 12, 31))?;
    let a = &f.customers[0];
    assert_eq!(a.new_on, Some(epoch_days(d(2024, 12, 20))));
    assert_eq!(a.first_topup, Some(150.0));
    // a key account is new as a key account when it is new as a customer
    assert!(a.key_account);
    assert_eq!(a.key_since, a.new_on);
    // b's order o3 totals 12,000, but the tier column says b is no key account: tracking
    // never decides on its own
    let b = &f.customers[1];
    assert_eq!(b.new_on, Some(epoch_days(d(2025, 3, 1))));
    assert_eq!(b.key_since, None);
    assert_eq!(f.customers[2].unit(Level::District), None);
    assert_eq!(f.customers[2].key_since, Some(epoch_days(d(2025, 3, 3))));
    assert_eq!(f.sales.len(), 5);
    assert!(!f.has_volume);
    Ok(())
}

/// Column holding a customer's index into the list in [`lazy_daily`].
const IDX: &str = "__kam_customer";

/// The lazy group-by the walk over each customer's rows replaced: a join to the customer's
/// index, then one group-by on the combined (customer, day) key, sorted.
fn lazy_daily(tx: &DataFrame, list: &[Entry], as_of: NaiveDate) -> Result<DataFrame> {
    let index = df!(
        s::CUSTOMER_ID => list.iter().map(|(c, _)| c.id.as_str()).collect::<Vec<_>>(),
        IDX => (0..list.len() as u32).collect::<Vec<u32>>(),
    )?;
    let mut aggs = vec![frame::fixed_sum(col(s::AMOUNT)).alias(s::AMOUNT)];
    if frame::has(tx, s::QUANTITY) {
        aggs.push(frame::fixed_sum(col(s::QUANTITY)).alias(s::QUANTITY));
    }
    Ok(tx
        .clone()
        .lazy()
        .filter(frame::day(col(s::DATE)).lt_eq(lit(epoch_days(as_of))))
        .join(
            index.lazy(),
            [col(s::CUSTOMER_ID)],
            [col(s::CUSTOMER_ID)],
            JoinArgs::new(JoinType::Inner),
        )
        .group_by([col(IDX), col(s::DATE)])
        .agg(aggs)
        .sort([IDX, s::DATE], SortMultipleOptions::default())
        .collect()?)
}

#[test]
fn daily_sales_equal_the_group_by_in_customer_and_day_order_around_1970() -> Result<()> {
    use rand::{RngExt, SeedableRng};
    let mut rng = rand::rngs::StdRng::seed_from_u64(5);
    let (mut ids, mut dates, mut amounts, mut qty) = (vec![], vec![], vec![], vec![]);
    for _ in 0..2000 {
        ids.push(format!("c{}", rng.random_range(0..40)));
        // days around 1970-01-01 (negative epoch days) and later ones after as_of
        dates.push(date_of(rng.random_range(-60..200)));
        amounts.push(rng.random_range(-5_000..50_000) as f64 / 100.0 + 0.00005);
        qty.push((rng.random_range(0..5) > 0).then(|| rng.random_range(0.0..9.0)));
    }
    let mut tx = df!(s::CUSTOMER_ID => ids, s::DATE => dates, s::AMOUNT => amounts)?;
    let as_of = date_of(150);
    for with_qty in [false, true] {
        if with_qty {
            tx.with_column(Column::new(s::QUANTITY.into(), qty.clone()))?;
        }
        let rows = Rows::of(&tx, with_qty)?;
        let g = CustomerRows::of(&tx, |r| rows.days[r] <= epoch_days(as_of))?;
        let customers = df!(s::CUSTOMER_ID => ["c3", "c1", "zz"])?;
        let mut list = customer_list(&customers, g.ids())?;
        let old = lazy_daily(&tx, &list, as_of)?;
        let new = daily_sales(&rows, &g, &mut list);
        assert!(new.len() > 1000 && new.len() == old.height());
        let idx: Vec<Option<u32>> = old.column(IDX)?.u32()?.iter().collect();
        let days = frame::days(&old, s::DATE)?;
        let amount = frame::f64s(&old, s::AMOUNT)?;
        let qty = frame::f64s(&old, s::QUANTITY)?;
        for (r, sale) in new.iter().enumerate() {
            assert_eq!(idx[r], Some(sale.customer as u32));
            assert_eq!(days[r], Some(sale.day));
            assert_eq!(amount[r], Some(sale.amount), "row {r}");
            assert_eq!(qty[r].unwrap_or(0.0), sale.quantity, "row {r}");
        }
        assert!(new.iter().any(|s| s.day < 0));
    }
    Ok(())
}

#[test]
fn units_number_each_level_and_name_once_and_skip_missing_units() {
    let cust = |id: &str, district: Option<&str>, station: Option<&str>| CustomerFacts {
        id: id.into(),
        district: district.map(String::from),
        station: station.map(String::from),
        manager: None,
        new_on: None,
        key_account: false,
        key_since: None,
        first_topup: None,
    };
    let customers = [
        cust("a", Some("North"), Some("S1")),
        cust("b", Some("North"), None),
        // a station named like a district is another unit
        cust("c", None, Some("North")),
    ];
    let levels = [Level::Company, Level::District, Level::Station];
    let u = Units::new(&customers, &levels);
    let company = (Level::Company, COMPANY);
    let expected = [
        company,
        (Level::District, "North"),
        (Level::Station, "S1"),
        (Level::Station, "North"),
    ];
    assert_eq!(u.keys, expected);
    assert_eq!(u.of(0), [Some(0), Some(1), Some(2)]);
    assert_eq!(u.of(1), [Some(0), Some(1), None]);
    assert_eq!(u.of(2), [Some(0), None, Some(3)]);
}
