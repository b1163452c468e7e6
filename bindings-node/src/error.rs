//! The one conversion of failures into thrown JS errors, and the guard that
//! keeps panics from crossing into Node.
//!
//! Every thrown error is a `FlowspecError` (a class extending `Error`,
//! exported with the registry of codes, [`FlowspecError`] and [`codes`])
//! whose `code` is the core's stable code ([`flowspec::Error::code`], one
//! of [`flowspec::codes::REGISTRY`]); `load`, `validation` and
//! `catalog_secrets` errors also carry `diagnostics`, an array of `{scope,
//! message, code, severity}`, and errors of a file carry its `path` (and
//! the OS's `errno`, negative as Node's own). A value that is not JSON is
//! a `TypeError` with code `invalid_spec`, as Node throws for arguments of
//! the wrong type. A panic (a bug) becomes a `FlowspecError` with code
//! `internal`. The core redacts age identities from every message.

use std::cell::Cell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;

use napi::bindgen_prelude::ToNapiValue;
use napi::{sys, Env, Status, Unknown};

use crate::types::Diagnostic;

/// Why an operation failed, before it is thrown.
pub(crate) enum Failure {
    /// An error of the core.
    Core(flowspec::Error),
    /// A value of the wrong type, or not JSON: a `TypeError` (the message
    /// names where it was).
    Type(String),
    /// A Node-API failure; with [`Status::PendingException`], a JS exception
    /// (thrown by a getter, say) is already on its way and is left alone.
    Napi(napi::Error),
    /// A bug: a panic, or a state that should not happen.
    Internal(String),
}

/// The result of an operation, before [`run`] converts its failure.
pub(crate) type Outcome<T> = Result<T, Failure>;

impl From<flowspec::Error> for Failure {
    fn from(err: flowspec::Error) -> Self {
        Failure::Core(err)
    }
}

impl From<napi::Error> for Failure {
    fn from(err: napi::Error) -> Self {
        Failure::Napi(err)
    }
}

impl Failure {
    /// A failed Node-API call.
    pub(crate) fn from_status(status: sys::napi_status) -> Self {
        let status = Status::from(status);
        Failure::Napi(napi::Error::new(status, "a Node-API call failed"))
    }
}

/// Runs an operation of the binding: a panic inside it becomes an error,
/// and every failure becomes the JS error it throws.
pub(crate) fn run<T>(env: &Env, op: impl FnOnce() -> Outcome<T>) -> napi::Result<T> {
    match catch_unwind(AssertUnwindSafe(op)) {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(failure)) => Err(to_js_error(env, failure)),
        Err(panic) => {
            let message = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            Err(to_js_error(
                env,
                Failure::Internal(format!("flowspec bug (please report it): {message}")),
            ))
        }
    }
}

/// The one conversion: a failure as the JS error to throw.
pub(crate) fn to_js_error(env: &Env, failure: Failure) -> napi::Error {
    let mut extra = Extra::default();
    let (code, message, type_error) = match failure {
        Failure::Napi(err) => return err,
        Failure::Core(err) => {
            if !err.diagnostics().is_empty()
                || matches!(
                    err,
                    flowspec::Error::Load(_)
                        | flowspec::Error::Validation(_)
                        | flowspec::Error::CatalogSecrets(_)
                )
            {
                extra.diagnostics = Some(err.diagnostics().iter().map(Diagnostic::from).collect());
            }
            extra.path = err.path().map(|p| p.display().to_string());
            extra.errno = err
                .io_error()
                .and_then(std::io::Error::raw_os_error)
                .map(|n| -n);
            (err.code(), err.to_string(), false)
        }
        Failure::Type(message) => (flowspec::codes::INVALID_SPEC, message, true),
        Failure::Internal(message) => (flowspec::codes::INTERNAL, message, false),
    };
    // SAFETY: called on the JS thread, within the scope of the current call.
    match unsafe { create_error(env.raw(), code, &message, type_error, extra) } {
        Ok(error) => napi::Error::from(unsafe { Unknown::from_raw_unchecked(env.raw(), error) }),
        Err(_) => napi::Error::new(Status::GenericFailure, message),
    }
}

/// What a thrown error carries besides its code and message.
#[derive(Default)]
struct Extra {
    diagnostics: Option<Vec<Diagnostic>>,
    path: Option<String>,
    errno: Option<i32>,
}

/// # Safety
/// `env` must be the current env.
unsafe fn create_error(
    env: sys::napi_env,
    code: &str,
    message: &str,
    type_error: bool,
    extra: Extra,
) -> napi::Result<sys::napi_value> {
    let mut js_code = ptr::null_mut();
    let mut js_message = ptr::null_mut();
    let mut error = ptr::null_mut();
    check(unsafe {
        sys::napi_create_string_utf8(env, code.as_ptr().cast(), code.len() as isize, &mut js_code)
    })?;
    check(unsafe {
        sys::napi_create_string_utf8(
            env,
            message.as_ptr().cast(),
            message.len() as isize,
            &mut js_message,
        )
    })?;
    if type_error {
        check(unsafe { sys::napi_create_type_error(env, js_code, js_message, &mut error) })?;
    } else {
        let class = unsafe { error_class(env) }?;
        let args = [js_message, js_code];
        check(unsafe { sys::napi_new_instance(env, class, 2, args.as_ptr(), &mut error) })?;
    }
    if let Some(diagnostics) = extra.diagnostics {
        let array = unsafe { Vec::<Diagnostic>::to_napi_value(env, diagnostics) }?;
        check(unsafe { sys::napi_set_named_property(env, error, c"diagnostics".as_ptr(), array) })?;
    }
    if let Some(path) = extra.path {
        let value = unsafe { String::to_napi_value(env, path) }?;
        check(unsafe { sys::napi_set_named_property(env, error, c"path".as_ptr(), value) })?;
    }
    if let Some(errno) = extra.errno {
        let value = unsafe { i32::to_napi_value(env, errno) }?;
        check(unsafe { sys::napi_set_named_property(env, error, c"errno".as_ptr(), value) })?;
    }
    Ok(error)
}

fn check(status: sys::napi_status) -> napi::Result<()> {
    if status == sys::Status::napi_ok {
        Ok(())
    } else {
        Err(napi::Error::from_status(Status::from(status)))
    }
}

/// The class of the errors flowspec throws, as JavaScript: an `Error`
/// whose `code` is one of the registry's and whose `name` is
/// `FlowspecError`.
const ERROR_CLASS: &str = r#"(function () {
  class FlowspecError extends Error {
    constructor(message, code) {
      super(message);
      Object.defineProperty(this, "code", { value: code, enumerable: true, configurable: true, writable: true });
    }
  }
  Object.defineProperty(FlowspecError.prototype, "name", { value: "FlowspecError", configurable: true, writable: true });
  return FlowspecError;
})()"#;

thread_local! {
    /// This thread's environment and its reference to the [`ERROR_CLASS`].
    static CLASS: Cell<Option<(usize, usize)>> = const { Cell::new(None) };
}

/// The error class of `env`, made on first use.
///
/// # Safety
/// `env` must be the current env.
unsafe fn error_class(env: sys::napi_env) -> napi::Result<sys::napi_value> {
    let mut class = ptr::null_mut();
    if let Some((cached_env, reference)) = CLASS.with(Cell::get) {
        if cached_env == env as usize {
            check(unsafe {
                sys::napi_get_reference_value(env, reference as sys::napi_ref, &mut class)
            })?;
            if !class.is_null() {
                return Ok(class);
            }
        }
    }
    let mut script = ptr::null_mut();
    check(unsafe {
        sys::napi_create_string_utf8(
            env,
            ERROR_CLASS.as_ptr().cast(),
            ERROR_CLASS.len() as isize,
            &mut script,
        )
    })?;
    check(unsafe { sys::napi_run_script(env, script, &mut class) })?;
    let mut reference = ptr::null_mut();
    check(unsafe { sys::napi_create_reference(env, class, 1, &mut reference) })?;
    CLASS.with(|c| c.set(Some((env as usize, reference as usize))));
    Ok(class)
}

/// The `FlowspecError` class, exported as a constant of the module
/// ([`FlowspecError`]).
// Registered with Node by `napi_derive`, which a test build does not do.
#[cfg_attr(test, allow(dead_code))]
pub struct FlowspecErrorConstructor;

impl ToNapiValue for FlowspecErrorConstructor {
    unsafe fn to_napi_value(env: sys::napi_env, _: Self) -> napi::Result<sys::napi_value> {
        unsafe { error_class(env) }
    }
}

/// The class of every error flowspec throws (except a `TypeError` for a
/// value that is not JSON): `err instanceof FlowspecError`, then
/// `err.code`, one of the registry's codes ([`codes`]).
///
/// ```js
/// try {
///   new Catalog().capture("nope", { image: "x" });
/// } catch (err) {
///   if (err instanceof FlowspecError && err.code === "invalid_name") console.error(err.message);
/// }
/// ```
// Registered with Node by `napi_derive`, which a test build does not do.
#[cfg_attr(test, allow(dead_code))]
#[napi_derive::napi]
#[allow(non_upper_case_globals)]
pub const FlowspecError: FlowspecErrorConstructor = FlowspecErrorConstructor;

/// The registry of codes, exported as a constant of the module ([`codes`]).
// Registered with Node by `napi_derive`, which a test build does not do.
#[cfg_attr(test, allow(dead_code))]
pub struct Codes;

impl ToNapiValue for Codes {
    unsafe fn to_napi_value(env: sys::napi_env, _: Self) -> napi::Result<sys::napi_value> {
        let mut object = ptr::null_mut();
        check(unsafe { sys::napi_create_object(env, &mut object) })?;
        for code in flowspec::codes::REGISTRY {
            let info = CodeInfo {
                group: serde_plain(code.group),
                description: code.description.to_string(),
            };
            let value = unsafe { CodeInfo::to_napi_value(env, info) }?;
            check(unsafe { sys::napi_object_freeze(env, value) })?;
            let key = std::ffi::CString::new(code.code)
                .map_err(|e| napi::Error::from_reason(e.to_string()))?;
            check(unsafe { sys::napi_set_named_property(env, object, key.as_ptr(), value) })?;
        }
        check(unsafe { sys::napi_object_freeze(env, object) })?;
        Ok(object)
    }
}

/// A group's name as the registry serializes it (`loading`, `sops`...).
// Registered with Node by `napi_derive`, which a test build does not do.
#[cfg_attr(test, allow(dead_code))]
fn serde_plain(group: flowspec::codes::Group) -> String {
    match serde_json::to_value(group) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

/// One entry of the registry of codes.
// Registered with Node by `napi_derive`, which a test build does not do.
#[cfg_attr(test, allow(dead_code))]
#[napi_derive::napi(object)]
pub struct CodeInfo {
    /// What the code is about: `operations`, `loading`, `names`,
    /// `collections`, `derivations`, `tasks`, `bindings`, `tests`,
    /// `secrets`, `sops` or `client`.
    #[napi(ts_type = "CodeGroup")]
    pub group: String,
    /// One sentence on the mistake the code names.
    pub description: String,
}

/// Every code flowspec reports, whichever entry point finds the mistake,
/// with its group and description: the same registry as the Rust core's
/// `flowspec::codes` and Python's `flowspec.codes`.
///
/// ```js
/// console.log(codes.invalid_name.description);
/// const all = Object.keys(codes); // every ErrorCode
/// ```
// Registered with Node by `napi_derive`, which a test build does not do.
#[cfg_attr(test, allow(dead_code))]
#[napi_derive::napi]
#[allow(non_upper_case_globals)]
pub const codes: Codes = Codes;

impl From<&flowspec::Diagnostic> for Diagnostic {
    fn from(d: &flowspec::Diagnostic) -> Self {
        Diagnostic {
            scope: d.scope.clone(),
            message: d.message.clone(),
            code: d.code.clone(),
            severity: d.severity.as_str().to_string(),
        }
    }
}

/// Emits a warning the Node way: `process.emitWarning(message,
/// "FlowspecWarning")`, which prints it once unless warnings are silenced,
/// and which `process.on("warning")` can observe.
pub(crate) fn emit_warning(env: &Env, message: &str) -> Outcome<()> {
    use napi::bindgen_prelude::{FnArgs, Function, JsObjectValue, Object};
    let global = env.get_global()?;
    let process: Object = global.get_named_property("process")?;
    let emit: Function<FnArgs<(String, String)>, Unknown> =
        process.get_named_property("emitWarning")?;
    let args = (message.to_string(), "FlowspecWarning".to_string());
    emit.apply(process, FnArgs::from(args))?;
    Ok(())
}
