use serde_json::json;

use super::*;
use crate::Catalog;

type Case = (
    Box<dyn FnOnce() -> Result<Spec>>,
    &'static str,
    &'static str,
);

#[test]
fn errors_name_the_spec_and_value() {
    let cases: Vec<Case> = vec![
        (
            Box::new(|| CollectionBuilder::new("nope").key(["/id"]).build()),
            "invalid_name",
            "nope cannot be used as name for collection (it needs at least two",
        ),
        (
            Box::new(|| CollectionBuilder::new("acmeCo/x").key(["id"]).build()),
            "invalid_name",
            "collection acmeCo/x key: \"id\" is not a valid JSON pointer (missing leading '/' slash)",
        ),
        (
            Box::new(|| {
                CaptureBuilder::new("acmeCo/c")
                    .connector("img", json!({}))
                    .binding(json!({}), "bad target")
                    .build()
            }),
            "invalid_name",
            "capture acmeCo/c binding 0 target: bad target cannot be used as name for collection",
        ),
        (
            Box::new(|| CaptureBuilder::new("acmeCo/c").build()),
            "invalid_spec",
            "capture acmeCo/c: no endpoint is given: call .connector(image, config) or .local(...)",
        ),
        (
            Box::new(|| CaptureBuilder::new("acmeCo/c").connector("i", json!({})).interval("5 min").build()),
            "invalid_spec",
            "capture acmeCo/c interval: \"5 min\" is not a valid duration",
        ),
        (
            Box::new(|| {
                CollectionBuilder::new("acmeCo/d")
                    .key(["/id"])
                    .derive(DerivationBuilder::sqlite(Vec::<String>::new()).transform(
                        TransformBuilder::new("from x", "acmeCo/src").shuffle_any(),
                    ))
                    .build()
            }),
            "invalid_name",
            "collection acmeCo/d derivation: from x cannot be used as name for transform",
        ),
        (
            Box::new(|| {
                MaterializationBuilder::new("acmeCo/m")
                    .connector("i", json!({}))
                    .binding(json!({}), "x")
                    .build()
            }),
            "invalid_name",
            "materialization acmeCo/m binding 0 source: x cannot be used",
        ),
        (
            Box::new(|| TestBuilder::new("acmeCo/t").ingest("nope", [json!({})]).build()),
            "invalid_name",
            "test acmeCo/t step 0 collection: nope cannot be used",
        ),
    ];
    for (build, code, want) in cases {
        let err = build().unwrap_err();
        assert_eq!(err.code(), code, "{err}");
        assert!(err.to_string().starts_with(want), "{err} !~ {want}");
        if let Error::Name(name) = &err {
            // Typed: the entity and value, not only a message.
            assert!(want.contains(&name.value), "{name:?}");
        }
    }
}

#[test]
fn builds_the_same_specs_as_yaml_describes() {
    let mut catalog = Catalog::default();
    catalog
        .add(
            CollectionBuilder::new("acmeCo/orders")
                .write_schema(json!({"type": "object"}))
                .read_schema(json!({"$ref": "flow://write-schema"}))
                .key(["/id"])
                .partition("region", "/region")
                .projection("total", "/amounts/total"),
        )
        .unwrap()
        .add(
            CollectionBuilder::new("acmeCo/derived")
                .schema(json!({"type": "object"}))
                .key(["/k"])
                .derive(
                    DerivationBuilder::sqlite(["CREATE TABLE t (k TEXT);"]).transform(
                        TransformBuilder::new("fromOrders", "acmeCo/orders")
                            .shuffle_key(["/id"])
                            .lambda("SELECT $id AS k;")
                            .not_before("2024-01-01T00:00:00Z")
                            .read_delay("1h")
                            .priority(2),
                    ),
                ),
        )
        .unwrap();
    let want: Catalog = serde_json::from_value(json!({
        "collections": {
            "acmeCo/orders": {
                "writeSchema": {"type": "object"},
                "readSchema": {"$ref": "flow://write-schema"},
                "key": ["/id"],
                "projections": {"region": {"location": "/region", "partition": true}, "total": "/amounts/total"}
            },
            "acmeCo/derived": {
                "schema": {"type": "object"},
                "key": ["/k"],
                "derive": {
                    "using": {"sqlite": {"migrations": ["CREATE TABLE t (k TEXT);"]}},
                    "transforms": [{
                        "name": "fromOrders",
                        "source": {"name": "acmeCo/orders", "notBefore": "2024-01-01T00:00:00Z"},
                        "shuffle": {"key": ["/id"]},
                        "priority": 2,
                        "readDelay": "1h",
                        "lambda": "SELECT $id AS k;"
                    }]
                }
            }
        }
    }))
    .unwrap();
    assert_eq!(catalog, want);
    let err = catalog
        .add(
            CollectionBuilder::new("acmeCo/orders")
                .schema(json!({"type": "object"}))
                .key(["/id"]),
        )
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "collection acmeCo/orders is already defined"
    );
}
