"""Input files -> raw tables: the file's own columns, unparsed (text for CSV, stored types for
Parquet), and each row's 1-based number in the file, as kam numbers it
(src/io/load.rs `load`, `read_csv`, `split_csv`, `scan_parquet`).

Row numbers are exact without a global sort: Spark reads each file split in order, so within
one split `monotonically_increasing_id` counts rows one by one. A small aggregate gives each
(file, split start) its row count; their running total, in (file path, split start) order, is
the offset of the split's first row. A directory of parts is numbered part after part in path
order (kam itself reads one file).

CSV is read with every column as text, `"` quoting and doubling, records spanning lines
(multiLine), empty fields missing. Rows whose field count differs from the header's are
handled as kam does: when some row has more fields than the header (Polars refuses the file
and kam splits it itself), every row with another count is rejected with check
`row: wrong number of fields`; when rows only have fewer fields, they are kept with the
missing fields empty.
"""

import csv
import io
import os
from dataclasses import dataclass

from pyspark.sql import functions as F
from pyspark.sql import types as T

from .config import Refused

ROW = "__kam_row"
REASON = "__kam_reason"
RESERVED_PREFIX = "__kam_"
CORRUPT = "__kam_corrupt"


@dataclass
class RawTable:
    input: object           # config.Input
    frame: object           # DataFrame: ROW + the file's columns
    columns: list           # the file's column names, in file order
    pre_rejects: object     # DataFrame (ROW, the file's columns, REASON) or None


def load(spark, inp):
    if inp.format == "parquet":
        df = spark.read.parquet(inp.path)
        columns = list(df.columns)
        check_names(columns, inp.path)
        df, _ = numbered(df, columns)
        return RawTable(inp, df.localCheckpoint(eager=True), columns, None)
    return load_csv(spark, inp)


def check_names(columns, path):
    if not columns:
        raise Refused(f"{path}: the file is empty (no header, no rows)")
    bad = next((c for c in columns if c.startswith(RESERVED_PREFIX)), None)
    if bad:
        raise Refused(f"{path}: column '{bad}' starts with '{RESERVED_PREFIX}', which kam keeps "
                      "for its own working columns; rename it")


def csv_reader(spark, inp, header):
    return (spark.read.option("header", header).option("sep", inp.delimiter)
            .option("quote", '"').option("escape", '"').option("multiLine", True)
            .option("mode", "PERMISSIVE").option("encoding", "UTF-8")
            .option("ignoreLeadingWhiteSpace", False).option("ignoreTrailingWhiteSpace", False))


def first_record(spark, inp):
    """The file's first record (the header), read by Python for a local file or directory
    (the first part in path order), by Spark otherwise."""
    path = inp.path
    if "://" not in path and os.path.isdir(path):
        parts = sorted(f for f in os.listdir(path)
                       if not f.startswith((".", "_")) and os.path.isfile(os.path.join(path, f)))
        path = os.path.join(path, parts[0]) if parts else None
    if path is not None and "://" not in path and os.path.isfile(path):
        with open(path, newline="", encoding="utf-8", errors="replace") as f:
            return next(csv.reader(f, delimiter=inp.delimiter), None)
    rows = csv_reader(spark, inp, False).csv(inp.path).limit(1).collect()
    return list(rows[0]) if rows else None


def load_csv(spark, inp):
    first = first_record(spark, inp)
    if not first:
        raise Refused(f"{inp.path}: the file is empty (no header, no rows)")
    width = len(first)
    blank = (spark.read.text(inp.path)
             .where(F.regexp_replace(F.col("value"), "\r$", "") == "").limit(1).count())
    if blank:
        raise Refused(f"{inp.path}: has blank lines; kam counts each as a row of empty fields "
                      "(and numbers the rows after it so), Spark's CSV reader skips them: "
                      "remove the blank lines or convert the file to Parquet")
    if inp.has_header:
        columns = [v if v is not None else "" for v in first]
        if columns and columns[0].startswith("\ufeff"):
            columns[0] = columns[0][1:]  # a UTF-8 byte-order mark, as kam strips it
        if len(set(columns)) != len(columns) or "" in columns:
            raise Refused(f"{inp.path}: blank or repeated column names in the header are not "
                          "handled by the Spark job; name every column once")
    else:
        columns = [f"column_{i}" for i in range(1, width + 1)]
    check_names(columns, inp.path)
    schema = T.StructType([T.StructField(c, T.StringType()) for c in columns]
                          + [T.StructField(CORRUPT, T.StringType())])
    df = (csv_reader(spark, inp, inp.has_header).schema(schema)
          .option("columnNameOfCorruptRecord", CORRUPT).csv(inp.path))
    df, any_ragged = numbered(df, columns + [CORRUPT], check_utf8=columns, path=inp.path,
                              ragged=F.col(CORRUPT).isNotNull())
    df = df.localCheckpoint(eager=True)  # the numbering computed once
    pre = None
    if any_ragged:
        ragged = df.where(F.col(CORRUPT).isNotNull()).select(ROW, CORRUPT).collect()
        pre, drop_rows = ragged_rows(spark, ragged, columns, inp.delimiter)
        if drop_rows:
            df = df.join(spark.createDataFrame([(r,) for r in drop_rows], [ROW]), ROW,
                         "left_anti")
    return RawTable(inp, df.drop(CORRUPT), columns, pre)


def ragged_rows(spark, ragged, columns, sep):
    """src/io/load.rs split_csv: with a row longer than the header, every row of another
    length is a reject; rows that are only shorter are kept (Polars fills the fields)."""
    width = len(columns)
    parsed = []
    for r in ragged:
        rec = next(csv.reader(io.StringIO(r[CORRUPT]), delimiter=sep), [])
        parsed.append((r[ROW], rec))
    if not any(len(rec) > width for _, rec in parsed):
        return None, []
    rows = []
    for row, rec in parsed:
        if len(rec) == width:
            continue
        fields = [(rec[i] if i < len(rec) and rec[i] != "" else None) for i in range(width)]
        reason = f"row has {len(rec)} fields, the header has {width}: " + sep.join(rec)
        rows.append((row, *fields, reason))
    schema = T.StructType([T.StructField(ROW, T.LongType())]
                          + [T.StructField(c, T.StringType()) for c in columns]
                          + [T.StructField(REASON, T.StringType())])
    return spark.createDataFrame(rows, schema), [r[0] for r in rows]


def numbered(df, columns, check_utf8=(), path="", ragged=None):
    """`df` with ROW: the 1-based row number in file order (see the module's note), and
    whether any row is `ragged`, from the same pass."""
    df = df.select(
        *[F.col(f"`{c}`") for c in columns],
        F.col("_metadata.file_path").alias("__kam_file"),
        F.col("_metadata.file_block_start").alias("__kam_block"),
        F.monotonically_increasing_id().alias("__kam_mono"))
    bad_text = F.lit(False)
    for c in check_utf8:
        bad_text = bad_text | F.coalesce(F.col(f"`{c}`").contains("\ufffd"), F.lit(False))
    chunks = (df.groupBy("__kam_file", "__kam_block")
              .agg(F.count(F.lit(1)).alias("n"), F.min("__kam_mono").alias("m0"),
                   F.max(bad_text.cast("int")).alias("bad"),
                   F.max((ragged if ragged is not None else F.lit(False)).cast("int"))
                   .alias("ragged"))
              .collect())
    if any(c["bad"] for c in chunks):
        raise Refused(f"{path}: is not valid UTF-8 (a field holds an undecodable byte); set "
                      "the file's encoding right or convert it to UTF-8")
    chunks.sort(key=lambda c: (c["__kam_file"], c["__kam_block"]))
    offsets, total = [], 0
    for c in chunks:
        offsets.append((c["__kam_file"], c["__kam_block"], total, c["m0"]))
        total += c["n"]
    spark = df.sparkSession
    schema = "__kam_file string, __kam_block long, __kam_off long, __kam_m0 long"
    off = spark.createDataFrame(offsets, schema) if offsets else spark.createDataFrame([], schema)
    out = df.join(F.broadcast(off), ["__kam_file", "__kam_block"])
    row = (F.col("__kam_off") + F.col("__kam_mono") - F.col("__kam_m0") + 1).alias(ROW)
    return (out.select(row, *[F.col(f"`{c}`") for c in columns]),
            any(c["ragged"] for c in chunks))
