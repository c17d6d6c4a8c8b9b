use super::*;

const A: u32 = 0;
const B: u32 = 1;
const C: u32 = 2;
const E: u32 = 4;

/// Five baskets; E is in every one of them.
fn five() -> Baskets {
    Baskets::count(vec![
        vec![A, B, E],
        vec![E, B, A],
        vec![A, C, E],
        vec![B, E],
        vec![A, B, C, E, C],
    ])
}

fn all() -> Thresholds {
    Thresholds {
        min_support: 0.2,
        min_confidence: 0.01,
        max_antecedent: 2,
    }
}

fn find<'a>(rules: &'a [Rule], ante: &[u32], cons: u32) -> &'a Rule {
    rules
        .iter()
        .find(|r| r.antecedent == ante && r.consequent == cons)
        .unwrap_or_else(|| panic!("no rule {ante:?} -> {cons}"))
}

#[test]
fn identical_baskets_are_counted_once_with_their_number() {
    let b = five();
    assert_eq!(b.total, 5);
    assert_eq!(b.items.len(), 4);
    assert_eq!(b.items[0], vec![A, B, C, E]);
    assert_eq!(b.counts.iter().sum::<u64>(), 5);
}

#[test]
fn support_confidence_and_lift_equal_a_count_by_hand() {
    let rules = mine(&five(), all());
    // A in 4 baskets, B in 4, C in 2; A and B together in 3 (1, 2, 5)
    let ab = find(&rules, &[A], B);
    assert_eq!(ab.both, 3);
    assert!((ab.support - 0.6).abs() < 1e-12);
    assert!((ab.confidence - 0.75).abs() < 1e-12);
    assert!((ab.lift - 0.75 / 0.8).abs() < 1e-12);
    // C always comes with A: confidence 1, lift 1 / 0.8
    let ca = find(&rules, &[C], A);
    assert_eq!(ca.both, 2);
    assert!((ca.confidence - 1.0).abs() < 1e-12);
    assert!((ca.lift - 1.25).abs() < 1e-12);
    let ac = find(&rules, &[A], C);
    assert!((ac.confidence - 0.5).abs() < 1e-12);
    assert!((ac.lift - 1.25).abs() < 1e-12);
    // two products on the left: {A, B} in 3 baskets, with C in 1
    let abc = find(&rules, &[A, B], C);
    assert_eq!(abc.both, 1);
    assert!((abc.confidence - 1.0 / 3.0).abs() < 1e-12);
    assert!((abc.lift - (1.0 / 3.0) / 0.4).abs() < 1e-12);
    let bca = find(&rules, &[B, C], A);
    assert!((bca.confidence - 1.0).abs() < 1e-12);
}

#[test]
fn a_product_in_every_basket_has_lift_one_with_anything() {
    let rules = mine(&five(), all());
    let with_e: Vec<&Rule> = rules
        .iter()
        .filter(|r| r.consequent == E || r.antecedent == [E])
        .collect();
    assert!(with_e.len() >= 6);
    for r in with_e {
        assert!((r.lift - 1.0).abs() < 1e-12, "{r:?}");
    }
}

#[test]
fn thresholds_cut_and_order_is_by_lift() {
    let t = Thresholds {
        min_support: 0.5,
        min_confidence: 0.8,
        max_antecedent: 1,
    };
    let rules = mine(&five(), t);
    // pairs with support >= 0.5: AB (0.6), AE (0.8), BE (0.8)
    assert!(
        rules
            .iter()
            .all(|r| r.support >= 0.5 && r.confidence >= 0.8)
    );
    assert!(rules.iter().all(|r| r.antecedent.len() == 1));
    assert!(
        !rules
            .iter()
            .any(|r| r.consequent == C || r.antecedent == [C])
    );
    assert!(rules.windows(2).all(|w| w[0].lift >= w[1].lift));
    assert!(mine(&Baskets::default(), t).is_empty());
}
