use serde_json::{json, Value};

use super::{parse_catalog, Item};
use crate::load::parse::{parse_str, Format};

fn items(text: &str, format: Format) -> Result<Vec<Item>, crate::Diagnostic> {
    let mut items = Vec::new();
    parse_catalog(text.as_bytes(), "file:///p/flow.yaml", format, &mut |i| {
        items.push(i)
    })?;
    Ok(items)
}

fn spec(section: &'static str, name: &str, value: Value) -> Item {
    Item::Spec(section, name.to_string(), value)
}

#[test]
fn specs_arrive_one_at_a_time_in_file_order() {
    let text = "import: [a.yaml]\ncollections:\n  b/x: {key: [/id]}\n  a/y: {key: [/k]}\ntests:\n  t/z: []\n";
    assert_eq!(
        items(text, Format::Yaml).unwrap(),
        vec![
            Item::Top("import".into(), json!(["a.yaml"])),
            spec("collections", "b/x", json!({"key": ["/id"]})),
            spec("collections", "a/y", json!({"key": ["/k"]})),
            spec("tests", "t/z", json!([])),
        ]
    );
    let json_text = r#"{"collections": {"b/x": {"key": ["/id"]}}, "$schema": "s"}"#;
    assert_eq!(
        items(json_text, Format::Json).unwrap(),
        vec![
            spec("collections", "b/x", json!({"key": ["/id"]})),
            Item::Top("$schema".into(), json!("s")),
        ]
    );
}

#[test]
fn what_is_not_a_map_arrives_whole() {
    assert_eq!(
        items("", Format::Yaml).unwrap(),
        vec![Item::Document(Value::Null)]
    );
    assert_eq!(
        items("[1, 2]", Format::Yaml).unwrap(),
        vec![Item::Document(json!([1, 2]))]
    );
    assert_eq!(
        items("collections: [a]\ncaptures:\n", Format::Yaml).unwrap(),
        vec![
            Item::Top("collections".into(), json!(["a"])),
            Item::Top("captures".into(), Value::Null),
        ]
    );
}

#[test]
fn merge_keys_work_in_sections_and_the_document() {
    let text = "\
x-common: &c
  a/one: {key: [/a]}
  a/two: {key: [/b]}
x-sections: &s
  tests: {t/t: []}
  collections: {ignored/c: {}}
collections:
  a/two: {key: [/written]}
  <<: *c
<<: *s
";
    let got = items(text, Format::Yaml).unwrap();
    let specs: Vec<_> = got.iter().filter(|i| matches!(i, Item::Spec(..))).collect();
    assert_eq!(
        specs,
        vec![
            &spec("collections", "a/two", json!({"key": ["/written"]})),
            &spec("collections", "a/one", json!({"key": ["/a"]})),
            &spec("tests", "t/t", json!([])),
        ]
    );
}

#[test]
fn streaming_agrees_with_the_whole_document() {
    let text = "\
collections:
  acmeCo/a: &a
    schema: {type: object, properties: {id: {type: string}}}
    key: [/id]
  acmeCo/b:
    <<: *a
    key: [/b]
materializations:
  acmeCo/m: {endpoint: {local: {command: [x], config: {}}}, bindings: []}
";
    let whole = parse_str(text, "file:///p/flow.yaml", Format::Yaml, true).unwrap();
    let mut rebuilt = serde_json::Map::new();
    for item in items(text, Format::Yaml).unwrap() {
        let Item::Spec(section, name, value) = item else {
            panic!("{item:?}")
        };
        rebuilt
            .entry(section)
            .or_insert_with(|| json!({}))
            .as_object_mut()
            .unwrap()
            .insert(name, value);
    }
    assert_eq!(Value::Object(rebuilt), whole);
}

#[test]
fn json_looking_yaml_restarts_as_yaml() {
    let text = "{collections: {a/b: {key: [/id]}}}";
    assert_eq!(
        items(text, Format::Yaml).unwrap(),
        vec![
            Item::Restart,
            spec("collections", "a/b", json!({"key": ["/id"]}))
        ]
    );
    // Valid JSON needs no second parse.
    let text = r#"{"collections": {"a/b": {"key": ["/id"]}}}"#;
    assert_eq!(
        items(text, Format::Yaml).unwrap(),
        vec![spec("collections", "a/b", json!({"key": ["/id"]}))]
    );
}

#[test]
fn duplicate_names_and_bad_merges_are_errors_with_their_place() {
    let err = items("collections:\n  a/b: {}\n  a/b: {}\n", Format::Yaml).unwrap_err();
    assert_eq!(err.code, "yaml_syntax");
    assert!(
        err.message.starts_with("duplicate key \"a/b\" at line 3"),
        "{}",
        err.message
    );
    let err = items(r#"{"tests": {"t/a": [], "t/a": []}}"#, Format::Json).unwrap_err();
    assert_eq!(err.code, "json_syntax");
    assert!(
        err.message.starts_with("duplicate key \"t/a\" at line 1"),
        "{}",
        err.message
    );
    let err = items("collections:\n  <<: 3\n", Format::Yaml).unwrap_err();
    assert!(
        err.message
            .starts_with("expected a mapping or list of mappings for merging, but found a number"),
        "{}",
        err.message
    );
}
