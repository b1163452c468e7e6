//! The DSL: `capture`, `collection`, `derivation`, `materialization` and
//! `test` on a `Catalog`, each returning a handle to go on with.
//!
//! Options are converted to JSON and handed to `flowspec::json_api`, which
//! decodes and checks them; nothing is interpreted here.

use napi::{Env, Unknown};
use napi_derive::napi;

use crate::catalog::Catalog;
use crate::convert;
use crate::error::{run, Outcome};
use crate::handles::{Capture, Collection, Derivation, Materialization, Test};

type Add = fn(&mut flowspec::Catalog, &str, serde_json::Value) -> flowspec::Result<()>;

impl Catalog {
    /// Converts `name` and `options`, adds the spec with `add`, and returns
    /// its name.
    fn add(
        &self,
        env: &Env,
        kind: &str,
        name: &Unknown,
        options: Option<&Unknown>,
        add: Add,
    ) -> Outcome<String> {
        let name = convert::string(env, name, kind, "name")?;
        let options = convert::options(env, options, &format!("{kind} {name}"))?;
        add(&mut self.inner.borrow_mut(), &name, options)?;
        Ok(name)
    }
}

#[napi]
impl Catalog {
    /// Adds a capture: a connector (`image` and `config`, or `local`) and
    /// its bindings. Returns the capture's handle, whose `binding` adds
    /// bindings.
    ///
    /// Throws `invalid_name` for a bad name, `invalid_spec` for a bad or
    /// unknown option, `name_collision` for a capture that is already
    /// defined.
    ///
    /// ```ts
    /// cat.capture("acmeCo/ci-cd/source-stripe-native", {
    ///   image: "ghcr.io/estuary/source-stripe-native:dev",
    ///   config: { credentials: { access_token: "sk_test_..." } },
    /// }).binding({ resource: { stream: "charges", syncMode: "incremental" }, target: "acmeCo/ci-cd/stripe_charges" });
    /// ```
    #[napi]
    pub fn capture(
        &self,
        env: &Env,
        #[napi(ts_arg_type = "string")] name: Unknown,
        #[napi(ts_arg_type = "CaptureOptions")] options: Unknown,
    ) -> napi::Result<Capture> {
        run(env, || {
            let name = self.add(
                env,
                "capture",
                &name,
                Some(&options),
                flowspec::json_api::capture,
            )?;
            Ok(Capture::new(&self.inner, name))
        })
    }

    /// Adds a collection: a `schema` and a `key`. Returns its handle.
    ///
    /// ```ts
    /// cat.collection("acmeCo/ci-cd/stripe_charges", {
    ///   schema: { type: "object", required: ["id"], properties: { id: { type: "string" } } },
    ///   key: ["/id"],
    /// });
    /// ```
    #[napi]
    pub fn collection(
        &self,
        env: &Env,
        #[napi(ts_arg_type = "string")] name: Unknown,
        #[napi(ts_arg_type = "CollectionOptions")] options: Unknown,
    ) -> napi::Result<Collection> {
        run(env, || {
            let name = self.add(
                env,
                "collection",
                &name,
                Some(&options),
                flowspec::json_api::collection,
            )?;
            Ok(Collection::new(&self.inner, name))
        })
    }

    /// Adds a derivation: a collection (`schema`, `key`) derived by one
    /// runtime (`typescript`, `sqlite`, `python`, `connector` or `local`).
    /// Returns its handle, whose `transform` adds transforms.
    ///
    /// ```ts
    /// cat.derivation("acmeCo/customers-with-orders", { schema, key: ["/customer_id"], typescript: "full-outer-join.flow.ts" })
    ///   .transform({ name: "fromOrders", source: "acmeCo/join-collections/orders", shuffle: ["/customer_id"] });
    /// ```
    #[napi]
    pub fn derivation(
        &self,
        env: &Env,
        #[napi(ts_arg_type = "string")] name: Unknown,
        #[napi(ts_arg_type = "DerivationOptions")] options: Unknown,
    ) -> napi::Result<Derivation> {
        run(env, || {
            let name = self.add(
                env,
                "derivation",
                &name,
                Some(&options),
                flowspec::json_api::derivation,
            )?;
            Ok(Derivation::new(&self.inner, name))
        })
    }

    /// Adds a materialization: a connector (`image` and `config`, or
    /// `dekaf`, or `local`). Returns its handle, whose `binding` adds
    /// bindings.
    ///
    /// ```ts
    /// cat.materialization("acmeCo/ci-cd/materialize-snowflake", { image: "ghcr.io/estuary/materialize-snowflake:dev", config })
    ///   .binding({ resource: { table: "shipments" }, source: "acmeCo/ci-cd/postgres_shipments" });
    /// ```
    #[napi]
    pub fn materialization(
        &self,
        env: &Env,
        #[napi(ts_arg_type = "string")] name: Unknown,
        #[napi(ts_arg_type = "MaterializationOptions")] options: Unknown,
    ) -> napi::Result<Materialization> {
        run(env, || {
            let name = self.add(
                env,
                "materialization",
                &name,
                Some(&options),
                flowspec::json_api::materialization,
            )?;
            Ok(Materialization::new(&self.inner, name))
        })
    }

    /// Adds a test. Returns its handle, whose `ingest` and `verify` add
    /// steps, in order.
    ///
    /// ```ts
    /// cat.test("acmeCo/tests/example", { description: "Line items are totalled." })
    ///   .ingest({ collection: "acmeCo/line-items", documents: [{ id: "1", price: 499 }] })
    ///   .verify({ collection: "acmeCo/line-item-totals", documents: [{ id: "1", total: "$5.24" }] });
    /// ```
    #[napi]
    pub fn test(
        &self,
        env: &Env,
        #[napi(ts_arg_type = "string")] name: Unknown,
        #[napi(ts_arg_type = "TestOptions")] options: Option<Unknown>,
    ) -> napi::Result<Test> {
        run(env, || {
            let name = self.add(
                env,
                "test",
                &name,
                options.as_ref(),
                flowspec::json_api::test,
            )?;
            Ok(Test::new(&self.inner, name))
        })
    }
}
