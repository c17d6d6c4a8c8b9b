"""churn.py over Spark: the behaviour features at as_of computed on the cluster from the
feature job's order aggregates (DIR/orders: one row per customer, day, order and sign), joined
with a per-customer table of the model's other raw features (attributes, satisfaction,
product_count), and each active customer scored with kam's fitted churn model; then
revenue_at_risk beside the value scores (src/churn/behaviour.rs `add_revenue_at_risk`)."""

import datetime as dt

from . import churn
from .config import Refused
from .features import months_before

CHURN_SCHEMA = ("customer_id string, churn_probability double, churn_risk string, "
                "churn_driver_1 string, churn_driver_2 string, churn_driver_3 string")
EPOCH = dt.date(1970, 1, 1)


def _epoch(d):
    return (d - EPOCH).days


def behaviour_frame(orders, as_of, active_days):
    """(customer_id, the 11 behaviour features) of the customers active at as_of: each
    customer's order rows gathered on one executor (a shuffle by customer), walked in Python
    as history.rs walks them."""
    from pyspark.sql import functions as F
    c = _epoch(as_of)
    m12, m24 = _epoch(months_before(as_of, 12)), _epoch(months_before(as_of, 24))
    order = F.col("order_id").cast("string") if "order_id" in orders.columns else F.lit(None)
    rows = orders.select(
        F.col("customer_id").cast("string"),
        F.datediff(F.col("date"), F.lit(EPOCH.isoformat()).cast("date")).alias("day"),
        F.col("amount").cast("double"), order.cast("string").alias("order"),
        F.col("lines").cast("long"), F.col("largest_line").cast("double"))

    def one(kv):
        f = churn.behaviour(list(kv[1]), c, m12, m24, active_days)
        return [] if f is None else [(kv[0], *f)]

    schema = "customer_id string, " + ", ".join(f"{n} double" for n in churn.NUMERIC)
    # (day, amount, order, lines, largest), the row layout churn.behaviour walks
    grouped = rows.rdd.map(lambda r: (r[0], tuple(r[1:]))).groupByKey()
    return orders.sparkSession.createDataFrame(grouped.flatMap(one), schema)


def score_frame(orders, attributes, model, as_of):
    """customer_id, churn_probability, churn_risk, churn_driver_1..3 of the customers active
    at as_of. `attributes`: a per-customer DataFrame with the model's non-behaviour features
    (None when the model has none)."""
    from pyspark.sql import functions as F
    need = churn.attribute_names(model)
    feats = behaviour_frame(orders, as_of, int(model["scoring"]["active_days"]))
    if need:
        if attributes is None:
            raise Refused("the churn model uses " + ", ".join(need) + ": give a per-customer "
                          "table with them (--attributes, e.g. kam's customers.parquet)")
        lacking = [n for n in need if n not in attributes.columns]
        if lacking:
            raise Refused("the --attributes table lacks " + ", ".join(lacking)
                          + ", which the churn model uses")
        attrs = attributes.select(F.col("customer_id").cast("string"), *need)
        feats = feats.join(attrs, "customer_id", "left")

    def partition(rows):
        for r in rows:
            d = r.asDict()
            yield (d["customer_id"], *churn.score(model, d))

    return feats.sparkSession.createDataFrame(feats.rdd.mapPartitions(partition), CHURN_SCHEMA)


def with_churn(scored, feats, churn_scores):
    """The value scores with the churn columns (null for customers not active at as_of;
    churn_risk `lapsed` for those who bought before) and revenue_at_risk = churn_probability x revenue_if_stays (the last 12 months' revenue, >= 0,
    where there is none)."""
    from pyspark.sql import functions as F
    r = F.col("revenue_last_12m")
    # Polars' clip_min keeps a null null (Spark's greatest would skip it)
    run_rate = F.when(r.isNull(), F.lit(None)).otherwise(F.greatest(r, F.lit(0.0)))
    r12 = feats.select(F.col("customer_id").cast("string"),
                       F.col("revenue_last_12m").cast("double"), "last_purchase")
    out = scored.join(churn_scores, "customer_id", "left").join(r12, "customer_id", "left")
    # src/churn/output.rs: bought before, not within active_days: lapsed, not scored
    risk = F.when(F.col("churn_risk").isNull() & F.col("last_purchase").isNotNull(),
                  F.lit("lapsed")).otherwise(F.col("churn_risk")).alias("churn_risk")
    return out.select(
        *scored.columns, "churn_probability", risk,
        (F.col("churn_probability") * F.coalesce(F.col("revenue_if_stays"), run_rate))
        .alias("revenue_at_risk"), "churn_driver_1", "churn_driver_2", "churn_driver_3")
