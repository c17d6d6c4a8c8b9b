//! The segmentation stage on small inline tables: stated handling of constant features,
//! missing values, customers without purchases, and too few customers.

use super::*;
use crate::segment::params::KChoice;

fn table() -> PolarsResult<DataFrame> {
    // two clear groups of buyers, one customer without purchases, one missing trend
    df!(
        s::CUSTOMER_ID => ["a", "b", "c", "d", "e", "f", "g"],
        s::FREQUENCY => [Some(20.0), Some(22.0), Some(21.0), Some(1.0), Some(0.0), Some(2.0), None],
        s::MONETARY_TOTAL => [9000.0, 9500.0, 9100.0, 50.0, 40.0, 60.0, 0.0],
        s::RECENCY_DAYS => [Some(3.0), Some(5.0), Some(4.0), Some(300.0), Some(320.0), Some(310.0), None],
        "constant" => [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0],
        s::TREND_12M => [Some(0.1), None, Some(0.2), Some(-0.5), Some(-0.4), Some(-0.6), None],
    )
}

fn params(k: KChoice) -> Result<SegmentValid> {
    SegmentParams {
        features: [
            s::FREQUENCY,
            s::MONETARY_TOTAL,
            s::RECENCY_DAYS,
            "constant",
            s::TREND_12M,
        ]
        .map(String::from)
        .to_vec(),
        k,
        stability_runs: 2,
        ..SegmentParams::default()
    }
    .check()
}

#[test]
fn constant_features_are_dropped_missing_values_imputed_and_non_buyers_unplaced() -> Result<()> {
    let seg = segment(&table()?, &params(KChoice::Fixed(2))?, 42)?;
    let r = &seg.report;
    assert_eq!(r.dropped_constant, ["constant"]);
    assert_eq!(r.imputed_with_median.get(s::TREND_12M), Some(&1));
    assert_eq!((r.customers_placed, r.customers_unplaced), (6, 1));
    let seg_col: Vec<Option<i64>> = seg.labels.column(SEGMENT)?.i64()?.iter().collect();
    // the high-value group is segment 1, the low-value group 2, the non-buyer unplaced
    assert_eq!(
        seg_col,
        [Some(1), Some(1), Some(1), Some(2), Some(2), Some(2), None]
    );
    let names: Vec<Option<&str>> = seg.labels.column(SEGMENT_NAME)?.str()?.iter().collect();
    assert_eq!(names[6], Some("No purchases"));
    assert!((r.stability_ari - 1.0).abs() < 1e-12);
    assert_eq!(r.centroids.len(), 2);
    // centroids come back in original units
    let c1 = r.centroids[0]
        .get(s::MONETARY_TOTAL)
        .copied()
        .unwrap_or(0.0);
    assert!(c1 > 8000.0 && c1 < 10000.0, "{c1}");
    Ok(())
}

#[test]
fn auto_k_reports_every_k_tried_and_stops_at_the_distinct_customers() -> Result<()> {
    let seg = segment(&table()?, &params(KChoice::Auto("auto".into()))?, 42)?;
    assert!(!seg.report.k_scores.is_empty());
    assert!(seg.report.k_scores.iter().all(|k| k.k <= 5));
    Ok(())
}

#[test]
fn too_few_customers_and_unknown_features_are_clear_errors() -> Result<()> {
    let one = table()?.head(Some(1));
    let e = segment(&one, &params(KChoice::Fixed(2))?, 42)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(e.contains("at least 2 are needed"), "{e}");
    let p = SegmentParams {
        features: vec!["nope".into()],
        k: KChoice::Fixed(2),
        ..SegmentParams::default()
    }
    .check()?;
    let e = segment(&table()?, &p, 42)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(e.contains("'nope'"), "{e}");
    Ok(())
}

#[test]
fn k_means_stopped_at_max_iter_says_so() -> Result<()> {
    let mut v = (*params(KChoice::Fixed(2))?).clone();
    v.max_iter = 1;
    let (_, out) = crate::segment::output::run(table()?, &v.check()?, 42)?;
    let notes: Vec<String> = out.summary.iter().filter_map(|l| l.note_text()).collect();
    assert!(
        notes
            .iter()
            .any(|n| n.contains("k-means stopped at max_iter (1 iterations)")),
        "{notes:?}"
    );
    Ok(())
}

/// Three well-separated groups of 300 buyers each.
fn three_groups() -> PolarsResult<DataFrame> {
    let n = 900;
    let jitter = |i: usize| ((i * 7919) % 100) as f64 / 100.0;
    let freq: Vec<f64> = (0..n)
        .map(|i| [1.0, 20.0, 40.0][i % 3] + jitter(i))
        .collect();
    let money: Vec<f64> = (0..n)
        .map(|i| [100.0, 5000.0, 20000.0][i % 3] + 10.0 * jitter(i + 1))
        .collect();
    df!(
        s::CUSTOMER_ID => (0..n).map(|i| format!("c{i}")).collect::<Vec<_>>(),
        s::FREQUENCY => freq,
        s::MONETARY_TOTAL => money,
    )
}

#[test]
fn above_scan_sample_the_k_scan_and_the_stability_refits_use_one_seeded_sample() -> Result<()> {
    let p = |scan_sample: usize| {
        SegmentParams {
            features: [s::FREQUENCY, s::MONETARY_TOTAL].map(String::from).to_vec(),
            k_max: 5,
            scan_sample,
            ..SegmentParams::default()
        }
        .check()
    };
    let sampled = segment(&three_groups()?, &p(200)?, 7)?.report;
    let stated = ScanSample {
        rows_available: 900,
        rows_used: 200,
        seed: 7,
    };
    assert_eq!(sampled.k_scan_sample, Some(stated));
    assert_eq!(sampled.stability_sample, Some(stated));
    assert_eq!((sampled.k, sampled.stability_runs), (3, 3));
    // refits on the sample reproduce the full fit's partition of those rows
    assert!(sampled.stability_ari > 0.99, "{}", sampled.stability_ari);
    // at or under scan_sample every row is used and nothing is stated
    let whole = segment(&three_groups()?, &p(900)?, 7)?.report;
    assert_eq!((whole.k_scan_sample, whole.stability_sample), (None, None));
    assert!(whole.stability_ari > 0.99, "{}", whole.stability_ari);
    Ok(())
}

/// The recorded scaling and scaled centroids place every customer where the fit put it: a
/// missing value takes the median, then signed log1p, then (v - mean) / sd, then the nearest
/// centroid (what `spark/score.py` does on a cluster).
#[test]
fn the_recorded_scaling_places_each_customer_in_its_segment() -> Result<()> {
    let df = table()?;
    let seg = segment(&df, &params(KChoice::Fixed(2))?, 42)?;
    let r = &seg.report;
    assert_eq!(r.scaling.len(), r.features.len());
    // trend_12m over the placed finite values 0.1, 0.2, -0.5, -0.4, -0.6: the middle one
    assert_eq!(r.scaling.get(s::TREND_12M).map(|t| t.median), Some(-0.4));
    let labels: Vec<Option<i64>> = seg.labels.column(SEGMENT)?.i64()?.iter().collect();
    for (i, want) in labels.iter().enumerate() {
        let Some(want) = want else { continue };
        let z: Vec<f64> = r
            .features
            .iter()
            .map(|f| -> Result<f64> {
                let sc = r.scaling[f];
                let v = df.column(f)?.cast(&DataType::Float64)?.f64()?.get(i);
                let v = v.filter(|v| v.is_finite()).unwrap_or(sc.median);
                Ok((v.signum() * v.abs().ln_1p() - sc.mean) / sc.sd)
            })
            .collect::<Result<_>>()?;
        let dist = |c: &Vec<f64>| -> f64 { c.iter().zip(&z).map(|(a, b)| (a - b).powi(2)).sum() };
        let nearest = (0..r.centroids_scaled.len())
            .min_by(|a, b| dist(&r.centroids_scaled[*a]).total_cmp(&dist(&r.centroids_scaled[*b])))
            .map(|c| c as i64 + 1);
        assert_eq!(nearest, Some(*want), "customer {i}");
    }
    Ok(())
}
