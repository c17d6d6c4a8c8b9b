#!/usr/bin/env python3
"""Side by side, the whole job a user waits for: segment a per-customer CSV file of
1,000,000 customers x 6 numeric columns into k = 8 segments with one k-means init, and write
each customer's label.

  scikit-learn  pandas.read_csv -> StandardScaler -> KMeans(k=8, n_init=1, algorithm="lloyd")
                .fit -> labels written with DataFrame.to_csv (customer_id, segment)
  kam           `kam segment --customers FILE --k 8 --n-init 1 --transform standardize
                --features ... --out DIR` (read, fit, stability refits, silhouette, profile,
                names, and writes segmented.csv, segments.csv and models/kmeans.json)

Each side is timed as a whole (wall clock, `--repeat` times each, the two sides alternating,
best reported); kam as a
subprocess of the release binary (built on first use), scikit-learn in this process after a
warm-up import. The ratio kam / scikit-learn is printed last (below 1: kam is faster).

Usage (from the repo root):
    .peer-venv/bin/python benches/compare_sklearn.py [--rows 1000000] [--kind skewed|blobs]
        [--repeat 3] [--dir target/kmeans-bench]

Data (seeded, numpy default_rng(0)), written once as CSV with a `customer_id` column:
  blobs   8 Gaussian clusters in 6 dimensions, centres uniform in [-3, 3], unit spread;
  skewed  RFM-like columns without cluster structure (log of log-normal / gamma draws with some
          correlation), the kind of matrix kam's customer features give.
"""
import argparse
import pathlib
import subprocess
import time

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.preprocessing import StandardScaler

ROOT = pathlib.Path(__file__).resolve().parent.parent
K = 8
FEATURES = ["recency", "frequency", "monetary", "tenure", "p_alive", "trend"]


def make_data(kind: str, n: int) -> np.ndarray:
    rng = np.random.default_rng(0)
    if kind == "blobs":
        centres = rng.uniform(-3.0, 3.0, size=(K, len(FEATURES)))
        labels = rng.integers(0, K, size=n)
        return centres[labels] + rng.standard_normal((n, len(FEATURES)))
    z = rng.standard_normal((n, 3))
    recency = np.log1p(rng.gamma(0.8, 60.0, n))
    frequency = np.log1p(rng.poisson(np.exp(1.0 + 0.8 * z[:, 0])))
    monetary = 4.0 + 0.9 * z[:, 1] + 0.3 * z[:, 0]
    tenure = np.log1p(rng.uniform(30, 1500, n))
    p_alive = 1.0 / (1.0 + np.exp(-(z[:, 0] - 0.5 * z[:, 2])))
    trend = 0.4 * z[:, 2] + rng.standard_normal(n)
    return np.column_stack([recency, frequency, monetary, tenure, p_alive, trend])


def write_csv(path: pathlib.Path, x: np.ndarray) -> None:
    df = pd.DataFrame(x, columns=FEATURES)
    df.insert(0, "customer_id", [f"C{i:07d}" for i in range(len(df))])
    df.to_csv(path, index=False, float_format="%.6f")


def sklearn_job(path: pathlib.Path, out: pathlib.Path) -> dict:
    """read, standardise, fit, write labels: the whole job, timed."""
    t0 = time.perf_counter()
    df = pd.read_csv(path)
    x = StandardScaler().fit_transform(df[FEATURES].to_numpy())
    km = KMeans(n_clusters=K, algorithm="lloyd", n_init=1, max_iter=300, random_state=0).fit(x)
    pd.DataFrame({"customer_id": df["customer_id"], "segment": km.labels_ + 1}).to_csv(
        out, index=False
    )
    return {"seconds": time.perf_counter() - t0, "iterations": int(km.n_iter_)}


def kam_job(kam: pathlib.Path, path: pathlib.Path, out: pathlib.Path) -> dict:
    cmd = [str(kam), "--quiet", "segment", "--customers", str(path), "--k", str(K),
           "--n-init", "1", "--transform", "standardize", "--features", ",".join(FEATURES),
           "--out", str(out)]
    t0 = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, check=True)
    return {"seconds": time.perf_counter() - t0}


def best_of_pairs(f, g, repeat: int) -> tuple[dict, dict]:
    """`repeat` runs of each side, alternating (f, g, f, g, ...) so that a slow spell of a
    shared machine falls on both; the best run of each."""
    runs = [(f(), g()) for _ in range(repeat)]
    pick = lambda side: min((r[side] for r in runs), key=lambda r: r["seconds"])
    return pick(0), pick(1)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--kind", choices=["blobs", "skewed"], default="skewed")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--dir", default=str(ROOT / "target" / "kmeans-bench"))
    args = ap.parse_args()

    d = pathlib.Path(args.dir)
    d.mkdir(parents=True, exist_ok=True)
    path = d / f"{args.kind}_{args.rows}x{len(FEATURES)}.csv"
    if not path.exists():
        write_csv(path, make_data(args.kind, args.rows))
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    kam = ROOT / "target" / "release" / "kam"

    sk, km = best_of_pairs(
        lambda: sklearn_job(path, d / "sklearn_labels.csv"),
        lambda: kam_job(kam, path, d / "kam_out"),
        args.repeat,
    )
    print(f"{args.rows} x {len(FEATURES)} CSV ({args.kind}), k = {K}, one init, "
          f"best of {args.repeat}, whole job (read, fit, write labels)")
    print(f"scikit-learn  {sk['seconds']:7.2f} s  ({sk['iterations']} iterations)")
    print(f"kam segment   {km['seconds']:7.2f} s")
    print(f"kam / scikit-learn: {km['seconds'] / sk['seconds']:.2f}x")


if __name__ == "__main__":
    main()
