//! Fuzzing the loader and validation (issue 13 item 5) with proptest: CSV-ish bytes and a
//! small config through `kam::pipeline::fuzz::check_bytes`, the entry the `cargo fuzz`
//! target in `fuzz/` calls too. The property (see `check_bytes`): no panic, no hang, and
//! whenever validation succeeds, read = used + rejected for every table with a reason on
//! every reject. `PROPTEST_CASES=N cargo test --test fuzz` runs N random cases instead of
//! [`CI_CASES`]; the regression corpus `tests/fixtures/fuzz/` runs every time.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use kam::io::Encoding;
use kam::pipeline::fuzz::{
    AS_OFS, DATE_FORMATS, DELIMITERS, FuzzCase, FuzzOutcome, FuzzSettings, case_from_bytes,
    check_bytes,
};
use kam::validate::{DuplicateRows, UnknownCustomers};
use proptest::prelude::*;

/// Random cases per `cargo test` (debug build: about 30 s on the shared 2-core machine).
const CI_CASES: u32 = 600;
/// A case that takes longer than this is a hang (the debug build; a case takes milliseconds).
const HANG: Duration = Duration::from_secs(30);

/// Run one case on its own thread under [`HANG`]: a panic or a time-out fails the test; a
/// broken property comes back as the error.
fn run(
    settings: FuzzSettings,
    customers: Option<Vec<u8>>,
    transactions: Vec<u8>,
) -> Result<FuzzOutcome, String> {
    let (tx, rx) = mpsc::channel();
    let what = format!("{settings:?}");
    std::thread::spawn(move || {
        let case = FuzzCase {
            settings,
            customers: customers.as_deref(),
            transactions: &transactions,
        };
        let _ = tx.send(check_bytes(&case).map_err(|e| e.to_string()));
    });
    match rx.recv_timeout(HANG) {
        Ok(r) => r,
        Err(mpsc::RecvTimeoutError::Timeout) => Err(format!("hang: no answer in {HANG:?}, {what}")),
        Err(mpsc::RecvTimeoutError::Disconnected) => Err(format!("panic with {what}")),
    }
}

// ---- generators ----

/// Header names: the contract's, renamed, blank, CJK, with quotes or a delimiter inside.
const NAMES: &[&str] = &[
    "customer_id",
    "customer_id",
    "date",
    "date",
    "amount",
    "amount",
    "quantity",
    "unit_price",
    "order_id",
    "product",
    "channel",
    "Customer ID",
    "cust",
    "金额",
    "",
    " date ",
    "\"amount\"",
    "row",
    "reason",
    "check",
    "row_original",
    "__kam_row",
    "__kam_v_amount",
    "a,b",
    "name",
];

fn date() -> BoxedStrategy<String> {
    prop_oneof![
        4 => (1990i32..2030, 1u32..13, 1u32..29).prop_map(|(y, m, d)| format!("{y}-{m:02}-{d:02}")),
        2 => (0i32..10000, 0u32..14, 0u32..33).prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}")),
        1 => (1990i32..2030, 1u32..13, 1u32..29).prop_map(|(y, m, d)| format!("{d:02}/{m:02}/{y}")),
        1 => (1990i32..2030, 1u32..13, 1u32..29).prop_map(|(y, m, d)| format!("{m:02}/{d:02}/{y} 10:30")),
        1 => (1990i32..2030, 1u32..13, 1u32..29).prop_map(|(y, m, d)| format!("{y}{m:02}{d:02}")),
        1 => (1990i32..2030, 1u32..13, 1u32..29).prop_map(|(y, m, d)| format!("{y}年{m:02}月{d:02}日")),
        1 => prop::sample::select(vec![
            "0001-01-01", "9999-12-31", "2024-02-30", "2024-01-15 10:30:00",
            "2024-01-15T10:30:00", "2024-01-15T10:30:00Z", "2024-1-5", "-2024-01-01",
            "+275760-01-01", "262143-12-31", "yesterday", "", " ", "2024-13-01", "1e308",
            "2024-01-15 25:61:61", "0000-00-00", "00:00", "NaN",
        ]).prop_map(str::to_string),
    ]
    .boxed()
}

fn amount() -> BoxedStrategy<String> {
    prop_oneof![
        4 => (-1000.0f64..100000.0).prop_map(|a| format!("{a:.2}")),
        2 => any::<f64>().prop_map(|a| a.to_string()),
        1 => any::<i64>().prop_map(|a| a.to_string()),
        1 => "9{1,400}",
        2 => prop::sample::select(vec![
            "1e308", "-1e308", "1e309", "NaN", "nan", "inf", "-inf", "Infinity", "", " ",
            "1,234.56", "1.234,56", "1 234", "¥100", "100元", "0x10", "(5)", "  7  ", "-0",
            "5e-324", "1e12", "1000000000001", "--1", "+3", ".5", "5.", "１２３",
        ]).prop_map(str::to_string),
    ]
    .boxed()
}

fn id() -> BoxedStrategy<String> {
    prop_oneof![
        6 => (1u32..8).prop_map(|i| format!("C{i}")),
        1 => (1usize..3000).prop_map(|n| "X".repeat(n)),
        1 => prop::sample::select(vec![
            "客户甲", "客户（甲）有限公司", "", "  ", "C1 ", "c1", "\u{0}", "null", "NA",
        ]).prop_map(str::to_string),
    ]
    .boxed()
}

fn text() -> BoxedStrategy<String> {
    prop_oneof![
        3 => "[a-z]{0,8}",
        1 => "\\PC{0,12}",
        1 => prop::sample::select(vec!["水泥", "a,b", "a;b", "a\tb", "a\nb", "a\r\nb", "\"q\"", "a|b"])
            .prop_map(str::to_string),
    ]
    .boxed()
}

/// A field by its column's name: mostly a value of the right kind, sometimes anything.
fn field(name: &str) -> BoxedStrategy<String> {
    let own = match name.trim().trim_matches('"') {
        "customer_id" | "Customer ID" | "cust" => id(),
        "date" => date(),
        "amount" | "quantity" | "unit_price" | "金额" => amount(),
        _ => text(),
    };
    prop_oneof![6 => own, 1 => date(), 1 => amount(), 1 => id(), 1 => text()].boxed()
}

/// How a field is written: as is, quoted, quoted with a stray quote, or cut off.
#[derive(Debug, Clone, Copy)]
enum Quote {
    Bare,
    Quoted,
    Stray,
}

fn quote() -> impl Strategy<Value = Quote> {
    prop_oneof![8 => Just(Quote::Bare), 3 => Just(Quote::Quoted), 1 => Just(Quote::Stray)]
}

/// A table: a header and rows of (field, quoting), some rows ragged.
fn table(names: Vec<&'static str>) -> impl Strategy<Value = Vec<Vec<(String, Quote)>>> {
    let width = names.len();
    let row = names
        .iter()
        .map(|n| (field(n), quote()))
        .collect::<Vec<_>>();
    let ragged = prop_oneof![8 => Just(0i8), 1 => Just(-1i8), 1 => Just(1i8)];
    let header: Vec<(String, Quote)> = names.iter().map(|n| (n.to_string(), Quote::Bare)).collect();
    prop::collection::vec((row, ragged, (text(), quote())), 0..25).prop_map(move |rows| {
        let mut out = vec![header.clone()];
        for (mut r, ragged, extra) in rows {
            match ragged {
                -1 if width > 0 => {
                    r.pop();
                }
                1 => r.push(extra),
                _ => {}
            }
            out.push(r);
        }
        out
    })
}

/// Bytes of a table: the delimiter, line ending, BOM and byte damage applied.
#[derive(Debug, Clone)]
struct Render {
    delimiter: String,
    crlf: bool,
    final_newline: bool,
    bom: bool,
    /// (position, byte) insertions: NUL, invalid UTF-8, stray quotes and line breaks.
    damage: Vec<(usize, u8)>,
}

fn render() -> impl Strategy<Value = Render> {
    let byte = prop_oneof![
        Just(0u8),
        Just(0xFF),
        Just(0xC3),
        Just(0x80),
        Just(b'"'),
        Just(b'\n'),
        Just(b'\r'),
        Just(b','),
        any::<u8>()
    ];
    let damage = prop_oneof![
        6 => Just(vec![]),
        1 => prop::collection::vec((any::<usize>(), byte), 1..4),
    ];
    let delimiter = prop_oneof![8 => Just(None), 1 => prop::sample::select(vec![",", ";", "\t", "  "]).prop_map(Some)];
    (
        delimiter,
        any::<bool>(),
        prop::bool::weighted(0.8),
        prop::bool::weighted(0.1),
        damage,
    )
        .prop_map(|(d, crlf, final_newline, bom, damage)| Render {
            delimiter: d.unwrap_or("").to_string(),
            crlf,
            final_newline,
            bom,
            damage,
        })
}

fn to_bytes(rows: &[Vec<(String, Quote)>], r: &Render, s: &FuzzSettings) -> Vec<u8> {
    let own = match s.delimiter.as_deref() {
        None => ",",
        Some("tab") => "\t",
        Some("whitespace") => "  ",
        Some(d) => d,
    };
    let delim = if r.delimiter.is_empty() {
        own
    } else {
        &r.delimiter
    };
    let lines: Vec<String> = rows
        .iter()
        .map(|row| {
            row.iter()
                .map(|(f, q)| match q {
                    Quote::Bare => f.clone(),
                    Quote::Quoted => format!("\"{}\"", f.replace('"', "\"\"")),
                    Quote::Stray => format!("\"{f}"),
                })
                .collect::<Vec<_>>()
                .join(delim)
        })
        .collect();
    let mut text = lines.join(if r.crlf { "\r\n" } else { "\n" });
    if r.final_newline {
        text.push_str(if r.crlf { "\r\n" } else { "\n" });
    }
    let mut bytes = match s.encoding {
        Encoding::Gbk | Encoding::Gb18030 => encoding_of(&text, encoding_rs::GBK),
        Encoding::Windows1252 => encoding_of(&text, encoding_rs::WINDOWS_1252),
        Encoding::Utf8 => text.into_bytes(),
    };
    if r.bom {
        bytes.splice(0..0, *b"\xEF\xBB\xBF");
    }
    for &(at, b) in &r.damage {
        let at = if bytes.is_empty() {
            0
        } else {
            at % (bytes.len() + 1)
        };
        bytes.insert(at, b);
    }
    bytes
}

fn encoding_of(text: &str, enc: &'static encoding_rs::Encoding) -> Vec<u8> {
    enc.encode(text).0.into_owned()
}

/// Mostly none or a date; sometimes a date before every sale, or one that is not a date.
fn as_of() -> impl Strategy<Value = Option<&'static str>> {
    let [none, mid, late, early, bad] = AS_OFS else {
        unreachable!("AS_OFS has five values")
    };
    prop_oneof![8 => Just(*none), 4 => Just(*mid), 2 => Just(*late), 1 => Just(*early), 1 => Just(*bad)]
}

fn settings() -> impl Strategy<Value = FuzzSettings> {
    let encoding = prop_oneof![
        8 => Just(Encoding::Utf8), 1 => Just(Encoding::Gbk), 1 => Just(Encoding::Gb18030), 1 => Just(Encoding::Windows1252)
    ];
    let dup = prop::sample::select(vec![
        DuplicateRows::Reject,
        DuplicateRows::Note,
        DuplicateRows::Keep,
    ]);
    let unknown = prop::sample::select(vec![UnknownCustomers::Keep, UnknownCustomers::Reject]);
    (
        prop::sample::select(DELIMITERS.to_vec()),
        prop::sample::select(DATE_FORMATS.to_vec()),
        prop::bool::weighted(0.9),
        encoding,
        dup,
        unknown,
        as_of(),
    )
        .prop_map(
            |(d, f, has_header, encoding, dup, unknown, as_of)| FuzzSettings {
                delimiter: d.map(str::to_string),
                date_format: f.map(str::to_string),
                has_header,
                encoding,
                duplicate_transactions: dup,
                unknown_customers: unknown,
                as_of: as_of.map(str::to_string),
            },
        )
}

fn header(pool: &'static [&'static str], max: usize) -> impl Strategy<Value = Vec<&'static str>> {
    prop::collection::vec(prop::sample::select(pool), 0..max)
}

/// A transactions header: usually the three required columns (so validation often succeeds)
/// plus a few random ones, in random order; sometimes anything.
fn tx_header() -> impl Strategy<Value = Vec<&'static str>> {
    prop_oneof![
        4 => (header(NAMES, 4), any::<prop::sample::Index>()).prop_map(|(mut extra, at)| {
            let mut h = vec!["customer_id", "date", "amount"];
            h.append(&mut extra);
            let n = h.len();
            h.rotate_left(at.index(n));
            h
        }),
        1 => header(NAMES, 8),
    ]
}

const CUSTOMER_NAMES: &[&str] = &["customer_id", "name", "district", "credit_days", "", "客户"];

/// A customers header: usually customer_id and a few others, sometimes anything.
fn customers_header() -> impl Strategy<Value = Vec<&'static str>> {
    prop_oneof![
        4 => header(CUSTOMER_NAMES, 3).prop_map(|mut h| {
            h.insert(0, "customer_id");
            h
        }),
        1 => header(CUSTOMER_NAMES, 4),
    ]
}

/// A whole case: settings, an optional customers file, the transactions file.
fn case() -> impl Strategy<Value = (FuzzSettings, Option<Vec<u8>>, Vec<u8>)> {
    let customers = prop::option::weighted(
        0.3,
        (customers_header(), render()).prop_flat_map(|(h, r)| (table(h), Just(r))),
    );
    (
        settings(),
        customers,
        tx_header().prop_flat_map(table),
        render(),
    )
        .prop_map(|(s, customers, tx, r)| {
            let customers = customers.map(|(rows, cr)| to_bytes(&rows, &cr, &s));
            let tx = to_bytes(&tx, &r, &s);
            (s, customers, tx)
        })
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(CI_CASES)
}

/// The random cases. Run by hand rather than with `proptest!` so the test can also check
/// that the generator reaches the property: at least a fifth of the cases get through
/// validation (the read = used + rejected part is only checked on those) and some are refused.
#[test]
fn random_csv_bytes_keep_the_property() {
    use proptest::test_runner::{Config, TestRunner};
    let validated = std::cell::Cell::new(0u32);
    let refused = std::cell::Cell::new(0u32);
    let mut runner = TestRunner::new(Config {
        cases: cases(),
        // a finding goes to tests/fixtures/fuzz/ by hand, as a file the corpus test runs
        failure_persistence: None,
        ..Config::default()
    });
    let result = runner.run(&case(), |(settings, customers, tx)| {
        match run(settings, customers, tx) {
            Ok(FuzzOutcome::Validated(_)) => validated.set(validated.get() + 1),
            Ok(FuzzOutcome::Refused(_)) => refused.set(refused.get() + 1),
            Err(e) => prop_assert!(false, "{}", e),
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    let (v, r) = (validated.get(), refused.get());
    assert!(v * 5 >= v + r && r > 0, "{v} cases validated, {r} refused");
}

// ---- the regression corpus ----

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz")
}

/// The settings every hand-written corpus file runs under.
fn corpus_settings() -> Vec<FuzzSettings> {
    let d = FuzzSettings::default;
    vec![
        d(),
        FuzzSettings {
            has_header: false,
            ..d()
        },
        FuzzSettings {
            duplicate_transactions: DuplicateRows::Note,
            ..d()
        },
        FuzzSettings {
            duplicate_transactions: DuplicateRows::Keep,
            ..d()
        },
        FuzzSettings {
            as_of: Some("2024-06-30".into()),
            ..d()
        },
        FuzzSettings {
            as_of: Some("9999-12-31".into()),
            ..d()
        },
        FuzzSettings {
            unknown_customers: UnknownCustomers::Reject,
            ..d()
        },
        FuzzSettings {
            delimiter: Some("whitespace".into()),
            ..d()
        },
        FuzzSettings {
            date_format: Some("%d/%m/%Y".into()),
            ..d()
        },
        FuzzSettings {
            encoding: Encoding::Gb18030,
            ..d()
        },
    ]
}

/// Every file of tests/fixtures/fuzz/: `X.csv` (with `X.customers.csv` beside it when there
/// is one) under each of [`corpus_settings`]; `X.bin`, a `cargo fuzz` input (settings bytes
/// then the files), as the fuzz target reads it.
#[test]
fn regression_corpus_keeps_the_property() -> Result<(), String> {
    let mut names: Vec<PathBuf> = std::fs::read_dir(corpus())
        .map_err(|e| e.to_string())?
        .flatten()
        .map(|e| e.path())
        .collect();
    names.sort();
    let mut ran = 0;
    for p in &names {
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let bytes = std::fs::read(p).map_err(|e| e.to_string())?;
        let fail = |e: String| format!("{name}: {e}");
        if name.ends_with(".bin") {
            let c = case_from_bytes(&bytes);
            run(
                c.settings,
                c.customers.map(<[u8]>::to_vec),
                c.transactions.to_vec(),
            )
            .map_err(fail)?;
            ran += 1;
        } else if name.ends_with(".csv") && !name.ends_with(".customers.csv") {
            let customers = std::fs::read(p.with_extension("customers.csv")).ok();
            for s in corpus_settings() {
                run(s, customers.clone(), bytes.clone()).map_err(fail)?;
            }
            ran += 1;
        }
    }
    assert!(ran >= 8, "the corpus holds {ran} files");
    Ok(())
}
