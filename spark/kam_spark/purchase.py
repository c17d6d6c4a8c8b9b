"""kam's purchase models as pure functions of a customer's (x, t_x, T): P(alive) and the
expected repeat purchases of a customer alive now, for BG/NBD, MBG/NBD and Pareto/NBD, with
kam's own series (src/value/special.rs, bgnbd_math.rs, pareto_nbd.rs) step for step, so that
the numbers are kam's to rounding (the same libm operations in the same order). Pure Python
`math`: nothing to install on the executors beyond PySpark.

A model is a dict {"kind": "bgnbd" | "mbgnbd" | "pareto", parameters...} (models.py reads it
from models/<kind>.json).
"""

import math

NAN = float("nan")


class Hyp2f1:
    """ln 2F1(a, b; c; z) for a, b, c > 0, 0 <= z < 1 by the series in log space, the terms'
    z-free factors kept across calls. Mirrors src/value/special.rs `Hyp2f1` (`new`,
    `factors`, `ln_at`), including its stopping rule and MAX_TERMS."""

    MAX_TERMS = 2_000_000

    def __init__(self, a, b, c):
        self.a, self.b, self.c = a, b, c
        self.step = []
        self.next = []

    def _factors(self, k):
        a, b, c = self.a, self.b, self.c
        while len(self.step) < k:
            j = len(self.step) + 1
            k1, kf = float(j - 1), float(j)
            self.step.append(math.log(a + k1) + math.log(b + k1) - math.log(c + k1)
                             - math.log(kf))
            self.next.append((a + kf) * (b + kf) / ((c + kf) * (kf + 1.0)))
        return self.step[k - 1], self.next[k - 1]

    def ln_at(self, z):
        a, b, c = self.a, self.b, self.c
        if not (a > 0.0 and b > 0.0 and c > 0.0 and 0.0 <= z < 1.0):
            return NAN
        if z == 0.0:
            return 0.0
        lz = math.log(z)
        m, s, lt = 0.0, 1.0, 0.0
        for k in range(1, self.MAX_TERMS + 1):
            step, nxt = self._factors(k)
            lt += step + lz
            if lt > m:
                s = s * math.exp(m - lt) + 1.0
                m = lt
            else:
                s += math.exp(lt - m)
            ratio = nxt * z
            if ratio < 1.0 and lt - m < -39.0 and lt - m < math.log(1e-17 * (1.0 - ratio)):
                return m + math.log(s)
        return NAN


def expected_alive_series(r, a, b, z, ln_1mz):
    """Mirrors src/value/bgnbd_math.rs `expected_alive_series` (the direct series used when
    the closed form cancels)."""
    big = 1e200
    if z <= 0.0:
        return 0.0
    shift = r * ln_1mz + math.log(r * z)
    t, s_k, m, total = 1.0, 1.0, 1.0, 0.0
    for k in range(1, 20_000_001):
        kf = float(k)
        term = t * s_k
        total += term
        rho = z * (r + kf) / kf
        if rho < 1.0 and term * rho / (1.0 - rho) <= 1e-17 * total:
            return math.exp(shift + math.log(total))
        t *= (r + kf) * z / (kf + 1.0)
        m *= (b + kf - 1.0) / (a + b + kf - 1.0)
        s_k += m
        if t > big:
            t /= big
            total /= big
            shift += math.log(big)
    return NAN


def expected_alive_with(h, r, alpha, a, b, t):
    """E[purchases in t] of a customer alive now, rate Gamma(r, alpha), drop-out Beta(a, b);
    `h` is Hyp2f1(r, b, a + b - 1). Mirrors src/value/bgnbd_math.rs `expected_alive_with`."""
    if t == 0.0:
        return 0.0
    if math.isnan(t) or t < 0.0:
        return NAN
    z = t / (alpha + t)
    ln_1mz = math.log(alpha / (alpha + t))
    c = a + b - 1.0
    if c > 0.0:
        bracket = -_expm1(h.ln_at(z) + r * ln_1mz)
        v = _div(c, a - 1.0) * bracket
        if abs(bracket) >= 0.05 and math.isfinite(v):  # false for NaN, as in Rust
            return v
    return expected_alive_series(r, a, b, z, ln_1mz)


def _expm1(v):
    """f64::exp_m1: inf on overflow where Python raises."""
    try:
        return math.expm1(v)
    except OverflowError:
        return math.inf


def _div(n, d):
    """f64 division: inf or NaN by zero where Python raises."""
    if d == 0.0:
        return NAN if n == 0.0 or math.isnan(n) else math.copysign(math.inf, n)
    return n / d


def _pareto_ln_g(q, x, tau):
    """ln G(tau) without gradient. Mirrors src/value/pareto_nbd.rs `ln_g` (grad = false)."""
    r, al, s, be = q
    a = r + s + x
    if al >= be:
        m, b = al, s + 1.0
    else:
        m, b = be, r + x
    mt, p = m + tau, a + 1.0 - b
    z = abs(al - be) / mt
    head = -a * math.log(mt) - math.log(a) + (1.0 - b) * math.log1p(-z)
    if z <= 1.0 - 1e-4:  # MIN_ONE_MINUS_Z
        return head + Hyp2f1(1.0, p, a + 1.0).ln_at(z)
    return NAN


def _pareto_p_alive(mo, x, t_x, t):
    """Mirrors src/value/pareto_nbd.rs `ParetoNbd::p_alive` via `ln_odds_dead` and `ll_one`."""
    if not (x >= 0.0 and t_x >= 0.0 and t_x <= t and t > 0.0 and math.isfinite(t)):
        return NAN
    r, al, s, be = mo["r"], mo["alpha"], mo["s"], mo["beta"]
    q = (r, al, s, be)
    ln_e = -(r + x) * math.log(al + t) - s * math.log(be + t)
    g_tx, g_t = _pareto_ln_g(q, x, t_x), _pareto_ln_g(q, x, t)
    # I = G(t_x) (1 - rho); rho >= 1 (or NaN, as Rust's `rho < 1.0` is false) -> I = 0
    rho = _exp(g_t - g_tx)
    if rho < 1.0:
        ln_si = math.log(s) + g_tx + math.log1p(-rho)
    else:
        ln_si = -math.inf
    return 1.0 / (1.0 + _exp(ln_si - ln_e))


def _exp(v):
    try:
        return math.exp(v)
    except OverflowError:
        return math.inf


def p_alive(mo, x, t_x, t):
    """P(alive). Mirrors src/value/bgnbd.rs `BgNbd::p_alive`, mbgnbd.rs `MbgNbd::p_alive`,
    pareto_nbd.rs `ParetoNbd::p_alive`."""
    kind = mo["kind"]
    if kind == "pareto":
        return _pareto_p_alive(mo, x, t_x, t)
    r, alpha, a, b = mo["r"], mo["alpha"], mo["a"], mo["b"]
    if kind == "bgnbd":
        if x == 0.0:
            return 1.0
        bx = b + x - 1.0
    else:
        bx = b + x
    log_odds = (r + x) * math.log((alpha + t) / (alpha + t_x)) + math.log(a / bx)
    return 1.0 / (1.0 + _exp(log_odds))


class IfAlive:
    """E[purchases in h | alive] of the customers of one x, at several horizons, one 2F1 kept
    per x. Mirrors the models' `if_alive_rows` (src/value/bgnbd_math.rs `expected_alive_rows`,
    called from bgnbd.rs / mbgnbd.rs) and `ParetoNbd::expected_purchases_if_alive`."""

    def __init__(self, mo):
        self.mo = mo
        self.h = {}

    def rows(self, x, t, horizons):
        mo = self.mo
        if mo["kind"] == "pareto":
            return [_pareto_if_alive(mo, hz, x, t) for hz in horizons]
        # BG/NBD: (r + x, alpha, a, b + x); MBG/NBD: (r + x, alpha, a, b + x + 1)
        r, a = mo["r"] + x, mo["a"]
        b = mo["b"] + x + (1.0 if mo["kind"] == "mbgnbd" else 0.0)
        h = self.h.get(x)
        if h is None:
            h = self.h[x] = Hyp2f1(r, b, a + b - 1.0)
        return [expected_alive_with(h, r, mo["alpha"] + t, a, b, hz) for hz in horizons]


def _pareto_if_alive(mo, horizon, x, t):
    """Mirrors src/value/pareto_nbd.rs `ParetoNbd::expected_purchases_if_alive` with
    `one_minus_pow_over`."""
    if horizon < 0.0:
        return NAN
    bt = mo["beta"] + t
    lq = -math.log1p(horizon / bt)
    rate = (mo["r"] + x) * bt / (mo["alpha"] + t)
    e = mo["s"] - 1.0
    y = -math.expm1(e * lq)
    return rate * (-lq if e == 0.0 else y / e)
