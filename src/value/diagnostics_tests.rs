use super::*;
use crate::value::bgnbd::tests::{at, cdnow};

fn column(df: &DataFrame, name: &str) -> Vec<f64> {
    df.column(name)
        .and_then(|c| c.cast(&DataType::Float64))
        .map(|c| c.f64().map(|v| v.into_no_null_iter().collect()))
        .expect("column")
        .expect("numbers")
}

/// CDNOW at its published BG/NBD fit (Fader, Hardie & Lee 2005).
fn cdnow_model() -> Purchases {
    Purchases::Bgnbd(at(0.243, 4.414, 0.793, 2.426))
}

#[test]
fn histogram_counts_the_customers_and_the_model_expects_as_many() -> Result<()> {
    let rfm = cdnow()?;
    let h = frequency_histogram(&rfm, &cdnow_model())?;
    let labels: Vec<String> = (h.column("frequency")?.str()?.iter())
        .map(|v| v.unwrap_or_default().to_string())
        .collect();
    assert_eq!(labels, ["0", "1", "2", "3", "4", "5", "6", "7+"]);
    let (actual, model) = (
        column(&h, "actual_customers"),
        column(&h, "model_customers"),
    );
    // by hand from the summary file: 1411 customers never bought again, 2357 in all
    let zeros = rfm.x.iter().filter(|x| **x == 0.0).count() as f64;
    let sevens = rfm.x.iter().filter(|x| **x >= 7.0).count() as f64;
    assert_eq!((actual[0], actual[7]), (zeros, sevens));
    assert_eq!(zeros, 1411.0);
    assert_eq!(actual.iter().sum::<f64>(), 2357.0);
    assert!((model.iter().sum::<f64>() - 2357.0).abs() < 1e-6);
    // the published fit reproduces the histogram closely (FHL 2005, figure 2): every bar
    // within 10% of the customers or 25 customers
    for (k, (a, m)) in actual.iter().zip(&model).enumerate() {
        assert!((a - m).abs() < (0.1 * a).max(25.0), "{k}: {a} vs {m}");
    }
    Ok(())
}

#[test]
fn p_alive_matrix_is_one_at_frequency_zero_and_every_cell_is_the_model() -> Result<()> {
    let rfm = cdnow()?;
    let m = cdnow_model();
    let df = matrices(&rfm, &m, 52.0, TimeUnit::Weeks)?;
    let (kind, f, r, v) = (
        (df.column("kind")?.str()?.iter())
            .map(|v| v.unwrap_or_default())
            .collect::<Vec<_>>(),
        column(&df, "frequency"),
        column(&df, "recency"),
        column(&df, "value"),
    );
    let age = rfm.t.iter().copied().fold(0.0, f64::max);
    assert_eq!(column(&df, "age")[0], age);
    let alive: Vec<usize> = (0..df.height()).filter(|i| kind[*i] == "p_alive").collect();
    assert_eq!(alive.len() * 2, df.height());
    assert!(alive.len() <= GRID * GRID && alive.len() >= 4);
    for i in &alive {
        if f[*i] == 0.0 {
            assert_eq!(v[*i], 1.0, "recency {}", r[*i]);
        }
        assert_eq!(v[*i], m.model().p_alive(f[*i], r[*i], age));
    }
    for i in (0..df.height()).filter(|i| kind[*i] == "expected_purchases") {
        assert_eq!(v[i], m.model().expected_purchases(52.0, f[i], r[i], age));
    }
    // a recent buyer is more likely alive than one who stopped long ago
    let cell = |fr: f64, rec: f64| {
        (alive.iter())
            .find(|i| f[**i] == fr && r[**i] == rec)
            .map(|i| v[*i])
    };
    let (mut rs, mut fs) = (r.clone(), f.clone());
    for v in [&mut rs, &mut fs] {
        v.sort_by(f64::total_cmp);
        v.dedup();
    }
    let (one, last) = (fs[1], rs[rs.len() - 1]);
    assert!(cell(one, last) > cell(one, rs[1]), "{one} purchases");
    Ok(())
}

#[test]
fn frequencies_stop_at_the_99th_percentile_and_fit_the_grid() {
    let mut x = vec![0.0; 60];
    x.extend((1..=39).map(f64::from));
    x.push(5000.0);
    let f = frequencies(&x);
    assert_eq!(f.len(), GRID);
    assert_eq!((f[0], f[GRID - 1]), (0.0, 39.0));
    assert_eq!(frequencies(&[0.0, 1.0, 2.0]), [0.0, 1.0, 2.0]);
    assert_eq!(frequencies(&[0.0, 0.0]), [0.0, 1.0]);
    let r = recencies(77.0);
    assert_eq!((r.len(), r[0], r[1], r[GRID - 1]), (GRID, 77.0, 76.0, 0.0));
    assert!(r.windows(2).all(|w| w[0] > w[1]), "{r:?}");
    let r = recencies(156.571429);
    assert_eq!(r[1..4], [155.571429, 154.571429, 153.571429]);
    assert_eq!(recencies(0.5), [0.5, 0.0]);
}
