//! Catalogs as code: each test catalog and example, generated as a program
//! in Python, TypeScript and Rust (the files beside this crate's manifest,
//! checked to be what `flowspec catalog codegen` writes today), and the Rust
//! programs built and run to check that they write the same catalog.
//!
//! The Python and TypeScript programs are run by the bindings' tests
//! (`bindings-python/tests/test_codegen.py`,
//! `bindings-node/__test__/codegen.test.mjs`), over the same cases.
//!
//! After an intended change to the generated code, run
//! `FLOWSPEC_BLESS=1 cargo test -p flowspec-codegen-tests` to rewrite the
//! programs, and review the diff.

use std::path::{Path, PathBuf};
use std::process::Command;

use flowspec::codegen::{codegen_file, Lang};
use flowspec::secrets::{self, Identities, Identity};
use serde_json::Value;

/// The cases of `cases.json` (which the bindings' tests read too): the
/// directory of each one's programs, and its catalog from the repository's
/// root. Each has a binary `codegen-<case>` in `Cargo.toml`.
fn cases() -> Vec<(String, String)> {
    let text =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("cases.json")).unwrap();
    let list: Vec<Value> = serde_json::from_str(&text).unwrap();
    list.iter()
        .map(|c| {
            (
                c["case"].as_str().unwrap().to_string(),
                c["source"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// The built Rust program of a case.
fn binary(case: &str) -> PathBuf {
    let any = Path::new(env!("CARGO_BIN_EXE_codegen-cicd"));
    let name = any
        .file_name()
        .unwrap()
        .to_str()
        .unwrap()
        .replace("cicd", case);
    any.with_file_name(name)
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Checks (or, with `FLOWSPEC_BLESS`, writes) a file of a case.
fn check(case: &str, file: &str, got: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(case).join(file);
    if std::env::var_os("FLOWSPEC_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, got).unwrap();
        return;
    }
    let want = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("missing {}: run with FLOWSPEC_BLESS=1", path.display()));
    assert_eq!(
        got, want,
        "{case}'s {file} differs from what codegen writes now"
    );
}

/// The secrets a program reads, as JSON for the bindings' tests:
/// `[{env, kind, name, pointer, json}]`.
fn secrets_json(secrets: &[flowspec::codegen::SecretVar]) -> String {
    let list: Vec<Value> = secrets
        .iter()
        .map(|s| {
            serde_json::json!({"env": s.env, "kind": s.kind.singular(), "name": s.name,
                               "pointer": s.pointer, "json": s.json})
        })
        .collect();
    serde_json::to_string_pretty(&list).unwrap() + "\n"
}

#[test]
fn generated_programs_are_up_to_date() {
    for (case, source) in cases() {
        for lang in Lang::ALL {
            let program = codegen_file(repo().join(&source).to_str().unwrap(), lang, None)
                .unwrap_or_else(|e| panic!("{case} in {lang}: {e}"));
            check(&case, lang.file_name(), &program.text);
            check(&case, "secrets.json", &secrets_json(&program.secrets));
        }
    }
}

/// Copies the files of a directory (recursively) into another.
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let path = entry.path();
        if path.is_dir() {
            copy_dir(&path, &to.join(entry.file_name()));
        } else {
            std::fs::copy(&path, to.join(entry.file_name())).unwrap();
        }
    }
}

/// The catalog at `path`, decrypted with `identity` when given, with every
/// reference inlined: what Estuary would receive.
fn bundle(path: &Path, identity: Option<&Identity>) -> Value {
    let mut catalog = flowspec::Catalog::load(path.to_str().unwrap()).unwrap();
    if let Some(identity) = identity {
        secrets::open(&mut catalog, &Identities::from(identity.clone())).unwrap();
    }
    serde_json::to_value(catalog.bundle().unwrap()).unwrap()
}

#[test]
fn rust_programs_write_the_catalogs_they_were_generated_from() {
    for (case, source) in cases() {
        let source = repo().join(source);
        let dir = tempfile::tempdir().unwrap();
        copy_dir(source.parent().unwrap(), dir.path());
        let file = source.file_name().unwrap();
        let target = dir.path().join(file);
        let before = bundle(&target, None);

        // The secrets, from the source (in plaintext there), in the
        // environment variables the program reads.
        let program = codegen_file(target.to_str().unwrap(), Lang::Rust, None).unwrap();
        let spec_of = |var: &flowspec::codegen::SecretVar| {
            let kind = format!("{}s", var.kind.singular());
            before[&kind][&var.name]
                .pointer(&var.pointer)
                .cloned()
                .unwrap()
        };
        let identity = Identity::generate();
        let mut run = Command::new(binary(&case));
        run.arg(file).current_dir(dir.path());
        run.env("SOPS_AGE_RECIPIENTS", identity.recipient());
        for var in &program.secrets {
            let value = spec_of(var);
            let text = match (&value, var.json) {
                (Value::String(s), false) => s.clone(),
                (v, _) => v.to_string(),
            };
            run.env(&var.env, text);
        }
        let out = run.output().unwrap();
        assert!(
            out.status.success(),
            "{case}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let after = bundle(&target, Some(&identity));
        assert_eq!(after, before, "{case}: the program wrote another catalog");
        if !program.secrets.is_empty() {
            // Written encrypted: no secret in plaintext.
            let text = std::fs::read_to_string(&target).unwrap();
            for var in &program.secrets {
                let value = spec_of(var);
                assert!(
                    !text.contains(value.as_str().unwrap()),
                    "{case}: {} is in plaintext",
                    var.env
                );
            }
        }
    }
}

#[test]
fn a_program_without_its_secrets_says_which_variable_to_set() {
    let source = repo().join("tests/golden/cicd/flow.yaml");
    let dir = tempfile::tempdir().unwrap();
    copy_dir(source.parent().unwrap(), dir.path());
    let out = Command::new(env!("CARGO_BIN_EXE_codegen-cicd"))
        .arg("flow.yaml")
        .current_dir(dir.path())
        .env_remove("SOURCE_STRIPE_NATIVE_ACCESS_TOKEN")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "error: set the environment variable SOURCE_STRIPE_NATIVE_ACCESS_TOKEN: it holds a secret of the catalog\n"
    );
    // Nothing was written over the catalog.
    assert_eq!(
        std::fs::read(dir.path().join("flow.yaml")).unwrap(),
        std::fs::read(&source).unwrap()
    );
}
