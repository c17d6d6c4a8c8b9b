"""kam.toml as the feature job reads it: the same file `kam run` takes, checked with kam's
rules (src/config.rs `Config::check`, src/io/spec.rs `InputParams::check`,
src/validate/params.rs `ValidationParams::check`), plus the job's own refusals: whatever it
cannot honour stops it before Spark starts, with one line naming the setting.
"""

import datetime as dt
import os
import tomllib
from dataclasses import dataclass, field

from . import contract, dates


class Refused(Exception):
    """A config or input the job cannot honour; the message is one line for the user."""


# Top-level keys of kam's Config (deny_unknown_fields there too).
TOP_KEYS = {"as_of", "seed", "time_unit", "lang", "input", "validation", "master", "output",
            "value", "rfm", "segment", "churn", "key_accounts", "plan", "track", "products",
            "satisfaction"}
INPUT_KEYS = {"path", "format", "delimiter", "has_header", "encoding", "date_format", "sheet",
              "columns"}
VALIDATION_DEFAULTS = {"unknown_customers": "keep", "duplicate_transactions": "reject",
                       "min_date": "1990-01-01", "max_abs_amount": 1e12,
                       "max_span_years": 30, "max_future_days": 366}
ENCODINGS = {"utf-8": "utf-8", "utf8": "utf-8", "UTF-8": "utf-8", "gbk": "gbk", "GBK": "gbk",
             "gb18030": "gb18030", "GB18030": "gb18030", "windows-1252": "windows-1252",
             "cp1252": "windows-1252", "latin1": "windows-1252"}
DAYS_PER_UNIT = {"weeks": 7.0, "days": 1.0}  # src/schema/units.rs TimeUnit::days


@dataclass
class Input:
    table: contract.Table
    path: str
    format: str            # csv | parquet
    delimiter: str         # one character
    has_header: bool
    date_format: str | None
    columns: dict = field(default_factory=dict)  # contract name -> file column

    def file_column(self, name):
        return self.columns.get(name, name)

    def is_mapped(self, name):
        return name in self.columns


@dataclass
class Validation:
    unknown_customers: str
    duplicate_transactions: str
    min_date: dt.date
    max_abs_amount: float
    max_span_years: int
    max_future_days: int


@dataclass
class Config:
    path: str
    as_of: dt.date | None
    time_unit: str
    inputs: list            # [Input], customers first (kam's validation order)
    validation: Validation
    not_read: list          # tables in kam.toml this job does not need

    def input(self, name):
        return next((i for i in self.inputs if i.table.name == name), None)


def parse_iso_date(s):
    """src/schema/mod.rs parse_iso_date: `YYYY-MM-DD`, blanks around ignored (chrono %Y-%m-%d)."""
    return dates.parse_iso_date(s)


def load(path, as_of_flag=None):
    try:
        with open(path, "rb") as f:
            raw = tomllib.load(f)
    except FileNotFoundError:
        raise Refused(f"{path}: cannot read the config: file not found")
    except tomllib.TOMLDecodeError as e:
        raise Refused(f"{path}: {e}")
    bad = lambda msg: Refused(f"{path}: {msg}")  # noqa: E731
    unknown = sorted(set(raw) - TOP_KEYS)
    if unknown:
        raise bad(f"unknown field `{unknown[0]}` (kam refuses it too)")
    as_of_text = as_of_flag if as_of_flag is not None else raw.get("as_of")
    as_of = None
    if as_of_text is not None:
        as_of = parse_iso_date(str(as_of_text))
        if as_of is None:
            raise bad(f'as_of = "{as_of_text}" is not a date in the form YYYY-MM-DD')
    time_unit = raw.get("time_unit", "weeks")
    if time_unit not in DAYS_PER_UNIT:
        raise bad(f'time_unit = "{time_unit}": expected "weeks" or "days"')
    validation = check_validation(raw.get("validation", {}), bad)
    inputs_raw = raw.get("input")
    if not isinstance(inputs_raw, dict) or "transactions" not in inputs_raw:
        raise bad("missing field `input.transactions`")
    if "customer_merges" in inputs_raw:
        raise bad("[input.customer_merges] is not implemented by the Spark job (kam folds the "
                  "merge map into the customer ids before features); run without it or use kam")
    unknown = sorted(set(inputs_raw) - {t.name for t in contract.TABLES}
                     - set(contract.OTHER_TABLES))
    if unknown:
        raise bad(f"unknown input table `{unknown[0]}`")
    base = os.path.dirname(os.path.abspath(path))
    inputs = []
    for table in contract.TABLES:
        if table.name in inputs_raw:
            p = inputs_raw[table.name]
            try:
                inputs.append(check_input(p, table, base))
            except Refused as e:
                raise bad(f"[input.{table.name}] {e}")
    not_read = [t for t in contract.OTHER_TABLES if t in inputs_raw]
    return Config(path, as_of, time_unit, inputs, validation, not_read)


def check_validation(v, bad):
    unknown = sorted(set(v) - set(VALIDATION_DEFAULTS))
    if unknown:
        raise bad(f"unknown field `{unknown[0]}` in [validation]")
    p = {**VALIDATION_DEFAULTS, **v}
    if p["unknown_customers"] not in ("keep", "reject"):
        raise bad(f'validation.unknown_customers = "{p["unknown_customers"]}": '
                  'expected "keep" or "reject"')
    if p["duplicate_transactions"] not in ("reject", "note", "keep"):
        raise bad(f'validation.duplicate_transactions = "{p["duplicate_transactions"]}": '
                  'expected "reject", "note" or "keep"')
    min_day = parse_iso_date(str(p["min_date"]))
    if min_day is None:
        raise bad(f'validation.min_date = "{p["min_date"]}" is not a date in the form '
                  'YYYY-MM-DD')
    max_abs = float(p["max_abs_amount"])
    if not (max_abs == max_abs and abs(max_abs) != float("inf") and max_abs > 0):
        raise bad(f"validation.max_abs_amount must be a positive number, got {max_abs}")
    if int(p["max_span_years"]) < 1:
        raise bad("validation.max_span_years must be at least 1")
    if int(p["max_future_days"]) < 0:
        raise bad("validation.max_future_days must not be negative")
    return Validation(p["unknown_customers"], p["duplicate_transactions"], min_day, max_abs,
                      int(p["max_span_years"]), int(p["max_future_days"]))


def check_input(p, table, base):
    """src/io/spec.rs InputParams::check, and what Spark cannot read refused."""
    unknown = sorted(set(p) - INPUT_KEYS)
    if unknown:
        raise Refused(f"unknown field `{unknown[0]}`")
    path = str(p.get("path", ""))
    if not path.strip():
        raise Refused("path is empty")
    if "://" not in path and not os.path.isabs(path):
        path = os.path.join(base, path)
    if "://" not in path and not os.path.exists(path):
        raise Refused(f"{path}: file not found")
    name = path.rstrip("/").rsplit("/", 1)[-1]
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    fmt = p.get("format") or {"parquet": "parquet", "pq": "parquet", "xlsx": "xlsx",
                              "xlsm": "xlsx"}.get(ext, "csv")
    if fmt not in ("csv", "parquet", "xlsx"):
        raise Refused(f'format = "{fmt}": expected "csv", "parquet" or "xlsx"')
    if fmt == "xlsx":
        raise Refused("XLSX is not read by the Spark job; export the sheet as CSV or Parquet")
    delimiter = p.get("delimiter")
    if delimiter is None:
        delimiter = "\t" if ext == "tsv" else ","
    elif delimiter in ("whitespace", "spaces"):
        raise Refused(f'delimiter = "{delimiter}" (runs of blanks) is not implemented by the '
                      "Spark job; convert the file to one delimiter character or to Parquet")
    elif delimiter in ("tab", "\t"):
        delimiter = "\t"
    elif not (len(delimiter) == 1 and delimiter.isascii() and delimiter not in '"\n\r'):
        raise Refused(f"delimiter = {delimiter!r} must be one ASCII character, \"tab\" or "
                      "\"whitespace\"")
    encoding = p.get("encoding", "utf-8")
    if encoding not in ENCODINGS:
        raise Refused(f'encoding = "{encoding}": unknown (utf-8, gbk, gb18030, windows-1252)')
    if ENCODINGS[encoding] != "utf-8":
        raise Refused(f'encoding = "{encoding}" is not honoured by the Spark job (Spark replaces '
                      "undecodable bytes where kam refuses the file); convert to UTF-8 or Parquet")
    if "sheet" in p:
        raise Refused("sheet is an XLSX setting; the Spark job reads CSV and Parquet only")
    date_format = p.get("date_format")
    if date_format is not None:
        problem = dates.check_format(date_format)
        if problem:
            raise Refused(f"date_format = {date_format!r}: {problem}")
    columns = {}
    for c, file_col in (p.get("columns") or {}).items():
        if table.column(c) is None:
            raise Refused(f"columns: '{c}' is not a {table.name} column; the contract has: "
                          + ", ".join(table.names()))
        if not file_col:
            raise Refused(f"columns.{c} is empty")
        columns[c] = file_col
    return Input(table, path, fmt, delimiter, bool(p.get("has_header", True)), date_format,
                 columns)
