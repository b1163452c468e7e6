//! Reading, replacing and removing specs as JSON, by kind and name.

use std::str::FromStr;

use napi::{Env, Unknown};
use napi_derive::napi;

use crate::catalog::{Catalog, Shared};
use crate::convert;
use crate::error::{run, Outcome};

/// A kind argument: `capture`, `collection`, `materialization` or `test`.
fn kind(env: &Env, value: &Unknown, subject: &str) -> Outcome<flowspec::Kind> {
    let kind = convert::string(env, value, subject, "kind")?;
    Ok(flowspec::Kind::from_str(&kind).map_err(flowspec::Error::from)?)
}

/// A spec as JSON (the model's form), or `undefined`.
pub(crate) fn get<'env>(
    env: &'env Env,
    catalog: &Shared,
    kind: flowspec::Kind,
    name: &str,
) -> Outcome<Option<Unknown<'env>>> {
    let spec = flowspec::json_api::get(&catalog.borrow(), kind, name);
    Ok(match spec {
        Some(spec) => Some(convert::to_js(env, &spec)?),
        None => None,
    })
}

/// Replaces (or adds) a spec given as JSON in the model's form.
pub(crate) fn set(
    env: &Env,
    catalog: &Shared,
    kind: flowspec::Kind,
    name: &str,
    spec: &Unknown,
) -> Outcome<()> {
    let subject = format!("{} {name}", kind.singular());
    let spec = convert::from_js(env, Some(spec), &subject, "spec")?;
    flowspec::json_api::set(&mut catalog.borrow_mut(), kind, name, spec)?;
    Ok(())
}

#[napi]
impl Catalog {
    /// A spec, as in `flow.yaml` (camelCase, defaults left out), or
    /// `undefined` if there is none of that kind and name. The object is a
    /// copy: change it and give it to `setSpec` to change the catalog.
    ///
    /// ```ts
    /// const spec = cat.getSpec("collection", "acmeCo/orders");
    /// if (spec) console.log(spec.key);
    /// ```
    #[napi(
        ts_generic_types = "K extends Kind",
        ts_args_type = "kind: K, name: string",
        ts_return_type = "Specs[K] | undefined"
    )]
    pub fn get_spec<'env>(
        &self,
        env: &'env Env,
        kind: Unknown,
        name: Unknown,
    ) -> napi::Result<Unknown<'env>> {
        run(env, || {
            let kind = self::kind(env, &kind, "getSpec")?;
            let name = convert::string(env, &name, "getSpec", "name")?;
            match get(env, &self.inner, kind, &name)? {
                Some(spec) => Ok(spec),
                None => Ok(convert::undefined(env)?),
            }
        })
    }

    /// Replaces the spec of that kind and name (or adds it), given as in
    /// `flow.yaml`. Returns the catalog, for chaining.
    ///
    /// Throws `invalid_name` for a bad name and `invalid_spec` (naming the
    /// field) for a spec that does not decode.
    ///
    /// ```ts
    /// const spec = cat.getSpec("capture", "acmeCo/source")!;
    /// spec.interval = "10m";
    /// cat.setSpec("capture", "acmeCo/source", spec);
    /// ```
    #[napi(
        ts_generic_types = "K extends Kind",
        ts_args_type = "kind: K, name: string, spec: Specs[K]",
        ts_return_type = "this"
    )]
    pub fn set_spec<'a>(
        &self,
        env: &Env,
        this: napi::bindgen_prelude::This<'a>,
        kind: Unknown,
        name: Unknown,
        spec: Unknown,
    ) -> napi::Result<napi::bindgen_prelude::This<'a>> {
        run(env, || {
            let kind = self::kind(env, &kind, "setSpec")?;
            let name = convert::string(env, &name, "setSpec", "name")?;
            set(env, &self.inner, kind, &name, &spec)?;
            Ok(this)
        })
    }

    /// Removes the spec of that kind and name; returns whether there was
    /// one. Handles to it stay, and fail with `reference_undefined` when used.
    ///
    /// ```ts
    /// cat.removeSpec("materialization", "acmeCo/old-sink");
    /// ```
    #[napi(ts_args_type = "kind: Kind, name: string")]
    pub fn remove_spec(&self, env: &Env, kind: Unknown, name: Unknown) -> napi::Result<bool> {
        run(env, || {
            let kind = self::kind(env, &kind, "removeSpec")?;
            let name = convert::string(env, &name, "removeSpec", "name")?;
            Ok(flowspec::json_api::remove(
                &mut self.inner.borrow_mut(),
                kind,
                &name,
            ))
        })
    }

    /// The names of the specs of a kind, sorted.
    ///
    /// ```ts
    /// for (const name of cat.names("collection")) console.log(name);
    /// ```
    #[napi(ts_args_type = "kind: Kind")]
    pub fn names(&self, env: &Env, kind: Unknown) -> napi::Result<Vec<String>> {
        run(env, || {
            let kind = self::kind(env, &kind, "names")?;
            Ok(flowspec::json_api::names(&self.inner.borrow(), kind))
        })
    }
}
