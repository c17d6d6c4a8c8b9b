use super::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap_or(NaiveDate::MIN)
}

#[test]
fn epoch_days_count_from_1970_and_round_trip() {
    assert_eq!(epoch_days(d(1970, 1, 1)), 0);
    assert_eq!(epoch_days(d(1970, 1, 2)), 1);
    assert_eq!(epoch_days(d(1969, 12, 31)), -1);
    assert_eq!(epoch_days(d(2026, 1, 1)), 20_454);
    for day in [-1_000_000, -1, 0, 1, 20_454, 2_932_896] {
        assert_eq!(epoch_days(date_of(day)), day);
    }
    assert_eq!(date_of(i32::MAX), NaiveDate::MIN, "out of range");
}

#[test]
fn day_in_is_open_at_the_start_and_closed_at_the_end() -> Result<()> {
    let df = df!("d" => [d(2025, 1, 1), d(2025, 1, 2), d(2025, 1, 3), d(2025, 1, 4)])?;
    let (from, to) = (epoch_days(d(2025, 1, 1)), epoch_days(d(2025, 1, 3)));
    let out = df
        .lazy()
        .select([day_in(day(col("d")), from, to).alias("in")])
        .collect()?;
    let got: Vec<Option<bool>> = out.column("in")?.bool()?.iter().collect();
    assert_eq!(got, [Some(false), Some(true), Some(true), Some(false)]);
    Ok(())
}

#[test]
fn date_column_holds_dates_and_nulls() -> Result<()> {
    let c = date_column("x", vec![Some(d(2025, 3, 1)), None])?;
    assert_eq!(c.dtype(), &DataType::Date);
    let df = DataFrame::new(2, vec![c])?;
    assert_eq!(dates(&df, "x")?, [Some(d(2025, 3, 1)), None]);
    Ok(())
}

#[test]
fn fixed_sums_are_exact_and_match_the_rust_side() -> Result<()> {
    let df = df!(
        "x" => [0.1, 0.2, -0.3, 1.00005],
        "keep" => [true, true, true, false],
    )?;
    let out = df
        .lazy()
        .select([
            fixed_sum(col("x")).alias("all"),
            fixed_sum_where(col("keep"), col("x")).alias("kept"),
            fixed_sum_where(col("keep").not().and(col("keep")), col("x")).alias("none"),
        ])
        .collect()?;
    let get = |c: &str| f64s(&out, c).map(|v| v[0]);
    // 0.1 + 0.2 - 0.3 is exactly 0 in fixed point; 1.00005 rounds half away to 1.0001
    assert_eq!(get("kept")?, Some(0.0));
    assert_eq!(get("all")?, Some(1.0001));
    assert_eq!(get("none")?, Some(0.0));
    let rust: i64 = [0.1, 0.2, -0.3, 1.00005].into_iter().map(to_fixed).sum();
    assert_eq!(from_fixed(rust), 1.0001);
    assert_eq!(
        to_fixed(-0.00005),
        -1,
        "half away from zero, as the expression"
    );
    assert_eq!(tidy(0.1 + 0.2), 0.3);
    Ok(())
}

#[test]
fn readers_cast_and_read_absent_columns_as_none() -> Result<()> {
    let df = df!(
        "s" => [Some(" a "), Some("  "), None],
        "n" => [Some(1i64), None, Some(3)],
        "b" => [true, false, true],
        "dt" => [d(2025, 1, 1), d(2025, 1, 2), d(2025, 1, 3)],
    )?;
    assert!(has(&df, "s") && !has(&df, "zz"));
    assert_eq!(
        strings(&df, "s")?,
        [Some(" a ".to_string()), Some("  ".to_string()), None]
    );
    assert_eq!(trimmed(&df, "s")?, [Some("a".to_string()), None, None]);
    assert_eq!(strings(&df, "n")?[0].as_deref(), Some("1"));
    assert_eq!(f64s(&df, "n")?, [Some(1.0), None, Some(3.0)]);
    assert_eq!(bools(&df, "b")?, [Some(true), Some(false), Some(true)]);
    let first = epoch_days(d(2025, 1, 1));
    assert_eq!(
        days(&df, "dt")?,
        [Some(first), Some(first + 1), Some(first + 2)]
    );
    assert_eq!(dates(&df, "dt")?[2], Some(d(2025, 1, 3)));
    assert_eq!(strings(&df, "zz")?, [None, None, None]);
    assert_eq!(trimmed(&df, "zz")?, [None, None, None]);
    assert_eq!(f64s(&df, "zz")?, [None, None, None]);
    assert_eq!(days(&df, "zz")?, [None, None, None]);
    assert_eq!(dates(&df, "zz")?, [None, None, None]);
    assert_eq!(bools(&df, "zz")?, [None, None, None]);
    assert_eq!(f64_at(&df, "n", 2), Some(3.0));
    assert_eq!(f64_at(&df, "n", 1), None);
    assert_eq!(f64_at(&df, "n", 9), None);
    assert_eq!(f64_at(&df, "zz", 0), None);
    Ok(())
}

#[test]
fn unfixed_multiplies_by_the_reciprocal_and_from_fixed_divides() -> Result<()> {
    // pinned: plan sums go back to units in Rust, features and tracking in Polars
    let df = df!("g" => ["a", "a", "b"], "x" => [6.8, 0.0, 1.0])?;
    let out = df
        .lazy()
        .group_by([col("g")])
        .agg([
            fixed_total_where(lit(true), col("x")).alias("total"),
            fixed_sum(col("x")).alias("sum"),
        ])
        .sort(["g"], Default::default())
        .collect()?;
    let total = out.column("total")?.i64()?.get(0);
    assert_eq!(total, Some(68_000));
    assert_eq!(from_fixed(68_000), 6.8);
    assert_eq!(f64s(&out, "sum")?[0], Some(68_000.0 * (1.0 / FIXED_SCALE)));
    Ok(())
}

#[test]
fn a_monthly_grid_keeps_at_most_max_months() {
    let last = 2025 * 12 + 5;
    assert_eq!(month_window(last - 10, last), (last - 10, false));
    assert_eq!(
        month_window(last - MAX_MONTHS + 1, last),
        (last - MAX_MONTHS + 1, false)
    );
    // a sale in the year 1: 24,000 months cut to the last MAX_MONTHS
    assert_eq!(month_window(12, last), (last - MAX_MONTHS + 1, true));
}

#[test]
fn unfixed_value_equals_the_lazy_unfixed_to_the_last_bit() -> Result<()> {
    let xs: Vec<i64> = vec![68_000, 1, -3, 123_456_789, -987_654_321_012, 5, 99_999, 0];
    let df = df!("x" => xs.clone())?;
    let lazy = df.lazy().select([unfixed(col("x"))]).collect()?;
    let lazy: Vec<f64> = lazy.column("x")?.f64()?.into_no_null_iter().collect();
    let rust: Vec<f64> = xs.iter().map(|&x| unfixed_value(x)).collect();
    assert_eq!(lazy, rust);
    // and it is not the true division for every value
    assert!(xs.iter().any(|&x| unfixed_value(x) != from_fixed(x)));
    Ok(())
}
