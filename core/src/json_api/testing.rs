//! Local work for the bindings: running a catalog's tests
//! ([`crate::testing`]) and writing what `generate` writes
//! ([`crate::generate`]), with JSON option objects and JSON results
//! (camelCase).

use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::{json, Value};

use super::decode;
use crate::{Catalog, Result};

/// Options of [`run_tests`].
///
/// ```
/// let o: flowspec::json_api::RunTestsOptions = serde_json::from_value(serde_json::json!({
///     "tests": ["acmeCo/tests/totals"], "snapshot": "out/snapshots",
/// })).unwrap();
/// assert_eq!(o.tests, ["acmeCo/tests/totals"]);
/// ```
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(
    deny_unknown_fields,
    rename_all = "camelCase",
    expecting = "run-tests options: an object {tests, snapshot, shards}"
)]
pub struct RunTestsOptions {
    /// Run only the tests of these names; all tests when empty.
    #[serde(default)]
    pub tests: Vec<String>,
    /// A directory to write the actual documents of each verify step to,
    /// as `<snapshot>/<test>/verify-<step>.json`.
    #[serde(default)]
    pub snapshot: Option<String>,
    /// How many shards each TypeScript derivation runs on (default 3).
    #[serde(default)]
    pub shards: Option<usize>,
}

/// Runs the catalog's tests locally ([`crate::testing::run`]); returns
/// `{ok, passed, failed, summary, report, tests}`, where `report` is the
/// text `flowspec catalog test` prints and `tests` has a result per test.
///
/// ```
/// let results = flowspec::json_api::run_tests(&flowspec::Catalog::default(), serde_json::Value::Null)?;
/// assert_eq!(results["ok"], true);
/// assert_eq!(results["summary"], "Ran 0 tests, 0 passed, 0 failed");
/// # Ok::<(), flowspec::Error>(())
/// ```
pub fn run_tests(catalog: &Catalog, options: Value) -> Result<Value> {
    let options: RunTestsOptions = decode("runTests", options)?;
    let results = crate::testing::run(
        catalog,
        &crate::testing::TestOptions {
            tests: options.tests,
            snapshot: options.snapshot.map(Into::into),
            shards: options.shards,
        },
    )?;
    Ok(json!({
        "ok": results.ok(),
        "passed": results.passed(),
        "failed": results.failed(),
        "summary": results.summary(),
        "report": results.render(),
        "tests": serde_json::to_value(&results.tests).expect("results are JSON"),
    }))
}

/// Options of [`generate`].
///
/// ```
/// let o: flowspec::json_api::GenerateOptions = serde_json::from_value(serde_json::json!({
///     "source": "flow.yaml", "dryRun": true,
/// })).unwrap();
/// assert!(o.dry_run);
/// ```
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(
    deny_unknown_fields,
    rename_all = "camelCase",
    expecting = "generate options: an object {source, root, dryRun}"
)]
pub struct GenerateOptions {
    /// The catalog file (default: the file the catalog was loaded from).
    #[serde(default)]
    pub source: Option<String>,
    /// The project root (default: the source's directory, up through each
    /// parent that also holds a `flow.yaml`).
    #[serde(default)]
    pub root: Option<String>,
    /// Say what would be written, and write nothing.
    #[serde(default)]
    pub dry_run: bool,
}

/// Writes the TypeScript types of derivations, `deno.json` and stubs of
/// missing modules, migrations and lambdas ([`crate::generate::generate`])
/// for the catalog file `options.source`, or else the file `catalog` was
/// loaded from; returns `[{path, kind}]` (`kind` is `types`, `denoJson`
/// or `stub`).
///
/// ```
/// let err = flowspec::json_api::generate(Some(&flowspec::Catalog::default()), serde_json::Value::Null).unwrap_err();
/// assert!(err.to_string().contains("give `source`"), "{err}");
/// ```
pub fn generate(catalog: Option<&Catalog>, options: Value) -> Result<Value> {
    let options: GenerateOptions = decode("generate", options)?;
    let loaded_from = catalog
        .and_then(|c| c.origins.base.as_deref())
        .and_then(|base| url::Url::parse(base).ok())
        .filter(|url| url.scheme() == "file")
        .and_then(|url| url.to_file_path().ok())
        .map(|path| path.to_string_lossy().into_owned());
    let Some(source) = options.source.or(loaded_from) else {
        return Err(crate::Error::invalid_spec(
            "generate",
            "this catalog was not loaded from a file: give `source`, the catalog file to generate for",
        ));
    };
    let generated = crate::generate::generate(
        &source,
        &crate::generate::GenerateOptions {
            root: options.root.map(Into::into),
            dry_run: options.dry_run,
        },
    )?;
    Ok(Value::Array(
        generated
            .iter()
            .map(|g| {
                let kind = match g.kind {
                    crate::generate::GeneratedKind::Types => "types",
                    crate::generate::GeneratedKind::DenoJson => "denoJson",
                    crate::generate::GeneratedKind::Stub => "stub",
                };
                json!({"path": g.path.to_string_lossy(), "kind": kind})
            })
            .collect(),
    ))
}
