use polars::prelude::*;

use super::*;

/// The columns typed from a frame, as (name, values or levels) and (name, reason).
fn typed(df: &DataFrame) -> (Vec<String>, Vec<(String, String)>) {
    let (raw, dropped) = infer_columns(df, &["id"], 3).unwrap();
    let raw = raw
        .iter()
        .map(|r| match r {
            Raw::Numeric { name, values } => format!("{name} numeric {values:?}"),
            Raw::Categorical {
                name,
                levels,
                codes,
            } => format!("{name} categorical {levels:?} {codes:?}"),
        })
        .collect();
    let dropped = dropped.into_iter().map(|d| (d.column, d.reason)).collect();
    (raw, dropped)
}

#[test]
fn number_columns_type_as_their_text_would() {
    let n = 40;
    let df = df!(
        "id" => (0..n).map(|i| format!("c{i}")).collect::<Vec<_>>(),
        // a different whole number on every row: identifies rows
        "row_number" => (1..=n as i64).collect::<Vec<_>>(),
        // whole numbers that repeat, with a gap
        "products" => (0..n).map(|i| (i % 3 != 1).then_some(i as i64 % 4)).collect::<Vec<_>>(),
        "balance" => (0..n).map(|i| i as f64 * 10.25 - 3.0).collect::<Vec<_>>(),
        "constant" => vec![2.5f64; n],
        "empty" => vec![None::<f64>; n],
        "ratio32" => (0..n).map(|i| i as f32 / 10.0).collect::<Vec<_>>(),
        "flag" => (0..n).map(|i| i % 2 == 0).collect::<Vec<_>>(),
    )
    .unwrap();
    let as_text = DataFrame::new_infer_height(
        df.columns()
            .iter()
            .map(|c| c.cast(&DataType::String).unwrap())
            .collect(),
    )
    .unwrap();
    let (raw, dropped) = typed(&df);
    assert_eq!((raw.clone(), dropped.clone()), typed(&as_text));
    let reason = |c: &str| dropped.iter().find(|d| d.0 == c).map(|d| d.1.as_str());
    assert!(reason("row_number").is_some_and(|r| r.contains("identifies rows")));
    assert_eq!(reason("constant"), Some("one value only"));
    assert_eq!(reason("empty"), Some("all values blank"));
    assert!(raw.iter().any(|r| r.starts_with("products numeric")));
    assert!(raw.iter().any(|r| r.starts_with("balance numeric")));
    // 32-bit floats go as text: their shortest text is the number a CSV would hold
    assert!(
        raw.iter()
            .any(|r| r.starts_with("ratio32 numeric [Some(0.0), Some(0.1),"))
    );
    assert!(raw.iter().any(|r| r.starts_with("flag categorical")));
}
