use serde_json::json;

use super::*;

fn at(schema: serde_json::Value, ptr: &str) -> (Types, Exists) {
    let shape = Shape::infer(&schema);
    let (s, e) = shape.locate(ptr);
    (s.types, e)
}

#[test]
fn keywords() {
    use Exists::*;
    let s = Types::STRING;
    let cases: Vec<(serde_json::Value, &str, (Types, Exists))> = vec![
        // type, and arrays of types.
        (json!({"type": "string"}), "", (s, Must)),
        (
            json!({"type": ["string", "null"]}),
            "",
            (s | Types::NULL, Must),
        ),
        (json!({"type": "number"}), "", (Types::NUMBER, Must)),
        // const and enum give types from their values.
        (json!({"const": 42}), "", (Types::INTEGER, Must)),
        (
            json!({"enum": ["a", 1.5, null]}),
            "",
            (s | Types::FRACTIONAL | Types::NULL, Must),
        ),
        (json!({"type": "string", "enum": ["a", 1]}), "", (s, Must)),
        (
            json!({"type": "integer", "enum": ["a"]}),
            "",
            (Types::INVALID, Cannot),
        ),
        // true and false.
        (json!(true), "/any/where", (Types::ANY, Implicit)),
        (json!(false), "", (Types::INVALID, Cannot)),
        // properties and required.
        (
            json!({"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]}),
            "/a",
            (s, Must),
        ),
        (
            json!({"type": "object", "properties": {"a": {"type": "string"}}}),
            "/a",
            (s, May),
        ),
        // Required only when the parent can only be an object.
        (
            json!({"type": ["object", "null"], "properties": {"a": {"type": "string"}}, "required": ["a"]}),
            "/a",
            (s, May),
        ),
        (
            json!({"type": "object", "required": ["a"]}),
            "/a",
            (Types::ANY, Must),
        ),
        (json!({"type": "object"}), "/a", (Types::ANY, Implicit)),
        (json!({"type": "string"}), "/a", (Types::ANY, Cannot)),
        // Nested requirement holds only through required parents.
        (
            json!({"type": "object", "properties": {"a": {"type": "object", "properties": {"b": {"type": "integer"}}, "required": ["b"]}}}),
            "/a/b",
            (Types::INTEGER, May),
        ),
        (
            json!({"type": "object", "properties": {"a": {"type": "object", "properties": {"b": {"type": "integer"}}, "required": ["b"]}}, "required": ["a"]}),
            "/a/b",
            (Types::INTEGER, Must),
        ),
        // patternProperties, also applying to named properties.
        (
            json!({"type": "object", "patternProperties": {"^x-": {"type": "integer"}}}),
            "/x-y",
            (Types::INTEGER, May),
        ),
        (
            json!({"type": "object", "patternProperties": {"^x-": {"type": "integer"}}}),
            "/y",
            (Types::ANY, Implicit),
        ),
        (
            json!({"type": "object", "properties": {"x-a": {"type": ["integer", "string"]}}, "patternProperties": {"^x-": {"type": "integer"}}}),
            "/x-a",
            (Types::INTEGER, May),
        ),
        // additionalProperties and unevaluatedProperties.
        (
            json!({"type": "object", "additionalProperties": {"type": "boolean"}}),
            "/q",
            (Types::BOOLEAN, May),
        ),
        (
            json!({"type": "object", "additionalProperties": false}),
            "/q",
            (Types::INVALID, Cannot),
        ),
        (
            json!({"type": "object", "unevaluatedProperties": false}),
            "/q",
            (Types::INVALID, Cannot),
        ),
        (
            json!({"type": "object", "additionalProperties": true, "unevaluatedProperties": false}),
            "/q",
            (Types::ANY, May),
        ),
        // items, prefixItems, additionalItems, minItems and maxItems.
        (
            json!({"type": "array", "items": {"type": "string"}}),
            "/7",
            (s, May),
        ),
        (
            json!({"type": "array", "prefixItems": [{"type": "integer"}], "items": {"type": "string"}, "minItems": 1}),
            "/0",
            (Types::INTEGER, Must),
        ),
        (
            json!({"type": "array", "prefixItems": [{"type": "integer"}], "items": {"type": "string"}}),
            "/1",
            (s, May),
        ),
        (
            json!({"type": "array", "items": [{"type": "integer"}], "additionalItems": {"type": "string"}}),
            "/3",
            (s, May),
        ),
        (
            json!({"type": "array", "prefixItems": [{"type": "integer"}]}),
            "/3",
            (Types::ANY, Implicit),
        ),
        (
            json!({"type": "array", "items": {"type": "string"}, "maxItems": 2}),
            "/2",
            (s, Cannot),
        ),
        (
            json!({"type": "array", "unevaluatedItems": {"type": "string"}}),
            "/0",
            (s, May),
        ),
        (json!({"type": "array"}), "/-", (Types::ANY, Cannot)),
        (json!({"type": "array"}), "/a", (Types::ANY, Cannot)),
        // $ref: local pointers, $defs, $anchor, embedded resources, cycles.
        (
            json!({"$defs": {"s": {"type": "string"}}, "properties": {"a": {"$ref": "#/$defs/s"}}}),
            "/a",
            (s, May),
        ),
        (
            json!({"definitions": {"s": {"type": "string"}}, "properties": {"a": {"$ref": "#/definitions/s"}}}),
            "/a",
            (s, May),
        ),
        (
            json!({"$defs": {"s": {"$anchor": "Str", "type": "string"}}, "properties": {"a": {"$ref": "#Str"}}}),
            "/a",
            (s, May),
        ),
        (
            json!({"properties": {"a": {"type": "integer"}, "b": {"$ref": "#/properties/a"}}}),
            "/b",
            (Types::INTEGER, May),
        ),
        (
            json!({
                "$defs": {"https://x.test/o.json": {"$id": "https://x.test/o.json", "type": "object",
                    "$defs": {"i": {"type": "integer"}}, "properties": {"n": {"$ref": "#/$defs/i"}}, "required": ["n"]}},
                "$ref": "https://x.test/o.json"
            }),
            "/n",
            (Types::INTEGER, Must),
        ),
        // A recursive reference is expanded once; below it, anything goes.
        (
            json!({"$defs": {"node": {"type": "object", "properties": {"next": {"$ref": "#/$defs/node"}, "v": {"type": "string"}}}}, "$ref": "#/$defs/node"}),
            "/v",
            (s, May),
        ),
        (
            json!({"$defs": {"node": {"type": "object", "properties": {"next": {"$ref": "#/$defs/node"}, "v": {"type": "string"}}}}, "$ref": "#/$defs/node"}),
            "/next",
            (Types::ANY, May),
        ),
        (
            json!({"$ref": "#/$defs/missing", "type": "object"}),
            "",
            (Types::OBJECT, Must),
        ),
        // allOf intersects.
        (
            json!({"allOf": [{"type": ["string", "integer"]}, {"type": ["integer", "null"]}]}),
            "",
            (Types::INTEGER, Must),
        ),
        (
            json!({"type": "object", "allOf": [{"properties": {"a": {"type": "string"}}}, {"required": ["a"]}]}),
            "/a",
            (s, Must),
        ),
        (
            json!({"allOf": [{"const": 42}, {"const": 52}]}),
            "",
            (Types::INVALID, Cannot),
        ),
        // anyOf and oneOf unite.
        (
            json!({"anyOf": [{"type": "string"}, {"type": "integer"}]}),
            "",
            (s | Types::INTEGER, Must),
        ),
        (
            json!({"type": "object", "oneOf": [
                {"properties": {"a": {"type": "string"}}, "required": ["a"]},
                {"properties": {"a": {"type": "integer"}}, "required": ["a"]}
            ]}),
            "/a",
            (s | Types::INTEGER, Must),
        ),
        (
            json!({"type": "object", "oneOf": [{"properties": {"a": {"type": "string"}}, "required": ["a"]}, {}]}),
            "/a",
            (Types::ANY, Implicit),
        ),
        (
            json!({"type": "object", "anyOf": [
                {"properties": {"a": {"type": "string"}}, "additionalProperties": false},
                {"properties": {"b": {"type": "string"}}, "additionalProperties": false}
            ]}),
            "/a",
            (s, May),
        ),
        // if/then/else unite then and else; without else, nothing is known.
        (
            json!({"if": true, "then": {"type": "string"}, "else": {"type": "integer"}}),
            "",
            (s | Types::INTEGER, Must),
        ),
        (
            json!({"if": true, "then": {"type": "string"}}),
            "",
            (Types::ANY, Must),
        ),
        // Unknown type names leave the location unconstrained (the
        // validator reports them).
        (json!({"type": "text"}), "", (Types::ANY, Must)),
        // Pointer escapes.
        (
            json!({"type": "object", "properties": {"a/b": {"type": "string"}, "c~d": {"type": "integer"}}}),
            "/a~1b",
            (s, May),
        ),
        (
            json!({"type": "object", "properties": {"a/b": {"type": "string"}, "c~d": {"type": "integer"}}}),
            "/c~0d",
            (Types::INTEGER, May),
        ),
        // Index tokens on objects are property names.
        (
            json!({"type": "object", "properties": {"1": {"type": "string"}}, "required": ["1"]}),
            "/1",
            (s, Must),
        ),
    ];
    for (schema, ptr, want) in cases {
        assert_eq!(at(schema.clone(), ptr), want, "{schema} at {ptr:?}");
    }
}

#[test]
fn reductions() {
    let reduce =
        |schema: serde_json::Value, ptr: &str| Shape::infer(&schema).locate(ptr).0.reduction;
    assert_eq!(
        reduce(
            json!({"properties": {"a": {"reduce": {"strategy": "sum"}}}}),
            "/a"
        ),
        Reduction::Strategy(Strategy::Sum)
    );
    assert_eq!(
        reduce(
            json!({"allOf": [{"reduce": {"strategy": "merge"}}, {"reduce": {"strategy": "sum"}}]}),
            ""
        ),
        Reduction::Strategy(Strategy::Merge)
    );
    assert_eq!(
        reduce(
            json!({"oneOf": [{"reduce": {"strategy": "sum"}}, {"reduce": {"strategy": "sum"}}]}),
            ""
        ),
        Reduction::Strategy(Strategy::Sum)
    );
    assert_eq!(
        reduce(
            json!({"oneOf": [{"reduce": {"strategy": "sum"}}, {"reduce": {"strategy": "lastWriteWins"}}]}),
            ""
        ),
        Reduction::Multiple
    );
    assert_eq!(
        reduce(json!({"anyOf": [{"reduce": {"strategy": "sum"}}, {}]}), ""),
        Reduction::Unset
    );
    assert_eq!(
        reduce(
            json!({"if": true, "then": {"reduce": {"strategy": "sum"}}, "else": {"reduce": {"strategy": "sum"}}}),
            ""
        ),
        Reduction::Strategy(Strategy::Sum)
    );
    // An unknown strategy is reported by the annotation check, and ignored here.
    assert_eq!(
        reduce(json!({"reduce": {"strategy": "nope"}}), ""),
        Reduction::Unset
    );
    // The annotation's place in the schema is kept for diagnostics.
    let shape = Shape::infer(
        &json!({"$defs": {"n": {"reduce": {"strategy": "sum"}}}, "properties": {"a": {"$ref": "#/$defs/n"}}}),
    );
    assert_eq!(
        shape.locate("/a").0.reduce_at.as_deref(),
        Some("/$defs/n/reduce")
    );
}

#[test]
fn locations() {
    let shape = Shape::infer(&json!({
        "type": "object",
        "properties": {
            "id": {"type": "string"},
            "parent": {"type": "object", "properties": {"child": {"type": "integer"}}, "required": ["child"]},
            "tags": {"type": "array", "items": {"type": "string"}},
            "pair": {"type": "array", "prefixItems": [{"type": "string"}], "minItems": 1},
        },
        "patternProperties": {"^x": {"type": "boolean"}},
        "additionalProperties": {"type": "null"},
        "required": ["id", "parent"],
    }));
    let got: Vec<(String, bool, Types, Exists)> = shape
        .locations()
        .into_iter()
        .map(|(p, pattern, s, e)| (p, pattern, s.types, e))
        .collect();
    use Exists::*;
    let want = vec![
        ("".to_string(), false, Types::OBJECT, Must),
        ("/id".to_string(), false, Types::STRING, Must),
        ("/pair".to_string(), false, Types::ARRAY, May),
        ("/pair/0".to_string(), false, Types::STRING, May),
        ("/parent".to_string(), false, Types::OBJECT, Must),
        ("/parent/child".to_string(), false, Types::INTEGER, Must),
        ("/tags".to_string(), false, Types::ARRAY, May),
        ("/tags/-".to_string(), true, Types::STRING, May),
        ("/^x".to_string(), true, Types::BOOLEAN, May),
        ("/*".to_string(), true, Types::NULL, May),
    ];
    assert_eq!(got, want);
}

#[test]
fn inspections() {
    let issues = |schema: serde_json::Value| -> Vec<(Option<String>, String)> {
        Shape::infer(&schema)
            .inspect()
            .into_iter()
            .map(|i| (i.at.map(|a| a.to_string()), i.message))
            .collect()
    };
    let none: Vec<(Option<String>, String)> = Vec::new();
    // Valid uses of each strategy.
    assert_eq!(
        issues(json!({
            "type": "object",
            "reduce": {"strategy": "merge"},
            "properties": {
                "n": {"type": "number", "reduce": {"strategy": "sum"}},
                "s": {"type": "string", "format": "integer", "reduce": {"strategy": "sum"}},
                "l": {"type": "array", "reduce": {"strategy": "append"}},
                "m": {"type": ["array", "object"], "reduce": {"strategy": "merge"}},
                "set": {"type": "object", "reduce": {"strategy": "set"}, "properties": {"add": true, "remove": true}},
                "any": {"reduce": {"strategy": "lastWriteWins"}},
            },
        })),
        none
    );
    assert_eq!(
        issues(json!({
            "type": "object",
            "reduce": {"strategy": "merge"},
            "properties": {
                "a": {"type": "string", "reduce": {"strategy": "sum"}},
                "b": {"type": "boolean", "reduce": {"strategy": "merge"}},
                "c": {"type": "string", "reduce": {"strategy": "append"}},
                "d": {"type": ["object", "null"], "reduce": {"strategy": "set"}, "properties": {"add": true, "oops": true}},
                "e": {"type": "object", "properties": {"f": {"reduce": {"strategy": "sum"}, "type": "integer"}}},
                "g": false,
            },
            "required": ["g"],
        })),
        vec![
            (Some("/properties/a/reduce".into()), "location /a has 'sum' reduction strategy (restricted to integers, numbers and strings with `format: integer` or `format: number`) but has types [\"string\"]".into()),
            (Some("/properties/b/reduce".into()), "location /b has 'merge' reduction strategy, restricted to objects & arrays, but has types [\"boolean\"]".into()),
            (Some("/properties/c/reduce".into()), "location /c has 'append' reduction strategy, restricted to arrays, but has types [\"string\"]".into()),
            (Some("/properties/d/reduce".into()), "location /d has 'set' reduction strategy, restricted to objects, but has types [\"null\", \"object\"]".into()),
            (Some("/properties/d/reduce".into()), "location /d/oops's parent has 'set' reduction strategy, restricted to 'add'/'remove'/'intersect' properties".into()),
            (Some("/properties/e/properties/f/reduce".into()), "location /e/f has a reduction strategy, but its parent does not (strategies of nested locations apply only under a parent with one, like `merge`)".into()),
            (None, "location /g must exist, but is constrained to always be invalid".into()),
        ]
    );
}

#[test]
fn union_and_intersection_of_arrays_and_objects() {
    let shape = Shape::infer(&json!({"anyOf": [
        {"type": "array", "prefixItems": [{"type": "string"}, {"type": "integer"}], "minItems": 2},
        {"type": "array", "prefixItems": [{"type": "integer"}], "items": {"type": "boolean"}, "minItems": 1},
    ]}));
    assert_eq!(shape.locate("/0").1, Exists::Must);
    assert_eq!(shape.locate("/0").0.types, Types::STRING | Types::INTEGER);
    assert_eq!(shape.locate("/1").0.types, Types::INTEGER | Types::BOOLEAN);
    assert_eq!(shape.locate("/1").1, Exists::May);

    let shape = Shape::infer(&json!({"allOf": [
        {"type": "array", "prefixItems": [{"type": ["string", "null"]}], "maxItems": 3},
        {"type": "array", "items": {"type": "string"}, "maxItems": 2},
    ]}));
    assert_eq!(shape.locate("/0").0.types, Types::STRING);
    assert_eq!(shape.locate("/2").1, Exists::Cannot);
}
