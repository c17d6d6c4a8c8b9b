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
/// The first purchase date of each customer and product (or channel).
const FIRST: &str = "__prod_first";
const KEY: &str = "__prod_basket";
const CODE: &str = "__prod_code";

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
    /// `None` when the transactions have no product column or it is always blank.
    pub fn of(tx: &DataFrame, p: &ProductsValid) -> Result<Option<Bought>> {
        if !p.enabled || !frame::has(tx, s::PRODUCT) {
            return Ok(None);
        }
        let lines = tx.clone().lazy().filter(
            col(s::AMOUNT)
                .gt(lit(0.0))
                .and(col(s::PRODUCT).is_not_null()),
        );
        let by_product = sums(lines.clone(), s::PRODUCT)?;
        if by_product.height() == 0 {
            return Ok(None);
        }
        let mut catalog: Vec<String> = frame::strings(&by_product, s::PRODUCT)?
            .into_iter()
            .flatten()
            .collect();
        catalog.sort_unstable();
        catalog.dedup();
        let by_channel = match frame::has(tx, s::CHANNEL) {
            true => Some(sums(
                lines.clone().filter(col(s::CHANNEL).is_not_null()),
                s::CHANNEL,
            )?),
            false => None,
        };
        let by_order = p.basket == Basket::Order && frame::has(tx, s::ORDER_ID);
        let baskets = baskets(lines, by_order, &catalog)?;
        Ok(Some(Bought {
            catalog,
            by_product,
            by_channel,
            baskets,
            basket_kind: if by_order { "order" } else { "customer-day" },
        }))
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

    /// One row per buying customer: `product_count`, `top_product`, `top_product_share`,
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
        let products = top(
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
        ]);
        let Some(ch) = &self.by_channel else {
            return Ok(products
                .sort([s::CUSTOMER_ID], Default::default())
                .collect()?);
        };
        let channels = top(
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
        ]);
        let args = JoinArgs::new(JoinType::Left).with_coalesce(JoinCoalesce::CoalesceColumns);
        Ok(products
            .join(channels, [col(s::CUSTOMER_ID)], [col(s::CUSTOMER_ID)], args)
            .sort([s::CUSTOMER_ID], Default::default())
            .collect()?)
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

/// Revenue per customer and `what` (product or channel).
fn sums(lines: LazyFrame, what: &str) -> Result<DataFrame> {
    Ok(lines
        .group_by([col(s::CUSTOMER_ID), col(what)])
        .agg([
            frame::fixed_sum(col(s::AMOUNT)).alias(REVENUE),
            col(s::DATE).min().alias(FIRST),
        ])
        .sort([s::CUSTOMER_ID, what], Default::default())
        .collect()?)
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

/// The baskets: product codes per order (a line without an order id: its customer's day) or
/// per customer-day. Products become codes first (a join with the small catalogue), so the
/// grouping carries four bytes per line instead of its text.
fn baskets(lines: LazyFrame, by_order: bool, catalog: &[String]) -> Result<Baskets> {
    let n = catalog.len();
    let codes = DataFrame::new(
        n,
        vec![
            Column::new(s::PRODUCT.into(), catalog.to_vec()),
            Column::new(CODE.into(), (0..n as u32).collect::<Vec<u32>>()),
        ],
    )?;
    let keys = match by_order {
        // lines of one order, or without an order id, of one customer-day
        true => vec![
            col(s::CUSTOMER_ID),
            col(s::ORDER_ID),
            when(col(s::ORDER_ID).is_null())
                .then(col(s::DATE))
                .otherwise(lit(NULL).cast(DataType::Date))
                .alias(KEY),
        ],
        false => vec![col(s::CUSTOMER_ID), col(s::DATE)],
    };
    let args = JoinArgs::new(JoinType::Inner);
    let grouped = lines
        .join(codes.lazy(), [col(s::PRODUCT)], [col(s::PRODUCT)], args)
        .group_by(keys)
        .agg([col(CODE)])
        .select([col(CODE)])
        .collect()?;
    let lists = grouped.column(CODE)?.list()?.clone();
    let mut out = Vec::with_capacity(lists.len());
    for l in lists.amortized_iter().flatten() {
        out.push(l.as_ref().u32()?.iter().flatten().collect());
    }
    Ok(Baskets::count(out))
}

#[cfg(test)]
#[path = "bought_tests.rs"]
mod tests;
