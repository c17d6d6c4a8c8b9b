"""Unit tests of spark/kam_spark/churn.py, kam's churn scoring in plain Python (no Spark).
Figures are worked by hand from the Rust they mirror (src/churn/history.rs, design.rs,
models.rs, report.rs); equality with kam itself on whole companies is
spark/tests/run-score-parity.sh. Run: python spark/tests/test_churn_units.py"""

import math
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from kam_spark import churn  # noqa: E402
from kam_spark.config import Refused  # noqa: E402

# day, amount, order, lines, largest (None: the row's own amount)
ROWS = [
    (500, 100.0, "A", 1, None),   # first purchase day: two orders
    (500, 50.0, "B", 1, None),
    (800, 200.0, "C", 1, None),   # order C spans two days and has a return
    (801, 30.0, "C", 1, None),
    (850, -20.0, "C", 1, None),
    (950, 40.0, None, 2, 25.0),   # two lines without an order id, the larger 25
    (1001, 999.0, "Z", 1, None),  # after the cutoff: ignored
]


def tree_model():
    """One numeric feature x (median 5, mean 2, sd 2, with a missing indicator) and one
    categorical t coded (levels a, b; other; no missing slot); a depth-2 tree on x then t."""
    specs = [
        {"kind": "numeric", "name": "x", "median": 5.0, "mean": 2.0, "std": 2.0,
         "missing_indicator": True},
        {"kind": "categorical", "name": "t", "levels": ["a", "b"], "other": True,
         "missing": False},
    ]
    tree = {"leaf": [False, False, True, True, True], "feature": [0, 2, 0, 0, 0],
            "split": [1.0, 1.0, 0, 0, 0], "left": [1, 3, 0, 0, 0], "right": [2, 4, 0, 0, 0],
            "missing": [2, 4, 0, 0, 0], "weight": [0.0, 0.0, 0.5, -0.25, 0.125],
            "average": [0.1, -0.05, 0.5, -0.25, 0.125]}
    scoring = {"active_days": 365, "codes": True, "columns": ["x", "x_missing", "t"],
               "feature_of": [0, 0, 1], "column_means": [0.0, 0.1, 0.0],
               "model": {"kind": "trees", "base_score": -0.5, "trees": [tree]}}
    return churn.load({"mode": "behavioural", "features": specs, "scoring": scoring,
                       "risk_cuts": [0.3, 0.6]})


class Behaviour(unittest.TestCase):
    def test_features_worked_by_hand(self):
        f = churn.behaviour(ROWS, 1000, 635, 270, 365)
        want = [
            50.0,             # recency: 1000 - 950
            3.0,              # purchase days 500, 800, 801, 950, less one
            90.0,             # (420 - 150 on the first day) / 3
            500.0,            # tenure: 1000 - 500
            210.0,            # order C: 200 + 30 - 20 (A 100, B 50, the loose rows' 25)
            250.0,            # (635, 1000]: 200 + 30 - 20 + 40
            (250 - 150) / 150,  # the 12 months before: 150
            1.0,              # (909, 1000]: 40 against nothing in (818, 909]
            (20 - 115) / (20 + 115),  # mean line 40/2 in (818, 1000] against 230/2
            20 / 270,         # returns in the last 365 days over purchases
            2.0,              # lines in the last 91 days
        ]
        self.assertEqual(len(f), len(churn.NUMERIC))
        for name, got, w in zip(churn.NUMERIC, f, want):
            self.assertAlmostEqual(got, w, delta=1e-12 * max(1.0, abs(w)), msg=name)

    def test_not_active(self):
        self.assertIsNone(churn.behaviour(ROWS, 1000, 635, 270, 40))  # last purchase 50 days ago
        self.assertIsNone(churn.behaviour([(900, -5.0, None, 1, None)], 1000, 635, 270, 365))

    def test_fixed_point_rounds_half_away_from_zero(self):
        self.assertEqual(churn.fx(1.0), 10000)
        self.assertEqual(churn.fx(-0.00016), -2)
        self.assertEqual(churn.fx(0.000049), 0)
        self.assertEqual(churn.fx(2.5 / 1e4 * 2), 5)


class Encode(unittest.TestCase):
    def test_numeric_and_codes(self):
        m = tree_model()
        self.assertEqual(churn.encode(m, [3.0, "b"]), [0.5, 0.0, 1.0])
        self.assertEqual(churn.encode(m, [None, "a"]), [1.5, 1.0, 0.0])
        # an unseen level takes (other); a blank, without a (missing) slot, the code after all
        self.assertEqual(churn.encode(m, [2.0, "zz"])[2], 2.0)
        self.assertEqual(churn.encode(m, [2.0, None])[2], 3.0)

    def test_one_hot(self):
        m = tree_model()
        m["scoring"]["codes"] = False
        m["specs"][1]["missing"] = True
        self.assertEqual(churn.encode(m, [2.0, "b"])[2:], [0.0, 1.0, 0.0, 0.0])
        self.assertEqual(churn.encode(m, [2.0, "q"])[2:], [0.0, 0.0, 1.0, 0.0])
        self.assertEqual(churn.encode(m, [2.0, None])[2:], [0.0, 0.0, 0.0, 1.0])
        self.assertEqual(churn.raw_values(m, {"x": float("nan"), "t": "  "}), [None, None])


class Model(unittest.TestCase):
    def test_tree_path_prediction_and_contributions_add_up(self):
        m = tree_model()
        x = churn.encode(m, [3.0, "b"])  # x = 0.5 < 1: left; t = 1 >= 1: right -> 0.125
        self.assertEqual(churn.log_odds(m, x), -0.5 + 0.125)
        c = churn.contributions(m, x)
        self.assertEqual(c, [-0.05 - 0.1, 0.0, 0.125 + 0.05])
        # Saabas: the contributions, the base score and the root's average make the log-odds
        self.assertAlmostEqual(sum(c) + -0.5 + 0.1, churn.log_odds(m, x), delta=1e-15)
        self.assertEqual(churn.log_odds(m, [5.0, 0.0, 0.0]), -0.5 + 0.5)
        self.assertEqual(churn.log_odds(m, [math.nan, 0.0, 0.0]), -0.5 + 0.5)  # missing: node 2

    def test_logistic(self):
        m = tree_model()
        m["scoring"]["model"] = {"kind": "logistic", "intercept": 0.25, "weights": [2.0, -1.0, 0.5]}
        x = [0.5, 1.0, 2.0]
        self.assertEqual(churn.log_odds(m, x), 0.25 + 1.0 - 1.0 + 1.0)
        self.assertEqual(churn.contributions(m, x), [1.0, -0.9, 1.0])
        self.assertAlmostEqual(churn.probability(0.0), 0.5)

    def test_drivers_and_labels(self):
        m = tree_model()
        m["scoring"]["model"] = {"kind": "logistic", "intercept": 0.0, "weights": [1.0, 1.0, 1.0]}
        # per raw feature: x = 0.5 + 0.25 (its two columns), t = 0.75: a tie, x first
        d = churn.drivers(m, [412.0, "b"], [0.5, 0.25, 0.75])
        self.assertEqual(d, ["x = 412 (+0.75)", "t = b (+0.75)"])
        self.assertEqual(churn.drivers(m, [0.1234, None], [0.5, 0.0, -0.5]), ["x = 0.123 (+0.50)"])
        self.assertEqual(churn.drivers(m, [None, "a"], [-1.0, 0.0, 1e-10]), [])
        self.assertEqual(churn.display({"kind": "numeric"}, None), "blank")
        self.assertEqual([churn.risk_label(p, [0.3, 0.6]) for p in (0.29, 0.3, 0.6)],
                         ["low", "medium", "high"])

    def test_score_row(self):
        p, risk, d1, d2, d3 = churn.score(tree_model(), {"x": 3.0, "t": "b"})
        self.assertAlmostEqual(p, 1 / (1 + math.exp(0.375)))
        self.assertEqual((risk, d1, d2, d3), ("medium", "t = b (+0.17)", None, None))


class Load(unittest.TestCase):
    def test_refusals(self):
        with self.assertRaises(Refused):
            churn.load({"mode": "behavioural", "features": [], "risk_cuts": [0.3, 0.6]})
        with self.assertRaises(Refused):
            churn.load({"mode": "labelled", "features": [], "risk_cuts": [0.3, 0.6],
                        "scoring": {"codes": False}})
        m = churn.load({"mode": "behavioural", "features": tree_model()["specs"],
                        "risk_cuts": [0.3, 0.6], "scoring": tree_model()["scoring"]})
        self.assertEqual(churn.attribute_names(m), ["x", "t"])


if __name__ == "__main__":
    unittest.main()
