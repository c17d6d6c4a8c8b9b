//! The data contract: every input and output column kam knows, by name and kind, in one place.
//!
//! Stage code never spells a column name as a literal; it uses the constants here. Users map
//! their own file's column names onto these contract names in the config
//! (`[input.<table>.columns]`), so a file whose id column is `Customer ID` needs no renaming.
//! `docs/data-contract.md` lists the same tables; `tests/docs.rs` checks it against these specs.
//! Output columns are in [`columns`], the files kam writes in [`outputs`].

pub mod columns;
mod inputs;
pub mod outputs;
mod units;
pub use columns::*;
pub use inputs::*;
pub use units::TimeUnit;

/// How a contract column is parsed and checked during validation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Free text, trimmed; blank means missing.
    Text,
    /// Text normalised to a lower-case identifier (`Ready Mix` → `ready_mix`).
    Code,
    /// Text that must be one of the listed values after normalising to a code.
    OneOf(&'static [&'static str]),
    /// A date or datetime (kept as a date), ISO or the input's `date_format`.
    Date,
    /// A month, `YYYY-MM` (also `YYYY/MM`, `YYYYMM`, or a date in that month); a quarter,
    /// `YYYY-Qn` (also `YYYYQn`); or a year, `YYYY`.
    Period,
    /// A finite number (currency units, tonnes, litres...).
    Number,
    /// A finite number that must not be negative (volumes, targets, costs).
    NonNegative,
    /// A whole number that must not be negative (days, vehicles, people reached).
    Count,
    /// true/false, yes/no, y/n, 1/0, 是/否.
    Bool,
}

/// One column of an input table.
#[derive(Debug, Clone, Copy)]
pub struct ColumnSpec {
    pub name: &'static str,
    pub kind: Kind,
    /// A required column must be present in the file and non-blank on every used row.
    pub required: bool,
    pub doc: &'static str,
}

/// One input table of the contract.
#[derive(Debug, Clone, Copy)]
pub struct TableSpec {
    pub name: &'static str,
    /// Whether the run needs this input at all.
    pub required: bool,
    /// The column whose value must be unique (later duplicates are rejected), if any.
    pub key: Option<&'static str>,
    pub columns: &'static [ColumnSpec],
}

impl TableSpec {
    /// The spec of a contract column of this table.
    pub fn column(&self, name: &str) -> Option<&ColumnSpec> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// Contract column names, in contract order.
    pub fn names(&self) -> Vec<&'static str> {
        self.columns.iter().map(|c| c.name).collect()
    }
}

// ---- shared input column names ----
pub const CUSTOMER_ID: &str = "customer_id";
pub const NAME: &str = "name";
pub const CUSTOMER_TYPE: &str = "customer_type";
pub const DISTRICT: &str = "district";
pub const STATION: &str = "station";
pub const ACCOUNT_MANAGER: &str = "account_manager";
pub const CREDIT_GRADE: &str = "credit_grade";
pub const PAYMENT_TERMS: &str = "payment_terms";
pub const CREDIT_DAYS: &str = "credit_days";
pub const ACQUIRED_ON: &str = "acquired_on";
pub const POTENTIAL_VOLUME: &str = "potential_volume";
pub const VEHICLES: &str = "vehicles";
pub const SHARES_RESOURCES: &str = "shares_resources";
pub const PHONE: &str = "phone";
pub const TAX_ID: &str = "tax_id";
pub const ADDRESS: &str = "address";
/// Contractual mode (optional): a contract or card that renews every `renewal_months`.
pub const CONTRACT_START: &str = "contract_start";
pub const CONTRACT_END: &str = "contract_end";
pub const RENEWAL_MONTHS: &str = "renewal_months";
/// The customers columns only the merge-candidate search reads (besides `name`, `district`).
pub const MERGE_KEYS: [&str; 3] = [PHONE, TAX_ID, ADDRESS];
/// The contractual mode's optional customer columns.
pub const CONTRACT_KEYS: [&str; 3] = [CONTRACT_START, CONTRACT_END, RENEWAL_MONTHS];
/// Optional customer columns the demo generator leaves out: the merge keys and the contract
/// columns.
pub const NOT_GENERATED: [&str; 6] = [
    PHONE,
    TAX_ID,
    ADDRESS,
    CONTRACT_START,
    CONTRACT_END,
    RENEWAL_MONTHS,
];

pub const DATE: &str = "date";
pub const AMOUNT: &str = "amount";
pub const QUANTITY: &str = "quantity";
pub const UNIT_PRICE: &str = "unit_price";
pub const ORDER_ID: &str = "order_id";
pub const PRODUCT: &str = "product";
pub const CHANNEL: &str = "channel";

pub const PERIOD: &str = "period";
pub const LEVEL: &str = "level";
pub const UNIT: &str = "unit";
pub const METRIC: &str = "metric";
pub const TARGET: &str = "target";

pub const DEAL_ID: &str = "deal_id";
pub const OWNER: &str = "owner";
pub const STAGE: &str = "stage";
pub const INTENDED_AMOUNT: &str = "intended_amount";
pub const OPENED_ON: &str = "opened_on";
pub const LAST_FOLLOW_UP: &str = "last_follow_up";
pub const CORE_NEED: &str = "core_need";
pub const MAIN_OBSTACLE: &str = "main_obstacle";
pub const STRATEGY: &str = "strategy";

pub const CAMPAIGN_ID: &str = "campaign_id";
pub const START: &str = "start";
pub const END: &str = "end";
pub const REACHED: &str = "reached";
pub const CONVERTED: &str = "converted";
pub const COST: &str = "cost";
pub const FIRST_TOPUP_TOTAL: &str = "first_topup_total";

// ---- feedback (service contacts: surveys, complaints, praise, visits) ----
pub const KIND: &str = "kind";
pub const SCORE: &str = "score";
pub const NPS: &str = "nps";
pub const RESOLVED_ON: &str = "resolved_on";
pub const TOPIC: &str = "topic";
pub const COMMENT: &str = "comment";

/// The surviving customer id a merged id is folded into (`customer_merges`).
pub const MERGE_INTO: &str = "merge_into";

// ---- bookkeeping columns added by validation ----
/// 1-based data-row number in the input file (the header is not counted).
pub const ROW: &str = "row";
/// Why a row was rejected.
pub const REASON: &str = "reason";

// ---- per-customer features (out/customers.*) ----
/// True when the customer is in the customers table (false: derived from transactions).
pub const IN_CUSTOMER_TABLE: &str = "in_customer_table";
pub const FIRST_PURCHASE: &str = "first_purchase";
pub const LAST_PURCHASE: &str = "last_purchase";
pub const ORDERS: &str = "orders";
pub const FREQUENCY: &str = "frequency";
pub const RECENCY: &str = "recency";
pub const T: &str = "T";
pub const RECENCY_DAYS: &str = "recency_days";
pub const MONETARY_TOTAL: &str = "monetary_total";
pub const MONETARY_VALUE: &str = "monetary_value";
pub const RETURNS_TOTAL: &str = "returns_total";
pub const QUANTITY_TOTAL: &str = "quantity_total";
pub const TENURE_DAYS: &str = "tenure_days";
pub const LARGEST_ORDER: &str = "largest_order";
pub const REVENUE_LAST_12M: &str = "revenue_last_12m";
pub const REVENUE_PREV_12M: &str = "revenue_prev_12m";
pub const TREND_12M: &str = "trend_12m";

/// Feature columns appended to the customers' own columns, in output order, with meaning.
pub const FEATURES: &[(&str, &str)] = &[
    (
        IN_CUSTOMER_TABLE,
        "true when the customer is in the customers table; false when derived from transactions",
    ),
    (FIRST_PURCHASE, "date of the first purchase (amount >= 0)"),
    (LAST_PURCHASE, "date of the last purchase"),
    (
        ORDERS,
        "distinct order ids of purchases, or distinct purchase days when there is no order_id",
    ),
    (
        FREQUENCY,
        "repeat purchase days: distinct purchase days minus one (BG/NBD x)",
    ),
    (
        RECENCY,
        "last minus first purchase, in the time unit (BG/NBD t_x)",
    ),
    (T, "as_of minus first purchase, in the time unit (BG/NBD T)"),
    (RECENCY_DAYS, "as_of minus last purchase, in days"),
    (
        MONETARY_TOTAL,
        "net value of all transactions (returns subtracted)",
    ),
    (
        MONETARY_VALUE,
        "mean value of repeat purchase days (first day excluded; 0 when frequency = 0)",
    ),
    (
        RETURNS_TOTAL,
        "value of returns and refunds, as a positive number",
    ),
    (
        QUANTITY_TOTAL,
        "net quantity (empty when there is no quantity column)",
    ),
    (
        TENURE_DAYS,
        "as_of minus the earlier of acquired_on and the first transaction, in days",
    ),
    (
        LARGEST_ORDER,
        "largest single order (by order_id, else by transaction row)",
    ),
    (
        REVENUE_LAST_12M,
        "net value in the 12 months ending at as_of",
    ),
    (REVENUE_PREV_12M, "net value in the 12 months before those"),
    (
        TREND_12M,
        "(revenue_last_12m - revenue_prev_12m) / revenue_prev_12m; empty when revenue_prev_12m <= 0",
    ),
];

/// A date written `YYYY-MM-DD` (surrounding blanks ignored), as kam.toml and the flags take it.
pub fn parse_iso_date(s: &str) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_has_unique_column_names_and_its_key() {
        for t in TABLES {
            let mut names = t.names();
            names.sort_unstable();
            let n = names.len();
            names.dedup();
            assert_eq!(n, names.len(), "duplicate column in {}", t.name);
            if let Some(k) = t.key {
                assert!(t.column(k).is_some_and(|c| c.required), "{}", t.name);
            }
        }
    }

    #[test]
    fn transactions_contract_is_pinned() {
        assert_eq!(
            TRANSACTIONS.names(),
            [
                CUSTOMER_ID,
                DATE,
                AMOUNT,
                QUANTITY,
                UNIT_PRICE,
                ORDER_ID,
                PRODUCT,
                CHANNEL
            ]
        );
        assert_eq!(table("deals").map(|t| t.name), Some("deals"));
    }
}
