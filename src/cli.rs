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
    /// Write a seeded synthetic company (customers, transactions, targets, deals, campaigns)
    /// and a matching kam.toml into a directory.
    #[command(
        after_help = "Examples:\n  kam generate --out demo --customers 2000 --months 36 --seed 42\n  kam generate --out big --customers 100000 --months 36 --format parquet\n  kam run --config demo/kam.toml"
    )]
    Generate(GenerateArgs),
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

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Where to write the config.
    #[arg(long, short, default_value = "kam.toml")]
    pub out: PathBuf,
    /// Overwrite an existing file.
    #[arg(long)]
    pub force: bool,
}
