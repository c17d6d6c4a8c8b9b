#!/usr/bin/env python3
"""Side-by-side timing of one k-means fit: scikit-learn's KMeans(algorithm="lloyd") against
kam's `KMeansValid::fit` on the same standardised matrix (default 1,000,000 x 6, k = 8).

Usage (from the repo root; the example is built in release mode on first use):
    /work/peer-venv/bin/python benches/compare_sklearn.py [--rows 1000000] [--kind blobs|skewed]
        [--n-init 1] [--repeat 3] [--dir target/kmeans-bench]

Data (seeded, numpy default_rng(0)):
  blobs   8 Gaussian clusters in 6 dimensions, centres uniform in [-3, 3], unit spread
          (they overlap), equal weights;
  skewed  RFM-like columns without cluster structure: log of log-normal / gamma draws with
          some correlation, the kind of matrix kam's features give.
Both are standardised (mean 0, variance 1 per column) and written as raw little-endian f64,
row-major, which `examples/kmeans_bench.rs` reads. Each side is timed `--repeat` times and the
best time is reported with its inertia (sum of squared distances to the nearest centroid) and
iteration count. Only the fit is timed, not the file I/O.
"""
import argparse
import json
import pathlib
import subprocess
import time

import numpy as np
from sklearn.cluster import KMeans

ROOT = pathlib.Path(__file__).resolve().parent.parent
DIMS, K = 6, 8


def make_data(kind: str, n: int) -> np.ndarray:
    rng = np.random.default_rng(0)
    if kind == "blobs":
        centres = rng.uniform(-3.0, 3.0, size=(K, DIMS))
        labels = rng.integers(0, K, size=n)
        x = centres[labels] + rng.standard_normal((n, DIMS))
    else:
        z = rng.standard_normal((n, 3))
        recency = np.log1p(rng.gamma(0.8, 60.0, n))
        frequency = np.log1p(rng.poisson(np.exp(1.0 + 0.8 * z[:, 0])))
        monetary = 4.0 + 0.9 * z[:, 1] + 0.3 * z[:, 0]
        tenure = np.log1p(rng.uniform(30, 1500, n))
        p_alive = 1.0 / (1.0 + np.exp(-(z[:, 0] - 0.5 * z[:, 2])))
        trend = 0.4 * z[:, 2] + rng.standard_normal(n)
        x = np.column_stack([recency, frequency, monetary, tenure, p_alive, trend])
    return (x - x.mean(axis=0)) / x.std(axis=0)


def time_sklearn(x: np.ndarray, n_init: int, repeat: int) -> dict:
    best = None
    for _ in range(repeat):
        km = KMeans(n_clusters=K, algorithm="lloyd", n_init=n_init, max_iter=300, random_state=0)
        t0 = time.perf_counter()
        km.fit(x)
        dt = time.perf_counter() - t0
        if best is None or dt < best["seconds"]:
            best = {"seconds": dt, "inertia": float(km.inertia_), "iterations": int(km.n_iter_)}
    return best


def time_kam(path: pathlib.Path, n_init: int, repeat: int) -> dict:
    cmd = ["cargo", "run", "--release", "--quiet", "--example", "kmeans_bench", "--",
           str(path), str(DIMS), str(K), str(n_init), str(repeat)]
    out = subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--kind", choices=["blobs", "skewed"], default="blobs")
    ap.add_argument("--n-init", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--dir", default=str(ROOT / "target" / "kmeans-bench"))
    args = ap.parse_args()

    d = pathlib.Path(args.dir)
    d.mkdir(parents=True, exist_ok=True)
    path = d / f"{args.kind}_{args.rows}x{DIMS}.f64"
    x = make_data(args.kind, args.rows)
    x.astype("<f8").tofile(path)

    sk = time_sklearn(x, args.n_init, args.repeat)
    kam = time_kam(path, args.n_init, args.repeat)
    print(f"{args.rows} x {DIMS} ({args.kind}), k = {K}, n_init = {args.n_init}, best of {args.repeat}")
    print(f"{'':10} {'seconds':>9} {'inertia':>16} {'iterations':>10}")
    for name, r in [("sklearn", sk), ("kam", kam)]:
        print(f"{name:10} {r['seconds']:9.3f} {r['inertia']:16.2f} {r['iterations']:10d}")
    print(f"kam / sklearn: time {kam['seconds'] / sk['seconds']:.2f}x, "
          f"inertia {100.0 * (kam['inertia'] / sk['inertia'] - 1.0):+.3f}%")


if __name__ == "__main__":
    main()
