"""kam's per-customer feature job on Apache Spark: the same validation and features as kam's
Rust engine (src/validate/, src/features.rs), from the same kam.toml.

Modules: config (kam.toml, and what the job refuses), contract (column names and kinds, as
src/schema/), load (files to rows numbered as kam numbers them), dates (chrono formats),
parse (one column's value and problems), validate (row and table checks, rejects, counts),
features (the per-customer table), output (Parquet and manifest.json).

spark/score.py's modules: models (kam's models/*.json and value settings), purchase (BG/NBD,
MBG/NBD, Pareto/NBD as src/value/), scores (value columns and k-means placement per customer),
apply (scores over a Spark DataFrame).
"""
