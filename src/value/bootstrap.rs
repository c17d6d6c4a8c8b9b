//! The seeded bootstrap of a fitted model's parameters (`value.intervals = "bootstrap"`):
//! resample the customers with replacement, refit from the full data's optimum, and take the
//! spread of the refitted parameters.
//!
//! A purchase model is fitted on distinct (frequency, recency, T) triples with counts, so a
//! resample of N customers is a multinomial draw of new counts over the same triples (N
//! binomial draws, one per triple, conditional on the ones before): a resample costs what the
//! triples cost, never the customers. Above [`COARSE_ABOVE`] triples the resamples run on the
//! triples coarsened to 1/50 of the longest T (as the fit's first phase does): the curvature
//! the spread measures is the same, and a million customers' bootstrap takes seconds. Each
//! resample draws from its own generator, seeded from the run's seed and its number, so the
//! answer does not depend on the thread count.

use rand::SeedableRng;
use rand::rngs::StdRng;
use rand_distr::{Binomial, Distribution};

use super::data::Triples;
use super::gamma_gamma::{GammaGamma, GammaGammaParams};
use super::purchases::Purchases;
use crate::error::Result;
use crate::par::map_tasks;

/// Distinct triples above which resamples run on coarsened triples.
pub const COARSE_ABOVE: usize = 20_000;

/// Log-parameters of every resample whose refit converged, and how many were drawn.
#[derive(Debug, Clone)]
pub struct Draws {
    pub log_params: Vec<Vec<f64>>,
    pub resamples: usize,
}

/// The generator of resample `b`: the seed and the number mixed (splitmix-style constant).
fn rng(seed: u64, b: usize) -> StdRng {
    StdRng::seed_from_u64(seed ^ (b as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15))
}

/// New counts over the triples: `customers` drawn with replacement, each triple in
/// proportion to its count.
pub fn resample_counts(n: &[f64], rng: &mut StdRng) -> Vec<f64> {
    let mut left = n.iter().sum::<f64>().round().max(0.0) as u64;
    let mut weight: f64 = n.iter().sum();
    n.iter()
        .map(|&w| {
            if left == 0 || weight <= 0.0 {
                return 0.0;
            }
            let p = (w / weight).clamp(0.0, 1.0);
            weight -= w;
            let k = Binomial::new(left, p).map_or(0, |d| d.sample(rng));
            left -= k;
            k as f64
        })
        .collect()
}

/// Bootstrap draws of a purchase model's log-parameters over `d` (distinct triples with
/// counts): `resamples` seeded resamples, refitted on every core.
pub fn purchases(
    model: &Purchases,
    d: &Triples,
    penalizer: f64,
    resamples: usize,
    seed: u64,
) -> Result<Draws> {
    let coarse;
    let d = if d.len() > COARSE_ABOVE {
        let t_max = d.t.iter().fold(0.0_f64, |m, v| m.max(*v));
        coarse = d.coarsen(t_max / 50.0);
        &coarse
    } else {
        d
    };
    let fits = map_tasks(resamples, |b| {
        let resample = Triples {
            n: resample_counts(&d.n, &mut rng(seed, b)),
            ..d.clone()
        };
        Ok(model.refit(&resample, penalizer).map(|p| p.to_vec()))
    })?;
    Ok(Draws {
        log_params: fits.into_iter().flatten().collect(),
        resamples,
    })
}

/// Bootstrap draws of Gamma-Gamma's log-parameters (p, q, gamma): the customers
/// (`frequency`, `monetary`, as the fit takes them) resampled with replacement.
pub fn spend(
    model: &GammaGamma,
    frequency: &[f64],
    monetary: &[f64],
    penalizer: f64,
    resamples: usize,
    seed: u64,
) -> Result<Draws> {
    use rand::RngExt;
    let start = [model.p, model.q, model.gamma].map(f64::ln);
    let fitter = GammaGammaParams { penalizer }.check()?.from_start(start);
    let n = frequency.len();
    let fits = map_tasks(resamples, |b| {
        let mut r = rng(seed ^ 0x5eed_5bed, b);
        let (mut x, mut m) = (Vec::with_capacity(n), Vec::with_capacity(n));
        for _ in 0..n {
            let i = r.random_range(0..n);
            x.push(frequency[i]);
            m.push(monetary[i]);
        }
        Ok(fitter
            .fit(&x, &m)
            .ok()
            .filter(|g| g.convergence.converged)
            .map(|g| vec![g.p.ln(), g.q.ln(), g.gamma.ln()]))
    })?;
    Ok(Draws {
        log_params: fits.into_iter().flatten().collect(),
        resamples,
    })
}

impl Draws {
    /// Sample covariance of the log-parameter draws (k x k); None with fewer than 10 draws.
    pub fn log_covariance(&self) -> Option<Vec<Vec<f64>>> {
        let d = &self.log_params;
        let k = d.first()?.len();
        if d.len() < 10 {
            return None;
        }
        let n = d.len() as f64;
        let mean: Vec<f64> = (0..k)
            .map(|j| d.iter().map(|v| v[j]).sum::<f64>() / n)
            .collect();
        Some(
            (0..k)
                .map(|i| {
                    (0..k)
                        .map(|j| {
                            d.iter()
                                .map(|v| (v[i] - mean[i]) * (v[j] - mean[j]))
                                .sum::<f64>()
                                / (n - 1.0)
                        })
                        .collect()
                })
                .collect(),
        )
    }

    /// Standard errors and covariance of the natural-scale parameters (e^draw), by name: what
    /// the model file states under `standard_errors` and `covariance`.
    pub fn uncertainty(&self, names: &[&str]) -> Option<super::optim::Uncertainty> {
        let natural = Draws {
            log_params: (self.log_params.iter())
                .map(|v| v.iter().map(|x| x.exp()).collect())
                .collect(),
            resamples: self.resamples,
        };
        let cov = natural.log_covariance()?;
        let k = names.len();
        Some(super::optim::Uncertainty {
            standard_errors: (0..k)
                .map(|i| (names[i].to_string(), cov[i][i].sqrt()))
                .collect(),
            covariance: (0..k)
                .map(|i| {
                    let row = (0..k).map(|j| (names[j].to_string(), cov[i][j])).collect();
                    (names[i].to_string(), row)
                })
                .collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A resample keeps the number of customers, and its counts average to the originals.
    #[test]
    fn resampled_counts_keep_the_customers() {
        let n = [5.0, 1.0, 0.0, 30.0, 4.0];
        let mut mean = [0.0; 5];
        for b in 0..2_000 {
            let c = resample_counts(&n, &mut rng(7, b));
            assert_eq!(c.iter().sum::<f64>(), 40.0);
            assert_eq!(c[2], 0.0);
            for (m, v) in mean.iter_mut().zip(&c) {
                *m += v / 2_000.0;
            }
        }
        for (m, w) in mean.iter().zip(n) {
            assert!((m - w).abs() < 0.05 * w + 0.2, "{m} vs {w}");
        }
    }

    /// Bootstrap and Laplace log-scale standard errors of BG/NBD's parameters on `d`.
    fn both(d: &Triples, resamples: usize) -> Result<Vec<(f64, f64)>> {
        let m = Purchases::Bgnbd(
            crate::value::bgnbd::BgNbdParams::default()
                .check()?
                .fit(d)?,
        );
        let draws = purchases(&m, d, 0.0, resamples, 42)?;
        assert_eq!(
            draws.log_params,
            purchases(&m, d, 0.0, resamples, 42)?.log_params
        );
        assert!(draws.log_params.len() as f64 >= 0.97 * resamples as f64);
        let cov = draws.log_covariance().unwrap_or_default();
        let u = m.uncertainty().cloned().unwrap_or_else(|| unreachable!());
        let theta = m.log_params().map(f64::exp);
        Ok((m.names().iter().enumerate())
            .map(|(i, k)| (cov[i][i].sqrt(), u.standard_errors[*k] / theta[i]))
            .collect())
    }

    /// Where the model is true (2,000 customers simulated from BG/NBD), 400 bootstrap
    /// resamples give log-scale standard errors within 20% of Laplace's (printed: r, alpha
    /// within 2%, a and b 11-15% above, their likelihood being skewed; 400 resamples estimate
    /// a standard error to about 3.5%), and the same draws for the same seed. On CDNOW, where
    /// BG/NBD is not the truth, the bootstrap's are 0.9 to 1.35 times Laplace's (r and alpha
    /// about 20% above: the bootstrap measures the spread a misspecified model really has,
    /// Laplace assumes the model).
    #[test]
    fn bootstrap_agrees_with_laplace_where_the_model_is_true() -> Result<()> {
        let truth = [0.2426, 4.4135, 0.7929, 2.4258];
        let sim = crate::value::bgnbd::tests::simulated_from(2_000, 3, truth)?.compress();
        for (k, (boot, laplace)) in ["r", "alpha", "a", "b"].iter().zip(both(&sim, 400)?) {
            eprintln!("simulated, {k}: log-scale SE bootstrap {boot:.4}, Laplace {laplace:.4}");
            assert!(
                (boot / laplace - 1.0).abs() < 0.2,
                "{k}: {boot} vs {laplace}"
            );
        }
        let cdnow = crate::value::bgnbd::tests::cdnow()?.compress();
        for (k, (boot, laplace)) in ["r", "alpha", "a", "b"].iter().zip(both(&cdnow, 400)?) {
            eprintln!("CDNOW, {k}: log-scale SE bootstrap {boot:.4}, Laplace {laplace:.4}");
            assert!(
                (0.9..1.35).contains(&(boot / laplace)),
                "{k}: {boot} vs {laplace}"
            );
        }
        Ok(())
    }
}
