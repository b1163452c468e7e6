use serde_json::{json, Value};

use crate::json::MAX_DEPTH;
use crate::validate::testing::catalog;
use crate::write::{render_unsealed as render, Format};

/// A value nesting `levels` arrays and objects, an object outermost.
fn deep(levels: usize) -> Value {
    (0..levels).fold(json!(1), |v, i| {
        if i % 2 == levels % 2 {
            json!([v])
        } else {
            json!({ "k": v })
        }
    })
}

/// A catalog with a value at every place a value can be.
fn every_slot(d: &Value) -> Value {
    let using = |using: Value| json!({"writeSchema": d, "readSchema": d, "key": ["/id"], "derive": {"using": using, "transforms": []}});
    json!({
        "collections": {
            "acmeCo/a": {"schema": d, "key": ["/id"]},
            "acmeCo/b": {"schema": {"type": "object"}, "key": ["/id"], "derive": {
                "using": {"sqlite": {"migrations": ["CREATE TABLE x (y);", d]}},
                "transforms": [{
                    "name": "t",
                    "source": {"name": "acmeCo/a", "partitions": {"include": {"f": [1, d]}, "exclude": {"g": [d]}}},
                    "shuffle": {"lambda": d},
                    "lambda": d,
                }],
            }},
            "acmeCo/c": using(json!({"connector": {"image": "i:v1", "config": d}})),
            "acmeCo/d": using(json!({"typescript": {"module": d}})),
            "acmeCo/e": using(json!({"python": {"module": d}})),
            "acmeCo/f": using(json!({"local": {"command": ["x"], "config": d}})),
        },
        "captures": {
            "acmeCo/cap": {
                "endpoint": {"connector": {"image": "i:v1", "config": d}},
                "bindings": [{"resource": {"ok": 1}, "target": "acmeCo/a"}, {"resource": d, "target": "acmeCo/a"}],
            },
            "acmeCo/cap2": {"endpoint": {"local": {"command": ["x"], "config": d}}, "bindings": []},
        },
        "materializations": {
            "acmeCo/mat": {
                "endpoint": {"dekaf": {"variant": "v", "config": d}},
                "bindings": [{
                    "resource": d,
                    "source": {"name": "acmeCo/a", "partitions": {"include": {"f": [d]}}},
                    "fields": {"recommended": true, "require": {"f": d}},
                }],
            },
        },
        "tests": {
            "acmeCo/tests/t": {"steps": [
                {"ingest": {"collection": "acmeCo/a", "documents": [{}, d]}},
                {"verify": {"collection": {"name": "acmeCo/a", "partitions": {"include": {"f": [d]}}}, "documents": [d]}},
            ]},
        },
    })
}

/// The scopes of the `nesting_too_deep` diagnostics of `catalog`, and
/// checks their messages.
fn too_deep(catalog: &crate::Catalog) -> Vec<String> {
    crate::validate::validate(catalog)
        .into_iter()
        .filter(|d| d.code == "nesting_too_deep")
        .map(|d| {
            let (kind, name) = d.message.split_once(' ').unwrap();
            let name = name.split_once(':').unwrap().0;
            assert!(["capture", "collection", "materialization", "test"].contains(&kind));
            assert_eq!(
                d.message,
                format!("{kind} {name}: this value nests arrays and objects more than 100 levels deep, which a catalog cannot hold (it would not load again)")
            );
            assert!(d.is_error());
            d.scope
        })
        .collect()
}

#[test]
fn values_deeper_than_the_limit_are_reported_where_they_are() {
    let scopes = too_deep(&catalog(every_slot(&deep(MAX_DEPTH + 1))));
    let want: Vec<String> = [
        "captures/acmeCo~1cap/bindings/1/resource",
        "captures/acmeCo~1cap/endpoint/connector/config",
        "captures/acmeCo~1cap2/endpoint/local/config",
        "collections/acmeCo~1a/schema",
        "collections/acmeCo~1b/derive/transforms/0/lambda",
        "collections/acmeCo~1b/derive/transforms/0/shuffle/lambda",
        "collections/acmeCo~1b/derive/transforms/0/source/partitions/exclude/g/0",
        "collections/acmeCo~1b/derive/transforms/0/source/partitions/include/f/1",
        "collections/acmeCo~1b/derive/using/sqlite/migrations/1",
        "collections/acmeCo~1c/derive/using/connector/config",
        "collections/acmeCo~1c/readSchema",
        "collections/acmeCo~1c/writeSchema",
        "collections/acmeCo~1d/derive/using/typescript/module",
        "collections/acmeCo~1d/readSchema",
        "collections/acmeCo~1d/writeSchema",
        "collections/acmeCo~1e/derive/using/python/module",
        "collections/acmeCo~1e/readSchema",
        "collections/acmeCo~1e/writeSchema",
        "collections/acmeCo~1f/derive/using/local/config",
        "collections/acmeCo~1f/readSchema",
        "collections/acmeCo~1f/writeSchema",
        "materializations/acmeCo~1mat/bindings/0/fields/require/f",
        "materializations/acmeCo~1mat/bindings/0/resource",
        "materializations/acmeCo~1mat/bindings/0/source/partitions/include/f/0",
        "materializations/acmeCo~1mat/endpoint/dekaf/config",
        "tests/acmeCo~1tests~1t/steps/0/ingest/documents/1",
        "tests/acmeCo~1tests~1t/steps/1/verify/collection/partitions/include/f/0",
        "tests/acmeCo~1tests~1t/steps/1/verify/documents/0",
    ]
    .iter()
    .map(|pointer| format!("flow://catalog#/{pointer}"))
    .collect();
    assert_eq!(scopes, want);

    assert_eq!(
        too_deep(&catalog(every_slot(&deep(MAX_DEPTH)))),
        Vec::<String>::new()
    );
}

#[test]
fn schema_text_is_measured_outside_its_strings() {
    let schema = |levels: usize| {
        let leaf = json!({"const": "[[[[{{{{\\\"[[[[", "x": [[]]});
        let schema = (3..levels).fold(leaf, |v, _| json!({ "not": v }));
        catalog(json!({"collections": {"acmeCo/a": {"schema": schema, "key": ["/id"]}}}))
    };
    assert_eq!(too_deep(&schema(MAX_DEPTH)), Vec::<String>::new());
    assert_eq!(
        too_deep(&schema(MAX_DEPTH + 1)),
        vec!["flow://catalog#/collections/acmeCo~1a/schema".to_string()]
    );
}

/// A value as deep as the limit, at the deepest place of a catalog document
/// (a partition value of a transform, 10 levels down), is written and
/// loads again, as JSON (whose parser reads 127 levels) and as YAML.
#[test]
fn the_deepest_value_within_the_limit_loads_again() {
    let at_partition = |d: Value| {
        catalog(
            json!({"collections": {"acmeCo/a": {"schema": {"type": "object"}, "key": ["/id"], "derive": {
                "using": {"sqlite": {}},
                "transforms": [{"name": "t", "source": {"name": "acmeCo/a", "partitions": {"include": {"f": [d]}}}}],
            }}}}),
        )
    };
    let value = |catalog: &crate::Catalog| {
        let derive = catalog.collections["acmeCo/a"].derive.as_ref().unwrap();
        let crate::Source::Source(source) = &derive.transforms[0].source else {
            panic!("a full source");
        };
        source.partitions.as_ref().unwrap().include["f"][0].clone()
    };
    let written = at_partition(deep(MAX_DEPTH));
    assert_eq!(too_deep(&written), Vec::<String>::new());
    for (format, url) in [
        (Format::Json, "file:///p/flow.json"),
        (Format::Yaml, "file:///p/flow.yaml"),
    ] {
        let text = render(&written, format);
        let loaded = crate::load::load_str(&text, url).unwrap();
        assert_eq!(value(&loaded), deep(MAX_DEPTH), "{url}");
    }
    // The room left: JSON documents nest at most 127 levels.
    let json = |levels| render(&at_partition(deep(levels)), Format::Json);
    assert!(crate::load::load_str(&json(117), "file:///p/flow.json").is_ok());
    let err = crate::load::load_str(&json(118), "file:///p/flow.json").unwrap_err();
    assert_eq!(err.diagnostics()[0].code, "nesting_too_deep");
}
