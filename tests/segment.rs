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
