//! The Rust examples write the golden files under `tests/golden/`, which the
//! Python and TypeScript examples must match byte for byte.
//!
//! After an intended change to the output format, run
//! `FLOWSPEC_BLESS=1 cargo test -p flowspec-examples --test golden` to
//! rewrite the goldens in one place, and review the diff.

use std::path::{Path, PathBuf};

use flowspec::write::Layout;

fn golden(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/golden").join(name)
}

fn check(name: &str, catalog: flowspec::Catalog) {
    catalog.validate().expect("the example is valid");
    let dir = tempfile::tempdir().unwrap();
    catalog.write(dir.path().join("flow.yaml"), Layout::Flat).unwrap();
    let got = std::fs::read_to_string(dir.path().join("flow.yaml")).unwrap();
    let path = golden(name).join("flow.yaml");
    if std::env::var_os("FLOWSPEC_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &got).unwrap();
        return;
    }
    let want = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("missing {}: run with FLOWSPEC_BLESS=1", path.display()));
    assert_eq!(got, want, "{name} differs from its golden file");
}

#[test]
fn cicd() {
    check("cicd", flowspec_examples::cicd::catalog().unwrap());
}

#[test]
fn many_tables() {
    check("many-tables", flowspec_examples::many_tables::catalog(25).unwrap());
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
    let loaded = flowspec::Catalog::load(dir.path().join("flow.yaml").to_str().unwrap()).unwrap();
    let built = flowspec_examples::cicd::catalog().unwrap().bundle_in(dir.path());
    assert_eq!(loaded, built);

    let loaded = flowspec::Catalog::load(golden("many-tables/flow.yaml").to_str().unwrap()).unwrap();
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
