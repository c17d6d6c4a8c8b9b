//! Criterion benches of every stage of `kam run`, each at three company sizes, on the seeded
//! demo generator: the company is written as Parquet, loaded and validated once per size, and
//! each stage's entry point is then timed on the tables the stage before it produced, as
//! `kam run` chains them. Run: `cargo bench --bench stages` (or `-- churn` for one stage).

use std::path::Path;

use chrono::NaiveDate;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use kam::config::{Config, Overrides, ValidConfig};
use kam::generate::{self, GenerateParams};
use kam::io::{load, write};
use kam::report::stage::{ReportInputs, RunFacts};
use kam::schema;
use kam::stage::StageOutput;
use kam::validate::{self, Validation};
use kam::{churn, features, key_accounts, master, plan, report, segment, track, value};
use polars::prelude::DataFrame;

/// Customers per size; the generator gives about 44 transactions per customer over 36 months.
const SIZES: [usize; 3] = [1_000, 5_000, 20_000];

/// One size's company, validated, with the customer table after each stage.
struct Fixture {
    customers: usize,
    cfg: ValidConfig,
    v: Validation,
    as_of: NaiveDate,
    /// After features and key accounts.
    keyed: DataFrame,
    /// After value.
    valued: DataFrame,
    /// After segment.
    segmented: DataFrame,
    /// After value, segment and churn: the table track, plan and the report read.
    scored: DataFrame,
    /// Every stage's output, for the report.
    outputs: Vec<StageOutput>,
}

impl Fixture {
    fn new(customers: usize, dir: &Path) -> Fixture {
        let params = GenerateParams {
            customers,
            ..GenerateParams::default()
        }
        .check()
        .expect("valid params");
        let company = generate::generate(&params).expect("generated");
        let tables = company.tables();
        for (name, df) in tables {
            write::parquet(df, &dir.join(format!("{name}.parquet"))).expect("parquet");
        }
        let path = dir.join("kam.toml");
        let text = company.config_toml().replace(".csv", ".parquet");
        let cfg = Config::from_toml(&text, &path)
            .and_then(|c| c.check(&path, Overrides::default()))
            .expect("valid config");
        let v = validated(&cfg);
        let as_of = v.as_of.expect("as_of");
        let mut f = Fixture {
            customers,
            cfg,
            v,
            as_of,
            keyed: DataFrame::empty(),
            valued: DataFrame::empty(),
            segmented: DataFrame::empty(),
            scored: DataFrame::empty(),
            outputs: Vec::new(),
        };
        f.keyed = f.features_and_keys().0;
        let (table, out) = f.value(f.keyed.clone());
        f.outputs.push(out);
        f.valued = table.clone();
        let (table, out) = f.segment(table);
        f.outputs.push(out);
        f.segmented = table.clone();
        let (table, out) = f.churn(table);
        f.outputs.push(out);
        f.scored = table;
        f.outputs.push(f.track());
        f.outputs.push(f.plan());
        f
    }

    fn tx(&self) -> &DataFrame {
        self.v.transactions().expect("usable transactions")
    }

    fn clean(&self, table: &str) -> Option<&DataFrame> {
        self.v.table(table).map(|t| &t.clean)
    }

    fn features_and_keys(&self) -> (DataFrame, StageOutput) {
        let customers = self.clean(schema::CUSTOMERS.name);
        let table = features::customer_table(self.tx(), customers, self.as_of, self.cfg.time_unit)
            .expect("features");
        let deals = self.clean(schema::DEALS.name);
        key_accounts::output::run(table, deals, &self.cfg.key_accounts).expect("key accounts")
    }

    fn value(&self, table: DataFrame) -> (DataFrame, StageOutput) {
        let c = &self.cfg;
        value::output::run(table, &c.rfm, &c.value, c.time_unit, c.seed).expect("value")
    }

    fn holdout(&self) -> StageOutput {
        let c = &self.cfg;
        value::output::holdout_check(self.tx(), self.as_of, &c.value, c.time_unit, c.seed)
    }

    fn segment(&self, table: DataFrame) -> (DataFrame, StageOutput) {
        segment::output::run(table, &self.cfg.segment, self.cfg.seed).expect("segment")
    }

    fn churn(&self, table: DataFrame) -> (DataFrame, StageOutput) {
        let c = &self.cfg;
        churn::output::run(table, self.tx(), self.as_of, &c.churn, c.seed).expect("churn")
    }

    fn track(&self) -> StageOutput {
        let quality = self.cfg.plan.quality_rule();
        let input = track::stage::TrackInputs {
            transactions: self.tx(),
            customers: &self.scored,
            targets: self.clean(schema::TARGETS.name),
            campaigns: self.clean(schema::CAMPAIGNS.name),
            deals: self.clean(schema::DEALS.name),
            quality: &quality,
        };
        track::output::run(input, self.as_of, &self.cfg.track).expect("track")
    }

    fn plan(&self) -> StageOutput {
        let c = &self.cfg;
        let inputs = plan::PlanInputs {
            customers: self.clean(schema::CUSTOMERS.name),
            transactions: Some(self.tx()),
            targets: self.clean(schema::TARGETS.name),
            deals: self.clean(schema::DEALS.name),
            table: &self.scored,
            as_of: self.as_of,
            key_tiers: c
                .key_accounts
                .rules()
                .iter()
                .map(|r| r.name.clone())
                .collect(),
            key_min_deal: c.key_accounts.min_deal,
            forecast: c.track.forecast_settings(),
        };
        plan::output::run(&inputs, &c.plan).expect("plan")
    }

    fn merge_candidates(&self) -> StageOutput {
        let customers = self.clean(schema::CUSTOMERS.name);
        let p = &self.cfg.master.merge_candidates;
        master::candidates::run(customers, self.tx(), self.as_of, p).expect("candidates")
    }

    /// The report's inputs from the stages' tables in memory (not rounded as written: the
    /// same work for the report).
    fn report_inputs(&self) -> ReportInputs {
        let tables = self
            .outputs
            .iter()
            .flat_map(|o| o.tables.iter())
            .map(|t| (t.stem().to_string(), t.df.clone()))
            .collect();
        ReportInputs {
            customers: self.scored.clone(),
            tables,
            summary: Vec::new(),
            facts: RunFacts {
                as_of: Some(self.as_of.to_string()),
                seed: self.cfg.seed,
                version: "bench".into(),
            },
            lang: self.cfg.lang.resolve(std::iter::empty()),
        }
    }
}

fn validated(cfg: &ValidConfig) -> Validation {
    let raw: Vec<load::RawTable> = cfg
        .inputs
        .iter()
        .map(load::load)
        .collect::<Result<_, _>>()
        .expect("loaded");
    validate::validate(&raw, &cfg.validation, cfg.as_of).expect("validated")
}

fn fixtures() -> Vec<(tempfile::TempDir, Fixture)> {
    SIZES
        .iter()
        .map(|&n| {
            let dir = tempfile::tempdir().expect("tempdir");
            let f = Fixture::new(n, dir.path());
            (dir, f)
        })
        .collect()
}

fn stages(c: &mut Criterion) {
    let all = fixtures();
    let mut bench = |name: &str, run: &dyn Fn(&Fixture)| {
        let mut g = c.benchmark_group(name);
        g.sample_size(10);
        for (_, f) in &all {
            g.throughput(Throughput::Elements(f.customers as u64));
            g.bench_with_input(BenchmarkId::from_parameter(f.customers), f, |b, f| {
                b.iter(|| run(f))
            });
        }
        g.finish();
    };
    bench("stage_validate", &|f| drop(validated(&f.cfg)));
    bench("stage_merge_candidates", &|f| drop(f.merge_candidates()));
    bench("stage_features_key_accounts", &|f| {
        drop(f.features_and_keys())
    });
    bench("stage_value", &|f| drop(f.value(f.keyed.clone())));
    bench("stage_value_holdout", &|f| drop(f.holdout()));
    bench("stage_segment", &|f| drop(f.segment(f.valued.clone())));
    bench("stage_churn", &|f| drop(f.churn(f.segmented.clone())));
    bench("stage_track", &|f| drop(f.track()));
    bench("stage_plan", &|f| drop(f.plan()));
    bench("stage_report", &|f| {
        drop(report::output::run(&f.report_inputs()))
    });
}

criterion_group!(benches, stages);
criterion_main!(benches);
