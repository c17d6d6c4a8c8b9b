//! The import graph of `src/`: no module imports one above it (so there is no circle), no
//! stage imports another stage, and no stage module reads or writes a file or names a path
//! of a particular machine. Layers, lowest first, as in docs/architecture.md.

use std::collections::BTreeSet;
use std::path::Path;

/// Top-level modules by layer; a module may import its own layer's shared modules only where
/// listed in `SAME_LAYER_OK`, and any lower layer.
const LAYERS: &[&[&str]] = &[
    &["error"],
    &["schema"],
    &["stage", "frame", "edge", "rows", "par"],
    &["io"],
    &["validate"],
    &["master"],
    &["features", "forecast", "grades"],
    &[
        "key_accounts",
        "value",
        "segment",
        "churn",
        "track",
        "plan",
        "generate",
    ],
    &["report"],
    &["config"],
    &["manifest", "pipeline"],
    &["cli"],
    &["app"],
];
/// Same-layer imports that are allowed (from, to).
const SAME_LAYER_OK: &[(&str, &str)] = &[
    ("pipeline", "manifest"),
    ("stage", "frame"),
    ("rows", "par"),
];
/// Modules that may read or write files: the loaders and writers, the pipeline's emit step,
/// the commands, and the config reader.
const MAY_TOUCH_FILES: &[&str] = &["io", "pipeline", "app", "config", "main", "lib"];

fn layer(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&module))
}

/// Source files outside tests, with their top-level module.
fn sources() -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    let mut dirs = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("src")];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(&d).expect("src").flatten() {
            let p = e.path();
            if p.is_dir() {
                dirs.push(p);
                continue;
            }
            let name = p.file_name().map(|n| n.to_string_lossy().into_owned());
            let name = name.unwrap_or_default();
            if !name.ends_with(".rs") || name.ends_with("_tests.rs") || name == "tests.rs" {
                continue;
            }
            let rel = p
                .strip_prefix(Path::new(env!("CARGO_MANIFEST_DIR")).join("src"))
                .expect("under src")
                .to_string_lossy()
                .into_owned();
            let top = rel
                .split('/')
                .next()
                .unwrap_or("")
                .trim_end_matches(".rs")
                .to_string();
            let text = std::fs::read_to_string(&p).expect("source");
            // the code without its inline test module and comments
            let code = match text.find("#[cfg(test)]\nmod tests {") {
                Some(i) => &text[..i],
                None => &text[..],
            };
            let code: String = code
                .lines()
                .filter(|l| !l.trim_start().starts_with("//"))
                .collect::<Vec<_>>()
                .join("\n");
            out.push((rel, top, code));
        }
    }
    out.sort();
    out
}

/// Top-level modules `code` refers to through `crate::x` or `use crate::{x, y::z}`.
fn imports(code: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut rest = code;
    while let Some(i) = rest.find("crate::") {
        rest = &rest[i + 7..];
        if let Some(group) = rest.strip_prefix('{') {
            // the group ends at its matching brace
            let mut open = 1;
            let end = group
                .char_indices()
                .find(|&(_, c)| {
                    open += match c {
                        '{' => 1,
                        '}' => -1,
                        _ => 0,
                    };
                    open == 0
                })
                .map_or(group.len(), |(i, _)| i);
            // top-level names of the group: the first segment of each item
            let mut depth = 0;
            let mut item = String::new();
            for ch in group[..end].chars().chain(std::iter::once(',')) {
                match ch {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        let name: String = item
                            .trim()
                            .chars()
                            .take_while(|c| c.is_alphanumeric() || *c == '_')
                            .collect();
                        if !name.is_empty() && name != "self" {
                            found.insert(name);
                        }
                        item.clear();
                    }
                    c => item.push(c),
                }
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                found.insert(name);
            }
        }
    }
    found
}

#[test]
fn imports_only_point_down() {
    let mut bad = Vec::new();
    for (file, top, code) in sources() {
        let Some(from) = layer(&top) else {
            continue; // lib.rs, main.rs: the crate root sees everything
        };
        for to in imports(&code) {
            if to == top {
                continue;
            }
            let Some(l) = layer(&to) else {
                continue; // a type or function at the crate root (Error, Result)
            };
            let same_ok = SAME_LAYER_OK.contains(&(top.as_str(), to.as_str()));
            if l > from || (l == from && !same_ok) {
                bad.push(format!("{file} ({top}) imports {to}"));
            }
        }
    }
    assert!(
        bad.is_empty(),
        "imports that do not point down:\n{}",
        bad.join("\n")
    );
}

#[test]
fn only_io_pipeline_and_commands_touch_files() {
    let mut bad = Vec::new();
    for (file, top, code) in sources() {
        if MAY_TOUCH_FILES.contains(&top.as_str()) {
            continue;
        }
        for needle in [
            "std::fs",
            "File::create",
            "File::open",
            "io::write",
            "io::load::load",
        ] {
            if code.contains(needle) {
                bad.push(format!("{file}: {needle}"));
            }
        }
    }
    assert!(
        bad.is_empty(),
        "stage code touching files:\n{}",
        bad.join("\n")
    );
}

#[test]
fn no_machine_paths_in_src() {
    let mut bad = Vec::new();
    for (file, _, code) in sources() {
        for needle in ["/work/", "/home/", "/tmp/", "/root/", "C:\\"] {
            if code.contains(needle) {
                bad.push(format!("{file}: {needle}"));
            }
        }
    }
    assert!(bad.is_empty(), "machine paths in src/:\n{}", bad.join("\n"));
}

#[test]
fn the_scanner_sees_grouped_and_plain_imports() {
    let found =
        imports("use crate::{churn, schema::{self as s}, value::x};\nlet a = crate::plan::f();");
    let want: BTreeSet<String> = ["churn", "schema", "value", "plan"]
        .into_iter()
        .map(String::from)
        .collect();
    assert_eq!(found, want);
}
