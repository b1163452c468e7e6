//! TypeScript derivations: transpiled and run in an embedded JavaScript engine.
//!
//! The module of a derivation exports `class Derivation extends IDerivation`,
//! importing `IDerivation` from `flow/<collection>.ts`. [`transpile`] strips
//! its types (eliding the imports only types use), and the module, the files
//! it imports relative to itself (inside the project root) and the
//! `flow/<collection>.ts` module that `generate` writes (which provides
//! `IDerivation`), transpiled too, run in QuickJS,
//! without Deno, Node or Docker. Each instance has an engine of its own.
//! Documents cross into the engine as JSON text. `console` output goes to
//! stderr, prefixed with the derivation's name.

mod engine;
mod modules;
mod transpile;

#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::Value;

use crate::generate::camel_case;
use crate::testing::runtime::{Runtime, RuntimeError};
use crate::{Catalog, Collection, DeriveUsing, Kind};
use engine::{Engine, Failure};
use modules::Origin;

pub use transpile::transpile;

/// How long one call into a derivation (a read, a flush, a reset, or
/// loading the module) may run before it is stopped.
pub(crate) const DEFAULT_LIMIT: Duration = Duration::from_secs(5);

/// The JSON pointer of a TypeScript module within a collection's spec.
const MODULE_POINTER: &str = "/derive/using/typescript/module";

/// One running shard of a TypeScript derivation.
pub(crate) struct TypescriptRuntime {
    name: String,
    transforms: Vec<(String, String)>,
    engine: Engine,
}

impl std::fmt::Debug for TypescriptRuntime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TypescriptRuntime")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

/// Opens one instance of a TypeScript derivation, with the default time
/// limit per call ([`DEFAULT_LIMIT`]).
pub(crate) fn open(
    catalog: &Catalog,
    derivation: &Collection,
) -> Result<TypescriptRuntime, RuntimeError> {
    open_with_limit(catalog, derivation, DEFAULT_LIMIT)
}

/// Opens one instance of a TypeScript derivation with a time limit per call.
pub(crate) fn open_with_limit(
    catalog: &Catalog,
    derivation: &Collection,
    limit: Duration,
) -> Result<TypescriptRuntime, RuntimeError> {
    let name = derivation.as_str().to_string();
    let fail = |message: String| RuntimeError::new(format!("derivation {name}: {message}"));
    let derive = catalog
        .collections
        .get(derivation)
        .and_then(|c| c.derive.as_ref())
        .ok_or_else(|| fail("is not a derivation of this catalog".to_string()))?;
    let DeriveUsing::Typescript(module) = &derive.using else {
        return Err(fail("is not a TypeScript derivation".to_string()));
    };
    let Value::String(source) = &module.module else {
        return Err(fail(format!(
            "its module is {} rather than TypeScript text",
            json_kind(&module.module)
        )));
    };
    if !source.chars().any(char::is_whitespace)
        && [".ts", ".js", ".mts"].iter().any(|e| source.ends_with(e))
    {
        return Err(fail(format!(
            "its module {source:?} is a file reference that was not loaded; load the catalog from its files"
        )));
    }
    let origin = origin(catalog, &name);
    // `flow/<name>.ts` is what `generate` writes for derivation `<name>`,
    // as Deno reads it through `deno.json`.
    let flow = |specifier: &str| -> Result<String, String> {
        let derivation = specifier
            .strip_prefix("flow/")
            .and_then(|s| s.strip_suffix(".ts"))
            .and_then(|s| Collection::new(s).ok())
            .filter(|c| catalog.collections.contains_key(c))
            .ok_or_else(|| format!("import {specifier:?} names no derivation of the catalog"))?;
        let types = crate::generate::typescript_types(catalog, &derivation)
            .map_err(|e| format!("the types of {specifier}: {e}"))?;
        transpile(&types, specifier)
    };
    let modules = modules::collect(source, &origin, &flow).map_err(fail)?;
    let transforms: Vec<(String, String)> = derive
        .transforms
        .iter()
        .map(|t| {
            (
                t.name.as_str().to_string(),
                camel_case(t.name.as_str(), false),
            )
        })
        .collect();
    let methods: Vec<Option<String>> = derive
        .transforms
        .iter()
        .zip(&transforms)
        .map(|(def, t)| (!def.disable).then(|| t.1.clone()))
        .collect();
    let engine = Engine::open(modules, &methods, &name, limit).map_err(|f| {
        fail(match f {
            Failure::Missing(missing) if missing.is_empty() => {
                format!("{} does not export a class `Derivation`", origin.display)
            }
            Failure::Missing(missing) => {
                let list: Vec<String> = missing
                    .iter()
                    .map(|m| {
                        let transform = transforms
                            .iter()
                            .find(|t| &t.1 == m)
                            .map_or(m.as_str(), |t| t.0.as_str());
                        format!("`{m}` (of transform {transform})")
                    })
                    .collect();
                format!(
                    "class `Derivation` of {} has no method {}",
                    origin.display,
                    list.join(", ")
                )
            }
            other => format!("loading {}: {}", origin.display, describe(other)),
        })
    })?;
    Ok(TypescriptRuntime {
        name,
        transforms,
        engine,
    })
}

/// Runs a TypeScript derivation of `catalog` in one instance, as one shard
/// of a catalog test does: it reads each `(transform index, document)` in
/// order, then flushes, and returns every document published, in order.
/// An error is the runtime's message, naming the derivation, and the
/// transform and document where there is one.
///
/// ```
/// use flowspec::{Catalog, Collection};
/// use serde_json::json;
/// let module = "import { IDerivation } from 'flow/acmeCo/doubled.ts';\n\
///     export class Derivation extends IDerivation {\n\
///         fromInts(read: { doc: { n: number } }) { return [{ n: read.doc.n * 2 }]; }\n\
///     }";
/// let catalog: Catalog = serde_json::from_value(json!({"collections": {
///     "acmeCo/ints": {"schema": {"type": "object", "properties": {"n": {"type": "integer"}}}, "key": ["/n"]},
///     "acmeCo/doubled": {
///         "schema": {"type": "object"}, "key": ["/n"],
///         "derive": {"using": {"typescript": {"module": module}},
///                    "transforms": [{"name": "fromInts", "source": "acmeCo/ints", "shuffle": "any"}]},
///     },
/// }})).unwrap();
/// let name = Collection::new("acmeCo/doubled").unwrap();
/// let out = flowspec::testing::typescript::derive(&catalog, &name, [(0, json!({"n": 21}))]).unwrap();
/// assert_eq!(out, vec![json!({"n": 42})]);
/// let err = flowspec::testing::typescript::derive(&catalog, &name, [(1, json!({"n": 1}))]);
/// assert_eq!(err.unwrap_err(), "derivation acmeCo/doubled: there is no transform at index 1");
/// ```
pub fn derive(
    catalog: &Catalog,
    derivation: &Collection,
    reads: impl IntoIterator<Item = (usize, Value)>,
) -> Result<Vec<Value>, String> {
    let mut runtime = open(catalog, derivation).map_err(|e| e.message)?;
    let mut out = Vec::new();
    for (transform, doc) in reads {
        out.extend(runtime.read(transform, &doc).map_err(|e| e.message)?);
    }
    out.extend(runtime.flush().map_err(|e| e.message)?);
    Ok(out)
}

impl Runtime for TypescriptRuntime {
    fn read(&mut self, transform: usize, doc: &Value) -> Result<Vec<Value>, RuntimeError> {
        let text = doc.to_string();
        let Some((name, _)) = self.transforms.get(transform) else {
            return Err(RuntimeError::new(format!(
                "derivation {}: there is no transform at index {transform}",
                self.name
            )));
        };
        let place = || {
            format!(
                "derivation {}, transform {name}, document {text}",
                self.name
            )
        };
        let out = self
            .engine
            .read(transform, &text)
            .map_err(|f| RuntimeError::new(format!("{}: {}", place(), describe(f))))?;
        parse(&out).map_err(|e| RuntimeError::new(format!("{}: {e}", place())))
    }

    fn flush(&mut self) -> Result<Vec<Value>, RuntimeError> {
        let place = || format!("derivation {}, flush", self.name);
        let out = self
            .engine
            .flush()
            .map_err(|f| RuntimeError::new(format!("{}: {}", place(), describe(f))))?;
        parse(&out).map_err(|e| RuntimeError::new(format!("{}: {e}", place())))
    }

    fn reset(&mut self) -> Result<(), RuntimeError> {
        self.engine.reset().map_err(|f| {
            RuntimeError::new(format!("derivation {}, reset: {}", self.name, describe(f)))
        })
    }
}

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn parse(text: &str) -> Result<Vec<Value>, String> {
    serde_json::from_str(text).map_err(|e| format!("published documents that are not JSON: {e}"))
}

fn describe(failure: Failure) -> String {
    match failure {
        Failure::Threw(m) | Failure::Protocol(m) | Failure::Other(m) => m,
        Failure::TimedOut(limit) => {
            format!("did not finish within {limit:?} (the time limit of a call), and was stopped")
        }
        Failure::NeverSettles => {
            "awaited a promise that can never settle (nothing is left to run)".to_string()
        }
        Failure::Missing(missing) => format!("lacks {}", missing.join(", ")),
    }
}

/// Where the module of `name` is, for resolving its imports and naming it
/// in errors.
fn origin(catalog: &Catalog, name: &str) -> Origin {
    let origins = &catalog.origins;
    let to_path = |u: &str| url::Url::parse(u).ok().and_then(|u| u.to_file_path().ok());
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let base_dir = origins.base_dir.as_deref().and_then(to_path).or_else(|| {
        origins
            .base
            .as_deref()
            .and_then(to_path)
            .and_then(|p| p.parent().map(Path::to_path_buf))
    });
    let root = origins.root.as_deref().and_then(to_path);
    if let Some(path) = origins
        .file(Kind::Collection, name, MODULE_POINTER)
        .and_then(|f| to_path(&f.url))
    {
        let dir = path.parent().map_or_else(|| cwd.clone(), Path::to_path_buf);
        let root = root.unwrap_or_else(|| dir.clone());
        let display = path
            .strip_prefix(&root)
            .unwrap_or(&path)
            .display()
            .to_string();
        return Origin {
            name: path.display().to_string(),
            display,
            dir,
            root,
        };
    }
    let dir = origins
        .specs
        .get(&(Kind::Collection, name.to_string()))
        .and_then(|scope| to_path(&scope.url))
        .and_then(|p| p.parent().map(Path::to_path_buf))
        .or(base_dir)
        .unwrap_or(cwd);
    let root = root.unwrap_or_else(|| dir.clone());
    Origin {
        name: dir.join(format!("{name}.inline.ts")).display().to_string(),
        display: "inline module".to_string(),
        dir,
        root,
    }
}
