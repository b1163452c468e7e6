//! Every shape of spec in spec-model.md loads, into the model it describes.

use serde_json::json;

use super::{load_yaml, to_json};

#[test]
fn every_shape_loads() {
    let cases: Vec<(&str, &str, serde_json::Value)> = vec![
        (
            "collection with projections in both forms, journals, expectPubId, delete",
            r#"
collections:
  acmeCo/anvils:
    schema: {type: object, properties: {id: {type: string}, region: {type: string}}, required: [id]}
    key: [/id]
    projections:
      the_id: /id
      region: {location: /region, partition: true}
      other: {location: /other}
    journals:
      fragments: {length: 128, compressionCodec: ZSTANDARD, retention: 720h, flushInterval: 15m}
    expectPubId: "00:11:22:33:44:55:66:77"
    delete: true
"#,
            json!({"collections": {"acmeCo/anvils": {
                "schema": {"type": "object", "properties": {"id": {"type": "string"}, "region": {"type": "string"}}, "required": ["id"]},
                "key": ["/id"],
                "projections": {
                    "other": {"location": "/other"},
                    "region": {"location": "/region", "partition": true},
                    "the_id": "/id",
                },
                "journals": {"fragments": {"length": 128, "compressionCodec": "ZSTANDARD", "retention": "720h", "flushInterval": "15m"}},
                "expectPubId": "0011223344556677",
                "delete": true,
            }}}),
        ),
        (
            "write and read schemas, with flow:// references; sqlite derivation with no migrations",
            r#"
collections:
  acmeCo/derived:
    writeSchema: {type: object, properties: {id: {type: string}}}
    readSchema: {allOf: [{$ref: "flow://write-schema"}, {$ref: "flow://inferred-schema"}, {$ref: "flow://relaxed-write-schema"}]}
    key: [/id]
    derive:
      using: {sqlite: {}}
      transforms:
        - {name: fromOrders, source: acmeCo/orders, shuffle: any, lambda: "SELECT $id;"}
"#,
            json!({"collections": {"acmeCo/derived": {
                "writeSchema": {"type": "object", "properties": {"id": {"type": "string"}}},
                "readSchema": {"allOf": [{"$ref": "flow://write-schema"}, {"$ref": "flow://inferred-schema"}, {"$ref": "flow://relaxed-write-schema"}]},
                "key": ["/id"],
                "derive": {
                    "using": {"sqlite": {"migrations": []}},
                    "transforms": [{"name": "fromOrders", "source": "acmeCo/orders", "shuffle": "any", "lambda": "SELECT $id;"}],
                },
            }}}),
        ),
        (
            "connector derivation; full source; shuffle key; transform options; shard template",
            r#"
collections:
  acmeCo/d:
    schema: {type: object}
    key: [/id]
    derive:
      using: {connector: {image: "ghcr.io/estuary/derive-x:v1", config: {a: 1}}}
      transforms:
        - name: t1
          source:
            name: acmeCo/orders
            partitions: {include: {region: [EU]}, exclude: {region: [US]}}
            notBefore: "2024-01-01T00:00:00Z"
            notAfter: "2024-02-01T00:00:00Z"
          shuffle: {key: [/customer]}
          priority: 2
          readDelay: 1h
          disable: true
          backfill: 3
      shuffleKeyTypes: [string, integer]
      shards: {logLevel: debug, maxTxnDuration: 5s, minTxnDuration: 1s, hotStandbys: 1, ringBufferSize: 1024, readChannelSize: 64, disable: true}
      redactSalt: c2FsdA==
"#,
            json!({"collections": {"acmeCo/d": {
                "schema": {"type": "object"},
                "key": ["/id"],
                "derive": {
                    "using": {"connector": {"image": "ghcr.io/estuary/derive-x:v1", "config": {"a": 1}}},
                    "transforms": [{
                        "name": "t1",
                        "source": {
                            "name": "acmeCo/orders",
                            "partitions": {"include": {"region": ["EU"]}, "exclude": {"region": ["US"]}},
                            "notBefore": "2024-01-01T00:00:00Z",
                            "notAfter": "2024-02-01T00:00:00Z",
                        },
                        "shuffle": {"key": ["/customer"]},
                        "priority": 2,
                        "readDelay": "1h",
                        "disable": true,
                        "backfill": 3,
                    }],
                    "shuffleKeyTypes": ["string", "integer"],
                    "shards": {"disable": true, "minTxnDuration": "1s", "maxTxnDuration": "5s", "hotStandbys": 1, "ringBufferSize": 1024, "readChannelSize": 64, "logLevel": "debug"},
                    "redactSalt": "c2FsdA==",
                },
            }}}),
        ),
        (
            "typescript, python and local derivations; lambda shuffle",
            r#"
collections:
  acmeCo/ts:
    schema: {type: object}
    key: [/id]
    derive:
      using: {typescript: {module: "export class Derivation {}"}}
      transforms: [{name: t, source: acmeCo/a, shuffle: {lambda: "return [doc.id];"}}]
  acmeCo/py:
    schema: {type: object}
    key: [/id]
    derive:
      using: {python: {module: "class Derivation: pass", dependencies: {pydantic: ">=2"}}}
      transforms: []
  acmeCo/local:
    schema: {type: object}
    key: [/id]
    derive:
      using: {local: {command: [python, derive.py], config: {x: 1}, env: {A: b}, protobuf: true}}
      transforms: []
"#,
            json!({"collections": {
                "acmeCo/local": {"schema": {"type": "object"}, "key": ["/id"], "derive": {
                    "using": {"local": {"command": ["python", "derive.py"], "config": {"x": 1}, "env": {"A": "b"}, "protobuf": true}},
                    "transforms": [],
                }},
                "acmeCo/py": {"schema": {"type": "object"}, "key": ["/id"], "derive": {
                    "using": {"python": {"module": "class Derivation: pass", "dependencies": {"pydantic": ">=2"}}},
                    "transforms": [],
                }},
                "acmeCo/ts": {"schema": {"type": "object"}, "key": ["/id"], "derive": {
                    "using": {"typescript": {"module": "export class Derivation {}"}},
                    "transforms": [{"name": "t", "source": "acmeCo/a", "shuffle": {"lambda": "return [doc.id];"}}],
                }},
            }}),
        ),
        (
            "captures: auto-discovery, connector and local endpoints, binding options",
            r#"
captures:
  acmeCo/source-pg:
    autoDiscover: {addNewBindings: true, evolveIncompatibleCollections: true}
    endpoint:
      connector:
        image: "ghcr.io/estuary/source-postgres:v1"
        config: {address: "db:5432", password_sops: "ENC[AES256_GCM,data:abc]", sops: {mac: x}}
    bindings:
      - {resource: {namespace: public, stream: orders}, target: acmeCo/orders}
      - {resource: {namespace: public, stream: old}, target: acmeCo/old, disable: true, backfill: 2}
    interval: 10m
    shards: {disable: true}
    reset: true
    redactSalt: c2FsdA==
    expectPubId: "0011223344556677"
  acmeCo/source-local:
    endpoint: {local: {command: [./source.sh], config: {}}}
    bindings: []
    interval: 5m
    autoDiscover: null
"#,
            json!({"captures": {
                "acmeCo/source-local": {"endpoint": {"local": {"command": ["./source.sh"], "config": {}}}, "bindings": []},
                "acmeCo/source-pg": {
                    "autoDiscover": {"addNewBindings": true, "evolveIncompatibleCollections": true},
                    "endpoint": {"connector": {"image": "ghcr.io/estuary/source-postgres:v1", "config": {"address": "db:5432", "password_sops": "ENC[AES256_GCM,data:abc]", "sops": {"mac": "x"}}}},
                    "bindings": [
                        {"resource": {"namespace": "public", "stream": "orders"}, "target": "acmeCo/orders"},
                        {"resource": {"namespace": "public", "stream": "old"}, "target": "acmeCo/old", "disable": true, "backfill": 2},
                    ],
                    "interval": "10m",
                    "shards": {"disable": true},
                    "expectPubId": "0011223344556677",
                    "reset": true,
                    "redactSalt": "c2FsdA==",
                },
            }}),
        ),
        (
            "materializations: source capture in both forms and its alias, all endpoints and the flowSink alias, field selection",
            r#"
materializations:
  acmeCo/m1:
    source: acmeCo/source-pg
    endpoint: {connector: {image: "ghcr.io/estuary/materialize-postgres:v1", config: {}}}
    bindings:
      - resource: {table: orders}
        source: acmeCo/orders
        fields: {groupBy: [id], require: {id: {}}, exclude: [secret], recommended: 2}
        priority: 1
        backfill: 1
        onIncompatibleSchemaChange: disableBinding
        disable: true
  acmeCo/m2:
    sourceCapture: {capture: acmeCo/source-pg, targetNaming: withSchema, deltaUpdates: true, fieldsRecommended: false}
    onIncompatibleSchemaChange: abort
    endpoint: {flowSink: {image: "ghcr.io/estuary/materialize-s3:v1", config: {}}}
    bindings:
      - resource: {table: t}
        source: {name: acmeCo/orders, partitions: {include: {region: [EU]}}}
        fields: {include: {a: {}}, recommended: true}
  acmeCo/m3:
    endpoint: {dekaf: {variant: clickhouse, config: {token: x}}}
    bindings: []
  acmeCo/m4:
    sourceCapture: {capture: acmeCo/source-pg, targetSchema: fromSourceName}
    endpoint: {local: {command: [x], config: {}}}
    bindings: []
    shards: {logLevel: warn}
"#,
            json!({"materializations": {
                "acmeCo/m1": {
                    "source": "acmeCo/source-pg",
                    "endpoint": {"connector": {"image": "ghcr.io/estuary/materialize-postgres:v1", "config": {}}},
                    "bindings": [{
                        "resource": {"table": "orders"},
                        "source": "acmeCo/orders",
                        "disable": true,
                        "priority": 1,
                        "fields": {"groupBy": ["id"], "require": {"id": {}}, "exclude": ["secret"], "recommended": 2},
                        "backfill": 1,
                        "onIncompatibleSchemaChange": "disableBinding",
                    }],
                },
                "acmeCo/m2": {
                    "source": {"capture": "acmeCo/source-pg", "targetNaming": "withSchema", "deltaUpdates": true, "fieldsRecommended": false},
                    "onIncompatibleSchemaChange": "abort",
                    "endpoint": {"connector": {"image": "ghcr.io/estuary/materialize-s3:v1", "config": {}}},
                    "bindings": [{
                        "resource": {"table": "t"},
                        "source": {"name": "acmeCo/orders", "partitions": {"include": {"region": ["EU"]}}},
                        "fields": {"require": {"a": {}}, "recommended": true},
                    }],
                },
                "acmeCo/m3": {"endpoint": {"dekaf": {"variant": "clickhouse", "config": {"token": "x"}}}, "bindings": []},
                "acmeCo/m4": {
                    "source": {"capture": "acmeCo/source-pg", "targetNaming": "withSchema"},
                    "endpoint": {"local": {"command": ["x"], "config": {}}},
                    "bindings": [],
                    "shards": {"logLevel": "warn"},
                },
            }}),
        ),
        (
            "tests: the object form and the bare array of steps; verify of a collection with partitions",
            r#"
tests:
  acmeCo/tests/object:
    description: a test
    steps:
      - ingest: {description: add, collection: acmeCo/orders, documents: [{id: "1"}]}
      - verify:
          collection: {name: acmeCo/totals, partitions: {include: {region: [EU]}}}
          documents: [{id: "1"}]
    expectPubId: "0011223344556677"
  acmeCo/tests/bare:
    - ingest: {collection: acmeCo/orders, documents: [{id: "2"}]}
    - verify: {collection: acmeCo/totals, documents: []}
"#,
            json!({"tests": {
                "acmeCo/tests/bare": {"steps": [
                    {"ingest": {"collection": "acmeCo/orders", "documents": [{"id": "2"}]}},
                    {"verify": {"collection": "acmeCo/totals", "documents": []}},
                ]},
                "acmeCo/tests/object": {
                    "description": "a test",
                    "steps": [
                        {"ingest": {"description": "add", "collection": "acmeCo/orders", "documents": [{"id": "1"}]}},
                        {"verify": {"collection": {"name": "acmeCo/totals", "partitions": {"include": {"region": ["EU"]}}}, "documents": [{"id": "1"}]}},
                    ],
                    "expectPubId": "0011223344556677",
                },
            }}),
        ),
        (
            "an empty file is an empty catalog",
            "",
            json!({}),
        ),
        (
            "null sections are empty; $schema, an editor hint, is dropped",
            "$schema: https://example.com/flow.schema.json\nimport:\ncaptures:\ncollections:\nmaterializations:\ntests:\n",
            json!({}),
        ),
        (
            "JSON text in a .yaml file",
            r#"{"collections": {"acmeCo/x": {"schema": {"type": "object"}, "key": ["/id"]}}}"#,
            json!({"collections": {"acmeCo/x": {"schema": {"type": "object"}, "key": ["/id"]}}}),
        ),
    ];

    for (what, yaml, expected) in cases {
        let catalog = load_yaml(yaml).unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_eq!(to_json(&catalog), expected, "{what}");
    }
}

#[test]
fn key_order_of_opaque_values_is_kept() {
    let catalog = load_yaml(
        r#"
captures:
  acmeCo/c:
    endpoint: {connector: {image: x, config: {zeta: 1, alpha: {y: 1, b: 2}, mid: [3, {z: 1, a: 2}]}}}
    bindings: [{resource: {stream: s, namespace: n}, target: acmeCo/x}]
collections:
  acmeCo/x:
    schema: {type: object, required: [z, a], properties: {z: {type: string}, a: {type: string}}}
    key: [/z]
"#,
    )
    .unwrap();
    let text = serde_json::to_string(&catalog).unwrap();
    assert!(
        text.contains(r#""config":{"zeta":1,"alpha":{"y":1,"b":2},"mid":[3,{"z":1,"a":2}]}"#),
        "{text}"
    );
    assert!(
        text.contains(r#""resource":{"stream":"s","namespace":"n"}"#),
        "{text}"
    );
    assert!(text.contains(r#""schema":{"type":"object","required":["z","a"],"properties":{"z":{"type":"string"},"a":{"type":"string"}}}"#), "{text}");
}

#[test]
fn origins_of_a_single_file() {
    let catalog = load_yaml(
        r#"
captures: {acmeCo/c: {endpoint: {connector: {image: x, config: {}}}, bindings: []}}
collections: {acmeCo/x: {schema: {type: object}, key: [/id]}}
materializations: {acmeCo/m: {endpoint: {connector: {image: x, config: {}}}, bindings: []}}
tests: {acmeCo/t: []}
"#,
    )
    .unwrap();
    let scopes: Vec<(crate::Kind, String, String)> = catalog
        .origins
        .specs
        .iter()
        .map(|((kind, name), scope)| (*kind, name.clone(), scope.to_string()))
        .collect();
    use crate::Kind::*;
    assert_eq!(
        scopes,
        vec![
            (
                Capture,
                "acmeCo/c".into(),
                "file:///p/flow.yaml#/captures/acmeCo~1c".into()
            ),
            (
                Collection,
                "acmeCo/x".into(),
                "file:///p/flow.yaml#/collections/acmeCo~1x".into()
            ),
            (
                Materialization,
                "acmeCo/m".into(),
                "file:///p/flow.yaml#/materializations/acmeCo~1m".into()
            ),
            (
                Test,
                "acmeCo/t".into(),
                "file:///p/flow.yaml#/tests/acmeCo~1t".into()
            ),
        ]
    );
    assert_eq!(catalog.origins.base.as_deref(), Some("file:///p/flow.yaml"));
    assert!(catalog.origins.imports.is_empty());
}
