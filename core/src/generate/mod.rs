//! `generate`: TypeScript types of derivations, and stubs of missing modules, migrations and lambdas.
//!
//! [`generate`] loads a catalog as `flowctl generate` does, without Docker,
//! and writes into the project root (the source's directory, and up
//! through each parent that also holds a `flow.yaml`, `flow.yml` or
//! `flow.json`):
//!
//! - for each TypeScript derivation, its types at
//!   `flow_generated/typescript/<collection/name>.ts` (always rewritten):
//!   `Document` from the write schema, a `Document<Anchor>` per named
//!   `$anchor` (`^[A-Z][\w_]+$`), a `Source<Transform>` per transform (with
//!   its source's anchors), and the `IDerivation` class the module extends;
//! - `deno.json`, mapping `flow/` to those types, when there is a
//!   TypeScript derivation;
//! - a stub at each `module`, SQLite migration and `lambda` that refers to a
//!   file that does not exist yet. A file that exists is never touched.
//!
//! Nothing is written outside of the project root: a reference leading out
//! of it is refused, and then nothing is written at all.
//!
//! ```
//! use flowspec::generate::{generate, GenerateOptions, GeneratedKind};
//!
//! let dir = tempfile::tempdir().unwrap();
//! std::fs::write(dir.path().join("flow.yaml"), r#"
//! collections:
//!   acmeCo/ints:
//!     schema: {type: object, properties: {id: {type: integer}}, required: [id]}
//!     key: [/id]
//!   acmeCo/sums:
//!     schema: {type: object, properties: {id: {type: integer}}, required: [id]}
//!     key: [/id]
//!     derive:
//!       using: {typescript: {module: sums.ts}}
//!       transforms: [{name: fromInts, source: acmeCo/ints, shuffle: any}]
//! "#).unwrap();
//!
//! let source = dir.path().join("flow.yaml");
//! let written = generate(source.to_str().unwrap(), &GenerateOptions::default()).unwrap();
//! let kinds: Vec<_> = written.iter().map(|g| g.kind).collect();
//! assert_eq!(kinds, [GeneratedKind::Types, GeneratedKind::Stub, GeneratedKind::DenoJson]);
//! let stub = std::fs::read_to_string(dir.path().join("sums.ts")).unwrap();
//! assert!(stub.starts_with("import { IDerivation, Document, SourceFromInts } from 'flow/acmeCo/sums.ts';\n"));
//! let types = std::fs::read_to_string(dir.path().join("flow_generated/typescript/acmeCo/sums.ts")).unwrap();
//! assert!(types.contains("export type SourceFromInts = {\n    id: number;\n};\n"));
//! ```

mod mapper;
mod typescript;

/// Transform names as methods and types, shared with the TypeScript runtime.
pub(crate) use typescript::camel_case;

#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};

use url::Url;

use crate::load::{LoadOptions, MissingCode};
use crate::{Catalog, Collection, DeriveUsing, Error, Kind, Result};

/// What a generated file is.
///
/// ```
/// assert_ne!(flowspec::generate::GeneratedKind::Types, flowspec::generate::GeneratedKind::Stub);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GeneratedKind {
    /// The TypeScript types of a derivation
    /// (`flow_generated/typescript/<name>.ts`).
    Types,
    /// `deno.json`, mapping `flow/` to the generated types.
    DenoJson,
    /// The stub of a module, migration or lambda whose file was missing.
    Stub,
}

/// What generate wrote (or, in a dry run, would write).
///
/// ```
/// use flowspec::generate::{Generated, GeneratedKind};
/// let g = Generated { path: "deno.json".into(), kind: GeneratedKind::DenoJson };
/// assert_eq!(g.path, std::path::PathBuf::from("deno.json"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    /// The file's path.
    pub path: PathBuf,
    /// What it holds.
    pub kind: GeneratedKind,
}

/// How [`generate`] runs.
///
/// ```
/// let options = flowspec::generate::GenerateOptions { dry_run: true, ..Default::default() };
/// assert!(options.root.is_none());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GenerateOptions {
    /// The project root: where generated files go, and the directory no
    /// file may be written outside of. `None`: found from the source, as
    /// `flowctl generate` does (see the module docs).
    pub root: Option<PathBuf>,
    /// Say what would be written, and write nothing.
    pub dry_run: bool,
}

/// `deno.json` of a project with TypeScript derivations: pretty JSON with
/// a 2-space indent and no final newline.
///
/// ```
/// let value: serde_json::Value = serde_json::from_str(flowspec::generate::DENO_JSON).unwrap();
/// assert_eq!(value["imports"]["flow/"], "./flow_generated/typescript/");
/// assert!(!flowspec::generate::DENO_JSON.ends_with('\n'));
/// ```
pub const DENO_JSON: &str =
    "{\n  \"imports\": {\n    \"flow/\": \"./flow_generated/typescript/\"\n  }\n}";

/// Loads `source` (a flow.yaml path) tolerating missing code files, and
/// writes every generated file: the types of each TypeScript derivation,
/// `deno.json`, and a stub for each missing module, migration or lambda.
/// Returns the files, in the order written.
///
/// Errors: the catalog does not load (code `load`); a derivation reads a
/// collection that is not in the catalog (code `validation`); a file would
/// be written outside of the project root, or cannot be written (code
/// `write`; then nothing, or nothing after the failed file, is written).
///
/// ```
/// use flowspec::generate::{generate, GenerateOptions};
///
/// let dir = tempfile::tempdir().unwrap();
/// let project = dir.path().join("project");
/// std::fs::create_dir(&project).unwrap();
/// std::fs::write(project.join("flow.yaml"), r#"
/// collections:
///   acmeCo/d:
///     schema: {type: object}
///     key: [/id]
///     derive:
///       using: {typescript: {module: ../outside.ts}}
///       transforms: []
/// "#).unwrap();
/// let err = generate(project.join("flow.yaml").to_str().unwrap(), &GenerateOptions::default()).unwrap_err();
/// assert_eq!(err.code(), "write");
/// assert!(err.to_string().contains("outside of the project root"), "{err}");
/// assert!(!project.join("deno.json").exists());
/// ```
pub fn generate(source: &str, options: &GenerateOptions) -> Result<Vec<Generated>> {
    let load = LoadOptions {
        root: options.root.clone(),
        allow_missing_code: true,
        ..Default::default()
    };
    let catalog = crate::load::load_with(source, &load)?;
    let root = project_root(&catalog, options)?;
    let files = plan(&catalog)?;

    // Every file is checked before any is written.
    let real_root = crate::paths::real_path(&root);
    let mut planned = Vec::with_capacity(files.len());
    for file in files {
        let path = match file.at {
            At::Root(relative) => root.join(relative),
            At::Url(url) => file_path(&url)?,
        };
        if !crate::paths::real_path(&path).starts_with(&real_root) {
            return Err(Error::write(
                path.display().to_string(),
                format!(
                    "refusing to write outside of the project root {}{}",
                    root.display(),
                    file.why.map(|w| format!(" ({w})")).unwrap_or_default()
                ),
            ));
        }
        planned.push((path, file.kind, file.contents));
    }

    let mut out = Vec::with_capacity(planned.len());
    for (path, kind, contents) in planned {
        if !options.dry_run {
            write_file(&path, kind, &contents)?;
        }
        out.push(Generated { path, kind });
    }
    Ok(out)
}

/// The `flow_generated/typescript/<name>.ts` text of one TypeScript
/// derivation of a loaded catalog: its `Document` types, the `Source` types
/// of its transforms, and the `IDerivation` class its module extends.
/// Schemas given as references to files (or fragments of them) are
/// bundled first.
///
/// ```
/// use flowspec::{Catalog, Collection};
/// let catalog: Catalog = serde_json::from_value(serde_json::json!({"collections": {
///     "acmeCo/ints": {"schema": {"type": "object", "properties": {"n": {"type": "integer"}}}, "key": ["/n"]},
///     "acmeCo/d": {
///         "schema": {"type": "object", "properties": {"n": {"type": "integer", "title": "N"}}, "required": ["n"]},
///         "key": ["/n"],
///         "derive": {"using": {"typescript": {"module": "export class Derivation {}"}},
///                    "transforms": [{"name": "from-ints", "source": "acmeCo/ints", "shuffle": "any"}]},
///     },
/// }})).unwrap();
/// let types = flowspec::generate::typescript_types(&catalog, &Collection::new("acmeCo/d").unwrap()).unwrap();
/// assert!(types.starts_with("\n// Generated for published documents of derived collection acmeCo/d.\nexport type Document = {\n    n: /* N */ number;\n};\n"));
/// assert!(types.contains("export type SourceFromInts = {\n    n?: number;\n};"));
/// assert!(types.ends_with("    abstract fromInts(read: { doc: SourceFromInts }): Document[];\n}\n"));
/// ```
pub fn typescript_types(catalog: &Catalog, derivation: &Collection) -> Result<String> {
    let name = derivation.as_str();
    let def = catalog
        .collections
        .get(name)
        .ok_or_else(|| Error::NotDefined {
            kind: Kind::Collection,
            name: name.to_string(),
        })?;
    // Only the schemas of the derivation and its sources are needed: bundle
    // them alone, leaving the derivation's code (which may refer to files
    // that do not exist yet) out.
    let mut schemas = Catalog {
        origins: catalog.origins.clone(),
        ..Catalog::default()
    };
    let mut own = def.clone();
    if let Some(derive) = &mut own.derive {
        if let DeriveUsing::Typescript(t) = &mut derive.using {
            t.module = serde_json::Value::Null;
        }
        for t in &mut derive.transforms {
            t.lambda = None;
            t.shuffle = None;
        }
        if let DeriveUsing::Sqlite(s) = &mut derive.using {
            s.migrations.clear();
        }
    }
    if let Some(derive) = &def.derive {
        for t in &derive.transforms {
            let source = t.source.collection();
            if let Some(source_def) = catalog.collections.get(source.as_str()) {
                let mut source_def = source_def.clone();
                source_def.derive = None;
                schemas.collections.insert(source.clone(), source_def);
            }
        }
    }
    schemas.collections.insert(derivation.clone(), own);
    if crate::load::has_references(&schemas) {
        crate::load::inline_references(&mut schemas)?;
    }
    typescript::types_file(&schemas, name)
}

/// Where a planned file goes: a path relative to the root, or a file URL.
enum At {
    Root(String),
    Url(String),
}

/// A file to write.
struct Planned {
    at: At,
    kind: GeneratedKind,
    contents: String,
    /// What refers to it, for messages.
    why: Option<String>,
}

/// Every file to write for `catalog`, in order: per derivation (by name)
/// its types and stubs, then `deno.json`.
fn plan(catalog: &Catalog) -> Result<Vec<Planned>> {
    let missing = crate::load::missing_code(catalog);
    let mut files = Vec::new();
    let mut typescript = false;
    for (name, def) in &catalog.collections {
        let Some(derive) = &def.derive else {
            continue;
        };
        let stubs = missing.iter().filter(|m| m.collection == name.as_str());
        match &derive.using {
            DeriveUsing::Typescript(_) => {
                typescript = true;
                files.push(Planned {
                    at: At::Root(format!("flow_generated/typescript/{}.ts", name.as_str())),
                    kind: GeneratedKind::Types,
                    contents: typescript_types(catalog, name)?,
                    why: None,
                });
                for m in stubs {
                    if m.pointer == "/derive/using/typescript/module" {
                        files.push(stub(m, typescript::stub_module(catalog, name.as_str())?));
                    }
                }
            }
            DeriveUsing::Sqlite(_) => {
                for m in stubs {
                    if let Some(contents) = sqlite_stub(catalog, name, m) {
                        files.push(stub(m, contents));
                    }
                }
            }
            // Python, connector and local derivations have nothing
            // generated locally.
            _ => {}
        }
    }
    if typescript {
        files.push(Planned {
            at: At::Root("deno.json".to_string()),
            kind: GeneratedKind::DenoJson,
            contents: DENO_JSON.to_string(),
            why: None,
        });
    }
    Ok(files)
}

fn stub(missing: &MissingCode, contents: String) -> Planned {
    Planned {
        at: At::Url(missing.url.clone()),
        kind: GeneratedKind::Stub,
        contents,
        why: Some(format!(
            "collection {} refers to {:?} at {}",
            missing.collection, missing.reference, missing.pointer
        )),
    }
}

/// The stub of a SQLite derivation's missing migration
/// (`/derive/using/sqlite/migrations/<i>`) or transform lambda
/// (`/derive/transforms/<i>/lambda`), as the SQLite runtime writes them:
/// an example join table, and a commented `SELECT` of every parameter of
/// the transform's source. `None` writes nothing.
fn sqlite_stub(catalog: &Catalog, name: &Collection, missing: &MissingCode) -> Option<String> {
    let pointer = missing.pointer.as_str();
    if pointer.starts_with("/derive/using/sqlite/migrations/") {
        return Some(crate::testing::sqlite::stub_migration());
    }
    let index: usize = pointer
        .strip_prefix("/derive/transforms/")
        .and_then(|rest| rest.strip_suffix("/lambda"))?
        .parse()
        .ok()?;
    let derive = catalog.collections.get(name)?.derive.as_ref()?;
    let source = derive.transforms.get(index)?.source.collection();
    crate::testing::sqlite::stub_lambda(catalog, source).ok()
}

/// The project root: the option, else the root the load found.
fn project_root(catalog: &Catalog, options: &GenerateOptions) -> Result<PathBuf> {
    if let Some(root) = &options.root {
        return crate::paths::absolute(root).map_err(|e| {
            Error::write_io(root.display().to_string(), "cannot resolve the root", e)
        });
    }
    let url = catalog
        .origins
        .root
        .as_deref()
        .and_then(|u| Url::parse(u).ok())
        .ok_or_else(|| {
            Error::write(
                catalog.origins.base.as_deref().unwrap_or("the catalog"),
                "the catalog has no local project root to generate files in",
            )
        })?;
    file_path(url.as_str()).map(|p| crate::paths::lexical(&p))
}

fn file_path(url: &str) -> Result<PathBuf> {
    Url::parse(url)
        .ok()
        .and_then(|u| u.to_file_path().ok())
        .ok_or_else(|| Error::write(url, "it is not a local file path"))
}

/// Writes one file, creating its directories. A stub never replaces a file
/// (one that appeared since the catalog was loaded is left as it is).
fn write_file(path: &Path, kind: GeneratedKind, contents: &str) -> Result<()> {
    use std::io::Write as _;
    let shown = path.display().to_string();
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| Error::write_io(&shown, "cannot create its directory", e))?;
    }
    let mut open = std::fs::OpenOptions::new();
    open.write(true);
    if kind == GeneratedKind::Stub {
        open.create_new(true);
    } else {
        open.create(true).truncate(true);
    }
    let mut file = match open.open(path) {
        Err(e) if kind == GeneratedKind::Stub && e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Ok(());
        }
        other => other.map_err(|e| Error::write_io(&shown, "cannot create it", e))?,
    };
    file.write_all(contents.as_bytes())
        .map_err(|e| Error::write_io(&shown, "cannot write it", e))
}
