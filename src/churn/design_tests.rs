use polars::prelude::*;

use super::*;

fn raw() -> Result<Vec<Raw>> {
    let df = df!(
        "x" => [Some(1.0), Some(3.0), None, Some(5.0)],
        "t" => [Some("a"), Some("b"), Some("a"), None],
    )?;
    Ok(vec![
        Raw::numeric(&df, "x", "x")?,
        Raw::categorical(&df, "t", "t")?,
    ])
}

#[test]
fn numeric_median_standardised_with_indicator() -> Result<()> {
    let r = raw()?;
    let e = Encoder::fit(
        &r,
        &[0, 1, 2, 3],
        EncodeParams {
            min_level_count: 1,
            max_levels: 10,
            codes: false,
        },
    );
    assert_eq!(e.columns, ["x", "x_missing", "t=a", "t=b", "t=(missing)"]);
    let m = e.transform(&r, &[0, 1, 2, 3]);
    // median 3; filled 1,3,3,5: mean 3, std sqrt(2)
    let s = 2f64.sqrt();
    assert_eq!(m.col(0), &[-2.0 / s, 0.0, 0.0, 2.0 / s]);
    assert_eq!(m.col(1), &[0.0, 0.0, 1.0, 0.0]);
    assert_eq!(m.col(2), &[1.0, 0.0, 1.0, 0.0]);
    assert_eq!(m.col(4), &[0.0, 0.0, 0.0, 1.0]);
    assert_eq!(e.feature_of, [0, 0, 1, 1, 1]);
    Ok(())
}

#[test]
fn rare_levels_share_other_and_unseen_levels_go_there() -> Result<()> {
    let r = raw()?;
    // fitted on rows 0..3 with min count 2: "a" kept, "b" rare -> other
    let e = Encoder::fit(
        &r,
        &[0, 1, 2],
        EncodeParams {
            min_level_count: 2,
            max_levels: 10,
            codes: false,
        },
    );
    assert_eq!(e.columns, ["x", "x_missing", "t=a", "t=(other)"]);
    let m = e.transform(&r, &[1, 3]);
    assert_eq!(m.col(2), &[0.0, 0.0]);
    // row 3 is blank but training had no blanks: no column for it
    assert_eq!(m.col(3), &[1.0, 0.0]);
    Ok(())
}

#[test]
fn codes_give_one_column_per_categorical() -> Result<()> {
    let r = raw()?;
    let e = Encoder::fit(
        &r,
        &[0, 1, 2, 3],
        EncodeParams {
            min_level_count: 1,
            max_levels: 10,
            codes: true,
        },
    );
    assert_eq!(e.columns, ["x", "x_missing", "t"]);
    let m = e.transform(&r, &[0, 1, 2, 3]);
    // a (2 rows) = 0, b = 1, blank = (missing) = 2
    assert_eq!(m.col(2), &[0.0, 1.0, 0.0, 2.0]);
    Ok(())
}

#[test]
fn max_levels_keeps_the_most_frequent() -> Result<()> {
    let df = df!("t" => ["c", "b", "b", "a", "a", "a"])?;
    let r = vec![Raw::categorical(&df, "t", "t")?];
    let e = Encoder::fit(
        &r,
        &[0, 1, 2, 3, 4, 5],
        EncodeParams {
            min_level_count: 1,
            max_levels: 2,
            codes: false,
        },
    );
    assert_eq!(e.columns, ["t=a", "t=b", "t=(other)"]);
    Ok(())
}
