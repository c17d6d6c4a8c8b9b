//! Times one k-means fit on a matrix written by `benches/compare_sklearn.py` (raw little-endian
//! f64, row-major) and prints `{"seconds", "inertia", "iterations"}` of the best of `repeat` runs
//! as one JSON line. `--linfa` times linfa-clustering's `KMeans` as-is instead of kam's fit
//! (only `fit` timed; inertia recomputed as a sum from linfa's centroids; iterations unknown,
//! printed as 0).
//!
//! `cargo run --release --example kmeans_bench -- FILE DIMS K N_INIT REPEAT [SEED] [--linfa]`

use std::error::Error;
use std::time::Instant;

use kam::segment::kmeans::KMeansParams;
use linfa::DatasetBase;
use linfa::traits::{Fit, Predict};
use linfa_clustering::KMeans;
use ndarray::Array2;
use rand_xoshiro::Xoshiro256Plus;
use rand_xoshiro::rand_core::SeedableRng;

fn main() -> Result<(), Box<dyn Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 5 {
        return Err("usage: kmeans_bench FILE DIMS K N_INIT REPEAT [SEED] [--linfa]".into());
    }
    let bytes = std::fs::read(&args[0])?;
    let (d, k, n_init, repeat): (usize, usize, usize, usize) = (
        args[1].parse()?,
        args[2].parse()?,
        args[3].parse()?,
        args[4].parse()?,
    );
    let linfa = args.iter().any(|a| a == "--linfa");
    let seed: u64 = match args.get(5).filter(|a| *a != "--linfa") {
        Some(s) => s.parse()?,
        None => 0,
    };
    let values: Vec<f64> = bytes
        .chunks_exact(8)
        .map(|b| f64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]))
        .collect();
    let x = Array2::from_shape_vec((values.len() / d, d), values)?;

    let mut best: Option<(f64, f64, u64)> = None;
    for _ in 0..repeat.max(1) {
        let t0 = Instant::now();
        let mut secs = 0.0;
        let (inertia, iterations) = if linfa {
            let ds = DatasetBase::from(x.view());
            let m = KMeans::params_with_rng(k, Xoshiro256Plus::seed_from_u64(seed))
                .n_runs(n_init)
                .max_n_iterations(300)
                .tolerance(1e-4)
                .fit(&ds)?;
            // linfa's fit gives no labels: only the fit is timed
            secs = t0.elapsed().as_secs_f64();
            let labels = m.predict(&x);
            let c = m.centroids();
            let inertia: f64 = x
                .rows()
                .into_iter()
                .zip(labels.iter())
                .map(|(r, &l)| (&r - &c.row(l)).mapv(|v| v * v).sum())
                .sum();
            (inertia, 0)
        } else {
            let mut p = KMeansParams::new(k);
            p.n_init = n_init;
            p.seed = seed;
            let m = p.check()?.fit(&x)?;
            (m.inertia, m.iterations)
        };
        if !linfa {
            secs = t0.elapsed().as_secs_f64();
        }
        eprintln!("{secs:.3} s, inertia {inertia:.2}, {iterations} iterations");
        if best.is_none_or(|b| secs < b.0) {
            best = Some((secs, inertia, iterations));
        }
    }
    if let Some((s, i, it)) = best {
        println!("{{\"seconds\": {s}, \"inertia\": {i}, \"iterations\": {it}}}");
    }
    Ok(())
}
