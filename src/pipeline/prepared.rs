//! A run on features prepared by the Spark feature job (`kam run --features`): the job's
//! output read and checked, standing in for the raw transactions. The customers and the other
//! tables are still read and validated by kam; the features must come from the same customers.

use polars::prelude::DataFrame;

use crate::config::ValidConfig;
use crate::error::{Error, Result};
use crate::features::prepared::{self, JobFacts};
use crate::features::prepared_rows;
use crate::io::load::FileInfo;
use crate::io::prepared::{self as files, ValidFeatures};
use crate::schema as s;
use crate::stage::StageOutput;
use crate::validate::{ValidTable, Validation};

/// The job's output, checked: the features, the transactions' validation result built from
/// its order aggregates, and what its manifest says.
pub struct PreparedRun {
    pub features: DataFrame,
    /// Where the features were read (for messages).
    pub features_path: std::path::PathBuf,
    pub features_file: FileInfo,
    pub job: JobFacts,
}

/// Read the job's output and check it against the feature contract and this run's settings;
/// with the transactions' validation result built from it.
pub fn load(cfg: &ValidConfig, f: &ValidFeatures) -> Result<(PreparedRun, ValidTable)> {
    let read = files::read(f)?;
    let job = prepared::job_facts(&read.manifest, &f.manifest)?;
    prepared::agrees(&job, cfg.as_of, cfg.time_unit, &f.manifest)?;
    let features = prepared::checked_features(&read.features, &f.path, job.as_of, cfg.time_unit)?;
    let orders = prepared_rows::checked_orders(&read.orders, &f.orders, job.as_of)?;
    prepared_rows::orders_have_features(&orders, &features, &f.orders)?;
    let transactions =
        prepared_rows::transactions_table(orders, read.orders_file, read.rejects.as_ref(), &job)?;
    let run = PreparedRun {
        features,
        features_path: f.path.clone(),
        features_file: read.features_file,
        job,
    };
    Ok((run, transactions))
}

/// The job's transactions put in contract order among kam's validated tables, after checking
/// that the job read the same customers table as kam (the same counts).
pub fn with_transactions(
    mut v: Validation,
    tx: ValidTable,
    run: &PreparedRun,
    f: &ValidFeatures,
) -> Result<Validation> {
    let kam = v.table(s::CUSTOMERS.name).map(|t| &t.counts);
    let job = run.job.tables.get(s::CUSTOMERS.name);
    if kam != job {
        let say = |c: Option<&crate::validate::Counts>| match c {
            Some(c) => format!("{} read, {} used", c.read, c.used),
            None => "no customers table".into(),
        };
        return Err(Error::input(
            &f.manifest,
            format!(
                "the feature job read customers as {}, kam reads them as {}: were the features \
                 made with this config?",
                say(job),
                say(kam)
            ),
        ));
    }
    let at = (v.tables.iter())
        .position(|t| t.spec.name != s::CUSTOMERS.name)
        .unwrap_or(v.tables.len());
    v.tables.insert(at, tx);
    v.as_of = Some(run.job.as_of);
    Ok(v)
}

/// What a run on prepared features says about itself.
pub fn notes(run: &PreparedRun, v: &Validation) -> StageOutput {
    let mut out = StageOutput::default();
    let tx = v.table(s::TRANSACTIONS.name);
    let (rows, used) = tx.map_or((0, 0), |t| (t.clean.height(), t.counts.used));
    out.add_note(format!(
        "features: read from {} ({} customers, as_of {}), made by the Spark feature job; the raw \
         transactions were not loaded, their counts and rejects are the job's",
        run.features_file.path,
        run.features.height(),
        run.job.as_of
    ));
    out.add_note(format!(
        "transactions: the steps that read rows (the value holdout check and model choice, \
         churn's cutoffs, merge candidates, trend, attainment, weekly pages, plan history) read \
         the job's order aggregates, {rows} rows for {used} transactions, which give the figures \
         of the raw rows"
    ));
    out.add_note(
        "products: not computed: the order aggregates carry no product or channel, so there are \
         no product, cross-sell or basket figures and churn does not weigh products; run kam on \
         the raw transactions for them",
    );
    out
}
