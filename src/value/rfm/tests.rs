//! RFM scoring tests: ties, collapse, determinism, segments, settings.
use super::*;

fn valid() -> Result<RfmValid> {
    RfmParams::default().check()
}

/// A score column as plain numbers (whatever [`SCORE_DTYPE`] is).
fn scores(df: &DataFrame, c: &str) -> Result<Vec<Option<u8>>> {
    Ok(df
        .column(c)?
        .cast(&DataType::Int64)?
        .i64()?
        .iter()
        .map(|v| v.and_then(|v| u8::try_from(v).ok()))
        .collect())
}

fn strings(df: &DataFrame, c: &str) -> Result<Vec<Option<String>>> {
    Ok(df
        .column(c)?
        .str()?
        .iter()
        .map(|v| v.map(str::to_string))
        .collect())
}

fn ids(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("C{i:04}")).collect()
}

/// How many customers got each score 1..=5 (index 0 = score 1); missing scores are ignored.
fn histogram(v: &[Option<u8>]) -> [usize; 5] {
    let mut h = [0; 5];
    for s in v.iter().flatten() {
        h[usize::from(*s) - 1] += 1;
    }
    h
}

/// 1000 B2B customers: 700 bought once (frequency 0), the rest 10 each at 1..=30.
fn b2b(order: impl Fn(usize) -> usize) -> PolarsResult<DataFrame> {
    let n = 1000;
    let idx: Vec<usize> = (0..n).map(order).collect();
    let freq: Vec<i64> = idx
        .iter()
        .map(|&i| {
            if i < 700 {
                0
            } else {
                (i as i64 - 700) / 10 + 1
            }
        })
        .collect();
    let rec: Vec<i64> = idx.iter().map(|&i| (i as i64 * 37) % 400).collect();
    let money: Vec<f64> = idx
        .iter()
        .map(|&i| ((i * 7919) % 250) as f64 * 10.0)
        .collect();
    let all = ids(n);
    let id: Vec<&str> = idx.iter().map(|&i| all[i].as_str()).collect();
    df!(
        s::CUSTOMER_ID => id,
        s::RECENCY_DAYS => rec,
        s::FREQUENCY => freq,
        s::MONETARY_TOTAL => money,
    )
}

fn small(rec: &[i64], freq: &[Option<i64>], money: &[f64]) -> PolarsResult<DataFrame> {
    df!(
        s::CUSTOMER_ID => ids(rec.len()),
        s::RECENCY_DAYS => rec,
        s::FREQUENCY => freq,
        s::MONETARY_TOTAL => money,
    )
}

// ---- segments ----

#[test]
fn default_rules_cover_every_cell() -> Result<()> {
    let mut r = Vec::new();
    let mut f = Vec::new();
    let mut m = Vec::new();
    for a in 1..=5i32 {
        for b in 1..=5i32 {
            for c in 1..=5i32 {
                r.push(a);
                f.push(b);
                m.push(c);
            }
        }
    }
    let cells = df!(R_SCORE => r, F_SCORE => f, M_SCORE => m)?;
    let out = cells
        .lazy()
        .select([
            col(R_SCORE).cast(SCORE_DTYPE),
            col(F_SCORE).cast(SCORE_DTYPE),
            col(M_SCORE).cast(SCORE_DTYPE),
        ])
        .select([segment(&default_segments())])
        .collect()?;
    let named = strings(&out, RFM_SEGMENT)?;
    assert_eq!(named.len(), 125);
    for (i, s) in named.iter().enumerate() {
        let s = s.as_deref();
        assert!(s.is_some() && s != Some(OTHERS), "cell {i} has no rule");
    }
    Ok(())
}

#[test]
fn first_matching_rule_names_the_segment() -> Result<()> {
    // five distinct values per axis, so each score is the value's rank
    let df = small(
        &[1, 2, 5, 4, 3],
        &[Some(9), Some(1), Some(8), Some(3), Some(2)],
        &[50.0, 10.0, 40.0, 20.0, 30.0],
    )?;
    let out = score(&df, &valid()?)?;
    assert_eq!(
        strings(&out, RFM_CELL)?,
        ["555", "411", "144", "232", "323"].map(|c| Some(c.to_string()))
    );
    assert_eq!(
        strings(&out, RFM_SEGMENT)?,
        [
            "Champions",
            "Promising",
            "Can't lose them",
            "At risk",
            "Need attention"
        ]
        .map(|c| Some(c.to_string()))
    );
    Ok(())
}

#[test]
fn unmatched_customers_are_others() -> Result<()> {
    let p = RfmParams {
        segments: vec![SegmentRule::new("Best", [5, 5], [5, 5], None)],
        ..RfmParams::default()
    }
    .check()?;
    let df = small(&[1, 9], &[Some(5), Some(0)], &[1.0, 2.0])?;
    let out = score(&df, &p)?;
    assert_eq!(
        strings(&out, RFM_SEGMENT)?,
        [Some("Best".to_string()), Some(OTHERS.to_string())]
    );
    Ok(())
}

// ---- scores ----

#[test]
fn mostly_one_time_buyers_keep_several_frequency_scores() -> Result<()> {
    let out = score(&b2b(|i| i)?, &valid()?)?;
    let f = scores(&out, F_SCORE)?;
    // the 700 one-time buyers share the lowest score, alone in it
    assert!(f[..700].iter().all(|s| *s == Some(1)));
    // the 300 repeat buyers spread over the other four scores, about a quarter each
    // (bin width 75 on the capped scale; blocks of 10 cannot split 75s exactly)
    assert_eq!(histogram(&f), [700, 80, 70, 80, 70]);
    // higher frequency never scores lower
    assert!(f.windows(2).all(|w| w[0] <= w[1]));
    assert_eq!(out.column(RFM_SEGMENT)?.null_count(), 0);
    assert_eq!(out.column(RFM_CELL)?.null_count(), 0);
    Ok(())
}

#[test]
fn scores_do_not_depend_on_row_order_or_run() -> Result<()> {
    let p = valid()?;
    let sorted = |df: DataFrame| -> Result<DataFrame> {
        Ok(df
            .lazy()
            .sort([s::CUSTOMER_ID], SortMultipleOptions::default())
            .collect()?)
    };
    let first = sorted(score(&b2b(|i| i)?, &p)?)?;
    let again = sorted(score(&b2b(|i| i)?, &p)?)?;
    let shuffled = sorted(score(&b2b(|i| (i * 7919 + 13) % 1000)?, &p)?)?;
    let reversed = sorted(score(&b2b(|i| 999 - i)?, &p)?)?;
    assert!(first.equals_missing(&again));
    assert!(first.equals_missing(&shuffled));
    assert!(first.equals_missing(&reversed));
    Ok(())
}

#[test]
fn identical_values_always_share_a_score() -> Result<()> {
    let input = b2b(|i| (i * 7919 + 13) % 1000)?;
    let out = score(&input, &valid()?)?;
    let both = input.hstack(&[out.column(M_SCORE)?.clone()])?;
    let per_value = both
        .lazy()
        .group_by([col(s::MONETARY_TOTAL)])
        .agg([col(M_SCORE).n_unique().alias("n")])
        .filter(col("n").gt(lit(1)))
        .collect()?;
    assert_eq!(per_value.height(), 0);
    Ok(())
}

#[test]
fn a_continuous_variable_fills_each_bin_equally() -> Result<()> {
    let n = 1000;
    let money: Vec<f64> = (0..n).map(|i| ((i * 7919) % n) as f64 + 0.25).collect();
    let df = small(&vec![1; n], &vec![Some(1); n], &money)?;
    let out = score(&df, &valid()?)?;
    assert_eq!(histogram(&scores(&out, M_SCORE)?), [200; 5]);
    // score rises with the value: 0.25..199.25 score 1, ..., 800.25..999.25 score 5
    for (value, m) in money.iter().zip(scores(&out, M_SCORE)?) {
        assert_eq!(m, Some((*value / 200.0).floor() as u8 + 1), "{value}");
    }
    Ok(())
}

#[test]
fn any_number_of_bins_splits_distinct_values_equally() -> Result<()> {
    let n = 420; // divisible by every bin count below
    let money: Vec<f64> = (0..n).map(|i| ((i * 211) % n) as f64).collect();
    let df = small(&vec![1; n], &vec![Some(1); n], &money)?;
    for bins in [2, 3, 4, 7, 10] {
        let p = RfmParams {
            bins,
            segments: vec![],
            ..RfmParams::default()
        }
        .check()?;
        let m = scores(&score(&df, &p)?, M_SCORE)?;
        for b in 1..=bins {
            let got = m.iter().filter(|s| **s == u8::try_from(b).ok()).count();
            assert_eq!(got, n / bins as usize, "bins {bins}, score {b}");
        }
    }
    Ok(())
}

#[test]
fn a_dominant_middle_value_takes_the_middle_score() -> Result<()> {
    // 150 distinct values below, 700 customers at 500.0, 150 distinct values above
    let money: Vec<f64> = (0..1000)
        .map(|i| match i {
            0..150 => i as f64,
            150..850 => 500.0,
            _ => 1000.0 + i as f64,
        })
        .collect();
    let df = small(&vec![1; 1000], &vec![Some(1); 1000], &money)?;
    let m = scores(&score(&df, &valid()?)?, M_SCORE)?;
    assert!(m[150..850].iter().all(|s| *s == Some(3)));
    assert_eq!(histogram(&m), [75, 75, 700, 75, 75]);
    Ok(())
}

#[test]
fn lower_recency_is_better() -> Result<()> {
    let df = small(&[1, 400, 30], &[Some(0); 3], &[1.0; 3])?;
    let out = score(&df, &valid()?)?;
    assert_eq!(scores(&out, R_SCORE)?, [Some(5), Some(1), Some(3)]);
    Ok(())
}

#[test]
fn customers_without_purchases_get_no_scores() -> Result<()> {
    let df = df!(
        s::CUSTOMER_ID => ["A", "B", "C", "D", "E"],
        s::RECENCY_DAYS => [Some(5), None, Some(10), Some(20), None],
        s::FREQUENCY => [Some(1), None, Some(2), Some(3), Some(0)],
        s::MONETARY_TOTAL => [10.0, 0.0, 20.0, 30.0, 0.0],
    )?;
    let out = score(&df, &valid()?)?;
    for c in [R_SCORE, F_SCORE, M_SCORE] {
        let v = scores(&out, c)?;
        assert_eq!((v[1], v[4]), (None, None), "{c}");
    }
    // the zero-filled monetary_total of B and E does not take the lowest M score
    assert_eq!(
        scores(&out, M_SCORE)?,
        [Some(1), None, Some(3), Some(5), None]
    );
    let seg = strings(&out, RFM_SEGMENT)?;
    assert_eq!(seg[1].as_deref(), Some(NO_PURCHASES));
    assert_eq!(seg[4].as_deref(), Some(NO_PURCHASES));
    assert!(seg.iter().all(Option::is_some));
    assert_eq!(strings(&out, RFM_CELL)?[1], None);
    Ok(())
}

#[test]
fn nan_is_missing() -> Result<()> {
    let df = small(&[1, 2], &[Some(1), Some(2)], &[f64::NAN, 3.0])?;
    let out = score(&df, &valid()?)?;
    assert_eq!(scores(&out, M_SCORE)?, [None, Some(3)]);
    assert_eq!(out.column(RFM_SEGMENT)?.null_count(), 0);
    Ok(())
}

#[test]
fn few_distinct_values_spread_from_one_to_bins() -> Result<()> {
    let p = valid()?;
    let f_scores = |freq: &[i64]| -> Result<Vec<Option<u8>>> {
        let freq: Vec<Option<i64>> = freq.iter().copied().map(Some).collect();
        let df = small(&vec![1; freq.len()], &freq, &vec![1.0; freq.len()])?;
        scores(&score(&df, &p)?, F_SCORE)
    };
    let some = |v: &[u8]| v.iter().copied().map(Some).collect::<Vec<_>>();
    assert_eq!(f_scores(&[0, 0, 0, 3, 3])?, some(&[1, 1, 1, 5, 5]));
    assert_eq!(f_scores(&[4, 0, 2, 0])?, some(&[5, 1, 3, 1]));
    assert_eq!(f_scores(&[0, 1, 2, 3])?, some(&[1, 2, 4, 5]));
    assert_eq!(f_scores(&[0, 1, 2, 3, 4])?, some(&[1, 2, 3, 4, 5]));
    // one value: no one is better, everyone is in the middle
    assert_eq!(f_scores(&[7, 7, 7])?, some(&[3, 3, 3]));
    assert_eq!(f_scores(&[7])?, some(&[3]));
    Ok(())
}

#[test]
fn a_dominant_best_value_takes_the_top_score_alone() -> Result<()> {
    // 950 customers bought yesterday, 50 spread over five older days
    let rec: Vec<i64> = (0..1000)
        .map(|i| if i < 950 { 1 } else { i / 10 })
        .collect();
    let df = small(&rec, &vec![Some(1); 1000], &vec![1.0; 1000])?;
    let out = score(&df, &valid()?)?;
    let r = scores(&out, R_SCORE)?;
    assert!(r[..950].iter().all(|s| *s == Some(5)));
    assert_eq!(histogram(&r), [10, 20, 10, 10, 950]);
    Ok(())
}

#[test]
fn ten_bins_write_separated_cells() -> Result<()> {
    let p = RfmParams {
        bins: 10,
        segments: vec![],
        ..RfmParams::default()
    }
    .check()?;
    let df = small(&[1, 2], &[Some(1), Some(2)], &[1.0, 2.0])?;
    let out = score(&df, &p)?;
    assert_eq!(
        strings(&out, RFM_CELL)?,
        [Some("10-1-1".to_string()), Some("1-10-10".to_string())]
    );
    Ok(())
}

#[test]
fn scores_are_small_integers() -> Result<()> {
    let df = small(&[1, 2], &[Some(1), Some(2)], &[1.0, 2.0])?;
    let out = score(&df, &valid()?)?;
    for c in [R_SCORE, F_SCORE, M_SCORE] {
        assert_eq!(out.column(c)?.dtype(), &SCORE_DTYPE);
    }
    Ok(())
}

#[test]
fn an_empty_table_scores_to_an_empty_table() -> Result<()> {
    let df = small(&[], &[], &[])?;
    let out = score(&df, &valid()?)?;
    assert_eq!(out.height(), 0);
    assert_eq!(
        out.get_column_names(),
        [
            s::CUSTOMER_ID,
            R_SCORE,
            F_SCORE,
            M_SCORE,
            RFM_CELL,
            RFM_SEGMENT
        ]
    );
    Ok(())
}

#[test]
fn a_missing_column_is_named() -> Result<()> {
    let df = df!(s::CUSTOMER_ID => ["A"], s::FREQUENCY => [1i64])?;
    let e = score(&df, &valid()?).err();
    assert!(
        matches!(&e, Some(Error::MissingColumn { column, .. }) if column == s::RECENCY_DAYS),
        "{e:?}"
    );
    Ok(())
}

#[test]
fn a_text_score_column_is_rejected() -> Result<()> {
    let df = df!(
        s::CUSTOMER_ID => ["A"],
        s::RECENCY_DAYS => [1i64],
        s::FREQUENCY => [1i64],
        s::MONETARY_TOTAL => ["12"],
    )?;
    assert!(matches!(
        score(&df, &valid()?),
        Err(Error::Validation { .. })
    ));
    Ok(())
}
