"""kam churn (labelled mode) beside scikit-learn's LogisticRegression and LightGBM.

Same tables, same protocol: 5-fold stratified cross-validated ROC AUC. The peers get the
usual preparation (one-hot categoricals, standardised numerics, text-numbers coerced,
identifier columns removed by hand); kam gets the raw file and types it itself.

    ../shared/tools/make-peer-venv .peer-venv
    cargo build --release
    .peer-venv/bin/python benches/compare_churn.py [--big 1000000]

Tables: IBM Telco (../shared/data/telco), and a synthetic bank-attrition table with
non-linear effects (age bands, product count, inactivity x balance) where trees should win,
with RowNumber / CustomerId / Surname columns that only identify rows. --big N also times
kam on N customers x 30 features (Parquet), the issue's performance target.
"""

import argparse
import json
import os
import pathlib
import subprocess
import tempfile
import time

import lightgbm as lgb
import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

ROOT = pathlib.Path(__file__).resolve().parent.parent
KAM = ROOT / "target" / "release" / "kam"
SHARED = ROOT.parent / "shared" / "data"
if os.environ.get("KAM_SHARED_DATA"):
    SHARED = pathlib.Path(os.environ["KAM_SHARED_DATA"])


def peers(df, label, positive, drop):
    y = (df[label].astype(str).str.strip() == positive).astype(int).to_numpy()
    X = df.drop(columns=[label] + drop)
    num = [c for c in X.columns if pd.to_numeric(X[c], errors="coerce").notna().mean() > 0.95]
    for c in num:
        X[c] = pd.to_numeric(X[c], errors="coerce")
    cat = [c for c in X.columns if c not in num]
    pre = ColumnTransformer(
        [
            ("num", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), num),
            ("cat", OneHotEncoder(handle_unknown="ignore"), cat),
        ]
    )
    Xl = X.copy()
    for c in cat:
        Xl[c] = Xl[c].astype("category")
    skf = StratifiedKFold(5, shuffle=True, random_state=42)
    out = {"logistic": [], "lightgbm": []}
    for tr, te in skf.split(X, y):
        lr = make_pipeline(pre, LogisticRegression(max_iter=2000))
        lr.fit(X.iloc[tr], y[tr])
        out["logistic"].append(roc_auc_score(y[te], lr.predict_proba(X.iloc[te])[:, 1]))
        gb = lgb.LGBMClassifier(n_estimators=100, verbose=-1, random_state=42)
        gb.fit(Xl.iloc[tr], y[tr])
        out["lightgbm"].append(roc_auc_score(y[te], gb.predict_proba(Xl.iloc[te])[:, 1]))
    return {k: float(np.mean(v)) for k, v in out.items()}


def kam(path, label, id_col, positive=None):
    with tempfile.TemporaryDirectory() as d:
        args = [str(KAM), "churn", "--quiet", "--customers", str(path), "--label", label, "--out", d]
        if id_col:
            args += ["--id", id_col]
        if positive:
            args += ["--positive", positive]
        t0 = time.perf_counter()
        subprocess.run(args, check=True)
        secs = time.perf_counter() - t0
        r = json.loads((pathlib.Path(d) / "models" / "churn.json").read_text())
    cands = {c["model"]: c["auc"] for c in r["candidates"]}
    return r["auc_mean"], r["model"], cands, secs, [x["column"] for x in r["dropped_columns"]]


def bank(n, seed=7):
    rng = np.random.default_rng(seed)
    age = rng.normal(39, 10, n).clip(18, 92).round()
    geo = rng.choice(["France", "Germany", "Spain"], n, p=[0.5, 0.25, 0.25])
    gender = rng.choice(["Female", "Male"], n)
    products = rng.choice([1, 2, 3, 4], n, p=[0.5, 0.46, 0.03, 0.01])
    active = rng.integers(0, 2, n)
    balance = np.where(rng.random(n) < 0.36, 0.0, rng.normal(120000, 30000, n)).round(2)
    score = rng.normal(650, 96, n).clip(350, 850).round()
    tenure = rng.integers(0, 11, n)
    salary = rng.uniform(100, 200000, n).round(2)
    z = (
        -2.2
        + 0.09 * np.clip(age - 40, -15, 20)          # rises with age, then flattens
        - 0.004 * np.clip(age - 60, 0, None) ** 2    # ... and falls after 60
        + np.where(products >= 3, 3.0, np.where(products == 2, -1.3, 0.0))
        + 0.8 * (geo == "Germany")
        + 0.4 * (gender == "Female")
        - 1.0 * active * (balance > 0)               # active customers with money stay
        + 0.6 * (1 - active) * (age > 45)
        - 0.001 * (score - 650)
    )
    y = rng.random(n) < 1 / (1 + np.exp(-z))
    surnames = [f"Name{int(v)}" for v in rng.integers(0, n // 3, n)]
    return pd.DataFrame(
        {
            "RowNumber": np.arange(1, n + 1),
            "CustomerId": 15_500_000 + rng.permutation(n),
            "Surname": surnames,
            "CreditScore": score,
            "Geography": geo,
            "Gender": gender,
            "Age": age,
            "Tenure": tenure,
            "Balance": balance,
            "NumOfProducts": products,
            "HasCrCard": rng.integers(0, 2, n),
            "IsActiveMember": active,
            "EstimatedSalary": salary,
            "Exited": y.astype(int),
        }
    )


def big(n, path, seed=3):
    rng = np.random.default_rng(seed)
    cols = {"id": [f"C{i:07d}" for i in range(n)]}
    X = rng.normal(size=(n, 25))
    for j in range(25):
        cols[f"x{j}"] = X[:, j].round(5)
    for j in range(5):
        cols[f"c{j}"] = rng.choice([f"L{k}" for k in range(8 + 4 * j)], n)
    z = X[:, 0] - 0.8 * X[:, 1] * X[:, 2] + 0.5 * (X[:, 3] > 1) + 0.3 * (cols["c0"] == "L1") - 1.2
    cols["churned"] = np.where(rng.random(n) < 1 / (1 + np.exp(-z)), "Yes", "No")
    pd.DataFrame(cols).to_parquet(path, index=False)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--big", type=int, default=0)
    a = ap.parse_args()
    rows = []
    telco = SHARED / "telco" / "WA_Fn-UseC_-Telco-Customer-Churn.csv"
    df = pd.read_csv(telco, dtype=str)
    p = peers(df, "Churn", "Yes", ["customerID"])
    k = kam(telco, "Churn", "customerID")
    rows.append(("telco (7,043 x 19)", p, k))
    with tempfile.TemporaryDirectory() as d:
        path = pathlib.Path(d) / "bank.csv"
        b = bank(10_000)
        b.to_csv(path, index=False)
        p = peers(b.astype(str), "Exited", "1", ["RowNumber", "CustomerId", "Surname"])
        k = kam(path, "Exited", None, "1")
        rows.append(("bank-like (10,000 x 13)", p, k))
    print(f"{'table':26} {'sklearn LR':>10} {'LightGBM':>9} {'kam':>7} {'kam model':>10} {'gap to best':>11} {'kam s':>6}  left out by kam")
    for name, p, (auc, model, cands, secs, dropped) in rows:
        best = max(p.values())
        print(f"{name:26} {p['logistic']:10.4f} {p['lightgbm']:9.4f} {auc:7.4f} {model:>10} {auc - best:+11.4f} {secs:6.1f}  {', '.join(dropped)}")
        print(f"{'':26} kam candidates: {cands}")
    if a.big:
        with tempfile.TemporaryDirectory() as d:
            path = pathlib.Path(d) / "big.parquet"
            big(a.big, path)
            auc, model, cands, secs, _ = kam(path, "churned", "id")
            lauc, lsecs = lightgbm_job(path, pathlib.Path(d) / "lgb_scores.csv")
            print(f"{a.big:,} customers x 30 features, whole job (read, cross-validate, fit, score all, write):")
            print(f"  kam churn  {secs:6.1f} s  AUC {auc:.4f} ({model}; {cands})")
            print(f"  LightGBM   {lsecs:6.1f} s  AUC {lauc:.4f}")
            print(f"  ratio kam / LightGBM: {secs / lsecs:.2f} (target <= 1); AUC gap {auc - lauc:+.4f} (target >= -0.01)")


def lightgbm_job(path, out, cv_rows=200_000):
    """The job `kam churn` does, done with LightGBM: read the Parquet file, prepare
    (categoricals as category dtype), 5-fold stratified cross-validated AUC on a stratified
    sample of cv_rows (as kam), fit 100 trees on every row, score every row, write the scores."""
    t0 = time.perf_counter()
    df = pd.read_parquet(path)
    y = (df["churned"] == "Yes").astype(int).to_numpy()
    X = df.drop(columns=["id", "churned"])
    for c in X.columns:
        # text columns (object dtype, or pandas' own string dtype since pandas 3)
        if X[c].dtype == object or pd.api.types.is_string_dtype(X[c]):
            X[c] = X[c].astype("category")
    idx = np.arange(len(y))
    if len(y) > cv_rows:
        from sklearn.model_selection import train_test_split
        idx, _ = train_test_split(idx, train_size=cv_rows, stratify=y, random_state=42)
    aucs = []
    for tr, te in StratifiedKFold(5, shuffle=True, random_state=42).split(idx, y[idx]):
        gb = lgb.LGBMClassifier(n_estimators=100, verbose=-1, random_state=42)
        gb.fit(X.iloc[idx[tr]], y[idx[tr]])
        aucs.append(roc_auc_score(y[idx[te]], gb.predict_proba(X.iloc[idx[te]])[:, 1]))
    gb = lgb.LGBMClassifier(n_estimators=100, verbose=-1, random_state=42)
    gb.fit(X, y)
    p = gb.predict_proba(X)[:, 1]
    pd.DataFrame({"id": df["id"], "churn_probability": p}).to_csv(out, index=False)
    return float(np.mean(aucs)), time.perf_counter() - t0

if __name__ == "__main__":
    main()
