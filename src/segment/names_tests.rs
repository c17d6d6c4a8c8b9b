use super::*;

#[test]
fn alike_names_get_the_first_word_that_tells_them_apart() {
    let lost = |value| {
        [
            Some(value),
            Some("occasional"),
            Some("lost"),
            None,
            Some("established"),
        ]
    };
    let got = unique_names(&[lost("mid-value"), lost("low-value")], &BTreeSet::new());
    assert_eq!(got, ["Lost (mid-value)", "Lost (low-value)"]);
    // alike in every word: numbered, and never equal to a name already taken
    let taken = BTreeSet::from(["Lost".to_string()]);
    let got = unique_names(&[lost("low-value"), lost("low-value")], &taken);
    assert_eq!(got, ["Lost (2)", "Lost (3)"]);
}

/// Regression (issue 12): on the demo three of four segments were "..., growing". A qualifier
/// that several segments share tells none apart: it is left out, and the heads, which differ,
/// name the segments; a trend only one segment has is kept.
#[test]
fn a_qualifier_shared_by_segments_is_left_out() {
    let w = |value, freq, trend, tenure| -> Words {
        [
            Some(value),
            Some(freq),
            Some("recent"),
            Some(trend),
            Some(tenure),
        ]
    };
    let lost: Words = [
        Some("low-value"),
        Some("occasional"),
        Some("lost"),
        Some("declining"),
        Some("established"),
    ];
    let all_growing = [
        w("high-value", "loyal", "growing", "established"),
        w("low-value", "steady", "growing", "established"),
        lost,
        w("low-value", "occasional", "growing", "new"),
    ];
    let got = unique_names(&all_growing, &BTreeSet::new());
    assert_eq!(
        got,
        ["High-value loyal", "Steady low-value", "Lost", "New small"]
    );
    assert!(got.iter().all(|n| !n.contains("growing")), "{got:?}");
    // one growing, one declining (a lost segment's decline does not count): each trend tells
    // its segment apart
    let mixed = [
        w("high-value", "loyal", "growing", "established"),
        w("low-value", "steady", "declining", "established"),
        lost,
    ];
    let got = unique_names(&mixed, &BTreeSet::new());
    assert_eq!(
        got,
        [
            "High-value loyal, growing",
            "Steady low-value, declining",
            "Lost"
        ]
    );
}
