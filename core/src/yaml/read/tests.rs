//! Tests of the streaming YAML deserializer: the loader reads every text
//! with it as it did with serde_yaml (serde_yaml_ng), value for value and
//! diagnostic for diagnostic.

use serde::Deserialize;
use serde_json::{json, Value};

use super::input::{may_end_in_block_scalar, may_have_tag_before_comma};
use super::{Cursor, Deserializer, Node, Path, Stream};
use crate::json::is_integer;
use crate::load::parse::{parse_str, parse_yaml_with, Format};
use crate::Diagnostic;

const URL: &str = "file:///p/flow.yaml";

/// A parse, comparable: the value as JSON text (so that key order counts)
/// and whether it has `$ref`s, or the diagnostic.
type Outcome = Result<(String, bool), Diagnostic>;

fn outcome(parsed: Result<(Value, bool), Diagnostic>) -> Outcome {
    parsed.map(|(value, has_refs)| (value.to_string(), has_refs))
}

/// Parses `text` as YAML with the streaming deserializer and with
/// serde_yaml, and asserts that both agree.
fn same(text: &str) {
    let _ = compare(text);
}

/// `same`, returning the outcome.
fn compare(text: &str) -> Outcome {
    let old = outcome(parse_yaml_with(text, URL, true, true));
    let new = outcome(parse_yaml_with(text, URL, true, false));
    assert!(
        agree(&new, &old),
        "streaming and serde_yaml differ on {text:?}\nstreaming:  {new:?}\nserde_yaml: {old:?}"
    );
    // Through the loader's entry point too, unless the text looks like JSON
    // (then serde_json may read it first).
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if !trimmed.starts_with('{') && !trimmed.starts_with('[') {
        let loaded = parse_str(text, URL, Format::Yaml, true).map(|v| v.to_string());
        assert_eq!(
            loaded,
            new.clone().map(|(value, _)| value),
            "parse_str differs from the streaming parse on {text:?}"
        );
    }
    new
}

/// Whether the streaming outcome `new` agrees with serde_yaml's `old`:
/// the same, except for numbers. serde_yaml reads a number that is not an
/// integer of 128 bits through `f64`, which rounds it (and takes `1e400`
/// for a string); the streaming reader keeps its text, normalized to JSON
/// (`1e3` is `1e+3`, where serde_yaml has `1000.0`). That difference is
/// intended: such a number agrees when serde_yaml's is the `f64` nearest to
/// it, or the string it was written as when that `f64` is infinite.
///
/// Tags differ too: serde_yaml ignores tags other than the standard ones
/// and local ones, which the streaming reader refuses at the tagged node,
/// before any later error.
fn agree(new: &Outcome, old: &Outcome) -> bool {
    if new == old {
        return true;
    }
    match (new, old) {
        (Err(d), _)
            if d.message
                .starts_with("YAML tags are not supported (found `!!") =>
        {
            d.code == "yaml_syntax"
        }
        (Err(d), _)
            if d.message
                .starts_with("YAML tags are not supported (found `!<") =>
        {
            d.code == "yaml_syntax"
        }
        (Ok((new, new_refs)), Ok((old, old_refs))) => {
            let new: Value = serde_json::from_str(new).unwrap();
            let old: Value = serde_json::from_str(old).unwrap();
            new_refs == old_refs && values_agree(&new, &old)
        }
        _ => new == old,
    }
}

fn values_agree(new: &Value, old: &Value) -> bool {
    match (new, old) {
        (Value::Array(new), Value::Array(old)) => {
            new.len() == old.len() && new.iter().zip(old).all(|(n, o)| values_agree(n, o))
        }
        (Value::Object(new), Value::Object(old)) => {
            new.len() == old.len()
                && new
                    .iter()
                    .zip(old)
                    .all(|((nk, nv), (ok, ov))| nk == ok && values_agree(nv, ov))
        }
        (Value::Number(new), Value::Number(old)) if new != old => {
            let fits_128_bits = new.as_i128().is_some() || new.as_u128().is_some();
            let rounded = new.as_str().parse::<f64>().ok() == old.as_f64();
            match (is_integer(new), is_integer(old)) {
                (true, true) => false,
                (true, false) => !fits_128_bits && rounded,
                (false, false) => rounded,
                (false, true) => false,
            }
        }
        (Value::Number(new), Value::String(old)) => {
            let written = old.strip_prefix('+').unwrap_or(old).parse::<f64>();
            let float = new.as_str().parse::<f64>();
            matches!((written, float), (Ok(w), Ok(f)) if w.is_infinite() && w == f)
        }
        _ => new == old,
    }
}

/// `compare`, for text that parses: its value.
fn value(text: &str) -> Value {
    match compare(text) {
        Ok((json, _)) => serde_json::from_str(&json).unwrap(),
        Err(d) => panic!("{text:?} fails: {d:?}"),
    }
}

/// `compare`, for text that fails: its code and message.
fn error(text: &str) -> (String, String) {
    match compare(text) {
        Ok((json, _)) => panic!("{text:?} parses, as {json}"),
        Err(d) => (d.code, d.message),
    }
}

/// Snippets of every kind of YAML.
const CORPUS: &[&str] = &[
    // Empty streams, comments, document markers.
    "",
    "# just a comment\n",
    "\n\n   \n",
    "---\n",
    "--- \n...\n",
    "...\n",
    "--- a\n",
    "---\na: 1\n...\n",
    "%YAML 1.1\n---\na: 1\n",
    "%TAG !e! tag:example.com,2000:\n---\na: !e!foo 1\n",
    "%TAG !l! !local-\n---\na: !l!foo 1\n",
    "a: 1 # comment\n# another\nb: 2\n",
    // Null forms.
    "a: ~\nb: null\nc: Null\nd: NULL\ne:\nf: nULL\ng: ''\nh: \"~\"\n",
    "~",
    "null",
    "!!null",
    // Booleans.
    "[true, True, TRUE, false, False, FALSE, tRUE, yes, no, on, off, y, n]",
    "- true\n- 'true'\n- \"false\"\n- |\n  true\n",
    // Integers.
    "[0, 1, -1, +1, 007, -007, +007, 0x1F, 0xff, -0x1F, +0x1F, 0x-1, 0x+1, 0o17, -0o17, 0o8, 0b101, -0b101, 0b2]",
    "[1_000, 1,000, 0x, 0o, 0b, 0xG, --1, +-1, -+1, ++1, 00, 0, -0, +0]",
    "[18446744073709551615, 18446744073709551616, -9223372036854775808, -9223372036854775809]",
    "[340282366920938463463374607431768211455, 340282366920938463463374607431768211456]",
    "[-170141183460469231731687303715884105728, -170141183460469231731687303715884105729]",
    "[0xFFFFFFFFFFFFFFFF, 0x10000000000000000, -0x8000000000000000, -0x8000000000000001]",
    "[0xffffffffffffffffffffffffffffffff, 0x100000000000000000000000000000000]",
    // Floats.
    "[1.5, -1.5, +1.5, .5, 5., 1e3, 1E3, 1e+3, 1e-3, -1.5e-3, 1_0.5, 1.5.5, 0.0, -0.0]",
    "[01.5, 00.5, 007.0, 1e400, -1e400, 1e-400, 6.02e23, 0x1.8p1, 1.]",
    "[inf, -inf, nan, NaN, infinity, Infinity, .inf., .in, +.nan, -.nan, -.NaN, +-.inf]",
    "a: .inf\n",
    "a: -.Inf\n",
    "a: +.INF\n",
    "a: .NAN\n",
    "a: .NaN\n",
    "a: '.nan'\n",
    // Strings of every style.
    "a: plain text\nb: 'single ''quoted'''\nc: \"double \\\"quoted\\\" \\t \\u263A \\x41 \\U0001F600\"\n",
    "a: \"line\\nbreak\"\nb: 'it''s'\nc: \"\\0\\a\\b\\e\\f\\r\\v\\N\\_\\L\\P\\/\\ \"\n",
    "a: |\n  literal\n  text\n\nb: >\n  folded\n  text\n\n  para\nc: x\n",
    "a: |-\n  strip\n\n\nb: |+\n  keep\n\n\nc: >-\n  strip\n  folded\nd: >+\n  keep\n\ne: 1\n",
    "a: |2\n    indented\n  less\nb: >1\n  x\n",
    "a: |\n\n  leading blank\n",
    "- |\n- >\n- 'x\n\n  y'\n- \"x\n  y\\\n  z\"\n",
    "a: multi\n  line\n  plain\nb: 1\n",
    "a: 'multi\n  line'\n",
    "key with spaces: value with: colon\nurl: http://x.y/z?a=b#c\nhash: a#b\n",
    "- -1\n- - 1\n- -a\n- ':'\n- ': a'\n- '-'\n",
    "a: 123abc\nb: 1.2.3\nc: 0x\nd: 12:30\ne: 2001-12-14\nf: 1_000\n",
    // Unicode.
    "é: ü\n日本: 語\nemoji: 😀\n\"\\u00e9\": x\n",
    "a: \"\\uD83D\"\n",
    "clé: [ünïcödé, 'ß', \"ΩΩ\"]\n",
    "\u{feff}a: 1\n",
    "\u{feff}\u{feff}a: 1\n",
    "a: 1\n\u{feff}b: 2\n",
    "a: 1\r\nb: [1,\r\n  2]\r\nc: |\r\n  x\r\n  y\r\nd: >\r\n  z\r\n",
    "a: 'multi\r\n  line'\r\n",
    "a: 1\rb: 2\r",
    "a: b\u{85}c: d\n",
    "a: \u{2028}\n",
    // Keys.
    "1: a\n2.5: b\ntrue: c\nnull: d\n~: e\n007: f\n0x10: g\n.inf: h\n-1: i\n",
    "'1': a\n\"2\": b\n? complex\n: c\n? |\n  block key\n: d\n",
    "? a\n? b\n: c\n",
    "{a: 1, b: 2, c}",
    "{? a : 1, ? b, : c}",
    ": a\n",
    "{: a}",
    "[a: 1, b: 2, {c: 3}]",
    "[? a : b, c]",
    "!!str 1: a\n!Tag k: v\n",
    "\"$ref\": x\n",
    "a: {$ref: b}\n",
    // Nested block and flow collections.
    "a:\n  b:\n    c:\n      - 1\n      - - 2\n        - 3\n      - d: 4\n        e: [5, {f: 6}]\n",
    "- a\n- - b\n  - c\n- d: e\n  f: g\n- []\n- {}\n- [[]]\n- {a: {}}\n",
    "a:\n- 1\n- 2\nb:\n  - 3\n",
    "[1, [2, [3, [4, []]]], {a: [b, {c: d}]}]",
    "{a: [1, 2], b: {c: d}, 'e': \"f\"}",
    "{\"a\": 1, \"b\": [true, null, 1.5, \"x\"]}",
    "[1, 2, ]",
    "{a: 1, }",
    "[\n  1,\n  2\n]\n",
    "{\n a: 1,\n b: 2\n}\n",
    "a: [\n  1, 2]\nb: {\n c: d}\n",
    "- {a: b}\n- [c, d]\n",
    // Anchors and aliases.
    "a: &a 1\nb: *a\n",
    "a: &a [1, 2]\nb: *a\nc: *a\n",
    "a: &a {x: 1, y: [2]}\nb: *a\n",
    "a: &a\n  x: &b [1, &c 2]\n  y: *b\nb: *a\nc: *b\nd: *c\n",
    "- &a x\n- *a\n- &b [*a, *a]\n- *b\n- &c {k: *b}\n- *c\n",
    "a: &a ''\nb: *a\nc: &n\nd: *n\n",
    "a: &a 'quoted'\nb: *a\nc: &l |\n  lit\nd: *l\n",
    "a: &k key\n*k : v\n",
    "&a a: 1\nb: *a\n",
    "a: &a !!str 1\nb: *a\n",
    "a: &a b\nc: *a\nd: &a e\nf: *a\n",
    "a: &a [1]\nb: &b [*a, *a]\nc: &c [*b, *b]\nd: [*c, *c]\n",
    "&root\na: 1\n",
    "a: &x\n  - &y\n    - &z 1\nb: [*x, *y, *z]\n",
    // Merge keys.
    "a: &a {x: 1, y: 2}\nb:\n  <<: *a\n  z: 3\n",
    "a: &a {x: 1}\nb: &b {y: 2, x: 9}\nc:\n  <<: [*a, *b]\n  z: 3\n",
    "a: &a {x: 1}\nb:\n  x: 0\n  <<: *a\n",
    "a:\n  <<: {x: 1}\n  <<: {y: 2}\n",
    "a:\n  <<: [{x: 1}, {x: 2, y: 3}]\n",
    "a: {<<: {b: 1}, c: 2}\n",
    "'<<': {a: 1}\n",
    "a: &a {x: 1}\nb: {<<: *a, <<: *a}\n",
    "a:\n  <<: 1\n",
    "a:\n  <<: [1]\n",
    "a:\n  <<: [[{x: 1}]]\n",
    "a:\n  <<: ~\n",
    "a: &a [1]\nb:\n  <<: *a\n",
    // Standard and custom tags.
    "a: !!str 1\nb: !!int '12'\nc: !!float 1\nd: !!bool true\ne: !!null ~\nf: !!str\n",
    "a: !!int 0x10\nb: !!int -0o7\nc: !!float '.inf'\nd: !!float -1.5\ne: !!bool 'True'\n",
    "a: !!binary aGVsbG8=\nb: !!timestamp 2001-12-14\nc: !!map {x: 1}\nd: !!seq [1]\ne: !!omap [a: 1]\nf: !!set {a}\n",
    "a: !<tag:yaml.org,2002:str> 1\nb: !<tag:yaml.org,2002:int> 7\n",
    "a: !<tag:yaml.org,2002:%69nt> 7\n",
    "a: !!int x\n",
    "a: !!float x\n",
    "a: !!bool yes\n",
    "a: !!null x\n",
    "a: !!null\n",
    "a: !!int\n",
    "a: !Tag 1\n",
    "a: !Tag\n",
    "a: !Tag [1]\n",
    "a: !Tag {b: 1}\n",
    "a: ! 1\n",
    "a: !!str [1]\n",
    "a: !<!foo> 1\n",
    "a: !<tag:example.com,2000:x> 1\n",
    "a: !e%C3%A9 1\n",
    "a: !%FF 1\n",
    "a: !%E2%82%AC 1\n",
    "!Tag\n",
    "!Tag top\n",
    "a: &a !Tag 1\nb: *a\n",
    "[!t, 1]\n",
    "{a: !t, b: 1}\n",
    "[!!str, a]\n",
    "[!!null, a]\n",
    "{a: !!str , b: !!str,}\n",
    "- !<!x>, 1\n",
    "a: Hello !world, x\n",
    "a: |\n  no final line break",
    "a: >-\n  folded\n  to the end",
    "a: |+\n  x\n  ",
    "a: \"cut\\",
    "a: x\\",
    "a: \"quoted !tag, too\"\n",
    // Bad text.
    "a: [1, 2\n",
    "a: {b: 1\n",
    "a: 'unclosed\n",
    "a: \"unclosed\n",
    "a: \"bad \\q escape\"\n",
    "a: \"\\x4\"\n",
    "a: b: c\n",
    "a:\n  b: 1\n c: 2\n",
    "a:\n    b: 1\n  c: 2\n",
    "- a\nb: 1\n",
    "a: 1\n- b\n",
    "a:\n\t- b\n",
    "\ta: 1\n",
    "a: 1\n\tb: 2\n",
    "a: [1, 2]]\n",
    "a: }\n",
    "]\n",
    "a: @b\n",
    "a: `b\n",
    "@",
    "a: |\n  x\n y\n",
    "a: >x\n  y\n",
    "a: |0\n  y\n",
    "&a\n",
    "*a\n",
    "a: *a\n",
    "a: &a [*b]\n",
    "a: &\n",
    "a: *\n",
    "a: &a! 1\n",
    "a: !<x\n",
    "a: !x!y!z 1\n",
    "a: !%ZZ 1\n",
    "%YAML 1.1\n%YAML 1.1\n---\na\n",
    "%YAML 2.0\n---\na\n",
    "%FOO bar\n---\na\n",
    "%TAG !e! x\n%TAG !e! y\n---\na\n",
    "a: !e!x 1\n",
    "--- a\n--- b\n",
    "a: 1\n---\nb: 2\n",
    "a\n...\nb\n",
    "a\n...\n]\n",
    "a\n---\n]\n",
    "--- [1\n--- 2\n",
    "a: 1\nb: 2\na: 3\n",
    "{a: 1, a: 2}",
    "a:\n  b: 1\n  b: 2\n",
    "1: a\n'1': b\n",
    "~: a\nnull: b\n",
    "? [a]\n: b\n",
    "? {a: 1}\n: b\n",
    "a: &a [1]\n*a : b\n",
    "a: \u{1}\n",
    "\u{1}",
    "a: b\n\u{7f}",
    "a: \"\u{0}\"\n",
    "a: '\u{b}'\n",
    "key: \u{FFFE}\n",
    "a: &a [*a]\n",
    "a: &a {b: *a}\n",
    "a: &a {*a : 1}\n",
    "&a [*a, 1]\n",
    "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n",
];

#[test]
fn the_corpus_parses_as_it_did() {
    for text in CORPUS {
        same(text);
    }
}

#[test]
fn the_catalogs_of_the_repository_parse_as_they_did() {
    fn walk(dir: &std::path::Path, files: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, files);
            } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
                files.push(path);
            }
        }
    }
    let mut files = Vec::new();
    walk(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/catalogs"),
        &mut files,
    );
    assert!(files.len() > 20, "{files:?}");
    for file in files {
        // (The loader refuses text that is not UTF-8 before parsing it.)
        if let Ok(text) = String::from_utf8(std::fs::read(&file).unwrap()) {
            same(&text);
        }
    }
}

#[test]
fn plain_scalars_resolve_as_before() {
    assert_eq!(value(""), Value::Null);
    assert_eq!(value("# only a comment\n"), Value::Null);
    assert_eq!(
        value("[~, null, Null, NULL, '', nULL]"),
        json!([null, null, null, null, "", "nULL"])
    );
    assert_eq!(
        value("[true, True, TRUE, false, False, FALSE, yes, tRUE]"),
        json!([true, true, true, false, false, false, "yes", "tRUE"])
    );
    assert_eq!(
        value(
            "[0x1F, -0x1F, 0o17, 0b101, +7, 007, 0x-1, 18446744073709551615, -9223372036854775808]"
        ),
        json!([
            31,
            -31,
            15,
            5,
            7,
            "007",
            "0x-1",
            18446744073709551615u64,
            -9223372036854775808i64
        ])
    );
    // Numbers keep their text, normalized to JSON; past 64 bits too
    // (serde_yaml reads those, and `1e3`, as floats, and `1e400` as a
    // string).
    assert_eq!(
        value("[18446744073709551616, 1.5, 1e3, 007.5, 1e400, .5, 5., +1.50, -.5E-3]").to_string(),
        "[18446744073709551616,1.5,1e+3,7.5,1e+400,0.5,5.0,1.50,-0.5e-3]"
    );
    assert_eq!(
        value("a: '1'\nb: \"true\"\nc: |\n  null\n"),
        json!({"a": "1", "b": "true", "c": "null\n"})
    );
    assert_eq!(
        error("a: .inf\n"),
        (
            "yaml_syntax".into(),
            "`.inf` is not a JSON number (JSON has no infinity or NaN) at line 1 column 4".into()
        )
    );
}

#[test]
fn keys_are_taken_as_written() {
    assert_eq!(
        value("1: a\n0x10: b\ntrue: c\n~: d\n'q': e\n? |\n  k\n: f\n!!int 2: g\n"),
        json!({"1": "a", "0x10": "b", "true": "c", "~": "d", "q": "e", "k\n": "f", "2": "g"})
    );
    assert_eq!(
        value("a: &k key\n*k : v\n"),
        json!({"a": "key", "key": "v"})
    );
}

#[test]
fn standard_tags_apply_and_other_tags_are_refused() {
    assert_eq!(
        value("a: !!str 1\nb: !!int '12'\nc: !!float 1\nd: !!bool true\ne: !!map {x: !!null ~}\nf: !!seq [!!str 2]\n"),
        json!({"a": "1", "b": 12, "c": 1.0, "d": true, "e": {"x": null}, "f": ["2"]})
    );
    assert_eq!(value("!!map {!!str 1: !!seq []}"), json!({"1": []}));
    assert_eq!(value("a: !<tag:yaml.org,2002:str> 1\n"), json!({"a": "1"}));
    // Any other tag is refused where it is, in values and keys alike
    // (serde_yaml ignored them, which the comparison allows).
    for (text, found, at) in [
        ("a: !!binary aGk=\n", "!!binary", "line 1 column 4"),
        ("a: !!set {x: null}\n", "!!set", "line 1 column 4"),
        ("a:\n  - !!foo [1]\n", "!!foo", "line 2 column 5"),
        (
            "a: [1, !!timestamp 2001-12-14]\n",
            "!!timestamp",
            "line 1 column 8",
        ),
        ("a: !!binary\n", "!!binary", "line 1 column 4"),
        ("!!binary k: v\n", "!!binary", "line 1 column 1"),
        ("a:\n  !!merge <<: {b: 1}\n", "!!merge", "line 2 column 3"),
        ("a: &x !!omap []\nb: *x\n", "!!omap", "line 1 column 4"),
        (
            "a: !<tag:yaml.org,2002:pairs> []\n",
            "!!pairs",
            "line 1 column 4",
        ),
        (
            "%TAG !e! tag:example.com,2000:\n---\na: !e!foo 1\n",
            "!<tag:example.com,2000:foo>",
            "line 3 column 4",
        ),
    ] {
        assert_eq!(
            error(text),
            (
                "yaml_syntax".into(),
                format!(
                    "YAML tags are not supported (found `{found}`): write plain values at {at}"
                )
            ),
            "{text:?}"
        );
    }
    assert_eq!(
        error("a:\n  b: !Collection {key: [/id]}\n"),
        (
            "yaml_syntax".into(),
            "YAML tags are not supported (found `!Collection`): write plain values at line 2 column 6".into()
        )
    );
    assert_eq!(
        error("a: !!int x\n"),
        (
            "yaml_syntax".into(),
            "invalid YAML: a: invalid value: string \"x\", expected an integer at line 1 column 4"
                .into()
        )
    );
}

/// Numbers that serde_yaml reads through `f64` (or refuses): the streaming
/// reader keeps their digits.
#[test]
fn numbers_keep_the_digits_serde_yaml_rounds() {
    let streaming =
        |text: &str| parse_yaml_with(text, URL, true, false).map(|(v, _)| v.to_string());
    for (text, json) in [
        (
            "[123456789012345678901234567890123456789012, -123456789012345678901234567890123456789012]",
            "[123456789012345678901234567890123456789012,-123456789012345678901234567890123456789012]",
        ),
        (
            "[1e400, -1E+400, 1e-400, 0.1000000000000000000001, 1.50, 1.e5, -.5e-3]",
            "[1e+400,-1e+400,1e-400,0.1000000000000000000001,1.50,1.0e+5,-0.5e-3]",
        ),
        (
            "- !!int 123456789012345678901234567890\n- !!int +123456789012345678901234567890\n- !!int -123456789012345678901234567890\n",
            "[123456789012345678901234567890,123456789012345678901234567890,-123456789012345678901234567890]",
        ),
        (
            "[!!float 1, !!float 99999999999999999999, !!float -007, !!float .5, !!float 1e400, !!float 2.50]",
            "[1.0,99999999999999999999.0,-7.0,0.5,1e+400,2.50]",
        ),
        ("1e400", "1e+400"),
        ("!!float 7", "7.0"),
        ("a: 99999999999999999999\n", "{\"a\":99999999999999999999}"),
    ] {
        assert_eq!(streaming(text), Ok(json.to_string()), "{text}");
    }
    // serde_yaml took `1e400` for a string, and refused it as `!!float`.
    assert_eq!(
        outcome(parse_yaml_with(
            "[1e400, !!str 1e400, '1e400']",
            URL,
            true,
            true
        ))
        .unwrap()
        .0,
        r#"["1e400","1e400","1e400"]"#
    );
    assert!(parse_yaml_with("!!float 1e400", URL, true, true).is_err());
    // Still not numbers: leading zeros, YAML 1.1 forms, radix integers past
    // 128 bits; and still not integers.
    assert_eq!(
        value("[007, 1_000, 0x1_0, 12:30, 0x100000000000000000000000000000000, 1.5.5, 1e, .e5, +-1.5]"),
        json!(["007", "1_000", "0x1_0", "12:30", "0x100000000000000000000000000000000", "1.5.5", "1e", ".e5", "+-1.5"])
    );
    for (text, found) in [
        ("a: !!int 007\n", "\"007\""),
        ("a: !!int 1.5\n", "\"1.5\""),
        (
            "a: !!int 0x100000000000000000000000000000000\n",
            "\"0x100000000000000000000000000000000\"",
        ),
    ] {
        assert_eq!(
            error(text),
            (
                "yaml_syntax".into(),
                format!("invalid YAML: a: invalid value: string {found}, expected an integer at line 1 column 4")
            ),
            "{text}"
        );
    }
    assert_eq!(
        error("a: !!float x1\n"),
        (
            "yaml_syntax".into(),
            "invalid YAML: a: invalid value: string \"x1\", expected a float at line 1 column 4"
                .into()
        )
    );
}

#[test]
fn anchors_aliases_and_merge_keys() {
    assert_eq!(
        value("a: &a\n  x: &b [1, &c 2]\nb: *a\nc: *b\nd: *c\ne:\n  <<: *a\n  y: 3\n"),
        json!({"a": {"x": [1, 2]}, "b": {"x": [1, 2]}, "c": [1, 2], "d": 2, "e": {"x": [1, 2], "y": 3}})
    );
    assert_eq!(
        value("a: &a {x: 1}\nb: &b {y: 2, x: 9}\nc:\n  <<: [*a, *b]\n  z: 3\n"),
        json!({"a": {"x": 1}, "b": {"y": 2, "x": 9}, "c": {"x": 1, "y": 2, "z": 3}})
    );
    assert_eq!(
        error("a: *nope\n"),
        (
            "yaml_syntax".into(),
            "invalid YAML: unknown anchor at line 1 column 4".into()
        )
    );
    // An alias inside its own anchor expands until the nesting limit.
    assert_eq!(
        error("a: &a [*a]\n"),
        (
            "nesting_too_deep".into(),
            "the document nests deeper than 128 levels at line 1 column 4".into()
        )
    );
}

#[test]
fn a_reused_anchor_name_refers_to_its_latest_node() {
    // serde_yaml numbered anchors by the count of names seen, so that `&c`
    // took the number of the reused `&a` and `*a` became 3 (even before
    // `&c` was read). An alias refers to the latest anchor of its name.
    let text = "x: &a 1\ny: &a 2\nz: &c 3\nw: *a\nv: *c\n";
    assert_eq!(
        parse_yaml_with(text, URL, true, false).unwrap().0,
        json!({"x": 1, "y": 2, "z": 3, "w": 2, "v": 3})
    );
    assert_eq!(
        parse_yaml_with(text, URL, true, true).unwrap().0["w"],
        json!(3)
    );
    assert!(anchor_numbering_matters(text));
    assert!(!anchor_numbering_matters(
        "x: &a 1\nw: *a\ny: &a 2\nv: *a\n"
    ));
    assert!(anchor_numbering_matters("x: &a 1\ny: &a 2\nz: &a 3\n"));
    // Without an anchor after the reuse, both agree.
    assert_eq!(
        value("x: &a 1\nw: *a\ny: &a 2\nv: *a\n"),
        json!({"x": 1, "w": 1, "y": 2, "v": 2})
    );
}

#[test]
fn bad_text_is_reported_as_before() {
    let cases = [
        (
            "a:\n  b: 1\n c: 2\n",
            "invalid YAML: did not find expected key at line 3 column 2, while parsing a block mapping",
        ),
        (
            "a: [1, 2\n",
            "invalid YAML: did not find expected ',' or ']' at line 2 column 1, while parsing a flow sequence at line 1 column 4",
        ),
        (
            "a: 'unclosed\n",
            "invalid YAML: found unexpected end of stream at line 2 column 1, while scanning a quoted scalar at line 1 column 4",
        ),
        (
            "a:\n\t- b\n",
            "invalid YAML: found character that cannot start any token at line 2 column 1, while scanning for the next token",
        ),
        (
            "a: 1\nb: 2\na: 3\n",
            "duplicate key \"a\" at line 3 column 1",
        ),
        (
            "a: 1\n---\nb: 2\n",
            "a file must hold one YAML document, but this one holds more than one (separated by `---`)",
        ),
        (
            "a: \u{1}\n",
            "invalid YAML: control characters are not allowed at position 3 at line 1 column 1",
        ),
        (
            "@",
            "invalid YAML: found character that cannot start any token, while scanning for the next token at line 1 column 1",
        ),
    ];
    for (text, message) in cases {
        assert_eq!(error(text).1, message, "{text:?}");
    }
}

#[test]
fn deep_nesting_stops_at_128_levels() {
    let flow = format!("a: {}1{}\n", "[".repeat(200), "]".repeat(200));
    assert_eq!(
        error(&flow),
        (
            "nesting_too_deep".into(),
            "the document nests deeper than 128 levels at line 1 column 131".into()
        )
    );
    let block: String = (0..200)
        .map(|i| format!("{}k{i}:\n", " ".repeat(i)))
        .collect();
    assert_eq!(error(&block).0, "nesting_too_deep");
    let ok = format!("{}1{}", "[".repeat(128), "]".repeat(128));
    same(&format!("a: {ok}\n"));
    same(&format!("a: {}1{}\n", "[".repeat(127), "]".repeat(127)));
    // Through aliases too.
    let nested = format!("a: &a {}1{}\nb: [[*a]]\n", "[".repeat(126), "]".repeat(126));
    same(&nested);
}

/// A billion laughs: `levels` anchors, each a sequence of `width` aliases
/// of the previous one, then `tail` lines of plain values.
fn laughs(levels: usize, width: usize, tail: usize) -> String {
    let mut text = String::from("a0: &a0 [lol]\n");
    for level in 1..=levels {
        let aliases = vec![format!("*a{}", level - 1); width].join(", ");
        text.push_str(&format!("a{level}: &a{level} [{aliases}]\n"));
    }
    for i in 0..tail {
        text.push_str(&format!("t{i}: {i}\n"));
    }
    text
}

#[test]
fn alias_bombs_stop_as_before() {
    let (code, message) = error(&laughs(9, 9, 0));
    assert_eq!(code, "alias_limit");
    assert_eq!(
        message,
        "YAML aliases expand too many times (is this an alias bomb?)"
    );
    // The limit counts the events of the whole document, also those after
    // the aliases: each of these expands one more level than the events
    // read so far allow, and as many as the whole document allows or not.
    for (levels, tail) in [(4, 0), (4, 300), (4, 2_000), (5, 3_000), (5, 20_000)] {
        same(&laughs(levels, 9, tail));
    }
    // At the limit exactly: the bomb expands 8,298 aliases and `u` 2, in
    // 54 + 2 × 11 + 7 = 83 events. One line less, and it is over.
    let at_limit = |tail| format!("{}s: &s x\nu: [*s, *s]\n", laughs(4, 9, tail));
    assert!(compare(&at_limit(11)).is_ok());
    assert_eq!(error(&at_limit(10)).0, "alias_limit");
    // One alias of a large node, many times: the visitor's budget stops it.
    let items = vec!["1"; 2_000].join(",");
    let aliases = vec!["*a"; 2_000].join(",");
    assert_eq!(
        error(&format!("a: &a [{items}]\nb: [{aliases}]\n")).0,
        "alias_limit"
    );
}

#[test]
fn long_documents() {
    // Long enough to be read in several chunks, with multi-byte characters
    // across the chunk boundaries.
    let mut text = String::new();
    let mut i = 0;
    while text.len() < 70_000 {
        text.push_str(&format!(
            "k{i}: {{name: \"é{i}\", list: [1, 2.5, x], ü: 'ß'}}\n"
        ));
        i += 1;
    }
    assert_eq!(value(&text)["k7"]["name"], json!("é7"));
    // A control character is found when the chunk of text holding it is
    // read, and a duplicate key before it is found first only if it comes
    // before that chunk.
    let line_start = |text: &str, at: usize| {
        let before = &text.as_bytes()[..at];
        before
            .iter()
            .rposition(|b| *b == b'\n')
            .map_or(0, |i| i + 1)
    };
    for at in [
        100usize, 16_383, 16_384, 16_390, 20_000, 28_000, 40_000, 69_000,
    ] {
        for dup in [
            30,
            at.saturating_sub(12_000),
            at.saturating_sub(3_000),
            at - 60,
        ] {
            let mut bad = text.clone();
            bad.insert_str(line_start(&bad, dup), "k0: dup\n");
            let at = (at..).find(|&at| bad.is_char_boundary(at)).unwrap();
            bad.insert(at, '\u{1}');
            same(&bad);
        }
    }
    // A syntax error at the end of a long document.
    same(&format!("{text}bad: [\n"));
}

/// Deserializes `text` into a `Value`, with direct access to the stream
/// afterwards.
fn with_stream(text: &str) -> (Result<Value, super::Error>, Stream<'_>) {
    let mut stream = Stream::new(text);
    let mut cursor = Cursor::Main;
    let result = Value::deserialize(&mut Node {
        stream: &mut stream,
        cursor: &mut cursor,
        path: Path::Root,
        remaining_depth: super::RECURSION_LIMIT,
        tagged: false,
    });
    (result, stream)
}

#[test]
fn only_anchored_nodes_are_kept() {
    let mut text = String::from("a: &a {x: [1, 2]}\n");
    for i in 0..1_000 {
        text.push_str(&format!("k{i}: {{v: [{i}, *a]}}\n"));
    }
    let (result, stream) = with_stream(&text);
    assert_eq!(result.unwrap()["k9"], json!({"v": [9, {"x": [1, 2]}]}));
    // The anchored mapping: start, key, sequence start, 2 items, ends.
    assert_eq!(stream.recorded.len(), 7);
    assert!(stream.ahead.is_empty());
    assert!(stream.read > 8_000);
}

#[test]
fn events_are_read_as_the_visitor_asks() {
    // A visitor that stops at the first value reads no further.
    struct First;
    impl<'de> serde::de::Visitor<'de> for First {
        type Value = ();
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a map")
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(self, _: A) -> Result<(), A::Error> {
            Err(serde::de::Error::custom("stop"))
        }
    }
    let text: String = (0..10_000).map(|i| format!("k{i}: [{i}]\n")).collect();
    let mut stream = Stream::new(&text);
    let mut cursor = Cursor::Main;
    let mut node = Node {
        stream: &mut stream,
        cursor: &mut cursor,
        path: Path::Root,
        remaining_depth: super::RECURSION_LIMIT,
        tagged: false,
    };
    let err = serde::Deserializer::deserialize_any(&mut node, First).unwrap_err();
    // At line 1 column 1, the position goes without saying.
    assert_eq!(err.to_string(), "stop");
    assert_eq!(err.location(), Some((1, 1)));
    assert_eq!(stream.read, 1);
}

#[test]
fn errors_have_serde_yaml_messages_and_locations() {
    fn de(text: &str) -> super::Error {
        Value::deserialize(Deserializer::from_str(text)).unwrap_err()
    }
    let err = de("a:\n  b: [1, 2\n");
    assert_eq!(
        err.to_string(),
        "did not find expected ',' or ']' at line 3 column 1, while parsing a flow sequence at line 2 column 6"
    );
    assert_eq!(err.location(), Some((3, 1)));
    let err = de("a: *x\n");
    assert_eq!(err.to_string(), "unknown anchor at line 1 column 4");
    assert_eq!(err.location(), Some((1, 4)));
    let err = de("- 1\n- 2\n---\n- 3\n");
    assert!(err
        .to_string()
        .starts_with("deserializing from YAML containing more than one document"));
    assert_eq!(err.location(), None);
    let err = de(&laughs(9, 9, 0));
    assert!(err.to_string().starts_with("repetition limit exceeded"));
    let err = de(&"[".repeat(200));
    assert_eq!(
        err.to_string(),
        "recursion limit exceeded at line 1 column 129"
    );
    assert_eq!(err.location(), Some((1, 129)));
    // A visitor's error gets the position and path of its node.
    let err = u8::deserialize(Deserializer::from_str("300")).unwrap_err();
    assert_eq!(err.to_string(), "invalid value: integer `300`, expected u8");
    assert_eq!(err.location(), Some((1, 1)));
    #[derive(Deserialize, Debug)]
    #[allow(dead_code)]
    struct S {
        a: Vec<u8>,
    }
    let err = S::deserialize(Deserializer::from_str("a: [1, x]\n")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "a[1]: invalid type: string \"x\", expected u8 at line 1 column 8"
    );
}

#[test]
fn text_that_might_break_the_parser_is_spotted() {
    for text in [
        "[!t, 1]",
        "{a: !t, b}",
        "[!<x>, 1]",
        "[!<a,b>, 1]",
        "[!<tag:yaml.org,2002:str>, 1]",
        "[!!str,]",
        "a: x !y, z",
        "\"!a,\"",
    ] {
        assert!(may_have_tag_before_comma(text), "{text:?}");
    }
    for text in [
        "a: b",
        "Hello!world, x",
        "a: !t 1, b",
        "[!t 1, 2]",
        "!t\n,",
        "a!,",
        "!!!!!!!!!!",
        "a: !<tag:yaml.org,2002:str> 1",
        "[!<tag:yaml.org,2002:str> 1, 2]",
    ] {
        assert!(!may_have_tag_before_comma(text), "{text:?}");
    }
    // Long runs of `!` take linear time.
    let text = "!".repeat(1_000_000);
    assert!(!may_have_tag_before_comma(&text));

    for text in [
        "a: |\n  x",
        "a: >\n  x",
        "a: |-2 # c\n  x",
        "a: >+\r  x",
        "- |\n  x\n- >\n  y",
        "a: |\u{85}  x",
        "a: |\n  x\n  ",
    ] {
        assert!(may_end_in_block_scalar(text), "{text:?}");
    }
    for text in [
        "",
        "a: |\n  x\n",
        "a: >\n  x\r\n",
        "a: |",
        "a: | # c",
        "a: b",
        "a: x | y\nb: c",
        "a: x > y\nb: c",
        "a: '|'\nb",
    ] {
        assert!(!may_end_in_block_scalar(text), "{text:?}");
    }
    let text = "|# ".repeat(1_000_000);
    assert!(!may_end_in_block_scalar(&text));
}

/// Text that libyaml-safer might panic on goes to serde_yaml_ng, numbers
/// and tags and all: there, they are serde_yaml_ng's (see the module
/// documentation).
#[test]
fn text_read_by_serde_yaml_gets_its_numbers_and_tags() {
    let tagged = "a: !!binary aGk=\n";
    let parse = |text: &str| parse_str(text, URL, Format::Yaml, true);
    assert_eq!(parse(tagged).unwrap_err().code, "yaml_syntax");
    assert_eq!(
        parse(&format!("{tagged}b: |\n  x")).unwrap(),
        json!({"a": "aGk=", "b": "x"})
    );

    let numbers = "a: [1.50, 0.1000000000000000000001, 123456789012345678901234567890123456789012, 1e400, 99999999999999999999]\n";
    let exact = r#"[1.50,0.1000000000000000000001,123456789012345678901234567890123456789012,1e+400,99999999999999999999]"#;
    let rounded = r#"[1.5,0.1,1.2345678901234568e+41,"1e400",99999999999999999999]"#;
    for (text, want) in [
        (numbers.to_string(), exact),
        (format!("{numbers}b: |\n  x\n"), exact),
        (format!("{numbers}b: |\n  x"), rounded),
        (format!("{numbers}b: [!!str, x]\n"), rounded),
        (format!("{numbers}b: c\\"), rounded),
    ] {
        let value = parse_str(&text, URL, Format::Yaml, true).unwrap();
        assert_eq!(value["a"].to_string(), want, "{text:?}");
    }
}

/// Whether serde_yaml's numbering of anchors may resolve an alias of
/// `text` to another node than YAML says (see
/// `a_reused_anchor_name_refers_to_its_latest_node`): whether an anchor
/// name is reused and another anchor follows. Any `&` counts, even in a
/// scalar.
fn anchor_numbering_matters(text: &str) -> bool {
    let mut names = std::collections::HashSet::new();
    let mut reused = false;
    for (i, _) in text.match_indices('&') {
        if reused {
            return true;
        }
        let name: String = text[i + 1..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
            .collect();
        reused = !names.insert(name);
    }
    false
}

/// A small deterministic random generator (xorshift).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

#[test]
fn mangled_text_parses_as_before_and_never_panics() {
    // Characters that mean something to YAML, and some that do not.
    const SPECIAL: &[char] = &[
        '[', ']', '{', '}', ',', ':', '-', '?', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`',
        '#', '<', '\t', '\n', '\r', ' ', '\\', '~', '.', '0', '1', 'x', 'é', '\u{1}', '\u{85}',
        '\u{feff}',
    ];
    let corpus: Vec<String> = CORPUS
        .iter()
        .filter(|text| text.len() > 4)
        .map(|text| text.to_string())
        .chain([
            laughs(2, 3, 2),
            include_str!("../../../../tests/catalogs/valid/anchors/flow.yaml").to_string(),
        ])
        .collect();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for _ in 0..4_000 {
        let mut text: Vec<char> = corpus[rng.below(corpus.len())].chars().collect();
        for _ in 0..=rng.below(3) {
            let at = rng.below(text.len());
            match rng.below(4) {
                0 => text[at] = SPECIAL[rng.below(SPECIAL.len())],
                1 => text.insert(at, SPECIAL[rng.below(SPECIAL.len())]),
                2 => {
                    text.remove(at);
                }
                _ => {
                    // Duplicate a slice elsewhere.
                    let from = rng.below(text.len());
                    let len = rng.below(8).min(text.len() - from);
                    let slice: Vec<char> = text[from..from + len].to_vec();
                    let to = rng.below(text.len());
                    text.splice(to..to, slice);
                }
            }
            if text.is_empty() {
                break;
            }
        }
        let text: String = text.into_iter().collect();
        let check = |text: &str| {
            if anchor_numbering_matters(text) {
                let _ = parse_yaml_with(text, URL, true, false);
            } else {
                same(text);
            }
        };
        check(&text);
        // Every truncation of a few of them too.
        if rng.below(50) == 0 {
            for (end, _) in text.char_indices() {
                check(&text[..end]);
            }
        }
    }
}

/// Random YAML documents: block and flow collections, scalars of every
/// kind, anchors (each name used once), aliases, merge keys and tags.
struct Generator {
    rng: Rng,
    anchors: Vec<String>,
    out: String,
}

impl Generator {
    fn scalar(&mut self) -> &'static str {
        const SCALARS: &[&str] = &[
            "1",
            "-2",
            "0x1f",
            "007",
            "1.5",
            ".inf",
            "~",
            "null",
            "true",
            "FALSE",
            "abc",
            "'q'",
            "\"d\\n\"",
            "''",
            "!!str 5",
            "!!int '7'",
            "!T x",
            "!!float 1",
            "18446744073709551616",
            "é",
            "!!null",
            "a b",
            "<<",
            "$ref",
        ];
        SCALARS[self.rng.below(SCALARS.len())]
    }

    /// An anchor (sometimes) and a `!!map` tag (rarely) for a node.
    fn properties(&mut self) -> String {
        let mut properties = String::new();
        if self.rng.below(4) == 0 {
            let name = format!("a{}", self.anchors.len());
            properties.push_str(&format!("&{name} "));
            self.anchors.push(name);
        }
        if self.rng.below(15) == 0 {
            properties.push_str("!!map ");
        }
        properties
    }

    fn flow(&mut self, depth: usize) -> String {
        if !self.anchors.is_empty() && self.rng.below(4) == 0 {
            return format!("*{}", self.anchors[self.rng.below(self.anchors.len())]);
        }
        let properties = self.properties();
        let n = self.rng.below(4);
        match if depth > 3 { 0 } else { self.rng.below(3) } {
            0 => {
                let scalar = self.scalar();
                if scalar.starts_with('!') {
                    scalar.to_string()
                } else {
                    format!("{properties}{scalar}")
                }
            }
            1 => {
                let items: Vec<String> = (0..n).map(|_| self.flow(depth + 1)).collect();
                format!("{properties}[{}]", items.join(", "))
            }
            _ => {
                let mut entries = Vec::new();
                for i in 0..n {
                    let key = if self.rng.below(6) == 0 {
                        "<<".to_string()
                    } else {
                        format!("k{i}")
                    };
                    let value = self.flow(depth + 1);
                    entries.push(format!("{key}: {value}"));
                }
                format!("{properties}{{{}}}", entries.join(", "))
            }
        }
    }

    fn block(&mut self, indent: usize, depth: usize) {
        let pad = " ".repeat(indent);
        let sequence = self.rng.below(3) == 0;
        for i in 0..=self.rng.below(4) {
            let key = if sequence {
                "- ".to_string()
            } else if self.rng.below(8) == 0 {
                "<<: ".to_string()
            } else if self.rng.below(10) == 0 {
                format!("{}: ", self.scalar())
            } else {
                format!("k{i}: ")
            };
            if depth < 4 && self.rng.below(3) == 0 {
                let properties = self.properties();
                self.out.push_str(&format!("{pad}{key}{properties}\n"));
                self.block(indent + 2, depth + 1);
            } else if self.rng.below(10) == 0 {
                let properties = self.properties();
                self.out
                    .push_str(&format!("{pad}{key}{properties}|\n{pad}  line\n"));
            } else {
                let value = self.flow(depth);
                self.out.push_str(&format!("{pad}{key}{value}\n"));
            }
        }
    }
}

#[test]
fn random_documents_parse_as_before() {
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let (mut parsed, mut failed) = (0, 0);
    for _ in 0..3_000 {
        let mut generator = Generator {
            rng: Rng(rng.next() | 1),
            anchors: Vec::new(),
            out: String::new(),
        };
        generator.block(0, 0);
        match compare(&generator.out) {
            Ok(_) => parsed += 1,
            Err(_) => failed += 1,
        }
    }
    // Both kinds are well represented.
    assert!(
        parsed > 500 && failed > 500,
        "{parsed} parsed, {failed} failed"
    );
}

/// libyaml-safer 0.3 panics on three shapes of text (see the module
/// documentation). The streaming reader, which reads every other text,
/// catches such a panic and reports it as an error of the file; the loader
/// hands these shapes to serde_yaml_ng, which reads them.
#[test]
fn a_panic_of_the_parser_is_an_error_of_the_file() {
    for (text, at, message, loaded) in [
        (
            "[!!str, 1]\n",
            "after line 1 column 1",
            "TODO: What is expected here?",
            Ok(json!(["", 1])),
        ),
        (
            "a: |\n  x",
            "after line 1 column 1",
            "unexpected end of input",
            Ok(json!({"a": "x"})),
        ),
        (
            "a: x\nb: \"cut\\",
            "after line 2 column 1",
            "called `Option::unwrap()` on a `None` value",
            Err("invalid YAML: found unknown escape character at line 2 column 8, while parsing a quoted scalar at line 2 column 4"),
        ),
    ] {
        // Each shape is one the loader sends to serde_yaml_ng...
        assert!(super::input::needs_serde_yaml(text), "{text:?}");
        // ...but the streaming reader does not crash on it either.
        let err = Deserializer::from_str(text)
            .de(|node| Value::deserialize(node))
            .unwrap_err();
        let ctx = crate::load::parse::Ctx::new(text.len(), true);
        let diagnostic = crate::load::parse::yaml_diagnostic(URL, &ctx, err.location(), &err);
        assert_eq!(
            diagnostic,
            Diagnostic::new(
                URL,
                format!(
                    "invalid YAML: the YAML parser (libyaml-safer) panicked on this text {at}: {message}"
                ),
                "yaml_syntax"
            ),
            "{text:?}"
        );
        // The loader reads the text with serde_yaml_ng.
        let parsed = parse_str(text, URL, Format::Yaml, true).map_err(|d| d.message);
        assert_eq!(parsed, loaded.map_err(str::to_string), "{text:?}");
    }
}
