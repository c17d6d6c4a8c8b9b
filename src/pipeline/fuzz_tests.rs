use super::*;

fn tx(csv: &str) -> FuzzCase<'_> {
    FuzzCase {
        settings: FuzzSettings::default(),
        customers: None,
        transactions: csv.as_bytes(),
    }
}

const GOOD: &str = "customer_id,date,amount\nA,2024-01-01,10\nA,2024-01-02,x\nB,0001-01-01,5\n";

#[test]
fn a_file_that_validates_reports_its_counts() -> Result<()> {
    match check_bytes(&tx(GOOD))? {
        FuzzOutcome::Validated(counts) => {
            let (name, c) = &counts[0];
            assert_eq!(
                (name.as_str(), c.read, c.used, c.rejected),
                ("transactions", 3, 1, 2)
            );
        }
        FuzzOutcome::Refused(e) => panic!("refused: {e}"),
    }
    Ok(())
}

#[test]
fn a_user_error_is_a_refusal_not_a_broken_property() -> Result<()> {
    let out = check_bytes(&tx("customer_id,amount\nA,1\n"))?;
    assert!(
        matches!(out, FuzzOutcome::Refused(Error::MissingColumn { .. })),
        "{out:?}"
    );
    let mut bad_as_of = tx(GOOD);
    bad_as_of.settings.as_of = Some("2024-02-30".into());
    let out = check_bytes(&bad_as_of)?;
    assert!(
        matches!(out, FuzzOutcome::Refused(Error::Config { .. })),
        "{out:?}"
    );
    Ok(())
}

#[test]
fn no_usable_transaction_still_checks_the_property() -> Result<()> {
    let out = check_bytes(&tx("customer_id,date,amount\nA,2024-01-01,x\n"))?;
    assert!(
        matches!(&out, FuzzOutcome::Validated(c) if c[0].1.rejected == 1),
        "{out:?}"
    );
    Ok(())
}

/// The checks themselves can fail: a lost row, a reject without a reason, a bad used value.
#[test]
fn the_property_checks_catch_what_they_are_for() -> Result<()> {
    let case = tx(GOOD);
    let (raw, v, _, min_day, max_abs) = load_and_validate(&case)?;
    let t = &v.tables[0];
    reconciles(&raw[0], t)?;
    let lost = ValidTable {
        counts: Counts {
            used: t.counts.used - 1,
            ..t.counts.clone()
        },
        ..clone_table(t)
    };
    assert!(reconciles(&raw[0], &lost).is_err());
    let mut no_reason = clone_table(t);
    no_reason.rejects = t
        .rejects
        .clone()
        .lazy()
        .with_column(lit(" ").alias(schema::REASON))
        .collect()?;
    assert!(reconciles(&raw[0], &no_reason).is_err());
    // two rejects of the same row, with counts that add up
    let first = t.rejects.head(Some(1));
    let check = first
        .column("check")?
        .str()?
        .get(0)
        .unwrap_or_default()
        .to_string();
    let twice = ValidTable {
        rejects: first.vstack(&first)?,
        counts: Counts {
            read: 3,
            used: 1,
            rejected: 2,
            rejected_by_check: [(check, 2)].into_iter().collect(),
        },
        ..clone_table(t)
    };
    let e = reconciles(&raw[0], &twice).map(|_| ()).unwrap_err();
    assert!(e.to_string().contains("or twice"), "{e}");
    let early = NaiveDate::from_ymd_opt(2023, 12, 31).unwrap_or_default();
    assert!(used_transactions_are_valid(&t.clean, min_day, Some(early), max_abs).is_err());
    assert!(used_transactions_are_valid(&t.clean, min_day, None, 5.0).is_err());
    used_transactions_are_valid(&t.clean, min_day, None, max_abs)
}

fn clone_table(t: &ValidTable) -> ValidTable {
    ValidTable {
        spec: t.spec,
        clean: t.clean.clone(),
        rejects: t.rejects.clone(),
        counts: t.counts.clone(),
        notes: t.notes.clone(),
        file: t.file.clone(),
    }
}

#[test]
fn bytes_pick_the_settings_and_split_the_files() {
    let c = case_from_bytes(b"\x01\x03\x01\x00\x13\x04abcdrest");
    assert_eq!(c.settings.delimiter.as_deref(), Some(";"));
    assert_eq!(c.settings.date_format.as_deref(), Some("%Y%m%d"));
    assert_eq!(c.settings.as_of.as_deref(), Some("2024-06-30"));
    assert!(!c.settings.has_header);
    assert_eq!(c.settings.duplicate_transactions, DuplicateRows::Note);
    assert_eq!(c.settings.unknown_customers, UnknownCustomers::Keep);
    assert_eq!(c.customers, Some(&b"abcd"[..]));
    assert_eq!(c.transactions, b"rest");
    let short = case_from_bytes(b"");
    assert_eq!(short.settings, FuzzSettings::default());
    assert!(short.transactions.is_empty());
}
