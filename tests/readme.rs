//! The README is the user's reference: it must list every contract column in its table's
//! section, every feature column, and the two commands that work on a fresh machine.

use kam::schema;

fn readme() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).expect("README.md")
}

#[test]
fn readme_lists_every_contract_column_in_its_table() {
    let text = readme();
    for t in schema::TABLES {
        let start = text
            .find(&format!("### `{}`", t.name))
            .unwrap_or_else(|| panic!("no section for {}", t.name));
        let section = &text[start..];
        let end = section[4..].find("### ").map_or(section.len(), |e| e + 4);
        let section = &section[..end];
        for c in t.columns {
            assert!(
                section.contains(&format!("| `{}` |", c.name)),
                "{}.{} missing",
                t.name,
                c.name
            );
        }
    }
}

#[test]
fn readme_lists_every_feature_and_the_two_commands() {
    let text = readme();
    for (f, _) in schema::FEATURES {
        assert!(text.contains(&format!("| `{f}` |")), "feature {f} missing");
    }
    assert!(text.contains("cargo run --release -- run"));
    assert!(text.contains("cargo test"));
}
