use super::*;

fn run(values: &[Option<&str>], kind: Kind, fmt: Option<&str>) -> PolarsResult<DataFrame> {
    let df = df!("x" => values)?;
    let src = Source::new(col("x"), &DataType::String, "t");
    let p = parse(&src, kind, "x", "x", fmt, col("v"));
    let reason = p
        .problems
        .into_iter()
        .rev()
        .fold(lit(NULL).cast(DataType::String), |acc, p| {
            when(p.when).then(p.reason).otherwise(acc)
        });
    df.lazy()
        .with_column(text(col("x"), &DataType::String).alias("t"))
        .with_column(p.value.alias("v"))
        .select([col("v"), reason.alias("r")])
        .collect()
}

#[test]
fn numbers_reject_text_nan_and_inf_but_keep_negatives() -> PolarsResult<()> {
    let out = run(
        &[
            Some(" 12.5 "),
            Some("-3"),
            Some("abc"),
            Some("NaN"),
            Some("inf"),
            None,
        ],
        Kind::Number,
        None,
    )?;
    let v = out.column("v")?.f64()?;
    assert_eq!(v.get(0), Some(12.5));
    assert_eq!(v.get(1), Some(-3.0));
    let r = out.column("r")?.str()?;
    assert_eq!(r.get(0), None);
    assert_eq!(r.get(2), Some("x 'abc' is not a number"));
    assert_eq!(r.get(3), Some("x 'NaN' is not a finite number"));
    assert_eq!(r.get(4), Some("x 'inf' is not a finite number"));
    assert_eq!(r.get(5), None);
    Ok(())
}

#[test]
fn dates_take_the_format_and_iso() -> PolarsResult<()> {
    let out = run(
        &[
            Some("03/15/2024 10:30"),
            Some("2024-03-16"),
            Some("2024-03-17T08:00:00"),
            Some("15.03.2024"),
            Some("2024-02-30"),
        ],
        Kind::Date,
        Some("%m/%d/%Y %H:%M"),
    )?;
    let v = out.column("v")?.cast(&DataType::String)?;
    let v = v.str()?;
    assert_eq!(v.get(0), Some("2024-03-15"));
    assert_eq!(v.get(1), Some("2024-03-16"));
    assert_eq!(v.get(2), Some("2024-03-17"));
    assert_eq!(v.get(3), None);
    assert_eq!(v.get(4), None);
    let r = out.column("r")?.str()?;
    assert_eq!(
        r.get(3),
        Some("x '15.03.2024' is not a date (%m/%d/%Y %H:%M)")
    );
    Ok(())
}

#[test]
fn periods_normalise_to_month_quarter_or_year() -> PolarsResult<()> {
    let out = run(
        &[
            Some("2026-01"),
            Some("2026/2"),
            Some("202603"),
            Some("2026-04-15"),
            Some("Q1"),
            Some("2026-Q3"),
            Some("2026q4"),
            Some("2026"),
            Some("2026-Q5"),
        ],
        Kind::Period,
        None,
    )?;
    let v = out.column("v")?.str()?;
    assert_eq!(
        (0..9).map(|i| v.get(i)).collect::<Vec<_>>(),
        [
            Some("2026-01"),
            Some("2026-02"),
            Some("2026-03"),
            Some("2026-04"),
            None,
            Some("2026-Q3"),
            Some("2026-Q4"),
            Some("2026"),
            None,
        ]
    );
    let r = out.column("r")?.str()?;
    assert!(r.get(4).is_some() && r.get(8).is_some());
    Ok(())
}

#[test]
fn one_of_normalises_case_and_spaces() -> PolarsResult<()> {
    let out = run(
        &[Some("Cash"), Some("PrePay"), Some("barter")],
        Kind::OneOf(&["cash", "prepay"]),
        None,
    )?;
    assert_eq!(out.column("v")?.str()?.get(1), Some("prepay"));
    assert_eq!(out.column("r")?.null_count(), 2);
    Ok(())
}

#[test]
fn bools_accept_words_and_chinese() -> PolarsResult<()> {
    let out = run(&[Some("Yes"), Some("否"), Some("maybe")], Kind::Bool, None)?;
    let v = out.column("v")?.bool()?;
    assert_eq!(
        (v.get(0), v.get(1), v.get(2)),
        (Some(true), Some(false), None)
    );
    assert!(out.column("r")?.str()?.get(2).is_some());
    Ok(())
}

/// The byte test of a value's ends is `char::is_whitespace`'s answer on every kind of end:
/// ASCII white space (vertical tab and form feed too), Unicode spaces (ideographic, no-break),
/// multi-byte letters, blanks.
#[test]
fn untidy_is_the_char_definition() {
    let by_char = |v: &str| {
        v.is_empty() || v.starts_with(char::is_whitespace) || v.ends_with(char::is_whitespace)
    };
    let ends = [
        "", " ", "\t", "\n", "\x0b", "\x0c", "\r", "\u{3000}", "\u{a0}", "\u{85}", "a", "大", "é",
        "\x1f", "\x0e", "!",
    ];
    for a in ends {
        for b in ends {
            for mid in ["", "x", "客户"] {
                let v = format!("{a}{mid}{b}");
                assert_eq!(super::untidy(&v), by_char(&v), "{v:?}");
            }
        }
    }
}
