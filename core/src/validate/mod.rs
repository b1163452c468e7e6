//! Offline validation: every rule that needs neither a connector nor the
//! control plane.
//!
//! [`validate`] checks a [`Catalog`] as Estuary's validator would before
//! asking connectors: names and their collisions, collection schemas, keys
//! and projections (partitions must be required), partition selectors,
//! derivation transforms and their shuffles, capture and materialization
//! bindings, field selections, test documents, connector images and
//! redaction salts, references between specs (with "did you mean"
//! suggestions) and, as a lint, references across files that do not import
//! each other. It also checks what Estuary's data plane would refuse later:
//! names too long for journals, shard ids or the split layout's files, and
//! journal and shard settings out of Gazette's ranges.
//!
//! Each problem is a [`Diagnostic`] whose scope is the URL of the spec's
//! file plus a JSON pointer to the offending value, whose message names the
//! entity and the value, and whose code is one of [`crate::codes`].
//!
//! Schemas are expected inline (objects or booleans, possibly bundled with
//! embedded `$id` resources under `$defs`); a schema still given as a URL
//! gets one warning and the checks that need it are skipped. Each distinct
//! schema is compiled once, however many collections share it.
//!
//! ```
//! use flowspec::{validate::validate, Catalog};
//! let catalog: Catalog = serde_json::from_value(serde_json::json!({
//!     "collections": {"acmeCo/orders": {
//!         "schema": {"type": "object", "properties": {"id": {"type": "object"}}, "required": ["id"]},
//!         "key": ["/id"],
//!     }}
//! })).unwrap();
//! let diagnostics = validate(&catalog);
//! assert_eq!(diagnostics[0].scope, "flow://catalog#/collections/acmeCo~1orders/key/0");
//! assert_eq!(diagnostics[0].code, "key_wrong_type");
//! ```

mod capture;
mod collection;
mod derivation;
mod imports;
pub(crate) mod index;
mod limits;
mod materialization;
mod names;
mod nesting;
mod objects;
mod order;
pub(crate) mod projection;
mod reduce;
mod resource;
pub(crate) mod schema;
mod selector;
pub mod shape;
mod suggest;
mod task;
mod test_step;
mod types;
mod wellformed;

#[cfg(test)]
mod example_tests;
#[cfg(test)]
mod testing;

pub use shape::{Exists, Reduction, Shape, Strategy};
pub use types::Types;

use rustc_hash as fx;

use crate::{Catalog, Diagnostic, Kind, Scope};

/// Validates `catalog` offline, returning every problem found: errors and
/// warnings, sorted by scope, then code, then message.
///
/// ```
/// use flowspec::{validate::validate, Catalog};
/// let catalog: Catalog = serde_json::from_value(serde_json::json!({
///     "collections": {
///         "acmeCo/orders": {
///             "schema": {"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]},
///             "key": ["/id"]
///         }
///     },
///     "captures": {
///         "acmeCo/source-orders": {
///             "endpoint": {"connector": {"image": "ghcr.io/estuary/source-postgres:dev", "config": {}}},
///             "bindings": [{"resource": {"table": "orders"}, "target": "acmeCo/ordrs"}]
///         }
///     }
/// })).unwrap();
/// let diagnostics = validate(&catalog);
/// assert_eq!(diagnostics.len(), 1);
/// assert_eq!(diagnostics[0].scope, "flow://catalog#/captures/acmeCo~1source-orders/bindings/0/target");
/// assert_eq!(
///     diagnostics[0].message,
///     "capture acmeCo/source-orders: collection acmeCo/ordrs, referenced by this capture \
///      binding, is not defined; did you mean acmeCo/orders defined at flow://catalog#/collections/acmeCo~1orders ?"
/// );
/// ```
pub fn validate(catalog: &Catalog) -> Vec<Diagnostic> {
    let mut ctx = Ctx::new(catalog);
    names::check(&mut ctx);
    limits::name_parts(&mut ctx);
    ctx.schemas
        .precompile(catalog.collections.values().flat_map(collection::schemas));
    for (name, def) in &catalog.collections {
        collection::check(&mut ctx, name, def);
    }
    for (name, def) in &catalog.collections {
        if let (Some(derive), false) = (&def.derive, def.delete) {
            derivation::check(&mut ctx, name, derive);
        }
    }
    for (name, def) in &catalog.captures {
        capture::check(&mut ctx, name, def);
    }
    for (name, def) in &catalog.materializations {
        materialization::check(&mut ctx, name, def);
    }
    for (name, def) in &catalog.tests {
        test_step::check(&mut ctx, name, def);
    }
    ctx.out.extend(crate::secrets::unencrypted_configs(catalog));
    ctx.out.extend(crate::secrets::misplaced_secrets(catalog));
    ctx.out.extend(nesting::too_deep(catalog));
    objects::check(&mut ctx, catalog);
    let mut out = ctx.out;
    sort(&mut out);
    out
}

/// `message` beginning with the entity its scope is in, as `collection
/// acmeCo/x: …`, unless it already does: every diagnostic names the spec it
/// is about, not only in its scope URL. The entity is read from the scope's
/// JSON pointer (`/collections/acmeCo~1x/…`).
fn entity_first(scope: &Scope, message: String) -> String {
    let mut tokens = scope.pointer.split('/').skip(1);
    let (Some(section), Some(name)) = (tokens.next(), tokens.next()) else {
        return message;
    };
    let kind = match section {
        "captures" => "capture",
        "collections" => "collection",
        "materializations" => "materialization",
        "tests" => "test",
        _ => return message,
    };
    let name = name.replace("~1", "/").replace("~0", "~");
    let prefix = format!("{kind} {name}");
    if message.starts_with(&prefix) || message.starts_with(&format!("derivation {name}")) {
        message
    } else {
        format!("{prefix}: {message}")
    }
}

/// Sorts diagnostics by scope, then code, then message, and drops repeats.
pub(crate) fn sort(out: &mut Vec<Diagnostic>) {
    out.sort_by(|a, b| {
        (&a.scope, &a.code, &a.message, a.severity)
            .cmp(&(&b.scope, &b.code, &b.message, b.severity))
    });
    out.dedup();
}

/// State shared by the checks of one catalog.
pub(crate) struct Ctx<'a> {
    pub catalog: &'a Catalog,
    pub out: Vec<Diagnostic>,
    pub schemas: schema::Cache<'a>,
    pub collections: fx::FxHashMap<&'a str, std::rc::Rc<collection::Info<'a>>>,
    pub suggest: suggest::Suggest,
    pub imports: imports::Imports,
}

impl<'a> Ctx<'a> {
    fn new(catalog: &'a Catalog) -> Self {
        Ctx {
            catalog,
            out: Vec::new(),
            schemas: schema::Cache::default(),
            collections: fx::FxHashMap::with_capacity_and_hasher(
                catalog.collections.len(),
                Default::default(),
            ),
            suggest: suggest::Suggest::default(),
            imports: imports::Imports::new(&catalog.origins),
        }
    }

    /// The scope of a spec.
    pub fn scope(&self, kind: Kind, name: &str) -> Scope {
        self.catalog.origins.scope(kind, name)
    }

    /// Records an error. Its message begins with the entity it is about
    /// (see [`entity_first`]).
    pub fn error(&mut self, scope: &Scope, code: &'static str, message: impl Into<String>) {
        let message = entity_first(scope, message.into());
        self.out.push(scope.diagnostic(code, message));
    }

    /// Records a warning, as [`Ctx::error`] does.
    pub fn warning(&mut self, scope: &Scope, code: &'static str, message: impl Into<String>) {
        let message = entity_first(scope, message.into());
        self.out.push(scope.diagnostic(code, message).warning());
    }
}
