//! Dates from text: the configured `date_format` first, then the ISO forms kam always
//! accepts; the whole column is parsed once with the first form and only the values it left
//! unparsed are tried with the others.

use polars::prelude::*;

pub(super) fn strptime_date(t: Expr, fmt: &str) -> Expr {
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
