use std::time::Duration;

use serde_json::{json, Value};

use super::{open, open_with_limit, transpile, TypescriptRuntime};
use crate::testing::runtime::Runtime;
use crate::{Catalog, Collection};

const NAME: &str = "acmeCo/sums";

fn catalog(json: Value) -> Catalog {
    serde_json::from_value(json).expect("test catalog deserializes")
}

fn derivation(module: &str, transforms: &[&str]) -> Catalog {
    let transforms: Vec<Value> = transforms
        .iter()
        .map(|t| json!({"name": t, "source": "acmeCo/orders", "shuffle": "any"}))
        .collect();
    catalog(json!({"collections": {
        "acmeCo/orders": {
            "schema": {"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]},
            "key": ["/id"],
        },
        NAME: {
            "schema": {"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]},
            "key": ["/id"],
            "derive": {"using": {"typescript": {"module": module}}, "transforms": transforms},
        },
    }}))
}

/// `catalog` as if loaded from a file in `dir`, the project root.
fn in_dir(mut catalog: Catalog, dir: &std::path::Path) -> Catalog {
    let url = url::Url::from_directory_path(dir).unwrap().to_string();
    catalog.origins.base_dir = Some(url.clone());
    catalog.origins.root = Some(url);
    catalog
}

fn start(module: &str, transforms: &[&str]) -> TypescriptRuntime {
    let c = derivation(module, transforms);
    open(&c, &Collection::new(NAME).unwrap()).expect("opens")
}

fn open_error(module: &str, transforms: &[&str]) -> String {
    let c = derivation(module, transforms);
    open_with_limit(
        &c,
        &Collection::new(NAME).unwrap(),
        Duration::from_millis(200),
    )
    .expect_err("fails to open")
    .message
}

const SUM: &str = r#"
import { IDerivation, Document, SourceFromOrders } from 'flow/acmeCo/sums.ts';

export class Derivation extends IDerivation {
    total: number = 0;

    fromOrders(read: { doc: SourceFromOrders }): Document[] {
        this.total += read.doc.n as number;
        return [{ id: read.doc.id, total: this.total }];
    }

    async reset() {
        this.total = 0;
    }
}
"#;

#[test]
fn running_sum_in_a_class_field() {
    let mut rt = start(SUM, &["from-orders"]);
    let a = rt.read(0, &json!({"id": "a", "n": 3})).unwrap();
    let b = rt.read(0, &json!({"id": "b", "n": 4.5})).unwrap();
    assert_eq!(a, vec![json!({"id": "a", "total": 3})]);
    assert_eq!(b, vec![json!({"id": "b", "total": 7.5})]);
    assert_eq!(rt.flush().unwrap(), Vec::<Value>::new());
}

#[test]
fn reset_clears_state_and_instances_are_independent() {
    let mut one = start(SUM, &["from-orders"]);
    let mut two = start(SUM, &["from-orders"]);
    one.read(0, &json!({"id": "a", "n": 3})).unwrap();
    assert_eq!(
        two.read(0, &json!({"id": "a", "n": 1})).unwrap(),
        vec![json!({"id": "a", "total": 1})]
    );
    one.reset().unwrap();
    assert_eq!(
        one.read(0, &json!({"id": "a", "n": 2})).unwrap(),
        vec![json!({"id": "a", "total": 2})]
    );
}

#[test]
fn flush_publishes_and_loops_while_more() {
    let module = r#"
import { IDerivation } from 'flow/acmeCo/sums.ts';
export class Derivation extends IDerivation {
    counts = new Map<string, number>();
    rounds = 0;
    committed = 0;
    fromOrders({ doc }: { doc: { id: string } }) {
        this.counts.set(doc.id, (this.counts.get(doc.id) ?? 0) + 1);
        return [];
    }
    async flush() {
        this.rounds += 1;
        if (this.rounds === 1) {
            const published = [...this.counts].map(([id, n]) => ({ id, n }));
            return { published, more: true };
        }
        return { published: [{ id: "rounds", n: this.rounds, committed: this.committed }] };
    }
    startCommit(_: { runtimeCheckpoint: unknown }) {
        this.committed += 1;
        return {};
    }
}
"#;
    let mut rt = start(module, &["fromOrders"]);
    assert_eq!(
        rt.read(0, &json!({"id": "a"})).unwrap(),
        Vec::<Value>::new()
    );
    rt.read(0, &json!({"id": "b"})).unwrap();
    rt.read(0, &json!({"id": "a"})).unwrap();
    assert_eq!(
        rt.flush().unwrap(),
        vec![
            json!({"id": "a", "n": 2}),
            json!({"id": "b", "n": 1}),
            json!({"id": "rounds", "n": 2, "committed": 0}),
        ]
    );
    // startCommit ran after the first flush.
    assert_eq!(
        rt.flush().unwrap(),
        vec![json!({"id": "rounds", "n": 3, "committed": 1})]
    );
}

#[test]
fn readonly_parameter_properties_and_type_only_imports() {
    let module = r#"
import type { Document } from 'flow/acmeCo/sums.ts';
import { IDerivation, SourceFromOrders } from 'flow/acmeCo/sums.ts';

interface Scale { factor: number }
enum Unit { One = 1, Ten = 10 }

class Scaler {
    constructor(private readonly scale: Scale, public readonly unit: Unit = Unit.Ten) {}
    apply(n: number): number { return n * this.scale.factor * this.unit; }
}

export class Derivation extends IDerivation {
    private scaler = new Scaler({ factor: 2 });
    fromOrders(read: { doc: SourceFromOrders }): Document[] {
        return [{ id: read.doc.id, n: this.scaler.apply(read.doc.n as number) }];
    }
}
"#;
    let mut rt = start(module, &["fromOrders"]);
    assert_eq!(
        rt.read(0, &json!({"id": "a", "n": 3})).unwrap(),
        vec![json!({"id": "a", "n": 60})]
    );
}

#[test]
fn thrown_error_names_derivation_transform_and_document() {
    let module = r#"
import { IDerivation } from 'flow/acmeCo/sums.ts';
export class Derivation extends IDerivation {
    fromOrders(read: { doc: { id: string } }) {
        if (read.doc.id === "bad") throw new Error("no bad ids");
        return [read.doc];
    }
}
"#;
    let mut rt = start(module, &["from-orders"]);
    let err = rt
        .read(0, &json!({"id": "bad", "n": 1}))
        .unwrap_err()
        .message;
    assert_eq!(
        err,
        "derivation acmeCo/sums, transform from-orders, document {\"id\":\"bad\",\"n\":1}: threw Error: no bad ids (at fromOrders (inline module:5:46))"
    );
    // The instance still works after an error.
    assert_eq!(
        rt.read(0, &json!({"id": "ok"})).unwrap(),
        vec![json!({"id": "ok"})]
    );
}

#[test]
fn non_array_returns_are_errors() {
    let module = r#"
import { IDerivation } from 'flow/acmeCo/sums.ts';
export class Derivation extends IDerivation {
    one(read: { doc: unknown }) { return read.doc; }
    two(_: unknown) { return Promise.resolve([]); }
    three(_: unknown) { throw "plain"; }
}
"#;
    let mut rt = start(module, &["one", "two", "three"]);
    assert_eq!(
        rt.read(0, &json!({"id": "a"})).unwrap_err().message,
        "derivation acmeCo/sums, transform one, document {\"id\":\"a\"}: returned an object rather than an array of documents"
    );
    assert_eq!(
        rt.read(1, &json!({"id": "a"})).unwrap_err().message,
        "derivation acmeCo/sums, transform two, document {\"id\":\"a\"}: returned a Promise rather than an array of documents (transform methods must return their documents synchronously)"
    );
    assert_eq!(
        rt.read(2, &json!({"id": "a"})).unwrap_err().message,
        "derivation acmeCo/sums, transform three, document {\"id\":\"a\"}: threw \"plain\""
    );
}

#[test]
fn unbounded_recursion_is_an_error() {
    let module = "import { IDerivation } from 'flow/acmeCo/sums.ts';\nconst down = (n: number): number => down(n + 1) + 1;\nexport class Derivation extends IDerivation { fromOrders() { return [down(0)]; } }\n";
    let mut rt = start(module, &["fromOrders"]);
    let err = rt.read(0, &json!({"id": "a"})).unwrap_err().message;
    assert!(
        err.starts_with("derivation acmeCo/sums, transform fromOrders, document {\"id\":\"a\"}: threw RangeError: Maximum call stack size exceeded"),
        "{err}"
    );
}

#[test]
fn syntax_error_has_line_and_column() {
    let module = "import { IDerivation } from 'flow/acmeCo/sums.ts';\nexport class Derivation extends IDerivation {\n    fromOrders(read { }\n}\n";
    assert_eq!(
        open_error(module, &["fromOrders"]),
        "derivation acmeCo/sums: inline module:3:21: Expected `,` or `)` but found `{`"
    );
}

#[test]
fn missing_export_and_missing_method() {
    let module = "import { IDerivation } from 'flow/acmeCo/sums.ts';\nclass Derivation extends IDerivation {}\n";
    assert_eq!(
        open_error(module, &["fromOrders"]),
        "derivation acmeCo/sums: inline module does not export a class `Derivation`"
    );
    let module = "import { IDerivation } from 'flow/acmeCo/sums.ts';\nexport class Derivation extends IDerivation { fromOrders() { return []; } }\n";
    assert_eq!(
        open_error(module, &["fromOrders", "from-refunds"]),
        "derivation acmeCo/sums: class `Derivation` of inline module has no method `fromRefunds` (of transform from-refunds)"
    );
}

#[test]
fn disabled_transforms_need_no_method() {
    let module = "import { IDerivation } from 'flow/acmeCo/sums.ts';\nexport class Derivation extends IDerivation { fromOrders() { return []; } }\n";
    let mut c = derivation(module, &["fromOrders", "fromRefunds"]);
    let name = Collection::new(NAME).unwrap();
    if let Some(derive) = c.collections.get_mut(&name).and_then(|c| c.derive.as_mut()) {
        derive.transforms[1].disable = true;
    }
    let mut rt = open(&c, &name).unwrap();
    assert_eq!(
        rt.read(0, &json!({"id": "a"})).unwrap(),
        Vec::<Value>::new()
    );
    assert_eq!(
        rt.read(1, &json!({"id": "a"})).unwrap_err().message,
        "derivation acmeCo/sums, transform fromRefunds, document {\"id\":\"a\"}: the transform is disabled"
    );
}

#[test]
fn deno_only_apis() {
    let module = "import { IDerivation } from 'flow/acmeCo/sums.ts';\nexport class Derivation extends IDerivation {\n    key = Deno.env.get(\"KEY\");\n    fromOrders() { return []; }\n}\n";
    assert_eq!(
        open_error(module, &["fromOrders"]),
        "derivation acmeCo/sums: `Deno.env` at inline module:3:11 uses Deno-only APIs, which flowspec cannot run locally; run the tests on the control plane with --remote"
    );
    let module = "import { IDerivation } from 'flow/acmeCo/sums.ts';\nimport _ from 'npm:lodash';\nexport class Derivation extends IDerivation {\n    fromOrders() { return [_.identity(1)]; }\n}\n";
    assert_eq!(
        open_error(module, &["fromOrders"]),
        "derivation acmeCo/sums: import \"npm:lodash\" at inline module:2:16 uses Deno-only APIs, which flowspec cannot run locally; run the tests on the control plane with --remote"
    );
}

#[test]
fn unresolvable_imports() {
    let module = "import { IDerivation } from 'flow/acmeCo/sums.ts';\nimport { f } from 'lodash';\nexport class Derivation extends IDerivation { fromOrders() { return [f()]; } }\n";
    assert_eq!(
        open_error(module, &["fromOrders"]),
        "derivation acmeCo/sums: import \"lodash\" at inline module:2:20 cannot be resolved: only relative imports (like \"./helpers.ts\") and \"flow/<collection>.ts\" run locally"
    );
}

#[test]
fn infinite_loop_is_stopped_by_the_limit() {
    let module = r#"
import { IDerivation } from 'flow/acmeCo/sums.ts';
export class Derivation extends IDerivation {
    fromOrders() { for (;;) {} }
    async flush() { for (;;) { await null; } }
}
"#;
    let c = derivation(module, &["fromOrders"]);
    let mut rt = open_with_limit(
        &c,
        &Collection::new(NAME).unwrap(),
        Duration::from_millis(200),
    )
    .unwrap();
    let started = std::time::Instant::now();
    assert_eq!(
        rt.read(0, &json!({"id": "a"})).unwrap_err().message,
        "derivation acmeCo/sums, transform fromOrders, document {\"id\":\"a\"}: did not finish within 200ms (the time limit of a call), and was stopped"
    );
    assert_eq!(
        rt.flush().unwrap_err().message,
        "derivation acmeCo/sums, flush: did not finish within 200ms (the time limit of a call), and was stopped"
    );
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[test]
fn relative_import_of_a_helper_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("lib")).unwrap();
    std::fs::write(
        dir.path().join("lib/helpers.ts"),
        "import { SCALE } from './scale.ts';\nexport function double(n: number): number { return n * SCALE; }\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("lib/scale.ts"),
        "export const SCALE: number = 2;\n",
    )
    .unwrap();
    let module = "import { IDerivation } from 'flow/acmeCo/sums.ts';\nimport { double } from './lib/helpers.ts';\nexport class Derivation extends IDerivation {\n    fromOrders(read: { doc: { n: number } }) { return [{ n: double(read.doc.n) }]; }\n}\n";
    let c = in_dir(derivation(module, &["fromOrders"]), dir.path());
    let mut rt = open(&c, &Collection::new(NAME).unwrap()).unwrap();
    assert_eq!(
        rt.read(0, &json!({"n": 21})).unwrap(),
        vec![json!({"n": 42})]
    );

    // Outside of the project root.
    std::fs::write(dir.path().join("outside.ts"), "export const X = 1;\n").unwrap();
    let lib = url::Url::from_directory_path(dir.path().join("lib"))
        .unwrap()
        .to_string();
    let outside = "import { X } from '../outside.ts';\nimport { IDerivation } from 'flow/acmeCo/sums.ts';\nexport class Derivation extends IDerivation { fromOrders() { return [X]; } }\n";
    let mut c = derivation(outside, &["fromOrders"]);
    c.origins.base_dir = Some(lib.clone());
    c.origins.root = Some(lib);
    assert_eq!(
        open(&c, &Collection::new(NAME).unwrap()).unwrap_err().message,
        format!(
            "derivation acmeCo/sums: import \"../outside.ts\" at inline module:1:20 cannot be resolved: {} is outside of the project root {}",
            dir.path().canonicalize().unwrap().join("outside.ts").display(),
            dir.path().canonicalize().unwrap().join("lib").display(),
        )
    );

    // A file that does not exist.
    let module = module.replace("./lib/helpers.ts", "./lib/missing.ts");
    let c = derivation(&module, &["fromOrders"]);
    let mut c = c;
    c.origins.base_dir = Some(
        url::Url::from_directory_path(dir.path())
            .unwrap()
            .to_string(),
    );
    let err = open(&c, &Collection::new(NAME).unwrap())
        .unwrap_err()
        .message;
    assert_eq!(
        err,
        format!(
            "derivation acmeCo/sums: import \"./lib/missing.ts\" at inline module:2:25 cannot be resolved: {} does not exist",
            dir.path().join("./lib/missing.ts").display()
        )
    );
}

#[test]
fn console_does_not_write_to_stdout() {
    let module = "import { IDerivation } from 'flow/acmeCo/sums.ts';\nexport class Derivation extends IDerivation {\n    fromOrders(read: { doc: unknown }) { console.log('read', read.doc); return []; }\n}\n";
    let mut rt = start(module, &["fromOrders"]);
    assert_eq!(
        rt.read(0, &json!({"id": "a"})).unwrap(),
        Vec::<Value>::new()
    );
}

#[test]
fn method_names_are_the_generated_ones() {
    let method_name = |t| crate::generate::camel_case(t, false);
    assert_eq!(method_name("from-orders"), "fromOrders");
    assert_eq!(method_name("fromOrders"), "fromOrders");
    assert_eq!(method_name("FromOrders"), "FromOrders");
    assert_eq!(method_name("from_orders/2"), "fromOrders2");
}

#[test]
fn transpile_elides_type_imports() {
    let js = transpile(
        "import { A, B } from './a.ts';\nimport type { C } from './c.ts';\nconst x: B = new A();\nexport { x };\n",
        "m.ts",
    )
    .unwrap();
    assert_eq!(
        js,
        "import { A } from \"./a.ts\";\nconst x = new A();\nexport { x };\n"
    );
}

#[test]
fn module_file_loaded_from_a_project() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    std::fs::create_dir_all(root.join("acmeCo")).unwrap();
    std::fs::write(root.join("flow.yaml"), "import:\n  - acmeCo/flow.yaml\n").unwrap();
    std::fs::write(
        root.join("acmeCo/flow.yaml"),
        r#"collections:
  acmeCo/orders:
    schema: {type: object, properties: {id: {type: string}}, required: [id]}
    key: [/id]
  acmeCo/sums:
    schema: {type: object, properties: {id: {type: string}}, required: [id]}
    key: [/id]
    derive:
      using:
        typescript: {module: sums.ts}
      transforms:
        - name: fromOrders
          source: acmeCo/orders
          shuffle: any
"#,
    )
    .unwrap();
    std::fs::write(
        root.join("acmeCo/sums.ts"),
        "import { IDerivation, Document, SourceFromOrders } from 'flow/acmeCo/sums.ts';\nimport { label } from './label.ts';\n\nexport class Derivation extends IDerivation {\n    fromOrders(read: { doc: SourceFromOrders }): Document[] {\n        if (read.doc.id === 'x') throw new TypeError('bad');\n        return [{ id: label(read.doc.id as string) }];\n    }\n}\n",
    )
    .unwrap();
    std::fs::write(
        root.join("acmeCo/label.ts"),
        "export const label = (id: string): string => `order ${id}`;\n",
    )
    .unwrap();
    let c = crate::load::load(&root.join("flow.yaml").display().to_string()).unwrap();
    let mut rt = open(&c, &Collection::new(NAME).unwrap()).unwrap();
    assert_eq!(
        rt.read(0, &json!({"id": "a"})).unwrap(),
        vec![json!({"id": "order a"})]
    );
    assert_eq!(
        rt.read(0, &json!({"id": "x"})).unwrap_err().message,
        "derivation acmeCo/sums, transform fromOrders, document {\"id\":\"x\"}: threw TypeError: bad (at fromOrders (acmeCo/sums.ts:6:44))"
    );
}

#[test]
fn flow_modules_are_the_generated_types() {
    // `IDerivation` is the class `generate` writes: it has `startCommit`.
    let mut rt = start(
        "import { IDerivation } from 'flow/acmeCo/sums.ts';\n\
         export class Derivation extends IDerivation {\n\
         \x20   fromOrders(read: { doc: { id: string } }) { return [{ id: typeof this.startCommit }]; }\n\
         }\n",
        &["fromOrders"],
    );
    assert_eq!(
        rt.read(0, &json!({"id": "a"})).unwrap(),
        vec![json!({"id": "function"})]
    );
    let err = open_error(
        "import { IDerivation } from 'flow/acmeCo/orders.ts';\nexport class Derivation extends IDerivation {}\n",
        &["fromOrders"],
    );
    assert!(err.contains("the types of flow/acmeCo/orders.ts"), "{err}");
}

#[test]
fn timers_run_on_a_virtual_clock() {
    let module = r#"
import { IDerivation } from 'flow/acmeCo/sums.ts';
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
export class Derivation extends IDerivation {
    seen: string[] = [];
    fromOrders({ doc }: { doc: { id: string } }) {
        this.seen.push(doc.id);
        return [];
    }
    async flush() {
        const order: string[] = [];
        const late = setTimeout(() => order.push("cancelled"), 5);
        setTimeout((tag: string) => order.push(tag), 20, "slow");
        setTimeout(() => order.push("fast"), 10);
        queueMicrotask(() => order.push("microtask"));
        clearTimeout(late);
        let ticks = 0;
        const every = setInterval(() => { ticks += 1; if (ticks === 3) clearInterval(every); }, 1);
        await sleep(60_000);
        return [{ id: this.seen.join(","), order, ticks }];
    }
}
"#;
    let mut rt = start(module, &["fromOrders"]);
    rt.read(0, &json!({"id": "a"})).unwrap();
    let started = std::time::Instant::now();
    assert_eq!(
        rt.flush().unwrap(),
        vec![json!({"id": "a", "order": ["microtask", "fast", "slow"], "ticks": 3})]
    );
    // The minute of sleep is virtual.
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[test]
fn timer_errors_and_fetch() {
    let module = r#"
import { IDerivation } from 'flow/acmeCo/sums.ts';
export class Derivation extends IDerivation {
    fromOrders() { return []; }
    async flush() {
        await new Promise((resolve) => setTimeout(() => { throw new Error("boom in a timer"); }, 1));
        return [];
    }
    async reset() { await fetch("https://example.com/"); }
}
"#;
    let mut rt = start(module, &["fromOrders"]);
    let err = rt.flush().unwrap_err().message;
    assert!(
        err.starts_with("derivation acmeCo/sums, flush: threw Error: boom in a timer"),
        "{err}"
    );
    let err = rt.reset().unwrap_err().message;
    assert!(
        err.starts_with(
            "derivation acmeCo/sums, reset: threw Error: fetch is not available to derivations run locally (there is no network); run the tests on the control plane with --remote"
        ),
        "{err}"
    );
}

#[test]
fn dynamic_imports_with_literal_specifiers_are_loaded() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("rates.ts"),
        "export const RATE: number = 3;\n",
    )
    .unwrap();
    let module = "import { IDerivation } from 'flow/acmeCo/sums.ts';\nexport class Derivation extends IDerivation {\n    rate = 0;\n    fromOrders(read: { doc: { n: number } }) { return [{ n: read.doc.n * this.rate }]; }\n    async reset() { this.rate = (await import('./rates.ts')).RATE; }\n    async flush() { const name = './oth' + 'er.ts'; await import(name); return []; }\n}\n";
    let c = in_dir(derivation(module, &["fromOrders"]), dir.path());
    let mut rt = open(&c, &Collection::new(NAME).unwrap()).unwrap();
    rt.reset().unwrap();
    assert_eq!(rt.read(0, &json!({"n": 2})).unwrap(), vec![json!({"n": 6})]);
    // A computed specifier is not known before it runs.
    let err = rt.flush().unwrap_err().message;
    assert!(err.starts_with("derivation acmeCo/sums, flush: "), "{err}");
    assert!(err.contains("./other.ts"), "{err}");
    assert!(
        err.contains("only imports with literal specifiers"),
        "{err}"
    );

    // A literal one that cannot be resolved fails when the module opens.
    let missing = module.replace("import('./rates.ts')", "import('./missing.ts')");
    let c = in_dir(derivation(&missing, &["fromOrders"]), dir.path());
    let err = open(&c, &Collection::new(NAME).unwrap())
        .unwrap_err()
        .message;
    assert_eq!(
        err,
        format!(
            "derivation acmeCo/sums: import \"./missing.ts\" at inline module:5:48 cannot be resolved: {} does not exist",
            dir.path().join("./missing.ts").display()
        )
    );
}
