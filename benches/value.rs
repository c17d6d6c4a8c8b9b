//! Criterion benches of the BG/NBD fit by number of customers, on customers simulated from a
//! BG/NBD process with the CDNOW parameters (seeded), recency and T in whole days expressed in
//! weeks as a daily log gives them; and of the intervals (`bootstrap`: 200 seeded resamples
//! refitted; `bands`: every customer's delta-method intervals and the company forecast); and of
//! the model diagnostics (the frequency histogram from each customer's exact P(X(T) = x) under
//! BG/NBD and Pareto/NBD, and the two frequency/recency matrices).
//! Run: `cargo bench --bench value`.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use kam::value::bgnbd::BgNbdParams;
use kam::value::data::Rfm;
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand_distr::{Beta, Distribution, Exp1, Gamma};

/// (frequency, recency, T) of `n` simulated customers.
fn simulate(n: usize, seed: u64) -> Rfm {
    let (r, alpha, a, b) = (0.2426, 4.4135, 0.7929, 2.4258);
    let mut rng = StdRng::seed_from_u64(seed);
    let lam_d = Gamma::new(r, 1.0 / alpha).expect("gamma");
    let p_d = Beta::new(a, b).expect("beta");
    let (mut xs, mut rs, mut ts) = (
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
    );
    for i in 0..n {
        let t_days = 7 + (i * 7919) % (78 * 7 - 6);
        let lam: f64 = lam_d.sample(&mut rng) / 7.0; // per day
        let p: f64 = p_d.sample(&mut rng);
        let (mut t, mut x, mut last) = (0.0_f64, 0u32, 0.0_f64);
        loop {
            let gap: f64 = Exp1.sample(&mut rng);
            t += gap / lam.max(1e-12);
            if t > t_days as f64 {
                break;
            }
            x += 1;
            last = t;
            if rand::RngExt::random_bool(&mut rng, p) {
                break;
            }
        }
        let rec = if x > 0 {
            last.ceil().clamp(1.0, t_days as f64)
        } else {
            0.0
        };
        xs.push(f64::from(x));
        rs.push(rec / 7.0);
        ts.push(t_days as f64 / 7.0);
    }
    Rfm::new(xs, rs, ts).expect("valid simulated customers")
}

fn bench_fit(c: &mut Criterion) {
    let mut g = c.benchmark_group("bgnbd_fit");
    g.sample_size(10);
    let fit = BgNbdParams::default().check().expect("params");
    for n in [10_000, 100_000, 1_000_000] {
        let data = simulate(n, 42);
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(BenchmarkId::from_parameter(n), &data, |bch, d| {
            bch.iter(|| fit.fit(&d.compress()).expect("fit"))
        });
    }
    g.finish();
}

fn bench_intervals(c: &mut Criterion) {
    use kam::value::bands::total_purchases;
    use kam::value::intervals::{Spread, log_covariance};
    use kam::value::purchases::Purchases;
    let mut g = c.benchmark_group("bgnbd_intervals");
    g.sample_size(10);
    let fit = BgNbdParams::default().check().expect("params");
    for n in [10_000, 100_000, 1_000_000] {
        let data = simulate(n, 42);
        let triples = data.compress();
        let m = Purchases::Bgnbd(fit.fit(&triples).expect("fit"));
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(BenchmarkId::new("bootstrap_200", n), &triples, |bch, d| {
            bch.iter(|| kam::value::bootstrap::purchases(&m, d, 0.0, 200, 7).expect("draws"))
        });
        let theta = m.log_params().map(f64::exp);
        let u = m.uncertainty().expect("standard errors");
        let spread = Spread {
            level: 0.8,
            purchases: log_covariance(u, &m.names(), &theta),
            spend: None,
        };
        g.bench_with_input(BenchmarkId::new("forecast_band", n), &data, |bch, d| {
            bch.iter(|| total_purchases(&m, d, 52.0, &spread).expect("band"))
        });
    }
    g.finish();
}

fn bench_diagnostics(c: &mut Criterion) {
    use kam::schema::TimeUnit;
    use kam::value::diagnostics::{frequency_histogram, matrices};
    use kam::value::pareto_nbd::ParetoNbdParams;
    use kam::value::purchases::Purchases;
    let mut g = c.benchmark_group("value_diagnostics");
    g.sample_size(10);
    let small = simulate(10_000, 7).compress();
    let bg = Purchases::Bgnbd(
        (BgNbdParams::default().check().expect("params").fit(&small)).expect("fit"),
    );
    let pareto = Purchases::Pareto(
        (ParetoNbdParams::default()
            .check()
            .expect("params")
            .fit(&small))
        .expect("fit"),
    );
    for n in [100_000, 1_000_000] {
        let data = simulate(n, 42);
        g.throughput(Throughput::Elements(n as u64));
        for (name, m) in [("histogram_bgnbd", &bg), ("histogram_pareto", &pareto)] {
            g.bench_with_input(BenchmarkId::new(name, n), &data, |bch, d| {
                bch.iter(|| frequency_histogram(d, m).expect("histogram"))
            });
        }
        g.bench_with_input(BenchmarkId::new("matrices_bgnbd", n), &data, |bch, d| {
            bch.iter(|| matrices(d, &bg, 52.0, TimeUnit::Weeks).expect("matrices"))
        });
    }
    g.finish();
}

criterion_group!(benches, bench_fit, bench_intervals, bench_diagnostics);
criterion_main!(benches);
