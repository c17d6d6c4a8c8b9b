use super::*;

#[test]
fn dedup_names_suffixes_repeats_and_blanks() {
    let mut n = vec!["a".to_string(), "a".into(), "".into()];
    dedup_names(&mut n);
    assert_eq!(n, ["a", "a_2", "column_3"]);
}

#[test]
fn polars_reads_crlf_quotes_and_short_rows_as_text() -> Result<()> {
    let df = polars_csv(
        b"id,name,amount\r\n1,\"Smith, \"\"Jr\"\"\",10\r\n2,\"two\nlines\",\r\n3\r\n",
        b',',
        true,
    )?;
    assert_eq!(df.height(), 3);
    let name = df.column("name")?.str()?;
    assert_eq!(name.get(0), Some("Smith, \"Jr\""));
    assert_eq!(name.get(1), Some("two\nlines"));
    assert_eq!(df.column("amount")?.str()?.get(0), Some("10"));
    assert_eq!(df.column("amount")?.null_count(), 2);
    Ok(())
}

#[test]
fn a_column_named_like_a_working_column_is_refused() {
    use crate::io::InputParams;
    for text in [
        &b"a,__kam_row\n1,2\n"[..],
        b"a,__kam_v_amount\n1,2\n3,4,5\n",
    ] {
        let input = InputParams {
            path: "x.csv".into(),
            ..InputParams::default()
        };
        let input = input.check(&crate::schema::TRANSACTIONS, Path::new(""));
        let r = input.and_then(|i| read_csv(text.to_vec(), &i));
        match r {
            Err(Error::Input { msg, .. }) => assert!(msg.contains("__kam_"), "{msg}"),
            Err(e) => panic!("{e}"),
            Ok(_) => panic!("accepted {text:?}"),
        }
    }
}

#[test]
fn ragged_long_rows_are_split_and_rejected() -> Result<()> {
    let p = Path::new("x.csv");
    let (good, bad) = split_csv(b"a,b\n1,2\n3,4,5\n6,7\n", b',', true, p)?;
    assert_eq!(good.height(), 2);
    let bad = bad.ok_or(Error::Internal("no rejects".into()))?;
    assert_eq!(bad.height(), 1);
    assert_eq!(bad.column(ROW_INTERNAL)?.i64()?.get(0), Some(2));
    let reason = bad.column(REASON_INTERNAL)?.str()?.get(0).unwrap_or("");
    assert!(reason.contains("3 fields"), "{reason}");
    Ok(())
}
