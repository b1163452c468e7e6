//! `flowspec catalog test` run locally and `flowspec generate`, as a user
//! runs them: exit statuses, the report on stdout, JSON results, subsets,
//! snapshots, and what a bad catalog prints.

mod common;

use common::{flowspec, text};
use serde_json::{json, Value};

const FLOW: &str = r#"
collections:
  acmeCo/line-items:
    schema:
      type: object
      properties:
        id: {type: string}
        price: {type: integer}
        sales_tax: {type: integer}
      required: [id, price, sales_tax]
    key: [/id]
  acmeCo/line-item-totals:
    schema:
      type: object
      properties:
        id: {type: string}
        total: {type: string}
      required: [id, total]
    key: [/id]
    derive:
      using: {sqlite: {}}
      transforms:
        - name: fromLineItems
          source: acmeCo/line-items
          shuffle: {key: [/id]}
          lambda: "SELECT $id AS id, printf('$%.2f', ($price + $sales_tax) / 100.0) AS total;"
tests:
  acmeCo/tests/totals:
    - ingest:
        collection: acmeCo/line-items
        documents: [{id: "1", price: 499, sales_tax: 25}, {id: "2", price: 650, sales_tax: 32}]
    - verify:
        collection: acmeCo/line-item-totals
        documents: [{id: "1", total: "$5.24"}, {id: "2", total: "$6.82"}]
  acmeCo/tests/wrong:
    - ingest:
        collection: acmeCo/line-items
        documents: [{id: "3", price: 100, sales_tax: 1}]
    - verify:
        collection: acmeCo/line-item-totals
        documents: [{id: "3", total: "$9.99"}, {id: "4", total: "$0.00"}]
"#;

fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("flow.yaml"), FLOW).unwrap();
    dir
}

#[test]
fn catalog_test_prints_flowctls_report_and_fails_on_a_failing_test() {
    let dir = project();
    let out = flowspec(
        dir.path(),
        &[],
        &["catalog", "test", "--source", "flow.yaml"],
        "",
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "Running  2  tests...\n\
         ✔️ flow.yaml :: acmeCo/tests/totals\n\
         ❌ flow.yaml failure at step /tests/acmeCo~1tests~1wrong/steps/1 :\n\
         verify: actual and expected document(s) did not match:\n\
         mismatched document at index 0:\n  \
         /total: expected \"$9.99\", actual \"$1.01\"\n  \
         actual:   {\"id\":\"3\",\"total\":\"$1.01\",\"_meta\":{\"uuid\":\"flow-uuid\"}}\n  \
         expected: {\"id\":\"3\",\"total\":\"$9.99\"}\n\
         missing expected document at index 1:\n  \
         {\"id\":\"4\",\"total\":\"$0.00\"}\n\
         \n\
         Ran 2 tests, 1 passed, 1 failed\n"
    );
    assert_eq!(text(&out.stderr), "failed tests: [acmeCo/tests/wrong]\n");
}

#[test]
fn a_subset_passes_and_json_output_and_snapshots_are_written() {
    let dir = project();
    let out = flowspec(
        dir.path(),
        &[],
        &[
            "catalog",
            "test",
            "--source",
            "flow.yaml",
            "--test",
            "acmeCo/tests/totals",
            "-o",
            "json",
            "--snapshot",
            "snaps",
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let results: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(results["tests"][0]["test"], "acmeCo/tests/totals");
    assert_eq!(results["tests"][0]["passed"], true);
    let snap: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("snaps/acmeCo/tests/totals/verify-1.json"))
            .unwrap(),
    )
    .unwrap();
    assert_eq!(
        snap,
        json!([
            {"id": "1", "total": "$5.24", "_meta": {"uuid": "flow-uuid"}},
            {"id": "2", "total": "$6.82", "_meta": {"uuid": "flow-uuid"}},
        ])
    );
}

#[test]
fn bad_input_is_a_clear_error() {
    let dir = project();
    let out = flowspec(
        dir.path(),
        &[],
        &[
            "catalog",
            "test",
            "--source",
            "flow.yaml",
            "--test",
            "acmeCo/tests/nope",
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("test acmeCo/tests/nope is not defined"),
        "{}",
        text(&out.stderr)
    );

    // A SQL error in a lambda fails the case at the step that ran it.
    std::fs::write(
        dir.path().join("flow.yaml"),
        FLOW.replace("$sales_tax) / 100.0", "$sales_tx) / 100.0"),
    )
    .unwrap();
    let out = flowspec(
        dir.path(),
        &[],
        &[
            "catalog",
            "test",
            "--source",
            "flow.yaml",
            "--test",
            "acmeCo/tests/totals",
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("❌ flow.yaml failure at step /tests/acmeCo~1tests~1totals/steps/0 :\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("parameter $sales_tx not found: did you mean $sales_tax ?"),
        "{stdout}"
    );

    // An invalid ingest document is caught when the catalog is validated.
    std::fs::write(
        dir.path().join("flow.yaml"),
        FLOW.replace("price: 499", "price: cheap"),
    )
    .unwrap();
    let out = flowspec(
        dir.path(),
        &[],
        &["catalog", "test", "--source", "flow.yaml"],
        "",
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stdout).is_empty());
    assert!(
        text(&out.stderr).contains("acmeCo~1tests~1totals"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn generate_writes_types_deno_json_and_stubs_and_never_overwrites_a_module() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("flow.yaml"),
        "collections:\n  acmeCo/ints:\n    schema: {type: object, properties: {id: {type: integer}}, required: [id]}\n    key: [/id]\n  acmeCo/sums:\n    schema: {type: object, properties: {id: {type: integer}}, required: [id]}\n    key: [/id]\n    derive:\n      using: {typescript: {module: sums.ts}}\n      transforms: [{name: fromInts, source: acmeCo/ints, shuffle: any}]\n",
    )
    .unwrap();
    let out = flowspec(dir.path(), &[], &["generate", "--source", "flow.yaml"], "");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let root = dir.path().canonicalize().unwrap();
    assert_eq!(
        text(&out.stderr),
        format!(
            "wrote {0}/flow_generated/typescript/acmeCo/sums.ts\nwrote {0}/sums.ts\nwrote {0}/deno.json\n",
            root.display()
        )
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("deno.json")).unwrap(),
        "{\n  \"imports\": {\n    \"flow/\": \"./flow_generated/typescript/\"\n  }\n}"
    );
    std::fs::write(dir.path().join("sums.ts"), "// mine\n").unwrap();
    let out = flowspec(dir.path(), &[], &["generate", "--source", "flow.yaml"], "");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("sums.ts")).unwrap(),
        "// mine\n"
    );
    assert!(!text(&out.stderr).contains(&format!("wrote {}/sums.ts", root.display())));
}
