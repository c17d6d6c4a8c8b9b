//! Criterion bench of the merge-candidate search by number of customers (10k, 100k): seeded
//! synthetic Chinese company names in twelve districts with a planted near-duplicate for one
//! customer in fifty (`kam::master::candidates::synthetic`), every rule on (tax id, name,
//! phone, address, similar names at the default 0.85, blocks capped at 100).
//! Run: `cargo bench --bench merge_candidates` (`-- --quick` for one quick pass).

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use kam::master::candidates::{Limits, search::search, synthetic};

fn bench_search(c: &mut Criterion) {
    let mut g = c.benchmark_group("merge_candidates_search");
    g.sample_size(10);
    let limits = Limits {
        min_similarity: 0.85,
        max_block_size: 100,
    };
    for n in [10_000, 100_000] {
        let (customers, _) = synthetic::customers(n, 42);
        g.throughput(Throughput::Elements(customers.len() as u64));
        g.bench_with_input(BenchmarkId::from_parameter(n), &customers, |b, x| {
            b.iter(|| search(x, limits))
        });
    }
    g.finish();
}

criterion_group!(benches, bench_search);
criterion_main!(benches);
