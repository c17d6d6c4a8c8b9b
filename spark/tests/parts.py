"""Split a Parquet company written by `kam generate --format parquet` into directories of
parts, for the parity test: DIR/parts/<table>/part-0000N.parquet (3 parts, row groups of 400
rows, rows in the file's order), and DIR/kam-parts.toml, the same config reading the
directories. kam reads the single files; the Spark job reads the parts (with small splits, so
a file is read by several tasks) and must number the rows the same.

    python spark/tests/parts.py DIR
"""

import os
import sys

import pyarrow.parquet as pq

PARTS, ROW_GROUP = 3, 400


def main(d):
    text = open(os.path.join(d, "kam.toml"), encoding="utf-8").read()
    for table in ("transactions", "customers"):
        t = pq.read_table(os.path.join(d, f"{table}.parquet"))
        out = os.path.join(d, "parts", table)
        os.makedirs(out, exist_ok=True)
        step = -(-t.num_rows // PARTS)
        for i in range(PARTS):
            pq.write_table(t.slice(i * step, step), os.path.join(out, f"part-{i:05d}.parquet"),
                           row_group_size=ROW_GROUP)
        old = f'path = "{table}.parquet"\n'
        if old not in text:
            sys.exit(f"parts.py: no {old.strip()} in kam.toml")
        text = text.replace(old, f'path = "parts/{table}"\nformat = "parquet"\n')
    open(os.path.join(d, "kam-parts.toml"), "w", encoding="utf-8").write(text)


if __name__ == "__main__":
    main(sys.argv[1])
