#!/usr/bin/env python3
"""Side by side: kam's BG/NBD parameter and prediction intervals against PyMC-Marketing's
Bayesian fit (pymc_marketing.clv.BetaGeoModel) on the CDNOW sample (2,357 customers, weeks).

Usage (from the repo root, after `cargo build --release`):
    ../shared/tools/make-peer-venv .peer-venv && .peer-venv/bin/pip install pymc-marketing
    .peer-venv/bin/python benches/compare_pymc.py [--draws 1000] [--tune 1000] [--chains 2]
        [--dir /tmp/kam-pymc-bench] [--csv .../cdnow_customers_summary_with_transactions.csv]

kam:  `kam clv --summary` twice, horizon 39 weeks, with --intervals laplace and with
      --intervals bootstrap --bootstrap-resamples 1000; each whole command is timed.
      Its intervals are 80% (10%-90%) intervals from the parameters' covariance.
PyMC: BetaGeoModel with its default priors, fitted by NUTS (seeded) and by MAP; the NUTS
      time includes building and compiling the model. Posterior mean and sd of r, alpha, a, b
      are set against kam's MLE and standard errors, and the 10%-90% posterior quantiles of
      P(alive) and of expected purchases over 39 weeks against kam's _low/_high columns, for a
      few customers; the total's forecast (kam's models/value_forecast.json) against PyMC's
      posterior predictive of the total, simulated from the NUTS draws.
Published MLE (Fader, Hardie & Lee 2005): r 0.2426, alpha 4.4135, a 0.7929, b 2.4258.
"""
import argparse
import inspect
import json
import logging
import pathlib
import subprocess
import time
import warnings

import numpy as np
import pandas as pd

ROOT = pathlib.Path(__file__).resolve().parent.parent
KAM = ROOT / "target" / "release" / "kam"
if not KAM.exists():
    KAM = ROOT / "target" / "debug" / "kam"
CSV = ROOT.parent / "shared" / "data" / "cdnow" / "cdnow_customers_summary_with_transactions.csv"
PARAMS = ["r", "alpha", "a", "b"]
HORIZON = 39


def run_kam(csv, out, intervals):
    cmd = [str(KAM), "clv", "--summary", str(csv), "--customer-col", "ID",
           "--frequency-col", "x", "--recency-col", "t_x", "--monetary-col", "zbar",
           "--horizon", str(HORIZON), "--intervals", intervals, "--out", str(out)]
    if intervals == "bootstrap":
        cmd[-2:-2] = ["--bootstrap-resamples", "1000"]
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    model = json.loads((out / "models" / "bgnbd.json").read_text())
    scores = pd.read_csv(out / "clv.csv")
    forecast = json.loads((out / "models" / "value_forecast.json").read_text())
    return wall, model, scores, forecast


def call_first(obj, names, variants):
    """Call the first method in `names` that exists with the first argument set it accepts."""
    for name in names:
        fn = getattr(obj, name, None)
        if fn is None:
            continue
        for kw in variants:
            try:
                inspect.signature(fn).bind(**kw)
            except TypeError:
                continue
            return fn(**kw)
    raise AttributeError(f"none of {names} callable on {type(obj).__name__}")


def fit_pymc(df, method, **kw):
    from pymc_marketing.clv import BetaGeoModel
    t0 = time.perf_counter()
    fit_params = inspect.signature(BetaGeoModel.fit).parameters
    if "data" in fit_params:  # 0.1x API: BetaGeoModel().fit(data, method=...)
        model = BetaGeoModel()
        key = "method" if "method" in fit_params else "fit_method"
        model.fit(data=df, **{key: method}, **kw)
    else:  # older API: data in the constructor, fit(fit_method=...)
        model = BetaGeoModel(data=df)
        model.fit(fit_method=method, **kw)
    return model, time.perf_counter() - t0


def q10_90(da, dims=("chain", "draw")):
    q = da.quantile([0.1, 0.9], dim=list(dims))
    return q.sel(quantile=0.1).values, q.sel(quantile=0.9).values


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--draws", type=int, default=1000)
    ap.add_argument("--tune", type=int, default=1000)
    ap.add_argument("--chains", type=int, default=2)
    ap.add_argument("--cores", type=int, default=2)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--rows", default="1,2,3,4,5,6,11", help="1-based rows of the per-customer table")
    ap.add_argument("--csv", default=str(CSV))
    ap.add_argument("--dir", default="/tmp/kam-pymc-bench")
    o = ap.parse_args()
    d = pathlib.Path(o.dir)
    d.mkdir(parents=True, exist_ok=True)
    warnings.filterwarnings("ignore")
    logging.getLogger("pymc").setLevel(logging.WARNING)  # keep sampler warnings, drop progress

    # kam, both interval methods
    kl_wall, kl, kl_sc, kl_fc = run_kam(o.csv, d / "kam-laplace", "laplace")
    kb_wall, kb, kb_sc, kb_fc = run_kam(o.csv, d / "kam-bootstrap", "bootstrap")

    # PyMC-Marketing
    import pymc
    import pymc_marketing
    raw = pd.read_csv(o.csv)
    df = pd.DataFrame({"customer_id": raw["ID"], "frequency": raw["x"].astype(float),
                       "recency": raw["t_x"].astype(float), "T": raw["T"].astype(float)})
    map_model, map_time = fit_pymc(df, "map", progressbar=False)
    mp = {k: float(map_model.fit_result[k].values.ravel()[0]) for k in PARAMS}
    model, nuts_time = fit_pymc(df, "mcmc", draws=o.draws, tune=o.tune, chains=o.chains,
                                cores=o.cores, random_seed=o.seed, progressbar=False)
    post = model.fit_result
    idata = model.idata
    sampling = idata.posterior.attrs.get("sampling_time", float("nan"))
    divergences = int(idata.sample_stats["diverging"].sum()) if "sample_stats" in idata else -1
    import arviz as az
    summ = az.summary(idata, var_names=PARAMS, kind="diagnostics")

    print(f"data: {o.csv}  customers={len(df):,}  horizon={HORIZON} weeks  intervals 10%-90%")
    print(f"pymc-marketing {pymc_marketing.__version__}, pymc {pymc.__version__}; default priors; "
          f"NUTS {o.chains} chains x {o.draws} draws after {o.tune} tune, cores={o.cores}, "
          f"random_seed={o.seed}")
    print()
    print("times (whole command / fit call, seconds)")
    print(f"  kam clv --intervals laplace                         {kl_wall:8.2f}")
    print(f"  kam clv --intervals bootstrap (1000 resamples)       {kb_wall:8.2f}")
    print(f"  PyMC-Marketing MAP fit (fit method map)             {map_time:8.2f}")
    print(f"  PyMC-Marketing NUTS fit (build+compile+sample)      {nuts_time:8.2f}"
          f"  (sampling alone {sampling:.2f})")
    print("  (PyMC times include building and compiling the model; pytensor caches compiled C"
          " code in ~/.pytensor, so a first run on a machine is slower)")
    print(f"  NUTS diagnostics: divergences={divergences}, max r_hat={summ['r_hat'].max():.3f}, "
          f"min ess_bulk={summ['ess_bulk'].min():.0f}, min ess_tail={summ['ess_tail'].min():.0f}")
    print()
    print("parameters: kam MLE (se Laplace | se bootstrap) vs PyMC posterior mean (sd), MAP")
    print(f"  {'':5} {'kam':>8} {'se_lap':>8} {'se_boot':>8} {'pymc_mean':>10} {'pymc_sd':>8}"
          f" {'pymc_MAP':>9} {'se_lap/sd':>9} {'se_boot/sd':>10}")
    for k in PARAMS:
        mean, sd = float(post[k].mean()), float(post[k].std())
        sl, sb = kl["standard_errors"][k], kb["standard_errors"][k]
        print(f"  {k:5} {kl[k]:8.4f} {sl:8.4f} {sb:8.4f} {mean:10.4f} {sd:8.4f} {mp[k]:9.4f}"
              f" {sl / sd:9.2f} {sb / sd:10.2f}")
    print()

    # per-customer posterior quantiles
    rows = [int(s) - 1 for s in o.rows.split(",")]
    sub = df.iloc[rows].reset_index(drop=True)
    ep = call_first(model, ["expected_purchases", "expected_num_purchases"],
                    [dict(data=sub, future_t=HORIZON), dict(future_t=HORIZON), dict(t=HORIZON)])
    pa = call_first(model, ["expected_probability_alive", "probability_alive"],
                    [dict(data=sub), {}])
    ep = ep.sel(customer_id=sub["customer_id"].values)
    pa = pa.sel(customer_id=sub["customer_id"].values)
    ep_lo, ep_hi = q10_90(ep)
    pa_lo, pa_hi = q10_90(pa)
    ep_mean, pa_mean = ep.mean(("chain", "draw")).values, pa.mean(("chain", "draw")).values

    def table(title, col, lo, hi, mean, fmt):
        print(f"{title}: kam point [Laplace] [bootstrap] vs PyMC mean [10%, 90%]; width ratios kam/PyMC")
        print(f"  {'row':>3} {'id':>4} {'x':>2} {'kam':>7} {'laplace':>17} {'bootstrap':>17}"
              f" {'pymc_mean':>9} {'pymc 10-90%':>17} {'lap/pm':>6} {'boot/pm':>7}")
        for i, r in enumerate(rows):
            cid = sub["customer_id"][i]
            L = kl_sc.loc[kl_sc["customer_id"] == cid].iloc[0]
            B = kb_sc.loc[kb_sc["customer_id"] == cid].iloc[0]
            w = hi[i] - lo[i]
            ratio = lambda X: (f"{(X[col + '_high'] - X[col + '_low']) / w:.2f}" if w > 1e-9 else "-")
            print(f"  {r + 1:3d} {cid:4d} {int(sub['frequency'][i]):2d} {L[col]:7{fmt}}"
                  f" [{L[col + '_low']:7{fmt}},{L[col + '_high']:7{fmt}}]"
                  f" [{B[col + '_low']:7{fmt}},{B[col + '_high']:7{fmt}}] {mean[i]:9{fmt}}"
                  f" [{lo[i]:7{fmt}},{hi[i]:7{fmt}}]"
                  f" {ratio(L):>6} {ratio(B):>7}")
        print()

    table(f"expected purchases over {HORIZON} weeks", "expected_purchases", ep_lo, ep_hi, ep_mean, ".4f")
    table("P(alive) (BG/NBD: 1 when x = 0, so no width)", "p_alive", pa_lo, pa_hi, pa_mean, ".4f")

    # population total. kam's value_forecast.json repeat_purchases is a forecast of the actual
    # count (parameter uncertainty + each customer's own randomness), so PyMC's side is its
    # posterior predictive, simulated per draw; the posterior of the summed expectation
    # (parameter uncertainty alone) is shown too.
    ex = call_first(model, ["expected_purchases", "expected_num_purchases"],
                    [dict(data=df, future_t=HORIZON), dict(future_t=HORIZON), dict(t=HORIZON)])
    pal = call_first(model, ["expected_probability_alive", "probability_alive"],
                     [dict(data=df), {}])
    e_lo, e_hi = q10_90(ex.sum("customer_id"))
    pal = pal.sel(customer_id=df["customer_id"].values).stack(s=("chain", "draw")).transpose("s", ...)
    sims = simulate_totals(post, pal.values, df, o.seed)
    s_lo, s_hi = np.quantile(sims, [0.1, 0.9])
    sw = s_hi - s_lo
    print(f"total repeat purchases over {HORIZON} weeks, all {len(df):,} customers: mean [10%, 90%]")
    for name, fc in [("kam laplace", kl_fc), ("kam bootstrap", kb_fc)]:
        rp = fc["repeat_purchases"]
        print(f"  {name + ' forecast':29} {rp['expected']:8.1f} [{rp['low']:7.1f}, {rp['high']:7.1f}]"
              f"  width ratio kam/PyMC predictive {(rp['high'] - rp['low']) / sw:.2f}")
    print(f"  {'PyMC posterior predictive':29} {sims.mean():8.1f} [{s_lo:7.1f}, {s_hi:7.1f}]"
          f"  ({sims.size} draws, one simulated future each)")
    print(f"  {'PyMC summed expectation':29} {float(ex.sum('customer_id').mean()):8.1f}"
          f" [{float(e_lo):7.1f}, {float(e_hi):7.1f}]  (parameter uncertainty alone)")


def simulate_totals(post, p_alive, df, seed):
    """One simulated future (HORIZON weeks) of every customer per posterior draw: alive with
    P(alive); if alive, lambda ~ Gamma(r + x, alpha + T), p ~ Beta(a, b + x) (the posterior
    given the history), then purchases at rate lambda, dropping out after each with p."""
    rng = np.random.default_rng(seed)
    draw = lambda k: post[k].stack(s=("chain", "draw")).values[:, None]
    r, alpha, a, b = (draw(k) for k in PARAMS)
    x, T = df["frequency"].values[None, :], df["T"].values[None, :]
    S, N = p_alive.shape
    lam = rng.gamma(r + x, 1.0 / (alpha + T)).ravel()
    p = rng.beta(a, b + x).ravel()
    count = np.zeros(S * N, dtype=np.int64)
    t = np.zeros(S * N)
    idx = np.flatnonzero(rng.random(S * N) < p_alive.ravel())
    while idx.size:
        t[idx] += rng.exponential(1.0 / lam[idx])
        idx = idx[t[idx] <= HORIZON]
        count[idx] += 1
        idx = idx[rng.random(idx.size) >= p[idx]]
    return count.reshape(S, N).sum(axis=1)

if __name__ == "__main__":
    main()
