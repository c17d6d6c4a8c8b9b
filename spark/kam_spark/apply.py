"""scores.py over a Spark DataFrame: the feature columns scoring reads, then mapInArrow, each
batch scored in plain Python on the executor that holds it (no shuffle; the settings travel
in the closure, a few hundred numbers)."""

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

    def batches(it):
        import pyarrow as pa
        names = ["customer_id", *scores.VALUE_COLUMNS, "segment"]
        for rb in it:
            rows = rb.to_pylist()
            out = scores.score_rows(st, rows)
            arrays = [pa.array([r[j] for r in out], type=pa.string() if j == 0 else
                               (pa.int64() if j == 7 else pa.float64()))
                      for j in range(8)]
            yield pa.RecordBatch.from_arrays(arrays, names=names)

    return df.select(*cols).mapInArrow(batches, SCORE_SCHEMA)
