//! The binding's own types: the `Kind` of a spec, and the `Diagnostic`s
//! it returns.
//!
//! The types of option objects and specs are not here: they are generated
//! from the core's JSON schema (`flowspec::json_api::schema`) into
//! `dts-header.d.ts`, the header of the generated `index.d.ts`, since at
//! run time options are plain JSON that the core decodes into its own
//! types.

use napi_derive::napi;

/// The kinds of specs in a catalog.
///
/// ```ts
/// const kinds: Kind[] = ["capture", "collection", "materialization", "test"];
/// ```
#[allow(dead_code)] // declared for index.d.ts: kinds arrive as strings
#[napi(
    string_enum = "lowercase",
    object_from_js = false,
    object_to_js = false
)]
pub enum Kind {
    /// Captures.
    Capture,
    /// Collections and derivations.
    Collection,
    /// Materializations.
    Materialization,
    /// Tests.
    Test,
}

/// A diagnostic: one problem (or warning) found while loading or
/// validating a catalog.
///
/// `scope` is the file URL of the offending value plus a JSON pointer to it,
/// as Estuary reports it: `flow://catalog#/collections/acmeCo~1x/key/0` for
/// a catalog made in code, `file:///p/flow.yaml#/...` for a loaded one.
///
/// ```ts
/// const warnings: Diagnostic[] = cat.validate();
/// for (const d of warnings) console.warn(`${d.scope}: ${d.message} [${d.code}]`);
/// ```
#[napi(object)]
pub struct Diagnostic {
    /// File URL and JSON pointer of the offending value.
    pub scope: String,
    /// What is wrong, naming the entity and the value.
    pub message: String,
    /// The stable code of this kind of problem, like `key_empty`.
    pub code: String,
    /// `error` (the catalog is invalid) or `warning`.
    #[napi(ts_type = "'error' | 'warning'")]
    pub severity: String,
}
