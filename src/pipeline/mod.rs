//! `kam run`, `kam plan` and `kam validate`: the stages in order, each timed, each returning
//! its results in memory ([`StageOutput`]); [`emit`] writes them, fills the manifest and
//! builds the summary. Rejects and the manifest are written even when the data turns out
//! unusable, so the user can see why.

pub mod emit;
pub mod fuzz;
mod inputs;
pub mod prepared;

use chrono::NaiveDate;
use polars::prelude::DataFrame;

use crate::config::ValidConfig;
use crate::error::Result;
use crate::report::stage::{ReportInputs, RunFacts};
use crate::schema::{self, outputs as o};
use crate::stage::{Line, StageOutput};
use crate::validate::Validation;
use crate::{churn, features, key_accounts, master, plan, products, report, satisfaction};
use crate::{segment, track, value};

pub use emit::{Emitter, Outcome};

/// Reports stage progress to the user (a progress bar on a terminal, nothing otherwise).
pub trait Progress {
    fn stage(&self, name: &str);
}

/// A [`Progress`] that shows nothing.
pub struct Silent;
impl Progress for Silent {
    fn stage(&self, _: &str) {}
}

/// How far a run goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Load and validate only.
    Validate,
    /// The whole pipeline.
    Run,
    /// Load, validate, features and the planner's outputs only (`kam plan`).
    Plan,
}

impl Mode {
    fn command(self) -> &'static str {
        match self {
            Mode::Validate => "validate",
            Mode::Run => "run",
            Mode::Plan => "plan",
        }
    }
}

/// The run as a table of contents: load, validate (rejects written at once), then the
/// stages the mode asks for, then the manifest.
pub fn run(cfg: &ValidConfig, mode: Mode, progress: &dyn Progress) -> Result<Outcome> {
    let mut e = Emitter::new(cfg, mode.command());
    let (v, prepared) = inputs::read(&mut e, cfg, progress)?;
    let mut v = match fold_merges(&mut e, v) {
        Ok(v) => v,
        Err(err) => {
            e.finish()?;
            return Err(err);
        }
    };
    // each row's customer as a number, once, for the stages that walk customers' rows
    if let Some(t) = v
        .tables
        .iter_mut()
        .find(|t| t.spec.name == schema::TRANSACTIONS.name)
    {
        e.time("customer_codes", || {
            crate::rows::with_customer_codes(&mut t.clean)
        })?;
    }
    let bought = match mode {
        Mode::Run => products_bought(&mut e, &mut v, cfg)?,
        _ => None,
    };
    let usable = v.transactions();
    if let (Ok(tx), Some(as_of)) = (&usable, v.as_of) {
        let company = Company {
            cfg,
            v: &v,
            tx,
            as_of,
            bought: bought.as_ref(),
            prepared: (prepared.as_ref()).map(|p| (&p.features, p.features_path.as_path())),
        };
        if mode != Mode::Plan {
            progress.stage("looking for near-duplicate customers");
            let found = e.time("merge_candidates", || company.merge_candidates())?;
            e.emit(found)?;
        }
        match mode {
            Mode::Run => company.run_all(&mut e, progress)?,
            Mode::Plan => company.plan_only(&mut e, progress)?,
            Mode::Validate => {}
        }
    }
    let outcome = e.finish()?;
    usable?;
    Ok(outcome)
}

/// The confirmed merge map folded into every table (nothing to do without one); a cycle in
/// it stops the run after the rejects and the manifest are written.
fn fold_merges(e: &mut Emitter, v: Validation) -> Result<Validation> {
    let (v, report) = e.time("merge", || master::merge::fold(v))?;
    if let Some(r) = report {
        e.emit(master::merge::output(&r))?;
        e.record_merges(r);
    }
    Ok(v)
}

/// What each customer bought (products, channels, baskets), from one walk over the used
/// transactions; their product and channel text is then dropped, since no later stage reads
/// it (tens of millions of rows need not carry it through the run).
fn products_bought(
    e: &mut Emitter,
    v: &mut Validation,
    cfg: &ValidConfig,
) -> Result<Option<products::Bought>> {
    let Some(t) = (v.tables.iter_mut()).find(|t| t.spec.name == schema::TRANSACTIONS.name) else {
        return Ok(None);
    };
    if t.clean.height() == 0 {
        return Ok(None);
    }
    let bought = e.time("products_bought", || {
        products::Bought::of(&t.clean, &cfg.products)
    })?;
    t.clean = t.clean.drop_many([schema::PRODUCT, schema::CHANNEL]);
    Ok(bought)
}

/// A company whose transactions are usable, with the date the run stands on.
struct Company<'a> {
    cfg: &'a ValidConfig,
    v: &'a Validation,
    tx: &'a DataFrame,
    as_of: NaiveDate,
    /// What each customer bought (`kam run` only).
    bought: Option<&'a products::Bought>,
    /// The prepared features (`--features`) and their file, used instead of computing them.
    prepared: Option<(&'a DataFrame, &'a std::path::Path)>,
}

impl Company<'_> {
    /// Every stage, emitted in the order the summary reads.
    fn run_all(&self, e: &mut Emitter, progress: &dyn Progress) -> Result<()> {
        let cfg = self.cfg;
        let (table, keys) = self.features(e, progress)?;
        let bought = self.bought;
        let (table, sat) = self.products_and_satisfaction(e, table)?;
        progress.stage("scoring customer value");
        let (value_cfg, choice) = match cfg.value.model {
            value::ModelKind::Auto => e.time("value_choice", || {
                value::output::choose_model(self.tx, self.as_of, &cfg.value, cfg.time_unit)
            })?,
            _ => (cfg.value.clone(), Default::default()),
        };
        let (table, value) = e.time("value", || {
            value::output::run(table, &cfg.rfm, &value_cfg, cfg.time_unit, cfg.seed)
        })?;
        let (table, contracts) = e.time("value_contracts", || {
            value::contract_output::run(table, self.as_of, &value_cfg)
        })?;
        let holdout = e.time("value_holdout", || {
            Ok(value::output::holdout_check(
                self.tx,
                self.as_of,
                &value_cfg,
                cfg.time_unit,
                cfg.seed,
            ))
        })?;
        progress.stage("segmenting customers");
        let (table, segment) = e.time("segment", || {
            segment::output::run(table, &cfg.segment, cfg.seed)
        })?;
        progress.stage("scoring churn risk");
        let (table, churn) = self.churn(e, table, bought)?;
        progress.stage("products, cross-sell and satisfaction");
        let goods = e.time("products", || {
            products::output::run(&table, bought, &cfg.products)
        })?;
        let satisfied = match &sat {
            Some(per) => e.time("satisfaction_units", || {
                satisfaction::output::run(&table, per)
            })?,
            None => StageOutput::note(
                "satisfaction: no feedback table; no satisfaction columns or satisfaction.csv",
            ),
        };
        progress.stage("tracking attainment and trend");
        let track = e.time("track", || self.track(&table))?;
        let plan = self.plan(e, &table, progress)?;
        progress.stage("writing outputs");
        let customers = customers_output(table);
        for out in [
            choice, holdout, segment, churn, track, value, contracts, customers, keys, goods,
            satisfied, plan,
        ] {
            e.emit(out)?;
        }
        progress.stage("drawing charts and the report");
        let inputs = self.report_inputs(e)?;
        let report = e.time("report", || Ok(report::output::run(&inputs)))?;
        e.emit(report)
    }

    /// The churn stage; the model also weighs satisfaction and the products bought, as known
    /// at each of its cutoffs.
    fn churn(
        &self,
        e: &mut Emitter,
        table: DataFrame,
        bought: Option<&products::Bought>,
    ) -> Result<(DataFrame, StageOutput)> {
        let cfg = self.cfg;
        if !cfg.churn.enabled {
            return Ok((table, StageOutput::default()));
        }
        let sat_at = (self.clean(schema::FEEDBACK.name)).map(|feedback| satisfaction::AtCutoff {
            feedback,
            window_days: cfg.satisfaction.window_days,
        });
        let products_at = bought
            .filter(|b| b.has_products())
            .map(products::bought::ProductCountAt);
        let extra: Vec<&dyn crate::stage::PointInTime> = [sat_at.as_ref().map(as_source)]
            .into_iter()
            .chain([products_at.as_ref().map(as_source)])
            .flatten()
            .collect();
        e.time("churn", || {
            churn::output::run_with(table, self.tx, self.as_of, &cfg.churn, cfg.seed, &extra)
        })
    }

    /// The product and channel columns (when transactions have products) and the satisfaction
    /// columns (with a feedback table) added to the customer table, with what they came from.
    fn products_and_satisfaction(
        &self,
        e: &mut Emitter,
        table: DataFrame,
    ) -> Result<(DataFrame, Option<DataFrame>)> {
        let cfg = self.cfg;
        let table = products::output::with_customer_columns(table, self.bought)?;
        let Some(fb) = self.clean(schema::FEEDBACK.name) else {
            return Ok((table, None));
        };
        let window = cfg.satisfaction.window_days;
        let sat = e.time("satisfaction", || {
            satisfaction::per_customer(fb, self.as_of, window)
        })?;
        let table = satisfaction::with_customer_columns(table, &sat)?;
        Ok((table, Some(sat)))
    }

    /// Features and the planner's outputs only.
    fn plan_only(&self, e: &mut Emitter, progress: &dyn Progress) -> Result<()> {
        let (table, keys) = self.features(e, progress)?;
        let plan = self.plan(e, &table, progress)?;
        e.emit(keys)?;
        e.emit(plan)
    }

    /// One row per customer from the transactions (and the customers table when given), with
    /// its key-account tier: the one rule every later stage reads.
    fn features(
        &self,
        e: &mut Emitter,
        progress: &dyn Progress,
    ) -> Result<(DataFrame, StageOutput)> {
        progress.stage("computing customer features");
        let customers = self.clean(schema::CUSTOMERS.name);
        let table = e.time("features", || match self.prepared {
            Some((f, file)) => features::prepared_rows::customer_table(f, customers, file),
            None => features::customer_table(self.tx, customers, self.as_of, self.cfg.time_unit),
        })?;
        let deals = self.clean(schema::DEALS.name);
        e.time("key_accounts", || {
            key_accounts::output::run(table, deals, &self.cfg.key_accounts)
        })
    }

    /// Near-duplicate customers of the customers table (`merge_candidates.csv`).
    fn merge_candidates(&self) -> Result<StageOutput> {
        let customers = self.clean(schema::CUSTOMERS.name);
        let p = &self.cfg.master.merge_candidates;
        master::candidates::run(customers, self.tx, self.as_of, p)
    }

    fn clean(&self, table: &str) -> Option<&DataFrame> {
        self.v.table(table).map(|t| &t.clean)
    }

    fn track(&self, customers: &DataFrame) -> Result<StageOutput> {
        let quality = self.cfg.plan.quality_rule();
        let input = track::stage::TrackInputs {
            transactions: self.tx,
            customers,
            targets: self.clean(schema::TARGETS.name),
            campaigns: self.clean(schema::CAMPAIGNS.name),
            deals: self.clean(schema::DEALS.name),
            quality: &quality,
        };
        track::output::run(input, self.as_of, &self.cfg.track)
    }

    fn plan(
        &self,
        e: &mut Emitter,
        table: &DataFrame,
        progress: &dyn Progress,
    ) -> Result<StageOutput> {
        progress.stage("planning key accounts, caps and quotas");
        let inputs = plan::PlanInputs {
            customers: self.clean(schema::CUSTOMERS.name),
            transactions: Some(self.tx),
            targets: self.clean(schema::TARGETS.name),
            deals: self.clean(schema::DEALS.name),
            table,
            as_of: self.as_of,
            key_tiers: self
                .cfg
                .key_accounts
                .rules()
                .iter()
                .map(|r| r.name.clone())
                .collect(),
            key_min_deal: self.cfg.key_accounts.min_deal,
            forecast: self.cfg.track.forecast_settings(),
        };
        e.time("plan", || plan::output::run(&inputs, &self.cfg.plan))
    }

    /// The report's inputs: the tables as written (in the workbook's sheet order), the summary
    /// so far and the facts of the run.
    fn report_inputs(&self, e: &Emitter) -> Result<ReportInputs> {
        let written = e.written();
        let find = |spec: &o::OutputSpec| written.iter().find(|t| t.file == spec.file);
        let customers = find(&o::CUSTOMERS)
            .map(|t| t.df.clone())
            .ok_or_else(|| crate::error::Error::Internal("no customer table".into()))?;
        let tables = o::OUTPUTS
            .iter()
            .filter(|s| matches!(s.kind, o::OutputKind::Table { sheet: true, .. }))
            .filter(|s| s.file != o::CUSTOMERS.file)
            .filter_map(|s| find(s))
            .map(|t| (t.stem().to_string(), t.df.clone()))
            .collect();
        let lang = self.cfg.lang.for_customers(&customers);
        Ok(ReportInputs {
            customers,
            tables,
            summary: e.report_lines(),
            facts: RunFacts {
                as_of: e.manifest().as_of.clone(),
                seed: self.cfg.seed,
                version: e.manifest().kam_version.to_string(),
            },
            lang,
        })
    }
}

/// A point-in-time source as the churn stage takes it.
fn as_source<T: crate::stage::PointInTime>(x: &T) -> &dyn crate::stage::PointInTime {
    x
}

/// `customers.csv` and `customers.parquet`: the customer table with every stage's columns.
fn customers_output(table: DataFrame) -> StageOutput {
    let mut out = StageOutput::default();
    out.line(Line::about(
        format!("customers: {} rows", table.height()),
        &[o::CUSTOMERS.file],
    ));
    out.table(&o::CUSTOMERS, table);
    out
}
