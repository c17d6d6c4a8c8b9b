"""Per-customer scores from kam's fitted models: the value columns of src/value/stage.rs
`score_columns` and the k-means `segment` of src/segment/ (placement with the scaling recorded
in models/kmeans.json). Pure functions of a batch of feature rows, run inside mapInArrow on
the executors and directly by the unit tests.

Settings (a dict, models.py builds it): "purchase" (purchase.py's model dict, or None when
kam's fit did not converge: kam then writes no value scores), "spend" ((p, q, gamma) or None
when Gamma-Gamma did not converge), "horizons" (model units: the configured horizon, a year,
then each CLV month's end), "discounts", "margin", "kmeans" (or None).
"""

import math

from . import purchase

NAN = float("nan")

VALUE_COLUMNS = ["p_alive", "expected_purchases", "expected_avg_value", "clv",
                 "expected_revenue_12m", "revenue_if_stays"]
# the per-customer feature columns scoring reads (kam's names, src/schema/columns.rs)
INPUTS = ["customer_id", "frequency", "recency", "T", "monetary_value", "monetary_total",
          "returns_total"]


def _f(v):
    return NAN if v is None else float(v)


def purchase_value(spend, x, monetary, observed):
    """(value or None, observed?). Mirrors src/value/stage.rs `purchase_value` with
    src/value/gamma_gamma.rs `GammaGamma::conditional_expected_average_profit`."""
    if spend is not None:
        p, q, gamma = spend
        den = p * x + q - 1.0
        if not (math.isnan(den) or den <= 0.0):
            v = p * (gamma + x * monetary) / den
            if math.isfinite(v):
                return v, False
    if math.isfinite(observed) and observed > 0.0:
        return observed, True
    return None, False


def clv_of(upto, discounts, value, margin):
    """Mirrors src/value/clv.rs `clv_of`."""
    total, before = 0.0, 0.0
    for u, d in zip(upto, discounts):
        total += value * margin * (u - before) / d
        before = u
    return total


def value_row(st, if_alive, frequency, recency, t, monetary_value, monetary_total,
              returns_total):
    """The six value columns of one customer (None where kam writes null). Mirrors
    src/value/stage.rs `score_columns` (and `Summary::from_customers`, `observed_average` for
    the inputs); `if_alive` is a purchase.IfAlive shared by the batch."""
    mo = st["purchase"]
    if frequency is None or mo is None:
        return [None] * 6
    x, tx, tt = float(frequency), _f(recency), _f(t)
    monetary = 0.0 if monetary_value is None else float(monetary_value)
    # observed_average: (monetary_total + returns_total) / (frequency + 1); NaN without a total
    if monetary_total is None:
        observed = NAN
    else:
        observed = (float(monetary_total) + (0.0 if returns_total is None
                                             else float(returns_total))) / (x + 1.0)
    p = purchase.p_alive(mo, x, tx, tt)
    alive = if_alive.rows(x, tt, st["horizons"])
    value, _seen = purchase_value(st["spend"], x, monetary, observed)
    out = [p, p * alive[0], value, None, None, None]
    if value is not None:
        upto = [p * a for a in alive[2:]]
        out[3] = clv_of(upto, st["discounts"], value, st["margin"])
        out[4] = p * alive[1] * value
        stays = alive[1] * value
        out[5] = stays if math.isfinite(stays) else None
    return out


def _slog(v):
    """Mirrors src/segment/matrix.rs `slog`: sign(v) ln(1 + |v|) (f64::signum: 0 -> +1)."""
    return math.copysign(1.0, v) * math.log1p(abs(v))


def segment_of(km, values):
    """Segment number (1..k) of a customer with a purchase, or None without one. Mirrors
    src/segment/matrix.rs `prepare_column` (median imputation, signed log1p, standardising)
    and src/segment/lloyd.rs assignment to the nearest centroid (the first on a tie), in the
    centroid order of segment numbers (src/segment/profiled.rs `centroids`)."""
    z = []
    for f in km["features"]:
        sc = km["scaling"][f]
        v = values.get(f)
        v = NAN if v is None else float(v)
        if not math.isfinite(v):
            v = sc["median"]
        if km["transform"] == "log1p-standardize":
            v = _slog(v)
        if km["transform"] != "none":
            v = (v - sc["mean"]) / sc["sd"]
        z.append(v)
    best, best_d = None, math.inf
    for k, c in enumerate(km["centroids_scaled"]):
        d = 0.0
        for a, b in zip(c, z):
            d += (a - b) * (a - b)
        if d < best_d:
            best, best_d = k + 1, d
    return best


def score_rows(st, rows):
    """Score a batch of rows (dicts of the INPUTS and the k-means features) -> list of
    (customer_id, six value columns, segment)."""
    if_alive = purchase.IfAlive(st["purchase"]) if st["purchase"] is not None else None
    km = st["kmeans"]
    out = []
    for row in rows:
        vals = value_row(st, if_alive, row["frequency"], row["recency"], row["T"],
                         row["monetary_value"], row.get("monetary_total"),
                         row.get("returns_total"))
        seg = None
        if km is not None and row["frequency"] is not None:
            seg = segment_of(km, row)
        out.append((row["customer_id"], *vals, seg))
    return out
