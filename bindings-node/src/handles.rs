//! Handles: what the DSL methods return, to add bindings, transforms and
//! test steps, and to read or replace their spec. Methods that add return
//! the handle itself, so calls chain.
//!
//! A handle holds the catalog and a name; it sees every change made to the
//! catalog, and fails with `reference_undefined` once its spec is removed.

use napi::bindgen_prelude::This;
use napi::{Env, Unknown};
use napi_derive::napi;

use crate::catalog::Shared;
use crate::convert;
use crate::error::{run, Outcome};
use crate::specs;

type Add = fn(&mut flowspec::Catalog, &str, serde_json::Value) -> flowspec::Result<()>;

/// Converts `options` and adds them to the spec `name` with `add`.
fn add(
    env: &Env,
    catalog: &Shared,
    subject: String,
    name: &str,
    options: &Unknown,
    add: Add,
) -> Outcome<()> {
    let options = convert::options(env, Some(options), &subject)?;
    add(&mut catalog.borrow_mut(), name, options)?;
    Ok(())
}

/// The spec of a handle, which must exist.
fn spec<'env>(
    env: &'env Env,
    catalog: &Shared,
    kind: flowspec::Kind,
    name: &str,
) -> Outcome<Unknown<'env>> {
    specs::get(env, catalog, kind, name)?.ok_or_else(|| {
        flowspec::Error::NotDefined {
            kind,
            name: name.to_string(),
        }
        .into()
    })
}

/// The members every handle has: `name`, `spec`, `remove()`, `toString()`
/// and what `util.inspect` shows (the name, never the spec, whose config
/// may hold secrets).
macro_rules! handle {
    ($class:ident, $kind:expr, $label:tt, $spec_type:tt) => {
        impl $class {
            pub(crate) fn new(catalog: &Shared, name: String) -> Self {
                Self {
                    catalog: catalog.clone(),
                    name,
                }
            }
        }

        #[napi]
        impl $class {
            /// The name of the spec.
            ///
            /// ```ts
            /// const name: string = handle.name;
            /// ```
            #[napi(getter)]
            pub fn name(&self) -> String {
                self.name.clone()
            }

            /// The spec, as in `flow.yaml` (a copy). Assign a changed spec
            /// to replace it in the catalog.
            ///
            /// ```ts
            /// const spec = handle.spec;
            /// handle.spec = { ...spec };
            /// ```
            #[napi(getter, ts_return_type = $spec_type)]
            pub fn spec<'env>(&self, env: &'env Env) -> napi::Result<Unknown<'env>> {
                run(env, || spec(env, &self.catalog, $kind, &self.name))
            }

            /// Replaces the spec in the catalog.
            ///
            /// ```ts
            /// handle.spec = { ...handle.spec };
            /// ```
            #[napi(setter, js_name = "spec")]
            pub fn set_spec(
                &self,
                env: &Env,
                #[napi(ts_arg_type = $spec_type)] spec: Unknown,
            ) -> napi::Result<()> {
                run(env, || {
                    specs::set(env, &self.catalog, $kind, &self.name, &spec)
                })
            }

            /// Removes the spec from the catalog; returns whether it was there.
            ///
            /// ```ts
            /// handle.remove();
            /// ```
            #[napi]
            pub fn remove(&self, env: &Env) -> napi::Result<bool> {
                run(env, || {
                    Ok(flowspec::json_api::remove(
                        &mut self.catalog.borrow_mut(),
                        $kind,
                        &self.name,
                    ))
                })
            }

            /// The kind and name, like `capture acmeCo/source`.
            ///
            /// ```ts
            /// String(handle);
            /// ```
            #[napi(js_name = "toString")]
            pub fn describe(&self) -> String {
                format!("{} {}", $label, self.name)
            }

            /// What `util.inspect` and `console.log` show: the class and
            /// the name, never the spec.
            ///
            /// ```ts
            /// console.log(handle); // Capture { name: 'acmeCo/source' }
            /// ```
            #[napi(symbol_for = "nodejs.util.inspect.custom")]
            pub fn inspect(&self) -> String {
                // Names cannot hold quotes or backslashes.
                format!("{} {{ name: '{}' }}", stringify!($class), self.name)
            }
        }
    };
}

/// A capture of a catalog, as `Catalog.capture` returns it.
///
/// ```ts
/// const stripe: Capture = cat.capture("acmeCo/source-stripe", { image, config });
/// stripe.binding({ resource: { stream: "charges" }, target: "acmeCo/charges" });
/// ```
#[napi]
pub struct Capture {
    catalog: Shared,
    name: String,
}

handle!(Capture, flowspec::Kind::Capture, "capture", "CaptureDef");

#[napi]
impl Capture {
    /// Adds a binding: an endpoint `resource` captured into the `target`
    /// collection. Returns this capture, for chaining.
    ///
    /// ```ts
    /// cat.capture("acmeCo/source-stripe", { image, config })
    ///   .binding({ resource: { stream: "charges", syncMode: "incremental" }, target: "acmeCo/charges" })
    ///   .binding({ resource: { stream: "plans", syncMode: "full_refresh" }, target: "acmeCo/plans" });
    /// ```
    #[napi(ts_return_type = "this")]
    pub fn binding<'a>(
        &self,
        env: &Env,
        this: This<'a>,
        #[napi(ts_arg_type = "CaptureBinding")] options: Unknown,
    ) -> napi::Result<This<'a>> {
        run(env, || {
            let subject = format!("capture {} binding", self.name);
            add(
                env,
                &self.catalog,
                subject,
                &self.name,
                &options,
                flowspec::json_api::capture_binding,
            )?;
            Ok(this)
        })
    }
}

/// A collection of a catalog, as `Catalog.collection` returns it.
///
/// ```ts
/// const orders: Collection = cat.collection("acmeCo/orders", { schema, key: ["/id"] });
/// ```
#[napi]
pub struct Collection {
    catalog: Shared,
    name: String,
}

handle!(
    Collection,
    flowspec::Kind::Collection,
    "collection",
    "CollectionDef"
);

/// A derivation of a catalog, as `Catalog.derivation` returns it.
///
/// ```ts
/// const d: Derivation = cat.derivation("acmeCo/totals", { schema, key: ["/id"], sqlite: [] });
/// d.transform({ name: "fromItems", source: "acmeCo/items", shuffle: ["/id"], lambda: "SELECT $id;" });
/// ```
#[napi]
pub struct Derivation {
    catalog: Shared,
    name: String,
}

handle!(
    Derivation,
    flowspec::Kind::Collection,
    "derivation",
    "CollectionDef"
);

#[napi]
impl Derivation {
    /// Adds a transform: documents of `source`, shuffled by `shuffle`,
    /// through `lambda`. Returns this derivation, for chaining.
    ///
    /// ```ts
    /// d.transform({ name: "fromOrders", source: "acmeCo/orders", shuffle: ["/customer_id"] })
    ///  .transform({ name: "fromCustomers", source: "acmeCo/customers", shuffle: ["/customer_id"] });
    /// ```
    #[napi(ts_return_type = "this")]
    pub fn transform<'a>(
        &self,
        env: &Env,
        this: This<'a>,
        #[napi(ts_arg_type = "TransformOptions")] options: Unknown,
    ) -> napi::Result<This<'a>> {
        run(env, || {
            let subject = format!("derivation {} transform", self.name);
            add(
                env,
                &self.catalog,
                subject,
                &self.name,
                &options,
                flowspec::json_api::transform,
            )?;
            Ok(this)
        })
    }
}

/// A materialization of a catalog, as `Catalog.materialization` returns it.
///
/// ```ts
/// const m: Materialization = cat.materialization("acmeCo/to-snowflake", { image, config });
/// m.binding({ resource: { table: "orders" }, source: "acmeCo/orders" });
/// ```
#[napi]
pub struct Materialization {
    catalog: Shared,
    name: String,
}

handle!(
    Materialization,
    flowspec::Kind::Materialization,
    "materialization",
    "MaterializationDef"
);

#[napi]
impl Materialization {
    /// Adds a binding: the `source` collection materialized into the
    /// endpoint `resource`. Returns this materialization, for chaining.
    ///
    /// ```ts
    /// m.binding({ resource: { table: "shipments" }, source: "acmeCo/shipments", fields: { exclude: ["notes"] } });
    /// ```
    #[napi(ts_return_type = "this")]
    pub fn binding<'a>(
        &self,
        env: &Env,
        this: This<'a>,
        #[napi(ts_arg_type = "MaterializationBindingOptions")] options: Unknown,
    ) -> napi::Result<This<'a>> {
        run(env, || {
            let subject = format!("materialization {} binding", self.name);
            add(
                env,
                &self.catalog,
                subject,
                &self.name,
                &options,
                flowspec::json_api::materialization_binding,
            )?;
            Ok(this)
        })
    }
}

/// A test of a catalog, as `Catalog.test` returns it.
///
/// ```ts
/// const t: Test = cat.test("acmeCo/tests/totals");
/// t.ingest({ collection: "acmeCo/items", documents: [{ id: "1" }] }).verify({ collection: "acmeCo/totals", documents: [{ id: "1" }] });
/// ```
#[napi]
pub struct Test {
    catalog: Shared,
    name: String,
}

handle!(Test, flowspec::Kind::Test, "test", "TestDef");

#[napi]
impl Test {
    /// Adds a step that ingests `documents` into `collection`. Returns this
    /// test, for chaining.
    ///
    /// ```ts
    /// t.ingest({ collection: "acmeCo/line-items", documents: [{ id: "1", price: 499, sales_tax: 25 }] });
    /// ```
    #[napi(ts_return_type = "this")]
    pub fn ingest<'a>(
        &self,
        env: &Env,
        this: This<'a>,
        #[napi(ts_arg_type = "IngestOptions")] options: Unknown,
    ) -> napi::Result<This<'a>> {
        run(env, || {
            let subject = format!("test {} ingest", self.name);
            add(
                env,
                &self.catalog,
                subject,
                &self.name,
                &options,
                flowspec::json_api::ingest,
            )?;
            Ok(this)
        })
    }

    /// Adds a step that verifies `collection` holds `documents` (in key
    /// order). Returns this test, for chaining.
    ///
    /// ```ts
    /// t.verify({ collection: "acmeCo/line-item-totals", documents: [{ id: "1", total: "$5.24" }] });
    /// ```
    #[napi(ts_return_type = "this")]
    pub fn verify<'a>(
        &self,
        env: &Env,
        this: This<'a>,
        #[napi(ts_arg_type = "VerifyOptions")] options: Unknown,
    ) -> napi::Result<This<'a>> {
        run(env, || {
            let subject = format!("test {} verify", self.name);
            add(
                env,
                &self.catalog,
                subject,
                &self.name,
                &options,
                flowspec::json_api::verify,
            )?;
            Ok(this)
        })
    }
}
