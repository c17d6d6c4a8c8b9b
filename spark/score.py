"""kam's fitted models applied to every customer on Apache Spark.

    spark-submit spark/score.py --models DIR/models --features FEATURES --out OUT [--as-of DATE]

Reads the models of a `kam run` (DIR/models/*.json and DIR/manifest.json for the value
settings), scores every customer of a per-customer feature table (the feature job's
`features/` directory, or kam's own customers.parquet) with kam's formulas, and writes
OUT/customers/ (Parquet, sorted by customer_id: customer_id, p_alive, expected_purchases,
expected_avg_value, clv, expected_revenue_12m, revenue_if_stays, segment) and
OUT/manifest.json. Churn is not scored (kam does not yet write its fitted trees or
coefficients). Refusals exit 2 with one line on stderr; an internal error exits 1.
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


def run(args):
    t0 = time.time()
    if "://" in args.out:
        raise Refused(f"--out {args.out}: score.py writes to a local or mounted path only")
    from kam_spark import models
    st, about = models.load(args.models, args.manifest)
    as_of = check_as_of(args)
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
    output.write_parquet(scored.orderBy("customer_id"), os.path.join(args.out, "customers"))
    back = spark.read.parquet(os.path.join(args.out, "customers"))
    n = back.count()
    n_scored = back.filter("p_alive IS NOT NULL").count()
    n_seg = back.filter("segment IS NOT NULL").count()
    timings = {"score": int((time.time() - t) * 1000), "total": int((time.time() - t0) * 1000)}
    output.write_manifest(args.out, {
        "job": "score.py (Apache Spark " + spark.version + ")",
        "features": os.path.abspath(args.features), "features_as_of": as_of, **about,
        "outputs": {"customers": n, "with_value_scores": n_scored, "with_segment": n_seg},
        "not_scored": ["churn_probability (kam does not write its fitted churn model)",
                       "interval bands (*_low, *_high)", "segment_name"],
        "timings_ms": timings})
    print(f"scored: {n} customers ({n_scored} with value scores, {n_seg} with a segment) "
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
