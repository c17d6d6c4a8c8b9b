//! The commands behind the CLI: read the config, run, print the summary. The only module
//! besides `main` that writes to the terminal.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::Path;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use polars::prelude::DataFrame;

mod churn;
mod clv;
mod clv_bgbb;
mod retention;
mod segment;

use crate::cli::{Cli, Command, GenerateArgs, InitArgs, RunArgs, TableFormat};
use crate::config::{Config, INIT_TEMPLATE, Overrides};
use crate::error::{Error, Result};
use crate::generate::{self, GenerateParams};
use crate::io::{Format, InputParams, ValidInput, load, write};
use crate::pipeline::{self, Mode, Progress};
use crate::schema::{self, TableSpec};

/// A spinner on stderr when it is a terminal and the user did not ask for quiet.
struct Bar(Option<ProgressBar>);

impl Bar {
    fn new(quiet: bool) -> Self {
        if quiet || !std::io::stderr().is_terminal() {
            return Bar(None);
        }
        let pb = ProgressBar::new_spinner();
        if let Ok(style) = ProgressStyle::with_template("{spinner} [{elapsed}] {msg}") {
            pb.set_style(style);
        }
        pb.enable_steady_tick(Duration::from_millis(120));
        Bar(Some(pb))
    }
}

impl Progress for Bar {
    fn stage(&self, name: &str) {
        if let Some(pb) = &self.0 {
            pb.set_message(name.to_string());
        }
    }
}

impl Drop for Bar {
    fn drop(&mut self) {
        if let Some(pb) = &self.0 {
            pb.finish_and_clear();
        }
    }
}

pub fn dispatch(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Run(a) => run(a, Mode::Run, cli.quiet),
        Command::Validate(a) => run(a, Mode::Validate, cli.quiet),
        Command::Plan(a) => run(a, Mode::Plan, cli.quiet),
        Command::Generate(a) => generate(a, cli.quiet),
        Command::Init(a) => init(a, cli.quiet),
        Command::Clv(a) => clv::run(*a, cli.quiet),
        Command::Churn(a) => churn::run(*a, cli.quiet),
        Command::Segment(a) => segment::run(*a, cli.quiet),
        Command::Retention(a) => retention::run(*a, cli.quiet),
    }
}

/// A flag given on the command line replaces the params' default.
pub(crate) fn set<T>(field: &mut T, flag: Option<T>) {
    if let Some(v) = flag {
        *field = v;
    }
}

/// One input file of a subcommand, checked by the same rules as an `[input.*]` section of
/// kam.toml (file type by extension, delimiter names, date format, mapping onto `table`'s
/// contract columns); a relative path is taken from where kam runs.
pub(crate) fn input(params: InputParams, table: &'static TableSpec) -> Result<ValidInput> {
    params.check(table, Path::new(""))
}

/// Any per-customer table a subcommand takes (CSV as text, Parquet with its types, XLSX),
/// without the internal row column; `columns` maps contract names to the file's.
pub(crate) fn read_any(path: &Path, columns: BTreeMap<String, String>) -> Result<DataFrame> {
    read_text(&customer_table(path, columns)?)
}

/// As [`read_any`], with a CSV file's number columns already parsed where that gives the same
/// frame as casting its text (see [`crate::io::numbers`]); `text_column` stays text.
pub(crate) fn read_numbers(
    path: &Path,
    columns: BTreeMap<String, String>,
    text_column: &str,
) -> Result<DataFrame> {
    let spec = customer_table(path, columns)?;
    if spec.format != Format::Csv {
        return read_text(&spec);
    }
    // the file read once: parsed with its numbers, or else as text from the same bytes
    let bytes = load::read_bytes(&spec)?;
    match crate::io::numbers::load_numbers(&spec, &bytes, text_column)? {
        Some(df) => Ok(df),
        None => without_row_column(load::load_bytes(&spec, bytes)?),
    }
}

/// A per-customer table of a subcommand, checked as an `[input.customers]` section would be.
fn customer_table(path: &Path, columns: BTreeMap<String, String>) -> Result<ValidInput> {
    input(
        InputParams {
            path: path.to_string_lossy().into_owned(),
            columns,
            ..InputParams::default()
        },
        &schema::CUSTOMERS,
    )
}

/// The table as `load` reads it, without the internal row column.
fn read_text(spec: &ValidInput) -> Result<DataFrame> {
    without_row_column(load::load(spec)?)
}

fn without_row_column(raw: load::RawTable) -> Result<DataFrame> {
    Ok(raw.frame.collect()?.drop(load::ROW_INTERNAL)?)
}

/// Summary lines as the terminal shows them, files under `out`.
pub(crate) fn render(lines: &[crate::stage::Line], out: &Path) -> Vec<String> {
    lines.iter().map(|l| l.render(out)).collect()
}

pub(crate) fn print(lines: &[String], quiet: bool) -> Result<()> {
    if quiet {
        return Ok(());
    }
    let mut out = std::io::stdout().lock();
    for l in lines {
        writeln!(out, "{l}").map_err(|e| Error::write(Path::new("<stdout>"), e))?;
    }
    Ok(())
}

fn run(a: RunArgs, mode: Mode, quiet: bool) -> Result<()> {
    let cfg = Config::from_file(&a.config)?.check(
        &a.config,
        Overrides {
            out_dir: a.out,
            as_of: a.as_of,
            seed: a.seed,
            features: a.features,
        },
    )?;
    let bar = Bar::new(quiet);
    let outcome = pipeline::run(&cfg, mode, &bar);
    drop(bar);
    let outcome = outcome?;
    print(&outcome.summary, quiet)
}

fn generate(a: GenerateArgs, quiet: bool) -> Result<()> {
    let mut params = GenerateParams::default();
    if let Some(end) = &a.end {
        params.end = schema::parse_iso_date(end).ok_or_else(|| {
            Error::Usage(format!("--end {end} is not a date in the form YYYY-MM-DD"))
        })?;
    }
    set(&mut params.customers, a.customers);
    set(&mut params.months, a.months);
    set(&mut params.seed, a.seed);
    set(&mut params.activity, a.activity);
    let params = params.check()?;
    match (a.parts, a.format) {
        (Some(0), _) => return Err(Error::Usage("--parts must be at least 1".into())),
        (Some(_), TableFormat::Csv) => {
            return Err(Error::Usage("--parts needs --format parquet".into()));
        }
        _ => {}
    }
    let bar = Bar::new(quiet);
    bar.stage("generating the company");
    let company = generate::generate(&params)?;
    bar.stage("writing files");
    let ext = match a.format {
        TableFormat::Csv => "csv",
        TableFormat::Parquet => "parquet",
    };
    let mut lines = Vec::new();
    let tables = company.tables();
    for (name, df) in tables {
        let path = match (a.parts, name) {
            (Some(n), "transactions") => {
                let dir = a.out.join(name);
                write::parquet_parts(df, &dir, n)?;
                dir
            }
            _ => {
                let path = a.out.join(format!("{name}.{ext}"));
                match a.format {
                    TableFormat::Csv => write::csv(df, &path)?,
                    TableFormat::Parquet => write::parquet(df, &path)?,
                }
                path
            }
        };
        lines.push(format!(
            "{name}: {} rows -> {}",
            df.height(),
            path.display()
        ));
    }
    lines.push(format!(
        "planted, as real exports have them: {} customers recorded twice under a second id \
         and spelling, {} transaction rows repeated by overlapping extracts, {} feedback rows \
         typed in wrong",
        company.planted.near_duplicates,
        company.planted.repeated_rows,
        company.planted.bad_feedback
    ));
    let mut toml = company
        .config_toml()
        .replace(".csv\"", &format!(".{ext}\""));
    if a.parts.is_some() {
        toml = toml.replace(
            "path = \"transactions.parquet\"",
            "path = \"transactions\"\nformat = \"parquet\"",
        );
    }
    let cfg_path = a.out.join("kam.toml");
    write::text(&toml, &cfg_path)?;
    drop(bar);
    lines.push(format!(
        "config: {} (kam run --config {})",
        cfg_path.display(),
        cfg_path.display()
    ));
    print(&lines, quiet)
}

fn init(a: InitArgs, quiet: bool) -> Result<()> {
    if a.out.exists() && !a.force {
        return Err(Error::Usage(format!(
            "{} already exists; pass --force to overwrite it",
            a.out.display()
        )));
    }
    write::text(INIT_TEMPLATE, &a.out)?;
    print(&[format!("wrote {}", a.out.display())], quiet)
}
