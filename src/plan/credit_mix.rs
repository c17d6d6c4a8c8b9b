//! The credit-grade mix (domain.md §6): per company, district, station and account manager,
//! the share of customers and of revenue in each credit grade, and the "quality customer"
//! share (customers rated `quality_min_grade` or better; the source's branch had 54%; the
//! rule is [`crate::grades::QualityRule`], shared with tracking's portfolios) against the
//! configured goal. Long format: one row per unit and grade.

use std::collections::BTreeMap;

use polars::prelude::*;

use super::data::Account;
use super::params::PlanValid;
use crate::error::Result;
use crate::schema as s;

pub use crate::schema::columns::CUSTOMER_COUNT as CUSTOMERS;
pub use crate::schema::columns::REVENUE_SHARE;
pub use crate::schema::columns::plan::{
    CUSTOMER_SHARE, GOAL, LEVEL, MEETS_GOAL, QUALITY_SHARE, REVENUE, UNIT,
};

/// Grade label of customers without a grade.
pub const UNRATED: &str = "unrated";

/// The levels in report order, with the unit of an account at each.
pub const LEVELS: [&str; 4] = ["company", "district", "station", "account_manager"];

pub fn unit_at(level: usize, a: &Account) -> &str {
    match level {
        0 => "company",
        1 => a.district(),
        2 => a.station(),
        _ => a.manager(),
    }
}

#[derive(Default, Clone, Copy)]
struct Cell {
    customers: u64,
    revenue: f64,
}

/// The long credit-mix table, sorted by level, unit and grade (best first).
pub fn credit_mix(accounts: &[Account], p: &PlanValid) -> Result<DataFrame> {
    let rule = p.quality_rule();
    let grade = |a: &Account| a.grade.clone().unwrap_or_else(|| UNRATED.to_string());
    // configured grades first, then grades the company uses beyond them, then unrated
    let mut grades: Vec<String> = p.grades.clone();
    let mut extra: Vec<String> = accounts
        .iter()
        .map(grade)
        .filter(|g| !grades.contains(g) && g != UNRATED)
        .collect();
    extra.sort();
    extra.dedup();
    grades.extend(extra);
    if accounts.iter().any(|a| a.grade.is_none()) {
        grades.push(UNRATED.into());
    }
    let mut cells: BTreeMap<(usize, String), BTreeMap<String, Cell>> = BTreeMap::new();
    for a in accounts {
        for level in 0..LEVELS.len() {
            let unit = cells
                .entry((level, unit_at(level, a).to_string()))
                .or_default();
            let c = unit.entry(grade(a)).or_default();
            c.customers += 1;
            c.revenue += a.revenue_12m.max(0.0);
        }
    }
    let goal = p.credit_mix.goal;
    let (mut lv, mut un, mut gr, mut cu, mut cs, mut re, mut rs, mut qs) = (
        vec![],
        vec![],
        vec![],
        vec![],
        vec![],
        vec![],
        vec![],
        vec![],
    );
    for ((level, unit), by_grade) in &cells {
        let n: u64 = by_grade.values().map(|c| c.customers).sum();
        let rev: f64 = by_grade.values().map(|c| c.revenue).sum();
        // unrated customers (and grades off the scale) count among the customers only
        let good: u64 = by_grade
            .iter()
            .filter(|(g, _)| rule.is_quality(Some(g.as_str())))
            .map(|(_, c)| c.customers)
            .sum();
        let q = rule.share(good, n);
        for g in &grades {
            let c = by_grade.get(g).copied().unwrap_or_default();
            lv.push(LEVELS[*level]);
            un.push(unit.clone());
            gr.push(g.clone());
            cu.push(c.customers);
            cs.push(if n > 0 {
                c.customers as f64 / n as f64
            } else {
                0.0
            });
            re.push(c.revenue);
            rs.push(if rev > 0.0 { c.revenue / rev } else { 0.0 });
            qs.push(q);
        }
    }
    let meets: Vec<bool> = qs.iter().map(|q| *q >= goal).collect();
    Ok(df![
        LEVEL => lv,
        UNIT => un,
        s::CREDIT_GRADE => gr,
        CUSTOMERS => cu,
        CUSTOMER_SHARE => cs,
        REVENUE => re,
        REVENUE_SHARE => rs,
        QUALITY_SHARE => qs.clone(),
        GOAL => vec![goal; qs.len()],
        MEETS_GOAL => meets,
    ]?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::params::PlanParams;

    fn acc(id: &str, district: &str, grade: Option<&str>, revenue: f64) -> Account {
        Account {
            id: id.into(),
            district: Some(district.into()),
            grade: grade.map(String::from),
            revenue_12m: revenue,
            ..Account::default()
        }
    }

    #[test]
    fn shares_and_quality_per_unit() -> Result<()> {
        let p = PlanParams::default().check()?;
        let accounts = vec![
            acc("a", "North", Some("AA"), 300.0),
            acc("b", "North", Some("C"), 100.0),
            acc("c", "South", Some("B"), 50.0),
            acc("d", "South", None, 50.0),
        ];
        let df = credit_mix(&accounts, &p)?;
        // 4 units at company+district levels plus station and manager (unassigned) = 4 units
        // x 7 grade rows (6 configured + unrated)
        assert_eq!(df.height(), 5 * 7);
        let company = df
            .clone()
            .lazy()
            .filter(
                col(LEVEL)
                    .eq(lit("company"))
                    .and(col(s::CREDIT_GRADE).eq(lit("AA"))),
            )
            .collect()?;
        assert_eq!(company.column(CUSTOMER_SHARE)?.f64()?.get(0), Some(0.25));
        assert_eq!(company.column(REVENUE_SHARE)?.f64()?.get(0), Some(0.6));
        assert_eq!(company.column(QUALITY_SHARE)?.f64()?.get(0), Some(0.5));
        let north = df.lazy().filter(col(UNIT).eq(lit("North"))).collect()?;
        assert_eq!(north.column(QUALITY_SHARE)?.f64()?.get(0), Some(0.5));
        assert_eq!(north.column(MEETS_GOAL)?.bool()?.get(0), Some(false));
        Ok(())
    }
}
