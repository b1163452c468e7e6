//! sops' JSON store: Go's `encoding/json` output re-indented with a tab.

use serde_json::{Number, Value};

use super::scalar::go_json_float;
use super::SopsError;

/// Parses JSON text (key order is kept).
pub(crate) fn parse(text: &str, origin: &str) -> Result<Value, SopsError> {
    serde_json::from_str(text).map_err(|err| SopsError::Parse {
        format: "JSON",
        origin: origin.to_string(),
        reason: err.to_string(),
    })
}

/// Renders a document as sops writes JSON: tab indentation, `"key": value`, `{}` and `[]`
/// when empty, Go's escapes (`\u003c`, `\u003e`, `\u0026`, `\u2028`, `\u2029`), Go's
/// float format, and a final newline.
pub(crate) fn render(value: &Value) -> String {
    let mut out = String::new();
    write_value(&mut out, value, 0);
    out.push('\n');
    out
}

fn indent(out: &mut String, depth: usize) {
    out.push('\n');
    for _ in 0..depth {
        out.push('\t');
    }
}

fn write_value(out: &mut String, value: &Value, depth: usize) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => write_number(out, n),
        Value::String(s) => write_string(out, s),
        Value::Array(items) if items.is_empty() => out.push_str("[]"),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                indent(out, depth + 1);
                write_value(out, item, depth + 1);
            }
            indent(out, depth);
            out.push(']');
        }
        Value::Object(map) if map.is_empty() => out.push_str("{}"),
        Value::Object(map) => {
            out.push('{');
            for (i, (k, v)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                indent(out, depth + 1);
                write_string(out, k);
                out.push_str(": ");
                write_value(out, v, depth + 1);
            }
            indent(out, depth);
            out.push('}');
        }
    }
}

fn write_number(out: &mut String, n: &Number) {
    match (n.as_i64(), n.as_u64(), n.as_f64()) {
        (Some(i), _, _) => out.push_str(&i.to_string()),
        (None, Some(u), _) => out.push_str(&u.to_string()),
        (None, None, Some(f)) => out.push_str(&go_json_float(f)),
        (None, None, None) => out.push_str(&n.to_string()),
    }
}

/// A JSON string as Go's encoder writes it with HTML escaping on.
fn write_string(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c if (c as u32) < 0x20 => {
                let b = c as usize;
                out.push_str("\\u00");
                out.push(HEX[b >> 4] as char);
                out.push(HEX[b & 0xF] as char);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn renders_like_go() {
        let doc = json!({
            "html": "<a href=\"x\">&</a>",
            "ctl": "tab\there\nnew\u{1}\u{8}\u{c}",
            "sep": "\u{2028}\u{2029}",
            "uni": "café キー",
            "nums": [1, -2, 1.5, 42.0, 1e21, 1e-7, 18446744073709551615_u64],
            "empty": {"o": {}, "a": []},
            "null": null,
            "bools": [true, false]
        });
        let expected = "{\n\
            \t\"html\": \"\\u003ca href=\\\"x\\\"\\u003e\\u0026\\u003c/a\\u003e\",\n\
            \t\"ctl\": \"tab\\there\\nnew\\u0001\\b\\f\",\n\
            \t\"sep\": \"\\u2028\\u2029\",\n\
            \t\"uni\": \"café キー\",\n\
            \t\"nums\": [\n\t\t1,\n\t\t-2,\n\t\t1.5,\n\t\t42,\n\t\t1e+21,\n\t\t1e-7,\n\t\t18446744073709551615\n\t],\n\
            \t\"empty\": {\n\t\t\"o\": {},\n\t\t\"a\": []\n\t},\n\
            \t\"null\": null,\n\
            \t\"bools\": [\n\t\ttrue,\n\t\tfalse\n\t]\n\
            }\n";
        assert_eq!(render(&doc), expected);
        // And it reads back to the same document.
        assert_eq!(parse(&render(&doc), "test").unwrap()["html"], doc["html"]);
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
        assert!(err.to_string().starts_with("invalid JSON in config.json: "));
    }
}
