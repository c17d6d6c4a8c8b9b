//! The README and docs/ are the user's reference, checked against the code so they cannot go
//! stale: the data contract lists every input column and feature (`kam::schema`), the config
//! page names every setting of the default config, the output page lists every declared output
//! with its columns, and no link leaves the repository. The README stays a front door: the two
//! commands, at most 300 lines.

use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};

use kam::schema;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn page(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The lines of a markdown text outside fenced code blocks, with their line numbers.
fn prose(text: &str) -> Vec<(usize, &str)> {
    let mut fenced = false;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if !fenced {
            out.push((i + 1, line));
        }
    }
    out
}

/// A heading line's level and title (`### \`x\`` → (3, "`x`")).
fn heading(line: &str) -> Option<(usize, &str)> {
    let level = line.chars().take_while(|&c| c == '#').count();
    let rest = &line[level..];
    (level > 0 && rest.starts_with(' ')).then(|| (level, rest.trim()))
}

/// The text under the first heading whose title satisfies `is`, up to the next heading of
/// any level (code blocks are not headings).
fn section(text: &str, is: impl Fn(usize, &str) -> bool) -> Option<String> {
    let mut out: Option<String> = None;
    for (_, line) in prose(text) {
        if let Some((level, title)) = heading(line) {
            if out.is_some() {
                break;
            }
            if is(level, title) {
                out = Some(String::new());
            }
            continue;
        }
        if let Some(s) = out.as_mut() {
            s.push_str(line);
            s.push('\n');
        }
    }
    out
}

/// The `### \`<name>\`` section of a page (the title may go on after the name).
fn named_section(text: &str, name: &str) -> Option<String> {
    let code = format!("`{name}`");
    section(text, |level, title| {
        level == 3 && (title == code || title.starts_with(&format!("{code} ")))
    })
}

// ---- 1. the data contract ----

#[test]
fn data_contract_lists_every_contract_column_in_its_table() {
    let text = page("docs/data-contract.md");
    for t in schema::TABLES {
        let sec = named_section(&text, t.name)
            .unwrap_or_else(|| panic!("docs/data-contract.md: no section ### `{}`", t.name));
        for c in t.columns {
            assert!(
                sec.contains(&format!("| `{}` |", c.name)),
                "docs/data-contract.md: column {}.{} missing from its table's section",
                t.name,
                c.name
            );
        }
    }
}

#[test]
fn data_contract_lists_every_feature() {
    let text = page("docs/data-contract.md");
    for (f, _) in schema::FEATURES {
        assert!(
            text.contains(&format!("| `{f}` |")),
            "docs/data-contract.md: feature {f} missing"
        );
    }
}

// ---- 2. the config ----

/// Every setting of a serialised config as (section, key): `("[churn]", "horizon_days")`,
/// `("[[rfm.segments]]", "name")`, `("", "seed")` at the top level. An empty table is a
/// section of its own with no key (`("[segment.names]", "")`). `input.*` is skipped: it
/// describes files, not settings with defaults (see `input_keys_are_documented`).
fn settings(prefix: &str, table: &toml::Table, out: &mut Vec<(String, String)>) {
    let here = if prefix.is_empty() {
        String::new()
    } else {
        format!("[{prefix}]")
    };
    for (k, v) in table {
        let path = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        if path == "input" {
            continue;
        }
        match v {
            toml::Value::Table(t) if t.is_empty() => out.push((format!("[{path}]"), String::new())),
            toml::Value::Table(t) => settings(&path, t, out),
            toml::Value::Array(a) if !a.is_empty() && a.iter().all(|x| x.is_table()) => {
                let mut keys = HashSet::new();
                for x in a.iter().filter_map(|x| x.as_table()) {
                    keys.extend(x.keys().cloned());
                }
                let mut keys: Vec<String> = keys.into_iter().collect();
                keys.sort();
                out.extend(keys.into_iter().map(|key| (format!("[[{path}]]"), key)));
            }
            _ => out.push((here.clone(), k.clone())),
        }
    }
}

/// The smallest config: the default of every setting.
const MINIMAL: &str = "[input.transactions]\npath = \"a.csv\"\n";

fn config_value(text: &str) -> toml::Table {
    let cfg = kam::config::Config::from_toml(text, Path::new("kam.toml")).expect("config");
    match toml::Value::try_from(&cfg).expect("serialise config") {
        toml::Value::Table(t) => t,
        other => panic!("config serialises to {other:?}"),
    }
}

/// Asserts that docs/config.md documents each (section, key): a heading holding
/// `` `[section]` `` (or "Top level" for top-level keys) with a row `| \`key\` |` under it.
fn assert_documented(text: &str, keys: &[(String, String)]) {
    for (sec, key) in keys {
        let body = if sec.is_empty() {
            section(text, |_, title| title.starts_with("Top level"))
        } else {
            let code = format!("`{sec}`");
            section(text, |_, title| title.contains(&code))
        };
        let shown = if sec.is_empty() {
            key.clone()
        } else {
            format!("{sec} {key}")
        };
        let body = body.unwrap_or_else(|| {
            panic!("docs/config.md: no section for {sec:?} (setting {shown} is not documented)")
        });
        if !key.is_empty() {
            assert!(
                body.contains(&format!("| `{key}` |")),
                "docs/config.md: setting {shown} missing (want a row | `{key}` | under {sec})"
            );
        }
    }
}

#[test]
fn config_page_names_every_setting_of_the_default_config() {
    let cfg = config_value(MINIMAL);
    let mut keys = Vec::new();
    settings("", &cfg, &mut keys);
    assert!(keys.len() > 80, "only {} settings found", keys.len());
    assert!(keys.contains(&("[churn]".into(), "horizon_days".into())));
    assert!(keys.contains(&("[plan.market_share]".into(), "cap_share_max".into())));
    assert_documented(&page("docs/config.md"), &keys);
}

#[test]
fn config_page_names_the_settings_without_a_default() {
    // Settings that are absent by default (and so missing from the walk above), set here.
    let cfg = config_value(
        "as_of = \"2026-01-01\"\n[input.transactions]\npath = \"a.csv\"\n\
         [plan.quotas]\ncompany_target = 1000000.0\n",
    );
    let mut defaults = Vec::new();
    settings("", &config_value(MINIMAL), &mut defaults);
    let mut keys = Vec::new();
    settings("", &cfg, &mut keys);
    keys.retain(|k| !defaults.contains(k));
    assert!(keys.contains(&(String::new(), "as_of".into())));
    assert!(keys.contains(&("[plan.quotas]".into(), "company_target".into())));
    assert_documented(&page("docs/config.md"), &keys);
}

#[test]
fn input_keys_are_documented() {
    let cfg = config_value(
        "[input.transactions]\npath = \"a.csv\"\nformat = \"csv\"\ndelimiter = \";\"\n\
         has_header = false\nencoding = \"gbk\"\ndate_format = \"%Y%m%d\"\nsheet = \"S\"\n\
         columns = { customer_id = \"id\" }\n",
    );
    let input = cfg["input"]["transactions"]
        .as_table()
        .expect("input table");
    let keys: Vec<(String, String)> = input
        .keys()
        .map(|k| ("[input.<table>]".to_string(), k.clone()))
        .collect();
    assert!(keys.len() >= 8, "input keys: {keys:?}");
    assert_documented(&page("docs/config.md"), &keys);
}

#[test]
fn prepared_features_keys_are_documented() {
    let cfg = config_value(
        "[input.transactions]\npath = \"a.csv\"\n[input.features]\npath = \"f\"\n\
         orders = \"o\"\nmanifest = \"m.json\"\n",
    );
    let keys: Vec<(String, String)> = cfg["input"]["features"]
        .as_table()
        .expect("features table")
        .keys()
        .map(|k| ("[input.features]".to_string(), k.clone()))
        .collect();
    assert_eq!(keys.len(), 3, "{keys:?}");
    assert_documented(&page("docs/config.md"), &keys);
}

// ---- 3. the outputs ----

/// Every output of `kam run` declared in `kam::schema::outputs`: a table has its section
/// `### \`<file>\`` listing every column as a row; a model or document is named.
#[test]
fn outputs_page_lists_every_declared_output() {
    use kam::schema::outputs::{OUTPUTS, OutputKind};
    let text = page("docs/outputs.md");
    let mut missing = Vec::new();
    for o in OUTPUTS {
        match o.kind {
            OutputKind::Table { columns, .. } => match named_section(&text, o.file) {
                None => missing.push(format!("no section ### `{}`", o.file)),
                Some(sec) => missing.extend(
                    columns
                        .iter()
                        .filter(|c| !sec.contains(&format!("| `{c}` |")))
                        .map(|c| format!("column {c} of {} (want a row | `{c}` |)", o.file)),
                ),
            },
            _ => {
                if !text.contains(&format!("`{}`", o.file)) {
                    missing.push(format!("output {} not named", o.file));
                }
            }
        }
    }
    assert!(
        missing.is_empty(),
        "docs/outputs.md:\n{}",
        missing.join("\n")
    );
}

#[test]
fn outputs_page_lists_every_subcommand_output_in_its_command_section() {
    use kam::schema::outputs::{COMMAND_OUTPUTS, OUTPUTS};
    let text = page("docs/outputs.md");
    let mut missing = Vec::new();
    for (cmd, specs) in COMMAND_OUTPUTS {
        let title = format!("`kam {cmd}`");
        let Some(body) = section_with_subsections(&text, &title) else {
            missing.push(format!("no section ## {title}"));
            continue;
        };
        // outputs shared with kam run are documented once, above
        for o in specs.iter().filter(|o| !OUTPUTS.contains(o)) {
            match named_section(&body, o.file) {
                None => missing.push(format!("{title}: no section ### `{}`", o.file)),
                Some(sec) => missing.extend(
                    o.columns()
                        .iter()
                        .filter(|c| !sec.contains(&format!("| `{c}` |")))
                        .map(|c| format!("{title}: column {c} of {}", o.file)),
                ),
            }
        }
    }
    assert!(
        missing.is_empty(),
        "docs/outputs.md:\n{}",
        missing.join("\n")
    );
}

/// The text of the `## <title>` section with its `###` subsections.
fn section_with_subsections(text: &str, title: &str) -> Option<String> {
    let start = text.find(&format!("## {title}"))?;
    let rest = &text[start + 3..];
    let end = rest.find("\n## ").map_or(rest.len(), |e| e + 1);
    Some(rest[..end].to_string())
}

// ---- 4. the README and the links ----

#[test]
fn readme_is_a_front_door_with_the_two_commands() {
    let text = page("README.md");
    assert!(
        text.contains("cargo run --release -- run"),
        "README: run command"
    );
    assert!(text.contains("cargo test"), "README: test command");
    let lines = text.lines().count();
    assert!(lines <= 300, "README.md has {lines} lines (at most 300)");
}

/// README.md and every docs/*.md page.
fn pages() -> Vec<PathBuf> {
    let mut out = vec![PathBuf::from("README.md")];
    let mut docs: Vec<PathBuf> = std::fs::read_dir(root().join("docs"))
        .expect("docs/")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .map(|p| p.strip_prefix(root()).expect("under root").to_path_buf())
        .collect();
    docs.sort();
    out.extend(docs);
    out
}

/// Markdown link targets on one line: `[text](target)`, `![alt](target)`, `[ref]: target`
/// and `<scheme://...>`; inline code spans are not links.
fn links(line: &str) -> Vec<String> {
    let mut plain = String::new();
    let mut code = false;
    for c in line.chars() {
        if c == '`' {
            code = !code;
        } else if !code {
            plain.push(c);
        }
    }
    let mut out = Vec::new();
    let mut rest = plain.as_str();
    while let Some(i) = rest.find("](") {
        let after = &rest[i + 2..];
        let end = after.find(')').unwrap_or(after.len());
        let target = after[..end].split_whitespace().next().unwrap_or("");
        out.push(target.trim_matches(['<', '>']).to_string());
        rest = &after[end..];
    }
    let t = plain.trim_start();
    if t.starts_with('[') {
        if let Some(i) = t.find("]: ") {
            out.push(t[i + 3..].trim().to_string());
        }
    }
    let mut rest = plain.as_str();
    while let Some(i) = rest.find('<') {
        let after = &rest[i + 1..];
        let end = after.find('>').unwrap_or(after.len());
        if after[..end].contains("://") {
            out.push(after[..end].to_string());
        }
        rest = &after[end.min(after.len())..];
    }
    out
}

/// GitHub's anchors of a page's headings: lower case, punctuation dropped, spaces as `-`,
/// repeated anchors numbered `-1`, `-2`, ...
fn anchors(text: &str) -> HashSet<String> {
    let mut seen = HashSet::new();
    for (_, line) in prose(text) {
        let Some((_, title)) = heading(line) else {
            continue;
        };
        let slug: String = title
            .to_lowercase()
            .chars()
            .filter(|c| c.is_alphanumeric() || *c == '-' || *c == '_' || *c == ' ')
            .map(|c| if c == ' ' { '-' } else { c })
            .collect();
        let mut name = slug.clone();
        let mut n = 0;
        while seen.contains(&name) {
            n += 1;
            name = format!("{slug}-{n}");
        }
        seen.insert(name);
    }
    seen
}

/// `path` with `.` and `..` resolved lexically; None when it climbs above its start.
fn normalise(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::Normal(p) => out.push(p),
            _ => return None,
        }
    }
    Some(out)
}

#[test]
fn no_link_leaves_the_repository() {
    let mut bad = Vec::new();
    let mut checked = 0;
    for rel in pages() {
        let text = page(rel.to_str().expect("utf-8 path"));
        let dir = rel.parent().unwrap_or(Path::new(""));
        for (n, line) in prose(&text) {
            for target in links(line) {
                checked += 1;
                let at = format!("{}:{n}: {target}", rel.display());
                if target.contains("://") || target.starts_with("mailto:") {
                    bad.push(format!("{at} (leaves the repository)"));
                    continue;
                }
                let (file, anchor) = match target.split_once('#') {
                    Some((f, a)) => (f, Some(a)),
                    None => (target.as_str(), None),
                };
                let resolved = if file.is_empty() {
                    Some(rel.clone())
                } else if file.starts_with('/') || file.starts_with("../shared") {
                    None
                } else {
                    normalise(&dir.join(file))
                };
                let Some(resolved) = resolved else {
                    bad.push(format!("{at} (points outside the repository)"));
                    continue;
                };
                if !root().join(&resolved).exists() {
                    bad.push(format!("{at} (no such file {})", resolved.display()));
                    continue;
                }
                if let Some(a) = anchor {
                    if resolved.extension().is_some_and(|x| x == "md") {
                        let target_text = page(resolved.to_str().expect("utf-8 path"));
                        if !anchors(&target_text).contains(a) {
                            bad.push(format!("{at} (no heading #{a} in {})", resolved.display()));
                        }
                    }
                }
            }
        }
    }
    assert!(checked > 20, "only {checked} links found");
    assert!(
        bad.is_empty(),
        "broken or outside links:\n{}",
        bad.join("\n")
    );
}

#[test]
fn link_checker_sees_what_it_must() {
    assert_eq!(
        links("see [a](docs/x.md#y) and ![b](c.png \"t\")"),
        ["docs/x.md#y", "c.png"]
    );
    assert_eq!(
        links("[ref]: ../shared/docs/domain.md"),
        ["../shared/docs/domain.md"]
    );
    assert_eq!(
        links("go to <https://example.org>"),
        ["https://example.org"]
    );
    assert!(links("`[not](a link)`").is_empty());
    assert_eq!(
        normalise(Path::new("docs/../README.md")),
        Some("README.md".into())
    );
    assert_eq!(normalise(Path::new("docs/../../x")), None);
    let a = anchors("# Churn: who is slipping away\n## `kam churn`: labelled mode\n## A\n## A\n");
    assert!(a.contains("churn-who-is-slipping-away"));
    assert!(a.contains("kam-churn-labelled-mode"));
    assert!(a.contains("a") && a.contains("a-1"));
}

#[test]
fn init_template_shows_every_setting_of_the_default_config() {
    let cfg = config_value(MINIMAL);
    let mut want = Vec::new();
    settings("", &cfg, &mut want);
    // settings the template sets, plus the sections it shows as commented examples (long
    // lists such as `[[rfm.segments]]`, whose defaults the comment describes)
    let text = kam::config::INIT_TEMPLATE;
    let template: toml::Table = text.parse().expect("template parses");
    let mut shown = Vec::new();
    settings("", &template, &mut shown);
    let missing: Vec<String> = want
        .iter()
        .filter(|k| !shown.contains(k))
        .filter(|(sec, _)| sec.is_empty() || !text.contains(&format!("# {sec}")))
        .map(|(s, k)| format!("{s} {k}"))
        .collect();
    assert!(
        missing.is_empty(),
        "src/init_template.toml lacks: {}",
        missing.join(", ")
    );
}
