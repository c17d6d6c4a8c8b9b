use super::*;

fn customer(id: &str, name: &str, district: Option<&str>) -> Customer {
    Customer {
        id: id.into(),
        name: Some(name.into()),
        district: district.map(str::to_string),
        ..Customer::default()
    }
}

const LIMITS: Limits = Limits {
    min_similarity: 0.85,
    max_block_size: 100,
};

/// The found pairs as (id, id, rule), ids in input order.
fn found(list: &[Customer], limits: Limits) -> Vec<(String, String, &'static str)> {
    search(list, limits)
        .pairs
        .iter()
        .map(|p| (list[p.a].id.clone(), list[p.b].id.clone(), p.rule.as_str()))
        .collect()
}

fn pair(a: &str, b: &str, rule: &'static str) -> (String, String, &'static str) {
    (a.into(), b.into(), rule)
}

#[test]
fn same_name_in_other_districts_is_no_candidate_but_a_blank_district_meets_all() {
    let list = [
        customer("A", "华润水泥（平南）有限公司", Some("east")),
        customer("B", "华润水泥(平南)有限公司", Some("west")),
        customer("C", "华润水泥平南有限责任公司", Some("east")),
        customer("D", "华润水泥平南公司", None),
    ];
    assert_eq!(
        found(&list, LIMITS),
        [
            pair("A", "C", "name"),
            pair("A", "D", "name"),
            pair("B", "D", "name"),
            pair("C", "D", "name"),
        ]
    );
}

#[test]
fn phones_and_tax_ids_match_across_spellings_and_each_pair_comes_once() {
    let mut a = customer("A", "Acme Trading", None);
    a.phone = Some("+86 138 0013 8000".into());
    a.tax_id = Some("91450100MA5K8XYZ12".into());
    let mut b = customer("B", "Zenith Works", None);
    b.phone = Some("13800138000".into());
    let mut c = customer("C", "ACME Trading Co., Ltd.", None);
    c.tax_id = Some("91450100-ma5k8xyz12".into());
    c.phone = Some("0086-13800138000".into());
    let mut d = customer("D", "Other Name", None);
    d.address = Some("88 Minzu Avenue, Nanning".into());
    let mut e = customer("E", "Another", None);
    e.address = Some("88 MINZU AVENUE  NANNING".into());
    // A and C share a tax id, a name and a phone: one row, the strongest rule (tax_id)
    assert_eq!(
        found(&[a, b, c, d, e], LIMITS),
        [
            pair("A", "B", "phone"),
            pair("A", "C", "tax_id"),
            pair("B", "C", "phone"),
            pair("D", "E", "address"),
        ]
    );
}

#[test]
fn similar_names_reach_the_threshold_and_different_ones_do_not() {
    let list = [
        customer("A", "南宁金鼎混凝土有限公司", None),
        customer("B", "南宁全鼎混凝土有限公司", None),
        customer("C", "南宁金鼎物流有限公司", None),
        customer("D", "Acme Trading Limited", None),
        customer("E", "Acme Tradng Ltd", None),
        customer("F", "Shijingshan No. 1 Construction Company", None),
        customer("G", "Shijingshan No. 6 Construction Company", None),
        customer("H", "加油站3", None),
        customer("I", "加油站5", None),
        customer("J", "Hongda Transport Fleet", None),
        customer("K", "Tongda Transport Fleet", None),
        customer("L", "Acme Tradng Fleet", None),
        customer("M", "Hongxing Pipe Pile", None),
        customer("N", "Zhongxing Pipe Pile", None),
    ];
    let got = search(&list, LIMITS);
    let rules: Vec<(usize, usize, Rule)> = got.pairs.iter().map(|p| (p.a, p.b, p.rule)).collect();
    // numbered branches (F, G; H, I) are not typos of each other; J and K share generic
    // words but their brands differ (hongda / tongda: 5 of 6); L differs from D and E in two
    // words; M and N differ in a word's first letter (hongxing / zhongxing: 8 of 9)
    assert_eq!(
        rules,
        [(0, 1, Rule::SimilarName), (3, 4, Rule::SimilarName)]
    );
    // 南宁金鼎混凝土 vs 南宁全鼎混凝土: one character in seven (same last four)
    assert!((got.pairs[0].score - 6.0 / 7.0).abs() < 1e-12);
    let strict = Limits {
        min_similarity: 0.9,
        ..LIMITS
    };
    assert_eq!(found(&list, strict), []);
    // the word that differs is scored: tradng / trading, 6 of 7
    assert!((got.pairs[1].score - 6.0 / 7.0).abs() < 1e-12);
}

#[test]
fn a_block_over_the_cap_is_skipped_with_its_key() {
    let mut list: Vec<Customer> = (0..5)
        .map(|i| customer(&format!("S{i}"), "Station", Some("east")))
        .collect();
    list.push(customer("X", "Acme Inc", Some("east")));
    list.push(customer("Y", "ACME, Inc.", Some("east")));
    let small = Limits {
        max_block_size: 4,
        ..LIMITS
    };
    let got = search(&list, small);
    let ids: Vec<(usize, usize)> = got.pairs.iter().map(|p| (p.a, p.b)).collect();
    assert_eq!(ids, [(5, 6)]);
    assert_eq!(
        got.skipped.first(),
        Some(&Skipped {
            rule: Rule::Name,
            key: "station".into(),
            district: Some("east".into()),
            size: 5,
        })
    );
    // under a cap it fits, every pair of the block is proposed
    assert_eq!(search(&list, LIMITS).pairs.len(), 10 + 1);
}

#[test]
fn the_search_is_deterministic() {
    let (list, _) = super::super::synthetic::customers(2_000, 7);
    let a = search(&list, LIMITS);
    let b = search(&list, LIMITS);
    assert_eq!(a.pairs, b.pairs);
    assert_eq!(a.skipped, b.skipped);
}

#[test]
fn twenty_thousand_distinct_customers_give_exactly_the_planted_pairs() {
    let (list, planted) = super::super::synthetic::customers(20_000, 42);
    let got = search(&list, LIMITS);
    assert!(got.skipped.is_empty(), "{:?}", got.skipped.first());
    let mut found: Vec<(String, String, Rule)> = got
        .pairs
        .iter()
        .map(|p| {
            let (x, y) = (&list[p.a].id, &list[p.b].id);
            let (x, y) = if x.starts_with('C') { (x, y) } else { (y, x) };
            (x.clone(), y.clone(), p.rule)
        })
        .collect();
    found.sort();
    let mut want: Vec<(String, String, Rule)> = planted
        .iter()
        .map(|p| (p.original.clone(), p.twin.clone(), p.rule))
        .collect();
    want.sort();
    assert_eq!(want.len(), 400);
    assert_eq!(found, want);
}
