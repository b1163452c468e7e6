use serde_json::{json, Value};

use super::*;

fn drain(combiner: &mut Combiner) -> Vec<(Vec<Value>, Value, bool)> {
    combiner
        .drain()
        .unwrap()
        .into_iter()
        .map(|c| (c.key, c.doc, c.deleted))
        .collect()
}

fn counter_schema() -> Value {
    json!({
        "type": "object",
        "reduce": {"strategy": "merge"},
        "properties": {
            "id": {"type": "string"},
            "n": {"type": "integer", "reduce": {"strategy": "sum"}},
            "tags": {"type": "object", "reduce": {"strategy": "merge"}, "additionalProperties": {"type": "integer", "reduce": {"strategy": "sum"}}},
        },
        "required": ["id"],
    })
}

#[test]
fn combines_by_key_in_key_order() {
    for full in [true, false] {
        let mut c = Combiner::new(&counter_schema(), None, &["/id"], full).unwrap();
        for doc in [
            json!({"id": "b", "n": 1, "tags": {"x": 1}}),
            json!({"id": "DEPOSIT", "n": 1}),
            json!({"id": "b", "n": 2, "tags": {"y": 1}}),
            json!({"id": "alice", "n": 5}),
            json!({"id": "b", "n": 3, "tags": {"x": 2}}),
        ] {
            c.add(doc).unwrap();
        }
        assert_eq!(
            drain(&mut c),
            vec![
                (
                    vec![json!("DEPOSIT")],
                    json!({"id": "DEPOSIT", "n": 1}),
                    false
                ),
                (vec![json!("alice")], json!({"id": "alice", "n": 5}), false),
                (
                    vec![json!("b")],
                    json!({"id": "b", "n": 6, "tags": {"x": 3, "y": 1}}),
                    false
                ),
            ]
        );
        assert!(c.drain().unwrap().is_empty());
    }
}

#[test]
fn missing_keys_take_the_default_or_null() {
    let schema = json!({"type": "object", "properties": {"k": {"default": "dflt"}}});
    let mut c = Combiner::new(&schema, None, &["/k", "/j"], true).unwrap();
    c.add(json!({"v": 1})).unwrap();
    c.add(json!({"k": "dflt", "j": null, "v": 2})).unwrap();
    c.add(json!({"k": "a", "j": 20.0, "v": 3})).unwrap();
    c.add(json!({"k": "a", "j": 20, "v": 4})).unwrap();
    assert_eq!(
        drain(&mut c),
        vec![
            (
                vec![json!("a"), json!(20.0)],
                json!({"k": "a", "j": 20, "v": 4}),
                false
            ),
            (
                vec![json!("dflt"), json!(null)],
                json!({"k": "dflt", "j": null, "v": 2}),
                false
            ),
        ]
    );
}

#[test]
fn key_pointers_are_escaped_and_index_arrays() {
    let schema = json!({"type": "object"});
    let mut c = Combiner::new(&schema, None, &["/a~1b/1", "/c~0/01"], true).unwrap();
    c.add(json!({"a/b": [0, "x"], "c~": ["no"], "v": 1}))
        .unwrap();
    c.add(json!({"a/b": {"1": "x"}, "c~": {"01": null}, "v": 2}))
        .unwrap();
    c.add(json!({"a/b": [0, "y"], "v": 3})).unwrap();
    assert_eq!(
        drain(&mut c),
        vec![
            (
                vec![json!("x"), json!(null)],
                json!({"a/b": {"1": "x"}, "c~": {"01": null}, "v": 2}),
                false
            ),
            (
                vec![json!("y"), json!(null)],
                json!({"a/b": [0, "y"], "v": 3}),
                false
            ),
        ]
    );
}

#[test]
fn reduce_failures_name_the_key_of_the_document() {
    let schema = json!({
        "type": "object",
        "reduce": {"strategy": "merge"},
        "properties": {"a": {"reduce": {"strategy": "append"}}},
    });
    let mut c = Combiner::new(&schema, None, &["/k"], false).unwrap();
    c.add(json!({"k": 20, "a": [1]})).unwrap();
    c.add(json!({"k": 20, "a": [2]})).unwrap();
    let CombineError::Reduce { key, .. } = c.add(json!({"k": 20.0, "a": {"x": 1}})).unwrap_err()
    else {
        panic!("not a reduce error");
    };
    assert_eq!(key, vec![json!(20.0)]);
    let CombineError::Reduce { key, .. } = c.add(json!({"k": 20, "a": {"x": 1}})).unwrap_err()
    else {
        panic!("not a reduce error");
    };
    assert_eq!(key, vec![json!(20)]);
}

#[test]
fn invalid_documents() {
    let mut c = Combiner::new(&counter_schema(), None, &["/id"], true).unwrap();
    let err = c.add(json!({"n": "x", "tags": {"a": 1.5}})).unwrap_err();
    assert_eq!(
        err.to_string(),
        "document failed validation against its collection JSON Schema:\n  at \"\": \"id\" is a required property\n  at \"/n\": \"x\" is not of type \"integer\"\n  at \"/tags/a\": 1.5 is not of type \"integer\""
    );
    let CombineError::Invalid { doc, errors } = err else {
        panic!("not a validation error");
    };
    assert_eq!(doc, json!({"n": "x", "tags": {"a": 1.5}}));
    assert_eq!(errors.len(), 3);
    assert_eq!(errors[1].ptr, "/n");

    // Combined documents are validated again.
    let schema = json!({
        "type": "object",
        "reduce": {"strategy": "merge"},
        "properties": {"n": {"type": "integer", "maximum": 3, "reduce": {"strategy": "sum"}}},
    });
    let mut c = Combiner::new(&schema, None, &["/k"], true).unwrap();
    c.add(json!({"n": 2})).unwrap();
    c.add(json!({"n": 2})).unwrap();
    assert_eq!(
        c.drain().unwrap_err().to_string(),
        "document failed validation against its collection JSON Schema:\n  at \"/n\": 4 is greater than the maximum of 3"
    );
}

#[test]
fn reduce_failures() {
    let schema = json!({
        "type": "object",
        "reduce": {"strategy": "merge"},
        "properties": {"a": {"reduce": {"strategy": "append"}}},
    });
    let mut c = Combiner::new(&schema, None, &["/k"], true).unwrap();
    c.add(json!({"a": [1]})).unwrap();
    c.add(json!({"a": {"x": 1}})).unwrap();
    let err = c.drain().unwrap_err();
    assert_eq!(
        err.to_string(),
        "failed to combine documents having shared key: while reducing \"/a\": having values LHS: [1], RHS: {\"x\":1}: 'append' strategy expects arrays"
    );
    let CombineError::Reduce { key, error } = err else {
        panic!("not a reduce error");
    };
    assert_eq!(key, vec![json!(null)]);
    assert!(matches!(error, ReduceError::Failed(f) if f.ptr == "/a"));
}

#[test]
fn schema_failures() {
    assert_eq!(
        Combiner::new(&json!({"type": "object", "reduce": {"strategy": "nope"}}), None, &["/k"], true)
            .unwrap_err()
            .to_string(),
        "invalid collection schema: invalid `reduce` annotation {\"strategy\":\"nope\"}: unknown variant `nope`, expected one of `append`, `firstWriteWins`, `jsonSchemaMerge`, `lastWriteWins`, `maximize`, `merge`, `minimize`, `set`, `sum`"
    );
}

fn merge_patch_schema() -> Value {
    json!({
        "$defs": {"patch": {
            "oneOf": [
                {"type": "object", "reduce": {"strategy": "merge"}, "additionalProperties": {"$ref": "#/$defs/patch"}},
                {"type": "null", "reduce": {"strategy": "lastWriteWins", "delete": true}},
                {"type": ["boolean", "number", "string", "array"]},
            ],
        }},
        "$ref": "#/$defs/patch",
    })
}

#[test]
fn not_associative_documents_wait_for_a_full_reduction() {
    let docs = [
        json!({"k": 1, "a": 1}),
        json!({"k": 1, "a": "x"}),
        json!({"k": 1, "a": {"b": 1}}),
        json!({"k": 1, "a": {"c": null}}),
    ];
    let mut c = Combiner::new(&merge_patch_schema(), None, &["/k"], false).unwrap();
    for d in &docs {
        c.add(d.clone()).unwrap();
    }
    // Associatively, `"x"` then an object cannot be reduced.
    assert_eq!(
        drain(&mut c),
        vec![
            (vec![json!(1)], json!({"k": 1, "a": "x"}), false),
            (
                vec![json!(1)],
                json!({"k": 1, "a": {"b": 1, "c": null}}),
                false
            ),
        ]
    );
    let mut c = Combiner::new(&merge_patch_schema(), None, &["/k"], true).unwrap();
    for d in docs {
        c.add(d).unwrap();
    }
    assert_eq!(
        drain(&mut c),
        vec![(vec![json!(1)], json!({"k": 1, "a": {"b": 1}}), false)]
    );
}

#[test]
fn first_documents_are_not_reduced() {
    let mut c = Combiner::new(&merge_patch_schema(), None, &["/k"], true).unwrap();
    c.add(json!({"k": 1, "gone": null})).unwrap();
    assert_eq!(
        drain(&mut c),
        vec![(vec![json!(1)], json!({"k": 1, "gone": null}), false)]
    );
}

#[test]
fn root_deletions() {
    let schema = json!({
        "type": "object",
        "oneOf": [
            {"required": ["del"], "reduce": {"strategy": "lastWriteWins", "delete": true}},
            {"not": {"required": ["del"]}},
        ],
    });
    let mut c = Combiner::new(&schema, None, &["/k"], true).unwrap();
    c.add(json!({"k": 1, "v": 1})).unwrap();
    c.add(json!({"k": 1, "del": true})).unwrap();
    let out = c.drain().unwrap();
    assert_eq!(out.len(), 1);
    assert!(out[0].deleted);
}

#[test]
fn read_schemas_reference_the_write_schema() {
    let write = counter_schema();
    let read = json!({"$ref": "flow://write-schema", "properties": {"n": {"maximum": 10}}});
    let mut c = Combiner::new(&read, Some(&write), &["/id"], true).unwrap();
    c.add(json!({"id": "a", "n": 4})).unwrap();
    c.add(json!({"id": "a", "n": 5})).unwrap();
    assert_eq!(
        drain(&mut c),
        vec![(vec![json!("a")], json!({"id": "a", "n": 9}), false)]
    );
    assert!(c.add(json!({"id": "a", "n": 11})).is_err());
}
