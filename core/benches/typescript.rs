//! A TypeScript derivation (a running sum by key, in a `Map`) over 100,000
//! documents, in the embedded engine, against a baseline in the same run:
//! serde_json parsing and serializing the same documents. Prints the
//! documents per second of both, the ratio (median of 5 runs each) and the
//! process's peak resident memory (VmHWM).
//!
//! `cargo bench -p flowspec --bench typescript`

use std::time::Instant;

use flowspec::{Catalog, Collection};
use serde_json::{json, Value};

const N: usize = 100_000;
const RUNS: usize = 5;

const MODULE: &str = r#"
import { IDerivation, Document, SourceFromOrders } from 'flow/acmeCo/totals.ts';

export class Derivation extends IDerivation {
    private readonly totals = new Map<string, number>();

    fromOrders(read: { doc: SourceFromOrders }): Document[] {
        const { customer, amount } = read.doc as { customer: string; amount: number };
        const total = (this.totals.get(customer) ?? 0) + amount;
        this.totals.set(customer, total);
        return [{ customer, total }];
    }
}
"#;

fn catalog() -> Catalog {
    serde_json::from_value(json!({"collections": {
        "acmeCo/orders": {"schema": {"type": "object"}, "key": ["/id"]},
        "acmeCo/totals": {
            "schema": {"type": "object"},
            "key": ["/customer"],
            "derive": {
                "using": {"typescript": {"module": MODULE}},
                "transforms": [{"name": "fromOrders", "source": "acmeCo/orders", "shuffle": {"key": ["/customer"]}}],
            },
        },
    }}))
    .expect("catalog deserializes")
}

fn documents() -> Vec<Value> {
    (0..N)
        .map(|i| {
            json!({
                "id": format!("order-{i}"),
                "customer": format!("customer-{}", i % 1000),
                "amount": (i % 97) as f64 + 0.25,
                "items": [{"sku": format!("sku-{}", i % 13), "qty": i % 5 + 1}],
            })
        })
        .collect()
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

fn peak_memory_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn main() {
    let catalog = catalog();
    let name = Collection::new("acmeCo/totals").expect("valid name");
    let docs = documents();
    let texts: Vec<String> = docs.iter().map(Value::to_string).collect();

    let mut baseline = Vec::new();
    let mut derived = Vec::new();
    for _ in 0..RUNS {
        let start = Instant::now();
        let mut bytes = 0;
        for text in &texts {
            let doc: Value = serde_json::from_str(text).expect("parses");
            bytes += serde_json::to_string(&doc).expect("serializes").len();
        }
        std::hint::black_box(bytes);
        baseline.push(N as f64 / start.elapsed().as_secs_f64());

        let start = Instant::now();
        let out = flowspec::testing::typescript::derive(
            &catalog,
            &name,
            docs.iter().map(|d| (0, d.clone())),
        )
        .expect("derives");
        derived.push(N as f64 / start.elapsed().as_secs_f64());
        assert_eq!(out.len(), N);
        assert_eq!(out[N - 1]["customer"], json!("customer-999"));
    }
    let (baseline, derived) = (median(baseline), median(derived));
    println!("typescript derivation, {N} documents, median of {RUNS} runs");
    println!("  baseline: serde_json parse + serialize  {baseline:>12.0} docs/s");
    println!("  typescript running sum (QuickJS)        {derived:>12.0} docs/s");
    println!(
        "  ratio (baseline / typescript)           {:>12.1}x",
        baseline / derived
    );
    match peak_memory_kib() {
        Some(kib) => println!(
            "  peak memory (VmHWM)                     {:>9.1} MiB",
            kib as f64 / 1024.0
        ),
        None => println!("  peak memory (VmHWM)                     unavailable"),
    }
}
