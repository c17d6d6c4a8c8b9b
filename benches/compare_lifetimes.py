#!/usr/bin/env python3
"""Side-by-side: kam's BG/NBD fit against lifetimes' BetaGeoFitter on simulated customers.

Usage (from the repo root, after `cargo build --release`):
    ../shared/tools/make-peer-venv .peer-venv
    .peer-venv/bin/python benches/compare_lifetimes.py [--customers 1000000] [--dir /tmp/kam-clv-bench]

Customers are drawn from a BG/NBD process with the CDNOW parameters (r 0.243, alpha 4.41,
a 0.793, b 2.43; seeded), observed for 1-78 weeks; recency and T are whole days expressed in
weeks, as a daily transaction log gives them. Both sides fit the same summary CSV; kam's fit
time is the one it prints (the fit alone), and the whole `kam clv` wall
time (load, validate, fit, predict 1M customers, write) is shown too.
"""
import argparse
import json
import pathlib
import subprocess
import time

import numpy as np
import pandas as pd

ROOT = pathlib.Path(__file__).resolve().parent.parent
KAM = ROOT / "target" / "release" / "kam"


def simulate(n, seed=42, r=0.2426, alpha=4.4135, a=0.7929, b=2.4258):
    rng = np.random.default_rng(seed)
    T_days = rng.integers(7, 78 * 7 + 1, size=n)
    lam = rng.gamma(r, 1.0 / alpha, size=n) / 7.0  # purchases per day
    p = rng.beta(a, b, size=n)
    x = np.zeros(n, dtype=np.int64)
    t_x = np.zeros(n)
    t = np.zeros(n)
    alive = np.ones(n, dtype=bool)
    # vectorised: draw inter-purchase times until everyone is past T or dead
    while alive.any():
        idx = np.flatnonzero(alive)
        gap = rng.exponential(1.0 / np.maximum(lam[idx], 1e-12))
        t[idx] += gap
        ok = t[idx] <= T_days[idx]
        buy = idx[ok]
        x[buy] += 1
        t_x[buy] = t[buy]
        alive[idx[~ok]] = False
        dies = buy[rng.random(buy.size) < p[buy]]
        alive[dies] = False
    # whole days; a repeat purchase is on a later day than the first
    recency_days = np.where(x > 0, np.minimum(np.maximum(np.ceil(t_x), 1), T_days), 0)
    return pd.DataFrame({
        "id": np.arange(1, n + 1),
        "frequency": x,
        "recency": recency_days / 7.0,
        "T": T_days / 7.0,
    })


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--customers", type=int, default=1_000_000)
    ap.add_argument("--dir", default="/tmp/kam-clv-bench")
    a = ap.parse_args()
    d = pathlib.Path(a.dir)
    d.mkdir(parents=True, exist_ok=True)
    csv = d / f"sim_{a.customers}.csv"
    if not csv.exists():
        simulate(a.customers).to_csv(csv, index=False, float_format="%.6f")
    df = pd.read_csv(csv)

    from lifetimes import BetaGeoFitter
    t0 = time.perf_counter()
    bgf = BetaGeoFitter().fit(df["frequency"], df["recency"], df["T"])
    lt = time.perf_counter() - t0
    lp = bgf.params_

    out = d / "kam-out"
    t0 = time.perf_counter()
    p = subprocess.run([str(KAM), "clv", "--summary", str(csv), "--customer-col", "id", "--out", str(out)],
                       check=True, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    m = json.loads((out / "models" / "bgnbd.json").read_text())
    # the summary line holds "fit <seconds> s)"
    line = next(l for l in p.stdout.splitlines() if l.startswith("BG/NBD"))
    fit = float(line.rsplit("fit ", 1)[1].split(" s")[0])
    print(f"customers={a.customers:,}  distinct triples={m.get('triples', '?')}")
    print(f"lifetimes BetaGeoFitter.fit: {lt:.2f} s  r={lp['r']:.4g} alpha={lp['alpha']:.4g} a={lp['a']:.4g} b={lp['b']:.4g}")
    print(f"kam BG/NBD fit:              {fit:.3f} s  r={m['r']:.4g} alpha={m['alpha']:.4g} a={m['a']:.4g} b={m['b']:.4g}  ({lt / fit:.0f}x faster)")
    print(f"kam clv whole command (load, validate, fit, predict, write): {wall:.2f} s")
    same = all(f"{lp[k]:.3g}" == f"{m[k]:.3g}" for k in ["r", "alpha", "a", "b"])
    print("parameters equal to 3 significant figures:", same)


if __name__ == "__main__":
    main()
