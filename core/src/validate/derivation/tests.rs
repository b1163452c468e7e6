use serde_json::{json, Value};

use crate::validate::testing::{check, collection, Expect};

const D: &str = "flow://catalog#/collections/acmeCo~1derived/derive";

/// Source collections: `orders` keyed by a string customer id, `customers`
/// by an integer one, and `regions` partitioned by region.
fn sources() -> Value {
    json!({
        "acmeCo/orders": collection(json!({"customer_id": {"type": "string"}, "total": {"type": "integer"}})),
        "acmeCo/customers": {
            "schema": {"type": "object", "properties": {"customer_id": {"type": "integer"}, "tags": {"type": "array"}}, "required": ["customer_id"]},
            "key": ["/customer_id"],
        },
        "acmeCo/regions": {
            "schema": {"type": "object", "properties": {"id": {"type": "string"}, "region": {"type": "string"}, "n": {"type": "integer"}}, "required": ["id", "region"]},
            "key": ["/id"],
            "projections": {"region": {"location": "/region", "partition": true}, "n": "/n"},
        },
    })
}

fn derived(transforms: Value, extra: Value) -> Value {
    let mut collections = sources();
    let mut derive = json!({"using": {"sqlite": {}}, "transforms": transforms});
    for (k, v) in extra.as_object().into_iter().flatten() {
        derive[k] = v.clone();
    }
    let mut def = collection(json!({}));
    def["derive"] = derive;
    collections["acmeCo/derived"] = def;
    json!({"collections": collections})
}

fn t(name: &str, source: Value, shuffle: Value) -> Value {
    json!({"name": name, "source": source, "shuffle": shuffle, "lambda": "select 1;"})
}

#[test]
fn valid_derivations() {
    check(
        derived(
            json!([
                t("fromOrders", json!("acmeCo/orders"), json!({"key": ["/customer_id"]})),
                t("fromRegions", json!({"name": "acmeCo/regions", "partitions": {"include": {"region": ["EU", "US"]}},
                    "notBefore": "2024-01-01T00:00:00Z", "notAfter": "2024-02-01T00:00:00Z"}), json!({"key": ["/id"]})),
                t("anything", json!("acmeCo/orders"), json!("any")),
                // A disabled transform may read a missing collection.
                {"name": "old", "source": "acmeCo/gone", "shuffle": "any", "disable": true},
            ]),
            json!({}),
        ),
        &[],
    );
    check(
        derived(
            json!([t(
                "fromOrders",
                json!("acmeCo/orders"),
                json!({"lambda": "select $customer_id;"})
            )]),
            json!({"shuffleKeyTypes": ["string"]}),
        ),
        &[],
    );
}

#[test]
fn transform_problems() {
    let at = |i: usize| format!("{D}/transforms/{i}");
    check(
        derived(
            json!([
                t("fromOrders", json!("acmeCo/orders"), json!("any")),
                t("FromOrders", json!("acmeCo/orders"), json!("any")),
            ]),
            json!({}),
        ),
        &[Expect::error(
            &at(1),
            "transform_duplicate",
            &format!(
                "collection acmeCo/derived: transform FromOrders collides with transform fromOrders, defined at {}",
                at(0)
            ),
        )],
    );
    check(
        derived(json!([t("fromOrders", json!("acmeCo/order"), json!("any"))]), json!({})),
        &[Expect::error(
            &format!("{}/source", at(0)),
            "reference_undefined",
            "collection acmeCo/derived: collection acmeCo/order, referenced by transform fromOrders, is not defined; did you mean acmeCo/orders defined at flow://catalog#/collections/acmeCo~1orders ?",
        )],
    );
    check(
        derived(
            json!([t("fromX", json!({"name": "otherCo/x"}), json!("any"))]),
            json!({}),
        ),
        &[Expect::error(
            &format!("{}/source/name", at(0)),
            "reference_undefined",
            "collection acmeCo/derived: collection otherCo/x, referenced by transform fromX, is not defined",
        )],
    );
    check(
        derived(
            json!([t(
                "fromOrders",
                json!({"name": "acmeCo/orders", "notBefore": "2024-02-01T00:00:00Z", "notAfter": "2024-01-01T00:00:00Z"}),
                json!("any")
            )]),
            json!({}),
        ),
        &[Expect::error(
            &format!("{}/source", at(0)),
            "source_time_order",
            "collection acmeCo/derived: a `notBefore` constraint must happen before `notAfter`",
        )],
    );
    check(
        derived(json!([{"name": "fromOrders", "source": "acmeCo/orders"}]), json!({})),
        &[Expect::error(
            &at(0),
            "shuffle_missing",
            "collection acmeCo/derived: transform fromOrders is missing `shuffle`, which is now a required field (https://go.estuary.dev/LK19Py). If you're unsure of what shuffle to use, try `shuffle: any`",
        )],
    );
    check(
        derived(
            json!([t("fromOrders", json!("acmeCo/orders"), json!({"key": []}))]),
            json!({}),
        ),
        &[Expect::error(
            &format!("{}/shuffle/key", at(0)),
            "shuffle_key_empty",
            "collection acmeCo/derived: transform fromOrders shuffle key cannot be empty",
        )],
    );
    check(
        derived(json!([t("fromCustomers", json!("acmeCo/customers"), json!({"key": ["/tags"]}))]), json!({})),
        &[Expect::error(
            &format!("{}/shuffle/key/0", at(0)),
            "key_wrong_type",
            "collection acmeCo/derived: location /tags accepts [\"array\"] in schema flow://catalog#/collections/acmeCo~1customers/schema, but locations used as keys may only be one of boolean, integer, number or string, optionally null",
        )],
    );
    check(
        derived(json!([t("fromCustomers", json!("acmeCo/customers"), json!({"key": ["/nope"]}))]), json!({})),
        &[Expect::error(
            &format!("{}/shuffle/key/0", at(0)),
            "key_unknown",
            "collection acmeCo/derived: location /nope is unknown in schema flow://catalog#/collections/acmeCo~1customers/schema",
        )],
    );
}

#[test]
fn shuffle_key_types() {
    let at = |i: usize| format!("{D}/transforms/{i}/shuffle");
    check(
        derived(
            json!([
                t("fromOrders", json!("acmeCo/orders"), json!({"key": ["/customer_id"]})),
                t("fromCustomers", json!("acmeCo/customers"), json!({"key": ["/customer_id"]})),
            ]),
            json!({}),
        ),
        &[Expect::error(
            &at(1),
            "shuffle_key_mismatch",
            "collection acmeCo/derived: transform fromCustomers shuffled key types [\"integer\"] don't align with transform fromOrders types [\"string\"]",
        )],
    );
    check(
        derived(
            json!([
                t("fromOrders", json!("acmeCo/orders"), json!({"key": ["/customer_id"]})),
                t("fromCustomers", json!("acmeCo/customers"), json!({"lambda": "select 1;"})),
            ]),
            json!({"shuffleKeyTypes": ["integer"]}),
        ),
        &[Expect::error(
            &at(0),
            "shuffle_key_explicit_mismatch",
            "collection acmeCo/derived: transform fromOrders shuffled key types [\"string\"] don't align with declared shuffle key types [\"integer\"]",
        )],
    );
    check(
        derived(
            json!([
                t("fromOrders", json!("acmeCo/orders"), json!("any")),
                t("fromCustomers", json!("acmeCo/customers"), json!({"lambda": "select 1;"})),
            ]),
            json!({}),
        ),
        &[Expect::error(
            D,
            "shuffle_key_cannot_infer",
            "collection acmeCo/derived: cannot infer shuffle key types because all transforms use a computed `lambda` or `any`; Flow must know the key types that your computed shuffle lambda will output, so add an explicit `shuffleKeyTypes` to this derivation",
        )],
    );
}

#[test]
fn partition_selectors() {
    let at = format!("{D}/transforms/0/source/partitions");
    let with = |partitions: Value| {
        derived(
            json!([t(
                "fromRegions",
                json!({"name": "acmeCo/regions", "partitions": partitions}),
                json!("any")
            )]),
            json!({}),
        )
    };
    check(
        with(json!({"include": {"nope": ["EU"]}})),
        &[Expect::error(
            &format!("{at}/include/nope"),
            "partition_unknown",
            "collection acmeCo/derived: include projection nope does not exist in collection acmeCo/regions",
        )],
    );
    check(
        with(json!({"exclude": {"n": [1]}})),
        &[Expect::error(
            &format!("{at}/exclude/n"),
            "partition_not_partition",
            "collection acmeCo/derived: exclude projection n of collection acmeCo/regions is not a partition",
        )],
    );
    check(
        with(json!({"include": {"region": ["EU", 42, ""]}})),
        &[
            Expect::error(
                &format!("{at}/include/region/1"),
                "partition_value_type",
                "collection acmeCo/derived: include partition selector field region value 42 is incompatible with the projections type, [\"string\"]",
            ),
            Expect::error(
                &format!("{at}/include/region/2"),
                "partition_value_empty",
                "collection acmeCo/derived: include partition selector field region cannot be an empty string",
            ),
        ],
    );
}
