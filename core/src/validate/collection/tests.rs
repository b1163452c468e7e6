use serde_json::{json, Value};

use crate::validate::testing::{check, Expect};

const C: &str = "flow://catalog#/collections/acmeCo~1c";

fn one(def: Value) -> Value {
    json!({"collections": {"acmeCo/c": def}})
}

fn obj(props: Value, required: &[&str]) -> Value {
    json!({"type": "object", "properties": props, "required": required})
}

#[test]
fn schemas() {
    let good = obj(json!({"id": {"type": "string"}}), &["id"]);
    check(one(json!({"schema": good, "key": ["/id"]})), &[]);
    check(
        one(json!({"writeSchema": good, "readSchema": good, "key": ["/id"]})),
        &[],
    );

    let combination =
        "collection acmeCo/c must define either `schema` or both of `writeSchema` and `readSchema`";
    for def in [
        json!({"key": ["/id"]}),
        json!({"writeSchema": good, "key": ["/id"]}),
        json!({"readSchema": good, "key": ["/id"]}),
        json!({"schema": good, "readSchema": good, "key": ["/id"]}),
        json!({"schema": good, "writeSchema": good, "readSchema": good, "key": ["/id"]}),
    ] {
        check(
            one(def),
            &[Expect::error(C, "collection_schema_missing", combination)],
        );
    }

    check(
        one(json!({"schema": good, "key": []})),
        &[Expect::error(
            &format!("{C}/key"),
            "key_empty",
            "collection acmeCo/c key cannot be empty (https://go.estuary.dev/Zq6zVB)",
        )],
    );
    check(
        one(json!({"schema": {"type": "object", "properties": {"id": {"type": "strin"}}}, "key": ["/id"]})),
        &[Expect::error(
            &format!("{C}/schema/properties/id/type"),
            "schema_invalid",
            &format!("collection acmeCo/c: schema {C}/schema is not a valid JSON schema: \"strin\" is not valid under any of the schemas listed in the 'anyOf' keyword"),
        )],
    );
    check(
        one(json!({"schema": {"$ref": "#/$defs/missing"}, "key": ["/id"]})),
        &[Expect::error(
            &format!("{C}/schema/$ref"),
            "schema_fragment_missing",
            "collection acmeCo/c: referenced schema fragment location #/$defs/missing does not exist",
        )],
    );
    check(
        one(json!({"schema": {"type": "array"}, "key": ["/id"]})),
        &[Expect::error(
            &format!("{C}/schema"),
            "schema_not_object",
            &format!("collection acmeCo/c: collection schema {C}/schema must have type 'object' (its documents may be [\"array\"])"),
        )],
    );
    check(
        one(json!({"schema": true, "key": ["/id"]})),
        &[Expect::error(
            &format!("{C}/schema"),
            "schema_not_object",
            &format!("collection acmeCo/c: collection schema {C}/schema must have type 'object' (its documents may be [\"array\", \"boolean\", \"null\", \"number\", \"object\", \"string\"])"),
        )],
    );
    check(
        one(json!({"schema": "schemas/c.schema.yaml", "key": ["/id"]})),
        &[Expect::warning(
            &format!("{C}/schema"),
            "schema_not_loaded",
            "collection acmeCo/c: schema schemas/c.schema.yaml is a reference that was not loaded, so checks that need it were skipped (load the catalog from its files, or inline the schema)",
        )],
    );
    check(
        one(json!({"writeSchema": "w.yaml", "readSchema": {"$ref": "flow://write-schema"}, "key": ["/id"]})),
        &[Expect::warning(
            &format!("{C}/writeSchema"),
            "schema_not_loaded",
            "collection acmeCo/c: writeSchema w.yaml is a reference that was not loaded, so checks that need it were skipped (load the catalog from its files, or inline the schema)",
        )],
    );
    check(
        one(json!({"schema": {"type": "object", "properties": {"id": {"type": "string"}, "n": {"type": "integer", "reduce": {"strategy": "summ"}}}, "required": ["id"]}, "key": ["/id"]})),
        &[Expect::error(
            &format!("{C}/schema/properties/n/reduce/strategy"),
            "schema_reduce_invalid",
            "collection acmeCo/c: unknown reduction strategy \"summ\" (expected one of append, firstWriteWins, jsonSchemaMerge, lastWriteWins, maximize, merge, minimize, set, sum)",
        )],
    );
    // A broken write schema is reported once, not again through the read schema.
    check(
        one(json!({"writeSchema": {"type": "objekt"}, "readSchema": {"$ref": "flow://write-schema"}, "key": ["/id"]})),
        &[Expect::error(
            &format!("{C}/writeSchema/type"),
            "schema_invalid",
            &format!("collection acmeCo/c: schema {C}/writeSchema is not a valid JSON schema: \"objekt\" is not valid under any of the schemas listed in the 'anyOf' keyword"),
        )],
    );
    // Read schemas may build on the write schema.
    check(
        one(json!({
            "writeSchema": good,
            "readSchema": {"allOf": [{"$ref": "flow://relaxed-write-schema"}, {"$ref": "flow://inferred-schema"}]},
            "key": ["/id"],
        })),
        &[],
    );
    // A bundled schema with embedded resources.
    check(
        one(json!({
            "schema": {
                "$defs": {"https://acme.test/c.json": {"$id": "https://acme.test/c.json", "type": "object",
                    "properties": {"id": {"type": "integer"}}, "required": ["id"]}},
                "$ref": "https://acme.test/c.json",
            },
            "key": ["/id"],
        })),
        &[],
    );
}

#[test]
fn keys() {
    let schema = json!({
        "type": "object",
        "reduce": {"strategy": "merge"},
        "properties": {
            "id": {"type": "string"},
            "n": {"type": ["integer", "null"]},
            "f": {"type": "number"},
            "obj": {"type": "object"},
            "multi": {"type": ["string", "integer"]},
            "summed": {"type": "integer", "reduce": {"strategy": "sum"}},
            "lww": {"type": "integer", "reduce": {"strategy": "lastWriteWins"}},
            "never": false,
            "closed": {"type": "object", "properties": {"a": {"type": "string"}}, "additionalProperties": false, "required": ["a"]},
        },
        "required": ["id", "n", "f", "obj", "multi", "summed", "lww", "closed"],
    });
    let key = |ptr: &str| one(json!({"schema": schema, "key": [ptr]}));
    let at = format!("{C}/key/0");
    let url = format!("{C}/schema");
    for ok in ["/id", "/n", "/f", "/lww", "/closed/a"] {
        check(key(ok), &[]);
    }
    check(
        key("/nope"),
        &[Expect::error(
            &at,
            "key_unknown",
            &format!("collection acmeCo/c: location /nope is unknown in schema {url}"),
        )],
    );
    check(
        key("/never"),
        &[Expect::error(
            &at,
            "key_prohibited",
            &format!("collection acmeCo/c: location /never is prohibited from ever existing by the schema {url}"),
        )],
    );
    check(
        key("/closed/b"),
        &[Expect::error(
            &at,
            "key_prohibited",
            &format!("collection acmeCo/c: location /closed/b is prohibited from ever existing by the schema {url}"),
        )],
    );
    check(
        key("/obj"),
        &[Expect::error(&at, "key_wrong_type", &format!("collection acmeCo/c: location /obj accepts [\"object\"] in schema {url}, but locations used as keys may only be one of boolean, integer, number or string, optionally null"))],
    );
    check(
        key("/multi"),
        &[Expect::error(&at, "key_wrong_type", &format!("collection acmeCo/c: location /multi accepts [\"integer\", \"string\"] in schema {url}, but locations used as keys may only be one of boolean, integer, number or string, optionally null"))],
    );
    check(
        key("/summed"),
        &[Expect::error(&at, "key_has_reduction", &format!("collection acmeCo/c: location /summed has reduction strategy sum in schema {url}, which is disallowed because the location is used as a key (only lastWriteWins is allowed)"))],
    );

    // Not required: a warning.
    check(
        one(json!({"schema": obj(json!({"id": {"type": "string"}}), &[]), "key": ["/id"]})),
        &[Expect::warning(&at, "key_not_required", &format!("collection acmeCo/c: keyed location /id is not required to exist by schema {url}, so documents may omit it (list it under `required`)"))],
    );

    // Read and write schemas.
    let w = format!("{C}/writeSchema");
    let r = format!("{C}/readSchema");
    check(
        one(json!({
            "writeSchema": obj(json!({"id": {"type": ["integer", "null"]}}), &["id"]),
            "readSchema": obj(json!({"id": {"type": "integer"}}), &["id"]),
            "key": ["/id"],
        })),
        &[],
    );
    check(
        one(json!({
            "writeSchema": obj(json!({"id": {"type": "string"}}), &["id"]),
            "readSchema": obj(json!({"id": {"type": "integer"}}), &["id"]),
            "key": ["/id"],
        })),
        &[Expect::error(&at, "key_read_write_types_differ", &format!("collection acmeCo/c: location /id is [\"integer\"] in readSchema {r}, but [\"string\"] in writeSchema {w}; types of keyed locations must be the same in read and write schemas"))],
    );
    check(
        one(json!({
            "writeSchema": obj(json!({}), &[]),
            "readSchema": obj(json!({"id": {"type": "integer"}}), &["id"]),
            "key": ["/id"],
        })),
        &[Expect::error(
            &at,
            "key_unknown",
            &format!("collection acmeCo/c: location /id is unknown in schema {w}"),
        )],
    );
}

#[test]
fn projections() {
    let schema = obj(
        json!({
            "id": {"type": "string"},
            "region": {"type": "string"},
            "size": {"type": "integer"},
            "tags": {"type": "array"},
            "maybe": {"type": ["string", "null"]},
            "nested": {"type": "object", "properties": {"x": {"type": "integer"}}},
        }),
        &["id", "region", "size", "tags", "maybe"],
    );
    let with = |projections: Value| {
        one(json!({"schema": schema, "key": ["/id"], "projections": projections}))
    };
    let p = format!("{C}/projections");
    check(
        with(json!({
            "Region": {"location": "/region", "partition": true},
            "the size": "/size",
            "doc": "",
            "published": "/_meta/uuid/date-time",
            "x": "/nested/x",
            "maybe": {"location": "/maybe", "partition": true},
        })),
        &[],
    );
    check(
        with(json!({"Region": "/region", "region": "/region"})),
        &[Expect::error(
            &format!("{p}/Region"),
            "projection_duplicate",
            &format!("collection acmeCo/c: projection Region collides with projection region, defined at {p}/region"),
        )],
    );
    check(
        with(json!({"the region": {"location": "/region", "partition": true}})),
        &[Expect::error(
            &format!("{p}/the region"),
            "projection_partition_name",
            "collection acmeCo/c: the region cannot be used as name for partition (\" region\" is invalid)",
        )],
    );
    check(
        with(json!({"missing": "/missing"})),
        &[Expect::error(
            &format!("{p}/missing"),
            "projection_unknown",
            &format!("collection acmeCo/c: location /missing is unknown in schema {C}/schema"),
        )],
    );
    // A partition names the journal of each document, so every document
    // must have it.
    check(
        with(json!({"x": {"location": "/nested/x", "partition": true}})),
        &[Expect::error(
            &format!("{p}/x"),
            "partition_not_required",
            &format!("collection acmeCo/c: partitioned location /nested/x (projection x of collection acmeCo/c) must be required to exist by schema {C}/schema; list it under `required`"),
        )],
    );
    check(
        one(json!({
            "writeSchema": obj(json!({"id": {"type": "string"}, "region": {"type": "string"}}), &["id"]),
            "readSchema": obj(json!({"id": {"type": "string"}, "region": {"type": "string"}}), &["id", "region"]),
            "key": ["/id"],
            "projections": {"region": {"location": "/region", "partition": true}},
        })),
        &[Expect::error(
            &format!("{p}/region"),
            "partition_not_required",
            &format!("collection acmeCo/c: partitioned location /region (projection region of collection acmeCo/c) must be required to exist by schema {C}/writeSchema; list it under `required`"),
        )],
    );
    check(
        with(json!({"tags": {"location": "/tags", "partition": true}})),
        &[Expect::error(
            &format!("{p}/tags"),
            "key_wrong_type",
            &format!("collection acmeCo/c: location /tags accepts [\"array\"] in schema {C}/schema, but locations used as keys may only be one of boolean, integer, number or string, optionally null"),
        )],
    );
    check(
        with(json!({"size": "/region"})),
        &[Expect::error(
            &format!("{p}/size"),
            "projection_remaps_canonical",
            "collection acmeCo/c: projection size is the canonical field name of location \"/size\", and cannot re-map it to \"/region\"",
        )],
    );
    check(
        with(json!({"id": "/region"})),
        &[Expect::error(
            &format!("{p}/id"),
            "projection_remaps_canonical",
            "collection acmeCo/c: projection id is the canonical field name of location \"/id\", and cannot re-map it to \"/region\"",
        )],
    );
    check(
        with(json!({"flow_document": "/region"})),
        &[Expect::error(
            &format!("{p}/flow_document"),
            "projection_remaps_canonical",
            "collection acmeCo/c: projection flow_document is the canonical field name of location \"\", and cannot re-map it to \"/region\"",
        )],
    );
    // Partitions are walked as keys against the write schema too.
    check(
        one(json!({
            "writeSchema": obj(json!({"id": {"type": "string"}, "region": {"type": "integer"}}), &["id"]),
            "readSchema": obj(json!({"id": {"type": "string"}, "region": {"type": "string"}}), &["id"]),
            "key": ["/id"],
            "projections": {"region": {"location": "/region", "partition": true}},
        })),
        &[Expect::error(
            &format!("{p}/region"),
            "key_read_write_types_differ",
            &format!("collection acmeCo/c: location /region is [\"string\"] in readSchema {C}/readSchema, but [\"integer\"] in writeSchema {C}/writeSchema; types of keyed locations must be the same in read and write schemas"),
        )],
    );
}
