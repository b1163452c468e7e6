//! The embedded JavaScript engine (QuickJS): one runtime and context per
//! derivation instance, a time limit per call, and the calls of the
//! derivation protocol.

use std::cell::Cell;
use std::rc::Rc;
use std::time::{Duration, Instant};

use rquickjs::{
    CatchResultExt, CaughtError, Context, Ctx, Exception, Function, Module, Object, Persistent,
    Promise, Runtime, Value,
};

use super::modules::{Links, Modules, Places, Sources};

/// Globals evaluated before the module: timers on a virtual clock (a timer
/// fires when nothing else is left to run, at once, earliest first),
/// `queueMicrotask`, and a `fetch` that says the network is out of reach.
/// Evaluates to the function that fires the next timer (false when none).
const PRELUDE: &str = r#"
(() => {
    let now = 0, last = 0;
    const timers = new Map();
    const add = (fn, delay, args, every) => {
        if (typeof fn !== "function") throw new TypeError("a timer's callback must be a function");
        const ms = Math.max(0, Number(delay) || 0);
        timers.set(++last, { at: now + ms, ms, fn, args, every });
        return last;
    };
    const clear = (id) => { timers.delete(id); };
    globalThis.setTimeout = (fn, delay, ...args) => add(fn, delay, args, false);
    globalThis.setInterval = (fn, delay, ...args) => add(fn, delay, args, true);
    globalThis.clearTimeout = clear;
    globalThis.clearInterval = clear;
    globalThis.queueMicrotask = (fn) => { Promise.resolve().then(fn); };
    globalThis.fetch = () => Promise.reject(new Error(
        "fetch is not available to derivations run locally (there is no network); run the tests on the control plane with --remote"));
    return () => {
        let next = null;
        for (const entry of timers) {
            if (next === null || entry[1].at < next[1].at) next = entry;
        }
        if (next === null) return false;
        const [id, timer] = next;
        now = timer.at;
        if (timer.every) {
            timers.delete(id);
            timer.at = now + Math.max(1, timer.ms);
            timers.set(id, timer);
        } else {
            timers.delete(id);
        }
        timer.fn(...timer.args);
        return true;
    };
})()
"#;

/// The driver: constructs the derivation, and adapts its methods to calls
/// with JSON text. Protocol violations throw a `{protocol: message}`.
const DRIVER: &str = r#"
(Derivation, names, print) => {
    const show = (args) => args.map((a) => {
        if (typeof a === "string") return a;
        if (a instanceof Error) return String(a.stack ? `${a}\n${a.stack}` : a);
        try { return JSON.stringify(a) ?? String(a); } catch (_) { return String(a); }
    }).join(" ");
    const log = (level) => (...args) => print(level, show(args));
    globalThis.console = {
        log: log("log"), info: log("info"), debug: log("debug"),
        warn: log("warn"), error: log("error"), trace: log("trace"),
    };
    const describe = (v) => {
        if (v === null) return "null";
        if (v === undefined) return "undefined";
        if (typeof v.then === "function") return "a Promise";
        if (typeof v === "object") return "an object";
        return `a ${typeof v}`;
    };
    const protocol = (message) => ({ protocol: message });
    const d = new Derivation({ state: {} });
    const missing = names.filter((n) => n != null && typeof d[n] !== "function");
    if (missing.length > 0) return { missing };
    const methods = names.map((n) => n == null ? () => { throw protocol("the transform is disabled"); } : d[n]);
    return {
        read(i, text) {
            const out = methods[i].call(d, { doc: JSON.parse(text) });
            if (!Array.isArray(out)) {
                const hint = out !== null && out !== undefined && typeof out.then === "function"
                    ? " (transform methods must return their documents synchronously)" : "";
                throw protocol(`returned ${describe(out)} rather than an array of documents${hint}`);
            }
            return JSON.stringify(out);
        },
        async flush() {
            const out = [];
            for (;;) {
                const r = await d.flush();
                if (Array.isArray(r)) { out.push(...r); break; }
                if (r === undefined || r === null) break;
                if (typeof r !== "object") {
                    throw protocol(`flush() returned ${describe(r)} rather than an array of documents or {published, more}`);
                }
                if (r.published !== undefined) {
                    if (!Array.isArray(r.published)) {
                        throw protocol(`flush() returned {published} of ${describe(r.published)} rather than an array of documents`);
                    }
                    out.push(...r.published);
                }
                if (!r.more) break;
            }
            if (typeof d.startCommit === "function") await d.startCommit({ runtimeCheckpoint: {} });
            return JSON.stringify(out);
        },
        async reset() { await d.reset(); },
    };
}
"#;

/// Why a call failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Failure {
    /// The JavaScript threw (or rejected): its message, and the first line
    /// of its stack where there is one.
    Threw(String),
    /// The derivation broke the protocol (a non-array return…).
    Protocol(String),
    /// The call ran out of time.
    TimedOut(Duration),
    /// A promise that can never settle (nothing left to run).
    NeverSettles,
    /// The class lacks these methods.
    Missing(Vec<String>),
    /// Anything else, in full.
    Other(String),
}

/// One running instance of a derivation's module.
pub(super) struct Engine {
    read: Persistent<Function<'static>>,
    flush: Persistent<Function<'static>>,
    reset: Persistent<Function<'static>>,
    /// Fires the next timer.
    tick: Persistent<Function<'static>>,
    context: Context,
    // Dropped last: the values above belong to it.
    _runtime: Runtime,
    deadline: Rc<Cell<Option<Instant>>>,
    limit: Duration,
    places: Places,
}

impl Engine {
    /// Loads the modules, evaluates the main one, and constructs its
    /// `Derivation` with `{state: {}}`. `methods` are the transform methods,
    /// in transform order (`None` for a disabled transform, which the class
    /// need not have); `label` prefixes what `console` prints.
    pub fn open(
        modules: Modules,
        methods: &[Option<String>],
        label: &str,
        limit: Duration,
    ) -> Result<Engine, Failure> {
        let runtime = Runtime::new().map_err(|e| Failure::Other(e.to_string()))?;
        let main_code = modules.code.get(&modules.main).cloned().unwrap_or_default();
        let places = modules.places;
        runtime.set_loader(Links(modules.links), Sources(modules.code));
        let deadline: Rc<Cell<Option<Instant>>> = Rc::new(Cell::new(None));
        let watch = deadline.clone();
        runtime.set_interrupt_handler(Some(Box::new(move || {
            watch.get().is_some_and(|d| Instant::now() >= d)
        })));
        let context = Context::full(&runtime).map_err(|e| Failure::Other(e.to_string()))?;
        let label = label.to_string();
        let guard = Guard::start(&deadline, limit);
        let driver = context.with(|ctx| -> Result<_, Failure> {
            let tick: Function = ctx
                .eval(PRELUDE)
                .catch(&ctx)
                .map_err(|e| failure(&ctx, e, &guard, &places))?;
            let module = Module::declare(ctx.clone(), modules.main.as_str(), main_code)
                .catch(&ctx)
                .map_err(|e| failure(&ctx, e, &guard, &places))?;
            let (module, promise) = module
                .eval()
                .catch(&ctx)
                .map_err(|e| failure(&ctx, e, &guard, &places))?;
            settle::<()>(&ctx, &promise, &tick, &guard, &places)?;
            let class: Value = module
                .get("Derivation")
                .catch(&ctx)
                .map_err(|e| failure(&ctx, e, &guard, &places))?;
            if !class.is_constructor() {
                return Err(Failure::Missing(vec![]));
            }
            let print = Function::new(ctx.clone(), move |level: String, text: String| {
                eprintln!("[{label}] console.{level}: {text}");
            })
            .map_err(|e| Failure::Other(e.to_string()))?;
            let factory: Function = ctx
                .eval(DRIVER)
                .catch(&ctx)
                .map_err(|e| failure(&ctx, e, &guard, &places))?;
            let driver: Object = factory
                .call((class, methods.to_vec(), print))
                .catch(&ctx)
                .map_err(|e| failure(&ctx, e, &guard, &places))?;
            if let Ok(Some(missing)) = driver.get::<_, Option<Vec<String>>>("missing") {
                return Err(Failure::Missing(missing));
            }
            let get = |name: &str| -> Result<Persistent<Function<'static>>, Failure> {
                let f: Function = driver
                    .get(name)
                    .map_err(|e| Failure::Other(e.to_string()))?;
                Ok(Persistent::save(&ctx, f))
            };
            let tick = Persistent::save(&ctx, tick);
            Ok((get("read")?, get("flush")?, get("reset")?, tick))
        });
        drop(guard);
        let (read, flush, reset, tick) = driver?;
        Ok(Engine {
            read,
            flush,
            reset,
            tick,
            context,
            _runtime: runtime,
            deadline,
            limit,
            places,
        })
    }

    /// Reads one document (JSON text) with the transform at `index`,
    /// returning the published documents as JSON text.
    pub fn read(&self, index: usize, doc: &str) -> Result<String, Failure> {
        let guard = Guard::start(&self.deadline, self.limit);
        self.context.with(|ctx| {
            let f = self
                .read
                .clone()
                .restore(&ctx)
                .map_err(|e| Failure::Other(e.to_string()))?;
            f.call::<_, String>((index, doc))
                .catch(&ctx)
                .map_err(|e| failure(&ctx, e, &guard, &self.places))
        })
    }

    /// Flushes: the documents published on flush, as JSON text.
    pub fn flush(&self) -> Result<String, Failure> {
        self.call_async::<String>(&self.flush)
    }

    /// Resets the derivation's state.
    pub fn reset(&self) -> Result<(), Failure> {
        self.call_async::<()>(&self.reset)
    }

    fn call_async<T: for<'js> rquickjs::FromJs<'js>>(
        &self,
        function: &Persistent<Function<'static>>,
    ) -> Result<T, Failure> {
        let guard = Guard::start(&self.deadline, self.limit);
        self.context.with(|ctx| {
            let f = function
                .clone()
                .restore(&ctx)
                .map_err(|e| Failure::Other(e.to_string()))?;
            let tick = self
                .tick
                .clone()
                .restore(&ctx)
                .map_err(|e| Failure::Other(e.to_string()))?;
            let promise: Promise = f
                .call(())
                .catch(&ctx)
                .map_err(|e| failure(&ctx, e, &guard, &self.places))?;
            settle(&ctx, &promise, &tick, &guard, &self.places)
        })
    }
}

/// Sets the deadline of a call, and clears it when dropped.
struct Guard<'a> {
    deadline: &'a Cell<Option<Instant>>,
    limit: Duration,
}

impl<'a> Guard<'a> {
    fn start(deadline: &'a Rc<Cell<Option<Instant>>>, limit: Duration) -> Self {
        deadline.set(Some(Instant::now() + limit));
        Guard { deadline, limit }
    }

    fn expired(&self) -> bool {
        self.deadline.get().is_some_and(|d| Instant::now() >= d)
    }
}

impl Drop for Guard<'_> {
    fn drop(&mut self) {
        self.deadline.set(None);
    }
}

/// Runs the job queue, and the timers when it is empty, until `promise`
/// settles.
fn settle<'js, T: rquickjs::FromJs<'js>>(
    ctx: &Ctx<'js>,
    promise: &Promise<'js>,
    tick: &Function<'js>,
    guard: &Guard<'_>,
    places: &Places,
) -> Result<T, Failure> {
    loop {
        if let Some(result) = promise.result::<T>() {
            return result
                .catch(ctx)
                .map_err(|e| failure(ctx, e, guard, places));
        }
        if guard.expired() {
            return Err(Failure::TimedOut(guard.limit));
        }
        if ctx.execute_pending_job() {
            continue;
        }
        let fired: bool = tick
            .call(())
            .catch(ctx)
            .map_err(|e| failure(ctx, e, guard, places))?;
        if !fired {
            if guard.expired() {
                return Err(Failure::TimedOut(guard.limit));
            }
            return Err(Failure::NeverSettles);
        }
    }
}

/// What a caught error means.
fn failure<'js>(
    ctx: &Ctx<'js>,
    error: CaughtError<'js>,
    guard: &Guard<'_>,
    places: &Places,
) -> Failure {
    if guard.expired() {
        return Failure::TimedOut(guard.limit);
    }
    match error {
        CaughtError::Exception(e) => Failure::Threw(exception(&e, places)),
        CaughtError::Value(v) => {
            if let Some(object) = v.as_object() {
                if let Ok(Some(message)) = object.get::<_, Option<String>>("protocol") {
                    return Failure::Protocol(message);
                }
            }
            Failure::Threw(format!("threw {}", show(ctx, v)))
        }
        CaughtError::Error(e) => Failure::Other(e.to_string()),
    }
}

fn exception(e: &Exception<'_>, places: &Places) -> String {
    let name: String = e.get("name").unwrap_or_else(|_| "Error".to_string());
    let mut text = format!("threw {name}: {}", e.message().unwrap_or_default());
    if let Some(frame) = e
        .stack()
        .as_deref()
        .and_then(|s| s.lines().map(str::trim).find(|l| l.starts_with("at ")))
    {
        text.push_str(&format!(" ({})", places.frame(frame)));
    }
    text
}

/// A thrown value that is not an Error, as JSON where it can be.
fn show<'js>(ctx: &Ctx<'js>, value: Value<'js>) -> String {
    match ctx.json_stringify(value.clone()) {
        Ok(Some(s)) => s.to_string().unwrap_or_default(),
        _ => format!("{value:?}"),
    }
}
