"""Compare the Spark feature job's outputs with `kam run`'s on the same inputs.

    python spark/tests/parity.py KAM_OUT SPARK_OUT

- manifest: as_of, and for customers and transactions read, used, rejected and
  rejected_by_check equal;
- rejects: the same rows (table and row number) with the same check, reason and original
  fields (kam's rejects/<table>.csv against the job's rejects/<table>/ Parquet);
- features: the same customers; per customer every feature column of kam's customers.parquet
  equal, in the same Parquet types: counts, days and dates exactly, sums exactly and ratios (recency, T,
  monetary_value, trend_12m) to 1e-9 relative, after rounding the job's value to the 6
  decimals kam writes (src/io/write.rs `rounded`: round half to even of x * 1e6, / 1e6).

Prints every mismatch (up to 20 per kind) and exits 1 when there is any.
"""

import csv
import datetime as dt
import json
import math
import os
import sys

import shutil
import tempfile

import pyarrow as pa
import pyarrow.parquet as pq

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from kam_spark import contract  # noqa: E402

TABLES = ("customers", "transactions")
SHOW = 20


def rounded6(x):
    """Polars' round(6, HalfToEven) on a float: round_ties_even(x * 1e6) / 1e6."""
    if x is None or isinstance(x, (int, bool, dt.date)) or not math.isfinite(x):
        return x
    return round(x * 1e6) / 1e6


class Report:
    def __init__(self):
        self.errors = {}

    def bad(self, kind, msg):
        self.errors.setdefault(kind, []).append(msg)

    def print(self):
        for kind, msgs in self.errors.items():
            print(f"MISMATCH {kind}: {len(msgs)}")
            for m in msgs[:SHOW]:
                print("   ", m)
        return not self.errors


def compare_manifest(kam, spark, r):
    if kam.get("as_of") != spark.get("as_of"):
        r.bad("as_of", f"kam {kam.get('as_of')} spark {spark.get('as_of')}")
    for t in TABLES:
        k, s = kam["tables"].get(t), spark["tables"].get(t)
        if k is None and s is None:
            continue
        for field in ("read", "used", "rejected"):
            if (k or {}).get(field) != (s or {}).get(field):
                r.bad("manifest", f"{t}.{field}: kam {(k or {}).get(field)} "
                                  f"spark {(s or {}).get(field)}")
        if (k or {}).get("rejected_by_check", {}) != (s or {}).get("rejected_by_check", {}):
            r.bad("manifest", f"{t}.rejected_by_check: kam {k.get('rejected_by_check')} "
                              f"spark {s.get('rejected_by_check')}")
    # the validation notes of the two tables (e.g. unknown customers kept), as kam words them
    mine = lambda m: sorted(n for n in m.get("notes", []) if n.split(":")[0] in TABLES)  # noqa
    if mine(kam) != mine(spark):
        r.bad("notes", f"kam {mine(kam)} spark {mine(spark)}")


def compare_rejects(kam_dir, spark_dir, r):
    n = 0
    for t in TABLES:
        path = os.path.join(kam_dir, "rejects", f"{t}.csv")
        if not os.path.exists(path):
            continue
        with open(path, newline="", encoding="utf-8") as f:
            kam_rows = {int(row["row"]): row for row in csv.DictReader(f)}
        sdir = os.path.join(spark_dir, "rejects", t)
        spark_rows = {}
        for row in pq.read_table(sdir).to_pylist():
            spark_rows[int(row["row"])] = {k: ("" if v is None else str(v))
                                           for k, v in row.items()}
        for row in sorted(set(kam_rows) | set(spark_rows)):
            k, s = kam_rows.get(row), spark_rows.get(row)
            if k is None or s is None:
                r.bad("rejects", f"{t} row {row}: only in {'spark' if k is None else 'kam'}: "
                                 f"{(k or s).get('check')} / {(k or s).get('reason')}")
                continue
            for col in k:
                if k[col] != s.get(col, "<missing column>"):
                    r.bad("rejects", f"{t} row {row} {col}: kam {k[col]!r} spark {s.get(col)!r}")
            n += 1
    return n


def compare_features(kam_dir, spark_dir, r):
    kam_table = pq.read_table(os.path.join(kam_dir, "customers.parquet"))
    missing = [c for c in contract.FEATURES if c not in kam_table.column_names]
    if missing:
        r.bad("columns", f"kam's customers.parquet lacks {missing}")
    kam = {row["customer_id"]: row for row in kam_table.to_pylist()}
    spark_table = pq.read_table(os.path.join(spark_dir, "features"))
    want_cols = ["customer_id", *contract.FEATURES]
    if spark_table.column_names != want_cols:
        r.bad("columns", f"spark features columns {spark_table.column_names} != {want_cols}")
    # the same Parquet types (Polars writes text as string_view, Spark as string: one type)
    norm = lambda t: "string" if str(t) in ("string", "string_view", "large_string") else str(t)  # noqa
    for col in want_cols:
        if col in kam_table.column_names and col in spark_table.column_names:
            kt, st = kam_table.schema.field(col).type, spark_table.schema.field(col).type
            if norm(kt) != norm(st):
                r.bad("columns", f"{col}: kam type {kt}, spark type {st}")
    spark = {row["customer_id"]: row for row in spark_table.to_pylist()}
    for cid in sorted(set(kam) ^ set(spark)):
        r.bad("customers", f"{cid} only in {'kam' if cid in kam else 'spark'}")
    checked = 0
    for cid in sorted(set(kam) & set(spark)):
        k, s = kam[cid], spark[cid]
        for col in contract.FEATURES:
            kv, sv = k.get(col), rounded6(s.get(col))
            if col in contract.RATIO_FEATURES and kv is not None and sv is not None:
                ok = abs(kv - sv) <= 1e-9 * max(abs(kv), abs(sv)) or kv == sv
            else:
                ok = kv == sv or (isinstance(kv, float) and isinstance(sv, float)
                                  and math.isnan(kv) and math.isnan(sv))
            if not ok:
                r.bad("features", f"{cid} {col}: kam {kv!r} spark {s.get(col)!r}")
            checked += 1
    return len(spark), checked


def compare(kam_dir, spark_dir):
    r = Report()
    with open(os.path.join(kam_dir, "manifest.json")) as f:
        kam_m = json.load(f)
    with open(os.path.join(spark_dir, "manifest.json")) as f:
        spark_m = json.load(f)
    compare_manifest(kam_m, spark_m, r)
    n_rej = compare_rejects(kam_dir, spark_dir, r)
    n_cust, n_vals = compare_features(kam_dir, spark_dir, r)
    return r, n_rej, n_cust, n_vals


def main(kam_dir, spark_dir):
    r, n_rej, n_cust, n_vals = compare(kam_dir, spark_dir)
    with open(os.path.join(kam_dir, "manifest.json")) as f:
        kam_m = json.load(f)
    ok = r.print()
    counts = {t: kam_m["tables"][t] for t in TABLES if t in kam_m["tables"]}
    print(f"{'PASS' if ok else 'FAIL'}: {n_rej} rejects and {n_cust} customers x "
          f"{len(contract.FEATURES)} features ({n_vals} values) compared; tables {counts}")
    return 0 if ok else 1


def perturbed(spark_dir, what):
    """A copy of the job's outputs with one thing changed (for --selftest)."""
    out = tempfile.mkdtemp(prefix="kam-parity-selftest-")
    shutil.copytree(spark_dir, out, dirs_exist_ok=True)
    if what == "features":
        t = pq.read_table(os.path.join(spark_dir, "features"))
        rows = t.to_pylist()
        i = next(i for i, r in enumerate(rows) if r["monetary_total"])
        rows[i]["monetary_total"] += 0.01
        shutil.rmtree(os.path.join(out, "features"))
        os.makedirs(os.path.join(out, "features"))
        pq.write_table(pa.Table.from_pylist(rows, schema=t.schema),
                       os.path.join(out, "features", "part-0.parquet"))
    elif what == "rejects":
        d = os.path.join(spark_dir, "rejects", "transactions")
        t = pq.read_table(d)
        rows = t.to_pylist()
        rows[0]["reason"] += "!"
        shutil.rmtree(os.path.join(out, "rejects", "transactions"))
        os.makedirs(os.path.join(out, "rejects", "transactions"))
        pq.write_table(pa.Table.from_pylist(rows, schema=t.schema),
                       os.path.join(out, "rejects", "transactions", "part-0.parquet"))
    else:
        path = os.path.join(out, "manifest.json")
        with open(path) as f:
            m = json.load(f)
        m["tables"]["transactions"]["used"] += 1
        with open(path, "w") as f:
            json.dump(m, f)
    return out


def selftest(kam_dir, spark_dir):
    """The comparison passes on the real outputs and fails on each perturbed copy."""
    r = compare(kam_dir, spark_dir)[0]
    if r.errors:
        print("selftest: the unperturbed outputs already differ")
        return 1
    for what, kind in (("features", "features"), ("rejects", "rejects"),
                       ("manifest", "manifest")):
        out = perturbed(spark_dir, what)
        r = compare(kam_dir, out)[0]
        shutil.rmtree(out)
        if kind not in r.errors:
            print(f"selftest FAIL: a changed {what} was not caught")
            return 1
        print(f"selftest: a changed {what} is caught ({r.errors[kind][0]})")
    return 0


if __name__ == "__main__":
    args = sys.argv[1:]
    if len(args) == 3 and args[0] == "--selftest":
        sys.exit(selftest(args[1], args[2]))
    if len(args) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(args[0], args[1]))
