//! The command line: subcommands and flags (clap derive). Flags only override the config.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

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
    /// Write a seeded synthetic company (customers, transactions, targets, deals, campaigns)
    /// and a matching kam.toml into a directory.
    #[command(
        after_help = "Examples:\n  kam generate --out demo --customers 2000 --months 36 --seed 42\n  kam generate --out big --customers 100000 --months 36 --format parquet\n  kam run --config demo/kam.toml"
    )]
    Generate(GenerateArgs),
    /// Customer value from transactions or a lifetimes-style summary: BG/NBD or Pareto/NBD,
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
    /// Number of customers (including prospects without purchases).
    #[arg(long, default_value_t = 2000)]
    pub customers: usize,
    /// Months of history, ending at --end.
    #[arg(long, default_value_t = 36)]
    pub months: u32,
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Last day of the data, YYYY-MM-DD.
    #[arg(long, default_value = "2025-12-31")]
    pub end: String,
    /// Multiplies every customer's purchase rate (more transactions per customer).
    #[arg(long, default_value_t = 1.0)]
    pub activity: f64,
    /// File format of the tables.
    #[arg(long, value_enum, default_value_t = TableFormat::Csv)]
    pub format: TableFormat,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Unit {
    Week,
    Day,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ModelArg {
    Bgnbd,
    Pareto,
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
    #[arg(long, default_value = "date")]
    pub date_col: String,
    #[arg(long, default_value = "amount")]
    pub amount_col: String,
    /// Date format of the transactions (default: ISO), e.g. %Y%m%d or "%m/%d/%Y %H:%M".
    #[arg(long)]
    pub date_format: Option<String>,
    /// Field delimiter: one character, tab or whitespace.
    #[arg(long)]
    pub delimiter: Option<String>,
    /// The transaction file has no header (columns are column_1, column_2, ...).
    #[arg(long)]
    pub no_header: bool,
    #[arg(long, default_value = "frequency")]
    pub frequency_col: String,
    #[arg(long, default_value = "recency")]
    pub recency_col: String,
    #[arg(long, default_value = "T")]
    pub t_col: String,
    #[arg(long, default_value = "monetary_value")]
    pub monetary_col: String,
    /// Time unit of recency, T and the horizon.
    #[arg(long, value_enum, default_value_t = Unit::Week)]
    pub time_unit: Unit,
    #[arg(long, value_enum, default_value_t = ModelArg::Bgnbd)]
    pub model: ModelArg,
    /// Horizon of expected purchases, in the time unit (default: 52 weeks or 365 days).
    #[arg(long)]
    pub horizon: Option<f64>,
    /// Months of CLV.
    #[arg(long, default_value_t = 12)]
    pub clv_months: u32,
    /// Monthly discount rate of CLV.
    #[arg(long, default_value_t = 0.01)]
    pub discount_rate: f64,
    /// Profit margin applied to CLV (1 = revenue).
    #[arg(long, default_value_t = 1.0)]
    pub margin: f64,
    /// L2 penalty (lifetimes' penalizer_coef).
    #[arg(long, default_value_t = 0.0)]
    pub penalizer: f64,
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
    #[arg(long, default_value = "customer_id")]
    pub id: String,
    /// Comma-separated numeric columns to cluster on (default: recency_days, frequency,
    /// monetary_total, tenure_days, trend_12m).
    #[arg(long, value_delimiter = ',')]
    pub features: Option<Vec<String>>,
    #[arg(long, default_value = "log1p-standardize", value_parser = ["log1p-standardize", "standardize", "none"])]
    pub transform: String,
    /// A number of segments, or auto (chosen in 2..=10 by silhouette).
    #[arg(long, default_value = "auto")]
    pub k: String,
    #[arg(long, default_value_t = 10)]
    pub n_init: usize,
    #[arg(long, default_value_t = 300)]
    pub max_iter: u64,
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Column ordering segments by value (largest mean first).
    #[arg(long, default_value = "monetary_total")]
    pub value_col: String,
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
    /// Folds of the stratified cross-validation.
    #[arg(long, default_value_t = 5)]
    pub folds: usize,
    /// auto (better cross-validated AUC), logistic or trees.
    #[arg(long, default_value = "auto", value_parser = ["auto", "logistic", "trees"])]
    pub model: String,
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
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
