"""kam's fitted churn model applied to one customer, in plain Python (no Spark here, so the
unit tests run without it). Each function names the Rust it mirrors, with the same arithmetic
in the same order, so a probability agrees with kam's to the last bits:

- `behaviour`: src/churn/history.rs `features` (the 11 behaviour features at a cutoff from a
  customer's order rows, fixed-point sums, `None` when not active);
- `encode`: src/churn/design.rs `Encoder::transform` (median for blanks, standardised,
  `_missing` indicators, categorical slots as codes or 0/1 columns);
- `log_odds`, `contributions`: src/churn/models.rs `Fitted::predict` and `contributions`
  (the model data of models/churn.json `scoring`, src/churn/export.rs);
- `drivers`, `risk_label`: src/churn/report.rs.
"""

import math

from .config import Refused

NUMERIC = ["recency_days", "frequency", "monetary_value", "tenure_days", "largest_order",
           "revenue_last_12m", "trend_12m", "trend_3m", "order_size_change", "returns_share",
           "purchases_90d"]  # src/churn/cutoff.rs NUMERIC
SCALE = 1e4  # src/frame.rs FIXED_SCALE
TOP_DRIVERS = 3


def load(churn_json):
    """The parts of models/churn.json scoring needs: specs, scoring, risk_cuts. Refused when
    the file predates `scoring` or is the labelled mode (no behaviour features to compute)."""
    s = churn_json.get("scoring")
    if s is None:
        raise Refused("models/churn.json has no `scoring` (written by an older kam): "
                      "rerun kam to record the fitted churn model")
    if churn_json.get("mode") != "behavioural" or s.get("active_days") is None:
        raise Refused("models/churn.json is a labelled churn model (kam churn); score.py "
                      "computes the behavioural features of `kam run` only")
    specs = churn_json["features"]
    # each categorical's kept level -> its slot, looked up once per customer
    slots = [{lv: k for k, lv in enumerate(sp["levels"])} if sp["kind"] != "numeric" else None
             for sp in specs]
    return {"specs": specs, "slots": slots, "scoring": s,
            "risk_cuts": [float(v) for v in churn_json["risk_cuts"]]}


def attribute_names(model):
    """The raw features that are not behaviour features: customer attributes and the
    point-in-time extras (satisfaction, product_count), read from a per-customer table."""
    return [sp["name"] for sp in model["specs"] if sp["name"] not in NUMERIC]


def fx(x):
    """history.rs fx: round(x * 1e4) half away from zero (Rust f64::round), as an int."""
    y = x * SCALE
    a = abs(y)
    r = math.floor(a)
    if a - r >= 0.5:
        r += 1
    return int(-r if y < 0 else r)


def unfx(n):
    """history.rs unfx: n * (1 / 1e4), as Polars divides by a literal."""
    return float(n) * (1.0 / SCALE)


def _sym(a, b):
    if a is not None and b is not None and a + b > 0.0:
        return (a - b) / (a + b)
    return 0.0


def _largest(past, largest_row):
    totals = {}
    for day, amount, order, lines, largest in past:
        if order is not None:
            totals[order] = totals.get(order, 0) + fx(amount)
    if not totals:
        return largest_row
    best = unfx(max(totals.values()))
    return best if largest_row is None else max(best, largest_row)


def behaviour(rows, c, m12, m24, active_days):
    """The NUMERIC features at epoch day c of one customer's rows (day, amount, order,
    lines, largest; largest None: the row's own amount), or None when not active."""
    past = sorted((r for r in rows if r[0] <= c), key=lambda r: r[0])
    first = last = prev = largest_row = None
    days = purchases = first_day = r12 = p12 = r3 = p3 = a6 = n_a6 = b6 = n_b6 = 0
    bought = returned = n90 = 0
    for day, amount, order, lines, largest in past:
        v = fx(amount)
        if order is None:
            lg = amount if largest is None or math.isnan(largest) else largest
            largest_row = lg if largest_row is None else max(largest_row, lg)
        r12 += v if m12 < day <= c else 0
        p12 += v if m24 < day <= m12 else 0
        if amount < 0.0:
            returned += v if c - 365 < day <= c else 0
            continue
        first = day if first is None else first
        last = day
        if prev != day:
            days, prev = days + 1, day
        purchases += v
        first_day += v if first == day else 0
        if c - 91 < day <= c:
            r3, n90 = r3 + v, n90 + lines
        p3 += v if c - 182 < day <= c - 91 else 0
        if c - 182 < day <= c:
            a6, n_a6 = a6 + v, n_a6 + lines
        if c - 365 < day <= c - 182:
            b6, n_b6 = b6 + v, n_b6 + lines
        bought += v if c - 365 < day <= c else 0
    if first is None or last <= c - active_days:
        return None
    frequency = days - 1
    monetary = unfx(purchases - first_day) / frequency if frequency > 0 else 0.0
    r12f, p12f = unfx(r12), unfx(p12)
    mean_a = unfx(a6) / n_a6 if n_a6 > 0 else None
    mean_b = unfx(b6) / n_b6 if n_b6 > 0 else None
    bought_f = unfx(bought)
    return [float(c - last), float(frequency), monetary, float(c - first),
            _largest(past, largest_row), r12f, (r12f - p12f) / p12f if p12f > 0.0 else None,
            _sym(unfx(r3), unfx(p3)), _sym(mean_a, mean_b),
            -unfx(returned) / bought_f if bought_f > 0.0 else 0.0, float(n90)]


def _numeric(v):
    """raw.rs numeric: a number, nulls and NaN/inf missing."""
    if v is None:
        return None
    v = float(v)
    return v if math.isfinite(v) else None


def _text(v):
    """raw.rs categorical: cast to text, trimmed; blank is missing."""
    if v is None:
        return None
    t = str(v).strip()
    return t or None


def raw_values(model, row):
    """The raw features of one customer in spec order: `row` maps a feature name to its
    value (the behaviour features and the attribute table's columns)."""
    return [_numeric(row.get(sp["name"])) if sp["kind"] == "numeric"
            else _text(row.get(sp["name"])) for sp in model["specs"]]


def encode(model, raw):
    """design.rs Encoder::transform for one row: the encoded columns in matrix order."""
    x = []
    codes = model["scoring"]["codes"]
    for sp, slots, v in zip(model["specs"], model["slots"], raw):
        if sp["kind"] == "numeric":
            x.append(((sp["median"] if v is None else v) - sp["mean"]) / sp["std"])
            if sp["missing_indicator"]:
                x.append(1.0 if v is None else 0.0)
            continue
        kept, other, missing = len(sp["levels"]), sp["other"], sp["missing"]
        width = kept + int(other) + int(missing)
        if v is None:
            slot = kept + int(other) if missing else None
        else:
            slot = slots.get(v, kept if other else None)
        if codes:
            x.append(float(width if slot is None else slot))
        else:
            x.extend(1.0 if k == slot else 0.0 for k in range(width))
    return x


def _walk(tree, x):
    """The node path of x through one tree (models.rs via forust Node::get_child_idx)."""
    i, path = 0, [0]
    while not tree["leaf"][i]:
        v = x[tree["feature"][i]]
        if math.isnan(v):
            i = tree["missing"][i]
        elif v < tree["split"][i]:
            i = tree["left"][i]
        else:
            i = tree["right"][i]
        path.append(i)
    return path


def evaluate(model, x):
    """models.rs Fitted::predict before the sigmoid and Fitted::contributions, for one row:
    (log-odds, log-odds per encoded column); each tree walked once for both."""
    s = model["scoring"]
    m = s["model"]
    if m["kind"] == "logistic":
        z = m["intercept"]
        for w, v in zip(m["weights"], x):
            z += w * v
        return z, [w * (v - mu) for w, v, mu in zip(m["weights"], x, s["column_means"])]
    z, c = m["base_score"], [0.0] * len(x)
    for t in m["trees"]:
        path, avg = _walk(t, x), t["average"]
        z += t["weight"][path[-1]]
        for node, child in zip(path, path[1:]):
            c[t["feature"][node]] += avg[child] - avg[node]
    return z, c


def log_odds(model, x):
    return evaluate(model, x)[0]


def contributions(model, x):
    return evaluate(model, x)[1]


def probability(z):
    """models.rs sigmoid."""
    return 1.0 / (1.0 + math.exp(-z))


def display(sp, v):
    """raw.rs Raw::display: a whole number without decimals, else 3; blank."""
    if v is None:
        return "blank"
    if sp["kind"] != "numeric":
        return v
    if v == math.floor(v) and abs(v) < 1e15:
        return format(v, ".0f")
    return format(v, ".3f")


def drivers(model, raw, contrib, top=TOP_DRIVERS):
    """report.rs drivers and Driver::label: the raw features pushing the score up most."""
    specs, s = model["specs"], model["scoring"]
    per = [0.0] * len(specs)
    for j, c in enumerate(contrib):
        per[s["feature_of"][j]] += c
    order = sorted((f for f in range(len(specs)) if per[f] > 1e-9), key=lambda f: (-per[f], f))
    return [f"{specs[f]['name']} = {display(specs[f], raw[f])} ({per[f]:+.2f})"
            for f in order[:top]]


def risk_label(p, cuts):
    """report.rs risk_label."""
    return "high" if p >= cuts[1] else "medium" if p >= cuts[0] else "low"


def score(model, row):
    """(churn_probability, churn_risk, driver 1, 2, 3) of one active customer."""
    raw = raw_values(model, row)
    z, contrib = evaluate(model, encode(model, raw))
    p = probability(z)
    d = drivers(model, raw, contrib)
    d += [None] * (TOP_DRIVERS - len(d))
    return (p, risk_label(p, model["risk_cuts"]), *d)
