"""Cross-column rules of the transactions (src/validate/rules.rs `transactions`): amount from
quantity x unit_price, dates before min_date / after as_of / far ahead, implausible
magnitudes, customers missing from the customers table. And the number formats kam's reasons
print: Polars' cast of a float to text (zmij, shortest digits) and Rust's `{}` of a float.
"""

from pyspark.sql import functions as F
from pyspark.sql import types as T

from .parse import Problem, quoted

FAR_AHEAD = "date: beyond max_future_days"  # src/validate/future.rs FAR_AHEAD
UNKNOWN_FLAG = "__kam_unknown"
UNKNOWN_NOTE = ("{n} transactions of customers not in the customers table were kept "
                '(validation.unknown_customers = "keep")')


def v(name):
    return F.col(f"__kam_v_{name}")


def shortest_digits(x):
    """(digits, exponent of the first digit) of the shortest repr of a finite nonzero x."""
    mant, _, exp = repr(abs(x)).partition("e")
    exp = int(exp) if exp else 0
    whole, _, frac = mant.partition(".")
    digits = (whole + frac).lstrip("0")
    lead = len(whole.lstrip("0")) - 1 if whole.strip("0") else -(len(frac) - len(frac.lstrip("0")) + 1)
    digits = digits.rstrip("0") or "0"
    return digits, exp + lead


def polars_float_str(x):
    """Polars' Float64 -> String cast (zmij::Buffer::format): shortest digits; fixed notation
    for decimal exponents -5..=15 (integers end in `.0`), else `d.ddde+NN`/`de-N`."""
    if x is None:
        return None
    if x != x:
        return "NaN"
    if x in (float("inf"), float("-inf")):
        return "inf" if x > 0 else "-inf"
    sign = "-" if (x < 0 or (x == 0 and str(x).startswith("-"))) else ""
    if x == 0:
        return sign + "0.0"
    digits, e = shortest_digits(x)
    if -5 <= e <= 15:
        if len(digits) - 1 <= e:
            return sign + digits + "0" * (e + 1 - len(digits)) + ".0"
        if e >= 0:
            return sign + digits[:e + 1] + "." + digits[e + 1:]
        return sign + "0." + "0" * (-e - 1) + digits
    mant = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
    return f"{sign}{mant}e{'+' if e >= 0 else '-'}{abs(e)}"


def rust_display(x):
    """Rust's `{}` of an f64: shortest digits, never an exponent (1e12 -> 1000000000000)."""
    if x == int(x) and abs(x) < 1e300:
        return str(int(x))
    digits, e = shortest_digits(x)
    sign = "-" if x < 0 else ""
    if e >= 0:
        return sign + digits[:e + 1].ljust(e + 1, "0") + ("." + digits[e + 1:] if len(digits) > e + 1 else "")
    return sign + "0." + "0" * (-e - 1) + digits


@F.udf(T.StringType())
def float_text(x):
    return polars_float_str(x)


def transactions(present, label, cfg, as_of, known):
    """(extra value columns, problems, flag columns, notes) of the transactions' rules."""
    extra, problems, flags, notes = {}, [], {}, []
    amount_rules(present, label, extra, problems)
    date_rules(label, cfg.validation, as_of, problems)
    for name in ("amount", "quantity"):
        if name == "amount" or name in present:
            mx = cfg.validation.max_abs_amount
            problems.append(Problem(
                F.abs(v(name)) > mx,
                quoted(label(name), float_text(v(name)),
                       f"is beyond validation.max_abs_amount ({rust_display(mx)})"),
                f"{name}: implausible"))
    if known is not None:
        unknown = F.col("__kam_known").isNull() & v("customer_id").isNotNull()
        if cfg.validation.unknown_customers == "reject":
            problems.append(Problem(unknown, quoted(label("customer_id"), v("customer_id"),
                                                    "is not in the customers table"),
                                    "customer_id: not in customers"))
        else:
            flags[UNKNOWN_FLAG] = unknown
            notes.append((UNKNOWN_FLAG, UNKNOWN_NOTE))
    return extra, problems, flags, notes


def amount_rules(present, label, extra, problems):
    """A blank amount is a problem; without an amount column, amount = quantity x unit_price
    and both must be present (rules.rs amount_rules)."""
    if "amount" in present:
        problems.append(Problem(v("amount").isNull(), F.lit(f"{label('amount')} is blank"),
                                "amount: blank"))
        return
    extra["amount"] = v("quantity") * v("unit_price")
    for name in ("quantity", "unit_price"):
        problems.append(Problem(
            v(name).isNull(),
            F.lit(f"{label(name)} is blank (amount = quantity x unit_price)"),
            f"{name}: blank"))


def date_rules(label, val, as_of, problems):
    """rules.rs date_rules: before min_date; with as_of, far ahead first, then after as_of."""
    day = v("date")
    text = F.date_format(day, "yyyy-MM-dd")
    problems.append(Problem(day < F.lit(val.min_date),
                            quoted(label("date"), text,
                                   f"is before validation.min_date ({val.min_date})"),
                            "date: before min_date"))
    if as_of is None:
        return
    limit = F.date_add(F.lit(as_of), val.max_future_days)
    problems.append(Problem(
        day > limit,
        quoted(label("date"), text, f"is more than validation.max_future_days "
                                    f"({val.max_future_days}) after as_of ({as_of})"),
        FAR_AHEAD))
    problems.append(Problem(day > F.lit(as_of),
                            quoted(label("date"), text, f"is after as_of ({as_of})"),
                            "date: after as_of"))


def bulk_end(days, counts, max_days, stray_share=0.01):
    """src/validate/future.rs bulk_end: the last day of the bulk of the history, before the
    earliest gap longer than `max_days` after which at most 1% of the rows lie."""
    total = sum(counts)
    tail, end = 0, None
    for i in range(len(days) - 1, 0, -1):
        tail += counts[i]
        if tail > stray_share * total:
            break
        if days[i] - days[i - 1] > max_days:
            end = days[i - 1]
    return end
