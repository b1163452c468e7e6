//! The `Catalog` class: make, load, validate, bundle and write catalogs.

use std::cell::RefCell;
use std::rc::Rc;

use napi::bindgen_prelude::{AsyncTask, ToNapiValue};
use napi::{Env, Unknown};
use napi_derive::napi;

use flowspec::write::Format;

use crate::convert;
use crate::error::{run, Outcome};
use crate::tasks::CoreTask;
use crate::types::Diagnostic;

/// The catalog a `Catalog` and its handles share.
pub(crate) type Shared = Rc<RefCell<flowspec::Catalog>>;

/// An Estuary Flow catalog: captures, collections (and derivations),
/// materializations and tests, keyed by name.
///
/// Build one with the DSL methods (`capture`, `collection`, `derivation`,
/// `materialization`, `test`), or `Catalog.load` a `flow.yaml`; then
/// `validate()` it and `write()` it. Specs can be read back, replaced and
/// removed with `getSpec`, `setSpec`, `removeSpec` and `names`, or through
/// the `spec` property of a handle.
///
/// Every method throws a `FlowspecError` (an `Error` with a `code`).
///
/// Threads: a catalog and its handles belong to the JavaScript thread that
/// made them (the main thread or one `Worker`) and cannot be shared with
/// another; give a worker the catalog's text (`toYaml()`) or file and
/// `Catalog.load` it there. Methods run synchronously to their end, so two
/// calls never overlap on one catalog; an option object is read (its
/// getters run) before the catalog is touched, so a getter may use the
/// catalog too.
///
/// ```ts
/// import { Catalog } from "flowspec";
/// const cat = new Catalog();
/// cat.collection("acmeCo/greetings", { schema: { type: "object" }, key: ["/id"] });
/// cat.validate();
/// cat.write("flow.yaml");
/// ```
#[napi]
pub struct Catalog {
    pub(crate) inner: Shared,
}

impl Catalog {
    pub(crate) fn wrap(catalog: flowspec::Catalog) -> Self {
        Self {
            inner: Rc::new(RefCell::new(catalog)),
        }
    }
}

#[napi]
impl Catalog {
    /// An empty catalog. Relative file references of its specs (a schema
    /// file, `typescript: "module.ts"`, ...) resolve against `baseDir`: by
    /// default the current directory; typically the directory the catalog
    /// will be written to.
    ///
    /// ```ts
    /// const cat = new Catalog();
    /// const out = new Catalog({ baseDir: "out/cicd" });
    /// ```
    #[napi(constructor)]
    pub fn new(
        env: &Env,
        #[napi(ts_arg_type = "CatalogOptions")] options: Option<Unknown>,
    ) -> napi::Result<Self> {
        run(env, || {
            let options = convert::from_js(env, options.as_ref(), "new Catalog", "options")?;
            Ok(Self::wrap(flowspec::json_api::new_catalog(options)?))
        })
    }

    /// Loads a catalog from a `flow.yaml` or `flow.json` file (or `-` for
    /// standard input), following its imports and inlining the files it
    /// references.
    ///
    /// sops-encrypted configs stay encrypted (they validate and are written
    /// as they are) unless `decrypt: true`, which decrypts them with
    /// `identity` (the text of `AGE-SECRET-KEY-1...` lines) or `keyFile`,
    /// else with the identities sops finds; see `decryptSecrets`.
    ///
    /// Throws a `load` error whose `diagnostics` say where and why, an `io`
    /// error, or a `catalog_secrets` error when a config does not decrypt.
    ///
    /// ```ts
    /// const cat = Catalog.load("flow.yaml");
    /// const plain = Catalog.load("flow.yaml", { decrypt: true, keyFile: "keys.txt" });
    /// ```
    #[napi(factory)]
    pub fn load(
        env: &Env,
        #[napi(ts_arg_type = "string")] path: Unknown,
        #[napi(ts_arg_type = "LoadOptions")] options: Option<Unknown>,
    ) -> napi::Result<Catalog> {
        run(env, || {
            let path = convert::string(env, &path, "Catalog.load", "path")?;
            let subject = format!("Catalog.load {path}");
            let options = convert::options(env, options.as_ref(), &subject)?;
            let catalog = flowspec::json_api::load(&path, options)?;
            Ok(Self::wrap(catalog))
        })
    }

    /// `Catalog.load` on libuv's thread pool: a Promise of the catalog,
    /// which rejects with the error `load` throws. The event loop runs on
    /// while the files are read and parsed.
    ///
    /// ```ts
    /// const cat = await Catalog.loadAsync("flow.yaml");
    /// ```
    #[napi(ts_return_type = "Promise<Catalog>")]
    pub fn load_async(
        env: &Env,
        #[napi(ts_arg_type = "string")] path: Unknown,
        #[napi(ts_arg_type = "LoadOptions")] options: Option<Unknown>,
    ) -> napi::Result<AsyncTask<CoreTask<flowspec::Catalog>>> {
        run(env, || {
            let path = convert::string(env, &path, "Catalog.loadAsync", "path")?;
            let subject = format!("Catalog.loadAsync {path}");
            let options = convert::options(env, options.as_ref(), &subject)?;
            Ok(AsyncTask::new(CoreTask::new(
                move || flowspec::json_api::load(&path, options),
                |env, catalog| {
                    Ok(unsafe { Catalog::to_napi_value(env.raw(), Self::wrap(catalog)) }?)
                },
            )))
        })
    }

    /// Checks the catalog offline, and returns its warnings.
    ///
    /// Throws a `validation` error when the catalog is invalid: its
    /// `diagnostics` list every problem, with its scope (file URL and JSON
    /// pointer) and code.
    ///
    /// ```ts
    /// for (const w of cat.validate()) console.warn(`${w.scope}: ${w.message}`);
    /// ```
    #[napi]
    pub fn validate(&self, env: &Env) -> napi::Result<Vec<Diagnostic>> {
        run(env, || {
            let warnings = self.inner.borrow().validate()?;
            Ok(warnings.iter().map(Diagnostic::from).collect())
        })
    }

    /// `validate()` on libuv's thread pool, on a copy of the catalog as it
    /// is now: a Promise of the warnings, which rejects with the error
    /// `validate` throws. The event loop runs on while references are read
    /// and schemas compiled.
    ///
    /// ```ts
    /// const warnings = await cat.validateAsync();
    /// ```
    #[napi(ts_return_type = "Promise<Diagnostic[]>")]
    pub fn validate_async(
        &self,
        env: &Env,
    ) -> napi::Result<AsyncTask<CoreTask<Vec<flowspec::Diagnostic>>>> {
        run(env, || {
            let catalog = self.inner.borrow().clone();
            Ok(AsyncTask::new(CoreTask::new(
                move || catalog.validate(),
                |env, warnings| {
                    let warnings: Vec<Diagnostic> = warnings.iter().map(Diagnostic::from).collect();
                    Ok(unsafe { Vec::<Diagnostic>::to_napi_value(env.raw(), warnings) }?)
                },
            )))
        })
    }

    /// A copy of the catalog with every file reference (schemas, configs,
    /// modules, fixtures) inlined: what Estuary receives.
    ///
    /// ```ts
    /// const bundled = cat.bundle();
    /// console.log(bundled.toJson());
    /// ```
    #[napi]
    pub fn bundle(&self, env: &Env) -> napi::Result<Catalog> {
        run(env, || Ok(Self::wrap(self.inner.borrow().bundle()?)))
    }

    /// The catalog as one YAML document, as `write` writes it: configs
    /// holding secrets (`Secret`s, or values under `_sops` keys) are
    /// sops-encrypted for `recipients` (else those of `SOPS_AGE_RECIPIENTS`
    /// or of the `.sops.yaml` found from the current directory). Without any
    /// recipient it throws `catalog_secrets`, whose `diagnostics` (code
    /// `plaintext_secret`) name each config, unless `plaintextSecrets: true`.
    ///
    /// ```ts
    /// process.stdout.write(cat.toYaml({ recipients: ["age1..."] }));
    /// ```
    #[napi]
    pub fn to_yaml(
        &self,
        env: &Env,
        #[napi(ts_arg_type = "RenderOptions")] options: Option<Unknown>,
    ) -> napi::Result<String> {
        run(env, || {
            self.render(env, Format::Yaml, "toYaml", options.as_ref())
        })
    }

    /// The catalog as one JSON document, its secrets encrypted as
    /// `toYaml` does.
    ///
    /// ```ts
    /// const doc = JSON.parse(cat.toJson({ plaintextSecrets: true }));
    /// ```
    #[napi]
    pub fn to_json(
        &self,
        env: &Env,
        #[napi(ts_arg_type = "RenderOptions")] options: Option<Unknown>,
    ) -> napi::Result<String> {
        run(env, || {
            self.render(env, Format::Json, "toJson", options.as_ref())
        })
    }

    /// Decrypts every sops-encrypted config in place, keeping its `_sops`
    /// keys (so writing the catalog encrypts them again); returns how many
    /// were decrypted. The identity is `identity` (the text of
    /// `AGE-SECRET-KEY-1...` lines) or `keyFile`, else the identities sops
    /// finds (`SOPS_AGE_KEY`, `SOPS_AGE_KEY_FILE`, `SOPS_AGE_KEY_CMD`,
    /// `~/.config/sops/age/keys.txt`).
    ///
    /// Throws `catalog_secrets` when any config does not decrypt, and then
    /// changes nothing; its `diagnostics` give each config's scope and the
    /// sops code (`sops_no_matching_identity`, `sops_mac_mismatch`, ...).
    ///
    /// ```ts
    /// const n: number = cat.decryptSecrets({ keyFile: "keys.txt" });
    /// ```
    #[napi]
    pub fn decrypt_secrets(
        &self,
        env: &Env,
        #[napi(ts_arg_type = "DecryptSecretsOptions")] options: Option<Unknown>,
    ) -> napi::Result<u32> {
        run(env, || {
            let options = convert::options(env, options.as_ref(), "decryptSecrets")?;
            let count = flowspec::json_api::decrypt_secrets(&mut self.inner.borrow_mut(), options)?;
            Ok(u32::try_from(count).unwrap_or(u32::MAX))
        })
    }

    /// Writes the catalog to `path` (`.yaml`, `.yml` or `.json`), in one
    /// file (`layout: "flat"`, the default) or in flowctl pull-specs' split
    /// layout (`layout: "canonical"`). Returns the paths of the files
    /// written.
    ///
    /// Configs holding secrets (`Secret`s, or values under `_sops` keys) are
    /// sops-encrypted for `recipients`, else for those of
    /// `SOPS_AGE_RECIPIENTS` or of the `.sops.yaml` creation rule matching
    /// `path`: `password: secret("x")` is written as `password_sops:
    /// ENC[...]`. Without any recipient it throws `catalog_secrets` (with a
    /// `plaintext_secret` diagnostic per config) and writes nothing, unless
    /// `plaintextSecrets: true`. Configs already encrypted are written as
    /// they are.
    ///
    /// ```ts
    /// const files: string[] = cat.write("out/flow.yaml", { layout: "canonical", recipients: ["age1..."] });
    /// ```
    #[napi]
    pub fn write(
        &self,
        env: &Env,
        #[napi(ts_arg_type = "string")] path: Unknown,
        #[napi(ts_arg_type = "WriteOptions")] options: Option<Unknown>,
    ) -> napi::Result<Vec<String>> {
        run(env, || {
            let path = convert::string(env, &path, "write", "path")?;
            let options = convert::options(env, options.as_ref(), &format!("write {path}"))?;
            let written = flowspec::json_api::write(&self.inner.borrow(), &path, options)?;
            written_files(env, written)
        })
    }

    /// `write` on libuv's thread pool, of a copy of the catalog as it is
    /// now: a Promise of the paths written, which rejects with the error
    /// `write` throws (and then nothing was written). The event loop runs
    /// on while the files are rendered, encrypted and written.
    ///
    /// ```ts
    /// const files = await cat.writeAsync("out/flow.yaml", { layout: "canonical" });
    /// ```
    #[napi(ts_return_type = "Promise<string[]>")]
    pub fn write_async(
        &self,
        env: &Env,
        #[napi(ts_arg_type = "string")] path: Unknown,
        #[napi(ts_arg_type = "WriteOptions")] options: Option<Unknown>,
    ) -> napi::Result<AsyncTask<CoreTask<flowspec::write::Written>>> {
        run(env, || {
            let path = convert::string(env, &path, "writeAsync", "path")?;
            let options = convert::options(env, options.as_ref(), &format!("write {path}"))?;
            let catalog = self.inner.borrow().clone();
            Ok(AsyncTask::new(CoreTask::new(
                move || flowspec::json_api::write(&catalog, &path, options),
                |env, written| {
                    let files = written_files(env, written)?;
                    Ok(unsafe { Vec::<String>::to_napi_value(env.raw(), files) }?)
                },
            )))
        })
    }

    /// Publishes the catalog to a control plane, as `flowctl catalog
    /// publish --auto-approve` does: validated, staged in a draft (every
    /// endpoint config encrypted by the control plane's config-encryption
    /// service first, so that no secret is sent in plaintext), specs equal
    /// to the live ones pruned, and the publication followed to its end.
    /// Resolves with `{status, pubId, specs, pruned, logs, ...}`; rejects
    /// with a `FlowspecError`: `validation` (nothing was sent),
    /// `publication_failed` (`diagnostics` scoped
    /// `flow://<type>/<name>#<pointer>`), `config_encryption_failed`,
    /// `control_plane_unreachable`...
    ///
    /// ```ts
    /// const plane = new LocalControlPlane();
    /// plane.start();
    /// const published = await cat.publish({ controlPlane: plane });
    /// ```
    #[napi(ts_return_type = "Promise<Publication>")]
    pub fn publish(
        &self,
        env: &Env,
        #[napi(ts_arg_type = "PublishCallOptions")] options: Option<Unknown>,
    ) -> napi::Result<AsyncTask<CoreTask<serde_json::Value>>> {
        run(env, || {
            let options = crate::publish::publish_options(env, options.as_ref(), "publish")?;
            let catalog = self.inner.borrow().clone();
            Ok(crate::publish::task(move || {
                flowspec::json_api::publish(&catalog, options)
            }))
        })
    }

    /// What publishing the catalog would change, as `flowspec catalog diff`
    /// shows it: every spec as create, update, delete or unchanged, with the
    /// locations that differ; secrets by name only, never with values.
    /// Options: `profile` or `controlPlane`, `source`, `identity`, `keyFile`.
    ///
    /// ```ts
    /// const plan = await cat.plan({ controlPlane: plane });
    /// if (plan.hasChanges) console.log(plan.report);
    /// ```
    #[napi(ts_return_type = "Promise<Plan>")]
    pub fn plan(
        &self,
        env: &Env,
        #[napi(ts_arg_type = "PlanCallOptions")] options: Option<Unknown>,
    ) -> napi::Result<AsyncTask<CoreTask<serde_json::Value>>> {
        run(env, || {
            let options = crate::publish::publish_options(env, options.as_ref(), "plan")?;
            let catalog = self.inner.borrow().clone();
            Ok(crate::publish::task(move || {
                flowspec::json_api::plan(&catalog, options)
            }))
        })
    }

    /// Runs the catalog's tests on a control plane, as `flowctl catalog
    /// test` does: a dry-run publication whose draft is always deleted;
    /// options as `publish`.
    ///
    /// ```ts
    /// const tested = await cat.testRemote({ profile: "local" });
    /// ```
    #[napi(ts_return_type = "Promise<Publication>")]
    pub fn test_remote(
        &self,
        env: &Env,
        #[napi(ts_arg_type = "PublishCallOptions")] options: Option<Unknown>,
    ) -> napi::Result<AsyncTask<CoreTask<serde_json::Value>>> {
        run(env, || {
            let options = crate::publish::publish_options(env, options.as_ref(), "testRemote")?;
            let catalog = self.inner.borrow().clone();
            Ok(crate::publish::task(move || {
                flowspec::json_api::test_remote(&catalog, options)
            }))
        })
    }

    /// Runs the catalog's tests locally, with Estuary's semantics:
    /// reductions, SQLite and TypeScript derivations, verify comparisons.
    /// Resolves to the results (a failing test is a result, not an error).
    ///
    /// ```ts
    /// const results = await cat.runTests({ tests: ["acmeCo/tests/totals"] });
    /// if (!results.ok) console.error(results.report);
    /// ```
    #[napi(ts_return_type = "Promise<TestRunResults>")]
    pub fn run_tests(
        &self,
        env: &Env,
        #[napi(ts_arg_type = "RunTestsOptions")] options: Option<Unknown>,
    ) -> napi::Result<AsyncTask<CoreTask<serde_json::Value>>> {
        run(env, || {
            let options = crate::convert::options(env, options.as_ref(), "runTests")?;
            let catalog = self.inner.borrow().clone();
            Ok(crate::publish::task(move || {
                flowspec::json_api::run_tests(&catalog, options)
            }))
        })
    }

    /// `generate` for the file this catalog was loaded from (or
    /// `options.source`).
    ///
    /// ```ts
    /// const written = await (await Catalog.loadAsync("flow.yaml")).generate();
    /// ```
    #[napi(ts_return_type = "Promise<GeneratedFile[]>")]
    pub fn generate(
        &self,
        env: &Env,
        #[napi(ts_arg_type = "GenerateOptions")] options: Option<Unknown>,
    ) -> napi::Result<AsyncTask<CoreTask<serde_json::Value>>> {
        run(env, || {
            let options = crate::convert::options(env, options.as_ref(), "generate")?;
            let catalog = self.inner.borrow().clone();
            Ok(crate::publish::task(move || {
                flowspec::json_api::generate(Some(&catalog), options)
            }))
        })
    }

    /// A summary: the number of specs of each kind (never their contents,
    /// which may hold secrets).
    ///
    /// ```ts
    /// String(cat); // "Catalog(1 capture, 9 collections, 1 materialization, 1 test)"
    /// ```
    #[napi(js_name = "toString")]
    pub fn describe(&self) -> String {
        let c = self.inner.borrow();
        format!(
            "Catalog({}, {}, {}, {})",
            count(c.captures.len(), "capture"),
            count(c.collections.len(), "collection"),
            count(c.materializations.len(), "materialization"),
            count(c.tests.len(), "test"),
        )
    }

    /// What `util.inspect` and `console.log` show: the number of specs of
    /// each kind, never their contents.
    ///
    /// ```ts
    /// console.log(cat); // Catalog { captures: 1, collections: 9, materializations: 1, tests: 1 }
    /// ```
    #[napi(symbol_for = "nodejs.util.inspect.custom")]
    pub fn inspect(&self) -> String {
        let c = self.inner.borrow();
        format!(
            "Catalog {{ captures: {}, collections: {}, materializations: {}, tests: {} }}",
            c.captures.len(),
            c.collections.len(),
            c.materializations.len(),
            c.tests.len()
        )
    }
}

impl Catalog {
    /// The catalog as one document, with `options` (`RenderOptions`).
    fn render(
        &self,
        env: &Env,
        format: Format,
        subject: &str,
        options: Option<&Unknown>,
    ) -> Outcome<String> {
        let options = convert::options(env, options, subject)?;
        Ok(flowspec::json_api::render(
            &self.inner.borrow(),
            format,
            options,
        )?)
    }
}

/// The paths written, after warning of stale files left beside them.
fn written_files(env: &Env, written: flowspec::write::Written) -> Outcome<Vec<String>> {
    if let Some(warning) = written.stale_warning() {
        crate::error::emit_warning(env, &warning)?;
    }
    Ok(written
        .files
        .into_iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect())
}

fn count(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}
