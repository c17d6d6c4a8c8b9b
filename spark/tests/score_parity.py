"""Parity of spark/score.py with kam: every scored column of OUT/customers/ against kam's
customers.parquet, customer by customer.

    score_parity.py KAM_DIR SCORE_DIR [--selftest FEATURES_DIR]

kam writes its floats rounded half to even to 6 decimals (src/io/write.rs `rounded`), so a
score equal to kam's unrounded one lies within 5e-7 of the written value. The check is
|score - kam| <= 5e-7 + 1e-9 |kam|: 1e-9 relative for values of 500 and more (CLV, revenue,
expected value), the 6th decimal below that (p_alive, expected_purchases). The null pattern
must match exactly, and `segment` exactly. It also reports how many scores, rounded as kam
rounds, differ from kam's digits at all.

When the scores have churn columns (score.py --orders), churn_probability and revenue_at_risk
are compared as numbers, churn_risk and churn_driver_1..3 as text, and the set of customers
with a churn score must be kam's.

--selftest FEATURES_DIR: the same comparison must fail on scores computed in-process from the
same features with one model parameter perturbed (purchase r and Gamma-Gamma p by 1e-5
relative, one k-means centroid moved; with churn: the log-odds by 1e-5, one feature's mean),
and pass on the unperturbed in-process scores.
Exits 1 on any mismatch.
"""

import copy
import datetime as dt
import json
import math
import os
import sys

import pyarrow.parquet as pq

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from kam_spark import churn, features, models, scores  # noqa: E402

ABS = 5e-7 * (1 + 1e-12)   # half a unit of kam's 6th decimal
REL = 1e-9
COLUMNS = [*scores.VALUE_COLUMNS, "segment"]
CHURN_NUMBERS = ["churn_probability", "revenue_at_risk"]
CHURN_TEXTS = ["churn_risk", "churn_driver_1", "churn_driver_2", "churn_driver_3"]
TEXTS = {"segment", *CHURN_TEXTS}


def by_id(table, cols):
    d = table.select(["customer_id", *cols]).to_pydict()
    return {cid: {c: d[c][i] for c in cols} for i, cid in enumerate(d["customer_id"])}


def compare(kam, got, label, quiet=False, columns=None):
    """kam, got: {customer_id: {column: value}}. Returns the list of failures. Numbers within
    the tolerance; segment, churn_risk and the driver labels exactly."""
    fails = []
    if set(kam) != set(got):
        only_k, only_g = sorted(set(kam) - set(got)), sorted(set(got) - set(kam))
        fails.append(f"customers differ: {len(only_k)} only in kam (e.g. {only_k[:3]}), "
                     f"{len(only_g)} only in the scores (e.g. {only_g[:3]})")
    ids = sorted(set(kam) & set(got))
    for c in columns or COLUMNS:
        worst_abs, worst_rel, off_digits, n, bad = 0.0, 0.0, 0, 0, []
        for cid in ids:
            a, b = got[cid][c], kam[cid][c]
            if (a is None) != (b is None):
                bad.append(f"{cid}: kam {b}, score {a}")
                continue
            if a is None:
                continue
            n += 1
            if c in TEXTS:
                if (int(a) != int(b)) if c == "segment" else (a != b):
                    bad.append(f"{cid}: kam {c} {b!r}, score {a!r}")
                continue
            if math.isnan(a) or math.isnan(b):
                if not (math.isnan(a) and math.isnan(b)):
                    bad.append(f"{cid}: kam {b}, score {a}")
                continue
            err = abs(a - b)
            worst_abs = max(worst_abs, err)
            if abs(b) >= 500:
                worst_rel = max(worst_rel, err / abs(b))
            off_digits += round(a, 6) != b
            if err > ABS + REL * abs(b):
                bad.append(f"{cid}: kam {b!r}, score {a!r} (|diff| {err:.3g})")
        if bad:
            fails.append(f"{c}: {len(bad)} of {len(ids)} customers differ, e.g. " +
                         "; ".join(bad[:3]))
        elif not quiet:
            extra = "" if c in TEXTS else (
                f", max |diff| {worst_abs:.2e}, max rel (|kam| >= 500) {worst_rel:.2e}, "
                f"{off_digits} differ from kam's 6-decimal digits")
            print(f"  {label}: {c}: {n} values equal{extra}")
    return fails


def in_process(features_dir, st):
    """Score the feature table with scores.py directly (no Spark)."""
    rows = pq.read_table(features_dir).to_pylist()
    out = scores.score_rows(st, rows)
    return {r[0]: dict(zip(COLUMNS, r[1:])) for r in out}


def selftest(kam, kam_dir, features_dir):
    st, _ = models.load(os.path.join(kam_dir, "models"))
    ok = True
    if compare(kam, in_process(features_dir, st), "in-process", quiet=True):
        print("FAIL selftest: the unperturbed in-process scores do not match kam")
        ok = False
    perturbed = []
    if st["purchase"] is not None:
        s = copy.deepcopy(st)
        s["purchase"]["r"] *= 1 + 1e-5
        perturbed.append(("purchase r x (1 + 1e-5)", s))
    if st["spend"] is not None:
        s = copy.deepcopy(st)
        p, q, g = s["spend"]
        s["spend"] = (p * (1 + 1e-5), q, g)
        perturbed.append(("Gamma-Gamma p x (1 + 1e-5)", s))
    if st["kmeans"] is not None:
        s = copy.deepcopy(st)
        s["kmeans"]["centroids_scaled"][0] = [v + 0.3 for v in s["kmeans"]["centroids_scaled"][0]]
        perturbed.append(("centroid 1 moved by 0.3 sd per feature", s))
    for what, s in perturbed:
        ok = caught(what, compare(kam, in_process(features_dir, s), what, quiet=True)) and ok
    return ok


def caught(what, fails):
    """A perturbed model's comparison must fail: True (and say so) when it did."""
    if fails:
        print(f"  selftest: {what}: caught ({fails[0][:100]}...)")
        return True
    print(f"FAIL selftest: {what}: not caught")
    return False


def churn_in_process(kam_dir, features_dir, model):
    """Churn scores of the customers active at the features' as_of, computed with churn.py
    directly (no Spark) from the feature job's orders beside features/ and kam's
    customers.parquet as the attribute table: {customer_id: {column: value}}."""
    job = os.path.dirname(os.path.abspath(features_dir.rstrip("/")))
    with open(os.path.join(job, "manifest.json"), encoding="utf-8") as f:
        as_of = dt.date.fromisoformat(json.load(f)["as_of"])
    o = pq.read_table(os.path.join(job, "orders")).to_pydict()
    epoch = dt.date(1970, 1, 1)
    rows = {}
    orders = o.get("order_id", [None] * len(o["customer_id"]))
    for k, cid in enumerate(o["customer_id"]):
        rows.setdefault(cid, []).append(((o["date"][k] - epoch).days, o["amount"][k],
                                         orders[k], o["lines"][k], o["largest_line"][k]))
    attrs = {r["customer_id"]: r for r in
             pq.read_table(os.path.join(kam_dir, "customers.parquet")).to_pylist()}
    c = (as_of - epoch).days
    m12, m24 = ((features.months_before(as_of, n) - epoch).days for n in (12, 24))
    out = {}
    for cid, rs in rows.items():
        f = churn.behaviour(rs, c, m12, m24, model["scoring"]["active_days"])
        if f is not None:
            row = {**attrs.get(cid, {}), **dict(zip(churn.NUMERIC, f))}
            out[cid] = dict(zip(["churn_probability", *CHURN_TEXTS], churn.score(model, row)))
    return out


def churn_selftest(kam_dir, features_dir):
    """The churn columns from churn.py in process must match kam, and fail to when the model
    moves: the intercept / base score by 1e-5, one encoded value's mean by 1e-3 sd."""
    with open(os.path.join(kam_dir, "models", "churn.json"), encoding="utf-8") as f:
        model = churn.load(json.load(f))
    cols = ["churn_probability", *CHURN_TEXTS]
    kam = by_id(pq.read_table(os.path.join(kam_dir, "customers.parquet")), cols)
    kam = {k: v for k, v in kam.items() if v["churn_probability"] is not None}
    ok = True
    if compare(kam, churn_in_process(kam_dir, features_dir, model), "in-process", True, cols):
        print("FAIL selftest: the unperturbed in-process churn scores do not match kam")
        ok = False
    m = copy.deepcopy(model)
    data = m["scoring"]["model"]
    data["intercept" if data["kind"] == "logistic" else "base_score"] += 1e-5
    n = copy.deepcopy(model)
    first = next(sp for sp in n["specs"] if sp["kind"] == "numeric")
    first["mean"] += 1e-3 * first["std"]
    for what, mm in [("churn log-odds + 1e-5", m), (f"{first['name']} mean + 1e-3 sd", n)]:
        fails = compare(kam, churn_in_process(kam_dir, features_dir, mm), what, True, cols)
        ok = caught(what, fails) and ok
    return ok


def main(argv):
    if len(argv) not in (2, 4) or (len(argv) == 4 and argv[2] != "--selftest"):
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    kam_dir, score_dir = argv[0], argv[1]
    scored = pq.read_table(os.path.join(score_dir, "customers"))
    churned = "churn_probability" in scored.column_names
    cols = COLUMNS + (CHURN_NUMBERS + CHURN_TEXTS if churned else [])
    kam = by_id(pq.read_table(os.path.join(kam_dir, "customers.parquet")), cols)
    got = by_id(scored, cols)
    label = os.path.basename(score_dir.rstrip("/"))
    fails = compare(kam, got, label, columns=cols)
    for f in fails:
        print(f"FAIL {label}: {f}")
    ok = not fails
    if len(argv) == 4:
        ok = selftest(kam, kam_dir, argv[3]) and ok
        if churned:
            ok = churn_selftest(kam_dir, argv[3]) and ok
    print(f"score parity {label}: {'passed' if ok else 'FAILED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
