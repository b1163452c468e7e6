//! A SQLite derivation over 100,000 documents: a running sum per key, kept
//! with an upsert (`INSERT … ON CONFLICT … DO UPDATE … RETURNING`), which
//! publishes one document per document read. Baseline in the same run:
//! serde_json parsing and serializing the same documents, the least any
//! runtime that reads and publishes JSON does. Prints documents per second
//! of both and their ratio (medians of 5 runs), and the peak resident
//! memory of the process (VmHWM).
//!
//! `cargo bench -p flowspec --bench sqlite`

use std::time::{Duration, Instant};

use flowspec::testing::sqlite::SqliteDerivation;
use serde_json::{json, Value};

/// Documents per run.
const N: usize = 100_000;
/// Runs of each measurement; the median is reported.
const RUNS: usize = 5;
/// Distinct keys of the documents.
const KEYS: usize = 1_000;

fn catalog() -> flowspec::Catalog {
    serde_json::from_value(json!({"collections": {
        "acmeCo/amounts": {
            "schema": {"type": "object", "properties": {
                "id": {"type": "integer"}, "account": {"type": "string"}, "amount": {"type": "number"},
                "memo": {"type": "string"},
            }, "required": ["id", "account", "amount"]},
            "key": ["/id"],
        },
        "acmeCo/balances": {
            "schema": {"type": "object", "properties": {
                "account": {"type": "string"}, "balance": {"type": "number"},
            }, "required": ["account", "balance"]},
            "key": ["/account"],
            "derive": {
                "using": {"sqlite": {"migrations": [
                    "CREATE TABLE balances (account TEXT PRIMARY KEY NOT NULL, balance REAL NOT NULL);"
                ]}},
                "transforms": [{
                    "name": "fromAmounts", "source": "acmeCo/amounts", "shuffle": {"key": ["/account"]},
                    "lambda": "INSERT INTO balances (account, balance) VALUES ($account, $amount)
                               ON CONFLICT (account) DO UPDATE SET balance = balance + $amount
                               RETURNING account, balance;",
                }],
            },
        },
    }}))
    .expect("the catalog deserializes")
}

/// The source documents, as JSON text (as a runtime receives them).
fn documents() -> Vec<String> {
    (0..N)
        .map(|i| {
            json!({
                "id": i,
                "account": format!("account-{}", i % KEYS),
                "amount": (i % 97) as f64 * 0.25,
                "memo": "a transfer between two accounts",
                "_meta": {"uuid": "c232ab00-9414-11ec-b3c8-9f6bdeced846"},
            })
            .to_string()
        })
        .collect()
}

fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs[runs.len() / 2]
}

/// Peak resident memory of this process, in KiB.
fn vm_hwm_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn main() {
    let catalog = catalog();
    let name = flowspec::Collection::new("acmeCo/balances").expect("a valid name");
    let docs = documents();

    let baseline = median(
        (0..RUNS)
            .map(|_| {
                let start = Instant::now();
                let mut bytes = 0;
                for text in &docs {
                    let doc: Value = serde_json::from_str(text).expect("parses");
                    bytes += serde_json::to_string(&doc).expect("serializes").len();
                }
                std::hint::black_box(bytes);
                start.elapsed()
            })
            .collect(),
    );

    let mut derivation = SqliteDerivation::open(&catalog, &name).expect("opens");
    let mut last = Value::Null;
    let sqlite = median(
        (0..RUNS)
            .map(|_| {
                derivation.reset().expect("resets");
                let start = Instant::now();
                let mut bytes = 0;
                for text in &docs {
                    let doc: Value = serde_json::from_str(text).expect("parses");
                    for out in derivation.read(0, &doc).expect("reads") {
                        bytes += serde_json::to_string(&out).expect("serializes").len();
                        last = out;
                    }
                }
                derivation.flush().expect("commits");
                std::hint::black_box(bytes);
                start.elapsed()
            })
            .collect(),
    );
    // The last account's balance: the sum of its amounts.
    let account = (N - 1) % KEYS;
    let want: f64 = (0..N)
        .filter(|i| i % KEYS == account)
        .map(|i| (i % 97) as f64 * 0.25)
        .sum();
    assert_eq!(
        last,
        json!({"account": format!("account-{account}"), "balance": want})
    );

    let rate = |d: Duration| N as f64 / d.as_secs_f64();
    println!("{N} documents, {KEYS} keys, median of {RUNS} runs");
    println!(
        "baseline: serde_json parse + serialize: {:>10.0} docs/s ({:.1} ms)",
        rate(baseline),
        baseline.as_secs_f64() * 1e3
    );
    println!(
        "sqlite running sum (upsert + RETURNING): {:>10.0} docs/s ({:.1} ms)",
        rate(sqlite),
        sqlite.as_secs_f64() * 1e3
    );
    println!(
        "ratio: sqlite takes {:.1}x the baseline's time",
        sqlite.as_secs_f64() / baseline.as_secs_f64()
    );
    match vm_hwm_kib() {
        Some(kib) => println!(
            "peak resident memory (VmHWM): {:.1} MiB",
            kib as f64 / 1024.0
        ),
        None => println!("peak resident memory (VmHWM): not available on this system"),
    }
}
