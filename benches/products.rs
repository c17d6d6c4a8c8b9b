//! Criterion benches of the product stage's heavy half by purchase lines (100k, 1M, 3M):
//! reading the lines into per-customer sums and baskets (`Bought::of`), then mining the
//! association rules (`rules::mine`). The log is a seeded retail-like one: 300 products, orders
//! of 1-8 lines, products drawn from 40 bundles so some go together.
//! Run: `cargo bench --bench products`.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use kam::products::{Bought, ProductsParams, rules};
use polars::prelude::*;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

const PRODUCTS: usize = 300;
const BUNDLES: usize = 40;

/// About `lines` purchase lines: 20 lines per customer on average.
fn log(lines: usize) -> DataFrame {
    let mut rng = StdRng::seed_from_u64(7);
    let bundles: Vec<Vec<usize>> = (0..BUNDLES)
        .map(|_| (0..6).map(|_| rng.random_range(0..PRODUCTS)).collect())
        .collect();
    let customers = (lines / 20).max(1);
    let (mut ids, mut days, mut orders, mut products, mut amounts) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut order = 0u64;
    while ids.len() < lines {
        order += 1;
        let c = rng.random_range(0..customers);
        let day = 19_000 + rng.random_range(0..1_000);
        let bundle = &bundles[rng.random_range(0..BUNDLES)];
        for _ in 0..rng.random_range(1..=8) {
            let p = if rng.random_bool(0.7) {
                bundle[rng.random_range(0..bundle.len())]
            } else {
                rng.random_range(0..PRODUCTS)
            };
            ids.push(format!("C{c:07}"));
            days.push(day);
            orders.push(format!("O{order:09}"));
            products.push(format!("P{p:03}"));
            amounts.push(rng.random_range(1.0..500.0));
        }
    }
    let date = Column::new("date".into(), days)
        .cast(&DataType::Date)
        .expect("dates");
    DataFrame::new(
        ids.len(),
        vec![
            Column::new("customer_id".into(), ids),
            date,
            Column::new("order_id".into(), orders),
            Column::new("product".into(), products),
            Column::new("amount".into(), amounts),
        ],
    )
    .expect("frame")
}

fn bench_products(c: &mut Criterion) {
    let p = ProductsParams::default().check().expect("params");
    let t = rules::Thresholds {
        min_support: p.min_support,
        min_confidence: p.min_confidence,
        max_antecedent: p.max_antecedent,
    };
    let mut g = c.benchmark_group("products");
    g.sample_size(10);
    for n in [100_000, 1_000_000, 3_000_000] {
        let tx = log(n);
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(BenchmarkId::new("bought", n), &tx, |b, tx| {
            b.iter(|| Bought::of(tx, &p).expect("bought"))
        });
        let bought = Bought::of(&tx, &p).expect("bought").expect("products");
        g.bench_with_input(BenchmarkId::new("rules", n), &bought, |b, x| {
            b.iter(|| rules::mine(&x.baskets, t))
        });
    }
    g.finish();
}

criterion_group!(benches, bench_products);
criterion_main!(benches);
