//! One contract column of a raw input → a typed expression and the problem (condition and
//! message) that rejects a row. Pure expressions; nothing is collected here.

use polars::prelude::*;

pub use super::dates::date_from_text;
use super::dates::strptime_date;
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
            let any_untidy = if ca.null_count() == 0 {
                // no missing value: the values alone, without a validity check per value
                ca.downcast_iter().any(|a| a.values_iter().any(untidy))
            } else {
                ca.iter().flatten().any(untidy)
            };
            if !any_untidy {
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

/// Blank, or white space at either end (a byte test where the end is ASCII, as it nearly
/// always is; `char::is_whitespace` otherwise).
fn untidy(v: &str) -> bool {
    let (Some(&first), Some(&last)) = (v.as_bytes().first(), v.as_bytes().last()) else {
        return true;
    };
    // char::is_whitespace on ASCII: space, \t, \n, vertical tab, form feed, \r
    let space = |b: u8| b == b' ' || (b'\t'..=b'\r').contains(&b);
    let starts = if first.is_ascii() {
        space(first)
    } else {
        v.starts_with(char::is_whitespace)
    };
    starts
        || if last.is_ascii() {
            space(last)
        } else {
            v.ends_with(char::is_whitespace)
        }
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

/// A quarter "YYYY-Qn" (also YYYYQn, YYYY/Qn, YYYY Qn, lower-case q) or a year "YYYY" in
/// that form; "" for anything else.
fn quarter_or_year(s: &str) -> String {
    let s = s.trim();
    let Some((year, rest)) = s.get(..4).zip(s.get(4..)) else {
        return String::new();
    };
    if !year.bytes().all(|b| b.is_ascii_digit()) {
        return String::new();
    }
    let rest = rest
        .trim_start_matches(['-', '/', ' '])
        .to_ascii_uppercase();
    match rest.as_str() {
        "" if s.len() == 4 => year.to_string(),
        "Q1" | "Q2" | "Q3" | "Q4" => format!("{year}-{rest}"),
        _ => String::new(),
    }
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
    let c = Parsing {
        src,
        name,
        label,
        t: src.text.clone(),
        v,
    };
    match kind {
        Kind::Text => Parsed {
            value: c.t.clone(),
            problems: vec![],
        },
        Kind::Code => Parsed {
            value: code(c.t.clone()),
            problems: vec![],
        },
        Kind::OneOf(values) => c.one_of(values),
        Kind::Date => c.date(date_format),
        Kind::Period => c.period(),
        Kind::Number | Kind::NonNegative | Kind::Count => c.number(kind),
        Kind::Bool => c.boolean(),
    }
}

/// One column being parsed: its source, names, trimmed text `t` and value column `v`.
struct Parsing<'a> {
    src: &'a Source,
    name: &'a str,
    label: &'a str,
    t: Expr,
    v: Expr,
}

impl Parsing<'_> {
    /// A problem quoting the column's text: `<label> '<text>' <what>`, check `<name>: <check>`.
    fn problem(&self, when: Expr, what: &str, check: &str) -> Problem {
        Problem::new(
            when,
            quoted(self.label, self.t.clone(), what),
            format!("{}: {check}", self.name),
        )
    }

    /// A present value that does not parse (`v` is null) is a problem.
    fn unparsed(&self, what: &str, check: &str) -> Problem {
        let when = self.src.present.clone().and(self.v.clone().is_null());
        self.problem(when, what, check)
    }

    /// A code that must be one of `values`.
    fn one_of(&self, values: &[&str]) -> Parsed {
        let ok = values
            .iter()
            .fold(lit(false), |acc, x| acc.or(self.v.clone().eq(lit(*x))));
        Parsed {
            value: code(self.t.clone()),
            problems: vec![self.problem(
                self.src.present.clone().and(ok.not()),
                &format!("is not one of {}", values.join(", ")),
                "not an allowed value",
            )],
        }
    }

    /// A date: typed dates as they are, datetimes cut to the day, text by `date_format` then
    /// the ISO forms.
    fn date(&self, date_format: Option<&str>) -> Parsed {
        let value = match &self.src.dtype {
            DataType::Date => self.src.raw.clone(),
            DataType::Datetime(_, _) => self.src.raw.clone().cast(DataType::Date),
            _ => date_from_text(self.t.clone(), date_format),
        };
        let expected = date_format.unwrap_or("%Y-%m-%d");
        Parsed {
            value,
            problems: vec![self.unparsed(&format!("is not a date ({expected})"), "not a date")],
        }
    }

    /// A month: YYYY-MM, YYYY/MM, YYYYMM, or any date in the month → "YYYY-MM"; a quarter
    /// (YYYY-Qn, YYYYQn) → "YYYY-Qn"; a year (YYYY) → "YYYY".
    fn period(&self) -> Parsed {
        let t = self.t.clone();
        let dashed = map_text(t.clone(), |s| s.replace('/', "-"));
        let span = map_text(t.clone(), quarter_or_year);
        let span = when(span.clone().neq(lit("")))
            .then(span)
            .otherwise(lit(NULL).cast(DataType::String));
        let first = coalesce(&[
            strptime_date(
                concat_str([dashed.clone(), lit("-01")], "", false),
                "%Y-%m-%d",
            ),
            strptime_date(concat_str([t, lit("01")], "", false), "%Y%m%d"),
            date_from_text(dashed, None),
        ]);
        Parsed {
            value: coalesce(&[span, first.dt().strftime("%Y-%m")]),
            problems: vec![self.unparsed(
                "is not a month (YYYY-MM), quarter (YYYY-Qn) or year (YYYY)",
                "not a period",
            )],
        }
    }

    /// A finite number; not negative for `NonNegative` and `Count`, whole for `Count`.
    fn number(&self, kind: Kind) -> Parsed {
        let (src, v) = (self.src, &self.v);
        let typed = !matches!(src.dtype, DataType::String);
        let value = if typed && src.dtype.is_primitive_numeric() {
            src.raw.clone().cast(DataType::Float64)
        } else {
            self.t.clone().cast(DataType::Float64)
        };
        let mut problems = vec![
            self.unparsed("is not a number", "not a number"),
            self.problem(
                v.clone().cast(DataType::Float64).is_finite().not(),
                "is not a finite number",
                "not finite",
            ),
        ];
        if kind != Kind::Number {
            problems.push(self.problem(v.clone().lt(lit(0.0)), "is negative", "negative"));
        }
        if kind == Kind::Count {
            // checked on the float value: the Int64 cast happens after the check
            let f = value.clone();
            problems.push(self.problem(
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

    /// Yes/no words (English and Chinese) and 1/0; a typed boolean as it is.
    fn boolean(&self) -> Parsed {
        if matches!(self.src.dtype, DataType::Boolean) {
            return Parsed {
                value: self.src.raw.clone(),
                problems: vec![],
            };
        }
        let l = self.t.clone().str().to_lowercase();
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
            problems: vec![self.unparsed("is not yes/no", "not yes/no")],
        }
    }
}

#[cfg(test)]
#[path = "parse_tests.rs"]
mod tests;
