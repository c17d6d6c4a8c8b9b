#!/usr/bin/env python3
"""kam's product affinity rules against mlxtend's (FP-growth + association_rules).

Reads the transactions kam used (the demo by default), builds the same baskets kam builds
(lines with a positive amount and a product; one basket per order id, or per customer-day for
a line without one), runs mlxtend's fpgrowth and association_rules at kam's default
thresholds (support 0.005, confidence 0.1, antecedents of one or two products), and compares
every rule's support, confidence and lift with out/product_affinity.csv. Also times both.

  .peer-venv/bin/pip install mlxtend
  cargo run --release -- run --out /tmp/kam-out
  .peer-venv/bin/python benches/compare_mlxtend.py --tx data/demo/transactions.csv --out /tmp/kam-out

Duplicate rows are rejected by kam before it builds baskets; this script drops exact repeats
the same way, so the two see the same lines.
"""
import argparse
import csv
import time

import pandas as pd
from mlxtend.frequent_patterns import association_rules, fpgrowth


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tx", default="data/demo/transactions.csv")
    ap.add_argument("--out", default="out")
    ap.add_argument("--min-support", type=float, default=0.005)
    ap.add_argument("--min-confidence", type=float, default=0.1)
    a = ap.parse_args()

    start = time.perf_counter()
    tx = pd.read_csv(a.tx, dtype=str).drop_duplicates()
    tx["amount"] = tx["amount"].astype(float)
    tx = tx[(tx["amount"] > 0) & tx["product"].notna()]
    key = tx["order_id"].where(tx["order_id"].notna(), "day:" + tx["date"])
    baskets = tx.assign(key=tx["customer_id"] + "|" + key)[["key", "product"]].drop_duplicates()
    onehot = pd.crosstab(baskets["key"], baskets["product"]).astype(bool)
    items = fpgrowth(onehot, min_support=a.min_support, use_colnames=True, max_len=3)
    rules = association_rules(items, metric="confidence", min_threshold=a.min_confidence)
    rules = rules[rules["consequents"].apply(len) == 1]
    seconds = time.perf_counter() - start

    theirs = {}
    for _, r in rules.iterrows():
        ante = " + ".join(sorted(r["antecedents"]))
        theirs[(ante, next(iter(r["consequents"])))] = (r["support"], r["confidence"], r["lift"])
    ours = {}
    with open(f"{a.out}/product_affinity.csv", newline="") as f:
        for r in csv.DictReader(f):
            ante = " + ".join(sorted(r["antecedent"].split(" + ")))
            ours[(ante, r["consequent"])] = tuple(float(r[c]) for c in ("support", "confidence", "lift"))

    print(f"baskets {len(onehot)}, products {onehot.shape[1]}; mlxtend {len(theirs)} rules in {seconds:.2f} s; kam {len(ours)} rules")
    only_theirs = sorted(set(theirs) - set(ours))
    only_ours = sorted(set(ours) - set(theirs))
    worst = 0.0
    for k in set(ours) & set(theirs):
        for x, y in zip(ours[k], theirs[k]):
            worst = max(worst, abs(x - y) / max(abs(y), 1e-12))
    print(f"rules in both {len(set(ours) & set(theirs))}, only mlxtend {len(only_theirs)}, only kam {len(only_ours)}")
    print(f"largest relative difference of support, confidence or lift: {worst:.2e} (kam writes 6 decimals)")
    for k in only_theirs[:5]:
        print("only mlxtend:", k, theirs[k])
    for k in only_ours[:5]:
        print("only kam:", k, ours[k])


if __name__ == "__main__":
    main()
