"""kam's per-customer feature job on Apache Spark.

    spark-submit spark/kam_features.py --config kam.toml --out DIR [--as-of DATE]

Reads the transactions and customers named in kam's own kam.toml (CSV or Parquet, a file or a
directory of parts), validates them with kam's checks and reasons, and writes
DIR/features/ (Parquet, one row per customer, kam's feature columns), DIR/orders/ (Parquet,
the used transactions up to as_of summed per customer, day, order and sign: what `kam run
--features DIR/features` reads in place of the transactions), DIR/rejects/<table>/ (Parquet:
row, check, reason, the original fields) and DIR/manifest.json (read = used + rejected per
table, rejects by check). What it cannot honour is refused before any work with one line on
stderr and exit code 2; an internal error exits 1. See docs/scale-out.md.
"""

import argparse
import os
import shutil
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from kam_spark import config  # noqa: E402
from kam_spark.config import Refused  # noqa: E402


def parse_args(argv):
    p = argparse.ArgumentParser(prog="kam_features.py", description=__doc__.split("\n\n")[0])
    p.add_argument("--config", required=True, help="kam.toml (the file kam run takes)")
    p.add_argument("--out", required=True, help="output directory (local path)")
    p.add_argument("--as-of", help="the date the run stands on, YYYY-MM-DD (overrides as_of)")
    return p.parse_args(argv)


def ship_package(spark):
    """The kam_spark package to the executors (their Python runs its UDFs)."""
    here = os.path.dirname(os.path.abspath(__file__))
    tmp = tempfile.mkdtemp(prefix="kam_spark_")
    zip_path = shutil.make_archive(os.path.join(tmp, "kam_spark"), "zip", here, "kam_spark")
    spark.sparkContext.addPyFile(zip_path)


def run(args):
    t0 = time.time()
    cfg = config.load(args.config, args.as_of)
    if "://" in args.out:
        raise Refused(f"--out {args.out}: the job writes to a local or mounted path only")
    from pyspark.sql import SparkSession

    from kam_spark import features, load, output, validate
    spark = (SparkSession.builder.appName("kam features")
             .config("spark.sql.ansi.enabled", "false")     # make_date etc.: NULL when invalid
             .config("spark.sql.session.timeZone", "UTC")   # timestamps cut to the UTC day
             .getOrCreate())
    spark.sparkContext.setLogLevel(os.environ.get("KAM_SPARK_LOG_LEVEL", "WARN"))
    ship_package(spark)
    timings = {}
    t = time.time()
    raws = [load.load(spark, inp) for inp in cfg.inputs]
    timings["load"] = int((time.time() - t) * 1000)
    t = time.time()
    tables, as_of = validate.validate(spark, raws, cfg)
    for name, vt in tables.items():
        output.write_parquet(vt.rejects, os.path.join(args.out, "rejects", name))
    timings["validate"] = int((time.time() - t) * 1000)
    tx = tables["transactions"]
    if tx.counts["used"] == 0:
        output.write_manifest(args.out, output.manifest(cfg, tables, as_of, 0, 0, timings,
                                                        spark.version))
        raise Refused(f"transactions: no usable rows ({tx.counts['read']} read, "
                      f"{tx.counts['rejected']} rejected); see {args.out}/rejects/transactions")
    t = time.time()
    customers = tables.get("customers")
    feats = features.customer_table(tx.clean, customers.clean if customers else None, as_of,
                                    cfg.time_unit)
    output.write_parquet(feats, os.path.join(args.out, "features"))
    n = spark.read.parquet(os.path.join(args.out, "features")).count()
    timings["features"] = int((time.time() - t) * 1000)
    t = time.time()
    output.write_parquet(features.order_aggregates(tx.clean, as_of),
                         os.path.join(args.out, "orders"))
    n_orders = spark.read.parquet(os.path.join(args.out, "orders")).count()
    timings["orders"] = int((time.time() - t) * 1000)
    timings["total"] = int((time.time() - t0) * 1000)
    output.write_manifest(args.out, output.manifest(cfg, tables, as_of, n, n_orders, timings,
                                                    spark.version))
    print(f"as_of: {as_of}")
    for name, vt in tables.items():
        k = vt.counts
        print(f"{name}: {k['read']} read = {k['used']} used + {k['rejected']} rejected")
        for check, m in k.get("rejected_by_check", {}).items():
            print(f"  {m:8d}  {check}")
    print(f"features: {n} customers -> {args.out}/features")
    print(f"orders: {n_orders} rows -> {args.out}/orders")
    spark.stop()


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        run(args)
    except Refused as e:
        print(f"kam_features: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
