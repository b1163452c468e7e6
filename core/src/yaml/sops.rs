//! sops' YAML store: read with `serde_yaml`, written the way go-yaml v3 writes it with a
//! 4-space indent (a port of the parts of its emitter sops output goes through).

use regex::Regex;
use serde::Deserialize;
use serde_json::{Map, Number, Value};
use serde_yaml::Value as Yaml;
use std::sync::OnceLock;

use crate::secrets::scalar::go_yaml_float;
use crate::secrets::SopsError;

/// Parses one YAML document into JSON values, keeping key order. Comments are dropped.
pub(crate) fn parse(text: &str, origin: &str) -> Result<Value, SopsError> {
    let fail = |reason: String| SopsError::Parse {
        format: "YAML",
        origin: origin.to_string(),
        reason,
    };
    let mut documents = Vec::new();
    for document in serde_yaml::Deserializer::from_str(text) {
        documents.push(Yaml::deserialize(document).map_err(|err| fail(err.to_string()))?);
    }
    match documents.len() {
        0 => Ok(Value::Object(Map::new())),
        1 => {
            let document = documents.pop().unwrap_or(Yaml::Null);
            if document.is_null() {
                return Ok(Value::Object(Map::new()));
            }
            to_json(document, &mut String::new()).map_err(fail)
        }
        n => Err(fail(format!(
            "it holds {n} documents; flowspec supports single-document YAML files"
        ))),
    }
}

/// Converts a YAML value, naming the path of anything JSON cannot hold.
fn to_json(value: Yaml, path: &mut String) -> Result<Value, String> {
    Ok(match value {
        Yaml::Null => Value::Null,
        Yaml::Bool(b) => Value::Bool(b),
        Yaml::String(s) => Value::String(s),
        Yaml::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::Number(i.into())
            } else if let Some(u) = n.as_u64() {
                Value::Number(u.into())
            } else {
                let f = n.as_f64().unwrap_or(f64::NAN);
                Value::Number(
                    Number::from_f64(f).ok_or_else(|| {
                        format!("`{path}` is {f}, which has no JSON form; quote it")
                    })?,
                )
            }
        }
        Yaml::Sequence(items) => {
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.into_iter().enumerate() {
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                out.push(to_json(item, path)?);
                path.truncate(len);
            }
            Value::Array(out)
        }
        Yaml::Mapping(map) => {
            let mut out = Map::with_capacity(map.len());
            for (k, v) in map {
                let key = match k {
                    Yaml::String(s) => s,
                    Yaml::Bool(b) => b.to_string(),
                    Yaml::Number(n) => n.to_string(),
                    Yaml::Null => "null".to_string(),
                    Yaml::Tagged(t) => match t.value {
                        Yaml::String(s) => s,
                        _ => {
                            return Err(format!("`{path}` has a mapping key that is not a scalar"))
                        }
                    },
                    Yaml::Sequence(_) | Yaml::Mapping(_) => {
                        return Err(format!("`{path}` has a mapping key that is not a scalar"))
                    }
                };
                let len = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(&key);
                let value = to_json(v, path)?;
                path.truncate(len);
                out.insert(key, value);
            }
            Value::Object(out)
        }
        Yaml::Tagged(tagged) => to_json(tagged.value, path)?,
    })
}

/// Renders a document (an object) as sops writes YAML: go-yaml v3 with a 4-space indent,
/// lists indented under their key, plain scalars where a YAML 1.1 or 1.2 reader reads them
/// back as the same string, double quotes otherwise, `|` literal blocks for multi-line
/// strings, and no line wrapping.
pub(crate) fn render(value: &Value) -> String {
    let mut emitter = Emitter::default();
    match value {
        Value::Object(map) if !map.is_empty() => emitter.mapping(map, false),
        // sops only writes objects; anything else is written as a one-line flow value.
        Value::Object(_) => emitter.write_indicator("{}", true, false, false),
        other => emitter.node(other, false, false),
    }
    // Document end: a final line break, and `...` after a `|+` block.
    emitter.write_indent();
    if emitter.open_ended {
        emitter.write_indicator("...", true, false, false);
        emitter.write_indent();
    }
    emitter.out
}

const BEST_INDENT: i64 = 4;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Style {
    Plain,
    Single,
    Double,
    Literal,
}

/// The emitter state go-yaml keeps while writing a block-style document.
struct Emitter {
    out: String,
    column: i64,
    indent: i64,
    indents: Vec<i64>,
    whitespace: bool,
    indention: bool,
    open_ended: bool,
}

impl Default for Emitter {
    fn default() -> Self {
        Emitter {
            out: String::new(),
            column: 0,
            indent: -1,
            indents: Vec::new(),
            whitespace: true,
            indention: true,
            open_ended: false,
        }
    }
}

impl Emitter {
    fn put(&mut self, c: char) {
        self.out.push(c);
        self.column += 1;
    }

    fn put_break(&mut self) {
        self.out.push('\n');
        self.column = 0;
        self.indention = true;
    }

    fn increase_indent(&mut self, flow: bool, in_sequence_item: bool) {
        self.indents.push(self.indent);
        if self.indent < 0 {
            self.indent = if flow { BEST_INDENT } else { 0 };
        } else if in_sequence_item {
            // The first indent inside a sequence item skips the "- ".
            self.indent += 2;
        } else {
            self.indent = BEST_INDENT * ((self.indent + BEST_INDENT) / BEST_INDENT);
        }
    }

    fn pop_indent(&mut self) {
        self.indent = self.indents.pop().unwrap_or(-1);
    }

    fn write_indent(&mut self) {
        let indent = self.indent.max(0);
        if !self.indention || self.column > indent || (self.column == indent && !self.whitespace) {
            self.put_break();
        }
        while self.column < indent {
            self.put(' ');
        }
        self.whitespace = true;
    }

    fn write_indicator(
        &mut self,
        indicator: &str,
        need_whitespace: bool,
        is_whitespace: bool,
        is_indention: bool,
    ) {
        if need_whitespace && !self.whitespace {
            self.put(' ');
        }
        for c in indicator.chars() {
            self.put(c);
        }
        self.whitespace = is_whitespace;
        self.indention = self.indention && is_indention;
        self.open_ended = false;
    }

    fn node(&mut self, value: &Value, in_sequence_item: bool, simple_key: bool) {
        match value {
            Value::Object(map) if map.is_empty() => {
                self.write_indicator("{", true, true, false);
                self.write_indicator("}", false, false, false);
            }
            Value::Object(map) => self.mapping(map, in_sequence_item),
            Value::Array(items) if items.is_empty() => {
                self.write_indicator("[", true, true, false);
                self.write_indicator("]", false, false, false);
            }
            Value::Array(items) => self.sequence(items, in_sequence_item),
            Value::String(s) => self.scalar(s, string_style(s), in_sequence_item, simple_key),
            Value::Null => self.scalar("null", Style::Plain, in_sequence_item, simple_key),
            Value::Bool(b) => {
                let text = if *b { "true" } else { "false" };
                self.scalar(text, Style::Plain, in_sequence_item, simple_key);
            }
            Value::Number(n) => {
                let text = match (n.as_i64(), n.as_u64(), n.as_f64()) {
                    (Some(i), _, _) => i.to_string(),
                    (None, Some(u), _) => u.to_string(),
                    (None, None, Some(f)) => go_yaml_float(f),
                    (None, None, None) => n.to_string(),
                };
                self.scalar(&text, Style::Plain, in_sequence_item, simple_key);
            }
        }
    }

    fn mapping(&mut self, map: &Map<String, Value>, in_sequence_item: bool) {
        self.increase_indent(false, in_sequence_item);
        for (key, value) in map {
            self.write_indent();
            let analysis = analyze(key);
            if !analysis.multiline && key.len() <= 128 {
                self.scalar(key, string_style(key), false, true);
                self.write_indicator(":", false, false, false);
            } else {
                self.write_indicator("?", true, false, true);
                self.scalar(key, string_style(key), false, false);
                self.write_indent();
                self.write_indicator(":", true, false, true);
            }
            self.node(value, false, false);
        }
        self.pop_indent();
    }

    fn sequence(&mut self, items: &[Value], in_sequence_item: bool) {
        self.increase_indent(false, in_sequence_item);
        for item in items {
            self.write_indent();
            self.write_indicator("-", true, false, true);
            self.node(item, true, false);
        }
        self.pop_indent();
    }

    fn scalar(&mut self, value: &str, requested: Style, in_sequence_item: bool, simple_key: bool) {
        let analysis = analyze(value);
        let style = select_style(requested, &analysis, value, simple_key);
        self.increase_indent(true, in_sequence_item);
        match style {
            Style::Plain => self.write_plain(value),
            Style::Single => self.write_single(value),
            Style::Double => self.write_double(value),
            Style::Literal => self.write_literal(value),
        }
        self.pop_indent();
    }

    fn write_plain(&mut self, value: &str) {
        if !value.is_empty() && !self.whitespace {
            self.put(' ');
        }
        for c in value.chars() {
            self.put(c);
        }
        if !value.is_empty() {
            self.whitespace = false;
        }
        self.indention = false;
    }

    fn write_single(&mut self, value: &str) {
        self.write_indicator("'", true, false, false);
        for c in value.chars() {
            if c == '\'' {
                self.put('\'');
            }
            self.put(c);
        }
        self.write_indicator("'", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn write_double(&mut self, value: &str) {
        self.write_indicator("\"", true, false, false);
        for c in value.chars() {
            if !is_printable(c) || c == '\u{feff}' || is_break(c) || c == '"' || c == '\\' {
                self.put('\\');
                let short = match c {
                    '\0' => Some('0'),
                    '\u{7}' => Some('a'),
                    '\u{8}' => Some('b'),
                    '\t' => Some('t'),
                    '\n' => Some('n'),
                    '\u{b}' => Some('v'),
                    '\u{c}' => Some('f'),
                    '\r' => Some('r'),
                    '\u{1b}' => Some('e'),
                    '"' => Some('"'),
                    '\\' => Some('\\'),
                    '\u{85}' => Some('N'),
                    '\u{a0}' => Some('_'),
                    '\u{2028}' => Some('L'),
                    '\u{2029}' => Some('P'),
                    _ => None,
                };
                match short {
                    Some(s) => self.put(s),
                    None => {
                        let v = c as u32;
                        let (marker, width) = if v <= 0xFF {
                            ('x', 2)
                        } else if v <= 0xFFFF {
                            ('u', 4)
                        } else {
                            ('U', 8)
                        };
                        self.put(marker);
                        for ch in format!("{v:0width$X}").chars() {
                            self.put(ch);
                        }
                    }
                }
            } else {
                self.put(c);
            }
        }
        self.write_indicator("\"", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn write_literal(&mut self, value: &str) {
        self.write_indicator("|", true, false, false);
        let mut chars = value.chars();
        if matches!(chars.next(), Some(c) if c == ' ' || is_break(c)) {
            self.write_indicator(&BEST_INDENT.to_string(), false, false, false);
        }
        self.open_ended = false;
        let mut tail = value.chars().rev();
        let chomp = match (tail.next(), tail.next()) {
            (None, _) => Some("-"),
            (Some(last), _) if !is_break(last) => Some("-"),
            (Some(_), None) => Some("+"),
            (Some(_), Some(before)) if is_break(before) => Some("+"),
            _ => None,
        };
        if let Some(chomp) = chomp {
            self.write_indicator(chomp, false, false, false);
            self.open_ended = chomp == "+";
        }
        self.whitespace = true;
        let mut breaks = true;
        for c in value.chars() {
            if is_break(c) {
                if c == '\n' {
                    self.put_break();
                } else {
                    self.out.push(c);
                    self.column = 0;
                    self.indention = true;
                }
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                self.put(c);
                self.indention = false;
                breaks = false;
            }
        }
    }
}

/// What go-yaml's `yaml_emitter_analyze_scalar` finds out about a scalar.
struct Analysis {
    multiline: bool,
    block_plain_allowed: bool,
    single_quoted_allowed: bool,
    block_allowed: bool,
}

fn is_break(c: char) -> bool {
    matches!(c, '\r' | '\n' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

fn is_blank(c: char) -> bool {
    c == ' ' || c == '\t'
}

/// go-yaml's `is_printable` (so characters outside the Basic Multilingual Plane are
/// escaped, as go-yaml does). U+2028 and U+2029 are treated as unprintable too, so they
/// are always escaped instead of folded.
fn is_printable(c: char) -> bool {
    let v = c as u32;
    v == 0x0A
        || (0x20..=0x7E).contains(&v)
        || (0xA0..=0xD7FF).contains(&v) && v != 0x2028 && v != 0x2029
        || (0xE000..=0xFFFD).contains(&v) && v != 0xFEFF
}

fn analyze(value: &str) -> Analysis {
    if value.is_empty() {
        return Analysis {
            multiline: false,
            block_plain_allowed: true,
            single_quoted_allowed: true,
            block_allowed: false,
        };
    }
    let mut block_indicators = value.starts_with("---") || value.starts_with("...");
    let (mut line_breaks, mut special, mut tabs) = (false, false, false);
    let (mut leading_space, mut leading_break, mut trailing_space, mut trailing_break) =
        (false, false, false, false);
    let (mut break_space, mut space_break) = (false, false);
    let (mut previous_space, mut previous_break) = (false, false);
    let mut preceded_by_whitespace = true;

    let chars: Vec<char> = value.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let first = i == 0;
        let last = i + 1 == chars.len();
        let followed_by_whitespace = chars.get(i + 1).is_none_or(|n| is_blank(*n));
        if first {
            match c {
                '#' | ',' | '[' | ']' | '{' | '}' | '&' | '*' | '!' | '|' | '>' | '\'' | '"'
                | '%' | '@' | '`' => block_indicators = true,
                '?' | ':' | '-' if followed_by_whitespace => block_indicators = true,
                _ => {}
            }
        } else {
            match c {
                ':' if followed_by_whitespace => block_indicators = true,
                '#' if preceded_by_whitespace => block_indicators = true,
                _ => {}
            }
        }
        if c == '\t' {
            tabs = true;
        } else if !is_printable(c) {
            special = true;
        }
        if c == ' ' {
            leading_space |= first;
            trailing_space |= last;
            break_space |= previous_break;
            previous_space = true;
            previous_break = false;
        } else if is_break(c) {
            line_breaks = true;
            leading_break |= first;
            trailing_break |= last;
            space_break |= previous_space;
            previous_space = false;
            previous_break = true;
        } else {
            previous_space = false;
            previous_break = false;
        }
        preceded_by_whitespace = is_blank(c) || is_break(c) || c == '\0';
    }

    let mut a = Analysis {
        multiline: line_breaks,
        block_plain_allowed: true,
        single_quoted_allowed: true,
        block_allowed: true,
    };
    if leading_space || leading_break || trailing_space || trailing_break {
        a.block_plain_allowed = false;
    }
    if trailing_space {
        a.block_allowed = false;
    }
    if break_space || space_break || tabs || special {
        a.block_plain_allowed = false;
        a.single_quoted_allowed = false;
    }
    if space_break || special {
        a.block_allowed = false;
    }
    if line_breaks || block_indicators {
        a.block_plain_allowed = false;
    }
    a
}

/// go-yaml's `yaml_emitter_select_scalar_style` in block context.
fn select_style(requested: Style, a: &Analysis, value: &str, simple_key: bool) -> Style {
    let mut style = requested;
    if simple_key && a.multiline {
        style = Style::Double;
    }
    if style == Style::Plain && (!a.block_plain_allowed || (value.is_empty() && simple_key)) {
        style = Style::Single;
    }
    if style == Style::Single && !a.single_quoted_allowed {
        style = Style::Double;
    }
    if style == Style::Literal && (!a.block_allowed || simple_key) {
        style = Style::Double;
    }
    style
}

/// The style go-yaml's encoder asks for a string: literal when it has a line break,
/// plain when a reader would resolve it back to the same string, double-quoted otherwise.
fn string_style(s: &str) -> Style {
    if s.contains('\n') {
        Style::Literal
    } else if resolves_to_string(s) {
        Style::Plain
    } else {
        Style::Double
    }
}

/// Whether a plain scalar reads back as a string under go-yaml's resolver (YAML 1.2 core
/// schema plus timestamps) and is not a YAML 1.1 boolean or sexagesimal number.
fn resolves_to_string(s: &str) -> bool {
    static NUMBER: OnceLock<Regex> = OnceLock::new();
    static TIMESTAMP: OnceLock<Regex> = OnceLock::new();
    static BASE60: OnceLock<Regex> = OnceLock::new();
    let number = NUMBER.get_or_init(|| {
        Regex::new(
            r"^[-+]?(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$",
        )
        .unwrap_or_else(|_| unreachable!("the number pattern is valid"))
    });
    let timestamp = TIMESTAMP.get_or_init(|| {
        Regex::new(r"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ].*)?$")
            .unwrap_or_else(|_| unreachable!("the timestamp pattern is valid"))
    });
    let base60 = BASE60.get_or_init(|| {
        Regex::new(r"^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$")
            .unwrap_or_else(|_| unreachable!("the base 60 pattern is valid"))
    });
    let reserved = matches!(
        s,
        "" | "~"
            | "null" | "Null" | "NULL"
            | "true" | "True" | "TRUE" | "false" | "False" | "FALSE"
            | ".nan" | ".NaN" | ".NAN"
            | ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" | "-.inf" | "-.Inf" | "-.INF"
            | "<<"
            // YAML 1.1 booleans, quoted for older readers.
            | "y" | "Y" | "yes" | "Yes" | "YES" | "on" | "On" | "ON"
            | "n" | "N" | "no" | "No" | "NO" | "off" | "Off" | "OFF"
    );
    if reserved {
        return false;
    }
    let numeric_start = s
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_digit() || matches!(c, '+' | '-' | '.'));
    if numeric_start {
        let plain = s.replace('_', "");
        if number.is_match(&plain) || timestamp.is_match(s) || base60.is_match(s) {
            return false;
        }
    }
    true
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
            ("3.13.3", "3.13.3"),
            (
                "age1se5ghfycr4n8kcwc3qwf234ymvmr2lex2a99wh8gpfx97glwt9hqch4569",
                "age1se5ghfycr4n8kcwc3qwf234ymvmr2lex2a99wh8gpfx97glwt9hqch4569",
            ),
            (
                "ENC[AES256_GCM,data:AA==,iv:BB==,tag:CC==,type:str]",
                "ENC[AES256_GCM,data:AA==,iv:BB==,tag:CC==,type:str]",
            ),
            ("- item", "'- item'"),
            ("#comment", "'#comment'"),
            ("a: b", "'a: b'"),
            ("a #b", "'a #b'"),
            ("a#b", "a#b"),
            (" lead", "' lead'"),
            ("trail ", "'trail '"),
            ("it's", "it's"),
            ("'q'", "'''q'''"),
            ("@at", "'@at'"),
            ("---", "'---'"),
            ("tab\there", "\"tab\\there\""),
            ("café キー", "café キー"),
            ("emoji 😀", "\"emoji \\U0001F600\""),
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
        }
    }

    #[test]
    fn renders_like_go_yaml_with_indent_4() {
        let doc = json!({
            "café": {"passwörd": "x", "n": 42, "f": 1234567.0, "b": false, "nil": null},
            "list": ["a", {"k1": "v1", "k2": {"deep": 1}}, ["x", "y"], {}, []],
            "empty_map": {},
            "multi": "line one\nline two\n",
            "multi_keep": "a\n\n",
            "multi_strip": "a\nb",
            "multi_indent": " lead\nx\n",
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
    f: 1.234567e+06
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
multi_indent: |4
     lead
    x
sops:
    age:
        - enc: |
            -----BEGIN AGE ENCRYPTED FILE-----
            QUJD
            -----END AGE ENCRYPTED FILE-----
          recipient: age1abc
    lastmodified: \"2026-08-08T22:25:11Z\"
    version: 3.13.3
";
        let rendered = render(&doc);
        assert_eq!(rendered, expected);
        let mut back = parse(&rendered, "t").unwrap();
        // go-yaml writes 1234567.0 as 1.234567e+06, which reads back as a float.
        back["café"]["f"] = json!(1234567.0);
        assert_eq!(back, doc);
    }

    #[test]
    fn open_ended_literal_at_end_gets_document_end_marker() {
        assert_eq!(render(&json!({"k": "a\n\n"})), "k: |+\n    a\n\n...\n");
    }

    #[test]
    fn multiline_and_long_keys() {
        let long = "k".repeat(130);
        let rendered = render(&json!({ long.clone(): "v", "a\nb": "w" }));
        assert_eq!(
            rendered,
            format!("? {long}\n: v\n? |-\n    a\n    b\n: w\n")
        );
        let back = parse(&rendered, "t").unwrap();
        assert_eq!(back[&long], "v");
        assert_eq!(back["a\nb"], "w");
    }

    #[test]
    fn parse_edge_cases() {
        assert_eq!(parse("", "t").unwrap(), json!({}));
        assert_eq!(
            parse("1: one\ntrue: yes\n", "t").unwrap(),
            json!({"1": "one", "true": "yes"})
        );
        let err = parse("a: 1\n---\nb: 2\n", "f.yaml").unwrap_err();
        assert!(err.to_string().contains("2 documents"), "{err}");
        let err = parse("x:\n  y: .inf\n", "f.yaml").unwrap_err();
        assert!(err.to_string().contains("`x.y` is inf"), "{err}");
        assert_eq!(parse("a: !!str 5\n", "t").unwrap(), json!({"a": "5"}));
    }
}
