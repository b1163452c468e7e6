//! Schemas: references with fragments and anchors, `$ref`s across files,
//! bundling — checked by compiling the bundles with `jsonschema`, which has
//! no way to fetch anything.

use serde_json::{json, Value};

use super::{owned, Fixture};
use crate::Catalog;

const DEFS: &str = r##"
$defs:
  order:
    type: object
    properties:
      id: {type: string}
      customer: {$ref: customer.schema.json}
      total: {$ref: "#/$defs/money"}
    required: [id, customer]
  money: {type: integer, minimum: 0}
  withAnchor:
    $anchor: Join
    type: object
    properties: {key: {type: string}}
    required: [key]
"##;

const CUSTOMER: &str = r#"{
  "type": "object",
  "properties": {"name": {"type": "string"}, "address": {"$ref": "nested/address.yaml#/$defs/address"}},
  "required": ["name"]
}"#;

// Refers back to defs.yaml: a cycle of three files.
const ADDRESS: &str = r#"
$defs:
  address:
    type: object
    properties: {city: {type: string}, floor: {$ref: "../defs.yaml#/$defs/money"}}
    required: [city]
"#;

// A root `$id` (replaced by the file URL) and a nested one.
const IDS: &str = r#"
$id: https://example.com/ignored.json
$defs:
  sub:
    $id: sub/
    $defs: {leaf: {type: boolean}}
  top: {$ref: "sub/#/$defs/leaf"}
"#;

const INLINE: &str = r##"{"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}, "n": {"$ref": "#/$defs/n"}}, "$defs": {"n": {"type": "number"}}}"##;

fn fixture() -> Fixture {
    let catalog = format!(
        r##"
collections:
  acmeCo/orders:
    schema: schemas/defs.yaml#/$defs/order
    key: [/id]
  acmeCo/joined:
    schema: schemas/defs.yaml#Join
    key: [/key]
  acmeCo/whole:
    schema: schemas/customer.schema.json
    key: [/name]
  acmeCo/ids:
    schema: schemas/nested/ids.yaml#/$defs/top
    key: [/id]
  acmeCo/split:
    writeSchema: schemas/defs.yaml#/$defs/order
    readSchema:
      allOf:
        - $ref: flow://relaxed-write-schema
        - properties:
            customer: {{$ref: schemas/customer.schema.json}}
            extra: {{$ref: "#/$defs/local"}}
      $defs:
        local: {{type: string}}
    key: [/id]
  acmeCo/inline:
    schema: {INLINE}
    key: [/id]
  acmeCo/inline-ref:
    schema:
      type: object
      properties:
        id: {{type: string}}
        total: {{$ref: "./schemas/defs.yaml#/$defs/money"}}
    key: [/id]
"##
    );
    Fixture::new(&[
        ("flow.yaml", &catalog),
        ("schemas/defs.yaml", DEFS),
        ("schemas/customer.schema.json", CUSTOMER),
        ("schemas/nested/address.yaml", ADDRESS),
        ("schemas/nested/ids.yaml", IDS),
    ])
}

/// The fixture loaded and bundled, as Estuary receives it.
fn bundled(fx: &Fixture) -> Catalog {
    fx.load("flow.yaml").unwrap().bundle().unwrap()
}

fn schema(fx: &Fixture, catalog: &Catalog, name: &str, slot: &str) -> Value {
    fx.json(catalog)["collections"][name][slot].clone()
}

fn validator(fx: &Fixture, catalog: &Catalog, name: &str) -> jsonschema::Validator {
    let schema = catalog.collections[name]
        .schema
        .as_ref()
        .unwrap()
        .to_value();
    jsonschema::draft202012::new(&schema).unwrap_or_else(|e| {
        panic!(
            "{name}: the bundle does not compile: {e}\n{}",
            fx.norm(&schema.to_string())
        )
    })
}

#[test]
fn a_fragment_of_a_file_is_bundled_with_the_files_it_refers_to() {
    let fx = fixture();
    let catalog = bundled(&fx);

    let bundle = schema(&fx, &catalog, "acmeCo/orders", "schema");
    assert_eq!(bundle["$ref"], "file:///p/schemas/defs.yaml#/$defs/order");
    let defs = bundle["$defs"].as_object().unwrap();
    assert_eq!(
        defs.keys().collect::<Vec<_>>(),
        vec![
            "file:///p/schemas/defs.yaml",
            "file:///p/schemas/customer.schema.json",
            "file:///p/schemas/nested/address.yaml",
        ]
    );
    for (url, embedded) in defs {
        assert_eq!(embedded.as_object().unwrap().keys().next().unwrap(), "$id");
        assert_eq!(&embedded["$id"], url);
    }
    // References inside the files are left as written.
    assert_eq!(
        defs["file:///p/schemas/defs.yaml"]["$defs"]["order"]["properties"],
        json!({"id": {"type": "string"}, "customer": {"$ref": "customer.schema.json"}, "total": {"$ref": "#/$defs/money"}})
    );

    let orders = validator(&fx, &catalog, "acmeCo/orders");
    let valid = json!({"id": "1", "customer": {"name": "n", "address": {"city": "c", "floor": 3}}, "total": 5});
    assert!(orders.is_valid(&valid));
    for invalid in [
        json!({"id": "1", "customer": {"name": "n"}, "total": -1}),
        json!({"id": "1", "customer": {}}),
        json!({"id": "1", "customer": {"name": "n", "address": {"city": "c", "floor": -3}}}),
        json!({"id": "1", "customer": {"name": "n", "address": {}}}),
    ] {
        assert!(!orders.is_valid(&invalid), "{invalid}");
    }
}

#[test]
fn anchors_whole_files_and_nested_ids() {
    let fx = fixture();
    let catalog = bundled(&fx);

    let joined = validator(&fx, &catalog, "acmeCo/joined");
    assert_eq!(
        schema(&fx, &catalog, "acmeCo/joined", "schema")["$ref"],
        "file:///p/schemas/defs.yaml#Join"
    );
    assert!(joined.is_valid(&json!({"key": "k"})));
    assert!(!joined.is_valid(&json!({})));

    let whole = validator(&fx, &catalog, "acmeCo/whole");
    // A whole file is the schema itself, loaded with its `$ref`s made
    // relative to the catalog file; bundled, they are absolute.
    let bundle = schema(&fx, &catalog, "acmeCo/whole", "schema");
    assert_eq!(
        bundle["properties"]["address"]["$ref"],
        "file:///p/schemas/nested/address.yaml#/$defs/address"
    );
    assert_eq!(
        bundle["$defs"]
            .as_object()
            .unwrap()
            .keys()
            .collect::<Vec<_>>(),
        [
            "file:///p/schemas/nested/address.yaml",
            "file:///p/schemas/defs.yaml",
            "file:///p/schemas/customer.schema.json",
        ]
    );
    assert!(whole.is_valid(&json!({"name": "x"})));
    assert!(!whole.is_valid(&json!({"name": 1})));

    let ids = validator(&fx, &catalog, "acmeCo/ids");
    let bundle = schema(&fx, &catalog, "acmeCo/ids", "schema");
    assert_eq!(
        bundle["$defs"]["file:///p/schemas/nested/ids.yaml"]["$id"],
        "file:///p/schemas/nested/ids.yaml"
    );
    assert!(ids.is_valid(&json!(true)));
    assert!(!ids.is_valid(&json!("x")));
}

#[test]
fn inline_schemas() {
    let fx = fixture();
    let catalog = bundled(&fx);

    // Without references to other files: exactly as written.
    let inline = catalog.collections["acmeCo/inline"]
        .schema
        .as_ref()
        .unwrap()
        .to_value();
    assert_eq!(
        inline.to_string(),
        serde_json::from_str::<Value>(INLINE).unwrap().to_string()
    );

    // With some: the files are added to its `$defs`, and its references to
    // them made absolute; `flow://` and internal references are left alone.
    let read = schema(&fx, &catalog, "acmeCo/split", "readSchema");
    assert_eq!(
        read["allOf"],
        json!([
            {"$ref": "flow://relaxed-write-schema"},
            {"properties": {"customer": {"$ref": "file:///p/schemas/customer.schema.json"}, "extra": {"$ref": "#/$defs/local"}}},
        ])
    );
    assert_eq!(
        read["$defs"]
            .as_object()
            .unwrap()
            .keys()
            .collect::<Vec<_>>(),
        vec![
            "local",
            "file:///p/schemas/customer.schema.json",
            "file:///p/schemas/nested/address.yaml",
            "file:///p/schemas/defs.yaml",
        ]
    );
    assert_eq!(
        schema(&fx, &catalog, "acmeCo/split", "writeSchema")["$ref"],
        "file:///p/schemas/defs.yaml#/$defs/order"
    );

    let inline_ref = validator(&fx, &catalog, "acmeCo/inline-ref");
    assert_eq!(
        schema(&fx, &catalog, "acmeCo/inline-ref", "schema")["properties"]["total"],
        json!({"$ref": "file:///p/schemas/defs.yaml#/$defs/money"})
    );
    assert!(inline_ref.is_valid(&json!({"id": "a", "total": 1})));
    assert!(!inline_ref.is_valid(&json!({"id": "a", "total": -1})));
}

#[test]
fn loaded_schemas_keep_their_files_and_references() {
    let fx = fixture();
    let catalog = fx.load("flow.yaml").unwrap();
    let origin = |name: &str, slot: &str| {
        catalog
            .origins
            .file(crate::Kind::Collection, name, slot)
            .map(|f| fx.norm(&f.url))
    };

    // A whole schema file is inlined as it is written (its references
    // resolve against its file), and remembered as loaded from its file.
    assert_eq!(
        schema(&fx, &catalog, "acmeCo/whole", "schema")["properties"]["address"],
        json!({"$ref": "nested/address.yaml#/$defs/address"})
    );
    assert_eq!(
        origin("acmeCo/whole", "/schema").as_deref(),
        Some("file:///p/schemas/customer.schema.json")
    );
    // A fragment of a file stays a reference, and so do the references of
    // inline schemas: nothing absolute is kept.
    assert_eq!(
        schema(&fx, &catalog, "acmeCo/orders", "schema"),
        json!("schemas/defs.yaml#/$defs/order")
    );
    assert_eq!(origin("acmeCo/orders", "/schema"), None);
    assert_eq!(
        schema(&fx, &catalog, "acmeCo/inline-ref", "schema")["properties"]["total"],
        json!({"$ref": "./schemas/defs.yaml#/$defs/money"})
    );
    assert!(!serde_json::to_string(&catalog).unwrap().contains("file://"));
    // Validation reads the files again: it finds what it finds in the bundle.
    let diagnostics = |r: crate::Result<Vec<crate::Diagnostic>>| match r {
        Ok(d) => d,
        Err(e) => e.diagnostics().to_vec(),
    };
    let found = diagnostics(catalog.validate());
    assert!(!found.is_empty());
    assert_eq!(found, diagnostics(bundled(&fx).validate()));
}

#[test]
fn bad_schema_references() {
    let fx = Fixture::new(&[
        (
            "flow.yaml",
            r##"
collections:
  acmeCo/a: {schema: "schemas/defs.yaml#/$defs/nope", key: [/id]}
  acmeCo/b: {schema: "schemas/defs.yaml#Nope", key: [/id]}
  acmeCo/c: {schema: schemas/bad.yaml, key: [/id]}
  acmeCo/d: {schema: schemas/missing.yaml, key: [/id]}
  acmeCo/e: {schema: schemas/broken.yaml, key: [/id]}
  acmeCo/f:
    schema: {properties: {a: {$ref: "schemas/defs.yaml#/$defs/gone"}, b: {$ref: "https://example.com/s.json"}}}
    key: [/id]
  acmeCo/g: {schema: "https://example.com/s.json", key: [/id]}
"##,
        ),
        ("schemas/defs.yaml", DEFS),
        (
            "schemas/bad.yaml",
            "properties:\n  a: {$ref: 'defs.yaml#/$defs/missing'}\n  b: {$ref: gone.yaml}\n  c: {$ref: 'http://example.com/s.json'}\n",
        ),
        ("schemas/broken.yaml", "type: [object\n"),
    ]);
    assert_eq!(
        fx.diagnostics(fx.load("flow.yaml")),
        owned(&[
            // defs.yaml refers to a file this fixture lacks.
            (
                "file:///p/schemas/defs.yaml#/$defs/order/properties/customer/$ref",
                "failed to read file:///p/schemas/customer.schema.json: No such file or directory (os error 2)",
                "read_failed",
            ),
            (
                "file:///p/flow.yaml#/collections/acmeCo~1a/schema",
                "referenced schema fragment location file:///p/schemas/defs.yaml#/$defs/nope does not exist",
                "schema_fragment_missing",
            ),
            (
                "file:///p/flow.yaml#/collections/acmeCo~1b/schema",
                "referenced schema fragment location file:///p/schemas/defs.yaml#Nope does not exist",
                "schema_fragment_missing",
            ),
            (
                "file:///p/schemas/bad.yaml#/properties/c/$ref",
                "cannot load http://example.com/s.json: http and https references are not supported, only local files (download it and refer to the file)",
                "invalid_reference",
            ),
            (
                "file:///p/schemas/bad.yaml#/properties/a/$ref",
                "referenced schema fragment location file:///p/schemas/defs.yaml#/$defs/missing does not exist",
                "schema_fragment_missing",
            ),
            (
                "file:///p/schemas/bad.yaml#/properties/b/$ref",
                "failed to read file:///p/schemas/gone.yaml: No such file or directory (os error 2)",
                "read_failed",
            ),
            (
                "file:///p/flow.yaml#/collections/acmeCo~1d/schema",
                "failed to read file:///p/schemas/missing.yaml: No such file or directory (os error 2)",
                "read_failed",
            ),
            (
                "file:///p/schemas/broken.yaml",
                "invalid YAML: did not find expected ',' or ']' at line 2 column 1, while parsing a flow sequence at line 1 column 7",
                "yaml_syntax",
            ),
            (
                "file:///p/flow.yaml#/collections/acmeCo~1f/schema/properties/a/$ref",
                "referenced schema fragment location file:///p/schemas/defs.yaml#/$defs/gone does not exist",
                "schema_fragment_missing",
            ),
            (
                "file:///p/flow.yaml#/collections/acmeCo~1f/schema/properties/b/$ref",
                "cannot load https://example.com/s.json: http and https references are not supported, only local files (download it and refer to the file)",
                "invalid_reference",
            ),
            (
                "file:///p/flow.yaml#/collections/acmeCo~1g/schema",
                "cannot load https://example.com/s.json: http and https references are not supported, only local files (download it and refer to the file)",
                "invalid_reference",
            ),
        ])
    );
}

#[test]
fn each_schema_file_is_read_once() {
    // A missing file referenced from many places is reported once, where
    // it is first referenced.
    let fx = Fixture::new(&[(
        "flow.yaml",
        "collections:\n  acmeCo/a: {schema: missing.yaml, key: [/id]}\n  acmeCo/b: {schema: missing.yaml#/x, key: [/id]}\n",
    )]);
    assert_eq!(
        fx.diagnostics(fx.load("flow.yaml")),
        owned(&[(
            "file:///p/flow.yaml#/collections/acmeCo~1a/schema",
            "failed to read file:///p/missing.yaml: No such file or directory (os error 2)",
            "read_failed",
        )])
    );
}
