"""Unit tests of score.py's pure parts (kam_spark/purchase.py, scores.py), against closed
forms and the published / lifetimes figures kam's own tests use (src/value/special.rs,
bgnbd_tests.rs, clv.rs, stage.rs tests). Plain asserts; exits 1 on a failure.

    python spark/tests/test_score_units.py
"""

import math
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from kam_spark import purchase, scores  # noqa: E402


def rel(a, b):
    return abs(a - b) / abs(b)


def test_hyp2f1_closed_forms():
    # special.rs matches_closed_forms: 2F1(1, 1; 2; z) = -ln(1 - z) / z, 2F1(a, b; b; z)
    for z in (0.1, 0.5, 0.9, 0.99):
        got = math.exp(purchase.Hyp2f1(1.0, 1.0, 2.0).ln_at(z))
        assert rel(got, -math.log(1 - z) / z) < 1e-12, z
    assert rel(math.exp(purchase.Hyp2f1(2.5, 3.0, 3.0).ln_at(0.7)), 0.3 ** -2.5) < 1e-12
    assert purchase.Hyp2f1(1.0, 2.0, 3.0).ln_at(0.0) == 0.0
    l = purchase.Hyp2f1(300.0, 50.0, 50.0).ln_at(0.9)
    assert rel(l, -300.0 * math.log(0.1)) < 1e-10
    assert math.isnan(purchase.Hyp2f1(1.0, 1.0, 2.0).ln_at(1.0))


BG = {"kind": "bgnbd", "r": 0.2426, "alpha": 4.4135, "a": 0.7929, "b": 2.4258}


def expected(mo, h, x, tx, t):
    return purchase.p_alive(mo, x, tx, t) * purchase.IfAlive(mo).rows(x, t, [h])[0]


def test_bgnbd_published():
    # bgnbd_tests.rs: FHL 2005 customer 1, lifetimes 1.2259111998992285 to 1e-10
    assert rel(expected(BG, 39.0, 2.0, 30.43, 38.86), 1.2259111998992285) < 1e-10
    assert purchase.p_alive(BG, 0.0, 0.0, 38.86) == 1.0
    # 200 purchases and tiny ages (lifetimes to 1e-9)
    for x, tx, t, want in [(200.0, 38.0, 38.86, 113.10478217796054),
                           (1.0, 0.005, 0.01, 3.8810133391199293),
                           (0.0, 0.0, 0.01, 1.1932316277171762)]:
        assert rel(expected(BG, 39.0, x, tx, t), want) < 1e-9, x


def test_kept_series_change_nothing():
    # one IfAlive per x serves every age: the same as a fresh one per customer
    kept = purchase.IfAlive(BG)
    for t in (38.86, 10.0, 50.0, 0.5):
        assert kept.rows(3.0, t, [39.0, 52.0]) == purchase.IfAlive(BG).rows(3.0, t, [39.0, 52.0])


PARETO_LIFETIMES = {"kind": "pareto", "r": 0.5532815861528053, "alpha": 10.577753122778805,
                    "s": 0.6061714462872277, "beta": 11.666906530603386}


def test_pareto_equals_lifetimes():
    # pareto_nbd_tests.rs predictions_equal_lifetimes_at_its_estimate (CDNOW, to 1e-9)
    rows = [(2.0, 30.43, 38.86, 0.869124471914, 1.455135768648, 0.424476666581),
            (1.0, 1.71, 38.86, 0.167877160407, 0.170987606462, 0.049878678527),
            (0.0, 0.0, 38.86, 0.295103517583, 0.107063990744, 0.031231564010),
            (5.0, 24.43, 38.86, 0.586763988119, 2.136662715700, 0.623284429336),
            (5.0, 36.14, 38.14, 0.972444608941, 3.585690940491, 1.047446680674),
            (0.0, 0.0, 33.57, 0.329455968355, 0.131575701749, 0.038809389403)]
    mo = PARETO_LIFETIMES
    for x, tx, t, pa, e39, e10 in rows:
        assert rel(purchase.p_alive(mo, x, tx, t), pa) < 1e-9, (x, tx, t)
        assert rel(expected(mo, 39.0, x, tx, t), e39) < 1e-9, (x, tx, t)
        assert rel(expected(mo, 10.0, x, tx, t), e10) < 1e-9, (x, tx, t)


def test_pareto_extremes():
    # pareto_nbd_tests.rs p_alive_is_exact_at_extremes_on_both_branches (scipy quad)
    cases = [(0.55, 10.6, 0.6, 11.7, 200.0, 0.009, 0.01, -9.869489369922),
             (0.55, 12.0, 0.6, 5.0, 200.0, 30.0, 39.0, 33.441158481153),
             (2.0, 40.0, 3.0, 0.5, 0.0, 0.0, 39.0, 14.457316434451),
             (0.55, 10.6, 0.6, 11.7, 400.0, 1e5, 1e6, 917.138564635276)]
    for r, a, s, b, x, tx, t, want in cases:
        mo = {"kind": "pareto", "r": r, "alpha": a, "s": s, "beta": b}
        p_want = 1.0 / (1.0 + purchase._exp(want))   # 0 for the last (e^917 overflows)
        assert abs(purchase.p_alive(mo, x, tx, t) - p_want) <= 1e-8 * p_want, x
    mo = {"kind": "pareto", "r": 0.55, "alpha": 10.6, "s": 0.6, "beta": 11.7}
    assert purchase.p_alive(mo, 3.0, 0.01, 0.01) == 1.0   # bought at the very end
    assert math.isnan(purchase.p_alive(mo, 3.0, 5.0, 1.0))
    assert purchase.IfAlive(mo).rows(2.0, 38.86, [0.0])[0] == 0.0


def test_clv_months_discounted_one_by_one():
    # clv.rs months_are_discounted_one_by_one: 2 a week, 30/7 weeks a month, value 10,
    # margin 0.5, 1% a month, 3 months
    month = 30.0 / 7.0
    upto = [2.0 * month * i for i in (1, 2, 3)]
    got = scores.clv_of(upto, [1.01 ** i for i in (1, 2, 3)], 10.0, 0.5)
    want = sum(2.0 * month * 10.0 * 0.5 / 1.01 ** i for i in (1, 2, 3))
    assert rel(got, want) < 1e-12


def test_purchase_value_as_stage_rs():
    # stage.rs one_time_buyers_get_a_value_when_q_is_at_most_one
    heavy = (2.5, 0.3, 100.0)
    assert scores.purchase_value(heavy, 0.0, 0.0, 420.0) == (420.0, True)
    v, seen = scores.purchase_value(heavy, 2.0, 300.0, 420.0)
    assert not seen and abs(v - 2.5 * 700.0 / 4.3) < 1e-9
    v, seen = scores.purchase_value((2.5, 2.0, 100.0), 0.0, 0.0, 420.0)
    assert not seen and abs(v - 250.0) < 1e-9
    assert scores.purchase_value(None, 0.0, 0.0, float("nan")) == (None, False)


def test_segment_nearest_after_scaling():
    km = {"features": ["a", "b"], "transform": "log1p-standardize",
          "scaling": {"a": {"median": 3.0, "mean": 1.0, "sd": 0.5},
                      "b": {"median": 0.0, "mean": 0.0, "sd": 1.0}},
          "centroids_scaled": [[2.0, 0.0], [-2.0, 0.0]]}
    big = math.exp(2.0) - 1.0      # slog -> 2, standardised -> 2
    assert scores.segment_of(km, {"a": big, "b": 0.0}) == 1
    assert scores.segment_of(km, {"a": 0.0, "b": 0.0}) == 2
    # missing a: the median 3 -> (ln 4 - 1) / 0.5 = 0.77 -> segment 1
    assert scores.segment_of(km, {"a": None, "b": 0.0}) == 1


def test_no_purchase_no_scores():
    st = {"purchase": BG, "spend": None, "horizons": [52.0, 52.0], "discounts": [],
          "margin": 1.0, "kmeans": None}
    out = scores.score_rows(st, [{"customer_id": "c", "frequency": None, "recency": None,
                                  "T": None, "monetary_value": None}])
    assert out == [("c", None, None, None, None, None, None, None)]


def main():
    tests = [(n, f) for n, f in sorted(globals().items()) if n.startswith("test_")]
    failed = 0
    for name, f in tests:
        try:
            f()
        except AssertionError as e:
            failed += 1
            print(f"FAIL {name}: {e!r}")
    print(f"score unit tests: {len(tests) - failed} of {len(tests)} passed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
