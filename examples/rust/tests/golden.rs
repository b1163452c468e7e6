//! The Rust examples write the golden files under `tests/golden/`, which the
//! Python and TypeScript examples must match byte for byte.
//!
//! After an intended change to the output format, run
//! `FLOWSPEC_BLESS=1 cargo test -p flowspec-examples --test golden` to
//! rewrite the goldens in one place, and review the diff.

use std::path::{Path, PathBuf};

use flowspec::secrets::{self, Identities, Identity};
use flowspec::write::WriteOptions;

fn golden(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/golden")
        .join(name)
}

fn check(name: &str, mut catalog: flowspec::Catalog) {
    // The catalog lives in `dir`: its TypeScript module too.
    let dir = tempfile::tempdir().unwrap();
    catalog.set_base_dir(dir.path()).unwrap();
    std::fs::write(
        dir.path().join("full-outer-join.flow.ts"),
        flowspec_examples::cicd::FULL_OUTER_JOIN_TS,
    )
    .unwrap();
    std::fs::write(
        dir.path().join("line-item-totals.flow.ts"),
        flowspec_examples::cicd::LINE_ITEM_TOTALS_TS,
    )
    .unwrap();
    catalog.validate().expect("the example is valid");
    // Secrets in plaintext, so the goldens are the same bytes every time;
    // `cicd_secrets_are_encrypted_by_default` checks the encrypted form.
    let plain = WriteOptions {
        plaintext_secrets: true,
        ..Default::default()
    };
    catalog
        .write_with(dir.path().join("flow.yaml"), &plain)
        .unwrap();
    // The golden directory holds the modules the catalog refers to, so it
    // loads as it is (the catalogs-as-code goldens are generated from it).
    let mut files = vec!["flow.yaml"];
    if name == "cicd" {
        files.extend(["full-outer-join.flow.ts", "line-item-totals.flow.ts"]);
    }
    for file in files {
        let got = std::fs::read_to_string(dir.path().join(file)).unwrap();
        let path = golden(name).join(file);
        if std::env::var_os("FLOWSPEC_BLESS").is_some() {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &got).unwrap();
            continue;
        }
        let want = std::fs::read_to_string(&path)
            .unwrap_or_else(|_| panic!("missing {}: run with FLOWSPEC_BLESS=1", path.display()));
        assert_eq!(got, want, "{name}'s {file} differs from its golden file");
    }
}

#[test]
fn cicd() {
    check("cicd", flowspec_examples::cicd::catalog().unwrap());
}

#[test]
fn many_tables() {
    check(
        "many-tables",
        flowspec_examples::many_tables::catalog(25).unwrap(),
    );
}

#[test]
fn golden_files_load_back_to_the_same_catalog() {
    // The TypeScript module is a file reference; give it a file to load.
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(golden("cicd/flow.yaml"), dir.path().join("flow.yaml")).unwrap();
    std::fs::write(
        dir.path().join("full-outer-join.flow.ts"),
        flowspec_examples::cicd::FULL_OUTER_JOIN_TS,
    )
    .unwrap();
    std::fs::write(
        dir.path().join("line-item-totals.flow.ts"),
        flowspec_examples::cicd::LINE_ITEM_TOTALS_TS,
    )
    .unwrap();
    let loaded = flowspec::Catalog::load(dir.path().join("flow.yaml").to_str().unwrap()).unwrap();
    // The built catalog marks its secrets; the golden holds them as `_sops`
    // values.
    let plain = secrets::SealOptions {
        plaintext: true,
        ..Default::default()
    };
    let built = flowspec_examples::cicd::catalog().unwrap();
    let built = secrets::seal(&built, "flow.yaml".as_ref(), &plain)
        .unwrap()
        .into_owned()
        .bundle_in(dir.path());
    assert_eq!(loaded, built);

    let loaded =
        flowspec::Catalog::load(golden("many-tables/flow.yaml").to_str().unwrap()).unwrap();
    assert_eq!(loaded, flowspec_examples::many_tables::catalog(25).unwrap());
}

trait BundleIn {
    fn bundle_in(self, dir: &Path) -> flowspec::Catalog;
}

impl BundleIn for flowspec::Catalog {
    /// The catalog with its file references read from `dir`.
    fn bundle_in(mut self, dir: &Path) -> flowspec::Catalog {
        self.origins.base = Some(format!("file://{}/flow.yaml", dir.display()));
        self.bundle().unwrap()
    }
}

#[test]
fn cicd_secrets_are_encrypted_by_default() {
    let identity = Identity::generate();
    let dir = tempfile::tempdir().unwrap();
    let mut catalog = flowspec_examples::cicd::catalog().unwrap();
    catalog.set_base_dir(dir.path()).unwrap();
    let options = WriteOptions {
        recipients: vec![identity.recipient().to_string()],
        ..Default::default()
    };
    catalog
        .write_with(dir.path().join("flow.yaml"), &options)
        .unwrap();
    let text = std::fs::read_to_string(dir.path().join("flow.yaml")).unwrap();
    assert!(!text.contains(flowspec_examples::cicd::STRIPE_ACCESS_TOKEN));
    assert!(!text.contains("MIIEvAIBADANBgkqhkiG9w0BAQEFAASCBKYwggSiAgEAAoIBAQC7placeholder"));
    assert_eq!(text.matches("_sops: ENC[AES256_GCM,data:").count(), 2);

    std::fs::write(
        dir.path().join("full-outer-join.flow.ts"),
        flowspec_examples::cicd::FULL_OUTER_JOIN_TS,
    )
    .unwrap();
    std::fs::write(
        dir.path().join("line-item-totals.flow.ts"),
        flowspec_examples::cicd::LINE_ITEM_TOTALS_TS,
    )
    .unwrap();
    let mut loaded =
        flowspec::Catalog::load(dir.path().join("flow.yaml").to_str().unwrap()).unwrap();
    loaded.validate().unwrap();
    assert_eq!(
        secrets::open(&mut loaded, &Identities::from(identity)).unwrap(),
        2
    );

    let plain = tempfile::tempdir().unwrap();
    std::fs::copy(golden("cicd/flow.yaml"), plain.path().join("flow.yaml")).unwrap();
    std::fs::write(
        plain.path().join("full-outer-join.flow.ts"),
        flowspec_examples::cicd::FULL_OUTER_JOIN_TS,
    )
    .unwrap();
    std::fs::write(
        plain.path().join("line-item-totals.flow.ts"),
        flowspec_examples::cicd::LINE_ITEM_TOTALS_TS,
    )
    .unwrap();
    let golden = flowspec::Catalog::load(plain.path().join("flow.yaml").to_str().unwrap()).unwrap();
    assert_eq!(loaded, golden);
}

#[test]
fn cicd_tests_pass_with_both_derivations_of_the_totals() {
    let dir = tempfile::tempdir().unwrap();
    let mut catalog = flowspec_examples::cicd::catalog().unwrap();
    catalog.set_base_dir(dir.path()).unwrap();
    for (file, text) in [
        (
            "full-outer-join.flow.ts",
            flowspec_examples::cicd::FULL_OUTER_JOIN_TS,
        ),
        (
            "line-item-totals.flow.ts",
            flowspec_examples::cicd::LINE_ITEM_TOTALS_TS,
        ),
    ] {
        std::fs::write(dir.path().join(file), text).unwrap();
    }
    let results = catalog.run_tests(&Default::default()).unwrap();
    assert!(results.ok(), "{}", results.render());
    assert_eq!(results.summary(), "Ran 1 tests, 1 passed, 0 failed");

    // A wrong total in the TypeScript module fails the test at its verify
    // step of the TypeScript collection.
    let broken = flowspec_examples::cicd::LINE_ITEM_TOTALS_TS.replace("/ 100", "/ 10");
    std::fs::write(dir.path().join("line-item-totals.flow.ts"), broken).unwrap();
    let results = catalog.run_tests(&Default::default()).unwrap();
    let failure = results.tests[0].failure.as_ref().unwrap();
    assert_eq!(failure.step, 2);
    assert!(
        failure
            .message
            .contains("/total: expected \"$5.24\", actual \"$52.40\""),
        "{}",
        failure.message
    );
}
