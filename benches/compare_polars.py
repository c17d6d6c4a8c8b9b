#!/usr/bin/env python3
"""Side-by-side timing: kam's load + validate + per-customer features against Python Polars'
bare per-customer group-by (max date, count, sum) on the same file.

Usage (from the repo root, after `cargo build --release`):
    ../shared/tools/make-peer-venv .peer-venv
    .peer-venv/bin/python benches/compare_polars.py [--customers 100000] [--activity 2.45] [--dir /tmp/kam-bench]

It generates the company once with `kam generate` (Parquet and CSV), times each side `--repeat`
times (best of), and prints a table. kam's own stage times come from out/manifest.json; the
wall time and peak memory of the whole `kam run` from /usr/bin/time -v when present.
"""
import argparse
import json
import os
import pathlib
import shutil
import subprocess
import time

import polars as pl

ROOT = pathlib.Path(__file__).resolve().parent.parent
KAM = ROOT / "target" / "release" / "kam"


def sh(args):
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL)


def python_polars(path: pathlib.Path) -> float:
    scan = pl.scan_parquet(path) if path.suffix == ".parquet" else pl.scan_csv(path, try_parse_dates=True)
    t0 = time.perf_counter()
    out = (
        scan.group_by("customer_id")
        .agg(pl.col("date").max().alias("last"), pl.len().alias("n"), pl.col("amount").sum().alias("total"))
        .collect()
    )
    dt = time.perf_counter() - t0
    assert out.height > 0
    return dt


def python_features(path: pathlib.Path) -> float:
    """The same per-customer features as kam (README definitions), written in Python Polars."""
    scan = pl.scan_parquet(path) if path.suffix == ".parquet" else pl.scan_csv(
        path, try_parse_dates=True, schema_overrides={"customer_id": pl.String, "order_id": pl.String})
    t0 = time.perf_counter()
    as_of = pl.date(2026, 1, 1)
    tx = scan.filter(pl.col("date") <= as_of).with_columns(
        purchase=pl.col("amount") >= 0,
        in12=(pl.col("date") > pl.date(2025, 1, 1)),
        in24=(pl.col("date") > pl.date(2024, 1, 1)) & (pl.col("date") <= pl.date(2025, 1, 1)),
    )
    pdate = pl.col("date").filter(pl.col("purchase"))
    main = tx.group_by("customer_id").agg(
        first=pdate.min(), last=pdate.max(), days=pdate.n_unique(),
        purchases=pl.col("amount").filter(pl.col("purchase")).sum(),
        first_day=pl.col("amount").filter(pl.col("purchase") & (pl.col("date") == pdate.min())).sum(),
        net=pl.col("amount").sum(), returns=pl.col("amount").filter(~pl.col("purchase")).sum().abs(),
        first_tx=pl.col("date").min(), qty=pl.col("quantity").sum(),
        r12=pl.col("amount").filter(pl.col("in12")).sum(), r24=pl.col("amount").filter(pl.col("in24")).sum(),
    )
    orders = (tx.group_by("customer_id", "order_id").agg(o=pl.col("amount").sum(), p=pl.col("purchase").any())
              .group_by("customer_id").agg(largest=pl.col("o").max(), orders=pl.col("p").sum()))
    out = main.join(orders, on="customer_id", how="left").with_columns(
        frequency=pl.col("days") - 1,
        monetary_value=pl.when(pl.col("days") > 1).then((pl.col("purchases") - pl.col("first_day")) / (pl.col("days") - 1)).otherwise(0.0),
        trend=(pl.col("r12") - pl.col("r24")) / pl.col("r24"),
    ).sort("customer_id").collect()
    dt = time.perf_counter() - t0
    assert out.height > 0
    return dt


def kam_run(config: pathlib.Path, out: pathlib.Path):
    if out.exists():
        shutil.rmtree(out)
    timer = ["/usr/bin/time", "-v"] if os.path.exists("/usr/bin/time") else []
    t0 = time.perf_counter()
    p = subprocess.run(timer + [str(KAM), "run", "--quiet", "--config", str(config), "--out", str(out)],
                       check=True, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    rss_kb = None
    for line in p.stderr.splitlines():
        if "Maximum resident set size" in line:
            rss_kb = int(line.split(":")[1])
    m = json.loads((out / "manifest.json").read_text())
    t = m["timings_ms"]
    # the customer numbering (once per run, after validation) is part of computing features
    core = (t["load"] + t["validate"] + t.get("customer_codes", 0) + t["features"]) / 1000
    return core, wall, rss_kb, m["tables"]["transactions"]["read"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--customers", type=int, default=100_000)
    ap.add_argument("--months", type=int, default=36)
    ap.add_argument("--activity", type=float, default=2.45, help="2.45 gives about 10M rows for 100k customers")
    ap.add_argument("--dir", default="/tmp/kam-bench")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--formats", default="parquet,csv", help="comma-separated: parquet, csv")
    a = ap.parse_args()
    d = pathlib.Path(a.dir)
    for fmt in a.formats.split(","):
        g = d / f"gen-{fmt}"
        if not (g / "kam.toml").exists():
            sh([str(KAM), "generate", "--quiet", "--out", str(g), "--customers", str(a.customers),
                "--months", str(a.months), "--activity", str(a.activity), "--format", fmt])
        # transactions only: the comparison is about the transaction log
        cfg = g / "tx-only.toml"
        cfg.write_text(f'[input.transactions]\npath = "transactions.{fmt}"\n')
        py = min(python_polars(g / f"transactions.{fmt}") for _ in range(a.repeat))
        pyf = min(python_features(g / f"transactions.{fmt}") for _ in range(a.repeat))
        runs = [kam_run(cfg, d / f"out-{fmt}") for _ in range(a.repeat)]
        core = min(r[0] for r in runs)
        wall = min(r[1] for r in runs)
        rss = max(r[2] or 0 for r in runs)
        rows = runs[0][3]
        print(f"{fmt:8} rows={rows:,}\n"
              f"  python-polars bare group-by (max date, count, sum): {py:.2f} s\n"
              f"  python-polars same features as kam (no validation): {pyf:.2f} s\n"
              f"  kam load+validate+features: {core:.2f} s = {core / py:.2f}x bare, {core / pyf:.2f}x same-features; "
              f"{rows / core / 1e6:.1f} M rows/s\n"
              f"  kam run wall {wall:.2f} s, peak RSS {rss / 1024:.0f} MB\n"
              f"  ratio kam (load+validate+features) / Python Polars (same features): "
              f"{core / pyf:.2f}x (target <= 1.2x: {'met' if core / pyf <= 1.2 else 'NOT met'})")


if __name__ == "__main__":
    main()
