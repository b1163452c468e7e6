//! YAML and JSON: anchors, aliases and merge keys, and every way text can be bad.

use std::time::{Duration, Instant};

use super::{diagnostics, load_yaml, owned, to_json, Fixture};
use crate::load::load_str;

#[test]
fn anchors_aliases_and_merge_keys() {
    let catalog = load_yaml(
        r#"
collections:
  acmeCo/a:
    schema: &schema {type: object, properties: {id: {type: string}}}
    key: &key [/id]
  acmeCo/b:
    schema: *schema
    key: *key
materializations:
  acmeCo/m:
    endpoint: {connector: {image: x, config: {}}}
    bindings:
      - &binding {resource: {table: a, delta: false}, source: acmeCo/a, backfill: 1}
      - <<: *binding
        resource: {table: b}
      - <<: [{source: acmeCo/b, priority: 3}, *binding]
        resource: {table: c}
"#,
    )
    .unwrap();
    let json = to_json(&catalog);
    assert_eq!(
        json["collections"]["acmeCo/b"],
        json["collections"]["acmeCo/a"]
    );
    assert_eq!(
        json["materializations"]["acmeCo/m"]["bindings"],
        serde_json::json!([
            {"resource": {"table": "a", "delta": false}, "source": "acmeCo/a", "backfill": 1},
            {"resource": {"table": "b"}, "source": "acmeCo/a", "backfill": 1},
            {"resource": {"table": "c"}, "source": "acmeCo/b", "priority": 3, "backfill": 1},
        ])
    );
}

#[test]
fn merge_keys_keep_key_order_and_nest() {
    let catalog = load_yaml(
        r#"
captures:
  acmeCo/c:
    endpoint:
      connector:
        image: x
        config:
          first: 1
          <<: {merged_a: 2, first: 99, merged_b: 3}
          last: 4
          nested:
            <<: &b {<<: &a {x: 1}, y: 2}
            z: 3
          again: *b
    bindings: []
"#,
    )
    .unwrap();
    let config = serde_json::to_string(catalog.captures["acmeCo/c"].endpoint.config()).unwrap();
    assert_eq!(
        config,
        r#"{"first":1,"merged_a":2,"merged_b":3,"last":4,"nested":{"x":1,"y":2,"z":3},"again":{"x":1,"y":2}}"#
    );
}

#[test]
fn scalar_map_keys_are_taken_as_written() {
    let catalog = load_yaml(
        "captures:\n  acmeCo/c:\n    endpoint: {connector: {image: x, config: {1: a, true: b, null: c, 1.5: d, ~: e, 007: f}}}\n    bindings: []\n",
    )
    .unwrap();
    let config = serde_json::to_string(catalog.captures["acmeCo/c"].endpoint.config()).unwrap();
    assert_eq!(
        config,
        r#"{"1":"a","true":"b","null":"c","1.5":"d","~":"e","007":"f"}"#
    );
}

#[test]
fn bad_text() {
    let yaml = "file:///p/flow.yaml";
    let json = "file:///p/flow.json";
    let deep_block: String = (0..10_000)
        .map(|i| format!("{}- \n", " ".repeat(i)))
        .collect();
    let cases: Vec<(&str, String, &str, &str, &str)> = vec![
        (
            "unclosed YAML sequence",
            "collections: [1, 2\n".into(),
            yaml,
            "invalid YAML: did not find expected ',' or ']' at line 2 column 1, while parsing a flow sequence at line 1 column 14",
            "yaml_syntax",
        ),
        (
            "bad YAML indentation",
            "collections:\n  acmeCo/x:\n    key: [/id]\n   schema: {}\n".into(),
            yaml,
            "invalid YAML: did not find expected key at line 4 column 4, while parsing a block mapping at line 2 column 3",
            "yaml_syntax",
        ),
        (
            "tab indentation",
            "collections:\n\tacmeCo/x: {}\n".into(),
            yaml,
            "invalid YAML: found character that cannot start any token at line 2 column 1, while scanning for the next token",
            "yaml_syntax",
        ),
        (
            "unknown alias",
            "collections: *nope\n".into(),
            yaml,
            "invalid YAML: unknown anchor at line 1 column 14",
            "yaml_syntax",
        ),
        (
            "bad JSON",
            r#"{"collections": {"acmeCo/x": }}"#.into(),
            json,
            "invalid JSON: expected value at line 1 column 30",
            "json_syntax",
        ),
        (
            "trailing comma in JSON",
            "{\"collections\": {},\n}".into(),
            json,
            "invalid JSON: trailing comma at line 2 column 1",
            "json_syntax",
        ),
        (
            "trailing characters in JSON",
            "{} {}".into(),
            json,
            "invalid JSON: trailing characters at line 1 column 4",
            "json_syntax",
        ),
        (
            "duplicate key in YAML",
            "collections: {}\ncaptures: {}\ncollections: {}\n".into(),
            yaml,
            "duplicate key \"collections\" at line 3 column 1",
            "yaml_syntax",
        ),
        (
            "duplicate key nested in an opaque YAML value",
            "captures:\n  acmeCo/c:\n    endpoint: {connector: {image: x, config: {a: 1, b: 2, a: 3}}}\n".into(),
            yaml,
            "duplicate key \"a\" at line 3 column 59",
            "yaml_syntax",
        ),
        (
            "duplicate key in JSON",
            r#"{"collections": {"acmeCo/x": {"key": [], "key": []}}}"#.into(),
            json,
            "duplicate key \"key\" at line 1 column 46",
            "json_syntax",
        ),
        (
            "YAML tag",
            "collections:\n  acmeCo/x: !Collection {key: [/id]}\n".into(),
            yaml,
            "YAML tags are not supported (found `!Collection`): write plain values at line 2 column 13",
            "yaml_syntax",
        ),
        (
            ".inf",
            "captures: {acmeCo/c: {endpoint: {connector: {image: x, config: {limit: .inf}}}}}\n".into(),
            yaml,
            "`.inf` is not a JSON number (JSON has no infinity or NaN) at line 1 column 72",
            "yaml_syntax",
        ),
        (
            "-.inf",
            "captures: {acmeCo/c: {endpoint: {connector: {image: x, config: {limit: -.Inf}}}}}\n".into(),
            yaml,
            "`-.inf` is not a JSON number (JSON has no infinity or NaN) at line 1 column 72",
            "yaml_syntax",
        ),
        (
            ".nan",
            "captures: {acmeCo/c: {endpoint: {connector: {image: x, config: {limit: .NaN}}}}}\n".into(),
            yaml,
            "`.nan` is not a JSON number (JSON has no infinity or NaN) at line 1 column 72",
            "yaml_syntax",
        ),
        (
            "a sequence as a map key",
            "collections:\n  ? [a, b]\n  : {}\n".into(),
            yaml,
            "invalid YAML: collections: invalid type: sequence, expected a string or scalar map key at line 2 column 5",
            "yaml_syntax",
        ),
        (
            "two YAML documents",
            "collections: {}\n---\ncaptures: {}\n".into(),
            yaml,
            "a file must hold one YAML document, but this one holds more than one (separated by `---`)",
            "yaml_syntax",
        ),
        (
            "a scalar merge key",
            "captures:\n  acmeCo/c:\n    endpoint: {connector: {image: x, config: {<<: 1}}}\n".into(),
            yaml,
            "expected a mapping or list of mappings for merging, but found a number at line 3 column 46",
            "yaml_syntax",
        ),
        (
            "a tag other than the standard ones",
            "captures:\n  acmeCo/c:\n    endpoint: {connector: {image: x, config: !!set {a: null}}}\n".into(),
            yaml,
            "YAML tags are not supported (found `!!set`): write plain values at line 3 column 46",
            "yaml_syntax",
        ),
        (
            "a local tag",
            "captures:\n  acmeCo/c:\n    endpoint: {connector: {image: x, config: !Config {a: 1}}}\n".into(),
            yaml,
            "YAML tags are not supported (found `!Config`): write plain values at line 3 column 46",
            "yaml_syntax",
        ),
        (
            "a merge of a list holding a scalar",
            "captures:\n  acmeCo/c:\n    endpoint: {connector: {image: x, config: {<<: [{a: 1}, b]}}}\n".into(),
            yaml,
            "expected a mapping for merging, but found a string at line 3 column 46",
            "yaml_syntax",
        ),
        (
            "nesting 10,000 deep in a YAML flow sequence",
            "[".repeat(10_000),
            yaml,
            "the document nests deeper than 128 levels at line 1 column 129",
            "nesting_too_deep",
        ),
        (
            "nesting 10,000 deep in YAML block sequences",
            format!("collections:\n{deep_block}"),
            yaml,
            "the document nests deeper than 128 levels at line 129 column 128",
            "nesting_too_deep",
        ),
        (
            "nesting 10,000 deep in JSON arrays",
            "[".repeat(10_000),
            json,
            "the document nests deeper than 128 levels at line 1 column 128",
            "nesting_too_deep",
        ),
        (
            "nesting 10,000 deep in JSON objects",
            "{\"a\":".repeat(10_000),
            json,
            "the document nests deeper than 128 levels at line 1 column 636",
            "nesting_too_deep",
        ),
        (
            "nesting 10,000 deep in JSON in a YAML file",
            "{\"a\":".repeat(10_000),
            yaml,
            "the document nests deeper than 128 levels at line 1 column 641",
            "nesting_too_deep",
        ),
        (
            "a catalog that is not a map",
            "- collections\n".into(),
            yaml,
            "a catalog file must hold a map of `import`, `captures`, `collections`, `materializations` and `tests`, but this one holds an array",
            "invalid_spec",
        ),
    ];
    for (what, text, url, message, code) in cases {
        let got = diagnostics(load_str(&text, url));
        assert_eq!(got, owned(&[(url, message, code)]), "{what}");
    }
}

#[test]
fn billion_laughs_stop_quickly() {
    let mut config = String::from("          a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for (prev, next) in ["a", "b", "c", "d", "e", "f", "g", "h"]
        .iter()
        .zip(["b", "c", "d", "e", "f", "g", "h", "i"])
    {
        let aliases = vec![format!("*{prev}"); 9].join(",");
        config.push_str(&format!("          {next}: &{next} [{aliases}]\n"));
    }
    let text = format!(
        "captures:\n  acmeCo/c:\n    endpoint:\n      connector:\n        image: x\n        config:\n{config}    bindings: []\n"
    );
    let start = Instant::now();
    let got = diagnostics(load_yaml(&text));
    assert!(
        start.elapsed() < Duration::from_secs(10),
        "took {:?}",
        start.elapsed()
    );
    assert_eq!(got.len(), 1, "{got:?}");
    let (scope, message, code) = &got[0];
    assert_eq!(scope, "file:///p/flow.yaml");
    assert_eq!(code, "alias_limit", "{message}");
}

#[test]
fn one_anchor_aliased_many_times_is_stopped() {
    // Few alias expansions (so serde_yaml's own limit does not apply), each
    // of a large value: the value budget stops it.
    let items = vec!["1"; 2_000].join(",");
    let aliases = vec!["*a"; 2_000].join(",");
    let text = format!(
        "captures:\n  acmeCo/c:\n    endpoint: {{connector: {{image: x, config: {{a: &a [{items}], b: [{aliases}]}}}}}}\n"
    );
    let got = diagnostics(load_yaml(&text));
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].2, "alias_limit");
    assert!(
        got[0]
            .1
            .starts_with("the document expands to more than 1040")
            && got[0]
                .1
                .ends_with("values (is this a YAML alias bomb?) at line 3 column 3678"),
        "{}",
        got[0].1
    );
}

#[test]
fn files_that_are_not_utf8_or_too_large() {
    let fx = Fixture::new(&[("big.yaml", "")]);
    fx.write("flow.yaml", b"collections:\n  acme\xffCo/x: {}\n");
    assert_eq!(
        fx.diagnostics(fx.load("flow.yaml")),
        owned(&[(
            "file:///p/flow.yaml",
            "file is not UTF-8 text: invalid byte at line 2 column 7",
            "not_utf8"
        )])
    );

    // A sparse file: large, without taking the space.
    let big = std::fs::OpenOptions::new()
        .write(true)
        .open(fx.path("big.yaml"))
        .unwrap();
    big.set_len(257 * 1024 * 1024).unwrap();
    assert_eq!(
        fx.diagnostics(fx.load("big.yaml")),
        owned(&[(
            "file:///p/big.yaml",
            "file:///p/big.yaml is too large to load (257 MiB; the limit is 256 MiB)",
            "too_large"
        )])
    );
    fx.write("flow.yaml", b"import: [big.yaml]\n");
    assert_eq!(
        fx.diagnostics(fx.load("flow.yaml")),
        owned(&[(
            "file:///p/flow.yaml#/import/0",
            "file:///p/big.yaml is too large to load (257 MiB; the limit is 256 MiB)",
            "too_large"
        )])
    );
}

#[test]
fn json_files_are_strict_json() {
    // `.json` is parsed by serde_json, so YAML is an error there...
    let got = diagnostics(load_str("collections: {}\n", "file:///p/flow.json"));
    assert_eq!(got[0].2, "json_syntax");
    // ...while JSON-looking text that is YAML parses in a YAML file.
    let catalog = load_str(
        "{collections: {acmeCo/x: {schema: {}, key: [/id]},}}",
        "file:///p/flow.yaml",
    )
    .unwrap();
    assert_eq!(catalog.collections.len(), 1);
    // A byte-order mark is fine.
    let catalog = load_str("\u{feff}{\"collections\": {}}", "file:///p/flow.json").unwrap();
    assert!(catalog.is_empty());
}

#[test]
fn mangled_text_never_panics() {
    // Every truncation of a catalog, and the catalog with each byte replaced
    // by characters YAML treats specially, loads or fails cleanly.
    let text = r##"
import: [other.yaml]
collections:
  acmeCo/x: &x
    schema: {type: object, properties: {id: {type: string}}, $defs: {a: {$ref: "#/$defs/a"}}}
    key: [/id]
  acmeCo/y:
    <<: *x
    projections: {f: /id, g: {location: /g, partition: true}}
tests:
  acmeCo/t:
    - ingest: {collection: acmeCo/x, documents: [{id: "1"}]}
"##;
    let bytes = text.as_bytes();
    for end in 0..bytes.len() {
        let _ = load_yaml(&text[..end]);
        let _ = load_str(&text[..end], "file:///p/flow.json");
    }
    for i in 0..bytes.len() {
        for c in [
            b'[', b'{', b'&', b'*', b'!', b'"', b'\'', b'\t', b':', b'-', b'<', b'|', b'%', b'#',
        ] {
            let mut mangled = bytes.to_vec();
            mangled[i] = c;
            let _ = load_yaml(&String::from_utf8(mangled).unwrap());
        }
    }
}

#[test]
fn empty_yaml_and_json_files_are_alike() {
    let fx = super::Fixture::new(&[
        ("empty.json", ""),
        ("blank.json", " \n\t\n"),
        ("empty.yaml", ""),
        ("blank.yaml", "\n\n"),
        (
            "flow.yaml",
            "import: [empty.json, empty.yaml]\ncaptures:\n  acmeCo/c:\n    endpoint: {connector: {image: x, config: blank.json}}\n    bindings: []\n",
        ),
    ]);
    for name in ["empty.json", "blank.json", "empty.yaml", "blank.yaml"] {
        let catalog = fx.load(name).unwrap();
        assert!(catalog.is_empty(), "{name}");
    }
    // As a config, an empty JSON file is as empty as an empty YAML one.
    let got = fx.diagnostics(fx.load("flow.yaml"));
    assert_eq!(
        got,
        super::owned(&[(
            "file:///p/flow.yaml#/captures/acmeCo~1c/endpoint/connector/config",
            "capture acmeCo/c: the config must be an object, but file:///p/blank.json holds null",
            "config_not_object",
        )])
    );
}
