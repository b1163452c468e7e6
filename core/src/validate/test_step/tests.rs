use serde_json::{json, Value};

use crate::validate::testing::{check, Expect};

const T: &str = "flow://catalog#/tests/acmeCo~1test";

fn catalog(steps: Value) -> Value {
    json!({
        "collections": {
            "acmeCo/line-items": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "id": {"type": "string"},
                        "price": {"type": "integer", "minimum": 0},
                        "at": {"type": "string", "format": "date-time"},
                        "shop": {"type": "string"},
                    },
                    "required": ["id", "price", "shop"],
                },
                "key": ["/id"],
                "projections": {"shop": {"location": "/shop", "partition": true}},
            },
            "acmeCo/split": {
                "writeSchema": {"type": "object", "properties": {"id": {"type": "integer"}}, "required": ["id"]},
                "readSchema": {"allOf": [{"$ref": "flow://write-schema"}, {"required": ["name"]}]},
                "key": ["/id"],
            },
        },
        "tests": {"acmeCo/test": steps},
    })
}

#[test]
fn valid_tests() {
    let c = catalog(json!({"description": "d", "steps": [
        {"ingest": {"collection": "acmeCo/line-items", "documents": [{"id": "1", "price": 499, "shop": "a"}, {"id": "2", "price": 650, "at": "2024-01-01T00:00:00Z", "shop": "a"}]}},
        {"verify": {"collection": "acmeCo/line-items", "documents": [{"id": "1"}, {"id": "10"}, {"id": "2"}]}},
        {"verify": {"collection": {"name": "acmeCo/line-items", "partitions": {"include": {"shop": ["a"]}}}, "documents": []}},
        {"ingest": {"collection": "acmeCo/split", "documents": [{"id": 1, "name": "x"}]}},
    ]}));
    check(c, &[]);
}

#[test]
fn step_problems() {
    check(
        catalog(json!([
            {"ingest": {"collection": "acmeCo/line-item", "documents": []}},
            {"verify": {"collection": {"name": "acmeCo/nothing-like-it"}, "documents": []}},
        ])),
        &[
            Expect::error(
                &format!("{T}/steps/0/ingest/collection"),
                "reference_undefined",
                "test acmeCo/test: collection acmeCo/line-item, referenced by this test step, is not defined; did you mean acmeCo/line-items defined at flow://catalog#/collections/acmeCo~1line-items ?",
            ),
            Expect::error(
                &format!("{T}/steps/1/verify/collection/name"),
                "reference_undefined",
                "test acmeCo/test: collection acmeCo/nothing-like-it, referenced by this test step, is not defined",
            ),
        ],
    );
    check(
        catalog(json!([
            {"ingest": {"collection": "acmeCo/line-items", "documents": [
                {"id": "1", "price": 1, "shop": "a"},
                {"id": "2", "price": -5, "shop": "a"},
                {"id": 3, "at": "yesterday", "shop": "a"},
            ]}},
        ])),
        &[
            Expect::error(
                &format!("{T}/steps/0/ingest/documents/1"),
                "test_document_invalid",
                "test acmeCo/test: document 1 ingested into collection acmeCo/line-items is invalid against its schema: -5 is less than the minimum of 0 at /price",
            ),
            Expect::error(
                &format!("{T}/steps/0/ingest/documents/2"),
                "test_document_invalid",
                "test acmeCo/test: document 2 ingested into collection acmeCo/line-items is invalid against its schema: \"price\" is a required property; 3 is not of type \"string\" at /id; \"yesterday\" is not a \"date-time\" at /at",
            ),
        ],
    );
    // Read and write schemas are both checked.
    check(
        catalog(json!([
            {"ingest": {"collection": "acmeCo/split", "documents": [{"id": 1}, {"id": "x", "name": "n"}]}},
        ])),
        &[
            Expect::error(
                &format!("{T}/steps/0/ingest/documents/0"),
                "test_document_invalid",
                "test acmeCo/test: document 0 ingested into collection acmeCo/split is invalid against its readSchema: \"name\" is a required property",
            ),
            Expect::error(
                &format!("{T}/steps/0/ingest/documents/1"),
                "test_document_invalid",
                "test acmeCo/test: document 1 ingested into collection acmeCo/split is invalid against its readSchema: \"x\" is not of type \"integer\" at /id",
            ),
            Expect::error(
                &format!("{T}/steps/0/ingest/documents/1"),
                "test_document_invalid",
                "test acmeCo/test: document 1 ingested into collection acmeCo/split is invalid against its writeSchema: \"x\" is not of type \"integer\" at /id",
            ),
        ],
    );
    check(
        catalog(json!([
            {"verify": {"collection": "acmeCo/line-items", "documents": [{"id": "2"}, {"id": "1"}, {"id": "3"}, {"id": 3}]}},
        ])),
        &[
            Expect::error(
                &format!("{T}/steps/0/verify/documents/1"),
                "test_verify_order",
                "test acmeCo/test: documents to verify are not in collection key order",
            ),
            Expect::error(
                &format!("{T}/steps/0/verify/documents/3"),
                "test_verify_order",
                "test acmeCo/test: documents to verify are not in collection key order",
            ),
        ],
    );
    check(
        catalog(json!([
            {"verify": {"collection": {"name": "acmeCo/line-items", "notBefore": "2024-01-01T00:00:00Z", "notAfter": "2024-02-01T00:00:00Z",
                "partitions": {"exclude": {"price": [1]}}}, "documents": []}},
        ])),
        &[
            Expect::error(
                &format!("{T}/steps/0/verify/collection/notBefore"),
                "test_time_window",
                "test acmeCo/test: tests do not support `notBefore` and `notAfter`",
            ),
            Expect::error(
                &format!("{T}/steps/0/verify/collection/notAfter"),
                "test_time_window",
                "test acmeCo/test: tests do not support `notBefore` and `notAfter`",
            ),
            Expect::error(
                &format!("{T}/steps/0/verify/collection/partitions/exclude/price"),
                "partition_not_partition",
                "test acmeCo/test: exclude projection price of collection acmeCo/line-items is not a partition",
            ),
        ],
    );
    check(
        catalog(json!([
            {"ingest": {"collection": "acmeCo/line-items", "documents": "fixtures/items.yaml"}},
        ])),
        &[Expect::warning(
            &format!("{T}/steps/0/ingest/documents"),
            "test_documents_not_loaded",
            "test acmeCo/test: documents of this test step are a reference (fixtures/items.yaml) that was not loaded, so they were not checked",
        )],
    );
}
