"""Unit test of the job's DIR/orders/ table (features.order_aggregates) on a local Spark
(master local[1]): a tiny transactions table, every output value checked. Two customers;
same-day lines of one order; lines without an order id; a return in an order and one without;
a return too small for fixed point (its largest line as amount: negative, rounding to 0); null
quantities; a row after as_of (left out); sums in fixed point (0.7 + 0.1 is 0.8, not the
double sum 0.7999999999999999). Also the table without order_id and quantity columns.
Run: python spark/tests/test_orders.py (with pyspark importable)
"""

import datetime as dt
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))

from pyspark.sql import SparkSession  # noqa: E402
from pyspark.sql import types as T  # noqa: E402

from kam_spark import features  # noqa: E402

D = dt.date
AS_OF = D(2024, 1, 31)
SCHEMA = T.StructType([
    T.StructField("customer_id", T.StringType()),
    T.StructField("date", T.DateType()),
    T.StructField("amount", T.DoubleType()),
    T.StructField("quantity", T.DoubleType()),
    T.StructField("order_id", T.StringType()),
    T.StructField("product", T.StringType()),
])
ROWS = [
    # customer, date, amount, quantity, order_id, product
    ("A", D(2024, 1, 5), 10.25, 2.0, "O1", "x"),
    ("A", D(2024, 1, 5), 5.5, None, "O1", "y"),
    ("A", D(2024, 1, 5), 0.35, 1.5, "O1", "x"),
    ("A", D(2024, 1, 5), -3.0, -1.0, "O1", "x"),    # a return in the order: its own row
    ("A", D(2024, 1, 5), 7.0, 1.0, None, "x"),      # no order id: one row per day and sign
    ("A", D(2024, 1, 5), 1.0, 3.0, None, "y"),
    ("A", D(2024, 1, 5), -2.5, None, None, "y"),    # a return without an order id
    ("A", D(2024, 1, 6), 4.0, None, "O2", "x"),     # every quantity null: null
    ("B", D(2024, 1, 5), 0.7, 1.0, "O3", "x"),
    ("B", D(2024, 1, 5), 0.1, 1.0, "O3", "x"),
    ("B", D(2024, 1, 6), -0.00001, None, "O6", "x"),  # a return summing to 0 in fixed point
    ("B", D(2024, 1, 31), 0.0, 0.0, "O4", "x"),     # on as_of, amount 0: a purchase
    ("B", D(2024, 2, 1), 99.0, 1.0, "O5", "x"),     # after as_of: left out
]


class Orders(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.spark = (SparkSession.builder.master("local[1]").appName("kam orders test")
                     .config("spark.sql.ansi.enabled", "false")
                     .config("spark.sql.session.timeZone", "UTC")
                     .config("spark.ui.enabled", "false")
                     .config("spark.ui.showConsoleProgress", "false")
                     .config("spark.sql.shuffle.partitions", "3")
                     .getOrCreate())
        cls.spark.sparkContext.setLogLevel("ERROR")
        cls.tx = cls.spark.createDataFrame(ROWS, SCHEMA).repartition(3)

    @classmethod
    def tearDownClass(cls):
        cls.spark.stop()

    def result(self, df):
        out = features.order_aggregates(df, AS_OF)
        return ([(f.name, f.dataType.simpleString()) for f in out.schema.fields],
                [tuple(r) for r in out.collect()])

    def test_with_order_ids_and_quantities(self):
        schema, rows = self.result(self.tx)
        self.assertEqual(schema, [
            ("customer_id", "string"), ("date", "date"), ("order_id", "string"),
            ("amount", "double"), ("quantity", "double"), ("lines", "bigint"),
            ("largest_line", "double")])
        self.assertEqual(rows, [
            # customer, date, order, amount, quantity, lines, largest_line
            ("A", D(2024, 1, 5), None, 8.0, 4.0, 2, 7.0),
            ("A", D(2024, 1, 5), None, -2.5, None, 1, -2.5),
            ("A", D(2024, 1, 5), "O1", 16.1, 3.5, 3, 10.25),
            ("A", D(2024, 1, 5), "O1", -3.0, -1.0, 1, -3.0),
            ("A", D(2024, 1, 6), "O2", 4.0, None, 1, 4.0),
            ("B", D(2024, 1, 5), "O3", 0.8, 2.0, 2, 0.7),
            ("B", D(2024, 1, 6), "O6", -0.00001, None, 1, -0.00001),  # still a return
            ("B", D(2024, 1, 31), "O4", 0.0, 0.0, 1, 0.0),
        ])
        # the fixed-point sum, not the double sum
        self.assertNotEqual(0.7 + 0.1, 0.8)

    def test_without_order_ids_or_quantities(self):
        schema, rows = self.result(self.tx.drop("order_id", "quantity"))
        self.assertEqual(schema, [
            ("customer_id", "string"), ("date", "date"), ("amount", "double"),
            ("lines", "bigint"), ("largest_line", "double")])
        self.assertEqual(rows, [
            ("A", D(2024, 1, 5), 24.1, 5, 10.25),
            ("A", D(2024, 1, 5), -5.5, 2, -2.5),
            ("A", D(2024, 1, 6), 4.0, 1, 4.0),
            ("B", D(2024, 1, 5), 0.8, 2, 0.7),
            ("B", D(2024, 1, 6), -0.00001, 1, -0.00001),
            ("B", D(2024, 1, 31), 0.0, 1, 0.0),
        ])


if __name__ == "__main__":
    unittest.main(verbosity=1)
