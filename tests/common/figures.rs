//! The figures of a run's outputs as tests read them: tables as rows of text, numbers, and
//! the key figures of report.html checked against the tables behind them.

use std::collections::BTreeMap;
use std::path::Path;

pub type Row = BTreeMap<String, String>;

pub fn table(path: &Path) -> Vec<Row> {
    let mut r = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    r.deserialize()
        .map(|x| x.unwrap_or_else(|e| panic!("{}: {e}", path.display())))
        .collect()
}

pub fn num(r: &Row, c: &str) -> f64 {
    r.get(c)
        .unwrap_or_else(|| panic!("no column {c}"))
        .parse()
        .unwrap_or(0.0)
}

pub fn close(a: f64, b: f64, what: &str) {
    let tol = 1e-6 * a.abs().max(b.abs()).max(1.0);
    assert!((a - b).abs() <= tol, "{what}: {a} vs {b}");
}

/// The `data-value` of each key-figure card of report.html, by its `data-kpi`.
pub fn cards(html: &str) -> BTreeMap<String, f64> {
    let mut out = BTreeMap::new();
    for part in html.split("data-kpi=\"").skip(1) {
        let name = part.split('"').next().unwrap_or("");
        let value = part
            .split("data-value=\"")
            .nth(1)
            .and_then(|v| v.split('"').next())
            .and_then(|v| v.parse().ok())
            .unwrap_or(f64::NAN);
        out.insert(name.to_string(), value);
    }
    out
}

/// The key figures (`data-kpi` -> `data-value`) equal the figures of the output tables of
/// `out` behind them.
pub fn cards_agree(cards: &BTreeMap<String, f64>, out: &Path) {
    let customers = table(&out.join("customers.csv"));
    let sum = |c: &str| customers.iter().map(|r| num(r, c)).sum::<f64>();
    let count = |f: &dyn Fn(&Row) -> bool| customers.iter().filter(|r| f(r)).count() as f64;
    close(cards["revenue_12m"], sum("revenue_last_12m"), "revenue_12m");
    close(
        cards["revenue_at_risk"],
        sum("revenue_at_risk"),
        "revenue_at_risk",
    );
    close(
        cards["active_customers"],
        count(&|r| num(r, "revenue_last_12m") > 0.0),
        "active",
    );
    close(
        cards["key_accounts"],
        count(&|r| !r["key_account_tier"].is_empty()),
        "key accounts",
    );
    let mix = table(&out.join("credit_mix.csv"));
    let company = mix
        .iter()
        .find(|r| r["level"] == "company")
        .expect("company mix");
    close(
        cards["b_or_better_share"],
        num(company, "quality_share"),
        "b_or_better_share",
    );
    let quotas = table(&out.join("quotas.csv"));
    let q = quotas
        .iter()
        .find(|r| r["level"] == "company")
        .expect("company quota");
    close(cards["next_quota"], num(q, "quota"), "next_quota");
    let share: f64 = table(&out.join("market_share.csv"))
        .iter()
        .filter(|r| num(r, "allocation") > 0.0)
        .map(|r| num(r, "share_of_capacity"))
        .sum();
    close(cards["market_share_allocation"], share, "market share");
    let ytd = table(&out.join("attainment.csv"))
        .into_iter()
        .filter(|r| r["level"] == "company" && r["metric"] == "revenue")
        .filter(|r| !r["ytd_completion_rate"].is_empty() && r["period"].as_str() < "2026-01")
        .max_by(|a, b| a["period"].cmp(&b["period"]))
        .expect("company attainment");
    close(
        cards["ytd_attainment"],
        num(&ytd, "ytd_completion_rate"),
        "ytd",
    );
}
