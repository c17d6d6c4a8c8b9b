//! The outputs agree with each other, as a planner reading them side by side would check:
//! on the bundled demo and on a second generated company.
//!
//! - the customers' `revenue_last_12m` add up to the company's last 12 months in `trend.csv`;
//! - attainment actuals of each level add up to their parent (station → district → company,
//!   account manager → company);
//! - `key_accounts.csv` holds exactly the customers whose `key_account_tier` is set;
//! - revenue at risk never exceeds the revenue it is a share of;
//! - quotas add up to their parents;
//! - the account managers' portfolios add up to the customers that have a manager, and their
//!   quality-customer share is the credit mix's;
//! - cross-sell never proposes a product the customer buys, and the penetration table's
//!   company rows count the customers that buy each product;
//! - satisfaction.csv's company row is the sum of the customers' satisfaction columns;
//! - the purchase model's frequency histogram counts the buyers, its P(alive) matrix is 1 at
//!   frequency 0 under BG/NBD, and the holdout's weeks add up to its cumulative totals.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use common::figures::*;
use common::*;

/// The months (YYYY-MM) of the 12 before `as_of`, which must be the first of a month.
fn last_12_months(as_of: &str) -> BTreeSet<String> {
    let (y, rest) = as_of.split_at(4);
    let y: i32 = y.parse().expect("year");
    let m: i32 = rest[1..3].parse().expect("month");
    assert!(
        as_of.ends_with("-01"),
        "as_of {as_of} is not a month's first day"
    );
    (1..=12)
        .map(|k| {
            let idx = y * 12 + (m - 1) - k;
            format!("{:04}-{:02}", idx.div_euclid(12), idx.rem_euclid(12) + 1)
        })
        .collect()
}

fn revenue_adds_up_to_the_trend(out: &Path, as_of: &str) {
    let customers = table(&out.join("customers.csv"));
    let total: f64 = customers.iter().map(|r| num(r, "revenue_last_12m")).sum();
    let months = last_12_months(as_of);
    let trend: f64 = table(&out.join("trend.csv"))
        .iter()
        .filter(|r| {
            r["level"] == "company" && r["kind"] == "actual" && months.contains(&r["month"])
        })
        .map(|r| num(r, "revenue"))
        .sum();
    close(
        total,
        trend,
        "sum of revenue_last_12m vs trend.csv's last 12 months",
    );
}

fn attainment_adds_up(out: &Path) {
    let customers = table(&out.join("customers.csv"));
    let district_of: BTreeMap<&str, &str> = customers
        .iter()
        .map(|r| (r["station"].as_str(), r["district"].as_str()))
        .collect();
    let every_unit_known = customers.iter().all(|r| {
        !r["district"].is_empty() && !r["station"].is_empty() && !r["account_manager"].is_empty()
    });
    // (period, metric, level, unit) -> actual
    let mut actual: BTreeMap<(String, String, String, String), f64> = BTreeMap::new();
    for r in table(&out.join("attainment.csv")) {
        if r["actual"].is_empty() {
            continue;
        }
        let key = (
            r["period"].clone(),
            r["metric"].clone(),
            r["level"].clone(),
            r["unit"].clone(),
        );
        actual.insert(key, num(&r, "actual"));
    }
    let mut sums: BTreeMap<(String, String, String, String), f64> = BTreeMap::new();
    for ((period, metric, level, unit), v) in &actual {
        let parent = match level.as_str() {
            "district" | "account_manager" => ("company".to_string(), "company".to_string()),
            "station" => (
                "district".to_string(),
                district_of[unit.as_str()].to_string(),
            ),
            _ => continue,
        };
        let key = (
            period.clone(),
            metric.clone(),
            format!("{}<{level}", parent.0),
            parent.1,
        );
        *sums.entry(key).or_default() += v;
    }
    assert!(!sums.is_empty());
    for ((period, metric, via, unit), sum) in sums {
        let parent_level = via.split('<').next().unwrap_or_default().to_string();
        let parent = actual
            .get(&(period.clone(), metric.clone(), parent_level, unit.clone()))
            .copied()
            .unwrap_or(0.0);
        let what = format!("attainment {period} {metric}: children ({via}) of {unit}");
        if every_unit_known {
            close(sum, parent, &what);
        } else {
            assert!(
                sum <= parent + 1e-6 * parent.abs().max(1.0),
                "{what}: {sum} > {parent}"
            );
        }
    }
}

fn key_accounts_are_the_tiered_customers(out: &Path) {
    let tiered: BTreeMap<String, String> = table(&out.join("customers.csv"))
        .into_iter()
        .filter(|r| !r["key_account_tier"].is_empty())
        .map(|r| (r["customer_id"].clone(), r["key_account_tier"].clone()))
        .collect();
    let listed: BTreeMap<String, String> = table(&out.join("key_accounts.csv"))
        .into_iter()
        .map(|r| (r["customer_id"].clone(), r["tier"].clone()))
        .collect();
    assert_eq!(
        tiered, listed,
        "key_accounts.csv vs key_account_tier in customers.csv"
    );
}

fn risk_is_a_share_of_what_is_at_stake(out: &Path) {
    for r in table(&out.join("customers.csv")) {
        if r["revenue_at_risk"].is_empty() {
            continue;
        }
        let (risk, stake) = (num(&r, "revenue_at_risk"), num(&r, "revenue_if_stays"));
        assert!(
            risk >= 0.0 && risk <= stake + 1e-6,
            "{}: at risk {risk} > {stake}",
            r["customer_id"]
        );
    }
}

fn quotas_add_up(out: &Path) {
    let quotas = table(&out.join("quotas.csv"));
    let quota: BTreeMap<(String, String, String), f64> = quotas
        .iter()
        .map(|r| {
            (
                (r["period"].clone(), r["level"].clone(), r["unit"].clone()),
                num(r, "quota"),
            )
        })
        .collect();
    let level_of: BTreeMap<&str, &str> = quotas
        .iter()
        .map(|r| (r["unit"].as_str(), r["level"].as_str()))
        .collect();
    let mut sums: BTreeMap<(String, String, String, String), f64> = BTreeMap::new();
    for r in &quotas {
        if r["parent"].is_empty() {
            continue;
        }
        let parent_level = level_of[r["parent"].as_str()].to_string();
        *sums
            .entry((
                r["period"].clone(),
                parent_level,
                r["parent"].clone(),
                r["level"].clone(),
            ))
            .or_default() += num(r, "quota");
    }
    assert!(!sums.is_empty(), "quotas.csv has no children");
    for ((period, level, unit, child), sum) in sums {
        let parent = quota[&(period.clone(), level, unit.clone())];
        assert!(
            (sum - parent).abs() < 0.5,
            "quotas {period}: {child}s of {unit} add to {sum}, not {parent}"
        );
    }
}

/// A figure of one customer row.
type RowValue = dyn Fn(&Row) -> f64;

/// 1 when column `c` of the row is set, else 0.
fn set(r: &Row, c: &str) -> f64 {
    f64::from(u8::from(!r[c].is_empty()))
}

/// 1 for a key account at high churn risk, else 0.
fn high(r: &Row) -> f64 {
    set(r, "key_account_tier") * f64::from(u8::from(r["churn_risk"] == "high"))
}

/// `portfolios.csv` sums to the customers with an account manager; each manager's
/// b_or_better_share is `credit_mix.csv`'s quality_share of that manager.
fn portfolios_add_up(out: &Path) {
    let books = table(&out.join("portfolios.csv"));
    assert!(!books.is_empty(), "portfolios.csv has rows");
    let customers: Vec<Row> = table(&out.join("customers.csv"))
        .into_iter()
        .filter(|r| !r["account_manager"].is_empty())
        .collect();
    let checks: [(&str, &RowValue); 7] = [
        ("revenue_last_12m", &|r| num(r, "revenue_last_12m")),
        ("revenue_prev_12m", &|r| num(r, "revenue_prev_12m")),
        ("clv", &|r| num(r, "clv")),
        ("revenue_at_risk", &|r| num(r, "revenue_at_risk")),
        ("key_accounts", &|r| set(r, "key_account_tier")),
        ("customers", &|r| set(r, "first_purchase")),
        ("high_risk_key_accounts", &high),
    ];
    for (column, of_customer) in checks {
        let books_sum: f64 = books.iter().map(|b| num(b, column)).sum();
        let company: f64 = customers.iter().map(of_customer).sum();
        close(books_sum, company, &format!("portfolios.csv {column}"));
    }
    let rows: f64 = books
        .iter()
        .map(|b| num(b, "customers") + num(b, "prospects"))
        .sum();
    close(rows, customers.len() as f64, "customers and prospects");
    let mix = table(&out.join("credit_mix.csv"));
    for b in &books {
        let quality = mix
            .iter()
            .find(|r| r["level"] == "account_manager" && r["unit"] == b["account_manager"])
            .map(|r| num(r, "quality_share"))
            .unwrap_or_else(|| panic!("no credit mix of {}", b["account_manager"]));
        close(num(b, "b_or_better_share"), quality, "b_or_better_share");
    }
}

/// Cross-sell proposes only products a customer does not buy; penetration counts buyers.
fn products_agree(out: &Path) {
    let customers = table(&out.join("customers.csv"));
    let bought: BTreeMap<&str, BTreeSet<&str>> = customers
        .iter()
        .map(|r| {
            let list = r["products"].split("; ").filter(|p| !p.is_empty());
            (r["customer_id"].as_str(), list.collect())
        })
        .collect();
    let proposals = table(&out.join("cross_sell.csv"));
    assert!(!proposals.is_empty(), "cross_sell.csv has rows");
    for p in &proposals {
        let owned = &bought[p["customer_id"].as_str()];
        assert!(
            !owned.contains(p["product"].as_str()),
            "{p:?} is bought already"
        );
        assert!(!p["reason"].is_empty());
    }
    for r in table(&out.join("product_penetration.csv")) {
        if !r["segment"].is_empty() {
            continue;
        }
        let buyers = bought
            .values()
            .filter(|b| b.contains(r["product"].as_str()))
            .count();
        close(num(&r, "customers"), buyers as f64, &r["product"]);
    }
}

/// The demo's strongest rules as mlxtend 0.25.0 finds them (`fpgrowth` + `association_rules`
/// on the same baskets, `benches/compare_mlxtend.py`): (antecedent, consequent, support,
/// confidence, lift). kam writes 6 decimals, so they agree to 1e-6; mlxtend finds 23 rules.
const MLXTEND_RULES: [(&str, &str, f64, f64, f64); 4] = [
    (
        "P.O 52.5 + fly ash",
        "slag powder S95",
        0.02616438153554895,
        0.5974332995609591,
        7.869289463591663,
    ),
    (
        "P.O 52.5 + slag powder S95",
        "fly ash",
        0.02616438153554895,
        0.8062898814949864,
        7.650023179589886,
    ),
    (
        "slag powder S95",
        "fly ash",
        0.06114389670319918,
        0.8053769725306837,
        7.6413615618540645,
    ),
    (
        "fly ash",
        "slag powder S95",
        0.06114389670319918,
        0.5801291046870615,
        7.641361561854064,
    ),
];

fn affinity_matches_mlxtend(out: &Path) {
    let rules = table(&out.join("product_affinity.csv"));
    assert_eq!(
        rules.len(),
        23,
        "mlxtend finds 23 rules at these thresholds"
    );
    for (ante, cons, support, confidence, lift) in MLXTEND_RULES {
        let r = rules
            .iter()
            .find(|r| r["antecedent"] == ante && r["consequent"] == cons)
            .unwrap_or_else(|| panic!("no rule {ante} -> {cons}"));
        for (c, want) in [
            ("support", support),
            ("confidence", confidence),
            ("lift", lift),
        ] {
            assert!(
                (num(r, c) - want).abs() <= 1e-6,
                "{ante} -> {cons} {c}: {} vs {want}",
                num(r, c)
            );
        }
    }
}

/// report.html's key figures equal the figures of the tables behind them, and its findings
/// (at least five on the demo) each link to a chart or table of the page.
fn report_top_agrees(out: &Path) {
    let html = std::fs::read_to_string(out.join("report.html")).expect("report.html");
    cards_agree(&cards(&html), out);
    let findings: Vec<&str> = html.split("<li data-finding=\"").skip(1).collect();
    assert!(findings.len() >= 5, "{} findings", findings.len());
    for f in findings {
        let link = f
            .split("href=\"#")
            .nth(1)
            .and_then(|l| l.split('"').next())
            .unwrap_or("");
        assert!(
            html.contains(&format!("id=\"{link}\"")),
            "finding links to #{link}, not on the page"
        );
    }
}

/// The company row of satisfaction.csv adds up the customers' own columns.
fn satisfaction_agrees(out: &Path) {
    let customers = table(&out.join("customers.csv"));
    let units = table(&out.join("satisfaction.csv"));
    let company = units
        .iter()
        .find(|r| r["by"] == "company")
        .expect("company row");
    let sum = |c: &str| customers.iter().map(|r| num(r, c)).sum::<f64>();
    close(
        num(company, "open_complaints"),
        sum("open_complaints"),
        "open complaints",
    );
    close(num(company, "complaints"), sum("complaints"), "complaints");
    let class = |k: &str| customers.iter().filter(|r| r["nps_class"] == k).count() as f64;
    close(num(company, "promoters"), class("promoter"), "promoters");
    close(num(company, "detractors"), class("detractor"), "detractors");
    let answered = class("promoter") + class("passive") + class("detractor");
    let nps = 100.0 * (class("promoter") - class("detractor")) / answered;
    close(num(company, "nps"), nps, "nps");
}

/// The purchase model's diagnostics tables agree with the customers: the histogram counts
/// every buyer by its frequency, and the model expects as many in all; under BG/NBD the
/// P(alive) matrix is 1 at frequency 0; the holdout tracking's weeks add up to its totals.
fn value_diagnostics_agree(out: &Path) {
    let customers = table(&out.join("customers.csv"));
    let buyers: Vec<f64> = (customers.iter())
        .filter(|r| !r["frequency"].is_empty())
        .map(|r| num(r, "frequency"))
        .collect();
    let hist = table(&out.join("models/frequency_histogram.csv"));
    for r in &hist {
        let want = match r["frequency"].as_str() {
            "7+" => buyers.iter().filter(|f| **f >= 7.0).count(),
            k => buyers.iter().filter(|f| f.to_string() == k).count(),
        };
        close(num(r, "actual_customers"), want as f64, "histogram bar");
    }
    let model: f64 = hist.iter().map(|r| num(r, "model_customers")).sum();
    assert!((model - buyers.len() as f64).abs() < 1e-3 * buyers.len() as f64);
    let cells = table(&out.join("models/value_matrices.csv"));
    assert!(
        cells
            .iter()
            .all(|r| ["weeks", "days"].contains(&r["unit"].as_str()))
    );
    if out.join("models/bgnbd.json").exists() {
        let zero: Vec<&Row> = (cells.iter())
            .filter(|r| r["kind"] == "p_alive" && num(r, "frequency") == 0.0)
            .collect();
        assert!(zero.len() >= 2, "no frequency-0 column");
        assert!(zero.iter().all(|r| num(r, "value") == 1.0));
    }
    let weeks = table(&out.join("models/holdout_tracking.csv"));
    let last = weeks.last().expect("tracking weeks");
    let sum = |c: &str| weeks.iter().map(|r| num(r, c)).sum::<f64>();
    close(
        sum("actual_weekly"),
        num(last, "actual_cumulative"),
        "actual weeks",
    );
    close(
        sum("predicted_weekly"),
        num(last, "predicted_cumulative"),
        "predicted weeks",
    );
    assert_eq!(
        weeks.first().map(|r| r["period"].as_str()),
        Some("calibration")
    );
    assert_eq!(last["period"], "holdout");
}

fn assert_consistent(out: &Path) {
    let m = manifest(out);
    let as_of = m["as_of"].as_str().expect("as_of").to_string();
    revenue_adds_up_to_the_trend(out, &as_of);
    attainment_adds_up(out);
    key_accounts_are_the_tiered_customers(out);
    risk_is_a_share_of_what_is_at_stake(out);
    quotas_add_up(out);
    portfolios_add_up(out);
    products_agree(out);
    value_diagnostics_agree(out);
    if out.join("satisfaction.csv").exists() {
        satisfaction_agrees(out);
    }
}

/// The demo's headline numbers look like a business: key accounts are a minority that holds
/// most of the revenue, and every customer with a purchase has a CLV.
fn demo_headlines(out: &Path) {
    let customers = table(&out.join("customers.csv"));
    let n = customers.len() as f64;
    let key: Vec<&Row> = customers
        .iter()
        .filter(|r| !r["key_account_tier"].is_empty())
        .collect();
    let share = key.len() as f64 / n;
    assert!(
        (0.10..=0.25).contains(&share),
        "key accounts are {:.1}% of customers",
        100.0 * share
    );
    let revenue = |rows: &[&Row]| rows.iter().map(|r| num(r, "revenue_last_12m")).sum::<f64>();
    let all: Vec<&Row> = customers.iter().collect();
    assert!(
        revenue(&key) > 0.5 * revenue(&all),
        "key accounts hold a minority of revenue"
    );
    let no_clv: Vec<&str> = customers
        .iter()
        .filter(|r| !r["first_purchase"].is_empty() && r["clv"].is_empty())
        .map(|r| r["customer_id"].as_str())
        .collect();
    assert!(
        no_clv.is_empty(),
        "{} customers with a purchase have no CLV: {:?}",
        no_clv.len(),
        &no_clv[..no_clv.len().min(5)]
    );
}

#[test]
fn demo_outputs_agree_with_each_other() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("out");
    let o = kam(&["run", "--quiet", "--out", out.to_str().unwrap_or("")]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_consistent(&out);
    demo_headlines(&out);
    affinity_matches_mlxtend(&out);
    report_top_agrees(&out);
    the_demo_merge_step(&out, tmp.path());
}

/// The demo's planted mess is found, and confirming the candidates gives one customer each:
/// 206 repeated rows rejected (cement and add-on lines), exactly the 10 planted pairs proposed
/// (each pairs an original id with one of the second ids C002001..C002010), and with them as
/// the merge map the rerun has 2,000 customers, the same revenue, still consistent outputs and
/// nothing left to propose.
fn the_demo_merge_step(out: &Path, tmp: &Path) {
    let m = manifest(out);
    assert_eq!(
        m["tables"]["transactions"]["rejected_by_check"]["duplicate row"], 206,
        "repeated rows rejected"
    );
    let pairs = table(&out.join("merge_candidates.csv"));
    assert_eq!(pairs.len(), 10, "merge candidates");
    for p in &pairs {
        let second = |id: &str| id.as_bytes() > b"C002000".as_slice();
        assert!(
            second(&p["customer_id"]) != second(&p["candidate_id"]),
            "not a planted pair: {p:?}"
        );
    }
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/demo");
    let co = tmp.join("merged-demo");
    std::fs::create_dir_all(&co).expect("dir");
    for e in std::fs::read_dir(&demo).expect("demo").flatten() {
        std::fs::copy(e.path(), co.join(e.file_name())).expect("copy");
    }
    std::fs::copy(out.join("merge_candidates.csv"), co.join("merges.csv")).expect("copy");
    let mut cfg = std::fs::read_to_string(co.join("kam.toml")).expect("kam.toml");
    cfg.push_str("\n[input.customer_merges]\npath = \"merges.csv\"\n");
    cfg.push_str("columns = { merge_into = \"candidate_id\" }\n");
    std::fs::write(co.join("kam.toml"), cfg).expect("write");
    let merged = tmp.join("merged-out");
    let s = |p: &Path| p.to_str().unwrap_or("").to_string();
    let o = kam(&[
        "run",
        "--quiet",
        "--config",
        &s(&co.join("kam.toml")),
        "--out",
        &s(&merged),
    ]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_consistent(&merged);
    let before = table(&out.join("customers.csv"));
    let after = table(&merged.join("customers.csv"));
    assert_eq!((before.len(), after.len()), (2010, 2000));
    let revenue = |rows: &[Row]| rows.iter().map(|r| num(r, "monetary_total")).sum::<f64>();
    close(
        revenue(&before),
        revenue(&after),
        "revenue before and after the merge",
    );
    assert!(table(&merged.join("merge_candidates.csv")).is_empty());
    assert_eq!(manifest(&merged)["merges"]["ids_merged"], 10);
}

#[test]
fn a_generated_company_agrees_with_itself() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let co = tmp.path().join("co");
    let s = |p: &Path| p.to_str().unwrap_or("").to_string();
    let o = kam(&[
        "generate",
        "--quiet",
        "--out",
        &s(&co),
        "--customers",
        "400",
        "--months",
        "30",
        "--seed",
        "11",
    ]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let out = tmp.path().join("out");
    let cfg = co.join("kam.toml");
    let o = kam(&["run", "--quiet", "--config", &s(&cfg), "--out", &s(&out)]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_consistent(&out);
}
