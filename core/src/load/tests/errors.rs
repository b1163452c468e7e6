//! Broken specs: every one is reported, at the scope of the bad value.

use super::{diagnostics, load_yaml, owned, Fixture};

/// What is tested, the catalog, and the expected (scope, message, code)s.
type Case = (
    &'static str,
    &'static str,
    Vec<(&'static str, &'static str, &'static str)>,
);

#[test]
fn broken_specs() {
    let cases: Vec<Case> = vec![
        (
            "unknown field in a nested struct",
            "collections:\n  acmeCo/x:\n    schema: {type: object}\n    key: [/id]\n    projections:\n      f: {nmae: /x}\n",
            vec![(
                "file:///p/flow.yaml#/collections/acmeCo~1x/projections/f/nmae",
                "collection acmeCo/x: unknown field `nmae`, expected `location` or `partition`",
                "invalid_spec",
            )],
        ),
        (
            "unknown field of a spec",
            "collections:\n  acmeCo/x:\n    schema: {type: object}\n    key: [/id]\n    derivation: {}\n",
            vec![(
                "file:///p/flow.yaml#/collections/acmeCo~1x/derivation",
                "collection acmeCo/x: unknown field `derivation`, expected one of `schema`, `writeSchema`, `readSchema`, `key`, `projections`, `journals`, `derive`, `expectPubId`, `delete`",
                "invalid_spec",
            )],
        ),
        (
            "unknown field in a capture binding",
            "captures:\n  acmeCo/c:\n    endpoint: {connector: {image: x, config: {}}}\n    bindings: [{resource: {}, target: acmeCo/x, extra: 1}]\n",
            vec![(
                "file:///p/flow.yaml#/captures/acmeCo~1c/bindings/0/extra",
                "capture acmeCo/c: unknown field `extra`, expected one of `resource`, `target`, `disable`, `backfill`",
                "invalid_spec",
            )],
        ),
        (
            "unknown endpoint",
            "materializations:\n  acmeCo/m:\n    endpoint: {conector: {image: x, config: {}}}\n    bindings: []\n",
            vec![(
                "file:///p/flow.yaml#/materializations/acmeCo~1m/endpoint",
                "materialization acmeCo/m: unknown variant `conector`, expected one of `connector`, `flowSink`, `local`, `dekaf`",
                "invalid_spec",
            )],
        ),
        (
            "unknown field in a bare-array test step",
            "tests:\n  acmeCo/t:\n    - ingest: {collection: acmeCo/x, documents: [], extra: 1}\n",
            vec![(
                "file:///p/flow.yaml#/tests/acmeCo~1t/0/ingest/extra",
                "test acmeCo/t: unknown field `extra`, expected one of `description`, `collection`, `documents`",
                "invalid_spec",
            )],
        ),
        (
            "the legacy sibling `partitions` of a verify step",
            "tests:\n  acmeCo/t:\n    steps:\n      - verify: {collection: acmeCo/x, documents: [], partitions: {}}\n",
            vec![(
                "file:///p/flow.yaml#/tests/acmeCo~1t/steps/0/verify/partitions",
                "test acmeCo/t: unknown field `partitions`, expected one of `description`, `collection`, `documents`",
                "invalid_spec",
            )],
        ),
        (
            "missing field",
            "collections:\n  acmeCo/x:\n    schema: {type: object}\n",
            vec![(
                "file:///p/flow.yaml#/collections/acmeCo~1x",
                "collection acmeCo/x: missing field `key`",
                "invalid_spec",
            )],
        ),
        (
            "wrong type",
            "collections:\n  acmeCo/x:\n    schema: {type: object}\n    key: /id\n",
            vec![(
                "file:///p/flow.yaml#/collections/acmeCo~1x/key",
                "collection acmeCo/x: invalid type: string \"/id\", expected a sequence",
                "invalid_spec",
            )],
        ),
        (
            "invalid JSON pointer",
            "collections:\n  acmeCo/x:\n    schema: {type: object}\n    key: [/id, id]\n",
            vec![(
                "file:///p/flow.yaml#/collections/acmeCo~1x/key/1",
                "collection acmeCo/x: \"id\" is not a valid JSON pointer (missing leading '/' slash)",
                "invalid_name",
            )],
        ),
        (
            "invalid duration",
            "captures:\n  acmeCo/c:\n    endpoint: {connector: {image: x, config: {}}}\n    bindings: []\n    interval: 5 minutes\n",
            vec![(
                "file:///p/flow.yaml#/captures/acmeCo~1c/interval",
                "capture acmeCo/c: \"5 minutes\" is not a valid duration (expected a number and a unit, like `30s`, `5m`, `48h` or `1d`)",
                "invalid_spec",
            )],
        ),
        (
            "invalid collection name in a reference",
            "materializations:\n  acmeCo/m:\n    endpoint: {connector: {image: x, config: {}}}\n    bindings: [{resource: {}, source: {name: orders}}]\n",
            vec![(
                "file:///p/flow.yaml#/materializations/acmeCo~1m/bindings/0/source/name",
                "materialization acmeCo/m: orders cannot be used as name for collection (it needs at least two `/`-separated parts, a tenant prefix and a name, like acmeCo/orders)",
                "invalid_name",
            )],
        ),
        (
            "invalid spec name",
            "collections:\n  acmeCo/my collection:\n    schema: {type: object}\n    key: [/id]\n",
            vec![(
                "file:///p/flow.yaml#/collections/acmeCo~1my collection",
                "acmeCo/my collection cannot be used as name for collection (\" collection\" is invalid)",
                "invalid_name",
            )],
        ),
        (
            "invalid name and invalid spec are both reported",
            "tests:\n  tests:\n    steps: 1\n",
            vec![
                (
                    "file:///p/flow.yaml#/tests/tests",
                    "tests cannot be used as name for test (it needs at least two `/`-separated parts, a tenant prefix and a name, like acmeCo/tests)",
                    "invalid_name",
                ),
                (
                    "file:///p/flow.yaml#/tests/tests/steps",
                    "test tests: invalid type: integer `1`, expected a sequence",
                    "invalid_spec",
                ),
            ],
        ),
        (
            "unknown top-level keys, including legacy ones",
            "colections: {}\nstorageMappings: {}\n",
            vec![
                (
                    "file:///p/flow.yaml#/colections",
                    "unknown field `colections`, expected one of `$schema`, `import`, `captures`, `collections`, `materializations`, `tests`",
                    "invalid_spec",
                ),
                (
                    "file:///p/flow.yaml#/storageMappings",
                    "unknown field `storageMappings`, expected one of `$schema`, `import`, `captures`, `collections`, `materializations`, `tests`",
                    "invalid_spec",
                ),
            ],
        ),
        (
            "sections of the wrong type",
            "collections: [a]\nimport: {a: b}\n$schema: 1\n",
            vec![
                (
                    "file:///p/flow.yaml#/collections",
                    "invalid type: an array, expected a map of collection names to their specs",
                    "invalid_spec",
                ),
                ("file:///p/flow.yaml#/import", "invalid type: an object, expected an array of file URLs", "invalid_spec"),
                ("file:///p/flow.yaml#/$schema", "invalid type: a number, expected a string", "invalid_spec"),
            ],
        ),
        (
            "every broken spec is reported, and the good ones are not",
            r#"
collections:
  acmeCo/a: {schema: {type: object}, key: [/id], projections: {f: {location: id}}}
  acmeCo/b: {schema: {type: object}, key: [/id]}
  acmeCo/c: {schema: {type: object}, key: [/id], journals: {fragments: {compressionCodec: LZ4}}}
captures:
  acmeCo/d: {endpoint: {connector: {image: x}}, bindings: []}
tests:
  acmeCo/e: {steps: [{ingest: {collection: acmeCo/b, documents: [1]}}]}
"#,
            vec![
                (
                    "file:///p/flow.yaml#/captures/acmeCo~1d/endpoint/connector",
                    "capture acmeCo/d: missing field `config`",
                    "invalid_spec",
                ),
                (
                    "file:///p/flow.yaml#/collections/acmeCo~1a/projections/f/location",
                    "collection acmeCo/a: \"id\" is not a valid JSON pointer (missing leading '/' slash)",
                    "invalid_name",
                ),
                (
                    "file:///p/flow.yaml#/collections/acmeCo~1c/journals/fragments/compressionCodec",
                    "collection acmeCo/c: unknown variant `LZ4`, expected one of `NONE`, `GZIP`, `ZSTANDARD`, `SNAPPY`, `GZIP_OFFLOAD_DECOMPRESSION`",
                    "invalid_spec",
                ),
                (
                    "file:///p/flow.yaml#/tests/acmeCo~1e/steps/0/ingest/documents/0",
                    "test acmeCo/e: test documents must be objects, but document 0 is a number",
                    "invalid_spec",
                ),
            ],
        ),
    ];
    for (what, yaml, expected) in cases {
        let mut got = diagnostics(load_yaml(yaml));
        got.sort();
        let mut expected = owned(&expected);
        expected.sort();
        assert_eq!(got, expected, "{what}");
    }
}

#[test]
fn broken_specs_in_several_files() {
    let fx = Fixture::new(&[
        ("flow.yaml", "import: [a/flow.yaml, b.yaml]\ncollections:\n  acmeCo/x: {schema: {type: object}, key: [/id]}\n"),
        ("a/flow.yaml", "collections:\n  acmeCo/y: {schema: {type: object}, key: [id]}\n"),
        ("b.yaml", "captures:\n  acmeCo/z: {endpoint: {connector: {image: x, config: {}}}, bindings: [{target: acmeCo/x}]}\n"),
    ]);
    assert_eq!(
        fx.diagnostics(fx.load("flow.yaml")),
        owned(&[
            (
                "file:///p/a/flow.yaml#/collections/acmeCo~1y/key/0",
                "collection acmeCo/y: \"id\" is not a valid JSON pointer (missing leading '/' slash)",
                "invalid_name",
            ),
            (
                "file:///p/b.yaml#/captures/acmeCo~1z/bindings/0",
                "capture acmeCo/z: missing field `resource`",
                "invalid_spec",
            ),
        ])
    );
}

#[test]
fn the_same_name_in_two_files_collides() {
    let fx = Fixture::new(&[
        ("flow.yaml", "import: [other.yaml]\ncollections:\n  acmeCo/x: {schema: {type: object}, key: [/id]}\n"),
        (
            "other.yaml",
            "collections:\n  acmeCo/x: {schema: {type: object}, key: [/other]}\n  acmeCo/X: {schema: {type: object}, key: [/id]}\n",
        ),
    ]);
    assert_eq!(
        fx.diagnostics(fx.load("flow.yaml")),
        owned(&[(
            "file:///p/other.yaml#/collections/acmeCo~1x",
            "collection acmeCo/x collides with collection acmeCo/x, defined at file:///p/flow.yaml#/collections/acmeCo~1x",
            "name_collision",
        )])
    );
}
