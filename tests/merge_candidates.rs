//! `out/merge_candidates.csv` end to end: `kam run` and `kam validate` on a small company
//! with planted near-duplicates (tests/companies/near_duplicates: one pair per rule, a name
//! repeated in another district, a customer without a district), the file's rows and
//! orientation, the summary line and the manifest's count; no file without a customers table;
//! the candidates fed back as the merge map leave nothing to propose.

mod common;

use std::path::Path;

use common::*;

/// The small company with planted near-duplicates (outside tests/fixtures/, which holds the
/// bad-input corpus).
fn company() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/companies/near_duplicates/kam.toml")
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// (customer_id, candidate_id, district, rule, score) of each row, in file order.
fn rows(path: &Path) -> Vec<[String; 5]> {
    let mut r = csv::Reader::from_path(path).expect("merge_candidates.csv exists");
    let header: Vec<String> = r
        .headers()
        .expect("header")
        .iter()
        .map(String::from)
        .collect();
    assert_eq!(
        header,
        kam::schema::columns::master::MERGE_CANDIDATES,
        "header"
    );
    r.records()
        .map(|rec| {
            let rec = rec.expect("record");
            [0, 1, 4, 5, 6].map(|i| rec.get(i).unwrap_or_default().to_string())
        })
        .collect()
}

fn row(a: &str, b: &str, district: &str, rule: &str, score: &str) -> [String; 5] {
    [a, b, district, rule, score].map(String::from)
}

#[test]
fn run_proposes_the_planted_pairs_oriented_to_the_survivor() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let config = company();
    let out = tmp.path().join("out");
    let o = kam(&["run", "--config", s(&config), "--out", s(&out)]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let got = rows(&out.join("merge_candidates.csv"));
    // A3 spells A1's name but sits in another district: no pair. B2 has no district, so it
    // meets both ACMEs (Nanning and Liuzhou); they do not meet each other. The survivor has
    // more revenue in the 12 months to as_of (A2 earned more, but before that), ties to the
    // smaller id (D1, G1).
    assert_eq!(
        got,
        [
            row("D2", "D1", "柳州", "tax_id", "1.0"),
            row("A2", "A1", "平南", "name", "0.95"),
            row("B1", "B2", "南宁", "name", "0.95"),
            row("H1", "B2", "柳州", "name", "0.95"),
            row("C2", "C1", "南宁", "phone", "0.9"),
            row("E1", "E2", "北海", "similar_name", "0.875"),
            row("G2", "G1", "北海", "address", "0.8"),
        ]
    );
    assert!(
        o.stdout.contains(
            "merge candidates: 7 pairs (tax_id 1, name 3, phone 1, address 1, \
             similar_name 1) among 14 customers"
        ),
        "{}",
        o.stdout
    );
    assert_eq!(manifest(&out)["outputs"]["merge_candidates.csv"], 7);
    // the same run writes the same file
    let again = tmp.path().join("again");
    let o = kam(&["run", "--quiet", "--config", s(&config), "--out", s(&again)]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let bytes = |d: &Path| std::fs::read(d.join("merge_candidates.csv")).expect("file");
    assert_eq!(bytes(&out), bytes(&again));
}

#[test]
fn validate_writes_the_candidates_too() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let config = company();
    let o = kam(&["validate", "--config", s(&config), "--out", s(tmp.path())]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(rows(&tmp.path().join("merge_candidates.csv")).len(), 7);
    assert!(!tmp.path().join("customers.csv").exists());
}

#[test]
fn no_pair_writes_the_header_and_no_customers_table_writes_nothing() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let with = tmp.path().join("with");
    let config = fixture("gbk_declared").join("kam.toml");
    let o = kam(&["validate", "--config", s(&config), "--out", s(&with)]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(rows(&with.join("merge_candidates.csv")).is_empty());
    assert!(
        o.stdout
            .contains("merge candidates: 0 pairs among 2 customers"),
        "{}",
        o.stdout
    );
    let without = tmp.path().join("without");
    let config = fixture("crlf").join("kam.toml");
    let o = kam(&["validate", "--config", s(&config), "--out", s(&without)]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(!without.join("merge_candidates.csv").exists());
}

#[test]
fn confirmed_candidates_fed_back_as_the_merge_map_are_not_proposed_again() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let first = tmp.path().join("first");
    let o = kam(&["validate", "--config", s(&company()), "--out", s(&first)]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    // a copy of the company whose merge map is the candidates file, every row confirmed
    let dir = tmp.path().join("company");
    std::fs::create_dir(&dir).expect("dir");
    let src = company().parent().expect("folder").to_path_buf();
    for f in ["customers.csv", "transactions.csv"] {
        std::fs::copy(src.join(f), dir.join(f)).expect("copy");
    }
    std::fs::copy(first.join("merge_candidates.csv"), dir.join("merges.csv")).expect("copy");
    let toml = std::fs::read_to_string(company()).expect("kam.toml")
        + "\n[input.customer_merges]\npath = \"merges.csv\"\n\
           columns = { merge_into = \"candidate_id\" }\n";
    std::fs::write(dir.join("kam.toml"), toml).expect("write");
    let second = tmp.path().join("second");
    let o = kam(&[
        "run",
        "--config",
        s(&dir.join("kam.toml")),
        "--out",
        s(&second),
    ]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    // A3 spells A1's name in another district: nothing is left to propose
    assert!(rows(&second.join("merge_candidates.csv")).is_empty());
    assert_eq!(manifest(&second)["merges"]["ids_merged"], 7);
}
