use super::*;
use crate::value::data::Rfm;

#[rustfmt::skip]
    fn model(r: f64, alpha: f64, s: f64, beta: f64) -> ParetoNbd {
        let convergence = Convergence { converged: true, iterations: 0, gradient_norm: 0.0,
            starts: 1, starts_agreeing: 1, reason: String::new() };
        ParetoNbd { r, alpha, s, beta, log_likelihood: 0.0, customers: 0.0, convergence, uncertainty: None }
    }

fn close(got: f64, want: f64, rel: f64) -> bool {
    (got - want).abs() <= rel * want.abs()
}

/// lifetimes 0.11.3 `ParetoNBDFitter().fit` on CDNOW (numpy seed 0) and its predictions for
    /// customers 1, 2, 3, 11, 101, 1001: (x, t_x, T, p_alive, E[purchases in 39], in 10 weeks).
    #[rustfmt::skip]
    const LIFETIMES: [f64; 4] = [0.5532815861528053, 10.577753122778805, 0.6061714462872277, 11.666906530603386];
#[rustfmt::skip]
    const ROWS: [(f64, f64, f64, f64, f64, f64); 6] = [
        (2.0, 30.43, 38.86, 0.869124471914, 1.455135768648, 0.424476666581),
        (1.0, 1.71, 38.86, 0.167877160407, 0.170987606462, 0.049878678527),
        (0.0, 0.0, 38.86, 0.295103517583, 0.107063990744, 0.031231564010),
        (5.0, 24.43, 38.86, 0.586763988119, 2.136662715700, 0.623284429336),
        (5.0, 36.14, 38.14, 0.972444608941, 3.585690940491, 1.047446680674),
        (0.0, 0.0, 33.57, 0.329455968355, 0.131575701749, 0.038809389403),
    ];

fn check(penalizer: f64) -> Result<ParetoNbdValid> {
    ParetoNbdParams { penalizer }.check()
}

#[test]
fn penalizer_cannot_be_negative() {
    assert!(check(-0.1).is_err());
}

#[test]
fn penalizer_cannot_be_nan() {
    assert!(check(f64::NAN).is_err());
}

#[test]
fn penalizer_cannot_be_infinite() {
    assert!(check(f64::INFINITY).is_err() && check(0.0).is_ok());
}

#[test]
fn euler_series_matches_ln_hyp2f1() {
    let (p, c) = ([1.6, 200.5, 1.6, 0.3], [3.2, 201.9, 201.9, 0.9]);
    for (i, z) in [0.3, 0.9, 0.99, 0.0].into_iter().enumerate() {
        let (p, c) = (p[i], c[i]);
        assert!((euler_series(p, c, z)[0] - ln_hyp2f1(1.0, p, c, z)).abs() < 1e-12);
    }
}

#[test]
fn analytic_gradient_matches_central_differences_on_both_branches() -> Result<()> {
    let x = vec![0.0, 0.0, 1.0, 3.0, 200.0, 2.0];
    let t_x = vec![0.0, 0.0, 0.005, 20.0, 30.0, 39.0];
    let d = &Rfm::new(x, t_x, vec![39.0, 0.01, 0.01, 39.0, 39.0, 39.0])?.compress();
    let (pen, customers) = ([0.1, 0.2, 0.1, 0.3], d.customers());
    let obj = Nll { d, pen, customers };
    // alpha < beta, alpha > beta, alpha = beta, z near 1
    #[rustfmt::skip]
        let qs = [[0.55, 10.6, 0.6, 11.7], [0.55, 12.0, 0.6, 5.0], [2.0, 3.0, 1.5, 3.0], [0.3, 0.01, 2.0, 40.0]];
    for th in qs.map(|q: [f64; 4]| q.map(f64::ln)) {
        let g = obj.value_grad(&th).1;
        for j in 0..4 {
            let (mut up, mut dn, h) = (th, th, 1e-5);
            (up[j], dn[j]) = (th[j] + h, th[j] - h);
            let fd = (obj.value_grad(&up).0 - obj.value_grad(&dn).0) / (2.0 * h);
            let tol = 1e-6 * g[j].abs().max(1.0);
            assert!((g[j] - fd).abs() < tol, "{th:?} {j}: {} vs {fd}", g[j]);
        }
    }
    Ok(())
}

#[test]
fn p_alive_is_exact_at_extremes_on_both_branches() {
    // (r, alpha, s, beta, x, t_x, T, ln(P(dead)/P(alive))) from scipy quad of I in the venv
    #[rustfmt::skip]
        let cases = [
            (0.55, 10.6, 0.6, 11.7, 200.0, 0.009, 0.01, -9.869489369922),
            (0.55, 10.6, 0.6, 11.7, 200.0, 30.0, 39.0, 34.430530066704),
            (0.55, 12.0, 0.6, 5.0, 200.0, 30.0, 39.0, 33.441158481153),
            (0.55, 12.0, 0.6, 5.0, 0.0, 0.0, 0.01, -6.725604258948),
            (0.55, 10.6, 0.6, 11.7, 1.0, 0.005, 0.01, -8.268879168735),
            (0.55, 12.0, 0.6, 5.0, 5.0, 10.0, 1e6, 64.145377489742),
            (0.55, 10.6, 0.6, 11.7, 5.0, 10.0, 1e6, 63.960868772822),
            (2.0, 0.5, 3.0, 40.0, 0.0, 0.0, 39.0, 7.363327180491),
            (2.0, 40.0, 3.0, 0.5, 0.0, 0.0, 39.0, 14.457316434451),
            (0.55, 10.6, 0.6, 11.7, 400.0, 1e5, 1e6, 917.138564635276),
        ];
    for (r, a, s, b, x, tx, t, want) in cases {
        let (m, tol) = (model(r, a, s, b), 1e-9 * f64::abs(want).max(1.0));
        let got = m.ln_odds_dead(x, tx, t).unwrap_or(f64::NAN);
        assert!((got - want).abs() < tol, "{x} {tx} {t}: {got} vs {want}");
        assert!(close(m.p_alive(x, tx, t), 1.0 / (1.0 + want.exp()), 1e-8));
    }
    let m = model(0.55, 10.6, 0.6, 11.7);
    assert_eq!(m.p_alive(3.0, 0.01, 0.01), 1.0); // bought at the very end
    assert!(m.p_alive(3.0, 5.0, 1.0).is_nan());
    assert!(m.expected_purchases(-1.0, 3.0, 0.5, 1.0).is_nan());
}

#[test]
fn predictions_equal_lifetimes_at_its_estimate() {
    let [r, alpha, s, beta] = LIFETIMES;
    let m = model(r, alpha, s, beta);
    for (x, tx, t, pa, e39, e10) in ROWS {
        assert!(close(m.p_alive(x, tx, t), pa, 1e-9), "{x} {tx} {t}");
        assert!(close(m.expected_purchases(39.0, x, tx, t), e39, 1e-9));
        assert!(close(m.expected_purchases(10.0, x, tx, t), e10, 1e-9));
    }
    assert!(close(m.expected_unconditional(39.0), 1.213413992075, 1e-9));
    assert!(close(m.expected_unconditional(1.0), 0.051006407895, 1e-9));
    assert_eq!(m.expected_purchases(0.0, 2.0, 30.43, 38.86), 0.0);
}

#[test]
fn s_equal_to_one_is_the_continuous_limit() {
    for t in [0.01, 39.0, 1e6] {
        let [lo, mid, hi] = [1.0 - 1e-9, 1.0, 1.0 + 1e-9].map(|s| model(0.5, 10.0, s, 12.0));
        let u = |m: &ParetoNbd| m.expected_unconditional(t);
        let e = |m: &ParetoNbd| m.expected_purchases(t, 200.0, 30.0, 39.0);
        assert!(close(u(&lo), u(&mid), 1e-7) && close(u(&hi), u(&mid), 1e-7));
        assert!(close(e(&lo), e(&mid), 1e-7) && close(e(&hi), e(&mid), 1e-7));
    }
}

#[test]
fn cdnow_fit_matches_the_published_estimates_and_lifetimes() -> Result<()> {
    let path = crate::test_support::reference_data("cdnow/cdnow_customers_summary.csv");
    let path = path.display().to_string();
    let no = |e: String| Error::Internal(format!("the CDNOW summary {path} is needed: {e}"));
    let (mut x, mut t_x, mut t) = (vec![], vec![], vec![]);
    let mut rd = csv::Reader::from_path(&path).map_err(|e| no(e.to_string()))?;
    for row in rd.records() {
        let row = row.map_err(|e| no(e.to_string()))?;
        let f = |i: usize| row[i].parse::<f64>().map_err(|e| no(e.to_string()));
        x.push(f(1)?);
        t_x.push(f(2)?);
        t.push(f(3)?);
    }
    let d = Rfm::new(x, t_x, t)?.compress();
    let started = std::time::Instant::now();
    let m = check(0.0)?.fit(&d)?;
    eprintln!("CDNOW Pareto/NBD fit took {:?}: {m:?}", started.elapsed());
    assert!(m.convergence.converged, "{:?}", m.convergence);
    // Fader, Hardie & Lee (2005) "RFM and CLV", within 0.5%
    let published = [0.553, 10.578, 0.606, 11.669];
    for (got, want) in [m.r, m.alpha, m.s, m.beta].into_iter().zip(published) {
        assert!(close(got, want, 0.005), "{got} vs {want}");
    }
    // lifetimes' estimate has sum ll = -9594.9739299102 (computed in the venv, weeks)
    assert!(m.log_likelihood >= -9594.9739299102, "{}", m.log_likelihood);
    assert_eq!(m.customers, 2357.0);
    for (x, tx, t, pa, e39, _) in ROWS {
        assert!((m.p_alive(x, tx, t) - pa).abs() < 5e-4, "{x} {tx} {t}");
        assert!((m.expected_purchases(39.0, x, tx, t) - e39).abs() < 5e-4);
    }
    Ok(())
}

#[test]
fn zero_repeat_data_is_a_clear_error() -> Result<()> {
    let d = Rfm::new(vec![0.0; 3], vec![0.0; 3], vec![10.0, 20.0, 30.0])?.compress();
    let e = check(0.0)?.fit(&d).unwrap_err();
    let msg = e.to_string();
    assert!(msg.contains("no customer made a repeat purchase"), "{msg}");
    Ok(())
}
