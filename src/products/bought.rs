//! What each customer bought: revenue by product and by channel over the purchase lines kam
//! used with a positive amount (returns and cancellations buy nothing), the product catalogue,
//! and the baskets the affinity rules count.

use std::collections::HashMap;

use polars::prelude::*;

use super::params::{Basket, ProductsValid};
use super::rules::Baskets;
use crate::error::Result;
use crate::frame;
use crate::schema::{self as s, columns as c};
use crate::stage::PointInTime;

/// Products listed in a customer's `products` column; more are summed up as "+N more".
const LIST_MAX: usize = 10;
/// Revenue column of `by_product` and `by_channel`.
pub const REVENUE: &str = "__prod_revenue";
/// The first purchase date of each customer and product.
pub const FIRST: &str = "__prod_first";

/// The purchase lines, summed per customer and product (and channel when present).
pub struct Bought {
    /// Product names, sorted; a product's code is its place here.
    pub catalog: Vec<String>,
    /// customer_id, product, revenue (one row per customer and product bought).
    pub by_product: DataFrame,
    /// customer_id, channel, revenue; `None` without a channel column.
    pub by_channel: Option<DataFrame>,
    pub baskets: Baskets,
    /// What a basket was: "order" or "customer-day".
    pub basket_kind: &'static str,
}

impl Bought {
    /// `None` when the transactions have neither a product nor a channel column (or
    /// `[products] enabled = false`). Without products, only the channel sums are filled.
    pub fn of(tx: &DataFrame, p: &ProductsValid) -> Result<Option<Bought>> {
        if !p.enabled {
            return Ok(None);
        }
        let by_order = p.basket == Basket::Order && frame::has(tx, s::ORDER_ID);
        let names = super::walk::Names {
            revenue: REVENUE,
            first: FIRST,
        };
        let Some(w) = super::walk::walk(tx, by_order, names)? else {
            return Ok(None);
        };
        Ok(Some(Bought {
            catalog: w.catalog,
            by_product: w.by_product,
            by_channel: w.by_channel,
            baskets: w.baskets,
            basket_kind: if by_order { "order" } else { "customer-day" },
        }))
    }

    /// Whether any line had a product.
    pub fn has_products(&self) -> bool {
        !self.catalog.is_empty()
    }

    /// Each customer's products as codes into the catalogue, ascending.
    pub fn products_of(&self) -> Result<HashMap<String, Vec<u32>>> {
        let code: HashMap<&str, u32> = (self.catalog.iter().enumerate())
            .map(|(i, n)| (n.as_str(), i as u32))
            .collect();
        let ids = self.by_product.column(s::CUSTOMER_ID)?.str()?.clone();
        let products = self.by_product.column(s::PRODUCT)?.str()?.clone();
        let mut out: HashMap<String, Vec<u32>> = HashMap::new();
        for (id, p) in ids.iter().zip(products.iter()) {
            if let (Some(id), Some(p)) = (id, p.and_then(|p| code.get(p))) {
                out.entry(id.to_string()).or_default().push(*p);
            }
        }
        for v in out.values_mut() {
            v.sort_unstable();
        }
        Ok(out)
    }

    /// One row per buying customer: with products `product_count`, `top_product`, `top_product_share`,
    /// `products` (by revenue, at most [`LIST_MAX`]), and with channels `main_channel`,
    /// `main_channel_share` and `channel_mix` ("direct 85%, phone 15%").
    pub fn customer_columns(&self) -> Result<DataFrame> {
        let top = |lf: LazyFrame, what: &str, top: &str, share: &str| {
            ranked(lf, what).group_by([col(s::CUSTOMER_ID)]).agg([
                col(what).first().alias(top),
                (col(REVENUE).first() / col(REVENUE).sum()).alias(share),
                len().cast(DataType::Int64).alias(format!("__{what}_n")),
                col(what)
                    .head(Some(LIST_MAX))
                    .str()
                    .join("; ", true)
                    .alias(format!("__{what}_list")),
                mix(what).alias(format!("__{what}_mix")),
            ])
        };
        let products = self.has_products().then(|| {
            top(
                self.by_product.clone().lazy(),
                s::PRODUCT,
                c::TOP_PRODUCT,
                c::TOP_PRODUCT_SHARE,
            )
            .select([
                col(s::CUSTOMER_ID),
                col(format!("__{}_n", s::PRODUCT)).alias(c::PRODUCT_COUNT),
                col(c::TOP_PRODUCT),
                col(c::TOP_PRODUCT_SHARE),
                more(
                    col(format!("__{}_list", s::PRODUCT)),
                    col(format!("__{}_n", s::PRODUCT)),
                )
                .alias(c::PRODUCTS),
            ])
        });
        let channels = self.by_channel.as_ref().map(|ch| {
            top(
                ch.clone().lazy(),
                s::CHANNEL,
                c::MAIN_CHANNEL,
                c::MAIN_CHANNEL_SHARE,
            )
            .select([
                col(s::CUSTOMER_ID),
                col(c::MAIN_CHANNEL),
                col(c::MAIN_CHANNEL_SHARE),
                col(format!("__{}_mix", s::CHANNEL)).alias(c::CHANNEL_MIX),
            ])
        });
        let args = JoinArgs::new(JoinType::Full).with_coalesce(JoinCoalesce::CoalesceColumns);
        let both = match (products, channels) {
            (Some(p), Some(ch)) => p.join(ch, [col(s::CUSTOMER_ID)], [col(s::CUSTOMER_ID)], args),
            (Some(one), None) | (None, Some(one)) => one,
            (None, None) => return Ok(df![s::CUSTOMER_ID => Vec::<String>::new()]?),
        };
        Ok(both.sort([s::CUSTOMER_ID], Default::default()).collect()?)
    }
}

/// The number of products each customer had bought by a churn cutoff.
pub struct ProductCountAt<'a>(pub &'a Bought);

impl PointInTime for ProductCountAt<'_> {
    fn names(&self) -> Vec<&'static str> {
        vec![c::PRODUCT_COUNT]
    }

    fn at(&self, day: chrono::NaiveDate) -> Result<DataFrame> {
        Ok(self
            .0
            .by_product
            .clone()
            .lazy()
            .filter(frame::day(col(FIRST)).lt_eq(lit(frame::epoch_days(day))))
            .group_by([col(s::CUSTOMER_ID)])
            .agg([len().cast(DataType::Int64).alias(c::PRODUCT_COUNT)])
            .collect()?)
    }
}

/// Rows sorted by customer, then revenue (largest first), then name.
fn ranked(lf: LazyFrame, what: &str) -> LazyFrame {
    lf.sort(
        [s::CUSTOMER_ID, REVENUE, what],
        SortMultipleOptions::default().with_order_descending_multi([false, true, false]),
    )
}

/// "a 85%, b 15%" over a customer's ranked rows (shares rounded; `<1%` when small).
fn mix(what: &str) -> Expr {
    let pct = (col(REVENUE) * lit(100.0) / col(REVENUE).sum())
        .round(0, RoundMode::HalfAwayFromZero)
        .cast(DataType::Int64);
    let pct = when(pct.clone().eq(lit(0i64)))
        .then(lit("<1"))
        .otherwise(pct.cast(DataType::String));
    concat_str([col(what), lit(" "), pct, lit("%")], "", false)
        .str()
        .join(", ", true)
}

/// The list, with "; +N more" when the customer bought more than [`LIST_MAX`] products.
fn more(list: Expr, n: Expr) -> Expr {
    let extra = n - lit(LIST_MAX as i64);
    when(extra.clone().gt(lit(0i64)))
        .then(concat_str(
            [
                list.clone(),
                lit("; +"),
                extra.cast(DataType::String),
                lit(" more"),
            ],
            "",
            false,
        ))
        .otherwise(list)
}

#[cfg(test)]
#[path = "bought_tests.rs"]
mod tests;
