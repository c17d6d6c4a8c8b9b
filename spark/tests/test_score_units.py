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


def test_pareto_limits():
    mo = {"kind": "pareto", "r": 0.55, "alpha": 10.58, "s": 0.61, "beta": 11.67}
    # no purchase yet at age ~0: alive; t_x > T is outside the domain
    assert purchase.p_alive(mo, 0.0, 0.0, 1e-9) > 0.999999
    assert math.isnan(purchase.p_alive(mo, 1.0, 5.0, 4.0))
    # if alive, the expectation grows with the horizon and is 0 at 0
    rows = purchase.IfAlive(mo).rows(2.0, 30.0, [0.0, 10.0, 52.0])
    assert rows[0] == 0.0 and 0 < rows[1] < rows[2]


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
