"""Plant messy rows in a company written by `kam generate`, for the parity test: every check
the feature job mirrors gets rows to reject, and the edge cases of parsing get rows to keep.

    python spark/tests/mess.py DIR

Rewrites DIR/transactions.csv (a third of the dates as %d/%m/%Y, the rest ISO, with
`date_format = "%d/%m/%Y"` set in DIR/kam.toml; the id and date columns under the file's own
names, mapped with `columns`; `time_unit = "days"` and `max_abs_amount = 5e6`) and appends bad
and tricky rows to it and to DIR/customers.csv. Deterministic: the same DIR gives the same
files.
"""

import csv
import os
import re
import sys

# transactions: customer_id, date, amount, quantity, unit_price, order_id, product, channel
TX_ROWS = [
    ["", "2024-03-01", "100", "1", "100", "M1", "P.O 42.5", "direct"],           # id blank
    ["  C000005  ", "2024-03-02", "100", "1", "100", "M2", "P.O 42.5", "direct"],  # trimmed
    ["C000005", "2024-13-01", "100", "1", "100", "M3", "P.O 42.5", "direct"],      # month 13
    ["C000005", "31/02/2024", "100", "1", "100", "M4", "P.O 42.5", "direct"],      # Feb 31
    ["C000005", "1985-05-05", "100", "1", "100", "M5", "P.O 42.5", "direct"],      # < min_date
    ["C000006", "2024-03-05 14:30:00", "250.5", "1", "250.5", "M6", "x", "phone"],  # datetime
    ["C000006", "5/3/2024", "75", "1", "75", "", "x", "phone"],                    # unpadded
    ["C000006", "2024- 3-07", "80", "1", "80", "", "x", "phone"],                  # chrono space
    ["C000006", "2024-03-08T09:15:00.250", "90", "1", "90", "M7", "x", "phone"],   # fraction
    ["C000007", "2024-03-01", "abc", "1", "100", "M8", "x", "direct"],             # not a number
    ["C000007", "2024-03-01", "NaN", "1", "100", "M9", "x", "direct"],             # not finite
    ["C000007", "2024-03-01", "inf", "1", "100", "M10", "x", "direct"],
    ["C000007", "2024-03-01", "-Infinity", "1", "100", "M11", "x", "direct"],
    ["C000007", "2024-03-01", "", "1", "100", "M12", "x", "direct"],               # amount blank
    ["C000007", "2024-03-01", "1e13", "1", "100", "M13", "x", "direct"],           # implausible
    ["C000007", "2024-03-01", "-2e16", "1", "100", "M14", "x", "direct"],
    ["C000007", "2024-03-01", " 1,234 ", "1", "100", "M15", "x", "direct"],
    ["C000008", "2024-03-01", "-500.5", "-1", "500.5", "R1", "x", "direct"],       # a return
    ["C000008", "2024-03-02", "+12.5", "1", "12.5", "M16", "x", "direct"],
    ["C000008", "2024-03-03", ".5", "1", "0.5", "M17", "x", "direct"],
    ["C000008", "2024-03-04", "5.", "1", "5", "M18", "x", "direct"],
    ["C000008", "2024-03-05", "\u00a0100\u3000", "1", "100", "M19", "x", "direct"],  # Unicode WS
    ["C000008", "2024-03-06", "0", "0", "0", "M20", "x", "direct"],                # zero sale
    ["C000008", "2024-03-07", "-0", "0", "0", "M21", "x", "direct"],
    ["C000008", "2024-03-08", "0.00005", "1", "0.00005", "M22", "x", "direct"],    # half step
    ["C000008", "2024-03-08", "-0.00015", "1", "0.00005", "M23", "x", "direct"],
    ["C000008", "2024-03-09", "1.00005", "2.5", "0.4", "M22", "x", "direct"],      # same order
    ["C000008", "2025-11-20", "-0.00001", "1", "0.00001", "M36", "x", "direct"],  # returns: 0
    ["C000008", "2025-11-20", "-0.00004", "1", "0.00004", "M36", "x", "direct"],  # in fixed point
    ["C000009", "2024-03-01", "100", "x", "100", "M24", "x", "direct"],            # qty bad
    ["C000009", "2024-03-01", "100", "2e12", "100", "M25", "x", "direct"],         # qty big
    ["ZZZ999", "2024-03-01", "321.25", "1", "321.25", "M26", "x", "direct"],       # unknown
    ["ZZZ999", "2024-06-01", "-21.25", "1", "21.25", "", "x", "direct"],
    ["C000010", "2052-06-01", "100", "1", "100", "M27", "x", "direct"],            # stray year
    ["C000011", "2024-03-01", "100", "1", "100", "M28, bagged", "P.O \"42.5\"", "direct"],
    ["C000012", "2024-03-01", "100", "1", "100", "M29", "x"],                      # 7 fields
    ["C000012", "2024-03-01", "100", "1", "100", "M30", "x", "direct", "extra"],   # 9 fields
    ["C000013", "2024-02-29", "100", "1", "100", "M31", "x", "direct"],
    ["C000013", "29/02/2023", "100", "1", "100", "M32", "x", "direct"],            # not leap
    ["C000013", "2024-03-01", "1e-7", "1", "1e-7", "M33", "x", "direct"],
    ["C000014", "2024-03-01", "100", "1", "100", "M34", "two\nlines", "direct"],  # one record
    ["C000014", "2024-03-01", "x", "1", "100", "M35", "after a record of two lines", "direct"],
]
# customers: the generated header's columns, by name
CUSTOMER_ROWS = [
    {"customer_id": "C000020"},                                     # repeats an id
    {"customer_id": ""},                                            # blank id
    {"customer_id": "N001", "payment_terms": "Credit Card"},        # not allowed
    {"customer_id": "N002", "payment_terms": " PREPAY "},           # fine once a code
    {"customer_id": "N003", "credit_days": "3.5"},                  # not whole
    {"customer_id": "N004", "credit_days": "-2"},                   # negative
    {"customer_id": "N005", "credit_days": "abc"},                  # not a number
    {"customer_id": "N006", "credit_days": "NaN"},                  # a count: not a number
    {"customer_id": "N007", "acquired_on": "2020/01/01"},           # not ISO
    {"customer_id": "N008", "potential_volume": "-5"},              # negative
    {"customer_id": "N009", "vehicles": "1e3"},                     # fine: 1000
    {"customer_id": "N010", "shares_resources": "maybe"},           # not yes/no
    {"customer_id": "N011", "shares_resources": "是", "customer_type": " Ready Mix "},
    {"customer_id": "N012", "credit_days": "-0.5"},                 # whole check, not negative
    {"customer_id": "C000008", "acquired_on": "2010-01-01"},        # repeat: later row rejected
]


def main(d):
    tx_path = os.path.join(d, "transactions.csv")
    with open(tx_path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    di = header.index("date")
    for i, r in enumerate(body):
        if i % 3 == 0:
            y, m, day = r[di].split("-")
            r[di] = f"{day}/{m}/{y}"
    with open(tx_path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        # the file's own names for two columns, mapped in kam.toml
        w.writerow([{"customer_id": "Customer ID", "date": "Sale Date"}.get(c, c)
                    for c in header])
        w.writerows(body)
        # the ragged rows need no quoting to keep their field counts
        w.writerows(TX_ROWS)
    cu_path = os.path.join(d, "customers.csv")
    with open(cu_path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    cu_header = rows[0]
    with open(cu_path, "a", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        for r in CUSTOMER_ROWS:
            w.writerow([r.get(c, "") for c in cu_header])
    toml_path = os.path.join(d, "kam.toml")
    text = open(toml_path, encoding="utf-8").read()
    text = re.sub(r'(\[input\.transactions\]\npath = "transactions.csv"\n)',
                  r'\1date_format = "%d/%m/%Y"\n'
                  r'columns = { customer_id = "Customer ID", date = "Sale Date" }\n', text)
    if "date_format" not in text or not text.startswith("#"):
        sys.exit("mess.py: could not set date_format in kam.toml")
    # settings away from their defaults: days as the time unit, a lower implausible amount
    text = re.sub(r"^(seed = \d+\n)", r'\1time_unit = "days"\n\n[validation]\n'
                  r"max_abs_amount = 5e6\n", text, count=1, flags=re.M)
    if "max_abs_amount" not in text:
        sys.exit("mess.py: could not set [validation] in kam.toml")
    open(toml_path, "w", encoding="utf-8").write(text)


if __name__ == "__main__":
    main(sys.argv[1])
