"""Validation that loses nothing, as kam's (src/validate/mod.rs `validate_table`): every input
row is either used (typed values) or rejected (row, check, reason and its original fields as
text), and read = used + rejected for every table.

The order of the steps is kam's: the row problems in contract order then the table rules
(the first problem of a row is its reason); then the checks over the used rows as a whole:
a repeated key (customers), a stray far-ahead tail when there is no as_of (future.rs), then
transaction rows repeating an earlier row in every column (repeats.rs).
"""

import datetime as dt
from dataclasses import dataclass, field

from pyspark.sql import Window
from pyspark.sql import functions as F
from pyspark.sql import types as T

from . import contract as c
from . import rules
from .config import Refused
from .load import REASON, ROW
from .parse import Parsing, Problem, source, text

CHECK_I, REASON_I, FIRST = "__kam_check", "__kam_reason", "__kam_first"
# Tables up to this many rows are sent whole to every executor for a join (known customer
# ids, the rejected rows), so the transactions are never shuffled for it.
BROADCAST_MAX = 2_000_000


def V(name):  # noqa: N802 - the parsed value of a contract column while validating
    return f"__kam_v_{name}"


def O(i):  # noqa: N802 - the file's i-th column while validating
    return f"__kam_o_{i}"


@dataclass
class ValidTable:
    name: str
    clean: object                   # used rows: contract names, typed
    rejects: object                 # row, check, reason, the original columns as text
    counts: dict                    # read, used, rejected, rejected_by_check
    notes: list = field(default_factory=list)


@dataclass
class Present:
    name: str
    file_col: str
    index: int
    dtype: object
    label: str


def present_columns(raw):
    """validate/columns.rs present: the contract columns the file has; a missing required or
    mapped one stops the job as it stops kam."""
    inp, out = raw.input, {}
    types = {f.name: f.dataType for f in raw.frame.schema.fields}
    for col in inp.table.columns:
        fc = inp.file_column(col.name)
        if fc in raw.columns:
            label = col.name if fc == col.name else f"{col.name} ('{fc}')"
            out[col.name] = Present(col.name, fc, raw.columns.index(fc), types[fc], label)
        elif col.required or inp.is_mapped(col.name):
            raise Refused(f"{inp.path}: no column '{fc}' for {col.name}; found: "
                          + (", ".join(raw.columns) or "(none)"))
    if inp.table is c.TRANSACTIONS and "amount" not in out and not (
            "quantity" in out and "unit_price" in out):
        raise Refused(f"{inp.path}: no column amount (or both quantity and unit_price); "
                      "found: " + ", ".join(raw.columns))
    return out


def validate(spark, raws, cfg):
    """Every table (customers first), the run's as_of and the span note."""
    tables, known = {}, None
    for raw in raws:
        t = validate_table(spark, raw, cfg, known)
        tables[t.name] = t
        if t.name == c.CUSTOMERS.name:
            known = t.clean.select(F.col("customer_id").alias("__kam_id")).distinct()
            if t.counts["used"] <= BROADCAST_MAX:
                known = F.broadcast(known)  # a hash set on every executor, no shuffle
    tx = tables[c.TRANSACTIONS.name]
    span = tx.clean.agg(F.min("date").alias("a"), F.max("date").alias("b")).collect()[0]
    as_of = cfg.as_of
    if as_of is None and span["b"] is not None:
        as_of = span["b"] + dt.timedelta(days=1)
    if span["a"] is not None:
        years = (span["b"] - span["a"]).days / 365.25
        if years > cfg.validation.max_span_years:
            tx.notes.append(
                f"dates span {years:.0f} years ({span['a']} to {span['b']}), more than "
                f"validation.max_span_years ({cfg.validation.max_span_years}); look for "
                "placeholder or mistyped dates")
    return tables, as_of


def validate_table(spark, raw, cfg, known):
    spec, inp = raw.input.table, raw.input
    present = present_columns(raw)
    label = lambda n: present[n].label if n in present else n  # noqa: E731
    frame = raw.frame.select(F.col(ROW), *[F.col(f"`{col}`").alias(O(i))
                                           for i, col in enumerate(raw.columns)])
    texts, values, problems = [], [], []
    for p in present.values():
        if isinstance(p.dtype, T.StringType):
            texts.append(rules_text(p).alias(f"__kam_t_{p.name}"))
    frame = frame.select("*", *texts)
    for p in present.values():
        col = spec.column(p.name)
        src = source(F.col(O(p.index)), p.dtype, f"__kam_t_{p.name}")
        parsing = Parsing(src, p.name, p.label, F.col(V(p.name)))
        if col.required:
            problems.append(Problem(~src.present, F.lit(f"{p.label} is blank"),
                                    f"{p.name}: blank"))
        value, probs = parsing.parse(col, inp.date_format)
        values.append(value.alias(V(p.name)))
        problems.extend(probs)
    frame = frame.select("*", *values)
    flags, notes = {}, []
    if spec is c.TRANSACTIONS:
        if known is not None:
            # membership in the known ids (rules.rs unknown_customers)
            frame = (frame.join(known, frame[V("customer_id")] == known["__kam_id"], "left")
                     .withColumnRenamed("__kam_id", "__kam_known"))
        extra, more, flags, notes = rules.transactions(present, label, cfg, cfg.as_of, known)
        frame = frame.select("*", *[e.alias(V(n)) for n, e in extra.items()])
        problems.extend(more)
    # each row's first problem (NULL: none) computed once, and the lineage cut there: later
    # plans read plain columns instead of re-planning the parsing. A CASE stops at the first
    # problem that holds (a NULL condition does not), as kam's reason is the first problem.
    first = F.lit(None).cast("int")
    if problems:
        first = F.when(problems[0].when, F.lit(0))
        for i, p in enumerate(problems[1:], 1):
            first = first.when(p.when, F.lit(i))
    frame = cut(frame.select("*", *[f.alias(n) for n, f in flags.items()], first.alias(FIRST)))
    bad_rows = first_problems(frame.where(F.col(FIRST).isNotNull()), problems)
    # the used rows keep only what the later checks and the clean table read
    ok = frame.where(F.col(FIRST).isNull()).select(
        ROW, *[V(n) for n in present], *[V(n) for n in extra_names(spec, present)],
        *flags.keys(), *[O(i) for i in range(len(raw.columns))])
    later = []
    if spec.key:
        ok, dups = duplicates(ok, spec.key)
        later.append(dups)
    if spec is c.TRANSACTIONS and cfg.as_of is None:
        ok, ahead = future_tail(ok, cfg.validation.max_future_days)
        if ahead is not None:
            later.append(ahead)
    if spec is c.TRANSACTIONS and cfg.validation.duplicate_transactions != "keep":
        kept, repeated = repeats(ok, len(raw.columns))
        if cfg.validation.duplicate_transactions == "reject":
            ok = kept
            later.append(repeated)
        else:
            n = repeated.count()
            if n:
                notes.append((None, f"{n} rows repeat an earlier row in every column; kept "
                                    '(validation.duplicate_transactions = "note")'))
    ok = cut(ok.drop(*[O(i) for i in range(len(raw.columns))]))
    # the used rows and each note's flag counted in one pass (mod.rs flag_notes)
    flagged = [f for f, _ in notes if f is not None]
    tally = ok.agg(F.count(F.lit(1)).alias("__kam_n"),
                   *[F.sum(F.col(f).cast("long")).alias(f) for f in flagged]).collect()[0]
    out_notes = []
    for flag, note in notes:
        if flag is None:
            out_notes.append(note)
        elif tally[flag]:
            out_notes.append(note.replace("{n}", str(tally[flag])))
    rejects = reject_rows(spark, raw, frame, bad_rows, later)
    clean = ok.select(*[F.col(V(n)).alias(n) for n in clean_names(spec, present)])
    return ValidTable(spec.name, clean, rejects, counts(tally["__kam_n"], rejects), out_notes)


def extra_names(spec, present):
    """Values the table rules derive (amount = quantity x unit_price without an amount)."""
    return ["amount"] if spec is c.TRANSACTIONS and "amount" not in present else []


def rules_text(p):
    """The trimmed text of a present text column (parse.rs text), materialized once."""
    return text(F.col(O(p.index)), p.dtype)


def clean_names(spec, present):
    names = [n for n in spec.names() if n in present or (n == "amount" and spec is
                                                          c.TRANSACTIONS)]
    if spec is c.TRANSACTIONS:
        names = [n for n in names if n != "unit_price"]  # schema TRANSACTIONS_KEPT
    return names


def cut(df):
    """`df` computed once and kept on the executors, its lineage cut (later plans stay small;
    a lost executor fails the job rather than recomputing)."""
    return df.localCheckpoint(eager=True)


def first_problems(bad, problems):
    """rejects.rs first_problems: row, reason and check of each bad row, from the index of
    its first problem (FIRST); the reasons are built for the bad rows only."""
    reason = F.lit(None).cast("string")
    check = F.lit(None).cast("string")
    if problems:
        reason = F.when(F.col(FIRST) == 0, problems[0].reason)
        check = F.when(F.col(FIRST) == 0, F.lit(problems[0].check))
        for i, p in enumerate(problems[1:], 1):
            reason = reason.when(F.col(FIRST) == i, p.reason)
            check = check.when(F.col(FIRST) == i, F.lit(p.check))
    return bad.select(F.col(ROW), reason.alias(REASON_I), check.alias(CHECK_I))


def duplicates(ok, key):
    """rules.rs duplicates: a repeated key rejects the later rows, naming the first."""
    k = F.coalesce(F.col(V(key)).cast("string"), F.lit(""))
    marked = ok.withColumn("__kam_first_row", F.min(ROW).over(Window.partitionBy(k)))
    dup = F.col(ROW) != F.col("__kam_first_row")
    dups = marked.where(dup).select(
        F.col(ROW),
        F.concat(F.lit(f"duplicate {key} (first on row "),
                 F.col("__kam_first_row").cast("string"), F.lit(")")).alias(REASON_I),
        F.lit(f"{key}: duplicate").alias(CHECK_I))
    return marked.where(~dup).drop("__kam_first_row"), dups


def future_tail(ok, max_days):
    """future.rs split: without as_of, a small tail after a long gap is rejected."""
    by_day = (ok.select(F.datediff(F.col(V("date")), F.lit(dt.date(1970, 1, 1))).alias("d"))
              .where(F.col("d").isNotNull()).groupBy("d").count().orderBy("d").collect())
    end = rules.bulk_end([r["d"] for r in by_day], [r["count"] for r in by_day], max_days)
    if end is None:
        return ok, None
    end_day = dt.date(1970, 1, 1) + dt.timedelta(days=end)
    ahead = F.col(V("date")) > F.lit(end_day)
    rejected = ok.where(ahead).select(
        F.col(ROW),
        F.concat(F.lit("date '"), F.date_format(F.col(V("date")), "yyyy-MM-dd"),
                 F.lit(f"' is more than validation.max_future_days ({max_days}) after "
                       f"{end_day}, where the rest of the history ends")).alias(REASON_I),
        F.lit(rules.FAR_AHEAD).alias(CHECK_I))
    return ok.where(~ahead), rejected


def repeats(ok, n_columns):
    """repeats.rs: a used row equal to an earlier used row in every file column, as text
    (missing and blank alike), is a repeat naming the first occurrence's row. Found on the
    row numbers and file columns alone; the used rows then lose them by an anti join."""
    key = [F.coalesce(F.col(O(i)).cast("string"), F.lit("")) for i in range(n_columns)]
    narrow = ok.select(ROW, *[k.alias(f"__kam_k{i}") for i, k in enumerate(key)])
    marked = narrow.withColumn(
        "__kam_first_row",
        F.min(ROW).over(Window.partitionBy(*[f"__kam_k{i}" for i in range(n_columns)])))
    repeated = cut(marked.where(F.col(ROW) != F.col("__kam_first_row")).select(
        F.col(ROW),
        F.concat(F.lit("repeats row "), F.col("__kam_first_row").cast("string"),
                 F.lit(" in every column")).alias(REASON_I),
        F.lit("duplicate row").alias(CHECK_I)))
    n = repeated.count()
    if n == 0:
        return ok, repeated
    rows = repeated.select(ROW)
    if n <= BROADCAST_MAX:
        rows = F.broadcast(rows)
    return ok.join(rows, ROW, "left_anti"), repeated


def original_names(columns):
    """rejects.rs original_names: `row`, `check`, `reason` in the file get `_original`."""
    head = [c.ROW, c.CHECK, c.REASON]
    taken = set(head) | set(columns)
    out = []
    for col in columns:
        if col not in head:
            out.append(col)
            continue
        name = f"{col}_original"
        while name in taken:
            name += "_original"
        taken.add(name)
        out.append(name)
    return out


def original_text(col, dtype):
    """A file's value as the rejects show it: Polars' cast to text (floats as Polars prints
    them, see rules.polars_float_str; dates ISO; text as it is)."""
    if isinstance(dtype, T.DoubleType):
        return rules.float_text(col)
    return col.cast("string")


def reject_rows(spark, raw, frame, bad_rows, later):
    """rejects.rs reject_rows: row, check, reason, then the file's columns as text."""
    names = original_names(raw.columns)
    parts = bad_rows
    for d in later:
        parts = parts.unionByName(d)
    types = {f.name: f.dataType for f in raw.frame.schema.fields}
    origs = [original_text(F.col(O(i)), types[col]).alias(n)
             for i, (col, n) in enumerate(zip(raw.columns, names))]
    parts = cut(parts)
    if parts.count() <= BROADCAST_MAX:
        parts = F.broadcast(parts)
    out = (parts.join(frame.select(F.col(ROW), *origs), ROW)
           .select(F.col(ROW).alias(c.ROW), F.col(CHECK_I).alias(c.CHECK),
                   F.col(REASON_I).alias(c.REASON), *[F.col(f"`{n}`") for n in names]))
    if raw.pre_rejects is not None:
        pre = raw.pre_rejects.select(
            F.col(ROW).alias(c.ROW), F.lit("row: wrong number of fields").alias(c.CHECK),
            F.col(REASON).alias(c.REASON),
            *[F.col(f"`{col}`").alias(n) for col, n in zip(raw.columns, names)])
        out = out.unionByName(pre)
    return cut(out.orderBy(c.ROW))


def counts(used, rejects):
    """mod.rs Counts::of: read = used + rejected, and the rejects per check."""
    by_check = {r[c.CHECK]: r["count"] for r in rejects.groupBy(c.CHECK).count().collect()}
    rejected = sum(by_check.values())
    out = {"read": used + rejected, "used": used, "rejected": rejected}
    if by_check:
        out["rejected_by_check"] = dict(sorted(by_check.items()))
    return out
