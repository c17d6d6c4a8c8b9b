//! Criterion benches of kam's k-means fit by number of rows (10k, 100k, 1M x 6 features,
//! k = 8, one k-means++ init), on standardised Gaussian clusters from the seeded generator the
//! tests use; plus the sampled silhouette (10,000 rows) used to choose k.
//! Run: `cargo bench --bench kmeans`; against scikit-learn: `benches/compare_sklearn.py`.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use kam::segment::kmeans::{KMeansParams, gaussian_blobs};
use kam::segment::metrics::silhouette;
use ndarray::{Array2, Axis};

/// `n` rows x 6 around 8 centres drawn from N(0, 3^2), unit spread, standardised per column.
fn data(n: usize) -> Array2<f64> {
    let (centres, _) = gaussian_blobs(8, &Array2::zeros((1, 6)), 3.0, 1);
    let (mut x, _) = gaussian_blobs(n, &centres, 1.0, 42);
    let mean = x.mean_axis(Axis(0)).expect("rows");
    let sd = x.std_axis(Axis(0), 0.0);
    for mut row in x.rows_mut() {
        row -= &mean;
        row /= &sd;
    }
    x
}

fn bench_fit(c: &mut Criterion) {
    let mut g = c.benchmark_group("kmeans_fit_k8_one_init");
    g.sample_size(10);
    let fit = KMeansParams {
        n_init: 1,
        ..KMeansParams::new(8)
    }
    .check()
    .expect("params");
    for n in [10_000, 100_000, 1_000_000] {
        let x = data(n);
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(BenchmarkId::from_parameter(n), &x, |b, x| {
            b.iter(|| fit.fit(x).expect("fit"))
        });
    }
    g.finish();
}

fn bench_silhouette(c: &mut Criterion) {
    let mut g = c.benchmark_group("silhouette_sample_10k");
    g.sample_size(10);
    let x = data(100_000);
    let m = KMeansParams {
        n_init: 1,
        ..KMeansParams::new(8)
    }
    .check()
    .and_then(|p| p.fit(&x))
    .expect("fit");
    g.bench_function("100000", |b| {
        b.iter(|| silhouette(&x, &m.labels, Some((10_000, 0))).expect("silhouette"))
    });
    g.finish();
}

criterion_group!(benches, bench_fit, bench_silhouette);
criterion_main!(benches);
