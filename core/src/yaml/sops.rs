//! sops' YAML store: documents read with the loader's YAML reader and
//! written with the catalog emitter, indented by 4 as sops indents them.
//!
//! sops itself writes YAML through go-yaml v3, and flowspec used to port
//! that emitter to write the same bytes. Nothing needs those bytes: sops
//! reads any YAML (its MAC covers the values, never their layout, and
//! `sops edit` writes the file anew anyway), Estuary decrypts configs that
//! sit inside catalog files the catalog emitter writes, and no two
//! encryptions of a document are alike, since each draws a new data key and
//! new IVs. What the port kept of go-yaml (its float spelling
//! `1.234567e+06`, single quotes, `? key` past 128 bytes, the indent of a
//! mapping inside a list) only looked like sops; what matters, that every
//! value reads back as itself, the catalog emitter guarantees for YAML 1.1
//! and 1.2 readers alike, go-yaml included. Reading goes through the
//! loader's reader too, so that a sops file is read as a catalog is: exact
//! numbers, duplicate keys refused, tags other than the standard ones
//! refused (`<<` is an ordinary key, as in every file that is not a
//! catalog).

use serde_json::{Map, Value};

use crate::load::parse::{parse_str, Format};
use crate::secrets::SopsError;

/// How deeply sops indents YAML.
const INDENT: usize = 4;

/// Parses one YAML document into JSON values, keeping key order. Comments
/// are dropped; an empty document is an empty object.
pub(crate) fn parse(text: &str, origin: &str) -> Result<Value, SopsError> {
    match parse_str(text, origin, Format::Yaml, false) {
        Ok(Value::Null) => Ok(Value::Object(Map::new())),
        Ok(value) => Ok(value),
        Err(diagnostic) => Err(SopsError::Parse {
            format: "YAML",
            origin: origin.to_string(),
            reason: diagnostic
                .message
                .strip_prefix("invalid YAML: ")
                .unwrap_or(&diagnostic.message)
                .to_string(),
        }),
    }
}

/// Renders a document as YAML indented by 4, as sops indents it: block
/// style, strings quoted wherever a YAML 1.1 or 1.2 reader (go-yaml too)
/// would read them as something else, multi-line strings as literal
/// blocks, numbers with their exact text.
pub(crate) fn render(value: &Value) -> String {
    crate::yaml::write::to_string_with_indent(value, INDENT).expect("JSON values always serialize")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn quotes_what_a_reader_would_misread() {
        let cases = [
            ("plain", "plain"),
            ("", "\"\""),
            ("n", "\"n\""),
            ("yes", "\"yes\""),
            ("true", "\"true\""),
            ("null", "\"null\""),
            ("~", "\"~\""),
            ("123", "\"123\""),
            ("-1.5e3", "\"-1.5e3\""),
            ("0x1F", "\"0x1F\""),
            ("1_000", "\"1_000\""),
            ("12:30", "\"12:30\""),
            (".5", "\".5\""),
            (".inf", "\".inf\""),
            ("2026-08-08T22:25:11Z", "\"2026-08-08T22:25:11Z\""),
            ("2024-01-01", "\"2024-01-01\""),
            // A float to YAML 1.1's resolver.
            ("3.13.3", "\"3.13.3\""),
            (
                "age1se5ghfycr4n8kcwc3qwf234ymvmr2lex2a99wh8gpfx97glwt9hqch4569",
                "age1se5ghfycr4n8kcwc3qwf234ymvmr2lex2a99wh8gpfx97glwt9hqch4569",
            ),
            (
                "ENC[AES256_GCM,data:AA==,iv:BB==,tag:CC==,type:str]",
                "ENC[AES256_GCM,data:AA==,iv:BB==,tag:CC==,type:str]",
            ),
            ("- item", "\"- item\""),
            ("#comment", "\"#comment\""),
            ("a: b", "\"a: b\""),
            ("a #b", "\"a #b\""),
            ("a#b", "a#b"),
            (" lead", "\" lead\""),
            ("trail ", "\"trail \""),
            ("it's", "it's"),
            ("'q'", "\"'q'\""),
            ("@at", "\"@at\""),
            ("---", "\"---\""),
            ("tab\there", "\"tab\\there\""),
            ("café キー", "café キー"),
            ("emoji 😀", "emoji 😀"),
            ("bell\u{7}", "\"bell\\a\""),
        ];
        for (input, expected) in cases {
            let rendered = render(&json!({ "k": input }));
            assert_eq!(rendered, format!("k: {expected}\n"), "{input:?}");
            assert_eq!(
                parse(&rendered, "t").unwrap()["k"],
                input,
                "{input:?} reads back"
            );
            // libyaml (which sops' go-yaml follows) reads it back too.
            let libyaml: Value = serde_yaml::from_str(&rendered).unwrap();
            assert_eq!(libyaml["k"], input, "{input:?} reads back with libyaml");
        }
    }

    #[test]
    fn renders_with_an_indent_of_4() {
        let doc = json!({
            "café": {"passwörd": "x", "n": 42, "f": 1234567.0, "big": 99999999999999999999_u128, "b": false, "nil": null},
            "list": ["a", {"k1": "v1", "k2": {"deep": 1}}, ["x", "y"], {}, []],
            "empty_map": {},
            "multi": "line one\nline two\n",
            "multi_keep": "a\n\n",
            "multi_strip": "a\nb",
            "sops": {
                "age": [{"enc": "-----BEGIN AGE ENCRYPTED FILE-----\nQUJD\n-----END AGE ENCRYPTED FILE-----\n", "recipient": "age1abc"}],
                "lastmodified": "2026-08-08T22:25:11Z",
                "version": "3.13.3"
            }
        });
        let expected = "\
café:
    passwörd: x
    \"n\": 42
    f: 1234567.0
    big: 99999999999999999999
    b: false
    nil: null
list:
    - a
    - k1: v1
      k2:
          deep: 1
    - - x
      - \"y\"
    - {}
    - []
empty_map: {}
multi: |
    line one
    line two
multi_keep: |+
    a

multi_strip: |-
    a
    b
sops:
    age:
        - enc: |
              -----BEGIN AGE ENCRYPTED FILE-----
              QUJD
              -----END AGE ENCRYPTED FILE-----
          recipient: age1abc
    lastmodified: \"2026-08-08T22:25:11Z\"
    version: \"3.13.3\"
";
        let rendered = render(&doc);
        assert_eq!(rendered, expected);
        assert_eq!(parse(&rendered, "t").unwrap(), doc);
    }

    #[test]
    fn parses_as_the_loader_does() {
        assert_eq!(parse("", "t").unwrap(), json!({}));
        assert_eq!(parse("# only a comment\n", "t").unwrap(), json!({}));
        assert_eq!(
            parse("1: one\ntrue: yes\n", "t").unwrap(),
            json!({"1": "one", "true": "yes"})
        );
        assert_eq!(parse("a: !!str 5\n", "t").unwrap(), json!({"a": "5"}));
        // Numbers keep their text; `<<` is an ordinary key.
        assert_eq!(
            parse("a: 1.50\nb: 99999999999999999999\n<<: {c: 1}\n", "t")
                .unwrap()
                .to_string(),
            r#"{"a":1.50,"b":99999999999999999999,"<<":{"c":1}}"#
        );
        for (text, reason) in [
            (
                "a: 1\n---\nb: 2\n",
                "a file must hold one YAML document, but this one holds more than one (separated by `---`)",
            ),
            (
                "x:\n  y: .inf\n",
                "`.inf` is not a JSON number (JSON has no infinity or NaN) at line 2 column 6",
            ),
            ("a: 1\na: 2\n", "duplicate key \"a\" at line 2 column 1"),
            (
                "a: !!binary aGk=\n",
                "YAML tags are not supported (found `!!binary`): write plain values at line 1 column 4",
            ),
            (
                "a: [1\n",
                "did not find expected ',' or ']' at line 2 column 1, while parsing a flow sequence at line 1 column 4",
            ),
        ] {
            let err = parse(text, "f.yaml").unwrap_err();
            assert_eq!(err.code(), "sops_parse");
            assert_eq!(err.to_string(), format!("invalid YAML in f.yaml: {reason}"), "{text:?}");
        }
    }
}
