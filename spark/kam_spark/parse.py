"""One contract column of a raw input -> its typed value and the problems that reject a row,
as Spark columns (src/validate/parse.rs `parse`, `Parsing`, `quoted`, `text`, `code`).

Each problem is (when, reason, check); a row's reason is its first problem in order
(src/validate/rejects.rs `first_problems`), so the order of the lists here is kam's.
"""

from dataclasses import dataclass

from pyspark.sql import functions as F
from pyspark.sql import types as T

from . import contract as c
from . import dates

WS = r"\p{IsWhite_Space}"  # Rust char::is_whitespace is Unicode White_Space
QUOTE_MAX = 60             # src/validate/parse.rs QUOTE_MAX
# fast_float2's grammar (Polars' string -> Float64 cast); the value is then Java's correctly
# rounded parseDouble, the same double.
NUMBER_RE = r"^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$"
NAN_RE = r"^[+-]?(?i:nan)$"
INF_RE = r"^\+?(?i:inf|infinity)$"
NEG_INF_RE = r"^-(?i:inf|infinity)$"
TRUE_WORDS = ("true", "t", "yes", "y", "1", "是")
FALSE_WORDS = ("false", "f", "no", "n", "0", "否")


@dataclass
class Problem:
    when: object    # Column: true on the rows with the problem
    reason: object  # Column: the sentence written to the rejects
    check: str      # short category, e.g. `amount: not a number`


def text(raw, dtype):
    """src/validate/parse.rs text: trimmed (Unicode white space), blank as missing."""
    s = raw if isinstance(dtype, T.StringType) else raw.cast("string")
    t = F.regexp_replace(s, f"^{WS}+|{WS}+$", "")
    return F.when(t != "", t)


def code(t):
    """`Ready Mix` / `ready-mix` -> `ready_mix`: lower case, words split on white space or
    '-', empty words dropped, joined by '_' (src/validate/parse.rs code)."""
    sep = f"[{WS}-]+"
    return F.regexp_replace(F.regexp_replace(F.lower(t), f"^{sep}|{sep}$", ""), sep, "_")


def quoted(label, t, what):
    """`<label> '<raw value>' <what>`, the value cut to 60 characters (parse.rs quoted)."""
    return F.concat(F.lit(f"{label} '"), F.substring(t, 1, QUOTE_MAX), F.lit(f"' {what}"))


@dataclass
class Source:
    raw: object       # the file's column as stored
    dtype: object     # its Spark type
    t: object         # trimmed text, blank as null
    present: object   # true where the file has a value


def source(raw, dtype, text_col):
    if isinstance(dtype, T.StringType):
        return Source(raw, dtype, F.col(text_col), F.col(text_col).isNotNull())
    return Source(raw, dtype, text(raw, dtype), raw.isNotNull())


def is_numeric(dtype):
    return isinstance(dtype, (T.ByteType, T.ShortType, T.IntegerType, T.LongType,
                              T.FloatType, T.DoubleType, T.DecimalType))


def number_from_text(t):
    return (F.when(t.rlike(NUMBER_RE), t.cast("double"))
            .when(t.rlike(NAN_RE), F.lit(float("nan")))
            .when(t.rlike(INF_RE), F.lit(float("inf")))
            .when(t.rlike(NEG_INF_RE), F.lit(float("-inf"))))


def not_finite(v):
    v = v.cast("double")
    return F.isnan(v) | (F.abs(v) == float("inf"))


def to_long(f):
    """Polars' non-strict Float64 -> Int64 cast: toward zero, NULL when NaN, infinite or out
    of range (Spark's own cast would give 0 or the largest long)."""
    return F.when(~not_finite(f) & (f >= -(2.0 ** 63)) & (f < 2.0 ** 63), f.cast("long"))


class Parsing:
    """One column being parsed: its source, contract name, label and value column `v`."""

    def __init__(self, src, name, label, v):
        self.src, self.name, self.label, self.v = src, name, label, v

    def problem(self, when, what, check):
        return Problem(when, quoted(self.label, self.src.t, what), f"{self.name}: {check}")

    def unparsed(self, what, check):
        return self.problem(self.src.present & self.v.isNull(), what, check)

    def parse(self, column, date_format):
        """(value, problems) by the column's kind (parse.rs `parse`)."""
        kind, t, src = column.kind, self.src.t, self.src
        if kind == c.TEXT:
            return t, []
        if kind == c.CODE:
            return code(t), []
        if kind == c.ONE_OF:
            ok = F.lit(False)
            for x in column.values:
                ok = ok | (self.v == x)
            return code(t), [self.problem(src.present & ~ok,
                                          "is not one of " + ", ".join(column.values),
                                          "not an allowed value")]
        if kind == c.DATE:
            if isinstance(src.dtype, T.DateType):
                value = src.raw
            elif isinstance(src.dtype, (T.TimestampType, T.TimestampNTZType)):
                value = src.raw.cast("date")
            else:
                value = dates.date_from_text(t, date_format)
            expected = date_format or "%Y-%m-%d"
            return value, [self.unparsed(f"is not a date ({expected})", "not a date")]
        if kind in (c.NUMBER, c.NON_NEGATIVE, c.COUNT):
            return self.number(kind)
        if kind == c.BOOL:
            if isinstance(src.dtype, T.BooleanType):
                return src.raw, []
            low = F.lower(t)
            value = (F.when(low.isin(*TRUE_WORDS), F.lit(True))
                     .when(low.isin(*FALSE_WORDS), F.lit(False)))
            return value, [self.unparsed("is not yes/no", "not yes/no")]
        raise ValueError(kind)

    def number(self, kind):
        src, v = self.src, self.v
        if is_numeric(src.dtype):
            value = src.raw.cast("double")
        else:
            value = number_from_text(src.t)
        problems = [self.unparsed("is not a number", "not a number"),
                    self.problem(not_finite(v), "is not a finite number", "not finite")]
        if kind != c.NUMBER:
            problems.append(self.problem(v < 0, "is negative", "negative"))
        if kind == c.COUNT:
            # checked on the float value (the Int64 cast comes after the check)
            problems.append(self.problem(value % 1 != 0, "is not a whole number",
                                         "not a whole number"))
            return to_long(value), problems
        return value, problems
