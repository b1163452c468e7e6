//! The slots of a spec: every place that holds an opaque value which may be
//! written inline or as a reference to a file — endpoint and derivation
//! connector configs, binding resources, schemas, SQLite migrations,
//! TypeScript and Python modules, transform and shuffle lambdas, and test
//! documents — each with its JSON pointer within the spec.
//!
//! Loading, writing, validation and secrets all walk a catalog's slots
//! through [`Slots`], so a new slot is added in one place.
//!
//! ```
//! use flowspec::{Catalog, Kind, Slot};
//! let catalog: Catalog = serde_json::from_value(serde_json::json!({
//!     "captures": {"acmeCo/source": {
//!         "endpoint": {"connector": {"image": "ghcr.io/estuary/source-x:v1", "config": "source.config.yaml"}},
//!         "bindings": [{"resource": {"table": "orders"}, "target": "acmeCo/orders"}]
//!     }}
//! })).unwrap();
//! let mut found = Vec::new();
//! catalog.for_each_slot(|kind, name, slot, pointer, _| found.push((kind, name.to_string(), slot, pointer.to_string())));
//! assert_eq!(found, [
//!     (Kind::Capture, "acmeCo/source".to_string(), Slot::Config, "/endpoint/connector/config".to_string()),
//!     (Kind::Capture, "acmeCo/source".to_string(), Slot::Resource(0), "/bindings/0/resource".to_string()),
//! ]);
//! ```

use serde_json::Value;

use super::{
    CaptureDef, Catalog, CollectionDef, DeriveUsing, Kind, MaterializationDef, Schema, Shuffle,
    TestDef, TestDocuments, TestStep,
};

/// What a slot is, with the index or name that places it in its spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Slot<'a> {
    /// The config of a capture or materialization endpoint, or of a
    /// derivation's connector or local command.
    Config,
    /// The resource of the binding at this index.
    Resource(usize),
    /// A collection's `schema`.
    Schema,
    /// A collection's `writeSchema`.
    WriteSchema,
    /// A collection's `readSchema`.
    ReadSchema,
    /// The SQLite migration at this index.
    Migration(usize),
    /// A TypeScript (`ts`) or Python (`py`) module, by extension.
    Module(&'static str),
    /// The lambda of the named transform; `sql` for a SQLite derivation.
    Lambda {
        /// The transform's name.
        transform: &'a str,
        /// Whether the derivation is SQLite (its lambdas are SQL text).
        sql: bool,
    },
    /// The shuffle lambda of the named transform.
    ShuffleLambda {
        /// The transform's name.
        transform: &'a str,
        /// Whether the derivation is SQLite.
        sql: bool,
    },
    /// The documents of the test step at this index.
    Documents(usize),
}

impl Slot<'_> {
    /// Whether a file this slot refers to holds text (SQL, TypeScript,
    /// Python) rather than a YAML or JSON document; such files are read as
    /// text whatever their extension.
    ///
    /// ```
    /// assert!(flowspec::Slot::Migration(0).is_text());
    /// assert!(!flowspec::Slot::Config.is_text());
    /// ```
    pub fn is_text(&self) -> bool {
        match self {
            Slot::Migration(_) | Slot::Module(_) => true,
            Slot::Lambda { sql, .. } | Slot::ShuffleLambda { sql, .. } => *sql,
            _ => false,
        }
    }

    /// Whether the slot holds a schema.
    pub fn is_schema(&self) -> bool {
        matches!(self, Slot::Schema | Slot::WriteSchema | Slot::ReadSchema)
    }
}

/// The URL of a file, if `value` (in a config, resource, migration,
/// module or lambda slot) is a reference to one: a non-empty string
/// without whitespace, by flowctl's rule.
///
/// ```
/// use serde_json::json;
/// assert_eq!(flowspec::file_reference(&json!("source.config.yaml")), Some("source.config.yaml"));
/// assert_eq!(flowspec::file_reference(&json!("SELECT 1;")), None);
/// assert_eq!(flowspec::file_reference(&json!({"host": "db"})), None);
/// ```
pub fn file_reference(value: &Value) -> Option<&str> {
    match value {
        Value::String(s) if !s.is_empty() && !s.chars().any(char::is_whitespace) => Some(s),
        _ => None,
    }
}

/// The value in a slot.
#[derive(Debug, Clone, Copy)]
pub enum SlotValue<'a> {
    /// A config, resource, migration, module or lambda: a JSON value, where
    /// a string without whitespace is the URL of a file.
    Value(&'a Value),
    /// A schema.
    Schema(&'a Schema),
    /// Test documents.
    Documents(&'a TestDocuments),
}

/// The value in a slot, mutably.
#[derive(Debug)]
pub enum SlotValueMut<'a> {
    /// See [`SlotValue::Value`].
    Value(&'a mut Value),
    /// See [`SlotValue::Schema`].
    Schema(&'a mut Schema),
    /// See [`SlotValue::Documents`].
    Documents(&'a mut TestDocuments),
}

/// A spec whose slots can be walked, in document order.
pub trait Slots {
    /// Calls `f` with each slot, its JSON pointer within the spec, and its value.
    fn for_each_slot<'a>(&'a self, f: &mut dyn FnMut(Slot<'a>, &str, SlotValue<'a>));
    /// Calls `f` with each slot, its JSON pointer within the spec, and its
    /// value, mutably.
    fn for_each_slot_mut(&mut self, f: &mut dyn FnMut(Slot<'_>, &str, SlotValueMut<'_>));
}

fn pointer_at(prefix: &str, index: usize, suffix: &str) -> String {
    format!("{prefix}/{index}{suffix}")
}

fn step_pointer(index: usize, step: &TestStep) -> String {
    let verb = match step {
        TestStep::Ingest(_) => "ingest",
        TestStep::Verify(_) => "verify",
    };
    format!("/steps/{index}/{verb}/documents")
}

// Each walk is written once, for both `&` and `&mut`: `$V` is `SlotValue`
// or `SlotValueMut`, and `$m` is `mut` or nothing.

/// The slots of a capture or materialization: its endpoint's config, then
/// each binding's resource.
macro_rules! walk_endpoint_and_bindings {
    ($spec:expr, $f:ident, $V:ident, $config:ident $(, $m:tt)?) => {{
        let pointer = $spec.endpoint.config_pointer();
        $f(Slot::Config, pointer, $V::Value($spec.endpoint.$config()));
        for (i, b) in (& $($m)? $spec.bindings).into_iter().enumerate() {
            let pointer = pointer_at("/bindings", i, "/resource");
            $f(Slot::Resource(i), &pointer, $V::Value(& $($m)? b.resource));
        }
    }};
}

/// The slots of a collection: its schemas and, for a derivation, its
/// connector's config, migrations or module, and each transform's lambdas.
macro_rules! walk_collection {
    ($spec:expr, $f:ident, $V:ident $(, $m:tt)?) => {{
        let schemas = [& $($m)? $spec.schema, & $($m)? $spec.write_schema, & $($m)? $spec.read_schema];
        for ((slot, pointer), schema) in SCHEMAS.into_iter().zip(schemas) {
            if let Some(schema) = schema {
                $f(slot, pointer, $V::Schema(schema));
            }
        }
        if let Some(derive) = & $($m)? $spec.derive {
            let sql = matches!(derive.using, DeriveUsing::Sqlite(_));
            match & $($m)? derive.using {
                DeriveUsing::Connector(c) => {
                    $f(Slot::Config, "/derive/using/connector/config", $V::Value(& $($m)? c.config))
                }
                DeriveUsing::Local(l) => {
                    $f(Slot::Config, "/derive/using/local/config", $V::Value(& $($m)? l.config))
                }
                DeriveUsing::Sqlite(s) => {
                    for (i, m) in (& $($m)? s.migrations).into_iter().enumerate() {
                        let pointer = pointer_at("/derive/using/sqlite/migrations", i, "");
                        $f(Slot::Migration(i), &pointer, $V::Value(m));
                    }
                }
                DeriveUsing::Typescript(t) => $f(
                    Slot::Module("ts"),
                    "/derive/using/typescript/module",
                    $V::Value(& $($m)? t.module),
                ),
                DeriveUsing::Python(p) => $f(
                    Slot::Module("py"),
                    "/derive/using/python/module",
                    $V::Value(& $($m)? p.module),
                ),
            }
            for (i, t) in (& $($m)? derive.transforms).into_iter().enumerate() {
                let transform = t.name.as_str();
                if let Some(lambda) = & $($m)? t.lambda {
                    let pointer = pointer_at("/derive/transforms", i, "/lambda");
                    $f(Slot::Lambda { transform, sql }, &pointer, $V::Value(lambda));
                }
                if let Some(Shuffle::Lambda(lambda)) = & $($m)? t.shuffle {
                    let pointer = pointer_at("/derive/transforms", i, "/shuffle/lambda");
                    $f(Slot::ShuffleLambda { transform, sql }, &pointer, $V::Value(lambda));
                }
            }
        }
    }};
}

/// The slots of a test: each step's documents.
macro_rules! walk_test {
    ($spec:expr, $f:ident, $V:ident, $documents:ident $(, $m:tt)?) => {{
        for (i, step) in (& $($m)? $spec.steps).into_iter().enumerate() {
            let pointer = step_pointer(i, step);
            $f(Slot::Documents(i), &pointer, $V::Documents(step.$documents()));
        }
    }};
}

const SCHEMAS: [(Slot<'static>, &str); 3] = [
    (Slot::Schema, "/schema"),
    (Slot::WriteSchema, "/writeSchema"),
    (Slot::ReadSchema, "/readSchema"),
];

impl Slots for CaptureDef {
    fn for_each_slot<'a>(&'a self, f: &mut dyn FnMut(Slot<'a>, &str, SlotValue<'a>)) {
        walk_endpoint_and_bindings!(self, f, SlotValue, config)
    }

    fn for_each_slot_mut(&mut self, f: &mut dyn FnMut(Slot<'_>, &str, SlotValueMut<'_>)) {
        walk_endpoint_and_bindings!(self, f, SlotValueMut, config_mut, mut)
    }
}

impl Slots for MaterializationDef {
    fn for_each_slot<'a>(&'a self, f: &mut dyn FnMut(Slot<'a>, &str, SlotValue<'a>)) {
        walk_endpoint_and_bindings!(self, f, SlotValue, config)
    }

    fn for_each_slot_mut(&mut self, f: &mut dyn FnMut(Slot<'_>, &str, SlotValueMut<'_>)) {
        walk_endpoint_and_bindings!(self, f, SlotValueMut, config_mut, mut)
    }
}

impl Slots for CollectionDef {
    fn for_each_slot<'a>(&'a self, f: &mut dyn FnMut(Slot<'a>, &str, SlotValue<'a>)) {
        walk_collection!(self, f, SlotValue)
    }

    fn for_each_slot_mut(&mut self, f: &mut dyn FnMut(Slot<'_>, &str, SlotValueMut<'_>)) {
        walk_collection!(self, f, SlotValueMut, mut)
    }
}

impl Slots for TestDef {
    fn for_each_slot<'a>(&'a self, f: &mut dyn FnMut(Slot<'a>, &str, SlotValue<'a>)) {
        walk_test!(self, f, SlotValue, documents)
    }

    fn for_each_slot_mut(&mut self, f: &mut dyn FnMut(Slot<'_>, &str, SlotValueMut<'_>)) {
        walk_test!(self, f, SlotValueMut, documents_mut, mut)
    }
}

impl Catalog {
    /// Calls `f` with every slot of every spec: the spec's kind and name,
    /// the slot, its JSON pointer within the spec, and its value. Specs
    /// come kind by kind (captures, collections, materializations, tests),
    /// each kind in name order.
    pub fn for_each_slot<'a>(
        &'a self,
        mut f: impl FnMut(Kind, &'a str, Slot<'a>, &str, SlotValue<'a>),
    ) {
        for (name, spec) in &self.captures {
            spec.for_each_slot(&mut |s, p, v| f(Kind::Capture, name, s, p, v));
        }
        for (name, spec) in &self.collections {
            spec.for_each_slot(&mut |s, p, v| f(Kind::Collection, name, s, p, v));
        }
        for (name, spec) in &self.materializations {
            spec.for_each_slot(&mut |s, p, v| f(Kind::Materialization, name, s, p, v));
        }
        for (name, spec) in &self.tests {
            spec.for_each_slot(&mut |s, p, v| f(Kind::Test, name, s, p, v));
        }
    }

    /// Calls `f` with every slot of every spec, mutably (see
    /// [`Catalog::for_each_slot`]).
    ///
    /// ```
    /// use flowspec::{Catalog, SlotValueMut};
    /// let mut catalog: Catalog = serde_json::from_value(serde_json::json!({
    ///     "captures": {"acmeCo/source": {
    ///         "endpoint": {"connector": {"image": "ghcr.io/estuary/source-x:v1", "config": {}}},
    ///         "bindings": []
    ///     }}
    /// })).unwrap();
    /// catalog.for_each_slot_mut(|_, _, _, _, value| {
    ///     if let SlotValueMut::Value(v) = value { *v = serde_json::json!({"host": "db"}) }
    /// });
    /// assert_eq!(catalog.captures["acmeCo/source"].endpoint.config()["host"], "db");
    /// ```
    pub fn for_each_slot_mut(
        &mut self,
        mut f: impl FnMut(Kind, &str, Slot<'_>, &str, SlotValueMut<'_>),
    ) {
        for (name, spec) in self.captures.iter_mut() {
            spec.for_each_slot_mut(&mut |s, p, v| f(Kind::Capture, name, s, p, v));
        }
        for (name, spec) in self.collections.iter_mut() {
            spec.for_each_slot_mut(&mut |s, p, v| f(Kind::Collection, name, s, p, v));
        }
        for (name, spec) in self.materializations.iter_mut() {
            spec.for_each_slot_mut(&mut |s, p, v| f(Kind::Materialization, name, s, p, v));
        }
        for (name, spec) in self.tests.iter_mut() {
            spec.for_each_slot_mut(&mut |s, p, v| f(Kind::Test, name, s, p, v));
        }
    }
}
