//! The command line: subcommands and flags (clap derive). Flags only override the config.
//!
//! A subcommand's setting flags are `Option`s applied onto its stage's params (`ValueParams`,
//! `SegmentParams`, ...), whose `Default` holds the defaults; the help shows them from there,
//! so no default is written twice. Enumerations are the stages' own enums (`clap::ValueEnum`):
//! a wrong value is refused with the allowed ones listed.

use std::fmt::Display;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::churn::{ChurnParams, ModelChoice};
use crate::config::DEFAULT_SEED;
use crate::generate::GenerateParams;
use crate::schema::{self as s, TimeUnit};
use crate::segment::{KChoice, SegmentParams, Transform};
use crate::validate::DuplicateRows;
use crate::value::{IntervalMethod, ModelKind, ValueParams};

/// A flag's help with the default it gets from the params, written as clap writes defaults.
fn dflt(help: &str, default: impl Display) -> String {
    format!("{} [default: {default}]", help.trim_end_matches('.'))
}

/// The command-line name of an enumeration value (the name kam.toml uses as well).
fn name<T: ValueEnum>(v: T) -> String {
    v.to_possible_value()
        .map(|p| p.get_name().to_string())
        .unwrap_or_default()
}

/// kam: key-account analytics for companies that live on a few big customers.
#[derive(Debug, Parser)]
#[command(name = "kam", version, about, long_about = None)]
pub struct Cli {
    /// No progress bar and no summary on stdout (errors are still printed).
    #[arg(long, short, global = true)]
    pub quiet: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the whole pipeline: load, validate, per-customer features, outputs and manifest.
    #[command(
        after_help = "Examples:\n  kam run                                  # the bundled demo: data/demo/kam.toml -> out/\n  kam run --config shop/kam.toml --out shop/out\n  kam run --config kam.toml --as-of 2026-01-01"
    )]
    Run(RunArgs),
    /// Check the inputs only: writes out/rejects/*.csv and out/manifest.json; exit 0 when the
    /// data is usable, 2 when not.
    #[command(after_help = "Example:\n  kam validate --config kam.toml --out out/")]
    Validate(RunArgs),
    /// The planner's outputs on their own: key accounts, escalations, the review pack,
    /// prospects, credit mix, market-share customers under the cap and next period's quotas.
    #[command(
        after_help = "Examples:\n  kam plan                                 # the bundled demo -> out/\n  kam plan --config shop/kam.toml --out shop/plan"
    )]
    Plan(RunArgs),
    /// Write a seeded synthetic company (customers, transactions, targets, deals, campaigns,
    /// feedback) and a matching kam.toml into a directory.
    #[command(
        after_help = "Examples:\n  kam generate --out demo --customers 2000 --months 36 --seed 42\n  kam generate --out big --customers 100000 --months 36 --format parquet\n  kam run --config demo/kam.toml"
    )]
    Generate(GenerateArgs),
    /// Customer value from transactions or a lifetimes-style summary: BG/NBD, MBG/NBD or Pareto/NBD,
    /// Gamma-Gamma, p_alive, expected purchases and CLV, with an optional calibration/holdout
    /// check.
    #[command(
        after_help = "Examples:\n  kam clv --transactions sales.csv --customer-col CustomerID --date-col InvoiceDate --amount-col Amount --out clv/\n  kam clv --transactions CDNOW_master.txt --delimiter whitespace --no-header --customer-col column_1 --date-col column_2 --amount-col column_4 --date-format %Y%m%d --calibration-end 1997-09-30 --observation-end 1998-06-30 --out cdnow/\n  kam clv --summary cdnow_customers_summary.csv --customer-col ID --model pareto --out clv/"
    )]
    Clv(Box<ClvArgs>),
    /// Segment any per-customer table with k-means: sized, profiled and named segments, a
    /// stability score, and the model in models/kmeans.json.
    #[command(
        after_help = "Examples:\n  kam segment --customers out/customers.csv --out seg/\n  kam segment --customers rfm.csv --id CustomerID --features recency,frequency,monetary --k auto --out seg/\n  kam segment --customers out/customers.csv --k 6 --n-init 20 --seed 7 --out seg/"
    )]
    Segment(Box<SegmentArgs>),
    /// Train a churn model on a customer table with an explicit churn label (e.g. Churn =
    /// Yes/No, Exited = 1): typed columns, stratified k-fold cross-validated AUC of logistic
    /// regression and gradient-boosted trees, the better one scoring every customer.
    #[command(
        after_help = "Examples:\n  kam churn --customers WA_Fn-UseC_-Telco-Customer-Churn.csv --label Churn --id customerID --out telco/\n  kam churn --customers bank.csv --label Exited --positive 1 --folds 10 --model trees --out bank/"
    )]
    Churn(Box<ChurnArgs>),
    /// Contractual retention by cohort (fuel cards, bank products, supply contracts that renew
    /// or lapse each period): each cohort's shifted-beta-geometric fit, its survival observed,
    /// fitted and projected, and the discounted expected residual lifetime of a new customer.
    #[command(
        after_help = "Examples:\n  kam retention --cohorts cohorts.csv --out retention/\n  kam retention --cohorts cards.xlsx --cohort-col year_signed --period-col year --customers-col active --horizon 12 --discount-rate 0.08 --out retention/"
    )]
    Retention(Box<RetentionArgs>),
    /// Write a commented kam.toml with every setting and its default.
    #[command(
        after_help = "Example:\n  kam init                  # writes ./kam.toml\n  kam init --out shop/kam.toml"
    )]
    Init(InitArgs),
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// The config file.
    #[arg(long, short, default_value = "data/demo/kam.toml")]
    pub config: PathBuf,
    /// Output directory (overrides [output] dir; default out/).
    #[arg(long, short)]
    pub out: Option<PathBuf>,
    /// The date the run stands on, YYYY-MM-DD (overrides as_of).
    #[arg(long)]
    pub as_of: Option<String>,
    /// Seed of every random choice (overrides seed).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Per-customer features prepared by the Spark feature job (its DIR/features: a Parquet
    /// file or directory of parts), read instead of the raw transactions; the job's orders/
    /// and manifest.json beside it (overrides [input.features] path).
    #[arg(long, value_name = "PATH")]
    pub features: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum TableFormat {
    Csv,
    Parquet,
}

#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// Directory to write into (created if missing).
    #[arg(long, short)]
    pub out: PathBuf,
    #[arg(long, help = dflt(
        "Number of customers (including prospects without purchases).",
        GenerateParams::default().customers,
    ))]
    pub customers: Option<usize>,
    #[arg(long, help = dflt("Months of history, ending at --end.", GenerateParams::default().months))]
    pub months: Option<u32>,
    #[arg(long, help = dflt("Seed of every random draw.", GenerateParams::default().seed))]
    pub seed: Option<u64>,
    #[arg(long, help = dflt("Last day of the data, YYYY-MM-DD.", GenerateParams::default().end))]
    pub end: Option<String>,
    #[arg(long, help = dflt(
        "Multiplies every customer's purchase rate (more transactions per customer).",
        GenerateParams::default().activity,
    ))]
    pub activity: Option<f64>,
    /// File format of the tables.
    #[arg(long, value_enum, default_value_t = TableFormat::Csv)]
    pub format: TableFormat,
    /// Write the transactions as a directory of this many Parquet parts (transactions/
    /// part-00000.parquet, ...), as a data lake or Spark holds them; needs --format parquet.
    #[arg(long, value_name = "N")]
    pub parts: Option<usize>,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("input").required(true).args(["transactions", "summary"])))]
pub struct ClvArgs {
    /// A transaction log (CSV, Parquet or XLSX): one row per purchase.
    #[arg(long)]
    pub transactions: Option<PathBuf>,
    /// A per-customer summary with frequency, recency, T[, monetary_value] (lifetimes' columns).
    #[arg(long)]
    pub summary: Option<PathBuf>,
    /// Customer id column (optional for --summary: row numbers are used without it).
    #[arg(long)]
    pub customer_col: Option<String>,
    #[arg(long, help = dflt("Date column of the transactions.", s::DATE))]
    pub date_col: Option<String>,
    #[arg(long, help = dflt("Amount column of the transactions.", s::AMOUNT))]
    pub amount_col: Option<String>,
    /// Date format of the transactions (default: ISO), e.g. %Y%m%d or "%m/%d/%Y %H:%M".
    #[arg(long)]
    pub date_format: Option<String>,
    /// Field delimiter: one character, tab or whitespace (default: tab for .tsv, else ",").
    #[arg(long)]
    pub delimiter: Option<String>,
    /// The input file has no header (columns are column_1, column_2, ...).
    #[arg(long)]
    pub no_header: bool,
    #[arg(long, help = dflt("Frequency column of the summary.", s::FREQUENCY))]
    pub frequency_col: Option<String>,
    #[arg(long, help = dflt("Recency column of the summary.", s::RECENCY))]
    pub recency_col: Option<String>,
    #[arg(long, help = dflt("T column of the summary.", s::T))]
    pub t_col: Option<String>,
    #[arg(long, help = dflt("Monetary column of the summary.", s::MONETARY_VALUE))]
    pub monetary_col: Option<String>,
    #[arg(long, value_enum, help = dflt(
        "Time unit of recency, T and the horizon.",
        name(TimeUnit::default()),
    ))]
    pub time_unit: Option<TimeUnit>,
    #[arg(long, value_enum, help = dflt(
        "Purchase model (bgbb: a --summary counted in discrete occasions).",
        name(ModelKind::default()),
    ))]
    pub model: Option<ClvModel>,
    #[arg(long, help = dflt(
        "Horizon of expected purchases, in the time unit (occasions for bgbb, default 1).",
        format!("{} days", ValueParams::default().horizon_days),
    ))]
    pub horizon: Option<f64>,
    #[arg(long, help = dflt("Months of CLV.", ValueParams::default().clv_months))]
    pub clv_months: Option<u32>,
    #[arg(long, help = dflt("Monthly discount rate of CLV.", ValueParams::default().discount_rate))]
    pub discount_rate: Option<f64>,
    #[arg(long, help = dflt(
        "Profit margin applied to CLV (1 = revenue).",
        ValueParams::default().margin,
    ))]
    pub margin: Option<f64>,
    #[arg(long, help = dflt("L2 penalty (lifetimes' penalizer_coef).", ValueParams::default().penalizer))]
    pub penalizer: Option<f64>,
    #[arg(long, value_enum, help = dflt(
        "Intervals of p_alive, expected purchases, expected value and CLV: laplace (observed \
         information), bootstrap (customers resampled) or none.",
        name(ValueParams::default().intervals),
    ))]
    pub intervals: Option<IntervalMethod>,
    #[arg(long, help = dflt("Two-sided level of the intervals.", ValueParams::default().interval_level))]
    pub interval_level: Option<f64>,
    #[arg(long, help = dflt("Resamples of --intervals bootstrap.", ValueParams::default().bootstrap_resamples))]
    pub bootstrap_resamples: Option<u32>,
    #[arg(long, help = dflt("Seed of the bootstrap's resamples.", DEFAULT_SEED))]
    pub seed: Option<u64>,
    #[arg(long, value_enum, requires = "transactions", help = dflt(
        "Transaction rows repeating an earlier row in every column: reject, note (keep them, \
         with a note) or keep (a file whose identical rows are separate purchases).",
        name(DuplicateRows::default()),
    ))]
    pub duplicate_rows: Option<DuplicateRows>,
    /// Fit on transactions up to this date (YYYY-MM-DD) and check the holdout after it.
    #[arg(long, requires = "transactions")]
    pub calibration_end: Option<String>,
    /// End of observation, YYYY-MM-DD (default: the day after the last transaction).
    #[arg(long, requires = "transactions")]
    pub observation_end: Option<String>,
    /// Output directory.
    #[arg(long, short)]
    pub out: PathBuf,
}

#[derive(Debug, Args)]
pub struct SegmentArgs {
    /// A per-customer table (CSV, Parquet or XLSX), e.g. kam's out/customers.csv.
    #[arg(long)]
    pub customers: PathBuf,
    /// Customer id column.
    #[arg(long, default_value = s::CUSTOMER_ID)]
    pub id: String,
    #[arg(long, value_delimiter = ',', help = dflt(
        "Comma-separated numeric columns to cluster on.",
        SegmentParams::default().features.join(","),
    ))]
    pub features: Option<Vec<String>>,
    #[arg(long, value_enum, help = dflt(
        "How features are transformed before clustering.",
        name(Transform::default()),
    ))]
    pub transform: Option<Transform>,
    #[arg(long, help = dflt(
        "A number of segments, or auto (chosen by silhouette between k_min and k_max).",
        SegmentParams::default().k,
    ))]
    pub k: Option<KChoice>,
    #[arg(long, help = dflt("k-means restarts.", SegmentParams::default().n_init))]
    pub n_init: Option<usize>,
    #[arg(long, help = dflt("Iterations per k-means run.", SegmentParams::default().max_iter))]
    pub max_iter: Option<u64>,
    #[arg(long, help = dflt("Seed of every random choice.", DEFAULT_SEED))]
    pub seed: Option<u64>,
    #[arg(long, help = dflt(
        "Column ordering segments by value (largest mean first).",
        SegmentParams::default().value_col,
    ))]
    pub value_col: Option<String>,
    /// Output directory.
    #[arg(long, short)]
    pub out: PathBuf,
}

#[derive(Debug, Args)]
pub struct ChurnArgs {
    /// A customer table (CSV, Parquet or XLSX) with one row per customer.
    #[arg(long)]
    pub customers: PathBuf,
    /// The churn label column.
    #[arg(long)]
    pub label: String,
    /// The customer id column (kept in the output, never a feature).
    #[arg(long)]
    pub id: Option<String>,
    /// The label value that means churned (default: Yes, 1, true, Y or churned).
    #[arg(long)]
    pub positive: Option<String>,
    #[arg(long, help = dflt(
        "Folds of the stratified cross-validation.",
        ChurnParams::default().folds,
    ))]
    pub folds: Option<usize>,
    #[arg(long, value_enum, help = dflt(
        "Model: the better cross-validated AUC (auto), or one of the two.",
        name(ChurnParams::default().model),
    ))]
    pub model: Option<ModelChoice>,
    #[arg(long, help = dflt("Seed of every random choice.", DEFAULT_SEED))]
    pub seed: Option<u64>,
    /// Output directory: churn.csv and models/churn.json.
    #[arg(long, short)]
    pub out: PathBuf,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Where to write the config.
    #[arg(long, short, default_value = "kam.toml")]
    pub out: PathBuf,
    /// Overwrite an existing file.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct RetentionArgs {
    /// Cohorts' survivor counts (CSV, Parquet or XLSX), one row per cohort and period: the
    /// customers under contract at the cohort's start (period 0) and after each period.
    #[arg(long)]
    pub cohorts: PathBuf,
    /// Column naming the cohort (e.g. the year its customers signed).
    #[arg(long, default_value = "cohort")]
    pub cohort_col: String,
    /// Column of periods since the cohort's start: 0, 1, 2, ... without gaps.
    #[arg(long, default_value = "period")]
    pub period_col: String,
    /// Column of the customers under contract after that many periods.
    #[arg(long, default_value = "customers")]
    pub customers_col: String,
    /// Periods from each cohort's start that retention.csv runs to (projected beyond the data).
    #[arg(long, default_value_t = 20)]
    pub horizon: u32,
    /// Discount rate per period of the residual lifetime.
    #[arg(long, default_value_t = 0.1)]
    pub discount_rate: f64,
    /// Output directory: retention.csv and models/sbg.json.
    #[arg(long, short)]
    pub out: PathBuf,
}

/// `kam clv --model`: the purchase models of `[value] model`, and BG/BB for a summary counted
/// in discrete occasions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ClvModel {
    Bgnbd,
    Mbgnbd,
    Pareto,
    /// BG/BB (Fader, Hardie & Shang 2010): frequency, recency and T in occasions.
    Bgbb,
    /// The one of bgnbd, mbgnbd and pareto with the smallest holdout error (BIC without one).
    Auto,
}

impl ClvModel {
    /// The `[value] model` of a continuous-time model; `None` for BG/BB.
    pub fn kind(self) -> Option<ModelKind> {
        match self {
            ClvModel::Bgnbd => Some(ModelKind::Bgnbd),
            ClvModel::Mbgnbd => Some(ModelKind::Mbgnbd),
            ClvModel::Pareto => Some(ModelKind::Pareto),
            ClvModel::Bgbb => None,
            ClvModel::Auto => Some(ModelKind::Auto),
        }
    }
}
