//! The `flowspec` command on the catalogs under `tests/catalogs/`, as a new
//! user would run it.
//!
//! Each broken catalog `tests/catalogs/invalid/<name>` has an expected
//! output `<name>.expected`: what `flowspec validate` prints, with the
//! absolute path of the corpus written as `$DIR`. Set `FLOWSPEC_BLESS=1` to
//! rewrite the expected outputs after an intended change (and review the diff).

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

#[test]
fn valid_catalogs_validate() {
    for source in valid_catalogs() {
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
        let stderr = text(&out.stderr);
        assert!(
            stderr.starts_with("catalog is valid: ") && stderr.lines().count() == 1,
            "{}: {stderr}",
            source.display()
        );
    }
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
    let root = std::fs::canonicalize(corpus()).unwrap();
    let bless = std::env::var_os("FLOWSPEC_BLESS").is_some();
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
        let got = text(&out.stderr).replace(&format!("file://{}", root.display()), "$DIR");
        let expected_path = source.with_extension(format!(
            "{}.expected",
            source.extension().unwrap().to_str().unwrap()
        ));
        if bless {
            std::fs::write(&expected_path, &got).unwrap();
            continue;
        }
        let want = std::fs::read_to_string(&expected_path)
            .unwrap_or_else(|_| panic!("missing {}", expected_path.display()));
        if got != want {
            mismatches.push(format!(
                "{}:\n--- want\n{want}--- got\n{got}",
                source.display()
            ));
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

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
    let diagnostics = doc["diagnostics"].as_array().unwrap();
    assert!(diagnostics.len() >= 5);
    for d in diagnostics {
        assert!(d["scope"].as_str().unwrap().starts_with("file://"));
        assert!(!d["message"].as_str().unwrap().is_empty());
        assert!(
            flowspec::codes::ALL.contains(&d["code"].as_str().unwrap()),
            "{d}"
        );
    }
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
    assert_eq!(doc["valid"], true);
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
    let stderr = text(&out.stderr);
    assert!(stderr.contains("error[key_empty]"), "{stderr}");
}

#[test]
fn usage_errors_and_missing_files() {
    let out = flowspec(&["validate"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("--source"));

    let out = flowspec(&["bundle", "--source", "/nonexistent/flow.yaml"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("/nonexistent/flow.yaml"), "{stderr}");
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
            "warning[key_not_required]: collection acmeCo/x: keyed location /id is not required",
        ),
        (
            "warnings/missing-import/flow.yaml",
            "warning[missing_import]: materialization acmeCo/sink references collection acmeCo/a",
        ),
        (
            "warnings/plaintext-secret.flow.yaml",
            "warning[plaintext_secret]: capture acmeCo/source-postgres: the config holds `_sops` values in plaintext",
        ),
    ];
    for (path, want) in cases {
        let source = corpus().join(path);
        let out = flowspec(&["validate", "--source", source.to_str().unwrap()]);
        assert!(out.status.success(), "{path}");
        assert!(out.stdout.is_empty(), "{path}");
        let stderr = text(&out.stderr);
        assert!(stderr.starts_with(want), "{path}: {stderr}");
        assert!(!stderr.contains("hunter2"), "{stderr}");
        let summary = stderr.lines().last().unwrap();
        assert!(
            summary.starts_with("catalog is valid: ") && summary.ends_with(", with 1 warning"),
            "{stderr}"
        );
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

    let out = flowspec(&["validate", "--source", source]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(
        stderr.starts_with("warning[reference_outside_root]: capture acmeCo/src: "),
        "{stderr}"
    );
    assert!(stderr.ends_with("catalog is valid: 1 capture, 0 collections, 0 materializations, 0 tests, with 1 warning\n"), "{stderr}");

    let out = flowspec(&["validate", "--source", source, "--deny-outside-root"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.starts_with("error[reference_outside_root]: capture acmeCo/src: refusing to read "),
        "{stderr}"
    );

    let out = flowspec(&["bundle", "--source", source, "--deny-outside-root"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert!(!text(&out.stderr).contains("NOTREALLY"));

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
    assert!(
        !text(&out.stderr).contains("warning"),
        "{}",
        text(&out.stderr)
    );
}
