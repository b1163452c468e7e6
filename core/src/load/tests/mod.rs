//! Tests of the loader, on real files in temporary directories.
//!
//! Scopes and messages name files by URL; the helpers replace the URL of
//! the temporary directory with `file:///p/`, so expectations read like
//! `file:///p/flow.yaml#/collections/acmeCo~1x`.

mod errors;
mod imports;
mod numbers;
mod parsing;
mod references;
mod root;
mod schemas;
mod shapes;

use serde_json::Value;

use crate::{Catalog, Error, Result};

/// A temporary directory of files.
struct Fixture {
    dir: tempfile::TempDir,
    /// The directory's URL, with a trailing `/`.
    base: String,
}

impl Fixture {
    /// A directory holding `files`, as (relative path, content).
    fn new(files: &[(&str, &str)]) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let canonical = dir.path().canonicalize().unwrap();
        let base = url::Url::from_directory_path(&canonical)
            .unwrap()
            .to_string();
        let fixture = Self { dir, base };
        for (path, content) in files {
            fixture.write(path, content.as_bytes());
        }
        fixture
    }

    fn write(&self, path: &str, content: &[u8]) {
        let path = self.dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }

    fn path(&self, path: &str) -> String {
        self.dir.path().join(path).to_str().unwrap().to_string()
    }

    /// The URL of a file of the fixture.
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn load(&self, path: &str) -> Result<Catalog> {
        super::load(&self.path(path))
    }

    /// `text` with the directory's URL replaced by `file:///p/`.
    fn norm(&self, text: &str) -> String {
        text.replace(&self.base, "file:///p/")
    }

    /// The diagnostics of a failed load, as normalized (scope, message, code).
    fn diagnostics(&self, result: Result<Catalog>) -> Vec<(String, String, String)> {
        match result {
            Ok(catalog) => panic!("expected an error, loaded {}", to_json(&catalog)),
            Err(Error::Load(diagnostics)) => diagnostics
                .into_iter()
                .map(|d| (self.norm(&d.scope), self.norm(&d.message), d.code))
                .collect(),
            Err(other) => panic!("expected a load error, got {other}"),
        }
    }

    /// The loaded catalog as JSON, with file URLs normalized.
    fn json(&self, catalog: &Catalog) -> Value {
        serde_json::from_str(&self.norm(&serde_json::to_string(catalog).unwrap())).unwrap()
    }
}

fn to_json(catalog: &Catalog) -> Value {
    serde_json::to_value(catalog).unwrap()
}

/// Loads `text` as `file:///p/flow.yaml`, whose relative references do not
/// exist.
fn load_yaml(text: &str) -> Result<Catalog> {
    super::load_str(text, "file:///p/flow.yaml")
}

/// The (scope, message, code) of each diagnostic of a failed load.
fn diagnostics(result: Result<Catalog>) -> Vec<(String, String, String)> {
    match result {
        Ok(catalog) => panic!("expected an error, loaded {}", to_json(&catalog)),
        Err(Error::Load(diagnostics)) => diagnostics
            .into_iter()
            .map(|d| (d.scope, d.message, d.code))
            .collect(),
        Err(other) => panic!("expected a load error, got {other}"),
    }
}

/// Owned (scope, message, code), for comparing with tables of `&str`.
fn owned(expected: &[(&str, &str, &str)]) -> Vec<(String, String, String)> {
    expected
        .iter()
        .map(|(s, m, c)| (s.to_string(), m.to_string(), c.to_string()))
        .collect()
}
