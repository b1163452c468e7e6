//! Module resolution: the derivation's module, the files it imports
//! (relative to it, inside the project root), and the `flow/<name>.ts`
//! modules that provide `IDerivation`: the types `generate` writes,
//! transpiled.

use std::collections::{HashMap, VecDeque};
use std::path::{Path, PathBuf};

use rquickjs::loader::{ImportAttributes, Loader, Resolver};
use rquickjs::module::Declared;
use rquickjs::{Ctx, Module};

use super::transpile::{transpile_module, Import, Transpiled};

/// What the suffix of a Deno-only error says.
pub(super) const DENO_ONLY: &str = "uses Deno-only APIs, which flowspec cannot run locally; run the tests on the control plane with --remote";

/// Where the derivation's module is: its name for the engine, how errors
/// show it, the directory its relative imports resolve against, and the
/// project root they must stay in.
#[derive(Debug, Clone)]
pub(super) struct Origin {
    /// The module's name for the engine (unique; an absolute path for a file).
    pub name: String,
    /// The module as errors show it (`derive.ts`, relative to the root).
    pub display: String,
    /// The directory relative imports resolve against.
    pub dir: PathBuf,
    /// The directory that imported files must be inside of.
    pub root: PathBuf,
}

/// Every module of a derivation, transpiled, and how their imports link.
#[derive(Debug, Clone, Default)]
pub(super) struct Modules {
    /// The name of the derivation's own module.
    pub main: String,
    /// JavaScript of each module, by name.
    pub code: HashMap<String, String>,
    /// (importing module, specifier) → imported module.
    pub links: HashMap<(String, String), String>,
    /// How errors show places in each module.
    pub places: Places,
}

/// How errors show each module (by name), and where its JavaScript came
/// from in its source.
#[derive(Debug, Clone, Default)]
pub(super) struct Places(HashMap<String, (String, Transpiled)>);

impl Places {
    /// A stack frame of the engine (`at f (/p/derive.ts:4:40)`), with the
    /// module as errors show it and the place in its source
    /// (`at f (derive.ts:5:42)`).
    pub fn frame(&self, frame: &str) -> String {
        let (head, place, tail) = match frame.strip_suffix(')').and_then(|f| f.rsplit_once('(')) {
            Some((head, place)) => (format!("{head}("), place, ")"),
            None => match frame.strip_prefix("at ") {
                Some(place) => ("at ".to_string(), place, ""),
                None => return frame.to_string(),
            },
        };
        let mut parts = place.rsplitn(3, ':');
        let (Some(column), Some(line), Some(name)) = (parts.next(), parts.next(), parts.next())
        else {
            return frame.to_string();
        };
        let (Ok(line), Ok(column)) = (line.parse::<u32>(), column.parse::<u32>()) else {
            return frame.to_string();
        };
        match self.0.get(name) {
            Some((display, transpiled)) => match transpiled.source_position(line, column) {
                Some((l, c)) => format!("{head}{display}:{l}:{c}{tail}"),
                None => format!("{head}{display}{tail}"),
            },
            None => frame.to_string(),
        }
    }
}

/// Transpiles the module and everything it imports, resolving each import.
/// Errors name the module and the place of the import, without the
/// derivation (the caller adds it).
pub(super) fn collect(
    source: &str,
    origin: &Origin,
    flow: &dyn Fn(&str) -> Result<String, String>,
) -> Result<Modules, String> {
    let root = origin
        .root
        .canonicalize()
        .unwrap_or_else(|_| origin.root.clone());
    let mut modules = Modules {
        main: origin.name.clone(),
        ..Modules::default()
    };
    let mut queue = VecDeque::from([(
        origin.name.clone(),
        origin.display.clone(),
        origin.dir.clone(),
        source.to_string(),
    )]);
    while let Some((name, display, dir, text)) = queue.pop_front() {
        let transpiled = if name.ends_with(".json") {
            serde_json::from_str::<serde_json::Value>(&text)
                .map_err(|e| format!("{display} is not JSON: {e}"))?;
            modules
                .code
                .insert(name.clone(), format!("export default {text};\n"));
            continue;
        } else {
            transpile_module(&text, &display)?
        };
        if let Some((expr, line, column)) = transpiled.deno.first() {
            return Err(format!("`{expr}` at {display}:{line}:{column} {DENO_ONLY}"));
        }
        for import in &transpiled.imports {
            let target = resolve(import, &display, &dir, &root)?;
            let key = (name.clone(), import.specifier.clone());
            match target {
                Target::Flow => {
                    let code = flow(&import.specifier)?;
                    modules.code.insert(import.specifier.clone(), code);
                    modules.links.insert(key, import.specifier.clone());
                }
                Target::File(path) => {
                    let target_name = path.display().to_string();
                    modules.links.insert(key, target_name.clone());
                    let queued = queue.iter().any(|q| q.0 == target_name);
                    if !queued && !modules.code.contains_key(&target_name) {
                        let text = std::fs::read_to_string(&path).map_err(|e| {
                            format!(
                                "import {:?} at {display}:{}:{} cannot be read: {e}",
                                import.specifier, import.line, import.column
                            )
                        })?;
                        let shown = path.strip_prefix(&root).map_or_else(
                            |_| path.display().to_string(),
                            |p| p.display().to_string(),
                        );
                        let parent = path
                            .parent()
                            .map_or_else(|| root.clone(), Path::to_path_buf);
                        queue.push_back((target_name, shown, parent, text));
                    }
                }
            }
        }
        modules.code.insert(name.clone(), transpiled.code.clone());
        modules.places.0.insert(name, (display, transpiled));
    }
    Ok(modules)
}

enum Target {
    Flow,
    File(PathBuf),
}

const DENO_SCHEMES: [&str; 5] = ["npm:", "jsr:", "node:", "https:", "http:"];
const EXTENSIONS: [&str; 6] = [".ts", ".mts", ".js", ".mjs", ".json", ".d.ts"];

fn resolve(import: &Import, display: &str, dir: &Path, root: &Path) -> Result<Target, String> {
    let spec = import.specifier.as_str();
    let at = format!(
        "import {spec:?} at {display}:{}:{}",
        import.line, import.column
    );
    if spec.starts_with("flow/") && spec.ends_with(".ts") {
        return Ok(Target::Flow);
    }
    if DENO_SCHEMES.iter().any(|s| spec.starts_with(s)) {
        return Err(format!("{at} {DENO_ONLY}"));
    }
    let path = if spec.starts_with("./") || spec.starts_with("../") || spec.starts_with('/') {
        dir.join(spec)
    } else if let Some(rest) = spec.strip_prefix("file://") {
        PathBuf::from(rest)
    } else {
        return Err(format!(
            "{at} cannot be resolved: only relative imports (like \"./helpers.ts\") and \"flow/<collection>.ts\" run locally"
        ));
    };
    if !EXTENSIONS.iter().any(|e| spec.ends_with(e)) || spec.ends_with(".d.ts") {
        return Err(format!(
            "{at} cannot be resolved: imports name the file with its extension (.ts, .js or .json)"
        ));
    }
    let found = path
        .canonicalize()
        .map_err(|_| format!("{at} cannot be resolved: {} does not exist", path.display()))?;
    if !found.starts_with(root) {
        return Err(format!(
            "{at} cannot be resolved: {} is outside of the project root {}",
            found.display(),
            root.display()
        ));
    }
    Ok(Target::File(found))
}

/// Links imports as [`collect`] resolved them.
pub(super) struct Links(pub HashMap<(String, String), String>);

impl Resolver for Links {
    fn resolve<'js>(
        &mut self,
        _ctx: &Ctx<'js>,
        base: &str,
        name: &str,
        _attributes: Option<ImportAttributes<'js>>,
    ) -> rquickjs::Result<String> {
        self.0
            .get(&(base.to_string(), name.to_string()))
            .cloned()
            .ok_or_else(|| {
                rquickjs::Error::new_resolving_message(
                    base,
                    name,
                    "only imports with literal specifiers (`import \"./x.ts\"`, `import(\"./x.ts\")`) are loaded when a derivation runs locally",
                )
            })
    }
}

/// Serves the modules [`collect`] transpiled.
pub(super) struct Sources(pub HashMap<String, String>);

impl Loader for Sources {
    fn load<'js>(
        &mut self,
        ctx: &Ctx<'js>,
        name: &str,
        _attributes: Option<ImportAttributes<'js>>,
    ) -> rquickjs::Result<Module<'js, Declared>> {
        let code = self
            .0
            .get(name)
            .ok_or_else(|| rquickjs::Error::new_loading(name))?;
        Module::declare(ctx.clone(), name, code.as_str())
    }
}
