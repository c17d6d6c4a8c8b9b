"""Dates from text as kam parses them: the input's `date_format` first, then the ISO forms kam
always accepts (src/validate/dates.rs `date_from_text`, ISO_FORMS). kam parses with Polars,
which falls back to chrono's `parse_from_str` for every value its fast path does not take, so
the rules here are chrono's (chrono 0.4 src/format/parse.rs `parse_internal`):

- a numeric field first skips white space, then reads 1 to its width of ASCII digits
  (%Y: 4, or any number after an explicit sign; %m %d %H %M %S %y: 2) and never gives any
  back (possessive regex quantifiers mirror that);
- white space in the format matches any run of white space, including none;
- other characters match themselves exactly; the whole value must be consumed;
- %b reads a month's first three letters (any case), %B those and the rest of its name when
  present; %.f an optional `.` and digits; %y below 70 is 20xx, else 19xx.

A format is compiled to one anchored regular expression whose groups are the fields; the
date is built with make_date (NULL for an impossible date, as chrono). Specifiers outside
this list are refused up front (config.py), never guessed.
"""

import datetime as dt
import re

from pyspark.sql import functions as F

ISO_FORMS = ("%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M",
             "%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S%.f")
# strftime's composite specifiers, spelled out as chrono does.
COMPOSITES = {"%F": "%Y-%m-%d", "%T": "%H:%M:%S", "%R": "%H:%M", "%D": "%m/%d/%y"}
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
LONG_SUFFIX = ("uary", "ruary", "ch", "il", "", "e", "y", "ust", "tember", "ober", "ember",
               "ember")
TIME_SPECS = ("%H", "%M", "%S", "%T", "%R", "%I", "%p", "%s")
SUPPORTED = {"%Y", "%y", "%m", "%d", "%e", "%b", "%h", "%B", "%H", "%M", "%S", "%.f", "%%"}


def expand(fmt):
    for k, v in COMPOSITES.items():
        fmt = fmt.replace(k, v)
    return fmt


def tokens(fmt):
    """The format as (kind, text) items: ('spec', '%Y'), ('space', ' '), ('lit', '-')."""
    out, i = [], 0
    fmt = expand(fmt)
    while i < len(fmt):
        c = fmt[i]
        if c == "%":
            spec = fmt[i:i + 3] if fmt[i + 1:i + 2] == "." else fmt[i:i + 2]
            out.append(("spec", spec))
            i += len(spec)
        elif c.isspace():
            j = i
            while j < len(fmt) and fmt[j].isspace():
                j += 1
            out.append(("space", fmt[i:j]))
            i = j
        else:
            out.append(("lit", c))
            i += 1
    return out


def check_format(fmt):
    """None when the job can parse `fmt` exactly as kam; else why not (src/io/spec.rs
    check_date_format, plus the specifiers this module implements)."""
    has = lambda specs: any(s in fmt for s in specs)  # noqa: E731
    whole = has(["%F", "%D", "%x"])
    ymd = has(["%Y", "%y", "%G"]) and has(["%m", "%b", "%B", "%h"]) and has(["%d", "%e"])
    if not (whole or ymd):
        return "must contain a year, a month and a day (e.g. %Y, %m, %d)"
    for kind, text in tokens(fmt):
        if kind == "spec" and text not in SUPPORTED:
            return (f"the specifier {text} is not implemented by the Spark job (it reads "
                    + ", ".join(sorted(SUPPORTED | set(COMPOSITES))) + ")")
    if has_time(fmt) and not ("%H" in expand(fmt) and "%M" in expand(fmt)):
        return "a format with a time must hold %H and %M (chrono needs both)"
    return None


def has_time(fmt):
    return any(s in fmt for s in TIME_SPECS)


def compile_form(fmt, java=True):
    """(regex, roles): an anchored regex for `fmt` and the field each group holds."""
    ws = r"\p{IsWhite_Space}" if java else r"\s"
    num = lambda width: ws + "*+([0-9]{1," + str(width) + "}+)"  # noqa: E731
    parts, roles = ["^"], []
    for kind, text in tokens(fmt):
        if kind == "space":
            parts.append(ws + "*+")
        elif kind == "lit":
            parts.append(re.escape(text) if not text.isalnum() else text)
        elif text == "%%":
            parts.append("%")
        elif text == "%Y":
            parts.append(ws + "*+([+-][0-9]++|[0-9]{1,4}+)")
            roles.append("year")
        elif text == "%y":
            parts.append(num(2))
            roles.append("year2")
        elif text in ("%m", "%d", "%e", "%H", "%M", "%S"):
            parts.append(num(2))
            roles.append({"%m": "month", "%d": "day", "%e": "day", "%H": "hour",
                          "%M": "minute", "%S": "second"}[text])
        elif text in ("%b", "%h"):
            parts.append("((?i:" + "|".join(MONTHS) + "))")
            roles.append("month_name")
        elif text == "%B":
            alts = [m + (f"(?:{s})?+" if s else "") for m, s in zip(MONTHS, LONG_SUFFIX)]
            parts.append("((?i:" + "|".join(alts) + "))")
            roles.append("month_name")
        elif text == "%.f":
            parts.append(r"(?:\.[0-9]++)?+")
        else:
            raise ValueError(f"unsupported specifier {text}")
    parts.append("$")
    return "".join(parts), roles


def parse_iso_date(s):
    """Python twin of the Spark parse for `%Y-%m-%d` (kam.toml's own dates)."""
    regex, roles = compile_form("%Y-%m-%d", java=False)
    m = re.match(regex, s.strip())
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def _form(t, fmt):
    """Column: the date `t` holds in form `fmt`, or NULL (needs spark.sql.ansi.enabled=false,
    so make_date gives NULL for an impossible date)."""
    regex, roles = compile_form(fmt)
    g = {role: F.regexp_extract(t, regex, i + 1) for i, role in enumerate(roles)}
    if "year" in g:
        year = g["year"].cast("int")
    else:
        y2 = g["year2"].cast("int")
        year = F.when(y2 < 70, y2 + 2000).otherwise(y2 + 1900)
    if "month" in g:
        month = g["month"].cast("int")
    else:
        low = F.lower(F.substring(g["month_name"], 1, 3))
        month = F.lit(None).cast("int")
        for i, m in reversed(list(enumerate(MONTHS))):
            month = F.when(low == m, i + 1).otherwise(month)
    date = F.make_date(year, month, g["day"].cast("int"))
    if "hour" in g:
        ok = (g["hour"].cast("int") <= 23) & (g["minute"].cast("int") <= 59)
        if "second" in g:
            ok = ok & (g["second"].cast("int") <= 60)
        date = F.when(ok, date)
    general = F.when(t.rlike(regex), date)
    if fmt == "%Y-%m-%d":
        # fast path for the common clean value: same answer, no group extraction
        fast = F.make_date(F.substring(t, 1, 4).cast("int"), F.substring(t, 6, 2).cast("int"),
                           F.substring(t, 9, 2).cast("int"))
        return F.when(t.rlike("^[0-9]{4}-[0-9]{2}-[0-9]{2}$"), fast).otherwise(general)
    return general


def date_from_text(t, date_format):
    """src/validate/dates.rs date_from_text: the configured format, then the ISO forms."""
    forms = ([date_format] if date_format else []) + list(ISO_FORMS)
    return F.coalesce(*[_form(t, f) for f in forms])
