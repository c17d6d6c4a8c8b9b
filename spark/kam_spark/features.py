"""Used transactions -> one row per customer: kam's feature columns, with kam's arithmetic
(src/features.rs `per_customer`, `derived`, `customer_table`; src/features/onepass.rs
`customer`, `purchase_days`, `orders`; src/frame.rs `fixed`, `unfixed`, `months_before`);
and -> one row per customer, day, order and sign (`order_aggregates`), the rows `kam run
--features` reads in place of the transactions.

- A purchase is a row with amount >= 0; other rows are returns. Only rows dated on or
  before as_of count.
- Sums are fixed point: round(x * 1e4) half away from zero, as a long (frame.rs to_fixed),
  added as longs, so they are exact and independent of row order; back in units as
  `long * (1/1e4)`: Polars divides a column by a literal as a multiplication by its
  reciprocal (frame.rs unfixed), so does this job, to the last bit.
- recency and T divide by the time unit the same way (x * (1/7) for weeks).
- The 12-month windows are (as_of - 12 months - 1 day, as_of] and the 12 months before,
  with chrono's month arithmetic (the day clamped to the month's length).
"""

import calendar
import datetime as dt

from pyspark.sql import functions as F

from . import config

SCALE = 1e4
INV_SCALE = 1.0 / SCALE


def months_before(as_of, n):
    """frame.rs months_before: as_of minus n months (day clamped), then one day earlier."""
    m = as_of.year * 12 + as_of.month - 1 - n
    y, mo = divmod(m, 12)
    day = min(as_of.day, calendar.monthrange(y, mo + 1)[1])
    return dt.date(y, mo + 1, day) - dt.timedelta(days=1)


def fixed(x):
    """frame.rs to_fixed: round(x * 1e4), half away from zero, as a long."""
    return F.round(x * F.lit(SCALE), 0).cast("long")


def unfixed(x):
    return x.cast("double") * F.lit(INV_SCALE)


def per_customer(tx, as_of, unit):
    """onepass.rs aggregates + features.rs derived: the features of customers with rows."""
    has_qty, has_order = "quantity" in tx.columns, "order_id" in tx.columns
    m12, m24 = months_before(as_of, 12), months_before(as_of, 24)
    rows = tx.where(F.col("date") <= F.lit(as_of)).select(
        "customer_id", "date", "amount",
        fixed(F.col("amount")).alias("fx"),
        (F.col("amount") >= 0).alias("purchase"),
        *([fixed(F.col("quantity")).alias("qfx")] if has_qty else []),
        *([F.col("order_id")] if has_order else []))
    no_order = F.col("order_id").isNull() if has_order else F.lit(True)
    # per customer and day first (purchase days and the first day's value), then per customer
    daily = rows.groupBy("customer_id", "date").agg(
        F.sum(F.when(F.col("purchase"), F.col("fx"))).alias("p"),
        F.max(F.col("purchase").cast("int")).alias("hp"),
        F.sum(F.when(~F.col("purchase"), F.col("fx"))).alias("ret"),
        F.sum("fx").alias("all"),
        *([F.sum("qfx").alias("q")] if has_qty else []),
        F.max(F.when(no_order, F.col("amount"))).alias("lr"))
    hp = F.col("hp") == 1
    r12 = (F.col("date") > F.lit(m12)) & (F.col("date") <= F.lit(as_of))
    r24 = (F.col("date") > F.lit(m24)) & (F.col("date") <= F.lit(m12))
    agg = daily.groupBy("customer_id").agg(
        F.min("date").alias("first_tx"),
        F.min(F.when(hp, F.col("date"))).alias("first"),
        F.max(F.when(hp, F.col("date"))).alias("last"),
        F.coalesce(F.sum(F.when(hp, F.col("p"))), F.lit(0)).alias("purchases"),
        F.coalesce(F.sum("ret"), F.lit(0)).alias("returns"),
        F.coalesce(F.sum(F.when(r12, F.col("all"))), F.lit(0)).alias("r12"),
        F.coalesce(F.sum(F.when(r24, F.col("all"))), F.lit(0)).alias("r24"),
        *([F.coalesce(F.sum("q"), F.lit(0)).alias("q")] if has_qty else []),
        F.max("lr").alias("largest_row"),
        F.count(F.when(hp, 1)).alias("n_days"),
        F.min(F.when(hp, F.struct(F.col("date"), F.col("p")))).getField("p").alias("first_day"))
    if has_order:
        # onepass.rs orders: per order id its net value and whether it holds a purchase
        orders = (rows.where(F.col("order_id").isNotNull())
                  .groupBy("customer_id", "order_id")
                  .agg(F.sum("fx").alias("net"), F.max(F.col("purchase").cast("int")).alias("op"))
                  .groupBy("customer_id")
                  .agg(F.sum("op").cast("long").alias("orders"),
                       F.max("net").alias("largest_order_fx")))
        agg = agg.join(orders, "customer_id", "left")
    days = F.when(F.col("n_days") > 0, F.col("n_days"))
    frequency = F.when(days > 0, days - 1)
    per_unit = 1.0 / config.DAYS_PER_UNIT[unit]
    first, last = F.col("first"), F.col("last")
    largest = (F.greatest(unfixed(F.col("largest_order_fx")), F.col("largest_row"))
               if has_order else F.col("largest_row"))
    return agg.select(
        "customer_id", "first_tx",
        first.alias("first_purchase"), last.alias("last_purchase"),
        (F.col("orders") if has_order else days).alias("orders"),
        frequency.alias("frequency"),
        (F.datediff(last, first).cast("double") * F.lit(per_unit)).alias("recency"),
        (F.datediff(F.lit(as_of), first).cast("double") * F.lit(per_unit)).alias("T"),
        F.datediff(F.lit(as_of), last).cast("long").alias("recency_days"),
        unfixed(F.col("purchases") + F.col("returns")).alias("monetary_total"),
        # mean value of repeat purchase days: (all purchases - first day) / repeat days
        F.when(frequency > 0,
               unfixed(F.col("purchases") - F.col("first_day")) / frequency.cast("double"))
        .otherwise(F.lit(0.0)).alias("monetary_value"),
        F.abs(unfixed(F.col("returns"))).alias("returns_total"),
        (unfixed(F.col("q")) if has_qty else F.lit(None).cast("double")).alias("quantity_total"),
        largest.alias("largest_order"),
        unfixed(F.col("r12")).alias("revenue_last_12m"),
        unfixed(F.col("r24")).alias("revenue_prev_12m"))


def order_aggregates(tx, as_of):
    """The used transactions dated on or before as_of, summed per customer, day, order id
    (when the transactions have one) and sign (purchase: amount >= 0), for `kam run
    --features`: kam's stages that read transaction rows (churn cutoffs, the value holdout
    check, trend, attainment, weekly, plan) read these instead of the raw rows. Summing the
    lines of one order on one day keeps every figure they compute: day sums, order totals,
    purchase days, row counts (`lines`) and the largest row (`largest_line`).

    Columns: customer_id, date, order_id (when present), amount (the lines' fixed-point sum,
    as features are summed, so kam re-adding it in fixed point gets the same longs),
    quantity (when present: a plain double sum, null when every line's is), lines (long),
    largest_line (the largest amount of the lines). The sign key is not a column: amount's
    sign shows it; a return whose lines all round to 0 in fixed point (|amount| < 0.00005)
    gets its largest line as amount, negative and rounding to 0 as its lines do. Sorted by
    customer_id, date, order_id (nulls first), purchases first, so the output is
    deterministic."""
    has_qty, has_order = "quantity" in tx.columns, "order_id" in tx.columns
    order = ["order_id"] if has_order else []
    rows = tx.where(F.col("date") <= F.lit(as_of)).select(
        "customer_id", "date", *order, (F.col("amount") >= 0).alias("purchase"), "amount",
        fixed(F.col("amount")).alias("fx"), *(["quantity"] if has_qty else []))
    groups = rows.groupBy("customer_id", "date", *order, "purchase").agg(
        F.sum("fx").alias("fx"),
        *([F.sum("quantity").alias("quantity")] if has_qty else []),
        F.count(F.lit(1)).cast("long").alias("lines"),
        F.max("amount").alias("largest_line"))
    return groups.orderBy(
        "customer_id", "date", *[F.col(c).asc_nulls_first() for c in order],
        F.col("purchase").desc()
    ).select(
        F.col("customer_id").cast("string"), "date", *[F.col(c).cast("string") for c in order],
        # a return whose lines all round to 0 in fixed point keeps a negative amount (its
        # largest line, itself rounding to 0): kam tells a return by amount < 0
        F.when(~F.col("purchase") & (F.col("fx") == 0), F.col("largest_line").cast("double"))
        .otherwise(unfixed(F.col("fx"))).alias("amount"),
        *([F.col("quantity").cast("double")] if has_qty else []),
        "lines", F.col("largest_line").cast("double"))


def customer_table(tx, customers, as_of, unit):
    """features.rs customer_table: customers (when given) full-joined with the features,
    one row per customer known from either side, sorted by customer_id."""
    feats = per_customer(tx, as_of, unit)
    if customers is not None:
        own = customers.select(
            "customer_id",
            *([F.col("acquired_on")] if "acquired_on" in customers.columns else []),
            F.lit(True).alias("in_customer_table"))
        base = own.join(feats, "customer_id", "full")
        acquired = "acquired_on" in customers.columns
    else:
        base = feats.withColumn("in_customer_table", F.lit(False))
        acquired = False
    start = F.least(F.col("acquired_on"), F.col("first_tx")) if acquired else F.col("first_tx")
    prev, last12 = F.col("revenue_prev_12m"), F.col("revenue_last_12m")
    zero = lambda n, z: F.coalesce(F.col(n), F.lit(z)).alias(n)  # noqa: E731
    return base.select(
        "customer_id",
        F.coalesce(F.col("in_customer_table"), F.lit(False)).alias("in_customer_table"),
        "first_purchase", "last_purchase",
        zero("orders", 0).cast("long").alias("orders"),
        "frequency", "recency", "T", "recency_days",
        zero("monetary_total", 0.0), "monetary_value", zero("returns_total", 0.0),
        "quantity_total",
        F.datediff(F.lit(as_of), start).cast("long").alias("tenure_days"),
        "largest_order",
        zero("revenue_last_12m", 0.0), zero("revenue_prev_12m", 0.0),
        F.when(prev > 0, (F.coalesce(last12, F.lit(0.0)) - prev) / prev).alias("trend_12m"),
    ).orderBy("customer_id")
