"""Unit tests of the feature job's pure parts (no Spark session): what the config refuses,
with exit code 2 and one line; the number and date formats kam's reasons print; chrono's
month arithmetic; the stray-tail rule. Run: python spark/tests/test_units.py
"""

import atexit
import contextlib
import datetime as dt
import io
import os
import re
import shutil
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))

import kam_features  # noqa: E402
from kam_spark import config, dates, features, rules  # noqa: E402


def write(text, files=("tx.csv", "tx.xlsx")):
    d = tempfile.mkdtemp(prefix="kam-spark-test-")
    atexit.register(shutil.rmtree, d, True)
    for f in files:
        with open(os.path.join(d, f), "w") as out:
            out.write("customer_id,date,amount\nA,2024-01-01,1\n")
    path = os.path.join(d, "kam.toml")
    with open(path, "w") as out:
        out.write(text)
    return path


TX = '[input.transactions]\npath = "tx.csv"\n'


class Refusals(unittest.TestCase):
    def refused(self, text, words):
        path = write(text)
        with self.assertRaises(config.Refused) as e:
            config.load(path)
        msg = str(e.exception)
        self.assertNotIn("\n", msg)
        for w in words:
            self.assertIn(w, msg)

    def test_xlsx_is_refused(self):
        self.refused('[input.transactions]\npath = "tx.xlsx"\n', ["XLSX"])

    def test_a_missing_file_is_refused(self):
        self.refused('[input.transactions]\npath = "nowhere.csv"\n', ["nowhere.csv", "not found"])

    def test_other_encodings_are_refused(self):
        self.refused(TX + 'encoding = "gbk"\n', ['encoding = "gbk"', "UTF-8"])

    def test_whitespace_delimiter_is_refused(self):
        self.refused(TX + 'delimiter = "whitespace"\n', ["whitespace"])

    def test_merge_map_is_refused(self):
        self.refused(TX + '[input.customer_merges]\npath = "m.csv"\n', ["customer_merges"])

    def test_unimplemented_date_specifier_is_refused(self):
        self.refused(TX + 'date_format = "%Y-%j %d %m"\n', ["%j", "not implemented"])

    def test_date_format_needs_a_whole_date(self):
        self.refused(TX + 'date_format = "%H:%M"\n', ["year, a month and a day"])

    def test_bad_as_of_unknown_keys_and_settings(self):
        self.refused('as_of = "2024-02-30"\n' + TX, ["as_of"])
        self.refused('colour = 1\n' + TX, ["colour"])
        self.refused(TX + '[validation]\nunknown_customers = "drop"\n', ["unknown_customers"])
        self.refused(TX + '[validation]\nmax_abs_amount = -1\n', ["max_abs_amount"])
        self.refused(TX + 'columns = { client = "X" }\n', ["'client' is not a transactions"])

    def test_main_exits_2_with_one_line(self):
        path = write('[input.transactions]\npath = "tx.xlsx"\n')
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            code = kam_features.main(["--config", path, "--out", "/tmp/unused"])
        self.assertEqual(code, 2)
        self.assertEqual(err.getvalue().count("\n"), 1)
        self.assertTrue(err.getvalue().startswith("kam_features: "))

    def test_a_plain_config_loads(self):
        cfg = config.load(write('as_of = "2024-06-30"\ntime_unit = "days"\n' + TX
                                + '[input.deals]\npath = "d.csv"\n'))
        self.assertEqual(cfg.as_of, dt.date(2024, 6, 30))
        self.assertEqual(cfg.not_read, ["deals"])
        self.assertEqual(cfg.validation.max_future_days, 366)


class Formats(unittest.TestCase):
    def test_polars_float_text(self):
        cases = {2e12: "2000000000000.0", 1e16: "1e+16", -2e16: "-2e+16", 1e-7: "1e-7",
                 0.00001: "0.00001", 123.456: "123.456", 1.2345e20: "1.2345e+20", -3.0: "-3.0"}
        for x, want in cases.items():
            self.assertEqual(rules.polars_float_str(x), want, x)

    def test_rust_display(self):
        self.assertEqual(rules.rust_display(1e12), "1000000000000")
        self.assertEqual(rules.rust_display(2.5), "2.5")
        self.assertEqual(rules.rust_display(1e-7), "0.0000001")

    def test_months_before_clamps_the_day(self):
        self.assertEqual(features.months_before(dt.date(2026, 1, 1), 12), dt.date(2024, 12, 31))
        self.assertEqual(features.months_before(dt.date(2024, 2, 29), 12), dt.date(2023, 2, 27))
        self.assertEqual(features.months_before(dt.date(2025, 3, 31), 1), dt.date(2025, 2, 27))

    def test_bulk_end(self):
        days, counts = list(range(200)) + [11000], [1] * 201
        self.assertEqual(rules.bulk_end(days, counts, 366), 199)
        self.assertIsNone(rules.bulk_end(list(range(100)) + list(range(4000, 4100)),
                                         [1] * 200, 366))

    def test_chrono_forms(self):
        regex, _ = dates.compile_form("%d/%m/%Y", java=False)
        self.assertTrue(re.match(regex, "5/3/2024"))
        self.assertTrue(re.match(regex, "05/ 3/2024"))  # chrono skips space before a number
        self.assertFalse(re.match(regex, "05/03/20245"))  # %Y reads at most 4 digits
        regex, _ = dates.compile_form("%Y%m%d", java=False)
        m = re.match(regex, "2024035")  # 2024, 03, 5: digits never given back
        self.assertEqual(m.groups(), ("2024", "03", "5"))
        self.assertIsNone(re.match(regex, "202435"))  # chrono: 2024, 35 -> no day left
        self.assertEqual(dates.parse_iso_date(" 2024-2-29 "), dt.date(2024, 2, 29))
        self.assertIsNone(dates.parse_iso_date("2023-02-29"))


if __name__ == "__main__":
    unittest.main(verbosity=1)
