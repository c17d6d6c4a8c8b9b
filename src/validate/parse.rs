//! One contract column of a raw input → a typed expression and the problem (condition and
//! message) that rejects a row. Pure expressions; nothing is collected here.

use polars::prelude::*;

use crate::schema::Kind;

/// A parsed contract column: its typed value and what makes a row unusable.
pub struct Parsed {
    /// The typed value (null when blank or invalid).
    pub value: Expr,
    /// Row problems in priority order.
    pub problems: Vec<Problem>,
}

/// One way a row can be unusable.
pub struct Problem {
    /// True on the rows that have the problem.
    pub when: Expr,
    /// The sentence written to the rejects, usually quoting the bad value.
    pub reason: Expr,
    /// Short category for summaries, e.g. `amount: not a number`.
    pub check: String,
}

impl Problem {
    pub fn new(when: Expr, reason: Expr, check: impl Into<String>) -> Self {
        Problem {
            when,
            reason,
            check: check.into(),
        }
    }
}

/// Longest raw value quoted in a reason.
const QUOTE_MAX: i64 = 60;

/// Trimmed text with blanks as null.
pub fn text(raw: Expr, dtype: &DataType) -> Expr {
    let s = match dtype {
        DataType::String => raw,
        _ => raw.cast(DataType::String),
    };
    // Most exports are clean: one scan finds out, and a clean column is passed on untouched.
    s.map(
        |c: Column| {
            let ca = c.str()?;
            let untidy = |v: &str| {
                v.is_empty()
                    || v.starts_with(char::is_whitespace)
                    || v.ends_with(char::is_whitespace)
            };
            if !ca.iter().flatten().any(untidy) {
                return Ok(c);
            }
            let out: StringChunked = ca
                .iter()
                .map(|o| o.map(str::trim).filter(|v| !v.is_empty()))
                .collect();
            Ok(out.with_name(ca.name().clone()).into_column())
        },
        |_, f| Ok(Field::new(f.name().clone(), DataType::String)),
    )
}

/// `Ready Mix` / `ready-mix` → `ready_mix` (codes live in small columns: a Rust map is cheap).
fn code(t: Expr) -> Expr {
    map_text(t, |s| {
        s.to_lowercase()
            .split(|c: char| c.is_whitespace() || c == '-')
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join("_")
    })
}

/// Apply a text function value by value.
fn map_text(t: Expr, f: fn(&str) -> String) -> Expr {
    t.map(
        move |c: Column| {
            let ca = c.str()?;
            let out: StringChunked = ca.iter().map(|o| o.map(f)).collect();
            Ok(out.with_name(ca.name().clone()).into_column())
        },
        |_, field| Ok(Field::new(field.name().clone(), DataType::String)),
    )
}

/// `<label> '<raw value>' <what>`, the raw value cut to [`QUOTE_MAX`] characters.
pub fn quoted(label: &str, t: Expr, what: &str) -> Expr {
    concat_str(
        [
            lit(format!("{label} '")),
            t.str().slice(lit(0), lit(QUOTE_MAX)),
            lit(format!("' {what}")),
        ],
        "",
        false,
    )
}

fn strptime_date(t: Expr, fmt: &str) -> Expr {
    let opts = StrptimeOptions {
        format: Some(fmt.into()),
        strict: false,
        exact: true,
        cache: true,
    };
    let has_time = ["%H", "%M", "%S", "%T", "%R", "%I", "%p", "%s"]
        .iter()
        .any(|s| fmt.contains(s));
    if has_time {
        t.str()
            .to_datetime(Some(TimeUnit::Microseconds), None, opts, lit("earliest"))
            .cast(DataType::Date)
    } else {
        t.str().to_date(opts)
    }
}

/// ISO forms always accepted, whatever `date_format` says.
const ISO_FORMS: [&str; 6] = [
    "%Y-%m-%d",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S%.f",
    "%Y-%m-%dT%H:%M:%S%.f",
];

/// Text → Date: the configured format first, then the ISO forms. The whole column is parsed
/// once with the first format; the others are tried only on the values it left unparsed.
pub fn date_from_text(t: Expr, date_format: Option<&str>) -> Expr {
    let forms: Vec<String> = date_format
        .into_iter()
        .chain(ISO_FORMS)
        .map(str::to_string)
        .collect();
    t.map(
        move |c: Column| parse_dates(&c, &forms),
        |_, f| Ok(Field::new(f.name().clone(), DataType::Date)),
    )
}

/// Parse a text column with `forms[0]`, then retry the unparsed values with the next forms.
fn parse_dates(c: &Column, forms: &[String]) -> PolarsResult<Column> {
    const T: &str = "t";
    let with = |df: DataFrame, f: &str| -> PolarsResult<Column> {
        let out = df
            .lazy()
            .select([strptime_date(col(T), f).alias(T)])
            .collect()?;
        Ok(out.column(T)?.clone())
    };
    let input = DataFrame::new_infer_height(vec![c.clone().with_name(T.into())])?;
    let Some(first) = forms.first() else {
        return Ok(Column::full_null(
            c.name().clone(),
            c.len(),
            &DataType::Date,
        ));
    };
    let parsed = with(input.clone(), first)?;
    let missed = parsed.is_null() & c.is_not_null();
    if forms.len() == 1 || !missed.any() {
        return Ok(parsed.with_name(c.name().clone()));
    }
    // retry only the missed values, then put them back in place
    let subset = input.filter(&missed)?;
    let retried = forms[1..]
        .iter()
        .map(|f| with(subset.clone(), f))
        .collect::<PolarsResult<Vec<_>>>()?;
    let retried = DataFrame::new_infer_height(
        retried
            .into_iter()
            .enumerate()
            .map(|(i, c)| c.with_name(format!("f{i}").into()))
            .collect(),
    )?
    .lazy()
    .select([coalesce(
        &(0..forms.len() - 1)
            .map(|i| col(format!("f{i}")))
            .collect::<Vec<_>>(),
    )
    .cast(DataType::Int32)
    .alias(T)])
    .collect()?;
    let mut fill = retried.column(T)?.i32()?.iter();
    let days = parsed.cast(&DataType::Int32)?;
    let merged: Int32Chunked = days
        .i32()?
        .iter()
        .zip(missed.iter())
        .map(|(d, m)| {
            if m == Some(true) {
                fill.next().flatten()
            } else {
                d
            }
        })
        .collect();
    Ok(merged
        .into_series()
        .cast(&DataType::Date)?
        .with_name(c.name().clone())
        .into_column())
}

/// Where a contract column's raw value comes from.
pub struct Source {
    /// The file's column as stored (text for CSV/XLSX, typed for Parquet).
    pub raw: Expr,
    pub dtype: DataType,
    /// Trimmed text, blank as null (for text sources: a column materialized once).
    pub text: Expr,
    /// True where the file has a value.
    pub present: Expr,
}

impl Source {
    /// A source whose trimmed text is materialized in column `text_col` (text inputs only).
    pub fn new(raw: Expr, dtype: &DataType, text_col: &str) -> Self {
        if matches!(dtype, DataType::String) {
            Source {
                raw,
                dtype: dtype.clone(),
                text: col(text_col),
                present: col(text_col).is_not_null(),
            }
        } else {
            Source {
                text: text(raw.clone(), dtype),
                present: raw.clone().is_not_null(),
                raw,
                dtype: dtype.clone(),
            }
        }
    }

    /// Whether the text must be materialized before parsing.
    pub fn needs_text(dtype: &DataType) -> bool {
        matches!(dtype, DataType::String)
    }
}

/// Parse one column into its typed `value`, and the problems of a row, which refer to the
/// materialized value column `v` (so no parse runs twice) and quote the text only on the
/// rejected rows. `name` is the contract name (for the check category); `label` names the
/// column in reasons (with the file's column when mapped).
pub fn parse(
    src: &Source,
    kind: Kind,
    name: &str,
    label: &str,
    date_format: Option<&str>,
    v: Expr,
) -> Parsed {
    let t = src.text.clone();
    let present = src.present.clone();
    let typed = !matches!(src.dtype, DataType::String);
    let problem = |when: Expr, what: &str, check: &str| {
        Problem::new(
            when,
            quoted(label, t.clone(), what),
            format!("{name}: {check}"),
        )
    };
    match kind {
        Kind::Text => Parsed {
            value: t.clone(),
            problems: vec![],
        },
        Kind::Code => Parsed {
            value: code(t.clone()),
            problems: vec![],
        },
        Kind::OneOf(values) => {
            let ok = values
                .iter()
                .fold(lit(false), |acc, x| acc.or(v.clone().eq(lit(*x))));
            Parsed {
                value: code(t.clone()),
                problems: vec![problem(
                    present.and(ok.not()),
                    &format!("is not one of {}", values.join(", ")),
                    "not an allowed value",
                )],
            }
        }
        Kind::Date => {
            let value = match &src.dtype {
                DataType::Date => src.raw.clone(),
                DataType::Datetime(_, _) => src.raw.clone().cast(DataType::Date),
                _ => date_from_text(t.clone(), date_format),
            };
            let expected = date_format.unwrap_or("%Y-%m-%d");
            Parsed {
                value,
                problems: vec![problem(
                    present.and(v.is_null()),
                    &format!("is not a date ({expected})"),
                    "not a date",
                )],
            }
        }
        Kind::Period => {
            // YYYY-MM, YYYY/MM, YYYYMM, or any date in the month → "YYYY-MM".
            let dashed = map_text(t.clone(), |s| s.replace('/', "-"));
            let first = coalesce(&[
                strptime_date(
                    concat_str([dashed.clone(), lit("-01")], "", false),
                    "%Y-%m-%d",
                ),
                strptime_date(concat_str([t.clone(), lit("01")], "", false), "%Y%m%d"),
                date_from_text(dashed, None),
            ]);
            Parsed {
                value: first.dt().strftime("%Y-%m"),
                problems: vec![problem(
                    present.and(v.is_null()),
                    "is not a month (YYYY-MM)",
                    "not a month",
                )],
            }
        }
        Kind::Number | Kind::NonNegative | Kind::Count => {
            let value = if typed && src.dtype.is_primitive_numeric() {
                src.raw.clone().cast(DataType::Float64)
            } else {
                t.clone().cast(DataType::Float64)
            };
            let mut problems = vec![
                problem(
                    present.and(v.clone().is_null()),
                    "is not a number",
                    "not a number",
                ),
                problem(
                    v.clone().cast(DataType::Float64).is_finite().not(),
                    "is not a finite number",
                    "not finite",
                ),
            ];
            if kind != Kind::Number {
                problems.push(problem(v.clone().lt(lit(0.0)), "is negative", "negative"));
            }
            if kind == Kind::Count {
                // checked on the float value: the Int64 cast happens after the check
                let f = value.clone();
                problems.push(problem(
                    (f.clone() - f.floor()).neq(lit(0.0)),
                    "is not a whole number",
                    "not a whole number",
                ));
                return Parsed {
                    value: value.cast(DataType::Int64),
                    problems,
                };
            }
            Parsed { value, problems }
        }
        Kind::Bool => {
            if matches!(src.dtype, DataType::Boolean) {
                return Parsed {
                    value: src.raw.clone(),
                    problems: vec![],
                };
            }
            let l = t.clone().str().to_lowercase();
            let any = |xs: &[&str]| {
                xs.iter()
                    .fold(lit(false), |acc, x| acc.or(l.clone().eq(lit(*x))))
            };
            let value = when(any(&["true", "t", "yes", "y", "1", "是"]))
                .then(lit(true))
                .when(any(&["false", "f", "no", "n", "0", "否"]))
                .then(lit(false))
                .otherwise(lit(NULL).cast(DataType::Boolean));
            Parsed {
                value,
                problems: vec![problem(
                    present.and(v.is_null()),
                    "is not yes/no",
                    "not yes/no",
                )],
            }
        }
    }
}

#[cfg(test)]
mod tests {
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
    fn periods_normalise_to_year_month() -> PolarsResult<()> {
        let out = run(
            &[
                Some("2026-01"),
                Some("2026/2"),
                Some("202603"),
                Some("2026-04-15"),
                Some("Q1"),
            ],
            Kind::Period,
            None,
        )?;
        let v = out.column("v")?.str()?;
        assert_eq!(
            (0..4).map(|i| v.get(i)).collect::<Vec<_>>(),
            [
                Some("2026-01"),
                Some("2026-02"),
                Some("2026-03"),
                Some("2026-04")
            ]
        );
        assert!(out.column("r")?.str()?.get(4).is_some());
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
}
