use serde_json::{json, Value};

use crate::validate::testing::{check, collection, Expect};

const M: &str = "flow://catalog#/materializations/acmeCo~1m";

fn catalog(m: Value) -> Value {
    let mut shipments = collection(json!({
        "region": {"type": "string"},
        "weight": {"type": "number"},
        "items": {"type": "array"},
        "address": {"type": "object", "properties": {"city": {"type": "string"}}},
    }));
    shipments["schema"]["required"] = json!(["id", "region"]);
    shipments["projections"] = json!({"Region": {"location": "/region", "partition": true}});
    json!({
        "collections": {"acmeCo/shipments": shipments},
        "captures": {"acmeCo/source": {
            "endpoint": {"connector": {"image": "ghcr.io/estuary/source-postgres:dev", "config": {}}},
            "bindings": [{"resource": {"table": "shipments"}, "target": "acmeCo/shipments"}],
        }},
        "materializations": {"acmeCo/m": m},
    })
}

fn m(bindings: Value) -> Value {
    json!({"endpoint": {"connector": {"image": "ghcr.io/estuary/materialize-snowflake:dev", "config": {}}}, "bindings": bindings})
}

fn binding(fields: Value) -> Value {
    json!([{"resource": {"table": "shipments"}, "source": "acmeCo/shipments", "fields": fields}])
}

#[test]
fn valid_materializations() {
    check(
        catalog(m(
            json!([{"resource": {"table": "shipments"}, "source": "acmeCo/shipments"}]),
        )),
        &[],
    );
    check(
        catalog(m(binding(json!({
            "groupBy": ["id", "Region", "address/city", "flow_published_at"],
            "require": {"weight": {}, "flow_document": {}},
            "exclude": ["items"],
            "recommended": 1,
        })))),
        &[],
    );
    let mut with_source = m(json!([
        {"resource": {"table": "shipments"}, "source": {"name": "acmeCo/shipments", "partitions": {"include": {"Region": ["EU"]}}}},
        {"resource": {"table": "old"}, "source": "acmeCo/gone", "disable": true},
    ]));
    with_source["sourceCapture"] = json!("acmeCo/source");
    check(catalog(with_source), &[]);
}

#[test]
fn sources() {
    check(
        catalog(m(json!([{"resource": {"table": "s"}, "source": "acmeCo/shipment"}]))),
        &[Expect::error(
            &format!("{M}/bindings/0/source"),
            "reference_undefined",
            "materialization acmeCo/m: collection acmeCo/shipment, referenced by this materialization binding, is not defined; did you mean acmeCo/shipments defined at flow://catalog#/collections/acmeCo~1shipments ?",
        )],
    );
    check(
        catalog(m(
            json!([{"resource": {"table": "s"}, "source": {"name": "acmeCo/shipments",
            "notBefore": "2024-03-01T00:00:00Z", "notAfter": "2024-01-01T00:00:00Z",
            "partitions": {"include": {"region": ["EU"]}}}}]),
        )),
        &[
            Expect::error(
                &format!("{M}/bindings/0/source"),
                "source_time_order",
                "materialization acmeCo/m: a `notBefore` constraint must happen before `notAfter`",
            ),
            Expect::error(
                &format!("{M}/bindings/0/source/partitions/include/region"),
                "partition_not_partition",
                "materialization acmeCo/m: include projection region of collection acmeCo/shipments is not a partition",
            ),
        ],
    );
    let mut with_source = m(json!([]));
    with_source["source"] = json!({"capture": "acmeCo/sourc", "targetNaming": "withSchema"});
    check(
        catalog(with_source),
        &[Expect::error(
            &format!("{M}/source/capture"),
            "reference_undefined",
            "materialization acmeCo/m: capture acmeCo/sourc, referenced by materialization acmeCo/m, is not defined; did you mean acmeCo/source defined at flow://catalog#/captures/acmeCo~1source ?",
        )],
    );
    let mut with_source = m(json!([]));
    with_source["sourceCapture"] = json!("otherCo/capture");
    check(
        catalog(with_source),
        &[Expect::error(
            &format!("{M}/source"),
            "reference_undefined",
            "materialization acmeCo/m: capture otherCo/capture, referenced by materialization acmeCo/m, is not defined",
        )],
    );
    check(
        catalog(m(json!([
            {"resource": {"table": "s"}, "source": "acmeCo/shipments"},
            {"resource": {"table": "s"}, "source": "acmeCo/shipments", "backfill": 1},
        ]))),
        &[Expect::error(
            &format!("{M}/bindings/1/resource"),
            "binding_duplicate_resource",
            "materialization acmeCo/m: this materialization binding at offset 1 is bound to endpoint resource {\"table\":\"s\"}, but so is the binding at offset 0, which is not permitted (each binding must have a unique endpoint resource)",
        )],
    );
}

#[test]
fn field_selection() {
    let f = format!("{M}/bindings/0/fields");
    check(
        catalog(m(binding(json!({"groupBy": ["nope", "items", "weight", "flow_document"], "recommended": true})))),
        &[
            Expect::error(
                &format!("{f}/groupBy/0"),
                "field_unknown",
                "materialization acmeCo/m: groupBy projection nope does not exist in collection acmeCo/shipments",
            ),
            Expect::error(
                &format!("{f}/groupBy/1"),
                "group_by_wrong_type",
                "materialization acmeCo/m: groupBy field items accepts [\"array\"], but groupBy locations may only be one of boolean, integer, number or string, optionally null",
            ),
            Expect::error(
                &format!("{f}/groupBy/3"),
                "group_by_wrong_type",
                "materialization acmeCo/m: groupBy field flow_document accepts [\"object\"], but groupBy locations may only be one of boolean, integer, number or string, optionally null",
            ),
        ],
    );
    check(
        catalog(m(binding(json!({"require": {"nope": {}, "weight": {}}, "exclude": ["weight", "missing"], "recommended": false})))),
        &[
            Expect::error(
                &format!("{f}/require/nope"),
                "field_unknown",
                "materialization acmeCo/m: required projection nope does not exist in collection acmeCo/shipments",
            ),
            Expect::error(
                &format!("{f}/exclude/0"),
                "field_unsatisfiable",
                "materialization acmeCo/m field weight is not satisfiable (field is both included and excluded by selector)",
            ),
            Expect::error(
                &format!("{f}/exclude/1"),
                "field_unknown",
                "materialization acmeCo/m: exclude projection missing does not exist in collection acmeCo/shipments",
            ),
        ],
    );
    // A disabled task is not checked past its references.
    let mut disabled = m(binding(json!({"groupBy": ["nope"], "recommended": true})));
    disabled["shards"] = json!({"disable": true});
    check(catalog(disabled), &[]);
}

#[test]
fn sources_with_unloaded_schemas() {
    let mut c = catalog(m(binding(
        json!({"groupBy": ["id", "region"], "recommended": true}),
    )));
    c["collections"]["acmeCo/shipments"]["schema"] = json!("shipments.schema.yaml");
    check(
        c,
        &[Expect::warning(
            "flow://catalog#/collections/acmeCo~1shipments/schema",
            "schema_not_loaded",
            "collection acmeCo/shipments: schema shipments.schema.yaml is a reference that was not loaded, so checks that need it were skipped (load the catalog from its files, or inline the schema)",
        )],
    );
}
