//! The files of the products stage (affinity rules, penetration and channel mix by segment,
//! cross-sell proposals) and of satisfaction.

use super::{OutputKind, OutputSpec};
use crate::schema::columns::products as c;

/// `product_affinity.csv`
pub const PRODUCT_AFFINITY: OutputSpec = OutputSpec {
    file: "product_affinity.csv",
    kind: OutputKind::Table {
        columns: &c::AFFINITY,
        parquet: false,
        sheet: true,
    },
    doc: "Association rules between products over baskets (orders, or customer-days): antecedent -> consequent with the baskets holding both, support, confidence and lift, strongest first.",
};

/// `product_penetration.csv`
pub const PRODUCT_PENETRATION: OutputSpec = OutputSpec {
    file: "product_penetration.csv",
    kind: OutputKind::Table {
        columns: &c::PENETRATION_TABLE,
        parquet: false,
        sheet: true,
    },
    doc: "Per segment (and the whole company, the rows named \"all customers\"), each product's buying customers, their share of the segment's buying customers, its revenue and its share of the segment's revenue.",
};

/// `channel_mix.csv`
pub const CHANNEL_MIX: OutputSpec = OutputSpec {
    file: "channel_mix.csv",
    kind: OutputKind::Table {
        columns: &c::CHANNEL_TABLE,
        parquet: false,
        sheet: true,
    },
    doc: "Per segment (and the whole company), each sales channel's customers, their share of the segment's buying customers, its revenue and its share of the segment's revenue.",
};

/// `cross_sell.csv`
pub const CROSS_SELL: OutputSpec = OutputSpec {
    file: "cross_sell.csv",
    kind: OutputKind::Table {
        columns: &c::CROSS_SELL,
        parquet: false,
        sheet: true,
    },
    doc: "For each key account (or every active customer, `[products] cross_sell`), the products it does not buy yet that fit it best, with a score and the reason in words.",
};

/// `satisfaction.csv`
pub const SATISFACTION: OutputSpec = OutputSpec {
    file: "satisfaction.csv",
    kind: OutputKind::Table {
        columns: &crate::schema::columns::SATISFACTION_TABLE,
        parquet: false,
        sheet: true,
    },
    doc: "CSAT, NPS and complaints of the company and of each segment, account manager, district and station, with the customers and answers behind each figure.",
};
