//! The reduction vectors of Estuary's documentation and unit tests.

use serde_json::{json, Value};

use super::{compare, Failure, Kind, ReduceError, Schema, Strategy};
use std::cmp::Ordering;

/// Folds `docs` left to right: each is validated, then reduced into the
/// result so far (the first is taken as-is).
fn fold(schema: &Value, docs: &[Value], full: bool) -> Result<Value, ReduceError> {
    let schema = Schema::new(schema, None).unwrap();
    let mut acc: Option<Value> = None;
    for doc in docs {
        let a = schema.validate(doc).unwrap();
        acc = Some(match acc {
            None => doc.clone(),
            Some(l) => schema.reduce(l, doc.clone(), &a, full)?.0,
        });
    }
    Ok(acc.unwrap())
}

/// A schema whose property `v` has `reduce` (under a root merge).
fn at_v(reduce: Value) -> Value {
    json!({"type": "object", "reduce": {"strategy": "merge"}, "properties": {"v": reduce}})
}

/// Folds values of `v`.
fn fold_v(reduce: Value, values: &[Value], full: bool) -> Result<Value, ReduceError> {
    let docs: Vec<Value> = values.iter().map(|v| json!({ "v": v })).collect();
    fold(&at_v(reduce), &docs, full).map(|d| d["v"].clone())
}

fn failed(ptr: &str, lhs: Option<Value>, rhs: Value, kind: Kind) -> ReduceError {
    ReduceError::Failed(Box::new(Failure {
        ptr: ptr.to_string(),
        lhs,
        rhs,
        kind,
    }))
}

#[test]
fn append() {
    let s = json!({"reduce": {"strategy": "append"}});
    assert_eq!(
        fold_v(s.clone(), &[json!([1, 2]), json!([3, null, "abc"])], true),
        Ok(json!([1, 2, 3, null, "abc"]))
    );
    assert_eq!(
        fold_v(s.clone(), &[json!(null), json!([5, 6, 4])], true),
        Ok(json!(null))
    );
    let err = fold_v(s, &[json!([1]), json!({})], true).unwrap_err();
    assert_eq!(
        err,
        failed("/v", Some(json!([1])), json!({}), Kind::AppendWrongType)
    );
    assert_eq!(
        err.to_string(),
        "while reducing \"/v\": having values LHS: [1], RHS: {}: 'append' strategy expects arrays"
    );
}

#[test]
fn first_and_last_write_wins() {
    let schema = json!({
        "type": "object",
        "reduce": {"strategy": "merge"},
        "properties": {
            "fww": {"reduce": {"strategy": "firstWriteWins"}},
            "lww": {"reduce": {"strategy": "lastWriteWins"}},
        },
    });
    assert_eq!(
        fold(
            &schema,
            &[
                json!({"fww": "one", "lww": "one"}),
                json!({"fww": "two", "lww": "two"})
            ],
            true
        ),
        Ok(json!({"fww": "one", "lww": "two"}))
    );
}

#[test]
fn merge() {
    let schema = json!({
        "type": "object",
        "reduce": {"strategy": "merge"},
        "properties": {"v": {
            "reduce": {"strategy": "merge"},
            "items": {"reduce": {"strategy": "sum"}},
            "additionalProperties": {"reduce": {"strategy": "sum"}},
        }},
    });
    let v = |values: &[Value]| {
        let docs: Vec<Value> = values.iter().map(|v| json!({ "v": v })).collect();
        fold(&schema, &docs, true).map(|d| d["v"].clone())
    };
    assert_eq!(v(&[json!([1, 1]), json!([2, 2, 2])]), Ok(json!([3, 3, 2])));
    assert_eq!(
        v(&[json!({"a": 1, "b": 1}), json!({"a": 1, "c": 1})]),
        Ok(json!({"a": 2, "b": 1, "c": 1}))
    );
    // Properties come out sorted.
    let out = v(&[json!({"b": 1}), json!({"a": 1})]).unwrap();
    assert_eq!(
        out.as_object().unwrap().keys().collect::<Vec<_>>(),
        vec!["a", "b"]
    );
    let err = v(&[json!([1]), json!("x")]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "while reducing \"/v\": having values LHS: [1], RHS: \"x\": 'merge' strategy expects objects or arrays"
    );
    // Other types are replaced by a full reduction, and not associative.
    assert_eq!(v(&[json!("x"), json!([1])]), Ok(json!([1])));
    assert_eq!(
        fold(&schema, &[json!({"v": "x"}), json!({"v": [1]})], false),
        Err(ReduceError::NotAssociative)
    );
}

#[test]
fn merge_with_key() {
    let s = json!({"reduce": {"strategy": "merge", "key": ["/k"]}, "items": {"reduce": {"strategy": "firstWriteWins"}}});
    assert_eq!(
        fold_v(
            s,
            &[
                json!([{"k": "a", "v": 1}, {"k": "b", "v": 1}]),
                json!([{"k": "a", "v": 2}, {"k": "c", "v": 2}])
            ],
            true
        ),
        Ok(json!([{"k": "a", "v": 1}, {"k": "b", "v": 1}, {"k": "c", "v": 2}]))
    );
    let s = json!({"reduce": {"strategy": "merge", "key": [""]}});
    assert_eq!(
        fold_v(
            s,
            &[
                json!([5, 9]),
                json!([7]),
                json!([2, 4, 5]),
                json!([1, 2, 7, 10])
            ],
            true
        ),
        Ok(json!([1, 2, 4, 5, 7, 9, 10]))
    );
}

#[test]
fn minimize_and_maximize() {
    let schema = json!({
        "type": "object",
        "reduce": {"strategy": "merge"},
        "properties": {
            "min": {"reduce": {"strategy": "minimize"}},
            "max": {"reduce": {"strategy": "maximize"}},
        },
    });
    assert_eq!(
        fold(
            &schema,
            &[
                json!({"min": 32, "max": "abc"}),
                json!({"min": 42, "max": "def"})
            ],
            true
        ),
        Ok(json!({"min": 32, "max": "def"}))
    );

    let keyed = |strategy: &str| json!({"reduce": {"strategy": strategy, "key": ["/0"]}, "items": [{}, {"reduce": {"strategy": "sum"}}]});
    let values = [
        json!(["a", 1]),
        json!(["c", 2]),
        json!(["b", 3]),
        json!(["a", 4]),
    ];
    assert_eq!(
        fold_v(keyed("minimize"), &values, true),
        Ok(json!(["a", 5]))
    );
    assert_eq!(
        fold_v(keyed("maximize"), &values, true),
        Ok(json!(["c", 2]))
    );

    let s = json!({"reduce": {"strategy": "minimize", "key": ["/k"]}, "properties": {"n": {"reduce": {"strategy": "sum"}}}});
    let mut values = vec![
        json!({"k": 3, "n": 1}),
        json!({"k": 4, "n": 1}),
        json!({"k": 3, "n": 1, "!": true}),
    ];
    assert_eq!(
        fold_v(s.clone(), &values, true),
        Ok(json!({"k": 3, "n": 2, "!": true}))
    );
    values.push(json!({"k": null, "n": -1}));
    assert_eq!(
        fold_v(s.clone(), &values, true),
        Ok(json!({"k": null, "n": -1}))
    );
    values.push(json!({"n": 7}));
    assert_eq!(fold_v(s, &values, true), Ok(json!({"n": 7})));
}

#[test]
fn sum() {
    let s = json!({"reduce": {"strategy": "sum"}});
    let sum = |values: &[Value]| fold_v(s.clone(), values, true);
    assert_eq!(sum(&[json!(5), json!(-1.2)]), Ok(json!(3.8)));
    assert_eq!(sum(&[json!(0), json!(123), json!(45)]), Ok(json!(168)));
    assert_eq!(
        sum(&[json!(168), json!(u64::MAX - 32)]),
        Err(failed(
            "/v",
            Some(json!(168)),
            json!(u64::MAX - 32),
            Kind::SumNumericOverflow
        ))
    );
    assert_eq!(sum(&[json!(168), json!(-70)]), Ok(json!(98)));
    assert_eq!(sum(&[json!(98), json!(0.1)]), Ok(json!(98.1)));
    let zero = sum(&[json!(98.1), json!(-98.1)]).unwrap();
    assert_eq!(zero.to_string(), "0.0");
    let err = sum(&[json!(f64::MAX), json!(f64::MAX / 10.0)]).unwrap_err();
    assert!(matches!(&err, ReduceError::Failed(f) if f.kind == Kind::SumNumericOverflow));
    assert_eq!(
        err.to_string(),
        format!(
            "while reducing \"/v\": having values LHS: {}, RHS: {}: `sum` resulted in numeric overflow",
            json!(f64::MAX),
            json!(f64::MAX / 10.0)
        )
    );

    // Strings hold numbers of arbitrary precision.
    let s = json!({"reduce": {"strategy": "sum"}, "type": ["number", "string"]});
    let mut values = vec![json!(0), json!("1")];
    let mut step = |v: Value, expect: Value| {
        values.push(v);
        assert_eq!(fold_v(s.clone(), &values, true), Ok(expect));
    };
    step(json!("9000000000000000000"), json!("9000000000000000001"));
    step(json!("10000000000000000000"), json!("19000000000000000001"));
    step(json!(1233), json!("19000000000000001234"));
    step(json!(-10000), json!("18999999999999991234"));
    step(json!(86753.09), json!("19000000000000077987.09000000000"));
    step(
        json!("10203.040506070812"),
        json!("19000000000000088190.130506070812"),
    );
    assert_eq!(
        fold_v(s.clone(), &[json!(0), json!("1")], true),
        Ok(json!("1"))
    );
    assert_eq!(
        fold_v(s.clone(), &[json!(5), json!("-1.2")], true),
        Ok(json!("3.8"))
    );
    assert_eq!(
        fold_v(s, &[json!(5), json!("five")], true)
            .unwrap_err()
            .to_string(),
        "while reducing \"/v\": having values LHS: 5, RHS: \"five\": 'sum' strategy expects numbers"
    );
}

#[test]
fn reset_counter() {
    let schema = json!({
        "type": "object",
        "oneOf": [
            {
                "properties": {"action": {"const": "reset"}},
                "reduce": {"strategy": "lastWriteWins"},
            },
            {
                "properties": {
                    "action": {"const": "sum", "reduce": {"strategy": "firstWriteWins"}},
                    "value": {"reduce": {"strategy": "sum"}},
                },
                "reduce": {"strategy": "merge"},
            },
        ],
        "required": ["action", "value"],
    });
    let d = |action: &str, value: Value| json!({"action": action, "value": value});
    assert_eq!(
        fold(&schema, &[d("sum", json!(5)), d("sum", json!(-1.2))], true)
            .map(|d| d["value"].clone()),
        Ok(json!(3.8))
    );
    assert_eq!(
        fold(
            &schema,
            &[
                d("sum", json!(5)),
                d("sum", json!(-1.2)),
                d("reset", json!(0)),
                d("sum", json!(1.3))
            ],
            true
        )
        .map(|d| d["value"].clone()),
        Ok(json!(1.3))
    );
}

fn set_schema() -> Value {
    json!({
        "type": "object",
        "reduce": {"strategy": "merge"},
        "properties": {"v": {
            "reduce": {"strategy": "set"},
            "additionalProperties": {
                "additionalProperties": {"type": "integer", "reduce": {"strategy": "sum"}},
            },
        }},
    })
}

#[test]
fn set() {
    let v = |values: &[Value], full: bool| {
        let docs: Vec<Value> = values.iter().map(|v| json!({ "v": v })).collect();
        fold(&set_schema(), &docs, full).map(|d| d["v"].clone())
    };
    let mut values = vec![
        json!({"add": {"a": 1, "b": 1, "c": 1}}),
        json!({"remove": {"b": 0}}),
        json!({"add": {"a": 1, "d": 1}}),
    ];
    assert_eq!(
        v(&values, true),
        Ok(json!({"add": {"a": 2, "c": 1, "d": 1}}))
    );
    values.push(json!({"intersect": {"a": 0, "d": 0}}));
    values.push(json!({"add": {"a": 1, "e": 1}}));
    assert_eq!(
        v(&values, true),
        Ok(json!({"add": {"a": 3, "d": 1, "e": 1}}))
    );

    // Partial reductions keep the terms.
    assert_eq!(
        v(
            &[
                json!({"add": {"55": 1}}),
                json!({"add": {"99": 1}}),
                json!({"remove": {"99": 0}, "add": {"22": 1, "55": 1}})
            ],
            false
        ),
        Ok(json!({"remove": {"99": 0}, "add": {"22": 1, "55": 2}}))
    );
    // The table of terms.
    assert_eq!(
        v(
            &[
                json!({"intersect": {"a": 0, "b": 0}}),
                json!({"intersect": {"b": 0, "c": 0}})
            ],
            false
        ),
        Ok(json!({"add": {}, "intersect": {"b": 0}}))
    );
    assert_eq!(
        v(
            &[
                json!({"intersect": {"a": 0, "b": 0}}),
                json!({"remove": {"b": 0}})
            ],
            false
        ),
        Ok(json!({"add": {}, "intersect": {"a": 0}}))
    );
    assert_eq!(
        v(
            &[
                json!({"remove": {"a": 0}}),
                json!({"intersect": {"a": 0, "b": 0}})
            ],
            false
        ),
        Ok(json!({"add": {}, "intersect": {"b": 0}}))
    );
    assert_eq!(
        v(
            &[json!({"remove": {"a": 0}}), json!({"remove": {"b": 0}})],
            false
        ),
        Ok(json!({"add": {}, "remove": {"a": 0, "b": 0}}))
    );

    let err = v(&[json!({"add": {"a": 1}}), json!({"add": []})], true).unwrap_err();
    assert_eq!(
        err.to_string(),
        "while reducing \"/v\": having values LHS: {\"add\":{\"a\":1}}, RHS: {\"add\":[]}: 'set' strategy expects objects having only 'add', 'remove', and 'intersect' properties with consistent object or array types"
    );
    assert_eq!(
        v(&[json!({"add": {}}), json!({"intersect": {}, "remove": {}})], true)
            .unwrap_err()
            .to_string(),
        "while reducing \"/v\": having values LHS: {\"add\":{}}, RHS: {\"intersect\":{},\"remove\":{}}: 'set' strategy expects objects having only 'add', 'remove', and 'intersect' properties with consistent object or array types"
    );
}

#[test]
fn set_of_arrays() {
    let s = json!({
        "reduce": {"strategy": "set", "key": ["/0"]},
        "additionalProperties": {"items": {"items": [{}, {"reduce": {"strategy": "sum"}}]}},
    });
    assert_eq!(
        fold_v(
            s,
            &[
                json!({"add": [["a", 1], ["b", 1], ["c", 1]]}),
                json!({"remove": [["b"]]}),
                json!({"add": [["a", 1], ["d", 1]]}),
            ],
            true
        ),
        Ok(json!({"add": [["a", 1], ["c", 1], ["d", 1]]}))
    );
}

#[test]
fn merge_with_delete() {
    let schema = json!({
        "type": "object",
        "reduce": {"strategy": "merge"},
        "additionalProperties": {
            "if": {"const": "del"},
            "then": {"reduce": {"strategy": "lastWriteWins", "delete": true}},
        },
    });
    let s = Schema::new(&schema, None).unwrap();
    let step = |lhs: Value, rhs: Value, full: bool| {
        let a = s.validate(&rhs).unwrap();
        s.reduce(lhs, rhs, &a, full).unwrap().0
    };
    let doc = step(json!({"5": 5, "9": 9}), json!({"5": "del", "6": 6}), false);
    assert_eq!(doc, json!({"5": "del", "6": 6, "9": 9}));
    let doc = step(doc, json!({"5": "del", "7": 7}), true);
    assert_eq!(doc, json!({"6": 6, "7": 7, "9": 9}));
}

/// RFC 7396 merge patches.
fn merge_patch_schema() -> Value {
    json!({
        "$defs": {"patch": {
            "oneOf": [
                {
                    "type": "object",
                    "reduce": {"strategy": "merge"},
                    "additionalProperties": {"$ref": "#/$defs/patch"},
                },
                {"type": "null", "reduce": {"strategy": "lastWriteWins", "delete": true}},
                {"type": ["boolean", "number", "string", "array"]},
            ],
        }},
        "$ref": "#/$defs/patch",
    })
}

#[test]
fn merge_pairs_properties_by_position_then_by_name() {
    let s = Schema::new(&merge_patch_schema(), None).unwrap();
    let rhs = json!({"a": null, "b": {"x": 1}, "d": 4, "c": 5});
    let a = s.validate(&rhs).unwrap();
    let (doc, _) = s
        .reduce(json!({"a": 1, "b": 2, "c": 3, "e": 0}), rhs, &a, true)
        .unwrap();
    assert_eq!(doc.to_string(), r#"{"b":{"x":1},"c":5,"d":4,"e":0}"#);
    let rhs = json!({"z": 1, "y": {"q": null}});
    let a = s.validate(&rhs).unwrap();
    let (doc, _) = s
        .reduce(json!({"y": {"q": 1, "p": 2}, "z": 0}), rhs, &a, true)
        .unwrap();
    assert_eq!(doc.to_string(), r#"{"y":{"p":2},"z":1}"#);
}

#[test]
fn merge_patch() {
    let s = Schema::new(&merge_patch_schema(), None).unwrap();
    let step = |lhs: Value, rhs: Value, full: bool| {
        let a = s.validate(&rhs).unwrap();
        s.reduce(lhs, rhs, &a, full).map(|r| r.0)
    };
    let doc = step(
        json!({"a": 32.6, "c": {"d": [42], "f": "g"}}),
        json!({"c": {"d": "e"}}),
        false,
    )
    .unwrap();
    let doc = step(doc, json!({"a": "z", "c": {"f": null}}), true).unwrap();
    assert_eq!(doc, json!({"a": "z", "c": {"d": "e"}}));
    assert_eq!(
        step(json!({"a": 1}), json!({"a": {"1": 1}}), false),
        Err(ReduceError::NotAssociative)
    );
    assert_eq!(
        step(json!({"a": 1}), json!({"a": {"bb": {"ccc": null}}}), true),
        Ok(json!({"a": {"bb": {}}}))
    );
}

#[test]
fn conflicting_strategies() {
    let schema = json!({
        "type": "object",
        "reduce": {"strategy": "merge"},
        "properties": {"v": {"allOf": [
            {"reduce": {"strategy": "sum"}},
            {"reduce": {"strategy": "minimize"}},
        ]}},
    });
    let err = fold(&schema, &[json!({"v": 1}), json!({"v": 2})], true).unwrap_err();
    assert_eq!(
        err,
        failed(
            "/v",
            Some(json!(1)),
            json!(2),
            Kind::ConflictingStrategies(Strategy::Sum, Strategy::Minimize { key: vec![] })
        )
    );
    assert_eq!(
        err.to_string(),
        "while reducing \"/v\": having values LHS: 1, RHS: 2: conflicting strategies at this location: Sum vs Minimize { key: [] }"
    );
    // The same, chosen per document by `anyOf`.
    let schema = json!({
        "type": "object",
        "reduce": {"strategy": "merge"},
        "properties": {"v": {"anyOf": [
            {"type": "integer", "reduce": {"strategy": "sum"}},
            {"minimum": 0, "reduce": {"strategy": "maximize"}},
        ]}},
    });
    assert_eq!(
        fold(&schema, &[json!({"v": 1}), json!({"v": -2})], true),
        Ok(json!({"v": -1}))
    );
    assert_eq!(
        fold(&schema, &[json!({"v": 1}), json!({"v": 2})], true)
            .unwrap_err()
            .to_string(),
        "while reducing \"/v\": having values LHS: 1, RHS: 2: conflicting strategies at this location: Sum vs Maximize { key: [] }"
    );
}

#[test]
fn nested_strategies_apply_only_under_recursing_ones() {
    let schema = json!({
        "type": "object",
        "properties": {"n": {"reduce": {"strategy": "sum"}}},
    });
    assert_eq!(
        fold(&schema, &[json!({"n": 1}), json!({"n": 2})], true),
        Ok(json!({"n": 2}))
    );
}

/// Estuary's unit vectors of `jsonSchemaMerge` (`reduce/schema.rs`).
#[test]
fn json_schema_merge() {
    let s = json!({"reduce": {"strategy": "jsonSchemaMerge"}});
    let first = json!({"type": "string", "maxLength": 5, "minLength": 5});
    // The first schema is taken as it is.
    assert_eq!(
        fold_v(s.clone(), std::slice::from_ref(&first), false),
        Ok(first.clone())
    );
    // The union is written back, in-line, with its meta-schema.
    assert_eq!(
        fold_v(
            s.clone(),
            &[
                first.clone(),
                json!({"type": "string", "minLength": 8, "maxLength": 10})
            ],
            false
        ),
        Ok(json!({
            "$schema": "https://json-schema.org/draft/2019-09/schema",
            "type": "string",
            "minLength": 5,
            "maxLength": 10,
        }))
    );
    // Not a schema, or not a valid one.
    let err = fold_v(s.clone(), &[first.clone(), json!("oops!")], false).unwrap_err();
    assert_eq!(
        err.to_string(),
        "while reducing \"/v\": having values LHS: {\"type\":\"string\",\"maxLength\":5,\"minLength\":5}, RHS: \"oops!\": \
         'json-schema-merge' strategy expects objects containing valid JSON schemas: expected an object, found a string"
    );
    let err = fold_v(s, &[first, json!({"type": "foo"})], false).unwrap_err();
    let ReduceError::Failed(failure) = &err else {
        panic!("{err:?}")
    };
    let Kind::JsonSchemaMerge(detail) = &failure.kind else {
        panic!("{err:?}")
    };
    assert!(detail.starts_with("at /type: "), "{detail}");
    assert!(detail.contains("\"foo\""), "{detail}");
}

/// Schemas merged as Estuary's inferred schemas are: each document's
/// schema widens the union. Annotations survive only where every side
/// agrees (the `null` schema has no title).
#[test]
fn json_schema_merge_widens() {
    let s = json!({"reduce": {"strategy": "jsonSchemaMerge"}});
    let merged = fold_v(
        s,
        &[
            json!({
                "type": "object",
                "title": "Orders",
                "x-source": "pg",
                "properties": {
                    "id": {"type": "integer", "minimum": 1, "maximum": 10},
                    "note": {"type": "string", "format": "date", "description": "When"},
                    "tags": {"type": "array", "items": {"type": "string"}, "maxItems": 3},
                },
                "required": ["id", "note"],
                "additionalProperties": false,
            }),
            json!({
                "type": "object",
                "title": "Orders",
                "x-source": "mysql",
                "properties": {
                    "id": {"type": ["integer", "null"], "minimum": -5, "maximum": 7},
                    "note": {"type": "string", "format": "date", "description": "When"},
                    "total": {"type": "number", "reduce": {"strategy": "sum"}},
                },
                "required": ["id"],
                "additionalProperties": false,
            }),
            json!({"type": "null"}),
        ],
        false,
    )
    .unwrap();
    assert_eq!(
        merged,
        json!({
            "$schema": "https://json-schema.org/draft/2019-09/schema",
            "type": ["null", "object"],
            "additionalProperties": false,
            "properties": {
                "id": {"type": ["integer", "null"], "minimum": -5, "maximum": 10},
                "note": {"type": "string", "format": "date", "description": "When"},
                "tags": {"type": "array", "items": {"type": "string"}, "maxItems": 3},
                "total": {"type": "number", "reduce": {"strategy": "sum"}},
            },
            "required": ["id"],
        })
    );
    // Round trip: the merged schema merges with itself into itself.
    let s = json!({"reduce": {"strategy": "jsonSchemaMerge"}});
    assert_eq!(
        fold_v(s, &[merged.clone(), merged.clone()], false),
        Ok(merged)
    );
}

#[test]
fn total_order() {
    let ordered = [
        json!(null),
        json!(false),
        json!(true),
        json!(-1),
        json!(0.5),
        json!(20),
        json!(u64::MAX),
        json!("DEPOSIT"),
        json!("alice"),
        json!([]),
        json!([1]),
        json!([1, 0]),
        json!([2]),
        json!({}),
        json!({"a": 1}),
        json!({"a": 1, "b": 0}),
        json!({"b": 0}),
    ];
    for (i, a) in ordered.iter().enumerate() {
        for (j, b) in ordered.iter().enumerate() {
            assert_eq!(compare(a, b), i.cmp(&j), "{a} vs {b}");
        }
    }
    assert_eq!(compare(&json!(20), &json!(20.0)), Ordering::Equal);
    assert_eq!(compare(&json!(-0.0), &json!(0)), Ordering::Equal);
    assert_eq!(
        compare(&json!({"b": 1, "a": 2}), &json!({"a": 2, "b": 1})),
        Ordering::Equal
    );
}

#[test]
fn strategy_annotations() {
    assert_eq!(
        Strategy::parse(&json!({"strategy": "lastWriteWins", "associative": false})),
        Ok(Strategy::LastWriteWins {
            delete: false,
            associative: false
        })
    );
    assert_eq!(
        Strategy::parse(&json!({"strategy": "bigSum"})),
        Err("invalid `reduce` annotation {\"strategy\":\"bigSum\"}: unknown variant `bigSum`, expected one of `append`, `firstWriteWins`, `jsonSchemaMerge`, `lastWriteWins`, `maximize`, `merge`, `minimize`, `set`, `sum`".to_string())
    );
}
