//! Writing catalogs: a single file or the split layout, YAML or JSON, deterministic.
//!
//! - [`render_with`] renders a whole catalog as one YAML or JSON document
//!   (what `Catalog::to_yaml`, `Catalog::to_json` and `flowspec bundle`
//!   print), its secrets encrypted or refused as writing does.
//! - [`write`] writes a catalog to disk, either as one file
//!   ([`Layout::Flat`]) or split the way `flowctl catalog pull-specs` lays
//!   specs out ([`Layout::Canonical`]). Every config holding secrets is
//!   sops-encrypted first ([`crate::secrets::seal`]); [`write_with`] and
//!   [`render_with`] take the recipients, or plaintext if explicitly asked.
//!
//! Output is deterministic: specs sorted by name, opaque values (configs,
//! resources, schemas, lambdas) in their original key order, so the same
//! catalog always gives the same bytes, whichever language built it.
//!
//! YAML is written by flowspec's own emitter, which quotes every string a
//! YAML 1.1 reader (PyYAML, for one) or a YAML 1.2 reader could read as
//! something else (`yes`, `off`, `0755`, `1e3`, `2024-01-01`, …), writes
//! multi-line strings (SQL, TypeScript, PEM keys) as literal blocks, and
//! reads back with any YAML parser as exactly the JSON value it came from.
//!
//! ```
//! use flowspec::{Catalog, Collection, CollectionDef};
//!
//! let mut catalog = Catalog::default();
//! catalog.collections.insert(Collection::new("acmeCo/anvils").unwrap(), CollectionDef::example());
//!
//! let yaml = catalog.to_yaml()?;
//! assert!(yaml.starts_with("# yaml-language-server: $schema="));
//! assert!(yaml.contains("  acmeCo/anvils:\n    schema:\n      type: object\n"));
//!
//! let json = catalog.to_json()?;
//! assert!(json.starts_with("{\n  \"$schema\": "));
//! # Ok::<(), flowspec::Error>(())
//! ```

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::{Catalog, Result};

mod files;
mod layout;
mod previous;
mod pub_ids;

pub(crate) use files::Content;

/// Writes `files` (names relative to `dir`, with their text) atomically:
/// all of them, or none.
pub(crate) fn commit_files(dir: &Path, files: &[(String, String, Content)]) -> Result<()> {
    files::commit(dir, files, &vec![false; files.len()]).map(|_| ())
}

pub use pub_ids::{update_expect_pub_ids, PubIdsUpdated};

#[cfg(test)]
pub(crate) mod tests;

/// URL of flowspec's JSON schema of catalog files (`flow.schema.json` of
/// this release, which `flowspec schema` prints), used as the editor hint
/// at the top of every catalog file flowspec writes. It describes exactly
/// what flowspec writes and reads, where Estuary's published schema is an
/// older draft.
///
/// YAML files begin with `# yaml-language-server: $schema=<SCHEMA_URL>`,
/// and JSON files have a `"$schema": <SCHEMA_URL>` key. Loading ignores the
/// key, in JSON and YAML alike.
///
/// ```
/// let yaml = flowspec::Catalog::default().to_yaml()?;
/// assert_eq!(
///     yaml,
///     format!("# yaml-language-server: $schema={}\n{{}}\n", flowspec::write::SCHEMA_URL),
/// );
/// # Ok::<(), flowspec::Error>(())
/// ```
pub const SCHEMA_URL: &str = concat!(
    "https://raw.githubusercontent.com/flowspec/flowspec/v",
    env!("CARGO_PKG_VERSION"),
    "/flow.schema.json"
);

/// Threshold of [`Layout::Canonical`]: a value whose compact JSON is longer
/// than this many bytes moves to a file of its own (as flowctl does).
const SPLIT_THRESHOLD: usize = 512;

pub use crate::Format;

/// How [`write`] lays a catalog out on disk.
///
/// ```
/// use flowspec::write::Layout;
/// assert_ne!(Layout::Flat, Layout::Canonical);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Layout {
    /// Every spec in the target file. Values loaded from files of their own
    /// (a schema file, a config file, SQL…) keep referring to them; all
    /// others are written inline.
    #[default]
    Flat,
    /// flowctl pull-specs' layout: each spec in a `flow.yaml` of the
    /// directory of its name's prefix (`acmeCo/anvils/products` in
    /// `acmeCo/anvils/flow.yaml`), imported through a chain of `flow.yaml`
    /// files from the target; values over 512 bytes of JSON in sibling files
    /// (`products.schema.yaml`, `products.config.yaml`, SQL and TypeScript as
    /// `.sql` and `.ts` text files, …).
    Canonical,
}

/// The whole catalog as one document in `format`, as it is in memory:
/// secret markers are not sealed here. Every public rendering seals first
/// ([`render_with`]).
///
/// YAML begins with the editor schema hint `# yaml-language-server:
/// $schema=…` ([`SCHEMA_URL`]) and quotes every string a YAML 1.1 reader
/// would read as something else (`on`, `yes`, `no`, …); JSON has 2-space
/// indentation, a final newline, and `"$schema": SCHEMA_URL` first.
pub(crate) fn render_unsealed(catalog: &Catalog, format: Format) -> String {
    Doc::of(catalog).render(format)
}

/// How [`write_with`] and [`render_with`] write a catalog.
///
/// ```
/// use flowspec::write::{Layout, WriteOptions};
/// let options = WriteOptions { layout: Layout::Canonical, recipients: vec!["age1…".into()], ..Default::default() };
/// assert!(!options.plaintext_secrets);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WriteOptions {
    /// One file, or flowctl's split layout.
    pub layout: Layout,
    /// age recipients of the configs holding secrets. When empty,
    /// `SOPS_AGE_RECIPIENTS` and then the `.sops.yaml` creation rule matching
    /// the target are used; with none of them, writing secrets fails.
    pub recipients: Vec<String>,
    /// Write secrets in plaintext: only when explicitly asked for.
    pub plaintext_secrets: bool,
    /// Remove the files of the catalog previously written at the target
    /// that the written catalog no longer uses ([`Written::stale`]).
    pub prune: bool,
    /// Leave each spec loaded from a catalog file inside the target's
    /// directory in that file, placing only the others by `layout` (in the
    /// canonical layout's files, or the target itself when flat): what
    /// `flowctl catalog pull-specs` does with the specs a project already
    /// has.
    pub keep_placement: bool,
}

/// What [`write_with`] did.
///
/// ```
/// use flowspec::{Catalog, Collection, CollectionDef, write::{write, Layout}};
/// let mut catalog = Catalog::default();
/// catalog.collections.insert(Collection::new("acmeCo/anvils").unwrap(), CollectionDef::example());
/// let dir = tempfile::tempdir().unwrap();
/// let target = dir.path().join("flow.yaml");
///
/// let first = write(&catalog, &target, Layout::Flat)?;
/// assert_eq!(first.files, [target.clone()]);
/// assert!(first.unchanged.is_empty());
/// // Writing the same catalog again changes no file.
/// let again = write(&catalog, &target, Layout::Flat)?;
/// assert_eq!(again.unchanged, [target]);
/// # Ok::<(), flowspec::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Written {
    /// Every file of the written catalog, sorted: those written, and those
    /// that already held what they should and were left untouched.
    pub files: Vec<PathBuf>,
    /// Of [`Written::files`], those left untouched.
    pub unchanged: Vec<PathBuf>,
    /// Files inside the target's directory that the written catalog no
    /// longer uses, sorted: those of the catalog previously written at the
    /// target (its catalog files and the files its values were loaded
    /// from), and catalog files left in its split-layout tree that the
    /// written catalog does not import, with their files. They are removed
    /// with [`WriteOptions::prune`], and left otherwise.
    pub stale: Vec<PathBuf>,
    /// Whether the stale files were removed.
    pub pruned: bool,
}

impl Written {
    /// What to tell the user about stale files left in place: `None` when
    /// there are none, or they were pruned.
    ///
    /// ```
    /// let written = flowspec::write::Written::default();
    /// assert_eq!(written.stale_warning(), None);
    /// ```
    pub fn stale_warning(&self) -> Option<String> {
        if self.pruned || self.stale.is_empty() {
            return None;
        }
        let list: Vec<String> = self.stale.iter().map(|p| p.display().to_string()).collect();
        let n = list.len();
        Some(format!(
            "{n} file{s} of the catalog previously written here {are} no longer used: {}; \
             remove {them} by writing with prune",
            list.join(", "),
            s = if n == 1 { "" } else { "s" },
            are = if n == 1 { "is" } else { "are" },
            them = if n == 1 { "it" } else { "them" },
        ))
    }
}

impl WriteOptions {
    fn seal(&self) -> crate::secrets::SealOptions {
        crate::secrets::SealOptions {
            recipients: self.recipients.clone(),
            plaintext: self.plaintext_secrets,
        }
    }
}

/// The catalog as one JSON document, as [`write`] would put it in the flat
/// layout at `target`: relative references rewritten to resolve from there,
/// values loaded from files of their own still referred to, and secrets in
/// plaintext (for code generation, which replaces each one with a read of
/// an environment variable; the text never leaves the process).
pub(crate) fn flat_document(catalog: &Catalog, target: &Path) -> Result<serde_json::Value> {
    let options = crate::secrets::SealOptions {
        recipients: Vec::new(),
        plaintext: true,
    };
    let sealed = crate::secrets::seal(catalog, target, &options)?;
    let plan = layout::plan(&sealed, target, Layout::Flat, false)?;
    let name = target
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    let (_, text, _) = plan
        .files
        .iter()
        .find(|(path, _, _)| path == name)
        .expect("the flat layout plans its target");
    Ok(serde_json::from_str(text).expect("the writer's JSON parses"))
}

/// The whole catalog as one document in `format`, with every config that
/// holds secrets encrypted as [`write_with`] does; `file` is where the text
/// is meant to go, which picks the `.sops.yaml` creation rule (searched
/// from its directory upward) when no recipient is given.
///
/// YAML begins with the editor schema hint `# yaml-language-server:
/// $schema=…` ([`SCHEMA_URL`]) and quotes every string a YAML 1.1 reader
/// would read as something else (`on`, `yes`, `no`, …); JSON has 2-space
/// indentation, a final newline, and `"$schema": SCHEMA_URL` first.
///
/// ```
/// use flowspec::{build::CaptureBuilder, secrets::secret, write::{render_with, WriteOptions}, Catalog, Format};
/// let mut catalog = Catalog::default();
/// catalog.add(CaptureBuilder::new("acmeCo/source").connector("ghcr.io/estuary/source-x:v1",
///     serde_json::json!({"password": secret("hunter2"), "on": "yes"})))?;
/// # std::env::remove_var("SOPS_AGE_RECIPIENTS");
/// let plain = WriteOptions { plaintext_secrets: true, ..Default::default() };
/// let yaml = render_with(&catalog, Format::Yaml, &plain, "flow.yaml".as_ref())?;
/// assert!(yaml.contains("password_sops: hunter2\n"));
/// // `on` and `yes` are booleans to YAML 1.1 readers, so they are quoted.
/// assert!(yaml.contains("\"on\": \"yes\"\n"));
///
/// let err = render_with(&catalog, Format::Yaml, &WriteOptions::default(), "flow.yaml".as_ref()).unwrap_err();
/// assert_eq!(err.diagnostics()[0].code, "plaintext_secret");
/// # Ok::<(), flowspec::Error>(())
/// ```
pub fn render_with(
    catalog: &Catalog,
    format: Format,
    options: &WriteOptions,
    file: &Path,
) -> Result<String> {
    let sealed = crate::secrets::seal(catalog, file, &options.seal())?;
    Ok(render_unsealed(&sealed, format))
}

/// Writes `catalog` to `target` as [`write`] does, with [`WriteOptions`]:
/// the layout, and the recipients of its secrets.
///
/// ```
/// use flowspec::{build::CaptureBuilder, secrets::{secret, Identity}, write::{write_with, WriteOptions}, Catalog};
/// let identity = Identity::generate();
/// let mut catalog = Catalog::default();
/// catalog.add(CaptureBuilder::new("acmeCo/source").connector("ghcr.io/estuary/source-x:v1",
///     serde_json::json!({"password": secret("hunter2")})))?;
///
/// let dir = tempfile::tempdir().unwrap();
/// let options = WriteOptions { recipients: vec![identity.recipient().into()], ..Default::default() };
/// write_with(&catalog, &dir.path().join("flow.yaml"), &options)?;
/// let text = std::fs::read_to_string(dir.path().join("flow.yaml")).unwrap();
/// assert!(text.contains("password_sops: ENC[AES256_GCM,data:"));
/// assert!(!text.contains("hunter2"));
/// # Ok::<(), flowspec::Error>(())
/// ```
pub fn write_with(catalog: &Catalog, target: &Path, options: &WriteOptions) -> Result<Written> {
    // The catalog written there before: its encrypted configs, to keep
    // their ciphertext, and its files, to tell which are no longer used.
    // It is loaded only when needed: for configs with secrets to seal, or
    // when the catalog files to write are not already there.
    let previous =
        crate::secrets::holds_plaintext_secrets(catalog).then(|| previous::Previous::load(target));
    let earlier = previous.as_ref().and_then(|p| p.catalog.as_ref());
    let sealed = crate::secrets::seal_over(catalog, target, &options.seal(), earlier)?;
    let plan = layout::plan(&sealed, target, options.layout, options.keep_placement)?;
    let on_disk = files::on_disk(&plan.dir, &plan.files);
    let previous = previous.unwrap_or_else(|| previous::Previous::before(target, &plan, &on_disk));
    let stale = previous.stale(catalog, &plan);
    let committed = files::commit(&plan.dir, &plan.files, &on_disk)?;
    if options.prune {
        previous::prune(&plan.dir, &stale)?;
    }
    Ok(Written {
        files: committed.files,
        unchanged: committed.unchanged,
        stale,
        pruned: options.prune,
    })
}

/// Writes `catalog` to `target` and the files it needs beside it; returns
/// what was written ([`Written`]).
///
/// Configs that hold secrets (markers, or values under `_sops` keys) are
/// sops-encrypted first, to the recipients of `SOPS_AGE_RECIPIENTS` or of
/// the `.sops.yaml` creation rule matching `target`; with none configured it
/// fails with [`Error::CatalogSecrets`](crate::Error::CatalogSecrets) and
/// writes nothing. Configs already encrypted are written as they are.
///
/// The format follows the target's extension (`.json` → JSON, `.yaml` /
/// `.yml` → YAML). Values loaded from files of their own stay in those
/// files (see [`Layout`]). Relative file references the catalog holds (like
/// `module: full-outer-join.flow.ts`) are rewritten so they still point at
/// the same files from where their specs are written; they are read
/// relative to the file each spec was loaded from; for specs made in code,
/// to [`Origins::base_dir`](crate::Origins::base_dir), by default the
/// current directory.
///
/// Every file is first written to a temporary file in its directory, and
/// all of them are renamed into place only once all were written: a failure
/// leaves no new file behind (nor a directory this call created). A file
/// that already holds what it should is not rewritten, and a target that is
/// a symlink is written through. Nothing is written outside the target's
/// directory: a spec whose name has a `.` or `..` part is an
/// [`Error::Write`](crate::Error::Write) in the split layout.
///
/// ```
/// use flowspec::{Catalog, Collection, CollectionDef, write::{write, Layout}};
///
/// let mut catalog = Catalog::default();
/// catalog.collections.insert(Collection::new("acmeCo/anvils/products").unwrap(), CollectionDef::example());
///
/// let dir = tempfile::tempdir().unwrap();
/// let written = write(&catalog, &dir.path().join("flow.yaml"), Layout::Canonical).unwrap();
/// let names: Vec<_> = written.files.iter().map(|p| p.strip_prefix(dir.path()).unwrap().to_str().unwrap()).collect();
/// assert_eq!(names, ["acmeCo/anvils/flow.yaml", "acmeCo/flow.yaml", "flow.yaml"]);
///
/// let root = std::fs::read_to_string(dir.path().join("flow.yaml")).unwrap();
/// assert!(root.ends_with("import:\n  - acmeCo/flow.yaml\n"));
/// ```
pub fn write(catalog: &Catalog, target: &Path, layout: Layout) -> Result<Written> {
    let options = WriteOptions {
        layout,
        ..Default::default()
    };
    write_with(catalog, target, &options)
}

/// A catalog file as it is written: the catalog's keys, `$schema` set for
/// JSON, and each spec either borrowed or changed for its place on disk.
#[derive(serde::Serialize, Default)]
struct Doc<'a> {
    #[serde(rename = "$schema", skip_serializing_if = "Option::is_none")]
    schema: Option<&'static str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    import: Vec<Cow<'a, str>>,
    #[serde(skip_serializing_if = "Specs::is_empty")]
    captures: Specs<'a, crate::Capture, crate::CaptureDef>,
    #[serde(skip_serializing_if = "Specs::is_empty")]
    collections: Specs<'a, crate::Collection, crate::CollectionDef>,
    #[serde(skip_serializing_if = "Specs::is_empty")]
    materializations: Specs<'a, crate::Materialization, crate::MaterializationDef>,
    #[serde(skip_serializing_if = "Specs::is_empty")]
    tests: Specs<'a, crate::Test, crate::TestDef>,
}

/// Specs of one kind, in name order.
struct Specs<'a, K, V: Clone>(Vec<(&'a K, Cow<'a, V>)>);

impl<K, V: Clone> Default for Specs<'_, K, V> {
    fn default() -> Self {
        Specs(Vec::new())
    }
}

impl<K, V: Clone> Specs<'_, K, V> {
    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<K: serde::Serialize, V: Clone + serde::Serialize> serde::Serialize for Specs<'_, K, V> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().map(|(k, v)| (*k, v.as_ref())))
    }
}

fn borrow_all<K, V: Clone>(map: &BTreeMap<K, V>) -> Specs<'_, K, V> {
    Specs(map.iter().map(|(k, v)| (k, Cow::Borrowed(v))).collect())
}

impl<'a> Doc<'a> {
    /// The whole catalog, every spec as it is.
    fn of(catalog: &'a Catalog) -> Self {
        // Every field is named, so a new catalog field fails to compile here
        // until the writer knows about it.
        let Catalog {
            schema: _,
            import,
            captures,
            collections,
            materializations,
            tests,
            origins: _,
        } = catalog;
        Doc {
            schema: None,
            import: import.iter().map(|i| Cow::Borrowed(i.as_str())).collect(),
            captures: borrow_all(captures),
            collections: borrow_all(collections),
            materializations: borrow_all(materializations),
            tests: borrow_all(tests),
        }
    }

    /// The document's text, with the editor schema hint.
    fn render(mut self, format: Format) -> String {
        match format {
            Format::Yaml => {
                self.schema = None;
                let mut out = String::with_capacity(4096);
                out.push_str("# yaml-language-server: $schema=");
                out.push_str(SCHEMA_URL);
                out.push('\n');
                crate::yaml::write::append(&mut out, &self)
                    .expect("catalog models always serialize");
                out
            }
            Format::Json => {
                self.schema = Some(SCHEMA_URL);
                render_json(&self)
            }
        }
    }
}

/// `value` as pretty JSON (2-space indentation) with a final newline.
fn render_json<T: serde::Serialize + ?Sized>(value: &T) -> String {
    let mut out = Vec::with_capacity(4096);
    serde_json::to_writer_pretty(&mut out, value).expect("catalog models always serialize");
    out.push(b'\n');
    String::from_utf8(out).expect("serde_json writes UTF-8")
}

/// `value` as a document of its own (a sibling file of the split layout).
fn render_value(value: &serde_json::Value, format: Format) -> String {
    match format {
        Format::Yaml => crate::yaml::write::to_string(value).expect("JSON values always serialize"),
        Format::Json => render_json(value),
    }
}
