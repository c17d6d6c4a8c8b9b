"""The part of kam's data contract the feature job reads: the customers and transactions
tables, their columns and kinds, and the per-customer feature columns, in kam's order.

Mirrors src/schema/inputs.rs (CUSTOMERS, TRANSACTIONS, TRANSACTIONS_KEPT), src/schema/mod.rs
(Kind, FEATURES) and the row-level bookkeeping names (`row`, `check`, `reason`).
"""

from dataclasses import dataclass

# Kinds (src/schema/mod.rs `Kind`)
TEXT, CODE, ONE_OF, DATE, NUMBER, NON_NEGATIVE, COUNT, BOOL = (
    "text", "code", "one_of", "date", "number", "non_negative", "count", "bool")

PAYMENT_TERMS_VALUES = ("cash", "prepay", "credit")


@dataclass(frozen=True)
class Column:
    name: str
    kind: str
    required: bool
    values: tuple = ()  # for ONE_OF


@dataclass(frozen=True)
class Table:
    name: str
    key: str | None
    columns: tuple

    def column(self, name):
        return next((c for c in self.columns if c.name == name), None)

    def names(self):
        return [c.name for c in self.columns]


CUSTOMERS = Table("customers", "customer_id", (
    Column("customer_id", TEXT, True),
    Column("name", TEXT, False),
    Column("customer_type", CODE, False),
    Column("district", TEXT, False),
    Column("station", TEXT, False),
    Column("account_manager", TEXT, False),
    Column("credit_grade", TEXT, False),
    Column("payment_terms", ONE_OF, False, PAYMENT_TERMS_VALUES),
    Column("credit_days", COUNT, False),
    Column("acquired_on", DATE, False),
    Column("potential_volume", NON_NEGATIVE, False),
    Column("vehicles", COUNT, False),
    Column("shares_resources", BOOL, False),
    Column("phone", TEXT, False),
    Column("tax_id", TEXT, False),
    Column("address", TEXT, False),
    Column("contract_start", DATE, False),
    Column("contract_end", DATE, False),
    Column("renewal_months", COUNT, False),
))

TRANSACTIONS = Table("transactions", None, (
    Column("customer_id", TEXT, True),
    Column("date", DATE, True),
    Column("amount", NUMBER, False),
    Column("quantity", NUMBER, False),
    Column("unit_price", NUMBER, False),
    Column("order_id", TEXT, False),
    Column("product", TEXT, False),
    Column("channel", TEXT, False),
))

# The tables this job reads, in kam's validation order (customers first, so transactions
# can be checked against them: src/schema TABLES order).
TABLES = (CUSTOMERS, TRANSACTIONS)
# Tables kam.toml may name that the feature job does not need (read by kam itself).
OTHER_TABLES = ("targets", "deals", "campaigns", "feedback")

# Rejects' own first columns (src/validate/rejects.rs).
ROW, CHECK, REASON = "row", "check", "reason"

# The per-customer feature columns, in kam's output order (src/schema/mod.rs FEATURES).
FEATURES = (
    "in_customer_table", "first_purchase", "last_purchase", "orders", "frequency",
    "recency", "T", "recency_days", "monetary_total", "monetary_value", "returns_total",
    "quantity_total", "tenure_days", "largest_order", "revenue_last_12m",
    "revenue_prev_12m", "trend_12m",
)
# Columns holding sums of money or counts (compared exactly) and ratios (compared to 1e-9).
SUM_FEATURES = ("orders", "frequency", "recency_days", "monetary_total", "returns_total",
                "quantity_total", "tenure_days", "largest_order", "revenue_last_12m",
                "revenue_prev_12m")
RATIO_FEATURES = ("recency", "T", "monetary_value", "trend_12m")
