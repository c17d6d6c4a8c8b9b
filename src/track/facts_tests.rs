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

#[test]
fn daily_sales_key_keeps_customer_and_day_order_around_1970() -> Result<()> {
    let used = df!(
        IDX => [1u32, 0, 1, 0, 1],
        s::DATE => [d(1969, 12, 31), d(2025, 3, 1), d(1970, 1, 1), d(2025, 3, 1), d(1969, 12, 31)],
        s::AMOUNT => [1.0, 2.0, 4.0, 8.0, 16.0],
    )?
    .lazy()
    .with_column(col(s::DATE).cast(DataType::Date));
    let daily = daily_sales(used, false)?;
    let idx: Vec<Option<u32>> = daily.column(IDX)?.u32()?.iter().collect();
    assert_eq!(idx, [Some(0), Some(1), Some(1)]);
    let days = frame::days(&daily, s::DATE)?;
    assert_eq!(days, [Some(epoch_days(d(2025, 3, 1))), Some(-1), Some(0)]);
    assert_eq!(
        frame::f64s(&daily, s::AMOUNT)?,
        [Some(10.0), Some(17.0), Some(4.0)]
    );
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
