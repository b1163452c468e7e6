//! Numbers keep their exact text through load, write and bundle, in YAML
//! and JSON files alike.

use super::{diagnostics, load_yaml, owned, Fixture};
use crate::write::Format;
use crate::Catalog;

/// A config of every YAML form of number, and the JSON text each loads as.
const YAML_CONFIG: &[&str] = &[
    "big: 99999999999999999999",
    "negbig: -123456789012345678901234567890",
    "u128: 340282366920938463463374607431768211455",
    "huge: 1e400",
    "tiny: -1e-400",
    "precise: 0.1000000000000000000001",
    "trailing: 1.50",
    "hex: 0x1F",
    "plus: +7",
    "half: .5",
    "dot: 5.",
    "float: !!float 1",
    "int: !!int 123456789012345678901234567890",
    "exp: 6.02E23",
    "zeros: 007.50",
    "string: '1e400'",
];
const CONFIG_JSON: &str = r#"{"big":99999999999999999999,"negbig":-123456789012345678901234567890,"u128":340282366920938463463374607431768211455,"huge":1e+400,"tiny":-1e-400,"precise":0.1000000000000000000001,"trailing":1.50,"hex":31,"plus":7,"half":0.5,"dot":5.0,"float":1.0,"int":123456789012345678901234567890,"exp":6.02e+23,"zeros":7.50,"string":"1e400"}"#;

/// A JSON config of the same numbers, as JSON writes them.
const JSON_CONFIG: &str = r#"{"big":99999999999999999999,"negbig":-123456789012345678901234567890,"u128":340282366920938463463374607431768211455,"huge":1e400,"tiny":-1E-400,"precise":0.1000000000000000000001,"trailing":1.50,"hex":31,"plus":7,"half":0.5,"dot":5.0,"float":1.0,"int":123456789012345678901234567890,"exp":6.02e23,"zeros":7.50,"string":"1e400"}"#;

/// The schema file both catalogs refer to, and its keywords as bundled into
/// the collection's schema.
const SCHEMA: &str = r#"{"type":"object","properties":{"id":{"type":"integer","maximum":99999999999999999999},"n":{"type":"number","multipleOf":0.01,"minimum":-1e400}},"required":["id"]}"#;
const SCHEMA_KEYWORDS: &str = r#""type":"object","properties":{"id":{"type":"integer","maximum":99999999999999999999},"n":{"type":"number","multipleOf":0.01,"minimum":-1e+400}},"required":["id"]}"#;

fn config(catalog: &Catalog) -> String {
    let capture = &catalog.captures["acmeCo/src"];
    capture.endpoint.config().to_string()
}

fn fixture() -> Fixture {
    let config: String = YAML_CONFIG
        .iter()
        .map(|line| format!("          {line}\n"))
        .collect();
    let yaml = format!(
        "captures:\n  acmeCo/src:\n    endpoint:\n      connector:\n        image: x:v1\n        config:\n{config}    bindings:\n      - resource: {{stream: a, cursor: 18446744073709551616}}\n        target: acmeCo/x\ncollections:\n  acmeCo/x:\n    schema: x.schema.json\n    key: [/id]\n"
    );
    let json = format!(
        r#"{{"captures":{{"acmeCo/src":{{"endpoint":{{"connector":{{"image":"x:v1","config":{JSON_CONFIG}}}}},"bindings":[{{"resource":{{"stream":"a","cursor":18446744073709551616}},"target":"acmeCo/x"}}]}}}},"collections":{{"acmeCo/x":{{"schema":"x.schema.json","key":["/id"]}}}}}}"#
    );
    Fixture::new(&[
        ("flow.yaml", &yaml),
        ("flow.json", &json),
        ("x.schema.json", SCHEMA),
    ])
}

#[test]
fn yaml_and_json_load_the_same_exact_numbers() {
    let fixture = fixture();
    for file in ["flow.yaml", "flow.json"] {
        let catalog = fixture.load(file).unwrap();
        assert_eq!(config(&catalog), CONFIG_JSON, "{file}");
        let resource = &catalog.captures["acmeCo/src"].bindings[0].resource;
        assert_eq!(resource["cursor"].to_string(), "18446744073709551616");
        let schema = catalog.collections["acmeCo/x"].schema.as_ref().unwrap();
        let text = schema.inline_json().unwrap();
        assert!(text.contains(SCHEMA_KEYWORDS), "{file}: {text}");
        // Validation reads such schemas without trouble.
        assert_eq!(catalog.validate().unwrap(), vec![], "{file}");
    }
}

#[test]
fn written_numbers_load_again_with_the_same_digits() {
    let fixture = fixture();
    let catalog = fixture.load("flow.yaml").unwrap();

    let json = crate::write::render_unsealed(&catalog, Format::Json);
    for text in [
        r#""big": 99999999999999999999"#,
        r#""huge": 1e+400"#,
        r#""precise": 0.1000000000000000000001"#,
        r#""trailing": 1.50"#,
        r#""maximum": 99999999999999999999"#,
        r#""cursor": 18446744073709551616"#,
    ] {
        assert!(json.contains(text), "{text} in\n{json}");
    }
    fixture.write("written.json", json.as_bytes());
    let back = fixture.load("written.json").unwrap();
    assert_eq!(config(&back), CONFIG_JSON);

    // YAML 1.1 reads a float only with a `.` in its mantissa and a sign in
    // its exponent: the writer adds them, and keeps every digit.
    let yaml = crate::write::render_unsealed(&catalog, Format::Yaml);
    for line in [
        "big: 99999999999999999999\n",
        "negbig: -123456789012345678901234567890\n",
        "huge: 1.0e+400\n",
        "tiny: -1.0e-400\n",
        "precise: 0.1000000000000000000001\n",
        "trailing: 1.50\n",
        "float: 1.0\n",
        "exp: 6.02e+23\n",
        "string: \"1e400\"\n",
        "maximum: 99999999999999999999\n",
        "minimum: -1.0e+400\n",
        "multipleOf: 0.01\n",
        "cursor: 18446744073709551616\n",
    ] {
        assert!(yaml.contains(line), "{line:?} in\n{yaml}");
    }
    fixture.write("written.yaml", yaml.as_bytes());
    let back = fixture.load("written.yaml").unwrap();
    let with_dots = CONFIG_JSON
        .replace("1e+400", "1.0e+400")
        .replace("-1e-400", "-1.0e-400");
    assert_eq!(config(&back), with_dots);
    // Written again, nothing changes.
    assert_eq!(crate::write::render_unsealed(&back, Format::Yaml), yaml);
}

#[test]
fn bundling_keeps_the_digits_of_referenced_files() {
    let fixture = fixture();
    fixture.write(
        "inline.flow.yaml",
        b"collections:\n  acmeCo/y:\n    schema:\n      $ref: x.schema.json\n    key: [/id]\n",
    );
    let catalog = fixture.load("inline.flow.yaml").unwrap();
    let bundled = catalog.bundle().unwrap();
    let schema = bundled.collections["acmeCo/y"].schema.as_ref().unwrap();
    let text = schema.inline_json().unwrap();
    assert!(text.contains(r#""maximum":99999999999999999999"#), "{text}");
    assert!(text.contains(r#""minimum":-1e+400"#), "{text}");
}

#[test]
fn numbers_where_a_spec_wants_something_else_are_reported() {
    let transform = |backfill: &str| {
        format!(
            "collections:\n  acmeCo/x:\n    schema: {{type: object}}\n    key: [/id]\n    derive:\n      using: {{sqlite: {{}}}}\n      transforms:\n        - {{name: a, source: acmeCo/x, backfill: {backfill}}}\n"
        )
    };
    let scope = "file:///p/flow.yaml#/collections/acmeCo~1x/derive/transforms/0/backfill";
    for (backfill, message) in [
        ("-1", "invalid value: integer `-1`, expected a whole number from 0 to 4294967295"),
        (
            "4294967296",
            "invalid value: integer `4294967296`, expected a whole number from 0 to 4294967295",
        ),
        ("1.5", "invalid type: floating point `1.5`, expected a whole number from 0 to 4294967295"),
        ("2.0", "invalid type: floating point `2.0`, expected a whole number from 0 to 4294967295"),
        (
            "99999999999999999999",
            "invalid value: integer `99999999999999999999`, expected a whole number from 0 to 4294967295",
        ),
        (
            "123456789012345678901234567890123456789012",
            "invalid value: integer `123456789012345678901234567890123456789012`, expected a whole number from 0 to 4294967295",
        ),
        (
            "1e400",
            "invalid type: floating point `1e+400`, expected a whole number from 0 to 4294967295",
        ),
        (
            "0.1000000000000000000001",
            "invalid type: floating point `0.1000000000000000000001`, expected a whole number from 0 to 4294967295",
        ),
    ] {
        let got = diagnostics(load_yaml(&transform(backfill)));
        let message = format!("collection acmeCo/x: {message}");
        assert_eq!(
            got,
            owned(&[(scope, &message, "invalid_spec")]),
            "{backfill}"
        );
    }
    let catalog = load_yaml(&transform("7")).unwrap();
    let derive = catalog.collections["acmeCo/x"].derive.as_ref().unwrap();
    assert_eq!(derive.transforms[0].backfill, 7);

    // Optional counts too.
    let shards = "captures:\n  acmeCo/c:\n    endpoint: {connector: {image: x, config: {}}}\n    bindings: []\n    shards: {hotStandbys: 1.5}\n";
    assert_eq!(
        diagnostics(load_yaml(shards)),
        owned(&[(
            "file:///p/flow.yaml#/captures/acmeCo~1c/shards/hotStandbys",
            "capture acmeCo/c: invalid type: floating point `1.5`, expected a whole number from 0 to 4294967295",
            "invalid_spec",
        )])
    );
    let shards = shards.replace("1.5", "2");
    let catalog = load_yaml(&shards).unwrap();
    assert_eq!(catalog.captures["acmeCo/c"].shards.hot_standbys, Some(2));

    // Where a string is expected, serde_json names a number only as such.
    assert_eq!(
        diagnostics(load_yaml(
            "collections:\n  acmeCo/x:\n    schema: {}\n    key: [1e400]\n"
        )),
        owned(&[(
            "file:///p/flow.yaml#/collections/acmeCo~1x/key/0",
            "collection acmeCo/x: invalid type: floating point `1e+400`, expected a string",
            "invalid_spec",
        )])
    );
}

#[test]
fn a_number_for_a_whole_document_or_section_is_reported() {
    for (text, url) in [
        ("1e400\n", "file:///p/flow.yaml"),
        ("99999999999999999999", "file:///p/flow.yaml"),
        ("1e400", "file:///p/flow.json"),
    ] {
        let got = diagnostics(crate::load::load_str(text, url));
        assert_eq!(got.len(), 1, "{text}");
        assert_eq!(got[0].0, url);
        assert!(got[0].1.ends_with("but this one holds a number"), "{got:?}");
    }
    for text in [
        "collections: 1.5\n",
        "collections: 1e400\n",
        "{\"collections\": 1e400}",
    ] {
        let got = diagnostics(load_yaml(text));
        assert_eq!(got.len(), 1, "{text}");
        assert_eq!(got[0].0, "file:///p/flow.yaml#/collections", "{text}");
        assert_eq!(got[0].2, "invalid_spec", "{text}");
    }
}

#[test]
fn documents_of_tests_keep_their_digits() {
    let text = "tests:\n  acmeCo/tests/t:\n    steps:\n      - ingest:\n          collection: acmeCo/x\n          documents: [{id: 1, n: 12345678901234567890123, f: 0.30000000000000000001}]\n";
    let catalog = load_yaml(text).unwrap();
    let json = serde_json::to_string(&catalog.tests["acmeCo/tests/t"]).unwrap();
    assert!(
        json.contains(r#"{"id":1,"n":12345678901234567890123,"f":0.30000000000000000001}"#),
        "{json}"
    );
}
