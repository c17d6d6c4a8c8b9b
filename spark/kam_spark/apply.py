"""scores.py over a Spark DataFrame: the feature columns scoring reads, then each partition
scored in plain Python on the executor that holds it (an RDD mapPartitions: no shuffle, and
unlike mapInArrow no pandas needed on the executors; the settings travel in the closure, a few
hundred numbers)."""

from . import scores

SCORE_SCHEMA = ("customer_id string, p_alive double, expected_purchases double, "
                "expected_avg_value double, clv double, expected_revenue_12m double, "
                "revenue_if_stays double, segment long")


def needed_columns(st):
    cols = list(scores.INPUTS)
    if st["kmeans"] is not None:
        cols += [f for f in st["kmeans"]["features"] if f not in cols]
    return cols


def score_frame(df, st):
    """df: a per-customer table with kam's column names. Columns that only refine a score
    (monetary_total, returns_total for the observed average) may be absent: null, as kam
    treats a table without them; the model inputs and k-means features must be present."""
    from pyspark.sql import functions as F

    from .config import Refused
    optional = {"monetary_total", "returns_total"}
    cols = []
    for c in needed_columns(st):
        if c in df.columns:
            cols.append(F.col(c).cast("string" if c == "customer_id" else "double").alias(c))
        elif c in optional:
            cols.append(F.lit(None).cast("double").alias(c))
        else:
            raise Refused(f"the feature table has no column {c!r}")

    def partition(rows):
        # one partition at a time, so that customers of the same x share their series
        yield from scores.score_rows(st, [r.asDict() for r in rows])

    spark = df.sparkSession
    return spark.createDataFrame(df.select(*cols).rdd.mapPartitions(partition), SCORE_SCHEMA)
