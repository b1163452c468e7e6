//! The YAML emitter: quoting, block scalars, numbers, layout of nested
//! values, and round trips through serde_yaml (and PyYAML when installed).

use serde_json::{json, Value};

use super::write::{is_plain_safe, to_string};
use crate::write::tests::{json_text, Rng};

fn emit(v: &Value) -> String {
    to_string(v).unwrap()
}

/// Parses `text` back and checks it is `v`, keys in the same order.
#[track_caller]
fn assert_round_trip(v: &Value, text: &str) {
    let back: Value = match serde_yaml::from_str(text) {
        Ok(back) => back,
        Err(err) => panic!("{err}\n--- emitted:\n{text}\n--- from: {}", json_text(v)),
    };
    assert_eq!(json_text(&back), json_text(v), "\n--- emitted:\n{text}---");
}

/// Strings and how they are written as a map value (and as a key, for
/// single-line ones).
const QUOTING: &[(&str, &str)] = &[
    // Plain.
    ("public", "public"),
    ("acmeCo/anvils/products", "acmeCo/anvils/products"),
    ("/id", "/id"),
    ("db:5432", "db:5432"),
    (
        "ghcr.io/estuary/source-postgres:v1",
        "ghcr.io/estuary/source-postgres:v1",
    ),
    ("https://example.com/a#b", "https://example.com/a#b"),
    ("10m", "10m"),
    ("1d", "1d"),
    ("0123456789abcdef", "0123456789abcdef"),
    ("a#b", "a#b"),
    ("a:b", "a:b"),
    ("SELECT $id;", "SELECT $id;"),
    ("yes!", "yes!"),
    ("no-op", "no-op"),
    ("on_hand", "on_hand"),
    ("offset", "offset"),
    ("nullable", "nullable"),
    ("x1e3", "x1e3"),
    ("e3", "e3"),
    ("1.2.3a", "1.2.3a"),
    ("0x", "0x"),
    ("_", "_"),
    (".foo", ".foo"),
    (
        "../../full-outer-join.flow.ts",
        "../../full-outer-join.flow.ts",
    ),
    ("./x.sql", "./x.sql"),
    ("+", "+"),
    ("a b", "a b"),
    ("a - b", "a - b"),
    ("a, b [c] {d}", "a, b [c] {d}"),
    ("café", "café"),
    ("日本語", "日本語"),
    ("😀", "😀"),
    ("\u{a0}nbsp\u{a0}", "\u{a0}nbsp\u{a0}"),
    ("~tilde", "~tilde"),
    // YAML 1.1 and 1.2 booleans and nulls.
    ("yes", "\"yes\""),
    ("Yes", "\"Yes\""),
    ("YES", "\"YES\""),
    ("no", "\"no\""),
    ("No", "\"No\""),
    ("on", "\"on\""),
    ("ON", "\"ON\""),
    ("off", "\"off\""),
    ("Off", "\"Off\""),
    ("y", "\"y\""),
    ("Y", "\"Y\""),
    ("n", "\"n\""),
    ("N", "\"N\""),
    ("true", "\"true\""),
    ("False", "\"False\""),
    ("TRUE", "\"TRUE\""),
    ("null", "\"null\""),
    ("Null", "\"Null\""),
    ("NULL", "\"NULL\""),
    ("~", "\"~\""),
    ("", "\"\""),
    // Numbers in any notation.
    ("0", "\"0\""),
    ("42", "\"42\""),
    ("+1", "\"+1\""),
    ("-1", "\"-1\""),
    ("1.5", "\"1.5\""),
    ("0x1F", "\"0x1F\""),
    ("0o17", "\"0o17\""),
    ("0b101", "\"0b101\""),
    ("0755", "\"0755\""),
    ("1_000", "\"1_000\""),
    (".5", "\".5\""),
    ("1.", "\"1.\""),
    ("1e3", "\"1e3\""),
    ("1E+3", "\"1E+3\""),
    ("1.0e-7", "\"1.0e-7\""),
    ("1e400", "\"1e400\""),
    (".inf", "\".inf\""),
    ("-.inf", "\"-.inf\""),
    ("+.INF", "\"+.INF\""),
    (".NaN", "\".NaN\""),
    ("nan", "\"nan\""),
    ("Infinity", "\"Infinity\""),
    ("1:20", "\"1:20\""),
    ("190:20:30.15", "\"190:20:30.15\""),
    ("1.2.3", "\"1.2.3\""),
    (".", "\".\""),
    ("..", "\"..\""),
    ("...", "\"...\""),
    ("... x", "\"... x\""),
    ("...x", "\"...x\""),
    // Dates and timestamps.
    ("2024-01-01", "\"2024-01-01\""),
    ("2024-01-01T00:00:00Z", "\"2024-01-01T00:00:00Z\""),
    ("2001-12-14 21:59:43.10 -5", "\"2001-12-14 21:59:43.10 -5\""),
    // YAML 1.1 merge and value keys.
    ("<<", "\"<<\""),
    ("=", "\"=\""),
    // Leading and trailing spaces.
    (" lead", "\" lead\""),
    ("trail ", "\"trail \""),
    (" ", "\" \""),
    // Leading indicators.
    ("-", "\"-\""),
    ("- a", "\"- a\""),
    ("-a", "\"-a\""),
    ("---", "\"---\""),
    ("?", "\"?\""),
    ("? a", "\"? a\""),
    (":", "\":\""),
    (":a", "\":a\""),
    (",a", "\",a\""),
    ("[a]", "\"[a]\""),
    ("]", "\"]\""),
    ("{a}", "\"{a}\""),
    ("}", "\"}\""),
    ("#c", "\"#c\""),
    ("&a", "\"&a\""),
    ("*a", "\"*a\""),
    ("!tag", "\"!tag\""),
    ("|", "\"|\""),
    (">", "\">\""),
    ("'q'", "\"'q'\""),
    ("\"q\"", "\"\\\"q\\\"\""),
    ("%YAML", "\"%YAML\""),
    ("@at", "\"@at\""),
    ("`tick`", "\"`tick`\""),
    // Indicators inside.
    ("a: b", "\"a: b\""),
    ("a:", "\"a:\""),
    ("a #b", "\"a #b\""),
    ("back\\slash", "back\\slash"),
    ("\\", "\\"),
    // Control and non-printable characters.
    ("tab\there", "\"tab\\there\""),
    ("\t", "\"\\t\""),
    ("bell\u{7}", "\"bell\\a\""),
    ("nul\u{0}", "\"nul\\0\""),
    ("esc\u{1b}", "\"esc\\e\""),
    ("\u{1}", "\"\\x01\""),
    ("del\u{7f}", "\"del\\x7F\""),
    ("cr\r", "\"cr\\r\""),
    ("crlf\r\nx", "\"crlf\\r\\nx\""),
    ("nel\u{85}", "\"nel\\N\""),
    ("c1\u{9f}", "\"c1\\x9F\""),
    ("ls\u{2028}", "\"ls\\L\""),
    ("ps\u{2029}", "\"ps\\P\""),
    ("bom\u{feff}", "\"bom\\uFEFF\""),
    ("nonchar\u{fffe}", "\"nonchar\\uFFFE\""),
    (
        "\u{2027}\u{202a}\u{a1}\u{fefe}",
        "\u{2027}\u{202a}\u{a1}\u{fefe}",
    ),
];

#[test]
fn quoting_of_values_and_keys() {
    for (s, want) in QUOTING {
        let v = json!({ "k": s });
        let text = emit(&v);
        assert_eq!(text, format!("k: {want}\n"), "value {s:?}");
        assert_round_trip(&v, &text);

        let v = json!({ *s: 1 });
        let text = emit(&v);
        assert_eq!(text, format!("{want}: 1\n"), "key {s:?}");
        assert_round_trip(&v, &text);

        let v = json!([s]);
        let text = emit(&v);
        assert_eq!(text, format!("- {want}\n"), "item {s:?}");
        assert_round_trip(&v, &text);
    }
}

/// Multi-line strings and how they are written under `k:`.
const BLOCKS: &[(&str, &str)] = &[
    ("a\nb", "k: |-\n  a\n  b\n"),
    ("a\nb\n", "k: |\n  a\n  b\n"),
    ("a\nb\n\n", "k: |+\n  a\n  b\n\n"),
    ("a\nb\n\n\n", "k: |+\n  a\n  b\n\n\n"),
    ("\na", "k: |-\n\n  a\n"),
    ("a\n\n  b\n", "k: |\n  a\n\n    b\n"),
    ("trailing  \nspaces\t\n", "k: |\n  trailing  \n  spaces\t\n"),
    ("a\n  \nb", "k: |-\n  a\n    \n  b\n"),
    ("a\n\tb", "k: |-\n  a\n  \tb\n"),
    (
        "# not a comment\n---\n...\n",
        "k: |\n  # not a comment\n  ---\n  ...\n",
    ),
    ("key: value\n- item\n", "k: |\n  key: value\n  - item\n"),
    (
        "SELECT id, count(*)\nFROM orders\nWHERE note = 'yes: no #x'\n",
        "k: |\n  SELECT id, count(*)\n  FROM orders\n  WHERE note = 'yes: no #x'\n",
    ),
    (
        "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg==\n-----END PRIVATE KEY-----\n",
        "k: |\n  -----BEGIN PRIVATE KEY-----\n  MIIEvQIBADANBg==\n  -----END PRIVATE KEY-----\n",
    ),
    ("日本\n語", "k: |-\n  日本\n  語\n"),
    // Falls back to double quotes.
    (" lead\nx", "k: \" lead\\nx\"\n"),
    ("\tlead\nx", "k: \"\\tlead\\nx\"\n"),
    ("\n  lead", "k: \"\\n  lead\"\n"),
    ("\n", "k: \"\\n\"\n"),
    ("\n\n", "k: \"\\n\\n\"\n"),
    ("cr\r\nlf", "k: \"cr\\r\\nlf\"\n"),
    ("nel\u{85}\nx", "k: \"nel\\N\\nx\"\n"),
    ("bell\u{7}\nx", "k: \"bell\\a\\nx\"\n"),
];

#[test]
fn block_scalars() {
    for (s, want) in BLOCKS {
        let v = json!({ "k": s });
        let text = emit(&v);
        assert_eq!(text, *want, "{s:?}");
        assert_round_trip(&v, &text);

        // In a sequence, nested, as a key (never a block), and at the root.
        for v in [
            json!([s, {"a": [s]}]),
            json!({ *s: s }),
            json!({"x": {"y": [[s]]}}),
            json!(s),
        ] {
            assert_round_trip(&v, &emit(&v));
        }
    }
}

#[test]
fn numbers() {
    let cases: &[(Value, &str)] = &[
        (json!(0), "0"),
        (json!(-5), "-5"),
        (json!(u64::MAX), "18446744073709551615"),
        (json!(i64::MIN), "-9223372036854775808"),
        (json!(1.5), "1.5"),
        (json!(3.0), "3.0"),
        (json!(-0.0), "-0.0"),
        (json!(0.1), "0.1"),
        (json!(1e21), "1.0e+21"),
        (json!(1.5e21), "1.5e+21"),
        (json!(1e-7), "1.0e-7"),
        (json!(-2.5e-300), "-2.5e-300"),
        (json!(f64::MAX), "1.7976931348623157e+308"),
        (json!(f64::MIN_POSITIVE), "2.2250738585072014e-308"),
        (json!(true), "true"),
        (json!(false), "false"),
        (json!(null), "null"),
    ];
    // The YAML 1.1 float pattern: a `.` in the mantissa, a signed exponent.
    let yaml11_float =
        regex::Regex::new(r"^[-+]?([0-9][0-9_]*)?\.[0-9.]*([eE][-+][0-9]+)?$").unwrap();
    for (v, want) in cases {
        let doc = json!({ "num": v });
        let text = emit(&doc);
        assert_eq!(text, format!("num: {want}\n"), "{v}");
        assert_round_trip(&doc, &text);
        if v.is_f64() {
            assert!(
                yaml11_float.is_match(want),
                "{want} is not a YAML 1.1 float"
            );
        }
    }
}

/// Numbers are written from their exact text: integers as they are,
/// floats with a `.` and a signed exponent, never through `f64`.
#[test]
fn exact_numbers() {
    let yaml11_float =
        regex::Regex::new(r"^[-+]?([0-9][0-9_]*)?\.[0-9.]*([eE][-+][0-9]+)?$").unwrap();
    for (text, want) in [
        ("99999999999999999999", "99999999999999999999"),
        (
            "-123456789012345678901234567890",
            "-123456789012345678901234567890",
        ),
        ("1e400", "1.0e+400"),
        ("-1E-400", "-1.0e-400"),
        ("1.5e+400", "1.5e+400"),
        ("0.10", "0.10"),
        ("0.1000000000000000000001", "0.1000000000000000000001"),
        ("12.50e3", "12.50e+3"),
        ("-0", "-0"),
        ("-0.0", "-0.0"),
    ] {
        let doc = json!({ "num": serde_json::from_str::<Value>(text).unwrap() });
        assert_eq!(emit(&doc), format!("num: {want}\n"), "{text}");
        if text.contains(['.', 'e', 'E']) {
            assert!(
                yaml11_float.is_match(want),
                "{want} is not a YAML 1.1 float"
            );
        }
    }
}

#[test]
fn nesting_and_empty_containers() {
    let v = json!({
        "map": {"a": 1, "b": {"c": "d"}},
        "seq": [1, "two", {"three": 3, "four": [4, {}]}],
        "seqOfMaps": [{"name": "a", "x": {"z": []}}, {"name": "b"}],
        "seqOfSeqs": [[1, 2], [[3]], [], [{}]],
        "emptyMap": {},
        "emptySeq": [],
        "nulls": [null, {"k": null}],
    });
    let want = "\
map:
  a: 1
  b:
    c: d
seq:
  - 1
  - two
  - three: 3
    four:
      - 4
      - {}
seqOfMaps:
  - name: a
    x:
      z: []
  - name: b
seqOfSeqs:
  - - 1
    - 2
  - - - 3
  - []
  - - {}
emptyMap: {}
emptySeq: []
nulls:
  - null
  - k: null
";
    let text = emit(&v);
    assert_eq!(text, want);
    assert_round_trip(&v, &text);

    for (root, want) in [
        (json!({}), "{}\n"),
        (json!([]), "[]\n"),
        (json!("yes"), "\"yes\"\n"),
        (json!(1), "1\n"),
        (json!("a\nb\n"), "|\n  a\n  b\n"),
        (json!([[]]), "- []\n"),
    ] {
        let text = emit(&root);
        assert_eq!(text, want);
        assert_round_trip(&root, &text);
    }
}

#[test]
fn long_keys_are_explicit() {
    let long = "k".repeat(2000);
    for v in [
        json!({ long.clone(): 1, "b": 2 }),
        json!({ long.clone(): {"a": [1]} }),
        json!([{ long.clone(): [1, 2] }]),
        json!({ format!("yes{long}"): "v" }),
    ] {
        let text = emit(&v);
        assert!(text.contains("? "), "{text}");
        assert_round_trip(&v, &text);
    }
}

#[test]
fn serde_data_model() {
    #[derive(serde::Serialize)]
    enum E {
        Unit,
        Newtype(u8),
        Tuple(u8, &'static str),
        Struct { a: u8, empty: Vec<u8> },
    }
    #[derive(serde::Serialize)]
    struct S {
        unit: E,
        newtype: E,
        tuple: E,
        r#struct: E,
        chars: (char, char),
        bytes: &'static [u8],
        int_keys: std::collections::BTreeMap<i32, bool>,
        bool_keys: std::collections::BTreeMap<bool, ()>,
        float: f32,
    }
    let s = S {
        unit: E::Unit,
        newtype: E::Newtype(1),
        tuple: E::Tuple(2, "no"),
        r#struct: E::Struct {
            a: 3,
            empty: vec![],
        },
        chars: ('y', '#'),
        bytes: b"\x01\x02",
        int_keys: [(1, true), (-1, false)].into_iter().collect(),
        bool_keys: [(true, ())].into_iter().collect(),
        float: 0.5,
    };
    let text = to_string(&s).unwrap();
    assert_eq!(
        text,
        "\
unit: Unit
newtype:
  Newtype: 1
tuple:
  Tuple:
    - 2
    - \"no\"
struct:
  Struct:
    a: 3
    empty: []
chars:
  - \"y\"
  - \"#\"
bytes:
  - 1
  - 2
int_keys:
  \"-1\": false
  \"1\": true
bool_keys:
  \"true\": null
float: 0.5
"
    );
    assert_round_trip(&serde_json::to_value(&s).unwrap(), &text);

    let bad: std::collections::BTreeMap<Vec<u8>, u8> = [(vec![1], 1)].into_iter().collect();
    assert!(to_string(&bad).is_err());
}

// ---------------------------------------------------------------------------
// Generated values.

/// Pieces of tricky strings.
const ATOMS: &[&str] = &[
    "a",
    "b",
    "Z",
    "yes",
    "No",
    "ON",
    "off",
    "y",
    "n",
    "true",
    "False",
    "null",
    "~",
    "0",
    "1",
    "7",
    "9",
    "0x",
    "0o",
    "0b",
    "1f",
    ".",
    "..",
    ":",
    ": ",
    " #",
    "#",
    "-",
    "- ",
    "?",
    ",",
    "[",
    "]",
    "{",
    "}",
    "&",
    "*",
    "!",
    "|",
    ">",
    "'",
    "\"",
    "%",
    "@",
    "`",
    "\\",
    " ",
    "  ",
    "\t",
    "\n",
    "\n\n",
    "\r",
    "\r\n",
    "e",
    "E",
    "+",
    "_",
    "<<",
    "=",
    "inf",
    ".inf",
    "nan",
    ".NaN",
    "2024-01-01",
    "T",
    "Z",
    "10:00",
    "é",
    "日本",
    "😀",
    "\u{85}",
    "\u{2028}",
    "\u{feff}",
    "\u{7f}",
    "\u{0}",
    "\u{1b}",
    "\u{a0}",
    "SELECT *",
    "---",
    "...",
];

/// Characters of number-like words.
const WORD_CHARS: &[u8] = b"0123456789.:_-+eExXoObBaAfFyYnNtTrRuUlLsS ~<=Z";

fn gen_string(rng: &mut Rng) -> String {
    let n = rng.below(6);
    (0..n).map(|_| *rng.pick(ATOMS)).collect()
}

fn gen_word(rng: &mut Rng) -> String {
    let n = 1 + rng.below(7);
    (0..n).map(|_| *rng.pick(WORD_CHARS) as char).collect()
}

fn gen_number(rng: &mut Rng) -> Value {
    match rng.below(6) {
        0 => json!(rng.below(1000)),
        1 => json!(rng.next()),
        2 => json!(-((rng.next() >> 1) as i64)),
        3 => {
            let f = f64::from_bits(rng.next());
            if f.is_finite() {
                json!(f)
            } else {
                json!(0.5)
            }
        }
        4 => json!((rng.below(2000) as f64 - 1000.0) / 8.0),
        _ => json!(10f64.powi(rng.below(600) as i32 - 300) * 1.25),
    }
}

/// `v` with every number that is not an integer as the float PyYAML
/// reads it as (and Python's `json` writes in its own way: `1e+21`, where
/// serde_json writes `1e21`).
fn floats_as_f64(v: &Value) -> Value {
    match v {
        Value::Number(n) if !crate::json::is_integer(n) => {
            json!(n.as_f64().expect("a finite float"))
        }
        Value::Array(items) => Value::Array(items.iter().map(floats_as_f64).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), floats_as_f64(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

fn gen_value(rng: &mut Rng, depth: usize) -> Value {
    let leaf = depth == 0 || rng.below(3) == 0;
    if leaf {
        return match rng.below(7) {
            0 => gen_number(rng),
            1 => json!(rng.below(2) == 0),
            2 => Value::Null,
            3 => json!(gen_word(rng)),
            _ => json!(gen_string(rng)),
        };
    }
    let n = rng.below(4);
    if rng.below(2) == 0 {
        Value::Array((0..n).map(|_| gen_value(rng, depth - 1)).collect())
    } else {
        let mut map = serde_json::Map::new();
        for _ in 0..n {
            let key = if rng.below(2) == 0 {
                gen_word(rng)
            } else {
                gen_string(rng)
            };
            map.insert(key, gen_value(rng, depth - 1));
        }
        Value::Object(map)
    }
}

/// Every string of `v`, keys included.
fn strings(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Array(a) => a.iter().for_each(|v| strings(v, out)),
        Value::Object(m) => {
            for (k, v) in m {
                out.push(k.clone());
                strings(v, out);
            }
        }
        _ => {}
    }
}

#[test]
fn generated_values_round_trip() {
    let mut rng = Rng::new(7);
    for _ in 0..3000 {
        let v = gen_value(&mut rng, 4);
        let text = emit(&v);
        assert_round_trip(&v, &text);
        assert_eq!(text, emit(&v), "deterministic");
    }
}

/// The implicit resolvers of YAML 1.1 (PyYAML's and the 1.1 type
/// repository's, which differ) and of the YAML 1.2 core schema. A string
/// any of them matches must never be written plain.
const RESOLVERS: &[&str] = &[
    // YAML 1.1 bool (type repository, with y/n) and PyYAML's.
    r"^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$",
    // YAML 1.1 float (type repository).
    r"^(?:[-+]?([0-9][0-9_]*)?\.[0-9.]*([eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$",
    // PyYAML float.
    r"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
    // YAML 1.1 int (type repository and PyYAML).
    r"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$",
    // YAML 1.1 merge, null, value.
    r"^(?:<<)$",
    r"^(?:~|null|Null|NULL|)$",
    r"^(?:=)$",
    // YAML 1.1 timestamp.
    r"^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$",
    // YAML 1.2 core schema.
    r"^(?:null|Null|NULL|~|)$",
    r"^(?:true|True|TRUE|false|False|FALSE)$",
    r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$",
    r"^(?:[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.nan|\.NaN|\.NAN)$",
];

#[test]
fn resolver_table_strings_are_quoted() {
    let resolvers: Vec<regex::Regex> = RESOLVERS
        .iter()
        .map(|r| regex::Regex::new(r).unwrap())
        .collect();
    let mut corpus: Vec<String> = QUOTING.iter().map(|(s, _)| s.to_string()).collect();
    let mut rng = Rng::new(11);
    for _ in 0..50_000 {
        corpus.push(gen_word(&mut rng));
    }
    for _ in 0..500 {
        strings(&gen_value(&mut rng, 3), &mut corpus);
    }
    let mut typed = 0;
    for s in &corpus {
        if let Some(r) = resolvers.iter().find(|r| r.is_match(s)) {
            typed += 1;
            assert!(!is_plain_safe(s), "{s:?} matches {r} but would be plain");
        }
    }
    assert!(
        typed > 1000,
        "the corpus has only {typed} typed-looking strings"
    );

    // Plain or not, every word reads back as itself with serde_yaml.
    for s in corpus.iter().take(20_000) {
        let v = json!({ "k": s, s.as_str(): [s] });
        assert_round_trip(&v, &emit(&v));
    }
}

/// Emitted documents read back identically with PyYAML (a YAML 1.1 reader),
/// when python3 with PyYAML is installed; skipped otherwise.
#[test]
fn pyyaml_reads_the_same_values() {
    let has_pyyaml = std::process::Command::new("python3")
        .args(["-c", "import yaml"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_pyyaml {
        eprintln!("skipped: python3 with PyYAML is not installed");
        return;
    }

    let mut values: Vec<Value> = Vec::new();
    for (s, _) in QUOTING.iter().chain(BLOCKS) {
        values.push(json!({ "k": s, *s: [s] }));
    }
    let mut rng = Rng::new(3);
    for _ in 0..3000 {
        let w = gen_word(&mut rng);
        values.push(json!({ "k": w.as_str(), w.as_str(): 1 }));
    }
    for _ in 0..1500 {
        values.push(gen_value(&mut rng, 4));
    }
    let big: Value = serde_json::from_str("123456789012345678901234567890").unwrap();
    for n in [
        json!(1e21),
        json!(1.5e-7),
        json!(-0.0),
        json!(u64::MAX),
        big,
    ] {
        values.push(json!({ "n": n }));
    }
    let docs: Vec<String> = values.iter().map(emit).collect();

    let script = r#"
import json, sys, yaml
out = []
for doc in json.load(sys.stdin):
    try:
        out.append({"ok": yaml.safe_load(doc)})
    except Exception as e:
        out.append({"err": str(e)})
json.dump(out, sys.stdout)
"#;
    let mut child = std::process::Command::new("python3")
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        stdin
            .write_all(serde_json::to_string(&docs).unwrap().as_bytes())
            .unwrap();
    }
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success());
    let results: Vec<Value> = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(results.len(), values.len());
    for ((v, doc), result) in values.iter().zip(&docs).zip(&results) {
        match result.get("ok") {
            Some(back) => assert_eq!(
                json_text(&floats_as_f64(back)),
                json_text(&floats_as_f64(v)),
                "PyYAML reads this differently:\n{doc}"
            ),
            None => panic!("PyYAML fails on:\n{doc}\n{}", result["err"]),
        }
    }
}
