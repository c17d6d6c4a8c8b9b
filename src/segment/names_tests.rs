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
