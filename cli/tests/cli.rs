//! The `flowspec` command on the catalogs under `tests/catalogs/`, as a new
//! user would run it.
//!
//! Each broken catalog `tests/catalogs/invalid/<name>` has an expected
//! output `<name>.expected`: what `flowspec validate` prints. Each valid
//! catalog `tests/catalogs/valid/<name>/` has `bundle.expected.yaml`: what it
//! loads to, as `flowspec bundle --plaintext-secrets` prints it. In both, the
//! absolute path of the corpus is written as `$DIR`. Set `FLOWSPEC_BLESS=1`
//! to rewrite the expected outputs after an intended change (and review the
//! diff).

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/catalogs")
}

fn flowspec(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_flowspec"))
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("flowspec runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("output is UTF-8")
}

fn valid_catalogs() -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(corpus().join("valid")).unwrap() {
        let dir = entry.unwrap().path();
        for name in ["flow.yaml", "flow.json"] {
            if dir.join(name).exists() {
                found.push(dir.join(name));
            }
        }
    }
    found.sort();
    assert!(found.len() >= 6, "the valid corpus is missing: {found:?}");
    found
}

/// `text` with the absolute path of the corpus written as `$DIR`.
fn portable(text: &str) -> String {
    let root = std::fs::canonicalize(corpus()).unwrap();
    text.replace(&format!("file://{}", root.display()), "$DIR")
}

/// Compares `got` with the golden file `expected` (or, with `FLOWSPEC_BLESS`
/// set, writes it); returns a description of a difference.
fn golden(expected: &Path, got: &str) -> Option<String> {
    if std::env::var_os("FLOWSPEC_BLESS").is_some() {
        std::fs::write(expected, got).unwrap();
        return None;
    }
    let want = std::fs::read_to_string(expected)
        .unwrap_or_else(|_| panic!("missing {}: run with FLOWSPEC_BLESS=1", expected.display()));
    (got != want).then(|| format!("{}:\n--- want\n{want}--- got\n{got}", expected.display()))
}

#[test]
fn valid_catalogs_validate() {
    let summaries = [
        (
            "anchors",
            "0 captures, 2 collections, 0 materializations, 1 test",
        ),
        (
            "every-shape",
            "2 captures, 9 collections, 3 materializations, 2 tests",
        ),
        (
            "imports",
            "0 captures, 2 collections, 0 materializations, 1 test",
        ),
        (
            "json-format",
            "0 captures, 1 collection, 1 materialization, 0 tests",
        ),
        (
            "references",
            "1 capture, 4 collections, 1 materialization, 1 test",
        ),
        (
            "stock-stats",
            "0 captures, 2 collections, 0 materializations, 1 test",
        ),
    ];
    let sources = valid_catalogs();
    assert_eq!(sources.len(), summaries.len(), "{sources:?}");
    for (source, (name, summary)) in sources.iter().zip(summaries) {
        assert!(
            source.parent().unwrap().ends_with(name),
            "{}",
            source.display()
        );
        let out = flowspec(&["validate", "--source", source.to_str().unwrap()]);
        assert!(
            out.status.success(),
            "{}:\n{}{}",
            source.display(),
            text(&out.stdout),
            text(&out.stderr)
        );
        // Only the summary, on stderr: stdout is for data.
        assert_eq!(text(&out.stdout), "", "{}", source.display());
        assert_eq!(text(&out.stderr), format!("catalog is valid: {summary}\n"));
    }
}

#[test]
fn valid_catalogs_bundle_to_their_goldens() {
    let mut mismatches = Vec::new();
    for source in valid_catalogs() {
        let out = flowspec(&[
            "bundle",
            "--source",
            source.to_str().unwrap(),
            "--plaintext-secrets",
        ]);
        assert!(
            out.status.success(),
            "{}: {}",
            source.display(),
            text(&out.stderr)
        );
        let expected = source.with_file_name("bundle.expected.yaml");
        mismatches.extend(golden(&expected, &portable(&text(&out.stdout))));
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

#[test]
fn bundling_a_bundle_gives_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    for source in valid_catalogs() {
        for format in ["yaml", "json"] {
            let once = flowspec(&[
                "bundle",
                "--source",
                source.to_str().unwrap(),
                "--format",
                format,
            ]);
            assert!(
                once.status.success(),
                "{}: {}",
                source.display(),
                text(&once.stderr)
            );
            let bundled = dir.path().join(format!("bundle.{format}"));
            std::fs::write(&bundled, &once.stdout).unwrap();
            let twice = flowspec(&[
                "bundle",
                "--source",
                bundled.to_str().unwrap(),
                "--format",
                format,
            ]);
            assert!(twice.status.success(), "{}", text(&twice.stderr));
            assert_eq!(
                text(&once.stdout),
                text(&twice.stdout),
                "{} as {format}",
                source.display()
            );
            // What is bundled is still valid, and matches the catalog JSON schema.
            let check = flowspec(&["validate", "--source", bundled.to_str().unwrap()]);
            assert!(check.status.success(), "{}", text(&check.stderr));
        }
    }
}

#[test]
fn bundles_match_the_catalog_json_schema() {
    let schema = flowspec(&["schema"]);
    assert!(schema.status.success());
    let schema: serde_json::Value = serde_json::from_slice(&schema.stdout).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the catalog schema compiles");
    for source in valid_catalogs() {
        let out = flowspec(&[
            "bundle",
            "--source",
            source.to_str().unwrap(),
            "--format",
            "json",
        ]);
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&doc)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", source.display());
    }
}

#[test]
fn broken_catalogs_report_every_problem() {
    let dir = corpus().join("invalid");
    let mut sources: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "json"))
        .collect();
    sources.sort();
    assert!(sources.len() >= 20);
    let mut mismatches = Vec::new();
    for source in sources {
        let out = flowspec(&["validate", "--source", source.to_str().unwrap()]);
        assert_eq!(
            out.status.code(),
            Some(1),
            "{} should be invalid",
            source.display()
        );
        // Problems go to stderr, with the summary; stdout stays empty.
        assert!(
            out.stdout.is_empty(),
            "{}: {}",
            source.display(),
            text(&out.stdout)
        );
        let expected = source.with_extension(format!(
            "{}.expected",
            source.extension().unwrap().to_str().unwrap()
        ));
        mismatches.extend(golden(&expected, &portable(&text(&out.stderr))));
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

/// `--output json` lists the same diagnostics as the text output, whose
/// golden is committed.
#[test]
fn json_output_is_for_machines() {
    let source = corpus().join("invalid/collection-keys.flow.yaml");
    let out = flowspec(&[
        "validate",
        "--source",
        source.to_str().unwrap(),
        "--output",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["valid"], false);
    let mut as_text = String::new();
    for d in doc["diagnostics"].as_array().unwrap() {
        assert!(
            flowspec::codes::ALL.contains(&d["code"].as_str().unwrap()),
            "{d}"
        );
        as_text += &format!(
            "{}[{}]: {}\n  --> {}\n",
            d["severity"].as_str().unwrap(),
            d["code"].as_str().unwrap(),
            d["message"].as_str().unwrap(),
            d["scope"].as_str().unwrap()
        );
    }
    let expected = std::fs::read_to_string(source.with_extension("yaml.expected")).unwrap();
    let (listed, summary) = expected.trim_end().rsplit_once('\n').unwrap();
    assert_eq!(portable(&as_text), format!("{listed}\n"));
    assert_eq!(summary, "catalog is invalid: 13 errors, 0 warnings");

    let valid = corpus().join("valid/every-shape/flow.yaml");
    let out = flowspec(&[
        "validate",
        "--source",
        valid.to_str().unwrap(),
        "-o",
        "json",
    ]);
    assert!(out.status.success());
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc, serde_json::json!({"valid": true, "diagnostics": []}));
}

#[test]
fn stdin_is_a_source() {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_flowspec"))
        .args(["validate", "--source", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"collections:\n  acmeCo/x:\n    schema: {type: object, properties: {id: {type: string}}, required: [id]}\n    key: []\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        "error[key_empty]: collection acmeCo/x key cannot be empty (https://go.estuary.dev/Zq6zVB)\n  \
         --> stdin:///flow.yaml#/collections/acmeCo~1x/key\n\
         catalog is invalid: 1 error, 0 warnings\n"
    );
}

#[test]
fn usage_errors_and_missing_files() {
    let out = flowspec(&["validate"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr),
        "error: the following required arguments were not provided:\n  --source <FILE|->\n\n\
         Usage: flowspec validate --source <FILE|->\n\nFor more information, try '--help'.\n"
    );

    let out = flowspec(&["bundle", "--source", "/nonexistent/flow.yaml"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr).trim_end(),
        "error[io]: cannot read /nonexistent/flow.yaml: No such file or directory (os error 2)"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn schema_is_the_catalog_json_schema() {
    let out = flowspec(&["schema"]);
    assert!(out.status.success());
    let schema: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(schema, flowspec::Catalog::json_schema());
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );

    // The committed copy must not drift from the model.
    let committed = Path::new(env!("CARGO_MANIFEST_DIR")).join("../flow.schema.json");
    if std::env::var_os("FLOWSPEC_BLESS").is_some() {
        std::fs::write(&committed, &out.stdout).unwrap();
    }
    let want = std::fs::read_to_string(&committed).expect("flow.schema.json is committed");
    assert_eq!(
        text(&out.stdout),
        want,
        "flow.schema.json is stale: run with FLOWSPEC_BLESS=1"
    );
}

#[test]
fn warnings_go_to_stderr_and_keep_the_catalog_valid() {
    let cases = [
        (
            "warnings/key-not-required.flow.yaml",
            "warning[key_not_required]: collection acmeCo/x: keyed location /id is not required to exist by schema \
             $DIR/warnings/key-not-required.flow.yaml#/collections/acmeCo~1x/schema, so documents \
             may omit it (list it under `required`)\n  \
             --> $DIR/warnings/key-not-required.flow.yaml#/collections/acmeCo~1x/key/0\n\
             catalog is valid: 0 captures, 1 collection, 0 materializations, 0 tests, with 1 warning\n",
        ),
        (
            "warnings/missing-import/flow.yaml",
            "warning[missing_import]: materialization acmeCo/sink references collection acmeCo/a, \
             defined at $DIR/warnings/missing-import/a.flow.yaml#/collections/acmeCo~1a, without \
             importing it or being imported by it\n  \
             --> $DIR/warnings/missing-import/b.flow.yaml#/materializations/acmeCo~1sink/bindings/0/source\n\
             catalog is valid: 0 captures, 1 collection, 1 materialization, 0 tests, with 1 warning\n",
        ),
        (
            "warnings/plaintext-secret.flow.yaml",
            "warning[plaintext_secret]: capture acmeCo/source-postgres: the config holds `_sops` \
             values in plaintext: encrypt it before checking it in (writing the catalog with \
             flowspec and age recipients does, as does `flowspec encrypt --encrypted-suffix \
             _sops`)\n  \
             --> $DIR/warnings/plaintext-secret.flow.yaml#/captures/acmeCo~1source-postgres/endpoint/connector/config\n\
             catalog is valid: 1 capture, 0 collections, 0 materializations, 0 tests, with 1 warning\n",
        ),
    ];
    for (path, want) in cases {
        let source = corpus().join(path);
        let out = flowspec(&["validate", "--source", source.to_str().unwrap()]);
        assert!(out.status.success(), "{path}");
        assert!(out.stdout.is_empty(), "{path}");
        assert_eq!(portable(&text(&out.stderr)), want, "{path}");
    }
}

#[test]
fn references_outside_the_root_warn_or_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    std::fs::write(
        root.join("secret.json"),
        r#"{"token": "AGE-SECRET-KEY-1NOTREALLY"}"#,
    )
    .unwrap();
    std::fs::create_dir(root.join("project")).unwrap();
    let source = root.join("project/flow.yaml");
    std::fs::write(
        &source,
        "captures:\n  acmeCo/src:\n    endpoint: {connector: {image: ghcr.io/estuary/source-x:v1, config: ../secret.json}}\n    bindings: []\n",
    )
    .unwrap();
    let source = source.to_str().unwrap();
    let scope = format!(
        "  --> file://{}/project/flow.yaml#/captures/acmeCo~1src/endpoint/connector/config\n",
        root.display()
    );
    let (outside, project) = (
        format!("file://{}/secret.json", root.display()),
        format!("file://{}/project/", root.display()),
    );

    let out = flowspec(&["validate", "--source", source]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stderr),
        format!(
            "warning[reference_outside_root]: capture acmeCo/src: {outside} is outside of the \
             catalog's root {project}: its content is read and sent with the catalog (enforce \
             the root to refuse such references)\n{scope}catalog is valid: 1 capture, 0 \
             collections, 0 materializations, 0 tests, with 1 warning\n"
        )
    );

    let refused = format!(
        "error[reference_outside_root]: capture acmeCo/src: refusing to read {outside}: it is \
         outside of the catalog's root {project} (references may not leave the root when it is \
         enforced)\n{scope}catalog is invalid: 1 error, 0 warnings\n"
    );
    let out = flowspec(&["validate", "--source", source, "--deny-outside-root"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stderr), refused);

    let out = flowspec(&["bundle", "--source", source, "--deny-outside-root"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert_eq!(text(&out.stderr).trim_end(), refused.trim_end());

    let wider = root.to_str().unwrap();
    let out = flowspec(&[
        "validate",
        "--source",
        source,
        "--root",
        wider,
        "--deny-outside-root",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stderr),
        "catalog is valid: 1 capture, 0 collections, 0 materializations, 0 tests\n"
    );
}
