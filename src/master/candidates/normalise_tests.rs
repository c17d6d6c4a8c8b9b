use super::*;

fn key(s: &str) -> String {
    name_key(s).map(|k| k.key).unwrap_or_default()
}

#[test]
fn brackets_full_width_and_suffixes_fold_chinese_names_together() {
    let a = key("华润水泥（平南）有限公司");
    assert_eq!(a, "华润水泥平南");
    assert_eq!(key("华润水泥(平南)有限公司"), a);
    assert_eq!(key("华润水泥平南有限责任公司"), a);
    assert_eq!(key("【华润水泥】[平南] 股份有限公司"), a);
    assert_eq!(key("华润水泥平南集团有限公司"), a);
    assert_eq!(key("华润水泥、平南。公司"), a);
}

#[test]
fn english_suffixes_case_and_punctuation_fold_together() {
    assert_eq!(key("ACME Co., Ltd."), "acme");
    assert_eq!(key("Acme Limited"), "acme");
    assert_eq!(key("acme co ltd"), "acme");
    assert_eq!(key("ACME Company Limited"), "acme");
    assert_eq!(key("Acme, Inc."), "acme");
    assert_eq!(key("Acme Corporation"), "acme");
    assert_eq!(key("ACME GmbH"), "acme");
    assert_eq!(key("Acme Trading LLC"), "acmetrading");
}

#[test]
fn full_width_letters_and_the_ideographic_space_become_half_width() {
    assert_eq!(key("ＡＣＭＥ　Ｉｎｃ"), "acme");
    assert_eq!(tokens("ＡＣＭＥ　Ｉｎｃ"), ["acme", "inc"]);
}

#[test]
fn suffixes_repeat_but_never_leave_nothing() {
    // a Latin suffix, then a Chinese one
    assert_eq!(key("南宁建工有限公司 Co., Ltd."), "南宁建工");
    assert_eq!(key("有限公司"), "有限公司");
    assert_eq!(key("Limited Ltd"), "limited");
    assert_eq!(key("Inc"), "inc");
    // a suffix inside a word is not a suffix
    assert_eq!(key("Flinc"), "flinc");
    assert_eq!(name_key("（）  ..."), None);
}

#[test]
fn phones_keep_digits_without_the_country_code() {
    let want = Some("13800138000".to_string());
    assert_eq!(phone_key("+86 138-0013-8000"), want);
    assert_eq!(phone_key("0086 13800138000"), want);
    assert_eq!(phone_key("8613800138000"), want);
    assert_eq!(phone_key("１３８ ００１３ ８０００"), want);
    assert_eq!(phone_key("(0771) 555-1234"), Some("07715551234".into()));
    assert_eq!(phone_key("+1 555 123 4567"), Some("15551234567".into()));
    assert_eq!(phone_key("-"), None);
    assert_eq!(phone_key("12345"), None);
}

#[test]
fn tax_ids_are_upper_case_alphanumerics() {
    let want = Some("91450100MA5K8XYZ12".to_string());
    assert_eq!(tax_id_key("91450100ma5k8xyz12"), want);
    assert_eq!(tax_id_key(" 9145-0100-MA5K-8XYZ-12 "), want);
    assert_eq!(tax_id_key("９１４５０１００ＭＡ５Ｋ８ＸＹＺ１２"), want);
    assert_eq!(tax_id_key("n/a"), None);
}

#[test]
fn addresses_fold_like_names_without_the_suffix_rule() {
    assert_eq!(
        address_key("南宁市 青秀区（民族大道）88号"),
        Some("南宁市青秀区民族大道88号".into())
    );
    assert_eq!(address_key("ACME Co., Ltd."), Some("acmecoltd".into()));
    assert_eq!(address_key("无"), None);
}

#[test]
fn block_keys_are_words_for_latin_and_characters_for_cjk() -> Result<(), String> {
    let latin = name_key("Acme Trading Co., Ltd.").ok_or("no key")?;
    assert_eq!(similar_block_keys(&latin), ["<acme", ">trading"]);
    let cjk = name_key("华润水泥（平南）有限公司").ok_or("no key")?;
    assert_eq!(similar_block_keys(&cjk), ["<华润水泥", ">水泥平南"]);
    let short = name_key("平南").ok_or("no key")?;
    assert_eq!(similar_block_keys(&short), ["<平南", ">平南"]);
    Ok(())
}
