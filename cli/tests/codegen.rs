//! `flowspec catalog codegen` and `catalog pull-specs --as`: programs that
//! build a catalog with the DSL, written whole or not at all, and errors that
//! name the place.

mod common;

use common::{flowspec, text, write_hello_catalog, Setup};

#[test]
fn codegen_prints_or_writes_the_program_and_names_its_secrets() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("flow.yaml"),
        "captures:\n  acmeCo/source-pg:\n    endpoint:\n      connector:\n        image: ghcr.io/estuary/source-postgres:v1\n        config: {address: \"db:5432\", password_sops: hunter2}\n    bindings: []\n",
    )
    .unwrap();
    let source = dir.path().join("flow.yaml");
    let source = source.to_str().unwrap();
    let out = flowspec(
        dir.path(),
        &[],
        &["catalog", "codegen", "--source", source, "--lang", "python"],
        "",
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let printed = text(&out.stdout);
    assert_eq!(
        printed,
        flowspec::codegen::codegen_file(source, flowspec::codegen::Lang::Python, None)
            .unwrap()
            .text
    );
    assert!(
        printed.contains(r#""password": fs.secret(env("SOURCE_PG_PASSWORD"))}"#),
        "{printed}"
    );
    assert!(!printed.contains("hunter2"));
    assert_eq!(
        text(&out.stderr),
        "The program reads these secrets from the environment:\n  SOURCE_PG_PASSWORD: capture \
         acmeCo/source-pg /endpoint/connector/config/password_sops\n"
    );

    let program = dir.path().join("build.rs");
    let out = flowspec(
        dir.path(),
        &[],
        &[
            "catalog",
            "codegen",
            "--source",
            source,
            "--lang",
            "rust",
            "--out",
            program.to_str().unwrap(),
        ],
        "",
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let written = std::fs::read_to_string(&program).unwrap();
    assert!(
        written.contains("CaptureBuilder::new(\"acmeCo/source-pg\")"),
        "{written}"
    );
    assert!(text(&out.stderr).starts_with(&format!("Wrote {}.\n", program.display())));
}

/// `flowspec catalog codegen <args>` in `dir`: exit status and stderr.
fn codegen(dir: &std::path::Path, args: &[&str]) -> (Option<i32>, String) {
    let mut all = vec!["catalog", "codegen"];
    all.extend_from_slice(args);
    let out = flowspec(dir, &[], &all, "");
    (out.status.code(), text(&out.stderr))
}

#[test]
fn codegen_of_a_catalog_that_does_not_load_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("flow.yaml"),
        "collections:\n  acmeCo/x:\n    key: 12\n",
    )
    .unwrap();
    let args = [
        "--source",
        "flow.yaml",
        "--lang",
        "typescript",
        "--out",
        "flow.ts",
    ];
    let (code, stderr) = codegen(dir.path(), &args);
    assert_eq!(code, Some(1));
    assert!(
        stderr.contains("flow.yaml#/collections/acmeCo~1x/key"),
        "{stderr}"
    );
    assert!(!dir.path().join("flow.ts").exists());

    let (code, stderr) = codegen(dir.path(), &["--source", "missing.yaml", "--lang", "rust"]);
    assert_eq!(code, Some(1));
    assert!(stderr.contains("missing.yaml"), "{stderr}");

    let (code, stderr) = codegen(dir.path(), &["--source", "flow.yaml", "--lang", "cobol"]);
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains("invalid value 'cobol' for '--lang <LANG>'"),
        "{stderr}"
    );
}

#[test]
fn pull_specs_as_a_language_writes_the_program_beside_the_pulled_catalog() {
    let setup = Setup::new();
    write_hello_catalog(setup.home(), "Greetings");
    let (code, _, stderr) = setup.publish("flow.yaml");
    assert_eq!(code, 0, "{stderr}");
    let (ok, _, stderr) = setup.run(
        &[
            "catalog",
            "pull-specs",
            "--prefix",
            "acmeCo",
            "--target",
            "pulled/flow.yaml",
            "--as",
            "typescript",
        ],
        "",
    );
    assert!(ok, "{stderr}");
    assert!(stderr.contains("Wrote pulled/flow.ts.\n"), "{stderr}");
    let program = std::fs::read_to_string(setup.home().join("pulled/flow.ts")).unwrap();
    let source = setup.home().join("pulled/flow.yaml");
    let want = flowspec::codegen::codegen_file(
        source.to_str().unwrap(),
        flowspec::codegen::Lang::Typescript,
        None,
    )
    .unwrap()
    .text;
    assert_eq!(program, want);
    assert!(
        program.contains("cat.capture(\"acmeCo/source-hello\", {"),
        "{program}"
    );
    assert!(
        program.contains("cat.collection(\"acmeCo/greetings\", {"),
        "{program}"
    );
}
