"""kam's fitted models applied to every customer on Apache Spark.

    spark-submit spark/score.py --models DIR/models --features FEATURES --out OUT [--as-of DATE]
        [--orders JOB/orders --attributes TABLE]

Reads the models of a `kam run` (DIR/models/*.json and DIR/manifest.json for the value
settings), scores every customer of a per-customer feature table (the feature job's
`features/` directory, or kam's own customers.parquet) with kam's formulas, and writes
OUT/customers/ (Parquet, sorted by customer_id: customer_id, p_alive, expected_purchases,
expected_avg_value, clv, expected_revenue_12m, revenue_if_stays, segment) and
OUT/manifest.json. With --orders (the feature job's order aggregates) it also applies kam's
fitted churn model (models/churn.json `scoring`): the behaviour features at as_of are computed
on the cluster from the orders, the model's other raw features (attributes, satisfaction,
product_count) come from --attributes (a per-customer table such as kam's customers.parquet),
and it adds churn_probability, churn_risk, revenue_at_risk and churn_driver_1..3 for the
customers active at as_of. Refusals exit 2 with one line on stderr; an internal error exits 1.
See docs/scale-out.md.
"""

import argparse
import datetime
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from kam_spark.config import Refused  # noqa: E402


def parse_args(argv):
    p = argparse.ArgumentParser(prog="score.py", description=__doc__.split("\n\n")[0])
    p.add_argument("--models", required=True, help="a kam run's models/ directory")
    p.add_argument("--manifest", help="that run's manifest.json (default: beside models/)")
    p.add_argument("--features", required=True,
                   help="per-customer table: Parquet file or directory of parts")
    p.add_argument("--out", required=True, help="output directory (local path)")
    p.add_argument("--orders", help="the feature job's DIR/orders: score churn too")
    p.add_argument("--attributes", help="per-customer table (Parquet) with the churn model's "
                                        "attributes, satisfaction and product_count columns")
    p.add_argument("--as-of", help="the date the features stand on, YYYY-MM-DD; checked "
                                   "against the feature job's manifest.json when present")
    return p.parse_args(argv)


def check_as_of(args):
    """The features' as_of (from the feature job's manifest.json beside features/), checked
    against --as-of. The models' own as_of may differ: kam's formulas are functions of each
    customer's (x, t_x, T), so a model fitted earlier scores a later table."""
    if args.as_of:
        try:
            datetime.date.fromisoformat(args.as_of)
        except ValueError:
            raise Refused(f"--as-of {args.as_of}: not a date YYYY-MM-DD") from None
    side = os.path.join(os.path.dirname(os.path.abspath(args.features.rstrip("/"))),
                        "manifest.json")
    found = None
    if os.path.isdir(args.features) and os.path.exists(side):
        with open(side, encoding="utf-8") as f:
            found = json.load(f).get("as_of")
    if args.as_of and found and args.as_of != found:
        raise Refused(f"--as-of {args.as_of}: the features stand on {found} ({side})")
    return args.as_of or found


def load_churn(args, as_of):
    """kam's churn model when --orders asks for churn scores (None otherwise), with the checks
    that need no Spark: the model file, a date to score on, the orders' job date."""
    if not args.orders:
        if args.attributes:
            raise Refused("--attributes is for churn scoring, which needs --orders")
        return None
    from kam_spark import churn, models
    path = os.path.join(args.models, "churn.json")
    if not os.path.exists(path):
        raise Refused(f"--orders: {path} does not exist (kam's churn stage did not run)")
    model = churn.load(models.read_json(path))
    if os.path.exists(os.path.join(args.models, "contract_retention.json")):
        # src/churn/contracts.rs: kam gives contract customers due for renewal the contract
        # model's lapse probability, which score.py does not mirror
        raise Refused("--orders: this run has contract customers (models/"
                      "contract_retention.json), whose churn kam takes from the contract "
                      "model; score.py scores behavioural churn only")
    if not as_of:
        raise Refused("churn scoring needs the date the features stand on: --as-of DATE, or "
                      "the feature job's manifest.json beside the features")
    side = os.path.join(os.path.dirname(os.path.abspath(args.orders.rstrip("/"))),
                        "manifest.json")
    if os.path.exists(side):
        with open(side, encoding="utf-8") as f:
            found = json.load(f).get("as_of")
        if found and found != as_of:
            raise Refused(f"--orders {args.orders}: the orders stand on {found}, the features "
                          f"on {as_of}")
    return model


def run(args):
    t0 = time.time()
    if "://" in args.out:
        raise Refused(f"--out {args.out}: score.py writes to a local or mounted path only")
    from kam_spark import models
    st, about = models.load(args.models, args.manifest)
    as_of = check_as_of(args)
    churn_model = load_churn(args, as_of)
    from pyspark.sql import SparkSession

    from kam_features import ship_package
    from kam_spark import apply, output
    spark = (SparkSession.builder.appName("kam score")
             .config("spark.sql.session.timeZone", "UTC").getOrCreate())
    spark.sparkContext.setLogLevel(os.environ.get("KAM_SPARK_LOG_LEVEL", "WARN"))
    ship_package(spark)
    t = time.time()
    feats = spark.read.parquet(args.features)
    scored = apply.score_frame(feats, st)
    if churn_model is not None:
        from kam_spark import churn_apply
        attrs = spark.read.parquet(args.attributes) if args.attributes else None
        at = datetime.date.fromisoformat(as_of)
        churned = churn_apply.score_frame(spark.read.parquet(args.orders), attrs, churn_model, at)
        scored = churn_apply.with_churn(scored, feats, churned)
    output.write_parquet(scored.orderBy("customer_id"), os.path.join(args.out, "customers"))
    back = spark.read.parquet(os.path.join(args.out, "customers"))
    n = back.count()
    n_scored = back.filter("p_alive IS NOT NULL").count()
    n_seg = back.filter("segment IS NOT NULL").count()
    n_churn = back.filter("churn_probability IS NOT NULL").count() if churn_model else 0
    timings = {"score": int((time.time() - t) * 1000), "total": int((time.time() - t0) * 1000)}
    output.write_manifest(args.out, {
        "job": "score.py (Apache Spark " + spark.version + ")",
        "features": os.path.abspath(args.features), "features_as_of": as_of, **about,
        "orders": os.path.abspath(args.orders) if args.orders else None,
        "attributes": os.path.abspath(args.attributes) if args.attributes else None,
        "outputs": {"customers": n, "with_value_scores": n_scored, "with_segment": n_seg,
                    "with_churn_scores": n_churn},
        "not_scored": (["churn (no --orders)"] if churn_model is None else [])
        + ["interval bands (*_low, *_high)", "segment_name"],
        "timings_ms": timings})
    print(f"scored: {n} customers ({n_scored} with value scores, {n_seg} with a segment, "
          f"{n_churn} with churn scores) "
          f"-> {args.out}/customers in {timings['score'] / 1000:.1f} s")
    spark.stop()


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        run(args)
    except Refused as e:
        print(f"score: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
