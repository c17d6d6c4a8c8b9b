#!/usr/bin/env python3
"""Side-by-side, whole jobs: kam clv --summary against lifetimes doing the same job.

Usage (from the repo root, after `cargo build --release`):
    ../shared/tools/make-peer-venv .peer-venv
    .peer-venv/bin/python benches/compare_lifetimes.py [--customers 1000000] [--dir /tmp/kam-clv-bench]

Customers are drawn from a BG/NBD process with the CDNOW parameters (r 0.243, alpha 4.41,
a 0.793, b 2.43; seeded), observed for 1-78 weeks; recency and T are whole days expressed in
weeks, as a daily transaction log gives them. Both sides do the whole job on the same summary
CSV, timed from start to finish:
  lifetimes: pandas.read_csv, BetaGeoFitter.fit, conditional_probability_alive,
             conditional_expected_number_of_purchases_up_to_time (52 weeks), DataFrame.to_csv;
  kam:       the `kam clv --summary --intervals none` command (read, validate, fit,
             p_alive, expected purchases over 52 weeks, CLV, write clv.csv and the model
             files); lifetimes computes no intervals, so neither does kam here. The same
             command with kam's default Laplace intervals (every customer's bands and the
             company forecast) is timed as well.
The fit alone is shown for each side as well (kam prints its own).
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

    from lifetimes import BetaGeoFitter
    lt_out = d / "lifetimes_scores.csv"
    t0 = time.perf_counter()
    df = pd.read_csv(csv)
    t1 = time.perf_counter()
    bgf = BetaGeoFitter().fit(df["frequency"], df["recency"], df["T"])
    t2 = time.perf_counter()
    df["p_alive"] = bgf.conditional_probability_alive(df["frequency"], df["recency"], df["T"])
    df["expected_purchases"] = bgf.conditional_expected_number_of_purchases_up_to_time(
        52, df["frequency"], df["recency"], df["T"])
    df.to_csv(lt_out, index=False)
    t3 = time.perf_counter()
    lt_fit, lt_whole = t2 - t1, t3 - t0
    lp = bgf.params_

    def kam(intervals, out):
        t0 = time.perf_counter()
        p = subprocess.run([str(KAM), "clv", "--summary", str(csv), "--customer-col", "id",
                            "--horizon", "52", "--intervals", intervals, "--out", str(out)],
                           check=True, capture_output=True, text=True)
        return p, time.perf_counter() - t0

    out = d / "kam-out"
    p, wall = kam("none", out)
    _, wall_bands = kam("laplace", d / "kam-out-laplace")
    m = json.loads((out / "models" / "bgnbd.json").read_text())
    # the summary line holds "fit <seconds> s)"
    line = next(l for l in p.stdout.splitlines() if l.startswith("BG/NBD"))
    fit = float(line.rsplit("fit ", 1)[1].split(" s")[0])
    kam_scores = pd.read_csv(out / "clv.csv")
    print(f"customers={a.customers:,}  distinct triples={m.get('triples', '?')}")
    print(f"lifetimes whole job (read, fit, p_alive, expected purchases, write): {lt_whole:.2f} s"
          f"  (fit {lt_fit:.2f} s)  r={lp['r']:.4g} alpha={lp['alpha']:.4g} a={lp['a']:.4g} b={lp['b']:.4g}")
    print(f"kam clv --summary whole command:                                    {wall:.2f} s"
          f"  (fit {fit:.3f} s)  r={m['r']:.4g} alpha={m['alpha']:.4g} a={m['a']:.4g} b={m['b']:.4g}")
    print(f"ratio, whole job: kam {lt_whole / wall:.1f}x faster  (fit alone: {lt_fit / fit:.0f}x)")
    print(f"kam with its Laplace intervals (--intervals laplace):               {wall_bands:.2f} s"
          f"  ({lt_whole / wall_bands:.1f}x faster than lifetimes without any)")
    same = all(f"{lp[k]:.3g}" == f"{m[k]:.3g}" for k in ["r", "alpha", "a", "b"])
    print("parameters equal to 3 significant figures:", same)
    # kam writes 6 decimals: compare absolutely
    gap = (kam_scores["p_alive"] - df["p_alive"]).abs().max()
    gap_e = (kam_scores["expected_purchases"] - df["expected_purchases"]).abs().max()
    print(f"largest difference: p_alive {gap:.1e}, expected purchases {gap_e:.1e}")


if __name__ == "__main__":
    main()
