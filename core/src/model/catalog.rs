//! The catalog: every spec, keyed by name.

use std::collections::BTreeMap;

use super::{CaptureDef, CollectionDef, MaterializationDef, TestDef};
use crate::names::{Capture, Collection, Materialization, Test};
use crate::Scope;

/// # Flow catalog
/// Captures, collections (and derivations), materializations and tests,
/// each keyed by its name. Specs may be split across files with `import`.
///
/// ```
/// use flowspec::{Catalog, CollectionDef, Collection};
/// let mut catalog = Catalog::default();
/// catalog.collections.insert(Collection::new("acmeCo/anvils").unwrap(), CollectionDef::example());
/// assert_eq!(catalog.len(), 1);
/// ```
#[derive(
    Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Catalog {
    /// # JSON schema of this file, for editors. Ignored.
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// # Other catalog files to import, relative to this one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub import: Vec<String>,
    /// # Captures, by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub captures: BTreeMap<Capture, CaptureDef>,
    /// # Collections and derivations, by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub collections: BTreeMap<Collection, CollectionDef>,
    /// # Materializations, by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub materializations: BTreeMap<Materialization, MaterializationDef>,
    /// # Tests, by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tests: BTreeMap<Test, TestDef>,
    /// Where each spec came from. Bookkeeping: not serialized, and not part
    /// of a catalog's identity (two catalogs with the same specs are equal
    /// wherever they were loaded from).
    #[serde(skip)]
    #[schemars(skip)]
    pub origins: Origins,
}

/// The kinds of specs in a catalog.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Kind {
    /// A capture.
    Capture,
    /// A collection (or derivation).
    Collection,
    /// A materialization.
    Materialization,
    /// A test.
    Test,
}

/// A word that is not a kind of spec.
///
/// ```
/// let err = "pipeline".parse::<flowspec::Kind>().unwrap_err();
/// assert_eq!(err.to_string(), "\"pipeline\" is not a kind of spec (capture, collection, materialization or test)");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a kind of spec (capture, collection, materialization or test)")]
pub struct UnknownKind(pub String);

impl std::str::FromStr for Kind {
    type Err = UnknownKind;

    /// Parses `capture`, `collection`, `materialization` or `test` (or their plurals).
    fn from_str(s: &str) -> Result<Self, UnknownKind> {
        match s {
            "capture" | "captures" => Ok(Kind::Capture),
            "collection" | "collections" => Ok(Kind::Collection),
            "materialization" | "materializations" => Ok(Kind::Materialization),
            "test" | "tests" => Ok(Kind::Test),
            other => Err(UnknownKind(other.to_string())),
        }
    }
}

impl Kind {
    /// The catalog key holding specs of this kind, like `collections`.
    pub fn plural(self) -> &'static str {
        match self {
            Kind::Capture => "captures",
            Kind::Collection => "collections",
            Kind::Materialization => "materializations",
            Kind::Test => "tests",
        }
    }

    /// The entity's name in messages, like `collection`.
    pub fn singular(self) -> &'static str {
        match self {
            Kind::Capture => "capture",
            Kind::Collection => "collection",
            Kind::Materialization => "materialization",
            Kind::Test => "test",
        }
    }
}

/// Where the specs of a catalog came from: for each spec, the URL of its
/// file and the JSON pointer of its definition; for each value loaded from
/// a file of its own, that file; and the directories references resolve
/// against and may reach.
///
/// Specs made in code have no recorded origin; their scopes use the
/// catalog's [`Origins::base`] URL (default `flow://catalog`), and their
/// relative file references resolve against [`Origins::base_dir`], by
/// default the current directory.
///
/// ```
/// use flowspec::{Catalog, Kind};
/// let catalog = Catalog::default();
/// let scope = catalog.origins.scope(Kind::Collection, "acmeCo/x");
/// assert_eq!(scope.to_string(), "flow://catalog#/collections/acmeCo~1x");
/// ```
#[derive(Debug, Clone, Default)]
pub struct Origins {
    /// URL that the scopes of specs made in code use: `None` means
    /// `flow://catalog`. A loaded catalog has its root file's URL here, and
    /// the relative references of specs added to it in code resolve against
    /// it (unless [`Origins::base_dir`] is set).
    pub base: Option<String>,
    /// The `file://` URL of the directory (with a final `/`) that relative
    /// references of specs made in code resolve against. `None`: the
    /// directory of [`Origins::base`] when that is a `file://` URL, else the
    /// current directory at the time they are resolved.
    pub base_dir: Option<String>,
    /// The `file://` URL of the directory (with a final `/`) that file
    /// references are expected to stay in: a reference that resolves (after
    /// following symlinks) outside of it is warned about, or refused with
    /// [`Origins::deny_outside_root`]. `None`: the directory references of
    /// specs made in code resolve against. [`crate::load::load`] sets the
    /// project root, as `flowctl generate` finds it.
    pub root: Option<String>,
    /// Refuse to read files outside of [`Origins::root`] rather than warn.
    pub deny_outside_root: bool,
    /// The scope of each loaded spec.
    pub specs: BTreeMap<(Kind, String), Scope>,
    /// Import edges between loaded catalog files: (importing URL, imported URL).
    pub imports: std::collections::BTreeSet<(String, String)>,
    /// The values that were loaded from a file of their own (a schema file,
    /// a config file, SQL or TypeScript…), by spec and by the JSON pointer of
    /// their slot within the spec ([`crate::Slots`]). Writing the catalog
    /// refers to the file again instead of inlining the value, as long as
    /// the value is unchanged.
    pub files: BTreeMap<(Kind, String, String), FileOrigin>,
}

/// The file a value was loaded from, and what it held then.
///
/// ```
/// use flowspec::{FileOrigin, SlotValue};
/// let value = serde_json::json!({"host": "db"});
/// let origin = FileOrigin::new("pg.config.yaml", "file:///p/pg.config.yaml", SlotValue::Value(&value));
/// assert!(origin.holds(SlotValue::Value(&value)));
/// assert!(!origin.holds(SlotValue::Value(&serde_json::json!({"host": "other"}))));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileOrigin {
    /// The reference as it was written (`pg.config.yaml`), relative to the
    /// spec's file.
    pub reference: String,
    /// The file's absolute URL.
    pub url: String,
    /// A digest of the value as loaded, to tell whether it changed since.
    digest: u64,
}

impl FileOrigin {
    /// The origin of a slot's `value`, loaded from `url`, which the spec
    /// referred to as `reference`.
    pub fn new(
        reference: impl Into<String>,
        url: impl Into<String>,
        value: crate::SlotValue<'_>,
    ) -> Self {
        Self {
            reference: reference.into(),
            url: url.into(),
            digest: digest_slot(value),
        }
    }

    /// Whether a slot still holds the value loaded from the file.
    pub fn holds(&self, value: crate::SlotValue<'_>) -> bool {
        self.digest == digest_slot(value)
    }
}

fn digest_bytes(bytes: &[u8]) -> u64 {
    use std::hash::{Hash, Hasher};
    // SipHash with fixed keys: digests are compared within one process.
    #[allow(deprecated)]
    let mut hasher = std::hash::SipHasher::new();
    bytes.hash(&mut hasher);
    hasher.finish()
}

fn digest_value(value: &serde_json::Value) -> u64 {
    digest_bytes(value.to_string().as_bytes())
}

fn digest_slot(value: crate::SlotValue<'_>) -> u64 {
    use crate::SlotValue;
    match value {
        SlotValue::Value(v) => digest_value(v),
        SlotValue::Schema(s) => match s.inline_json() {
            Some(text) => digest_bytes(text.as_bytes()),
            None => digest_value(&s.to_value()),
        },
        SlotValue::Documents(d) => match d {
            crate::TestDocuments::Inline(docs) => digest_bytes(
                serde_json::to_string(docs)
                    .expect("documents are JSON")
                    .as_bytes(),
            ),
            crate::TestDocuments::Url(url) => digest_value(&serde_json::Value::String(url.clone())),
        },
    }
}

/// The base URL of specs made in code.
pub const DEFAULT_BASE: &str = "flow://catalog";

impl Origins {
    /// The scope of a spec: where it was loaded from, or its place under
    /// the base URL.
    pub fn scope(&self, kind: Kind, name: &str) -> Scope {
        match self.specs.get(&(kind, name.to_string())) {
            Some(scope) => scope.clone(),
            None => Scope::new(self.base.as_deref().unwrap_or(DEFAULT_BASE))
                .push(kind.plural())
                .push(name),
        }
    }

    /// Records where a spec was defined.
    pub fn record(&mut self, kind: Kind, name: &str, scope: Scope) {
        self.specs.insert((kind, name.to_string()), scope);
    }

    /// The file a slot's value was loaded from, if it was.
    pub fn file(&self, kind: Kind, name: &str, pointer: &str) -> Option<&FileOrigin> {
        if self.files.is_empty() {
            return None; // A catalog made in code, most often.
        }
        self.files
            .get(&(kind, name.to_string(), pointer.to_string()))
    }
}

impl PartialEq for Origins {
    /// Origins are bookkeeping, so they never make two catalogs differ.
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

/// One edge between specs: `from` reads from or writes to `to`, at
/// `pointer` inside `from`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Edge {
    /// The spec that reads or writes.
    pub from: (Kind, String),
    /// The collection it reads or writes.
    pub to: String,
    /// Whether it writes (a capture) rather than reads.
    pub writes: bool,
    /// Where, inside `from`.
    pub pointer: String,
}

impl Catalog {
    /// What each spec of the catalog reads from and writes to: captures write
    /// their bindings' targets, derivations read their transforms' sources,
    /// materializations read their bindings' sources.
    ///
    /// ```
    /// use flowspec::Kind;
    /// let catalog: flowspec::Catalog = serde_json::from_value(serde_json::json!({"materializations": {"acmeCo/m": {
    ///     "endpoint": {"connector": {"image": "ghcr.io/estuary/materialize-x:v1", "config": {}}},
    ///     "bindings": [{"resource": {}, "source": "acmeCo/anvils"}]
    /// }}})).unwrap();
    /// let found = catalog.edges();
    /// assert_eq!((found[0].to.as_str(), found[0].writes, found[0].pointer.as_str()), ("acmeCo/anvils", false, "/bindings/0/source"));
    /// assert_eq!(found[0].from, (Kind::Materialization, "acmeCo/m".to_string()));
    /// ```
    pub fn edges(&self) -> Vec<Edge> {
        let mut out = Vec::new();
        for (name, def) in &self.captures {
            for (i, binding) in def.bindings.iter().enumerate() {
                out.push(Edge {
                    from: (Kind::Capture, name.as_str().to_string()),
                    to: binding.target.as_str().to_string(),
                    writes: true,
                    pointer: format!("/bindings/{i}/target"),
                });
            }
        }
        for (name, def) in &self.collections {
            if let Some(derive) = &def.derive {
                for (i, transform) in derive.transforms.iter().enumerate() {
                    out.push(Edge {
                        from: (Kind::Collection, name.as_str().to_string()),
                        to: transform.source.collection().as_str().to_string(),
                        writes: false,
                        pointer: format!("/derive/transforms/{i}/source"),
                    });
                }
            }
        }
        for (name, def) in &self.materializations {
            for (i, binding) in def.bindings.iter().enumerate() {
                out.push(Edge {
                    from: (Kind::Materialization, name.as_str().to_string()),
                    to: binding.source.collection().as_str().to_string(),
                    writes: false,
                    pointer: format!("/bindings/{i}/source"),
                });
            }
        }
        out
    }

    /// The number of specs.
    pub fn len(&self) -> usize {
        self.captures.len()
            + self.collections.len()
            + self.materializations.len()
            + self.tests.len()
    }

    /// Whether the catalog holds no spec.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The JSON schema of catalog files (draft 2020-12), as `flowspec schema` prints it.
    ///
    /// ```
    /// let schema = flowspec::Catalog::json_schema();
    /// assert_eq!(schema["title"], "Flow catalog");
    /// ```
    pub fn json_schema() -> serde_json::Value {
        super::json_schema::catalog_schema()
    }
}
