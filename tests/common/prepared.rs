//! The Spark feature job's output layout, made in-process with kam's own library, for the
//! tests of `kam run --features` that must not need Spark: `DIR/features/` (kam's feature
//! table at full precision), `DIR/orders/` (the used transactions summed by customer, day,
//! order and direction, with `lines` and `largest_line`, as `spark/kam_spark/features.py`
//! `order_aggregates` writes them), `DIR/rejects/transactions/` and `DIR/manifest.json`.
//! The Spark job itself is compared with these figures in `spark/tests/run-parity.sh`.

use std::path::Path;

use kam::config::{Config, Overrides};
use kam::frame::{fixed, unfixed};
use kam::schema as s;
use polars::prelude::*;

/// Write the job's layout for the company of `config` (optionally at `as_of`) into `dir`,
/// each table split into `parts` Parquet parts as Spark writes them.
pub fn job_output(config: &Path, as_of: Option<&str>, dir: &Path, parts: usize) {
    let ov = Overrides {
        as_of: as_of.map(str::to_string),
        ..Default::default()
    };
    let cfg = Config::from_file(config)
        .unwrap()
        .check(config, ov)
        .unwrap();
    let raw: Vec<_> = cfg
        .inputs
        .iter()
        .filter(|i| [s::CUSTOMERS.name, s::TRANSACTIONS.name].contains(&i.table.name))
        .map(|i| kam::io::load::load(i).unwrap())
        .collect();
    let v = kam::validate::validate(&raw, &cfg.validation, cfg.as_of).unwrap();
    let as_of = v.as_of.unwrap();
    let tx = &v.table(s::TRANSACTIONS.name).unwrap().clean;
    let customers = v.table(s::CUSTOMERS.name).map(|t| &t.clean);
    let table = kam::features::customer_table(tx, customers, as_of, cfg.time_unit).unwrap();
    let mut cols = vec![s::CUSTOMER_ID];
    cols.extend(s::FEATURES.iter().map(|(n, _)| *n));
    let features = table.select(cols).unwrap();
    write_parts(&features, &dir.join("features"), parts);
    write_parts(&orders(tx), &dir.join("orders"), parts);
    let rejects = &v.table(s::TRANSACTIONS.name).unwrap().rejects;
    write_parts(rejects, &dir.join("rejects/transactions"), 1);
    let tables: serde_json::Map<String, serde_json::Value> = v
        .tables
        .iter()
        .map(|t| {
            (
                t.spec.name.to_string(),
                serde_json::to_value(&t.counts).unwrap(),
            )
        })
        .collect();
    let notes: Vec<String> = v
        .tables
        .iter()
        .flat_map(|t| t.notes.iter().map(move |n| format!("{}: {n}", t.spec.name)))
        .collect();
    let manifest = serde_json::json!({
        "job": "tests/common/prepared.rs (kam's library, the Spark job's layout)",
        "as_of": as_of.to_string(),
        "time_unit": cfg.time_unit.name(),
        "tables": tables,
        "notes": notes,
    });
    std::fs::write(dir.join("manifest.json"), manifest.to_string()).unwrap();
}

/// The used transactions by customer, day, order id (when present) and direction.
pub fn orders(tx: &DataFrame) -> DataFrame {
    let has = |c: &str| tx.get_column_names().iter().any(|n| n.as_str() == c);
    let mut keys = vec![col(s::CUSTOMER_ID), col(s::DATE)];
    if has(s::ORDER_ID) {
        keys.push(col(s::ORDER_ID));
    }
    keys.push(col(s::AMOUNT).gt_eq(lit(0.0)).alias("__purchase"));
    // returns whose lines all round to 0 in fixed point keep a negative amount (their
    // largest line, itself rounding to 0), so the sign still tells a return
    let fx = fixed(col(s::AMOUNT)).sum();
    let tiny_return = col(s::AMOUNT).max().lt(lit(0.0)).and(fx.clone().eq(lit(0)));
    let mut aggs = vec![
        when(tiny_return)
            .then(col(s::AMOUNT).max())
            .otherwise(unfixed(fx))
            .alias(s::AMOUNT),
        len().cast(DataType::Int64).alias(s::LINES),
        col(s::AMOUNT).max().alias(s::LARGEST_LINE),
    ];
    if has(s::QUANTITY) {
        // null when every line's quantity is, as Spark's sum
        let q = when(col(s::QUANTITY).count().gt(lit(0)))
            .then(col(s::QUANTITY).sum())
            .otherwise(lit(NULL).cast(DataType::Float64));
        aggs.insert(1, q.alias(s::QUANTITY));
    }
    let mut sort = vec![s::CUSTOMER_ID, s::DATE];
    if has(s::ORDER_ID) {
        sort.push(s::ORDER_ID);
    }
    sort.push("__purchase");
    tx.clone()
        .lazy()
        .group_by(keys)
        .agg(aggs)
        .sort(sort, SortMultipleOptions::default())
        .drop(cols(["__purchase"]))
        .collect()
        .unwrap()
}

/// `df` as `parts` Parquet files `part-0000N.parquet` in `dir`, with Spark's `_SUCCESS`.
pub fn write_parts(df: &DataFrame, dir: &Path, parts: usize) {
    std::fs::create_dir_all(dir).unwrap();
    let n = df.height();
    let per = n.div_ceil(parts.max(1)).max(1);
    let mut k = 0;
    let mut start = 0;
    loop {
        let len = per.min(n - start);
        let mut part = df.slice(start as i64, len);
        let f = std::fs::File::create(dir.join(format!("part-{k:05}.parquet"))).unwrap();
        ParquetWriter::new(f).finish(&mut part).unwrap();
        start += len;
        k += 1;
        if start >= n {
            break;
        }
    }
    std::fs::write(dir.join("_SUCCESS"), b"").unwrap();
}
