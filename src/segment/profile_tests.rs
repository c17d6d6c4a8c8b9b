use super::*;
use std::collections::BTreeSet;

type TestResult = std::result::Result<(), Box<dyn std::error::Error>>;

/// Three segments and one customer without purchases:
/// 1 = big, frequent, recent; 2 = mid, steady, recent; 3 = small, rare, a year+ ago.
fn customers() -> PolarsResult<DataFrame> {
    df![
        s::CUSTOMER_ID => ["a1", "a2", "a3", "b1", "b2", "c1", "c2", "u1"],
        s::CUSTOMER_TYPE => [Some("ready_mix"), Some("ready_mix"), Some("distributor"), Some("fleet"), None, Some("fleet"), Some("fleet"), Some("individual")],
        s::DISTRICT => ["north", "north", "south", "east", "east", "west", "west", "west"],
        s::MONETARY_TOTAL => [1000.0, 1200.0, 2000.0, 300.0, 500.0, 50.0, -10.0, 0.0],
        s::FREQUENCY => [Some(20i64), Some(24), Some(22), Some(5), Some(7), Some(0), Some(1), None],
        s::RECENCY_DAYS => [Some(5i64), Some(10), Some(6), Some(30), Some(40), Some(400), Some(500), None],
        s::TENURE_DAYS => [Some(900i64), Some(1000), Some(950), Some(800), Some(700), Some(600), Some(700), None],
    ]
}

fn labels() -> Vec<Option<u32>> {
    vec![
        Some(1),
        Some(1),
        Some(1),
        Some(2),
        Some(2),
        Some(3),
        Some(3),
        None,
    ]
}

fn params() -> ProfileParams {
    ProfileParams {
        features: vec![s::MONETARY_TOTAL.into(), s::FREQUENCY.into()],
        ..ProfileParams::default()
    }
}

fn f64s(df: &DataFrame, c: &str) -> PolarsResult<Vec<Option<f64>>> {
    Ok(df.column(c)?.f64()?.iter().collect())
}

fn strs(df: &DataFrame, c: &str) -> PolarsResult<Vec<String>> {
    Ok(df
        .column(c)?
        .str()?
        .iter()
        .map(|v| v.unwrap_or("<null>").to_string())
        .collect())
}

#[test]
fn segments_are_numbered_by_value_largest_first() -> TestResult {
    let df = customers()?;
    // raw label 2 holds the big accounts, 0 the mid ones, 1 the small ones
    let raw = [2, 2, 2, 0, 0, 1, 1].map(Some).into_iter().chain([None]);
    let got = order_labels(&df, &raw.collect::<Vec<_>>(), s::MONETARY_TOTAL)?;
    assert_eq!(got, labels());
    Ok(())
}

#[test]
fn numbering_does_not_depend_on_raw_label_ids() -> TestResult {
    let df = customers()?;
    let a = [
        Some(7),
        Some(7),
        Some(7),
        Some(3),
        Some(3),
        Some(0),
        Some(0),
        None,
    ];
    let b = [
        Some(0),
        Some(0),
        Some(0),
        Some(9),
        Some(9),
        Some(4),
        Some(4),
        None,
    ];
    assert_eq!(
        order_labels(&df, &a, s::MONETARY_TOTAL)?,
        order_labels(&df, &b, s::MONETARY_TOTAL)?
    );
    Ok(())
}

#[test]
fn equal_values_are_ordered_by_size_then_smallest_customer_id() -> TestResult {
    let df = df![
        s::CUSTOMER_ID => ["d", "a", "c", "b", "e", "f", "g"],
        s::MONETARY_TOTAL => [10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0],
    ]?;
    // raw 5 = {d, a}, raw 1 = {c, b}, raw 0 = {e, f, g}: 0 is largest, then 5 holds "a"
    let raw = [
        Some(5),
        Some(5),
        Some(1),
        Some(1),
        Some(0),
        Some(0),
        Some(0),
    ];
    let got = order_labels(&df, &raw, s::MONETARY_TOTAL)?;
    let want = [2, 2, 3, 3, 1, 1, 1].map(Some);
    assert_eq!(got, want);
    Ok(())
}

#[test]
fn shares_sum_to_one_and_negative_value_is_clipped() -> TestResult {
    let (t, _) = profiles(&customers()?, &labels(), &params())?;
    for c in [SHARE_CUSTOMERS, SHARE_REVENUE] {
        let sum: f64 = f64s(&t, c)?.iter().flatten().sum();
        assert!((sum - 1.0).abs() < 1e-12, "{c} sums to {sum}");
    }
    // clipped: 4200 + 800 + 50 (the -10 counts as 0) + 0
    let rev = f64s(&t, SHARE_REVENUE)?;
    assert!((rev[2].unwrap_or(0.0) - 50.0 / 5050.0).abs() < 1e-12);
    assert_eq!(rev[3], Some(0.0));
    Ok(())
}

#[test]
fn means_and_medians_in_original_units() -> TestResult {
    let (t, _) = profiles(&customers()?, &labels(), &params())?;
    let mean = f64s(&t, "monetary_total_mean")?;
    let median = f64s(&t, "monetary_total_median")?;
    assert_eq!(mean[..3], [Some(1400.0), Some(400.0), Some(20.0)]);
    assert_eq!(median[..3], [Some(1200.0), Some(400.0), Some(20.0)]);
    assert_eq!(f64s(&t, "frequency_median")?[0], Some(22.0));
    // naming columns are profiled too, so every name can be traced to the table
    assert_eq!(f64s(&t, "recency_days_mean")?[2], Some(450.0));
    let counts: Vec<Option<i64>> = t.column(CUSTOMERS)?.i64()?.iter().collect();
    assert_eq!(counts, [3, 2, 2, 1].map(Some));
    Ok(())
}

#[test]
fn names_follow_the_profile() -> TestResult {
    let (t, per_customer) = profiles(&customers()?, &labels(), &params())?;
    let names = strs(&t, SEGMENT_NAME)?;
    assert!(
        names[0].contains("High-value") && names[0].contains("loyal"),
        "{names:?}"
    );
    assert_eq!(names[1], "Steady mid-value");
    assert!(names[2].starts_with("Lost"), "{names:?}");
    assert_eq!(names[3], NO_PURCHASES);
    assert_eq!(per_customer.str()?.get(0), Some(names[0].as_str()));
    assert_eq!(per_customer.name().as_str(), SEGMENT_NAME);
    assert_eq!(per_customer.str()?.get(7), Some(NO_PURCHASES));
    Ok(())
}

#[test]
fn lapsing_segment_is_named_lapsing() -> TestResult {
    let df = df![
        s::CUSTOMER_ID => ["a", "b", "c", "d"],
        s::MONETARY_TOTAL => [900.0, 1100.0, 1000.0, 1000.0],
        s::RECENCY_DAYS => [10i64, 20, 200, 220],
    ]?;
    let labels = [1, 1, 2, 2].map(Some);
    let (t, _) = profiles(&df, &labels, &ProfileParams::default())?;
    assert_eq!(
        strs(&t, SEGMENT_NAME)?,
        ["Mid-value accounts", "Lapsing mid-value"]
    );
    Ok(())
}

#[test]
fn user_names_win_and_generated_names_avoid_them() -> TestResult {
    let mut p = params();
    p.names.insert(1, "Steady mid-value".into());
    p.names.insert(UNPLACED_KEY, "Never bought".into());
    let (t, per_customer) = profiles(&customers()?, &labels(), &p)?;
    let names = strs(&t, SEGMENT_NAME)?;
    assert_eq!(names[0], "Steady mid-value");
    assert_eq!(names[1], "Steady mid-value (2)");
    assert_eq!(names[3], "Never bought");
    assert_eq!(per_customer.str()?.get(7), Some("Never bought"));
    Ok(())
}

#[test]
fn bad_user_names_are_rejected() -> TestResult {
    for names in [
        BTreeMap::from([(9, "Ghost".to_string())]),
        BTreeMap::from([(1, " ".to_string())]),
        BTreeMap::from([(1, "Same".to_string()), (2, "Same".to_string())]),
        BTreeMap::from([(1, NO_PURCHASES.to_string())]),
    ] {
        let p = ProfileParams { names, ..params() };
        let e = profiles(&customers()?, &labels(), &p).err();
        assert!(matches!(e, Some(Error::Config { .. })), "{e:?}");
    }
    Ok(())
}

#[test]
fn unplaced_customers_form_the_last_row_without_a_number() -> TestResult {
    let (t, _) = profiles(&customers()?, &labels(), &params())?;
    let seg: Vec<Option<u32>> = t.column(SEGMENT)?.u32()?.iter().collect();
    assert_eq!(seg, [Some(1), Some(2), Some(3), None]);
    // without unplaced customers there is no such row
    let all = customers()?.slice(0, 7);
    let (t, _) = profiles(&all, &labels()[..7], &params())?;
    assert_eq!(t.height(), 3);
    Ok(())
}

#[test]
fn top_types_and_districts_with_shares() -> TestResult {
    let (t, _) = profiles(&customers()?, &labels(), &params())?;
    let types = strs(&t, TOP_CUSTOMER_TYPES)?;
    assert_eq!(types[0], "ready_mix 67%, distributor 33%");
    assert_eq!(types[1], "fleet 50%, unknown 50%");
    assert_eq!(strs(&t, TOP_DISTRICTS)?[0], "north 67%, south 33%");
    Ok(())
}

#[test]
fn absent_optional_columns_give_empty_text_and_fewer_words() -> TestResult {
    let df = customers()?.select([s::CUSTOMER_ID, s::MONETARY_TOTAL])?;
    let p = ProfileParams::default();
    let (t, _) = profiles(&df, &labels(), &p)?;
    assert_eq!(strs(&t, TOP_CUSTOMER_TYPES)?, ["", "", "", ""]);
    assert_eq!(strs(&t, TOP_DISTRICTS)?, ["", "", "", ""]);
    let names = strs(&t, SEGMENT_NAME)?;
    assert_eq!(
        names[..3],
        [
            "High-value accounts",
            "Mid-value accounts",
            "Low-value accounts"
        ]
    );
    assert!(t.column("recency_days_mean").is_err());
    Ok(())
}

#[test]
fn missing_feature_column_is_reported() -> TestResult {
    let p = ProfileParams {
        features: vec!["vehicles".into()],
        ..params()
    };
    let e = profiles(&customers()?, &labels(), &p).err();
    assert!(matches!(e, Some(Error::MissingColumn { .. })), "{e:?}");
    Ok(())
}

#[test]
fn names_are_unique_within_a_run() -> TestResult {
    // four segments of identical customers: same profile, same base name
    let df = df![
        s::CUSTOMER_ID => ["a", "b", "c", "d"],
        s::MONETARY_TOTAL => [100.0, 100.0, 100.0, 100.0],
    ]?;
    let labels = [1, 2, 3, 4].map(Some);
    let (t, _) = profiles(&df, &labels, &ProfileParams::default())?;
    let names = strs(&t, SEGMENT_NAME)?;
    let distinct: BTreeSet<&String> = names.iter().collect();
    assert_eq!(distinct.len(), 4, "{names:?}");
    assert_eq!(names[1], "Mid-value accounts (2)");
    Ok(())
}

#[test]
fn segments_table_columns_are_pinned() -> TestResult {
    let (t, _) = profiles(&customers()?, &labels(), &params())?;
    let names: Vec<&str> = t.get_column_names().iter().map(|c| c.as_str()).collect();
    let stats = ["monetary_total", "frequency", "recency_days", "tenure_days"];
    let stats = stats
        .iter()
        .flat_map(|c| [format!("{c}_mean"), format!("{c}_median")]);
    let mut want = vec![
        SEGMENT,
        SEGMENT_NAME,
        CUSTOMERS,
        SHARE_CUSTOMERS,
        SHARE_REVENUE,
    ]
    .into_iter()
    .map(String::from)
    .chain(stats)
    .collect::<Vec<_>>();
    want.extend([
        TOP_CUSTOMER_TYPES.into(),
        TOP_DISTRICTS.into(),
        crate::schema::columns::TOP_PRODUCTS.into(),
    ]);
    assert_eq!(names, want);
    Ok(())
}

#[test]
fn numeric_customer_ids_and_nan_values_are_ordered() -> TestResult {
    let df = df![
        s::CUSTOMER_ID => [30i64, 4, 20, 5],
        s::MONETARY_TOTAL => [5.0, 5.0, f64::NAN, 1.0],
    ]?;
    // raw 1 = {30, 4} and raw 0 = {5} ahead of raw 2 = {20}, whose value is unknown
    let raw = [Some(1), Some(1), Some(2), Some(0)];
    let got = order_labels(&df, &raw, s::MONETARY_TOTAL)?;
    assert_eq!(got, [Some(1), Some(1), Some(3), Some(2)]);
    Ok(())
}

#[test]
fn labels_must_match_the_customers() -> TestResult {
    let e = order_labels(&customers()?, &[Some(0)], s::MONETARY_TOTAL).err();
    assert!(matches!(e, Some(Error::Internal(_))), "{e:?}");
    let e = profiles(&customers()?, &[Some(1)], &params()).err();
    assert!(matches!(e, Some(Error::Internal(_))), "{e:?}");
    Ok(())
}

#[test]
fn recently_won_segment_is_named_new() -> TestResult {
    let df = df![
        s::CUSTOMER_ID => ["a", "b", "c", "d"],
        s::MONETARY_TOTAL => [1000.0, 1000.0, 100.0, 100.0],
        s::FREQUENCY => [10i64, 10, 1, 1],
        s::RECENCY_DAYS => [5i64, 5, 10, 10],
        s::TENURE_DAYS => [1000i64, 1000, 60, 80],
    ]?;
    let labels = [1, 1, 2, 2].map(Some);
    let (t, _) = profiles(&df, &labels, &ProfileParams::default())?;
    assert_eq!(strs(&t, SEGMENT_NAME)?, ["High-value loyal", "New small"]);
    Ok(())
}
