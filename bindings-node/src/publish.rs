//! Publishing: `Catalog.publish` and `Catalog.testRemote` (in
//! [`crate::catalog`]), `pullSpecs`, `listSpecs` and `LocalControlPlane`, a
//! control plane on this machine. The work is the core's
//! (`flowspec::json_api::publish`) and the server crate's; this converts
//! values and errors, and runs the calls on libuv's pool so that each
//! returns a Promise.

// napi registers the exported functions for Node; `cargo test` builds see
// no caller.
#![cfg_attr(test, allow(dead_code))]

use napi::bindgen_prelude::{
    AsyncTask, ClassInstance, FromNapiValue, JavaScriptClassExt, JsObjectValue, Object,
};
use napi::{Env, JsValue, Unknown, ValueType};
use napi_derive::napi;
use serde_json::Value;

use crate::convert;
use crate::error::{run, Failure, Outcome};
use crate::tasks::CoreTask;

/// The JSON options of a publishing call: the object's options, where a
/// `LocalControlPlane` given as `controlPlane` stands for its endpoints
/// and token.
pub(crate) fn publish_options(
    env: &Env,
    options: Option<&Unknown>,
    subject: &str,
) -> Outcome<Value> {
    let Some(given) = options.filter(|o| matches!(o.get_type(), Ok(ValueType::Object))) else {
        return convert::options(env, options, subject);
    };
    let object: Object = unsafe { given.cast()? };
    if !object.has_named_property("controlPlane")? {
        return convert::options(env, options, subject);
    }
    let value: Unknown = object.get_named_property("controlPlane")?;
    if !LocalControlPlane::instance_of(env, &value)? {
        return convert::options(env, options, subject);
    }
    let local =
        unsafe { ClassInstance::<LocalControlPlane>::from_napi_value(env.raw(), value.raw())? };
    let plane = local.target()?;
    // The other options, converted as usual, and the plane's.
    let mut rest = Object::new(env)?;
    let names = object.get_property_names()?;
    for i in 0..names.get_array_length()? {
        let name: String = names.get_element(i)?;
        if name != "controlPlane" {
            let value: Unknown = object.get_named_property(&name)?;
            rest.set_named_property(&name, value)?;
        }
    }
    let mut options = convert::options(env, Some(&rest.to_unknown()), subject)?;
    if let Value::Object(map) = &mut options {
        map.insert("controlPlane".into(), plane);
    }
    Ok(options)
}

/// A task that runs a publishing call on the pool and resolves with its
/// JSON result.
pub(crate) fn task(
    work: impl FnOnce() -> flowspec::Result<Value> + Send + 'static,
) -> AsyncTask<CoreTask<Value>> {
    AsyncTask::new(CoreTask::new(work, |env, value| {
        Ok(convert::to_js(env, &value)?.raw())
    }))
}

/// Pulls live specs into local catalog files, as `flowctl catalog
/// pull-specs` does: new specs in flowctl's canonical layout (or the
/// target file with `flat: true`), specs already local left as they are
/// (or replaced in place with `overwrite: true`), each carrying
/// `expectPubId`. Resolves with `{written, specs, files}`.
///
/// ```ts
/// const pulled = await pullSpecs({ controlPlane: plane, prefixes: ["acmeCo/"], target: "pulled/flow.yaml" });
/// ```
#[napi(ts_return_type = "Promise<PulledSpecs>")]
pub fn pull_specs(
    env: &Env,
    #[napi(ts_arg_type = "PullSpecsCallOptions")] options: Option<Unknown>,
) -> napi::Result<AsyncTask<CoreTask<Value>>> {
    run(env, || {
        let options = publish_options(env, options.as_ref(), "pullSpecs")?;
        Ok(task(move || flowspec::json_api::pull_specs(options)))
    })
}

/// Writes what `flowctl generate` writes, without Docker: the TypeScript
/// types of each TypeScript derivation (`flow_generated/typescript/`),
/// `deno.json`, and a stub for each module, migration or lambda whose file
/// is missing. Existing modules are never overwritten; nothing is written
/// outside the project root. Resolves with `[{path, kind}]`.
///
/// ```ts
/// const written = await generate({ source: "flow.yaml" });
/// ```
#[napi(ts_return_type = "Promise<GeneratedFile[]>")]
pub fn generate(
    env: &Env,
    #[napi(ts_arg_type = "GenerateOptions")] options: Option<Unknown>,
) -> napi::Result<AsyncTask<CoreTask<Value>>> {
    run(env, || {
        let options = convert::options(env, options.as_ref(), "generate")?;
        Ok(task(move || flowspec::json_api::generate(None, options)))
    })
}

/// Lists live specs, sorted by name; options as `pullSpecs` (without
/// `target`).
///
/// ```ts
/// const specs = await listSpecs({ controlPlane: plane, prefixes: ["acmeCo/"] });
/// ```
#[napi(ts_return_type = "Promise<LiveSpecInfo[]>")]
pub fn list_specs(
    env: &Env,
    #[napi(ts_arg_type = "PullSpecsCallOptions")] options: Option<Unknown>,
) -> napi::Result<AsyncTask<CoreTask<Value>>> {
    run(env, || {
        let options = publish_options(env, options.as_ref(), "listSpecs")?;
        Ok(task(move || flowspec::json_api::list(options)))
    })
}

/// A control plane on this machine: Estuary's API over loopback HTTP,
/// backed by SQLite (in memory, or in the file `db`), on free ports unless
/// given. `start()` it, publish with `{ controlPlane: plane }`, `stop()` it.
///
/// ```ts
/// const plane = new LocalControlPlane();
/// plane.start();
/// try {
///   await cat.publish({ controlPlane: plane });
/// } finally {
///   plane.stop();
/// }
/// ```
#[napi]
pub struct LocalControlPlane {
    local: flowspec_server::Switched,
}

impl LocalControlPlane {
    fn with<R>(&self, f: impl FnOnce(&flowspec_server::ControlPlane) -> R) -> Outcome<R> {
        Ok(self.local.with(f)?)
    }

    fn target(&self) -> Outcome<Value> {
        self.with(|plane| plane.target())
    }
}

#[napi]
impl LocalControlPlane {
    /// A control plane, not yet started. Options: `db` (a SQLite file that
    /// keeps its state across restarts), `pgPort`, `agentPort`,
    /// `encryptionPort` (default 0: free ports).
    #[napi(constructor)]
    pub fn new(
        env: &Env,
        #[napi(
            ts_arg_type = "{ db?: string, pgPort?: number, agentPort?: number, encryptionPort?: number }"
        )]
        options: Option<Unknown>,
    ) -> napi::Result<Self> {
        run(env, || {
            let given = convert::options(env, options.as_ref(), "new LocalControlPlane")?;
            let port = |key: &str| -> Outcome<u16> {
                match &given[key] {
                    Value::Null => Ok(0),
                    value => value
                        .as_u64()
                        .and_then(|n| u16::try_from(n).ok())
                        .ok_or_else(|| Failure::Type(format!("new LocalControlPlane: `{key}` must be a port number (0 to 65535), not {value}"))),
                }
            };
            let db = match &given["db"] {
                Value::Null => None,
                Value::String(path) => Some(std::path::PathBuf::from(path)),
                other => {
                    return Err(Failure::Type(format!(
                        "new LocalControlPlane: `db` must be a file path, not {other}"
                    )))
                }
            };
            if let Value::Object(map) = &given {
                if let Some(unknown) = map.keys().find(|k| {
                    !["db", "pgPort", "agentPort", "encryptionPort"].contains(&k.as_str())
                }) {
                    return Err(Failure::Type(format!(
                        "new LocalControlPlane: {}",
                        flowspec::json_api::unknown_option(
                            unknown,
                            &["db", "pgPort", "agentPort", "encryptionPort"]
                        )
                    )));
                }
            }
            Ok(LocalControlPlane {
                local: flowspec_server::Switched::new(flowspec_server::Options {
                    db,
                    pg_port: port("pgPort")?,
                    agent_port: port("agentPort")?,
                    encryption_port: port("encryptionPort")?,
                    ..flowspec_server::Options::ephemeral()
                }),
            })
        })
    }

    /// Starts serving (nothing happens if it already is).
    #[napi]
    pub fn start(&mut self, env: &Env) -> napi::Result<()> {
        run(env, || Ok(self.local.start()?))
    }

    /// Stops serving (nothing happens if it is not).
    #[napi]
    pub fn stop(&mut self) {
        self.local.stop()
    }

    /// Whether it is serving.
    #[napi(getter)]
    pub fn running(&self) -> bool {
        self.local.running()
    }

    /// Its PostgREST URL.
    #[napi(getter)]
    pub fn pg_url(&self, env: &Env) -> napi::Result<String> {
        run(env, || self.with(|p| p.endpoints().pg_url.clone()))
    }

    /// Its agent API URL.
    #[napi(getter)]
    pub fn agent_url(&self, env: &Env) -> napi::Result<String> {
        run(env, || self.with(|p| p.endpoints().agent_url.clone()))
    }

    /// Its config-encryption service's URL.
    #[napi(getter)]
    pub fn config_encryption_url(&self, env: &Env) -> napi::Result<String> {
        run(env, || {
            self.with(|p| p.endpoints().config_encryption_url.clone())
        })
    }

    /// A refresh token of its user, as `FLOW_AUTH_TOKEN` takes it (a
    /// credential: `toString()` never shows it).
    #[napi(getter)]
    pub fn flow_auth_token(&self, env: &Env) -> napi::Result<String> {
        run(env, || self.with(|p| p.auth_token().to_base64()))
    }

    /// Its endpoints and token, as the `controlPlane` option.
    #[napi(ts_return_type = "ControlPlaneOptions")]
    pub fn options<'env>(&self, env: &'env Env) -> napi::Result<Unknown<'env>> {
        let target = run(env, || self.target())?;
        convert::to_js(env, &target)
    }

    /// `LocalControlPlane(<PostgREST URL>)`, or `LocalControlPlane(stopped)`.
    #[napi(js_name = "toString")]
    pub fn describe(&self) -> String {
        self.local.describe()
    }
}
