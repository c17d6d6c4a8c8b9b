//! What each customer bought, on a hand-made ledger: returns buy nothing, baskets by order or
//! by customer-day, the per-customer columns.

use chrono::NaiveDate;
use polars::prelude::*;

use super::*;
use crate::products::params::{Basket, ProductsParams};
use crate::schema::columns as c;

type TestResult = std::result::Result<(), Box<dyn std::error::Error>>;

const KEY: &str = "__prod_basket";
const CODE: &str = "__prod_code";

// ---- the Polars group-by the walk replaced, kept as its oracle ----

/// Revenue per customer and `what` (product or channel).
fn oracle_sums(lines: LazyFrame, what: &str) -> crate::error::Result<DataFrame> {
    Ok(lines
        .group_by([col(s::CUSTOMER_ID), col(what)])
        .agg([
            frame::fixed_sum(col(s::AMOUNT)).alias(REVENUE),
            col(s::DATE).min().alias(FIRST),
        ])
        .sort([s::CUSTOMER_ID, what], Default::default())
        .collect()?)
}

/// The baskets: product codes per order (a line without an order id: its customer's day) or
/// per customer-day. Products become codes first (a join with the small catalogue), so the
/// grouping carries four bytes per line instead of its text.
fn oracle_baskets(
    lines: LazyFrame,
    by_order: bool,
    catalog: &[String],
) -> crate::error::Result<Baskets> {
    let n = catalog.len();
    let codes = DataFrame::new(
        n,
        vec![
            Column::new(s::PRODUCT.into(), catalog.to_vec()),
            Column::new(CODE.into(), (0..n as u32).collect::<Vec<u32>>()),
        ],
    )?;
    let keys = match by_order {
        // lines of one order, or without an order id, of one customer-day
        true => vec![
            col(s::CUSTOMER_ID),
            col(s::ORDER_ID),
            when(col(s::ORDER_ID).is_null())
                .then(col(s::DATE))
                .otherwise(lit(NULL).cast(DataType::Date))
                .alias(KEY),
        ],
        false => vec![col(s::CUSTOMER_ID), col(s::DATE)],
    };
    let args = JoinArgs::new(JoinType::Inner);
    let grouped = lines
        .join(codes.lazy(), [col(s::PRODUCT)], [col(s::PRODUCT)], args)
        .group_by(keys)
        .agg([col(CODE)])
        .select([col(CODE)])
        .collect()?;
    let lists = grouped.column(CODE)?.list()?.clone();
    let mut out = Vec::with_capacity(lists.len());
    for l in lists.amortized_iter().flatten() {
        out.push(l.as_ref().u32()?.iter().flatten().collect());
    }
    Ok(Baskets::count(out))
}

/// A seeded ledger: 300 customers, orders of 1-4 lines, some lines without an order id, a
/// product or a channel, some returns.
fn random_ledger(seed: u64, catalog: u32) -> PolarsResult<DataFrame> {
    use rand::{RngExt, SeedableRng};
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let (mut ids, mut days, mut orders, mut products, mut channels, mut amounts) =
        (vec![], vec![], vec![], vec![], vec![], vec![]);
    for o in 0..3000 {
        let c = rng.random_range(0..300);
        let day = d(1) + chrono::Duration::days(rng.random_range(0..20));
        let order = (!rng.random_bool(0.1)).then(|| format!("O{o}"));
        for _ in 0..rng.random_range(1..=4) {
            ids.push(format!("C{c:03}"));
            days.push(day);
            orders.push(order.clone());
            products.push(
                (!rng.random_bool(0.05)).then(|| format!("P{}", rng.random_range(0..catalog))),
            );
            channels.push(
                (!rng.random_bool(0.05)).then(|| ["direct", "phone"][rng.random_range(0..2)]),
            );
            let sign = if rng.random_bool(0.05) { -1.0 } else { 1.0 };
            amounts.push(sign * (rng.random_range(1..100_000) as f64) / 100.0);
        }
    }
    df! {
        "customer_id" => ids, "date" => days, "order_id" => orders, "product" => products,
        "channel" => channels, "amount" => amounts,
    }
}

#[test]
fn the_walk_equals_the_group_by_it_replaced() -> TestResult {
    // 12 products (baskets tallied as bit sets) and 200 (as code lists)
    for (basket, products) in [
        (Basket::Order, 12),
        (Basket::Customer, 12),
        (Basket::Order, 200),
    ] {
        let tx = random_ledger(11, products)?;
        let p = ProductsParams {
            basket,
            ..ProductsParams::default()
        }
        .check()?;
        let b = Bought::of(&tx, &p)?.ok_or("no products")?;
        let positive = tx.clone().lazy().filter(col(s::AMOUNT).gt(lit(0.0)));
        let with_product = positive.clone().filter(col(s::PRODUCT).is_not_null());
        let by_product = oracle_sums(with_product.clone(), s::PRODUCT)?;
        assert!(
            b.by_product.equals_missing(&by_product),
            "{}\n{by_product}",
            b.by_product
        );
        let by_channel =
            oracle_sums(positive.filter(col(s::CHANNEL).is_not_null()), s::CHANNEL)?.drop(FIRST)?;
        let walked = b.by_channel.as_ref().ok_or("no channels")?;
        assert!(walked.equals_missing(&by_channel));
        let baskets = oracle_baskets(with_product, basket == Basket::Order, &b.catalog)?;
        assert_eq!(b.baskets.items, baskets.items);
        assert_eq!(b.baskets.counts, baskets.counts);
    }
    Ok(())
}

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
    // without a product column, channels only; without either, nothing
    let no_products = ledger()?.drop("product")?;
    let b = Bought::of(&no_products, &p)?.ok_or("channels")?;
    assert!(!b.has_products() && b.baskets.total == 0);
    let cols = b.customer_columns()?;
    assert!(!crate::frame::has(&cols, c::PRODUCT_COUNT));
    assert_eq!(
        crate::frame::strings(&cols, c::CHANNEL_MIX)?[0].as_deref(),
        Some("direct 92%, phone 8%")
    );
    assert!(Bought::of(&no_products.drop("channel")?, &p)?.is_none());
    Ok(())
}
