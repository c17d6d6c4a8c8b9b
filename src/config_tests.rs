use super::*;

fn parse(text: &str) -> Result<ValidConfig> {
    let p = Path::new("/data/kam.toml");
    Config::from_toml(text, p)?.check(p, Overrides::default())
}

const MINIMAL: &str = "[input.transactions]\npath = \"sales.csv\"\n";

#[test]
fn minimal_config_resolves_paths_and_defaults() -> Result<()> {
    let c = parse(MINIMAL)?;
    let t = c
        .input("transactions")
        .ok_or(Error::Internal("no tx".into()))?;
    assert_eq!(t.path, PathBuf::from("/data/sales.csv"));
    assert_eq!(t.format, crate::io::Format::Csv);
    assert_eq!(t.delimiter, crate::io::Delimiter::Byte(b','));
    assert_eq!(c.seed, 42);
    assert_eq!(c.time_unit, TimeUnit::Weeks);
    assert_eq!(c.out_dir, PathBuf::from("out"));
    Ok(())
}

#[test]
fn quota_basis_is_last_year_or_forecast() -> Result<()> {
    let c = parse(&format!("{MINIMAL}[plan.quotas]\nbasis = \"forecast\"\n"))?;
    assert_eq!(
        c.plan.quotas.basis,
        crate::plan::params::QuotaBasis::Forecast
    );
    let e = parse(&format!("{MINIMAL}[plan.quotas]\nbasis = \"last_month\"\n"));
    let msg = e.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(
        msg.contains("last_year") && msg.contains("forecast"),
        "{msg}"
    );
    Ok(())
}

#[test]
fn init_template_parses_to_the_defaults() -> Result<()> {
    let p = Path::new("kam.toml");
    let c = Config::from_toml(INIT_TEMPLATE, p)?;
    assert_eq!(c.seed, DEFAULT_SEED);
    assert_eq!(c.validation, ValidationParams::default());
    assert_eq!(c.output, OutputParams::default());
    assert_eq!(c.time_unit, TimeUnit::default());
    assert_eq!(c.value, ValueParams::default());
    assert_eq!(c.rfm, RfmParams::default());
    assert_eq!(c.segment, SegmentParams::default());
    assert_eq!(c.key_accounts, KeyAccountParams::default());
    assert_eq!(c.plan, PlanParams::default());
    assert_eq!(c.track, TrackParams::default());
    c.check(p, Overrides::default())?;
    Ok(())
}

#[test]
fn unknown_key_is_rejected_with_its_line() {
    let e = parse("seeed = 1\n[input.transactions]\npath = \"a.csv\"\n").unwrap_err();
    assert!(e.to_string().contains("line 1"), "{e}");
    assert!(e.to_string().contains("seeed"), "{e}");
}

#[test]
fn a_moved_key_account_setting_says_where_it_went() {
    for text in [
        "[plan.key_accounts]\nkey_account_min_deal = 5\n",
        "[track]\nkey_account_min_deal = 5\n",
    ] {
        let e = parse(&format!("{MINIMAL}{text}")).unwrap_err();
        assert!(e.to_string().contains("[key_accounts]"), "{e}");
    }
}

#[test]
fn as_of_must_be_a_date() {
    let e = parse(&format!("as_of = \"2026-13-01\"\n{MINIMAL}")).unwrap_err();
    assert!(e.to_string().contains("as_of"), "{e}");
}

#[test]
fn input_errors_name_the_config_and_the_section() {
    let e = parse("[input.transactions]\npath = \"a.csv\"\ndelimiter = \";;\"\n").unwrap_err();
    assert_eq!(
        e.to_string(),
        "config /data/kam.toml: [input.transactions] delimiter = \";;\" must be one ASCII character, \"tab\" or \"whitespace\""
    );
}

#[test]
fn stage_errors_name_the_config() {
    let e = parse(&format!("{MINIMAL}[segment]\nk = 0\n")).unwrap_err();
    assert_eq!(
        e.to_string(),
        "config /data/kam.toml: segment: k cannot be zero"
    );
}

#[test]
fn min_date_must_be_a_date() {
    let e = parse(&format!("{MINIMAL}[validation]\nmin_date = \"1900\"\n")).unwrap_err();
    assert!(e.to_string().contains("validation.min_date"), "{e}");
}

#[test]
fn max_abs_amount_must_be_positive() {
    let e = parse(&format!("{MINIMAL}[validation]\nmax_abs_amount = -1\n")).unwrap_err();
    assert!(e.to_string().contains("max_abs_amount"), "{e}");
}

#[test]
fn prepared_features_resolve_beside_the_table_and_the_flag_wins() -> Result<()> {
    let c = parse(&format!(
        "{MINIMAL}[input.features]\npath = \"job/features\"\n"
    ))?;
    let f = c.features.ok_or(Error::Internal("no features".into()))?;
    assert_eq!(f.path, PathBuf::from("/data/job/features"));
    assert_eq!(f.orders, PathBuf::from("/data/job/orders"));
    assert_eq!(f.manifest, PathBuf::from("/data/job/manifest.json"));
    assert_eq!(f.rejects, PathBuf::from("/data/job/rejects/transactions"));
    let p = Path::new("/data/kam.toml");
    let ov = Overrides {
        features: Some(PathBuf::from("other/features")),
        ..Default::default()
    };
    let text = format!("{MINIMAL}[input.features]\npath = \"x\"\nmanifest = \"m.json\"\n");
    let f = Config::from_toml(&text, p)?.check(p, ov)?.features;
    let f = f.ok_or(Error::Internal("no features".into()))?;
    assert_eq!(f.path, PathBuf::from("other/features"));
    assert_eq!(f.orders, PathBuf::from("other/orders"));
    assert_eq!(f.manifest, PathBuf::from("other/manifest.json"));
    assert!(parse(MINIMAL)?.features.is_none());
    Ok(())
}

#[test]
fn prepared_features_with_a_merge_map_are_refused() {
    let text = format!(
        "{MINIMAL}[input.customer_merges]\npath = \"m.csv\"\n[input.features]\npath = \"f\"\n"
    );
    let e = parse(&text).map(|_| ()).unwrap_err().to_string();
    assert!(
        e.contains("[input.features] and [input.customer_merges]"),
        "{e}"
    );
}
