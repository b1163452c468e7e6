//! Combining 1,000,000 small documents by 10,000 keys (a root `merge`, `sum`
//! on numbers), against a baseline in the same run: serde_json parsing and
//! serializing the same documents. Both start from JSON text: combining
//! parses each document, adds it, and serializes the drained documents.
//! Prints documents per second of each (the median of 5 runs), their ratio,
//! and the peak memory of the process.
//!
//! `cargo bench -p flowspec --bench combine`

use std::time::Instant;

use flowspec::testing::Combiner;
use serde_json::{json, Value};

const DOCS: usize = 1_000_000;
const KEYS: usize = 10_000;
const RUNS: usize = 5;

fn schema() -> Value {
    json!({
        "type": "object",
        "reduce": {"strategy": "merge"},
        "properties": {
            "id": {"type": "string"},
            "n": {"type": "integer", "reduce": {"strategy": "sum"}},
            "tags": {
                "type": "object",
                "reduce": {"strategy": "merge"},
                "additionalProperties": {"type": "integer", "reduce": {"strategy": "sum"}},
            },
        },
        "required": ["id"],
    })
}

fn documents() -> Vec<String> {
    (0..DOCS)
        .map(|i| {
            let tag = ["a", "b", "c"][i % 3];
            format!(
                r#"{{"id": "k{}", "n": {}, "tags": {{"{tag}": 1}}}}"#,
                i % KEYS,
                i % 7
            )
        })
        .collect()
}

fn median(mut runs: Vec<f64>) -> f64 {
    runs.sort_by(f64::total_cmp);
    runs[runs.len() / 2]
}

fn peak_kib() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(|l| l["VmHWM:".len()..].trim().to_string())
        })
        .unwrap_or_else(|| "unknown".to_string())
}

fn main() {
    // `cargo test --benches` runs this with `--bench` absent: do little.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let docs = documents();
    let schema = schema();

    let mut baseline = Vec::new();
    let mut combine = Vec::new();
    for _ in 0..RUNS {
        let start = Instant::now();
        let mut bytes = 0;
        for text in &docs {
            let v: Value = serde_json::from_str(text).expect("parses");
            bytes += serde_json::to_string(&v).expect("serializes").len();
        }
        std::hint::black_box(bytes);
        baseline.push(DOCS as f64 / start.elapsed().as_secs_f64());

        let start = Instant::now();
        let mut c = Combiner::new(&schema, None, &["/id"], false).expect("compiles");
        for text in &docs {
            c.add(serde_json::from_str(text).expect("parses"))
                .expect("combines");
        }
        let out = c.drain().expect("drains");
        let bytes: usize = out
            .iter()
            .map(|d| serde_json::to_string(&d.doc).expect("serializes").len())
            .sum();
        std::hint::black_box(bytes);
        assert_eq!(out.len(), KEYS);
        combine.push(DOCS as f64 / start.elapsed().as_secs_f64());
    }
    let (b, c) = (median(baseline), median(combine));
    println!("combine-1m/10k-keys (median of {RUNS} runs)");
    println!("  baseline: serde_json parse + serialize  {b:>12.0} docs/s");
    println!("  combine: parse + add, drain + serialize {c:>12.0} docs/s");
    println!("  ratio combine / baseline                {:>12.3}", c / b);
    println!(
        "  peak memory (VmHWM)                     {:>12}",
        peak_kib()
    );
}
