//! Catalogs as code: a catalog turned into a program of the DSL in Python,
//! TypeScript or Rust that, when run, writes the same catalog.
//!
//! The program is built from the catalog as [`write`](crate::write) would
//! lay it out in one file beside the source: relative references (schema
//! files, TypeScript modules, SQL) stay references, rewritten to resolve
//! from the source's directory, where the program is meant to run. Each
//! secret of a config (a `_sops` property, in plaintext or encrypted) is a
//! `secret(...)` of an environment variable the program names: its value is
//! never in the code. The program writes `flow.yaml` (or the path given as
//! its first argument), encrypting those secrets as any write does.
//!
//! ```
//! use flowspec::codegen::{codegen, Lang};
//! let mut catalog = flowspec::Catalog::default();
//! catalog.add(flowspec::build::CollectionBuilder::new("acmeCo/orders")
//!     .schema(serde_json::json!({"type": "object"})).key(["/id"]))?;
//! let program = codegen(&catalog, ".".as_ref(), Lang::Python)?;
//! assert!(program.text.contains(r#"cat.collection("acmeCo/orders", schema={"type": "object"}, key=["/id"])"#));
//! # Ok::<(), flowspec::Error>(())
//! ```

mod calls;
mod literal;
mod python;
mod rust;
mod typescript;

use std::path::Path;

use serde_json::Value;

use crate::{Catalog, Error, Kind, Result};

pub(crate) use calls::{Call, Entity};

/// A language code is generated in.
///
/// ```
/// use flowspec::codegen::Lang;
/// assert_eq!("typescript".parse::<Lang>().unwrap(), Lang::Typescript);
/// assert_eq!(Lang::Python.file_name(), "flow.py");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    /// Python, with the `flowspec` package.
    Python,
    /// TypeScript, with the `flowspec` npm package.
    Typescript,
    /// Rust, with the `flowspec` crate and `serde_json`.
    Rust,
}

impl Lang {
    /// Every language, in the order they are listed.
    pub const ALL: [Lang; 3] = [Lang::Python, Lang::Typescript, Lang::Rust];

    /// Its name on the command line: `python`, `typescript`, `rust`.
    pub fn name(self) -> &'static str {
        match self {
            Lang::Python => "python",
            Lang::Typescript => "typescript",
            Lang::Rust => "rust",
        }
    }

    /// The file name a program in this language usually has.
    pub fn file_name(self) -> &'static str {
        match self {
            Lang::Python => "flow.py",
            Lang::Typescript => "flow.ts",
            Lang::Rust => "main.rs",
        }
    }
}

impl std::fmt::Display for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Lang {
    type Err = Error;

    fn from_str(s: &str) -> Result<Lang> {
        match s {
            "python" | "py" => Ok(Lang::Python),
            "typescript" | "ts" => Ok(Lang::Typescript),
            "rust" | "rs" => Ok(Lang::Rust),
            _ => Err(Error::invalid_spec(
                "codegen",
                format!("unknown language `{s}`: expected python, typescript or rust"),
            )),
        }
    }
}

/// A secret the generated program reads from an environment variable.
///
/// ```
/// # use flowspec::codegen::SecretVar;
/// let var = SecretVar { env: "SOURCE_STRIPE_ACCESS_TOKEN".into(), kind: flowspec::Kind::Capture,
///     name: "acmeCo/source-stripe".into(), pointer: "/endpoint/connector/config/access_token_sops".into(), json: false };
/// assert_eq!(var.to_string(), "SOURCE_STRIPE_ACCESS_TOKEN: capture acmeCo/source-stripe /endpoint/connector/config/access_token_sops");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretVar {
    /// The environment variable.
    pub env: String,
    /// The kind of spec holding the secret.
    pub kind: Kind,
    /// The spec's name.
    pub name: String,
    /// Where the secret is in the spec as written (with its `_sops` key).
    pub pointer: String,
    /// The value is JSON text (a number, an object, ...), not a string.
    pub json: bool,
}

impl std::fmt::Display for SecretVar {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: {} {} {}",
            self.env,
            self.kind.singular(),
            self.name,
            self.pointer
        )
    }
}

/// A generated program.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Program {
    /// Its source text.
    pub text: String,
    /// The secrets it reads from the environment, in the order they appear.
    pub secrets: Vec<SecretVar>,
}

/// How code is generated.
///
/// ```
/// let options = flowspec::codegen::CodegenOptions::default();
/// assert!(options.rustfmt);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodegenOptions {
    /// Format Rust with `rustfmt` when it is on the `PATH` (as `bindgen`
    /// does); without it, the code is left as generated.
    pub rustfmt: bool,
    /// What the program's comment says it builds (default: `a catalog`;
    /// [`codegen_file`] gives the source's file name).
    pub source_label: Option<String>,
}

impl Default for CodegenOptions {
    fn default() -> Self {
        CodegenOptions {
            rustfmt: true,
            source_label: None,
        }
    }
}

/// The program in `lang` that writes `catalog`. `dir` is the directory the
/// program is to run in: relative references are written to resolve from
/// there (a loaded catalog's references are rewritten; those of specs made
/// in code resolve against the catalog's base directory).
///
/// ```
/// use flowspec::codegen::{codegen, Lang};
/// let catalog = flowspec::Catalog::default();
/// let program = codegen(&catalog, ".".as_ref(), Lang::Typescript)?;
/// assert!(program.text.contains("const cat = new Catalog();"));
/// # Ok::<(), flowspec::Error>(())
/// ```
pub fn codegen(catalog: &Catalog, dir: &Path, lang: Lang) -> Result<Program> {
    codegen_with(catalog, dir, lang, &CodegenOptions::default())
}

/// [`codegen`] with [`CodegenOptions`].
///
/// ```
/// use flowspec::codegen::{codegen_with, CodegenOptions, Lang};
/// let options = CodegenOptions { rustfmt: false, source_label: Some("pulled specs".into()) };
/// let program = codegen_with(&flowspec::Catalog::default(), ".".as_ref(), Lang::Rust, &options)?;
/// assert!(program.text.contains("pulled specs"));
/// # Ok::<(), flowspec::Error>(())
/// ```
pub fn codegen_with(
    catalog: &Catalog,
    dir: &Path,
    lang: Lang,
    options: &CodegenOptions,
) -> Result<Program> {
    let document = crate::write::flat_document(catalog, &dir.join("flow.json"))?;
    let label = options
        .source_label
        .clone()
        .unwrap_or_else(|| "a catalog".to_string());
    let mut configs = calls::Configs::new();
    catalog.for_each_slot(|kind, name, slot, pointer, _| {
        if slot == crate::Slot::Config {
            configs
                .entry((kind, name.to_string()))
                .or_default()
                .push(pointer.to_string());
        }
    });
    let (calls, secrets) = calls::calls(&document, &configs);
    let header = Header {
        label: &label,
        secrets: &secrets,
    };
    let text = match lang {
        Lang::Python => python::program(&header, &calls),
        Lang::Typescript => typescript::program(&header, &calls),
        Lang::Rust => {
            let text = rust::program(&header, &calls);
            match options.rustfmt {
                true => rust::format(text),
                false => text,
            }
        }
    };
    Ok(Program { text, secrets })
}

/// The program in `lang` that writes the catalog at `source` (a flow.yaml
/// or flow.json), to be run in the directory of `program` (where it is to
/// be written), else in the source's directory. A Rust program is run by
/// `cargo run` from wherever the catalog is, not from its file's directory
/// (`src/`): its references resolve from the source's directory.
///
/// ```no_run
/// use flowspec::codegen::{codegen_file, Lang};
/// let program = codegen_file("flow.yaml", Lang::Python, None)?;
/// program.write("flow.py".as_ref())?;
/// # Ok::<(), flowspec::Error>(())
/// ```
pub fn codegen_file(source: &str, lang: Lang, program: Option<&Path>) -> Result<Program> {
    let catalog = crate::load::load(source)?;
    let path = Path::new(source);
    let dir = match program.filter(|_| lang != Lang::Rust) {
        Some(program) => program.parent(),
        None => path.parent(),
    }
    .filter(|d| !d.as_os_str().is_empty())
    .unwrap_or(Path::new("."));
    let label = path.file_name().and_then(|n| n.to_str()).unwrap_or(source);
    let options = CodegenOptions {
        source_label: Some(format!("`{label}`")),
        ..Default::default()
    };
    codegen_with(&catalog, dir, lang, &options)
}

impl Program {
    /// Writes the program to `path`, atomically (a temporary file renamed
    /// into place), replacing what was there.
    ///
    /// ```
    /// let program = flowspec::codegen::codegen(&flowspec::Catalog::default(), ".".as_ref(),
    ///     flowspec::codegen::Lang::Python)?;
    /// let dir = tempfile::tempdir().unwrap();
    /// program.write(&dir.path().join("flow.py"))?;
    /// assert_eq!(std::fs::read_to_string(dir.path().join("flow.py")).unwrap(), program.text);
    /// # Ok::<(), flowspec::Error>(())
    /// ```
    pub fn write(&self, path: &Path) -> Result<()> {
        let name = path.file_name().and_then(|n| n.to_str()).ok_or_else(|| {
            Error::write(path.display().to_string(), "not a file name".to_string())
        })?;
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        let files = [(
            name.to_string(),
            self.text.clone(),
            crate::write::Content::Text,
        )];
        crate::write::commit_files(dir, &files)?;
        Ok(())
    }
}

/// What every program's opening comment says.
pub(crate) struct Header<'a> {
    pub label: &'a str,
    pub secrets: &'a [SecretVar],
}

impl Header<'_> {
    /// The comment's lines: what the program is, how to run it, and the
    /// environment variables it reads.
    pub(crate) fn lines(&self, run: &str) -> Vec<String> {
        let mut lines = vec![
            format!("Builds {} with flowspec.", self.label),
            String::new(),
            format!("Run it in the catalog's directory: `{run} [OUT]` writes OUT (default"),
            "flow.yaml); relative file references resolve from that directory.".to_string(),
        ];
        if !self.secrets.is_empty() {
            lines.push(String::new());
            lines.push(
                "Secrets are read from these environment variables, and encrypted with".to_string(),
            );
            lines.push(
                "sops when written (to SOPS_AGE_RECIPIENTS or the .sops.yaml rule):".to_string(),
            );
            for var in self.secrets {
                let json = if var.json { " (JSON)" } else { "" };
                lines.push(format!(
                    "- {}{json}: {} {}",
                    var.env,
                    var.kind.singular(),
                    var.name
                ));
                lines.push(format!("  at {}", var.pointer));
            }
        }
        lines
    }
}

/// How many bindings a spec's chain of calls adds in TypeScript and Rust:
/// more are a list added in a loop, as tsc and rustfmt take time (or stack)
/// that grows faster than a chain's length.
pub(crate) const MANY_BINDINGS: usize = 20;

/// The marker standing for a secret in the values of [`Call`]s: an object
/// with this one key, whose value is `{"env": NAME, "json": bool}`.
pub(crate) const SECRET: &str = "\u{0}secret";

/// The environment variable and JSON-ness of a secret marker.
pub(crate) fn secret_of(value: &Value) -> Option<(&str, bool)> {
    let inner = value.as_object().filter(|m| m.len() == 1)?.get(SECRET)?;
    Some((inner["env"].as_str()?, inner["json"].as_bool()?))
}

#[cfg(test)]
mod tests;
