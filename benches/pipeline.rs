//! Criterion benches of the foundation's hot stages, by input size, on the seeded demo
//! generator: per-customer features on in-memory transactions, and load + validate from
//! Parquet and CSV files. Run: `cargo bench --bench pipeline`.

use std::path::Path;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use kam::config::{Config, Overrides, ValidConfig};
use kam::generate::{self, GenerateParams};
use kam::io::{load, write};
use kam::schema::TimeUnit;
use kam::{features, validate};

/// Customers per size; transactions are about 44 per customer over 36 months.
const SIZES: [usize; 3] = [1_000, 5_000, 20_000];

fn company(customers: usize) -> generate::DemoCompany {
    let params = GenerateParams {
        customers,
        ..GenerateParams::default()
    }
    .check()
    .expect("valid params");
    generate::generate(&params).expect("generated")
}

fn config(dir: &Path, file: &str) -> ValidConfig {
    let path = dir.join("kam.toml");
    let text = format!("[input.transactions]\npath = \"{file}\"\n");
    Config::from_toml(&text, &path)
        .and_then(|c| c.check(&path, Overrides::default()))
        .expect("valid config")
}

fn bench_features(c: &mut Criterion) {
    let mut g = c.benchmark_group("features");
    g.sample_size(10);
    for n in SIZES {
        let tx = company(n).transactions;
        let as_of = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).expect("date");
        g.throughput(Throughput::Elements(tx.height() as u64));
        g.bench_with_input(BenchmarkId::from_parameter(n), &tx, |b, tx| {
            b.iter(|| features::customer_table(tx, None, as_of, TimeUnit::Weeks).expect("features"))
        });
    }
    g.finish();
}

fn bench_load_validate(c: &mut Criterion) {
    let mut g = c.benchmark_group("load_validate");
    g.sample_size(10);
    for n in SIZES {
        let tx = company(n).transactions;
        let dir = tempfile::tempdir().expect("tempdir");
        write::parquet(&tx, &dir.path().join("t.parquet")).expect("parquet");
        write::csv(&tx, &dir.path().join("t.csv")).expect("csv");
        g.throughput(Throughput::Elements(tx.height() as u64));
        for file in ["t.parquet", "t.csv"] {
            let cfg = config(dir.path(), file);
            g.bench_with_input(BenchmarkId::new(file, n), &cfg, |b, cfg| {
                b.iter(|| {
                    let raw: Vec<_> = cfg
                        .inputs
                        .iter()
                        .map(|i| load::load(i).expect("load"))
                        .collect();
                    validate::validate(&raw, &cfg.validation, cfg.as_of).expect("validate")
                })
            });
        }
    }
    g.finish();
}

criterion_group!(benches, bench_features, bench_load_validate);
criterion_main!(benches);
