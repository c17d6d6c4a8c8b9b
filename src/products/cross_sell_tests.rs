//! Cross-sell on hand-made customers: the reason in words, the score, and never a product the
//! customer already buys.

use std::collections::HashMap;

use polars::prelude::*;

use super::*;
use crate::products::params::ProductsParams;
use crate::products::rules::{Baskets, Thresholds, mine};

type TestResult = std::result::Result<(), Box<dyn std::error::Error>>;

const CATALOG: [&str; 4] = ["cement", "fly ash", "slag", "admixture"];

fn catalog() -> Vec<String> {
    CATALOG.iter().map(|s| s.to_string()).collect()
}

#[test]
fn proposals_explain_themselves_and_skip_what_is_bought() -> TestResult {
    // fly ash (1) and slag (2) go together; cement (0) is in every basket
    let baskets = Baskets::count([
        vec![0, 1, 2],
        vec![0, 1, 2],
        vec![0, 1, 2],
        vec![0],
        vec![0, 3],
        vec![0, 1],
    ]);
    let t = Thresholds {
        min_support: 0.1,
        min_confidence: 0.1,
        max_antecedent: 2,
    };
    let rules = mine(&baskets, t);
    let owned: HashMap<String, Vec<u32>> = [
        ("K1".to_string(), vec![0, 1]),
        ("K2".to_string(), vec![0, 1, 2, 3]),
        ("N1".to_string(), vec![0]),
    ]
    .into();
    let mut pen = Penetration::new();
    for (p, x) in [(0, 1.0), (1, 0.5), (2, 0.4), (3, 0.3)] {
        pen.insert((Some("1".to_string()), p), x);
    }
    let table = df! {
        "customer_id" => ["K1", "K2", "N1"],
        "name" => ["Plant one", "Plant two", "Shop"],
        "segment" => [Some(1u32), Some(1), Some(1)],
        "segment_name" => ["Big buyers", "Big buyers", "Big buyers"],
        "key_account_tier" => [Some("key"), Some("key"), None],
    }?;
    let cat = catalog();
    let e = Evidence {
        catalog: &cat,
        owned: &owned,
        penetration: &pen,
        rules: &rules,
    };
    let p = ProductsParams::default().check()?;
    let out = proposals(&table, &e, &p)?;
    // K2 buys everything and N1 is no key account: only K1 gets proposals
    let ids: Vec<Option<&str>> = out.column("customer_id")?.str()?.iter().collect();
    assert!(ids.iter().all(|i| *i == Some("K1")), "{out}");
    let products: Vec<Option<&str>> = out.column("product")?.str()?.iter().collect();
    assert_eq!(products, [Some("slag"), Some("admixture")]);
    // slag: 75% of the baskets with fly ash hold slag (lift 0.75 / 0.5 = 1.5)
    let score = crate::frame::f64_at(&out, "score", 0).unwrap_or(0.0);
    assert!((score - 0.75).abs() < 1e-12);
    let reason: Vec<Option<&str>> = out.column("reason")?.str()?.iter().collect();
    assert_eq!(
        reason[0],
        Some(
            "bought by 40% of customers in segment 1 (Big buyers); in 75% of baskets with \
             fly ash (lift 1.5), which this customer buys"
        )
    );
    assert_eq!(
        reason[1],
        Some("bought by 30% of customers in segment 1 (Big buyers)")
    );
    // every active customer: never a product already bought
    let all = ProductsParams {
        cross_sell: crate::products::CrossSellFor::Active,
        ..ProductsParams::default()
    };
    let table = table.hstack(&[Column::new("recency_days".into(), [10.0, 10.0, 10.0])])?;
    let out = proposals(&table, &e, &all.check()?)?;
    let ids = crate::frame::strings(&out, "customer_id")?;
    let prods = crate::frame::strings(&out, "product")?;
    for (id, prod) in ids.iter().zip(&prods) {
        let (Some(id), Some(prod)) = (id, prod) else {
            panic!("blank proposal")
        };
        let code = CATALOG.iter().position(|c| c == prod).unwrap_or(99) as u32;
        assert!(!owned[id].contains(&code), "{id} already buys {prod}");
    }
    assert!(ids.iter().any(|i| i.as_deref() == Some("N1")));
    Ok(())
}
