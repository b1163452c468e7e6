//! The YAML flowspec writes reads back to the same values with PyYAML, a
//! YAML 1.1 reader (as many tools that read flow.yaml are): strings YAML 1.1
//! would take for booleans, numbers, nulls, dates or syntax are quoted, and
//! numbers keep their values.
//!
//! It needs `python3` with PyYAML: the repository's `.venv` (the test
//! scripts install PyYAML there, pinned in
//! `bindings-python/requirements-dev.txt`), else `python3` on PATH. Without
//! it, the test fails and says how to install it.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::{json, Value};

use flowspec::Catalog;

/// `python3` with PyYAML.
fn python_with_pyyaml() -> PathBuf {
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join("../.venv/bin/python3");
    let python = if venv.is_file() {
        venv
    } else {
        PathBuf::from("python3")
    };
    let probe = Command::new(&python).args(["-c", "import yaml"]).output();
    assert!(
        probe.is_ok_and(|out| out.status.success()),
        "{} with PyYAML is needed by this test: run ./scripts/test.sh (it installs PyYAML \
         into the repository's .venv), or `python3 -m venv .venv && .venv/bin/pip install \
         PyYAML==6.0.4`",
        python.display()
    );
    python
}

/// Strings a YAML 1.1 reader takes for something else when they are plain,
/// and strings with YAML syntax in them.
const STRINGS: &[&str] = &[
    "yes",
    "no",
    "on",
    "off",
    "y",
    "n",
    "Y",
    "N",
    "YES",
    "No",
    "On",
    "OFF",
    "true",
    "False",
    "~",
    "null",
    "Null",
    "NULL",
    "",
    " ",
    "0",
    "-1",
    "+1",
    "1.",
    ".5",
    "1e3",
    "1E3",
    "1.0e+3",
    "0x1F",
    "0o17",
    "017",
    "0b101",
    "1_000",
    "12:30:00",
    "190:20:30",
    "-12:30",
    "2024-01-01",
    "2024-01-01T00:00:00Z",
    "2001-12-14 21:59:43.10 -5",
    ".inf",
    "-.Inf",
    ".NaN",
    "=",
    "<<",
    "-",
    "- x",
    "? x",
    ": x",
    "x: y",
    "x:",
    "#x",
    "x #y",
    "'q'",
    "\"q\"",
    "@x",
    "`x",
    "!x",
    "&x",
    "*x",
    "%x",
    "|",
    ">",
    "[a]",
    "{a: 1}",
    "a,b",
    " lead",
    "trail ",
    "tab\there",
    "multi\nline",
    "multi\nline\n",
    "\nlead",
    "ünïcödé",
    "😀",
    "\u{7f}",
    "\u{85}",
    "\u{2028}",
    "\u{feff}x",
    "a\\b",
    "ghcr.io/estuary/source-postgres:v1",
    "db:5432",
];

/// Numbers at the edges of what YAML readers get right.
fn numbers() -> Vec<Value> {
    let big: Value = serde_json::from_str("123456789012345678901234567890").unwrap();
    vec![
        json!(0),
        json!(-7),
        json!(i64::MIN),
        json!(u64::MAX),
        big,
        json!(0.5),
        json!(-0.0),
        json!(1e21),
        json!(1.5e-7),
        json!(2.5e300),
    ]
}

/// `value` with every non-integer number as the nearest f64, so that two
/// spellings of one float compare equal.
fn floats_as_f64(value: &Value) -> Value {
    match value {
        Value::Number(n) if n.to_string().contains(['.', 'e', 'E']) => {
            json!(n.as_f64().expect("a finite float"))
        }
        Value::Array(items) => items.iter().map(floats_as_f64).collect(),
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| (k.clone(), floats_as_f64(v)))
            .collect(),
        other => other.clone(),
    }
}

#[test]
fn pyyaml_reads_what_flowspec_writes_as_the_same_values() {
    // Each string as a value, as a key and in a list; each number as a value.
    let strings: serde_json::Map<String, Value> = STRINGS
        .iter()
        .map(|s| (s.to_string(), json!({"value": s, "list": [s]})))
        .collect();
    let config = json!({"strings": strings, "numbers": numbers()});
    let catalog: Catalog = serde_json::from_value(json!({
        "captures": {"acmeCo/source": {
            "endpoint": {"connector": {"image": "ghcr.io/estuary/source-x:v1", "config": config}},
            "bindings": [],
        }}
    }))
    .unwrap();
    let yaml = catalog.to_yaml().unwrap();

    let script = "import json, sys, yaml\n\
                  doc = yaml.safe_load(sys.stdin.read())\n\
                  json.dump(doc['captures']['acmeCo/source']['endpoint']['connector']['config'], sys.stdout)\n";
    let mut child = Command::new(python_with_pyyaml())
        .args(["-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(yaml.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "PyYAML cannot read it: {}\n{yaml}",
        String::from_utf8_lossy(&out.stderr)
    );
    let read: Value = serde_json::from_slice(&out.stdout).unwrap();
    for (key, value) in config["strings"].as_object().unwrap() {
        assert_eq!(
            read["strings"].get(key),
            Some(value),
            "PyYAML reads {key:?} differently in:\n{yaml}"
        );
    }
    assert_eq!(
        floats_as_f64(&read["numbers"]),
        floats_as_f64(&config["numbers"]),
        "{yaml}"
    );
    assert_eq!(
        read["strings"].as_object().unwrap().len(),
        STRINGS.len(),
        "{yaml}"
    );
}
