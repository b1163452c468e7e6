//! The one conversion of failures into thrown JS errors, and the guard that
//! keeps panics from crossing into Node.
//!
//! Every thrown error is an `Error` whose `code` is the core's stable slug
//! ([`flowspec::Error::code`]): `invalid_name`, `invalid_value`,
//! `nesting_too_deep`, `io`, `load`, `validation`, `write`,
//! `catalog_secrets`, the `sops_*` codes;
//! `load`, `validation` and `catalog_secrets` errors also carry
//! `diagnostics`, an array of `{scope, message, code, severity}`. A value
//! that is not JSON is a `TypeError` with code `invalid_value`. A panic (a
//! bug) becomes an `Error` with code `internal`. No message holds an age
//! identity ([`flowspec::secrets::redact_identities`]).

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
fn to_js_error(env: &Env, failure: Failure) -> napi::Error {
    let (code, message, type_error, diagnostics) = match failure {
        Failure::Napi(err) => return err,
        Failure::Core(err) => {
            let diagnostics = matches!(
                err,
                flowspec::Error::Load(_)
                    | flowspec::Error::Validation(_)
                    | flowspec::Error::CatalogSecrets(_)
            )
            .then(|| err.diagnostics().iter().map(Diagnostic::from).collect());
            (err.code(), err.to_string(), false, diagnostics)
        }
        Failure::Type(message) => ("invalid_value", message, true, None),
        Failure::Internal(message) => ("internal", message, false, None),
    };
    let message = flowspec::secrets::redact_identities(&message);
    let diagnostics = diagnostics.map(|ds: Vec<Diagnostic>| {
        ds.into_iter()
            .map(|d| Diagnostic {
                message: flowspec::secrets::redact_identities(&d.message),
                ..d
            })
            .collect()
    });
    // SAFETY: called on the JS thread, within the scope of the current call.
    match unsafe { create_error(env.raw(), code, &message, type_error, diagnostics) } {
        Ok(error) => napi::Error::from(unsafe { Unknown::from_raw_unchecked(env.raw(), error) }),
        Err(_) => napi::Error::new(Status::GenericFailure, message),
    }
}

/// # Safety
/// `env` must be the current env.
unsafe fn create_error(
    env: sys::napi_env,
    code: &str,
    message: &str,
    type_error: bool,
    diagnostics: Option<Vec<Diagnostic>>,
) -> napi::Result<sys::napi_value> {
    let check = |status: sys::napi_status| {
        if status == sys::Status::napi_ok {
            Ok(())
        } else {
            Err(napi::Error::from_status(Status::from(status)))
        }
    };
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
        check(unsafe { sys::napi_create_error(env, js_code, js_message, &mut error) })?;
    }
    if let Some(diagnostics) = diagnostics {
        let array = unsafe { Vec::<Diagnostic>::to_napi_value(env, diagnostics) }?;
        check(unsafe { sys::napi_set_named_property(env, error, c"diagnostics".as_ptr(), array) })?;
    }
    Ok(error)
}

impl From<&flowspec::Diagnostic> for Diagnostic {
    fn from(d: &flowspec::Diagnostic) -> Self {
        Diagnostic {
            scope: d.scope.clone(),
            message: d.message.clone(),
            code: d.code.clone(),
            severity: match d.severity {
                flowspec::Severity::Error => "error",
                flowspec::Severity::Warning => "warning",
            }
            .to_string(),
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
