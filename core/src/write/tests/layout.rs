//! Catalog documents (golden YAML and JSON), the split layout, rebased
//! references, determinism and names that would escape the target.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use super::{catalog, json_text};
use crate::write::{render_unsealed, write, Format, Layout, SCHEMA_URL};

fn to_yaml(catalog: &Catalog) -> String {
    render_unsealed(catalog, Format::Yaml)
}

fn to_json(catalog: &Catalog) -> String {
    render_unsealed(catalog, Format::Json)
}
use crate::{Catalog, Error};

fn small_catalog() -> Catalog {
    catalog(json!({
        "$schema": "https://example.com/ignored.json",
        "captures": {
            "acmeCo/src/postgres": {
                "endpoint": {"connector": {
                    "image": "ghcr.io/estuary/source-postgres:v1",
                    "config": {"address": "db:5432", "sslmode": "off", "port": "5432"},
                }},
                "bindings": [
                    {"resource": {"namespace": "public", "stream": "anvils"}, "target": "acmeCo/anvils"},
                ],
                "interval": "10m",
            }
        },
        "collections": {
            "acmeCo/anvils": {
                "schema": {
                    "type": "object",
                    "properties": {"id": {"type": "string"}, "on": {"type": "boolean"}},
                    "required": ["id"],
                },
                "key": ["/id"],
                "projections": {"region": {"location": "/region", "partition": true}},
            },
            "acmeCo/anvil-counts": {
                "schema": {"type": "object", "reduce": {"strategy": "merge"}},
                "key": ["/id"],
                "derive": {
                    "using": {"sqlite": {"migrations": [
                        "CREATE TABLE seen (\n  id TEXT PRIMARY KEY\n);\n",
                    ]}},
                    "transforms": [{
                        "name": "fromAnvils",
                        "source": "acmeCo/anvils",
                        "shuffle": {"key": ["/id"]},
                        "lambda": "SELECT $id, 1 AS n;",
                    }],
                },
            },
        },
        "materializations": {
            "acmeCo/dst/snowflake": {
                "endpoint": {"connector": {
                    "image": "ghcr.io/estuary/materialize-snowflake:v1",
                    "config": {"warehouse": "yes", "private_key": "-----BEGIN KEY-----\nabc\n-----END KEY-----\n"},
                }},
                "bindings": [{"resource": {"table": "anvils"}, "source": "acmeCo/anvils"}],
            }
        },
        "tests": {
            "acmeCo/tests/counts": {
                "steps": [
                    {"ingest": {"collection": "acmeCo/anvils", "documents": [{"id": "a", "on": true}]}},
                    {"verify": {"collection": "acmeCo/anvil-counts", "documents": [{"id": "a", "n": 1}]}},
                ]
            }
        },
    }))
}

const SMALL_YAML: &str = r#"# yaml-language-server: $schema=https://raw.githubusercontent.com/flowspec/flowspec/v0.1.0/flow.schema.json
captures:
  acmeCo/src/postgres:
    endpoint:
      connector:
        image: ghcr.io/estuary/source-postgres:v1
        config:
          address: db:5432
          sslmode: "off"
          port: "5432"
    bindings:
      - resource:
          namespace: public
          stream: anvils
        target: acmeCo/anvils
    interval: 10m
collections:
  acmeCo/anvil-counts:
    schema:
      type: object
      reduce:
        strategy: merge
    key:
      - /id
    derive:
      using:
        sqlite:
          migrations:
            - |
              CREATE TABLE seen (
                id TEXT PRIMARY KEY
              );
      transforms:
        - name: fromAnvils
          source: acmeCo/anvils
          shuffle:
            key:
              - /id
          lambda: SELECT $id, 1 AS n;
  acmeCo/anvils:
    schema:
      type: object
      properties:
        id:
          type: string
        "on":
          type: boolean
      required:
        - id
    key:
      - /id
    projections:
      region:
        location: /region
        partition: true
materializations:
  acmeCo/dst/snowflake:
    endpoint:
      connector:
        image: ghcr.io/estuary/materialize-snowflake:v1
        config:
          warehouse: "yes"
          private_key: |
            -----BEGIN KEY-----
            abc
            -----END KEY-----
    bindings:
      - resource:
          table: anvils
        source: acmeCo/anvils
tests:
  acmeCo/tests/counts:
    steps:
      - ingest:
          collection: acmeCo/anvils
          documents:
            - id: a
              "on": true
      - verify:
          collection: acmeCo/anvil-counts
          documents:
            - id: a
              "n": 1
"#;

const SMALL_JSON: &str = r#"{
  "$schema": "https://raw.githubusercontent.com/flowspec/flowspec/v0.1.0/flow.schema.json",
  "captures": {
    "acmeCo/src/postgres": {
      "endpoint": {
        "connector": {
          "image": "ghcr.io/estuary/source-postgres:v1",
          "config": {
            "address": "db:5432",
            "sslmode": "off",
            "port": "5432"
          }
        }
      },
      "bindings": [
        {
          "resource": {
            "namespace": "public",
            "stream": "anvils"
          },
          "target": "acmeCo/anvils"
        }
      ],
      "interval": "10m"
    }
  },
  "collections": {
    "acmeCo/anvil-counts": {
      "schema": {
        "type": "object",
        "reduce": {
          "strategy": "merge"
        }
      },
      "key": [
        "/id"
      ],
      "derive": {
        "using": {
          "sqlite": {
            "migrations": [
              "CREATE TABLE seen (\n  id TEXT PRIMARY KEY\n);\n"
            ]
          }
        },
        "transforms": [
          {
            "name": "fromAnvils",
            "source": "acmeCo/anvils",
            "shuffle": {
              "key": [
                "/id"
              ]
            },
            "lambda": "SELECT $id, 1 AS n;"
          }
        ]
      }
    },
    "acmeCo/anvils": {
      "schema": {
        "type": "object",
        "properties": {
          "id": {
            "type": "string"
          },
          "on": {
            "type": "boolean"
          }
        },
        "required": [
          "id"
        ]
      },
      "key": [
        "/id"
      ],
      "projections": {
        "region": {
          "location": "/region",
          "partition": true
        }
      }
    }
  },
  "materializations": {
    "acmeCo/dst/snowflake": {
      "endpoint": {
        "connector": {
          "image": "ghcr.io/estuary/materialize-snowflake:v1",
          "config": {
            "warehouse": "yes",
            "private_key": "-----BEGIN KEY-----\nabc\n-----END KEY-----\n"
          }
        }
      },
      "bindings": [
        {
          "resource": {
            "table": "anvils"
          },
          "source": "acmeCo/anvils"
        }
      ]
    }
  },
  "tests": {
    "acmeCo/tests/counts": {
      "steps": [
        {
          "ingest": {
            "collection": "acmeCo/anvils",
            "documents": [
              {
                "id": "a",
                "on": true
              }
            ]
          }
        },
        {
          "verify": {
            "collection": "acmeCo/anvil-counts",
            "documents": [
              {
                "id": "a",
                "n": 1
              }
            ]
          }
        }
      ]
    }
  }
}
"#;

#[test]
fn golden_yaml_and_json() {
    let catalog = small_catalog();
    assert_eq!(to_yaml(&catalog), SMALL_YAML);
    assert_eq!(to_json(&catalog), SMALL_JSON);

    // Both read back as the same catalog, `$schema` aside.
    let mut want = serde_json::to_value(&catalog).unwrap();
    want.as_object_mut().unwrap().shift_remove("$schema");
    let from_yaml: Value = serde_yaml::from_str(SMALL_YAML).unwrap();
    assert_eq!(json_text(&from_yaml), json_text(&want));
    let mut from_json: Value = serde_json::from_str(SMALL_JSON).unwrap();
    assert_eq!(from_json["$schema"], SCHEMA_URL);
    from_json.as_object_mut().unwrap().shift_remove("$schema");
    assert_eq!(json_text(&from_json), json_text(&want));

    // Flat files hold exactly these documents.
    let dir = tempfile::tempdir().unwrap();
    for (name, want) in [
        ("flow.yaml", SMALL_YAML),
        ("flow.yml", SMALL_YAML),
        ("flow.json", SMALL_JSON),
    ] {
        let target = dir.path().join(name);
        let written = write(&catalog, &target, Layout::Flat).unwrap();
        assert_eq!(written.files, vec![target.clone()]);
        assert_eq!(std::fs::read_to_string(&target).unwrap(), want);
    }
}

#[test]
fn whole_catalogs_read_back() {
    for catalog in [small_catalog(), large_catalog(), referencing_catalog()] {
        let mut want = serde_json::to_value(&catalog).unwrap();
        want.as_object_mut().unwrap().shift_remove("$schema");

        let yaml = to_yaml(&catalog);
        let back: Value = serde_yaml::from_str(&yaml).unwrap();
        assert_eq!(json_text(&back), json_text(&want));
        // As the loader reads YAML: into JSON values, then into the model.
        let back: Catalog = serde_json::from_value(back).unwrap();
        assert_eq!(
            back,
            Catalog {
                schema: None,
                ..catalog.clone()
            }
        );

        let json = to_json(&catalog);
        let mut back: Value = serde_json::from_str(&json).unwrap();
        assert_eq!(
            back.as_object_mut().unwrap().shift_remove("$schema"),
            Some(json!(SCHEMA_URL))
        );
        assert_eq!(json_text(&back), json_text(&want));
    }
}

#[test]
fn empty_catalog() {
    let catalog = Catalog::default();
    assert_eq!(
        to_yaml(&catalog),
        format!("# yaml-language-server: $schema={SCHEMA_URL}\n{{}}\n")
    );
    assert_eq!(
        to_json(&catalog),
        format!("{{\n  \"$schema\": \"{SCHEMA_URL}\"\n}}\n")
    );
}

#[test]
fn unknown_target_format() {
    let dir = tempfile::tempdir().unwrap();
    let err = write(&small_catalog(), &dir.path().join("flow.txt"), Layout::Flat).unwrap_err();
    assert_eq!(err.code(), "write");
    assert!(
        err.to_string().contains("must end in .yaml, .yml or .json"),
        "{err}"
    );
    assert!(std::fs::read_dir(dir.path()).unwrap().next().is_none());
}

// ---------------------------------------------------------------------------
// The split layout.

fn big_text(what: &str) -> String {
    (0..40).map(|i| format!("-- {what} line {i}\n")).collect()
}

fn big_object(what: &str) -> Value {
    let mut m = serde_json::Map::new();
    for i in 0..30 {
        m.insert(format!("{what}_{i}"), json!(format!("value {i} of {what}")));
    }
    Value::Object(m)
}

fn big_schema(extra: Value) -> Value {
    let mut schema = json!({"type": "object", "properties": {}});
    for i in 0..20 {
        schema["properties"][format!("field{i}")] = json!({"type": "string", "title": "yes"});
    }
    for (k, v) in extra.as_object().unwrap() {
        schema[k] = v.clone();
    }
    schema
}

/// A catalog with a large value in every slot that can move to a file, and
/// small ones that stay inline.
fn large_catalog() -> Catalog {
    catalog(json!({
        "captures": {
            "acmeCo/src/pg": {
                "endpoint": {"connector": {"image": "ghcr.io/estuary/source-postgres:v1", "config": big_object("pg")}},
                "bindings": [
                    {"resource": {"stream": "small"}, "target": "acmeCo/anvils/products"},
                    {"resource": big_object("binding"), "target": "acmeCo/anvils/products"},
                ],
            },
            "acmeCo/src/local": {
                "endpoint": {"local": {"command": ["python", "main.py"], "config": big_object("local")}},
                "bindings": [],
            },
        },
        "collections": {
            "acmeCo/anvils/products": {
                "schema": big_schema(json!({"$id": "file:///old/products.schema.yaml"})),
                "key": ["/id"],
            },
            "acmeCo/anvils/defs": {
                "schema": big_schema(json!({"$id": "file:///old/defs.schema.yaml", "$defs": {"a": {"type": "string"}}})),
                "key": ["/id"],
            },
            "acmeCo/anvils/remote": {
                "schema": big_schema(json!({"$id": "https://example.com/remote.json"})),
                "key": ["/id"],
            },
            "acmeCo/anvils/split": {
                "writeSchema": big_schema(json!({"$id": "file:///old/w.yaml"})),
                "readSchema": big_schema(json!({"title": "read"})),
                "key": ["/id"],
            },
            "acmeCo/anvils/small": {"schema": {"type": "object", "$id": "file:///x.yaml"}, "key": ["/id"]},
            "acmeCo/derive/sql": {
                "schema": {"type": "object"},
                "key": ["/id"],
                "derive": {
                    "using": {"sqlite": {"migrations": [big_text("migration 0"), "CREATE TABLE t (x);"]}},
                    "transforms": [
                        {"name": "fromA", "source": "acmeCo/anvils/products",
                         "shuffle": {"lambda": big_text("shuffle")}, "lambda": big_text("lambda A")},
                        {"name": "fromB", "source": "acmeCo/anvils/products", "shuffle": "any", "lambda": "SELECT 1;"},
                    ],
                },
            },
            "acmeCo/derive/ts": {
                "schema": {"type": "object"},
                "key": ["/id"],
                "derive": {
                    "using": {"typescript": {"module": big_text("typescript")}},
                    "transforms": [
                        {"name": "fromA", "source": "acmeCo/anvils/products",
                         "shuffle": {"lambda": big_object("ts shuffle")}, "lambda": big_object("ts lambda")},
                    ],
                },
            },
            "acmeCo/derive/py": {
                "schema": {"type": "object"},
                "key": ["/id"],
                "derive": {
                    "using": {"python": {"module": big_text("python")}},
                    "transforms": [{"name": "fromA", "source": "acmeCo/anvils/products", "shuffle": "any"}],
                },
            },
            "acmeCo/derive/conn": {
                "schema": {"type": "object"},
                "key": ["/id"],
                "derive": {
                    "using": {"connector": {"image": "ghcr.io/acme/derive:v1", "config": big_object("derive")}},
                    "transforms": [{"name": "fromA", "source": "acmeCo/anvils/products", "shuffle": "any"}],
                },
            },
            "acmeCo/derive/loc": {
                "schema": {"type": "object"},
                "key": ["/id"],
                "derive": {
                    "using": {"local": {"command": ["deriver"], "config": big_object("local derive")}},
                    "transforms": [{"name": "fromA", "source": "acmeCo/anvils/products", "shuffle": "any"}],
                },
            },
        },
        "materializations": {
            "acmeCo/dst/pg": {
                "endpoint": {"connector": {"image": "ghcr.io/estuary/materialize-postgres:v1", "config": big_object("dst")}},
                "bindings": [
                    {"resource": big_object("table"), "source": "acmeCo/anvils/products"},
                    {"resource": {"table": "small"}, "source": "acmeCo/anvils/products"},
                ],
            },
            "acmeCo/dst/kafka": {
                "endpoint": {"dekaf": {"variant": "clickhouse", "config": big_object("dekaf")}},
                "bindings": [],
            },
            "acmeCo/dst/loc": {
                "endpoint": {"local": {"command": ["sink"], "config": big_object("local sink")}},
                "bindings": [],
            },
        },
        "tests": {
            "acmeCo/tests/products": {
                "steps": [
                    {"ingest": {"collection": "acmeCo/anvils/products",
                        "documents": (0..30).map(|i| json!({"id": format!("product {i}"), "on": "yes"})).collect::<Vec<_>>()}},
                    {"verify": {"collection": "acmeCo/anvils/products", "documents": [{"id": "a"}]}},
                ]
            }
        },
    }))
}

/// Files under `dir`, relative, sorted.
fn tree(dir: &Path) -> Vec<String> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let rel = path.strip_prefix(root).unwrap();
                out.push(rel.to_str().unwrap().replace('\\', "/"));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

fn read_doc(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap();
    match path.extension().and_then(|e| e.to_str()) {
        Some("json") => serde_json::from_str(&text).unwrap(),
        _ => serde_yaml::from_str(&text).unwrap(),
    }
}

/// Reads a split catalog back: follows imports from `root` and puts the
/// content of every referenced sibling file back in place (what the loader
/// will do), checking that each catalog file is referenced by exactly the
/// imports it should be.
fn reinline(root: &Path) -> (Value, Vec<PathBuf>) {
    let mut merged = json!({});
    let mut seen = Vec::new();
    reinline_file(root, &mut merged, &mut seen);
    let imports = merged.as_object_mut().unwrap().shift_remove("import");
    // Through the model: specs sorted by name, fields in model order.
    let catalog: Catalog = serde_json::from_value(merged).unwrap();
    let mut out = serde_json::Map::new();
    if let Some(imports) = imports {
        out.insert("import".to_string(), imports);
    }
    if let Value::Object(m) = serde_json::to_value(&catalog).unwrap() {
        out.extend(m);
    }
    (Value::Object(out), seen)
}

fn reinline_file(file: &Path, merged: &mut Value, seen: &mut Vec<PathBuf>) {
    seen.push(file.to_path_buf());
    let doc = read_doc(file);
    let dir = file.parent().unwrap();
    let text = std::fs::read_to_string(file).unwrap();
    if file.extension().and_then(|e| e.to_str()) == Some("json") {
        assert_eq!(doc["$schema"], SCHEMA_URL, "{}", file.display());
    } else {
        assert!(
            text.starts_with(&format!("# yaml-language-server: $schema={SCHEMA_URL}\n")),
            "{}",
            file.display()
        );
    }
    let imports: Vec<String> = doc
        .get("import")
        .map(|i| serde_json::from_value(i.clone()).unwrap())
        .unwrap_or_default();
    let mut sorted = imports.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(
        imports,
        sorted,
        "imports of {} are sorted and unique",
        file.display()
    );
    for import in imports {
        let path = dir.join(&import);
        if path.is_file() {
            reinline_file(&path, merged, seen);
        } else {
            // Not written here: kept as a reference.
            if merged.get("import").is_none() {
                merged["import"] = json!([]);
            }
            merged["import"].as_array_mut().unwrap().push(json!(import));
        }
    }
    for kind in ["captures", "collections", "materializations", "tests"] {
        let Some(specs) = doc.get(kind).and_then(Value::as_object) else {
            continue;
        };
        for (name, spec) in specs {
            let mut spec = spec.clone();
            inline_spec(kind, &mut spec, dir);
            if merged.get(kind).is_none() {
                merged[kind] = json!({});
            }
            assert!(merged[kind].get(name).is_none(), "{name} defined twice");
            merged[kind][name] = spec;
        }
    }
}

/// Replaces a reference to a file that exists with the file's content.
fn inline_slot(v: &mut Value, dir: &Path, raw: bool) {
    let Some(reference) = v.as_str() else { return };
    if reference.contains(char::is_whitespace) {
        return;
    }
    let path = dir.join(reference);
    if !path.is_file() {
        return;
    }
    *v = if raw {
        Value::String(std::fs::read_to_string(&path).unwrap())
    } else {
        read_doc(&path)
    };
}

fn inline_spec(kind: &str, spec: &mut Value, dir: &Path) {
    let mut slot = |ptr: &str, raw: bool| {
        if let Some(v) = spec.pointer_mut(ptr) {
            inline_slot(v, dir, raw);
        }
    };
    match kind {
        "captures" | "materializations" => {
            for ep in ["connector", "local", "dekaf"] {
                slot(&format!("/endpoint/{ep}/config"), false);
            }
            for i in 0..10 {
                slot(&format!("/bindings/{i}/resource"), false);
            }
        }
        "collections" => {
            for s in ["schema", "writeSchema", "readSchema"] {
                slot(&format!("/{s}"), false);
            }
            slot("/derive/using/connector/config", false);
            slot("/derive/using/local/config", false);
            slot("/derive/using/typescript/module", true);
            slot("/derive/using/python/module", true);
            let sql = spec.pointer("/derive/using/sqlite").is_some();
            let mut slot = |ptr: &str, raw: bool| {
                if let Some(v) = spec.pointer_mut(ptr) {
                    inline_slot(v, dir, raw);
                }
            };
            for i in 0..10 {
                slot(&format!("/derive/using/sqlite/migrations/{i}"), true);
                slot(&format!("/derive/transforms/{i}/lambda"), sql);
                slot(&format!("/derive/transforms/{i}/shuffle/lambda"), sql);
            }
        }
        "tests" => {
            for i in 0..10 {
                slot(&format!("/steps/{i}/ingest/documents"), false);
                slot(&format!("/steps/{i}/verify/documents"), false);
            }
        }
        _ => unreachable!(),
    }
}

/// The catalog as flowctl would split it: `$id`s of moved schemas dropped.
fn expected_after_split(catalog: &Catalog) -> Value {
    let mut want = serde_json::to_value(catalog).unwrap();
    for (name, slot) in [
        ("acmeCo/anvils/products", "schema"),
        ("acmeCo/anvils/split", "writeSchema"),
    ] {
        want["collections"][name][slot]
            .as_object_mut()
            .unwrap()
            .shift_remove("$id");
    }
    want
}

#[test]
fn canonical_layout_yaml() {
    let catalog = large_catalog();
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("flow.yaml");
    let written = write(&catalog, &target, Layout::Canonical).unwrap();

    let want_files = [
        "acmeCo/anvils/defs.schema.yaml",
        "acmeCo/anvils/flow.yaml",
        "acmeCo/anvils/products.schema.yaml",
        "acmeCo/anvils/remote.schema.yaml",
        "acmeCo/anvils/split.read.schema.yaml",
        "acmeCo/anvils/split.write.schema.yaml",
        "acmeCo/derive/conn.config.yaml",
        "acmeCo/derive/flow.yaml",
        "acmeCo/derive/loc.config.yaml",
        "acmeCo/derive/py.py",
        "acmeCo/derive/sql.lambda.fromA.shuffle.sql",
        "acmeCo/derive/sql.lambda.fromA.sql",
        "acmeCo/derive/sql.migration.0.sql",
        "acmeCo/derive/ts.lambda.fromA.shuffle.yaml",
        "acmeCo/derive/ts.lambda.fromA.yaml",
        "acmeCo/derive/ts.ts",
        "acmeCo/dst/flow.yaml",
        "acmeCo/dst/kafka.config.yaml",
        "acmeCo/dst/loc.config.yaml",
        "acmeCo/dst/pg.config.yaml",
        "acmeCo/dst/pg.resource.0.config.yaml",
        "acmeCo/flow.yaml",
        "acmeCo/src/flow.yaml",
        "acmeCo/src/local.config.yaml",
        "acmeCo/src/pg.config.yaml",
        "acmeCo/src/pg.resource.1.config.yaml",
        "acmeCo/tests/flow.yaml",
        "acmeCo/tests/products.step.0.yaml",
        "flow.yaml",
    ];
    assert_eq!(tree(dir.path()), want_files);
    let want_paths: Vec<PathBuf> = want_files.iter().map(|f| dir.path().join(f)).collect();
    assert_eq!(written.files, want_paths);

    // The import chain.
    assert_eq!(
        std::fs::read_to_string(&target).unwrap(),
        format!("# yaml-language-server: $schema={SCHEMA_URL}\nimport:\n  - acmeCo/flow.yaml\n")
    );
    assert_eq!(
        read_doc(&dir.path().join("acmeCo/flow.yaml")),
        json!({"import": ["anvils/flow.yaml", "derive/flow.yaml", "dst/flow.yaml", "src/flow.yaml", "tests/flow.yaml"]})
    );

    // Specs reference their sibling files by name; small values stay inline.
    let anvils = read_doc(&dir.path().join("acmeCo/anvils/flow.yaml"));
    assert_eq!(
        anvils["collections"]["acmeCo/anvils/products"]["schema"],
        "products.schema.yaml"
    );
    assert_eq!(
        anvils["collections"]["acmeCo/anvils/small"]["schema"],
        json!({"type": "object", "$id": "file:///x.yaml"})
    );
    let derive = read_doc(&dir.path().join("acmeCo/derive/flow.yaml"));
    let sql = &derive["collections"]["acmeCo/derive/sql"]["derive"];
    assert_eq!(
        sql["using"]["sqlite"]["migrations"],
        json!(["sql.migration.0.sql", "CREATE TABLE t (x);"])
    );
    assert_eq!(sql["transforms"][0]["lambda"], "sql.lambda.fromA.sql");
    assert_eq!(
        sql["transforms"][0]["shuffle"],
        json!({"lambda": "sql.lambda.fromA.shuffle.sql"})
    );
    assert_eq!(sql["transforms"][1]["lambda"], "SELECT 1;");
    let src = read_doc(&dir.path().join("acmeCo/src/flow.yaml"));
    assert_eq!(
        src["captures"]["acmeCo/src/pg"]["bindings"],
        json!([
            {"resource": {"stream": "small"}, "target": "acmeCo/anvils/products"},
            {"resource": "pg.resource.1.config.yaml", "target": "acmeCo/anvils/products"},
        ])
    );
    let tests = read_doc(&dir.path().join("acmeCo/tests/flow.yaml"));
    assert_eq!(
        tests["tests"]["acmeCo/tests/products"]["steps"][0]["ingest"]["documents"],
        "products.step.0.yaml"
    );

    // Text files hold the text as is; documents are YAML.
    assert_eq!(
        std::fs::read_to_string(dir.path().join("acmeCo/derive/sql.lambda.fromA.sql")).unwrap(),
        big_text("lambda A")
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("acmeCo/derive/ts.ts")).unwrap(),
        big_text("typescript")
    );
    let config = std::fs::read_to_string(dir.path().join("acmeCo/src/pg.config.yaml")).unwrap();
    assert!(config.starts_with("pg_0: value 0 of pg\n"), "{config}");

    // A `file://` `$id` is dropped from moved schemas without definitions only.
    let schema = |f: &str| read_doc(&dir.path().join("acmeCo/anvils").join(f));
    assert!(schema("products.schema.yaml").get("$id").is_none());
    assert!(schema("split.write.schema.yaml").get("$id").is_none());
    assert_eq!(
        schema("defs.schema.yaml")["$id"],
        "file:///old/defs.schema.yaml"
    );
    assert_eq!(
        schema("remote.schema.yaml")["$id"],
        "https://example.com/remote.json"
    );

    // Put back together, it is the same catalog.
    let (merged, _) = reinline(&target);
    assert_eq!(
        json_text(&merged),
        json_text(&expected_after_split(&catalog))
    );
}

#[test]
fn canonical_layout_json() {
    let catalog = large_catalog();
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("catalog.json");
    write(&catalog, &target, Layout::Canonical).unwrap();
    let files = tree(dir.path());
    for f in [
        "catalog.json",
        "acmeCo/flow.json",
        "acmeCo/anvils/flow.json",
        "acmeCo/anvils/products.schema.json",
        "acmeCo/src/pg.resource.1.config.json",
        "acmeCo/derive/ts.lambda.fromA.shuffle.json",
        "acmeCo/tests/products.step.0.json",
        "acmeCo/derive/sql.migration.0.sql",
        "acmeCo/derive/ts.ts",
        "acmeCo/derive/py.py",
    ] {
        assert!(files.contains(&f.to_string()), "{f} missing from {files:?}");
    }
    assert!(!files.iter().any(|f| f.ends_with(".yaml")), "{files:?}");
    let text = std::fs::read_to_string(dir.path().join("acmeCo/src/pg.config.json")).unwrap();
    assert!(
        text.starts_with("{\n  \"pg_0\": \"value 0 of pg\",\n"),
        "{text}"
    );
    assert!(text.ends_with("}\n"));

    let (merged, _) = reinline(&target);
    assert_eq!(
        json_text(&merged),
        json_text(&expected_after_split(&catalog))
    );

    // A `.yml` target gets `.yaml` files beside it, as flowctl names them.
    let dir = tempfile::tempdir().unwrap();
    write(&catalog, &dir.path().join("flow.yml"), Layout::Canonical).unwrap();
    let files = tree(dir.path());
    assert!(files.contains(&"flow.yml".to_string()));
    assert!(files.contains(&"acmeCo/flow.yaml".to_string()));
}

#[test]
fn canonical_layout_of_small_specs_and_own_imports() {
    let mut catalog = small_catalog();
    catalog.import = vec![
        "other.flow.yaml".into(),
        "https://example.com/flow.yaml".into(),
    ];
    let dir = tempfile::tempdir().unwrap();
    catalog.origins.base_dir = Some(dir_url(dir.path()));
    let target = dir.path().join("flow.yaml");
    write(&catalog, &target, Layout::Canonical).unwrap();
    assert_eq!(
        tree(dir.path()),
        [
            "acmeCo/dst/flow.yaml",
            "acmeCo/flow.yaml",
            "acmeCo/src/flow.yaml",
            "acmeCo/tests/flow.yaml",
            "flow.yaml"
        ]
    );
    let root = read_doc(&target);
    assert_eq!(
        root["import"],
        json!([
            "acmeCo/flow.yaml",
            "https://example.com/flow.yaml",
            "other.flow.yaml"
        ])
    );
    // Specs directly under the tenant live in `acmeCo/flow.yaml`, beside its imports.
    let acme = std::fs::read_to_string(dir.path().join("acmeCo/flow.yaml")).unwrap();
    assert!(
        acme.starts_with(&format!(
            "# yaml-language-server: $schema={SCHEMA_URL}\nimport:\n  - dst/flow.yaml\n  - src/flow.yaml\n  - tests/flow.yaml\ncollections:\n  acmeCo/anvil-counts:\n"
        )),
        "{acme}"
    );
    let (merged, _) = reinline(&target);
    let mut want = serde_json::to_value(&catalog).unwrap();
    want.as_object_mut().unwrap().shift_remove("$schema");
    want["import"] = json!(["https://example.com/flow.yaml", "other.flow.yaml"]);
    assert_eq!(json_text(&merged), json_text(&want));
}

#[test]
fn deterministic_output() {
    let catalog = large_catalog();
    assert_eq!(to_yaml(&catalog), to_yaml(&catalog.clone()));
    assert_eq!(to_json(&catalog), to_json(&catalog.clone()));

    let read_all = |dir: &Path| -> BTreeMap<String, Vec<u8>> {
        tree(dir)
            .into_iter()
            .map(|f| {
                let bytes = std::fs::read(dir.join(&f)).unwrap();
                (f, bytes)
            })
            .collect()
    };
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    for layout in [Layout::Flat, Layout::Canonical] {
        write(&catalog, &a.path().join("flow.yaml"), layout).unwrap();
        write(&catalog, &b.path().join("flow.yaml"), layout).unwrap();
        // And once more over the first: same bytes again.
        write(&catalog, &a.path().join("flow.yaml"), layout).unwrap();
    }
    assert_eq!(read_all(a.path()), read_all(b.path()));
}

// ---------------------------------------------------------------------------
// Rebasing relative references.

/// A derivation and a capture holding references relative to where they
/// were defined.
fn referencing_catalog() -> Catalog {
    catalog(json!({
        "import": ["common.flow.yaml"],
        "captures": {
            "acmeCo/ci/local": {
                "endpoint": {"local": {"command": ["./bin/connector", "--flag"], "config": "configs/local.yaml"}},
                "bindings": [{"resource": "resources/a.yaml", "target": "acmeCo/ci/joined"}],
            },
            "acmeCo/ci/path": {
                "endpoint": {"local": {"command": ["connector"], "config": {"inline config": true}}},
                "bindings": [],
            },
        },
        "collections": {
            "acmeCo/ci/joined": {
                "schema": "schemas/joined.schema.yaml#/$defs/row",
                "key": ["/id"],
                "derive": {
                    "using": {"typescript": {"module": "full-outer-join.flow.ts"}},
                    "transforms": [{"name": "fromA", "source": "acmeCo/ci/joined", "shuffle": "any"}],
                },
            },
            "acmeCo/ci/sql": {
                "writeSchema": "https://example.com/schema.json",
                "readSchema": "/abs/read.schema.yaml",
                "key": ["/id"],
                "derive": {
                    "using": {"sqlite": {"migrations": ["sql/migrate.sql", "CREATE TABLE t (x);"]}},
                    "transforms": [{"name": "fromA", "source": "acmeCo/ci/joined", "shuffle": {"lambda": "sql/shuffle.sql"}, "lambda": "./sql/lambda.sql"}],
                },
            },
        },
        "tests": {
            "acmeCo/ci/test": {"steps": [{"ingest": {"collection": "acmeCo/ci/joined", "documents": "fixtures/docs.json"}}]},
        },
    }))
}

/// The references of `referencing_catalog` when its specs are written in
/// `acmeCo/ci/flow.yaml` two directories below where they were defined.
#[test]
fn references_of_specs_made_in_code_are_rebased() {
    let mut catalog = referencing_catalog();
    let dir = tempfile::tempdir().unwrap();
    // References of specs made in code resolve against the base directory.
    catalog.origins.base_dir = Some(dir_url(dir.path()));
    let target = dir.path().join("flow.yaml");
    write(&catalog, &target, Layout::Canonical).unwrap();

    let root = read_doc(&target);
    assert_eq!(
        root["import"],
        json!(["acmeCo/flow.yaml", "common.flow.yaml"])
    );
    let ci = read_doc(&dir.path().join("acmeCo/ci/flow.yaml"));
    let want = json!({
        "captures": {
            "acmeCo/ci/local": {
                "endpoint": {"local": {"command": ["../../bin/connector", "--flag"], "config": "../../configs/local.yaml"}},
                "bindings": [{"resource": "../../resources/a.yaml", "target": "acmeCo/ci/joined"}],
            },
            "acmeCo/ci/path": {
                "endpoint": {"local": {"command": ["connector"], "config": {"inline config": true}}},
                "bindings": [],
            },
        },
        "collections": {
            "acmeCo/ci/joined": {
                "schema": "../../schemas/joined.schema.yaml#/$defs/row",
                "key": ["/id"],
                "derive": {
                    "using": {"typescript": {"module": "../../full-outer-join.flow.ts"}},
                    "transforms": [{"name": "fromA", "source": "acmeCo/ci/joined", "shuffle": "any"}],
                },
            },
            "acmeCo/ci/sql": {
                "writeSchema": "https://example.com/schema.json",
                "readSchema": "/abs/read.schema.yaml",
                "key": ["/id"],
                "derive": {
                    "using": {"sqlite": {"migrations": ["../../sql/migrate.sql", "CREATE TABLE t (x);"]}},
                    "transforms": [{"name": "fromA", "source": "acmeCo/ci/joined", "shuffle": {"lambda": "../../sql/shuffle.sql"}, "lambda": "../../sql/lambda.sql"}],
                },
            },
        },
        "tests": {
            "acmeCo/ci/test": {"steps": [{"ingest": {"collection": "acmeCo/ci/joined", "documents": "../../fixtures/docs.json"}}]},
        },
    });
    assert_eq!(json_text(&ci), json_text(&want));

    // The flat layout in the same directory changes nothing.
    write(&catalog, &target, Layout::Flat).unwrap();
    let mut flat = read_doc(&target);
    flat.as_object_mut().unwrap().shift_remove("$schema");
    assert_eq!(
        json_text(&flat),
        json_text(&serde_json::to_value(&catalog).unwrap())
    );
}

#[test]
fn references_follow_the_origin_base() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    let mut catalog = referencing_catalog();
    catalog.origins.base = Some(
        url::Url::from_file_path(src.join("flow.yaml"))
            .unwrap()
            .to_string(),
    );

    // Flat into another directory: references point back into `src/`.
    let out = dir.path().join("out/nested/flow.yaml");
    write(&catalog, &out, Layout::Flat).unwrap();
    let flat = read_doc(&out);
    assert_eq!(flat["import"], json!(["../../src/common.flow.yaml"]));
    let joined = &flat["collections"]["acmeCo/ci/joined"];
    assert_eq!(
        joined["schema"],
        "../../src/schemas/joined.schema.yaml#/$defs/row"
    );
    assert_eq!(
        joined["derive"]["using"]["typescript"]["module"],
        "../../src/full-outer-join.flow.ts"
    );
    assert_eq!(
        flat["captures"]["acmeCo/ci/local"]["endpoint"]["local"]["command"],
        json!(["../../src/bin/connector", "--flag"])
    );

    // Canonical into the directory of `src/` itself: `acmeCo/ci/` is two
    // levels below it.
    let target = src.join("flow.yaml");
    write(&catalog, &target, Layout::Canonical).unwrap();
    let ci = read_doc(&src.join("acmeCo/ci/flow.yaml"));
    assert_eq!(
        ci["collections"]["acmeCo/ci/joined"]["derive"]["using"]["typescript"]["module"],
        "../../full-outer-join.flow.ts"
    );
    assert_eq!(
        read_doc(&target)["import"],
        json!(["acmeCo/flow.yaml", "common.flow.yaml"])
    );

    // Each reference still names the same file: resolve them all.
    let module = src.join("acmeCo/ci").join("../../full-outer-join.flow.ts");
    assert_eq!(normalize(&module), src.join("full-outer-join.flow.ts"));

    // A spec's own origin wins over the base.
    let mut catalog = referencing_catalog();
    catalog.origins.base = Some(
        url::Url::from_file_path(src.join("flow.yaml"))
            .unwrap()
            .to_string(),
    );
    catalog.origins.record(
        crate::Kind::Collection,
        "acmeCo/ci/joined",
        crate::Scope::new(
            url::Url::from_file_path(src.join("deep/er/joined.flow.yaml"))
                .unwrap()
                .to_string(),
        ),
    );
    write(&catalog, &target, Layout::Flat).unwrap();
    let flat = read_doc(&target);
    assert_eq!(
        flat["collections"]["acmeCo/ci/joined"]["derive"]["using"]["typescript"]["module"],
        "deep/er/full-outer-join.flow.ts"
    );
    assert_eq!(
        flat["collections"]["acmeCo/ci/sql"]["derive"]["using"]["sqlite"]["migrations"][0],
        "sql/migrate.sql"
    );
}

/// The `file://` URL of a directory, as `Origins::base_dir` holds it.
fn dir_url(dir: &Path) -> String {
    url::Url::from_directory_path(dir).unwrap().to_string()
}

fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            c => out.push(c),
        }
    }
    out
}

// ---------------------------------------------------------------------------
// Names that would escape the target's directory.

#[test]
fn names_with_dot_parts_are_refused() {
    for (name, part) in [
        ("acmeCo/../../etc", ".."),
        ("acmeCo/./x", "."),
        ("../x", ".."),
        ("acmeCo/..", ".."),
    ] {
        let catalog = catalog(json!({
            "collections": {name: {"schema": {"type": "object"}, "key": ["/id"]}}
        }));
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out/flow.yaml");
        let err = write(&catalog, &target, Layout::Canonical).unwrap_err();
        let Error::Write { message, .. } = &err else {
            panic!("{err:?}")
        };
        assert!(
            message.contains(&format!("collection {name}"))
                && message.contains(&format!("`{part}`")),
            "{message}"
        );
        assert!(!dir.path().join("out").exists(), "nothing is written");

        // As a key of one file, the name is harmless.
        write(&catalog, &target, Layout::Flat).unwrap();
        assert_eq!(tree(dir.path()), ["out/flow.yaml"]);
    }

    // Transform names go into file names, too.
    let catalog = super::catalog(json!({
        "collections": {"acmeCo/x": {"schema": {"type": "object"}, "key": ["/id"], "derive": {
            "using": {"sqlite": {}},
            "transforms": [{"name": "..", "source": "acmeCo/x", "shuffle": "any", "lambda": "SELECT 1;"}],
        }}}
    }));
    let dir = tempfile::tempdir().unwrap();
    let err = write(&catalog, &dir.path().join("flow.yaml"), Layout::Canonical).unwrap_err();
    assert!(
        err.to_string()
            .contains("collection acmeCo/x: transform `..`"),
        "{err}"
    );
    assert!(tree(dir.path()).is_empty());
}

#[test]
fn clashing_file_names_are_refused() {
    // `acmeCo/a.config.yaml` is both the config of capture `acmeCo/a` and a
    // directory of collection `acmeCo/a.config.yaml/x`.
    let catalog = catalog(json!({
        "captures": {"acmeCo/a": {
            "endpoint": {"connector": {"image": "i", "config": big_object("a")}},
            "bindings": [],
        }},
        "collections": {"acmeCo/a.config.yaml/x": {"schema": {"type": "object"}, "key": ["/id"]}},
    }));
    let dir = tempfile::tempdir().unwrap();
    let err = write(&catalog, &dir.path().join("flow.yaml"), Layout::Canonical).unwrap_err();
    assert!(
        err.to_string()
            .contains("capture acmeCo/a writes this file"),
        "{err}"
    );
    assert!(tree(dir.path()).is_empty());

    // Two transforms whose SQL files would have the same name.
    let catalog = super::catalog(json!({
        "collections": {"acmeCo/x": {"schema": {"type": "object"}, "key": ["/id"], "derive": {
            "using": {"sqlite": {}},
            "transforms": [
                {"name": "a.shuffle", "source": "acmeCo/x", "shuffle": "any", "lambda": big_text("1")},
                {"name": "a", "source": "acmeCo/x", "shuffle": {"lambda": big_text("2")}},
            ],
        }}}
    }));
    let err = write(&catalog, &dir.path().join("flow.yaml"), Layout::Canonical).unwrap_err();
    assert!(
        err.to_string()
            .contains("x.lambda.a.shuffle.sql: both collection acmeCo/x and collection acmeCo/x"),
        "{err}"
    );
    assert!(tree(dir.path()).is_empty());
}

/// The files under `dir`, relative, with their contents.
fn files_under(dir: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(at) = stack.pop() {
        for entry in std::fs::read_dir(&at).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                out.insert(rel, std::fs::read_to_string(&path).unwrap());
            }
        }
    }
    out
}

const COLLECTION: &str = "    schema:\n      type: object\n    key:\n      - /id\n";

#[test]
fn kept_placement_leaves_loaded_specs_in_their_files_and_places_new_ones() {
    use crate::write::WriteOptions;
    let header = format!("# yaml-language-server: $schema={SCHEMA_URL}\n");
    let new_spec = || {
        catalog(json!({"collections": {"acmeCo/new/two": {"schema": {"type": "object"}, "key": ["/id"]}}}))
            .collections
            .into_iter()
            .next()
            .unwrap()
    };

    // A flat catalog, and a new spec in the canonical layout: the loaded
    // spec stays in flow.yaml, the new one goes to its prefix's file.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("flow.yaml"),
        format!("collections:\n  acmeCo/one:\n{COLLECTION}"),
    )
    .unwrap();
    let mut loaded = crate::load::load(dir.path().join("flow.yaml").to_str().unwrap()).unwrap();
    let (name, def) = new_spec();
    loaded.collections.insert(name, def);
    let options = WriteOptions {
        layout: Layout::Canonical,
        keep_placement: true,
        ..WriteOptions::default()
    };
    crate::write::write_with(&loaded, &dir.path().join("flow.yaml"), &options).unwrap();
    assert_eq!(
        files_under(dir.path()),
        BTreeMap::from([
            (
                "flow.yaml".to_string(),
                format!("{header}import:\n  - acmeCo/flow.yaml\ncollections:\n  acmeCo/one:\n{COLLECTION}")
            ),
            (
                "acmeCo/flow.yaml".to_string(),
                format!("{header}import:\n  - new/flow.yaml\n")
            ),
            (
                "acmeCo/new/flow.yaml".to_string(),
                format!("{header}collections:\n  acmeCo/new/two:\n{COLLECTION}")
            ),
        ])
    );
    // Loaded again and written the same way: nothing moves.
    let again = crate::load::load(dir.path().join("flow.yaml").to_str().unwrap()).unwrap();
    let before = files_under(dir.path());
    crate::write::write_with(&again, &dir.path().join("flow.yaml"), &options).unwrap();
    assert_eq!(files_under(dir.path()), before);

    // A catalog in its own files, and a new spec written flat: the loaded
    // spec stays in its file, the new one goes into the target.
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("specs")).unwrap();
    std::fs::write(
        dir.path().join("flow.yaml"),
        "import:\n  - specs/one.yaml\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("specs/one.yaml"),
        format!("collections:\n  acmeCo/one:\n{COLLECTION}"),
    )
    .unwrap();
    let mut loaded = crate::load::load(dir.path().join("flow.yaml").to_str().unwrap()).unwrap();
    let (name, def) = new_spec();
    loaded.collections.insert(name, def);
    let options = WriteOptions {
        layout: Layout::Flat,
        keep_placement: true,
        ..WriteOptions::default()
    };
    crate::write::write_with(&loaded, &dir.path().join("flow.yaml"), &options).unwrap();
    let files = files_under(dir.path());
    assert_eq!(
        files["flow.yaml"],
        format!(
            "{header}import:\n  - specs/one.yaml\ncollections:\n  acmeCo/new/two:\n{COLLECTION}"
        )
    );
    // Untouched: it already held what it should.
    assert_eq!(
        files["specs/one.yaml"],
        format!("collections:\n  acmeCo/one:\n{COLLECTION}")
    );
    assert_eq!(files.len(), 2);
}
