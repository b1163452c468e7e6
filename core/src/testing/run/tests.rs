//! The scheduler's semantics, through whole catalogs: reset between
//! cases, read delays, priorities, partitions, chains, self-reads,
//! disabled transforms, shards, and failures of derivations.

use serde_json::{json, Value};

use super::{run, uuid_v1, TestOptions};
use crate::testing::TestResults;
use crate::Catalog;

fn catalog(value: Value) -> Catalog {
    serde_json::from_value(value).expect("a catalog")
}

fn results(value: Value) -> TestResults {
    results_with(value, &TestOptions::default())
}

fn results_with(value: Value, options: &TestOptions) -> TestResults {
    run(&catalog(value), options).expect("the tests run")
}

fn passes(value: Value) {
    let r = results(value);
    assert!(r.ok(), "{}", r.render());
}

fn object(props: Value, required: &[&str]) -> Value {
    json!({"type": "object", "properties": props, "required": required})
}

/// A collection of `{id, n}` documents keyed by `/id`.
fn ints() -> Value {
    json!({"schema": object(json!({"id": {"type": "string"}, "n": {"type": "integer"}}), &["id", "n"]), "key": ["/id"]})
}

/// A SQLite derivation of `{id, n}` documents keyed by `/id`.
fn sqlite(migrations: Value, transforms: Value) -> Value {
    json!({
        "schema": object(json!({"id": {"type": "string"}, "n": {"type": "integer"}}), &["id"]),
        "key": ["/id"],
        "derive": {"using": {"sqlite": {"migrations": migrations}}, "transforms": transforms},
    })
}

fn transform(name: &str, source: Value, lambda: &str) -> Value {
    json!({"name": name, "source": source, "shuffle": "any", "lambda": lambda})
}

#[test]
fn uuids_are_version_1_and_ordered() {
    let a = uuid_v1(1, 1);
    assert_eq!(a.len(), 36);
    assert_eq!(&a[14..15], "1");
    assert_ne!(a, uuid_v1(1, 2));
    // Unix second 1 and one tick, as Python's uuid module reads it:
    // UUID(a).time == 122192928010000001.
    assert_eq!(a, "1419d681-1dd2-11b2-8000-020000000001");
}

#[test]
fn derivation_state_is_reset_between_cases_and_verify_sees_only_its_case() {
    // The reference's vector: a running sum, case 1 ingests a=3 and a=5,
    // case 2 ingests a=10.
    let sums = sqlite(
        json!(["CREATE TABLE sums (id TEXT PRIMARY KEY, n INTEGER);"]),
        json!([transform("fromInts", json!("acmeCo/ints"),
            "INSERT INTO sums VALUES ($id, $n) ON CONFLICT DO UPDATE SET n = n + $n RETURNING id, n;")]),
    );
    passes(json!({
        "collections": {"acmeCo/ints": ints(), "acmeCo/sums": sums},
        "tests": {
            "acmeCo/tests/1": [
                {"ingest": {"collection": "acmeCo/ints", "documents": [{"id": "a", "n": 3}, {"id": "b", "n": 1}]}},
                {"ingest": {"collection": "acmeCo/ints", "documents": [{"id": "a", "n": 5}]}},
                {"verify": {"collection": "acmeCo/sums", "documents": [{"id": "a", "n": 8}, {"id": "b", "n": 1}]}},
            ],
            "acmeCo/tests/2": [
                {"ingest": {"collection": "acmeCo/ints", "documents": [{"id": "a", "n": 10}]}},
                {"verify": {"collection": "acmeCo/sums", "documents": [{"id": "a", "n": 10}]}},
            ],
        },
    }));
}

#[test]
fn a_read_delay_runs_on_the_synthetic_clock_before_verify() {
    let delayed = sqlite(
        json!([]),
        json!([{
            "name": "later", "source": "acmeCo/ints", "shuffle": "any", "readDelay": "48h",
            "lambda": "SELECT $id AS id, $n * 2 AS n;",
        }]),
    );
    passes(json!({
        "collections": {"acmeCo/ints": ints(), "acmeCo/doubled": delayed},
        "tests": {"acmeCo/tests/delay": [
            {"ingest": {"collection": "acmeCo/ints", "documents": [{"id": "a", "n": 3}]}},
            {"verify": {"collection": "acmeCo/ints", "documents": [{"id": "a", "n": 3}]}},
            {"verify": {"collection": "acmeCo/doubled", "documents": [{"id": "a", "n": 6}]}},
        ]},
    }));
}

#[test]
fn a_higher_priority_transform_reads_first_within_a_transaction() {
    // Both transforms wait 10 s, so one transaction reads both ingests;
    // `fromB` has the higher priority and takes sequence number 1.
    let log = sqlite(
        json!(["CREATE TABLE seq (n INTEGER PRIMARY KEY AUTOINCREMENT, src TEXT);"]),
        json!([
            {"name": "fromA", "source": "acmeCo/a", "shuffle": "any", "readDelay": "10s",
             "lambda": "INSERT INTO seq (src) VALUES ('a') RETURNING src AS id, n;"},
            {"name": "fromB", "source": "acmeCo/b", "shuffle": "any", "readDelay": "10s", "priority": 5,
             "lambda": "INSERT INTO seq (src) VALUES ('b') RETURNING src AS id, n;"},
        ]),
    );
    passes(json!({
        "collections": {"acmeCo/a": ints(), "acmeCo/b": ints(), "acmeCo/log": log},
        "tests": {"acmeCo/tests/priority": [
            {"ingest": {"collection": "acmeCo/a", "documents": [{"id": "x", "n": 1}]}},
            {"ingest": {"collection": "acmeCo/b", "documents": [{"id": "y", "n": 1}]}},
            {"verify": {"collection": "acmeCo/log", "documents": [{"id": "a", "n": 2}, {"id": "b", "n": 1}]}},
        ]},
    }));
}

#[test]
fn partitions_select_what_transforms_read_and_verify_sees() {
    let regions = json!({
        "schema": object(json!({"id": {"type": "string"}, "n": {"type": "integer"}, "region": {"type": "string"}}), &["id", "n", "region"]),
        "key": ["/id"],
        "projections": {"region": {"location": "/region", "partition": true}},
    });
    let eu = sqlite(
        json!([]),
        json!([transform(
            "fromEu",
            json!({"name": "acmeCo/regions", "partitions": {"include": {"region": ["EU"]}}}),
            "SELECT $id AS id, $n AS n;",
        )]),
    );
    passes(json!({
        "collections": {"acmeCo/regions": regions, "acmeCo/eu": eu},
        "tests": {"acmeCo/tests/partitions": [
            {"ingest": {"collection": "acmeCo/regions", "documents": [
                {"id": "a", "n": 1, "region": "EU"}, {"id": "b", "n": 2, "region": "US"}, {"id": "c", "n": 3, "region": "EU"}]}},
            {"verify": {"collection": "acmeCo/eu", "documents": [{"id": "a", "n": 1}, {"id": "c", "n": 3}]}},
            {"verify": {"collection": {"name": "acmeCo/regions", "partitions": {"exclude": {"region": ["EU"]}}},
                        "documents": [{"id": "b", "n": 2}]}},
        ]},
    }));
}

#[test]
fn chains_and_self_reads_settle_before_verify() {
    let pass = |source: &str| {
        sqlite(
            json!([]),
            json!([transform(
                "pass",
                json!(source),
                "SELECT $id AS id, $n + 1 AS n;"
            )]),
        )
    };
    // A derivation that reads its own documents once: stage-one documents
    // become stage-two ones, which it does not read again.
    let staged = json!({
        "schema": object(json!({"id": {"type": "string"}, "n": {"type": "integer"}, "stage": {"type": "string"}}), &["id", "stage"]),
        "key": ["/id", "/stage"],
        "projections": {"stage": {"location": "/stage", "partition": true}},
        "derive": {"using": {"sqlite": {}}, "transforms": [
            transform("fromInts", json!("acmeCo/ints"), "SELECT $id AS id, $n AS n, 'one' AS stage;"),
            transform("fromSelf", json!({"name": "acmeCo/staged", "partitions": {"include": {"stage": ["one"]}}}),
                "SELECT $id AS id, $n * 10 AS n, 'two' AS stage;"),
        ]},
    });
    passes(json!({
        "collections": {"acmeCo/ints": ints(), "acmeCo/b": pass("acmeCo/ints"), "acmeCo/c": pass("acmeCo/b"), "acmeCo/staged": staged},
        "tests": {"acmeCo/tests/chain": [
            {"ingest": {"collection": "acmeCo/ints", "documents": [{"id": "a", "n": 1}]}},
            {"verify": {"collection": "acmeCo/c", "documents": [{"id": "a", "n": 3}]}},
            {"verify": {"collection": "acmeCo/staged", "documents": [
                {"id": "a", "n": 1, "stage": "one"}, {"id": "a", "n": 10, "stage": "two"}]}},
        ]},
    }));
}

#[test]
fn disabled_transforms_and_derivations_do_not_run() {
    let mut off = sqlite(
        json!([]),
        json!([transform(
            "pass",
            json!("acmeCo/ints"),
            "SELECT $id AS id, $n AS n;"
        )]),
    );
    off["derive"]["transforms"][0]["disable"] = json!(true);
    let mut paused = sqlite(
        json!([]),
        json!([transform(
            "pass",
            json!("acmeCo/ints"),
            "SELECT $id AS id, $n AS n;"
        )]),
    );
    paused["derive"]["shards"] = json!({"disable": true});
    passes(json!({
        "collections": {"acmeCo/ints": ints(), "acmeCo/off": off, "acmeCo/paused": paused},
        "tests": {"acmeCo/tests/disabled": [
            {"ingest": {"collection": "acmeCo/ints", "documents": [{"id": "a", "n": 1}]}},
            {"verify": {"collection": "acmeCo/off", "documents": []}},
            {"verify": {"collection": "acmeCo/paused", "documents": []}},
        ]},
    }));
}

fn typescript_sums(dir: &std::path::Path) -> Value {
    std::fs::write(
        dir.join("sums.ts"),
        "import { IDerivation } from 'flow/acmeCo/sums.ts';\n\
         export class Derivation extends IDerivation {\n\
         \x20   seen = new Map<string, number>();\n\
         \x20   fromInts(read: { doc: { id: string, n: number } }) {\n\
         \x20       const n = (this.seen.get(read.doc.id) ?? 0) + read.doc.n;\n\
         \x20       this.seen.set(read.doc.id, n);\n\
         \x20       return [{ id: read.doc.id, n }];\n\
         \x20   }\n\
         \x20   async reset() { this.seen.clear(); }\n\
         }\n",
    )
    .unwrap();
    let module = std::fs::read_to_string(dir.join("sums.ts")).unwrap();
    json!({
        "collections": {
            "acmeCo/ints": ints(),
            "acmeCo/sums": {
                "schema": object(json!({"id": {"type": "string"}, "n": {"type": "integer"}}), &["id"]),
                "key": ["/id"],
                "derive": {"using": {"typescript": {"module": module}},
                           "transforms": [{"name": "fromInts", "source": "acmeCo/ints", "shuffle": {"key": ["/id"]}}]},
            },
        },
        "tests": {
            "acmeCo/tests/sums": [
                {"ingest": {"collection": "acmeCo/ints", "documents": [{"id": "a", "n": 1}, {"id": "b", "n": 2}, {"id": "c", "n": 3}]}},
                {"ingest": {"collection": "acmeCo/ints", "documents": [{"id": "a", "n": 4}, {"id": "b", "n": 5}, {"id": "d", "n": 6}]}},
                {"verify": {"collection": "acmeCo/sums", "documents": [
                    {"id": "a", "n": 5}, {"id": "b", "n": 7}, {"id": "c", "n": 3}, {"id": "d", "n": 6}]}},
            ],
            "acmeCo/tests/sums-again": [
                {"ingest": {"collection": "acmeCo/ints", "documents": [{"id": "a", "n": 1}]}},
                {"verify": {"collection": "acmeCo/sums", "documents": [{"id": "a", "n": 1}]}},
            ],
        },
    })
}

#[test]
fn a_typescript_derivation_shuffled_by_key_is_the_same_on_one_or_three_shards() {
    let dir = tempfile::tempdir().unwrap();
    let cat = typescript_sums(dir.path());
    let one = results_with(
        cat.clone(),
        &TestOptions {
            shards: Some(1),
            ..Default::default()
        },
    );
    let three = results_with(
        cat,
        &TestOptions {
            shards: Some(3),
            ..Default::default()
        },
    );
    assert!(one.ok(), "{}", one.render());
    assert_eq!(one, three);
}

#[test]
fn derivation_failures_name_the_test_step_derivation_and_document() {
    // A published document the derived schema rejects.
    let bad = sqlite(
        json!([]),
        json!([transform(
            "pass",
            json!("acmeCo/ints"),
            "SELECT $id AS id, 'x' AS n;"
        )]),
    );
    let r = results(json!({
        "collections": {"acmeCo/ints": ints(), "acmeCo/bad": bad},
        "tests": {"acmeCo/tests/bad": [
            {"ingest": {"collection": "acmeCo/ints", "documents": [{"id": "a", "n": 1}]}},
            {"verify": {"collection": "acmeCo/bad", "documents": []}},
        ]},
    }));
    let failure = r.tests[0].failure.as_ref().unwrap();
    assert_eq!(failure.step, 0);
    assert_eq!(failure.pointer, "/tests/acmeCo~1tests~1bad/steps/0");
    assert!(
        failure.message.starts_with("derivation acmeCo/bad, transform pass: published an invalid document: document failed validation against its collection JSON Schema"),
        "{}",
        failure.message
    );
    assert!(
        failure.message.contains("\"n\": \"x\""),
        "{}",
        failure.message
    );

    // A Python derivation cannot run here.
    let python = json!({
        "schema": object(json!({"id": {"type": "string"}}), &["id"]), "key": ["/id"],
        "derive": {"using": {"python": {"module": "class Derivation: pass"}},
                   "transforms": [{"name": "t", "source": "acmeCo/ints", "shuffle": "any"}]},
    });
    let r = results(json!({
        "collections": {"acmeCo/ints": ints(), "acmeCo/py": python},
        "tests": {"acmeCo/tests/py": [
            {"ingest": {"collection": "acmeCo/ints", "documents": [{"id": "a", "n": 1}]}},
            {"verify": {"collection": "acmeCo/py", "documents": []}},
        ]},
    }));
    assert_eq!(
        r.tests[0].failure.as_ref().unwrap().message,
        "derivation acmeCo/py uses Python, which flowspec cannot run locally: run the tests on the control plane with --remote"
    );
}

#[test]
fn unknown_tests_and_invalid_catalogs_are_errors() {
    let cat = catalog(
        json!({"collections": {"acmeCo/ints": ints()}, "tests": {"acmeCo/tests/t": [
        {"ingest": {"collection": "acmeCo/ints", "documents": [{"id": "a", "n": 1}]}}]}}),
    );
    let err = run(
        &cat,
        &TestOptions {
            tests: vec!["acmeCo/tests/nope".into()],
            ..Default::default()
        },
    )
    .unwrap_err();
    assert_eq!(err.code(), "reference_undefined");
    assert_eq!(err.to_string(), "test acmeCo/tests/nope is not defined");

    let bad = catalog(
        json!({"collections": {"acmeCo/ints": ints()}, "tests": {"acmeCo/tests/t": [
        {"ingest": {"collection": "acmeCo/ints", "documents": [{"id": 5}]}}]}}),
    );
    let err = run(&bad, &TestOptions::default()).unwrap_err();
    assert_eq!(err.code(), "validation");
    assert!(
        err.diagnostics()[0]
            .scope
            .contains("tests/acmeCo~1tests~1t"),
        "{:?}",
        err.diagnostics()
    );
}
