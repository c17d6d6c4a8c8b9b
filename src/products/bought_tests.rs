//! What each customer bought, on a hand-made ledger: returns buy nothing, baskets by order or
//! by customer-day, the per-customer columns.

use chrono::NaiveDate;
use polars::prelude::*;

use super::*;
use crate::products::params::{Basket, ProductsParams};
use crate::schema::columns as c;

type TestResult = std::result::Result<(), Box<dyn std::error::Error>>;

fn d(day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 3, day).expect("date")
}

fn ledger() -> PolarsResult<DataFrame> {
    df! {
        "customer_id" => ["A", "A", "A", "A", "A", "B", "B", "B"],
        "date" => [d(1), d(1), d(1), d(2), d(5), d(1), d(1), d(3)],
        "order_id" => [Some("O1"), Some("O1"), Some("O2"), None, Some("R1"), Some("O3"), None, Some("O4")],
        "product" => [Some("cement"), Some("fly ash"), Some("slag"), Some("cement"), Some("slag"), Some("cement"), Some("admixture"), None],
        "channel" => ["direct", "direct", "phone", "direct", "direct", "depot", "depot", "depot"],
        "amount" => [300.0, 100.0, 50.0, 150.0, -50.0, 80.0, 20.0, 10.0],
    }
}

#[test]
fn returns_buy_nothing_and_baskets_follow_orders() -> TestResult {
    let p = ProductsParams::default().check()?;
    let b = Bought::of(&ledger()?, &p)?.ok_or("no products")?;
    assert_eq!(b.catalog, ["admixture", "cement", "fly ash", "slag"]);
    assert_eq!(b.basket_kind, "order");
    // O1 {cement, fly ash}, O2 {slag}, A's day 2 {cement}, O3 {cement}, B's day 1 {admixture};
    // the return R1 and the line without a product form none
    assert_eq!(b.baskets.total, 5);
    let with = |items: &[u32]| {
        (b.baskets.items.iter().zip(&b.baskets.counts))
            .find(|(i, _)| i.as_slice() == items)
            .map(|(_, n)| *n)
    };
    assert_eq!(with(&[1, 2]), Some(1));
    assert_eq!(with(&[1]), Some(2));
    assert_eq!(with(&[0]), Some(1));
    // by customer-day, A's first day is one basket of three products
    let day = ProductsParams {
        basket: Basket::Customer,
        ..ProductsParams::default()
    };
    let b2 = Bought::of(&ledger()?, &day.check()?)?.ok_or("no products")?;
    assert_eq!(b2.basket_kind, "customer-day");
    assert!(b2.baskets.items.contains(&vec![1, 2, 3]));
    assert!(b2.baskets.items.contains(&vec![0, 1]));
    assert_eq!(b2.baskets.total, 3);
    Ok(())
}

#[test]
fn customer_columns_rank_products_and_channels_by_revenue() -> TestResult {
    let p = ProductsParams::default().check()?;
    let b = Bought::of(&ledger()?, &p)?.ok_or("no products")?;
    let cols = b.customer_columns()?;
    let s = |name: &str| crate::frame::strings(&cols, name);
    assert_eq!(s(s::CUSTOMER_ID)?, [Some("A".into()), Some("B".into())]);
    // A: cement 450, fly ash 100, slag 50 (the return does not count)
    assert_eq!(s(c::TOP_PRODUCT)?[0].as_deref(), Some("cement"));
    assert_eq!(s(c::PRODUCTS)?[0].as_deref(), Some("cement; fly ash; slag"));
    let share = crate::frame::f64_at(&cols, c::TOP_PRODUCT_SHARE, 0).unwrap_or(0.0);
    assert!((share - 450.0 / 600.0).abs() < 1e-12);
    let count: Vec<Option<i64>> = cols.column(c::PRODUCT_COUNT)?.i64()?.iter().collect();
    assert_eq!(count, [Some(3), Some(2)]);
    assert_eq!(s(c::MAIN_CHANNEL)?[0].as_deref(), Some("direct"));
    assert_eq!(
        s(c::CHANNEL_MIX)?[0].as_deref(),
        Some("direct 92%, phone 8%")
    );
    // B's channel counts its line without a product too (110 through the depot)
    assert_eq!(s(c::CHANNEL_MIX)?[1].as_deref(), Some("depot 100%"));
    // without a product column, nothing
    let no_products = ledger()?.drop("product")?;
    assert!(Bought::of(&no_products, &p)?.is_none());
    Ok(())
}
