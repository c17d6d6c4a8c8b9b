//! `kam segment` end to end on the demo company's customer table, and `kam run`'s segments.

mod common;

use common::*;

fn s(p: &std::path::Path) -> &str {
    p.to_str().unwrap_or("")
}

#[test]
fn segments_of_the_demo_company_are_profiled_named_and_reproducible() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let run = tmp.path().join("run");
    let o = kam(&["run", "--quiet", "--out", s(&run)]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    // kam run writes the segments too
    assert!(run.join("segments.csv").exists() && run.join("models/kmeans.json").exists());
    let header = std::fs::read_to_string(run.join("customers.csv")).unwrap_or_default();
    let header = header.lines().next().unwrap_or("");
    assert!(header.contains(",segment,segment_name,"), "{header}");

    let customers = run.join("customers.csv");
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    for out in [&a, &b] {
        let o = kam(&[
            "segment",
            "--customers",
            s(&customers),
            "--k",
            "5",
            "--out",
            s(out),
        ]);
        assert_eq!(o.code, 0, "{}", o.stderr);
    }
    for f in ["segments.csv", "customers.csv", "models/kmeans.json"] {
        let (x, y) = (
            std::fs::read(a.join(f)).unwrap_or_default(),
            std::fs::read(b.join(f)).unwrap_or_default(),
        );
        assert!(
            !x.is_empty() && x == y,
            "{f} differs between identical runs"
        );
    }
    let model: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(a.join("models/kmeans.json")).unwrap_or_default(),
    )
    .expect("json");
    for key in [
        "k",
        "inertia",
        "silhouette",
        "iterations",
        "converged",
        "centroids",
        "scaling",
        "centroids_scaled",
        "stability_ari",
    ] {
        assert!(!model[key].is_null(), "kmeans.json lacks {key}");
    }
    assert_eq!(model["k"], 5);
    let segs = std::fs::read_to_string(a.join("segments.csv")).unwrap_or_default();
    assert!(
        segs.starts_with("segment,segment_name,customers,share_customers,share_revenue"),
        "{segs}"
    );
    // 5 segments plus the customers without purchases
    assert_eq!(csv_rows(&a.join("segments.csv")), 6, "{segs}");
    // segment 1 has the highest mean value
    let mut rdr = csv::Reader::from_path(a.join("segments.csv")).expect("segments.csv");
    let names: Vec<String> = rdr
        .records()
        .map(|r| {
            r.ok()
                .and_then(|r| r.get(1).map(str::to_string))
                .unwrap_or_default()
        })
        .collect();
    let mut uniq = names.clone();
    uniq.sort();
    uniq.dedup();
    assert_eq!(
        uniq.len(),
        names.len(),
        "segment names are unique: {names:?}"
    );
}

#[test]
fn bad_segment_requests_are_clear_errors() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let t = tmp.path().join("c.csv");
    std::fs::write(
        &t,
        "customer_id,frequency,monetary_total,recency_days\nA,1,10,5\nB,2,20,6\nC,3,30,7\n",
    )
    .expect("write");
    let out = tmp.path().join("o");
    let o = kam(&[
        "segment",
        "--customers",
        s(&t),
        "--features",
        "frequency,nope",
        "--out",
        s(&out),
    ]);
    assert_eq!(o.code, 2);
    assert_clean_error(&o);
    assert!(o.stderr.contains("'nope'"), "{}", o.stderr);
    let o = kam(&[
        "segment",
        "--customers",
        s(&t),
        "--k",
        "0",
        "--out",
        s(&out),
    ]);
    assert_eq!(o.code, 2);
    assert_clean_error(&o);
    let o = kam(&[
        "segment",
        "--customers",
        s(&t),
        "--features",
        "frequency,monetary_total",
        "--k",
        "9",
        "--out",
        s(&out),
    ]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert_clean_error(&o);
}

/// Regression (issue 14, item 3): a per-customer table without `monetary_total` (the default
/// `--value-col`) failed with "missing required column 'monetary_total'"; it is now numbered
/// by its first feature, with a note, an empty revenue share and names without a value word.
#[test]
fn a_table_without_the_value_column_is_numbered_by_its_first_feature() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let csv = tmp.path().join("rfm.csv");
    let mut text = String::from("CustomerID,spend,visits\n");
    for i in 0..60 {
        // two clear groups: big spenders (ids 0..20) and small ones
        let (spend, visits) = if i < 20 { (900 + i, 30) } else { (10 + i, 2) };
        text.push_str(&format!("c{i:03},{spend},{visits}\n"));
    }
    std::fs::write(&csv, text).expect("write");
    let out = tmp.path().join("seg");
    let o = kam(&[
        "segment",
        "--customers",
        s(&csv),
        "--id",
        "CustomerID",
        "--features",
        "spend,visits",
        "--k",
        "2",
        "--out",
        s(&out),
    ]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(
        o.stdout.contains("no value column 'monetary_total'"),
        "{}",
        o.stdout
    );
    let model: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(out.join("models/kmeans.json")).unwrap_or_default(),
    )
    .expect("json");
    assert_eq!(model["ordered_by"], "spend");
    let segments = std::fs::read_to_string(out.join("segments.csv")).unwrap_or_default();
    let rows: Vec<&str> = segments.lines().collect();
    // segment 1 is the big spenders (the larger mean of the first feature)
    assert!(
        rows[1].starts_with("1,") && rows[1].contains(",20,"),
        "{segments}"
    );
    assert!(
        !segments.contains("value"),
        "names leave out value: {segments}"
    );
}
