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

/// A schema written from its detailed shape is the schema itself, when it
/// is already in-line (Estuary's round-trip vector of `to_schema`).
#[test]
fn schema_round_trip() {
    let fixture = json!({
        "$schema": "https://json-schema.org/draft/2019-09/schema",
        "type": "object",
        "properties": {
            "bool": {"type": "boolean", "secret": true},
            "an enum": {"enum": [32, 64], "type": "integer", "minimum": -10},
            "str": {
                "type": "string",
                "minLength": 10,
                "maxLength": 20,
                "format": "uuid",
                "contentEncoding": "base64",
                "contentMediaType": "application/some.mime",
                "reduce": {"strategy": "append"},
            },
            "emptyObj": {"type": "object", "additionalProperties": false, "x-some-extension": [42, "hi"]},
            "number": {"type": "number", "minimum": 20, "maximum": 30.0, "default": 25.4},
            "tuple": {
                "type": "array",
                "items": [{"type": "string"}],
                "additionalItems": {"type": "number"},
                "minItems": 1,
                "maxItems": 5,
                "reduce": {"strategy": "minimize", "key": ["/1", "/0"]},
            },
            "arr": {"type": "array", "items": {"type": "string"}},
            "emptyArray": {"type": "array", "items": false},
            "any": {},
        },
        "patternProperties": {"hello.*": {"type": "boolean"}},
        "required": ["emptyObj", "str"],
    });
    assert_eq!(Shape::infer_detailed(&fixture).to_schema(), fixture);
}

/// What a union keeps: shared annotations, the looser bounds, and a
/// reduction only where both sides have the same one, options included.
#[test]
fn schema_of_unions() {
    let union = |a: serde_json::Value, b: serde_json::Value| {
        let mut s = Shape::union(Shape::infer_detailed(&a), Shape::infer_detailed(&b)).to_schema();
        s.as_object_mut().unwrap().remove("$schema");
        s
    };
    assert_eq!(
        union(
            json!({"type": "string", "title": "A", "x-a": 1, "x-b": 2, "contentEncoding": "base64"}),
            json!({"type": "string", "title": "B", "x-a": 1, "x-b": 3, "contentEncoding": "base64"}),
        ),
        json!({"type": "string", "x-a": 1, "contentEncoding": "base64"})
    );
    // A side that is not a string keeps the other side's string keywords.
    assert_eq!(
        union(
            json!({"type": "string", "maxLength": 3}),
            json!({"type": "integer", "maximum": 9})
        ),
        json!({"type": ["integer", "string"], "maxLength": 3, "maximum": 9})
    );
    // Only a bound both sides have survives.
    assert_eq!(
        union(
            json!({"type": "number", "minimum": 1.5}),
            json!({"type": "number"})
        ),
        json!({"type": "number"})
    );
    assert_eq!(
        union(
            json!({"reduce": {"strategy": "merge", "key": ["/a"]}}),
            json!({"reduce": {"strategy": "merge", "key": ["/b"]}}),
        ),
        json!({"reduce": "multiple-strategies"})
    );
    assert_eq!(
        union(json!({"reduce": {"strategy": "sum"}}), json!({})),
        json!({})
    );
    // Enums are unioned in the total order; `false` stays `false`.
    assert_eq!(
        union(json!({"enum": ["b", 2, "a"]}), json!({"enum": [1.5, "a"]})),
        json!({"type": ["number", "string"], "enum": [1.5, 2, "a", "b"]})
    );
    assert_eq!(
        Shape::infer_detailed(&json!(false)).to_schema(),
        json!(false)
    );
    assert_eq!(
        union(
            json!({"type": "object", "properties": {"a": false}}),
            json!({"type": "object", "properties": {"a": false}})
        ),
        json!({"type": "object", "properties": {"a": false}})
    );
}

/// Squashing folds the deepest named locations into their parents, last
/// first, keeping every document that was valid valid.
#[test]
fn squash_to_a_limit() {
    let schema = json!({
        "type": "object",
        "properties": {
            "a": {"type": "integer"},
            "nested": {
                "type": "object",
                "properties": {"x": {"type": "string"}, "y": {"type": "boolean"}},
                "additionalProperties": false,
            },
            "t": {"type": "array", "items": [{"type": "string"}, {"type": "integer"}]},
            "z": {"type": "object", "additionalProperties": {"type": "string"}},
        },
        "patternProperties": {"^z": {"type": ["object", "null"]}},
        "additionalProperties": false,
    });
    let squashed = |limit: usize| {
        let mut shape = Shape::infer_detailed(&schema);
        shape.squash(limit);
        let mut s = shape.to_schema();
        s.as_object_mut().unwrap().remove("$schema");
        s
    };
    // Eight named locations: a, nested, nested/x, nested/y, t, t/0, t/1, z.
    assert_eq!(squashed(8), {
        let mut s = Shape::infer_detailed(&schema).to_schema();
        s.as_object_mut().unwrap().remove("$schema");
        s
    });
    assert_eq!(
        squashed(4),
        json!({
            "type": "object",
            "properties": {
                "a": {"type": "integer"},
                "nested": {"type": "object", "additionalProperties": {"type": ["boolean", "string"]}},
                "t": {"type": "array", "items": {"type": ["integer", "string"]}},
                "z": {"type": "object", "additionalProperties": {"type": "string"}},
            },
            "patternProperties": {"^z": {"type": ["null", "object"]}},
            "additionalProperties": false,
        })
    );
    // `z` matches a pattern: it folds into the pattern; the others into
    // additional properties, which were `false`.
    assert_eq!(
        squashed(0),
        json!({
            "type": "object",
            "patternProperties": {"^z": {"type": ["null", "object"]}},
            "additionalProperties": {"type": ["array", "integer", "object"]},
        })
    );
}

/// The details of projected locations: nested, tuple, referenced, in
/// `oneOf` branches that agree, and under additional properties.
#[test]
fn details_of_locations() {
    let schema = json!({
        "$defs": {"b64": {"type": "string", "contentEncoding": "base64", "title": "Bytes"}},
        "type": "object",
        "properties": {
            "a": {"type": "object", "properties": {"b": {"default": 5, "description": "B"}}},
            "t": {"type": "array", "prefixItems": [{"default": "zero"}], "items": {"default": 1}},
            "r": {"$ref": "#/$defs/b64"},
            "u": {"oneOf": [{"default": 1, "title": "U"}, {"default": 2, "title": "U"}]},
        },
        "additionalProperties": {"default": "other"},
    });
    let got = details_at(
        &schema,
        None,
        &["/a/b", "/t/0", "/t/1", "/r", "/u", "/x", ""],
    );
    let summary: Vec<_> = got
        .into_iter()
        .map(|d| (d.default, d.string.content_encoding, d.title, d.description))
        .collect();
    let s = |v: &str| Some(v.to_string());
    assert_eq!(
        summary,
        vec![
            (Some(json!(5)), None, None, s("B")),
            (Some(json!("zero")), None, None, None),
            (Some(json!(1)), None, None, None),
            (None, s("base64"), s("Bytes"), None),
            (None, None, s("U"), None),
            (Some(json!("other")), None, None, None),
            (None, None, None, None),
        ]
    );
    // A read schema that references the write schema.
    let write = json!({"type": "object", "properties": {"n": {"default": 3}}});
    let read = json!({"$ref": "flow://write-schema"});
    assert_eq!(
        details_at(&read, Some(&write), &["/n"])[0].default,
        Some(json!(3))
    );
}
