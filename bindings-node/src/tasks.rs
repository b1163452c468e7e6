//! Operations of the core run on libuv's thread pool, for the
//! Promise-returning forms (`Catalog.loadAsync`, `validateAsync`,
//! `writeAsync`, `encryptFileAsync`, `decryptFileAsync`): arguments are
//! converted on the JavaScript thread, the core runs on the pool without
//! blocking the event loop, and the result (or the error, as the sync form
//! throws it) settles the Promise back on the JavaScript thread.

use std::panic::{catch_unwind, AssertUnwindSafe};

use napi::bindgen_prelude::{ToNapiValue, TypeName, ValidateNapiValue};
use napi::ScopedTask;
use napi::{sys, Env, ValueType};

use crate::error::{to_js_error, Failure, Outcome};

/// How a task failed on the pool.
pub enum PoolFailure {
    /// An error of the core.
    Core(flowspec::Error),
    /// A panic (a bug).
    Panic(String),
}

/// A JavaScript value made when a task settles.
pub struct Settled(sys::napi_value);

impl ToNapiValue for Settled {
    unsafe fn to_napi_value(_: sys::napi_env, value: Self) -> napi::Result<sys::napi_value> {
        Ok(value.0)
    }
}

impl TypeName for Settled {
    fn type_name() -> &'static str {
        "unknown"
    }

    fn value_type() -> ValueType {
        ValueType::Unknown
    }
}

impl ValidateNapiValue for Settled {}

/// The work of a task, run on the pool.
type Work<T> = Box<dyn FnOnce() -> flowspec::Result<T> + Send>;

/// What becomes of a task's output on the JavaScript thread.
type Finish<T> = fn(&Env, T) -> Outcome<sys::napi_value>;

/// An operation of the core, run on the pool; `finish` makes its value.
pub struct CoreTask<T: Send + 'static> {
    work: Option<Work<T>>,
    finish: Finish<T>,
}

impl<T: Send + 'static> CoreTask<T> {
    /// A task that runs `work` on the pool and settles with `finish` of
    /// its output.
    pub(crate) fn new(
        work: impl FnOnce() -> flowspec::Result<T> + Send + 'static,
        finish: Finish<T>,
    ) -> Self {
        Self {
            work: Some(Box::new(work)),
            finish,
        }
    }
}

impl<'task, T: Send + 'static> ScopedTask<'task> for CoreTask<T> {
    type Output = Result<T, PoolFailure>;
    type JsValue = Settled;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        let Some(work) = self.work.take() else {
            return Ok(Err(PoolFailure::Panic("the task ran twice".into())));
        };
        Ok(match catch_unwind(AssertUnwindSafe(work)) {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(err)) => Err(PoolFailure::Core(err)),
            Err(panic) => Err(PoolFailure::Panic(
                panic
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "unknown panic".into()),
            )),
        })
    }

    fn resolve(&mut self, env: &'task Env, output: Self::Output) -> napi::Result<Self::JsValue> {
        let finish = self.finish;
        let outcome = catch_unwind(AssertUnwindSafe(|| match output {
            Ok(value) => finish(env, value),
            Err(PoolFailure::Core(err)) => Err(Failure::Core(err)),
            Err(PoolFailure::Panic(message)) => Err(Failure::Internal(format!(
                "flowspec bug (please report it): {message}"
            ))),
        }));
        match outcome {
            Ok(Ok(value)) => Ok(Settled(value)),
            Ok(Err(failure)) => Err(to_js_error(env, failure)),
            Err(_) => Err(to_js_error(
                env,
                Failure::Internal("flowspec bug (please report it): a task panicked".into()),
            )),
        }
    }
}
