//! File references in every slot that may hold one.

use serde_json::json;

use super::{owned, Fixture};

const CATALOG: &str = r#"
captures:
  acmeCo/c1:
    endpoint: {connector: {image: x, config: ../config/capture.yaml}}
    bindings: [{resource: resources/orders.yaml, target: acmeCo/orders}]
  acmeCo/c2:
    endpoint: {local: {command: [x], config: ../config/local.json}}
    bindings: []
materializations:
  acmeCo/m1:
    endpoint: {connector: {image: x, config: ../config/mat.json}}
    bindings: [{resource: resources/table.yaml, source: acmeCo/orders}]
  acmeCo/m2:
    endpoint: {local: {command: [x], config: ../config/mat-local.yaml}}
    bindings: []
  acmeCo/m3:
    endpoint: {dekaf: {variant: foo, config: ../config/dekaf.yml}}
    bindings: []
collections:
  acmeCo/d1:
    schema: {type: object}
    key: [/id]
    derive:
      using: {sqlite: {migrations: [sql/001.sql, "CREATE TABLE inline (x TEXT);"]}}
      transforms:
        - {name: t, source: acmeCo/orders, shuffle: {lambda: sql/shuffle.sql}, lambda: sql/lambda.sql}
        - {name: u, source: acmeCo/orders, shuffle: any, lambda: "SELECT 1;"}
  acmeCo/d2:
    schema: {type: object}
    key: [/id]
    derive: {using: {typescript: {module: derive.ts}}, transforms: []}
  acmeCo/d3:
    schema: {type: object}
    key: [/id]
    derive: {using: {python: {module: derive.py}}, transforms: []}
  acmeCo/d4:
    schema: {type: object}
    key: [/id]
    derive: {using: {connector: {image: x, config: ../config/derive.yaml}}, transforms: []}
  acmeCo/d5:
    schema: {type: object}
    key: [/id]
    derive: {using: {local: {command: [x], config: ../config/derive-local.json}}, transforms: []}
tests:
  acmeCo/t1:
    - ingest: {collection: acmeCo/orders, documents: fixtures/ingest.yaml}
    - verify: {collection: acmeCo/orders, documents: fixtures/verify.json}
"#;

fn files() -> Vec<(&'static str, &'static str)> {
    vec![
        ("specs/flow.yaml", CATALOG),
        // No merge keys outside catalog files, as in flowctl: `<<` is a key.
        (
            "config/capture.yaml",
            "zeta: 1\nalpha: 2\n<<: {merged: 3}\n",
        ),
        ("config/local.json", r#"{"local": true}"#),
        (
            "config/mat.json",
            r#"{"host": "h", "password_sops": "ENC[x]", "sops": {"mac": "m"}}"#,
        ),
        ("config/mat-local.yaml", "path: /tmp\n"),
        ("config/dekaf.yml", "token: t\n"),
        ("config/derive.yaml", "a: 1\n"),
        ("config/derive-local.json", r#"{"b": [1, 2]}"#),
        (
            "specs/resources/orders.yaml",
            "stream: orders\nnamespace: public\n",
        ),
        ("specs/resources/table.yaml", "table: orders\n"),
        ("specs/sql/001.sql", "CREATE TABLE t (id TEXT);\n"),
        ("specs/sql/shuffle.sql", "SELECT $id;\n"),
        ("specs/sql/lambda.sql", "INSERT INTO t VALUES ($id);\n"),
        ("specs/derive.ts", "export class Derivation {}\n"),
        ("specs/derive.py", "class Derivation:\n    pass\n"),
        ("specs/fixtures/ingest.yaml", "- {id: a}\n- {id: b}\n"),
        ("specs/fixtures/verify.json", r#"[{"id": "a"}]"#),
    ]
}

#[test]
fn every_reference_slot_is_inlined() {
    let fx = Fixture::new(&files());
    let catalog = fx.load("specs/flow.yaml").unwrap();
    let derived = |using: serde_json::Value| json!({"schema": {"type": "object"}, "key": ["/id"], "derive": {"using": using, "transforms": []}});
    assert_eq!(
        fx.json(&catalog),
        json!({
            "captures": {
                "acmeCo/c1": {
                    "endpoint": {"connector": {"image": "x", "config": {"zeta": 1, "alpha": 2, "<<": {"merged": 3}}}},
                    "bindings": [{"resource": {"stream": "orders", "namespace": "public"}, "target": "acmeCo/orders"}],
                },
                "acmeCo/c2": {"endpoint": {"local": {"command": ["x"], "config": {"local": true}}}, "bindings": []},
            },
            "collections": {
                "acmeCo/d1": {
                    "schema": {"type": "object"},
                    "key": ["/id"],
                    "derive": {
                        "using": {"sqlite": {"migrations": ["CREATE TABLE t (id TEXT);\n", "CREATE TABLE inline (x TEXT);"]}},
                        "transforms": [
                            {"name": "t", "source": "acmeCo/orders", "shuffle": {"lambda": "SELECT $id;\n"}, "lambda": "INSERT INTO t VALUES ($id);\n"},
                            {"name": "u", "source": "acmeCo/orders", "shuffle": "any", "lambda": "SELECT 1;"},
                        ],
                    },
                },
                "acmeCo/d2": derived(json!({"typescript": {"module": "export class Derivation {}\n"}})),
                "acmeCo/d3": derived(json!({"python": {"module": "class Derivation:\n    pass\n"}})),
                "acmeCo/d4": derived(json!({"connector": {"image": "x", "config": {"a": 1}}})),
                "acmeCo/d5": derived(json!({"local": {"command": ["x"], "config": {"b": [1, 2]}}})),
            },
            "materializations": {
                "acmeCo/m1": {
                    "endpoint": {"connector": {"image": "x", "config": {"host": "h", "password_sops": "ENC[x]", "sops": {"mac": "m"}}}},
                    "bindings": [{"resource": {"table": "orders"}, "source": "acmeCo/orders"}],
                },
                "acmeCo/m2": {"endpoint": {"local": {"command": ["x"], "config": {"path": "/tmp"}}}, "bindings": []},
                "acmeCo/m3": {"endpoint": {"dekaf": {"variant": "foo", "config": {"token": "t"}}}, "bindings": []},
            },
            "tests": {
                "acmeCo/t1": {"steps": [
                    {"ingest": {"collection": "acmeCo/orders", "documents": [{"id": "a"}, {"id": "b"}]}},
                    {"verify": {"collection": "acmeCo/orders", "documents": [{"id": "a"}]}},
                ]},
            },
        })
    );
    // Key order of loaded files is kept.
    let text = serde_json::to_string(catalog.captures["acmeCo/c1"].endpoint.config()).unwrap();
    assert_eq!(text, r#"{"zeta":1,"alpha":2,"<<":{"merged":3}}"#);
    let text = serde_json::to_string(&catalog.captures["acmeCo/c1"].bindings[0].resource).unwrap();
    assert_eq!(text, r#"{"stream":"orders","namespace":"public"}"#);

    // Each value remembers its file, by its slot's pointer.
    let files: Vec<(String, String, String)> = catalog
        .origins
        .files
        .iter()
        .map(|((kind, name, pointer), file)| {
            (
                format!("{} {name}", kind.singular()),
                pointer.clone(),
                fx.norm(&file.url),
            )
        })
        .collect();
    let expected = [
        (
            "capture acmeCo/c1",
            "/bindings/0/resource",
            "file:///p/specs/resources/orders.yaml",
        ),
        (
            "capture acmeCo/c1",
            "/endpoint/connector/config",
            "file:///p/config/capture.yaml",
        ),
        (
            "capture acmeCo/c2",
            "/endpoint/local/config",
            "file:///p/config/local.json",
        ),
        (
            "collection acmeCo/d1",
            "/derive/transforms/0/lambda",
            "file:///p/specs/sql/lambda.sql",
        ),
        (
            "collection acmeCo/d1",
            "/derive/transforms/0/shuffle/lambda",
            "file:///p/specs/sql/shuffle.sql",
        ),
        (
            "collection acmeCo/d1",
            "/derive/using/sqlite/migrations/0",
            "file:///p/specs/sql/001.sql",
        ),
        (
            "collection acmeCo/d2",
            "/derive/using/typescript/module",
            "file:///p/specs/derive.ts",
        ),
        (
            "collection acmeCo/d3",
            "/derive/using/python/module",
            "file:///p/specs/derive.py",
        ),
        (
            "collection acmeCo/d4",
            "/derive/using/connector/config",
            "file:///p/config/derive.yaml",
        ),
        (
            "collection acmeCo/d5",
            "/derive/using/local/config",
            "file:///p/config/derive-local.json",
        ),
        (
            "materialization acmeCo/m1",
            "/bindings/0/resource",
            "file:///p/specs/resources/table.yaml",
        ),
        (
            "materialization acmeCo/m1",
            "/endpoint/connector/config",
            "file:///p/config/mat.json",
        ),
        (
            "materialization acmeCo/m2",
            "/endpoint/local/config",
            "file:///p/config/mat-local.yaml",
        ),
        (
            "materialization acmeCo/m3",
            "/endpoint/dekaf/config",
            "file:///p/config/dekaf.yml",
        ),
        (
            "test acmeCo/t1",
            "/steps/0/ingest/documents",
            "file:///p/specs/fixtures/ingest.yaml",
        ),
        (
            "test acmeCo/t1",
            "/steps/1/verify/documents",
            "file:///p/specs/fixtures/verify.json",
        ),
    ];
    let expected: Vec<(String, String, String)> = expected
        .iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect();
    assert_eq!(files, expected);
}

#[test]
fn strings_with_whitespace_and_empty_strings_stay_inline() {
    let fx = Fixture::new(&[(
        "flow.yaml",
        "collections:\n  acmeCo/d:\n    schema: {type: object}\n    key: [/id]\n    derive:\n      using: {sqlite: {migrations: [\"\", \"SELECT\\t1\", \"x\\ny\"]}}\n      transforms: []\n",
    )]);
    let catalog = fx.load("flow.yaml").unwrap();
    assert_eq!(
        fx.json(&catalog)["collections"]["acmeCo/d"]["derive"]["using"],
        json!({"sqlite": {"migrations": ["", "SELECT\t1", "x\ny"]}})
    );
}

#[test]
fn bad_references() {
    let fx = Fixture::new(&[
        (
            "flow.yaml",
            r#"
captures:
  acmeCo/c1:
    endpoint: {connector: {image: x, config: config.yaml#/a}}
    bindings:
      - {resource: missing.yaml, target: acmeCo/x}
      - {resource: missing.yaml, target: acmeCo/y}
      - {resource: "https://example.com/r.json", target: acmeCo/z}
      - {resource: broken.yaml, target: acmeCo/w}
collections:
  acmeCo/d:
    schema: {type: object}
    key: [/id]
    derive:
      using: {sqlite: {migrations: [latin1.sql]}}
      transforms: []
tests:
  acmeCo/t:
    steps:
      - ingest: {collection: acmeCo/x, documents: object.yaml}
      - ingest: {collection: acmeCo/x, documents: scalars.json}
      - verify: {collection: acmeCo/x, documents: missing.json}
"#,
        ),
        ("config.yaml", "a: 1\n"),
        ("broken.yaml", "a: [\n"),
        ("object.yaml", "id: 1\n"),
        ("scalars.json", r#"[{"id": 1}, 2]"#),
    ]);
    fx.write("latin1.sql", b"SELECT '\xe9t\xe9';\n");
    assert_eq!(
        fx.diagnostics(fx.load("flow.yaml")),
        owned(&[
            (
                "file:///p/flow.yaml#/captures/acmeCo~1c1/endpoint/connector/config",
                "cannot load file:///p/config.yaml#/a: a file reference here cannot have a #fragment",
                "invalid_reference",
            ),
            (
                "file:///p/flow.yaml#/captures/acmeCo~1c1/bindings/0/resource",
                "failed to read file:///p/missing.yaml: No such file or directory (os error 2)",
                "read_failed",
            ),
            (
                "file:///p/flow.yaml#/captures/acmeCo~1c1/bindings/2/resource",
                "cannot load https://example.com/r.json: http and https references are not supported, only local files (download it and refer to the file)",
                "invalid_reference",
            ),
            (
                "file:///p/broken.yaml",
                "invalid YAML: did not find expected node content at line 2 column 1, while parsing a flow node",
                "yaml_syntax",
            ),
            ("file:///p/latin1.sql", "file is not UTF-8 text: invalid byte at line 1 column 9", "not_utf8"),
            (
                "file:///p/object.yaml",
                "test documents must be an array of objects, but file:///p/object.yaml holds an object",
                "invalid_spec",
            ),
            ("file:///p/scalars.json#/1", "test documents must be objects, but document 1 is a number", "invalid_spec"),
            (
                "file:///p/flow.yaml#/tests/acmeCo~1t/steps/2/verify/documents",
                "failed to read file:///p/missing.json: No such file or directory (os error 2)",
                "read_failed",
            ),
        ])
    );
}
