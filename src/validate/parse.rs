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
    let t = s.str().strip_chars(lit(NULL));
    when(t.clone().str().len_bytes().eq(lit(0)))
        .then(lit(NULL).cast(DataType::String))
        .otherwise(t)
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

/// Text → Date: the configured format first, then the ISO forms.
pub fn date_from_text(t: Expr, date_format: Option<&str>) -> Expr {
    let mut tries: Vec<Expr> = Vec::new();
    if let Some(f) = date_format {
        tries.push(strptime_date(t.clone(), f));
    }
    tries.extend(ISO_FORMS.iter().map(|f| strptime_date(t.clone(), f)));
    coalesce(&tries)
}

fn is_numeric(dtype: &DataType) -> bool {
    dtype.is_primitive_numeric()
}

/// Parse one column. `name` is the contract name (for the check category), `label` names it in
/// reasons (with the file's column when mapped).
pub fn parse(
    raw: Expr,
    dtype: &DataType,
    kind: Kind,
    name: &str,
    label: &str,
    date_format: Option<&str>,
) -> Parsed {
    let t = text(raw.clone(), dtype);
    let present = t.clone().is_not_null();
    match kind {
        Kind::Text => Parsed {
            value: t,
            problems: vec![],
        },
        Kind::Code => Parsed {
            value: code(t),
            problems: vec![],
        },
        Kind::OneOf(values) => {
            let v = code(t.clone());
            let ok = values
                .iter()
                .fold(lit(false), |acc, x| acc.or(v.clone().eq(lit(*x))));
            Parsed {
                value: v,
                problems: vec![Problem::new(
                    present.and(ok.not()),
                    quoted(label, t, &format!("is not one of {}", values.join(", "))),
                    format!("{name}: not an allowed value"),
                )],
            }
        }
        Kind::Date => {
            let value = match dtype {
                DataType::Date => raw,
                DataType::Datetime(_, _) => raw.cast(DataType::Date),
                _ => date_from_text(t.clone(), date_format),
            };
            let expected = date_format.unwrap_or("%Y-%m-%d");
            Parsed {
                value: value.clone(),
                problems: vec![Problem::new(
                    present.and(value.is_null()),
                    quoted(label, t, &format!("is not a date ({expected})")),
                    format!("{name}: not a date"),
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
            let value = first.clone().dt().strftime("%Y-%m");
            Parsed {
                value,
                problems: vec![Problem::new(
                    present.and(first.is_null()),
                    quoted(label, t, "is not a month (YYYY-MM)"),
                    format!("{name}: not a month"),
                )],
            }
        }
        Kind::Count => {
            let mut p = parse(raw, dtype, Kind::NonNegative, name, label, date_format);
            p.problems.push(Problem::new(
                (p.value.clone() - p.value.clone().floor()).neq(lit(0.0)),
                quoted(label, t, "is not a whole number"),
                format!("{name}: not a whole number"),
            ));
            p.value = p.value.cast(DataType::Int64);
            p
        }
        Kind::Number | Kind::NonNegative => {
            let value = if is_numeric(dtype) {
                raw.cast(DataType::Float64)
            } else {
                t.clone().cast(DataType::Float64)
            };
            let mut problems = vec![
                Problem::new(
                    present.clone().and(value.clone().is_null()),
                    quoted(label, t.clone(), "is not a number"),
                    format!("{name}: not a number"),
                ),
                Problem::new(
                    value.clone().is_finite().not(),
                    quoted(label, t.clone(), "is not a finite number"),
                    format!("{name}: not finite"),
                ),
            ];
            if kind == Kind::NonNegative {
                problems.push(Problem::new(
                    value.clone().lt(lit(0.0)),
                    quoted(label, t, "is negative"),
                    format!("{name}: negative"),
                ));
            }
            Parsed { value, problems }
        }
        Kind::Bool => {
            let l = t.clone().str().to_lowercase();
            let any = |xs: &[&str]| {
                xs.iter()
                    .fold(lit(false), |acc, x| acc.or(l.clone().eq(lit(*x))))
            };
            let yes = any(&["true", "t", "yes", "y", "1", "是"]);
            let no = any(&["false", "f", "no", "n", "0", "否"]);
            let value = match dtype {
                DataType::Boolean => raw,
                _ => when(yes.clone())
                    .then(lit(true))
                    .when(no.clone())
                    .then(lit(false))
                    .otherwise(lit(NULL).cast(DataType::Boolean)),
            };
            let problems = if matches!(dtype, DataType::Boolean) {
                vec![]
            } else {
                vec![Problem::new(
                    present.and(yes.or(no).not()),
                    quoted(label, t, "is not yes/no"),
                    format!("{name}: not yes/no"),
                )]
            };
            Parsed { value, problems }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(values: &[Option<&str>], kind: Kind, fmt: Option<&str>) -> PolarsResult<DataFrame> {
        let df = df!("x" => values)?;
        let p = parse(col("x"), &DataType::String, kind, "x", "x", fmt);
        let reason = p
            .problems
            .into_iter()
            .rev()
            .fold(lit(NULL).cast(DataType::String), |acc, p| {
                when(p.when).then(p.reason).otherwise(acc)
            });
        df.lazy()
            .select([p.value.alias("v"), reason.alias("r")])
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
