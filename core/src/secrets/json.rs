//! sops' JSON store: serde_json, indented by a tab as sops indents JSON.
//!
//! sops writes JSON through Go's `encoding/json` (HTML characters escaped
//! as `\u003c`, floats spelled as Go spells them), re-indented with a tab;
//! flowspec keeps the tab and leaves the rest to serde_json, for the reasons
//! the YAML store gives (see `crate::yaml::sops`): sops reads any JSON, and
//! its MAC covers values, not their spelling. Numbers keep their exact text.

use serde::Serialize;
use serde_json::Value;

use super::SopsError;

/// Parses JSON text (key order is kept).
pub(crate) fn parse(text: &str, origin: &str) -> Result<Value, SopsError> {
    serde_json::from_str(text).map_err(|err| SopsError::Parse {
        format: "JSON",
        origin: origin.to_string(),
        reason: err.to_string(),
    })
}

/// Renders a document as sops lays out JSON: one entry a line, indented by
/// a tab, `"key": value`, `{}` and `[]` when empty, and a final newline.
pub(crate) fn render(value: &Value) -> String {
    let mut out = Vec::new();
    let mut serializer = serde_json::Serializer::with_formatter(
        &mut out,
        serde_json::ser::PrettyFormatter::with_indent(b"\t"),
    );
    value
        .serialize(&mut serializer)
        .expect("JSON values always serialize");
    out.push(b'\n');
    String::from_utf8(out).expect("serde_json writes UTF-8")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn renders_indented_by_a_tab() {
        let doc = json!({
            "html": "<a href=\"x\">&</a>",
            "ctl": "tab\there\nnew\u{1}\u{8}\u{c}",
            "uni": "café キー",
            "nums": [1, -2, 1.5, 42.0, 1e21, 18446744073709551615_u64],
            "empty": {"o": {}, "a": []},
            "null": null,
            "bools": [true, false]
        });
        let expected = "{\n\
            \t\"html\": \"<a href=\\\"x\\\">&</a>\",\n\
            \t\"ctl\": \"tab\\there\\nnew\\u0001\\b\\f\",\n\
            \t\"uni\": \"café キー\",\n\
            \t\"nums\": [\n\t\t1,\n\t\t-2,\n\t\t1.5,\n\t\t42.0,\n\t\t1e+21,\n\t\t18446744073709551615\n\t],\n\
            \t\"empty\": {\n\t\t\"o\": {},\n\t\t\"a\": []\n\t},\n\
            \t\"null\": null,\n\
            \t\"bools\": [\n\t\ttrue,\n\t\tfalse\n\t]\n\
            }\n";
        assert_eq!(render(&doc), expected);
        assert_eq!(parse(&render(&doc), "test").unwrap(), doc);
        // Numbers keep their text.
        let exact = parse(r#"{"n": [1.50, 1e400, 99999999999999999999]}"#, "t").unwrap();
        assert_eq!(
            render(&exact),
            "{\n\t\"n\": [\n\t\t1.50,\n\t\t1e+400,\n\t\t99999999999999999999\n\t]\n}\n"
        );
    }

    #[test]
    fn estuary_fixture_layout_round_trips() {
        let text = "{\n\t\"a\": {\n\t\t\"b\": [\n\t\t\t42,\n\t\t\t{\n\t\t\t\t\"c\": true\n\t\t\t}\n\t\t]\n\t}\n}\n";
        assert_eq!(render(&parse(text, "test").unwrap()), text);
    }

    #[test]
    fn parse_errors_say_where() {
        let err = parse("{\"a\": }", "config.json").unwrap_err();
        assert_eq!(err.code(), "sops_parse");
        assert_eq!(
            err.to_string(),
            "invalid JSON in config.json: expected value at line 1 column 7"
        );
    }
}
