//! The confirmed merge map end to end: `kam run` on a small company whose merge map (read
//! through the column mapping, as merge_candidates.csv would be) holds a chain, a repeat, an
//! id in no table and a conflicting row; and a cycle that stops the run with one line.

mod common;

use std::path::Path;

use common::*;

const CUSTOMERS: &str = "customer_id,name,district\n\
A,Acme Co.,\n\
B,ACME,North\n\
C,Acme Company Ltd,\n\
D,Delta,South\n\
E,Echo,South\n";

const TRANSACTIONS: &str = "customer_id,date,amount\n\
A,2025-01-05,100\n\
A,2025-03-02,50\n\
B,2025-02-10,200\n\
C,2025-04-01,400\n\
C,2025-06-01,25\n\
D,2025-01-20,80\n\
D,2025-05-20,90\n\
E,2025-03-15,60\n\
E,2025-06-15,70\n";

/// A -> B -> C (a chain), A -> B again (a repeat), Z -> C (Z is in no table), A -> E (a
/// second target for A: rejected).
const CHAIN: &str = "customer_id,candidate_id,score\nA,B,0.9\nB,C,0.8\nA,B,0.9\nZ,C,0.5\nA,E,0.4\n";

/// A company in `dir` whose merge map is `map`; returns its config path.
fn company(dir: &Path, map: &str) -> String {
    let write = |name: &str, text: &str| std::fs::write(dir.join(name), text).expect("write");
    write("customers.csv", CUSTOMERS);
    write("transactions.csv", TRANSACTIONS);
    write("merges.csv", map);
    write(
        "kam.toml",
        "as_of = \"2025-07-01\"\n\
         [input.transactions]\npath = \"transactions.csv\"\n\
         [input.customers]\npath = \"customers.csv\"\n\
         [input.customer_merges]\npath = \"merges.csv\"\n\
         columns = { merge_into = \"candidate_id\" }\n",
    );
    dir.join("kam.toml").display().to_string()
}

/// (customer_id, monetary_total, district) of each row of customers.csv.
fn customers(out: &Path) -> Vec<(String, f64, String)> {
    let mut r = csv::Reader::from_path(out.join("customers.csv")).expect("customers.csv");
    let h = r.headers().expect("header").clone();
    let at = |n: &str| h.iter().position(|c| c == n).expect(n);
    let (id, total, district) = (at("customer_id"), at("monetary_total"), at("district"));
    r.records()
        .map(|rec| {
            let rec = rec.expect("record");
            let total = rec[total].parse().expect("a number");
            (rec[id].to_string(), total, rec[district].to_string())
        })
        .collect()
}

#[test]
fn a_chain_folds_into_one_customer_whose_revenue_is_the_sum() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let cfg = company(tmp.path(), CHAIN);
    let out = tmp.path().join("out");
    let o = kam(&[
        "run",
        "--quiet",
        "--config",
        &cfg,
        "--out",
        out.to_str().unwrap_or(""),
    ]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let rows = customers(&out);
    let ids: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    assert_eq!(ids, ["C", "D", "E"]);
    // C = A (150) + B (200) + C (425); its blank district comes from B
    assert!((rows[0].1 - 775.0).abs() < 1e-9, "{rows:?}");
    assert_eq!(rows[0].2, "North");
    let m = manifest(&out);
    let merges = &m["merges"];
    let n = |k: &str| merges[k].as_u64().unwrap_or(u64::MAX);
    assert_eq!(
        (
            n("map_rows_read"),
            n("map_rows_used"),
            n("ids_merged"),
            n("surviving_ids")
        ),
        (5, 4, 3, 1),
        "{merges}"
    );
    assert_eq!(n("customers_folded"), 2, "{merges}");
    assert_eq!(merges["rows_rekeyed"]["transactions"], 3, "{merges}");
    assert_eq!(merges["rows_rekeyed"]["customers"], 2, "{merges}");
    assert_eq!(
        (n("ids_unknown"), &merges["ids_unknown_examples"][0]),
        (1, &serde_json::json!("Z"))
    );
    assert_eq!(counts(&m, "customer_merges"), (5, 4, 1));
    assert_eq!(counts(&m, "customers"), (5, 5, 0));
    assert_reconciles(&out);
    let rejects =
        std::fs::read_to_string(out.join("rejects/customer_merges.csv")).expect("rejects");
    assert!(
        rejects.contains("customer_id 'A' is already merged into 'B' on row 1; this row says 'E'"),
        "{rejects}"
    );
}

#[test]
fn a_cycle_stops_the_run_with_one_line_naming_its_ids() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let cfg = company(tmp.path(), "customer_id,candidate_id\nD,E\nC,A\nA,B\nB,C\n");
    let out = tmp.path().join("out");
    let o = kam(&["run", "--config", &cfg, "--out", out.to_str().unwrap_or("")]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert_clean_error(&o);
    assert!(o.stderr.contains("cycle A -> B -> C -> A"), "{}", o.stderr);
    // the rejects and the manifest are written so the user can look
    assert!(out.join("manifest.json").exists());
    assert!(!out.join("customers.csv").exists());
}
