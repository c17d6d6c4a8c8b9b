//! The input tables of the contract: their columns, kinds and whether they are required,
//! and the vocabularies some columns must come from.

use super::*;

// ---- vocabularies ----
pub const PAYMENT_TERMS_VALUES: &[&str] = &["cash", "prepay", "credit"];
pub const LEVEL_VALUES: &[&str] = &["company", "district", "station", "account_manager"];
pub const METRIC_VALUES: &[&str] = &["revenue", "volume", "new_customers", "key_accounts"];
pub const FEEDBACK_KINDS: &[&str] = &["survey", "complaint", "praise", "visit"];
/// The satisfaction score's scale (CSAT, 1 = very dissatisfied, 5 = very satisfied).
pub const SCORE_RANGE: (i64, i64) = (1, 5);
/// The likelihood-to-recommend scale of NPS.
pub const NPS_RANGE: (i64, i64) = (0, 10);
pub const STAGE_VALUES: &[&str] = &["lead", "contact", "negotiation", "signed", "lost"];
/// Customer types named in domain.md; other codes are accepted as they are.
pub const CUSTOMER_TYPES: &[&str] = &[
    "ready_mix",
    "developer",
    "distributor",
    "construction",
    "hydropower",
    "government",
    "enterprise",
    "fleet",
    "individual",
];

const fn col(name: &'static str, kind: Kind, required: bool, doc: &'static str) -> ColumnSpec {
    ColumnSpec {
        name,
        kind,
        required,
        doc,
    }
}

pub const CUSTOMERS: TableSpec = TableSpec {
    name: "customers",
    required: false,
    key: Some(CUSTOMER_ID),
    columns: &[
        col(CUSTOMER_ID, Kind::Text, true, "unique customer key"),
        col(NAME, Kind::Text, false, "display name"),
        col(
            CUSTOMER_TYPE,
            Kind::Code,
            false,
            "ready_mix, developer, distributor, construction, hydropower, government, enterprise, fleet, individual, ...",
        ),
        col(DISTRICT, Kind::Text, false, "sales district (片区)"),
        col(STATION, Kind::Text, false, "station, plant or branch"),
        col(
            ACCOUNT_MANAGER,
            Kind::Text,
            false,
            "responsible account manager",
        ),
        col(
            CREDIT_GRADE,
            Kind::Text,
            false,
            "credit grade as the company rates it, e.g. AAA, AA, A, B, C, D",
        ),
        col(
            PAYMENT_TERMS,
            Kind::OneOf(PAYMENT_TERMS_VALUES),
            false,
            "cash, prepay or credit",
        ),
        col(
            CREDIT_DAYS,
            Kind::Count,
            false,
            "agreed payment term in days",
        ),
        col(ACQUIRED_ON, Kind::Date, false, "date the customer was won"),
        col(
            POTENTIAL_VOLUME,
            Kind::NonNegative,
            false,
            "census estimate of yearly volume",
        ),
        col(
            VEHICLES,
            Kind::Count,
            false,
            "vehicles (fleet and fuel-card customers)",
        ),
        col(
            SHARES_RESOURCES,
            Kind::Bool,
            false,
            "joint bids / shared market information",
        ),
        col(
            PHONE,
            Kind::Text,
            false,
            "telephone; compared as digits for merge candidates",
        ),
        col(
            TAX_ID,
            Kind::Text,
            false,
            "tax id or unified social credit code (统一社会信用代码)",
        ),
        col(ADDRESS, Kind::Text, false, "postal or site address"),
        col(
            CONTRACT_START,
            Kind::Date,
            false,
            "start of the customer's contract or card (contractual mode)",
        ),
        col(
            CONTRACT_END,
            Kind::Date,
            false,
            "the day the contract ended; empty while it runs",
        ),
        col(
            RENEWAL_MONTHS,
            Kind::Count,
            false,
            "months between renewals (default [value] renewal_months)",
        ),
    ],
};

/// The transaction columns a stage reads after validation. `unit_price` is checked like every
/// column, then dropped from the used rows.
pub const TRANSACTIONS_KEPT: &[&str] = &[
    CUSTOMER_ID,
    DATE,
    AMOUNT,
    QUANTITY,
    ORDER_ID,
    PRODUCT,
    CHANNEL,
];

pub const TRANSACTIONS: TableSpec = TableSpec {
    name: "transactions",
    required: true,
    key: None,
    columns: &[
        col(CUSTOMER_ID, Kind::Text, true, "customer key"),
        col(DATE, Kind::Date, true, "date or datetime of the sale"),
        col(
            AMOUNT,
            Kind::Number,
            false,
            "value; negative = return or refund. Required unless quantity and unit_price are mapped",
        ),
        col(
            QUANTITY,
            Kind::Number,
            false,
            "t, L or units; negative = returned",
        ),
        col(
            UNIT_PRICE,
            Kind::Number,
            false,
            "price per unit; amount = quantity x unit_price when amount is absent",
        ),
        col(ORDER_ID, Kind::Text, false, "order or invoice number"),
        col(PRODUCT, Kind::Text, false, "product or grade"),
        col(CHANNEL, Kind::Text, false, "sales channel"),
    ],
};

pub const TARGETS: TableSpec = TableSpec {
    name: "targets",
    required: false,
    key: None,
    columns: &[
        col(
            PERIOD,
            Kind::Period,
            true,
            "month YYYY-MM, quarter YYYY-Qn or year YYYY",
        ),
        col(
            LEVEL,
            Kind::OneOf(LEVEL_VALUES),
            true,
            "company, district, station or account_manager",
        ),
        col(
            UNIT,
            Kind::Text,
            false,
            "the district, station or manager (blank for company)",
        ),
        col(
            METRIC,
            Kind::OneOf(METRIC_VALUES),
            true,
            "revenue, volume, new_customers or key_accounts",
        ),
        col(
            TARGET,
            Kind::NonNegative,
            true,
            "target value for the period",
        ),
    ],
};

pub const DEALS: TableSpec = TableSpec {
    name: "deals",
    required: false,
    key: Some(DEAL_ID),
    columns: &[
        col(DEAL_ID, Kind::Text, true, "unique deal key"),
        col(CUSTOMER_ID, Kind::Text, false, "customer or prospect key"),
        col(OWNER, Kind::Text, false, "responsible salesperson"),
        col(
            STAGE,
            Kind::OneOf(STAGE_VALUES),
            true,
            "lead, contact, negotiation, signed or lost",
        ),
        col(
            INTENDED_AMOUNT,
            Kind::NonNegative,
            false,
            "intended deal amount",
        ),
        col(OPENED_ON, Kind::Date, false, "date the deal was opened"),
        col(
            LAST_FOLLOW_UP,
            Kind::Date,
            false,
            "date of the last follow-up",
        ),
        col(CORE_NEED, Kind::Text, false, "the customer's core need"),
        col(MAIN_OBSTACLE, Kind::Text, false, "main obstacle"),
        col(STRATEGY, Kind::Text, false, "planned strategy"),
    ],
};

pub const CAMPAIGNS: TableSpec = TableSpec {
    name: "campaigns",
    required: false,
    key: Some(CAMPAIGN_ID),
    columns: &[
        col(CAMPAIGN_ID, Kind::Text, true, "unique campaign key"),
        col(
            CHANNEL,
            Kind::Code,
            true,
            "flyer, booth, in_station, alliance, referral, visit, ...",
        ),
        col(DISTRICT, Kind::Text, false, "district"),
        col(STATION, Kind::Text, false, "station"),
        col(START, Kind::Date, false, "first day"),
        col(END, Kind::Date, false, "last day"),
        col(
            REACHED,
            Kind::Count,
            false,
            "people or organisations reached",
        ),
        col(CONVERTED, Kind::Count, false, "new customers won"),
        col(COST, Kind::NonNegative, false, "campaign cost"),
        col(
            FIRST_TOPUP_TOTAL,
            Kind::NonNegative,
            false,
            "total first top-up of the converted customers",
        ),
    ],
};

/// Service feedback: one row per contact (a survey answer, a complaint, praise, a visit).
/// Optional; when present, `satisfaction` figures per customer and per unit are written and the
/// churn model may use them.
pub const FEEDBACK: TableSpec = TableSpec {
    name: "feedback",
    required: false,
    key: None,
    columns: &[
        col(CUSTOMER_ID, Kind::Text, true, "customer key"),
        col(DATE, Kind::Date, true, "date of the contact"),
        col(
            KIND,
            Kind::OneOf(FEEDBACK_KINDS),
            true,
            "survey, complaint, praise or visit",
        ),
        col(
            SCORE,
            Kind::Count,
            false,
            "satisfaction 1-5 (CSAT; 5 = very satisfied)",
        ),
        col(
            NPS,
            Kind::Count,
            false,
            "likelihood to recommend 0-10 (NPS question)",
        ),
        col(
            RESOLVED_ON,
            Kind::Date,
            false,
            "the day a complaint was resolved; empty while it is open",
        ),
        col(
            TOPIC,
            Kind::Code,
            false,
            "what it was about (delivery, quality, price, ...)",
        ),
        col(COMMENT, Kind::Text, false, "the customer's words"),
    ],
};

/// The merges a person confirmed: every row of `customer_id` in every table is folded into
/// `merge_into` before features (chains followed, cycles refused; see `master::merge`).
/// No key: an exact repeat is harmless, a second, different target is rejected by its rule.
pub const CUSTOMER_MERGES: TableSpec = TableSpec {
    name: "customer_merges",
    required: false,
    key: None,
    columns: &[
        col(
            CUSTOMER_ID,
            Kind::Text,
            true,
            "the customer id to merge away",
        ),
        col(
            MERGE_INTO,
            Kind::Text,
            true,
            "the id it is the same customer as (the survivor, or an id merged further)",
        ),
    ],
};

pub const MONETARY: &str = "monetary_value";

/// The per-customer summary `kam clv --summary` reads (lifetimes' columns).
pub const SUMMARY: TableSpec = TableSpec {
    name: "summary",
    required: true,
    key: None,
    columns: &[
        col(
            CUSTOMER_ID,
            Kind::Text,
            false,
            "customer key (row numbers without it)",
        ),
        col(FREQUENCY_IN, Kind::NonNegative, true, "repeat purchases"),
        col(
            RECENCY_IN,
            Kind::NonNegative,
            true,
            "first to last purchase, in the time unit",
        ),
        col(
            T_IN,
            Kind::NonNegative,
            true,
            "first purchase to the end of observation",
        ),
        col(
            MONETARY,
            Kind::Number,
            false,
            "mean value of repeat purchases",
        ),
    ],
};
const FREQUENCY_IN: &str = "frequency";
const RECENCY_IN: &str = "recency";
const T_IN: &str = "T";

/// Every input table, in the order they are loaded.
pub const TABLES: [&TableSpec; 7] = [
    &CUSTOMERS,
    &TRANSACTIONS,
    &TARGETS,
    &DEALS,
    &CAMPAIGNS,
    &FEEDBACK,
    &CUSTOMER_MERGES,
];

/// The spec of an input table by name.
pub fn table(name: &str) -> Option<&'static TableSpec> {
    TABLES.iter().copied().find(|t| t.name == name)
}
